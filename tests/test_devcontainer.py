"""The baked dev container: its devcontainer.json read offline for every Python version, then built,
entered and checked with the real devcontainer CLI (tests/tools, installed by .ci/run) for each lock engine.

The slow test leaves nothing behind: its containers are removed by their devcontainer.local_folder label
and the images the CLI built (vsc-<unique project slug>-*) are removed by name; base images are kept.
"""

import json
import os
import re
import uuid

import json5
import pytest
from helpers import (
    DEFAULT_PYTHON,
    LOCK_FILES,
    LOCK_TOOLS,
    PYTHON_VERSIONS,
    DevContainer,
    bake,
    devcontainer_cli,
    lockfile,
    run,
)
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

APP_PORT = 8501
VENV = "/home/dev/.venv"


def parse_jsonc(text):
    """JSON with comments and trailing commas, as the dev container spec (and the CLI) reads devcontainer.json."""
    return json5.loads(text)  # JSON5 is a superset of JSONC


def dockerfile_stages(dockerfile, build_args):
    """[(stage name or None, resolved FROM image)] in order, with global ARG defaults and `build_args` applied."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    values, stages = {}, []

    def substitute(value):
        return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: values.get(m.group(1) or m.group(2), ""), value)

    for line in text.splitlines():
        if match := re.match(r"\s*ARG\s+(\w+)(?:=(\S*))?\s*$", line, re.IGNORECASE):
            if not stages:  # global ARGs only: the ones a FROM line can read
                name, default = match.groups()
                values[name] = build_args.get(name, substitute(default or ""))
        elif match := re.match(r"\s*FROM\s+(\S+)(?:\s+AS\s+(\S+))?\s*$", line, re.IGNORECASE):
            stages.append((match.group(2), substitute(match.group(1))))
    return stages


def devcontainer(project):
    return parse_jsonc((project / ".devcontainer" / "devcontainer.json").read_text(encoding="utf-8"))


def test_devcontainer_json_parses_forwards_the_app_port_and_uses_no_features(tmp_path):
    project = bake(tmp_path)
    config = devcontainer(project)
    assert not config.get("features"), "dev container features are fetched at build time, unpinned"
    assert "image" not in config and "dockerComposeFile" not in config, "the dev container must build the Dockerfile"
    assert APP_PORT in config["forwardPorts"]
    assert "invoke run" in config["portsAttributes"][str(APP_PORT)]["label"]
    assert "invoke run" in config["postAttachCommand"]
    assert config["remoteUser"] not in ("root", "0")
    assert re.search(rf"\buseradd\b[^\n]*\s{re.escape(config['remoteUser'])}\s*$",
                     (project / "Dockerfile").read_text(), re.MULTILINE), "the Dockerfile creates no such user"  # fmt: skip
    assert config["updateContentCommand"] == "sh .devcontainer/install-locks.sh"
    assert (project / ".devcontainer" / "install-locks.sh").is_file()
    assert config["customizations"]["vscode"]["settings"]["python.defaultInterpreterPath"] == f"{VENV}/bin/python"
    assert ".devcontainer" in (project / ".dockerignore").read_text().splitlines(), "it would land in the app image"


def test_the_install_script_keeps_lf_line_endings_in_a_windows_checkout(tmp_path):
    """Git for Windows converts text to CRLF by default; Linux's sh cannot run a script with CRLF lines."""
    project = bake(tmp_path)
    run(["git", "init", "--quiet"], cwd=project)
    found = run(["git", "check-attr", "eol", "text", "--", ".devcontainer/install-locks.sh"], cwd=project).stdout
    assert found.splitlines() == [
        ".devcontainer/install-locks.sh: eol: lf",
        ".devcontainer/install-locks.sh: text: set",
    ]
    assert b"\r" not in (project / ".devcontainer" / "install-locks.sh").read_bytes()


def test_the_jsonc_reader_takes_comments_and_trailing_commas_but_not_broken_json():
    text = '{\n  // a comment\n  "a": "x // y /* z */", /* block */\n  "b": [1, 2,],\n}\n'
    assert parse_jsonc(text) == {"a": "x // y /* z */", "b": [1, 2]}
    with pytest.raises(ValueError):
        parse_jsonc('{"a": 1 "b": 2}')


@pytest.mark.parametrize("version", PYTHON_VERSIONS)
def test_the_dev_container_builds_the_dockerfile_dev_stage_on_the_python_of_python_version(tmp_path, version):
    """devcontainer.json cannot read .python-version; it builds the Dockerfile, whose base the bake sets to that minor."""
    project = bake(tmp_path, python_version=version)
    build = devcontainer(project)["build"]
    assert (project / ".devcontainer" / build["dockerfile"]).resolve() == (project / "Dockerfile").resolve()
    assert (project / ".devcontainer" / build["context"]).resolve() == project.resolve()
    stages = dockerfile_stages(project / "Dockerfile", build.get("args", {}))
    names = [name for name, _ in stages]
    assert build["target"] == "dev" and "dev" in names
    assert names[-1] != "dev", "a plain `docker build` must end at the runtime image, not the dev container"
    bases = dict(stages)
    python = (project / ".python-version").read_text().strip()
    assert python == version
    assert re.fullmatch(rf"python:{re.escape(python)}-slim(@sha256:[0-9a-f]{{64}})?", bases["dev"]), bases["dev"]
    assert bases["dev"] == stages[-1][1], "the dev container and the production image must share one base image"


