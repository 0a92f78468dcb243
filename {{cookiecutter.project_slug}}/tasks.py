"""The lock workflow, one task per verb (`invoke --list` shows them).

requirements.in says what the app imports; `invoke lock` compiles it into
requirements.txt, which pins every package, transitive ones too, with the hash
of every file published for each pin. The dev tools get the same treatment
(requirements-dev.in -> requirements-dev.txt, constrained by requirements.txt).

Every lock targets the deploy platform: Linux x86_64 and the Python minor in
.python-version. Each task prints the exact command before it runs it.
"""

import difflib
import json
import os
import platform
import re
import shlex
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from pathlib import Path

from invoke import Exit, task

LOCK_TOOL = {{ cookiecutter.lock_tool | string_literal }}  # "pip-tools" or "uv"

ROOT = Path(__file__).resolve().parent
PYTHON_VERSION = (ROOT / ".python-version").read_text().strip()
# (input, lock) in compile order: the dev lock is constrained by the prod lock.
LOCKS = (("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt"))
# What a compile may read besides the lock pairs; copied into its scratch directory.
COMPILE_INPUTS = (".python-version", "uv.toml")
DOCKER_IMAGE = f"python:{PYTHON_VERSION}-slim"


def echo_and_run(argv, cwd=ROOT, shown=None, check=True):
    """Print the command, run it, and return its exit code (raising Exit when `check`)."""
    print(f"+ {shown or shlex.join(str(a) for a in argv)}", flush=True)
    code = subprocess.run([str(a) for a in argv], cwd=cwd).returncode
    if check and code:
        raise Exit(code=code)
    return code


def venv_tool(name):
    """A console script of the running environment, found even when the venv is not activated."""
    found = shutil.which(name, path=sysconfig.get_path("scripts")) or shutil.which(name)
    if not found:
        raise Exit(f"error: {name} is not installed here; run `invoke sync` in the project's venv first", 1)
    return found


def running_minor():
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def host_is_deploy_target():
    return sys.platform == "linux" and platform.machine() in ("x86_64", "AMD64")


def docker_answers():
    docker = shutil.which("docker")
    if not docker:
        return False
    return subprocess.run([docker, "info"], capture_output=True).returncode == 0


def uv_target_version():
    match = re.search(r'(?m)^python-version\s*=\s*"([^"]+)"', (ROOT / "uv.toml").read_text())
    return match.group(1) if match else None


def compile_argv(infile, outfile, upgrade, packages):
    """The compile command, exactly as the lock's header records it (plus flags headers omit)."""
    if LOCK_TOOL == "uv":
        argv = ["uv", "pip", "compile", "--quiet", "--generate-hashes", f"--output-file={outfile}", infile]
    else:
        argv = [
            "pip-compile",
            "--quiet",
            "--allow-unsafe",
            "--generate-hashes",
            "--no-emit-index-url",
            f"--output-file={outfile}",
            "--strip-extras",
            infile,
        ]
    if upgrade:
        argv.append("--upgrade")
    for name in packages:
        argv.append(f"--upgrade-package={name}")
    return argv


def how_to_compile(use_docker):
    """'host' or 'docker' for this machine, or Exit with the reason no correct lock can be made here."""
    if LOCK_TOOL == "uv":
        target = uv_target_version()
        if target != PYTHON_VERSION:
            raise Exit(
                f"error: uv.toml targets Python {target} but .python-version says {PYTHON_VERSION}; "
                f'set python-version = "{PYTHON_VERSION}" in uv.toml, then run `invoke lock`',
                1,
            )
        return "host"  # uv resolves for uv.toml's platform and version, whatever the host
    if use_docker:
        return "docker"
    if host_is_deploy_target() and running_minor() == PYTHON_VERSION:
        return "host"
    here = f"Python {running_minor()} on {sys.platform}/{platform.machine()}"
    if docker_answers():
        print(f"note: {here} is not the deploy target; compiling in {DOCKER_IMAGE}")
        return "docker"
    raise Exit(
        f"error: pip-compile resolves for the interpreter it runs on, and this is {here}, not Linux x86_64 with "
        f"Python {PYTHON_VERSION} (.python-version); run this in a python{PYTHON_VERSION} venv on Linux, "
        "or start Docker so `invoke lock --docker` can compile in the deploy image",
        1,
    )


