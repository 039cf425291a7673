"""One visual style for every chart of the workbook.

Functions take ``ax=None`` (a new figure is made when omitted) and return the Axes,
in the manner of seaborn. The palette is Okabe–Ito, which stays distinguishable
for the common forms of colour blindness.

Every text on a chart is in the current language (:mod:`csmetrics.i18n`): titles,
axis labels, legends, month and weekday ticks, and the numbers of the value axes
(the locale's separators). Group names that come from the data are shown as they are.
"""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib import ticker
from matplotlib.axes import Axes

from . import i18n
from .display import GROUP_NAMES, column_label, shown_value, unit_label
from .i18n import N_, _, ngettext

#: Okabe–Ito colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000"]  # fmt: skip
FIGSIZE = (9.0, 4.0)


def set_style() -> None:
    """Apply the workbook's style (call once at the top of a notebook)."""
    sns.set_theme(style="whitegrid", palette=PALETTE, font_scale=0.95)
    plt.rcParams.update(
        {
            "figure.figsize": FIGSIZE,
            "figure.dpi": 100,
            "savefig.dpi": 110,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.autolayout": True,
        }
    )


def _axes(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> Axes:
    if ax is None:
        _fig, ax = plt.subplots(figsize=figsize)
    return ax


# ---------------------------------------------------------------------------------------
# Labels in the current language
# ---------------------------------------------------------------------------------------

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


def group_name(group: str) -> str:
    """A grouping (column) as shown to people (``agent_id`` → ``agent id``), translated.

    Examples
    --------
    >>> group_name("agent_id"), group_name("channel"), group_name("site_code")
    ('agent id', 'channel', 'site code')
    """
    if group in GROUP_NAMES:
        return _(GROUP_NAMES[group])
    return group.replace("_", " ")


def by_group_title(kpi_label: str, group: str, unit: str) -> str:
    """``"<KPI> by <grouping> (<unit>)"`` in the current language.

    Examples
    --------
    >>> by_group_title("First-contact resolution", "channel", "%")
    'First-contact resolution by channel (%)'
    """
    if group in BY_GROUP_TITLES:
        return _(BY_GROUP_TITLES[group]).format(kpi=kpi_label, unit=unit)
    # Translators: {kpi} is a KPI's name, {group} a grouping (column), {unit} the unit
    return _("{kpi} by {group} ({unit})").format(kpi=kpi_label, group=group_name(group), unit=unit)


def month_labels(months: Iterable) -> list[str]:
    """Month ticks (``YYYY-MM``) as the locale's short month and year (``Sep 2026``)."""
    return [i18n.month(str(m), short=True) for m in months]


def weekday_names() -> list[str]:
    """Abbreviated weekday names, Monday first, in the current locale (``Mon``...)."""
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", context="stand-alone", locale=i18n.get_locale())
    return [names[i] for i in range(7)]


def _decimals(locs: Iterable[float], most: int = 4) -> int:
    """The fewest decimals that write every tick location exactly (at most ``most``)."""
    values = [float(v) for v in locs if np.isfinite(v)]
    for d in range(most + 1):
        if all(abs(v - round(v, d)) <= 1e-9 * max(1.0, abs(v)) for v in values):
            return d
    return most


class LocaleFormatter(ticker.Formatter):
    """Tick labels with the locale's decimal and grouping separators.

    The number of decimals is the fewest that write every tick exactly (``0``, ``2.5``,
    ``0.25``). With ``percent=True`` the axis is on a 0–100 scale and ticks are written
    as percentages in the locale's style (``60%``, ``60 %``).

    Examples
    --------
    >>> f = LocaleFormatter()
    >>> f.set_locs([0, 2.5, 5]); [f(v) for v in (0, 2.5, 1000)]
    ['0.0', '2.5', '1,000.0']
    >>> f = LocaleFormatter(percent=True)
    >>> f.set_locs([0, 20, 40]); f(40)
    '40%'
    """

    def __init__(self, percent: bool = False) -> None:
        self.percent = percent
        self.decimals = 0

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        self.decimals = _decimals(locs)

    def __call__(self, x: float, pos=None) -> str:
        if abs(x) < 1e-12:
            x = 0.0
        if self.percent:
            return i18n.percent(x / 100, self.decimals)
        return i18n.number(x, self.decimals)


def number_axis(ax: Axes, axis: str = "y", percent: bool = False) -> Axes:
    """Write the ticks of a linear value axis (``"x"`` or ``"y"``) in the locale's format
    (:class:`LocaleFormatter`); ``percent``: the axis holds percentages (0–100)."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(LocaleFormatter(percent=percent))
    return ax


def _no_data(ax: Axes, text: str) -> Axes:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return ax


def monthly_rows(frame: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Rows per month for each table (one line per table); zero months are marked.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`csmetrics.quality.monthly_rows` (months × tables).
    """
    ax = _axes(ax)
    if frame.empty:
        return _no_data(ax, _("no dated rows"))
    months = pd.Index(month_labels(frame.index))
    for i, col in enumerate(frame.columns):
        ax.plot(months, frame[col], marker="o", ms=3, label=col, color=PALETTE[i % len(PALETTE)])
        gaps = months[(frame[col] == 0).to_numpy(dtype=bool, na_value=False)]
        ax.scatter(gaps, [0] * len(gaps), marker="x", s=60, color=PALETTE[3], zorder=5)
    ax.set_yscale("symlog", linthresh=10)
    ax.set_title(_("Rows per month, by table (× = a month with no rows)"))
    ax.set_xlabel(_("month"))
    ax.set_ylabel(_("rows (log scale)"))
    ax.tick_params(axis="x", rotation=45)
    ax.legend(ncols=min(4, len(frame.columns)), fontsize=8, frameon=False)
    return ax


def completeness(frame: pd.DataFrame, ax: Axes | None = None) -> Axes:
    """Horizontal bars: the share of filled values of every column that has gaps.

    Columns filled in every row are summarised in the title rather than drawn.

    Parameters
    ----------
    frame : DataFrame
        Output of :func:`csmetrics.quality.completeness`.
    """
    gaps = frame[frame["filled"] < 1].sort_values("filled", kind="stable")  # ties: as given
    full = int((frame["filled"] >= 1).sum())
    ax = _axes(ax, figsize=(FIGSIZE[0], max(2.0, 0.32 * len(gaps) + 1.2)))
    if gaps.empty:
        text = ngettext(
            "all {n} column is filled in every row", "all {n} columns are filled in every row", full
        ).format(n=i18n.number(full))
        return _no_data(ax, text)
    labels = gaps["table"] + "." + gaps["column"]
    ax.barh(labels, gaps["filled"] * 100, color=PALETTE[0])
    for y, v in enumerate(gaps["filled"] * 100):
        ax.text(v + 1, y, i18n.percent(v / 100, 0), va="center", fontsize=8)
    ax.set_xlim(0, 105)
    number_axis(ax, "x")
    ax.invert_yaxis()
    ax.set_xlabel(_("% of rows with a value"))
    ax.set_title(
        ngettext(
            "Columns with empty values ({n} other column is always filled)",
            "Columns with empty values ({n} other columns are always filled)",
            full,
        ).format(n=i18n.number(full))
    )
    return ax


# ---------------------------------------------------------------------------------------
# KPI charts
# ---------------------------------------------------------------------------------------


def _kpi_meta(kpi_id: str) -> tuple[str, str]:
    from .kpis import get

    k = get(kpi_id)
    return k.label, k.unit


def _scale(unit: str) -> tuple[float, str]:
    """Multiply shares by 100 for display; the axis label carries the unit."""
    return (100.0, "%") if unit == "share" else (1.0, unit)


def _unit_label(unit: str) -> str:
    return str(unit_label(unit))


def kpi_trend(
    trend: pd.DataFrame,
    kpi: str,
    ax: Axes | None = None,
    target: float | None = None,
    group: str | None = None,
) -> Axes:
    """A KPI by month with its 95% interval as a band and the target as a dashed line.

    Parameters
    ----------
    trend : DataFrame
        Tidy records with ``month`` (from :func:`csmetrics.summary.monthly_trend` or
        ``compute(by=["month", ...])``).
    group : str, optional
        A second group column: one line per value.
    """
    ax = _axes(ax)
    label, unit = _kpi_meta(kpi)
    f, _sym = _scale(unit)
    df = trend[(trend["kpi"] == kpi) & trend["available"].astype(bool)].sort_values("month")
    if df.empty or df["value"].isna().all():
        # Translators: {kpi} is a KPI's name
        return _no_data(ax, _("{kpi}: no data").format(kpi=label))
    groups = [(None, df)] if group is None else list(df.groupby(group))
    for i, (name, part) in enumerate(groups):
        color = PALETTE[i % len(PALETTE)]
        months = month_labels(part["month"])
        ax.plot(
            months,
            part["value"] * f,
            marker="o",
            ms=3,
            color=color,
            label=None if name is None else str(shown_value(name)),
        )
        if group is None and part["ci_low"].notna().any():
            ax.fill_between(
                months,
                part["ci_low"] * f,
                part["ci_high"] * f,
                color=color,
                alpha=0.15,
                linewidth=0,
                label=_("95% interval"),
            )
    if target is not None and not pd.isna(target):
        ax.axhline(target * f, color=PALETTE[3], ls="--", lw=1.2, label=_("target"))
    ax.set_title(by_group_title(label, "month", _unit_label(unit)))
    ax.set_xlabel(_("month"))
    ax.set_ylabel(_unit_label(unit))
    number_axis(ax, "y", percent=unit == "share")
    ax.tick_params(axis="x", rotation=45)
    if group is not None or target is not None:
        ax.legend(fontsize=8, frameon=False, ncols=min(4, len(groups) + 1))
    return ax


def kpi_by_group(
    records: pd.DataFrame,
    kpi: str,
    group: str,
    ax: Axes | None = None,
    target: float | None = None,
    top: int = 15,
) -> Axes:
    """Horizontal bars of a KPI per group with 95% intervals; low-sample bars hatched."""
    label, unit = _kpi_meta(kpi)
    f, _sym = _scale(unit)
    df = records[(records["kpi"] == kpi) & records["available"].astype(bool)]
    df = df[df["value"].notna()]
    # highest first; ties by the group's name, so that equal bars keep one order
    order = np.lexsort((df[group].astype(str).to_numpy(), -df["value"].to_numpy(dtype=float)))
    df = df.iloc[order].head(top)
    ax = _axes(ax, figsize=(FIGSIZE[0], max(2.2, 0.35 * len(df) + 1.2)))
    if df.empty:
        return _no_data(ax, _("{kpi}: no data").format(kpi=label))
    names = [str(shown_value(v)) for v in df[group].astype(str)]
    if group == "month":
        names = month_labels(names)
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
    if target is not None and not pd.isna(target):
        ax.axvline(target * f, color=PALETTE[3], ls="--", lw=1.2, label=_("target"))
        ax.legend(fontsize=8, frameon=False)
    ax.invert_yaxis()
    ax.set_title(by_group_title(label, group, _unit_label(unit)))
    ax.set_xlabel(_unit_label(unit))
    number_axis(ax, "x", percent=unit == "share")
    if df["low_sample"].astype(bool).any():
        ax.text(
            1.0,
            -0.12,
            _("hatched: fewer than 30 observations"),
            transform=ax.transAxes,
            ha="right",
            fontsize=7,
            color="#555555",
        )
    return ax


def duration_distribution(
    data: pd.DataFrame,
    title: str,
    ax: Axes | None = None,
    group: str | None = None,
    target_h: float | None = None,
) -> Axes:
    """Distribution of durations in hours (log scale), with median and 90th percentile.

    Parameters
    ----------
    data : DataFrame
        Column ``hours`` (and ``group`` if given), from
        :func:`csmetrics.analysis.duration_hours`.
    """
    ax = _axes(ax)
    hours = data["hours"][data["hours"] > 0]
    if hours.empty:
        return _no_data(ax, _("no data"))
    bins = np.logspace(np.log10(max(hours.min(), 1 / 60)), np.log10(hours.max() * 1.01), 40)
    if group and group in data and data[group].nunique() > 1:
        # by median, ties by name (groupby sorts the names)
        order = data.groupby(group)["hours"].median().sort_values(kind="stable").index
        for i, g in enumerate(order[:7]):
            part = data.loc[(data[group] == g) & (data["hours"] > 0), "hours"]
            ax.hist(
                part,
                bins=bins,
                histtype="step",
                lw=1.5,
                color=PALETTE[i % len(PALETTE)],
                # Translators: {group} is a group's name (e.g. a channel), {hours} a number
                label=_("{group} (median {hours} h)").format(
                    group=shown_value(g), hours=i18n.number(part.median(), 1)
                ),
            )
    else:
        ax.hist(hours, bins=bins, color=PALETTE[0], alpha=0.85)
        for q, style in ((0.5, "-"), (0.9, ":")):
            v = i18n.number(hours.quantile(q), 1)
            ax.axvline(
                hours.quantile(q),
                color="#222222",
                ls=style,
                lw=1.2,
                label=_("median {hours} h").format(hours=v)
                if q == 0.5
                else _("90th percentile {hours} h").format(hours=v),
            )
    if target_h is not None and not pd.isna(target_h):
        ax.axvline(
            target_h,
            color=PALETTE[3],
            ls="--",
            lw=1.2,
            label=_("target {hours} h").format(hours=i18n.number(target_h, _decimals([target_h]))),
        )
    ax.set_xscale("log")
    ax.set_title(title)
    ax.set_xlabel(_("hours (log scale)"))
    ax.set_ylabel(_("tickets"))
    number_axis(ax, "y")
    ax.legend(fontsize=8, frameon=False)
    return ax


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
) -> Axes:
    """Plain vertical bars of ``y`` by ``x`` (age buckets, scores, cost lines...).

    Axis labels are the columns' names as shown to people
    (:func:`csmetrics.display.column_label`) unless ``xlabel``/``ylabel`` are given.
    """
    ax = _axes(ax)
    if frame.empty:
        return _no_data(ax, _("no data"))
    labels = [i18n.day(str(shown_value(v))) for v in frame[x].astype(str)]
    ax.bar(labels, frame[y], color=color or PALETTE[0])
    ax.set_title(title)
    ax.set_xlabel(xlabel or column_label(x))
    ax.set_ylabel(ylabel or column_label(y))
    number_axis(ax, "y")
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
) -> Axes:
    """100% horizontal stacked bars (e.g. promoters / passives / detractors per group)."""
    ax = _axes(ax, figsize=(FIGSIZE[0], max(1.8, 0.4 * len(frame) + 1.2)))
    if frame.empty:
        return _no_data(ax, _("no data"))
    total = frame[columns].sum(axis=1).replace(0, np.nan)
    left = np.zeros(len(frame))
    colors = colors or PALETTE
    for i, col in enumerate(columns):
        share = (frame[col] / total * 100).fillna(0).to_numpy()
        ax.barh(
            [str(shown_value(v)) for v in frame[index].astype(str)],
            share,
            left=left,
            color=colors[i % len(colors)],
            label=column_label(col),
        )
        for y, (lft, w) in enumerate(zip(left, share, strict=True)):
            if w >= 6:
                ax.text(
                    lft + w / 2,
                    y,
                    i18n.percent(w / 100, 0),
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="white",
                )
        left += share
    ax.set_xlim(0, 100)
    number_axis(ax, "x")
    ax.set_xlabel(_("% of answers"))
    ax.set_title(title)
    ax.legend(
        fontsize=8,
        frameon=False,
        ncols=len(columns),
        loc="lower center",
        bbox_to_anchor=(0.5, 1.08),
    )
    ax.invert_yaxis()
    return ax


