"""Benchmark: explorer interaction latency on ~1M tickets (run on demand).

``.venv/bin/python benchmarks/explore.py [--tickets 1000000]`` generates the sample at
that size, prepares it, builds the explorer and replays a scripted session of widget
changes (KPI, grouping, view, filters, period, drill-down), timing each interaction from
the widget change to the redrawn view. Prints every latency and the median / max.
"""

from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")


def main() -> None:
    import csmetrics as cm
    from csmetrics.explore import Explorer
    from csmetrics.sample import generate, sample_config

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tickets", type=int, default=1_000_000)
    args = ap.parse_args()
    per_scale = len(generate(scale=0.05)["tickets"]) / 0.05
    t0 = time.perf_counter()
    tables = generate(scale=args.tickets / per_scale)
    prepared = cm.prepare(cm.from_frames(tables, sample_config()))
    print(
        f"{len(prepared['tickets']):,} tickets, {len(prepared['calls']):,} calls; "
        f"generate + load + prepare {time.perf_counter() - t0:.1f} s"
    )
    t0 = time.perf_counter()
    ex = Explorer(prepared, export_dir="/tmp/explore-bench")
    print(f"explorer built (first view) in {time.perf_counter() - t0:.2f} s")
    months = ex.start.options
    steps = [
        ("kpi = frt_median_h", lambda: setattr(ex.kpi, "value", "frt_median_h")),
        ("group = channel", lambda: setattr(ex.group, "value", "channel")),
        ("view = bars", lambda: setattr(ex.view, "value", "bars")),
        (
            "filter channel = email, chat",
            lambda: setattr(ex.filters["channel"], "value", ("email", "chat")),
        ),
        ("kpi = resolution_median_h", lambda: setattr(ex.kpi, "value", "resolution_median_h")),
        ("view = distribution", lambda: setattr(ex.view, "value", "distribution")),
        ("group = team", lambda: setattr(ex.group, "value", "team")),
        ("view = trend", lambda: setattr(ex.view, "value", "trend")),
        ("kpi = csat_score", lambda: setattr(ex.kpi, "value", "csat_score")),
        ("period: last month only", lambda: setattr(ex.start, "value", months[-1])),
        ("filter priority = urgent", lambda: setattr(ex.filters["priority"], "value", ("urgent",))),
        ("kpi = cost_per_contact", lambda: setattr(ex.kpi, "value", "cost_per_contact")),
        ("view = table", lambda: setattr(ex.view, "value", "table")),
        ("clear filters", lambda: [setattr(w, "value", ()) for w in ex.filters.values()]),
        (
            "kpi = fcr_rate, group = month",
            lambda: (setattr(ex.kpi, "value", "fcr_rate"), setattr(ex.group, "value", "month")),
        ),
        ("drill into the last month", lambda: setattr(ex.drill, "value", ex.drill.options[-1][1])),
        ("back to frt_median_h (cached)", lambda: setattr(ex.kpi, "value", "frt_median_h")),
    ]
    times = []
    for name, action in steps:
        t = time.perf_counter()
        action()
        dt = time.perf_counter() - t
        times.append(dt)
        print(f"  {name:<36} {dt * 1000:8.0f} ms")
    print(
        f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
        f"over {len(times)} interactions"
    )


if __name__ == "__main__":
    main()
