"""tasks/locks.py: reading locks and the .in files they come from. Pure, fast, no network, no bake."""

import pytest
from helpers import PIP_TOOLS_LOCK
from invoke import Exit


def test_a_lock_is_read_into_pins_with_normalised_names_versions_hashes_and_needers(baked_tasks):
    pins = baked_tasks.locks.parse(PIP_TOOLS_LOCK)
    assert set(pins) == {"typing-extensions", "colorama", "pip-tools", "build", "unrelated", "pip"}
    assert pins["typing-extensions"].version == "4.16.0"
    assert pins["typing-extensions"].hashes == {"sha256:aaaa", "sha256:bbbb"}
    assert pins["typing-extensions"].via == {"pydantic"}
    assert pins["colorama"].version == "0.4.6" and pins["colorama"].via == {"click"}
    assert str(pins["colorama"].marker) == 'sys_platform == "win32"'
    assert pins["pip"].via == {"pip-tools"}
    assert pins["build"].text == "build==1.3.0 \\\n    --hash=sha256:eeee\n    # via pip-tools\n"


def test_stripping_hashes_keeps_every_pin_and_comment_and_no_hash(baked_tasks):
    stripped = baked_tasks.locks.without_hashes(PIP_TOOLS_LOCK)
    assert "--hash" not in stripped and "sha256" not in stripped
    assert not any(line.rstrip().endswith("\\") for line in stripped.splitlines())
    pins = baked_tasks.locks.parse(stripped)
    assert {name: pin.version for name, pin in pins.items()} == baked_tasks.locks.versions(PIP_TOOLS_LOCK)
    assert all(not pin.hashes for pin in pins.values())
    assert "# The following packages are considered to be unsafe" in stripped


def test_only_the_named_pins_lose_their_hashes_and_every_other_byte_stays(baked_tasks):
    text = baked_tasks.locks.without_hashes(PIP_TOOLS_LOCK, {"build"})
    assert text == PIP_TOOLS_LOCK.replace("build==1.3.0 \\\n    --hash=sha256:eeee\n", "build==1.3.0\n")
    assert baked_tasks.locks.without_hashes(PIP_TOOLS_LOCK, set()) == PIP_TOOLS_LOCK


def test_a_held_pin_is_set_back_keeping_its_marker(baked_tasks):
    text = baked_tasks.locks.with_pins(PIP_TOOLS_LOCK, {"colorama": "0.4.5"})
    pins = baked_tasks.locks.parse(text)
    assert pins["colorama"].version == "0.4.5" and str(pins["colorama"].marker) == 'sys_platform == "win32"'
    assert pins["build"] == baked_tasks.locks.parse(PIP_TOOLS_LOCK)["build"]


def test_the_change_table_says_added_removed_and_changed_the_right_way_round(baked_tasks):
    old = "a==1.0 \\\n    --hash=sha256:1\nb==1.0 \\\n    --hash=sha256:2\nsame==3 \\\n    --hash=sha256:3\n"
    new = "b==2.0 \\\n    --hash=sha256:4\nc==1.0 \\\n    --hash=sha256:5\nsame==3 \\\n    --hash=sha256:3\n"
    report = baked_tasks.locks.change_table({"requirements.txt": old}, {"requirements.txt": new})
    assert "| a | 1.0 |  | removed |" in report
    assert "| b | 1.0 | 2.0 | changed |" in report
    assert "| c |  | 1.0 | added |" in report
    assert "same" not in report
    unchanged = baked_tasks.locks.change_table({"requirements.txt": old}, {"requirements.txt": old})
    assert "No pins changed." in unchanged


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("git+https://github.com/org/pkg@main#egg=pkg", "VCS"),
        ("pkg @ git+https://github.com/org/pkg", "VCS"),
        ("./vendor/pkg", "local"),
        ("pkg @ file:///opt/pkg-1.0.tar.gz", "local"),
        ("altair>=5 --hash=sha256:aaaa", None),
        ("pkg @ https://example.com/pkg-1.0-py3-none-any.whl", None),
    ],
)
def test_lines_without_a_published_hash_are_told_apart_from_releases(baked_tasks, line, kind):
    assert baked_tasks.locks.unlockable(line) == kind


def test_an_app_whose_requirements_do_not_name_streamlit_is_refused_in_one_line(baked_tasks, tmp_path):
    (tmp_path / "requirements.in").write_text("pandas  # the app's only import\n-r more.in\n")
    (tmp_path / "more.in").write_text("Streamlit_Extras\n")
    [refusal] = baked_tasks.locks.missing_streamlit(tmp_path)
    assert refusal.startswith("error: requirements.in does not name streamlit") and "\n" not in refusal
    (tmp_path / "more.in").write_text("streamlit>=1.40\n")  # named in an included file counts
    assert baked_tasks.locks.missing_streamlit(tmp_path) == []
    assert baked_tasks.locks.require_lockable(tmp_path) == ["more.in"]


def test_requirements_saved_as_utf16_by_windows_are_read_as_pip_reads_them(baked_tasks, tmp_path):
    (tmp_path / "requirements.in").write_bytes("streamlit==1.40.0\r\ntorch==2.7.1\r\n".encode("utf-16"))
    assert baked_tasks.locks.inspect(tmp_path)[2] == {"streamlit", "torch"}


def test_a_lock_line_broken_by_hand_is_named_in_one_line_with_the_fix(baked_tasks):
    with pytest.raises(Exit) as refused:
        baked_tasks.locks.parse("altair=6.0.0 \\\n    --hash=sha256:" + "a" * 64 + "\n")
    assert refused.value.message.startswith("error: a lock holds 'altair=6.0.0', which is not a pin")
    assert "git checkout -- requirements*.txt" in refused.value.message and "\n" not in refused.value.message
