"""Data problems and the quality report: what was read, what is wrong, and how examples
are shown.

:class:`Problem` is one problem (error, warning or note) with its count and example rows;
:class:`TableInfo` what was read of one table; :class:`QualityReport` all of it, for the
``validate`` command and the data-quality notebook. The checks that find warnings are in
:mod:`csmetrics.quality_checks`; the views of the notebook in :mod:`csmetrics.quality`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from . import i18n
from .i18n import N_, _
from .schema import TABLES

Severity = Literal["error", "warning", "info"]
MAX_EXAMPLES = 5

#: How each severity is shown in the report (the codes stay English in exports).
SEVERITY_LABEL = {
    # Translators: severity of a data problem: it stops loading
    "error": N_("error"),
    # Translators: severity of a data problem: the values concerned are left out of measures
    "warning": N_("warning"),
    # Translators: severity of a data problem: a note only
    "info": N_("info"),
}

#: Column headers of the quality tables as shown in the report (the frames themselves keep
#: English names: the ``validate`` command exports them).
HEADERS = {
    # Translators: column header: the name of a data table (tickets, calls...)
    "table": N_("table"),
    # Translators: column header: the file or database a table was read from
    "source": N_("source"),
    # Translators: column header: number of rows read
    "rows": N_("rows"),
    "missing optional columns": N_("missing optional columns"),
    "extra columns": N_("extra columns"),
    "severity": N_("severity"),
    # Translators: column header: a column of a data table
    "column": N_("column"),
    # Translators: column header: the kind of problem (a code such as resolved_before_created)
    "kind": N_("kind"),
    # Translators: column header: number of rows with the problem
    "count": N_("count"),
    # Translators: column header: the description of a data problem
    "message": N_("message"),
    # Translators: column header: example rows with the problem
    "examples": N_("examples"),
    # Translators: column header: the columns whose values are not used by measures
    "left out of": N_("left out of"),
    "values left out": N_("values left out"),
    # Translators: column header: the date column that places a row in a period
    "dated by": N_("dated by"),
    "rows in period": N_("rows in period"),
    # Translators: column header: rows of the table over all its dates
    "rows in all": N_("rows in all"),
}


@dataclass
class Problem:
    """One kind of problem found in one table.

    ``rows`` holds example row numbers (1-based, header excluded, as in the source);
    ``affects`` names the canonical columns whose values were left out of measures.
    """

    table: str
    kind: str
    severity: Severity
    message: str
    count: int = 0
    column: str | None = None
    file: str | None = None
    rows: list[str] = field(default_factory=list)
    affects: tuple[str, ...] = ()
    #: ``message`` before its values were put in (marked for translation with ``N_``), and
    #: those values; empty when ``message`` is itself a fixed, marked message.
    template: str = ""
    args: dict[str, object] = field(default_factory=dict)

    def text(self) -> str:
        """``message`` in the report's language (numbers in the locale's format).

        Examples
        --------
        >>> p = Problem("tickets", "months_without_data", "warning", "no rows in 1200 x",
        ...             template="no rows in {n} x", args={"n": 1200})
        >>> p.text()
        'no rows in 1,200 x'
        """
        if not self.template:
            return _(self.message)
        args = {
            k: i18n.number(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
            for k, v in self.args.items()
        }
        return _(self.template).format(**args)

    def examples(self) -> list[str]:
        """The example rows for people: ``row 3: 'x'`` in the report's language, months
        as period labels."""
        return [example_text(r) for r in self.rows]

    def render(self) -> str:
        """One line of text: severity, table, what, how many, examples."""
        where = f"{self.table}.{self.column}" if self.column else self.table
        text = f"[{self.severity}] {where}: {self.message}"
        if self.count:
            text += f" ({self.count:,} row{'s' if self.count != 1 else ''})"
        if self.rows:
            text += f"; e.g. {', '.join(self.rows)}"
        if self.affects:
            text += f"; left out of measures using {', '.join(self.affects)}"
        return text


@dataclass
class TableInfo:
    """What was read for one table."""

    name: str
    source: str
    rows: int
    columns: list[str]
    missing_optional: list[str]
    extra_columns: list[str]
    notes: list[str] = field(default_factory=list)
    #: Problems found while reading (null markers read as missing...), counted.
    problems: list[Problem] = field(default_factory=list)
    #: False for a file outside the data folder: messages show row numbers, not values.
    values_shown: bool = True


@dataclass
class QualityReport:
    """Everything the loader noticed, for the ``validate`` command and the notebook."""

    tables: dict[str, TableInfo] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    missing_tables: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Problems that stop loading."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems whose rows are left out of the measures they would corrupt."""
        return [p for p in self.problems if p.severity == "warning"]

    def tables_frame(self) -> pd.DataFrame:
        """One row per canonical table: source, rows read, missing optional columns."""
        rows = []
        for name in TABLES:
            info = self.tables.get(name)
            if info is None:
                rows.append(
                    {
                        "table": name,
                        "source": "(absent)",
                        "rows": 0,
                        "missing optional columns": "",
                        "extra columns": "",
                    }
                )
                continue
            rows.append(
                {
                    "table": name,
                    "source": info.source,
                    "rows": info.rows,
                    "missing optional columns": ", ".join(info.missing_optional),
                    "extra columns": ", ".join(info.extra_columns),
                }
            )
        return pd.DataFrame(rows)

    def problems_frame(self) -> pd.DataFrame:
        """One row per problem: severity, table, column, kind, count, examples, left out of."""
        cols = [
            "severity",
            "table",
            "column",
            "kind",
            "count",
            "message",
            "examples",
            "left out of",
        ]
        rows = [
            {
                "severity": p.severity,
                "table": p.table,
                "column": p.column or "",
                "kind": p.kind,
                "count": p.count,
                "message": p.message,
                "examples": ", ".join(p.rows),
                "left out of": ", ".join(p.affects),
            }
            for p in self.problems
        ]
        order = {"error": 0, "warning": 1, "info": 2}
        df = pd.DataFrame(rows, columns=cols)
        return df.sort_values("severity", key=lambda s: s.map(order), kind="stable").reset_index(
            drop=True
        )

    def tables_view(self) -> pd.DataFrame:
        """:meth:`tables_frame` for the report: headers and notes in the report's language."""
        df = self.tables_frame()
        df["source"] = df["source"].replace({"(absent)": _("(absent)")})
        return translate_headers(df)

    def problems_view(self) -> pd.DataFrame:
        """:meth:`problems_frame` for the report: headers, severities, messages and
        examples in the report's language (kinds, tables and columns stay as codes)."""
        order = {"error": 0, "warning": 1, "info": 2}
        rows = [
            {
                "severity": _(SEVERITY_LABEL.get(p.severity, p.severity)),
                "table": p.table,
                "column": p.column or "",
                "kind": p.kind,
                "count": p.count,
                "message": p.text(),
                "examples": ", ".join(p.examples()),
                "left out of": ", ".join(p.affects),
            }
            for p in sorted(self.problems, key=lambda p: order[p.severity])
        ]
        cols = ["severity", "table", "column", "kind", "count", "message", "examples"]
        return translate_headers(pd.DataFrame(rows, columns=[*cols, "left out of"]))

    def render_text(self) -> str:
        """The plain-text report printed by ``csmetrics validate``."""
        lines = ["Tables read:"]
        for name in TABLES:
            info = self.tables.get(name)
            if info is None:
                lines.append(f"  {name:<10} absent (optional)")
                continue
            lines.append(f"  {name:<10} {info.rows:>10,} rows  from {info.source}")
            if info.missing_optional:
                lines.append(
                    f"  {'':<10} missing optional columns: {', '.join(info.missing_optional)}"
                )
            for note in info.notes:
                lines.append(f"  {'':<10} {note}")
        n_err, n_warn = len(self.errors), len(self.warnings)
        lines.append("")
        lines.append(f"Problems: {n_err} error(s), {n_warn} warning(s)")
        for p in sorted(
            self.problems, key=lambda p: ("error", "warning", "info").index(p.severity)
        ):
            lines.append(f"  {p.render()}")
        return "\n".join(lines)

    def to_html(self) -> str:
        """The problems as an HTML table, with every value escaped."""
        return self.problems_frame().to_html(index=False, escape=True, border=0)


