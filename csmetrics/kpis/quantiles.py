"""Quantile KPIs measured where the data is: only a few numbers per group come back.

A quantile KPI (median, 90th percentile) is the ``q`` quantile of its values, NumPy's
default (``linear``) definition, with a distribution-free interval from two order
statistics (:func:`csmetrics.stats.quantile_interval`). On a lazy backend (DuckDB) the
values stay in the backend:

1. one aggregate per table, scope and grouping gives each group's count ``n`` of values
   and of excluded rows;
2. the ranks each group needs follow from ``n`` alone: the two order statistics the
   quantile interpolates between (:func:`linear_ranks`) and the interval's two
   (:func:`csmetrics.stats.quantile_ranks`);
3. one query per KPI returns the values at those ranks: DuckDB's ``quantile_disc`` with
   the positions that select them, or, with many groups, the values numbered within each
   group (``rank``) and joined with a small table of the ranks;
4. the quantile is interpolated here as NumPy does (:func:`linear_quantile`), so that it
   is the same float on every engine, not merely close (DuckDB's ``quantile_cont``
   rounds differently in the last bit).

What comes back is four numbers per group and KPI, whatever the number of rows. On pandas
the values are already in this process, and :func:`csmetrics.kpis.queries.values_query`
reduces them there with :func:`csmetrics.kpis.queries.quantile_result`.
"""

from __future__ import annotations

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..stats import quantile_ranks
from .base import KPI, Result, empty_result
from .frames import Frames, collect
from .records import record, result_frame


def linear_ranks(n: int, q: float) -> tuple[int, int, float]:
    """The 1-based ranks of the two order statistics NumPy's default (``linear``)
    quantile interpolates between, and the weight of the upper one, computed as NumPy
    computes them (the virtual index ``(n − 1)·q``, clipped to the sample).

    Examples
    --------
    >>> linear_ranks(4, 0.5)  # between the 2nd and 3rd of 4 values, halfway
    (2, 3, 0.5)
    >>> linear_ranks(1, 0.9)
    (1, 1, 0.0)
    """
    virtual = np.float64(n - 1) * np.float64(q)
    below = int(np.floor(virtual))
    if virtual >= n - 1:
        return n, n, 0.0
    if virtual < 0:
        return 1, 1, 0.0
    return below + 1, below + 2, float(virtual - below)


def linear_quantile(below: float, above: float, weight: float) -> float:
    """NumPy's interpolation between two order statistics (``numpy.quantile``'s
    ``_lerp``: from the upper one when the weight is at least one half), so that the
    result is the same float as ``numpy.quantile`` gives.

    Examples
    --------
    >>> linear_quantile(2.0, 3.0, 0.5)
    2.5
    """
    diff = np.float64(above) - np.float64(below)
    if weight >= 0.5:
        return float(np.float64(above) - diff * (1 - np.float64(weight)))
    return float(np.float64(below) + diff * np.float64(weight))


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
    keys = [tuple(row) for row in summary[groups].itertuples(index=False)] if groups else [()]
    out = {}
    for k in kpis:
        counts = [int(n) for n in summary[f"{k.id}__n"]]
        excluded = summary[f"{k.id}__x"].tolist() if f"{k.id}__x" in summary else None
        wanted = {key: (n, _ranks(n, k.q)) for key, n in zip(keys, counts, strict=True) if n > 0}
        at = _order_statistics(frames, lf, _v(k), groups, wanted)
        records = []
        for i, (key, n) in enumerate(zip(keys, counts, strict=True)):
            rec = dict(zip(groups, key, strict=True))
            r = _result(k, n, [at[(*key, j)] for j in wanted[key][1]]) if n else empty_result()
            rec.update(record(k, r, excluded[i] if excluded else None))
            records.append(rec)
        out[k.id] = result_frame(records, groups)
    return out


def _ranks(n: int, q: float) -> tuple[int, int, int, int]:
    """The ranks a group's result needs: the two the quantile interpolates between, then
    the interval's two."""
    below, above, _weight = linear_ranks(n, q)
    return (below, above, *quantile_ranks(n, q))


def _result(kpi: KPI, n: int, values: list[float]) -> Result:
    """A quantile KPI's result from its count and the values at :func:`_ranks`."""
    below, above, lo, hi = values
    value = linear_quantile(below, above, linear_ranks(n, kpi.q)[2])
    return Result(value * kpi.scale, float(n), lo * kpi.scale, hi * kpi.scale)


def _v(kpi: KPI) -> str:
    return f"__v_{kpi.id}"


