"""Baking: every option combination gives a complete, parseable project; bad answers are refused cleanly."""

import ast
import itertools
import json
import re
import subprocess
import sys
import tomllib

import pytest
import yaml
from helpers import DEFAULT_PYTHON, LOCK_TOOLS, PYTHON_VERSIONS, ROOT, TEMPLATE, invoke, shipped_lock
from markdown_it import MarkdownIt

OPTIONS = {
    f"py{version}-{lock_tool}-{license}": {"python_version": version, "lock_tool": lock_tool, "license": license}
    for version, lock_tool, license in itertools.product(PYTHON_VERSIONS, LOCK_TOOLS, ("MIT", "none"))
}
UNRENDERED = re.compile(r"(?<!\$)\{\{|\{%|%\}")  # GitHub's ${{ }} is meant to stay
HOSTILE_NAMES = {
    "quotes": 'Sam\'s "Quoted" App',
    "backslashes": "C:\\new\\table \\u00e9 \\",
    "markup": "# <script>alert(1)</script> *bold* [link](x) `code` | pipe",
    "triple-quotes": "'''\"\"\" end",
    "non-ascii": "Données café 数据 😀",
    "very-long": "Long name " * 200,
}
HOSTILE_DESCRIPTIONS = {
    "newlines": "first line\nsecond line: key: value\n- not a list\n\n# not a heading",
    "yaml-ish": "yes: no\n  - [ ] {a: b} & *anchor ! %",
}


def text_files(project):
    for path in sorted(project.rglob("*")):
        if path.is_file():
            yield path, path.read_text(encoding="utf-8")


def assert_files_parse(project):
    """Every Python, TOML, YAML and JSON file in the bake parses."""
    for path, text in text_files(project):
        if path.suffix == ".py":
            ast.parse(text, filename=str(path))
        elif path.suffix == ".toml":
            tomllib.loads(text)
        elif path.suffix in (".yml", ".yaml"):
            yaml.safe_load(text)
        elif path.suffix == ".json":
            json.loads(text)


def app_constants(project):
    """The TITLE and DESCRIPTION string constants of the baked app, as Python reads them."""
    tree = ast.parse((project / "streamlit_app.py").read_text(encoding="utf-8"))
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            if node.targets[0].id in ("TITLE", "DESCRIPTION"):
                found[node.targets[0].id] = ast.literal_eval(node.value)
    return found


def readme_heading(project):
    tokens = MarkdownIt("commonmark").parse((project / "README.md").read_text(encoding="utf-8"))
    first = next(i for i, t in enumerate(tokens) if t.type == "heading_open")
    assert tokens[first].tag == "h1"
    return tokens[first + 1], tokens


