"""Reusing KPI results while prepared data cannot change.

A report measures the same KPI for the same period many times: the scorecard, the
trend charts, the checklist and the findings each ask for their own mix of KPIs, month
by month (about 570 KPI×month results for the bundled sample, 280 of them distinct).
Within a block where the prepared data is read-only, :func:`reusing_results` lets
:func:`csmetrics.kpis.compute` keep each KPI's result for its period, grouping and
engine, and measure only the KPIs it has not measured yet. A result is the same object
whether it was measured or reused: the memo stores the records ``compute`` itself made.

Outside such a block nothing is kept: a user may change ``prepared.tables`` between two
calls and always gets results of the tables as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..i18n import get_language
from .base import Ctx, PreparedData

#: The key of the memo in ``Prepared.cache`` (not pickled with the prepared data).
MEMO = "kpi-results"


@contextmanager
def reusing_results(prepared: PreparedData) -> Iterator[None]:
    """Within the block, :func:`~csmetrics.kpis.compute` reuses the results it already
    measured on ``prepared`` (which must not change meanwhile).

    Nested blocks share the outer block's memo; the memo goes when the outermost block
    ends.

    Examples
    --------
    >>> with reusing_results(prepared):                                 # doctest: +SKIP
    ...     a = compute(prepared, "2026-10", kpis=["fcr_rate"])
    ...     b = compute(prepared, "2026-10", kpis=["fcr_rate", "csat_score"])  # FCR reused
    """
    cache = getattr(prepared, "cache", None)
    if cache is None or MEMO in cache:
        yield
        return
    cache[MEMO] = {}
    try:
        yield
    finally:
        cache.pop(MEMO, None)


def keep_results(prepared: PreparedData, results: dict | None = None) -> None:
    """Reuse results on ``prepared`` for as long as it lives: for prepared data nothing
    changes any more, such as what a report hands to its notebooks.

    ``results``: results measured on the same data elsewhere (:func:`kept_results` of
    the report's own process, handed to its notebooks), reused from the start.
    """
    cache = getattr(prepared, "cache", None)
    if cache is not None:
        memo = cache.setdefault(MEMO, {})
        for key, found in (results or {}).items():
            memo.setdefault(key, {}).update(found)


def kept_results(prepared: PreparedData) -> dict:
    """The results kept on ``prepared`` so far (empty outside :func:`reusing_results`
    and :func:`keep_results`), to hand to :func:`keep_results` of a copy of the same
    prepared data in another process."""
    memo = getattr(prepared, "cache", {}).get(MEMO) or {}
    return {key: dict(found) for key, found in memo.items()}


def results_memo(prepared: PreparedData, ctx: Ctx, by: list[str], engine: str) -> dict | None:
    """The results kept for this period, grouping, engine and language (KPI id → records),
    or None outside :func:`reusing_results` and :func:`keep_results`."""
    memo: dict[Any, dict] | None = getattr(prepared, "cache", {}).get(MEMO)
    if memo is None:
        return None
    # notes of unavailable KPIs are written in the current language
    key = (ctx.period.label, ctx.start_s, ctx.end_s, ctx.as_of_s, tuple(by), engine, get_language())
    return memo.setdefault(key, {})
