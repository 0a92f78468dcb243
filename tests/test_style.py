"""The template's own code is held to what it asks of baked projects: ruff check and ruff format.

The commands are the plain ones a newcomer (or an editor's ruff) runs at the template's root. Ruff reads the
nearest config: the root pyproject.toml for the template's scripts and tests, the baked ruff.toml for the baked
folder, whose template-only lines (a Jinja comment, so baking drops them) leave out streamlit_app.py, the one
file that is not Python until it is baked, and keep ruff's cache out of the folder a bake copies.
"""

import sys
import tomllib
from pathlib import Path

import pytest
from helpers import ROOT, TEMPLATE, bake, run

RUFF = Path(sys.executable).parent / "ruff"
COMMANDS = {
    "check": ["check", "."],
    "format": ["format", "--check", "."],
}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_plain_ruff_at_the_templates_root_passes(command):
    result = run([RUFF, *command], cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def ruff_files(cwd):
    listed = run([RUFF, "check", "--show-files", "."], cwd=cwd).stdout.splitlines()
    return {Path(line).resolve().relative_to(Path(cwd).resolve()).as_posix() for line in listed if line.strip()}


def ruff_setting(cwd, path, name):
    """One line of `ruff check --show-settings PATH` (`Settings path: "..."`, `cache_dir = "..."`), unquoted."""
    shown = run([RUFF, "check", "--show-settings", path], cwd=cwd).stdout.splitlines()
    (value,) = [line[len(name) :].lstrip(" =:") for line in shown if line.startswith((f"{name} = ", f"{name}: "))]
    return value.strip('"')


def test_the_root_run_checks_the_baked_folder_by_its_own_ruff_toml_and_skips_only_the_jinja_file():
    files = ruff_files(ROOT)
    baked = {name for name in files if name.startswith(TEMPLATE.name + "/")}
    assert f"{TEMPLATE.name}/tasks/__init__.py" in baked and f"{TEMPLATE.name}/tests/test_app.py" in baked
    on_disk = {p.relative_to(ROOT).as_posix() for p in TEMPLATE.rglob("*.py") if ".venv" not in p.parts}
    assert on_disk - baked == {f"{TEMPLATE.name}/streamlit_app.py"}
    assert ruff_setting(ROOT, f"{TEMPLATE.name}/tasks/__init__.py", "Settings path") == str(TEMPLATE / "ruff.toml")
    assert ruff_setting(ROOT, "scripts/bake.py", "Settings path") == str(ROOT / "pyproject.toml")


def test_a_root_run_keeps_ruffs_cache_out_of_the_folder_a_bake_copies():
    assert ruff_setting(ROOT, f"{TEMPLATE.name}/tasks/__init__.py", "cache_dir") == str(ROOT / ".ruff_cache")


def test_the_template_follows_the_rules_a_baked_project_follows():
    root = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["ruff"]
    baked = tomllib.loads((TEMPLATE / "ruff.toml").read_text())
    assert root["line-length"] == baked["line-length"]
    assert root["lint"] == baked["lint"]


def test_a_baked_ruff_toml_has_no_template_only_lines_and_checks_the_app(tmp_path):
    project = bake(tmp_path)
    text = (project / "ruff.toml").read_text()
    assert "{#" not in text and "#}" not in text and "template" not in text, text
    settings = tomllib.loads(text)
    assert "extend-exclude" not in settings and "cache-dir" not in settings, settings
    assert {"streamlit_app.py", "tasks/__init__.py", "tests/test_app.py"} <= ruff_files(project)
    assert ruff_setting(project, "streamlit_app.py", "cache_dir") == str((project / ".ruff_cache").resolve())
