"""Python 3.14 on a machine without a CPython 3.14: everything that needs its interpreter runs in python:3.14-slim.

For both engines, a project baked with python_version=3.14: its locks install there with hashes
required and exactly (pip check, nothing missing or extra), its app tests and lint pass there, its
image builds from the lock and turns healthy, and `invoke lock --check` passes from a venv of the
default minor (uv resolves for 3.14 without a 3.14 interpreter; the pip-tools tasks compile in
python:3.14-slim themselves). The pip-tools project's image is built and run by tests/test_docker.py,
whose `image` fixture covers every offered version; this module builds the uv project's.
Where python3.14 is on PATH (GitHub's runner), test_lock.py runs 3.14 natively as well.
"""

import os
import re
import subprocess

import pytest
from helpers import DEFAULT_PYTHON, LOCK_FILES, LOCK_TOOLS, bake, echoed_docker_run, exclusive, lockfile, run
from packaging.requirements import Requirement
from test_docker import Container, build, remove_images, unique_tag

pytestmark = [pytest.mark.slow, pytest.mark.docker]

VERSION = "3.14"
IMAGE = f"python:{VERSION}-slim"


@pytest.fixture(scope="module")
def python_image(docker):
    if subprocess.run([docker, "image", "inspect", IMAGE], capture_output=True).returncode:
        pytest.skip(f"{IMAGE} is not in the local Docker engine and cannot be pulled here")
    return IMAGE


@pytest.fixture(scope="module")
def pip_cache(tmp_path_factory):
    """A pip cache the containers of this run share (the two engines' locks pin mostly the same files)."""
    cache = tmp_path_factory.getbasetemp().parent / f"pip-cache-{VERSION}"
    cache.mkdir(exist_ok=True)
    return cache


def for_this_container(pin):
    """Whether a pin's environment marker (a universal lock has `; sys_platform == 'win32'` ones) holds in the image."""
    marker = Requirement(pin.text.splitlines()[0].rstrip(" \\")).marker
    linux_314 = {"python_version": VERSION, "python_full_version": f"{VERSION}.0", "sys_platform": "linux",
                 "platform_system": "Linux", "platform_machine": "x86_64", "os_name": "posix"}  # fmt: skip
    return marker is None or marker.evaluate(linux_314)


def in_container(docker, image, project, script, pip_cache):
    """Run `script` (sh) in `image` as this user, the project mounted at /project; return the CompletedProcess."""
    argv = [docker, "run", "--rm", "--platform=linux/amd64", f"--user={os.getuid()}:{os.getgid()}",
            "--env=HOME=/tmp", "--env=PIP_DISABLE_PIP_VERSION_CHECK=1", "--env=PIP_CACHE_DIR=/pip-cache",
            f"--volume={pip_cache}:/pip-cache", f"--volume={project}:/project", "--workdir=/project",
            image, "sh", "-c", script]  # fmt: skip
    return run(argv, cwd=project)


@pytest.mark.parametrize("lock_tool", LOCK_TOOLS)
def test_locks_install_exactly_with_hashes_and_the_app_tests_pass_in_python_3_14(
    lock_tool, docker, python_image, pip_cache, tmp_path
):
    """The README's path in python:3.14-slim: a venv, both locks with --require-hashes, pip check, test, lint."""
    project = bake(tmp_path, lock_tool=lock_tool, python_version=VERSION)
    script = " && ".join([
        "python -m venv /tmp/venv", ". /tmp/venv/bin/activate",
        "python -c 'import sys; print(\"python\", *sys.version_info[:2])'",
        "python -m pip install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt",
        "python -m pip check", "echo FREEZE && python -m pip freeze --all && echo END",
        "python -m pytest -p no:cacheprovider", "python -m invoke lint",
    ])  # fmt: skip
    with exclusive(pip_cache.with_suffix(".lock")):  # one writer of the shared cache at a time
        result = in_container(docker, python_image, project, script, pip_cache)
    assert "python 3 14\n" in result.stdout
    assert re.search(r"\b5 passed\b", result.stdout), result.stdout[-3000:]  # the example (4) and its one page

    frozen = result.stdout.split("FREEZE\n", 1)[1].split("END\n", 1)[0]
    installed = lockfile.versions(frozen)
    locked = {}
    for lock in LOCK_FILES:
        pins = lockfile.parse((project / lock).read_text())
        locked |= {name: pin.version for name, pin in pins.items() if for_this_container(pin)}
    assert {name: installed.get(name) for name in locked} == locked, "a locked pin is missing or another version"
    assert set(installed) - set(locked) <= {"pip"}, f"installed but not locked: {set(installed) - set(locked)}"


@pytest.mark.parametrize("lock_tool", LOCK_TOOLS)
def test_lock_check_passes_from_a_venv_of_another_minor(lock_tool, docker, python_image, baked_venv, tmp_path):
    """From a 3.12 venv: uv compiles for 3.14 on the host; pip-tools compiles in python:3.14-slim; both match the lock."""
    project = bake(tmp_path, lock_tool=lock_tool, python_version=VERSION)
    host = baked_venv(lock_tool, DEFAULT_PYTHON)
    check = host.invoke(project, "lock", "--check")
    assert "ok: requirements.txt and requirements-dev.txt are exactly what `invoke lock` writes" in check.stdout
    if lock_tool == "pip-tools":
        assert f"compiling in {IMAGE}" in check.stdout and echoed_docker_run(check.stdout), check.stdout
    else:
        assert "docker run" not in check.stdout, check.stdout
    assert not list(project.glob(".pip-tools*")) and not list(project.glob("*.new"))


def test_the_uv_project_image_builds_from_its_lock_and_turns_healthy(docker, python_image, tmp_path):
    """The image of a uv-locked 3.14 project: built on python:3.14-slim, healthy, serving the app on Python 3.14."""
    project = bake(tmp_path, lock_tool="uv", python_version=VERSION)
    tag = unique_tag("uv-314")
    try:
        build(docker, project, tag, VERSION)
        app = Container(docker, tag)
        try:
            app.wait_healthy()
            assert app.get("/")[0] == 200
            version = app.exec("python", "-c", "import sys; print('%d.%d' % sys.version_info[:2])").stdout
            assert version == f"{VERSION}\n"
        finally:
            app.remove()
    finally:
        remove_images(docker, tag)
