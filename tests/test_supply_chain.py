"""Supply chain: the upgrade cooldown, the base image pinned by digest, the SBOM, the same venv bytes twice.

Real parts only: uv and pip-compile against the index (with an independent resolver limited the same
way as the expectation), the index's own upload times, a local registry (Debian's docker-registry)
with the stand-in base image pushed to it, Renovate's extract, cyclonedx-py and the CycloneDX schema,
and two `docker build --no-cache` runs compared file by file.
"""

import hashlib
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from helpers import (
    DEFAULT_PYTHON,
    LOCK_FILES,
    LOCK_TOOLS,
    NO_DOCKER_ENV,
    ROOT,
    bake,
    exclusive,
    lockfile,
    registry_digest,
    run,
)
from packaging.utils import canonicalize_name, parse_sdist_filename, parse_wheel_filename
from packaging.version import Version

RENOVATE = ROOT / "tests" / "tools" / "node_modules" / ".bin" / "renovate"
COOLDOWN = re.compile(r"^Cooldown: 7 days: only releases uploaded before (\S+Z) were taken\.$", re.MULTILINE)
HELD = re.compile(r"^Held \(younger than the cooldown, already locked, so never moved back\): (.*)\.$", re.MULTILINE)


def header(text):
    """The comment lines before the first pin: the command a bot re-runs."""
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


