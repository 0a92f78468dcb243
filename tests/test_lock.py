"""The baked project's lock workflow, for real: fresh venvs from the locks, real compiles against the index.

For every lock engine and Python version: the shipped locks install with hashes required, the app's
tests pass, `invoke lock --check` passes, and each way a lock can drift makes it fail until `invoke
lock` repairs it. Failure paths (no network, unresolvable requirement, Ctrl-C) leave the locks intact.
"""

import os
import re
import signal
import subprocess
import time

import pytest
from helpers import (
    DEFAULT_PYTHON,
    IN_CONTAINER,
    LOCK_TOOLS,
    NO_DOCKER_ENV,
    PYTHON_VERSIONS,
    bake,
    find_python,
    flip_hash,
    lockfile,
    run,
    shipped_lock,
)
from helpers import LOCK_FILES as LOCKS
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

pytestmark = pytest.mark.slow

FIX_HINT = "run `invoke lock`"
STRAY = "text-unidecode"  # pinned by neither lock of either engine (asserted in the sync test)


def snapshot(project):
    return {p.relative_to(project): p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file()}


def assert_locks_are_shipped(project, lock_tool, python_version):
    for name in LOCKS:
        assert (project / name).read_bytes() == shipped_lock(lock_tool, python_version, name).read_bytes(), name


def pin_block(text, name):
    """The lines of one pin (requirement line, hashes, via comments) in a lock."""
    pins = lockfile.parse(text)
    assert name in pins, f"{name} is not pinned"
    return pins[name].text


