"""Compiling the locks: the command for each engine, where it runs, and writing both locks or neither.

Every compile runs in a scratch copy of the project, so a failure or Ctrl-C leaves the real
locks untouched; both are replaced only after both compiles succeed.
"""

import contextlib
import errno
import os
import platform
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from invoke import Exit

from . import hashes, index_reach, lockfile, requirements_check, scratch_dirs, sources
from .container import docker_answers
from .project import LOCK_FILES, LOCKS, ROOT, lock_engine, python_version, read_locks


def echo_and_run(argv, cwd=ROOT, shown=None, check=True, env=None, whole_env=False):
    """Print the command, run it (with `env` variables added, or in `env` alone when `whole_env`), and return its
    exit code (raising Exit when `check`)."""
    print(f"+ {shown or shlex.join(str(a) for a in argv)}", flush=True)
    env = env if whole_env else {**os.environ, **env} if env else None
    code = subprocess.run([str(a) for a in argv], cwd=cwd, env=env).returncode
    if check and code:
        raise Exit(code=code)
    return code


def venv_tool(name):
    """A console script of the running environment, found even when the venv is not activated."""
    found = shutil.which(name, path=sysconfig.get_path("scripts")) or shutil.which(name)
    if not found:
        raise Exit(
            f"error: {name} is not installed in this venv ({sys.prefix}); install the dev tools into it with "
            "`python -m pip install --require-hashes -r requirements-dev.txt`, then retry",
            1,
        )
    return found


def running_minor():
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def host_is_deploy_target():
    return sys.platform == "linux" and platform.machine() in ("x86_64", "AMD64")


def deploy_image():
    return f"python:{python_version()}-slim"


def compile_argv(engine, infile, outfile, upgrade=False, packages=(), version=None):
    """The compile command, exactly as the lock's header records it (plus flags headers omit).

    uv resolves one universal lock for every platform (markers say which pin is for whom), for
    `version` (default: .python-version) and newer; the header records both, so a bot re-runs it.
    pip-tools resolves for its interpreter; its find-links and trusted-host flags are kept out of
    the header by sources.HEADER_VARIABLE (a bot's re-run has no machine-local sources to hide).
    """
    if engine == "uv":
        argv = ["uv", "pip", "compile", "--quiet", "--universal", f"--python-version={version or python_version()}"]
        argv += ["--generate-hashes", f"--output-file={outfile}", infile]
    else:
        argv = [
            "pip-compile",
            "--quiet",
            "--allow-unsafe",
            "--generate-hashes",
            "--no-emit-index-url",
            "--no-emit-find-links",
            "--no-emit-trusted-host",
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
        return "host"  # uv resolves for every platform (--universal) and the .python-version minor, whatever the host
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
    compiles = [
        shlex.join(["env", f"{sources.HEADER_VARIABLE}={sources.header_command(argv)}", f"{venv}/bin/python"]
                   + ["-m", "piptools", "compile", *argv[1:]])
        for argv in argvs
    ]  # fmt: skip
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
COMPILE_INPUTS = (".python-version",)


def compile_locks(upgrade=False, packages=(), use_docker=False, env=None, start=None):
    """Compile both locks in a scratch copy and return {lock name: new text}; the real locks are never touched.

    `env`: variables for the compiler only (the cooldown: never on the command line, so never in a header).
    `start`: {lock name: text} to compile from instead of the project's locks (cooldown.py's second pass).
    """
    engine = lock_engine()
    python_version()  # a bad .python-version is named before anything runs
    included = requirements_check.require_lockable()  # files beside requirements.in (-r, -c); refusals first
    where = where_to_compile(engine, use_docker)
    if where == "host":
        venv_tool("uv" if engine == "uv" else "pip-compile")  # a venv without its lock engine is told so first
    scratch = scratch_dirs.make()
    try:
        for name in [*COMPILE_INPUTS, *(f for pair in LOCKS for f in pair), *included]:
            if (ROOT / name).exists():
                (Path(scratch) / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(ROOT / name, Path(scratch) / name)  # contents only: a read-only lock stays writable
        host_env = sources.compile_environment(engine) | (env or {})  # your remote indexes, nothing machine-local
        if where == "host":
            index_reach.require_reachable(engine, host_env)  # offline: say so, not what the resolver makes of it
        locks = {**read_locks(), **{name: text for name, text in (start or {}).items() if text}}  # "" if not made yet
        # Keep the pins; keep only the hashes the index confirms (pip-tools), or none (uv reuses any hash it is given).
        # Under a cooldown (`env`), a pin the filter hides must be free to move back; a kept hash would hold it,
        # since pip applies a package's hashes to every version it tries.
        verify = engine == "pip-tools" and not upgrade and not env and running_minor() == python_version()
        for name, text in hashes.scratch_locks({n: t for n, t in locks.items() if t}, verify, host_env).items():
            (Path(scratch) / name).write_text(text)
        argvs = [compile_argv(engine, infile, outfile, upgrade, packages) for infile, outfile in LOCKS]
        if where == "docker":
            commands = [(docker_argv(scratch, argvs, env), None)]
        else:  # run the venv's own tool, but show the command as the lock's header records it
            commands = [([venv_tool(argv[0]), *argv[1:]], shlex.join(argv)) for argv in argvs]
        for argv, shown in commands:
            run_env = host_env | sources.header_env(engine, argv) if where == "host" else env
            code = echo_and_run(argv, cwd=scratch, shown=shown, check=False, env=run_env, whole_env=where == "host")
            if code:
                if where == "host":
                    index_reach.require_reachable(engine, host_env)  # the network went down mid-compile
                tool = "uv pip compile" if engine == "uv" else "pip-compile"
                raise Exit(f"error: {tool} failed (exit {code}), see its message above; the locks are unchanged", code)
        return {outfile: (Path(scratch) / outfile).read_text() for outfile in LOCK_FILES}
    except KeyboardInterrupt:
        raise Exit("interrupted: the locks are unchanged", 130) from None
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def write_locks(new):
    """Both changed locks, or neither: each is written in full to `NAME.new` beside it and flushed to disk, and only
    then are they renamed into place (a rename needs no space). A full disk or a read-only folder leaves the locks as
    they were and no `.new` file behind."""
    changed = {ROOT / n: t for n, t in new.items() if not (ROOT / n).exists() or (ROOT / n).read_text() != t}
    temps = {path: path.with_name(path.name + ".new") for path in changed}
    try:
        for path, text in changed.items():
            with open(temps[path], "w") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            if path.exists():
                shutil.copymode(path, temps[path])  # a lock the owner made read-only stays read-only
    except OSError as error:
        for tmp in temps.values():
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        raise Exit(_cannot_write(error, path), 1) from None
    for path, tmp in temps.items():
        os.replace(tmp, path)  # atomic: a reader sees the old lock or the new, never half


def _cannot_write(error, path):
    folder = path.parent
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        fix = "free some disk space, then run it again"
    elif error.errno == errno.EROFS:
        fix = "its file system is mounted read-only; work in a writable copy of the project"
    elif error.errno in (errno.EACCES, errno.EPERM):
        fix = f"make the folder writable (`chmod u+w {folder}`), then run it again"
    else:
        fix = "fix that, then run it again"
    return f"error: could not write {path.name} in {folder} ({error.strerror or error}); {fix}; the locks are unchanged"
