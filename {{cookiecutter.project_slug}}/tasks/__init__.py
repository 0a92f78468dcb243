"""The project's tasks, in the order you use them (`invoke --list`; `invoke --help TASK` for options).

    invoke sync              make the venv hold exactly the locked pins
    invoke run | test | lint the app, its tests, its style
    invoke lock [--check]    compile requirements*.in into the hash-pinned locks (or prove them current)
    invoke upgrade           move pins to releases at least 7 days old (--cooldown-days) and print what changed
    invoke python 3.13       move the project to another Python minor: .python-version, locks, Dockerfile
    invoke audit             known vulnerabilities in the pinned set
    invoke sbom              a CycloneDX SBOM of requirements.txt (sbom.cdx.json)
    invoke pin-base-image    pin the Dockerfile's base image by digest
    invoke docker-build | docker-run | docker-smoke   the production image
    invoke cloud-smoke       install requirements.txt as Community Cloud does, start the app, run it once

Each task prints the command it runs. Settings live in pyproject.toml's [tool.pinned-streamlit] table:
the main file, the platforms the locks must install on, the packages that may build from source.
Behind the tasks: project.py (what the project's files say), locks.py (reading locks and .in files),
engines.py (pip-tools and uv, compiling), platforms.py, index.py (the package index), container.py, cloud.py.
"""

import difflib
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from invoke import Collection, Exit, task
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import InvalidName, canonicalize_name

from . import cloud, container, engines, locks, platforms, project
from .project import main_file, python_version, read_locks, run, running_minor, settings, write_files

SUPPORTED_MINORS = ("3.11", "3.12", "3.13", "3.14")  # what the template's locks, images and CI are tested on


@task
def sync(c):
    """Make the active venv hold exactly the pins of both locks (hashes checked)."""
    version = python_version()
    if sys.prefix == sys.base_prefix or running_minor() != version:
        now = (
            "no virtual environment is active" if sys.prefix == sys.base_prefix else f"this venv runs {running_minor()}"
        )
        raise Exit(
            f"error: {now} but .python-version says {version}; make one with `python{version} -m venv .venv`, "
            "activate it, and install the dev lock into it (`python -m pip install --require-hashes -r "
            "requirements-dev.txt`)"
        )
    argv = engines.engine().sync_argv(sys.executable)
    project.venv_tool(argv[0])  # a venv without it is told how to install it
    run(c, argv)


@task(name="run")
def run_app(c):
    """Start the app (main-file in pyproject.toml) on http://localhost:8501."""
    run(c, ["python", "-m", "streamlit", "run", main_file()])


@task
def test(c):
    """Run the app's tests: every page runs (tests/test_pages.py), and the example's own tests while it is there."""
    run(c, ["python", "-m", "pytest"])


@task
def lint(c):
    """Check style and common bugs with ruff."""
    run(c, ["ruff", "check", "."])
    run(c, ["ruff", "format", "--check", "."])


def judged(c, new, env, version=None, files=True):
    """The platform refusals of `new` locks, then (with `files`) what disagrees with .python-version or main-file."""
    version = version or python_version()
    problems = locks.missing_streamlit() + platforms.judge(c, new, version, env, settings())
    return problems + (container.disagreements(version) if files else [])


@task(
    help={
        "check": "change nothing; fail with a diff if the locks are not what `invoke lock` would write",
        "docker": "compile inside python:X.Y-slim (pip-tools only; automatic when this host is not the target)",
    }
)
def lock(c, check=False, docker=False):
    """Compile requirements*.in into hash-pinned requirements*.txt, keeping existing pins."""
    env = engines.engine().environment(c)
    if not check:
        new = engines.compile_locks(c, use_docker=docker)
        platforms.report(judged(c, new, env, files=False), settings())
        write_files(new)
        for line in container.disagreements(python_version()):  # what `lock --check` (CI) will refuse
            print(line.replace("error:", "warning:", 1))
        return
    # The committed locks pass only if a fresh compile gives the same bytes and every platform installs them:
    # judge the platforms while the compile runs, since neither needs the other's answer.
    with ThreadPoolExecutor(max_workers=1) as pool:
        problems = pool.submit(judged, c, read_locks(), env)
        new = engines.compile_locks(c, use_docker=docker)
    committed = read_locks(names=new)
    stale = [name for name in new if committed[name] != new[name]]
    for name in stale:
        old_lines, new_lines = committed[name].splitlines(True), new[name].splitlines(True)
        sys.stdout.writelines(
            difflib.unified_diff(old_lines, new_lines, f"{name} (committed)", f"{name} (fresh compile)")
        )
    if stale:
        raise Exit("error: the locks do not match the .in files and .python-version; run `invoke lock` and commit")
    platforms.report(problems.result(), settings())
    print(f"ok: {', '.join([*new][:-1])} and {[*new][-1]} are exactly what `invoke lock` writes")


