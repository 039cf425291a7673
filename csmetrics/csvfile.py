"""Reading CSV files: the one place that decodes, sniffs, checks and parses them.

Two paths share the decoding, the delimiter sniffing (:func:`sniff_line`), the header
check (:func:`check_header`) and the record reader that tracks source lines
(:func:`iter_records`):

* the loader reads a table with :func:`read_table`: the file is checked (a repeated
  column name, records with another number of fields than the header) by a fast pass
  of the ``csv`` module, then parsed by pandas' C parser; only when records do not fit
  is the file read again with line tracking, to name them;
* every CSV import preset reads its files through :func:`read_records`, so that each
  problem of the file is reported the same way, naming the file and the line a text
  editor shows:

  * bytes that are not UTF-8 (nor UTF-16 with its byte-order mark): an error naming the
    line and showing it;
  * a carriage return (``\\r``) inside an unquoted field, a NUL byte, a field above the
    ``csv`` module's size limit: an error naming the line;
  * a quoted field still open at the end of the file (a missing quote, or a file cut off
    in the middle of a record): an error naming the line the record starts on;
  * records with another number of fields than the header, records holding only
    delimiters (``,,,``) or spaces, and blank lines: returned apart, for the preset to
    reject and report (blank lines are only counted);
  * whether the file ends with a line break: when it does not, the preset can check that
    its last record was not cut off.

Line numbers count line feeds (``\\n``; ``\\r\\n`` is one line break); a file whose first
line ends with a lone carriage return (an old Mac file) is read with ``\\r`` as the line
break. A carriage return (or line feed) inside a quoted field is kept as text.

Delimited text without quoting (a tab-separated log) is read into the same
:class:`Records` by :func:`csmetrics.csvlines.read_lines`: one record per line.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .config_model import CONFIG_FILENAME
from .errors import DataError

#: Characters of a record shown in an error message or an example.
SHOWN = 80


@dataclass
class Record:
    """One record of the file that is not a data row: its line, fields and text."""

    line: int
    fields: list[str]
    raw: str

    def example(self) -> str:
        """``"line 14: '...'"`` for messages and import reports."""
        return f"line {self.line}: {shorten(self.raw.rstrip(chr(10) + chr(13)))!r}"


@dataclass
class Records:
    """A CSV file read as text: the header, the data records and the odd ones.

    Attributes
    ----------
    path : Path
        The file.
    delimiter : str
        The field delimiter used.
    header : list of str
        Column names (stripped, then passed through the reader's ``normalise``).
    header_line : int
        The line of the header (1 unless blank lines come first).
    rows : list of list of str
        Records with as many fields as the header, in file order.
    lines : list of int
        The line each of ``rows`` starts on.
    ragged : list of Record
        Records with another number of fields than the header (not empty ones).
    empty : list of Record
        Records holding only delimiters, quotes or spaces: no value at all.
    blank_lines : int
        Empty lines after the header (skipped).
    terminated : bool
        Whether the file ends with a line break (a file cut off mid-record does not).
    last : Record or None
        The last record of the file (whatever its kind), with its text.
    last_quoted : bool
        Whether the last record's text ends with a closed quoted field.
    repaired : dict of int to str
        :func:`csmetrics.csvlines.read_lines`: the line of each record its ``repair``
        rule fixed (now in ``rows``), with the rule's note of what it repaired.
    """

    path: Path
    delimiter: str
    header: list[str]
    header_line: int
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    ragged: list[Record] = field(default_factory=list)
    empty: list[Record] = field(default_factory=list)
    blank_lines: int = 0
    terminated: bool = True
    last: Record | None = None
    last_quoted: bool = False
    repaired: dict[int, str] = field(default_factory=dict)

    @property
    def file(self) -> str:
        """The file name used in messages."""
        return str(self.path)

    def cut_off(self) -> Record | None:
        """The last ragged record when it is the file's last and seems cut off.

        That is: it has fewer fields than the header and no line break ends the file.
        """
        if not self.ragged or self.terminated or self.last is None:
            return None
        last = self.ragged[-1]
        short = len(last.fields) < len(self.header)
        return last if short and last.line == self.last.line else None


def shorten(text: str, limit: int = SHOWN) -> str:
    """``text`` cut to ``limit`` characters, with ``…`` when cut.

    >>> shorten("abcdef", 4)
    'abc…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decode(path: Path, raw: bytes) -> str:
    """The bytes of a text file as text: UTF-8 (optional BOM) or UTF-16 with a BOM.

    Raises
    ------
    DataError
        Binary content (a NUL byte in UTF-8 text), or a byte that is not UTF-8: the
        message names the line and column of the first bad byte and shows the line.

    Examples
    --------
    >>> decode(Path("x.csv"), b"a,b\\n1,2\\n")
    'a,b\\n1,2\\n'
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataError(
                f"not readable UTF-16 text (the file starts with a UTF-16 byte-order mark): "
                f"{exc.reason} at byte {exc.start}",
                file=str(path),
            ) from None
    body = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column, shown = _locate(body, exc.start)
        raise DataError(
            f"not UTF-8 text: byte 0x{body[exc.start]:02x} at line {line}, column {column} "
            "cannot be read; save the file as UTF-8 (CSV UTF-8 in a spreadsheet's "
            "'Save as')",
            file=str(path),
            rows=[f"line {line}: {shown!r}"],
        ) from None
    if "\x00" in text:
        line, column, shown = _locate(body, body.index(b"\x00"))
        raise DataError(
            f"binary content: a NUL byte at line {line}, column {column}; this is not a "
            "text (CSV) file",
            file=str(path),
            rows=[f"line {line}: {shown!r}"],
        )
    return text


def _locate(raw: bytes, offset: int) -> tuple[int, int, str]:
    """Line and column (1-based) of byte ``offset``, and that line's text as shown."""
    brk = line_break(raw[:65536].decode("utf-8", "replace")).encode()
    line = raw.count(brk, 0, offset) + 1
    start = raw.rfind(brk, 0, offset) + 1
    end = raw.find(brk, offset)
    text = raw[start : end if end >= 0 else len(raw)].rstrip(b"\r")
    column = len(raw[start:offset].decode("utf-8", "replace")) + 1
    return line, column, shorten(text.decode("utf-8", "replace"))


def line_break(text: str) -> str:
    """The file's line break: ``"\\r"`` when its first line ends with a lone carriage
    return (an old Mac file), else ``"\\n"`` (``\\r\\n`` counts as ``\\n``).

    >>> line_break("a,b\\r1,2\\r"), line_break("a,b\\r\\n1,2"), line_break("a,b")
    ('\\r', '\\n', '\\n')
    """
    cr, lf = text.find("\r"), text.find("\n")
    if cr < 0 or (0 <= lf < cr):
        return "\n"
    return "\n" if text.startswith("\r\n", cr) else "\r"


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: ``,``, ``;``, tab or ``|`` (``,`` when unclear).

    >>> sniff_delimiter("a;b;c\\n1;2;3\\n")
    ';'
    """
    return sniff_line(text.split("\n", 1)[0].split("\r", 1)[0])


def sniff_line(line: str) -> str:
    """The delimiter of ``line`` (``,;\\t|``), ``,`` when the sniffer cannot tell."""
    try:
        return csv.Sniffer().sniff(line, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


class _Lines:
    """An iterator over the lines of a stream that keeps the lines of the current record."""

    def __init__(self, stream: io.StringIO) -> None:
        self._stream = stream
        self.count = 0
        self.current: list[str] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = next(self._stream)
        self.count += 1
        self.current.append(line)
        return line


def iter_records(
    path: Path, stream: io.StringIO, delimiter: str, skipinitialspace: bool
) -> Iterator[Record]:
    """Every record of ``stream`` (empty lines too, with no fields), with the line it
    starts on and its text.

    Raises
    ------
    DataError
        A CSV syntax error (e.g. a carriage return in an unquoted field), naming the line.
    """
    lines = _Lines(stream)
    reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=skipinitialspace)
    while True:
        lines.current = []
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _syntax_error(path, exc, lines) from None
        start = lines.count - len(lines.current) + 1
        yield Record(start, fields, "".join(lines.current))


def read_records(
    path: Path,
    *,
    raw: bytes | None = None,
    delimiter: str | None = None,
    skipinitialspace: bool = False,
    normalise: Callable[[str], str] | None = None,
) -> Records:
    """Read a CSV file as text records, with the line each record starts on.

    Parameters
    ----------
    path : Path
        The file (named in messages).
    raw : bytes, optional
        The file's content when already read (e.g. decompressed); else read from ``path``.
    delimiter : str, optional
        The field delimiter; by default sniffed from the header line (``,;\\t|``).
    skipinitialspace : bool
        Drop spaces after a delimiter (as the loader's CSV reader does).
    normalise : callable, optional
        Applied to each stripped header name before the duplicate check.

    Returns
    -------
    Records

    Raises
    ------
    DataError
        Empty or binary file, not UTF-8, a bare carriage return in an unquoted field (or
        another CSV syntax error), a quoted field still open at the end of the file, or a
        header naming a column twice. The message names the file and the line.
    """
    raw = path.read_bytes() if raw is None else raw
    if not raw:
        raise DataError("empty file (0 bytes)", file=str(path))
    text = decode(path, raw)
    if not text.strip():
        raise DataError("empty file: no header line and no rows", file=str(path))
    delimiter = delimiter or sniff_delimiter(text)
    stream = io.StringIO(text, newline="" if line_break(text) == "\r" else "\n")
    records: Records | None = None
    for rec in iter_records(path, stream, delimiter, skipinitialspace):
        if records is None:
            if rec.fields:
                records = _header(path, rec, delimiter, normalise)
        elif not rec.fields:  # an empty line
            records.blank_lines += 1
        else:
            _add(records, rec)
    if records is None:  # pragma: no cover - text.strip() was not empty
        raise DataError("empty file: no header line and no rows", file=str(path))
    records.terminated = text.endswith(("\n", "\r"))
    if records.last is not None:
        _check_closed(path, records.last, delimiter, skipinitialspace)
        records.last_quoted = records.last.raw.rstrip("\r\n").rstrip(" ").endswith('"')
    return records


def _header(
    path: Path, rec: Record, delimiter: str, normalise: Callable[[str], str] | None
) -> Records:
    """The :class:`Records` of a file whose header is ``rec`` (checked)."""
    header = [h.strip() for h in rec.fields]
    if normalise is not None:
        header = [normalise(h) for h in header]
    check_header(path, header, rec.line)
    header = [h or f"Unnamed: {i}" for i, h in enumerate(header)]
    return Records(path, delimiter, header, rec.line, last=rec)


def _add(records: Records, rec: Record) -> None:
    """File a data record: a row, a ragged record or an empty one."""
    records.last = rec
    if all(not f.strip() for f in rec.fields):
        records.empty.append(rec)
    elif len(rec.fields) != len(records.header):
        records.ragged.append(rec)
    else:
        records.rows.append(rec.fields)
        records.lines.append(rec.line)


def _syntax_error(path: Path, exc: csv.Error, lines: _Lines) -> DataError:
    """A ``csv`` module error as a DataError naming the line and showing it."""
    line = lines.count
    shown = lines.current[-1] if lines.current else ""
    message = str(exc)
    if "new-line character" in message:
        message = (
            "a carriage return (\\r) inside an unquoted field; quote the field "
            '("...") or remove the stray \\r'
        )
    elif "NUL" in message:
        message = "binary content: a NUL byte; this is not a text (CSV) file"
    elif "field larger than field limit" in message:
        message = (
            f"a field longer than {csv.field_size_limit():,} characters (is a quote "
            "missing, so that the rest of the file reads as one field?)"
        )
    else:
        message = f"not readable as CSV ({message})"
    return DataError(
        f"{message} at line {line}",
        file=str(path),
        rows=[f"line {line}: {shorten(shown.rstrip(chr(10) + chr(13)))!r}"],
    )


def check_header(path: Path, names: list[str], line: int | None = None) -> None:
    """No column name twice in a header (blank names aside): a second ``created_at``
    would otherwise be renamed ``created_at.1`` and ignored.

    ``line`` (the header's line) is named in the message when given.

    >>> check_header(Path("t.csv"), ["id", "a", "id"])
    Traceback (most recent call last):
    ...
    csmetrics.errors.DataError: t.csv: column 'id': the header names column 'id' twice (columns 1 and 3); rename or remove one
    """  # noqa: E501
    where = "the header" if line is None else f"the header (line {line})"
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if name and name in seen:
            raise DataError(
                f"{where} names column {name!r} twice (columns {seen[name]} and {i}); "
                "rename or remove one",
                file=str(path),
                column=name,
            )
        seen.setdefault(name, i)


def _check_closed(path: Path, last: Record, delimiter: str, skipinitialspace: bool) -> None:
    """An error when the file ends inside a quoted field (cut off, or a missing quote)."""
    if '"' not in last.raw:
        return
    strict = csv.reader(
        io.StringIO(last.raw, newline=""),
        delimiter=delimiter,
        skipinitialspace=skipinitialspace,
        strict=True,
    )
    try:
        for _ in strict:
            pass
    except csv.Error as exc:
        if "unexpected end of data" not in str(exc):
            return  # another quirk the lenient reader accepted (e.g. "ab"c)
        raise DataError(
            f"the file ends inside a quoted field opened in the record of line {last.line}: "
            "the file seems cut off (or a closing quote is missing); export it again",
            file=str(path),
            rows=[last.example()],
        ) from None


# ---------------------------------------------------------------------------------------
# The loader's path: a whole table through pandas' C parser, checked first
# ---------------------------------------------------------------------------------------


def decode_table(path: Path, raw: bytes, encoding: str | None = None) -> str:
    """The bytes of a table file as text, for the loader: ``encoding`` when set (the
    ``columns.<table>.encoding`` setting), else UTF-16 with its byte-order mark or UTF-8
    (optional BOM).

    Raises
    ------
    DataError
        The bytes cannot be read in that encoding (the message names the line).

    Examples
    --------
    >>> decode_table(Path("t.csv"), "id\\nä\\n".encode("cp1252"), "cp1252")
    'id\\nä\\n'
    """
    if encoding:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise DataError(f"cannot be read as {encoding}: {exc}", file=str(path)) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        snippet = raw[max(0, exc.start - 20) : exc.start + 10]
        raise DataError(
            f"unreadable encoding: byte 0x{raw[exc.start]:02x} at line {line} is not UTF-8 "
            f"(near {snippet!r}); save the file as UTF-8 or set "
            f"columns.<table>.encoding in {CONFIG_FILENAME} (e.g. cp1252)",
            file=str(path),
        ) from None


def read_table(path: Path, encoding: str | None = None) -> pd.DataFrame:
    """A CSV table file (``.csv``, ``.tsv``, ``.txt``, ``.csv.gz``) as text columns, for
    the loader: empty cells missing, spaces after a delimiter dropped.

    The delimiter is sniffed from the header line; the header and the number of fields
    of every record are checked (:func:`check_shape`) before pandas' C parser reads it.

    Raises
    ------
    DataError
        Not gzip, binary, not decodable, empty, a repeated column name, records with
        another number of fields than the header, or a CSV syntax error.
    """
    raw = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except OSError as exc:
            raise DataError(f"not a gzip file: {exc}", file=str(path)) from None
    if b"\x00" in raw[:4096] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DataError("wrong file type: binary content in a text file", file=str(path))
    text = decode_table(path, raw, encoding)
    if not text.strip():
        raise DataError("empty file: no header and no rows", file=str(path))
    delimiter = sniff_line(text[:65536].split("\n", 1)[0])
    check_shape(text, delimiter, path)
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            na_values=[""],
            keep_default_na=False,
            skipinitialspace=True,
        )
    except pd.errors.ParserError as exc:
        raise DataError(f"malformed CSV: {exc}".strip(), file=str(path)) from None
    except pd.errors.EmptyDataError:
        raise DataError("empty file: no header and no rows", file=str(path)) from None


def _blank(fields: list[str]) -> bool:
    """Whether a record has no field or one blank field (a blank line: no row)."""
    return len(fields) < 2 and not (fields and fields[0].strip())


def check_shape(text: str, delimiter: str, path: Path) -> None:
    """Every record has as many fields as the header (:func:`check_header` too).

    A short record would be padded with blanks and a long one would shift its values,
    so both are errors naming the rows: ``row N`` is the record's position among the
    table's rows (header excluded), as the loader's other messages count them.
    """
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return
    check_header(path, [h.strip() for h in header], None)
    width = len(header)
    try:
        n_bad = sum(len(r) != width for r in reader if not _blank(r))
    except csv.Error as exc:
        raise DataError(f"malformed CSV: {exc}", file=str(path)) from None
    if n_bad:
        raise DataError(
            f"malformed CSV: {n_bad:,} row(s) with a different number of fields than "
            f"the header's {width} "
            f"(a short row would be padded with blanks, a long one would shift its values); "
            f"check the separator {delimiter!r} and quoting in those rows",
            file=str(path),
            rows=_ragged_rows(text, delimiter, path, width),
        )


def _ragged_rows(text: str, delimiter: str, path: Path, width: int, limit: int = 5) -> list[str]:
    """``row N: k field(s)`` for the first records that do not fit the header.

    A blank record is no row, unless quoted (``""``): pandas reads that one as a row.
    """
    records = iter_records(path, io.StringIO(text), delimiter, True)
    next(records)  # the header
    out: list[str] = []
    row_no = 0
    for rec in records:
        if _blank(rec.fields) and '"' not in rec.raw:
            continue
        row_no += 1
        if not _blank(rec.fields) and len(rec.fields) != width:
            out.append(f"row {row_no}: {len(rec.fields)} field(s)")
            if len(out) == limit:
                break
    return out
