"""Helpers the tests share (imported as `helpers`; fixtures live in conftest.py)."""

import contextlib
import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "{{cookiecutter.project_slug}}"
sys.path.insert(0, str(ROOT / "scripts"))
from devenv import LOCAL_SOURCE, LOCK_FILES, PYTHON_VERSIONS, bake, find_python, public_index_env  # noqa: E402, F401

LOCK_TOOLS = ("pip-tools", "uv")
DEFAULT_PYTHON = "3.12"
# Where no Docker engine can answer: the tasks must say so, or take the path that needs none.
# Debian's docker-registry package: a local registry for the base-image tests (.ci/run installs it).
REGISTRY = Path("/usr/bin/docker-registry")
NO_DOCKER_ENV = {**os.environ, "DOCKER_HOST": "unix:///nonexistent/docker.sock"}
# The devcontainer CLI (npm, tests/tools/package-lock.json; .ci/run installs it).
DEVCONTAINER_CLI = ROOT / "tests" / "tools" / "node_modules" / ".bin" / "devcontainer"


def _import_baked_tasks():
    """The baked `tasks` package (plain Python, no Jinja), imported from the template directory itself."""
    sys.path.insert(0, str(TEMPLATE))
    try:
        import tasks  # its __init__ imports every module of the package
    finally:
        sys.path.remove(str(TEMPLATE))
    return tasks


# The one import of the baked tasks, and the one lock reader: the tasks' own (tasks/locks.py).
baked_tasks = _import_baked_tasks()
lockfile = baked_tasks.locks


def shipped_lock(lock_tool, python_version, name="requirements.txt"):
    return TEMPLATE / "_locks" / lock_tool / python_version / name


# Minors a machine may lack (no CPython 3.14 here), and the module that runs their installs, app tests,
# pip-tools compile, image and lock check in the python:X.Y-slim image instead of a host venv.
IN_CONTAINER = {"3.14": "tests/test_python314.py"}


def python_for(version):
    python = find_python(version)
    if python is None:
        if version in IN_CONTAINER:
            pytest.skip(
                f"no python{version} on this machine to make a venv with; {IN_CONTAINER[version]} covers {version} in "
                f"python:{version}-slim: both locks installed with hashes, pip check, the app's tests, the image "
                "and `invoke lock --check`"
            )
        pytest.skip(f"no python{version} on this machine (install it, or run through .ci/run)")
    return python


