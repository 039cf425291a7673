"""Texts of the charts in the report's language: titles, grouping names, month and
weekday ticks, and value axes written with the locale's separators.

Every function takes the language as ``lang`` (default: the current one,
:func:`csmetrics.i18n.set_language`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from matplotlib import ticker
from matplotlib.axes import Axes

from .. import i18n
from ..display import GROUP_NAMES, kpi_label, unit_label
from ..i18n import N_

#: Titles of a KPI compared across the groups of one grouping: one message per grouping,
#: so that each language can say "by channel" in its own words and word order.
BY_GROUP_TITLES = {
    # Translators: {kpi} is a KPI's name, {unit} its unit (%, hours, EUR...)
    "channel": N_("{kpi} by channel ({unit})"),
    "team": N_("{kpi} by team ({unit})"),
    "agent_id": N_("{kpi} by agent id ({unit})"),
    "priority": N_("{kpi} by priority ({unit})"),
    "category": N_("{kpi} by category ({unit})"),
    "queue": N_("{kpi} by queue ({unit})"),
    "month": N_("{kpi} by month ({unit})"),
    # Translators: by survey metric (CSAT, NPS, CES)
    "metric": N_("{kpi} by metric ({unit})"),
}

#: Names of the control charts (``chart`` column of :func:`csmetrics.evaluate.control_chart`).
CHART_NAMES = {
    # Translators: Laney's p-prime control chart (a statistical process control chart)
    "Laney p′-chart": N_("Laney p′-chart"),
    # Translators: the individuals and moving range control chart
    "XmR": N_("XmR"),
}


def group_name(group: str, *, lang: str | None = None) -> str:
    """A grouping (column) as shown to people (``agent_id`` → ``agent id``), translated.

    Examples
    --------
    >>> group_name("agent_id"), group_name("channel"), group_name("site_code")
    ('agent id', 'channel', 'site code')
    >>> group_name("channel", lang="pt")
    'canal'
    """
    if group in GROUP_NAMES:
        return i18n.translate(GROUP_NAMES[group], lang)
    return group.replace("_", " ")


def by_group_title(kpi_label: str, group: str, unit: str, *, lang: str | None = None) -> str:
    """``"<KPI> by <grouping> (<unit>)"`` in ``lang`` (default: the current language).

    Examples
    --------
    >>> by_group_title("First-contact resolution", "channel", "%")
    'First-contact resolution by channel (%)'
    """
    if group in BY_GROUP_TITLES:
        title = i18n.translate(BY_GROUP_TITLES[group], lang)
        return title.format(kpi=kpi_label, unit=unit)
    # Translators: {kpi} is a KPI's name, {group} a grouping (column), {unit} the unit
    title = i18n.translate(N_("{kpi} by {group} ({unit})"), lang)
    return title.format(kpi=kpi_label, group=group_name(group, lang=lang), unit=unit)


def chart_name(kind: str, *, lang: str | None = None) -> str:
    """The name of a control chart (:data:`CHART_NAMES`), translated; others unchanged."""
    return i18n.translate(CHART_NAMES[kind], lang) if kind in CHART_NAMES else kind


def month_labels(months: Iterable, *, lang: str | None = None) -> list[str]:
    """Month ticks (``YYYY-MM``) as the locale's short month and year (``Sep 2026``).

    Examples
    --------
    >>> month_labels(["2026-09", "2026-10"], lang="pl")
    ['wrz 2026', 'paź 2026']
    """
    return [i18n.month(str(m), short=True, lang=lang) for m in months]


def weekday_names(*, lang: str | None = None) -> list[str]:
    """Abbreviated weekday names, Monday first, in the locale (``Mon``...).

    Examples
    --------
    >>> weekday_names()[:2], weekday_names(lang="pt")[0]
    (['Mon', 'Tue'], 'seg.')
    """
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", context="stand-alone", locale=i18n.get_locale(lang))
    return [names[i] for i in range(7)]


def unit_text(unit: str, *, lang: str | None = None) -> str:
    """A KPI's unit as written on an axis or in a title (``%``, ``hours``, ``€``)."""
    return str(unit_label(unit, lang=lang))


def kpi_meta(kpi_id: str, *, lang: str | None = None) -> tuple[str, str]:
    """A KPI's label (in ``lang``, by default the current language) and unit."""
    from ..kpis import get

    k = get(kpi_id)
    return str(kpi_label(k.id, lang=lang)), k.unit


def scale(unit: str) -> tuple[float, str]:
    """Multiply shares by 100 for display; the axis label carries the unit."""
    return (100.0, "%") if unit == "share" else (1.0, unit)


def tick_decimals(locs: Iterable[float], most: int = 4) -> int:
    """The fewest decimals that write every tick location exactly (at most ``most``).

    Examples
    --------
    >>> tick_decimals([0, 2.5, 5]), tick_decimals([0.25]), tick_decimals([10, 20])
    (1, 2, 0)
    """
    values = [float(v) for v in locs if np.isfinite(v)]
    for d in range(most + 1):
        if all(abs(v - round(v, d)) <= 1e-9 * max(1.0, abs(v)) for v in values):
            return d
    return most


class LocaleFormatter(ticker.Formatter):
    """Tick labels with the locale's decimal and grouping separators.

    The number of decimals is the fewest that write every tick exactly (``0``, ``2.5``,
    ``0.25``). With ``percent=True`` the axis is on a 0–100 scale and ticks are written
    as percentages in the locale's style (``60%``, ``60 %``). ``lang``: the language
    (default: the current one when a tick is written).

    Examples
    --------
    >>> f = LocaleFormatter()
    >>> f.set_locs([0, 2.5, 5]); [f(v) for v in (0, 2.5, 1000)]
    ['0.0', '2.5', '1,000.0']
    >>> f = LocaleFormatter(percent=True)
    >>> f.set_locs([0, 20, 40]); f(40)
    '40%'
    >>> f = LocaleFormatter(lang="pt")
    >>> f.set_locs([0, 2.5, 5]); f(1000)
    '1.000,0'
    """

    def __init__(self, percent: bool = False, *, lang: str | None = None) -> None:
        self.percent = percent
        self.lang = lang
        self.decimals = 0

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        self.decimals = tick_decimals(locs)

    def __call__(self, x: float, pos=None) -> str:
        if abs(x) < 1e-12:
            x = 0.0
        if self.percent:
            return i18n.percent(x / 100, self.decimals, lang=self.lang)
        return i18n.number(x, self.decimals, lang=self.lang)


def number_axis(
    ax: Axes, axis: str = "y", percent: bool = False, *, lang: str | None = None
) -> Axes:
    """Write the ticks of a linear value axis (``"x"`` or ``"y"``) in the locale's format
    (:class:`LocaleFormatter`); ``percent``: the axis holds percentages (0–100)."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(LocaleFormatter(percent=percent, lang=lang))
    return ax