def translate_headers(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the column names of :data:`HEADERS` in the report's language.

    Examples
    --------
    >>> translate_headers(pd.DataFrame(columns=["table", "rows in period"])).columns.tolist()
    ['table', 'rows in period']
    """
    return df.rename(columns=lambda c: _(HEADERS[c]) if c in HEADERS else c)


_EXAMPLE_ROW = re.compile(r"^row (\d+)(?:: (.*))?$", re.DOTALL)
_MONTH_LABEL = re.compile(r"^\d{4}-\d{2}$")


def example_text(example: str) -> str:
    """One example of :func:`example_rows` (or a month) in the report's language.

    Row numbers are positions in the source and are written without separators.

    Examples
    --------
    >>> example_text("row 12345: 'x'"), example_text("row 2"), example_text("2026-07")
    ("row 12345: 'x'", 'row 2', 'July 2026')
    """
    m = _EXAMPLE_ROW.match(example)
    if m and m.group(2) is not None:
        # Translators: an example row of a data problem: {n} is the row number in the
        # source file, {value} the value found there (from the data)
        return _("row {n}: {value}").format(n=m.group(1), value=m.group(2))
    if m:
        # Translators: an example row of a data problem: {n} is the row number in the file
        return _("row {n}").format(n=m.group(1))
    if _MONTH_LABEL.match(example):
        return i18n.period(example)
    return example


def without_values(rows: list[str]) -> list[str]:
    """Example rows with their values left out (``"row 3: 'x'"`` → ``"row 3"``); months
    and other examples stay.

    Examples
    --------
    >>> without_values(["row 3: 'secret'", "row 4", "2026-07"])
    ['row 3', 'row 4', '2026-07']
    """
    out = []
    for example in rows:
        m = _EXAMPLE_ROW.match(example)
        out.append(f"row {m.group(1)}" if m else example)
    return out


def plural(n: int, word: str) -> str:
    """``plural(1, "row")`` → ``'1 row'``; ``plural(3, "row")`` → ``'3 rows'``."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def example_rows(
    mask: pd.Series | np.ndarray, values: pd.Series | None = None, limit: int = MAX_EXAMPLES
) -> list[str]:
    """Format the first ``limit`` flagged rows as ``"row N"`` or ``"row N: 'value'"``.

    Row numbers are 1-based positions in the source, header excluded.

    Examples
    --------
    >>> example_rows(pd.Series([False, True, True]), pd.Series(["a", "b", "c"]))
    ["row 2: 'b'", "row 3: 'c'"]
    """
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))[:limit]
    if values is None:
        return [f"row {i + 1}" for i in positions]
    out = []
    for i in positions:
        v = values.iloc[i]
        out.append(f"row {i + 1}: {_short(v)!r}")
    return out


def _short(value: object, width: int = 40) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"
