"""Reading one monthly file of the Technion "Anonymous Bank" call log (``technion-bank``).

The file format: tab-separated ASCII with a 17-column header, CRLF or LF line endings,
times of day ``H:MM:SS`` without a date, the day in ``date`` as ``YYMMDD``.
:func:`read_file` gives the data rows as text fields with their line, repairing the
lines whose tab became spaces; :func:`parse_fields` parses the fields and rejects the
rows that cannot be parsed.

The file is read by :func:`csmetrics.csvlines.read_lines` (tab-separated text without
quoting, one record per line): a file that is not UTF-8 is read as Latin-1 (and noted),
and a line with too few tab-separated fields is split on white space when that gives
the header's columns (:func:`_split_on_spaces`, the repair rule passed to the reader).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..csvfile import Records
from ..csvlines import read_lines
from ..errors import DataError
from . import ImportContext

#: The header of every monthly file, in file order.
COLUMNS = (
    "vru+line", "call_id", "customer_id", "priority", "type", "date", "vru_entry", "vru_exit",
    "vru_time", "q_start", "q_exit", "q_time", "outcome", "ser_start", "ser_exit", "ser_time",
    "server",
)  # fmt: skip
TIME_COLUMNS = ("vru_entry", "vru_exit", "q_start", "q_exit", "ser_start", "ser_exit")
OUTCOMES = {"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"}
_TIME_RE = r"^(\d{1,2}):([0-5]\d):([0-5]\d)$"
TABLE = "calls"


def _read(path: Path, ctx: ImportContext) -> Records:
    """The lines of the file (:func:`~csmetrics.csvlines.read_lines`): not UTF-8 is read as
    Latin-1 (noted), a short line is repaired by :func:`_split_on_spaces`.

    Raises
    ------
    DataError
        A binary file (a NUL byte in its first 4 KiB) or one whose first line is blank.
    """
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise DataError("binary content: not a tab-separated text file", file=str(path))
    records = read_lines(
        path,
        raw=raw,
        fallback_encoding="latin-1",
        on_fallback=lambda: ctx.note(TABLE, f"{path.name}: not UTF-8; read as Latin-1"),
        repair=_split_on_spaces,
    )
    if not any(records.header):
        raise DataError("empty file: no header line", file=str(path))
    return records


def _split_on_spaces(fields: list[str], line: str, n: int) -> tuple[list[str], str] | None:
    """A line with too few tab-separated fields split on white space, when that gives the
    ``n`` columns (a tab became spaces), with its fields that held spaces.

    >>> _split_on_spaces(["a", "b   c"], "a\tb   c", 3)
    (['a', 'b', 'c'], 'b   c')
    """
    tokens = line.split()
    if len(fields) < n and len(tokens) == n:
        return tokens, " | ".join(f for f in fields if len(f.split()) > 1)
    return None


def _check_header(header: list[str], path: Path) -> None:
    """A DataError when a column of the log is missing from ``header`` or named twice."""
    twice = sorted({h for h in header if h and header.count(h) > 1})
    if twice:
        raise DataError(
            f"the header names column(s) {', '.join(repr(h) for h in twice)} more than once: "
            "each column of the log must appear once",
            file=str(path),
        )
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        hint = "" if len(header) > 1 else " (the header has no tabs: is it tab-separated?)"
        shown = ", ".join(repr(h) for h in header[:20]) + (", ..." if len(header) > 20 else "")
        raise DataError(
            f"not an Anonymous Bank call log: missing column(s) {', '.join(missing)}; "
            f"the file has {shown}{hint}",
            file=str(path),
        )


def _report_lines(ctx: ImportContext, df: pd.DataFrame, records: Records, name: str) -> None:
    """Count the repaired lines; reject the malformed and the blank ones."""
    n = len(records.header)
    if records.repaired:
        mask = df["line"].isin(list(records.repaired))
        ctx.repaired(
            TABLE,
            f"{name}: {n - 1} tab-separated fields instead of {n} (spaces in place of "
            f"a tab); split on white space into the {n} columns",
            mask,
            df["line"].map(records.repaired),
            df["line"],
        )
    _reject_lines(ctx, name, records, n)


def _reject_lines(ctx: ImportContext, name: str, records: Records, n: int) -> None:
    """Reject the lines with the wrong number of fields, then the blank lines."""
    bad, blank = records.ragged, [r.line for r in records.empty]
    if bad:
        rows = pd.DataFrame(
            {
                "file": name,
                "fields": [len(b.fields) for b in bad],
                "raw_line": [b.raw for b in bad],
            }
        )
        ctx.reject(
            TABLE,
            rows,
            f"{name}: wrong number of tab-separated fields (expected {n}), "
            "not repairable by splitting on white space",
            pd.Series([b.line for b in bad], index=rows.index),
        )
    if blank:
        rows = pd.DataFrame({"file": name, "fields": 0, "raw_line": [""] * len(blank)})
        ctx.reject(TABLE, rows, f"{name}: blank line", pd.Series(blank, index=rows.index))


def read_file(path: Path, ctx: ImportContext) -> pd.DataFrame:
    """The data rows of one file as text fields, with ``line`` (the header is line 1).

    A line with too few tab-separated fields is repaired when splitting it on white space
    gives exactly the columns of the header (the two October lines whose tab is seven
    spaces); other lines with the wrong number of fields are rejected.

    Parameters
    ----------
    path : Path
        A monthly file.
    ctx : ImportContext
        Receives the repairs and rejections of lines.

    Returns
    -------
    DataFrame
        ``file``, ``line`` and the :data:`COLUMNS` as stripped text.

    Raises
    ------
    DataError
        A binary or empty file, or a header without the columns of the log.
    """
    records = _read(path, ctx)
    _check_header(records.header, path)
    good = [[line, *fields] for line, fields in zip(records.lines, records.rows, strict=True)]
    df = pd.DataFrame(good, columns=["line", *records.header]).astype({"line": "int64"})
    df = df[["line", *COLUMNS]].copy()
    for c in COLUMNS:
        df[c] = df[c].astype(str).str.strip()
    df.insert(0, "file", path.name)
    _report_lines(ctx, df, records, path.name)
    return df.reset_index(drop=True)


def _clock(values: pd.Series) -> pd.Series:
    """``H:MM:SS`` to seconds after midnight (NaN when not a time of day).

    >>> _clock(pd.Series(["7:05:09", "24:00:00", "x"])).tolist()
    [25509.0, nan, nan]
    """
    seconds = {}
    for text in pd.unique(values):
        m = re.fullmatch(_TIME_RE, str(text))
        ok = m is not None and int(m.group(1)) < 24
        seconds[text] = (
            int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3)) if ok else np.nan
        )
    return values.map(seconds).astype(float)


def _whole(values: pd.Series) -> pd.Series:
    """Whole numbers (NaN when not one)."""
    return pd.to_numeric(values.where(values.str.fullmatch(r"-?\d+")), errors="coerce")


def _reject_where(
    df: pd.DataFrame, mask: pd.Series, reason: str, ctx: ImportContext
) -> pd.DataFrame:
    """The rows of ``df`` outside ``mask``; those in it (or NA) are rejected."""
    mask = mask.fillna(True).astype(bool)
    if mask.any():
        ctx.reject(TABLE, df.loc[mask, ["file", *COLUMNS]], reason, df["line"])
    return df.loc[~mask]


def _parse_times_of_day(df: pd.DataFrame, ctx: ImportContext, name: str) -> pd.DataFrame:
    """``_date`` and the ``_<time column>`` seconds; rows with one unreadable rejected."""
    six = df["date"].where(df["date"].str.len() == 6)
    df["_date"] = pd.to_datetime(six, format="%y%m%d", errors="coerce")
    df = _reject_where(df, df["_date"].isna(), f"{name}: date is not a YYMMDD date", ctx)
    for c in TIME_COLUMNS:
        df[f"_{c}"] = _clock(df[c])
    bad = df[[f"_{c}" for c in TIME_COLUMNS]].isna().any(axis=1)
    return _reject_where(df, bad, f"{name}: a time of day is not H:MM:SS", ctx)


def parse_fields(df: pd.DataFrame, ctx: ImportContext) -> pd.DataFrame:
    """Parse the fields of one file; rows that cannot be parsed are rejected.

    Parameters
    ----------
    df : DataFrame
        The rows of one file, as :func:`read_file` gives them.
    ctx : ImportContext
        Receives the rejections (each with the file name).

    Returns
    -------
    DataFrame
        The rows kept, with ``_date``, the times of day in seconds (``_vru_entry``...)
        and ``_q_time``, ``_ser_time``.
    """
    name = df["file"].iloc[0] if len(df) else ""
    df = _parse_times_of_day(df.copy(), ctx, name)
    for c in ("q_time", "ser_time"):
        df[f"_{c}"] = _whole(df[c])
    nums = df[["_q_time", "_ser_time"]]
    bad = (nums.isna() | (nums < 0)).any(axis=1)
    df = _reject_where(
        df, bad, f"{name}: q_time or ser_time is not a whole number of seconds >= 0", ctx
    )
    df = _reject_where(
        df,
        ~df["outcome"].isin(list(OUTCOMES)),
        f"{name}: unknown outcome (expected AGENT, HANG or PHANTOM)",
        ctx,
    )
    df = _reject_where(
        df, ~df["call_id"].str.fullmatch(r"\d+"), f"{name}: call_id is not a number", ctx
    )
    df = _reject_where(
        df,
        ~df["vru+line"].str.fullmatch(r"\w+"),
        f"{name}: vru+line is empty or holds spaces",
        ctx,
    )
    return df.reset_index(drop=True)
