"""The KPI engine: one narwhals code path for pandas and DuckDB.

A KPI (see :mod:`csmetrics.kpis.registry`) says which prepared table it reads, which
rows are in scope for a period, which columns it derives, how it aggregates and how
the aggregates become a value with ``n`` and a 95% interval. The engine groups the
KPIs that share a table, filters, groups and aggregates them in one query per table
(narwhals, so the same code runs on a pandas frame or a DuckDB relation), and then
finishes each record in plain Python.

The parts: :mod:`~csmetrics.kpis.frames` (backends), :mod:`~csmetrics.kpis.scope`
(periods, groups, missing columns), :mod:`~csmetrics.kpis.queries` (aggregations),
:mod:`~csmetrics.kpis.combine` (ratios and shares), :mod:`~csmetrics.kpis.monthly`
(the ``monthly_metrics`` fallback) and :mod:`~csmetrics.kpis.records` (tidy records);
this module plans a computation and puts the results together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from ..periods import Period
from .base import KPI, Backend, Ctx, PreparedData, Ratio, Result, empty_result
from .combine import ratio, share
from .frames import MISSING_GROUP, Frames, kpi_columns
from .memo import results_memo
from .monthly import from_monthly
from .queries import table_query, values_query
from .records import RESULT_COLUMNS, as_by, unavailable
from .registry import REGISTRY, get
from .scope import SOURCE_COLUMNS, group_columns, in_period, make_ctx, missing_columns

__all__ = [
    "KPI",
    "MISSING_GROUP",
    "RESULT_COLUMNS",
    "SOURCE_COLUMNS",
    "Backend",
    "Ctx",
    "Frames",
    "Ratio",
    "Request",
    "Result",
    "compute",
    "empty_result",
    "from_monthly",
    "in_period",
    "kpi_columns",
    "make_ctx",
    "missing_columns",
]


@dataclass
class Request:
    """What to compute: which KPIs, for which period, grouped how, on which backend."""

    period: str | Period = "all"
    by: tuple[str, ...] = ()
    kpis: tuple[str, ...] | None = None
    backend: Backend = "pandas"
    include_internal: bool = False
    results: dict[str, pd.DataFrame] = field(default_factory=dict)


def _with_parts(wanted: list[KPI]) -> dict[str, KPI]:
    """The KPIs to compute: the wanted ones, each ratio preceded by its parts."""
    order: dict[str, KPI] = {}

    def add(k: KPI) -> None:
        if k.ratio:
            for part in k.ratio.parts:
                add(get(part))
        order.setdefault(k.id, k)

    for k in wanted:
        add(k)
    return order


def _measured(
    order: dict[str, KPI], frames: Frames, ctx: Ctx, by: list[str]
) -> dict[str, pd.DataFrame]:
    """The results of every KPI but the ratios: one query per table, scope and grouping."""
    results: dict[str, pd.DataFrame] = {}
    groups_of = {k.id: group_columns(k, by) for k in order.values()}
    agg_kpis: dict[str, list[KPI]] = {}
    value_batches: dict[tuple, list[KPI]] = {}
    for k in order.values():
        if k.kind == "ratio":
            continue
        missing = missing_columns(k, frames, by)
        if missing:
            results[k.id] = unavailable(k, missing, by)
        elif k.kind in ("values", "quantile"):
            key = (k.table, k.basis if k.scope is None else f"scope:{k.id}", tuple(groups_of[k.id]))
            value_batches.setdefault(key, []).append(k)
        elif k.kind == "share":
            results[k.id] = share(k, frames, ctx, groups_of[k.id])
        else:
            agg_kpis.setdefault(k.table, []).append(k)
    for (_table, _basis, groups), ks in value_batches.items():
        results.update(values_query(frames, ks, ctx, list(groups)))
    for table, ks in agg_kpis.items():
        results.update(table_query(frames, table, ks, ctx, groups_of))
    return results


def _monthly_fallbacks(
    results: dict[str, pd.DataFrame],
    order: dict[str, KPI],
    prepared: PreparedData,
    ctx: Ctx,
    by: list[str],
) -> None:
    """Replace, from ``monthly_metrics``, the results of KPIs available in no group."""
    if "monthly_metrics" not in prepared.tables:
        return
    for k in order.values():
        if k.kind != "ratio" and not results[k.id]["available"].any():
            fallback = from_monthly(prepared, k, ctx, by)
            if fallback is not None:
                results[k.id] = fallback


def _assemble(
    results: dict[str, pd.DataFrame], wanted: list[KPI], by: list[str], label: str
) -> pd.DataFrame:
    """The wanted KPIs' results as one frame, in the order they were asked for."""
    frames_out = [as_by(results[k.id], by, k) for k in wanted]
    extra = [c for f in frames_out for c in f.columns if c not in by and c not in RESULT_COLUMNS]
    cols = [*by, *dict.fromkeys(extra), *RESULT_COLUMNS]
    out = pd.concat(
        [f.reindex(columns=cols) for f in frames_out if not f.empty]
        or [pd.DataFrame(columns=cols)],
        ignore_index=True,
    )
    out["period"] = label
    return out


