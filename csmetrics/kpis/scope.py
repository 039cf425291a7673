"""Scope and grouping: the period's context, the rows in it, the columns a KPI lacks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals.stable.v2 as nw

from ..periods import Period, in_zone
from .base import KPI, Ctx, PreparedData
from .frames import Frames


def make_ctx(prepared: PreparedData, period: str | Period) -> Ctx:
    """The context of one period."""
    tz = prepared.config.timezone
    p = in_zone(period, tz)
    if p.start is None:
        return Ctx(p, None, None, prepared.as_of_s, None, prepared.config, prepared)
    return Ctx(
        p,
        p.start.value / 1e9,
        p.end.value / 1e9,
        prepared.as_of_s,
        p.months(),
        prepared.config,
        prepared,
    )


def in_period(col: str, ctx: Ctx) -> Any:
    """Rows whose ``col`` falls in the period (epoch seconds, or ``YYYY-MM`` months)."""
    if ctx.start_s is None:
        return ~nw.col(col).is_null()
    if col == "period_month":
        return nw.col(col).is_in(list(ctx.months or ()))
    return nw.col(col).is_between(ctx.start_s, ctx.end_s, closed="left")


def kpi_scope(kpi: KPI, ctx: Ctx) -> Any:
    """The filter of a KPI's rows in the period (None: every row)."""
    if kpi.scope is not None:
        return kpi.scope(ctx)
    if kpi.basis is None:
        return None
    return in_period(kpi.basis, ctx)


def group_columns(kpi: KPI, by: Sequence[str]) -> list[str]:
    """The KPI's own columns for the groups ``by`` (``month``: its month column)."""
    return [kpi.month_column if g == "month" else g for g in by]


#: Prepared columns made from canonical ones: what a note asks the user to provide.
_FIRST_RESPONSE = "column first_response_at"
SOURCE_COLUMNS: dict[str, dict[str, str]] = {
    "tickets": {
        "first_response_ts": _FIRST_RESPONSE,
        "frt_s": _FIRST_RESPONSE,
        "frt_business_s": _FIRST_RESPONSE,
        "answered": _FIRST_RESPONSE,
        "resolved_ts": "column resolved_at",
        "resolution_s": "column resolved_at",
        "resolved": "column resolved_at",
        "fcr": "columns agent_replies and resolved_at",
        "reopened": "column reopens",
        "repeat_contact": "column customer_id",
        "switched": "column customer_id",
        "sla_met": "columns priority and first_response_at",
        "handle_s": "column handle_time_s",
    },
    "calls": {"handle_s": "column talk_s", "answered_ts": "column answered_at"},
    "incidents": {
        "ttd_s": "column detected_at",
        "detected_ts": "column detected_at",
        "ttr_s": "column resolved_at",
        "resolved_ts": "column resolved_at",
    },
}


def missing_columns(kpi: KPI, frames: Frames, by: Sequence[str]) -> list[str]:
    """Columns (or the table) a KPI needs but the data lacks, for this grouping."""
    if kpi.kind == "ratio":
        return []
    if kpi.table not in frames.prepared.tables:
        return [f"table {kpi.table}"]
    cols = set(frames.columns(kpi.table))
    derived = kpi.derive is not None  # the value column is made on the fly
    needed = list(kpi.needs) + ([kpi.value] if kpi.value and not derived else [])
    if kpi.basis:
        needed.append(kpi.basis)
    source = SOURCE_COLUMNS.get(kpi.table, {})
    missing = [source.get(c, f"column {c}") for c in dict.fromkeys(needed) if c not in cols]
    out = [f"{m} in {kpi.table}" for m in dict.fromkeys(missing)]
    if "sla_met" in needed and "sla_met" not in cols:
        out.append("sla_first_response_h in csmetrics.yaml")
    for g in group_columns(kpi, by):
        if g is None or g not in cols:
            label = "month" if g is None else g
            out.append(f"column {label} in {kpi.table} (to group by it)")
    return out
