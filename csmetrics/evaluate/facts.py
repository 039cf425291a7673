"""The evidence of an evaluation: KPI values of the period, the previous period and the
year before, computed once, and the significance of their changes.

:class:`_Facts` is the evaluation's one source of numbers: the judges, the analysis and
the recommendations read KPI values, targets and breakdowns from it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from .. import analysis
from ..checklist import targets_in_force
from ..i18n import _
from ..kpis import KPI, compute, direction, get, public_kpis
from ..periods import Period
from ..prepare import Prepared
from ..stats import mann_whitney, nps_difference, poisson_rate_test, two_proportion_test
from ..summary import status_for
from .model import ALPHA, Change, Evidence


class _Facts:
    """KPI values of the period, the previous period and the year before, computed once."""

    def __init__(
        self, prepared: Prepared, period: Period, compared: Period | None, year: Period | None
    ) -> None:
        self.prepared = prepared
        self.period = period
        self.compared = compared
        self.year = year
        self.cfg = prepared.config
        self.in_force = targets_in_force(self.cfg)
        self._cache: dict[Any, pd.DataFrame] = {}
        self._rows: dict[tuple[str, str], dict | None] = {}

    def records(self, which: str, by: tuple[str, ...] = ()) -> pd.DataFrame:
        """Every public KPI of the period (``now``), the compared one (``prev``) or the
        year before (``year``), by the columns ``by``: computed once."""
        key = (which, by)
        if key not in self._cache:
            p = {"now": self.period, "prev": self.compared, "year": self.year}[which]
            if p is None:
                self._cache[key] = pd.DataFrame(columns=["kpi", "value", "available"])
            else:
                ids = [k.id for k in public_kpis()]
                self._cache[key] = compute(self.prepared, p, by=list(by), kpis=ids)
        return self._cache[key]

    def row(self, kpi: str, which: str = "now") -> dict | None:
        """The record of ``kpi`` in ``which`` period (None when it is not available)."""
        key = (kpi, which)
        if key not in self._rows:  # each KPI's record is asked for several times
            df = self.records(which)
            m = df[(df["kpi"] == kpi)]
            r = None if m.empty else m.iloc[0].to_dict()
            self._rows[key] = r if r is not None and r["available"] else None
        found = self._rows[key]
        return None if found is None else dict(found)

    def target(self, kpi: str, default: float | None = None) -> float | None:
        """The configured target, else ``default`` (a question's own), else the target in
        force for the KPI (:func:`targets_in_force`: the one the scorecard shows)."""
        t = self.cfg.targets.get(kpi)
        if t is not None:
            return float(t)
        if default is not None:
            return float(default)
        found = self.in_force.get(kpi)
        return None if found is None else found.value

    def evidence(self, kpi: str, default_target: float | None = None) -> Evidence:
        """``kpi`` in the period against its :meth:`target`, with its changes against
        the compared period and the year before (``no_data`` without observations)."""
        k = get(kpi)
        r = self.row(kpi)
        target = self.target(kpi, default_target)
        better = direction(k, self.cfg)
        # a count over no rows at all (an empty period) is no observation, not a zero
        if r is None or pd.isna(r["value"]) or (k.kind == "count" and not r["n"]):
            note = ""
            df = self.records("now")
            m = df[df["kpi"] == kpi]
            if len(m) and not m["available"].iloc[0]:
                note = str(m["note"].iloc[0])
            return Evidence(
                kpi,
                k.label,
                k.unit,
                math.nan,
                math.nan,
                math.nan,
                0.0,
                target,
                "no_data",
                note=note or _("no observations in the period"),
            )
        ev = _row_evidence(k, r, target, status_for(float(r["value"]), target, better))
        ev.previous = self.change(kpi, "prev")
        ev.year_before = self.change(kpi, "year")
        return ev

    def change(self, kpi: str, which: str) -> Change | None:
        """The change of ``kpi`` against ``prev`` or ``year`` and its significance (None
        when either period has nothing observed)."""
        p = self.compared if which == "prev" else self.year
        now, other = self.row(kpi), self.row(kpi, which)
        if p is None or now is None or other is None or pd.isna(other["value"]):
            return None
        if not other["n"] or not now["n"]:  # nothing observed: a zero count would be made up
            return None
        k = get(kpi)
        diff = float(now["value"]) - float(other["value"])
        p_value, test = significance(self.prepared, k, now, other, self.period, p)
        sig = None if p_value is None or math.isnan(p_value) else bool(p_value < ALPHA)
        return Change(p.label, float(other["value"]), diff, _f(p_value), sig, test)


def _f(x: Any) -> float:
    """``x`` as a float, NaN when it is none (an interval bound that was not computed)."""
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _row_evidence(
    k: KPI, row: Any, target: float | None, status: str, by: str | None = None, note: str = ""
) -> Evidence:
    """The evidence of one computed record of ``k`` (its value, interval and n); with
    ``by``, the record of one group of that column."""
    return Evidence(
        k.id,
        k.label,
        k.unit,
        float(row["value"]),
        _f(row["ci_low"]),
        _f(row["ci_high"]),
        float(row["n"]),
        target,
        status,
        group={by: str(row[by])} if by is not None else None,
        note=note,
    )


def _days(p: Period) -> float:
    """The length of a period in days (NaN for ``all``)."""
    return (p.end - p.start).total_seconds() / 86400 if p.start is not None else math.nan


def kpi_values(prepared: Prepared, kpi, period: Period) -> np.ndarray:
    """The raw observations behind a mean or quantile KPI in a period (scaled)."""
    if not kpi.value or not kpi.basis or kpi.table not in prepared.tables:
        return np.array([])
    df = prepared.tables[kpi.table]
    if kpi.value not in df or kpi.basis not in df:
        return np.array([])
    rows = analysis.rows_in(prepared, kpi.table, kpi.basis, period)
    return rows[kpi.value].dropna().to_numpy(dtype=float) * kpi.scale


def significance(
    prepared: Prepared, kpi, now: dict, other: dict, period: Period, other_period: Period
) -> tuple[float | None, str]:
    """p-value of the change of one KPI between two periods, and the test used.

    Rates: two-proportion z-test; durations and scores: Mann–Whitney U on the raw
    observations; NPS: the interval of the difference (p-value from its z); counts:
    the exact conditional test of two Poisson rates per day. Accounting totals and
    ratios (costs, revenue) are not samples and are not tested.
    """
    if kpi.kind == "rate":
        n1, n2 = float(now["n"]), float(other["n"])
        s1, s2 = float(now["value"]) * n1, float(other["value"]) * n2
        return two_proportion_test(s1, n1, s2, n2), "two-proportion z-test"
    if kpi.kind in ("mean", "quantile"):
        x = kpi_values(prepared, kpi, period)
        y = kpi_values(prepared, kpi, other_period)
        if x.size and y.size:
            return mann_whitney(x, y), "Mann–Whitney U"
        return None, "not tested (no raw observations)"
    if kpi.id == "nps":
        mix_now = analysis.nps_mix(prepared, period)
        mix_other = analysis.nps_mix(prepared, other_period)
        if mix_now.empty or mix_other.empty:
            return None, "not tested"
        a, b = mix_now.iloc[0], mix_other.iloc[0]
        diff, lo, hi = nps_difference(
            a.promoters, a.detractors, a.n, b.promoters, b.detractors, b.n
        )
        if math.isnan(diff) or hi == lo:
            return None, "NPS difference interval"
        se = (hi - lo) / (2 * 1.959963984540054)
        return float(2 * special.ndtr(-abs(diff) / se)) if se else 1.0, "NPS difference interval"
    if kpi.kind == "count" and kpi.basis:
        return (
            poisson_rate_test(
                float(now["value"]), _days(period), float(other["value"]), _days(other_period)
            ),
            "Poisson rate test (per day)",
        )
    return None, "not tested (an accounting figure, not a sample)"


def _group_records(f: _Facts, kpi: str, by: str) -> pd.DataFrame:
    """The available values of ``kpi`` in the period by ``by``, without the group of
    missing values (no rows when the column is not there)."""
    df = f.records("now", (by,))
    df = df[(df["kpi"] == kpi) & df["available"] & df["value"].notna()]
    return df[df[by] != "(missing)"] if by in df else df.iloc[0:0]
