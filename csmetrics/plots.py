"""One visual style for every chart of the workbook.

Functions take ``ax=None`` (a new figure is made when omitted) and return the Axes,
in the manner of seaborn. The palette is Okabe–Ito, which stays distinguishable
for the common forms of colour blindness.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
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
