"""Reading delimited text without quoting (a tab-separated log): one record per line.

The reader of CSV files (:mod:`csmetrics.csvfile`) has a mode for files whose exporter
never quotes: :func:`read_lines` gives the same :class:`~csmetrics.csvfile.Records` (the
header, the rows with their lines, the odd lines apart), with options for the encoding
of a file that is not UTF-8 and for a rule that repairs a line with the wrong number of
fields (a :data:`Repair`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .csvfile import Record, Records

#: A line repair rule: ``(fields, line text, header width)`` to the repaired fields and a
#: note of what it repaired, or None when it does not apply.
Repair = Callable[[list[str], str, int], "tuple[list[str], str] | None"]


def read_lines(
    path: Path,
    *,
    raw: bytes | None = None,
    delimiter: str = "\t",
    fallback_encoding: str = "latin-1",
    on_fallback: Callable[[], object] = lambda: None,
    repair: Repair | None = None,
) -> Records:
    """Read delimited text without quoting: each line is a record, split on ``delimiter``.

    Lines end with ``\\n`` (a ``\\r`` before it is dropped, a lone one is text); quotes are
    text; bytes that are not UTF-8 (BOM optional) are read as ``fallback_encoding``
    (Latin-1 reads any byte), after a call of ``on_fallback``. Nothing is checked: line 1
    gives the ``header`` (stripped; none for an empty file), lines of white space go to
    ``empty``, a line with another number of fields than the header goes to ``ragged``
    unless ``repair`` (a :data:`Repair`) gives it as many (a row then, noted in
    ``repaired``). A record's ``raw`` is its line.

    Examples
    --------
    >>> rec = read_lines(Path("t.txt"), raw=b"a\\tb\\r\\n1\\t2\\n\\n1 2\\n")
    >>> rec.header, rec.rows, rec.lines, [r.line for r in rec.empty], rec.ragged[0].example()
    (['a', 'b'], [['1', '2']], [2], [3], "line 4: '1 2'")
    """
    raw = path.read_bytes() if raw is None else raw
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        on_fallback()
        text = raw.decode(fallback_encoding)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    records = Records(path, delimiter, [], 1, terminated=text.endswith("\n"))
    for number, line in enumerate(lines, start=1):
        line = line[:-1] if line.endswith("\r") else line
        rec = Record(number, line.split(delimiter), line)
        if number == 1:
            records.header = [h.strip() for h in rec.fields]
        else:
            _add_line(records, rec, repair)
        records.last = rec
    return records


def _add_line(records: Records, rec: Record, repair: Repair | None) -> None:
    """File a line: empty, a row (repaired or not), or ragged."""
    width = len(records.header)
    if not rec.raw.strip():
        records.empty.append(rec)
        return
    fixed = repair(rec.fields, rec.raw, width) if repair and len(rec.fields) != width else None
    if fixed is not None and len(fixed[0]) == width:
        records.repaired[rec.line] = fixed[1]
        rec = Record(rec.line, fixed[0], rec.raw)
    if len(rec.fields) == width:
        records.rows.append(rec.fields)
        records.lines.append(rec.line)
    else:
        records.ragged.append(rec)
