"""KPIs from the monthly_metrics table when the detailed table is absent."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import csmetrics as cm
from csmetrics.kpis import compute
from csmetrics.report import default_period


@pytest.fixture(scope="module")
def prepared():
    mm = pd.DataFrame(
        {
            "period": ["2020-01", "2020-02", "2020-01", "2020-02", "2020-01", "2020-02"],
            "metric": ["calls_offered"] * 2 + ["abandonment_rate"] * 2 + ["asa_s"] * 2,
            "value": [100, 120, 0.1, 0.2, 30, 40],
            "n": [100, 120, 100, 120, None, None],
        }
    )
    return cm.prepare(cm.from_frames({"monthly_metrics": mm}))


def _one(df, kpi):
    return df[df["kpi"] == kpi].iloc[0]


def test_single_month_takes_the_published_values(prepared):
    df = compute(prepared, "2020-02", kpis=["calls_offered", "abandonment_rate", "asa_s"])
    assert _one(df, "calls_offered")["value"] == 120
    assert _one(df, "abandonment_rate")["value"] == pytest.approx(0.2)
    assert _one(df, "asa_s")["value"] == 40
    assert all(df["available"]) and all(df["note"].str.startswith("from monthly_metrics"))


def test_quarter_sums_counts_and_weights_rates_by_n(prepared):
    df = compute(prepared, "2020-Q1", kpis=["calls_offered", "abandonment_rate", "asa_s"])
    assert _one(df, "calls_offered")["value"] == 220  # 100 + 120
    # (0.1·100 + 0.2·120) / 220 = 34 / 220
    assert _one(df, "abandonment_rate")["value"] == pytest.approx(34 / 220)
    assert _one(df, "abandonment_rate")["n"] == 220
    assert _one(df, "asa_s")["value"] == 35  # no n: plain mean of 30 and 40, said in the note
    assert "plain mean" in _one(df, "asa_s")["note"]


def test_by_month_and_missing_kpi(prepared):
    df = compute(prepared, "2020", by=["month"], kpis=["calls_offered", "aht_s"])
    offered = df[df["kpi"] == "calls_offered"].set_index("month")["value"]
    assert offered.to_dict() == {"2020-01": 100, "2020-02": 120}
    aht = _one(df, "aht_s")
    assert not aht["available"] and math.isnan(aht["value"]) and "calls" in aht["note"]


def test_default_period_from_monthly_table(prepared):
    wb = cm.from_frames(
        {
            "monthly_metrics": pd.DataFrame(
                {"period": ["2020-01", "2020-02"], "metric": ["calls_offered"] * 2, "value": [1, 2]}
            )
        }
    )
    assert default_period(wb) == "2020-02"


def _counts_and_rates() -> pd.DataFrame:
    """Months with counts and published (rounded) abandonment rates: January 10 of 300 =
    3.33 % published as 3.3 %, February 8 of 100 = 8 %; April 6 of 200 = 3 %, and May
    with a published rate but no counts."""
    rows = [
        ("2020-01", "calls_offered", 300, 300),
        ("2020-02", "calls_offered", 100, 100),
        ("2020-04", "calls_offered", 200, 200),
        ("2020-01", "calls_abandoned", 10, 10),
        ("2020-02", "calls_abandoned", 8, 8),
        ("2020-04", "calls_abandoned", 6, 6),
        ("2020-01", "abandonment_rate", 0.033, 300),
        ("2020-02", "abandonment_rate", 0.08, 100),
        ("2020-04", "abandonment_rate", 0.03, 200),
        ("2020-05", "abandonment_rate", 0.05, 200),
    ]
    return pd.DataFrame(rows, columns=["period", "metric", "value", "n"])


@pytest.mark.parametrize("backend", ["pandas", "duckdb"])
def test_rate_over_months_with_counts_is_the_ratio_of_sums(backend):
    p = cm.prepare(cm.from_frames({"monthly_metrics": _counts_and_rates()}))

    def rate(period, **kw):
        return compute(p, period, kpis=["abandonment_rate"], backend=backend, **kw)

    # one month: the published figure, as in the table
    assert _one(rate("2020-01"), "abandonment_rate")["value"] == pytest.approx(0.033)
    by_month = rate("2020", by=["month"]).set_index("month")["value"].to_dict()
    assert by_month == pytest.approx(
        {"2020-01": 0.033, "2020-02": 0.08, "2020-04": 0.03, "2020-05": 0.05}
    )
    # Q1 (January and February): (10 + 8) / (300 + 100) = 0.045, n = 400 offered calls
    # (before: the n-weighted mean of the rounded rates, (0.033·300 + 0.08·100)/400 =
    # 0.04475)
    q1 = _one(rate("2020-Q1"), "abandonment_rate")
    assert q1["value"] == pytest.approx(18 / 400, rel=1e-12)
    assert q1["n"] == 400
    # Q2: May has no counts → the n-weighted mean, (0.03·200 + 0.05·200)/400 = 0.04
    assert _one(rate("2020-Q2"), "abandonment_rate")["value"] == pytest.approx(0.04)
