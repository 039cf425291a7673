"""Data-quality report: what was read, what is wrong, and what was left out of which measure.

Errors stop loading (:class:`csmetrics.errors.DataError`). Warnings do not: the rows
concerned stay in their table, and only the columns they would corrupt are masked
(see :meth:`csmetrics.load.Workbook.usable`), so that, for example, a ticket resolved
"before" it was created still counts as a ticket created, but not in resolution times.

The module is in three parts: :mod:`csmetrics.problems` (:class:`Problem`,
:class:`TableInfo`, :class:`QualityReport`, example rows), :mod:`csmetrics.quality_checks`
(the warning checks and :func:`run_checks`) and, here, the views of the data-quality
notebook (rows per month, completeness, values left out, the plain-language summary).
Every name is importable from here.
"""

from __future__ import annotations

import pandas as pd

from . import i18n
from .i18n import _, ngettext
from .markup import Prose
from .periods import month_range, months_of
from .problems import (
    HEADERS,
    MAX_EXAMPLES,
    SEVERITY_LABEL,
    Problem,
    QualityReport,
    Severity,
    TableInfo,
    example_rows,
    example_text,
    plural,
    translate_headers,
    without_values,
)
from .quality_checks import CHECKS, Check, all_checks, get, member_of, register, run_checks
from .schema import TABLES

__all__ = [
    "ACTIVITY_TABLES",
    "CHECKS",
    "HEADERS",
    "MAX_EXAMPLES",
    "SEVERITY_LABEL",
    "Check",
    "Problem",
    "QualityReport",
    "Severity",
    "TableInfo",
    "all_checks",
    "completeness",
    "example_rows",
    "example_text",
    "exclusions_frame",
    "get",
    "member_of",
    "monthly_rows",
    "plural",
    "quality_summary",
    "register",
    "rows_in_period",
    "run_checks",
    "translate_headers",
    "without_values",
]


ACTIVITY_TABLES = ("tickets", "calls", "surveys")


def monthly_rows(tables: dict[str, pd.DataFrame], tz: str) -> pd.DataFrame:
    """Rows per month of every dated table, over the months of the activity tables.

    Returns a frame indexed by month (``YYYY-MM``) with one column per table. Inside a
    table's own range a month with no rows shows 0; outside it the value is missing.
    The months shown span the tickets, calls and surveys (or every table when none of
    those is present), so that sign-up dates going back years do not stretch the view.

    Examples
    --------
    >>> t = {"costs": pd.DataFrame({"period": ["2026-01", "2026-03"]})}
    >>> monthly_rows(t, "UTC")["costs"].tolist()
    [1, 0, 1]
    """
    series = {}
    for name, df in tables.items():
        col = TABLES[name].time_column
        if not col or col not in df or df[col].notna().sum() == 0:
            continue
        counts = pd.Series(1, index=months_of(df[col], tz)).groupby(level=0).sum()
        full = month_range(counts.index.min(), counts.index.max())
        series[name] = counts.reindex(full, fill_value=0)
    if not series:
        return pd.DataFrame()
    frame = pd.DataFrame(series).sort_index()
    active = [n for n in ACTIVITY_TABLES if n in series]
    if active:
        lo = min(series[n].index.min() for n in active)
        hi = max(series[n].index.max() for n in active)
        frame = frame.loc[(frame.index >= lo) & (frame.index <= hi)]
    frame.index = frame.index.strftime("%Y-%m")
    frame.index.name = "month"
    return frame.astype("Int64")


