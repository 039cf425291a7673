"""Queries: the KPIs of one table aggregated in one narwhals query per scope and grouping.

Counts, sums, means, rates and custom aggregations (:func:`table_query`) run as
``group_by().agg()`` on the backend and are finished per group in plain Python;
``values`` and ``quantile`` KPIs (:func:`values_query`) collect their columns and reduce
them per group in pandas.
"""

from __future__ import annotations

import math
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..stats import mean_interval, quantile_interval, wilson_interval
from .base import KPI, Ctx, Result, empty_result
from .frames import Frames, collect, fill_groups, kpi_columns
from .quantiles import quantile_query
from .records import group_ctx, num, record, result_frame
from .scope import kpi_scope


def standard_aggs(kpi: KPI, ctx: Ctx, cols: set[str]) -> dict[str, Any]:
    """The aggregations of a KPI, named ``{id}__{part}`` (``v`` value, ``n`` count, ...)."""
    k = kpi.id
    out: dict[str, Any] = {}
    v = kpi.value
    if kpi.kind == "count":
        out[f"{k}__v"] = nw.col(v).sum() if v else nw.len()
        out[f"{k}__n"] = nw.len()
    elif kpi.kind == "sum":
        out[f"{k}__v"] = nw.col(v).sum()
        out[f"{k}__n"] = nw.col(v).count()
    elif kpi.kind in ("mean", "rate"):
        out[f"{k}__v"] = nw.col(v).mean()
        out[f"{k}__s"] = nw.col(v).sum()
        out[f"{k}__n"] = nw.col(v).count()
        if kpi.kind == "mean":
            out[f"{k}__sd"] = nw.col(v).std()
    elif kpi.kind == "quantile":
        out[f"{k}__v"] = nw.col(v).quantile(kpi.q, interpolation="linear")
        out[f"{k}__n"] = nw.col(v).count()
    elif kpi.kind == "custom":
        out.update({f"{k}__{name}": e for name, e in kpi.aggs(ctx).items()})
    if kpi.excluded and f"x_{kpi.excluded}" in cols:
        out[f"{k}__x"] = nw.col(f"x_{kpi.excluded}").sum()
    return out


def finish(kpi: KPI, row: dict, ctx: Ctx) -> Result:
    """A KPI's result from its aggregates in ``row`` (see :func:`standard_aggs`)."""
    k = kpi.id
    get = lambda name: num(row.get(f"{k}__{name}"))  # noqa: E731
    if kpi.kind == "custom":
        parts = {
            key.split("__", 1)[1]: num(val) for key, val in row.items() if key.startswith(f"{k}__")
        }
        return kpi.finish(parts, ctx)
    n = get("n")
    if kpi.kind == "count":
        return Result(get("v") * kpi.scale, n)
    if n == 0 or math.isnan(n):
        return empty_result()
    v = get("v") * kpi.scale
    if kpi.kind == "sum":
        return Result(v, n)
    if kpi.kind == "rate":
        lo, hi = wilson_interval(get("s"), n)
        return Result(v, n, lo, hi)
    if kpi.kind == "mean":
        # a duration is never negative: nor is the lower end of its interval
        floor = 0.0 if kpi.unit in ("h", "s") else None
        lo, hi = mean_interval(get("v"), get("sd"), n, floor=floor)
        return Result(v, n, lo * kpi.scale, hi * kpi.scale)
    return Result(v, n)


def _aggregate(
    frames: Frames, table: str, batch: list[KPI], ctx: Ctx, groups: list[str]
) -> pd.DataFrame:
    """One query: the aggregates of a batch of KPIs sharing a scope, one row per group."""
    cols = set(frames.columns(table))
    needed = [c for k in batch for c in kpi_columns(k, groups, cols)]
    lf = frames.frame(table, list(dict.fromkeys(needed)))
    scope = kpi_scope(batch[0], ctx)
    if scope is not None:
        lf = lf.filter(scope)
    derived: dict[str, Any] = {}
    for kpi in batch:
        if kpi.derive is not None:
            derived.update(kpi.derive(ctx))
    if derived:
        lf = lf.with_columns(**derived)
    lf = fill_groups(lf, groups)
    aggs: dict[str, Any] = {}
    for kpi in batch:
        aggs.update(standard_aggs(kpi, ctx, cols | set(derived)))
    exprs = [e.alias(name) for name, e in aggs.items()]
    res = collect(lf.group_by(*groups).agg(*exprs) if groups else lf.select(*exprs))
    if not groups and res.empty:
        res = pd.DataFrame([{name: math.nan for name in aggs}])
    if groups:
        res = res.sort_values(groups, kind="stable").reset_index(drop=True)
    return res


