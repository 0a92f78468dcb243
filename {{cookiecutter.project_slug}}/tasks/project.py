"""What the project's own files say (its Python minor, its settings, its locks), and the one way a task runs a command.

Nothing here is filled in at bake time: every answer is read from a file the owner can see and commit.
"""

import contextlib
import errno
import os
import re
import shlex
import shutil
import signal
import sys
import sysconfig
import tempfile
import threading
import time
import tomllib
from pathlib import Path

from invoke import Context, Exit
from packaging.utils import InvalidName, canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
# (input, lock) in compile order: the dev lock is constrained by the app's lock.
LOCKS = (("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt"))
LOCK_FILES = tuple(lock for _, lock in LOCKS)
# Written by `invoke lock` only while build-from-source names a package: what the image's builder builds it with.
BUILD_LOCK = ("requirements-build.in", "requirements-build.txt")
# [tool.pinned-streamlit] in pyproject.toml, and what an absent key means.
DEFAULTS = {
    "main-file": "streamlit_app.py",
    "platforms": ["linux-x86_64", "linux-arm64", "macos-arm64", "macos-x86_64", "windows-x86_64"],
    "deploy-platforms": ["community-cloud", "linux-arm64"],
    "build-from-source": [],
}
SCRATCH_PREFIX = "invoke-lock-"


def python_version(root=ROOT):
    """The Python minor in .python-version ("3.12"), which every lock, image and CI job follows."""
    path = Path(root) / ".python-version"
    text = path.read_text(errors="replace").strip() if path.is_file() else None
    if text is None or not re.fullmatch(r"3\.\d{1,2}", text):
        shown = "missing" if text is None else "empty" if not text else f"{text[:40]!r}, not a Python minor"
        raise Exit(
            f"error: .python-version is {shown}; write the minor the app deploys on, such as 3.12 "
            "(`echo 3.12 > .python-version`), then retry"
        )
    return text


def settings(root=ROOT):
    """The [tool.pinned-streamlit] table of pyproject.toml, every key present (DEFAULTS fill the gaps)."""
    path = Path(root) / "pyproject.toml"
    try:
        table = tomllib.loads(path.read_text()).get("tool", {}).get("pinned-streamlit", {}) if path.is_file() else {}
    except tomllib.TOMLDecodeError as error:
        raise Exit(f"error: pyproject.toml is not valid TOML ({error}); fix it, then retry") from None
    for key, value in table.items():
        wanted = DEFAULTS.get(key)
        if wanted is None:
            raise Exit(
                f"error: pyproject.toml [tool.pinned-streamlit] has no setting {key!r}; "
                f"the settings are {', '.join(DEFAULTS)}"
            )
        if not isinstance(value, type(wanted)) or not all(isinstance(v, str) for v in value):  # a str's items are str
            shown = "a list of strings" if isinstance(wanted, list) else "a string"
            raise Exit(f"error: pyproject.toml [tool.pinned-streamlit] {key} must be {shown}, like {wanted!r}")
        if key in ("platforms", "deploy-platforms") and not value:  # nothing would be checked
            raise Exit(
                f"error: pyproject.toml [tool.pinned-streamlit] {key} is empty; name at least one, like {wanted!r}"
            )
        for name in value if key == "build-from-source" else ():
            try:
                canonicalize_name(name, validate=True)
            except InvalidName:
                raise Exit(
                    f"error: pyproject.toml [tool.pinned-streamlit] build-from-source names {name!r}, which is not a "
                    'package name; write the bare name (such as "docopt"), and any version in requirements.in'
                ) from None
    return {**DEFAULTS, **table}


def built_from_source(table):
    """The packages of build-from-source in a settings table, named as the locks name them ("PyYAML" is pyyaml)."""
    return sorted({canonicalize_name(name) for name in table["build-from-source"]})


def main_file(root=ROOT):
    """The script Streamlit runs (Community Cloud's "Main file path"), refused in one line if it is not there."""
    name = settings(root)["main-file"]
    if not (Path(root) / name).is_file():
        raise Exit(
            f"error: the main file {name} (main-file in pyproject.toml [tool.pinned-streamlit]) does not exist; "
            "set main-file to your app's entry script, then retry"
        )
    return name