def run(argv, cwd, check=True, **kwargs):
    """Run a command; on unexpected failure show its whole output in the assertion."""
    result = subprocess.run([str(a) for a in argv], cwd=cwd, capture_output=True, text=True, **kwargs)
    if check and result.returncode:
        raise AssertionError(f"{argv} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def invoke(project, *args, python=sys.executable, prefix=(), check=False, **kwargs):
    """The one way the tests run a task: `python -m invoke ARGS` in `project` (default: the template's venv, which
    has invoke and packaging); unchecked unless `check`. `kwargs` (env, timeout) go to subprocess.run."""
    return run([*prefix, python, "-m", "invoke", *args], cwd=project, check=check, **kwargs)


def digest(project):
    """{file: sha256} of everything in the project except the tasks' bytecode: what `nothing lost` means."""
    return {
        str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(project.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def assert_one_error_line(result, *expected):
    """Exit non-zero, no traceback, and the last line of stderr is the one `error:` line holding `expected`."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: "), result.stderr
    for text in expected:
        assert text in last, last
    return last


def echoed_docker_run(stdout):
    """A task printed the `docker run` it ran (invoke echoes `+ cd DIR && docker run ...` when given a cwd)."""
    return any(line.startswith("+ ") and " docker run --rm " in line for line in stdout.splitlines())


def flip_hash(lock, package=None, last=False):
    """Change one hex digit of one hash in `lock` (of `package`'s block, else the first; its last hash if `last`).

    Returns the new bytes of the lock. The hash stays well-formed, so only a check against the index finds it.
    """
    text = lock.read_text()
    block = lockfile.parse(text)[package].text if package else text
    hashes = block.split("--hash=sha256:")[1:]
    target = (hashes[-1] if last else hashes[0])[:64]
    flipped = target[:-1] + ("0" if target[-1] != "0" else "1")
    new_block = block.replace(target, flipped, 1)
    lock.write_text(text.replace(block, new_block, 1))
    return lock.read_bytes()


@contextlib.contextmanager
def exclusive(path):
    """Hold an exclusive lock on `path`, shared by all xdist workers of this run."""
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def registry_digest(host, repository, tag):
    """The digest the registry itself serves for repository:tag (its Docker-Content-Digest header)."""
    accept = "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json"
    request = urllib.request.Request(
        f"http://{host}/v2/{repository}/manifests/{tag}", method="HEAD", headers={"Accept": accept}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["Docker-Content-Digest"]


def devcontainer_cli():
    """The devcontainer CLI's path, or a skip saying what is missing."""
    if not DEVCONTAINER_CLI.exists():
        pytest.skip(
            f"the devcontainer CLI is not installed at {DEVCONTAINER_CLI} (`npm ci --prefix tests/tools`, as .ci/run does)"
        )
    if not shutil.which("node"):
        pytest.skip("no node on PATH to run the devcontainer CLI")
    return DEVCONTAINER_CLI


class DevContainer:
    """A project's dev container through the real devcontainer CLI; `remove()` leaves nothing of it behind."""

    def __init__(self, docker, project):
        self.docker, self.project = docker, project
        self.client, self.env = docker, dict(os.environ)  # the fixture chose BuildKit where the engine has it

    def cli(self, command, *argv, check=True):
        argv = [DEVCONTAINER_CLI, command, f"--docker-path={self.client}", "--workspace-folder", self.project, *argv]
        return run(argv, cwd=self.project, check=check, env=self.env)

    def exec(self, *argv, check=True):
        return self.cli("exec", *argv, check=check)

    def remove(self):
        """Remove the containers the CLI started for this project and the images it built for it."""
        label = f"--filter=label=devcontainer.local_folder={self.project}"
        ids = run([self.docker, "ps", "--all", "--quiet", label], cwd=".").stdout.split()
        if ids:
            run([self.docker, "rm", "--force", *ids], cwd=".", check=False)
        listed = [self.docker, "images", "--format={{.Repository}}", f"--filter=reference=vsc-{self.project.name}-*"]
        images = sorted(set(run(listed, cwd=".").stdout.split()), key=len, reverse=True)  # vsc-...-uid first
        for image in images:  # the -uid image is built on the other: remove it first
            run([self.docker, "rmi", image], cwd=".", check=False)
        assert run([self.docker, "ps", "--all", "--quiet", label], cwd=".").stdout == "", "a dev container is left"


# A small pip-tools lock the unit tests of the lock reader and the engines share: odd name casing, a marker,
# a dev tool with its dependencies, and the "unsafe" section pip-compile writes.
PIP_TOOLS_LOCK = """\
#
# This file is autogenerated by pip-compile with Python 3.12
# by the following command:
#
#    pip-compile --allow-unsafe --generate-hashes --no-emit-index-url --output-file=requirements.txt requirements.in
#
Typing_Extensions==4.16.0 \\
    --hash=sha256:aaaa \\
    --hash=sha256:bbbb
    # via
    #   pydantic
    #   -r requirements.in
colorama==0.4.6 ; sys_platform == "win32" \\
    --hash=sha256:cccc
    # via click
pip-tools==7.6.2 \\
    --hash=sha256:dddd
    # via -r requirements-dev.in
build==1.3.0 \\
    --hash=sha256:eeee
    # via pip-tools
unrelated==1.0 \\
    --hash=sha256:ffff
    # via -r requirements-dev.in

# The following packages are considered to be unsafe in a requirements file:
pip==26.3 \\
    --hash=sha256:9999
    # via pip-tools
"""
