"""Write N tickets and N calls to Parquet with bounded memory (run on demand).

``.venv/bin/python benchmarks/scale_data.py --rows 1000000 --out /tmp/scale-1m``

The data folder holds ``tickets.parquet``, ``calls.parquet`` and the sample's
``csmetrics.yaml``: the shape of the bundled sample (twelve months to 2026-10,
Europe/Lisbon), at any volume. It is written chunk by chunk: each chunk is
:func:`csmetrics.sample.generate` with a seed of its own at the scale that gives about
``--chunk`` tickets, its ids prefixed with the chunk's number so that they stay unique;
calls, about a quarter as many as tickets in the generator, are repeated within the chunk
with fresh ids and shifted by whole weeks until they match the tickets. Each chunk is
appended to the Parquet files as row groups (:class:`pyarrow.parquet.ParquetWriter`),
so memory stays that of one chunk (about 1 GB at the default chunk) whatever ``--rows``.

The generator's planted data-quality problems are planted in every chunk; they are
warnings, as in the bundled sample.
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import time
from pathlib import Path

#: Tickets of the generator at ``scale=1`` (twelve months).
TICKETS_AT_SCALE_1 = 59_820
#: The tables written.
TABLES = ("tickets", "calls")


def _chunk_tables(index: int, tickets: int, calls: int) -> dict:
    """Chunk ``index``: about ``tickets`` tickets (exactly, once cut) and ``calls`` calls,
    ids prefixed with ``K<index>-``."""
    from csmetrics.sample import generate

    scale = max(tickets / TICKETS_AT_SCALE_1 * 1.05, 0.002)
    tables = generate(seed=7 + index, scale=scale)
    while len(tables["tickets"]) < tickets:  # small scales round volumes down
        scale *= 1.5
        tables = generate(seed=7 + index, scale=scale)
    t = tables["tickets"].iloc[:tickets].copy()
    t["ticket_id"] = f"K{index}-" + t["ticket_id"].astype(str)
    calls_df = tile_calls(tables["calls"], calls, f"K{index}-")
    return {"tickets": t.reset_index(drop=True), "calls": calls_df}


def tile_calls(calls, rows: int, prefix: str = ""):
    """``rows`` calls from ``calls`` repeated: copy ``i`` has ids ``<prefix><i>-<id>`` and
    its times shifted by ``i % 4`` whole weeks (weekday and hour patterns kept).

    >>> import pandas as pd
    >>> c = pd.DataFrame({"call_id": ["C1"], "arrived_at": pd.to_datetime(["2026-10-05"]),
    ...                   "answered_at": pd.to_datetime([None])})
    >>> tile_calls(c, 2)["call_id"].tolist()
    ['0-C1', '1-C1']
    """
    import pandas as pd

    parts = []
    for i in range(max(1, math.ceil(rows / max(len(calls), 1)))):
        part = calls.copy()
        part["call_id"] = f"{prefix}{i}-" + part["call_id"].astype(str)
        shift = pd.Timedelta(weeks=i % 4)
        for col in ("arrived_at", "answered_at"):
            part[col] = part[col] + shift
        parts.append(part)
    return pd.concat(parts, ignore_index=True).iloc[:rows].reset_index(drop=True)


def write_scale_data(rows: int, out: Path, chunk: int = 1_000_000, log=print) -> dict:
    """Write ``rows`` tickets and ``rows`` calls to ``out`` (a new folder).

    Parameters
    ----------
    rows : int
        Tickets, and calls (at least 1).
    out : Path
        The data folder to write; must not exist yet.
    chunk : int
        Rows per chunk: what is held in memory at once.
    log : callable
        Progress lines (``print``; ``None`` for none).

    Returns
    -------
    dict
        ``{"tickets": n, "calls": n, "seconds": s}``.

    Examples
    --------
    >>> write_scale_data(1000, Path("/tmp/scale-1k"), log=None)  # doctest: +SKIP
    {'tickets': 1000, 'calls': 1000, 'seconds': 1.2}
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    from csmetrics.io import write_config
    from csmetrics.sample import sample_config

    if rows < 1 or chunk < 1:
        raise ValueError(f"--rows and --chunk must be at least 1, got {rows} and {chunk}")
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"{out} exists: give a new folder")
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    start = time.perf_counter()
    writers: dict = {}
    done = 0
    try:
        for index in range(math.ceil(rows / chunk)):
            n = min(chunk, rows - done)
            for name, df in _chunk_tables(index, n, n).items():
                table = pa.Table.from_pandas(df, preserve_index=False)
                if name not in writers:
                    writers[name] = pq.ParquetWriter(tmp / f"{name}.parquet", table.schema)
                writers[name].write_table(table.cast(writers[name].schema))
            done += n
            if log:
                log(f"  {done:,} of {rows:,} rows ({time.perf_counter() - start:.0f} s)")
    finally:
        for w in writers.values():
            w.close()
    write_config(sample_config(), tmp)
    tmp.rename(out)
    return {"tickets": rows, "calls": rows, "seconds": round(time.perf_counter() - start, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, required=True, help="tickets, and calls")
    ap.add_argument("--out", type=Path, required=True, help="the data folder to write")
    ap.add_argument("--chunk", type=int, default=1_000_000, help="rows held in memory at once")
    args = ap.parse_args(argv)
    try:
        print(write_scale_data(args.rows, args.out, args.chunk))
    except (ValueError, FileExistsError) as exc:
        print(f"scale_data: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
