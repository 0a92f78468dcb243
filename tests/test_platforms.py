"""The same locks on every machine: Windows, macOS, ARM, Community Cloud, and under any pip or uv config.

uv's platform-targeted resolver (`uv pip install --dry-run --python-platform P`) is the judge of
whether a lock installs somewhere this machine is not. Machine-local package sources (find-links
folders, file:// indexes) are built here in tmp, with wheels of pinned versions that the public
index never saw, so a leak shows up as a path or a foreign hash in a lock.
"""

import base64
import hashlib
import json
import os
import zipfile

import pytest
from helpers import (
    DEFAULT_PYTHON,
    LOCK_FILES,
    LOCK_TOOLS,
    PYTHON_VERSIONS,
    TEMPLATE,
    bake,
    python_for,
    run,
    shipped_lock,
)

# --- pure parts ---------------------------------------------------------------------------------------


def test_only_remote_indexes_count_as_package_sources_a_lock_may_depend_on(baked_tasks):
    is_remote = baked_tasks.sources.is_remote
    assert is_remote("https://pkgs.example.com/simple") and is_remote("name=https://pkgs.example.com/simple")
    for local in (
        "/opt/wheels",
        "file:///opt/simple",
        "./wheels",
        "http://localhost:3141/simple",
        "http://127.0.0.1/x",
    ):
        assert not is_remote(local), local


def test_pip_compile_runs_without_find_links_file_indexes_or_local_constraints_but_keeps_the_rest(baked_tasks):
    environ = {"PATH": "/bin", "PIP_FIND_LINKS": "/opt/wheels https://links.example.com/", "PIP_NO_INDEX": "1"}
    config = {
        "extra-index-url": "file:///opt/simple https://pkgs.example.com/simple",
        "index-url": "https://mirror.example.com/simple",
        "constraint": "/etc/pip/constraints.txt",
        "cert": "/etc/ssl/ca.pem",
        "timeout": "60",
    }
    env = baked_tasks.sources.pip_environment(environ, config)
    assert env["PIP_CONFIG_FILE"] == os.devnull  # the config files themselves are not read
    assert env["PIP_FIND_LINKS"] == "https://links.example.com/"
    assert env["PIP_EXTRA_INDEX_URL"] == "https://pkgs.example.com/simple"
    assert env["PIP_INDEX_URL"] == "https://mirror.example.com/simple"  # a company index still resolves
    assert env["PIP_CERT"] == "/etc/ssl/ca.pem" and env["PIP_TIMEOUT"] == "60"
    assert "PIP_CONSTRAINT" not in env and "PIP_NO_INDEX" not in env and env["PATH"] == "/bin"


def test_uv_runs_without_any_uv_toml_and_keeps_only_remote_indexes(baked_tasks, tmp_path):
    (tmp_path / "uv").mkdir()
    (tmp_path / "uv" / "uv.toml").write_text(
        'find-links = ["/opt/wheels"]\n[[index]]\nurl = "file:///opt/simple"\n'
        '[[index]]\nurl = "https://pkgs.example.com/simple"\n[pip]\nextra-index-url = ["https://more.example.com/simple"]\n'
    )
    environ = {"XDG_CONFIG_HOME": str(tmp_path), "UV_FIND_LINKS": "/opt/wheels", "UV_EXTRA_INDEX_URL": "file:///x"}
    config = baked_tasks.sources.uv_user_config(environ)
    env = baked_tasks.sources.uv_environment(environ, config)
    assert env["UV_NO_CONFIG"] == "1"  # no uv.toml anywhere (user, system or a project one) is read
    assert env["UV_INDEX"].split() == ["https://pkgs.example.com/simple", "https://more.example.com/simple"]
    assert "UV_FIND_LINKS" not in env and "UV_EXTRA_INDEX_URL" not in env


def test_pip_config_is_read_with_pip_itself(baked_tasks, tmp_path, monkeypatch):
    config = tmp_path / "pip.conf"
    config.write_text("[global]\nfind-links = /opt/wheels\ntimeout = 33\n[install]\ntimeout = 44\n")
    monkeypatch.setenv("PIP_CONFIG_FILE", str(config))
    settings = baked_tasks.sources.pip_config()  # with this machine's site-wide files too, as pip reads them
    assert settings["find-links"] == "/opt/wheels" and settings["timeout"] == "44"


