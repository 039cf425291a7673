"""The KPI engine: one narwhals code path for pandas and DuckDB.

A KPI (see :mod:`csmetrics.kpis.registry`) says which prepared table it reads, which
rows are in scope for a period, which columns it derives, how it aggregates and how
the aggregates become a value with ``n`` and a 95% interval. The engine groups the
KPIs that share a table, filters, groups and aggregates them in one query per table
(narwhals, so the same code runs on a pandas frame or a DuckDB relation), and then
finishes each record in plain Python.

Rules that keep the code backend-agnostic: timestamps are epoch seconds (``prepare``
did that), flags are floats cast in ``with_columns`` before any ``agg`` (DuckDB has
no ``mean(BOOLEAN)``), and KPI code uses element-wise expressions and aggregations
only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..errors import CsmetricsError
from ..i18n import _, ngettext
from ..periods import Period
from ..prepare import Prepared
from ..stats import low_sample, mean_interval, quantile_interval, wilson_interval

Backend = Literal["pandas", "duckdb"]
MISSING_GROUP = "(missing)"
RESULT_COLUMNS = ["kpi", "value", "unit", "n", "ci_low", "ci_high", "low_sample", "excluded",
                  "available", "note"]  # fmt: skip


@dataclass(frozen=True)
class Ctx:
    """What a KPI may know about the period being measured (all instants in epoch seconds)."""

    period: Period
    start_s: float | None
    end_s: float | None
    as_of_s: float
    months: tuple[str, ...] | None
    config: Any
    prepared: Prepared
    #: ``YYYY-MM`` of the group being finished when results are grouped by month
    month: str | None = None

    @property
    def cutoff_s(self) -> float:
        """The moment a period is judged at: its end, or the as-of time if earlier."""
        return self.as_of_s if self.end_s is None else min(self.end_s, self.as_of_s)


@dataclass
class Result:
    """One KPI value: ``value`` with its ``n`` and 95% interval."""

    value: float
    n: float
    ci_low: float = math.nan
    ci_high: float = math.nan
    note: str = ""


def empty_result(note: str = "") -> Result:
    """A result for a scope with no observations (value NaN, n 0)."""
    return Result(math.nan, 0.0, note=note)


@dataclass(frozen=True)
class KPI:
    """One measure. See the module docstring of :mod:`csmetrics.kpis.registry`."""

    id: str
    label_en: str
    category: str
    unit: str
    direction: Literal["higher", "lower", "neutral"]
    source: str
    formula_en: str
    table: str
    needs: tuple[str, ...] = ()
    kind: Literal["count", "sum", "mean", "quantile", "rate", "nps", "custom", "values",
                  "ratio", "share"] = "count"  # fmt: skip
    basis: str | None = None
    value: str | None = None
    q: float = 0.5
    scale: float = 1.0
    excluded: str | None = None
    scope: Callable[[Ctx], Any] | None = None
    derive: Callable[[Ctx], dict[str, Any]] | None = None
    aggs: Callable[[Ctx], dict[str, Any]] | None = None
    finish: Callable[[dict, Ctx], Result] | None = None
    reduce: Callable[[pd.DataFrame, Ctx], Result] | None = None
    ratio: tuple[tuple[str, ...], tuple[str, ...], float] | None = None
    share_of: str | None = None
    #: For a rate: the ids of the count KPIs whose ratio it is (numerator, denominator),
    #: so that a rate over several months of ``monthly_metrics`` is Σ numerator /
    #: Σ denominator, not a mean of published, rounded monthly rates.
    counts: tuple[str, str] | None = None
    headline: bool = False
    internal: bool = False
    interval: str = ""

    @property
    def label(self) -> str:
        """The label in the report's language (:mod:`csmetrics.i18n`); ``label_en`` is the
        English source, which is also the catalogue's message id."""
        return _(self.label_en)

    @property
    def formula(self) -> str:
        """The one-line formula in the report's language (``formula_en``: English)."""
        return _(self.formula_en)

    @property
    def month_column(self) -> str | None:
        """The column that groups this KPI ``by month``."""
        if self.basis is None:
            return None
        if self.basis == "period_month":
            return "period_month"
        return self.basis.removesuffix("_ts") + "_month"


# ---------------------------------------------------------------------------------------
# Backends
# ---------------------------------------------------------------------------------------


