"""Hypothesis-generated malformed files: the loader either loads them or raises the
project's own documented error (CsmetricsError), never anything else."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csmetrics as cm
from csmetrics.errors import CsmetricsError

from .conftest import examples

NOW = pd.Timestamp("2026-11-23", tz="UTC")
COLUMNS = [
    "ticket_id",
    "created_at",
    "channel",
    "resolved_at",
    "reopens",
    "is_complaint",
    "handle_time_s",
    "status",
    "Ticket ID",
    "",
    "x",
]
CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "2026-10-01",
            "2026-13-01",
            "2026-10-01T10:00+01:00",
            "1,5",
            "-3",
            "yes",
            "nan",
            "",
            "0:02:30",
            "open",
            "resolved",
            "Email",
            "1e309",
        ]
    ),
    st.integers(-(10**6), 10**6).map(str),
)
FUZZ = settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _try_load(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / name).write_bytes(content)
        try:
            wb = cm.load(tmp, now=NOW)
        except CsmetricsError as exc:
            assert str(exc)  # a message, never empty
            return
        assert wb.tables  # loaded: at least one table


@FUZZ
@given(
    st.binary(max_size=400),
    st.sampled_from(
        ["tickets.csv", "calls.parquet", "surveys.xlsx", "costs.jsonl", "finance.json"]
    ),
)
def test_random_bytes(content, name):
    _try_load(name, content)


@FUZZ
@given(
    header=st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=8),
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=9), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_random_csv_tables(header, rows, delimiter):
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    _try_load("tickets.csv", buf.getvalue().encode("utf-8"))


@FUZZ
@given(
    ids=st.lists(
        st.one_of(st.none(), st.integers(0, 5), st.text(max_size=4)), min_size=1, max_size=6
    ),
    stamps=st.lists(
        st.one_of(st.none(), st.datetimes(), st.text(max_size=10)), min_size=1, max_size=6
    ),
)
def test_random_parquet_values(ids, stamps):
    n = min(len(ids), len(stamps))
    df = pd.DataFrame(
        {
            "call_id": pd.Series(ids[:n], dtype=object).astype(str),
            "arrived_at": pd.Series(stamps[:n], dtype=object).astype(str),
            "outcome": ["answered"] * n,
        }
    )
    buf = io.BytesIO()
    df.to_parquet(buf)
    _try_load("calls.parquet", buf.getvalue())
