"""Quantile KPIs measured where the data is: only a few numbers per group come back.

A quantile KPI (median, 90th percentile) is the ``q`` quantile of its values with a
distribution-free interval from two order statistics (:func:`csmetrics.stats.
quantile_interval`). On a lazy backend (DuckDB) the values stay in the backend:

1. one aggregate per table, scope and grouping gives each group's count ``n`` of values,
   the quantile itself (linear interpolation between the two nearest order statistics,
   NumPy's default and DuckDB's ``quantile_cont``: the same definition on every engine)
   and the count of excluded rows;
2. the interval's ranks follow from ``n`` alone (binomial quantiles, in Python);
3. one query per KPI numbers each group's values in order (``rank`` over the group) and
   keeps the rows at those ranks, joined with a table of two ranks per group.

What comes back is two rows per group and KPI, whatever the number of rows. On pandas the
values are already in this process, and :func:`csmetrics.kpis.queries.values_query`
reduces them there with :func:`csmetrics.kpis.queries.quantile_result`, which gives the
same numbers.
"""

from __future__ import annotations

import math

import narwhals.stable.v2 as nw
import pandas as pd

from ..stats import binom_quantile
from .base import KPI, Result, empty_result
from .frames import Frames, collect
from .records import record, result_frame

#: Confidence of the interval (as :func:`csmetrics.stats.quantile_interval`).
CONF = 0.95


def quantile_ranks(n: int, q: float, conf: float = CONF) -> tuple[int, int]:
    """The 1-based ranks of the order statistics that bound the ``q`` quantile of ``n``
    values with at least ``conf`` coverage (clamped to ``1..n``).

    Examples
    --------
    >>> quantile_ranks(100, 0.5)
    (40, 61)
    >>> quantile_ranks(1, 0.9)
    (1, 1)
    """
    lo = binom_quantile((1 - conf) / 2, n, q)
    hi = binom_quantile((1 + conf) / 2, n, q) + 1
    return max(lo, 1), min(hi, n)


def quantile_query(
    frames: Frames, kpis: list[KPI], lf: nw.LazyFrame, groups: list[str]
) -> dict[str, pd.DataFrame]:
    """The records of quantile KPIs that share a table, scope and grouping, measured by
    the backend.

    Parameters
    ----------
    frames : Frames
        The backend (for the small table of ranks).
    kpis : list of KPI
        Quantile KPIs without a reduction of their own.
    lf : narwhals.LazyFrame
        Their rows in scope, with derived columns and the group columns filled
        (:func:`csmetrics.kpis.queries.scoped_values`).
    groups : list of str
        The group columns.

    Returns
    -------
    dict
        KPI id → records, one per group with rows in scope, sorted by the group columns.
    """
    lf = lf.with_columns(**{_v(k): _finite(k.value) for k in kpis})
    summary = _summary(lf, kpis, groups)
    out = {}
    for k in kpis:
        bounds = _order_statistics(frames, lf, k, groups, summary)
        records = []
        for row in summary.itertuples(index=False):
            row = row._asdict()
            rec = {g: row[g] for g in groups}
            n = int(row[f"{k.id}__n"])
            x = row.get(f"{k.id}__x")
            key = tuple(row[g] for g in groups)
            rec.update(record(k, _result(k, n, row[f"{k.id}__q"], bounds.get(key)), x))
            records.append(rec)
        out[k.id] = result_frame(records, groups)
    return out


def _v(kpi: KPI) -> str:
    return f"__v_{kpi.id}"


def _finite(column: str) -> nw.Expr:
    """The column's values with NaN as missing (pandas writes a missing number as NaN)."""
    col = nw.col(column).cast(nw.Float64)
    return nw.when(~col.is_nan()).then(col)


def _summary(lf: nw.LazyFrame, kpis: list[KPI], groups: list[str]) -> pd.DataFrame:
    """Per group: the count of values, the quantile and the excluded rows of each KPI."""
    have = set(lf.collect_schema().names())
    aggs = {}
    for k in kpis:
        aggs[f"{k.id}__n"] = nw.col(_v(k)).count()
        aggs[f"{k.id}__q"] = nw.col(_v(k)).quantile(k.q, interpolation="linear")
        xcol = f"x_{k.excluded}" if k.excluded else None
        if xcol and xcol in have:
            aggs[f"{k.id}__x"] = nw.col(xcol).cast(nw.Float64).sum()
    res = collect(lf.group_by(*groups).agg(**aggs) if groups else lf.select(**aggs))
    if groups:
        res = res.sort_values(groups, kind="stable").reset_index(drop=True)
    return res