def table_query(
    frames: Frames, table: str, kpis: list[KPI], ctx: Ctx, groups_of: dict[str, list[str]]
) -> dict[str, pd.DataFrame]:
    """Run the aggregation KPIs of one table (one query per distinct scope and grouping)."""
    out: dict[str, pd.DataFrame] = {}
    batches: dict[tuple, list[KPI]] = {}
    for kpi in kpis:
        key = (kpi.basis if kpi.scope is None else f"scope:{kpi.id}", tuple(groups_of[kpi.id]))
        batches.setdefault(key, []).append(kpi)
    for (_key, groups), batch in batches.items():
        groups = list(groups)
        rows = _aggregate(frames, table, batch, ctx, groups).to_dict(orient="records")
        for kpi in batch:
            records = []
            for row in rows:
                r = finish(kpi, row, group_ctx(ctx, kpi, row))
                rec = {g: row[g] for g in groups}
                rec.update(record(kpi, r, row.get(f"{kpi.id}__x")))
                records.append(rec)
            out[kpi.id] = result_frame(records, groups)
    return out


def quantile_result(kpi: KPI, part: pd.DataFrame) -> Result:
    """The ``q`` quantile of a KPI's values, with its order-statistics interval."""
    values = part[kpi.value].to_numpy(dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return empty_result()
    v = float(np.quantile(values, kpi.q))
    lo, hi = quantile_interval(values, kpi.q)
    return Result(v * kpi.scale, float(values.size), lo * kpi.scale, hi * kpi.scale)


def scoped_values(frames: Frames, kpis: list[KPI], ctx: Ctx, groups: list[str]) -> nw.LazyFrame:
    """The rows in scope of KPIs sharing a table and scope, with the columns they read,
    their derived columns and the group columns filled (:func:`fill_groups`)."""
    first = kpis[0]
    cols_all = frames.columns(first.table)
    needed = list(dict.fromkeys(c for k in kpis for c in kpi_columns(k, groups, cols_all)))
    lf = frames.frame(first.table, needed)
    scope = kpi_scope(first, ctx)
    if scope is not None:
        lf = lf.filter(scope)
    for k in kpis:
        if k.derive is not None:
            lf = lf.with_columns(**k.derive(ctx))
    return fill_groups(lf, groups)


def values_query(
    frames: Frames, kpis: list[KPI], ctx: Ctx, groups: list[str]
) -> dict[str, pd.DataFrame]:
    """The records of ``values``/``quantile`` KPIs: per group, from their values.

    KPIs passed together share their table, scope and grouping, so one query serves them.
    On a lazy backend, quantile KPIs are measured by the backend
    (:func:`csmetrics.kpis.quantiles.quantile_query`); the others collect their columns
    and reduce them per group here. An exact Kaplan–Meier curve has a step at every
    distinct time (at second resolution, nearly one per ticket), so even counts per
    distinct time would not be a small result; Erlang C staffing (arrivals per weekday
    and hour of the period, then the Erlang formula) and the gaps between incidents
    (a small table) are reduced here for now.
    """
    lf = scoped_values(frames, kpis, ctx, groups)
    out: dict[str, pd.DataFrame] = {}
    if frames.backend != "pandas":
        in_engine = [k for k in kpis if k.kind == "quantile" and k.reduce is None]
        if in_engine:
            out.update(quantile_query(frames, in_engine, lf, groups))
        kpis = [k for k in kpis if k.id not in out]
        if not kpis:
            return out
    data = collect(lf)
    parts = list(data.groupby(groups, sort=True, dropna=False)) if groups else [((), data)]
    for kpi in kpis:
        xcol = f"x_{kpi.excluded}" if kpi.excluded else None
        records = []
        for key, part in parts:
            key = key if isinstance(key, tuple) else (key,)
            rec = dict(zip(groups, key, strict=True))
            gctx = group_ctx(ctx, kpi, rec)
            r = kpi.reduce(part, gctx) if kpi.reduce is not None else quantile_result(kpi, part)
            x = part[xcol].sum() if xcol and xcol in part else None
            rec.update(record(kpi, r, x))
            records.append(rec)
        out[kpi.id] = result_frame(records, groups)
    return out
