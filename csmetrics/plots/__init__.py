"""One visual style for every chart of the workbook.

Functions take ``ax=None`` (a new figure is made when omitted) and return the Axes,
in the manner of seaborn. The palette is Okabe–Ito, which stays distinguishable
for the common forms of colour blindness.

Every text on a chart is in one language: titles, axis labels, legends, month and
weekday ticks, and the numbers of the value axes (the locale's separators). Every chart
takes it as ``lang`` (keyword-only; by default the current language,
:func:`csmetrics.i18n.set_language`), so that a chart drawn with ``lang`` does not
depend on the current language. Group names that come from the data are shown as they
are.

The charts live in one module per family, all re-exported here:

* :mod:`~csmetrics.plots.style`: palette, figure size, :func:`set_style`;
* :mod:`~csmetrics.plots.labels`: titles, names and locale-aware axes;
* :mod:`~csmetrics.plots.coverage`: rows per month and completeness (data quality);
* :mod:`~csmetrics.plots.kpi_charts`: a KPI's trend, comparison and control chart;
* :mod:`~csmetrics.plots.distributions`: durations, bars, stacked shares and areas;
* :mod:`~csmetrics.plots.operations`: staffing by hour and the cost–value quadrant.
"""

from __future__ import annotations

from .coverage import completeness, monthly_rows
from .distributions import bars, duration_distribution, share_area, stacked_shares
from .kpi_charts import control_chart, kpi_by_group, kpi_trend
from .labels import (
    BY_GROUP_TITLES,
    CHART_NAMES,
    LocaleFormatter,
    by_group_title,
    chart_name,
    group_name,
    month_labels,
    number_axis,
    weekday_names,
)
from .operations import cost_value_quadrant, staffing_by_hour
from .style import FIGSIZE, PALETTE, set_style

__all__ = [
    "BY_GROUP_TITLES",
    "CHART_NAMES",
    "FIGSIZE",
    "PALETTE",
    "LocaleFormatter",
    "bars",
    "by_group_title",
    "chart_name",
    "completeness",
    "control_chart",
    "cost_value_quadrant",
    "duration_distribution",
    "group_name",
    "kpi_by_group",
    "kpi_trend",
    "month_labels",
    "monthly_rows",
    "number_axis",
    "set_style",
    "share_area",
    "stacked_shares",
    "staffing_by_hour",
    "weekday_names",
]