def test_the_baked_readme_sends_windows_users_to_the_dev_container_section(tmp_path):
    readme = (bake(tmp_path) / "README.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", readme, re.MULTILINE)
    assert headings[headings.index("Set up and run") + 1] == "Develop in a dev container"
    setup = readme.split("## Set up and run", 1)[1].split("\n## ", 1)[0]
    (windows,) = [line for line in setup.splitlines() if line.startswith("On Windows")]
    assert "(#develop-in-a-dev-container)" in windows


# The slow test: the real CLI, a real engine, the network to the package index.


def pins_for(lock_text, environment):
    """{name: version} of the lock's pins whose markers hold in `environment` (what pip installs there)."""
    pins = {}
    for name, pin in lockfile.parse(lock_text).items():
        marker = Requirement(pin.text.splitlines()[0].strip().removesuffix("\\").strip()).marker
        if marker is None or marker.evaluate(environment):
            pins[name] = pin.version
    return pins


PROBE = r"""
import importlib.metadata as md, json, os, shutil, sys
from packaging.markers import default_environment
print(json.dumps({
    "environment": default_environment(),
    "prefix": sys.prefix,
    "python": "%d.%d" % sys.version_info[:2],
    "uid": os.getuid(),
    "dists": sorted(f"{d.metadata['Name']}=={d.version}" for d in md.distributions()),
    "invoke": shutil.which("invoke"),
    "git": shutil.which("git"),
    "workspace_writable": os.access(".", os.W_OK),
}))
"""

SERVE = f"""
invoke run >/tmp/app.log 2>&1 &
python - <<'EOF' || {{ cat /tmp/app.log; exit 1; }}
import time, urllib.request
for _ in range(60):
    try:
        with urllib.request.urlopen("http://127.0.0.1:{APP_PORT}/_stcore/health", timeout=2) as response:
            print(response.read().decode())
            break
    except OSError:
        time.sleep(1)
else:
    raise SystemExit("the app never answered on port {APP_PORT}")
EOF
"""


@pytest.mark.slow
@pytest.mark.docker
@pytest.mark.parametrize("lock_tool", LOCK_TOOLS)
def test_the_dev_container_holds_exactly_the_locks_and_passes_the_tests_and_the_lock_check(docker, tmp_path, lock_tool):
    devcontainer_cli()
    slug = f"dc-test-{lock_tool}-{uuid.uuid4().hex[:8]}"  # names the CLI's images: vsc-<slug>-<hash>
    project = bake(tmp_path, python_version=DEFAULT_PYTHON, lock_tool=lock_tool, project_slug=slug)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # The CLI gives the container's user the host user's UID, except root's: a root host here plays a
        # desktop user with the common UID 1000, whose files the container's `dev` (1000) can write.
        for path in [project, *project.rglob("*")]:
            os.chown(path, 1000, 1000)
    container = DevContainer(docker, project)
    try:
        up = container.cli("up")
        outcome = json.loads(up.stdout.strip().splitlines()[-1])
        assert outcome["outcome"] == "success" and outcome["remoteUser"] == "dev", up.stdout

        found = json.loads(container.exec("python", "-c", PROBE).stdout)
        assert (found["prefix"], found["python"]) == (VENV, DEFAULT_PYTHON)
        assert found["uid"] != 0 and found["workspace_writable"], found
        assert found["invoke"] == f"{VENV}/bin/invoke" and found["git"], found
        pins = {}
        for name in LOCK_FILES:
            pins |= pins_for((project / name).read_text(), found["environment"])
        installed = {canonicalize_name(d.split("==")[0]): d.split("==")[1] for d in found["dists"]}
        assert installed == pins, (
            f"installed, not pinned: {sorted(installed.items() - pins.items())}; "
            f"pinned, not installed: {sorted(pins.items() - installed.items())}"
        )

        tested = container.exec("invoke", "test")
        assert re.search(r"^=+ \d+ passed", tested.stdout, re.MULTILINE), tested.stdout
        checked = container.exec("invoke", "lock", "--check")
        assert "ok: requirements.txt and requirements-dev.txt are exactly" in checked.stdout, checked.stdout
        assert container.exec("sh", "-c", SERVE).stdout.strip() == "ok"

        # The install refuses a Python other than .python-version's, before it touches the venv ...
        python_version = project / ".python-version"
        python_version.write_text("3.99\n")
        refused = container.exec("sh", ".devcontainer/install-locks.sh", check=False)
        assert refused.returncode != 0
        assert f"runs Python {DEFAULT_PYTHON} but .python-version says 3.99" in refused.stdout + refused.stderr
        assert container.exec("invoke", "--version").returncode == 0, "the refused install broke the venv"
        python_version.write_text(f"{DEFAULT_PYTHON}\n")
        # ... and a lock whose hash does not match what the index serves.
        lock = project / "requirements.txt"
        text = lock.read_text()
        pin = next((p for p in lockfile.parse(text).values() if len(p.hashes) == 1), None)  # pip gets its one file
        assert pin, "no pin with a single hash in requirements.txt to tamper with"
        (digest,) = pin.hashes
        lock.write_text(text.replace(digest, digest[:-1] + ("0" if digest[-1] != "0" else "1"), 1))
        tampered = container.exec("sh", ".devcontainer/install-locks.sh", check=False)
        assert tampered.returncode != 0
        assert "DO NOT MATCH THE HASHES" in tampered.stdout + tampered.stderr, tampered.stdout[-3000:]
    finally:
        container.remove()
