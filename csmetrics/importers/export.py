"""Reading a help-desk export (CSV or Excel) as text columns with source lines.

:func:`read_export` gives an :class:`Export`: the export's columns as text, the source
line of every record, the records holding no value at all, and the columns the preset
shows in ``rejected/*.csv``. :func:`norm` folds header names so that presets find their
columns under any case and spacing (``Created at``, ``created_AT``).
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..csvfile import Record, Records, read_records, shorten
from ..errors import DataError
from ..load import READERS, _suffix, read_source_file
from . import MAX_EXAMPLES, ImportContext


def norm(name: object) -> str:
    """A column name folded for matching: lower case, punctuation and spaces as one space.

    >>> norm("Fist response time (in hrs)"), norm("created_AT ")
    ('fist response time in hrs', 'created at')
    """
    return re.sub(r"[^0-9a-z]+", " ", str(name).lower()).strip()


@dataclass
class Export:
    """One export file read as text columns, with the source line of every record.

    ``records`` is the CSV file as read (None for a workbook): the empty records, blank
    lines and whether the file ends with a line break. ``empty`` lists the records or
    rows that hold no value at all (``,,,``); the preset rejects them with
    :func:`reject_empty` so that none vanishes unreported. ``shown`` is set by the
    preset (:meth:`show`): the source columns it maps, the only ones written to
    ``rejected/*.csv`` (no name, e-mail or free text the import otherwise drops).
    """

    path: Path
    frame: pd.DataFrame
    lines: pd.Series
    records: Records | None = None
    empty: list[Record] = field(default_factory=list)
    shown: list[str] | None = None

    @property
    def file(self) -> str:
        """The file name used in messages."""
        return str(self.path)

    def find(self, *aliases: str) -> str | None:
        """The first column whose folded name is one of ``aliases`` (folded too)."""
        names = {norm(c): c for c in reversed(list(self.frame.columns))}
        for a in aliases:
            if norm(a) in names:
                return names[norm(a)]
        return None

    def require(self, preset: str, roles: Mapping[str, Iterable[str]]) -> dict[str, str]:
        """Columns for every role, or a :class:`DataError` naming those missing."""
        found, missing = {}, []
        for role, aliases in roles.items():
            aliases = list(aliases)
            col = self.find(*aliases)
            if col is None:
                missing.append(" or ".join(repr(a) for a in aliases[:2]))
            else:
                found[role] = col
        if missing:
            have = ", ".join(repr(str(c)) for c in list(self.frame.columns)[:15])
            more = ", ..." if len(self.frame.columns) > 15 else ""
            raise DataError(
                f"not a {preset} export: missing column(s) {', '.join(missing)}; "
                f"the file has {have}{more}",
                file=self.file,
            )
        return found

    def show(self, columns: Iterable[str | None]) -> pd.DataFrame:
        """Keep only ``columns`` (in file order, None ignored) in rejected rows.

        Returns :attr:`evidence`, the frame rejections are taken from.
        """
        wanted = {c for c in columns if c is not None}
        self.shown = [c for c in self.frame.columns if c in wanted]
        return self.evidence

    @property
    def evidence(self) -> pd.DataFrame:
        """The source columns written to ``rejected/*.csv`` (all until :meth:`show`)."""
        return self.frame if self.shown is None else self.frame[self.shown]

    def text(self, col: str | None) -> pd.Series:
        """Column ``col`` as stripped text (empty strings as missing); all missing if None."""
        if col is None:
            return pd.Series(pd.NA, index=self.frame.index, dtype="string")
        s = self.frame[col].astype("string").str.strip()
        return s.where(s != "")

    def last_record_open(self) -> bool:
        """Whether the last data row is the file's last record and no line break ends it.

        Such a record may have been cut off (a file truncated mid-row that still has as
        many fields as the header, e.g. cut right after a delimiter).
        """
        rec = self.records
        return (
            rec is not None
            and not rec.terminated
            and rec.last is not None
            and len(self.lines) > 0
            and int(self.lines.iloc[-1]) == rec.last.line
        )


def read_export(path: Path) -> Export:
    """Read a CSV or Excel export as text, with the source line of every record.

    CSV files (also ``.tsv``, ``.txt`` and ``.csv.gz``) are read by
    :func:`~csmetrics.importers._csvtext.read_records`: records that span several lines
    (quoted newlines) keep the line they start on and blank lines are skipped, so
    ``rejected/*.csv`` points at the right place in the file; a carriage return inside a
    quoted field is kept as text. Excel rows are numbered as the spreadsheet shows them
    (header = row 1). Records or rows without any value (``,,,``) are set apart in
    :attr:`Export.empty`.

    Raises
    ------
    DataError
        An unreadable file (encoding, a stray carriage return, a quote left open at the
        end of the file, a repeated column name), or records with another number of
        fields than the header (the message names their lines).
    """
    if READERS.get(_suffix(path)) == "csv":
        raw = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            try:
                raw = gzip.decompress(raw)
            except (OSError, EOFError, zlib.error) as exc:
                raise DataError(f"not a readable gzip file: {exc}", file=str(path)) from None
        rec = read_records(path, raw=raw, skipinitialspace=True)
        if rec.ragged:
            raise ragged_error(rec)
        frame = pd.DataFrame(rec.rows, columns=rec.header, dtype=object)
        frame = frame.where(frame != "", None)
        lines = pd.Series(rec.lines, index=frame.index, dtype="int64")
        return Export(path, frame, lines, rec, list(rec.empty))
    frame = read_source_file(path)
    lines = pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    present = frame.notna().any(axis=1)
    empty = [Record(int(n), [], "") for n in lines[~present]]
    frame = frame[present].astype(object)
    frame = frame.where(frame.notna(), None).reset_index(drop=True)
    lines = lines[present].reset_index(drop=True)
    return Export(path, frame, lines, None, empty)


def ragged_error(rec: Records) -> DataError:
    """The error for records whose number of fields differs from the header's.

    A short last record without a line break after it is named as a file cut off.
    """
    width = len(rec.header)
    bad = rec.ragged
    last = bad[-1]
    examples = [f"line {r.line}: {len(r.fields)} field(s)" for r in bad[:-1]]
    if rec.cut_off() is not None:
        return DataError(
            f"the file seems cut off: its last record (line {last.line}) has "
            f"{len(last.fields)} of the header's {width} fields and no line break after it; "
            "export the file again",
            file=rec.file,
            rows=[last.example(), *examples[: MAX_EXAMPLES - 1]],
        )
    examples.append(f"line {last.line}: {len(last.fields)} field(s)")
    return DataError(
        f"malformed CSV: {len(bad):,} record(s) with a different number of fields than the "
        f"header's {width} (a short record would be padded with blanks, a long one would "
        f"shift its values); check the delimiter {rec.delimiter!r} and the quoting of those "
        "lines",
        file=rec.file,
        rows=examples[:MAX_EXAMPLES],
    )


def reject_empty(ctx: ImportContext, table: str, exp: Export) -> None:
    """Reject the records of ``exp`` that hold no value (``,,,``), and count blank lines.

    Nothing is dropped silently: each empty record becomes a line of
    ``rejected/<table>.csv`` with its line number, and blank lines are noted.
    """
    if exp.empty:
        rows = pd.DataFrame(None, index=range(len(exp.empty)), columns=exp.evidence.columns)
        ctx.reject(
            table,
            rows,
            "empty record: only delimiters (or spaces), no value at all",
            pd.Series([r.line for r in exp.empty], index=rows.index),
        )
    if exp.records is not None and exp.records.blank_lines:
        ctx.note(
            table,
            f"{exp.path.name}: {exp.records.blank_lines:,} blank line(s) skipped (they hold "
            "no record)",
        )


def reject_odd_records(
    ctx: ImportContext, table: str, path: Path, rec: Records, unit: str = "line"
) -> None:
    """Reject, with their lines, the records of ``rec`` that do not fit the header
    (a cut-off last one said so) and those holding only delimiters; note blank lines.

    ``ctx`` is the preset's :class:`csmetrics.importers.ImportContext`; ``unit`` names a
    record in the messages ("line" or "record").
    """
    width = len(rec.header)
    if rec.ragged:
        bad = pd.DataFrame(
            {
                "source_file": path.name,
                "fields": [len(r.fields) for r in rec.ragged],
                "record": [shorten(r.raw.rstrip("\r\n"), 200) for r in rec.ragged],
            }
        )
        lines = pd.Series([r.line for r in rec.ragged], index=bad.index)
        reason = f"{width} fields expected: the {unit} does not fit the header"
        if rec.cut_off() is not None:
            cut = f"the last {unit}, with no line break after it: the file seems cut off"
            ctx.reject(table, bad.iloc[-1:], f"{reason} ({cut})", lines)
            bad = bad.iloc[:-1]
        ctx.reject(table, bad, reason, lines)
    if rec.empty:
        bad = pd.DataFrame({"source_file": path.name, "fields": [len(r.fields) for r in rec.empty]})
        ctx.reject(
            table,
            bad,
            f"empty {unit}: only delimiters (or spaces), no value at all",
            pd.Series([r.line for r in rec.empty], index=bad.index),
        )
    if rec.blank_lines:
        ctx.note(table, f"{path.name}: {rec.blank_lines:,} blank line(s) skipped")
