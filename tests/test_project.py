"""tasks/project.py: what the project's files say. Pure, fast, no network, no bake."""

import os
import signal
import sys
import tempfile
import threading
import time

import pytest
from invoke import Context, Exit


@pytest.mark.parametrize("text", ["3.12\n", "3.14"])
def test_python_version_reads_a_minor(baked_tasks, tmp_path, text):
    (tmp_path / ".python-version").write_text(text)
    assert baked_tasks.project.python_version(tmp_path) == text.strip()


@pytest.mark.parametrize("text", [None, "", "garbage", "3", "3.12.1", "python3.12"])
def test_python_version_refuses_anything_but_a_minor(baked_tasks, tmp_path, text):
    if text is not None:
        (tmp_path / ".python-version").write_text(text)
    with pytest.raises(Exit) as refused:
        baked_tasks.project.python_version(tmp_path)
    assert ".python-version" in refused.value.message and "\n" not in refused.value.message
    assert "`echo 3.12 > .python-version`" in refused.value.message


def test_settings_default_to_today_s_platforms_and_the_streamlit_app_py_main_file(baked_tasks, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.pinned-streamlit]\nplatforms = ["linux-x86_64"]\n')
    settings = baked_tasks.project.settings(tmp_path)
    assert settings["platforms"] == ["linux-x86_64"] and settings["main-file"] == "streamlit_app.py"
    assert settings["deploy-platforms"] == ["community-cloud", "linux-arm64"] and settings["build-from-source"] == []
    (tmp_path / "pyproject.toml").unlink()
    assert baked_tasks.project.settings(tmp_path) == baked_tasks.project.DEFAULTS


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('platform = ["linux-x86_64"]', "has no setting 'platform'; the settings are main-file, platforms"),
        ('platforms = "linux-x86_64"', "platforms must be a list of strings"),
        ("main-file = 3", "main-file must be a string"),
        ("[[broken", "pyproject.toml is not valid TOML"),
        ("deploy-platforms = []", "deploy-platforms is empty; name at least one, like ['community-cloud'"),
        ('build-from-source = ["docopt==0.6.2"]', "names 'docopt==0.6.2', which is not a package name"),
        ('build-from-source = [""]', "names '', which is not a package name"),
    ],
)
def test_a_wrong_setting_is_named_in_one_line(baked_tasks, tmp_path, table, expected):
    (tmp_path / "pyproject.toml").write_text(f"[tool.pinned-streamlit]\n{table}\n")
    with pytest.raises(Exit) as refused:
        baked_tasks.project.settings(tmp_path)
    assert expected in refused.value.message and "\n" not in refused.value.message


def test_a_main_file_that_is_not_there_is_named_with_the_setting_to_change(baked_tasks, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.pinned-streamlit]\nmain-file = "Home.py"\n')
    with pytest.raises(Exit) as refused:
        baked_tasks.project.main_file(tmp_path)
    assert refused.value.message.startswith("error: the main file Home.py (main-file in pyproject.toml")
    (tmp_path / "Home.py").write_text("import streamlit as st\n")
    assert baked_tasks.project.main_file(tmp_path) == "Home.py"


def test_files_are_written_all_or_none_and_an_unchanged_one_is_left_alone(baked_tasks, tmp_path):
    (tmp_path / "a.txt").write_text("same\n")
    assert baked_tasks.project.write_files({"a.txt": "same\n", "b.txt": "new\n"}, tmp_path) == ["b.txt"]
    assert (tmp_path / "b.txt").read_text() == "new\n" and not list(tmp_path.glob("*.new"))


def test_a_compile_s_scratch_folder_removes_only_this_project_s_stale_ones(baked_tasks, tmp_path, monkeypatch):
    """Folders a killed compile left (our prefix, over 2 hours old) go; a running compile's folder stays."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    prefix = baked_tasks.project.SCRATCH_PREFIX
    stale, fresh, other = tmp_path / f"{prefix}old", tmp_path / f"{prefix}new", tmp_path / "lock-x"
    for path in (stale, fresh, other):
        path.mkdir()
    long_ago = time.time() - 3 * 3600
    for path in (stale, other):
        os.utime(path, (long_ago, long_ago))
    made = baked_tasks.project.scratch_dir()
    assert made.parent == tmp_path and made.name.startswith(prefix)
    assert not stale.exists() and fresh.exists() and other.exists()


def test_a_task_s_command_runs_in_the_project_root_when_invoke_is_run_from_a_subfolder(baked_tasks, monkeypatch):
    root = baked_tasks.project.ROOT
    monkeypatch.chdir(root / "tests")  # invoke finds tasks/ from any folder below the project
    argv = [sys.executable, "-c", "import os; print(os.getcwd())"]
    assert baked_tasks.project.run(Context(), argv, quiet=True).stdout.strip() == str(root)


def test_ctrl_c_sent_to_the_task_alone_stops_it_once_the_running_command_has_ended(baked_tasks, tmp_path):
    """Not raised inside invoke's wait, where it can leave subprocess's poll() locked and the task waiting forever."""
    handler = signal.getsignal(signal.SIGINT)
    ended = tmp_path / "ended"
    command = [sys.executable, "-c", f"import time, pathlib; time.sleep(2); pathlib.Path({str(ended)!r}).touch()"]
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
    with pytest.raises(KeyboardInterrupt):
        baked_tasks.project.run(Context(), command, quiet=True)
    assert ended.exists(), "the command was cut short"
    assert signal.getsignal(signal.SIGINT) is handler
