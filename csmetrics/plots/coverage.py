"""Charts of the data's coverage (the data-quality chapter): rows per month of each
table, and the columns with empty values."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from .. import i18n
from ..i18n import N_, ngettext
from .labels import month_labels, number_axis
from .style import FIGSIZE, PALETTE, axes_for, no_data


def monthly_rows(frame: pd.DataFrame, ax: Axes | None = None, *, lang: str | None = None) -> Axes:
    """Rows per month for each table (one line per table); zero months are marked.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`csmetrics.quality.monthly_rows` (months × tables).
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    lang : str, optional
        The language of the chart's texts (default: the current one).

    Returns
    -------
    Axes
    """
    ax = axes_for(ax)
    if frame.empty:
        return no_data(ax, i18n.translate(N_("no dated rows"), lang))
    months = pd.Index(month_labels(frame.index, lang=lang))
    for i, col in enumerate(frame.columns):
        ax.plot(months, frame[col], marker="o", ms=3, label=col, color=PALETTE[i % len(PALETTE)])
        gaps = months[(frame[col] == 0).to_numpy(dtype=bool, na_value=False)]
        ax.scatter(gaps, [0] * len(gaps), marker="x", s=60, color=PALETTE[3], zorder=5)
    ax.set_yscale("symlog", linthresh=10)
    ax.set_title(i18n.translate(N_("Rows per month, by table (× = a month with no rows)"), lang))
    ax.set_xlabel(i18n.translate(N_("month"), lang))
    ax.set_ylabel(i18n.translate(N_("rows (log scale)"), lang))
    ax.tick_params(axis="x", rotation=45)
    ax.legend(ncols=min(4, len(frame.columns)), fontsize=8, frameon=False)
    return ax


def completeness(frame: pd.DataFrame, ax: Axes | None = None, *, lang: str | None = None) -> Axes:
    """Horizontal bars: the share of filled values of every column that has gaps.

    Columns filled in every row are summarised in the title rather than drawn.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`csmetrics.quality.completeness`.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    lang : str, optional
        The language of the chart's texts (default: the current one).

    Returns
    -------
    Axes
    """
    gaps = frame[frame["filled"] < 1].sort_values("filled", kind="stable")  # ties: as given
    full = int((frame["filled"] >= 1).sum())
    ax = axes_for(ax, figsize=(FIGSIZE[0], max(2.0, 0.32 * len(gaps) + 1.2)))
    if gaps.empty:
        text = ngettext(
            "all {n} column is filled in every row",
            "all {n} columns are filled in every row",
            full,
            lang=lang,
        ).format(n=i18n.number(full, lang=lang))
        return no_data(ax, text)
    labels = gaps["table"] + "." + gaps["column"]
    ax.barh(labels, gaps["filled"] * 100, color=PALETTE[0])
    for y, v in enumerate(gaps["filled"] * 100):
        ax.text(v + 1, y, i18n.percent(v / 100, 0, lang=lang), va="center", fontsize=8)
    ax.set_xlim(0, 105)
    number_axis(ax, "x", lang=lang)
    ax.invert_yaxis()
    ax.set_xlabel(i18n.translate(N_("% of rows with a value"), lang))
    ax.set_title(
        ngettext(
            "Columns with empty values ({n} other column is always filled)",
            "Columns with empty values ({n} other columns are always filled)",
            full,
            lang=lang,
        ).format(n=i18n.number(full, lang=lang))
    )
    return ax
