"""Charts of operations: phone staffing by hour of the week, and cost against outcome
by channel."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import i18n
from ..display import shown_value
from ..i18n import N_
from .labels import kpi_meta, number_axis, scale, unit_text, weekday_names
from .style import PALETTE, axes_for, no_data


def staffing_by_hour(
    table: pd.DataFrame,
    staffed: float | None = None,
    ax: Axes | None = None,
    *,
    lang: str | None = None,
) -> Axes:
    """Agents Erlang C requires per hour of the week, against the average agents staffed.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`csmetrics.analysis.erlang_table`.
    staffed : float, optional
        The average number of agents staffed (a horizontal line).
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    lang : str, optional
        The language of the chart's texts (default: the current one).

    Returns
    -------
    Axes
    """
    ax = axes_for(ax)
    if table.empty:
        return no_data(ax, i18n.translate(N_("no call data"), lang))
    days = weekday_names(lang=lang)
    t = table.sort_values(["weekday", "hour"]).reset_index(drop=True)
    x = np.arange(len(t))
    ax.step(
        x,
        t["agents_required"],
        where="mid",
        color=PALETTE[0],
        label=i18n.translate(N_("agents required for the phone target (Erlang C)"), lang),
    )
    if staffed is not None and not pd.isna(staffed):
        # Translators: {agents} is the average number of agents staffed
        label = i18n.translate(N_("agents staffed (avg) {agents}"), lang)
        agents = i18n.number(staffed, 1, lang=lang)
        ax.axhline(staffed, color=PALETTE[1], lw=1.5, label=label.format(agents=agents))
    starts = t.index[t["weekday"].ne(t["weekday"].shift())]
    ax.set_xticks(starts, [days[int(d)] for d in t.loc[starts, "weekday"]])
    number_axis(ax, "y", lang=lang)
    ax.set_ylabel(i18n.translate(N_("agents"), lang))
    ax.set_title(i18n.translate(N_("Phone staffing need by hour of the week"), lang))
    ax.legend(fontsize=8, frameon=False)
    return ax


def cost_value_quadrant(
    frame: pd.DataFrame,
    outcome: str = "fcr_rate",
    ax: Axes | None = None,
    *,
    lang: str | None = None,
) -> Axes:
    """Cost per resolution (x) against an outcome (y) per channel, split at the medians.

    Bubbles are sized by tickets; the top-left quadrant (cheap and effective) is the goal,
    the bottom-right (expensive and ineffective) the problem.

    Parameters
    ----------
    frame : DataFrame
        One row per channel: ``channel``, ``cost_per_resolution``, ``outcome`` and
        optionally ``tickets_created`` (the bubbles' sizes).
    outcome : str
        The KPI id on the y axis.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    lang : str, optional
        The language of the chart's texts (default: the current one).

    Returns
    -------
    Axes
    """
    ax = axes_for(ax, figsize=(8.0, 5.5))
    need = {"channel", "cost_per_resolution", outcome}
    if frame.empty or not need <= set(frame.columns):
        return no_data(ax, i18n.translate(N_("needs costs by channel and tickets"), lang))
    df = frame.dropna(subset=["cost_per_resolution", outcome])
    o_label, o_unit = kpi_meta(outcome, lang=lang)
    f, _sym = scale(o_unit)
    _channel_bubbles(ax, df, outcome, f, lang)
    _median_quadrants(ax, df["cost_per_resolution"].median(), df[outcome].median() * f, lang)
    ax.set_xlabel(i18n.translate(N_("cost per resolution"), lang))
    # Translators: an axis label: {kpi} is a KPI's name, {unit} its unit
    ylabel = i18n.translate(N_("{kpi} ({unit})"), lang)
    ax.set_ylabel(ylabel.format(kpi=o_label, unit=unit_text(o_unit, lang=lang)))
    number_axis(ax, "x", lang=lang)
    number_axis(ax, "y", percent=o_unit == "share", lang=lang)
    # Translators: {kpi} is a KPI's name (an outcome such as first-contact resolution)
    title = i18n.translate(N_("Cost vs {kpi} by channel"), lang)
    ax.set_title(title.format(kpi=o_label.split(" (")[0]), fontsize=11)
    return ax


def _channel_bubbles(ax: Axes, df: pd.DataFrame, outcome: str, f: float, lang: str | None) -> None:
    """One bubble per channel, sized by its tickets, named beside it."""
    size = df["tickets_created"] if "tickets_created" in df else pd.Series(100, index=df.index)
    ax.scatter(
        df["cost_per_resolution"],
        df[outcome] * f,
        s=40 + 600 * size / size.max(),
        color=PALETTE[0],
        alpha=0.6,
        edgecolors="white",
    )
    for r in df.itertuples():
        ax.annotate(
            str(shown_value(r.channel, lang=lang)),
            (r.cost_per_resolution, getattr(r, outcome) * f),
            textcoords="offset points",
            xytext=(6, 6),
            fontsize=9,
        )


def _median_quadrants(ax: Axes, mx: float, my: float, lang: str | None) -> None:
    """Dashed lines at the medians, and the good (top-left) and bad (bottom-right)
    quadrants named."""
    ax.axvline(mx, color="#999999", lw=1, ls="--")
    ax.axhline(my, color="#999999", lw=1, ls="--")
    good = i18n.translate(N_("cheaper, more effective"), lang)
    bad = i18n.translate(N_("dearer, less effective"), lang)
    ax.text(0.01, 0.98, good, transform=ax.transAxes, va="top", fontsize=8, color=PALETTE[2])
    ax.text(0.99, 0.02, bad, transform=ax.transAxes, ha="right", fontsize=8, color=PALETTE[3])
