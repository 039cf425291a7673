"""Charts of one KPI: its trend by month, its comparison across groups, its control chart.

Values come as KPI records (:func:`csmetrics.kpis.compute`,
:func:`csmetrics.analysis.monthly_series`); shares are drawn on a 0–100 scale.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import i18n
from ..display import shown_value
from ..i18n import N_
from .labels import (
    by_group_title,
    chart_name,
    kpi_meta,
    month_labels,
    number_axis,
    scale,
    unit_text,
)
from .style import FIGSIZE, PALETTE, axes_for, no_data


def kpi_trend(
    trend: pd.DataFrame,
    kpi: str,
    ax: Axes | None = None,
    target: float | None = None,
    group: str | None = None,
    *,
    lang: str | None = None,
) -> Axes:
    """A KPI by month with its 95% interval as a band and the target as a dashed line.

    Parameters
    ----------
    trend : DataFrame
        Tidy records with ``month`` (from :func:`csmetrics.summary.monthly_trend` or
        ``compute(by=["month", ...])``).
    kpi : str
        The KPI's id.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    target : float, optional
        The KPI's target (a dashed line).
    group : str, optional
        A second group column: one line per value.
    lang : str, optional
        The language of the chart's texts (default: the current one).

    Returns
    -------
    Axes
    """
    ax = axes_for(ax)
    label, unit = kpi_meta(kpi, lang=lang)
    f, _sym = scale(unit)
    df = trend[(trend["kpi"] == kpi) & trend["available"].astype(bool)].sort_values("month")
    if df.empty or df["value"].isna().all():
        return _no_kpi_data(ax, label, lang)
    groups = [(None, df)] if group is None else list(df.groupby(group))
    for i, (name, part) in enumerate(groups):
        color = PALETTE[i % len(PALETTE)]
        _trend_line(ax, part, f, color, name, band=group is None, lang=lang)
    _target_line(ax, target, f, vertical=False, lang=lang)
    unit_name = unit_text(unit, lang=lang)
    ax.set_title(by_group_title(label, "month", unit_name, lang=lang))
    ax.set_xlabel(i18n.translate(N_("month"), lang))
    ax.set_ylabel(unit_name)
    number_axis(ax, "y", percent=unit == "share", lang=lang)
    ax.tick_params(axis="x", rotation=45)
    if group is not None or target is not None:
        ax.legend(fontsize=8, frameon=False, ncols=min(4, len(groups) + 1))
    return ax


def _no_kpi_data(ax: Axes, label: str, lang: str | None) -> Axes:
    # Translators: {kpi} is a KPI's name
    return no_data(ax, i18n.translate(N_("{kpi}: no data"), lang).format(kpi=label))


def _trend_line(
    ax: Axes,
    part: pd.DataFrame,
    f: float,
    color: str,
    name: object,
    band: bool,
    lang: str | None,
) -> None:
    """One line of a trend (a group's, named in the legend), with its 95% interval as
    a band when ``band`` and the records have one."""
    months = month_labels(part["month"], lang=lang)
    ax.plot(
        months,
        part["value"] * f,
        marker="o",
        ms=3,
        color=color,
        label=None if name is None else str(shown_value(name, lang=lang)),
    )
    if band and part["ci_low"].notna().any():
        ax.fill_between(
            months,
            part["ci_low"] * f,
            part["ci_high"] * f,
            color=color,
            alpha=0.15,
            linewidth=0,
            label=i18n.translate(N_("95% interval"), lang),
        )


def _target_line(
    ax: Axes, target: float | None, f: float, vertical: bool, lang: str | None
) -> bool:
    """The target as a dashed line (when there is one); whether it was drawn."""
    if target is None or pd.isna(target):
        return False
    line = ax.axvline if vertical else ax.axhline
    line(target * f, color=PALETTE[3], ls="--", lw=1.2, label=i18n.translate(N_("target"), lang))
    return True


def kpi_by_group(
    records: pd.DataFrame,
    kpi: str,
    group: str,
    ax: Axes | None = None,
    target: float | None = None,
    top: int = 15,
    *,
    lang: str | None = None,
) -> Axes:
    """Horizontal bars of a KPI per group with 95% intervals; low-sample bars hatched.

    Parameters
    ----------
    records : DataFrame
        KPI records with a column ``group``.
    kpi, group : str
        The KPI's id and the group column.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    target : float, optional
        The KPI's target (a dashed line).
    top : int
        How many groups to show, highest first (ties by the group's name).
    lang : str, optional
        The language of the chart's texts (default: the current one).

    Returns
    -------
    Axes
    """
    label, unit = kpi_meta(kpi, lang=lang)
    f, _sym = scale(unit)
    df = _highest(records, kpi, group, top)
    ax = axes_for(ax, figsize=(FIGSIZE[0], max(2.2, 0.35 * len(df) + 1.2)))
    if df.empty:
        return _no_kpi_data(ax, label, lang)
    _group_bars(ax, df, group, f, lang)
    if _target_line(ax, target, f, vertical=True, lang=lang):
        ax.legend(fontsize=8, frameon=False)
    ax.invert_yaxis()
    unit_name = unit_text(unit, lang=lang)
    ax.set_title(by_group_title(label, group, unit_name, lang=lang))
    ax.set_xlabel(unit_name)
    number_axis(ax, "x", percent=unit == "share", lang=lang)
    if df["low_sample"].astype(bool).any():
        ax.text(
            1.0,
            -0.12,
            i18n.translate(N_("hatched: fewer than 30 observations"), lang),
            transform=ax.transAxes,
            ha="right",
            fontsize=7,
            color="#555555",
        )
    return ax


def _highest(records: pd.DataFrame, kpi: str, group: str, top: int) -> pd.DataFrame:
    """The ``top`` available values of a KPI, highest first; ties by the group's name,
    so that equal bars keep one order whatever order the records come in."""
    df = records[(records["kpi"] == kpi) & records["available"].astype(bool)]
    df = df[df["value"].notna()]
    order = np.lexsort((df[group].astype(str).to_numpy(), -df["value"].to_numpy(dtype=float)))
    return df.iloc[order].head(top)


def _group_bars(ax: Axes, df: pd.DataFrame, group: str, f: float, lang: str | None) -> None:
    """The bars of :func:`kpi_by_group`: low-sample ones hatched, 95% intervals as
    error bars."""
    names = [str(shown_value(v, lang=lang)) for v in df[group].astype(str)]
    if group == "month":
        names = month_labels(names, lang=lang)
    vals = (df["value"] * f).to_numpy()
    bars = ax.barh(names, vals, color=PALETTE[0])
    for bar, low in zip(bars, df["low_sample"].astype(bool), strict=True):
        if low:
            bar.set_hatch("///")
            bar.set_alpha(0.6)
    if df["ci_low"].notna().any():
        lo = (vals - df["ci_low"].to_numpy() * f).clip(min=0)
        hi = (df["ci_high"].to_numpy() * f - vals).clip(min=0)
        ax.errorbar(vals, names, xerr=[lo, hi], fmt="none", ecolor="#333333", capsize=3, lw=1)


def control_chart(
    chart: pd.DataFrame, kpi: str, ax: Axes | None = None, *, lang: str | None = None
) -> Axes:
    """A control chart (p-chart or XmR) with its limits and the special-cause signals.

    Parameters
    ----------
    chart : DataFrame
        Output of :func:`csmetrics.evaluate.control_chart`.
    kpi : str
        The KPI's id.
    ax : Axes, optional
        Where to draw; a new figure when omitted.
    lang : str, optional
        The language of the chart's texts (default: the current one).

    Returns
    -------
    Axes
    """
    label, unit = kpi_meta(kpi, lang=lang)
    f, _sym = scale(unit)
    ax = axes_for(ax)
    if chart.empty:
        # Translators: {kpi} is a KPI's name
        return no_data(ax, i18n.translate(N_("{kpi}: too few months"), lang).format(kpi=label))
    _control_lines(ax, chart, f, label, lang)
    _special_causes(ax, chart[chart["signal"]], f, lang)
    kind = chart_name(str(chart["chart"].iloc[0]), lang=lang)
    unit_name = unit_text(unit, lang=lang)
    # Translators: {kpi} is a KPI's name, {chart} the kind of control chart, {unit} its unit
    title = i18n.translate(N_("{kpi}: {chart} ({unit})"), lang)
    ax.set_title(title.format(kpi=label, chart=kind, unit=unit_name))
    ax.set_ylabel(unit_name)
    number_axis(ax, "y", percent=unit == "share", lang=lang)
    ax.tick_params(axis="x", rotation=45)
    ax.legend(fontsize=8, frameon=False, ncols=4)
    return ax


def _control_lines(ax: Axes, chart: pd.DataFrame, f: float, label: str, lang: str | None) -> None:
    """The values, the centre line and the control limits of a control chart."""
    months = month_labels(chart["month"], lang=lang)
    ax.plot(months, chart["value"] * f, marker="o", ms=4, color=PALETTE[0], label=label)
    # Translators: the centre line of a control chart
    centre = i18n.translate(N_("centre"), lang)
    ax.plot(months, chart["centre"] * f, color="#555555", lw=1, label=centre)
    ax.step(
        months,
        chart["ucl"] * f,
        where="mid",
        color=PALETTE[3],
        ls=":",
        lw=1.2,
        label=i18n.translate(N_("control limits"), lang),
    )
    ax.step(months, chart["lcl"] * f, where="mid", color=PALETTE[3], ls=":", lw=1.2)


def _special_causes(ax: Axes, hits: pd.DataFrame, f: float, lang: str | None) -> None:
    """Circles around the months that signal a special cause."""
    ax.scatter(
        month_labels(hits["month"], lang=lang),
        hits["value"] * f,
        s=80,
        facecolors="none",
        edgecolors=PALETTE[3],
        linewidths=2,
        zorder=5,
        # Translators: a point of a control chart signalling a special cause of variation
        label=i18n.translate(N_("special cause"), lang),
    )
