"""KPIs from the ``monthly_metrics`` table, when their detailed table is absent."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..i18n import _, ngettext
from ..stats import wilson_interval
from .base import KPI, Ctx, PreparedData, Result
from .frames import MISSING_GROUP
from .records import RESULT_COLUMNS, record


def from_monthly(
    prepared: PreparedData, kpi: KPI, ctx: Ctx, by: Sequence[str]
) -> pd.DataFrame | None:
    """A KPI from the ``monthly_metrics`` table, when its detailed table is absent.

    Counts and sums add the months of the period; other KPIs take the month's value. Over
    several months, a rate whose counts (:attr:`KPI.counts`) the table holds for every
    month is Σ numerator / Σ denominator (e.g. abandonment: Σ calls_abandoned /
    Σ calls_offered, with ``n`` = Σ calls_offered); other KPIs take the mean weighted by
    ``n`` when it is known, else the plain mean (said in the note). Groups: ``month`` and
    ``channel`` only. Returns None when the table has no row for the KPI.
    """
    mm = prepared.tables["monthly_metrics"]
    if mm[mm["metric"] == kpi.id].empty or any(g not in ("month", "channel") for g in by):
        return None
    rows = _monthly_rows(mm, kpi.id, ctx, by)
    counts = [_monthly_rows(mm, c, ctx, by) for c in kpi.counts] if kpi.counts else None
    groups = list(by)
    parts = list(rows.groupby(groups, sort=True)) if groups else [((), rows)]
    records = []
    for key, part in parts:
        key = key if isinstance(key, tuple) else (key,)
        rec = dict(zip(groups, key, strict=True))
        rec.update(_group_record(kpi, part, counts, groups, key))
        records.append(rec)
    if not records:
        empty = Result(math.nan, 0.0, note=_("from monthly_metrics (no month in the period)"))
        records.append({**{g: None for g in groups}, **record(kpi, empty)})
    return pd.DataFrame(records, columns=[*groups, *RESULT_COLUMNS])


def _group_record(
    kpi: KPI,
    part: pd.DataFrame,
    counts: list[pd.DataFrame] | None,
    groups: list[str],
    key: tuple,
) -> dict:
    """The record of one group: its months' values combined (see :func:`from_monthly`)."""
    values = part["value"].astype(float)
    n = part["n"].astype(float) if "n" in part else pd.Series(np.nan, index=part.index)
    note = ngettext(
        "from monthly_metrics ({n} month)", "from monthly_metrics ({n} months)", len(part)
    ).format(n=len(part))
    lo = hi = math.nan
    if part.empty:
        value, total = math.nan, 0.0
    elif kpi.kind in ("count", "sum"):
        value, total = float(values.sum()), float(n.sum()) if n.notna().all() else math.nan
    elif len(part) == 1:
        value, total = float(values.iloc[0]), float(n.iloc[0])
    elif (summed := _summed_counts(counts, part, groups, key)) is not None:
        value, total = summed
    elif n.notna().all() and n.sum() > 0:
        value, total = float((values * n).sum() / n.sum()), float(n.sum())
    else:
        value, total = float(values.mean()), math.nan
        note += _(", plain mean of the monthly values")
    if kpi.kind == "rate" and not math.isnan(total) and total > 0:
        lo, hi = wilson_interval(value * total, total)
    n_out = total if not math.isnan(total) else float(len(part))
    return record(kpi, Result(value, n_out, lo, hi, note), judge_sample=False)


def _monthly_rows(mm: pd.DataFrame, metric: str, ctx: Ctx, by: Sequence[str]) -> pd.DataFrame:
    """The ``monthly_metrics`` rows of one metric in the period, with a ``month`` column
    (and ``channel`` filled when grouping by it; the whole-centre rows otherwise)."""
    rows = mm[mm["metric"] == metric]
    if ctx.months is not None:
        rows = rows[rows["period_month"].isin(ctx.months)]
    rows = rows.assign(month=rows["period_month"])
    if "channel" in by:
        ch = rows["channel"] if "channel" in rows else pd.Series(None, index=rows.index)
        rows = rows.assign(channel=ch.fillna(MISSING_GROUP))
    elif "channel" in rows:
        rows = rows[rows["channel"].isna()] if rows["channel"].isna().any() else rows
    return rows


def _summed_counts(
    counts: list[pd.DataFrame] | None, part: pd.DataFrame, groups: list[str], key: tuple
) -> tuple[float, float] | None:
    """``(Σ numerator / Σ denominator, Σ denominator)`` over the months of ``part``, when
    both counts are known in each of them (else None)."""
    if counts is None:
        return None
    sums = []
    for rows in counts:
        for g, k in zip(groups, key, strict=True):
            rows = rows[rows[g] == k]
        by_month = rows.groupby("month")["value"].sum(min_count=1)
        months = by_month.reindex(part["month"].unique())
        if months.isna().any():
            return None
        sums.append(float(months.sum()))
    num, den = sums
    return (num / den, den) if den > 0 else None
