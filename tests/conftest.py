"""Fixtures shared by the tests (plain helpers are in helpers.py)."""

import hashlib
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from helpers import (
    DEFAULT_PYTHON,
    REGISTRY,
    exclusive,
    free_port,
    invoke,
    public_index_env,
    python_for,
    run,
    shipped_lock,
)
from helpers import baked_tasks as baked_tasks_package

# Every compile and install in the tests sees the public index only, as a user's machine
# (or GitHub's runner) would: never this machine's find-links or file:// indexes.
_public = public_index_env()
os.environ.clear()
os.environ.update(_public)


@pytest.fixture(scope="session")
def baked_tasks():
    """The baked project's task modules (project, locks, engines, platforms, ...), for unit tests."""
    return baked_tasks_package


@pytest.fixture(scope="session")
def docker(tmp_path_factory):
    """The docker client, building with BuildKit where the engine has it; or a skip saying why no engine answers.

    BuildKit is what Docker Desktop, GitHub's runners and Codespaces build with: it builds only the stages
    the target needs, so the Dockerfile's dev-container stage stays out of a production build. A client
    without buildx (the sandbox's) gets it with DOCKER_BUILDKIT=1 if its engine supports it; commands the
    tests start (tasks included) then find that client first on PATH.
    """
    docker = shutil.which("docker")
    if not docker:
        pytest.skip("no docker client on PATH, so no Docker engine to build with (.ci/run starts one)")
    info = subprocess.run([docker, "info"], check=False, capture_output=True, text=True)
    if info.returncode:
        pytest.skip(f"no Docker engine answers (`docker info` failed: {info.stderr.strip()[-200:]})")
    if subprocess.run([docker, "buildx", "version"], capture_output=True).returncode == 0:
        return docker
    probe = f"FROM python:{DEFAULT_PYTHON}-slim\n"
    for client in dict.fromkeys(Path(c).resolve() for c in (docker, "/usr/bin/docker") if Path(c).is_file()):
        built = subprocess.run([client, "build", "--quiet", "-"], input=probe, capture_output=True, text=True,
                               env={**os.environ, "DOCKER_BUILDKIT": "1"})  # fmt: skip
        if built.returncode == 0:
            first = tmp_path_factory.mktemp("docker-client")
            (first / "docker").symlink_to(client)
            os.environ["PATH"] = f"{first}{os.pathsep}{os.environ['PATH']}"
            os.environ["DOCKER_BUILDKIT"] = "1"
            return str(first / "docker")
    return docker  # the legacy builder: slower (it builds every stage), still a real build


class BakedVenv:
    """A fresh venv holding exactly a baked project's two locks, installed with --require-hashes."""

    def __init__(self, path, python_version):
        self.path = Path(path)
        self.python = self.path / "bin" / "python"
        self.python_version = python_version

    def invoke(self, project, *args, check=True, **kwargs):
        return invoke(project, *args, python=self.python, check=check, **kwargs)


@pytest.fixture(scope="session")
def baked_venv(tmp_path_factory):
    """Factory: baked_venv(lock_tool, python_version) -> BakedVenv, built once per run and shared by workers."""
    shared = tmp_path_factory.getbasetemp().parent  # the same directory for every xdist worker

    def make(lock_tool, python_version):
        locks = [shipped_lock(lock_tool, python_version, n) for n in ("requirements.txt", "requirements-dev.txt")]
        # Named by the locks' content too: without xdist the base directory outlives the run, and a venv of
        # older locks must never stand in for the current ones.
        digest = hashlib.sha256(b"".join(lock.read_bytes() for lock in locks)).hexdigest()[:12]
        where = shared / f"venv-{lock_tool}-{python_version}-{digest}"
        venv = BakedVenv(where / "venv", python_version)
        with exclusive(shared / f"venv-{lock_tool}-{python_version}-{digest}.lock"):
            if not (where / "installed").exists():
                python = python_for(python_version)
                where.mkdir(exist_ok=True)
                run([python, "-m", "venv", "--clear", venv.path], cwd=where)
                run([venv.python, "-m", "pip", "install", "--quiet", "--require-hashes", "-r", locks[0], "-r", locks[1]],
                    cwd=where)  # fmt: skip
                (where / "installed").touch()
        return venv

    return make


@pytest.fixture(scope="session")
def registry(docker, tmp_path_factory):
    """A local registry on 127.0.0.1 holding the stand-in python:3.12-slim; yields its host:port."""
    if not REGISTRY.exists():
        pytest.skip(f"{REGISTRY} is missing (Debian's docker-registry package; .ci/run installs it)")
    base = f"python:{DEFAULT_PYTHON}-slim"
    if subprocess.run([docker, "image", "inspect", base], capture_output=True).returncode:
        pytest.skip(f"{base} is not in the local engine and cannot be pulled here")
    where = tmp_path_factory.mktemp("registry")
    port = free_port()
    (where / "config.yml").write_text(
        f"version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n    rootdirectory: {where / 'data'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
    )
    server = subprocess.Popen(
        [REGISTRY, "serve", where / "config.yml"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    host = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://{host}/v2/", timeout=2).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the local registry did not start"
                time.sleep(0.2)
        run([docker, "tag", base, f"{host}/python:{DEFAULT_PYTHON}-slim"], cwd=where)
        run([docker, "push", "--quiet", f"{host}/python:{DEFAULT_PYTHON}-slim"], cwd=where)
        yield host
    finally:
        server.terminate()
        server.wait(timeout=30)
        subprocess.run([docker, "rmi", f"{host}/python:{DEFAULT_PYTHON}-slim"], capture_output=True)