def share_area(trend: pd.DataFrame, group: str, title: str, ax: Axes | None = None) -> Axes:
    """Stacked area of shares by month (e.g. the channel mix over time)."""
    ax = _axes(ax)
    wide = trend.pivot_table(index="month", columns=group, values="value").fillna(0) * 100
    if wide.empty:
        return _no_data(ax, _("no data"))
    wide = wide[wide.mean().sort_values(ascending=False, kind="stable").index]  # ties: by name
    ax.stackplot(
        month_labels(wide.index),
        wide.T.to_numpy(),
        labels=[str(shown_value(c)) for c in wide.columns],
        colors=PALETTE[: len(wide.columns)] + PALETTE * 2,
        alpha=0.9,
    )
    ax.set_ylim(0, 100)
    number_axis(ax, "y")
    ax.set_ylabel(_("% of tickets"))
    ax.set_xlabel(_("month"))
    ax.set_title(title)
    ax.tick_params(axis="x", rotation=45)
    ax.legend(fontsize=8, frameon=False, ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.08))
    return ax


def staffing_by_hour(
    table: pd.DataFrame, staffed: float | None = None, ax: Axes | None = None
) -> Axes:
    """Agents Erlang C requires per hour of the week, against the average agents staffed."""
    ax = _axes(ax)
    if table.empty:
        return _no_data(ax, _("no call data"))
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


