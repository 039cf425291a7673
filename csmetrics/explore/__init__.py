"""An ipywidgets explorer for analysts, on the same registry and engine as the report.

>>> from csmetrics.explore import Explorer
>>> ex = Explorer.from_folder("data/sample")      # doctest: +SKIP
>>> ex.widget                                      # doctest: +SKIP

Pick a period range, filter (channel, team, agent, priority, category, queue), choose a
KPI (grouped by category), a grouping and a view (trend, comparison bars, distribution,
table); drill down from a bar or a month to the rows behind the number; export the view
as CSV and PNG. Results carry ``n`` (where it counts observations) and their 95%
interval; low-sample values are marked; a chosen filter that does not apply to a table
behind the KPI (a team filter and the surveys behind CSAT) is said under the view. Trends
measure each month as a period of its own, as the report does. Interactions are cached
(filtered tables and results), so changing a view back is instant.

Executed headless (papermill, nbconvert) the explorer cannot show live widgets;
:func:`static_view` draws the default view with the same functions instead.

Every text is in the explorer's language, ``Explorer(..., lang="pt")``; without one, the
controls are labelled in the language current when the explorer is built, charts and
notes in the language current when they are drawn (:func:`csmetrics.i18n.set_language`).
The functions drawing a view and writing its status line take the language as ``lang``
too. The controls' values stay ids (``"channel"``, ``"bars"``). The rows behind a number are
shown with the data's own column names.

The explorer lives in three modules, all re-exported here:
:mod:`~csmetrics.explore.data` (months, filters, the rows behind a number),
:mod:`~csmetrics.explore.views` (a view drawn, its status line, the static view) and
:mod:`~csmetrics.explore.widget` (the :class:`Explorer` and its controls).
"""

from __future__ import annotations

from .data import (
    FILTER_COLUMNS,
    drill_rows,
    filter_notes,
    filter_prepared,
    kpi_tables,
    month_range,
    months_of,
    unfiltered_tables,
)
from .views import VIEW_NAMES, VIEWS, View, render_view, shown_group_value, static_view, status_html
from .widget import CATEGORY_TITLES, GROUPS, Explorer

__all__ = [
    "CATEGORY_TITLES",
    "FILTER_COLUMNS",
    "GROUPS",
    "VIEWS",
    "VIEW_NAMES",
    "Explorer",
    "View",
    "drill_rows",
    "filter_notes",
    "filter_prepared",
    "kpi_tables",
    "month_range",
    "months_of",
    "render_view",
    "shown_group_value",
    "static_view",
    "status_html",
    "unfiltered_tables",
]
