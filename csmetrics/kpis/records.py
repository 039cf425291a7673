"""Tidy records: one row per KPI (and group) with its value, ``n``, interval and note."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from ..i18n import _
from ..stats import low_sample
from .base import KPI, Ctx, Result
from .frames import MISSING_GROUP

RESULT_COLUMNS = ["kpi", "value", "unit", "n", "ci_low", "ci_high", "low_sample", "excluded",
                  "available", "note"]  # fmt: skip


def num(x: Any) -> float:
    """``x`` as a float, NaN for None or anything that is not a number."""
    if x is None:
        return math.nan
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def record(
    kpi: KPI, r: Result, excluded: Any = 0, available: bool = True, judge_sample: bool | None = None
) -> dict:
    """One tidy record of a KPI result (the only place records are built).

    ``judge_sample`` says whether ``low_sample`` applies (by default: not for counts and
    sums, whose n is the value itself).
    """
    ex = num(excluded)
    judge = kpi.kind not in ("count", "sum", "ratio") if judge_sample is None else judge_sample
    return {
        "kpi": kpi.id, "value": r.value, "unit": kpi.unit, "n": r.n,
        "ci_low": r.ci_low, "ci_high": r.ci_high,
        "low_sample": bool(low_sample(r.n)) if judge and available else False,
        "excluded": 0 if math.isnan(ex) else int(ex),
        "available": available, "note": r.note,
    }  # fmt: skip


def result_frame(records: list[dict], groups: Sequence[str]) -> pd.DataFrame:
    """Records as a frame: the group columns, then :data:`RESULT_COLUMNS`."""
    return pd.DataFrame(records, columns=[*groups, *RESULT_COLUMNS])


def unavailable(kpi: KPI, missing: list[str], by: Sequence[str]) -> pd.DataFrame:
    """The one record of a KPI whose data is missing: no value, a note of what it needs."""
    rec = {g: None for g in by}
    note = _("not available: {why}").format(why=_("needs {what}").format(what="; ".join(missing)))
    rec.update(record(kpi, Result(math.nan, 0.0, note=note), available=False))
    return pd.DataFrame([rec], columns=[*by, *RESULT_COLUMNS])


def group_ctx(ctx: Ctx, kpi: KPI, row: dict) -> Ctx:
    """The context with the group's month, when results are grouped by month."""
    month = row.get(kpi.month_column) if kpi.month_column else None
    if isinstance(month, str) and month != MISSING_GROUP:
        return replace(ctx, month=month)
    return ctx


def as_by(df: pd.DataFrame, by: Sequence[str], kpi: KPI) -> pd.DataFrame:
    """Rename a KPI's own month column back to ``month``."""
    if "month" in by and kpi.month_column and kpi.month_column in df.columns:
        df = df.rename(columns={kpi.month_column: "month"})
    return df