def completeness(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Share of non-missing values of each canonical column present, per table.

    Examples
    --------
    >>> t = {"finance": pd.DataFrame({"period": ["2026-01", "2026-02"],
    ...                               "revenue": [1.0, None]})}
    >>> completeness(t)["filled"].tolist()
    [1.0, 0.5]
    """
    rows = []
    for name, df in tables.items():
        for col in TABLES[name].names:
            if col in df:
                filled = float(df[col].notna().mean()) if len(df) else float("nan")
                rows.append({"table": name, "column": col, "filled": filled})
    return pd.DataFrame(rows, columns=["table", "column", "filled"])


def exclusions_frame(flags: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Values left out of measures: one row per table and column, with the count."""
    rows = [
        {"table": name, "column": col, "values left out": int(flag[col].sum())}
        for name, flag in flags.items()
        for col in flag.columns
        if flag[col].any()
    ]
    return pd.DataFrame(rows, columns=["table", "column", "values left out"])


def quality_summary(report: QualityReport, flags: dict[str, pd.DataFrame]) -> Prose:
    """A few plain-language sentences on the state of the data, in the report's language.

    The sentences are the project's Markdown; values from the data (table and column
    names, problems, months) go in as text (:class:`csmetrics.markup.Prose`).
    """
    out = Prose()
    n_tables = len(report.tables)
    rows = sum(i.rows for i in report.tables.values())
    # Translators: Markdown (keep the **). {n} tables of the {total} known were read,
    # {rows} rows in all. English writes "rows" for any number of rows.
    read = ngettext(
        "**{n} of {total} tables** were read, **{rows} rows** in all.",
        "**{n} of {total} tables** were read, **{rows} rows** in all.",
        rows,
    )
    out.add("- " + read, n=n_tables, total=len(TABLES), rows=i18n.number(rows))
    if report.missing_tables:
        # Translators: Markdown (keep the *). {tables} lists table names (tickets, calls...)
        missing = _(
            "Not provided: {tables}. The measures that need them are shown as "
            "*not available*, never as zero."
        )
        out.add("- " + missing, tables=", ".join(report.missing_tables))
    warnings = report.warnings
    if warnings:
        affected = sum(p.count for p in warnings)
        # Translators: Markdown (keep the **). {n} kinds of problem, {rows} rows affected.
        # English writes "kind(s)" for any number.
        found = ngettext(
            "**{n} kind(s) of problem** were found, touching {rows} rows. No row was "
            "removed: each problem value is left out only of the measures it would distort.",
            "**{n} kind(s) of problem** were found, touching {rows} rows. No row was "
            "removed: each problem value is left out only of the measures it would distort.",
            len(warnings),
        )
        out.add("- " + found, n=i18n.number(len(warnings)), rows=i18n.number(affected))
        for p in warnings[:8]:
            if p.count:
                n = ngettext("{n} row", "{n} rows", p.count).format(n=i18n.number(p.count))
            else:
                n = ", ".join(str(r) for r in p.examples())
            # Translators: one problem of the list: {where} is table.column, {problem} what
            # is wrong, {count} the number of rows ("3 rows") or the months concerned
            item = _("{where}: {problem} ({count}).")
            where = f"{p.table}.{p.column}" if p.column else p.table
            out.add("    - " + item, where=where, problem=p.text(), count=n)
    else:
        out.add("- " + _("No data-quality problems were found."))
    excl = exclusions_frame(flags)
    if not excl.empty:
        total = int(excl["values left out"].sum())
        # Translators: Markdown (keep the **). English writes "values" for any number.
        left_out = ngettext(
            "In all, **{n} values** are left out of the measures below.",
            "In all, **{n} values** are left out of the measures below.",
            total,
        )
        out.add("- " + left_out, n=i18n.number(total))
    return out


def rows_in_period(tables: dict[str, pd.DataFrame], period) -> pd.DataFrame:
    """Rows of each dated table that fall in ``period`` (a :class:`csmetrics.Period`)."""
    rows = []
    for name, df in tables.items():
        col = TABLES[name].time_column
        if not col or col not in df:
            continue
        if TABLES[name].column(col).kind == "month":
            months = period.months()
            if months is None:
                n = int(df[col].notna().sum())
            else:
                n = int(df[col].isin(list(months)).sum())
        else:
            n = int(period.contains(df[col]).sum())
        rows.append({"table": name, "dated by": col, "rows in period": n, "rows in all": len(df)})
    return pd.DataFrame(rows, columns=["table", "dated by", "rows in period", "rows in all"])
