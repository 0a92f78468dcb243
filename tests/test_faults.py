"""A user on a bad day: every fault and bad input ends in one `error:` line saying what to do, nothing lost.

The refusals that need no compile run on the template's own venv (it has invoke and packaging) against
a baked project; the rest compile for real (slow): uv where the engine does not matter, pip-tools for
the network. Permissions are tested with the kernel's own checks: as root, with the capabilities
that bypass file modes dropped (setpriv), so a read-only file is read-only to the tasks too.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from helpers import DEFAULT_PYTHON, assert_one_error_line, bake, digest, invoke, run

VCS_LINE = "requests @ git+https://github.com/psf/requests@v2.32.3"
UNLOCKED = "the locks are unchanged"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# As root, drop what lets root ignore file modes; otherwise the kernel already checks them.
AS_OWNER = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"] if IS_ROOT else []


@pytest.fixture(params=["pip-tools", "uv"])
def baked(request, tmp_path):
    return bake(tmp_path, lock_tool=request.param)


def append(path, text):
    path.write_text(path.read_text() + text)


# --- refused before any compile, for both engines (no network, the template's venv) ---


@pytest.mark.parametrize(
    "line, kind",
    [
        (VCS_LINE, "is a VCS requirement"),
        ("git+https://github.com/psf/requests.git@v2.32.3#egg=requests", "is a VCS requirement"),
        ("-e .", "is an editable install"),
        ("--editable ./mylib", "is an editable install"),
        ("./mylib", "is a local folder or file"),
        ("mylib @ file:///tmp/mylib", "is a local folder or file"),
    ],
    ids=["vcs-at", "vcs-url", "editable-dot", "editable-dir", "local-dir", "file-url"],
)
def test_a_requirement_a_hash_pinned_lock_cannot_hold_is_refused_before_writing(baked, line, kind):
    """VCS, editable and local requirements get one line naming the file and line, and what works instead."""
    append(baked / "requirements.in", line + "\n")
    (baked / "mylib").mkdir()
    before = digest(baked)
    result = invoke(baked, "lock")
    last = assert_one_error_line(result, "requirements.in line 4", kind, UNLOCKED)
    assert "pin a release" in last or "publish it" in last
    assert result.stdout == ""  # nothing was run
    assert digest(baked) == before


def test_a_vcs_requirement_in_an_included_file_is_refused_too(baked):
    append(baked / "requirements-dev.in", "-r extra/tools.in\n")
    (baked / "extra").mkdir()
    (baked / "extra" / "tools.in").write_text("# tools\n" + VCS_LINE + "\n")
    before = digest(baked)
    assert_one_error_line(invoke(baked, "lock", "--check"), "extra/tools.in line 2", "is a VCS requirement")
    assert digest(baked) == before


@pytest.mark.parametrize(
    "line, expected",
    [
        ("-r other.in", "-r other.in: no such file; create it or remove the line"),
        ("-c ../constraints.txt", "-c ../constraints.txt is outside the project"),
    ],
    ids=["missing", "outside"],
)
def test_an_include_the_compile_cannot_see_is_named_in_one_line(baked, line, expected):
    append(baked / "requirements.in", line + "\n")
    before = digest(baked)
    assert_one_error_line(invoke(baked, "lock"), "requirements.in line 4", expected)
    assert digest(baked) == before


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "error: .python-version is missing; write the minor"),
        ("", "error: .python-version is empty; write the minor"),
        ("garbage\n", "error: .python-version is 'garbage', not a Python minor"),
        ("\n\n", "error: .python-version is empty"),
    ],
    ids=["missing", "empty", "garbage", "blank-lines"],
)
def test_a_bad_python_version_file_is_named_with_its_fix(baked, content, expected):
    version_file = baked / ".python-version"
    if content is None:
        version_file.unlink()
    else:
        version_file.write_text(content)
    before = digest(baked)
    for args in (["lock"], ["lock", "--check"], ["upgrade"]):
        last = assert_one_error_line(invoke(baked, *args), expected)
        assert "`echo 3.12 > .python-version`" in last
    assert digest(baked) == before


@pytest.mark.parametrize("given", ["altair==6.2.2", "altair>=6", "altair[all]"])
def test_upgrade_package_says_it_takes_a_bare_name(baked, given):
    before = digest(baked)
    last = assert_one_error_line(invoke(baked, "upgrade", "--package", given))
    assert last == (
        f"error: --package takes a bare package name such as altair, not {given!r}; to move to a chosen version, "
        f"write it in requirements.in ({given}) and run `invoke lock`"
    )
    assert digest(baked) == before


def test_a_venv_without_the_lock_engine_gets_advice_that_works_without_it(baked, tmp_path):
    """A venv lacking pip-compile (or uv) is told to install the dev lock with pip, not to run `invoke sync`."""
    bare = tmp_path / "bare-venv"
    run([sys.executable, "-m", "venv", "--without-pip", bare], cwd=tmp_path)
    site = next((bare / "lib").glob("python*/site-packages"))
    template_site = next(p for p in sys.path if p.endswith("site-packages") and "invoke" in os.listdir(p))
    (site / "template.pth").write_text(template_site + "\n")  # invoke and packaging, but no tools on PATH
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    running = "{}.{}".format(*sys.version_info[:2])
    (baked / ".python-version").write_text(running + "\n")  # this host is the target, so no Docker is asked
    tool = "pip-compile" if "autogenerated by pip-compile" in (baked / "requirements.txt").read_text() else "uv"
    last = assert_one_error_line(invoke(baked, "lock", python=bare / "bin" / "python", env=env))
    assert last.startswith(f"error: {tool} is not installed in this venv")
    assert "python -m pip install --require-hashes -r requirements-dev.txt" in last
    assert "invoke sync" not in last


# --- real compiles ---


@pytest.fixture
def uv_project(tmp_path, baked_venv):
    """A uv project whose locks are what `invoke lock` writes today, and its venv."""
    venv = baked_venv("uv", DEFAULT_PYTHON)
    project = bake(tmp_path, lock_tool="uv")
    venv.invoke(project, "lock")
    return project, venv


@pytest.mark.slow
def test_files_beside_requirements_in_are_seen_by_the_compile(uv_project):
    """`-r reqs/other.in` and `-c constraints.txt` resolve as in the project: the pin obeys the constraint."""
    project, venv = uv_project
    append(project / "requirements.in", "-r reqs/other.in\n-c constraints.txt\n")
    (project / "reqs").mkdir()
    (project / "reqs" / "other.in").write_text("pyyaml\n")
    (project / "constraints.txt").write_text("pyyaml<6.0.2\n")
    venv.invoke(project, "lock")
    lock = (project / "requirements.txt").read_text()
    assert "\npyyaml==6.0.1 " in lock
    assert "#   -r reqs/other.in" in lock and "#   -c constraints.txt" in lock
    venv.invoke(project, "lock", "--check")


@pytest.mark.slow
def test_read_only_locks_do_not_break_lock_check(uv_project):
    """`invoke lock --check` writes nothing, so read-only locks (and a read-only folder) must not matter."""
    project, venv = uv_project
    for name in ("requirements.txt", "requirements-dev.txt"):
        (project / name).chmod(0o444)
    project.chmod(0o555)
    try:
        result = invoke(project, "lock", "--check", python=venv.python, prefix=AS_OWNER)
    finally:
        project.chmod(0o755)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: requirements.txt and requirements-dev.txt are exactly" in result.stdout


@pytest.mark.slow
def test_invoke_lock_replaces_read_only_locks_and_keeps_them_read_only(uv_project):
    """In a writable folder, read-only locks are replaced whole (a rename), and stay read-only."""
    project, venv = uv_project
    append(project / "requirements.in", "pyyaml\n")
    for name in ("requirements.txt", "requirements-dev.txt"):
        (project / name).chmod(0o444)
    result = invoke(project, "lock", python=venv.python, prefix=AS_OWNER)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "\npyyaml==" in (project / "requirements.txt").read_text()
    assert [(project / n).stat().st_mode & 0o777 for n in ("requirements.txt", "requirements-dev.txt")] == [0o444] * 2
    assert not list(project.glob("*.new"))


@pytest.mark.slow
def test_a_read_only_folder_is_one_line_and_the_locks_stay(uv_project):
    project, venv = uv_project
    append(project / "requirements.in", "pyyaml\n")
    before = digest(project)
    project.chmod(0o555)
    try:
        result = invoke(project, "lock", python=venv.python, prefix=AS_OWNER)
    finally:
        project.chmod(0o755)
    assert_one_error_line(
        result, f"could not write requirements.txt in {project} (Permission denied)", "chmod u+w", UNLOCKED
    )
    assert digest(project) == before


@pytest.mark.slow
@pytest.mark.skipif(not IS_ROOT or not shutil.which("unshare"), reason="mounting a small tmpfs needs root and unshare")
def test_a_full_disk_changes_neither_lock_and_leaves_no_partial_file(uv_project, tmp_path):
    """On a tmpfs with room for the new requirements.txt but not both locks: neither changes, no `.new` is left."""
    project, venv = uv_project
    append(project / "requirements.in", "pyyaml\n")
    append(project / "requirements-dev.in", "tomli-w\n")  # both locks change
    sizing = tmp_path / "sizing"
    shutil.copytree(project, sizing)
    venv.invoke(sizing, "lock")
    new_sizes = [(sizing / n).stat().st_size for n in ("requirements.txt", "requirements-dev.txt")]
    mount = tmp_path / "small-disk"
    mount.mkdir()
    script = f"""
