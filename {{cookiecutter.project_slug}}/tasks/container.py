"""The production image: build it, run it as production does, and wait for its health check."""

import json
import re
import shutil
import socket
import subprocess
import time
import urllib.request

from invoke import Exit

from .project import ROOT

IMAGE = re.sub(r"[^a-z0-9]+", "-", ROOT.name.lower()).strip("-") + ":latest"  # an image name Docker accepts


def docker_answers():
    docker = shutil.which("docker")
    return bool(docker) and subprocess.run([docker, "info"], capture_output=True).returncode == 0


def require_docker():
    if not docker_answers():
        raise Exit("error: no Docker engine answers (`docker info` failed); start Docker, then retry", 1)


def run_argv(tag, port, secrets, *extra):
    """`docker run` with the production settings: loopback-only port, read-only root, tmpfs for /tmp."""
    argv = ["docker", "run", "--read-only", "--tmpfs=/tmp", f"--publish=127.0.0.1:{port}:8501", *extra]
    if secrets and (ROOT / secrets).is_file():  # st.secrets reads a file, so mount it read-only
        argv.append(f"--volume={(ROOT / secrets).resolve()}:/app/.streamlit/secrets.toml:ro")
    return [*argv, tag]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def health(name, port):
    """(Docker's health status of the container, or its state if it is not running; the body of /_stcore/health)."""
    found = subprocess.run(["docker", "inspect", name], capture_output=True, text=True)
    state = json.loads(found.stdout)[0]["State"] if found.returncode == 0 else {"Status": "gone"}
    status = state.get("Health", {}).get("Status") if state["Status"] == "running" else state["Status"]
    return status, stcore_health(port)


def stcore_health(port):
    """The body of http://127.0.0.1:PORT/_stcore/health ("ok"), or None while nothing answers."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            return response.read().decode()
    except OSError:
        return None


def wait_until_healthy(name, port, timeout):
    """Return once Docker says healthy and /_stcore/health says ok; Exit with the container's last logs if not."""
    deadline = time.monotonic() + timeout
    while (found := health(name, port)) != ("healthy", "ok"):
        stopped = found[0] in ("exited", "dead", "gone")
        if stopped or time.monotonic() > deadline:
            subprocess.run(["docker", "logs", "--tail=30", name])
            why = "stopped" if stopped else f"is not healthy after {timeout}s"
            raise Exit(f"error: the container {why} (health: {found[0]}, /_stcore/health: {found[1]!r})", 1)
        time.sleep(1)