def read_locks(root=ROOT, names=(*LOCK_FILES, BUILD_LOCK[1])):
    """{file name: text} for the locks, or the files `names` ("" for a file that does not exist yet)."""
    return {name: (Path(root) / name).read_text() if (Path(root) / name).exists() else "" for name in names}


def write_files(new, root=ROOT, what="the locks"):
    """Write every changed file of {name: text}, all or none; a file whose text is "" is removed.

    Each is written in full to NAME.new beside it and flushed to disk first; only then are they renamed into
    place (a rename needs no space). A full disk or a read-only folder leaves every file as it was.
    """
    paths = {Path(root) / name: text for name, text in new.items()}
    gone = [path for path, text in paths.items() if not text and path.exists()]
    changed = {path: text for path, text in paths.items() if text and (not path.exists() or path.read_text() != text)}
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
        full = error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
        fix = "free some disk space" if full else f"make the folder writable (`chmod u+w {path.parent}`)"
        message = f"error: could not write {path.name} in {path.parent} ({error.strerror}); {fix}, then retry; {what} are unchanged"
        raise Exit(message) from None
    for path, tmp in temps.items():
        os.replace(tmp, path)  # atomic: a reader sees the old file or the new, never half
    for path in gone:
        path.unlink()
    return sorted(path.name for path in [*changed, *gone])


def refuse(lines, outcome="the locks are unchanged"):
    """Exit with every refusal line at once, the last also saying what was left as it was."""
    raise Exit("\n".join([*lines[:-1], f"{lines[-1]}; {outcome}"]))


def scratch_dir():
    """A fresh scratch folder for a compile, after removing this user's that a killed run left over 2 hours ago."""
    for path in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*"):
        with contextlib.suppress(OSError):
            info = path.lstat()
            mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
            if path.is_dir() and not path.is_symlink() and mine and time.time() - info.st_mtime > 7200:
                shutil.rmtree(path, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))


def running_minor():
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def venv_tool(name):
    """A console script of the running environment, found even when the venv is not activated."""
    found = shutil.which(name, path=sysconfig.get_path("scripts")) or shutil.which(name)
    if not found:
        raise Exit(
            f"error: {name} is not installed in this venv ({sys.prefix}); install the dev tools into it with "
            "`python -m pip install --require-hashes -r requirements-dev.txt`, then retry"
        )
    return found


def run(c, argv, env=None, cwd=None, quiet=False, check=True, **options):
    """Run `argv` through invoke, printed as `+ command` unless `quiet` (then its output is captured, not shown).

    It runs in `cwd` (default: the project's root) and `env` alone (default: this environment), with the venv's
    tools first on PATH; a failure raises unless `check` is False, and the result (exit code, stdout, stderr) is
    returned. `options` go to invoke's `run` (`asynchronous=True` for a server).
    """
    command, cwd = shlex.join(str(a) for a in argv), cwd or ROOT  # from a subfolder too, the project's files
    env = dict(os.environ if env is None else env)
    env["PATH"] = os.pathsep.join([sysconfig.get_path("scripts"), env.get("PATH", "")])
    c = Context(config=c.config)  # its own working-directory stack: the platform checks run in threads
    here = c.cd(str(cwd)) if Path(cwd).resolve() != Path.cwd() else contextlib.nullcontext()
    waits = not options.get("asynchronous") and threading.current_thread() is threading.main_thread()
    with here, ctrl_c_after_the_command() if waits else contextlib.nullcontext():
        # No command here reads a keyboard; invoke then never closes its stdin, where it sends Ctrl-C.
        options = {"echo": not quiet, "hide": quiet, "warn": not check, "in_stream": False} | options
        return c.run(command, env=env, replace_env=True, **options)


@contextlib.contextmanager
def ctrl_c_after_the_command():
    """Ctrl-C stops the command itself (a terminal signals the whole foreground group); the task stops once it ended.

    Raised while invoke waits, a KeyboardInterrupt can land inside subprocess's poll() between taking its lock and
    releasing it: every later poll then answers "still running", and the task waits forever on an ended command.
    """
    caught = []
    previous = signal.signal(signal.SIGINT, lambda *_: caught.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt
