"""The types every part of the KPI package shares: a KPI's definition, its context, its result.

This module is the bottom of :mod:`csmetrics.kpis`: the catalogue modules, the registry
and the engine import it, and it imports none of them. It does not import the
data-preparation layer either: what a KPI may read of a prepared dataset is the
:class:`PreparedData` protocol, which :class:`csmetrics.prepare.Prepared` satisfies.

>>> r = Ratio(numerator=("revenue",), denominator=("active_customers",))
>>> r.parts, r.scale
(('revenue', 'active_customers'), 1.0)
>>> empty_result("fewer than two incidents").n
0.0
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import pandas as pd

from ..i18n import _
from ..periods import Period

#: Hours per second: the ``scale`` of a KPI kept in seconds and shown in hours.
H = 1 / 3600

#: Basis columns: the instant (or month) that puts a row in a period.
CREATED, RESOLVED, ARRIVED, ANSWERED = "created_ts", "resolved_ts", "arrived_ts", "answered_ts"
MONTH = "period_month"

Backend = Literal["pandas", "duckdb"]
Direction = Literal["higher", "lower", "neutral"]
Kind = Literal["count", "sum", "mean", "quantile", "rate", "nps", "custom", "values", "ratio",
               "share"]  # fmt: skip


class PreparedData(Protocol):
    """What the KPI package reads of a prepared dataset (:class:`csmetrics.prepare.Prepared`)."""

    tables: dict[str, pd.DataFrame]
    config: Any
    cache: dict

    @property
    def as_of_s(self) -> float:
        """The as-of instant in epoch seconds."""

    def __getitem__(self, name: str) -> pd.DataFrame:
        """Prepared table ``name``."""


@dataclass(frozen=True)
class Ctx:
    """What a KPI may know about the period being measured (all instants in epoch seconds)."""

    period: Period
    start_s: float | None
    end_s: float | None
    as_of_s: float
    months: tuple[str, ...] | None
    config: Any
    prepared: PreparedData
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
class Ratio:
    """How a ``ratio`` KPI combines other KPIs: Σ numerator / Σ denominator × ``scale``.

    Each part is a KPI id; the engine computes the parts first and joins them on the
    group columns.
    """

    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    scale: float = 1.0

    @property
    def parts(self) -> tuple[str, ...]:
        """The ids of the numerator's KPIs, then the denominator's."""
        return (*self.numerator, *self.denominator)


@dataclass(frozen=True)
class KPI:
    """One measure. See the module docstring of :mod:`csmetrics.kpis.registry`."""

    id: str
    label_en: str
    category: str
    unit: str
    direction: Direction
    source: str
    formula_en: str
    table: str
    needs: tuple[str, ...] = ()
    kind: Kind = "count"
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
    ratio: Ratio | None = None
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