def edit(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def other_minor(version):
    """A neighbouring offered minor whose resolution differs from this one's (not only in the header).

    uv's lock records no Python version, so a lock that resolves identically for two minors is
    the same lock; these pairs differ in what they need (numpy dropped 3.11; 3.13 needs fewer backports).
    3.14 resolves as 3.13 does, so its neighbour is 3.12 as 3.13's is.
    """
    return {"3.11": "3.12", "3.12": "3.13", "3.13": "3.12", "3.14": "3.12"}[version]


# Each drift makes the committed locks disagree with the .in files or .python-version in one way.
# `repaired`: "shipped" when `invoke lock` must restore the shipped locks byte for byte,
# "consistent" when the .in files changed too, so a fresh `lock --check` must pass afterwards.
def add_requirement(project, lock_tool, version):
    with (project / "requirements.in").open("a") as f:
        f.write("pyyaml\n")


def remove_requirement(project, lock_tool, version):
    edit(project / "requirements-dev.in", "ruff\n", "")


def loosen_requirement(project, lock_tool, version, venv):
    """Lock with a stricter requirement (an extra pulls in more packages), then loosen it back."""
    # cryptography (through authlib) ships no Intel Mac wheel after 48: the lock must still install there.
    edit(project / "requirements.in", "streamlit>=", "cryptography<=48.0.1\nstreamlit[auth]>=")
    venv.invoke(project, "lock")
    assert "authlib==" in (project / "requirements.txt").read_text()
    edit(project / "requirements.in", "cryptography<=48.0.1\nstreamlit[auth]>=", "streamlit>=")


def hand_edit_pin(project, lock_tool, version):
    lock = project / "requirements.txt"
    edit(lock, f"altair=={lockfile.versions(lock.read_text())['altair']}", "altair==5.5.0")


def drop_package(project, lock_tool, version):
    lock = project / "requirements.txt"
    edit(lock, pin_block(lock.read_text(), "narwhals"), "")


def add_package(project, lock_tool, version):
    lock = project / "requirements.txt"
    extra = "six==1.17.0 \\\n    --hash=sha256:" + "4" * 64 + "\n    # via streamlit\n"
    edit(lock, "streamlit==", extra + "streamlit==")


def tamper_hash(project, lock_tool, version):
    """Change one hash of numpy: its last file, which is not the one this machine installs."""
    flip_hash(project / "requirements.txt", "numpy", last=True)


def drop_hash(project, lock_tool, version):
    lock = project / "requirements.txt"
    block = pin_block(lock.read_text(), "numpy")
    middle_hash_line = block.splitlines(keepends=True)[3]
    assert middle_hash_line.strip().startswith("--hash=") and middle_hash_line.endswith("\\\n")
    edit(lock, block, block.replace(middle_hash_line, "", 1))


def locks_of_another_minor(project, lock_tool, version):
    for name in LOCKS:
        (project / name).write_bytes(shipped_lock(lock_tool, other_minor(version), name).read_bytes())


DRIFTS = {
    "added-requirement": (add_requirement, "consistent"),
    "removed-requirement": (remove_requirement, "consistent"),
    "loosened-requirement": (loosen_requirement, "shipped"),
    "hand-edited-pin": (hand_edit_pin, "consistent"),
    "missing-package": (drop_package, "shipped"),
    "extra-package": (add_package, "shipped"),
    "wrong-hash": (tamper_hash, "shipped"),
    "missing-hash": (drop_hash, "shipped"),
    # uv's universal lock keeps the other minor's pins where they fit this one and forks where they do not:
    # a consistent lock, not the shipped bytes. pip-compile resolves for one interpreter and gets those.
    "other-python-minor": (locks_of_another_minor, {"pip-tools": "shipped", "uv": "consistent"}),
}


@pytest.fixture
def project(tmp_path, lock_tool, python_version):
    return bake(tmp_path, lock_tool=lock_tool, python_version=python_version)


@pytest.fixture
def venv(baked_venv, lock_tool, python_version):
    return baked_venv(lock_tool, python_version)


@pytest.fixture
def tasks_venv(baked_venv, lock_tool, python_version):
    """A venv to run the lock tasks in: the version's own or, where this machine lacks it (3.14 here), that of
    the newest minor it has, as scripts/refresh_locks.py does. uv resolves for the project's version whatever
    runs it; pip-compile then runs in python:X.Y-slim (or refuses, without Docker)."""
    if find_python(python_version) is None and python_version in IN_CONTAINER:
        return baked_venv(lock_tool, [v for v in PYTHON_VERSIONS if find_python(v)][-1])
    return baked_venv(lock_tool, python_version)


every_engine_and_version = [
    pytest.mark.parametrize("lock_tool", LOCK_TOOLS),
    pytest.mark.parametrize("python_version", PYTHON_VERSIONS),
]
default_python_each_engine = [
    pytest.mark.parametrize("lock_tool", LOCK_TOOLS),
    pytest.mark.parametrize("python_version", [DEFAULT_PYTHON]),
]


def each(marks):
    def apply(func):
        for mark in reversed(marks):
            func = mark(func)
        return func

    return apply


@each(every_engine_and_version)
def test_fresh_bake_installs_from_the_lock_passes_its_tests_and_its_check(project, venv, lock_tool, python_version):
    """The README's path: install with hashes required, pip check, test, lint; the locks are current."""
    run([venv.python, "-m", "pip", "check"], cwd=project)
    tests = venv.invoke(project, "test")
    assert re.search(r"\b5 passed\b", tests.stdout), tests.stdout  # the example (4) and its one page
    venv.invoke(project, "lint")

    check = venv.invoke(project, "lock", "--check")
    assert "ok: requirements.txt and requirements-dev.txt are exactly what `invoke lock` writes" in check.stdout
    venv.invoke(project, "lock")
    assert_locks_are_shipped(project, lock_tool, python_version)  # the same bytes as the template's own lock run


@each(default_python_each_engine)
def test_sync_makes_the_venv_hold_exactly_the_locked_pins(project, venv, lock_tool, python_version):
    """A stray package and a moved pin in the venv: `invoke sync` removes the one and restores the other."""
    run([venv.python, "-m", "pip", "install", "--quiet", STRAY, "idna==3.6"], cwd=project)
    venv.invoke(project, "sync", env={**os.environ, "VIRTUAL_ENV": str(venv.path)})
    installed = dict(
        line.split("==") for line in run([venv.python, "-m", "pip", "freeze", "--all"], cwd=project).stdout.split()
    )
    locked = {}
    for name in LOCKS:
        for package, pin in lockfile.parse((project / name).read_text()).items():
            marker = Requirement(pin.text.splitlines()[0].rstrip(" \\")).marker
            if marker is None or marker.evaluate():  # colorama ; sys_platform == 'win32' is not for this host
                locked[package] = pin.version
    assert STRAY not in locked
    normalized = {canonicalize_name(k): v for k, v in installed.items()}
    assert STRAY not in normalized
    missing_or_wrong = {k: v for k, v in locked.items() if normalized.get(k) != v}
    assert not missing_or_wrong
    run([venv.python, "-m", "pip", "check"], cwd=project)


@each(default_python_each_engine)
def test_audit_looks_up_every_pin(project, venv, lock_tool, python_version):
    """`invoke audit` asks the vulnerability service about both locks; a clean result exits 0."""
    result = venv.invoke(project, "audit", check=False)
    if "could not be audited" in result.stderr or "ConnectionError" in result.stderr:
        pytest.skip("the vulnerability service does not answer from this machine: " + result.stderr.splitlines()[-1])
    assert (
        "+ pip-audit --strict --require-hashes --disable-pip -r requirements.txt -r requirements-dev.txt"
        in result.stdout
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No known vulnerabilities found" in result.stdout + result.stderr


@each(every_engine_and_version)
@pytest.mark.parametrize("drift", DRIFTS, ids=list(DRIFTS))
def test_each_kind_of_drift_fails_the_check_until_lock_repairs_it(project, lock_tool, python_version, drift, request):
    """`lock --check` changes nothing, fails with a diff and the fix command; `invoke lock` repairs the lock."""
    if lock_tool == "pip-tools" and find_python(python_version) is None and python_version in IN_CONTAINER:
        pytest.skip(
            f"no python{python_version} here, so each pip-compile for {python_version} runs in python:"
            f"{python_version}-slim (a container start and a pip-tools install, about a minute): too slow for "
            f"every drift; {IN_CONTAINER[python_version]}::test_lock_check_passes_from_a_venv_of_another_minor "
            f"checks {python_version}'s pip-tools locks that way, and every drift kind runs for pip-tools on the "
            "other minors and for uv on this one"
        )
    venv = request.getfixturevalue("tasks_venv")
    make_drift, repaired = DRIFTS[drift]
    repaired = repaired[lock_tool] if isinstance(repaired, dict) else repaired
    if make_drift is loosen_requirement:
        make_drift(project, lock_tool, python_version, venv)
    else:
        make_drift(project, lock_tool, python_version)
    before = snapshot(project)

    check = venv.invoke(project, "lock", "--check", check=False)
    assert check.returncode != 0
    assert FIX_HINT in check.stderr, check.stderr
    assert "(committed)" in check.stdout and "(fresh compile)" in check.stdout  # the diff
    assert snapshot(project) == before, "lock --check changed a file"

    venv.invoke(project, "lock")
    if repaired == "shipped":
        assert_locks_are_shipped(project, lock_tool, python_version)
    else:
        venv.invoke(project, "lock", "--check")


@each(every_engine_and_version)
def test_a_changed_python_version_is_not_mistaken_for_a_current_lock(project, tasks_venv, lock_tool, python_version):
    """Bumping .python-version without relocking fails the check (a refusal or a diff), touching nothing."""
    (project / ".python-version").write_text(other_minor(python_version) + "\n")
    before = snapshot(project)
    check = tasks_venv.invoke(project, "lock", "--check", check=False, env=NO_DOCKER_ENV)
    assert check.returncode != 0
    # a refusal names the minor (stderr); uv's universal lock records it in its header, so the diff shows it
    assert other_minor(python_version) in check.stderr + check.stdout and "error:" in check.stderr, check.stderr
    assert len([line for line in check.stderr.splitlines() if line.startswith("error:")]) == 1
    assert snapshot(project) == before


@each(default_python_each_engine)
def test_upgrade_one_package_moves_only_it_and_prints_the_change_table(project, venv, lock_tool, python_version):
    """A stale altair pin: `invoke upgrade --package altair` moves altair (and what it now needs), nothing else."""
    edit(project / "requirements.in", "pandas>=2.2\n", "pandas>=2.2\naltair<6\n")
    venv.invoke(project, "lock")
    stale_altair = lockfile.versions((project / "requirements.txt").read_text())["altair"]
    assert stale_altair.startswith("5.")
    edit(project / "requirements.in", "altair<6\n", "")
    before = {name: (project / name).read_text() for name in LOCKS}

    upgrade = venv.invoke(project, "upgrade", "--package", "altair")
    after = {name: (project / name).read_text() for name in LOCKS}
    new_altair = lockfile.versions(after["requirements.txt"])["altair"]
    assert new_altair != stale_altair
    assert f"| altair | {stale_altair} | {new_altair} | changed |" in upgrade.stdout
    assert "| package | old | new | change |" in upgrade.stdout

    old_pins, new_pins = lockfile.versions(before["requirements.txt"]), lockfile.versions(after["requirements.txt"])
    moved = {name for name in old_pins.keys() | new_pins.keys() if old_pins.get(name) != new_pins.get(name)}
    needed_by_altair = {name for name, pin in lockfile.parse(after["requirements.txt"]).items() if "altair" in pin.via}
    assert moved - {"altair"} <= needed_by_altair | {name for name in old_pins if name not in new_pins}
    for row in re.findall(r"(?m)^\| ([a-z0-9][a-z0-9._-]*) \|", upgrade.stdout):
        assert row == "package" or row in moved
    assert before["requirements-dev.txt"] == after["requirements-dev.txt"]  # altair is not a dev tool
    venv.invoke(project, "lock", "--check")


@each(default_python_each_engine)
def test_no_network_leaves_the_locks_intact(project, venv, lock_tool, python_version):
    """With the index unreachable (and no cache), the compile fails, says so in one line, and changes nothing."""
    (project / "requirements.in").write_text((project / "requirements.in").read_text() + "pyyaml\n")
    before = snapshot(project)
    offline = {
        **os.environ, "HTTPS_PROXY": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "ALL_PROXY": "http://127.0.0.1:9",
        "PIP_NO_CACHE_DIR": "1", "PIP_RETRIES": "0", "PIP_TIMEOUT": "5", "UV_NO_CACHE": "1", "UV_HTTP_TIMEOUT": "5",
        "UV_HTTP_RETRIES": "0",
    }  # fmt: skip
    result = venv.invoke(project, "lock", check=False, env=offline)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors and "could not be reached" in errors[-1] and "the locks are unchanged" in errors[-1], result.stderr
    assert snapshot(project) == before


@each(default_python_each_engine)
def test_an_unresolvable_requirement_leaves_the_locks_intact(project, venv, lock_tool, python_version):
    (project / "requirements.in").write_text("streamlit>=1.40\nstreamlit<1.0\n")
    before = snapshot(project)
    result = venv.invoke(project, "lock", check=False)
    assert result.returncode != 0
    assert "the locks are unchanged" in result.stderr
    assert snapshot(project) == before


@each(default_python_each_engine)
def test_ctrl_c_during_a_compile_leaves_the_locks_intact(project, venv, lock_tool, python_version):
    """SIGINT to the whole foreground group, as a terminal's Ctrl-C sends it, mid-compile."""
    (project / "requirements.in").write_text((project / "requirements.in").read_text() + "pyyaml\n")
    before = snapshot(project)
    proc = subprocess.Popen([venv.python, "-m", "invoke", "upgrade"], cwd=project, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)  # fmt: skip
    started = [proc.stdout.readline() for _ in range(2)]  # the cooldown line, then the first compile command
    assert started[-1].startswith("+ "), started
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert "the locks are unchanged" in err, err
    assert snapshot(project) == before
