"""Install the repository the way Streamlit Community Cloud does, start the app, ask /_stcore/health.

Cloud creates a venv of the Python chosen in its deploy dialog and runs `uv pip install -r
requirements.txt` in the repository root, with no configuration of yours and the public index
only. The same happens here: a fresh venv, that exact command in this directory (so any file
in the repository that would change uv's behaviour changes it here too), your uv and pip
settings out of the way.
"""

import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from invoke import Exit

from .container import free_port, stcore_health
from .project import ROOT
from .sources import UV_LOCAL_ONLY, UV_SOURCES

CLOUD_INSTALL = ["uv", "pip", "install", "-r", "requirements.txt"]
# /_stcore/health answers before any session runs the script, so a venv whose numpy cannot import
# still says "ok". Streamlit's own AppTest then runs the script the way a session would.
SCRIPT_RUNS = (
    "import sys\n"
    "from streamlit.testing.v1 import AppTest\n"
    "app = AppTest.from_file('streamlit_app.py', default_timeout=120).run()\n"
    "sys.exit('; '.join(e.message.strip().splitlines()[0] for e in app.exception) or None)\n"
)


def repository_uv_settings(root=ROOT):
    """The files in the repository that change what Cloud's `uv pip install` does, if any."""
    found = ["uv.toml"] if (Path(root) / "uv.toml").exists() else []
    pyproject = Path(root) / "pyproject.toml"
    if pyproject.is_file() and "uv" in tomllib.loads(pyproject.read_text()).get("tool", {}):
        found.append("[tool.uv] in pyproject.toml")
    return found


def cloud_environment(venv, home):
    """No user configuration, no package-source variables: only what Cloud's builder has, and the venv active."""
    env = {k: v for k, v in os.environ.items() if k not in UV_SOURCES + UV_LOCAL_ONLY and not k.startswith("PIP_")}
    env.update(VIRTUAL_ENV=str(venv), XDG_CONFIG_HOME=str(home), APPDATA=str(home), PIP_CONFIG_FILE=os.devnull)
    env["PATH"] = os.pathsep.join([str(venv_bin(venv)), env.get("PATH", "")])
    return env


def venv_bin(venv):
    return Path(venv) / ("Scripts" if os.name == "nt" else "bin")


def tail(text, lines=3):
    return " | ".join(line.strip() for line in text.strip().splitlines()[-lines:] if line.strip())


def smoke(uv, python, expected_minor, timeout=90):
    """Install as Cloud does for `python` (a minor such as 3.13, or an interpreter path), start the app, wait for ok."""
    with tempfile.TemporaryDirectory(prefix="cloud-") as scratch:
        venv, home = Path(scratch) / "venv", Path(scratch) / "home"
        home.mkdir()
        env = cloud_environment(venv, home)
        made = subprocess.run(
            [uv, "venv", "--quiet", "--python", python, str(venv)], env=env, capture_output=True, text=True
        )
        if made.returncode:
            raise Exit(
                f"error: no Python {python} for the Cloud-style venv ({tail(made.stderr, 1)}); install it, then retry",
                1,
            )
        print(f"+ {' '.join(CLOUD_INSTALL)}   (in {ROOT.name}/, venv of Python {python})", flush=True)
        installed = subprocess.run([uv, *CLOUD_INSTALL[1:]], cwd=ROOT, env=env, capture_output=True, text=True)
        if installed.returncode:
            sys.stderr.write(installed.stderr)
            raise Exit(
                f"error: Community Cloud's install fails on Python {python}: {tail(installed.stderr, 2)}; "
                f"choose Python {expected_minor} (.python-version) in Cloud's deploy dialog",
                1,
            )
        port = free_port()
        argv = [str(venv_bin(venv) / "python"), "-m", "streamlit", "run", "streamlit_app.py", "--server.headless=true",
                f"--server.port={port}", "--server.address=127.0.0.1"]  # fmt: skip
        print(f"+ streamlit run streamlit_app.py --server.port={port}", flush=True)
        log = Path(scratch) / "streamlit.log"
        with log.open("w") as out:
            app = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
            try:
                deadline = time.monotonic() + timeout
                while (answer := stcore_health(port)) != "ok":
                    if app.poll() is not None or time.monotonic() > deadline:
                        why = (
                            f"exited ({app.returncode})"
                            if app.returncode is not None
                            else f"not healthy after {timeout}s"
                        )
                        raise Exit(f"error: the app installed as Cloud does {why}: {tail(log.read_text())}", 1)
                    time.sleep(0.5)
                ran = subprocess.run([argv[0], "-c", SCRIPT_RUNS], cwd=ROOT, env=env, capture_output=True, text=True)
                if ran.returncode:
                    settings = repository_uv_settings()
                    fix = (
                        f"remove {' and '.join(settings)}: Cloud's uv reads it and installed for another Python or platform"
                        if settings
                        else f"choose Python {expected_minor} (.python-version) in Cloud's deploy dialog"
                    )
                    why = tail(ran.stderr or ran.stdout, 1)
                    raise Exit(
                        f"error: the app installed as Cloud does answers /_stcore/health but its script fails: {why}; {fix}",
                        1,
                    )
            finally:
                app.terminate()
                try:
                    app.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    app.kill()
        print(
            f"ok: installed as Community Cloud does (Python {python}), /_stcore/health answers {answer} and the script runs"
        )
