"""The template's own code is held to what it asks of baked projects: ruff check and ruff format."""

import sys
from pathlib import Path

import pytest
from helpers import ROOT, run

RUFF = Path(sys.executable).parent / "ruff"
# One configuration for the whole repository (pyproject.toml; it leaves out only files holding Jinja),
# so the baked tasks package is checked here exactly as the template's scripts and tests are.
COMMANDS = {
    "check": ["check", "--config", "pyproject.toml", "."],
    "format": ["format", "--config", "pyproject.toml", "--check", "."],
}


@pytest.mark.parametrize("command", COMMANDS.values(), ids=COMMANDS.keys())
def test_the_templates_own_code_is_ruff_clean(command):
    result = run([RUFF, *command], cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
