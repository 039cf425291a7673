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
