"""Install the repository the way Streamlit Community Cloud does, start the app, run its script once.

Cloud creates a venv of the Python chosen in its deploy dialog and runs `uv pip install -r requirements.txt`
in the repository root, with no configuration of yours and the public index only. The same happens here:
a fresh venv, that exact command in this directory (so a file in the repository that changes uv's
behaviour changes it here too), your uv and pip settings out of the way. /_stcore/health answers before
any script runs, so Streamlit's own AppTest then runs the main file the way a visitor's session would,
and a failure says what failed: the app's own exception, a missing secret, the network, or the Python.
"""

import json
import os
import re
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from invoke import Exit

from .container import free_port, stcore_health
from .project import ROOT, run

RUN_ONCE = """import json, sys
from streamlit.testing.v1 import AppTest
app = AppTest.from_file(sys.argv[1], default_timeout=120).run()
print(json.dumps([{"type": e.proto.type, "message": e.message, "stack": list(e.stack_trace)} for e in app.exception]))
"""
NETWORK = ("URLError", "ConnectionError", "ConnectTimeout", "ReadTimeout", "gaierror", "ConnectionRefusedError",
           "TimeoutError", "NewConnectionError", "MaxRetryError", "SSLError", "HTTPError")  # fmt: skip


def repository_uv_settings(root=ROOT):
    """The files in the repository that change what Cloud's `uv pip install` does, if any."""
    found = ["uv.toml"] if (Path(root) / "uv.toml").exists() else []
    pyproject = Path(root) / "pyproject.toml"
    if pyproject.is_file() and "uv" in tomllib.loads(pyproject.read_text()).get("tool", {}):
        found.append("[tool.uv] in pyproject.toml")
    return found


def cloud_environment(venv, home):
    """No user configuration, no package-source variables: only what Cloud's builder has, and the venv active."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    env |= {"VIRTUAL_ENV": str(venv), "XDG_CONFIG_HOME": str(home), "APPDATA": str(home), "PIP_CONFIG_FILE": os.devnull}
    env["PATH"] = os.pathsep.join([str(venv / ("Scripts" if os.name == "nt" else "bin")), env.get("PATH", "")])
    return env


def diagnosis(failure, main, chosen, expected):
    """What one exception of the app's run means, and what to do about it."""
    kind, message = failure["type"], " ".join(failure["message"].split())[:300]
    frames = re.findall(r'File "([^"]+)", line (\d+)', "\n".join(failure["stack"]))
    own = [(f, n) for f, n in frames if Path(f).resolve().is_relative_to(ROOT) and "site-packages" not in f]
    where = f" ({Path(own[-1][0]).resolve().relative_to(ROOT)}, line {own[-1][1]})" if own else ""
    if "secret" in (kind + message).lower():
        return (
            f"the app reads a secret that is not given ({kind}: {message}); put it in .streamlit/secrets.toml "
            "here (never committed) and in Cloud's app settings under Secrets"
        )
    if kind in NETWORK or re.search(r"Name or service not known|resolution|Connection refused|timed out", message):
        return f"a network failure, not the install ({kind}: {message}){where}; check the URL and that it is reachable"
    if kind in ("ModuleNotFoundError", "ImportError") and (settings := repository_uv_settings()):
        return (
            f"{kind}: {message}; remove {' and '.join(settings)}: Cloud's uv reads it and installs for another Python"
        )
    if kind in ("ModuleNotFoundError", "ImportError") and chosen != expected:
        return f"{kind}: {message}; choose Python {expected} (.python-version) in Cloud's deploy dialog"
    if kind in ("ModuleNotFoundError", "ImportError"):
        return f"{kind}: {message}{where}; add the package that provides it to requirements.in, then `invoke lock`"
    return f"the app itself raised {kind}: {message}{where} (in {main})"


def smoke(c, main, python, expected, timeout=90):
    """Install as Cloud does for `python` (a minor such as 3.13, or an interpreter's path), start `main`, run it once."""
    with tempfile.TemporaryDirectory(prefix="cloud-") as scratch:
        venv, home = Path(scratch) / "venv", Path(scratch) / "home"
        home.mkdir()
        env = cloud_environment(venv, home)
        made = run(c, ["uv", "venv", "--quiet", "--python", python, venv], env=env, quiet=True, check=False)
        if made.failed:
            why = (made.stderr.strip().splitlines() or ["no message"])[-1]
            raise Exit(f"error: no Python {python} for the Cloud-style venv ({why}); install it, then retry")
        python_exe = str(venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
        chosen = run(c, [python_exe, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], env=env, quiet=True)
        chosen = chosen.stdout.strip()
        installed = run(c, ["uv", "pip", "install", "-r", "requirements.txt"], env=env, check=False)
        if installed.failed:
            fix = "fix what uv says above in requirements.in, then `invoke lock`"
            if chosen != expected:
                fix = f"choose Python {expected} (.python-version) in Cloud's deploy dialog"
            why = (installed.stderr.strip().splitlines() or ["no message"])[-1].strip()
            raise Exit(f"error: Community Cloud's install fails on Python {chosen}: {why}; {fix}")
        port = free_port()
        argv = [python_exe, "-m", "streamlit", "run", main, "--server.headless=true", f"--server.port={port}"]
        server = run(c, [*argv, "--server.address=127.0.0.1"], env=env, check=False, hide="both", asynchronous=True)
        try:
            deadline = time.monotonic() + timeout
            while (answer := stcore_health(port)) != "ok":
                if server.runner.process_is_finished or time.monotonic() > deadline:
                    why = "exited" if server.runner.process_is_finished else f"is not healthy after {timeout}s"
                    said = "".join(server.runner.stdout + server.runner.stderr).strip().splitlines()
                    last = " | ".join(line.strip() for line in said[-3:])
                    raise Exit(f"error: the app installed as Cloud does {why}: {last}")
                time.sleep(0.5)
            ran = run(c, [python_exe, "-c", RUN_ONCE, main], env=env, quiet=True, check=False)
            failures = json.loads((ran.stdout.strip().splitlines() or ["[]"])[-1]) if ran.ok else None
            if failures is None:  # AppTest itself did not run: Streamlit does not import in that venv
                sys.stderr.write(ran.stderr)
                why = (ran.stderr.strip().splitlines() or ["no message"])[-1]
                failures = [{"type": why.partition(":")[0], "message": why.partition(":")[2], "stack": []}]
            if failures:
                said = [diagnosis(f, main, chosen, expected) for f in failures]
                raise Exit("\n".join(f"error: {main} fails as Cloud runs it: {s}" for s in said))
        finally:
            server.runner.kill()
    print(f"ok: installed as Community Cloud does (Python {chosen}), /_stcore/health answers {answer} and {main} runs")
