"""The data behind the explorer's views: the months it offers, filtered tables, the
tables behind a KPI and the rows behind a number.

Plain functions of :class:`~csmetrics.prepare.Prepared` data, with no widgets, so that
the command line (``csmetrics kpis --filter``) and tests use them as the explorer does.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..display.values import ratio_parts
from ..i18n import ngettext
from ..kpis import REGISTRY, get
from ..kpis.engine import make_ctx
from ..periods import Period
from ..plots.labels import group_name
from ..prepare import Prepared

FILTER_COLUMNS = ("channel", "team", "agent_id", "priority", "category", "queue")
#: Identifier columns of the rows behind a number, in this order.
ROW_ID_COLUMNS = (
    "ticket_id",
    "call_id",
    "survey_id",
    "incident_id",
    "customer_id",
    "agent_id",
    "period",
)
#: Text columns of the rows behind a number, in this order.
ROW_TEXT_COLUMNS = ("channel", "team", "priority", "category", "queue", "metric", "status")


def months_of(prepared: Prepared) -> list[str]:
    """Every month the tickets, calls or surveys cover (``YYYY-MM``), sorted."""
    found: set[str] = set()
    for table, col in (
        ("tickets", "created_month"),
        ("calls", "arrived_month"),
        ("surveys", "sent_month"),
        ("monthly_metrics", "period_month"),
    ):
        df = prepared.tables.get(table)
        if df is not None and col in df:
            found |= set(df[col].dropna().unique())
    return sorted(found)


def month_range(first: str, last: str, tz: str) -> Period:
    """The period from the start of ``first`` to the end of ``last`` (months ``YYYY-MM``)."""
    a, b = sorted([first, last])
    start = pd.Period(a, freq="M").start_time.tz_localize(tz)
    end = (pd.Period(b, freq="M") + 1).start_time.tz_localize(tz)
    label = a if a == b else f"{a}..{b}"
    return Period(label, "range" if a != b else "month", start, end)


def filter_prepared(prepared: Prepared, filters: dict[str, Sequence[str]]) -> Prepared:
    """The prepared tables keeping only rows whose filter columns hold a chosen value.

    A filter applies to every table that has its column; tables without it are kept
    whole (e.g. a team filter leaves revenue unchanged). Empty choices mean "all".
    """
    active = {c: list(v) for c, v in filters.items() if v}
    if not active:
        return prepared
    tables = {}
    for name, df in prepared.tables.items():
        mask = np.ones(len(df), dtype=bool)
        for col, values in active.items():
            if col in df:
                mask &= df[col].isin(values).to_numpy()
        tables[name] = df[mask].reset_index(drop=True) if not mask.all() else df
    return Prepared(tables, prepared.config, prepared.as_of, prepared.excluded)


def kpi_tables(prepared: Prepared, kpi_id: str) -> list[str]:
    """The tables of ``prepared`` behind a KPI: its own table (or ``monthly_metrics``
    when that stands in for it) and, for a ratio, the tables of its parts; sorted.

    Examples
    --------
    >>> kpi_tables(p, "cost_per_contact")  # doctest: +SKIP
    ['calls', 'costs', 'tickets']
    """
    seen: set[str] = set()
    found: set[str] = set()

    def visit(kid: str) -> None:
        if kid in seen or kid not in REGISTRY:
            return
        seen.add(kid)
        k = REGISTRY[kid]
        if k.table in prepared.tables:
            found.add(k.table)
        elif "monthly_metrics" in prepared.tables:
            found.add("monthly_metrics")
        numerator, denominator = ratio_parts(k)
        for part in (*numerator, *denominator):
            visit(part)

    visit(kpi_id)
    return sorted(found)


def unfiltered_tables(
    prepared: Prepared, kpi_id: str, filters: dict[str, Sequence[str]]
) -> dict[str, list[str]]:
    """For each chosen filter, the tables behind the KPI (:func:`kpi_tables`) that do not
    have its column, so that the filter leaves them whole (:func:`filter_prepared`).

    Filters without a choice, and filters that apply to every table, are left out; the
    result follows :data:`FILTER_COLUMNS`' order.

    Examples
    --------
    >>> unfiltered_tables(p, "csat_score", {"team": ["A"]})  # doctest: +SKIP
    {'team': ['surveys']}
    """
    tables = kpi_tables(prepared, kpi_id)
    order = {c: i for i, c in enumerate(FILTER_COLUMNS)}
    out = {}
    for col in sorted(filters, key=lambda c: (order.get(c, len(order)), c)):
        if not filters[col]:
            continue
        missing = [t for t in tables if col not in prepared.tables[t]]
        if missing:
            out[col] = missing
    return out


def filter_notes(
    prepared: Prepared,
    kpi_id: str,
    filters: dict[str, Sequence[str]],
    *,
    lang: str | None = None,
) -> list[str]:
    """Sentences saying which chosen filters do not apply to the tables behind a KPI
    (plain text, in ``lang``, by default the current language; escape it to show it as
    HTML).

    Examples
    --------
    >>> filter_notes(p, "csat_score", {"team": ["A"]})[0]  # doctest: +SKIP
    'The team filter does not apply to the surveys table behind this KPI: all its rows are ...'
    """
    notes = []
    for col, tables in unfiltered_tables(prepared, kpi_id, filters).items():
        notes.append(
            ngettext(
                # Translators: {filter} is a filter's name (channel, team...), {tables} one
                # table name (tickets, calls, surveys...)
                "The {filter} filter does not apply to the {tables} table behind this KPI: "
                "all its rows are counted.",
                # Translators: {tables} is a list of table names (calls, tickets)
                "The {filter} filter does not apply to the {tables} tables behind this KPI: "
                "all their rows are counted.",
                len(tables),
                lang=lang,
            ).format(filter=group_name(col, lang=lang), tables=", ".join(tables))
        )
    return notes


def drill_rows(
    prepared: Prepared,
    kpi_id: str,
    period: Period,
    group: str | None = None,
    value: str | None = None,
) -> pd.DataFrame:
    """The rows behind a KPI value: the KPI's table in the period (by its basis), in the
    group, restricted to the rows the KPI uses (those with a value for it).

    Columns: the row id, the canonical text columns and the KPI's value column.
    """
    k = get(kpi_id)
    table = prepared.tables.get(k.table)
    if table is None:
        return pd.DataFrame()
    df = _in_period(table, k.basis, prepared, period)
    if group and value is not None:
        col = k.month_column if group == "month" else group
        if col not in df:
            return pd.DataFrame()
        df = df[df[col].fillna("(missing)") == value]
    if k.value and k.value in df and k.kind in ("rate", "mean", "quantile", "sum"):
        df = df[df[k.value].notna()]
    return df[_row_columns(df, k.value)].reset_index(drop=True)


def _in_period(df: pd.DataFrame, basis: str | None, prepared: Prepared, period: Period):
    """The rows of ``df`` whose ``basis`` (epoch seconds, or ``period_month``) lies in the
    period; every row when the table has no such column or the period is ``all``."""
    if not (basis and basis in df):
        return df
    ctx = make_ctx(prepared, period)
    if ctx.start_s is None:
        return df
    if basis == "period_month":
        return df[df[basis].isin(ctx.months)]
    return df[(df[basis] >= ctx.start_s) & (df[basis] < ctx.end_s)]


def _row_columns(df: pd.DataFrame, value: str | None) -> list[str]:
    """The columns shown of the rows behind a number: ids, text columns, the first month
    column and the KPI's value column, each once."""
    ids = [c for c in ROW_ID_COLUMNS if c in df]
    text = [c for c in ROW_TEXT_COLUMNS if c in df and c not in ids]
    times = [c for c in df.columns if c.endswith("_month")][:1]
    vals = [value] if value and value in df else []
    return list(dict.fromkeys([*ids, *text, *times, *vals]))
