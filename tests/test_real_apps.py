"""Real public Streamlit apps (tests/corpus) through a baked project's own tasks, as a new owner would take them.

Each app is baked for its Python with the cheaper engine (uv; a few small ones with pip-tools too), the
example replaced by the app's files, then `invoke lock` (and again after each edit its refusal named),
`invoke lock --check`, an install of both locks into a fresh venv (hashes required), `invoke test` and
`invoke cloud-smoke` (tests/realapps.py, which scripts/corpus_table.py runs too). What each step must give
is the app's expected.toml `[pipeline]` table: apps that fail for their own reasons stay in, asserting the
exact line (the refusal's first words and every package it names, the smoke's exception). torch apps are
locked and checked only: their Linux lock pulls CUDA wheels of several GB.

The default slow run takes a representative subset (every kind of app); `-m corpus` takes the rest.
"""

import re

import pytest
import realapps

pytestmark = pytest.mark.slow


def sentence(app, engine):
    return f"{app.name} with {engine}: {app.pipeline['says']}"


def cases():
    return list(_cases())


def _cases():
    for app in realapps.corpus():
        for engine in app.engines():
            ci = app.pipeline.get("ci", True)  # true, false, or the engines that run in the default subset
            marks = [] if ci is True or (isinstance(ci, list) and engine in ci) else [pytest.mark.corpus]
            if bug := app.pipeline.get("known-bug"):
                marks.append(pytest.mark.xfail(reason=f"the tasks misbehave: {bug}", strict=True))
            yield pytest.param(app, engine, id=sentence(app, engine), marks=marks)


@pytest.fixture
def only_when_asked(request):
    """Apps outside the default subset run only when `-m corpus` (or an expression naming it) selects them."""
    if request.node.get_closest_marker("corpus") and "corpus" not in (request.config.option.markexpr or ""):
        pytest.skip("outside the default subset of the corpus: run it with -m corpus")


def check_lock(app, step):
    want = app.pipeline
    assert "Traceback" not in step.output + "".join(step.refusals), "invoke lock crashed:\n" + step.output[-3000:]
    # Each refusal before an edit named that edit, and the edit was made.
    fixes = want.get("fixes", [])
    if want["lock"] == "pass":  # every edit was needed: each came after a refusal
        assert len(step.refusals) == len(fixes), f"{len(step.refusals)} refusals for {len(fixes)} edits"
    for refusal, fix in zip(step.refusals, fixes, strict=False):
        for named in realapps.fix_named(fix):
            assert named in refusal, f"the refusal did not name the edit {named!r}:\n{refusal[-3000:]}"
    if first := want.get("first-refusal"):
        assert step.refusals, "the first `invoke lock` should have refused"
        assert realapps.refused_packages(step.refusals[0]) == sorted(first.get("packages", [])), step.refusals[0][
            -3000:
        ]
        for words in first.get("says", []):
            assert words in step.refusals[0], f"{words!r} not in the first refusal:\n{step.refusals[0][-3000:]}"
    if want["lock"] == "pass":
        assert step.status == "pass", f"invoke lock failed: {step.reason}\n{step.output[-3000:]}"
        return
    assert step.status == "fail", "invoke lock should have refused"
    errors = [line for line in step.output.splitlines() if line.startswith("error:")]
    assert errors, step.output[-3000:]
    assert errors[0].startswith(want["refusal"][0]), errors[0]
    for words in want["refusal"][1:]:
        assert words in step.output, f"{words!r} not in the refusal:\n{step.output[-3000:]}"
    assert realapps.refused_packages(step.output) == sorted(want.get("refused", [])), step.output[-3000:]
    assert step.output.rstrip().endswith("the locks are unchanged"), step.output[-500:]


def check_test(app, step):
    want = app.pipeline.get("test", "pass")
    if want == "pass":
        assert step.status == "pass", f"invoke test failed: {step.reason}\n{step.output[-4000:]}"
        assert re.search(r"\d+ passed", step.output), step.output[-2000:]
        return
    assert step.status == "fail", f"invoke test should have failed:\n{step.output[-2000:]}"
    failures = app.pipeline["test-failures"]
    assert realapps.failed_pages(step.output) == sorted(failures), step.output[-4000:]
    for page, words in failures.items():
        assert words in step.output, f"{page}: {words!r} not in invoke test's output:\n{step.output[-4000:]}"


def check_cloud_smoke(app, step):
    want = app.pipeline.get("cloud-smoke", "pass")
    if want == "pass":
        assert step.status == "pass", f"invoke cloud-smoke failed: {step.reason}\n{step.output[-3000:]}"
        assert "ok: installed as Community Cloud does" in step.output
        return
    assert step.status == "fail", f"invoke cloud-smoke should have failed:\n{step.output[-2000:]}"
    assert step.reason.startswith(want), f"cloud-smoke said:\n{step.reason}\nexpected it to start:\n{want}"
    for words in app.pipeline.get("cloud-smoke-says", []):
        assert words in step.reason, f"{words!r} not in: {step.reason}"
    assert "choose Python" not in step.reason, "Python advice on a run whose Pythons agree"


@pytest.mark.parametrize(("app", "engine"), cases())
def test_a_real_app_goes_through_lock_check_install_test_and_cloud_smoke(
    app, engine, baked_venv, tmp_path, only_when_asked
):
    tools = baked_venv(engine, app.python).python
    result = realapps.run_app(app, engine, tmp_path, tools)
    steps = result.steps
    check_lock(app, steps["lock"])
    if app.pipeline["lock"] != "pass":
        assert all(steps[s].status == "skip" for s in realapps.STEPS[1:])
        return
    assert steps["check"].status == "pass", f"invoke lock --check failed:\n{steps['check'].output[-3000:]}"
    assert "ok: requirements.txt and requirements-dev.txt are exactly" in steps["check"].output
    install = app.pipeline.get("install", "pass")
    if install.startswith("skip"):
        assert steps["install"].status == "skip"
        assert all(steps[s].status == "skip" for s in ("test", "cloud-smoke"))
        return  # locked and checked only: the test id says why
    assert steps["install"].status == "pass", f"the install failed:\n{steps['install'].output[-3000:]}"
    check_cloud_smoke(app, steps["cloud-smoke"])
    check_test(app, steps["test"])