def control_chart(chart: pd.DataFrame, kpi: str, ax: Axes | None = None) -> Axes:
    """A control chart (p-chart or XmR) with its limits and the special-cause signals."""
    label, unit = _kpi_meta(kpi)
    f, _sym = _scale(unit)
    ax = _axes(ax)
    if chart.empty:
        # Translators: {kpi} is a KPI's name
        return _no_data(ax, _("{kpi}: too few months").format(kpi=label))
    months = month_labels(chart["month"])
    ax.plot(months, chart["value"] * f, marker="o", ms=4, color=PALETTE[0], label=label)
    # Translators: the centre line of a control chart
    ax.plot(months, chart["centre"] * f, color="#555555", lw=1, label=_("centre"))
    ax.step(
        months,
        chart["ucl"] * f,
        where="mid",
        color=PALETTE[3],
        ls=":",
        lw=1.2,
        label=_("control limits"),
    )
    ax.step(months, chart["lcl"] * f, where="mid", color=PALETTE[3], ls=":", lw=1.2)
    hits = chart[chart["signal"]]
    ax.scatter(
        month_labels(hits["month"]),
        hits["value"] * f,
        s=80,
        facecolors="none",
        edgecolors=PALETTE[3],
        linewidths=2,
        zorder=5,
        # Translators: a point of a control chart signalling a special cause of variation
        label=_("special cause"),
    )
    kind = str(chart["chart"].iloc[0])
    kind = _(CHART_NAMES[kind]) if kind in CHART_NAMES else kind
    # Translators: {kpi} is a KPI's name, {chart} the kind of control chart, {unit} its unit
    title = _("{kpi}: {chart} ({unit})").format(kpi=label, chart=kind, unit=_unit_label(unit))
    ax.set_title(title)
    ax.set_ylabel(_unit_label(unit))
    number_axis(ax, "y", percent=unit == "share")
    ax.tick_params(axis="x", rotation=45)
    ax.legend(fontsize=8, frameon=False, ncols=4)
    return ax


