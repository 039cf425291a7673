"""Whole-process benchmark: ``csmetrics kpis`` per engine against hand-written DuckDB SQL.

``.venv/bin/python benchmarks/scale.py --rows 1000000 [--rows 10000000] [--engine duckdb]``

For each size, the data folder of :mod:`scale_data` (N tickets + N calls in Parquet,
written once into ``--root`` and reused) is measured as users run it, each in a fresh
process whose wall time, CPU time and peak resident memory (``wait4``) are recorded:

- ``sql``: the baseline, one hand-written DuckDB query over the same Parquet files
  computing the core KPIs by channel (:data:`SQL`), from the raw columns;
- ``<engine> core``: ``csmetrics kpis --data F --period all --by channel --kpi <core>
  --format json --engine <engine>``: load, validation, preparation, the same KPIs,
  output;
- ``<engine> all``: the same command for every KPI;
- ``report <engine>`` (with ``--report``): ``csmetrics report`` of the last month (every
  section, the default two notebooks at a time) with ``engine: {name: <engine>}`` in the
  folder's ``csmetrics.yaml``: peak RSS is that of the largest process (the command or a
  notebook's kernel).

Prints a table (seconds, × the SQL baseline, peak RSS) and, with ``--json``, the
measurements as JSON. Tickets created per channel from the command must equal the SQL
query's counts, or the benchmark fails: a fast wrong answer is not a result.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The core KPIs, in both the command and the SQL.
CORE = ["tickets_created", "frt_median_h", "frt_p90_h", "frt_mean_h", "resolution_median_h",
        "resolution_p90_h", "resolution_mean_h", "fcr_rate", "reopen_rate", "calls_offered",
        "calls_answered", "calls_abandoned", "abandonment_rate", "service_level", "asa_s",
        "aht_s"]  # fmt: skip

#: The baseline: the core KPIs by channel, from the raw Parquet columns.
SQL = """
WITH tk AS (
  SELECT coalesce(channel, '(missing)') AS channel,
         epoch(first_response_at) - epoch(created_at) AS frt_s,
         CASE WHEN resolved_at IS NOT NULL THEN epoch(resolved_at) - epoch(created_at) END
           AS resolution_s,
         resolved_at IS NOT NULL AS resolved,
         coalesce(reopens, 0) > 0 AS reopened,
         agent_replies
  FROM read_parquet('{folder}/tickets.parquet')
), t AS (
  SELECT channel, count(*) AS tickets_created,
         quantile_cont(frt_s, 0.5) / 3600 AS frt_median_h,
         quantile_cont(frt_s, 0.9) / 3600 AS frt_p90_h,
         avg(frt_s) / 3600 AS frt_mean_h,
         avg(CASE WHEN resolved THEN (agent_replies <= 1 AND NOT reopened)::INT END) AS fcr_rate
  FROM tk GROUP BY 1
), r AS (
  SELECT channel,
         quantile_cont(resolution_s, 0.5) / 3600 AS resolution_median_h,
         quantile_cont(resolution_s, 0.9) / 3600 AS resolution_p90_h,
         avg(resolution_s) / 3600 AS resolution_mean_h,
         avg(reopened::INT) AS reopen_rate
  FROM tk WHERE resolved GROUP BY 1
), cl AS (
  SELECT outcome, wait_s, talk_s + coalesce(hold_s, 0) + coalesce(wrap_s, 0) AS handle_s
  FROM read_parquet('{folder}/calls.parquet')
), c AS (
  SELECT 'phone' AS channel, count(*) AS calls_offered,
         count(*) FILTER (WHERE outcome = 'answered') AS calls_answered,
         count(*) FILTER (WHERE outcome = 'abandoned' AND wait_s >= 5) AS calls_abandoned,
         avg(CASE WHEN outcome = 'answered' OR wait_s >= 5
             THEN (outcome = 'abandoned')::INT END) AS abandonment_rate,
         avg(CASE WHEN outcome = 'answered' OR wait_s >= 5
             THEN (outcome = 'answered' AND wait_s <= 20)::INT END) AS service_level,
         avg(wait_s) FILTER (WHERE outcome = 'answered') AS asa_s,
         avg(handle_s) FILTER (WHERE outcome = 'answered') AS aht_s
  FROM cl
)
SELECT * FROM t LEFT JOIN r USING (channel) LEFT JOIN c USING (channel) ORDER BY channel
"""

_SQL_RUNNER = """
import json, sys, duckdb
rows = duckdb.sql(sys.argv[1].replace('{folder}', sys.argv[2])).fetchall()
print(json.dumps({r[0]: r[1] for r in rows}))
"""


def run_measured(cmd: list[str]) -> dict:
    """Run ``cmd`` and measure it with ``wait4``: wall, CPU (user + system) and peak RSS."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:  # a file: a full pipe would block the child
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, text=True)
        stdout = proc.stdout.read()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        err.seek(0)
        stderr = err.read()
    return {
        "wall_s": round(time.perf_counter() - start, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "code": proc.returncode,
        "stdout": stdout,
        "stderr": stderr,
    }


def _csmetrics(folder: Path, engine: str, kpis: list[str] | None) -> list[str]:
    cmd = [sys.executable, "-m", "csmetrics", "kpis", "--data", str(folder), "--period", "all",
           "--by", "channel", "--format", "json", "--engine", engine]  # fmt: skip
    return cmd + (["--kpi", *kpis] if kpis else [])


def _tickets_by_channel(stdout: str) -> dict:
    """Tickets created per channel from ``csmetrics kpis --format json``."""
    records = json.loads(stdout)["kpis"]
    return {r["channel"]: r["value"] for r in records if r["kpi"] == "tickets_created"}


def bench_size(
    folder: Path, engines: list[str], full: bool, report: list[str] | None = None
) -> list[dict]:
    """The measurements of one data folder: the SQL baseline, then each engine (and its
    report, when ``report`` is a list of sections, empty for all)."""
    rows = []
    sql = run_measured([sys.executable, "-c", _SQL_RUNNER, SQL, str(folder)])
    if sql["code"]:
        raise SystemExit(f"SQL baseline failed:\n{sql['stderr']}")
    expected = json.loads(sql["stdout"])
    rows.append({"run": "sql", **_public(sql)})
    for engine in engines:
        for which in ("core", "all") if full else ("core",):
            r = run_measured(_csmetrics(folder, engine, CORE if which == "core" else None))
            if r["code"]:
                raise SystemExit(f"{engine} {which} exited {r['code']}:\n{r['stderr'][-3000:]}")
            got = _tickets_by_channel(r["stdout"])
            if {k: int(v) for k, v in got.items()} != expected:
                raise SystemExit(f"{engine} {which}: tickets by channel {got} != SQL {expected}")
            rows.append({"run": f"{engine} {which}", **_public(r)})
    if report is not None:
        rows += [bench_report(folder, engine, report) for engine in engines]
    base = rows[0]["wall_s"]
    for r in rows:
        r["x_sql"] = round(r["wall_s"] / base, 2) if base else None
    return rows


def bench_report(folder: Path, engine: str, sections: list[str] | None = None) -> dict:
    """``csmetrics report`` of ``folder``'s last month with the given engine, measured
    (every section unless ``sections``)."""
    import yaml

    variant = folder.with_name(f"{folder.name}-report-{engine}")
    variant.mkdir(exist_ok=True)
    for table in folder.glob("*.parquet"):
        link = variant / table.name
        if not link.exists():
            link.symlink_to(table.resolve())
    cfg = yaml.safe_load((folder / "csmetrics.yaml").read_text(encoding="utf-8"))
    cfg["engine"] = {**cfg.get("engine", {}), "name": engine}
    (variant / "csmetrics.yaml").write_text(yaml.safe_dump(cfg), encoding="utf-8")
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "csmetrics", "report", "--data", str(variant),
               "--out", str(Path(out) / "report")]  # fmt: skip
        r = run_measured(cmd + [a for name in sections or () for a in ("--section", name)])
    if r["code"]:
        raise SystemExit(f"report {engine} exited {r['code']}:\n{r['stderr'][-3000:]}")
    if "FAILED" in r["stderr"]:
        raise SystemExit(f"report {engine}: a section failed:\n{r['stderr'][-3000:]}")
    return {"run": f"report {engine}", **_public(r)}


