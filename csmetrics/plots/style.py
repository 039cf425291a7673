"""The workbook's one visual style: palette, figure size, and the Axes every chart draws on.

The palette is Okabe–Ito, which stays distinguishable for the common forms of colour
blindness.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
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
    _show_at_set_size()


def _show_at_set_size() -> None:
    """In an IPython kernel, show each figure at its set size (``bbox_inches=None``)
    instead of cropped to what it draws, the inline backend's default.

    The style's layout (``figure.autolayout``) already fits every label into the
    figure, so cropping only trims a few pixels of margin, and it costs a second
    drawing of every figure: about 10 % of a report's time. The setting is the inline
    backend's own (``InlineBackend.print_figure_kwargs``); outside IPython nothing
    changes.
    """
    import sys

    if "matplotlib_inline" not in sys.modules and "ipykernel" not in sys.modules:
        return
    from IPython import get_ipython

    if get_ipython() is None:
        return
    from matplotlib_inline.config import InlineBackend

    cfg = InlineBackend.instance()
    if cfg.print_figure_kwargs.get("bbox_inches", "tight") is not None:
        cfg.print_figure_kwargs = {**cfg.print_figure_kwargs, "bbox_inches": None}


def axes_for(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> Axes:
    """``ax``, or the Axes of a new figure of ``figsize`` when it is None."""
    if ax is None:
        _fig, ax = plt.subplots(figsize=figsize)
    return ax


def no_data(ax: Axes, text: str) -> Axes:
    """``ax`` saying ``text`` (why there is nothing to draw) instead of a chart."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return ax


def legend_above(ax: Axes, ncols: int) -> None:
    """A legend in one row above the plot (stacked bars and areas)."""
    ax.legend(
        fontsize=8, frameon=False, ncols=ncols, loc="lower center", bbox_to_anchor=(0.5, 1.08)
    )
