"""KPIs made of others: ratios of KPIs (:class:`~csmetrics.kpis.base.Ratio`) and shares."""

from __future__ import annotations

import math
from collections.abc import Sequence

import narwhals.stable.v2 as nw
import pandas as pd

from ..stats import wilson_interval
from .base import KPI, Ctx, Result
from .frames import Frames, collect, fill_groups, kpi_columns
from .records import RESULT_COLUMNS, num, record, result_frame, unavailable
from .scope import kpi_scope


def _sum_parts(parts: list[pd.DataFrame], keys: list[str], name: str) -> pd.DataFrame:
    """Add the values of several KPI results on their group columns (missing = 0)."""
    total = None
    for d in parts:
        d = d[[*keys, "value"]].rename(columns={"value": name})
        d[name] = d[name].fillna(0.0)
        if total is None:
            total = d
        elif keys:
            total = total.merge(d, on=keys, how="outer", suffixes=("", "_b"))
            total[name] = total[name].fillna(0.0) + total.pop(f"{name}_b").fillna(0.0)
        else:
            total = pd.DataFrame({name: [total[name].iloc[0] + d[name].iloc[0]]})
    return total


def _unavailable_parts(kpi: KPI, parts: dict[str, pd.DataFrame], by: Sequence[str]):
    """The record of a ratio whose every numerator or every denominator is unavailable."""
    notes = sorted(
        {
            f"{i} ({parts[i]['note'].iloc[0].removeprefix('not available: ')})"
            for i in kpi.ratio.parts
            if not parts[i]["available"].all()
        }
    )
    return unavailable(kpi, notes, by)


def ratio(kpi: KPI, parts: dict[str, pd.DataFrame], by: Sequence[str]) -> pd.DataFrame:
    """value = sum(numerators) / sum(denominators) × scale, joined on the group columns.

    A part whose table is absent counts as 0 when others are present (e.g. contacts
    without a calls table are the tickets alone); if every numerator or every
    denominator is unavailable, so is the ratio.
    """
    spec = kpi.ratio
    keys = list(by)
    nums = [parts[i] for i in spec.numerator if parts[i]["available"].all()]
    dens = [parts[i] for i in spec.denominator if parts[i]["available"].all()]
    if not nums or not dens:
        return _unavailable_parts(kpi, parts, by)
    num_ = _sum_parts(nums, keys, "num")
    den = _sum_parts(dens, keys, "den")
    merged = num_.merge(den, on=keys, how="outer") if keys else pd.concat([num_, den], axis=1)
    records = []
    for row in merged.to_dict(orient="records"):
        d, nval = num(row.get("den")), num(row.get("num"))
        ok = not math.isnan(d) and d != 0 and not math.isnan(nval)
        rec = {g: row[g] for g in keys}
        value = nval / d * spec.scale if ok else math.nan
        rec.update(record(kpi, Result(value, 0.0 if math.isnan(d) else d)))
        records.append(rec)
    return result_frame(records, keys)


def share(kpi: KPI, frames: Frames, ctx: Ctx, groups: list[str]) -> pd.DataFrame:
    """Share of rows in each value of ``share_of`` within each group (Wilson intervals)."""
    lf = frames.frame(kpi.table, kpi_columns(kpi, groups, frames.columns(kpi.table)))
    lf = lf.filter(kpi_scope(kpi, ctx))
    col = kpi.share_of
    allg = list(dict.fromkeys([*groups, col]))
    lf = fill_groups(lf, allg)
    counts = collect(lf.group_by(*allg).agg(nw.len().alias("k")))
    counts["k"] = counts["k"].astype(float)
    if groups:
        counts["total"] = counts.groupby(groups)["k"].transform("sum")
    else:
        counts["total"] = counts["k"].sum()
    records = []
    for row in counts.sort_values(allg).to_dict(orient="records"):
        lo, hi = wilson_interval(row["k"], row["total"])
        rec = {g: row[g] for g in allg}
        rec.update(record(kpi, Result(row["k"] / row["total"], row["total"], lo, hi)))
        records.append(rec)
    return pd.DataFrame(records, columns=[*allg, *RESULT_COLUMNS])
