"""The real-apps pipeline (issue 16, part 7), shared by tests/test_real_apps.py and scripts/corpus_table.py.

Each app of tests/corpus is taken through what a new owner does: bake a project for the app's Python,
replace the example with the app's own files (its main file under its own name, pages/, data), write its
requirements.in, set main-file in the baked pyproject.toml's [tool.pinned-streamlit] table (and the
Dockerfile's ARG MAIN_FILE, which `invoke lock --check` holds to it), then run the baked project's real
tasks: `invoke lock` (again after the one settings edit its refusal named, where expected.toml says so),
`invoke lock --check`, an install of both locks into a fresh venv of the app's Python (hashes required),
`invoke test` and `invoke cloud-smoke` from that venv. Nothing is mocked: the compiles and installs go to
the package index, the pages run in Streamlit's AppTest.

What each step should give is in the app's expected.toml, `[pipeline]` table (tests/corpus/README.md).
"""

import json
import re
import shutil
import subprocess
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
STEPS = ("lock", "check", "install", "test", "cloud-smoke")
# Upper bounds per step (seconds): a hung compile or app fails its step instead of the whole suite.
TIMEOUTS = {"lock": 600, "check": 600, "install": 900, "test": 600, "cloud-smoke": 600}
REFUSED_PACKAGE = re.compile(r"^error: (\S+) \S+ has no wheel for ", re.M)  # one refusal line per package
OWN_FILES = ("app.toml", "expected.toml", "requirements.in")  # the corpus's records, not the app's files


@dataclass
class App:
    name: str
    folder: Path
    meta: dict  # app.toml
    expected: dict  # expected.toml

    @property
    def python(self):
        return self.meta["python"]

    @property
    def main(self):
        return self.meta["main-file"]

    @property
    def kind(self):
        return self.meta["kind"]

    @property
    def pipeline(self):
        """What the pipeline must give, from expected.toml's [pipeline] table (see tests/corpus/README.md)."""
        return self.expected.get("pipeline", {})

    def engines(self):
        return self.pipeline.get("engines", ["uv"])


def corpus():
    """Every app of tests/corpus, by name."""
    apps = []
    for folder in sorted(p for p in CORPUS.iterdir() if (p / "app.toml").is_file()):
        meta = tomllib.loads((folder / "app.toml").read_text())
        expected = tomllib.loads((folder / "expected.toml").read_text())
        apps.append(App(folder.name, folder, meta, expected))
    return apps


@dataclass
class Step:
    name: str
    status: str  # "pass", "fail" or "skip"
    reason: str = ""  # one line: why it failed or was skipped (the task's own first error line)
    output: str = ""  # everything the commands printed
    seconds: float = 0.0
    refusals: list = field(default_factory=list)  # lock only: each refusal that preceded an edit it named


@dataclass
class Result:
    app: App
    engine: str
    steps: dict = field(default_factory=dict)  # name -> Step, in STEPS order
    project: Path | None = None

    def row(self):
        """(app, kind, engine, lock, check, install, test, cloud-smoke, reasons) for the pass table."""
        cells = [self.steps[s].status if s in self.steps else "-" for s in STEPS]
        steps = [self.steps[s] for s in STEPS if s in self.steps]
        shown = [s for s in steps if s.reason and (s.status == "fail" or s.name in ("lock", "install"))]
        reasons = [f"{s.name}: {s.reason}" for s in shown if not s.reason.endswith("did not pass")]
        return [self.app.name, self.app.kind, self.engine, *cells, "; ".join(reasons)]


def environment():
    """The environment every command runs in: the public index only, and never a downloaded Python."""
    from devenv import public_index_env

    env = public_index_env()
    env["UV_PYTHON_DOWNLOADS"] = "never"  # a missing pythonX.Y must fail, not fetch one
    for name in ("VIRTUAL_ENV", "PYTHONPATH"):
        env.pop(name, None)
    return env


def execute(argv, cwd, timeout, env=None):
    """(exit code, stdout + stderr) of a command; a timeout is exit code None, with what it printed so far."""
    try:
        done = subprocess.run(
            [str(a) for a in argv], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env or environment()
        )
    except subprocess.TimeoutExpired as expired:
        out = (expired.stdout or b"").decode(errors="replace") + (expired.stderr or b"").decode(errors="replace")
        return None, out + f"\n(timed out after {timeout}s)"
    return done.returncode, done.stdout + done.stderr