def compute(
    prepared: PreparedData,
    period: str | Period = "all",
    by: Iterable[str] = (),
    kpis: Iterable[str] | None = None,
    backend: Backend | None = None,
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
    backend : {"pandas", "duckdb"}, optional
        Where the aggregations run (default: ``engine.name`` of the data's
        ``csmetrics.yaml``, else pandas); both give the same records.

    Returns
    -------
    DataFrame
        ``[<group columns>, kpi, value, unit, n, ci_low, ci_high, low_sample, excluded,
        available, note]``; a KPI whose data is missing has ``available`` False and a note
        naming the table or column it needs, never a zero.

    Examples
    --------
    >>> import pandas as pd
    >>> import csmetrics as cm
    >>> tickets = pd.DataFrame({
    ...     "ticket_id": ["T1", "T2", "T3"],
    ...     "created_at": ["2026-10-01 09:00", "2026-10-02 10:00", "2026-10-03 11:00"],
    ...     "channel": ["email", "chat", "email"],
    ...     "first_response_at": ["2026-10-01 11:00", "2026-10-02 10:30", None],
    ... })
    >>> prepared = cm.prepare(cm.from_frames({"tickets": tickets}, {"timezone": "Europe/Lisbon"}))
    >>> kpis = ["tickets_created", "frt_median_h"]
    >>> compute(prepared, "2026-10", by=["channel"], kpis=kpis)[["channel", "kpi", "value"]]
      channel              kpi  value
    0    chat  tickets_created    1.0
    1   email  tickets_created    2.0
    2    chat     frt_median_h    0.5
    3   email     frt_median_h    2.0
    """
    by = list(by)
    ctx = make_ctx(prepared, period)
    wanted = _wanted(kpis, include_internal)
    order = _with_parts(wanted)
    engine = backend or prepared.config.engine.name
    results = _results(order, prepared, ctx, by, engine)
    return _assemble(results, wanted, by, ctx.period.label)


def _results(
    order: dict[str, KPI], prepared: PreparedData, ctx: Ctx, by: list[str], engine: str
) -> dict[str, pd.DataFrame]:
    """The records of every KPI of ``order``: measured, or reused where a memo is on
    (:mod:`csmetrics.kpis.memo`)."""
    memo = results_memo(prepared, ctx, by, engine)
    results = {} if memo is None else {i: memo[i] for i in order if i in memo}
    todo = {i: k for i, k in order.items() if i not in results}
    if todo:
        results.update(_measured(todo, Frames(prepared, engine), ctx, by))
        _monthly_fallbacks(results, todo, prepared, ctx, by)
        _combine_ratios(results, todo, by)
        if memo is not None:
            memo.update({i: results[i] for i in todo})
    return results


def _wanted(kpis: Iterable[str] | None, include_internal: bool) -> list[KPI]:
    """The KPIs asked for: ``kpis`` in their order, else the registry's (public ones
    unless ``include_internal``)."""
    if kpis is not None:
        return [get(k) for k in kpis]
    return [k for k in REGISTRY.values() if include_internal or not k.internal]


def _combine_ratios(results: dict, order: dict[str, KPI], by: list[str]) -> None:
    """Each ratio KPI of ``order`` from its measured parts, into ``results``."""
    for k in order.values():
        if k.kind == "ratio":
            parts = {p: as_by(results[p], by, get(p)) for p in k.ratio.parts}
            results[k.id] = ratio(k, parts, by)