def pip_tools_requirements():
    """The dev-lock entries pip-tools needs to run, with their hashes (for the container)."""
    blocks = lock_blocks((ROOT / "requirements-dev.txt").read_text())
    wanted, queue = set(), ["pip-tools"]
    while queue:
        name = queue.pop()
        if name in wanted or name not in blocks:
            continue
        wanted.add(name)
        queue.extend(other for other, block in blocks.items() if name in block["via"])
    return "".join(blocks[name]["text"] for name in sorted(wanted))


def docker_argv(scratch, argvs):
    """Compile in the deploy image: install pip-tools there by hash from the dev lock, then run each compile."""
    (Path(scratch) / ".pip-tools.txt").write_text(pip_tools_requirements())
    install = "python -m pip install --quiet --user --require-hashes --no-deps -r .pip-tools.txt"
    compiles = [shlex.join(["python", "-m", "piptools", "compile", *argv[1:]]) for argv in argvs]
    user = [f"--user={os.getuid()}:{os.getgid()}"] if hasattr(os, "getuid") else []
    return [
        "docker", "run", "--rm", "--platform=linux/amd64", *user, "--env=HOME=/tmp", "--env=PIP_DISABLE_PIP_VERSION_CHECK=1",
        f"--volume={scratch}:/lock", "--workdir=/lock", DOCKER_IMAGE, "sh", "-c", " && ".join([install, *compiles]),
    ]  # fmt: skip


def without_hashes(lock_text):
    """A lock's pins and comments without its hashes, so that no tampered or missing hash can survive a compile."""
    lines = [line for line in lock_text.splitlines() if not line.lstrip().startswith("--hash=")]
    return "".join(re.sub(r"\s*\\$", "", line) + "\n" for line in lines)


def compile_locks(upgrade=False, packages=(), use_docker=False):
    """Compile both locks in a scratch copy and return {lock name: new text}; the real locks are never touched."""
    where = how_to_compile(use_docker)
    scratch = tempfile.mkdtemp(prefix="lock-")
    try:
        for name in [*COMPILE_INPUTS, *(f for pair in LOCKS for f in pair)]:
            if (ROOT / name).exists():
                shutil.copy2(ROOT / name, Path(scratch) / name)
        for _, outfile in LOCKS:  # keep the pins, drop the hashes: every hash comes fresh from the index
            if (ROOT / outfile).exists():
                (Path(scratch) / outfile).write_text(without_hashes((ROOT / outfile).read_text()))
        argvs = [compile_argv(infile, outfile, upgrade, packages) for infile, outfile in LOCKS]
        if where == "docker":
            commands = [(docker_argv(scratch, argvs), None)]
        else:  # run the venv's own tool, but show the command as the lock's header records it
            commands = [([venv_tool(argv[0]), *argv[1:]], shlex.join(argv)) for argv in argvs]
        for argv, shown in commands:
            code = echo_and_run(argv, cwd=scratch, shown=shown, check=False)
            if code:
                tool = "uv pip compile" if LOCK_TOOL == "uv" else "pip-compile"
                raise Exit(f"error: {tool} failed (exit {code}), see its message above; the locks are unchanged", code)
        return {outfile: (Path(scratch) / outfile).read_text() for _, outfile in LOCKS}
    except KeyboardInterrupt:
        raise Exit("interrupted: the locks are unchanged", 130) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def write_locks(new):
    for name, text in new.items():
        path = ROOT / name
        if not path.exists() or path.read_text() != text:
            tmp = path.with_suffix(".txt.new")
            tmp.write_text(text)
            os.replace(tmp, path)  # atomic: a reader sees the old lock or the new, never half


PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def lock_blocks(text):
    """{normalized name: {"version", "via", "text"}} for each pin in a lock."""
    blocks, current = {}, None
    for line in text.splitlines(keepends=True):
        match = PIN.match(line)
        if match:
            name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            current = blocks[name] = {"version": match.group(2).split(";")[0], "via": set(), "text": ""}
        if current is None:
            continue
        current["text"] += line
        via = re.match(r"\s+#\s+(?:via\s+)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*$", line)
        if via:
            current["via"].add(re.sub(r"[-_.]+", "-", via.group(1)).lower())
    return blocks


def pins(text):
    return {name: block["version"] for name, block in lock_blocks(text).items()}


