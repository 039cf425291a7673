"""Time and memory of :func:`csmetrics.sample.generate` at scale (run on demand).

Usage::

    python benchmarks/sample_bench.py                 # about a million tickets
    python benchmarks/sample_bench.py --scale 1 --write /tmp/sample

Prints the rows of each table, the wall-clock seconds and the peak memory: the
process's maximum resident set size, and the peak of memory traced by
:mod:`tracemalloc` during a second, separately timed run (tracing slows it down).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc

from csmetrics.sample import generate, write_sample


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=16.7, help="default: ~1M tickets")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")
    parser.add_argument("--write", metavar="DIR", help="also time write_sample to DIR")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    tables = generate(seed=args.seed, months=args.months, scale=args.scale)
    seconds = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    print(f"generate(seed={args.seed}, months={args.months}, scale={args.scale})")
    for name, df in tables.items():
        mb = df.memory_usage(deep=True).sum() / 2**20
        print(f"  {name:<10} {len(df):>12,} rows  {mb:>8.1f} MiB")
    total = sum(len(df) for df in tables.values())
    print(f"  {'total':<10} {total:>12,} rows")
    print(f"time: {seconds:.2f} s ({len(tables['tickets']) / seconds:,.0f} tickets/s)")
    print(f"peak RSS: {rss_mb:,.0f} MiB")
    del tables

    if not args.no_trace:
        tracemalloc.start()
        start = time.perf_counter()
        generate(seed=args.seed, months=args.months, scale=args.scale)
        traced = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"tracemalloc peak: {peak / 2**20:,.0f} MiB (traced run: {traced:.2f} s)")

    if args.write is not None:
        out = args.write or tempfile.mkdtemp()
        start = time.perf_counter()
        write_sample(out, seed=args.seed, months=args.months, scale=args.scale)
        print(f"write_sample (parquet) to {out}: {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