def cost_value_quadrant(
    frame: pd.DataFrame, outcome: str = "fcr_rate", ax: Axes | None = None
) -> Axes:
    """Cost per resolution (x) against an outcome (y) per channel, split at the medians.

    Bubbles are sized by tickets; the top-left quadrant (cheap and effective) is the goal,
    the bottom-right (expensive and ineffective) the problem.
    """
    ax = _axes(ax, figsize=(8.0, 5.5))
    need = {"channel", "cost_per_resolution", outcome}
    if frame.empty or not need <= set(frame.columns):
        return _no_data(ax, _("needs costs by channel and tickets"))
    df = frame.dropna(subset=["cost_per_resolution", outcome])
    o_label, o_unit = _kpi_meta(outcome)
    f, _sym = _scale(o_unit)
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
    mx, my = df["cost_per_resolution"].median(), df[outcome].median() * f
    ax.axvline(mx, color="#999999", lw=1, ls="--")
    ax.axhline(my, color="#999999", lw=1, ls="--")
    ax.text(
        0.01,
        0.98,
        _("cheaper, more effective"),
        transform=ax.transAxes,
        va="top",
        fontsize=8,
        color=PALETTE[2],
    )
    ax.text(
        0.99,
        0.02,
        _("dearer, less effective"),
        transform=ax.transAxes,
        ha="right",
        fontsize=8,
        color=PALETTE[3],
    )
    ax.set_xlabel(_("cost per resolution"))
    # Translators: an axis label: {kpi} is a KPI's name, {unit} its unit
    ax.set_ylabel(_("{kpi} ({unit})").format(kpi=o_label, unit=_unit_label(o_unit)))
    number_axis(ax, "x")
    number_axis(ax, "y", percent=o_unit == "share")
    # Translators: {kpi} is a KPI's name (an outcome such as first-contact resolution)
    ax.set_title(_("Cost vs {kpi} by channel").format(kpi=o_label.split(" (")[0]), fontsize=11)
    return ax