def change_table(old_text, new_text):
    """Markdown rows (package, old, new, change) for pins that differ between two locks."""
    old, new = pins(old_text), pins(new_text)
    rows = []
    for name in sorted(old.keys() | new.keys()):
        before, after = old.get(name), new.get(name)
        if before == after:
            continue
        change = "added" if before is None else "removed" if after is None else "changed"
        rows.append(f"| {name} | {before or ''} | {after or ''} | {change} |")
    return rows


def report_changes(old, new):
    """Print (and return) one Markdown table of pin changes per lock."""
    lines = []
    for name in old:
        rows = change_table(old[name], new[name])
        lines.append(f"### {name}\n")
        if rows:
            lines += ["| package | old | new | change |", "| --- | --- | --- | --- |", *rows]
        else:
            lines.append("No pins changed.")
        lines.append("")
    report = "\n".join(lines)
    print(report)
    return report


def current_locks():
    return {outfile: (ROOT / outfile).read_text() if (ROOT / outfile).exists() else "" for _, outfile in LOCKS}


@task(help={"check": "change nothing; fail with a diff if the locks are not what `invoke lock` would write",
            "docker": f"compile inside {DOCKER_IMAGE} (pip-tools only; automatic when this host is not the target)"})  # fmt: skip
def lock(c, check=False, docker=False):
    """Compile requirements*.in into hash-pinned requirements*.txt, keeping existing pins."""
    new = compile_locks(use_docker=docker)
    if not check:
        write_locks(new)
        return
    stale = False
    for name, text in current_locks().items():
        if text != new[name]:
            stale = True
            sys.stdout.writelines(
                difflib.unified_diff(text.splitlines(True), new[name].splitlines(True), f"{name} (committed)", f"{name} (fresh compile)")
            )  # fmt: skip
    if stale:
        raise Exit("error: the locks do not match the .in files and .python-version; run `invoke lock` and commit", 1)
    print("ok: requirements.txt and requirements-dev.txt are exactly what `invoke lock` writes")


@task(iterable=["package"], help={"package": "upgrade only this package (repeatable); default: everything",
                                  "summary": "also write the change table (Markdown) to this file"})  # fmt: skip
def upgrade(c, package=None, summary=None):
    """Move pins to the newest allowed versions (all, or only --package NAME) and print what changed."""
    old = current_locks()
    locked = {name for text in old.values() for name in pins(text)}
    unknown = [name for name in package or () if re.sub(r"[-_.]+", "-", name).lower() not in locked]
    if unknown:
        raise Exit(f"error: {', '.join(unknown)} is not pinned in either lock; add it to requirements.in "
                   "(or requirements-dev.in) and run `invoke lock`", 1)  # fmt: skip
    new = compile_locks(upgrade=not package, packages=package or ())
    write_locks(new)
    report = report_changes(old, new)
    if summary:
        Path(summary).write_text(report)


def require_venv_with_target_python():
    if sys.prefix == sys.base_prefix:
        raise Exit("error: no virtual environment is active; create one with "
                   f"`python{PYTHON_VERSION} -m venv .venv` and activate it", 1)  # fmt: skip
    if running_minor() != PYTHON_VERSION:
        raise Exit(f"error: this venv runs Python {running_minor()} but .python-version says {PYTHON_VERSION}; "
                   f"recreate it with `python{PYTHON_VERSION} -m venv .venv`", 1)  # fmt: skip


@task
def sync(c):
    """Make the active venv hold exactly the pins of both locks (hashes checked)."""
    require_venv_with_target_python()
    files = [outfile for _, outfile in LOCKS]
    if LOCK_TOOL == "uv":
        echo_and_run([venv_tool("uv"), "pip", "sync", "--require-hashes", f"--python={sys.executable}", *files],
                     shown=shlex.join(["uv", "pip", "sync", "--require-hashes", *files]))  # fmt: skip
    else:
        echo_and_run([venv_tool("pip-sync"), f"--python-executable={sys.executable}", *files],
                     shown=shlex.join(["pip-sync", *files]))  # fmt: skip


@task
def test(c):
    """Run the app's tests (Streamlit AppTest)."""
    echo_and_run([sys.executable, "-m", "pytest"], shown="python -m pytest")


@task
def lint(c):
    """Check style and common bugs with ruff."""
    ruff = venv_tool("ruff")
    echo_and_run([ruff, "check", "."], shown="ruff check .")
    echo_and_run([ruff, "format", "--check", "."], shown="ruff format --check .")