def first_error(output):
    """The first `error:` line a task printed (invoke's Exit message), else the last line printed."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("error:"):
            return line
    return lines[-1] if lines else "(no output)"


# ---- preparing the project -----------------------------------------------------------------------


def set_settings(project, values):
    """Set keys of [tool.pinned-streamlit] in the baked pyproject.toml, one line per key, and read them back.

    The baked table holds each key on one line (`key = value`), so the edit is that line, replaced; a key the
    table lacks is added at its end. Values are strings or lists of strings (TOML's syntax for them is JSON's).
    """
    path = project / "pyproject.toml"
    text = path.read_text()
    start = text.index("[tool.pinned-streamlit]\n")
    end = text.find("\n[", start + 1)
    end = len(text) if end == -1 else end + 1
    table = text[start:end]
    for key, value in values.items():
        line = f"{key} = {json.dumps(value, ensure_ascii=False)}"
        table, found = re.subn(rf"^{re.escape(key)} = .*$", lambda _, line=line: line, table, count=1, flags=re.M)
        if not found:
            table = table.rstrip("\n") + f"\n{line}\n" + ("\n" if end < len(text) else "")
    path.write_text(text[:start] + table + text[end:])
    written = tomllib.loads(path.read_text())["tool"]["pinned-streamlit"]
    assert all(written[k] == v for k, v in values.items()), f"the settings edit did not take: {written}"
    return written


def set_main_file(project, main):
    """main-file in the settings, and the Dockerfile's ARG MAIN_FILE with it (the check holds them equal)."""
    set_settings(project, {"main-file": main})
    dockerfile = project / "Dockerfile"
    lines = dockerfile.read_text().splitlines(keepends=True)
    dockerfile.write_text("".join(f"ARG MAIN_FILE={main}\n" if x.startswith("ARG MAIN_FILE=") else x for x in lines))


def prepare(app, work, engine):
    """A fresh bake for `engine` and the app's Python, the example replaced by the app; returns the project."""
    from devenv import bake

    out = Path(work) / f"{app.name}-{engine}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    project = bake(out, project_name=app.name, project_slug=app.name, lock_tool=engine, python_version=app.python)
    (project / "streamlit_app.py").unlink()  # the example goes; the app's own files come in
    for source in app.folder.iterdir():
        if source.name in OWN_FILES:
            continue
        target = project / source.name
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, target)
    shutil.copyfile(app.folder / "requirements.in", project / "requirements.in")  # byte for byte, any encoding
    set_main_file(project, app.main)
    return project


def tools_venv(engine, version, where):
    """A venv (made once under `where`) holding the template's shipped locks for engine/version: the dev tools.

    The tests use conftest's baked_venv fixture, which makes the same venv; this is for scripts/corpus_table.py.
    """
    from devenv import find_python

    from_template = ROOT / "{{cookiecutter.project_slug}}" / "_locks" / engine / version
    locks = [from_template / "requirements.txt", from_template / "requirements-dev.txt"]
    venv = Path(where) / f"tools-{engine}-{version}"
    stamp = venv / ".locks"
    wanted = "".join(lock.read_text() for lock in locks)
    if not (stamp.is_file() and stamp.read_text() == wanted):
        python = find_python(version)
        if python is None:
            raise RuntimeError(f"no python{version} on this machine")
        subprocess.run([python, "-m", "venv", "--clear", str(venv)], check=True)
        pip = [str(venv / "bin/python"), "-m", "pip", "install", "--quiet", "--require-hashes"]
        subprocess.run([*pip, "-r", str(locks[0]), "-r", str(locks[1])], check=True, env=environment())
        stamp.write_text(wanted)
    return venv / "bin" / "python"


# ---- running it ----------------------------------------------------------------------------------


def _timed(step, argv, cwd, env=None):
    start = time.monotonic()
    code, out = execute(argv, cwd, TIMEOUTS[step], env)
    return code, out, time.monotonic() - start


def fix_named(fix):
    """The words a refusal must hold for `fix` to be the edit(s) it named, one string per part of the edit."""
    if "named" in fix:
        return [fix["named"]]
    words = [f'add a line "{fix["requirements-in"]}"'] if "requirements-in" in fix else []
    if "settings" in fix:
        words.append("; ".join(f"{key} = {json.dumps(value)}" for key, value in fix["settings"].items()))
    return words


