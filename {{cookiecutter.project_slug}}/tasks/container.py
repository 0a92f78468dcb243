"""The production image: its base (pinned by digest), its SBOM, running it as production does, its health.

The Dockerfile's `ARG BASE_IMAGE=` is the one base of every stage and names the Python minor; its
`ARG MAIN_FILE=` is the script the image runs, `ARG BUILD_FROM_SOURCE=` what its builder builds. All must agree
with the project (.python-version, and pyproject.toml's settings), which `invoke lock --check` proves, so a
plain `docker build .` is right.
"""

import json
import os
import re
import shutil
import socket
import time
import urllib.request
from pathlib import Path

from invoke import Exit

from .project import ROOT, run, settings, venv_tool

IMAGE = re.sub(r"[^a-z0-9]+", "-", ROOT.name.lower()).strip("-") + ":latest"  # an image name Docker accepts
DOCKERFILE = ROOT / "Dockerfile"
BASE, MAIN, BUILD = "ARG BASE_IMAGE=", "ARG MAIN_FILE=", "ARG BUILD_FROM_SOURCE="
SBOM = "sbom.cdx.json"


def docker_answers(c):
    return bool(shutil.which("docker")) and run(c, ["docker", "info"], quiet=True, check=False).ok


def require_docker(c):
    if not docker_answers(c):
        raise Exit("error: no Docker engine answers (`docker info` failed); start Docker, then retry")


def dockerfile_arg(prefix, path=DOCKERFILE, absent=None):
    """The default of `ARG NAME=` in the Dockerfile (`absent` when it has no such line, if given)."""
    for line in path.read_text().splitlines():
        if line.startswith(prefix):
            return line.removeprefix(prefix).strip().strip('"')
    if absent is not None:
        return absent
    raise Exit(f"error: {path.name} has no `{prefix}...` line; restore it from git (or the template), then retry")


def with_arg(prefix, value, path=DOCKERFILE):
    """The Dockerfile's text with `ARG NAME=` set to `value`."""
    lines = path.read_text().splitlines(keepends=True)
    return "".join(f"{prefix}{value}\n" if line.startswith(prefix) else line for line in lines)


def split(reference):
    """(repository, tag or None, digest or None) of a reference such as 127.0.0.1:5000/python:3.12-slim@sha256:..."""
    name, _, digest = reference.partition("@")
    repository, colon, tag = name.rpartition(":")
    return (repository, tag, digest or None) if colon and "/" not in tag else (name, None, digest or None)


def base_for(version, reference):
    """`reference` moved to Python `version` ("python:3.12-slim@sha256:..." -> "python:3.13-slim"), digest dropped."""
    repository, tag, _ = split(reference)
    return repository + ":" + re.sub(r"^3\.\d+(\.\d+)?", version, tag or version + "-slim")


def disagreements(version, root=ROOT, base=True):
    """One line for each thing the Dockerfile says that the project's files do not: the Python minor (with `base`)
    and the main file."""
    path, problems = Path(root) / "Dockerfile", []
    if not path.is_file():
        return problems
    image, main = dockerfile_arg(BASE, path), dockerfile_arg(MAIN, path)
    found = re.match(r"3\.\d+", split(image)[1] or "")
    if base and found and found.group() != version:
        problems.append(
            f"error: the Dockerfile's base is {image} (Python {found.group()}) but .python-version says {version}; "
            f"run `invoke python {version}`, which moves both, then commit"
        )
    if main != settings(root)["main-file"]:
        problems.append(
            f"error: the Dockerfile runs {main} (ARG MAIN_FILE) but main-file in pyproject.toml says "
            f"{settings(root)['main-file']}; make them the same, then commit"
        )
    building = " ".join(settings(root)["build-from-source"])
    if dockerfile_arg(BUILD, path, absent="") != building:
        problems.append(
            f"error: the Dockerfile's ARG BUILD_FROM_SOURCE is not build-from-source in pyproject.toml; write "
            f'ARG BUILD_FROM_SOURCE="{building}" in the Dockerfile (the packages its builder builds), then commit'
        )
    return problems


