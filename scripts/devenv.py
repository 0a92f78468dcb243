"""Virtual environments for the template's own work, installed only from its hash-pinned dev lock.

Shared by scripts/test.py (the test suite) and scripts/refresh_locks.py (the shipped locks).
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV_LOCK = ROOT / "requirements-dev.txt"
PYTHON_VERSIONS = ("3.11", "3.12", "3.13", "3.14")  # the versions a project can be baked for
LOCK_FILES = ("requirements.txt", "requirements-dev.txt")  # the pair every baked project ships

# Settings that point pip or uv at package sources other than the public index.
PACKAGE_SOURCE_VARIABLES = (
    "PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_NO_INDEX", "PIP_CONSTRAINT",
    "UV_INDEX", "UV_INDEX_URL", "UV_DEFAULT_INDEX", "UV_EXTRA_INDEX_URL", "UV_FIND_LINKS", "UV_NO_INDEX",
)  # fmt: skip


# What must never be in a lock that ships or is checked in: the build machine's package sources.
LOCAL_SOURCE = re.compile(
    r"file://|^\s*(-f|--find-links|-i|--index-url|--extra-index-url|--trusted-host)\b|^\s*/|/opt/|~/", re.M
)


def public_index_env(base=None):
    """The environment with the machine's pip config and package-source variables removed.

    A lock compiled under a local find-links or file:// index records it; locks that
    ship (and locks the tests compare with them) must come from the public index alone.
    """
    env = {k: v for k, v in (base or os.environ).items() if k not in PACKAGE_SOURCE_VARIABLES}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def find_python(version):
    """The path of a working `pythonX.Y`, or None."""
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(pyenv_root.glob(f"versions/{version}.*/bin/python{version}"), reverse=True)
    for candidate in filter(None, candidates):
        probe = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], capture_output=True, text=True
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return str(candidate)
    return None


def venv_python(venv):
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv(venv, python=sys.executable):
    """Create `venv` with `python` (if it does not exist) and install the dev lock into it when the lock changed."""
    venv = Path(venv)
    if not venv_python(venv).exists():
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
    wanted = hashlib.sha256(DEV_LOCK.read_bytes()).hexdigest()
    stamp = venv / ".dev-lock-sha256"
    if stamp.exists() and stamp.read_text() == wanted:
        return venv_python(venv)
    print(f"devenv: installing {DEV_LOCK.name} into {venv} (hashes required)", file=sys.stderr, flush=True)
    pip = [str(venv_python(venv)), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--require-hashes", "-r", str(DEV_LOCK)], check=True, env=public_index_env())
    stamp.write_text(wanted)
    return venv_python(venv)


_BAKING = threading.Lock()  # cookiecutter changes the working directory: one bake at a time


def bake(output_dir, **answers):
    """Bake the template with default answers plus `answers` (needs cookiecutter: the dev venv)."""
    from cookiecutter.main import cookiecutter

    with _BAKING:
        return Path(cookiecutter(str(ROOT), no_input=True, extra_context=answers, output_dir=str(output_dir)))


def timed(argv, cwd, env):
    """Seconds one command took; exit with its output if it failed (a benchmark of a failure means nothing)."""
    start = time.perf_counter()
    result = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode:
        sys.exit(f"error: {argv} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return elapsed
