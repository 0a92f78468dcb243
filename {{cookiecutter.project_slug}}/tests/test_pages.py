"""Every page of the app runs once without an exception: the main file and each script in pages/.

This is the app's smoke test, whatever the app is: it reads the main file from pyproject.toml
([tool.pinned-streamlit] main-file), runs it and every `pages/*.py` beside it in Streamlit's AppTest,
as a visitor's first look would, and fails on the first exception a page raises.
"""

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = tomllib.loads((ROOT / "pyproject.toml").read_text()).get("tool", {}).get("pinned-streamlit", {})
MAIN = ROOT / SETTINGS.get("main-file", "streamlit_app.py")
PAGES = [MAIN, *sorted((MAIN.parent / "pages").glob("*.py"))]


@pytest.mark.parametrize("page", PAGES, ids=[page.relative_to(ROOT).as_posix() for page in PAGES])
def test_the_page_runs_without_an_exception(page):
    app = AppTest.from_file(str(page), default_timeout=60).run()
    raised = [f"{error.message.strip()}\n{''.join(error.stack_trace)}" for error in app.exception]
    assert not raised, f"{page.relative_to(ROOT)} raised:\n" + "\n".join(raised)