def apply_fix(project, fix):
    """The edits one refusal named: a line added to requirements.in, keys of [tool.pinned-streamlit] set, or both."""
    if "requirements-in" in fix:
        path = project / "requirements.in"
        text = path.read_text()
        path.write_text(text + ("" if text.endswith("\n") or not text else "\n") + fix["requirements-in"] + "\n")
    if "settings" in fix:
        set_settings(project, fix["settings"])


def lock_step(app, project, tools):
    """`invoke lock`; after each refusal, the next edit expected.toml's `fixes` lists (the one it named), again."""
    invoke = [tools, "-m", "invoke"]
    code, out, seconds = _timed("lock", [*invoke, "lock"], project)
    refusals = []
    for fix in app.pipeline.get("fixes", []):
        if code == 0:
            break
        refusals.append(out)
        apply_fix(project, fix)
        code, out, more = _timed("lock", [*invoke, "lock"], project)
        seconds += more
    refused = refused_packages(out)
    reason = "" if code == 0 else f"refused: {', '.join(refused)}" if refused else first_error(out)
    step = Step("lock", "pass" if code == 0 else "fail", reason, out, seconds, refusals)
    if code == 0 and refusals:
        step.reason = f"passed after {len(refusals)} edit(s) the refusals named"
    return step


def refused_packages(output):
    """The packages a refusal names, one `error: NAME VERSION has no wheel for ...` line each."""
    return sorted(set(REFUSED_PACKAGE.findall(output)))


def summary_of_tests(output):
    """pytest's last line ("3 passed, 2 failed in 9.1s") without the time."""
    lines = [line.strip("= ").strip() for line in output.splitlines() if line.strip()]
    last = lines[-1] if lines else ""
    return re.sub(r" in [\d.]+s.*$", "", last)


def failed_pages(output):
    """The page ids tests/test_pages.py reports FAILED, and any other failed test's or module's id (ERROR)."""
    found = re.findall(r"^(?:FAILED|ERROR) (\S+?)(?:\[(.+?)\])?(?: - |$)", output, flags=re.M)
    return sorted(page or test for test, page in found)


def run_app(app, engine, work, tools, steps=STEPS, project=None):
    """Take `app` through the steps with `engine`; `tools` is the python of a venv of the dev tools."""
    result = Result(app, engine)
    project = project or prepare(app, work, engine)
    result.project = project
    skip_install = app.pipeline.get("install", "").startswith("skip")
    blocked = ""
    for name in steps:
        if blocked:
            result.steps[name] = Step(name, "skip", blocked)
            continue
        if name == "lock":
            step = lock_step(app, project, tools)
        elif name == "check":
            code, out, seconds = _timed(name, [tools, "-m", "invoke", "lock", "--check"], project)
            step = Step(name, "pass" if code == 0 else "fail", "" if code == 0 else first_error(out), out, seconds)
        elif name == "install":
            if skip_install:
                step = Step(name, "skip", app.pipeline["install"].removeprefix("skip:").strip())
            else:
                step = install_step(app, project)
        else:
            python = project.parent / "app-venv" / "bin" / "python"
            task = "test" if name == "test" else "cloud-smoke"
            code, out, seconds = _timed(name, [python, "-m", "invoke", task], project)
            if code == 0:
                reason = ""
            elif name == "test":
                reason = f"{summary_of_tests(out)}: {', '.join(failed_pages(out))}"
            else:
                reason = first_error(out)
            step = Step(name, "pass" if code == 0 else "fail", reason, out, seconds)
        result.steps[name] = step
        if step.status != "pass" and name in ("lock", "install"):
            blocked = f"{name} did not pass" if step.status == "fail" else step.reason
    return result


def install_step(app, project):
    """Both locks into a fresh venv of the app's Python, hashes required (uv, from the shared cache)."""
    uv = ROOT / ".venv" / "bin" / "uv"
    venv = project.parent / "app-venv"
    start = time.monotonic()
    code, out = execute([uv, "venv", "--quiet", "--python", app.python, venv], project, 120)
    if code == 0:
        argv = [uv, "pip", "install", "--quiet", "--python", venv / "bin" / "python", "--require-hashes"]
        code, more = execute(
            [*argv, "-r", "requirements.txt", "-r", "requirements-dev.txt"], project, TIMEOUTS["install"]
        )
        out += more
    reason = "" if code == 0 else first_error(out)
    return Step("install", "pass" if code == 0 else "fail", reason, out, time.monotonic() - start)


def table(results):
    """The pass table, as plain text columns."""
    head = ["app", "kind", "engine", *STEPS, "reason"]
    rows = [head] + [r.row() for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1] for row in rows
    )