def test_the_platform_checks_resolve_from_the_remote_indexes_pip_compile_resolved_from(baked_tasks, tmp_path):
    config = tmp_path / "pip.conf"
    config.write_text(
        "[global]\nindex-url = https://mirror.example.com/simple\n"
        "extra-index-url = file:///opt/simple https://pkgs.example.com/simple\nfind-links = /opt/wheels\n"
    )
    env = baked_tasks.sources.compile_environment(
        "pip-tools", {"PATH": os.environ["PATH"], "PIP_CONFIG_FILE": str(config)}
    )
    assert env["PIP_CONFIG_FILE"] == os.devnull and env["UV_NO_CONFIG"] == "1"
    assert (env["PIP_INDEX_URL"], env["UV_DEFAULT_INDEX"]) == ("https://mirror.example.com/simple",) * 2
    assert (env["PIP_EXTRA_INDEX_URL"], env["UV_INDEX"]) == ("https://pkgs.example.com/simple",) * 2
    assert "PIP_FIND_LINKS" not in env and "UV_FIND_LINKS" not in env


@pytest.mark.parametrize("name", LOCK_FILES)
def test_the_pip_compile_header_stays_the_plain_command_bots_rerun(baked_tasks, name):
    infile = name.replace(".txt", ".in")
    argv = baked_tasks.compiling.compile_argv("pip-tools", infile, name, packages=["altair"])
    assert "--no-emit-find-links" in argv and "--no-emit-trusted-host" in argv
    header_line = shipped_lock("pip-tools", DEFAULT_PYTHON, name).read_text().splitlines()[4]
    assert header_line == "#    " + baked_tasks.sources.header_command(argv)
    assert baked_tasks.sources.header_env("uv", argv) == {}


def test_the_uv_header_records_the_python_minor_so_drift_is_caught(baked_tasks):
    argv = baked_tasks.compiling.compile_argv("uv", "requirements.in", "requirements.txt", version="3.13")
    assert argv[:6] == ["uv", "pip", "compile", "--quiet", "--universal", "--python-version=3.13"]


def test_a_missing_windows_package_is_refused_in_one_line_naming_platform_package_and_fix(baked_tasks):
    message = "error: Hash-checking is required, but no trusted hash was provided for: `colorama`\n"
    line = baked_tasks.platforms.refusal("Windows x86_64", message, LOCK_FILES, deploy=False)
    assert line == (
        "error: the locks do not install on Windows x86_64: it needs colorama, which no lock pins; "
        "add colorama to requirements-dev.in, then `invoke lock`"
    )
    wrapped = "error: Hash-checking is required, but no trusted hash was provided\n  for: `colorama`\n"  # COLUMNS=80
    assert baked_tasks.platforms.refusal("Windows x86_64", wrapped, LOCK_FILES, deploy=False) == line
    app = baked_tasks.platforms.refusal("Windows x86_64", message, LOCK_FILES[:1], deploy=False)
    assert "add colorama to requirements.in," in app


# --- the judge on real locks ----------------------------------------------------------------------------


def judge(baked_tasks, locks, version):
    return baked_tasks.platforms.judge(locks, version, dict(os.environ))


@pytest.mark.slow
@pytest.mark.parametrize("python_version", PYTHON_VERSIONS)
@pytest.mark.parametrize("lock_tool", LOCK_TOOLS)
def test_the_shipped_locks_install_with_hashes_on_every_platform(baked_tasks, lock_tool, python_version):
    """Windows, macOS arm64/x86_64, Linux aarch64/x86_64 (both locks); Cloud and arm64 Docker (wheels only)."""
    locks = {name: shipped_lock(lock_tool, python_version, name).read_text() for name in LOCK_FILES}
    assert judge(baked_tasks, locks, python_version) == []


@pytest.mark.slow
def test_the_judge_refuses_a_lock_that_lacks_a_windows_only_package(baked_tasks):
    """The check can fail: the shipped pip-tools dev lock without colorama does not install on Windows."""
    locks = {name: shipped_lock("pip-tools", DEFAULT_PYTHON, name).read_text() for name in LOCK_FILES}
    pins = baked_tasks.lockfile.parse(locks["requirements-dev.txt"])
    assert "colorama" in pins, "the shipped pip-tools dev lock must pin colorama (pytest needs it on Windows)"
    locks["requirements-dev.txt"] = locks["requirements-dev.txt"].replace(pins["colorama"].text, "")
    assert judge(baked_tasks, locks, DEFAULT_PYTHON) == [
        "error: the locks do not install on Windows x86_64: it needs colorama, which no lock pins; "
        "add colorama to requirements-dev.in, then `invoke lock`"
    ]


