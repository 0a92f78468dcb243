"""The project's tasks, in the order you use them (`invoke --list`; `invoke --help TASK` for options).

    invoke sync              make the venv hold exactly the locked pins
    invoke run | test | lint the app, its tests, its style
    invoke lock [--check]    compile requirements*.in into the hash-pinned locks (or prove them current)
    invoke upgrade           move pins to releases at least 7 days old (--cooldown-days) and print what changed
    invoke audit             known vulnerabilities in the pinned set
    invoke sbom              a CycloneDX SBOM of requirements.txt (sbom.cdx.json)
    invoke pin-base-image    pin the Dockerfile's base image by digest
    invoke docker-build | docker-run | docker-smoke   the production image
    invoke cloud-smoke       install requirements.txt as Community Cloud does, start the app, check its health

Each task prints the command it runs. The lock machinery is in the modules beside this file:
project.py (what the project's files say), lockfile.py (reading locks), compiling.py (making
them) and container.py (the image).
"""

import difflib
import os
import shlex
import sys
import sysconfig
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from invoke import Collection, Exit, task
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import InvalidName, canonicalize_name

from . import base_image as base_image_module
from . import cloud, compiling, container, cooldown, lockfile, platforms, sbom, sources
from .project import LOCK_FILES, lock_engine, python_version, read_locks

