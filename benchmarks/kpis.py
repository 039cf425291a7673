"""Benchmark: every KPI by channel on ~1M tickets and 1M calls, pandas vs DuckDB vs SQL.

Run on demand (not a test):  ``.venv/bin/python benchmarks/kpis.py [--tickets 1000000]``

1. Generates the sample at the scale that gives ``--tickets`` tickets
   (``csmetrics.sample.generate``), tiles the calls table to ``--calls`` rows (fresh ids,
   shifted by whole weeks), and runs ``csmetrics.prepare`` once; the prepared tables are
   cached as Parquet in a temporary folder.
2. In a fresh subprocess per engine (so that peak memory is the engine's own), times
   - ``core`` KPIs by channel through the engine on pandas, then on DuckDB,
   - the same core numbers from one hand-written DuckDB SQL query (the baseline),
   - every public KPI by channel through the engine on pandas and on DuckDB,
   and prints the best of ``--repeat`` runs, the ratio to the SQL baseline, and the peak
   resident memory of each subprocess.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scale_data import tile_calls  # benchmarks/ is on sys.path: this runs as a script

CORE = ["tickets_created", "frt_median_h", "frt_p90_h", "frt_mean_h", "resolution_median_h",
        "resolution_p90_h", "resolution_mean_h", "fcr_rate", "reopen_rate", "calls_offered",
        "calls_answered", "calls_abandoned", "abandonment_rate", "service_level", "asa_s",
        "aht_s"]  # fmt: skip

#: What can be timed: the SQL baseline, then the engine on the core KPIs or on all.
MODES = ("sql", "pandas:core", "duckdb:core", "pandas:all", "duckdb:all")

SQL = """
WITH t AS (
  SELECT coalesce(channel, '(missing)') AS channel,
         count(*) AS tickets_created,
         quantile_cont(frt_s, 0.5) / 3600 AS frt_median_h,
         quantile_cont(frt_s, 0.9) / 3600 AS frt_p90_h,
         avg(frt_s) / 3600 AS frt_mean_h,
         avg(fcr) AS fcr_rate
  FROM tickets GROUP BY 1
), r AS (
  SELECT coalesce(channel, '(missing)') AS channel,
         quantile_cont(resolution_s, 0.5) / 3600 AS resolution_median_h,
         quantile_cont(resolution_s, 0.9) / 3600 AS resolution_p90_h,
         avg(resolution_s) / 3600 AS resolution_mean_h,
         avg(reopened) AS reopen_rate
  FROM tickets WHERE resolved_ts IS NOT NULL GROUP BY 1
), c AS (
  SELECT 'phone' AS channel,
         sum(offered) AS calls_offered, sum(answered) AS calls_answered,
         sum(abandoned) AS calls_abandoned, avg(abandon_flag) AS abandonment_rate,
         avg(sl_flag) AS service_level, avg(answered_wait_s) AS asa_s, avg(handle_s) AS aht_s
  FROM calls
)
SELECT * FROM t LEFT JOIN r USING (channel) LEFT JOIN c USING (channel) ORDER BY channel
"""


def build(tickets: int, calls: int, folder: Path) -> dict:
    """Generate, tile and prepare the data; write the prepared tables as Parquet."""

    import csmetrics as cm
    from csmetrics.sample import generate

    t0 = time.perf_counter()
    probe = generate(scale=0.05)
    per_scale = len(probe["tickets"]) / 0.05
    scale = tickets / per_scale
    tables = generate(scale=scale)
    gen_s = time.perf_counter() - t0
    tables["calls"] = tile_calls(tables["calls"], calls)
    from csmetrics.sample import sample_config

    wb = cm.from_frames(tables, sample_config())
    t1 = time.perf_counter()
    prepared = cm.prepare(wb)
    prep_s = time.perf_counter() - t1
    for name, df in prepared.tables.items():
        df.to_parquet(folder / f"{name}.parquet")
    meta = {
        "as_of": str(prepared.as_of),
        "rows": {n: len(d) for n, d in prepared.tables.items()},
        "generate_s": gen_s,
        "prepare_s": prep_s,
    }
    (folder / "meta.json").write_text(json.dumps(meta))
    return meta


def _prepared(folder: Path):
    import pandas as pd

    from csmetrics.config import config_from_dict
    from csmetrics.prepare import Prepared
    from csmetrics.sample import sample_config

    meta = json.loads((folder / "meta.json").read_text())
    tables = {p.stem: pd.read_parquet(p) for p in folder.glob("*.parquet")}
    return Prepared(tables, config_from_dict(sample_config()), pd.Timestamp(meta["as_of"]))


def run_engine(folder: Path, mode: str, repeat: int) -> dict:
    """Time one engine in this process; returns seconds and peak RSS."""
    prepared = _prepared(folder)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        if mode == "sql":
            import duckdb

            con = duckdb.connect()
            for name in ("tickets", "calls"):
                con.register(name, prepared.tables[name])
            con.execute(SQL).df()
        else:
            from csmetrics.kpis import compute

            backend, which = mode.split(":")
            compute(
                prepared,
                "all",
                by=["channel"],
                backend=backend,
                kpis=CORE if which == "core" else None,
            )
        best = min(best, time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "seconds": best, "peak_rss_mb": peak_mb}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tickets", type=int, default=1_000_000)
    ap.add_argument("--calls", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--mode", action="append", choices=MODES,
                    help="what to time (repeatable; default: all of them)")  # fmt: skip
    ap.add_argument("--engine", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--folder", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.engine:
        print(json.dumps(run_engine(Path(args.folder), args.engine, args.repeat)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        meta = build(args.tickets, args.calls, folder)
        print(f"rows: {meta['rows']}")
        print(f"generate {meta['generate_s']:.1f} s, prepare {meta['prepare_s']:.1f} s")
        results = {}
        for mode in args.mode or MODES:
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--engine",
                    mode,
                    "--folder",
                    tmp,
                    "--repeat",
                    str(args.repeat),
                ],
                capture_output=True,
                text=True,
            )
            if out.returncode:
                sys.exit(f"{mode} failed:\n{out.stderr}")
            results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
        base = results["sql"]["seconds"] if "sql" in results else float("nan")
        print(f"{'engine':<14}{'seconds':>10}{'× SQL':>8}{'peak RSS MB':>14}")
        for mode, r in results.items():
            print(
                f"{mode:<14}{r['seconds']:>10.2f}{r['seconds'] / base:>8.2f}"
                f"{r['peak_rss_mb']:>14.0f}"
            )


if __name__ == "__main__":
    main()