class Frames:
    """Prepared tables as native frames of one backend, wrapped by narwhals on demand.

    DuckDB relations are made once per prepared table (through Arrow, so that pandas'
    NaN becomes SQL NULL) and cached on the :class:`Prepared` object.
    """

    def __init__(self, prepared: Prepared, backend: Backend = "pandas") -> None:
        if backend not in ("pandas", "duckdb"):
            raise CsmetricsError(f"unknown backend {backend!r}: use pandas or duckdb")
        self.prepared = prepared
        self.backend = backend

    def columns(self, name: str) -> list[str]:
        """Columns of prepared table ``name``."""
        return list(self.prepared.tables[name].columns)

    def _duckdb(self, name: str) -> Any:
        cache = self.prepared.cache.setdefault("duckdb", {})
        if name not in cache:
            import duckdb
            import pyarrow as pa

            con = self.prepared.cache.setdefault("duckdb_con", duckdb.connect())
            arrow = pa.Table.from_pandas(self.prepared.tables[name], preserve_index=False)
            cache[name] = (con.from_arrow(arrow), arrow)
        return cache[name][0]

    def frame(self, name: str, columns: Sequence[str] | None = None) -> nw.LazyFrame:
        """Table ``name`` as a narwhals LazyFrame, narrowed to ``columns`` if given."""
        if self.backend == "duckdb":
            lf = nw.from_native(self._duckdb(name))
            return lf.select(*columns) if columns else lf
        df = self.prepared.tables[name]
        return nw.from_native(df[list(columns)] if columns else df).lazy()


def kpi_columns(kpi: KPI, groups: Sequence[str], available: Iterable[str]) -> list[str]:
    """The prepared columns a KPI reads (so that queries carry no other column)."""
    have = set(available)
    cols = [*groups]
    if kpi.basis:
        cols.append(kpi.basis)
    cols += list(kpi.needs)
    if kpi.value and kpi.derive is None:
        cols.append(kpi.value)
    if kpi.share_of:
        cols.append(kpi.share_of)
    if kpi.excluded and f"x_{kpi.excluded}" in have:
        cols.append(f"x_{kpi.excluded}")
    return [c for c in dict.fromkeys(cols) if c in have]


def _collect(lf: nw.LazyFrame) -> pd.DataFrame:
    return lf.collect().to_pandas()


# ---------------------------------------------------------------------------------------
# Scope and grouping
# ---------------------------------------------------------------------------------------


def make_ctx(prepared: Prepared, period: str | Period) -> Ctx:
    """The context of one period."""
    tz = prepared.config.timezone
    p = period if isinstance(period, Period) else Period.parse(period, tz)
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


def _scope(kpi: KPI, ctx: Ctx) -> Any:
    if kpi.scope is not None:
        return kpi.scope(ctx)
    if kpi.basis is None:
        return None
    return in_period(kpi.basis, ctx)


def _group_columns(kpi: KPI, by: Sequence[str]) -> list[str]:
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
    for g in _group_columns(kpi, by):
        if g is None or g not in cols:
            label = "month" if g is None else g
            out.append(f"column {label} in {kpi.table} (to group by it)")
    return out


# ---------------------------------------------------------------------------------------
# Aggregations for the standard kinds
# ---------------------------------------------------------------------------------------


def _aggs(kpi: KPI, ctx: Ctx, cols: set[str]) -> dict[str, Any]:
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