# Commands run with the venv's own tools first on PATH, so they work without activating it.
VENV = {"PATH": os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")])}


def require_venv_with_target_python():
    version = python_version()
    if sys.prefix == sys.base_prefix:
        raise Exit(
            f"error: no virtual environment is active; create one with `python{version} -m venv .venv` and activate it",
            1,
        )
    if compiling.running_minor() != version:
        raise Exit(
            f"error: this venv runs Python {compiling.running_minor()} but .python-version says {version}; "
            f"recreate it with `python{version} -m venv .venv`",
            1,
        )


@task
def sync(c):
    """Make the active venv hold exactly the pins of both locks (hashes checked)."""
    require_venv_with_target_python()
    files = " ".join(LOCK_FILES)
    if lock_engine() == "uv":
        c.run(f"uv pip sync --require-hashes --python {shlex.quote(sys.executable)} {files}", echo=True, env=VENV)
    else:
        c.run(f"pip-sync --python-executable {shlex.quote(sys.executable)} {files}", echo=True, env=VENV)


@task
def run(c):
    """Start the app on http://localhost:8501."""
    c.run("python -m streamlit run streamlit_app.py", echo=True, env=VENV)


@task
def test(c):
    """Run the app's tests (Streamlit AppTest)."""
    c.run("python -m pytest", echo=True, env=VENV)


@task
def lint(c):
    """Check style and common bugs with ruff."""
    c.run("ruff check .", echo=True, env=VENV)
    c.run("ruff format --check .", echo=True, env=VENV)


@task(
    help={
        "check": "change nothing; fail with a diff if the locks are not what `invoke lock` would write",
        "docker": "compile inside python:X.Y-slim (pip-tools only; automatic when this host is not the target)",
    }
)
def lock(c, check=False, docker=False):
    """Compile requirements*.in into hash-pinned requirements*.txt, keeping existing pins."""
    where_from = sources.compile_environment(lock_engine())
    if not check:
        new = compiling.compile_locks(use_docker=docker)
        platforms.require_every_platform(new, python_version(), where_from)
        compiling.write_locks(new)
        return
    # The committed locks pass only if a fresh compile gives the same bytes and every platform installs them:
    # judge the platforms while the compile runs, since neither needs the other's answer.
    with ThreadPoolExecutor(max_workers=1) as pool:
        judged = pool.submit(platforms.judge, read_locks(), python_version(), where_from)
        new = compiling.compile_locks(use_docker=docker)
        problems = judged.result()
    stale = False
    for name, text in read_locks().items():
        if text != new[name]:
            stale = True
            diff = difflib.unified_diff(
                text.splitlines(True), new[name].splitlines(True), f"{name} (committed)", f"{name} (fresh compile)"
            )
            sys.stdout.writelines(diff)
    if stale:
        raise Exit("error: the locks do not match the .in files and .python-version; run `invoke lock` and commit", 1)
    platforms.report(problems)
    print("ok: requirements.txt and requirements-dev.txt are exactly what `invoke lock` writes")


def _require_bare_name(name):
    """`--package` names a package; a version or range belongs in requirements.in."""
    try:
        canonicalize_name(name, validate=True)
    except InvalidName:
        try:
            bare, example = Requirement(name).name, name
        except InvalidRequirement:
            bare, example = "altair", "altair==1.2.3"
        raise Exit(
            f"error: --package takes a bare package name such as {bare}, not {name!r}; to move to a chosen version, "
            f"write it in requirements.in ({example}) and run `invoke lock`",
            1,
        ) from None


@task(
    iterable=["package"],
    help={
        "package": "upgrade only this package (repeatable); default: everything",
        "summary": "also write the change table (Markdown) to this file",
        "cooldown_days": "take only releases public for at least this many days (default: 7; 0 for an urgent fix)",
    },
)
def upgrade(c, package=None, summary=None, cooldown_days=cooldown.DEFAULT_DAYS):
    """Move pins to the newest allowed versions (all, or only --package NAME) and print what changed."""
    old = read_locks()
    locked = {name for text in old.values() for name in lockfile.versions(text)}
    for name in package or ():
        _require_bare_name(name)
    unknown = [name for name in package or () if canonicalize_name(name) not in locked]
    if unknown:
        raise Exit(
            f"error: {', '.join(unknown)} is not pinned in either lock; add it to requirements.in "
            "(or requirements-dev.in) and run `invoke lock`",
            1,
        )
    if cooldown_days < 0:
        raise Exit(f"error: --cooldown-days must be 0 or more, not {cooldown_days}; 0 takes releases of any age", 1)
    new, applied = cooldown.upgrade_locks(
        old, lock_engine(), cooldown_days, upgrade=not package, packages=package or ()
    )
    platforms.require_every_platform(new, python_version(), sources.compile_environment(lock_engine()))
    compiling.write_locks(new)
    report = applied + "\n" + lockfile.change_table(old, new)
    print(report)
    if summary:
        Path(summary).write_text(report)


@task
def audit(c):
    """Look up every pinned version in both locks for known vulnerabilities."""
    c.run(
        "pip-audit --strict --require-hashes --disable-pip -r requirements.txt -r requirements-dev.txt",
        echo=True,
        env=VENV,
    )


@task(
    help={
        "tag": f"name:tag of the image (default: {container.IMAGE})",
        "base_image": "base image, e.g. pinned by digest: python:X.Y-slim@sha256:<digest>",
    }
)
def docker_build(c, tag=container.IMAGE, base_image=None):
    """Build the production image from requirements.txt alone (hashes checked, no dev tools)."""
    container.require_docker()
    if not base_image and (unpinned := base_image_module.unpinned_warning()):
        print(unpinned, flush=True)
    sbom.write(required=False)  # the image carries it (/app/sbom.cdx.json)
    base = f" --build-arg=BASE_IMAGE={shlex.quote(base_image)}" if base_image else ""
    c.run(f"docker build --build-arg=PYTHON_VERSION={python_version()}{base} --tag={shlex.quote(tag)} .", echo=True)


@task(
    help={
        "tag": f"image to run (default: {container.IMAGE})",
        "port": "port on 127.0.0.1 (default: 8501)",
        "secrets": "secrets.toml to mount read-only, if it exists (default: .streamlit/secrets.toml)",
    }
)
def docker_run(c, tag=container.IMAGE, port=8501, secrets=".streamlit/secrets.toml"):
    """Run the image on http://localhost:8501 as it runs in production (read-only, secrets mounted)."""
    container.require_docker()
    print(f"The app will be on http://localhost:{port}; Ctrl-C stops it.", flush=True)
    c.run(shlex.join(container.run_argv(tag, port, secrets, "--rm")), echo=True)


@task(
    help={
        "tag": f"image to test (default: {container.IMAGE})",
        "port": "port on 127.0.0.1 (default: a free one)",
        "timeout": "seconds to wait for healthy (default: 90)",
    }
)
def docker_smoke(c, tag=container.IMAGE, port=0, timeout=90):
    """Start the image, wait until Docker says healthy and /_stcore/health says ok, then remove it."""
    container.require_docker()
    port = port or container.free_port()
    name = f"{container.IMAGE.split(':')[0]}-smoke-{os.getpid()}"
    c.run(shlex.join(container.run_argv(tag, port, None, "--detach", f"--name={name}")), echo=True)
    try:
        container.wait_until_healthy(name, port, timeout)
        print(f"ok: {tag} is healthy and http://127.0.0.1:{port}/_stcore/health answers ok")
    finally:
        c.run(f"docker rm --force {name}", hide=True, warn=True)


@task(
    help={
        "python": "the Python chosen in Cloud's deploy dialog: a minor such as 3.13, or an interpreter's path "
        "(default: .python-version)",
        "timeout": "seconds to wait for /_stcore/health (default: 90)",
    }
)
def cloud_smoke(c, python=None, timeout=90):
    """Install requirements.txt as Community Cloud does (uv, fresh venv, repository root), start the app, check health."""
    cloud.smoke(compiling.venv_tool("uv"), python or python_version(), python_version(), timeout)


@task(name="sbom", help={"output": f"where to write it (default: {sbom.OUTPUT})"})
def write_sbom(c, output=sbom.OUTPUT):
    """Write a CycloneDX JSON SBOM of requirements.txt: every pin with its version and hashes, schema-checked."""
    sbom.write(output)


@task(
    help={
        "image": "resolve this reference instead, e.g. a mirror: mirror.example/python:X.Y-slim (default: python:<.python-version>-slim)"
    }
)
def pin_base_image(c, image=None):
    """Pin the Dockerfile's base image by the digest your Docker engine resolves now, and print the change."""
    container.require_docker()
    pinned = base_image_module.resolve(image or base_image_module.default_reference())
    old = base_image_module.write(pinned)
    print(f"base image: {old} -> {pinned}" if old != pinned else f"base image: {pinned} (unchanged)")


namespace = Collection(
    sync,
    run,
    test,
    lint,
    lock,
    upgrade,
    audit,
    write_sbom,
    pin_base_image,
    docker_build,
    docker_run,
    docker_smoke,
    cloud_smoke,
)
namespace.configure({"run": {"echo_format": "+ {command}"}})