def _finite(column: str) -> nw.Expr:
    """The column's values with NaN as missing (pandas writes a missing number as NaN)."""
    col = nw.col(column).cast(nw.Float64)
    return nw.when(~col.is_nan()).then(col)


def _summary(lf: nw.LazyFrame, kpis: list[KPI], groups: list[str]) -> pd.DataFrame:
    """Per group: the count of values and the excluded rows of each KPI."""
    have = set(lf.collect_schema().names())
    aggs = {}
    for k in kpis:
        aggs[f"{k.id}__n"] = nw.col(_v(k)).count()
        xcol = f"x_{k.excluded}" if k.excluded else None
        if xcol and xcol in have:
            aggs[f"{k.id}__x"] = nw.col(xcol).cast(nw.Float64).sum()
    res = collect(lf.group_by(*groups).agg(**aggs) if groups else lf.select(**aggs))
    if groups:
        res = res.sort_values(groups, kind="stable").reset_index(drop=True)
    return res


#: Most positions one ``quantile_disc`` call asks of every group (the positions of all
#: groups are asked of each, so its result grows with the square of the groups): with
#: more, the values are numbered within each group instead (linear in the groups).
MAX_POSITIONS = 256


def _order_statistics(
    frames: Frames, lf: nw.LazyFrame, column: str, groups: list[str], wanted: dict
) -> dict[tuple, float]:
    """(group key..., rank) → value, for each group's wanted ranks (``wanted``: group key
    → its count of values and the ranks)."""
    if not wanted:
        return {}
    if frames.backend == "duckdb":
        by_key = _positions(wanted)
        if len({p for ranks in by_key.values() for p in ranks.values()}) <= MAX_POSITIONS:
            return _duckdb_order_statistics(lf, column, groups, by_key)
    return _ranked_order_statistics(frames, lf, column, groups, wanted)


def _positions(wanted: dict) -> dict[tuple, dict[int, float]]:
    """Group key → rank → the ``quantile_disc`` position that selects it among the
    group's ``n`` values: rank ``ceil(n·p)`` (at least 1), so ``p = (j − ½) / n`` selects
    rank ``j`` with half a rank of room for rounding."""
    return {key: {j: (j - 0.5) / n for j in ranks} for key, (n, ranks) in wanted.items()}


def _duckdb_order_statistics(
    lf: nw.LazyFrame, column: str, groups: list[str], by_key: dict[tuple, dict[int, float]]
) -> dict[tuple, float]:
    """(group key..., rank) → value on DuckDB, without numbering every row: one
    ``quantile_disc`` aggregate with the list of positions that select each wanted rank
    (``by_key``: :func:`_positions`). The positions of every group are asked of every
    group (a constant list), and each group keeps its own; :data:`MAX_POSITIONS` bounds
    the list. The tests compare the result with the pandas reduction, bit for bit.
    """
    positions = sorted({p for ranks in by_key.values() for p in ranks.values()})
    rel = lf.filter(~nw.col(column).is_null()).to_native()
    cols = ", ".join(_quoted(g) for g in groups)
    listed = "[" + ", ".join(repr(float(p)) for p in positions) + "]::DOUBLE[]"
    agg = f"quantile_disc({_quoted(column)}, {listed}) AS __x"
    at = {}
    for row in rel.aggregate(f"{cols + ', ' if cols else ''}{agg}", cols).fetchall():
        key, values = tuple(row[: len(groups)]), row[len(groups)]
        chosen = dict(zip(positions, values, strict=True))
        for j, p in by_key.get(key, {}).items():
            at[(*key, j)] = float(chosen[p])
    return at


def _quoted(name: str) -> str:
    """A column name as a DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


def _ranked_order_statistics(
    frames: Frames, lf: nw.LazyFrame, column: str, groups: list[str], wanted: dict
) -> dict[tuple, float]:
    """(group key..., rank) → value, for every backend: each group's values numbered in
    order (``rank`` over the group) and joined with the wanted ranks."""
    ranked = lf.select(*groups, __x=nw.col(column)).filter(~nw.col("__x").is_null())
    rank = nw.col("__x").rank("ordinal")
    ranked = ranked.with_columns(__r=(rank.over(*groups) if groups else rank).cast(nw.Int64))
    table = [{**dict(zip(groups, key, strict=True)), "__r": r}
             for key, (_n, ranks) in wanted.items() for r in set(ranks)]  # fmt: skip
    found = collect(ranked.join(frames.small_frame(pd.DataFrame(table)), on=[*groups, "__r"]))
    return {
        (*(row[g] for g in groups), int(row["__r"])): float(row["__x"])
        for row in found.to_dict(orient="records")
    }