def first_upload(name, version):
    """When the index first published any file of name==version (PEP 691 JSON, PEP 700 upload times)."""
    from pip._internal.models.index import PyPI  # pip's own default index: no host written here

    request = urllib.request.Request(
        f"{PyPI.simple_url}/{canonicalize_name(name)}/", headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        files = json.load(response)["files"]
    times = []
    for entry in files:
        filename = entry["filename"]
        try:
            found = (
                parse_wheel_filename(filename)[1] if filename.endswith(".whl") else parse_sdist_filename(filename)[1]
            )
        except ValueError:
            continue
        if found == Version(version):
            times.append(datetime.fromisoformat(entry["upload-time"].replace("Z", "+00:00")))
    assert times, f"the index lists no file of {name}=={version}"
    return min(times)


def recorded_command(lock_text):
    """The compile command a lock's header records (what bots re-run), as argv."""
    (line,) = [line for line in header(lock_text).splitlines() if re.match(r"^#\s+(uv pip compile|pip-compile) ", line)]
    return shlex.split(line.lstrip("#").strip())


def limited_compile(venv, project, engine, cut, tmp_path):
    """Both locks from scratch by each header's own command plus the engine's command-line cutoff."""
    scratch = tmp_path / "limited"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(project, scratch)
    commands = [recorded_command((project / name).read_text()) for name in LOCK_FILES]
    for name in LOCK_FILES:
        (scratch / name).unlink()
    tools = venv.path / "bin"
    for argv in commands:
        if engine == "uv":
            argv = [tools / "uv", *argv[1:], "--quiet", f"--exclude-newer={cut}"]
        else:
            argv = [tools / "pip-compile", *argv[1:], "--quiet", f"--pip-args=--uploaded-prior-to={cut}"]
        run(argv, cwd=scratch)
    return {name: (scratch / name).read_text() for name in LOCK_FILES}


@pytest.mark.slow
@pytest.mark.parametrize("engine", LOCK_TOOLS)
def test_an_upgrade_under_the_cooldown_takes_no_release_younger_than_the_window(engine, tmp_path, baked_venv):
    """Default 7 days: every pin is what a resolver limited to the same cutoff picks, or a held younger pin never moved back.

    The cutoff reaches the engine as an environment variable, so both lock headers stay byte-identical, and
    `invoke lock --check` still accepts the held pins younger than the window.
    """
    project = bake(tmp_path, lock_tool=engine, python_version=DEFAULT_PYTHON)
    venv = baked_venv(engine, DEFAULT_PYTHON)
    venv.invoke(project, "lock")  # the headers `invoke lock` writes with this project's tasks: the upgrade's must match
    old = {name: (project / name).read_text() for name in LOCK_FILES}
    before = datetime.now(UTC)
    result = venv.invoke(project, "upgrade", f"--summary={tmp_path / 'summary.md'}")
    summary = (tmp_path / "summary.md").read_text()
    assert summary in result.stdout
    cut = COOLDOWN.search(summary).group(1)
    cutoff = datetime.fromisoformat(cut.replace("Z", "+00:00"))
    assert abs(cutoff - (before - timedelta(days=7))) < timedelta(minutes=5)
    new = {name: (project / name).read_text() for name in LOCK_FILES}
    for name in LOCK_FILES:
        assert header(new[name]) == header(old[name]), f"the cooldown leaked into {name}'s header"

    held = {}
    if match := HELD.search(summary):
        held = {canonicalize_name(n): v for n, v in (item.rsplit(" ", 1) for item in match.group(1).split(", "))}
    expected = limited_compile(venv, project, engine, cut, tmp_path)
    for name in LOCK_FILES:
        before_pins, after_pins = lockfile.versions(old[name]), lockfile.versions(new[name])
        limited = lockfile.versions(expected[name])
        assert after_pins.keys() == limited.keys(), name
        for package, version in after_pins.items():
            if package in held:  # kept by the upgrade: younger than the window, so the limited resolver must not see it
                assert version == held[package] == before_pins[package], (name, package)
                assert Version(limited[package]) < Version(version), (name, package, limited[package])
                assert first_upload(package, version) > cutoff, (package, version)
            else:
                assert version == limited[package], (name, package, version, limited[package])
            if package in before_pins:
                assert Version(version) >= Version(before_pins[package]), f"{package} moved back in {name}"
            if version != before_pins.get(package):  # a move: its release must be older than the window
                assert first_upload(package, version) < cutoff, (package, version)

    venv.invoke(project, "lock", "--check")  # no cooldown there: pins younger than the window stay valid

    if held:  # one of them named alone is held as well (pip-tools learns the newest allowed from a full upgrade)
        name = sorted(held)[0]
        kept = {lock: (project / lock).read_text() for lock in LOCK_FILES}
        alone = venv.invoke(project, "upgrade", f"--package={name}")
        assert f"{name} {held[name]}" in HELD.search(alone.stdout).group(1).split(", ")
        assert {lock: lockfile.versions((project / lock).read_text()) for lock in LOCK_FILES} == {
            lock: lockfile.versions(text) for lock, text in kept.items()
        }


@pytest.mark.slow
def test_cooldown_days_zero_takes_releases_of_any_age_and_a_negative_number_is_refused(tmp_path, baked_venv):
    project = bake(tmp_path, lock_tool="uv", python_version=DEFAULT_PYTHON)
    venv = baked_venv("uv", DEFAULT_PYTHON)
    old = (project / "requirements.txt").read_bytes()
    refused = venv.invoke(project, "upgrade", "--cooldown-days=-1", check=False)
    assert refused.returncode == 1 and refused.stderr.strip().startswith("error: --cooldown-days must be 0 or more")
    assert (project / "requirements.txt").read_bytes() == old

    unwritable = tmp_path / "no-such-folder" / "summary.md"
    refused = venv.invoke(project, "upgrade", "--cooldown-days=0", f"--summary={unwritable}", check=False)
    assert refused.returncode == 1 and refused.stderr.strip() == (
        f"error: could not write --summary {unwritable} (No such file or directory); the locks are unchanged"
    )
    assert (project / "requirements.txt").read_bytes() == old

    result = venv.invoke(project, "upgrade", "--cooldown-days=0")
    assert "Cooldown: none (`--cooldown-days 0`): releases of any age were taken." in result.stdout
    assert "UV_EXCLUDE_NEWER" not in result.stdout and "Held" not in result.stdout
    unlimited = limited_compile(
        venv, project, "uv", (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ"), tmp_path
    )
    assert lockfile.versions((project / "requirements.txt").read_text()) == lockfile.versions(
        unlimited["requirements.txt"]
    )


# --- the SBOM ---------------------------------------------------------------------------------------

VALIDATE = """
import sys
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(open(sys.argv[1]).read())
print(error or "valid")
"""


@pytest.mark.slow
def test_invoke_sbom_lists_every_pin_with_its_version_and_hashes_and_validates(tmp_path, baked_venv):
    project = bake(tmp_path, python_version=DEFAULT_PYTHON)
    venv = baked_venv("pip-tools", DEFAULT_PYTHON)
    result = venv.invoke(project, "sbom")
    assert "+ cyclonedx-py requirements --output-reproducible --validate" in result.stdout
    sbom = json.loads((project / "sbom.cdx.json").read_text())
    assert sbom["bomFormat"] == "CycloneDX" and sbom["specVersion"] == "1.6"
    pins = lockfile.parse((project / "requirements.txt").read_text())
    components = {canonicalize_name(c["name"]): c for c in sbom["components"]}
    assert components.keys() == pins.keys()
    for name, pin in pins.items():
        component = components[name]
        assert component["version"] == pin.version and component["purl"] == f"pkg:pypi/{name}@{pin.version}"
        hashes = {f"sha256:{h['content']}" for ref in component["externalReferences"] for h in ref.get("hashes", [])
                  if h["alg"] == "SHA-256"}  # fmt: skip
        assert hashes == set(pin.hashes), name
    assert run([venv.python, "-c", VALIDATE, project / "sbom.cdx.json"], cwd=tmp_path).stdout == "valid\n"

    # The same lock gives the same bytes; and the schema check can fail.
    first = (project / "sbom.cdx.json").read_bytes()
    venv.invoke(project, "sbom")
    assert (project / "sbom.cdx.json").read_bytes() == first
    sbom["components"][0]["hashes"] = [{"alg": "SHA-256", "content": "not-a-digest"}]
    (tmp_path / "broken.json").write_text(json.dumps(sbom))
    assert run([venv.python, "-c", VALIDATE, tmp_path / "broken.json"], cwd=tmp_path).stdout != "valid\n"


def test_pin_base_image_says_when_no_docker_engine_answers(tmp_path):
    project = bake(tmp_path)
    dockerfile = (project / "Dockerfile").read_bytes()
    result = run([sys.executable, "-m", "invoke", "pin-base-image"], cwd=project, check=False, env=NO_DOCKER_ENV)
    assert result.returncode == 1
    assert result.stderr.strip() == "error: no Docker engine answers (`docker info` failed); start Docker, then retry"
    assert (project / "Dockerfile").read_bytes() == dockerfile


def test_lock_docker_says_when_no_docker_engine_answers(tmp_path):
    project = bake(tmp_path, lock_tool="pip-tools")
    locks = {name: (project / name).read_bytes() for name in LOCK_FILES}
    result = run([sys.executable, "-m", "invoke", "lock", "--docker"], cwd=project, check=False, env=NO_DOCKER_ENV)
    assert result.returncode == 1
    assert result.stderr.strip() == "error: no Docker engine answers (`docker info` failed); start Docker, then retry"
    assert {name: (project / name).read_bytes() for name in LOCK_FILES} == locks


def test_the_template_ships_no_digest_and_the_build_says_it_is_unpinned(tmp_path):
    project = bake(tmp_path)
    text = (project / "Dockerfile").read_text()
    (line,) = [line for line in text.splitlines() if line.startswith("ARG BASE_IMAGE=")]
    assert line == f"ARG BASE_IMAGE=python:{DEFAULT_PYTHON}-slim"  # no digest until the owner's engine resolves one
    assert "is not pinned by digest; run \\`invoke pin-base-image\\`" in text


def test_docker_build_warns_of_a_base_without_a_digest_and_of_no_base_without_a_dockerfile(baked_tasks, tmp_path):
    unpinned_warning, dockerfile = baked_tasks.container.unpinned_warning, tmp_path / "Dockerfile"
    assert unpinned_warning(dockerfile) is None  # `docker build` itself names the missing file
    dockerfile.write_text("FROM scratch\nARG BASE_IMAGE=python:3.12-slim\n")
    assert unpinned_warning(dockerfile).startswith("warning: the base image python:3.12-slim is not pinned by digest")
    dockerfile.write_text(f"ARG BASE_IMAGE=python:3.12-slim@sha256:{'0' * 64}\n")
    assert unpinned_warning(dockerfile) is None


# --- the base image by digest, from a local registry ------------------------------------------------


def build(docker, project, tag, *extra, check=True):
    argv = [docker, "build", "--force-rm", f"--tag={tag}", *extra, "."]
    result = subprocess.run(argv, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if check and result.returncode:
        raise AssertionError(f"docker build failed (exit {result.returncode}):\n{result.stdout[-5000:]}")
    return result


def venv_tree(docker, tag):
    """{path: sha256 of the content (or the link target)} for every file and link under /opt/venv of an image."""
    name = f"pinned-streamlit-test-{uuid.uuid4().hex[:10]}"
    run([docker, "create", f"--name={name}", tag], cwd=".")
    try:
        stream = subprocess.run([docker, "cp", f"{name}:/opt/venv", "-"], capture_output=True, check=True).stdout
    finally:
        subprocess.run([docker, "rm", "--force", name], capture_output=True)
    tree = {}
    with tarfile.open(fileobj=io.BytesIO(stream)) as archive:
        for member in archive:
            if member.isfile():
                tree[member.name] = hashlib.sha256(archive.extractfile(member).read()).hexdigest()
            elif member.issym():
                tree[member.name] = f"-> {member.linkname}"
    return tree


@pytest.fixture(scope="module")
def pinned(registry, docker, tmp_path_factory):
    """A project pinned by `invoke pin-base-image --image <local registry>`, and the digest the registry serves."""
    project = bake(tmp_path_factory.mktemp("pinned"), python_version=DEFAULT_PYTHON)
    reference = f"{registry}/python:{DEFAULT_PYTHON}-slim"
    result = run([sys.executable, "-m", "invoke", "pin-base-image", f"--image={reference}"], cwd=project)
    digest = registry_digest(registry, "python", f"{DEFAULT_PYTHON}-slim")
    assert f"base image: python:{DEFAULT_PYTHON}-slim -> {reference}@{digest}\n" in result.stdout
    return project, f"{reference}@{digest}", digest


@pytest.mark.slow
@pytest.mark.docker
def test_pin_base_image_writes_the_registrys_digest_and_renovate_extracts_it(pinned, tmp_path):
    project, reference, digest = pinned
    assert f"\nARG BASE_IMAGE={reference}\n" in (project / "Dockerfile").read_text()
    if not RENOVATE.exists():
        pytest.skip(f"{RENOVATE} is missing (.ci/run installs Renovate)")
    repo = tmp_path / "repo"
    shutil.copytree(project, repo)
    (repo / "renovate.json").write_text('{"extends": []}\n')
    git = ["git", "-c", "user.email=test@example.invalid", "-c", "user.name=test"]
    run([*git, "init", "--quiet"], cwd=repo)
    run([*git, "add", "--all"], cwd=repo)
    run([*git, "commit", "--quiet", "--message=baked"], cwd=repo)
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "LOG_LEVEL": "debug", "LOG_FORMAT": "json"}
    result = run([RENOVATE, "--platform=local", "--dry-run=extract", "--onboarding=false", "--require-config=optional"],
                 cwd=repo, env=env, timeout=300)  # fmt: skip
    deps = []
    for line in result.stdout.splitlines():
        record = json.loads(line) if line.startswith("{") else {}
        for package_file in record.get("packageFiles", {}).get("dockerfile", []):
            deps += package_file["deps"]
    assert deps, f"Renovate extracted no dockerfile dependency:\n{result.stdout[-3000:]}"
    wanted = {(d["depName"], d["currentValue"], d["currentDigest"]) for d in deps}
    registry_name = reference.split("/python:")[0] + "/python"
    assert wanted == {(registry_name, f"{DEFAULT_PYTHON}-slim", digest)}, wanted


@pytest.mark.slow
@pytest.mark.docker
def test_two_no_cache_builds_from_the_pinned_base_give_byte_identical_venvs(
    pinned, registry, docker, tmp_path, baked_venv
):
    """Builds by digest from the registry (the local copy removed first), twice with --no-cache; then a wrong digest fails.

    The image carries the SBOM that `invoke sbom` wrote (what `invoke docker-build` does first).
    """
    project, reference, digest = pinned
    baked_venv("pip-tools", DEFAULT_PYTHON).invoke(project, "sbom")
    tags = [f"pinned-streamlit-test-repro{i}-{uuid.uuid4().hex[:8]}:latest" for i in (1, 2)]
    subprocess.run([docker, "rmi", reference], capture_output=True)  # the build must fetch it by digest
    try:
        with exclusive(tmp_path.parent / "supply-chain-builds.lock"):
            first = build(docker, project, tags[0], "--no-cache")
            build(docker, project, tags[1], "--no-cache")
        assert f"base image pinned: {reference}" in first.stdout
        trees = [venv_tree(docker, tag) for tag in tags]
        assert trees[0] == trees[1], sorted(
            k for k in trees[0].keys() | trees[1].keys() if trees[0].get(k) != trees[1].get(k)
        )[:20]
        pycs = [name for name in trees[0] if name.endswith(".pyc")]
        assert len(pycs) > 1000 and any("/streamlit/__pycache__/" in name for name in pycs)
        flags = run([docker, "run", "--rm", tags[0], "python", "-c",
                     "import glob; print(sorted({int.from_bytes(open(p, 'rb').read(8)[4:8], 'little') "
                     "for p in glob.glob('/opt/venv/lib/*/site-packages/**/*.pyc', recursive=True)}))"], cwd=".")  # fmt: skip
        assert flags.stdout.strip() == "[3]", "every .pyc should be hash-based and checked (flags 0b11)"
        carried = run([docker, "run", "--rm", tags[0], "cat", "/app/sbom.cdx.json"], cwd=".").stdout
        assert carried == (project / "sbom.cdx.json").read_text()

        wrong = digest[:-1] + ("0" if digest[-1] != "0" else "1")
        dockerfile = (project / "Dockerfile").read_text()
        (project / "Dockerfile").write_text(dockerfile.replace(digest, wrong))
        try:
            failed = build(docker, project, f"pinned-streamlit-test-wrong-{uuid.uuid4().hex[:8]}:latest", check=False)
        finally:
            (project / "Dockerfile").write_text(dockerfile)
        assert failed.returncode != 0 and wrong in failed.stdout, failed.stdout[-3000:]
        assert "manifest unknown" in failed.stdout.lower() or "not found" in failed.stdout.lower(), failed.stdout[
            -3000:
        ]
    finally:
        subprocess.run([docker, "rmi", "--force", *tags], capture_output=True)
