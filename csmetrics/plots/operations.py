"""Charts of operations: phone staffing by hour of the week, and cost against outcome
by channel."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import i18n
from ..display import shown_value
from ..i18n import _
from .labels import kpi_meta, number_axis, scale, unit_text, weekday_names
from .style import PALETTE, axes_for, no_data


def staffing_by_hour(
    table: pd.DataFrame, staffed: float | None = None, ax: Axes | None = None
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

    Returns
    -------
    Axes
    """
    ax = axes_for(ax)
    if table.empty:
        return no_data(ax, _("no call data"))
    days = weekday_names()
    t = table.sort_values(["weekday", "hour"]).reset_index(drop=True)
    x = np.arange(len(t))
    ax.step(
        x,
        t["agents_required"],
        where="mid",
        color=PALETTE[0],
        label=_("agents required for the phone target (Erlang C)"),
    )
    if staffed is not None and not pd.isna(staffed):
        ax.axhline(
            staffed,
            color=PALETTE[1],
            lw=1.5,
            # Translators: {agents} is the average number of agents staffed
            label=_("agents staffed (avg) {agents}").format(agents=i18n.number(staffed, 1)),
        )
    starts = t.index[t["weekday"].ne(t["weekday"].shift())]
    ax.set_xticks(starts, [days[int(d)] for d in t.loc[starts, "weekday"]])
    number_axis(ax, "y")
    ax.set_ylabel(_("agents"))
    ax.set_title(_("Phone staffing need by hour of the week"))
    ax.legend(fontsize=8, frameon=False)
    return ax


def cost_value_quadrant(
    frame: pd.DataFrame, outcome: str = "fcr_rate", ax: Axes | None = None
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

    Returns
    -------
    Axes
    """
    ax = axes_for(ax, figsize=(8.0, 5.5))
    need = {"channel", "cost_per_resolution", outcome}
    if frame.empty or not need <= set(frame.columns):
        return no_data(ax, _("needs costs by channel and tickets"))
    df = frame.dropna(subset=["cost_per_resolution", outcome])
    o_label, o_unit = kpi_meta(outcome)
    f, _sym = scale(o_unit)
    _channel_bubbles(ax, df, outcome, f)
    _median_quadrants(ax, df["cost_per_resolution"].median(), df[outcome].median() * f)
    ax.set_xlabel(_("cost per resolution"))
    # Translators: an axis label: {kpi} is a KPI's name, {unit} its unit
    ax.set_ylabel(_("{kpi} ({unit})").format(kpi=o_label, unit=unit_text(o_unit)))
    number_axis(ax, "x")
    number_axis(ax, "y", percent=o_unit == "share")
    # Translators: {kpi} is a KPI's name (an outcome such as first-contact resolution)
    ax.set_title(_("Cost vs {kpi} by channel").format(kpi=o_label.split(" (")[0]), fontsize=11)
    return ax


def _channel_bubbles(ax: Axes, df: pd.DataFrame, outcome: str, f: float) -> None:
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
            str(shown_value(r.channel)),
            (r.cost_per_resolution, getattr(r, outcome) * f),
            textcoords="offset points",
            xytext=(6, 6),
            fontsize=9,
        )


def _median_quadrants(ax: Axes, mx: float, my: float) -> None:
    """Dashed lines at the medians, and the good (top-left) and bad (bottom-right)
    quadrants named."""
    ax.axvline(mx, color="#999999", lw=1, ls="--")
    ax.axhline(my, color="#999999", lw=1, ls="--")
    good, bad = _("cheaper, more effective"), _("dearer, less effective")
    ax.text(0.01, 0.98, good, transform=ax.transAxes, va="top", fontsize=8, color=PALETTE[2])
    ax.text(0.99, 0.02, bad, transform=ax.transAxes, ha="right", fontsize=8, color=PALETTE[3])
