"""Reading NHS FFT comment exports (preset ``nhs-fft``): files, columns and label columns.

:func:`read_comments` reads every file with the shared CSV reader
(:func:`~csmetrics.csvfile.read_records`; records that do not fit the header
and delimiter-only records are rejected with their line) and gives the comment rows
of all files with the source columns the preset maps renamed to ``_src_<role>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..csvfile import read_records
from ..errors import DataError
from . import ImportContext
from .export import reject_odd_records

TABLE = "surveys"

#: Source columns the preset needs, by role.
REQUIRED = {
    "respondent": "Respondent ID",
    "rating": "FFT categorical answer",
    "date": "Date",
    "answer": "FFT answer",
}
#: Source columns used when present.
OPTIONAL = {
    "comment_id": "Comment ID",
    "trust": "Trust",
    "service": "Service type 1",
    "sub_service": "Service type 2",
    "question": "FFT question",
}
#: Source columns deliberately not imported (what the report says about them).
NOT_IMPORTED = {
    "Person identifiable info?": "a flag for the labellers",
    "Comment sentiment": "the labeller's sentiment per comment, not the respondent's answer",
}


@dataclass
class Comments:
    """The comment rows of every file, and what the preset found in them.

    Attributes
    ----------
    raw : DataFrame
        Every source column (the mapped ones as ``_src_<role>``), ``_line`` (the first
        line of the record) and ``_file``.
    cols : dict
        Role → the file's own column name.
    src : DataFrame
        The mapped columns under their own names and ``source_file``: what rejected
        rows show (not the labels, flags or others).
    keep : Series of bool
        The rows not rejected so far.
    """

    raw: pd.DataFrame
    cols: dict[str, str]
    src: pd.DataFrame
    keep: pd.Series

    @property
    def lines(self) -> pd.Series:
        """The line each row starts on."""
        return self.raw["_line"]

    def get(self, role: str) -> pd.Series | None:
        """The column of ``role`` as text (empty cells as ``""``); None when absent."""
        return self.raw[f"_src_{role}"].fillna("").astype(str) if role in self.cols else None

    def reject(self, ctx: ImportContext, mask: pd.Series, reason: str) -> None:
        """Reject the rows of ``mask`` still kept (with their lines)."""
        mask = mask & self.keep
        if mask.any():
            ctx.reject(TABLE, self.src[mask], reason, self.lines)
            self.keep[mask] = False


def norm(name: str) -> str:
    """Header name compared loosely: case, non-breaking and repeated spaces ignored.

    >>> norm("FFT\\xa0categorical  Answer")
    'fft categorical answer'
    """
    return " ".join(str(name).replace("\xa0", " ").split()).casefold()


def _header_name(name: str) -> str:
    """A header name with non-breaking and repeated spaces made one space."""
    return " ".join(name.replace("\xa0", " ").split())


def _read(path: Path, ctx: ImportContext) -> pd.DataFrame:
    """The source as text, one row per record, with ``_line`` (first line of the record).

    Records that do not fit the header, and records holding only delimiters (``,,,``),
    are rejected with their line; blank lines are skipped and counted.

    Raises
    ------
    DataError
        An empty or unreadable file; the message names the line (e.g. of a byte that is
        not UTF-8).
    """
    rec = read_records(path, delimiter=",", normalise=_header_name)
    df = pd.DataFrame(rec.rows, columns=rec.header, dtype=object)
    df["_line"] = rec.lines
    df["_file"] = path.name
    reject_odd_records(ctx, TABLE, path, rec, "record")
    return df


def _columns(df: pd.DataFrame, path: Path) -> dict[str, str]:
    """Map roles to the file's own column names; DataError when a required one is absent."""
    by_norm = {norm(c): c for c in df.columns if not c.startswith("_")}
    found, missing = {}, []
    for role, name in {**REQUIRED, **OPTIONAL}.items():
        if norm(name) in by_norm:
            found[role] = by_norm[norm(name)]
        elif role in REQUIRED:
            missing.append(name)
    if missing:
        cols = ", ".join(repr(c) for c in list(by_norm.values())[:12])
        raise DataError(
            f"not an NHS FFT comment export: missing column(s) "
            f"{', '.join(repr(m) for m in missing)}; the file has {cols}",
            file=str(path),
            column=missing[0],
        )
    return found


def label_columns(df: pd.DataFrame, used: set[str]) -> list[str]:
    """The one-hot framework label columns: only 0, 1 or blank, after the known columns."""
    skip = used | {c for c in df.columns if norm(c) in {norm(n) for n in NOT_IMPORTED}}
    out = []
    for c in df.columns:
        if c.startswith("_") or c in skip:
            continue
        values = set(df[c].str.strip().unique())
        if values <= {"", "0", "1"}:
            out.append(c)
    return out


def read_comments(paths: list[Path], ctx: ImportContext) -> Comments:
    """Read every FFT comment file; their comment rows, all kept so far.

    Parameters
    ----------
    paths : list of Path
        The files (same layout).
    ctx : ImportContext
        Receives the rejected records and the number of comment rows read.

    Returns
    -------
    Comments

    Raises
    ------
    DataError
        A file is unreadable, lacks a required column, or has other FFT columns than the
        first file.
    """
    frames, cols = [], None
    for path in paths:
        df = _read(path, ctx)
        c = _columns(df, path)
        if cols is not None and set(c) != set(cols):
            raise DataError(
                "the files do not have the same FFT columns", file=str(path), column=None
            )
        cols = c
        frames.append(df.rename(columns={v: f"_src_{k}" for k, v in c.items()}))
    assert cols is not None
    raw = pd.concat(frames, ignore_index=True)
    # rejected rows show the columns the import maps (not the labels, flags or others)
    src = raw[[c for c in raw.columns if c.startswith("_src_")] + ["_file"]].rename(
        columns={**{f"_src_{k}": v for k, v in cols.items()}, "_file": "source_file"}
    )
    ctx.note(TABLE, f"read {len(raw):,} comment rows from {', '.join(p.name for p in paths)}")
    return Comments(raw, cols, src, pd.Series(True, index=raw.index))
