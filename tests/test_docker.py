"""The baked Dockerfile, linted, then built and run with a real Docker engine for every offered Python.

Each Python version is baked and built once (module fixture `image`); the tests read that image,
run it read-only, and rebuild variants of its project (tampered hash, app-only change) that reuse
the builder cache. Containers publish on 127.0.0.1 only and are always removed; test images are
removed at the end, base images are kept. Without a Docker engine the dynamic tests skip, saying so.
"""

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import DEFAULT_PYTHON, PYTHON_VERSIONS, bake, exclusive, free_port, invoke, run

HADOLINT = Path(sys.executable).parent / "hadolint"
HEALTH_TIMEOUT = 90  # seconds for a container to become healthy (the first check runs after 10 s)
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+)", re.MULTILINE)
COMPILERS = ("gcc", "cc", "c++", "g++", "clang", "make", "ld")


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def unique_tag(label):
    return f"pinned-streamlit-test-{label}-{uuid.uuid4().hex[:10]}:latest"


def build(docker, project, tag, version, *extra, check=True):
    """`docker build` the project; returns the CompletedProcess (stdout and stderr merged)."""
    argv = [docker, "build", "--force-rm", f"--tag={tag}", *extra, "."]
    result = subprocess.run(argv, check=False, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if check and result.returncode:
        raise AssertionError(f"docker build failed (exit {result.returncode}):\n{result.stdout[-5000:]}")
    return result


def inspect(docker, *names):
    return json.loads(run([docker, "inspect", *names], cwd=".").stdout)


def remove_images(docker, *tags):
    subprocess.run([docker, "rmi", "--force", *tags], check=False, capture_output=True)


@dataclass
class Image:
    version: str
    project: Path
    tag: str


@pytest.fixture(scope="module", params=PYTHON_VERSIONS)
def image(request, docker, tmp_path_factory):
    """A project baked for one Python version, planted with files that must never reach the image, and built.

    Workers that need the same version build one after the other: the first installs, the rest hit its cache.
    """
    version = request.param
    project = bake(tmp_path_factory.mktemp(f"docker-{version}"), python_version=version)
    lock = (project / "requirements.txt").read_text()
    assert PIN.search(lock), f"the shipped requirements.txt for {version} holds no pins; run scripts/refresh_locks.py"
    (project / ".streamlit" / "secrets.toml").write_text('api_key = "must-not-be-in-the-image"\n')
    for planted in (".git/HEAD", ".venv/bin/planted", "tests/__pycache__/planted.pyc"):
        (project / planted).parent.mkdir(parents=True, exist_ok=True)
        (project / planted).write_text("planted\n")
    tag = unique_tag(version.replace(".", ""))
    with exclusive(tmp_path_factory.getbasetemp().parent / f"docker-build-{version}.lock"):
        build(docker, project, tag, version)
    yield Image(version, project, tag)
    remove_images(docker, tag)


class Container:
    """A detached container of `tag`, read-only with a tmpfs, its port published on 127.0.0.1 only."""

    def __init__(self, docker, tag, *extra):
        self.docker = docker
        self.name = f"pinned-streamlit-test-{uuid.uuid4().hex[:10]}"
        run([docker, "run", "--detach", f"--name={self.name}", "--read-only", "--tmpfs=/tmp",
             "--publish=127.0.0.1::8501", *extra, tag], cwd=".")  # fmt: skip
        address = run([docker, "port", self.name, "8501/tcp"], cwd=".").stdout.split()[0]
        assert address.startswith("127.0.0.1:"), f"published on {address}, not on loopback only"
        self.url = f"http://{address}"

    def state(self):
        return inspect(self.docker, self.name)[0]["State"]

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            return response.status, response.read().decode()

    def wait_healthy(self, timeout=HEALTH_TIMEOUT):
        """Wait until Docker's health status is healthy and /_stcore/health answers ok; fail on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            state = self.state()
            assert state["Running"], f"the container stopped:\n{self.logs()}"
            try:
                body = self.get("/_stcore/health")[1]
            except OSError:
                body = None
            if state["Health"]["Status"] == "healthy" and body == "ok":
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"not healthy after {timeout}s: {state['Health']}, body {body!r}\n{self.logs()}")
            time.sleep(1)

    def exec(self, *argv, check=True):
        return run([self.docker, "exec", self.name, *argv], cwd=".", check=check)

    def logs(self):
        result = run([self.docker, "logs", self.name], cwd=".", check=False)
        return result.stdout + result.stderr

    def remove(self):
        subprocess.run([self.docker, "rm", "--force", self.name], check=False, capture_output=True)


@pytest.fixture
def container(docker):
    started = []

    def start(tag, *extra):
        started.append(Container(docker, tag, *extra))
        return started[-1]

    yield start
    for each in started:
        each.remove()


def test_hadolint_finds_nothing(tmp_path):
    project = bake(tmp_path)
    result = run([HADOLINT, "Dockerfile"], cwd=project, check=False)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_docker_tasks_say_when_no_engine_answers(tmp_path):
    project = bake(tmp_path)
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "DOCKER_HOST": "unix:///nonexistent.sock",
    }
    for name in ("docker-build", "docker-run", "docker-smoke"):
        result = invoke(project, name, env=env)
        assert result.returncode == 1, result.stdout + result.stderr
        assert (
            result.stderr.strip() == "error: no Docker engine answers (`docker info` failed); start Docker, then retry"
        )


@pytest.mark.docker
def test_runs_healthy_read_only_as_non_root(image, docker, container, tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('api_key = "mounted at run time"\n')
    secrets.chmod(0o644)
    app = container(image.tag, f"--volume={secrets}:/app/.streamlit/secrets.toml:ro")
    app.wait_healthy()
    assert app.get("/")[0] == 200
    # PID 1 is Streamlit itself (the shell execs it), and it is not root.
    assert "streamlit" in app.exec("cat", "/proc/1/cmdline").stdout
    uids = re.search(r"^Uid:\s+(.*)$", app.exec("cat", "/proc/1/status").stdout, re.MULTILINE).group(1).split()
    assert "0" not in uids and len(uids) == 4, uids
    # The root filesystem is read-only, and the app still runs end to end on it.
    assert app.exec("touch", "/app/written", check=False).returncode != 0
    script = ("from streamlit.testing.v1 import AppTest; a = AppTest.from_file('streamlit_app.py', default_timeout=30).run(); "
              "assert not a.exception, a.exception; print(a.metric[0].value)")  # fmt: skip
    assert re.fullmatch(r"[\d,]+\.\d\d\n", app.exec("python", "-c", script).stdout)
    # Secrets mounted read-only at run time reach st.secrets (the README's way).
    secret = app.exec("python", "-c", "import streamlit as st; print(st.secrets['api_key'])").stdout
    assert secret == "mounted at run time\n"


@pytest.mark.docker
def test_image_holds_the_lock_and_the_app_only(image, docker):
    config = inspect(docker, image.tag)[0]["Config"]
    assert re.fullmatch(r"[1-9]\d*(:\d+)?", config["User"]), f"USER {config['User']!r} is not a numeric non-root uid"
    assert config["WorkingDir"] == "/app"
    assert list(config["ExposedPorts"]) == ["8501/tcp"]
    assert {"PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1"} <= set(config["Env"])
    # A shell reads MAIN_FILE (the main-file setting) and `exec`s Streamlit, so PID 1 is still Streamlit.
    assert config["Cmd"][:2] == ["sh", "-c"] and config.get("Entrypoint") is None
    assert config["Cmd"][2].startswith('exec streamlit run "$MAIN_FILE" ')
    assert "MAIN_FILE=streamlit_app.py" in config["Env"]
    assert {"--server.headless=true", "--server.address=0.0.0.0", "--server.port=8501"} <= set(config["Cmd"][2].split())
    assert (
        config["Healthcheck"]["Test"][:2] == ["CMD", "python"]
        and "/_stcore/health" in config["Healthcheck"]["Test"][-1]
    )

    probe = r"""
import importlib.metadata as md, json, os, shutil
print(json.dumps({
    "dists": sorted(f"{d.metadata['Name']}=={d.version}" for d in md.distributions()),
    "tools": [t for t in os.environ["COMPILERS"].split() if shutil.which(t)],
    "present": [p for p in ("/var/lib/apt/lists", "/root/.cache", "/tmp/.cache", "/app/.git", "/app/.venv", "/app/tests",
                            "/app/requirements-dev.txt", "/app/.streamlit/secrets.toml", "/opt/venv/bin/pip")
                if os.path.exists(p) and (p != "/var/lib/apt/lists" or set(os.listdir(p)) - {"lock", "partial", "auxfiles"})],
    "app": sorted(os.listdir("/app")),
}))
"""
    found = json.loads(run([docker, "run", "--rm", "--env", f"COMPILERS={' '.join(COMPILERS)}", image.tag,
                            "python", "-c", probe], cwd=".").stdout)  # fmt: skip
    pins = {f"{normalize(n)}=={v}" for n, v in PIN.findall((image.project / "requirements.txt").read_text())}
    dists = {f"{normalize(d.split('==')[0])}=={d.split('==')[1]}" for d in found["dists"]}
    assert dists == pins, f"in the image, not the lock: {dists - pins}; in the lock, not the image: {pins - dists}"
    assert found["tools"] == [], f"build tools in the final image: {found['tools']}"
    assert found["present"] == [], f"must not be in the image: {found['present']}"
    assert "streamlit_app.py" in found["app"] and ".streamlit" in found["app"]


def first_pure_python_pin(lock):
    """(name, version, block) of the first pin with exactly two hashes (a none-any wheel and its sdist)."""
    for match in re.finditer(
        r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+) \\\n((?:    --hash=sha256:\w+(?: \\)?\n)+)", lock, re.MULTILINE
    ):
        if match.group(3).count("--hash") == 2:
            return match.group(1), match.group(2), match.group(0)
    raise AssertionError("no pin with exactly two hashes in requirements.txt")


@pytest.mark.docker
def test_one_tampered_hash_fails_the_build(image, docker, tmp_path):
    """Flip one character of the hash of the very file pip installs: the build must stop on it."""
    lock = (image.project / "requirements.txt").read_text()
    name, version, block = first_pure_python_pin(lock)
    wheels = tmp_path / "wheel"
    run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", f"--dest={wheels}",
         f"{name}=={version}"], cwd=tmp_path)  # fmt: skip
    (wheel,) = wheels.iterdir()
    assert wheel.name.endswith("-none-any.whl"), wheel.name
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert f"sha256:{digest}" in block, f"{wheel.name}'s hash is not among {name}'s hashes in the lock"
    tampered_digest = digest[:-1] + ("0" if digest[-1] != "0" else "1")

    project = tmp_path / "project"
    shutil.copytree(image.project, project, symlinks=True)
    (project / "requirements.txt").write_text(lock.replace(digest, tampered_digest, 1))
    tag = unique_tag(f"tampered-{image.version.replace('.', '')}")
    try:
        result = build(docker, project, tag, image.version, check=False)
        assert result.returncode != 0, f"the build passed with a tampered hash for {name}:\n{result.stdout[-3000:]}"
        assert "DO NOT MATCH THE HASHES" in result.stdout and digest in result.stdout, result.stdout[-3000:]
        assert run([docker, "image", "inspect", tag], cwd=".", check=False).returncode != 0
    finally:
        remove_images(docker, tag)


@pytest.mark.docker
def test_app_only_change_reuses_the_install_layer(image, docker, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(image.project, project, symlinks=True)
    baseline, changed = (unique_tag(f"{what}-{image.version.replace('.', '')}") for what in ("baseline", "app-change"))
    try:
        build(docker, project, baseline, image.version)  # the image's own build again: all from cache
        with open(project / "streamlit_app.py", "a") as app:
            app.write('st.caption("An app-only change.")\n')
        result = build(docker, project, changed, image.version)
        before, after = (inspect(docker, tag)[0]["RootFS"]["Layers"] for tag in (baseline, changed))
        # Every layer but the app's is byte-identical: the venv was not reinstalled, only the app copied again.
        assert len(before) == len(after) and before[:-1] == after[:-1] and before[-1] != after[-1]
        assert "Collecting " not in result.stdout and "Downloading " not in result.stdout, result.stdout[-3000:]
    finally:
        remove_images(docker, baseline, changed)


@pytest.mark.docker
def test_base_image_is_a_build_argument(docker, tmp_path):
    """`invoke docker-build --base-image` swaps the base (as a digest or mirror would); here for a labelled local one."""
    base, tag = unique_tag("base"), unique_tag("on-custom-base")
    context = tmp_path / "base"
    context.mkdir()
    (context / "Dockerfile").write_text(f"FROM python:{DEFAULT_PYTHON}-slim\nLABEL test.base={base}\n")
    try:
        run([docker, "build", f"--tag={base}", "."], cwd=context)
        project = bake(tmp_path, python_version=DEFAULT_PYTHON)
        built = invoke(project, "docker-build", f"--tag={tag}", f"--base-image={base}", check=True)
        assert f" --build-arg=BASE_IMAGE={base} --tag={tag} .\n" in built.stdout
        assert inspect(docker, tag)[0]["Config"]["Labels"].get("test.base") == base
    finally:
        remove_images(docker, tag, base)


@pytest.mark.docker
def test_invoke_docker_build_and_smoke(docker, tmp_path):
    project = bake(tmp_path, python_version=DEFAULT_PYTHON)
    invoke = [sys.executable, "-m", "invoke"]
    tag = unique_tag("invoke")
    # Builds are reproducible: without a file of its own this image would be another test's, byte for byte, and
    # `--filter=ancestor=` below would also list that test's containers.
    (project / "image-of-this-test.txt").write_text(tag + "\n")
    try:
        built = run([*invoke, "docker-build", f"--tag={tag}"], cwd=project)
        assert f"+ docker build --tag={tag} .\n" in built.stdout

        smoke = run([*invoke, "docker-smoke", f"--tag={tag}"], cwd=project)
        assert "+ docker run --read-only --tmpfs=/tmp --publish=127.0.0.1:" in smoke.stdout
        assert re.search(
            r"^ok: .* is healthy and http://127\.0\.0\.1:\d+/_stcore/health answers ok$", smoke.stdout, re.MULTILINE
        )

        # Docker cannot call a container healthy before its first check (10 s): a 3 s timeout must fail, cleanly.
        late = run([*invoke, "docker-smoke", f"--tag={tag}", "--timeout=3"], cwd=project, check=False)
        assert late.returncode == 1
        assert re.search(
            r"^error: the container is not healthy after 3s \(health: starting", late.stderr, re.MULTILINE
        ), late.stderr
        left = run([docker, "ps", "--all", "--quiet", f"--filter=ancestor={tag}"], cwd=".").stdout
        assert left == "", "docker-smoke left its container behind"

        # docker-run: in the foreground, read-only, the project's secrets mounted; Ctrl-C stops and removes it.
        (project / ".streamlit" / "secrets.toml").write_text('api_key = "from docker-run"\n')
        port = free_port()
        foreground = subprocess.Popen([*invoke, "docker-run", f"--tag={tag}", f"--port={port}"], cwd=project,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)  # fmt: skip
        try:
            deadline = time.monotonic() + HEALTH_TIMEOUT
            while (ids := run([docker, "ps", "--quiet", f"--filter=ancestor={tag}"], cwd=".").stdout.split()) == []:
                assert foreground.poll() is None and time.monotonic() < deadline, "docker-run started no container"
                time.sleep(0.5)
            (started,) = inspect(docker, *ids)
            assert started["HostConfig"]["ReadonlyRootfs"] and started["HostConfig"]["AutoRemove"]
            assert started["HostConfig"]["PortBindings"] == {
                "8501/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]
            }
            mounts = {m["Destination"]: m for m in started["Mounts"]}
            assert mounts["/app/.streamlit/secrets.toml"]["RW"] is False
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                        if response.read() == b"ok":
                            break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "docker-run's app never answered on its port"
                time.sleep(0.5)
            os.killpg(foreground.pid, signal.SIGINT)
            output = foreground.communicate(timeout=30)[0]
        finally:
            if foreground.poll() is None:
                os.killpg(foreground.pid, signal.SIGKILL)
        assert f"The app will be on http://localhost:{port}" in output
        assert f" --volume={project / '.streamlit' / 'secrets.toml'}:/app/.streamlit/secrets.toml:ro {tag}\n" in output
        for _ in range(30):
            if run([docker, "ps", "--all", "--quiet", f"--filter=ancestor={tag}"], cwd=".").stdout == "":
                break
            time.sleep(1)
        else:
            raise AssertionError("the container of docker-run is still there after Ctrl-C")
    finally:
        remove_images(docker, tag)
