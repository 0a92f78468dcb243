"""The bots that keep a baked project's locks moving read its lock headers as commands they can re-run."""

import json

import pytest
from helpers import DEFAULT_PYTHON, LOCK_FILES, LOCK_TOOLS, TEMPLATE, bake, run

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
        ' "pip-compile": {"fileMatch": ["(^|/)requirements(-dev|-build)?\\\\.txt$"]}}\n'
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