def _order_statistics(
    frames: Frames, lf: nw.LazyFrame, kpi: KPI, groups: list[str], summary: pd.DataFrame
) -> dict[tuple, tuple[float, float]]:
    """Group key → the values at the interval's two ranks (:func:`quantile_ranks`)."""
    wanted = []
    for row in summary.itertuples(index=False):
        row = row._asdict()
        n = int(row[f"{kpi.id}__n"])
        if n > 0:
            lo, hi = quantile_ranks(n, kpi.q)
            wanted += [{**{g: row[g] for g in groups}, "__r": r} for r in (lo, hi)]
    if not wanted:
        return {}
    if frames.backend == "duckdb":
        at = _duckdb_order_statistics(lf, _v(kpi), groups, wanted, summary, kpi)
    else:
        at = _ranked_order_statistics(frames, lf, _v(kpi), groups, wanted)
    bounds = {}
    for row in summary.itertuples(index=False):
        row = row._asdict()
        n = int(row[f"{kpi.id}__n"])
        if n > 0:
            key = tuple(row[g] for g in groups)
            lo, hi = quantile_ranks(n, kpi.q)
            bounds[key] = (at[(*key, lo)], at[(*key, hi)])
    return bounds


def _ranked_order_statistics(
    frames: Frames, lf: nw.LazyFrame, column: str, groups: list[str], wanted: list[dict]
) -> dict[tuple, float]:
    """(group key..., rank) → value, for every backend: each group's values numbered in
    order (``rank`` over the group) and joined with the wanted ranks."""
    ranked = lf.select(*groups, __x=nw.col(column)).filter(~nw.col("__x").is_null())
    rank = nw.col("__x").rank("ordinal")
    ranked = ranked.with_columns(__r=(rank.over(*groups) if groups else rank).cast(nw.Int64))
    ranks = frames.small_frame(pd.DataFrame(wanted).drop_duplicates())
    found = collect(ranked.join(ranks, on=[*groups, "__r"], how="inner"))
    return {(*(r[g] for g in groups), int(r["__r"])): float(r["__x"]) for _, r in found.iterrows()}


def _duckdb_order_statistics(
    lf: nw.LazyFrame,
    column: str,
    groups: list[str],
    wanted: list[dict],
    summary: pd.DataFrame,
    kpi: KPI,
) -> dict[tuple, float]:
    """(group key..., rank) → value on DuckDB, without numbering every row: one
    ``quantile_disc`` aggregate with the list of positions that select each wanted rank.

    ``quantile_disc(x, p)`` over ``n`` values is the order statistic of rank
    ``ceil(n·p)`` (at least 1), so ``p = (j − ½) / n`` selects rank ``j`` with half a
    rank of room for rounding. The positions of every group are asked of every group (a
    constant list), and each group keeps its own: ``2·G`` values per group for ``G``
    groups. The tests compare the result with the pandas reduction to 1e-12.
    """
    n_of = {
        tuple(row[g] for g in groups): int(row[f"{kpi.id}__n"])
        for row in (r._asdict() for r in summary.itertuples(index=False))
    }
    positions = sorted({(w["__r"] - 0.5) / n_of[tuple(w[g] for g in groups)] for w in wanted})
    rel = lf.filter(~nw.col(column).is_null()).to_native()
    cols = ", ".join(_quoted(g) for g in groups)
    listed = "[" + ", ".join(repr(float(p)) for p in positions) + "]::DOUBLE[]"
    agg = f"quantile_disc({_quoted(column)}, {listed}) AS __x"
    rows = rel.aggregate(f"{cols + ', ' if cols else ''}{agg}", cols).fetchall()
    at = {}
    for row in rows:
        key, values = tuple(row[: len(groups)]), row[len(groups)]
        chosen = dict(zip(positions, values, strict=True))
        for w in wanted:
            if tuple(w[g] for g in groups) == key:
                at[(*key, w["__r"])] = float(chosen[(w["__r"] - 0.5) / n_of[key]])
    return at


def _quoted(name: str) -> str:
    """A column name as a DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


def _result(kpi: KPI, n: int, value: float, bounds: tuple[float, float] | None) -> Result:
    """A quantile KPI's result from its count, quantile and interval bounds."""
    if n == 0 or bounds is None or value is None or math.isnan(float(value)):
        return empty_result()
    lo, hi = bounds
    return Result(float(value) * kpi.scale, float(n), lo * kpi.scale, hi * kpi.scale)