def _finish(kpi: KPI, row: dict, ctx: Ctx) -> Result:
    k = kpi.id
    get = lambda name: _num(row.get(f"{k}__{name}"))  # noqa: E731
    if kpi.kind == "custom":
        parts = {
            key.split("__", 1)[1]: _num(val) for key, val in row.items() if key.startswith(f"{k}__")
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


def _num(x: Any) -> float:
    if x is None:
        return math.nan
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


# ---------------------------------------------------------------------------------------
# The engine
# ---------------------------------------------------------------------------------------


@dataclass
class Request:
    """What to compute: which KPIs, for which period, grouped how, on which backend."""

    period: str | Period = "all"
    by: tuple[str, ...] = ()
    kpis: tuple[str, ...] | None = None
    backend: Backend = "pandas"
    include_internal: bool = False
    results: dict[str, pd.DataFrame] = field(default_factory=dict)


def _fill_groups(lf: nw.LazyFrame, groups: list[str]) -> nw.LazyFrame:
    if not groups:
        return lf
    return lf.with_columns(*[nw.col(g).cast(nw.String).fill_null(MISSING_GROUP) for g in groups])


def _table_query(
    frames: Frames, table: str, kpis: list[KPI], ctx: Ctx, groups_of: dict[str, list[str]]
) -> dict[str, pd.DataFrame]:
    """Run the aggregation KPIs of one table (one query per distinct scope and grouping)."""
    out: dict[str, pd.DataFrame] = {}
    cols = set(frames.columns(table))
    batches: dict[tuple, list[KPI]] = {}
    for kpi in kpis:
        key = (kpi.basis if kpi.scope is None else f"scope:{kpi.id}", tuple(groups_of[kpi.id]))
        batches.setdefault(key, []).append(kpi)
    for (_key, groups), batch in batches.items():
        needed = [c for k in batch for c in kpi_columns(k, groups, cols)]
        lf = frames.frame(table, list(dict.fromkeys(needed)))
        scope = _scope(batch[0], ctx)
        if scope is not None:
            lf = lf.filter(scope)
        derived: dict[str, Any] = {}
        for kpi in batch:
            if kpi.derive is not None:
                derived.update(kpi.derive(ctx))
        if derived:
            lf = lf.with_columns(**derived)
        groups = list(groups)
        lf = _fill_groups(lf, groups)
        aggs: dict[str, Any] = {}
        for kpi in batch:
            aggs.update(_aggs(kpi, ctx, cols | set(derived)))
        exprs = [e.alias(name) for name, e in aggs.items()]
        res = _collect(lf.group_by(*groups).agg(*exprs) if groups else lf.select(*exprs))
        if not groups and res.empty:
            res = pd.DataFrame([{name: math.nan for name in aggs}])
        if groups:
            res = res.sort_values(groups, kind="stable").reset_index(drop=True)
        for kpi in batch:
            records = []
            for row in res.to_dict(orient="records"):
                r = _finish(kpi, row, _group_ctx(ctx, kpi, row))
                rec = {g: row[g] for g in groups}
                rec.update(_record(kpi, r, row.get(f"{kpi.id}__x")))
                records.append(rec)
            out[kpi.id] = _frame(records, groups)
    return out


def _values_query(
    frames: Frames, kpis: list[KPI], ctx: Ctx, groups: list[str]
) -> dict[str, pd.DataFrame]:
    """Collect the columns of ``values``/``quantile`` KPIs and reduce them per group.

    KPIs passed together share their table, scope and grouping, so one query serves them.
    """
    first = kpis[0]
    cols_all = frames.columns(first.table)
    needed = list(dict.fromkeys(c for k in kpis for c in kpi_columns(k, groups, cols_all)))
    lf = frames.frame(first.table, needed)
    scope = _scope(first, ctx)
    if scope is not None:
        lf = lf.filter(scope)
    for k in kpis:
        if k.derive is not None:
            lf = lf.with_columns(**k.derive(ctx))
    lf = _fill_groups(lf, groups)
    data = _collect(lf)
    out: dict[str, pd.DataFrame] = {}
    parts = list(data.groupby(groups, sort=True, dropna=False)) if groups else [((), data)]
    for kpi in kpis:
        xcol = f"x_{kpi.excluded}" if kpi.excluded else None
        records = []
        for key, part in parts:
            key = key if isinstance(key, tuple) else (key,)
            rec = dict(zip(groups, key, strict=True))
            gctx = _group_ctx(ctx, kpi, rec)
            r = kpi.reduce(part, gctx) if kpi.reduce is not None else _quantile_result(kpi, part)
            x = part[xcol].sum() if xcol and xcol in part else None
            rec.update(_record(kpi, r, x))
            records.append(rec)
        out[kpi.id] = _frame(records, groups)
    return out


def _group_ctx(ctx: Ctx, kpi: KPI, row: dict) -> Ctx:
    """The context with the group's month, when results are grouped by month."""
    month = row.get(kpi.month_column) if kpi.month_column else None
    if isinstance(month, str) and month != MISSING_GROUP:
        return replace(ctx, month=month)
    return ctx


def _quantile_result(kpi: KPI, part: pd.DataFrame) -> Result:
    values = part[kpi.value].to_numpy(dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return empty_result()
    v = float(np.quantile(values, kpi.q))
    lo, hi = quantile_interval(values, kpi.q)
    return Result(v * kpi.scale, float(values.size), lo * kpi.scale, hi * kpi.scale)


def _record(
    kpi: KPI, r: Result, excluded: Any = 0, available: bool = True, judge_sample: bool | None = None
) -> dict:
    """One tidy record of a KPI result (the only place records are built).

    ``judge_sample`` says whether ``low_sample`` applies (by default: not for counts and
    sums, whose n is the value itself).
    """
    ex = _num(excluded)
    judge = kpi.kind not in ("count", "sum", "ratio") if judge_sample is None else judge_sample
    return {
        "kpi": kpi.id, "value": r.value, "unit": kpi.unit, "n": r.n,
        "ci_low": r.ci_low, "ci_high": r.ci_high,
        "low_sample": bool(low_sample(r.n)) if judge and available else False,
        "excluded": 0 if math.isnan(ex) else int(ex),
        "available": available, "note": r.note,
    }  # fmt: skip


def _frame(records: list[dict], groups: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=[*groups, *RESULT_COLUMNS])


def _unavailable(kpi: KPI, missing: list[str], by: Sequence[str]) -> pd.DataFrame:
    rec = {g: None for g in by}
    note = _("not available: {why}").format(why=_("needs {what}").format(what="; ".join(missing)))
    rec.update(_record(kpi, Result(math.nan, 0.0, note=note), available=False))
    return pd.DataFrame([rec], columns=[*by, *RESULT_COLUMNS])


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


def _ratio(kpi: KPI, parts: dict[str, pd.DataFrame], by: Sequence[str]) -> pd.DataFrame:
    """value = sum(numerators) / sum(denominators) × factor, joined on the group columns.

    A part whose table is absent counts as 0 when others are present (e.g. contacts
    without a calls table are the tickets alone); if every numerator or every
    denominator is unavailable, so is the ratio.
    """
    num_ids, den_ids, factor = kpi.ratio
    keys = list(by)
    nums = [parts[i] for i in num_ids if parts[i]["available"].all()]
    dens = [parts[i] for i in den_ids if parts[i]["available"].all()]
    if not nums or not dens:
        notes = sorted(
            {
                f"{i} ({parts[i]['note'].iloc[0].removeprefix('not available: ')})"
                for i in (*num_ids, *den_ids)
                if not parts[i]["available"].all()
            }
        )
        return _unavailable(kpi, notes, by)
    num = _sum_parts(nums, keys, "num")
    den = _sum_parts(dens, keys, "den")
    merged = num.merge(den, on=keys, how="outer") if keys else pd.concat([num, den], axis=1)
    records = []
    for row in merged.to_dict(orient="records"):
        d, nval = _num(row.get("den")), _num(row.get("num"))
        ok = not math.isnan(d) and d != 0 and not math.isnan(nval)
        rec = {g: row[g] for g in keys}
        value = nval / d * factor if ok else math.nan
        rec.update(_record(kpi, Result(value, 0.0 if math.isnan(d) else d)))
        records.append(rec)
    return _frame(records, keys)


def _share(kpi: KPI, frames: Frames, ctx: Ctx, groups: list[str]) -> pd.DataFrame:
    """Share of rows in each value of ``share_of`` within each group (Wilson intervals)."""
    lf = frames.frame(kpi.table, kpi_columns(kpi, groups, frames.columns(kpi.table)))
    lf = lf.filter(_scope(kpi, ctx))
    col = kpi.share_of
    allg = list(dict.fromkeys([*groups, col]))
    lf = _fill_groups(lf, allg)
    counts = _collect(lf.group_by(*allg).agg(nw.len().alias("k")))
    counts["k"] = counts["k"].astype(float)
    if groups:
        counts["total"] = counts.groupby(groups)["k"].transform("sum")
    else:
        counts["total"] = counts["k"].sum()
    records = []
    for row in counts.sort_values(allg).to_dict(orient="records"):
        lo, hi = wilson_interval(row["k"], row["total"])
        rec = {g: row[g] for g in allg}
        rec.update(_record(kpi, Result(row["k"] / row["total"], row["total"], lo, hi)))
        records.append(rec)
    return pd.DataFrame(records, columns=[*allg, *RESULT_COLUMNS])


def compute(
    prepared: Prepared,
    period: str | Period = "all",
    by: Iterable[str] = (),
    kpis: Iterable[str] | None = None,
    backend: Backend = "pandas",
    include_internal: bool = False,
) -> pd.DataFrame:
    """Compute KPIs for one period as tidy records.

    Parameters
    ----------
    prepared : Prepared
        Output of :func:`csmetrics.prepare.prepare`.
    period : str or Period
        ``YYYY-MM``, ``YYYY-Qn``, ``YYYY`` or ``all``.
    by : iterable of str
        Group columns (``channel``, ``team``, ``agent_id``, ``priority``, ``category``,
        ``queue``, any extra column) or ``month`` for trends.
    kpis : iterable of str, optional
        KPI ids (default: every KPI of the registry).
    backend : {"pandas", "duckdb"}
        Where the aggregations run.

    Returns
    -------
    DataFrame
        ``[<group columns>, kpi, value, unit, n, ci_low, ci_high, low_sample, excluded,
        available, note]``; a KPI whose data is missing has ``available`` False and a note
        naming the table or column it needs, never a zero.
    """
    from .registry import REGISTRY, get

    by = list(by)
    ctx = make_ctx(prepared, period)
    frames = Frames(prepared, backend)
    wanted = (
        [get(k) for k in kpis]
        if kpis is not None
        else [k for k in REGISTRY.values() if include_internal or not k.internal]
    )
    # ratios need their parts
    order: dict[str, KPI] = {}

    def add(k: KPI) -> None:
        if k.ratio:
            for part in (*k.ratio[0], *k.ratio[1]):
                add(get(part))
        order.setdefault(k.id, k)

    for k in wanted:
        add(k)
    results: dict[str, pd.DataFrame] = {}
    groups_of = {k.id: _group_columns(k, by) for k in order.values()}
    agg_kpis: dict[str, list[KPI]] = {}
    value_batches: dict[tuple, list[KPI]] = {}
    for k in order.values():
        if k.kind == "ratio":
            continue
        missing = missing_columns(k, frames, by)
        if missing:
            results[k.id] = _unavailable(k, missing, by)
        elif k.kind in ("values", "quantile"):
            key = (k.table, k.basis if k.scope is None else f"scope:{k.id}", tuple(groups_of[k.id]))
            value_batches.setdefault(key, []).append(k)
        elif k.kind == "share":
            results[k.id] = _share(k, frames, ctx, groups_of[k.id])
        else:
            agg_kpis.setdefault(k.table, []).append(k)
    for (_table, _basis, groups), ks in value_batches.items():
        results.update(_values_query(frames, ks, ctx, list(groups)))
    for table, ks in agg_kpis.items():
        results.update(_table_query(frames, table, ks, ctx, groups_of))
    if "monthly_metrics" in prepared.tables:
        for k in order.values():
            if k.kind != "ratio" and not results[k.id]["available"].any():
                fallback = from_monthly(prepared, k, ctx, by)
                if fallback is not None:
                    results[k.id] = fallback
    for k in order.values():
        if k.kind == "ratio":
            results[k.id] = _ratio(
                k, {p: _as_by(results[p], by, get(p)) for p in (*k.ratio[0], *k.ratio[1])}, by
            )
    frames_out = []
    for k in wanted:
        df = _as_by(results[k.id], by, k)
        frames_out.append(df)
    extra = [c for f in frames_out for c in f.columns if c not in by and c not in RESULT_COLUMNS]
    cols = [*by, *dict.fromkeys(extra), *RESULT_COLUMNS]
    out = pd.concat(
        [f.reindex(columns=cols) for f in frames_out if not f.empty]
        or [pd.DataFrame(columns=cols)],
        ignore_index=True,
    )
    out["period"] = ctx.period.label
    return out


def from_monthly(prepared: Prepared, kpi: KPI, ctx: Ctx, by: Sequence[str]) -> pd.DataFrame | None:
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
    additive = kpi.kind in ("count", "sum")
    for key, part in parts:
        key = key if isinstance(key, tuple) else (key,)
        rec = dict(zip(groups, key, strict=True))
        values = part["value"].astype(float)
        n = part["n"].astype(float) if "n" in part else pd.Series(np.nan, index=part.index)
        note = ngettext(
            "from monthly_metrics ({n} month)", "from monthly_metrics ({n} months)", len(part)
        ).format(n=len(part))
        lo = hi = math.nan
        if part.empty:
            value, total = math.nan, 0.0
        elif additive:
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
        rec.update(_record(kpi, Result(value, n_out, lo, hi, note), judge_sample=False))
        records.append(rec)
    if not records:
        empty = Result(math.nan, 0.0, note=_("from monthly_metrics (no month in the period)"))
        records.append({**{g: None for g in groups}, **_record(kpi, empty)})
    return pd.DataFrame(records, columns=[*groups, *RESULT_COLUMNS])


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


def _as_by(df: pd.DataFrame, by: Sequence[str], kpi: KPI) -> pd.DataFrame:
    """Rename a KPI's own month column back to ``month``."""
    if "month" in by and kpi.month_column and kpi.month_column in df.columns:
        df = df.rename(columns={kpi.month_column: "month"})
    return df