def require_bare_name(name):
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
            f"write it in requirements.in ({example}) and run `invoke lock`"
        ) from None


@task(
    iterable=["package"],
    help={
        "package": "upgrade only this package (repeatable); default: everything",
        "summary": "also write the change table (Markdown) to this file",
        "cooldown_days": "take only releases public for at least this many days (default: 7; 0 for an urgent fix)",
    },
)
def upgrade(c, package=None, summary=None, cooldown_days=7):
    """Move pins to the newest allowed versions (all, or only --package NAME) and print what changed."""
    old = read_locks()
    for name in package or ():
        require_bare_name(name)
    locked = {name for text in old.values() for name in locks.versions(text)}
    if unknown := [name for name in package or () if canonicalize_name(name) not in locked]:
        raise Exit(
            f"error: {', '.join(unknown)} is not pinned in either lock; add it to requirements.in "
            "(or requirements-dev.in) and run `invoke lock`"
        )
    if cooldown_days < 0:
        raise Exit(f"error: --cooldown-days must be 0 or more, not {cooldown_days}; 0 takes releases of any age")
    new, applied = engines.upgrade_locks(c, old, cooldown_days, packages=package or ())
    platforms.report(judged(c, new, engines.engine().environment(c), files=False), settings())
    report = applied + "\n" + locks.change_table(old, new)
    if summary:  # before the locks, so a path that cannot be written leaves them as they were
        try:
            Path(summary).write_text(report)
        except OSError as error:
            raise Exit(
                f"error: could not write --summary {summary} ({error.strerror}); the locks are unchanged"
            ) from None
    write_files(new)
    print(report)


@task(name="python", help={"minor": "the Python minor to move to, such as 3.13"})
def move_python(c, minor):
    """Move the project to another Python minor: .python-version, both locks, the Dockerfile's base; then check."""
    old = python_version()
    if minor not in SUPPORTED_MINORS:
        raise Exit(f"error: Python {minor!r} is not one this template supports ({', '.join(SUPPORTED_MINORS)}); "
                   "nothing was changed")  # fmt: skip
    if minor == old:
        return print(f"Python {old} already: nothing to move")
    if problems := container.disagreements(old, base=False):  # what the closing check would refuse after the move
        project.refuse(problems, "nothing was changed")
    base = container.dockerfile_arg(container.BASE)
    new_base = container.base_for(minor, base)
    if "@sha256:" in base:  # pinned stays pinned: resolve the new tag's digest now, before anything is written
        container.require_docker(c)
        new_base = container.resolve(c, new_base)
    new = engines.compile_locks(c, version=minor)  # keeps every pin that still resolves on the new minor
    platforms.report(judged(c, new, engines.engine().environment(c), minor, files=False), settings())
    dockerfile = container.with_arg(container.BASE, new_base)
    changed = write_files({".python-version": minor + "\n", **new, "Dockerfile": dockerfile}, what="the files")
    print(f"Python {old} -> {minor}: {', '.join(changed)} changed; the base image is now {new_base}")
    print(f"Re-test: recreate your venv (`python{minor} -m venv .venv`), `invoke sync`, `invoke test`, "
          "`invoke docker-build`; in Community Cloud, choose the same Python in the app's settings (redeploy).")  # fmt: skip
    lock(c, check=True)


