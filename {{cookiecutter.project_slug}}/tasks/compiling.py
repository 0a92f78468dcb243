"""Compiling the locks: the command for each engine, where it runs, and writing both locks or neither.

Every compile runs in a scratch copy of the project, so a failure or Ctrl-C leaves the real
locks untouched; both are replaced only after both compiles succeed.
"""

import os
import platform
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from invoke import Exit

from . import lockfile
from .container import docker_answers
from .project import LOCK_FILES, LOCKS, ROOT, lock_engine, python_version


def echo_and_run(argv, cwd=ROOT, shown=None, check=True, env=None):
    """Print the command, run it (with `env` variables added), and return its exit code (raising Exit when `check`)."""
    print(f"+ {shown or shlex.join(str(a) for a in argv)}", flush=True)
    code = subprocess.run([str(a) for a in argv], cwd=cwd, env={**os.environ, **env} if env else None).returncode
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


def deploy_image():
    return f"python:{python_version()}-slim"


def uv_target_version():
    import tomllib

    settings = tomllib.loads((ROOT / "uv.toml").read_text()) if (ROOT / "uv.toml").exists() else {}
    return settings.get("pip", {}).get("python-version")


def compile_argv(engine, infile, outfile, upgrade=False, packages=()):
    """The compile command, exactly as the lock's header records it (plus flags headers omit)."""
    if engine == "uv":
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
    argv += [f"--upgrade-package={name}" for name in packages]
    return argv


def where_to_compile(engine, use_docker=False):
    """'host' or 'docker' for this machine, or Exit with the reason no correct lock can be made here."""
    version = python_version()
    if engine == "uv":
        target = uv_target_version()
        if target != version:
            raise Exit(
                f"error: uv.toml targets Python {target} but .python-version says {version}; "
                f'set python-version = "{version}" in uv.toml, then run `invoke lock`',
                1,
            )
        return "host"  # uv resolves for uv.toml's platform and version, whatever the host
    if use_docker:
        return "docker"
    if host_is_deploy_target() and running_minor() == version:
        return "host"
    here = f"Python {running_minor()} on {sys.platform}/{platform.machine()}"
    if docker_answers():
        print(f"note: {here} is not the deploy target; compiling in {deploy_image()}")
        return "docker"
    raise Exit(
        f"error: pip-compile resolves for the interpreter it runs on, and this is {here}, not Linux x86_64 with "
        f"Python {version} (.python-version); run this in a python{version} venv on Linux, "
        "or start Docker so `invoke lock --docker` can compile in the deploy image",
        1,
    )


def pip_tools_requirements(dev_lock_text):
    """The dev-lock pins pip-tools needs to run, hashes included (installed in the deploy image)."""
    pins = lockfile.parse(dev_lock_text)
    wanted, queue = set(), ["pip-tools"]
    while queue:
        name = queue.pop()
        if name in wanted or name not in pins:
            continue
        wanted.add(name)
        queue.extend(other for other, pin in pins.items() if name in pin.via)
    return "".join(pins[name].text for name in sorted(wanted))


def docker_argv(scratch, argvs, extra_env=None):
    """Compile in the deploy image: install pip-tools there by hash from the dev lock, then run each compile.

    pip-tools goes into a venv of the image's Python (not `pip install --user`, which an image whose
    Python is itself a venv refuses); pip-compile then resolves for that same interpreter.
    """
    (Path(scratch) / ".pip-tools.txt").write_text(pip_tools_requirements((ROOT / "requirements-dev.txt").read_text()))
    venv = "/tmp/pip-tools"
    install = (
        f"python -m venv --without-pip {venv} && python -m pip --python {venv}/bin/python install --quiet "
        "--require-hashes --no-deps -r .pip-tools.txt"
    )
    compiles = [shlex.join([f"{venv}/bin/python", "-m", "piptools", "compile", *argv[1:]]) for argv in argvs]
    user = [f"--user={os.getuid()}:{os.getgid()}"] if hasattr(os, "getuid") else []
    env = [
        "--env=HOME=/tmp",
        "--env=PIP_DISABLE_PIP_VERSION_CHECK=1",
        *(f"--env={k}={v}" for k, v in (extra_env or {}).items()),
    ]
    run = [
        "docker",
        "run",
        "--rm",
        "--platform=linux/amd64",
        *user,
        *env,
        f"--volume={scratch}:/lock",
        "--workdir=/lock",
    ]
    return [*run, deploy_image(), "sh", "-c", " && ".join([install, *compiles])]


# What a compile may read besides the lock pairs; copied into its scratch directory.
COMPILE_INPUTS = (".python-version", "uv.toml")


def compile_locks(upgrade=False, packages=(), use_docker=False, env=None, start=None):
    """Compile both locks in a scratch copy and return {lock name: new text}; the real locks are never touched.

    `env`: variables for the compiler only (the cooldown: never on the command line, so never in a header).
    `start`: {lock name: text} to compile from instead of the project's locks (cooldown.py's second pass).
    """
    engine = lock_engine()
    where = where_to_compile(engine, use_docker)
    scratch = tempfile.mkdtemp(prefix="lock-")
    try:
        for name in [*COMPILE_INPUTS, *(f for pair in LOCKS for f in pair)]:
            if (ROOT / name).exists():
                shutil.copy2(ROOT / name, Path(scratch) / name)
        for outfile in LOCK_FILES:  # keep the pins, drop the hashes: every hash comes fresh from the index
            text = (start or {}).get(outfile) or ((ROOT / outfile).read_text() if (ROOT / outfile).exists() else None)
            if text is not None:
                (Path(scratch) / outfile).write_text(lockfile.without_hashes(text))
        argvs = [compile_argv(engine, infile, outfile, upgrade, packages) for infile, outfile in LOCKS]
        if where == "docker":
            commands = [(docker_argv(scratch, argvs, env), None)]
        else:  # run the venv's own tool, but show the command as the lock's header records it
            commands = [([venv_tool(argv[0]), *argv[1:]], shlex.join(argv)) for argv in argvs]
        for argv, shown in commands:
            code = echo_and_run(argv, cwd=scratch, shown=shown, check=False, env=env)
            if code:
                tool = "uv pip compile" if engine == "uv" else "pip-compile"
                raise Exit(f"error: {tool} failed (exit {code}), see its message above; the locks are unchanged", code)
        return {outfile: (Path(scratch) / outfile).read_text() for outfile in LOCK_FILES}
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
