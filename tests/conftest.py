"""Shared helpers: bake a project, install its locks into a fresh venv, run its tasks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from devenv import PYTHON_VERSIONS, find_python, public_index_env  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "{{cookiecutter.project_slug}}"
LOCK_TOOLS = ("pip-tools", "uv")
DEFAULT_PYTHON = "3.12"

# Every compile and install in the tests sees the public index only, as a user's machine
# (or GitHub's runner) would: never this machine's find-links or file:// indexes.
_public = public_index_env()
os.environ.clear()
os.environ.update(_public)


def bake(output_dir, **answers):
    """Bake the template with default answers plus `answers`; return the project directory."""
    return Path(cookiecutter(str(ROOT), no_input=True, extra_context=answers, output_dir=str(output_dir)))


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


@pytest.fixture(scope="session")
def baked_venv(tmp_path_factory):
    """Factory: baked_venv(lock_tool, python_version) -> BakedVenv (built once per session)."""
    venvs = {}

    def make(lock_tool, python_version):
        key = (lock_tool, python_version)
        if key not in venvs:
            python = python_for(python_version)
            where = tmp_path_factory.mktemp(f"venv-{lock_tool}-{python_version}")
            run([python, "-m", "venv", where / "venv"], cwd=where)
            venv = BakedVenv(where / "venv", python_version)
            locks = [shipped_lock(lock_tool, python_version, n) for n in ("requirements.txt", "requirements-dev.txt")]
            run([venv.python, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", locks[0], "-r", locks[1]],
                cwd=where)  # fmt: skip
            venvs[key] = venv
        return venvs[key]

    return make


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Keep tests that share a baked venv on one xdist worker, so each venv is built once."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and "lock_tool" in callspec.params and "python_version" in callspec.params:
            group = f"{callspec.params['lock_tool']}-{callspec.params['python_version']}"
            item.add_marker(pytest.mark.xdist_group(group))


__all__ = ["DEFAULT_PYTHON", "LOCK_TOOLS", "PYTHON_VERSIONS", "TEMPLATE", "bake", "run", "shipped_lock"]