@task
def audit(c):
    """Look up every pinned version in the locks (the build lock too, if any) for known vulnerabilities."""
    files = [name for name, text in read_locks().items() if text]  # the build lock too, while there is one
    run(c, ["pip-audit", "--strict", "--require-hashes", "--disable-pip", *(a for f in files for a in ("-r", f))])


@task(name="sbom", help={"output": f"where to write it (default: {container.SBOM})"})
def write_sbom(c, output=container.SBOM):
    """Write a CycloneDX JSON SBOM of requirements.txt: every pin with its version and hashes, schema-checked."""
    container.write_sbom(c, output)


@task(help={"image": "resolve this reference instead, e.g. a mirror (default: the Dockerfile's, on .python-version)"})
def pin_base_image(c, image=None):
    """Pin the Dockerfile's base image by the digest your Docker engine resolves now, and print the change."""
    container.require_docker(c)
    old = container.dockerfile_arg(container.BASE)
    pinned = container.resolve(c, image or container.base_for(python_version(), old))
    write_files({"Dockerfile": container.with_arg(container.BASE, pinned)}, what="the Dockerfile")
    print(f"base image: {old} -> {pinned}" if old != pinned else f"base image: {pinned} (unchanged)")


@task(
    help={"tag": f"name:tag of the image (default: {container.IMAGE})", "base_image": "another base, e.g. a mirror's"}
)
def docker_build(c, tag=container.IMAGE, base_image=None):
    """Build the production image from requirements.txt alone (hashes checked, no dev tools)."""
    container.require_docker(c)
    if problems := container.disagreements(python_version()):
        raise Exit("\n".join(problems))
    if not base_image and (unpinned := container.unpinned_warning()):
        print(unpinned, flush=True)
    container.write_sbom(c, required=False)  # the image carries it (/app/sbom.cdx.json)
    run(c, ["docker", "build", *([f"--build-arg=BASE_IMAGE={base_image}"] * bool(base_image)), f"--tag={tag}", "."])


@task(
    help={
        "tag": f"image to run (default: {container.IMAGE})",
        "port": "port on 127.0.0.1 (default: 8501)",
        "secrets": "secrets.toml to mount read-only, if it exists (default: .streamlit/secrets.toml)",
    }
)
def docker_run(c, tag=container.IMAGE, port=8501, secrets=".streamlit/secrets.toml"):
    """Run the image on http://localhost:8501 as production does (read-only; secrets and cookie secret passed)."""
    container.require_docker(c)
    print(f"The app will be on http://localhost:{port}; Ctrl-C stops it.", flush=True)
    run(c, container.run_argv(tag, port, secrets, "--rm"))


@task(help={"tag": f"image to test (default: {container.IMAGE})", "port": "port on 127.0.0.1 (default: a free one)"})
def docker_smoke(c, tag=container.IMAGE, port=0, timeout=90):
    """Start the image, wait until Docker says healthy and /_stcore/health says ok, then remove it."""
    container.require_docker(c)
    port = port or container.free_port()
    name = f"{container.IMAGE.split(':')[0]}-smoke-{os.getpid()}"
    run(c, container.run_argv(tag, port, None, "--detach", f"--name={name}"))
    try:
        container.wait_until_healthy(c, name, port, timeout)
        print(f"ok: {tag} is healthy and http://127.0.0.1:{port}/_stcore/health answers ok")
    finally:
        run(c, ["docker", "rm", "--force", name], quiet=True, check=False)


@task(help={"python": "the Python chosen in Cloud's deploy dialog: a minor such as 3.13, or an interpreter's path"})
def cloud_smoke(c, python=None, timeout=90):
    """Install requirements.txt as Community Cloud does (uv, fresh venv, repository root), start the app, run it."""
    cloud.smoke(c, main_file(), python or python_version(), python_version(), timeout)


namespace = Collection(
    sync, run_app, test, lint, lock, upgrade, move_python, audit, write_sbom, pin_base_image,
    docker_build, docker_run, docker_smoke, cloud_smoke,
)  # fmt: skip
namespace.configure({"run": {"echo_format": "+ {command}"}})
