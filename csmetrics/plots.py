"""One visual style for every chart of the workbook.

Functions take ``ax=None`` (a new figure is made when omitted) and return the Axes,
in the manner of seaborn. The palette is Okabe–Ito, which stays distinguishable
for the common forms of colour blindness.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

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
        _, ax = plt.subplots(figsize=figsize)
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
        ax.text(0.5, 0.5, "no dated rows", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    for i, col in enumerate(frame.columns):
        ax.plot(
            frame.index, frame[col], marker="o", ms=3, label=col, color=PALETTE[i % len(PALETTE)]
        )
        gaps = frame.index[frame[col] == 0]
        ax.scatter(gaps, [0] * len(gaps), marker="x", s=60, color=PALETTE[3], zorder=5)
    ax.set_yscale("symlog", linthresh=10)
    ax.set_title("Rows per month, by table (× = a month with no rows)")
    ax.set_xlabel("month")
    ax.set_ylabel("rows (log scale)")
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
    gaps = frame[frame["filled"] < 1].sort_values("filled")
    full = int((frame["filled"] >= 1).sum())
    ax = _axes(ax, figsize=(FIGSIZE[0], max(2.0, 0.32 * len(gaps) + 1.2)))
    if gaps.empty:
        ax.text(
            0.5,
            0.5,
            f"all {full} columns are filled in every row",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        ax.set_axis_off()
        return ax
    labels = gaps["table"] + "." + gaps["column"]
    ax.barh(labels, gaps["filled"] * 100, color=PALETTE[0])
    for y, v in enumerate(gaps["filled"] * 100):
        ax.text(v + 1, y, f"{v:.0f}%", va="center", fontsize=8)
    ax.set_xlim(0, 105)
    ax.invert_yaxis()
    ax.set_xlabel("% of rows with a value")
    ax.set_title(f"Columns with empty values ({full} other columns are always filled)")
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
    return {"share": "%", "h": "hours", "s": "seconds", "currency": "EUR",
            "points": "points", "score": "score"}.get(unit, unit)  # fmt: skip


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
    f, _ = _scale(unit)
    df = trend[(trend["kpi"] == kpi) & trend["available"].astype(bool)].sort_values("month")
    if df.empty or df["value"].isna().all():
        ax.text(0.5, 0.5, f"{label}: no data", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    groups = [(None, df)] if group is None else list(df.groupby(group))
    for i, (name, part) in enumerate(groups):
        color = PALETTE[i % len(PALETTE)]
        ax.plot(
            part["month"],
            part["value"] * f,
            marker="o",
            ms=3,
            color=color,
            label=None if name is None else str(name),
        )
        if group is None and part["ci_low"].notna().any():
            ax.fill_between(
                part["month"],
                part["ci_low"] * f,
                part["ci_high"] * f,
                color=color,
                alpha=0.15,
                linewidth=0,
                label="95% interval",
            )
    if target is not None and not pd.isna(target):
        ax.axhline(target * f, color=PALETTE[3], ls="--", lw=1.2, label="target")
    ax.set_title(f"{label} by month ({_unit_label(unit)})")
    ax.set_xlabel("month")
    ax.set_ylabel(_unit_label(unit))
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
    f, _ = _scale(unit)
    df = records[(records["kpi"] == kpi) & records["available"].astype(bool)]
    df = df[df["value"].notna()].sort_values("value", ascending=False).head(top)
    ax = _axes(ax, figsize=(FIGSIZE[0], max(2.2, 0.35 * len(df) + 1.2)))
    if df.empty:
        ax.text(0.5, 0.5, f"{label}: no data", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    names = df[group].astype(str).tolist()
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
        ax.axvline(target * f, color=PALETTE[3], ls="--", lw=1.2, label="target")
        ax.legend(fontsize=8, frameon=False)
    ax.invert_yaxis()
    ax.set_title(f"{label} by {group.replace('_', ' ')} ({_unit_label(unit)})")
    ax.set_xlabel(_unit_label(unit))
    if df["low_sample"].astype(bool).any():
        ax.text(
            1.0,
            -0.12,
            "hatched: fewer than 30 observations",
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
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    bins = np.logspace(np.log10(max(hours.min(), 1 / 60)), np.log10(hours.max() * 1.01), 40)
    if group and group in data and data[group].nunique() > 1:
        order = data.groupby(group)["hours"].median().sort_values().index
        for i, g in enumerate(order[:7]):
            part = data.loc[(data[group] == g) & (data["hours"] > 0), "hours"]
            ax.hist(
                part,
                bins=bins,
                histtype="step",
                lw=1.5,
                color=PALETTE[i % len(PALETTE)],
                label=f"{g} (median {part.median():.1f} h)",
            )
    else:
        ax.hist(hours, bins=bins, color=PALETTE[0], alpha=0.85)
        for q, style in ((0.5, "-"), (0.9, ":")):
            v = hours.quantile(q)
            ax.axvline(
                v,
                color="#222222",
                ls=style,
                lw=1.2,
                label=f"{'median' if q == 0.5 else '90th percentile'} {v:.1f} h",
            )
    if target_h is not None and not pd.isna(target_h):
        ax.axvline(target_h, color=PALETTE[3], ls="--", lw=1.2, label=f"target {target_h:g} h")
    ax.set_xscale("log")
    ax.set_title(title)
    ax.set_xlabel("hours (log scale)")
    ax.set_ylabel("tickets")
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
) -> Axes:
    """Plain vertical bars of ``y`` by ``x`` (age buckets, scores, cost lines...)."""
    ax = _axes(ax)
    if frame.empty:
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    ax.bar(frame[x].astype(str), frame[y], color=color or PALETTE[0])
    ax.set_title(title)
    ax.set_xlabel(x.replace("_", " "))
    ax.set_ylabel(ylabel or y.replace("_", " "))
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
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    total = frame[columns].sum(axis=1).replace(0, np.nan)
    left = np.zeros(len(frame))
    colors = colors or PALETTE
    for i, col in enumerate(columns):
        share = (frame[col] / total * 100).fillna(0).to_numpy()
        ax.barh(
            frame[index].astype(str), share, left=left, color=colors[i % len(colors)], label=col
        )
        for y, (lft, w) in enumerate(zip(left, share, strict=True)):
            if w >= 6:
                ax.text(
                    lft + w / 2, y, f"{w:.0f}%", ha="center", va="center", fontsize=8, color="white"
                )
        left += share
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of answers")
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
        ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    wide = wide[wide.mean().sort_values(ascending=False).index]
    ax.stackplot(
        wide.index,
        wide.T.to_numpy(),
        labels=wide.columns,
        colors=PALETTE[: len(wide.columns)] + PALETTE * 2,
        alpha=0.9,
    )
    ax.set_ylim(0, 100)
    ax.set_ylabel("% of tickets")
    ax.set_xlabel("month")
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
        ax.text(0.5, 0.5, "no call data", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return ax
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    t = table.sort_values(["weekday", "hour"]).reset_index(drop=True)
    x = np.arange(len(t))
    ax.step(
        x,
        t["agents_required"],
        where="mid",
        color=PALETTE[0],
        label="agents required for the phone target (Erlang C)",
    )
    if staffed is not None and not pd.isna(staffed):
        ax.axhline(staffed, color=PALETTE[1], lw=1.5, label=f"agents staffed (avg) {staffed:.1f}")
    starts = t.index[t["weekday"].ne(t["weekday"].shift())]
    ax.set_xticks(starts, [days[int(d)] for d in t.loc[starts, "weekday"]])
    ax.set_ylabel("agents")
    ax.set_title("Phone staffing need by hour of the week")
    ax.legend(fontsize=8, frameon=False)
    return ax


def control_chart(chart: pd.DataFrame, kpi: str, ax: Axes | None = None) -> Axes:
    """A control chart (p-chart or XmR) with its limits and the special-cause signals."""
    label, unit = _kpi_meta(kpi)
    f, _ = _scale(unit)
    ax = _axes(ax)
    if chart.empty:
        ax.text(
            0.5, 0.5, f"{label}: too few months", ha="center", va="center", transform=ax.transAxes
        )
        ax.set_axis_off()
        return ax
    ax.plot(chart["month"], chart["value"] * f, marker="o", ms=4, color=PALETTE[0], label=label)
    ax.plot(chart["month"], chart["centre"] * f, color="#555555", lw=1, label="centre")
    ax.step(
        chart["month"],
        chart["ucl"] * f,
        where="mid",
        color=PALETTE[3],
        ls=":",
        lw=1.2,
        label="control limits",
    )
    ax.step(chart["month"], chart["lcl"] * f, where="mid", color=PALETTE[3], ls=":", lw=1.2)
    hits = chart[chart["signal"]]
    ax.scatter(
        hits["month"],
        hits["value"] * f,
        s=80,
        facecolors="none",
        edgecolors=PALETTE[3],
        linewidths=2,
        zorder=5,
        label="special cause",
    )
    ax.set_title(f"{label}: {chart['chart'].iloc[0]} ({_unit_label(unit)})")
    ax.set_ylabel(_unit_label(unit))
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
        ax.text(
            0.5,
            0.5,
            "needs costs by channel and tickets",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        ax.set_axis_off()
        return ax
    df = frame.dropna(subset=["cost_per_resolution", outcome])
    o_label, o_unit = _kpi_meta(outcome)
    f, _ = _scale(o_unit)
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
            str(r.channel),
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
        "cheaper, more effective",
        transform=ax.transAxes,
        va="top",
        fontsize=8,
        color=PALETTE[2],
    )
    ax.text(
        0.99,
        0.02,
        "dearer, less effective",
        transform=ax.transAxes,
        ha="right",
        fontsize=8,
        color=PALETTE[3],
    )
    ax.set_xlabel("cost per resolution")
    ax.set_ylabel(f"{o_label} ({_unit_label(o_unit)})")
    ax.set_title(f"Cost vs {o_label.split(' (')[0]} by channel", fontsize=11)
    return ax
