"""Template updates with cruft, for real: bake with `cruft create`, work as an owner, `cruft update`."""

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from helpers import DEFAULT_PYTHON, ROOT, run

CRUFT = Path(sys.executable).parent / "cruft"  # in the template's dev venv (requirements-dev.txt)
SLUG = "{{cookiecutter.project_slug}}"
OWNERS_FILES = (
    "streamlit_app.py",
    "requirements.in",
    "requirements-dev.in",
    "requirements.txt",
    "requirements-dev.txt",
)
GIT = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
GIT |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}


def commit(repo, message):
    run(["git", "add", "--all"], cwd=repo, env=GIT)
    run(["git", "commit", "--quiet", "--message", message], cwd=repo, env=GIT)


def template_repo(where):
    """A git repository holding the template as this working tree has it, committed once."""
    listed = run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT).stdout
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (where / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, where / name)
    run(["git", "init", "--quiet", "--initial-branch=main"], cwd=where)
    commit(where, "template")
    return where


def head(repo):
    return run(["git", "rev-parse", "HEAD"], cwd=repo).stdout.strip()


def edit(path, old, new):
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new))


@pytest.mark.slow
def test_cruft_update_brings_template_changes_and_never_touches_the_owners_files(tmp_path, baked_venv):
    if not CRUFT.exists():
        pytest.skip(f"no cruft at {CRUFT}: the dev venv is built from requirements-dev.txt, which pins it")
    template = template_repo(tmp_path / "template")
    (tmp_path / "out").mkdir()
    run([CRUFT, "create", template, "--no-input", "--output-dir", tmp_path / "out",
         "--extra-context", json.dumps({"lock_tool": "uv", "python_version": DEFAULT_PYTHON})], cwd=tmp_path)  # fmt: skip
    project = tmp_path / "out" / "my-streamlit-app"
    cruft_state = json.loads((project / ".cruft.json").read_text())
    assert cruft_state["commit"] == head(template)
    assert not (project / "_locks").exists() and (project / "requirements.txt").is_file()  # the post-gen hook ran

    # The owner works: changes the app, adds a requirement, relocks with the project's own task, commits.
    venv = baked_venv("uv", DEFAULT_PYTHON)
    run(["git", "init", "--quiet", "--initial-branch=main"], cwd=project)
    commit(project, "bake")
    with (project / "streamlit_app.py").open("a") as app:
        app.write('\nst.caption("The owner\'s own line.")\n')
    with (project / "requirements.in").open("a") as requirements:
        requirements.write("pyyaml\n")
    venv.invoke(project, "lock")
    assert "pyyaml==" in (project / "requirements.txt").read_text()
    commit(project, "the owner's app and requirement")
    owners = {name: (project / name).read_bytes() for name in OWNERS_FILES}

    # The template moves on: README, a task module, and (never to arrive) the app, the .in files and the locks.
    baked = template / SLUG
    edit(baked / "README.md", "## Daily workflow\n", "## Daily workflow\n\nA line the template added later.\n")
    edit(baked / "tasks" / "project.py", '"""What the project', '"""(A template change.) What the project')
    with (baked / "streamlit_app.py").open("a") as app:
        app.write('st.caption("The template\'s new line.")\n')
    for name in ("requirements.in", f"_locks/uv/{DEFAULT_PYTHON}/requirements.txt", "_locks/uv/requirements-dev.in"):
        with (baked / name).open("a") as owned:
            owned.write("# a template change to a file the owner owns\n")
    commit(template, "a later template change")

    update = run([CRUFT, "update", "--skip-apply-ask", "--allow-untracked-files"], cwd=project, env=GIT)
    assert "updated" in update.stdout, update.stdout + update.stderr

    assert {name: (project / name).read_bytes() for name in OWNERS_FILES} == owners
    assert "A line the template added later." in (project / "README.md").read_text()
    assert "(A template change.)" in (project / "tasks" / "project.py").read_text()
    assert json.loads((project / ".cruft.json").read_text())["commit"] == head(template)
    left = [str(p.relative_to(project)) for p in project.rglob("*") if p.suffix in (".rej", ".orig")]
    assert left == []
    conflicted = run(["git", "diff", "--name-only", "--diff-filter=U"], cwd=project).stdout.split()
    assert conflicted == []
    assert "ok:" in venv.invoke(project, "lock", "--check").stdout
