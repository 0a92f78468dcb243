"""`invoke cloud-smoke`: the repository installed as Community Cloud installs it, the app run once, and a failure
that says what really failed (tasks/cloud.py). The diagnosis is unit-tested; the slow tests run the real thing."""

import pytest
from helpers import DEFAULT_PYTHON, LOCK_TOOLS, bake, python_for


def failure(kind, message, *frames):
    return {"type": kind, "message": message, "stack": [f'  File "{f}", line {n}, in <module>\n' for f, n in frames]}


def test_the_app_s_own_exception_is_named_with_its_file_and_line(baked_tasks):
    app = str(baked_tasks.project.ROOT / "streamlit_app.py")
    said = baked_tasks.cloud.diagnosis(
        failure("ZeroDivisionError", "division by zero", (app, 12)), "streamlit_app.py", "3.12", "3.12"
    )
    assert (
        said
        == "the app itself raised ZeroDivisionError: division by zero (streamlit_app.py, line 12) (in streamlit_app.py)"
    )


@pytest.mark.parametrize(
    ("kind", "message", "expected"),
    [
        ("StreamlitSecretNotFoundError", "No secrets found.", "put it in .streamlit/secrets.toml"),
        ("URLError", "<urlopen error [Errno -2] Name or service not known>", "a network failure, not the install"),
        ("ConnectionError", "HTTPSConnectionPool: Max retries exceeded", "a network failure, not the install"),
        ("ModuleNotFoundError", "No module named 'plotly'", "add the package that provides it to requirements.in"),
    ],
)
def test_secrets_the_network_and_a_missing_module_are_told_apart_with_no_python_advice(
    baked_tasks, kind, message, expected
):
    said = baked_tasks.cloud.diagnosis(failure(kind, message), "Home.py", "3.12", "3.12")
    assert expected in said and "deploy dialog" not in said


def test_python_advice_is_given_only_when_the_pythons_differ(baked_tasks):
    said = baked_tasks.cloud.diagnosis(
        failure("ModuleNotFoundError", "No module named 'numpy'"), "app.py", "3.11", "3.12"
    )
    assert said.endswith("choose Python 3.12 (.python-version) in Cloud's deploy dialog")


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
        assert "/_stcore/health answers ok and streamlit_app.py runs" in result.stdout
        return
    refusal = result.stderr.strip().splitlines()[-1]
    assert refusal.startswith(f"error: Community Cloud's install fails on Python {chosen}: "), refusal
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
    assert refusal.startswith("error: streamlit_app.py fails as Cloud runs it: "), refusal
    assert "numpy" in refusal and refusal.endswith(
        "remove uv.toml: Cloud's uv reads it and installs for another Python"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("1 / 0", "the app itself raised ZeroDivisionError: division by zero (streamlit_app.py, line 3)"),
        ('st.write(st.secrets["api_key"])', "put it in .streamlit/secrets.toml here (never committed)"),
        (
            'urllib.request.urlopen("http://127.0.0.1:9/data.csv")',
            "a network failure, not the install (urllib.error.URLError: <urlopen error [Errno 111] Connection refused>)",
        ),
    ],
    ids=["own-exception", "missing-secret", "network"],
)
def test_cloud_smoke_says_what_failed_in_the_app_and_gives_no_python_advice(baked_venv, tmp_path, code, expected):
    project = bake(tmp_path, lock_tool="uv", python_version=DEFAULT_PYTHON)
    (project / "streamlit_app.py").write_text(f"import urllib.request\nimport streamlit as st\n{code}\n")
    result = baked_venv("uv", DEFAULT_PYTHON).invoke(project, "cloud-smoke", check=False, timeout=600)
    refusal = result.stderr.strip().splitlines()[-1]
    assert result.returncode == 1 and refusal.startswith("error: streamlit_app.py fails as Cloud runs it: "), refusal
    assert expected in refusal and "deploy dialog" not in refusal, refusal
