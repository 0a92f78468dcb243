"""Shared helpers: bake a project, install its locks into a fresh venv, run its tasks."""

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from devenv import LOCK_FILES, PYTHON_VERSIONS, bake, find_python, public_index_env  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "{{cookiecutter.project_slug}}"
LOCK_TOOLS = ("pip-tools", "uv")
DEFAULT_PYTHON = "3.12"

# Every compile and install in the tests sees the public index only, as a user's machine
# (or GitHub's runner) would: never this machine's find-links or file:// indexes.
_public = public_index_env()
os.environ.clear()
os.environ.update(_public)


@pytest.fixture(scope="session")
def docker():
    """The docker client, or a skip saying why no engine can be used here."""
    docker = shutil.which("docker")
    if not docker:
        pytest.skip("no docker client on PATH, so no Docker engine to build with (.ci/run starts one)")
    info = subprocess.run([docker, "info"], check=False, capture_output=True, text=True)
    if info.returncode:
        pytest.skip(f"no Docker engine answers (`docker info` failed: {info.stderr.strip()[-200:]})")
    return docker


def shipped_lock(lock_tool, python_version, name="requirements.txt"):
    return TEMPLATE / "_locks" / lock_tool / python_version / name


def python_for(version):
    python = find_python(version)
    if python is None:
        pytest.skip(f"no python{version} on this machine (install it, or run through .ci/run)")
    return python


def run(argv, cwd, check=True, **kwargs):
    """Run a command; on unexpected failure show its whole output in the assertion."""
    result = subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True, **kwargs)
    if check and result.returncode:
        raise AssertionError(f"{argv} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


class BakedVenv:
    """A fresh venv holding exactly a baked project's two locks, installed with --require-hashes."""

    def __init__(self, path, python_version):
        self.path = Path(path)
        self.python = self.path / "bin" / "python"
        self.python_version = python_version

    def invoke(self, project, *args, check=True, **kwargs):
        return run([self.python, "-m", "invoke", *args], cwd=project, check=check, **kwargs)


@contextlib.contextmanager
def exclusive(path):
    """Hold an exclusive lock on `path`, shared by all xdist workers of this run."""
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def baked_venv(tmp_path_factory):
    """Factory: baked_venv(lock_tool, python_version) -> BakedVenv, built once per run and shared by workers."""
    shared = tmp_path_factory.getbasetemp().parent  # the same directory for every xdist worker

    def make(lock_tool, python_version):
        where = shared / f"venv-{lock_tool}-{python_version}"
        venv = BakedVenv(where / "venv", python_version)
        with exclusive(shared / f"venv-{lock_tool}-{python_version}.lock"):
            if not (where / "installed").exists():
                python = python_for(python_version)
                where.mkdir(exist_ok=True)
                run([python, "-m", "venv", "--clear", venv.path], cwd=where)
                locks = [shipped_lock(lock_tool, python_version, n) for n in ("requirements.txt", "requirements-dev.txt")]
                run([venv.python, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", locks[0], "-r", locks[1]],
                    cwd=where)  # fmt: skip
                (where / "installed").touch()
        return venv

    return make


__all__ = ["DEFAULT_PYTHON", "LOCK_FILES", "LOCK_TOOLS", "PYTHON_VERSIONS", "TEMPLATE", "bake", "exclusive", "run", "shipped_lock"]