def _public(r: dict) -> dict:
    return {k: r[k] for k in ("wall_s", "cpu_s", "peak_rss_mb")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, action="append", help="tickets (and calls); repeatable")
    ap.add_argument("--engine", action="append", choices=["pandas", "duckdb"],
                    help="engines to run (default: pandas and duckdb)")  # fmt: skip
    ap.add_argument("--root", type=Path, default=Path("/tmp/csmetrics-scale"),
                    help="where the generated data folders are kept and reused")  # fmt: skip
    ap.add_argument("--core-only", action="store_true", help="skip the every-KPI runs")
    ap.add_argument("--report", action="store_true",
                    help="also time csmetrics report of the last month per engine")  # fmt: skip
    ap.add_argument("--report-section", action="append", metavar="NAME",
                    help="with --report: only this section (repeatable; default all)")  # fmt: skip
    ap.add_argument("--json", action="store_true", help="print the measurements as JSON")
    args = ap.parse_args(argv)
    results = {}
    for n in args.rows or [1_000_000]:
        folder = args.root / f"rows-{n}"
        if not folder.exists():
            print(f"writing {n:,} tickets + {n:,} calls to {folder}", file=sys.stderr)
            # in a process of its own: a child forked from a large parent would count the
            # parent's memory in its own peak RSS
            subprocess.run([sys.executable, str(Path(__file__).with_name("scale_data.py")),
                            "--rows", str(n), "--out", str(folder)], check=True,
                           stdout=sys.stderr)  # fmt: skip
        engines = args.engine or ["pandas", "duckdb"]
        report = (args.report_section or []) if args.report else None
        results[n] = bench_size(folder, engines, not args.core_only, report)
    if args.json:
        print(json.dumps(results))
        return 0
    print(f"{'rows (tickets + calls)':<24}{'run':<16}{'wall s':>8}{'CPU s':>8}{'× SQL':>8}"
          f"{'peak RSS MB':>13}")  # fmt: skip
    for n, rows in results.items():
        for r in rows:
            print(f"{f'{n:,} + {n:,}':<24}{r['run']:<16}{r['wall_s']:>8.2f}{r['cpu_s']:>8.2f}"
                  f"{r['x_sql']:>8.2f}{r['peak_rss_mb']:>13,}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