# --- machine-local package sources ---------------------------------------------------------------------


def make_wheel(folder, name, version):
    """A tiny valid wheel of `name` `version` that the public index never saw (so its hash is foreign)."""
    folder.mkdir(parents=True, exist_ok=True)
    dist = f"{name.replace('-', '_')}-{version}"
    files = {
        f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{name.replace('-', '_')}_local_build.py": "LOCAL = True\n",
    }
    record = [
        f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode()},"
        f"{len(text.encode())}"
        for path, text in files.items()
    ]
    wheel = folder / f"{dist}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
        archive.writestr(f"{dist}.dist-info/RECORD", "\n".join([*record, f"{dist}.dist-info/RECORD,,"]) + "\n")
    return "sha256:" + hashlib.sha256(wheel.read_bytes()).hexdigest()


def local_sources(tmp_path, pins):
    """A find-links folder and a file:// simple index holding foreign wheels of `pins`; a pip config and
    uv user config naming them; the environment a company laptop might have. Returns (env, foreign hashes)."""
    links, simple = tmp_path / "wheels", tmp_path / "simple"
    foreign = {make_wheel(links, name, version) for name, version in pins.items()}
    for name, version in pins.items():
        make_wheel(simple / name, name, version)
        wheel = next((simple / name).glob("*.whl")).name
        (simple / name / "index.html").write_text(f'<html><body><a href="{wheel}">{wheel}</a></body></html>\n')
    (simple / "index.html").write_text("".join(f'<a href="{n}/">{n}</a>\n' for n in pins))
    (tmp_path / "pip.conf").write_text(f"[global]\nfind-links = {links}\nextra-index-url = {simple.as_uri()}\n")
    (tmp_path / "config" / "uv").mkdir(parents=True)
    (tmp_path / "config" / "uv" / "uv.toml").write_text(
        f'find-links = ["{links}"]\n[[index]]\nurl = "{simple.as_uri()}"\n'
    )
    env = dict(os.environ)
    env.update(
        PIP_CONFIG_FILE=str(tmp_path / "pip.conf"),
        PIP_FIND_LINKS=str(links),
        PIP_EXTRA_INDEX_URL=simple.as_uri(),
        UV_FIND_LINKS=str(links),
        UV_EXTRA_INDEX_URL=simple.as_uri(),
        UV_INDEX=simple.as_uri(),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    return env, links, foreign


@pytest.mark.slow
@pytest.mark.parametrize("lock_tool", LOCK_TOOLS)
def test_find_links_and_file_indexes_in_pip_and_uv_config_leave_no_trace_in_the_locks(
    lock_tool, baked_venv, baked_tasks, tmp_path
):
    project = bake(tmp_path / "project", lock_tool=lock_tool, python_version=DEFAULT_PYTHON)
    shipped = {name: (project / name).read_text() for name in LOCK_FILES}
    pins = {"colorama": baked_tasks.lockfile.versions(shipped["requirements-dev.txt"])["colorama"]}
    pins["altair"] = baked_tasks.lockfile.versions(shipped["requirements.txt"])["altair"]
    env, links, foreign = local_sources(tmp_path / "machine", pins)
    venv = baked_venv(lock_tool, DEFAULT_PYTHON)

    # The setup is a real trap: the bare compile command, run under it, puts the machine into the lock.
    bare = tmp_path / "bare"
    bare.mkdir()
    for name in ("requirements.in", "requirements-dev.in", "requirements.txt"):
        (bare / name).write_text((project / name).read_text())
    argv = baked_tasks.compiling.compile_argv(
        lock_tool, "requirements-dev.in", "requirements-dev.txt", version=DEFAULT_PYTHON
    )
    run([venv.path / "bin" / argv[0], *argv[1:]], cwd=bare, env=env)
    leaked = (bare / "requirements-dev.txt").read_text()
    assert str(links) in leaked or foreign & baked_tasks.lockfile.parse(leaked)["colorama"].hashes

    venv.invoke(project, "lock", "--check", env=env)
    venv.invoke(project, "lock", env=env)
    for name in LOCK_FILES:
        text = (project / name).read_text()
        assert text == shipped[name], f"{name} changed under the machine's config"
        assert str(tmp_path) not in text and "file://" not in text and "--find-links" not in text
        assert not foreign & {h for pin in baked_tasks.lockfile.parse(text).values() for h in pin.hashes}


# --- Community Cloud --------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("chosen", ["3.12", "3.13", "3.11"], ids=["matching", "newer", "older"])
@pytest.mark.parametrize("lock_tool", LOCK_TOOLS)
def test_cloud_style_install_is_healthy_or_fails_loudly_naming_the_fix(lock_tool, chosen, baked_venv, tmp_path):
    """`uv pip install -r requirements.txt` in the repo root, into a fresh venv of the Python chosen in the dialog."""
    project = bake(tmp_path, lock_tool=lock_tool, python_version=DEFAULT_PYTHON)
    venv = baked_venv(lock_tool, DEFAULT_PYTHON)
    result = venv.invoke(project, "cloud-smoke", "--python", python_for(chosen), check=False, timeout=600)
    if chosen == DEFAULT_PYTHON or result.returncode == 0:
        assert result.returncode == 0, result.stderr
        assert "/_stcore/health answers ok and the script runs" in result.stdout
        return
    refusal = result.stderr.strip().splitlines()[-1]
    assert refusal.startswith(f"error: Community Cloud's install fails on Python {python_for(chosen)}: "), refusal
    assert refusal.endswith(f"choose Python {DEFAULT_PYTHON} (.python-version) in Cloud's deploy dialog"), refusal


@pytest.mark.slow
def test_a_uv_toml_in_the_repository_is_what_cloud_reads(baked_venv, tmp_path):
    """Why the template ships none: the same Cloud-style install obeys a uv.toml that names another Python."""
    project = bake(tmp_path, lock_tool="uv", python_version=DEFAULT_PYTHON)
    (project / "uv.toml").write_text('[pip]\npython-version = "3.13"\n')
    venv = baked_venv("uv", DEFAULT_PYTHON)
    result = venv.invoke(project, "cloud-smoke", check=False, timeout=600)
    assert result.returncode == 1, "a uv.toml in the repository changed nothing; the warning in the README is wrong"
    refusal = result.stderr.strip().splitlines()[-1]
    assert refusal.startswith("error: the app installed as Cloud does answers /_stcore/health but its script fails: ")
    assert "numpy" in refusal and refusal.endswith(
        "remove uv.toml: Cloud's uv reads it and installed for another Python or platform"
    )


# --- bots ---------------------------------------------------------------------------------------------------

RENOVATE = TEMPLATE.parent / "tests" / "tools" / "node_modules" / ".bin" / "renovate"


@pytest.mark.slow
@pytest.mark.parametrize("lock_tool", LOCK_TOOLS)
def test_renovate_reads_both_lock_headers_as_commands_it_can_rerun(lock_tool, tmp_path):
    """Renovate's pip-compile manager refuses unknown options (--no-emit-find-links, --no-config): none is there."""
    if not RENOVATE.exists():
        pytest.skip(f"{RENOVATE} is missing (.ci/run installs Renovate)")
    project = bake(tmp_path / "project", lock_tool=lock_tool, python_version=DEFAULT_PYTHON)
    (project / "renovate.json").write_text(
        '{"extends": [], "pip_requirements": {"enabled": false},'
        ' "pip-compile": {"fileMatch": ["(^|/)requirements(-dev)?\\\\.txt$"]}}\n'
    )
    git = ["git", "-c", "user.email=test@example.invalid", "-c", "user.name=test"]
    run([*git, "init", "--quiet"], cwd=project)
    run([*git, "add", "--all"], cwd=project)
    run([*git, "commit", "--quiet", "--message=baked"], cwd=project)
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path), "LOG_LEVEL": "debug", "LOG_FORMAT": "json"}
    argv = [RENOVATE, "--platform=local", "--dry-run=extract", "--onboarding=false", "--require-config=optional"]
    records = [
        json.loads(line) for line in run(argv, cwd=project, env=env, timeout=300).stdout.splitlines() if line[:1] == "{"
    ]
    commands = {
        r["fileName"]: r["argv"] for r in records if r.get("msg") == "pip-compile: extracted command from header"
    }
    assert sorted(commands) == sorted(LOCK_FILES)
    assert [r.get("errorMessage") for r in records if r.get("msg") == "pip-compile error"] == []
    tool = ["pip-compile"] if lock_tool == "pip-tools" else ["uv", "pip", "compile", "--universal"]
    assert all(argv[: len(tool)] == tool for argv in commands.values()), commands
