"""The same KPIs on pandas and on DuckDB: every public KPI, ungrouped and grouped.

The data is the generated sample at 5% scale (a year of every table, with the quality
problems the generator plants), written as a data folder and loaded the way users do.
Both backends run the same narwhals code; they must agree on every number, on which
groups exist and on what is available.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import csmetrics as cm
from csmetrics.kpis import compute, public_kpis
from csmetrics.sample import write_sample

NOW = pd.Timestamp("2026-11-23", tz="UTC")
KPI_IDS = [k.id for k in public_kpis()]
CASES = {
    "month": ("2026-10", ()),
    "month-by-channel": ("2026-10", ("channel",)),
    "quarter-by-month": ("2026-Q3", ("month",)),
    "all-by-month": ("all", ("month",)),
    "month-by-team": ("2026-10", ("team",)),
    "empty-period": ("2024-01", ()),
}
NUMBERS = ["value", "n", "ci_low", "ci_high"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    write_sample(folder, scale=0.05)
    return cm.prepare(cm.load(folder, now=NOW))


@pytest.fixture(scope="module")
def computed(sample):
    """Results per (case, backend), computed once per test process."""
    cache: dict[tuple[str, str], pd.DataFrame] = {}

    def get(case: str, backend: str) -> pd.DataFrame:
        if (case, backend) not in cache:
            period, by = CASES[case]
            cache[case, backend] = compute(sample, period, by=by, backend=backend)
        return cache[case, backend]

    return get


def rows_of(res: pd.DataFrame, kpi: str, by: tuple[str, ...]) -> pd.DataFrame:
    keys = [c for c in (*by, "channel") if c in res.columns]
    keys = list(dict.fromkeys(keys))
    part = res[res["kpi"] == kpi].copy()
    for k in keys:
        part[k] = part[k].astype("object").where(part[k].notna(), None).astype("str")
    return part.sort_values(keys).reset_index(drop=True), keys


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("kpi", KPI_IDS)
def test_pandas_and_duckdb_agree(computed, case, kpi):
    _, by = CASES[case]
    a, keys = rows_of(computed(case, "pandas"), kpi, by)
    b, _ = rows_of(computed(case, "duckdb"), kpi, by)
    assert len(a) == len(b), f"{kpi}: {len(a)} pandas rows, {len(b)} duckdb rows"
    for k in keys:
        assert a[k].tolist() == b[k].tolist(), k
    assert a["available"].tolist() == b["available"].tolist()
    assert a["excluded"].tolist() == b["excluded"].tolist()
    for col in NUMBERS:
        x, y = a[col].astype(float).to_numpy(), b[col].astype(float).to_numpy()
        same = np.isclose(x, y, rtol=1e-9, atol=1e-9, equal_nan=True)
        assert same.all(), f"{kpi} {col}: pandas {x[~same]} duckdb {y[~same]}"


def test_sample_gives_values_to_compare(computed):
    """Guard against a vacuous parity test: the sample must make most KPIs available."""
    res = computed("month", "pandas")
    have = set(res[res["available"] & res["value"].notna()]["kpi"])
    assert set(KPI_IDS) - have == set(), set(KPI_IDS) - have
    grouped = computed("quarter-by-month", "pandas")
    assert set(grouped["month"].dropna()) >= {"2026-07", "2026-08", "2026-09"}


def test_duckdb_single_kpi_matches_the_batch(sample):
    """A KPI computed alone (its own query) equals the same KPI computed with all others."""
    both = compute(sample, "2026-10", backend="duckdb")
    for kpi in ("resolution_km_median_h", "nps", "cost_per_contact", "frt_p90_h"):
        alone = compute(sample, "2026-10", kpis=[kpi], backend="duckdb")
        x = both[both["kpi"] == kpi][NUMBERS].astype(float).to_numpy()
        y = alone[NUMBERS].astype(float).to_numpy()
        assert np.allclose(x, y, rtol=1e-12, equal_nan=True), kpi
