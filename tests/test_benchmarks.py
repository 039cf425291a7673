"""The benchmarks run once, at a tiny size, so that they cannot rot (their timings are
not checked here: timing goals live in ``benchmarks/``)."""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from .conftest import ROOT

BENCH = ROOT / "benchmarks"


def _run(script: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def test_scale_data_writes_exactly_n_unique_rows_chunk_by_chunk(tmp_path):
    sys.path.insert(0, str(BENCH))
    try:
        from scale_data import write_scale_data
    finally:
        sys.path.remove(str(BENCH))
    out = tmp_path / "d"
    lines = []
    result = write_scale_data(2_500, out, chunk=1_000, log=lines.append)
    assert (result["tickets"], result["calls"]) == (2_500, 2_500)
    assert len(lines) == 3  # three chunks: 1,000 + 1,000 + 500
    tickets = pq.read_table(out / "tickets.parquet").to_pandas()
    calls = pq.read_table(out / "calls.parquet").to_pandas()
    assert len(tickets) == len(calls) == 2_500
    assert tickets["ticket_id"].is_unique and calls["call_id"].is_unique
    assert pq.ParquetFile(out / "tickets.parquet").metadata.num_row_groups == 3
    assert sorted(p.name for p in out.iterdir()) == [
        "calls.parquet", "csmetrics.yaml", "tickets.parquet"
    ]  # fmt: skip
    with pytest.raises(FileExistsError):
        write_scale_data(10, out, log=None)


def test_scale_benchmark_measures_the_command_against_the_sql_baseline(tmp_path):
    proc = _run("scale.py", "--rows", "2000", "--engine", "duckdb", "--core-only", "--json",
                "--root", str(tmp_path),
                "--report", "--report-section", "data_quality")  # fmt: skip
    rows = json.loads(proc.stdout)["2000"]
    assert [r["run"] for r in rows] == ["sql", "duckdb core", "report duckdb"]
    assert rows[0]["x_sql"] == 1.0
    for r in rows:
        assert r["wall_s"] > 0 and r["cpu_s"] > 0 and r["peak_rss_mb"] > 50, r


def test_engine_benchmark_runs(tmp_path):
    proc = _run("kpis.py", "--tickets", "2000", "--calls", "2000", "--repeat", "1",
                "--mode", "sql", "--mode", "duckdb:core")  # fmt: skip
    assert "duckdb:core" in proc.stdout and "× SQL" in proc.stdout


def test_explorer_benchmark_replays_every_step():
    proc = _run("explore.py", "--tickets", "2000")
    assert "drill into the last month" in proc.stdout
    assert "over 17 interactions" in proc.stdout
