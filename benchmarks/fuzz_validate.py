"""Fuzz ``csmetrics validate`` for a given time (run on demand).

Usage::

    python benchmarks/fuzz_validate.py --minutes 10
    python benchmarks/fuzz_validate.py --minutes 2 --strategy settings

Runs the Hypothesis strategies of ``tests/test_fuzz_validate.py`` (random bytes, CSV,
JSON and Parquet variations of every canonical table, random ``csmetrics.yaml``) in
turn, in batches, through the code path of ``csmetrics validate``, until the time is
up. Prints the number of examples run (shrinking included) and every distinct
unhandled exception: its type, message, the innermost frame in ``csmetrics`` and the
smallest failing example Hypothesis found. Exits 1 when one was found.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from tests.test_fuzz_validate import STRATEGIES, run_validate  # noqa: E402


def _where(exc: BaseException) -> str:
    """The innermost frame of the traceback that is in the csmetrics package."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/csmetrics/" in f.filename.replace("\\", "/")]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return "?"
    return f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"


def _leaves(exc: BaseException) -> list[BaseException]:
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for e in exc.exceptions for leaf in _leaves(e)]
    return [exc]


def _runner(name: str, counts: dict[str, int], deadline: float, batch: int):
    """A Hypothesis test of ``batch`` examples of strategy ``name`` (counted in
    ``counts``); examples drawn after ``deadline`` are skipped."""

    @settings(
        max_examples=batch,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.shrink],
    )
    @given(STRATEGIES[name])
    def run(example) -> None:
        if time.monotonic() >= deadline:
            return
        counts[name] += 1
        files, options = example
        run_validate(files, *options)

    return run


def main(argv: list[str] | None = None) -> int:
    """Run the fuzzer and print what it found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long (default 10)")
    parser.add_argument(
        "--strategy",
        action="append",
        choices=sorted(STRATEGIES),
        help="only this strategy (repeatable; default: all in turn)",
    )
    parser.add_argument("--batch", type=int, default=200, help="examples per Hypothesis run")
    args = parser.parse_args(argv)

    names = args.strategy or list(STRATEGIES)
    deadline = time.monotonic() + args.minutes * 60
    counts = dict.fromkeys(names, 0)
    found: dict[tuple[str, str], tuple[BaseException, str]] = {}
    batches = 0
    while time.monotonic() < deadline:
        for name in names:
            if time.monotonic() >= deadline:
                break

            run = _runner(name, counts, deadline, args.batch)
            batches += 1
            try:
                run()
            except Exception as exc:  # every failure is reported below
                for leaf in _leaves(exc):
                    key = (type(leaf).__name__, _where(leaf))
                    if key not in found:
                        notes = "\n".join(getattr(leaf, "__notes__", []))
                        found[key] = (leaf, notes)
                        print(f"found: {key[0]} at {key[1]} ({name})", flush=True)

    total = sum(counts.values())
    print(f"\n{total:,} examples run in {args.minutes:g} minute(s), {batches} batches")
    for name, n in counts.items():
        print(f"  {name:<18} {n:>8,}")
    if not found:
        print("no unhandled exception")
        return 0
    print(f"\n{len(found)} distinct unhandled exception(s):")
    for (kind, where), (exc, notes) in found.items():
        message = str(exc).splitlines()[0] if str(exc) else ""
        print(f"\n- {kind} at {where}: {message}")
        if notes:
            print("  " + notes.replace("\n", "\n  ")[:3000])
    return 1


if __name__ == "__main__":
    sys.exit(main())
