"""Judge freshly compiled locks on every platform their users install them on, before they are written.

uv's resolver can install for a platform it is not running on (`--python-platform`), so one
Linux machine can ask: would `pip install --require-hashes -r requirements.txt -r
requirements-dev.txt` work on Windows, on a Mac, on ARM Linux? And would the deploy lock alone
install from wheels only on Community Cloud (Debian 11, glibc 2.31) and in an arm64 image? Each
question is a `uv pip install --dry-run` (nothing is installed); they run side by side.
"""

import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from invoke import Exit

from .compiling import venv_tool
from .project import LOCK_FILES

# (uv platform, what to call it): where developers install both locks.
DEVELOPER_PLATFORMS = (
    ("x86_64-pc-windows-msvc", "Windows x86_64"),
    ("aarch64-apple-darwin", "macOS arm64"),
    ("x86_64-apple-darwin", "macOS x86_64"),
    ("aarch64-unknown-linux-gnu", "Linux aarch64"),
    ("x86_64-unknown-linux-gnu", "Linux x86_64"),
)
# Where the deploy lock alone must install from wheels: Community Cloud and an arm64 Docker image.
DEPLOY_PLATFORMS = (
    ("x86_64-manylinux_2_31", "Community Cloud (Debian 11, Linux x86_64)"),
    ("aarch64-unknown-linux-gnu", "Docker on Linux aarch64"),
)


def check_argv(uv, platform, version, files, target, wheels_only=False):
    """The dry-run install of `files` for `platform` and Python `version`, hashes required."""
    argv = [uv, "pip", "install", "--no-config", "--dry-run", "--quiet", f"--python-platform={platform}"]
    argv += [f"--python-version={version}", "--require-hashes", f"--target={target}"]
    if wheels_only:
        argv.append("--only-binary=:all:")
    for name in files:
        argv += ["-r", name]
    return argv


def missing_package(message):
    """The package uv names in its refusal, or None (uv wraps long messages to the terminal's width)."""
    message = " ".join(message.split())
    for pattern in (
        r"no trusted hash was provided for: `?([A-Za-z0-9._-]+)",
        r"Because ([A-Za-z0-9._-]+)==\S+ has no wheels",
        r"Because ([A-Za-z0-9._-]+) was not found",
        r"Because (?:only )?([A-Za-z0-9._-]+)[=<>!~]",
    ):
        match = re.search(pattern, message)
        if match:
            return match.group(1)
    return None


def last_line(message):
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message"


def refusal(label, message, lock_names, deploy):
    """The one line that says which platform failed, on what, and what to do about it."""
    package = missing_package(message)
    if deploy:
        what = f"{package} has no wheel there" if package else last_line(message)
        return (
            f"error: requirements.txt does not install from wheels on {label}: {what}; "
            f"bound {package or 'that package'} in requirements.in to a release with such a wheel, then `invoke lock`"
        )
    if package and "trusted hash" in " ".join(message.split()):
        source = "requirements-dev.in" if lock_names[-1] != "requirements.txt" else "requirements.in"
        return (
            f"error: the locks do not install on {label}: it needs {package}, which no lock pins; "
            f"add {package} to {source}, then `invoke lock`"
        )
    return f"error: the locks do not install on {label}: {last_line(message)}; fix the .in files, then `invoke lock`"


def run_check(argv, cwd, env):
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    return done.returncode, done.stderr + done.stdout


def judge(locks, version, env):
    """Check `locks` ({lock name: text}) on every platform; return the refusal lines (empty when all install).

    `env` is the whole environment (see sources.py: the user's remote indexes, nothing machine-local).
    """
    uv = venv_tool("uv")  # the platform checks run uv, in both engines' dev locks
    with tempfile.TemporaryDirectory(prefix="platforms-") as scratch:
        for name in LOCK_FILES:
            (Path(scratch) / name).write_text(locks[name])
        jobs = []
        for platform, label in DEVELOPER_PLATFORMS:
            jobs.append((platform, label, False, check_argv(uv, platform, version, LOCK_FILES, f"t-{platform}")))
        for platform, label in DEPLOY_PLATFORMS:
            argv = check_argv(uv, platform, version, LOCK_FILES[:1], f"d-{platform}", wheels_only=True)
            jobs.append((platform, label, True, argv))
        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            # uv's cache usually knows every pin already (the compile just read them): ask it offline first, in
            # milliseconds, and ask the index only where the cache is not enough, so a refusal is always the index's.
            results = list(pool.map(lambda job: run_check([*job[3], "--offline"], scratch, env), jobs))
            again = [i for i, (code, _) in enumerate(results) if code]
            for i, result in zip(again, pool.map(lambda i: run_check(jobs[i][3], scratch, env), again), strict=True):
                results[i] = result
        problems = []
        for (platform, label, deploy, _), (code, message) in zip(jobs, results, strict=True):
            if not code:
                continue
            files = LOCK_FILES[:1]
            if not deploy and missing_package(message):  # does the app's lock alone install there?
                alone = check_argv(uv, platform, version, LOCK_FILES[:1], "alone")
                files = LOCK_FILES[:1] if run_check(alone, scratch, env)[0] else LOCK_FILES
            problems.append(refusal(label, message, files, deploy))
    return problems


def require_every_platform(locks, version, env):
    """Exit with one line per platform that cannot install `locks`; the caller has written nothing yet."""
    report(judge(locks, version, env))


def report(problems):
    """Exit with the refusal lines of `judge`, or say that every platform installs the locks."""
    if problems:
        raise Exit("\n".join([*problems[:-1], problems[-1] + "; the locks are unchanged"]), 1)
    print("ok: both locks install (hashes required) on Windows, macOS and Linux (x86_64, aarch64); "
          "requirements.txt installs from wheels on Community Cloud and Linux aarch64")  # fmt: skip
