"""The scorecard never states a verdict on very few observations without saying so."""

from __future__ import annotations

import pandas as pd

from csmetrics.kpis import get
from csmetrics.pages import scorecard_html


def _row(kpi: str, value: float, n: int, low: bool) -> dict:
    return {
        "kpi": kpi, "value": value, "unit": "h", "n": n, "available": True, "target": 24.0,
        "target_source": "benchmark", "change": None, "change_better": None,
        "status": "on_target", "compared_with": None, "low_sample": low,
    }  # fmt: skip


def test_a_status_on_one_observation_carries_a_caveat_naming_n():
    df = pd.DataFrame([_row("mttd_h", 2.0, 1, True), _row("frt_median_h", 0.4, 5117, False)])
    page = scorecard_html(df, pd.DataFrame(columns=["kpi", "value"]), "EUR", kpis=list(df["kpi"]))
    rows = {get(k).label: r for r in page.split("<tr>")[2:] for k in df["kpi"] if get(k).label in r}
    assert "too few to judge (n = 1)" in rows[get("mttd_h").label]
    assert "too few to judge" not in rows[get("frt_median_h").label]
