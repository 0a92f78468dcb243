"""Answers are data wherever they come from, and a bad one is refused in one line before anything is created."""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
COOKIECUTTER = [sys.executable, "-m", "cookiecutter"]
QUOTED_NAMES = {
    "double-quotes": 'Sam "Q" App',
    "more-double-than-single": 'It\'s "the" "best"',
    "equal-quotes": "'''\"\"\" end",
    "backslash-before-quote": 'a\\"b',
    "backslashes": "C:\\new\\table \\u00e9 \\",
}


def bake_cli(output_dir, *answers, no_input=True, **kwargs):
    argv = [*COOKIECUTTER, *(["--no-input"] if no_input else []), "--output-dir", output_dir, ROOT, *answers]
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, **kwargs)


def app_constant(project, name):
    tree = ast.parse((project / "streamlit_app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
            return ast.literal_eval(node.value)
    raise AssertionError(f"no {name} in streamlit_app.py")


def pinned_version(lock, package):
    for line in lock.read_text().splitlines():
        if line.startswith(f"{package}=="):
            return line.split("==")[1].split()[0]
    raise AssertionError(f"{package} is not pinned in {lock}")


@pytest.mark.parametrize("name", QUOTED_NAMES.values(), ids=QUOTED_NAMES.keys())
def test_a_name_with_quotes_bakes_a_project_whose_own_lint_passes(tmp_path, name):
    """`invoke lint` (ruff check and ruff format --check with the baked ruff.toml) passes on a fresh bake."""
    result = bake_cli(tmp_path, f"project_name={name}", "project_slug=quoted")
    assert result.returncode == 0, result.stderr
    project = tmp_path / "quoted"
    ruff = Path(sys.executable).parent / "ruff"
    version = subprocess.run([ruff, "--version"], capture_output=True, text=True, check=True).stdout.split()[1]
    assert version == pinned_version(project / "requirements-dev.txt", "ruff"), "the baked lock pins another ruff"
    for argv in ([ruff, "check", "."], [ruff, "format", "--check", "--diff", "."]):
        lint = subprocess.run(argv, cwd=project, capture_output=True, text=True)
        assert lint.returncode == 0, lint.stdout + lint.stderr
    assert app_constant(project, "TITLE") == name


@pytest.mark.parametrize("how", ["command-line", "extra_context"])
def test_jinja_given_as_an_answer_outside_the_prompt_is_kept_as_text(tmp_path, cookies, how):
    """`{{ 7*7 }}`, `{% ... %}` and a reference to another answer come out literally, as they do when typed."""
    name = "{{ 7*7 }} {% if true %}x{% endif %} {{ cookiecutter.author_name }}"
    description = "{% raw %}desc{{"
    if how == "command-line":
        result = bake_cli(tmp_path, f"project_name={name}", f"description={description}", "project_slug=jinja")
        assert result.returncode == 0, result.stdout + result.stderr
        project = tmp_path / "jinja"
    else:
        result = cookies.bake(extra_context={"project_name": name, "description": description, "project_slug": "jinja"})
        assert result.exit_code == 0, result.exception
        project = result.project_path
    assert app_constant(project, "TITLE") == name
    assert app_constant(project, "DESCRIPTION") == description
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# \\{\\{ 7\\*7 \\}\\} \\{\\% if true \\%\\}x")


BAD_SLUGS = {
    "slash": "a/b",
    "deep-slash": "a/b/c",
    "parent": "../escape",
    "300-characters": "x" * 300,
    "dot": ".",
}


@pytest.mark.parametrize("slug", BAD_SLUGS.values(), ids=BAD_SLUGS.keys())
def test_a_bad_slug_is_refused_in_one_line_before_any_directory_is_made(tmp_path, slug):
    """Exit 1, stderr is exactly one `error:` line with the fix, no traceback, and nothing created anywhere."""
    out = tmp_path / "out"
    out.mkdir()
    result = bake_cli(out, f"project_slug={slug}")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines() + result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: project_slug "), result.stdout + result.stderr
    assert "e.g. sales-dashboard" in lines[0] and len(lines[0]) < 300
    assert list(out.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_bad_slug_typed_at_the_prompt_is_refused_before_the_next_question(tmp_path):
    """The check runs as soon as the slug is answered: no further prompt, nothing created."""
    result = bake_cli(tmp_path, no_input=False, input="My App\na/b\n")
    assert result.returncode == 1
    assert "[3/7]" not in result.stdout
    assert result.stdout.strip().endswith(
        "error: project_slug 'a/b' is not a valid directory name: use 1-64 lowercase letters, digits, '-' or '_', "
        "starting with a letter and not ending in '-' or '_', e.g. sales-dashboard"
    )
    assert list(tmp_path.iterdir()) == []


def replay_with(tmp_path, **answers):
    """A replay file of a real bake, with `answers` changed: the path where cookiecutter asks nothing."""
    config = tmp_path / "config.yaml"
    config.write_text(f"replay_dir: {json.dumps(str(tmp_path / 'replay'))}\n")
    first = bake_cli(tmp_path / "first", "--config-file", config, "project_slug=good")
    assert first.returncode == 0, first.stderr
    replay = json.loads((tmp_path / "replay" / f"{ROOT.name}.json").read_text())
    replay["cookiecutter"].update(answers)
    (tmp_path / "bad.json").write_text(json.dumps(replay))
    out = tmp_path / "out"
    out.mkdir()
    argv = [*COOKIECUTTER, "--replay-file", tmp_path / "bad.json", "--output-dir", out, ROOT]
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True), out


@pytest.mark.parametrize("slug", ["a/b", "x" * 300, "Has Spaces"], ids=["slash", "300-characters", "spaces"])
def test_a_replayed_bad_slug_is_refused_before_the_directory_is_made(tmp_path, slug):
    """A replay skips the questions; the slug is checked where cookiecutter names the directory, before making it."""
    result, out = replay_with(tmp_path, project_slug=slug)
    assert result.returncode == 1
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: project_slug "), result.stdout + result.stderr
    assert list(out.iterdir()) == []


def test_a_replayed_empty_name_is_refused_by_the_pre_gen_hook(tmp_path):
    """Where no earlier check runs, the pre-gen hook refuses with the same line; cookiecutter removes the folder."""
    result, out = replay_with(tmp_path, project_name="   ")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == ["error: project_name is empty: give the app a name, e.g. project_name='Sales Dashboard'"]
    assert list(out.iterdir()) == []
