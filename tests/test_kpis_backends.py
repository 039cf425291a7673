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


# ---------------------------------------------------------------------------------------
# The engine chosen in csmetrics.yaml (``engine:``) and on the command line (``--engine``)
# ---------------------------------------------------------------------------------------

TICKETS = (
    "ticket_id,created_at,channel,first_response_at\n"
    "T1,2026-10-01 09:00,email,2026-10-01 11:00\n"
    "T2,2026-10-02 10:00,chat,2026-10-02 10:30\n"
    "T3,2026-10-03 11:00,email,\n"
)


def _folder(tmp_path, yaml_text: str):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "tickets.csv").write_text(TICKETS, encoding="utf-8")
    (folder / "csmetrics.yaml").write_text(yaml_text, encoding="utf-8")
    return folder


def test_engine_in_the_yaml_runs_the_kpis_in_duckdb_with_its_settings(tmp_path):
    folder = _folder(
        tmp_path,
        "timezone: UTC\n"
        "engine: {name: duckdb, memory_limit: 512MB, temp_directory: spill, threads: 1}\n",
    )
    prepared = cm.prepare(cm.load(folder))
    res = compute(prepared, "2026-10", kpis=["tickets_created", "frt_median_h"])
    # hand-computed: 3 tickets; first responses after 2 h and 0.5 h -> median 1.25 h
    assert res.set_index("kpi")["value"].to_dict() == {"tickets_created": 3.0, "frt_median_h": 1.25}
    con = prepared.cache["duckdb_con"]  # made by the DuckDB engine, not by pandas
    setting = lambda name: con.execute(f"SELECT current_setting('{name}')").fetchone()[0]  # noqa: E731
    assert setting("threads") == 1
    assert setting("temp_directory") == str((folder / "spill").resolve())
    assert setting("memory_limit") in ("488.2 MiB", "512.0 MB", "488.2MiB")
    # the yaml engine is a default: an explicit backend still wins
    compute(cm.prepare(cm.load(folder)), "2026-10", backend="pandas")


def test_duckdb_runs_on_one_thread_unless_told_otherwise(tmp_path):
    """Parallel sums add floating-point numbers in an order that varies between runs (the
    last digits of a mean of a million values differed between two runs): one thread by
    default, so that the same data gives the same output."""
    prepared = cm.prepare(cm.load(_folder(tmp_path, "timezone: UTC\nengine: {name: duckdb}\n")))
    compute(prepared, "2026-10", kpis=["tickets_created"])
    con = prepared.cache["duckdb_con"]
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 1


def test_prepared_data_pickles_without_its_duckdb_connection(tmp_path):
    """The report hands the prepared data to its notebooks by pickle: the DuckDB
    connection of one process is left behind and made again where it is needed."""
    import pickle

    folder = _folder(tmp_path, "engine: {name: duckdb}\n")
    prepared = cm.prepare(cm.load(folder))
    before = compute(prepared, "2026-10", kpis=["tickets_created"])
    assert "duckdb_con" in prepared.cache
    again = pickle.loads(pickle.dumps(prepared))
    assert again.cache == {}
    pd.testing.assert_frame_equal(compute(again, "2026-10", kpis=["tickets_created"]), before)


def test_engine_and_its_earlier_name_backend_give_the_same_output(tmp_path, capsys):
    from csmetrics.cli import main

    folder = _folder(tmp_path, "timezone: UTC\n")
    outputs = []
    for args in ([], ["--engine", "duckdb"], ["--backend", "duckdb"], ["--engine", "pandas"]):
        assert main(["kpis", "--data", str(folder), "--period", "2026-10", "--format",
                     "json", "--by", "channel", *args]) == 0  # fmt: skip
        outputs.append(capsys.readouterr().out)
    assert '"tickets_created"' in outputs[0]
    assert outputs[1:] == [outputs[0]] * 3
    with pytest.raises(SystemExit) as exit_:
        main(["kpis", "--data", str(folder), "--engine", "spark"])
    assert exit_.value.code == 2
    assert "invalid choice: 'spark'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("engine", "message"),
    [
        ("{name: spark}", "engine.name: expected one of pandas, duckdb, got 'spark'"),
        ("{memory_limit: 4GB}", "engine.memory_limit: a setting of the duckdb engine, but "
                                "engine.name is pandas"),
        ("{name: duckdb, memory_limit: lots}", "engine.memory_limit: expected a size above "
                                               "zero such as 512MB"),
        ("{name: duckdb, memory_limit: 0GB}", "engine.memory_limit: expected a size above zero"),
        ("{name: duckdb, threads: 0}", "engine.threads: expected a whole number from 1 to 1024"),
        ("{name: duckdb, threads: 1.5}", "engine.threads: expected a whole number"),
        ("{nmae: duckdb}", "engine.nmae: unknown setting; did you mean 'name'?"),
        ("duckdb", "engine: expected a mapping"),
    ],
)  # fmt: skip
def test_engine_settings_are_checked(tmp_path, engine, message):
    folder = _folder(tmp_path, f"engine: {engine}\n")
    with pytest.raises(cm.ConfigError) as err:
        cm.load(folder)
    assert message in str(err.value)
    assert "csmetrics.yaml" in str(err.value)
