"""KPI families: the median, 90th percentile and mean of one duration, made by one factory.

>>> from csmetrics.kpis.base import H
>>> median, mean = duration_family(
...     "wait", label="Wait", category="effectiveness", direction="lower", source="002",
...     table="calls", basis="arrived_ts", value="wait_s", excluded="wait_s",
...     formulas={"median": "median wait", "mean": "mean wait"},
... )
>>> median.id, median.label_en, median.kind, median.q, median.interval, median.headline
('wait_median_h', 'Wait, median', 'quantile', 0.5, 'order statistics', True)
>>> mean.id, mean.label_en, mean.kind, mean.interval, mean.scale == H
('wait_mean_h', 'Wait, mean', 'mean', 't', True)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import KPI, H

#: The members a duration family may have: the fields each sets, and its label's ending.
STATISTICS: dict[str, dict[str, Any]] = {
    "median": {"kind": "quantile", "q": 0.5, "interval": "order statistics", "label": "median"},
    "p90": {
        "kind": "quantile",
        "q": 0.9,
        "interval": "order statistics",
        "label": "90th percentile",
    },
    "mean": {"kind": "mean", "interval": "t", "label": "mean"},
}


def duration_family(
    stem: str,
    *,
    label: str,
    formulas: Mapping[str, str],
    labels: Mapping[str, str] | None = None,
    headline: str | None = "median",
    unit: str = "h",
    scale: float = H,
    **shared: Any,
) -> tuple[KPI, ...]:
    """The KPIs of one duration, one per statistic of ``formulas`` (in its order).

    Parameters
    ----------
    stem : str
        Start of the ids: ``{stem}_{statistic}_{unit}`` (e.g. ``frt_median_h``).
    label : str
        Start of the English labels: ``"{label}, median"``, ``"{label}, 90th percentile"``,
        ``"{label}, mean"``.
    formulas : mapping of str to str
        ``{statistic: English formula}``, statistics among :data:`STATISTICS`.
    labels : mapping of str to str, optional
        An English label of its own for some statistics (instead of the made one).
    headline : str or None
        The statistic that is a headline KPI (default the median), if any.
    unit, scale : str, float
        The members' unit and the factor from ``value`` to it (default seconds → hours).
    **shared
        The other fields the members share (``category``, ``direction``, ``source``,
        ``table``, ``basis``, ``value``, ``excluded``: see :class:`~csmetrics.kpis.base.KPI`).

    Returns
    -------
    tuple of KPI
        One KPI per statistic, in the order of ``formulas``.
    """
    own_labels = labels or {}
    out = []
    for stat, formula in formulas.items():
        ending, fields = _statistic(stat)
        out.append(
            KPI(
                id=f"{stem}_{stat}_{unit}",
                label_en=own_labels.get(stat, f"{label}, {ending}"),
                unit=unit,
                formula_en=formula,
                scale=scale,
                headline=stat == headline,
                **shared,
                **fields,
            )
        )
    return tuple(out)


def _statistic(stat: str) -> tuple[str, dict[str, Any]]:
    """The label ending and the KPI fields of a statistic of :data:`STATISTICS`."""
    if stat not in STATISTICS:
        raise ValueError(f"unknown statistic {stat!r}: use one of {', '.join(STATISTICS)}")
    fields = dict(STATISTICS[stat])
    return fields.pop("label"), fields