set -e
mount -t tmpfs -o size=8m tmpfs {mount}
cp -r {project} {mount}/p
avail=$(df --output=avail -B1 {mount} | tail -1)
fallocate -l $((avail - {new_sizes[0] + new_sizes[1] // 2})) {mount}/filler
cd {mount}/p
set +e
PYTHONDONTWRITEBYTECODE=1 {venv.python} -m invoke lock 2>{tmp_path}/stderr
echo $? > {tmp_path}/code
sha256sum requirements.txt requirements-dev.txt > {tmp_path}/after
ls -a > {tmp_path}/listing
"""
    run(["unshare", "-m", "sh", "-c", script], cwd=tmp_path)
    stderr = (tmp_path / "stderr").read_text()
    assert (tmp_path / "code").read_text().strip() == "1", stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("error: could not write ") and "(No space left on device)" in last and UNLOCKED in last
    before = run(["sha256sum", "requirements.txt", "requirements-dev.txt"], cwd=project).stdout
    assert (tmp_path / "after").read_text() == before
    assert not [name for name in (tmp_path / "listing").read_text().split() if name.endswith(".new")]


@pytest.mark.slow
def test_a_killed_compile_leaves_a_scratch_folder_that_a_later_run_removes(uv_project, tmp_path):
    """SIGKILL mid-compile leaves our scratch folder; the next run, once it is stale, removes it."""
    project, venv = uv_project
    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch_root)}
    append(project / "requirements.in", "pyyaml\n")
    proc = subprocess.Popen([venv.python, "-m", "invoke", "lock"], cwd=project, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, start_new_session=True)  # fmt: skip
    assert proc.stdout.readline().startswith("+ ")
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    left = list(scratch_root.glob("invoke-lock-*"))
    assert len(left) == 1, left
    long_ago = time.time() - 3 * 3600
    os.utime(left[0], (long_ago, long_ago))
    venv.invoke(project, "lock", env=env)
    assert list(scratch_root.glob("invoke-lock-*")) == []


@pytest.mark.slow
def test_pip_tools_with_the_network_down_says_the_index_could_not_be_reached(tmp_path, baked_venv):
    """A dead proxy (as a captive or broken network looks): one closing line naming the index, nothing changed."""
    venv = baked_venv("pip-tools", DEFAULT_PYTHON)
    project = bake(tmp_path, lock_tool="pip-tools")
    append(project / "requirements.in", "pyyaml\n")
    before = digest(project)
    dead = "http://127.0.0.1:9"
    offline = {**os.environ, "HTTPS_PROXY": dead, "HTTP_PROXY": dead, "ALL_PROXY": dead, "PIP_NO_CACHE_DIR": "1"}
    for args in (["lock"], ["lock", "--check"], ["upgrade"]):
        result = invoke(project, *args, python=venv.python, env=offline)
        last = assert_one_error_line(result, "could not be reached (Connection refused)", "HTTPS_PROXY", UNLOCKED)
        assert last.startswith("error: the package index https://")
    assert digest(project) == before


@pytest.mark.slow
@pytest.mark.skipif(not IS_ROOT or not shutil.which("unshare"), reason="a network namespace needs root and unshare")
def test_pip_tools_with_no_network_at_all_says_the_index_could_not_be_reached(tmp_path, baked_venv):
    """No network interface but loopback (a new network namespace): name resolution fails, and we say so."""
    venv = baked_venv("pip-tools", DEFAULT_PYTHON)
    project = bake(tmp_path, lock_tool="pip-tools")
    before = digest(project)
    result = invoke(project, "lock", python=venv.python, prefix=["unshare", "-n"])
    assert_one_error_line(result, "could not be reached (", "check the network connection", UNLOCKED)
    assert digest(project) == before