def markdown_plain_text(inline_token):
    """The text a reader sees in an inline token: escapes resolved, no markup."""
    parts = []
    for child in inline_token.children:
        if child.type in ("text", "text_special"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        else:
            raise AssertionError(f"user text became Markdown markup: {child.type}")
    return "".join(parts)


def test_defaults_bake_a_complete_project(cookies):
    """With no answers: the documented files, the 3.12 pip-tools locks, MIT license, no template leftovers."""
    result = cookies.bake()
    assert result.exit_code == 0, result.exception
    project = result.project_path
    assert project.name == "my-streamlit-app"
    expected = {
        "streamlit_app.py", "tasks/__init__.py", "tasks/project.py", "tasks/locks.py", "requirements.in", "requirements.txt", "requirements-dev.in",
        "requirements-dev.txt", ".python-version", "README.md", "LICENSE", ".gitignore", ".editorconfig",
        ".streamlit/config.toml", "tests/test_app.py",
    }  # fmt: skip
    present = {str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()}
    assert expected <= present
    assert not any(p.startswith("_locks") for p in present)
    assert not (project / "uv.toml").exists()
    assert (project / ".python-version").read_text() == f"{DEFAULT_PYTHON}\n"
    assert (project / "requirements.txt").read_bytes() == shipped_lock("pip-tools", DEFAULT_PYTHON).read_bytes()
    assert "pip-tools" in (project / "requirements-dev.in").read_text().split()
    assert ".streamlit/secrets.toml" in (project / ".gitignore").read_text().splitlines()


@pytest.mark.parametrize("answers", OPTIONS.values(), ids=OPTIONS.keys())
def test_every_option_combination(cookies, answers, baked_tasks):
    """Each Python version x lock engine x license bakes the matching locks and files, all rendered and parseable."""
    result = cookies.bake(extra_context=answers)
    assert result.exit_code == 0, result.exception
    project = result.project_path
    version, lock_tool = answers["python_version"], answers["lock_tool"]

    assert (project / ".python-version").read_text().strip() == version
    for name in ("requirements.txt", "requirements-dev.txt"):
        assert (project / name).read_bytes() == shipped_lock(lock_tool, version, name).read_bytes()
    dev_requirements = (project / "requirements-dev.in").read_text().split()
    assert lock_tool in dev_requirements and "uv" in dev_requirements  # uv checks every platform in both engines
    assert lock_tool == "pip-tools" or "pip-tools" not in dev_requirements
    assert (project / "LICENSE").exists() == (answers["license"] == "MIT")
    assert not (project / "uv.toml").exists()  # Community Cloud's `uv pip install` would read it
    for path, text in text_files(project):
        assert not UNRENDERED.search(text), f"unrendered Jinja in {path.relative_to(project)}"
    assert_files_parse(project)
    assert baked_tasks.engines.engine(project).name == lock_tool  # the tasks read the engine from the lock


@pytest.mark.parametrize("name", HOSTILE_NAMES.values(), ids=HOSTILE_NAMES.keys())
def test_hostile_project_names_are_carried_as_text(cookies, name):
    """Quotes, backslashes, markup, non-ASCII and very long names reach the app and README as the same text."""
    result = cookies.bake(extra_context={"project_name": name, "project_slug": "hostile"})
    assert result.exit_code == 0, result.exception
    project = result.project_path
    assert_files_parse(project)
    assert app_constants(project)["TITLE"] == name
    heading, _ = readme_heading(project)
    assert markdown_plain_text(heading) == name.strip()


@pytest.mark.parametrize("description", HOSTILE_DESCRIPTIONS.values(), ids=HOSTILE_DESCRIPTIONS.keys())
def test_hostile_descriptions_are_carried_as_text(cookies, description):
    """A multi-line description with YAML and Markdown syntax stays plain text in the app and README."""
    result = cookies.bake(extra_context={"description": description})
    assert result.exit_code == 0, result.exception
    project = result.project_path
    assert_files_parse(project)
    assert app_constants(project)["DESCRIPTION"] == description
    _, tokens = readme_heading(project)
    paragraphs = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    wanted = [" ".join(line.strip() for line in para.splitlines()) for para in description.split("\n\n")]
    seen = [markdown_plain_text(p).replace("\n", " ") for p in paragraphs[: len(wanted)]]
    assert seen == wanted


def test_jinja_typed_at_the_prompt_is_not_executed(tmp_path):
    """Typed answers are data: '{{ 7*7 }}' and '{% ... %}' come out literally, never evaluated."""
    name = "{{ 7*7 }} {% if true %}x{% endif %} {{ cookiecutter.author_name }}"
    answers = "\n".join([name, "typed-jinja", "{% raw %}desc{{", "", "", "", ""]) + "\n"
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", "--output-dir", str(tmp_path), str(ROOT)],
        input=answers, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    project = tmp_path / "typed-jinja"
    assert app_constants(project) == {"TITLE": name, "DESCRIPTION": "{% raw %}desc{{"}
    assert markdown_plain_text(readme_heading(project)[0]) == name


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"project_slug": "Has Spaces"}, "project_slug 'Has Spaces' is not a valid directory name"),
        ({"project_slug": "1starts-with-digit"}, "is not a valid directory name"),
        ({"project_slug": "ends-with-dash-"}, "is not a valid directory name"),
        ({"project_slug": "x" * 65}, "is not a valid directory name"),
        ({"project_name": "   "}, "project_name is empty"),
        ({"project_name": "two\nlines", "project_slug": "ok"}, "project_name holds a line break"),
    ],
    ids=["spaces", "digit", "trailing-dash", "too-long", "empty-name", "newline-name"],
)
def test_invalid_answers_are_refused_with_one_line_and_nothing_left(tmp_path, answers, message):
    """A refused bake exits 1, says what is wrong and how to fix it in one line, and leaves no directory."""
    extra = [f"{key}={value}" for key, value in answers.items()]
    result = subprocess.run(
        [sys.executable, "-m", "cookiecutter", "--no-input", "--output-dir", str(tmp_path), str(ROOT), *extra],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1
    # refused while answering (cookiecutter prints the refusal on stdout) or by the pre-gen hook (stderr)
    errors = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and message in errors[0], result.stderr
    assert "e.g." in errors[0] or "use" in errors[0]
    assert list(tmp_path.iterdir()) == []


SHIPPED_LOCKS = sorted((TEMPLATE / "_locks").glob("*/*/requirements*.txt")) + [ROOT / "requirements-dev.txt"]
LOCAL_SOURCE = re.compile(
    r"file://|^\s*(-f|--find-links|-i|--index-url|--extra-index-url|--trusted-host)\b|^\s*/|/opt/|~/", re.M
)
PIN_BLOCK = re.compile(r"^(\S+)==(\S+)( ;[^\\\n]*)? \\\n((?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", re.M)


def test_every_engine_and_version_has_a_shipped_lock_pair():
    assert len(SHIPPED_LOCKS) == len(LOCK_TOOLS) * len(PYTHON_VERSIONS) * 2 + 1


@pytest.mark.parametrize("lock", SHIPPED_LOCKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_locks_name_no_local_package_source(lock):
    """Locks were compiled against the public index alone: no find-links, extra index, file:// or local path."""
    text = lock.read_text()
    assert text.strip(), f"{lock} is empty"
    assert not LOCAL_SOURCE.search(text), LOCAL_SOURCE.search(text).group(0)


@pytest.mark.parametrize("lock", SHIPPED_LOCKS[:-1], ids=lambda p: str(p.relative_to(TEMPLATE)))
def test_shipped_locks_pin_everything_with_hashes_and_a_rerunnable_header(lock):
    """Every requirement line is an == pin with sha256 hashes; the header is the tool's own plain command."""
    text = lock.read_text()
    lock_tool, version = lock.parts[-3], lock.parts[-2]
    requirement_lines = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    blocks = PIN_BLOCK.findall(text)
    assert len(blocks) == len(requirement_lines) > 5
    assert ("streamlit" in {name for name, *_ in blocks}) == (lock.name == "requirements.txt")
    if lock_tool == "pip-tools":
        assert f"autogenerated by pip-compile with Python {version}\n" in text
        assert (
            "#    pip-compile --allow-unsafe --generate-hashes --no-emit-index-url "
            f"--output-file={lock.name} --strip-extras {lock.name.replace('.txt', '.in')}\n"
        ) in text
    else:
        assert (  # one universal lock for every platform, for this Python minor and newer
            f"#    uv pip compile --universal --python-version={version} --generate-hashes --output-file={lock.name} "
            f"{lock.name.replace('.txt', '.in')}\n"
        ) in text


def test_upgrading_a_package_that_is_not_pinned_is_refused_before_any_compile(cookies):
    """A typo in `invoke upgrade --package` gets one line naming the package and the fix; no lock changes."""
    project = cookies.bake().project_path
    before = (project / "requirements.txt").read_bytes()
    result = invoke(project, "upgrade", "--package", "streamlitt")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "error: streamlitt is not pinned in either lock; add it to requirements.in (or requirements-dev.in) "
        "and run `invoke lock`"
    ]
    assert result.stdout == ""
    assert (project / "requirements.txt").read_bytes() == before


def github_anchor(heading):
    """The fragment GitHub gives a heading: lowercase, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@pytest.mark.parametrize("lock_tool", LOCK_TOOLS)
def test_every_link_in_the_readme_and_docs_reaches_a_file_and_heading_of_the_bake(cookies, lock_tool):
    """README.md and docs/*.md link each other by relative paths and #fragments: each target exists."""
    project = cookies.bake(extra_context={"lock_tool": lock_tool}).project_path
    pages = [project / "README.md", *sorted((project / "docs").glob("*.md"))]
    assert len(pages) > 2, "the README's deeper parts live in docs/"

    def links_and_anchors(page):
        tokens = MarkdownIt("commonmark").parse(page.read_text(encoding="utf-8"))
        anchors = {github_anchor(tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"}
        inline = [child for t in tokens if t.type == "inline" for child in t.children]
        return [child.attrs["href"] for child in inline if child.type == "link_open"], anchors

    for page in pages:
        hrefs, _ = links_and_anchors(page)
        for href in hrefs:
            if re.match(r"[a-z]+:", href):
                continue  # a web address
            path, _, fragment = href.partition("#")
            target = (page.parent / path).resolve() if path else page
            assert target.is_file(), f"{page.relative_to(project)} links {href}, which the bake does not hold"
            if fragment:
                assert fragment in links_and_anchors(target)[1], f"{page.relative_to(project)}: no heading for {href}"
