"""Every lock targets the deploy platform (Linux x86_64, the .python-version minor), whatever the host.

Streamlit needs watchdog everywhere but macOS, so a lock resolved for a Mac lacks it and a hash-mode
install on Linux fails. uv compiles one universal lock (markers say which pin is for whom) whose
Linux x86_64 pins are exactly a Linux compile's; pip-tools resolves for the interpreter it runs on,
so the tasks run it in the deploy image when the host does not match, or refuse.
"""

import shutil
import subprocess
import sys

import pytest
from helpers import DEFAULT_PYTHON, NO_DOCKER_ENV, bake, echoed_docker_run, flip_hash, run, shipped_lock
from helpers import LOCK_FILES as LOCKS


def body(lock_text):
    """A lock without its header comment (the header records the command, which differs by design)."""
    return "".join(line for line in lock_text.splitlines(keepends=True) if not line.startswith("#"))


def uv_compile(project, platform, output):
    argv = [sys.executable, "-m", "uv", "pip", "compile", "--quiet", "--no-config", "--generate-hashes",
            f"--python-version={DEFAULT_PYTHON}", f"--python-platform={platform}", f"--output-file={output}",
            "requirements.in"]  # fmt: skip
    run(argv, cwd=project)
    return (project / output).read_text()


@pytest.mark.slow
def test_uv_locks_for_linux_whatever_interpreter_runs_the_tasks(tmp_path, baked_venv, baked_tasks):
    """The uv lock pins what an explicit Linux compile pins, watchdog for all but macOS; a macOS compile lacks it."""
    project = bake(tmp_path, lock_tool="uv", python_version=DEFAULT_PYTHON)
    other_interpreter = baked_venv("uv", "3.11")  # not the project's minor: uv must not care
    other_interpreter.invoke(project, "lock", "--check")
    other_interpreter.invoke(project, "lock")
    written = (project / "requirements.txt").read_text()
    assert written == shipped_lock("uv", DEFAULT_PYTHON).read_text()

    linux = uv_compile(project, "x86_64-unknown-linux-gnu", "linux.txt")
    macos = uv_compile(project, "aarch64-apple-darwin", "macos.txt")
    assert baked_tasks.locks.versions(written) == baked_tasks.locks.versions(linux)
    assert "\nwatchdog==" in linux and "\nwatchdog==" not in macos
    watchdog = baked_tasks.locks.versions(linux)["watchdog"]
    assert f"\nwatchdog=={watchdog} ; sys_platform != 'darwin' \\\n" in written  # the universal lock says who gets it
    header = (
        f"uv pip compile --universal --python-version={DEFAULT_PYTHON} --generate-hashes --output-file=requirements.txt"
    )
    assert f"{header} requirements.in\n" in written


@pytest.mark.slow
def test_pip_tools_refuses_a_host_that_is_not_the_target_when_no_docker_answers(tmp_path, baked_venv):
    """Under another Python minor and without Docker, `invoke lock` refuses in one line and writes nothing."""
    project = bake(tmp_path, lock_tool="pip-tools", python_version=DEFAULT_PYTHON)
    tampered = flip_hash(project / "requirements.txt")
    wrong_minor = baked_venv("pip-tools", "3.11")
    result = wrong_minor.invoke(project, "lock", check=False, env=NO_DOCKER_ENV)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("error: pip-compile resolves for the interpreter"), result.stderr
    assert f"Python {DEFAULT_PYTHON}" in errors[0] and "invoke lock --docker" in errors[0]
    assert (project / "requirements.txt").read_bytes() == tampered
    assert "pip-compile" not in result.stdout  # nothing was compiled


@pytest.mark.docker
@pytest.mark.slow
def test_pip_tools_compiles_in_the_deploy_image_when_the_host_does_not_match(tmp_path, baked_venv, docker):
    """Under Python 3.11, a 3.12 project's lock is compiled in python:3.12-slim and equals the shipped lock."""
    image = f"python:{DEFAULT_PYTHON}-slim"
    if subprocess.run([docker, "image", "inspect", image], capture_output=True).returncode:
        pytest.skip(f"{image} is not available locally and cannot be pulled here")
    project = bake(tmp_path, lock_tool="pip-tools", python_version=DEFAULT_PYTHON)
    flip_hash(project / "requirements.txt")
    wrong_minor = baked_venv("pip-tools", "3.11")

    result = wrong_minor.invoke(project, "lock")
    assert f"compiling in {image}" in result.stdout
    assert echoed_docker_run(result.stdout), result.stdout
    for name in LOCKS:  # a 3.11 host compile would pin another numpy and say "with Python 3.11"
        assert (project / name).read_bytes() == shipped_lock("pip-tools", DEFAULT_PYTHON, name).read_bytes(), name
    assert not list(project.glob(".pip-tools*")) and not list(project.glob("*.new"))

    # The same bytes from the host path: a Python 3.12 venv on this Linux x86_64 host compiles the same project.
    on_host = tmp_path / "on-host"
    shutil.copytree(project, on_host)
    flip_hash(on_host / "requirements.txt")
    host = baked_venv("pip-tools", DEFAULT_PYTHON).invoke(on_host, "lock")
    assert "+ docker run" not in host.stdout and "compiling in" not in host.stdout
    for name in LOCKS:
        assert (on_host / name).read_bytes() == (project / name).read_bytes(), f"host and container disagree on {name}"
