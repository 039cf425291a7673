"""Charts of how values spread: durations on a log scale, plain bars, 100% stacked bars
and stacked areas of shares."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import i18n
from ..display import column_label, shown_value
from ..i18n import N_
from .labels import month_labels, number_axis, tick_decimals
from .style import FIGSIZE, PALETTE, axes_for, legend_above, no_data

#: Most groups drawn by :func:`duration_distribution` (the fastest by median).
MAX_DURATION_GROUPS = 7


def duration_distribution(
    data: pd.DataFrame,
    title: str,
    ax: Axes | None = None,
    group: str | None = None,
    target_h: float | None = None,
    *,
    lang: str | None = None,
) -> Axes:
    """Distribution of durations in hours (log scale), with median and 90th percentile.

    Parameters
    ----------
    data : DataFrame
        Column ``hours`` (and ``group`` if given), from
        :func:`csmetrics.analysis.duration_hours`.
    title : str
        The chart's title.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    group : str, optional
        A group column: one outline per group (the seven lowest medians) when it holds
        more than one group.
    target_h : float, optional
        The target in hours (a dashed line).
    lang : str, optional
        The language of the chart's texts (default: the current one).

    Returns
    -------
    Axes
    """
    ax = axes_for(ax)
    hours = data["hours"][data["hours"] > 0]
    if hours.empty:
        return no_data(ax, i18n.translate(N_("no data"), lang))
    bins = np.logspace(np.log10(max(hours.min(), 1 / 60)), np.log10(hours.max() * 1.01), 40)
    if group and group in data and data[group].nunique() > 1:
        _group_outlines(ax, data, group, bins, lang)
    else:
        _histogram_with_quantiles(ax, hours, bins, lang)
    if target_h is not None and not pd.isna(target_h):
        text = i18n.number(target_h, tick_decimals([target_h]), lang=lang)
        ax.axvline(
            target_h,
            color=PALETTE[3],
            ls="--",
            lw=1.2,
            label=i18n.translate(N_("target {hours} h"), lang).format(hours=text),
        )
    ax.set_xscale("log")
    ax.set_title(title)
    ax.set_xlabel(i18n.translate(N_("hours (log scale)"), lang))
    ax.set_ylabel(i18n.translate(N_("tickets"), lang))
    number_axis(ax, "y", lang=lang)
    ax.legend(fontsize=8, frameon=False)
    return ax


def _group_outlines(
    ax: Axes, data: pd.DataFrame, group: str, bins: np.ndarray, lang: str | None
) -> None:
    """One outlined histogram per group, by median (ties by name: groupby sorts them)."""
    order = data.groupby(group)["hours"].median().sort_values(kind="stable").index
    for i, g in enumerate(order[:MAX_DURATION_GROUPS]):
        part = data.loc[(data[group] == g) & (data["hours"] > 0), "hours"]
        ax.hist(
            part,
            bins=bins,
            histtype="step",
            lw=1.5,
            color=PALETTE[i % len(PALETTE)],
            # Translators: {group} is a group's name (e.g. a channel), {hours} a number
            label=i18n.translate(N_("{group} (median {hours} h)"), lang).format(
                group=shown_value(g, lang=lang), hours=i18n.number(part.median(), 1, lang=lang)
            ),
        )


def _histogram_with_quantiles(
    ax: Axes, hours: pd.Series, bins: np.ndarray, lang: str | None
) -> None:
    """One filled histogram with its median (solid) and 90th percentile (dotted)."""
    ax.hist(hours, bins=bins, color=PALETTE[0], alpha=0.85)
    for q, style in ((0.5, "-"), (0.9, ":")):
        v = i18n.number(hours.quantile(q), 1, lang=lang)
        label = (
            i18n.translate(N_("median {hours} h"), lang)
            if q == 0.5
            else i18n.translate(N_("90th percentile {hours} h"), lang)
        ).format(hours=v)
        ax.axvline(hours.quantile(q), color="#222222", ls=style, lw=1.2, label=label)


def bars(
    frame: pd.DataFrame,
    x: str,
    y: str,
    title: str,
    ax: Axes | None = None,
    ylabel: str = "",
    color: str | None = None,
    rotate: bool = False,
    xlabel: str = "",
    *,
    lang: str | None = None,
) -> Axes:
    """Plain vertical bars of ``y`` by ``x`` (age buckets, scores, cost lines...).

    Axis labels are the columns' names as shown to people
    (:func:`csmetrics.display.column_label`) unless ``xlabel``/``ylabel`` are given;
    days (``YYYY-MM-DD``) on ``x`` are written as the locale's short dates. ``lang``: the
    language of the chart's texts (default: the current one).
    """
    ax = axes_for(ax)
    if frame.empty:
        return no_data(ax, i18n.translate(N_("no data"), lang))
    labels = [i18n.day(str(shown_value(v, lang=lang)), lang=lang) for v in frame[x].astype(str)]
    ax.bar(labels, frame[y], color=color or PALETTE[0])
    ax.set_title(title)
    ax.set_xlabel(xlabel or column_label(x, lang=lang))
    ax.set_ylabel(ylabel or column_label(y, lang=lang))
    number_axis(ax, "y", lang=lang)
    if rotate:
        ax.tick_params(axis="x", rotation=45)
    return ax


def stacked_shares(
    frame: pd.DataFrame,
    index: str,
    columns: list[str],
    title: str,
    ax: Axes | None = None,
    colors: list[str] | None = None,
    *,
    lang: str | None = None,
) -> Axes:
    """100% horizontal stacked bars (e.g. promoters / passives / detractors per group).

    Parameters
    ----------
    frame : DataFrame
        One row per bar: the bar's name in ``index``, counts in ``columns``.
    index : str
        The column naming the bars.
    columns : list of str
        The count columns, stacked left to right (each bar sums to 100%).
    title : str
        The chart's title.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    colors : list of str, optional
        Colours of the columns (default: the palette).
    lang : str, optional
        The language of the chart's texts (default: the current one).

    Returns
    -------
    Axes
    """
    ax = axes_for(ax, figsize=(FIGSIZE[0], max(1.8, 0.4 * len(frame) + 1.2)))
    if frame.empty:
        return no_data(ax, i18n.translate(N_("no data"), lang))
    total = frame[columns].sum(axis=1).replace(0, np.nan)
    left = np.zeros(len(frame))
    colors = colors or PALETTE
    names = [str(shown_value(v, lang=lang)) for v in frame[index].astype(str)]
    for i, col in enumerate(columns):
        share = (frame[col] / total * 100).fillna(0).to_numpy()
        color = colors[i % len(colors)]
        ax.barh(names, share, left=left, color=color, label=column_label(col, lang=lang))
        _share_texts(ax, left, share, lang)
        left += share
    ax.set_xlim(0, 100)
    number_axis(ax, "x", lang=lang)
    ax.set_xlabel(i18n.translate(N_("% of answers"), lang))
    ax.set_title(title)
    legend_above(ax, len(columns))
    ax.invert_yaxis()
    return ax


def _share_texts(ax: Axes, left: np.ndarray, share: np.ndarray, lang: str | None) -> None:
    """The percentage inside each stacked segment wide enough to hold it (6% or more)."""
    for y, (lft, w) in enumerate(zip(left, share, strict=True)):
        if w >= 6:
            ax.text(
                lft + w / 2,
                y,
                i18n.percent(w / 100, 0, lang=lang),
                ha="center",
                va="center",
                fontsize=8,
                color="white",
            )


def share_area(
    trend: pd.DataFrame,
    group: str,
    title: str,
    ax: Axes | None = None,
    *,
    lang: str | None = None,
) -> Axes:
    """Stacked area of shares by month (e.g. the channel mix over time); ``lang``: the
    language of the chart's texts (default: the current one)."""
    ax = axes_for(ax)
    wide = trend.pivot_table(index="month", columns=group, values="value").fillna(0) * 100
    if wide.empty:
        return no_data(ax, i18n.translate(N_("no data"), lang))
    wide = wide[wide.mean().sort_values(ascending=False, kind="stable").index]  # ties: by name
    ax.stackplot(
        month_labels(wide.index, lang=lang),
        wide.T.to_numpy(),
        labels=[str(shown_value(c, lang=lang)) for c in wide.columns],
        colors=PALETTE[: len(wide.columns)] + PALETTE * 2,
        alpha=0.9,
    )
    ax.set_ylim(0, 100)
    number_axis(ax, "y", lang=lang)
    ax.set_ylabel(i18n.translate(N_("% of tickets"), lang))
    ax.set_xlabel(i18n.translate(N_("month"), lang))
    ax.set_title(title)
    ax.tick_params(axis="x", rotation=45)
    legend_above(ax, 4)
    return ax
