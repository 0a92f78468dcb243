"""A savings planner: pick a monthly deposit, a return and a horizon; see the balance grow.

Everything is computed here, with no network or data files, so the app behaves the same
on your machine, on Community Cloud and in the Docker image.
"""

import pandas as pd
import streamlit as st

TITLE = {{ cookiecutter.project_name | python_string }}
DESCRIPTION = {{ cookiecutter.description | python_string }}


def savings_table(monthly_deposit: float, annual_return_percent: float, years: int) -> pd.DataFrame:
    """Money deposited and balance at the end of each year, compounding monthly."""
    monthly_rate = annual_return_percent / 100 / 12
    balance = 0.0
    rows = []
    for year in range(1, years + 1):
        for _ in range(12):
            balance = balance * (1 + monthly_rate) + monthly_deposit
        rows.append({"year": year, "deposited": monthly_deposit * 12 * year, "balance": round(balance, 2)})
    return pd.DataFrame(rows).set_index("year")


st.set_page_config(page_title=TITLE, page_icon=":chart_with_upwards_trend:")
st.title(TITLE)
st.caption(DESCRIPTION)

monthly_deposit = st.number_input("Monthly deposit", min_value=0, max_value=100_000, value=200, step=50, key="deposit")
annual_return = st.slider("Annual return (%)", min_value=0.0, max_value=15.0, value=5.0, step=0.5, key="return")
years = st.slider("Years", min_value=1, max_value=40, value=10, key="years")

table = savings_table(monthly_deposit, annual_return, years)
final = table.iloc[-1]
st.metric(
    f"Balance after {years} years",
    f"{final['balance']:,.2f}",
    delta=f"{final['balance'] - final['deposited']:,.2f} growth",
)
st.line_chart(table)
st.dataframe(table)
