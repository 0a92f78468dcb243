"""The example app (a savings planner), driven the way a visitor would drive it, with Streamlit's AppTest.

These tests are for the example only; tests/test_pages.py checks any app's pages. Once you replace the
example with your own app, they skip and say so: write your own here, in the same style.
"""

from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "streamlit_app.py"
if not APP.is_file() or "def savings_table(" not in APP.read_text(encoding="utf-8"):
    pytest.skip(
        "the example app is gone (your own app now); tests/test_pages.py runs its pages", allow_module_level=True
    )

from streamlit.testing.v1 import AppTest  # noqa: E402 (only once the example is known to be here)


@pytest.fixture
def app():
    app = AppTest.from_file(str(APP), default_timeout=30)
    app.run()
    assert not app.exception
    return app


def balance(app):
    return float(app.metric[0].value.replace(",", ""))


def test_first_run_shows_the_title_and_ten_years(app):
    assert app.title[0].value
    assert len(app.dataframe[0].value) == 10
    assert app.metric[0].label == "Balance after 10 years"


def test_more_years_add_rows_and_grow_the_balance(app):
    before = balance(app)
    app.slider(key="years").set_value(25).run()
    assert not app.exception
    assert len(app.dataframe[0].value) == 25
    assert balance(app) > before


def test_zero_return_leaves_exactly_what_was_deposited(app):
    app.slider(key="return").set_value(0.0).run()
    app.number_input(key="deposit").set_value(100).run()
    table = app.dataframe[0].value
    assert table["balance"].iloc[-1] == table["deposited"].iloc[-1] == 100 * 12 * 10


def test_a_higher_return_ends_higher(app):
    low = balance(app.slider(key="return").set_value(1.0).run())
    high = balance(app.slider(key="return").set_value(10.0).run())
    assert high > low