@task
def run(c):
    """Start the app on http://localhost:8501."""
    echo_and_run([sys.executable, "-m", "streamlit", "run", "streamlit_app.py"], shown="streamlit run streamlit_app.py")


@task
def audit(c):
    """Look up every pinned version in both locks for known vulnerabilities."""
    argv = "pip-audit --strict --require-hashes --disable-pip -r requirements.txt -r requirements-dev.txt".split()
    echo_and_run([venv_tool("pip-audit"), *argv[1:]], shown=shlex.join(argv))


# Docker: the production image (see Dockerfile). Each task prints the docker command it runs.
IMAGE = re.sub(r"[^a-z0-9]+", "-", ROOT.name.lower()).strip("-") + ":latest"  # an image name Docker accepts


def require_docker():
    if not docker_answers():
        raise Exit("error: no Docker engine answers (`docker info` failed); start Docker, then retry", 1)


@task(help={"tag": f"name:tag of the image (default: {IMAGE})",
            "base_image": f"base image, e.g. pinned by digest: python:{PYTHON_VERSION}-slim@sha256:<digest>"})  # fmt: skip
def docker_build(c, tag=IMAGE, base_image=None):
    """Build the production image from requirements.txt alone (hashes checked, no dev tools)."""
    require_docker()
    base = [f"--build-arg=BASE_IMAGE={base_image}"] if base_image else []
    echo_and_run(["docker", "build", f"--build-arg=PYTHON_VERSION={PYTHON_VERSION}", *base, f"--tag={tag}", "."])


def run_argv(tag, port, secrets, *extra):
    """`docker run` with the production settings: loopback-only port, read-only root, tmpfs for /tmp."""
    argv = ["docker", "run", "--read-only", "--tmpfs=/tmp", f"--publish=127.0.0.1:{port}:8501", *extra]
    if secrets and (ROOT / secrets).is_file():  # st.secrets reads a file, so mount it read-only
        argv.append(f"--volume={(ROOT / secrets).resolve()}:/app/.streamlit/secrets.toml:ro")
    return [*argv, tag]


@task(help={"tag": f"image to run (default: {IMAGE})", "port": "port on 127.0.0.1 (default: 8501)",
            "secrets": "secrets.toml to mount read-only, if it exists (default: .streamlit/secrets.toml)"})  # fmt: skip
def docker_run(c, tag=IMAGE, port=8501, secrets=".streamlit/secrets.toml"):
    """Run the image on http://localhost:8501 as it runs in production (read-only, secrets mounted)."""
    require_docker()
    print(f"The app will be on http://localhost:{port}; Ctrl-C stops it.", flush=True)
    echo_and_run(run_argv(tag, port, secrets, "--rm"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def health(name, port):
    """(Docker's health status of the container, or its state if it is not running; the body of /_stcore/health)."""
    found = subprocess.run(["docker", "inspect", name], capture_output=True, text=True)
    state = json.loads(found.stdout)[0]["State"] if found.returncode == 0 else {"Status": "gone"}
    status = state.get("Health", {}).get("Status") if state["Status"] == "running" else state["Status"]
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            return status, response.read().decode()
    except OSError:
        return status, None


@task(help={"tag": f"image to test (default: {IMAGE})", "port": "port on 127.0.0.1 (default: a free one)",
            "timeout": "seconds to wait for healthy (default: 90)"})  # fmt: skip
def docker_smoke(c, tag=IMAGE, port=0, timeout=90):
    """Start the image, wait until Docker says healthy and /_stcore/health says ok, then remove it."""
    require_docker()
    port = port or free_port()
    name = f"{IMAGE.split(':')[0]}-smoke-{os.getpid()}"
    echo_and_run(run_argv(tag, port, None, "--detach", f"--name={name}"))
    try:
        deadline = time.monotonic() + timeout
        while (found := health(name, port)) != ("healthy", "ok"):
            if found[0] in ("exited", "dead", "gone") or time.monotonic() > deadline:
                subprocess.run(["docker", "logs", "--tail=30", name])
                why = "stopped" if found[0] in ("exited", "dead", "gone") else f"is not healthy after {timeout}s"
                raise Exit(f"error: the container {why} (health: {found[0]}, /_stcore/health: {found[1]!r})", 1)
            time.sleep(1)
        print(f"ok: {tag} is healthy and http://127.0.0.1:{port}/_stcore/health answers ok")
    finally:
        subprocess.run(["docker", "rm", "--force", name], capture_output=True)