def resolve(c, reference):
    """`repository:tag@sha256:<digest>` for `reference`, from your engine after a `docker pull`."""
    if run(c, ["docker", "pull", reference], check=False).failed:
        raise Exit(f"error: `docker pull {reference}` failed (see above); check the name and the registry, then retry")
    found = run(c, ["docker", "image", "inspect", reference], quiet=True, check=False)
    repository, tag, _ = split(reference)
    digests = (json.loads(found.stdout)[0].get("RepoDigests") or []) if found.ok else []
    names = (repository, f"docker.io/{repository}", f"docker.io/library/{repository}")
    wanted = [d for d in digests if d.split("@", 1)[0] in names]
    if not wanted:
        raise Exit(
            f"error: the engine reports no registry digest for {reference} (a local build has none); "
            "push it to a registry and pass that reference with --image"
        )
    return f"{repository}:{tag or 'latest'}@{wanted[0].split('@', 1)[1]}"


def unpinned_warning(path=DOCKERFILE):
    base = dockerfile_arg(BASE, path) if path.exists() else None  # no Dockerfile: docker build says so
    if base and "@sha256:" not in base:
        return (
            f"warning: the base image {base} is not pinned by digest, so a rebuild may start from other "
            "bytes; run `invoke pin-base-image` and commit the Dockerfile"
        )
    return None


def write_sbom(c, output=SBOM, required=True):
    """A CycloneDX SBOM of requirements.txt, schema-validated and reproducible (same lock, same bytes)."""
    try:
        venv_tool("cyclonedx-py")
    except Exit:
        if required:
            raise
        print(f"warning: cyclonedx-py is not installed in this venv; no {output} written, so the image carries none")
        return
    argv = ["cyclonedx-py", "requirements", "--output-reproducible", "--validate", "--spec-version=1.6"]
    run(c, [*argv, "--output-format=JSON", f"--output-file={output}", "requirements.txt"])


def run_argv(tag, port, secrets, *extra):
    """`docker run` with the production settings: loopback-only port, read-only root, tmpfs for /tmp."""
    argv = ["docker", "run", "--read-only", "--tmpfs=/tmp", f"--publish=127.0.0.1:{port}:8501", *extra]
    # Replicas must share one cookie secret (see docs/kubernetes.md); pass yours through when it is set.
    argv += ["--env=STREAMLIT_SERVER_COOKIE_SECRET"] if "STREAMLIT_SERVER_COOKIE_SECRET" in os.environ else []
    if secrets and (ROOT / secrets).is_file():  # st.secrets reads a file, so mount it read-only
        argv.append(f"--volume={(ROOT / secrets).resolve()}:/app/.streamlit/secrets.toml:ro")
    return [*argv, tag]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stcore_health(port):
    """The body of http://127.0.0.1:PORT/_stcore/health ("ok"), or None while nothing answers."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
            return response.read().decode()
    except OSError:
        return None


def wait_until_healthy(c, name, port, timeout):
    """Return once Docker says healthy and /_stcore/health says ok; Exit with the container's last logs if not."""
    deadline = time.monotonic() + timeout
    while True:
        found = run(c, ["docker", "inspect", name], quiet=True, check=False)
        state = json.loads(found.stdout)[0]["State"] if found.ok else {"Status": "gone"}
        status = state.get("Health", {}).get("Status") if state["Status"] == "running" else state["Status"]
        if (status, stcore_health(port)) == ("healthy", "ok"):
            return
        if status in ("exited", "dead", "gone") or time.monotonic() > deadline:
            run(c, ["docker", "logs", "--tail=30", name], check=False)
            why = "stopped" if status in ("exited", "dead", "gone") else f"is not healthy after {timeout}s"
            raise Exit(f"error: the container {why} (health: {status}, /_stcore/health: {stcore_health(port)!r})")
        time.sleep(1)
