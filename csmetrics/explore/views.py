"""What the explorer shows: a view (a KPI, a grouping, a kind of chart, a period and its
records), drawn with the report's chart functions, and the status line under it.

:func:`static_view` draws the default views without widgets (headless runs).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes

from .. import i18n, plots
from ..analysis import monthly_series
from ..display import counts_observations, kpi_label, labelled, shown_value
from ..i18n import N_, ngettext
from ..kpis import REGISTRY, compute, get
from ..periods import Period
from ..prepare import Prepared
from .data import drill_rows, month_range, months_of

VIEWS = ("trend", "bars", "distribution", "table")
#: The views as shown on the explorer's buttons.
VIEW_NAMES = {
    # Translators: a view of the explorer: the KPI by month
    "trend": N_("trend"),
    # Translators: a view of the explorer: the KPI compared across groups
    "bars": N_("bars"),
    # Translators: a view of the explorer: the distribution of per-row values
    "distribution": N_("distribution"),
    # Translators: a view of the explorer: the KPI records as a table
    "table": N_("table"),
}


@dataclass
class View:
    """What the explorer currently shows."""

    kpi: str
    group: str | None
    view: str
    period: Period
    result: pd.DataFrame
    #: Sentences on filters that do not apply to the tables behind the KPI
    notes: tuple[str, ...] = ()


def shown_group_value(group: str | None, value: str, *, lang: str | None = None) -> str:
    """A group value as shown in the explorer's lists (months as ``Sep 2026``).

    Examples
    --------
    >>> shown_group_value("month", "2026-09"), shown_group_value("channel", "(missing)")
    ('Sep 2026', '(missing)')
    """
    if group == "month":
        return i18n.month(value, short=True, lang=lang)
    return str(shown_value(value, lang=lang))


def status_html(view: View, latency: float, *, lang: str | None = None) -> str:
    """The line under a view (HTML, every text escaped): the KPI, the period, how many
    values (and their ``n`` where it counts observations), low-sample values, the time
    the view took and the notes on filters.

    Parameters
    ----------
    view : View
        The view shown (its notes are written as they are).
    latency : float
        The seconds the view took (written in milliseconds).
    lang : str, optional
        The language of the line (default: the current one).

    Returns
    -------
    str
        The line as HTML.
    """
    res = view.result
    k = get(view.kpi)
    label = html.escape(str(kpi_label(k.id, lang=lang)))
    avail = res[res["available"]] if "available" in res else res
    notes = "".join(f"<br><em>{html.escape(note)}</em>" for note in view.notes)
    if avail.empty:
        note = res["note"].iloc[0] if len(res) else i18n.translate(N_("no data"), lang)
        return f"<b>{label}</b>: {html.escape(str(note))}{notes}"
    text = (
        f"<b>{label}</b> · {html.escape(i18n.period(view.period.label, lang=lang))} · "
        f"{html.escape(_values_text(k.id, k.kind, avail, lang))}"
    )
    low = int(avail["low_sample"].sum())
    if low:
        # Translators: {count} values computed from fewer than 30 observations
        warn = ngettext(
            "{count} low-sample (n < 30)", "{count} low-sample (n < 30)", low, lang=lang
        )
        warn = warn.format(count=i18n.number(low, lang=lang))
        text += f" · <span style='color:#D55E00'>{html.escape(warn)}</span>"
    text += f" · {i18n.number(latency * 1000, lang=lang)} ms"
    return text + notes


def _values_text(kpi: str, kind: str, avail: pd.DataFrame, lang: str | None) -> str:
    """How many values a view shows, with their ``n`` where it counts observations."""
    count = i18n.number(len(avail), lang=lang)
    if counts_observations(kpi):
        n = int(avail["n"].sum()) if kind not in ("ratio",) else int(avail["n"].max())
        # Translators: {count} values of a KPI shown; n is the number of observations behind them
        values = ngettext(
            "{count} value, n = {n}", "{count} values, n = {n}", len(avail), lang=lang
        )
        return values.format(count=count, n=i18n.number(n, lang=lang))
    # n of a ratio of money or hours counts no observations
    # Translators: {count} values of a KPI shown
    values = ngettext("{count} value", "{count} values", len(avail), lang=lang)
    return values.format(count=count)


def render_view(prepared: Prepared, view: View, *, lang: str | None = None):
    """Draw one view with the report's chart functions; returns the Figure (None for
    the table view, which is displayed as a table). ``lang``: the language of the
    chart or table (default: the current one)."""
    from IPython.display import display

    from ..display import table

    if view.view == "table":
        res = view.result
        cols = [c for c in res.columns if c not in ("period",)]
        display(table(labelled(res[cols], lang=lang), lang=lang))
        return None
    fig, ax = plt.subplots(figsize=(9, 4))
    if view.view == "trend":
        _draw_trend(prepared, view, ax, lang)
    elif view.view == "bars":
        _draw_bars(prepared, view, ax, lang)
    else:
        _draw_distribution(prepared, view, ax, lang)
    return fig


def _draw_trend(prepared: Prepared, view: View, ax: Axes, lang: str | None) -> None:
    """The KPI by month (one line per group when grouped by something else)."""
    kpi, group = view.kpi, view.group
    target = prepared.config.targets.get(kpi)
    if group == "month":
        plots.kpi_trend(view.result, kpi, ax=ax, target=target, lang=lang)
        return
    by = [group] if group else []
    monthly = monthly_series(prepared, [kpi], view.period, months=None, by=by)
    plots.kpi_trend(monthly, kpi, ax=ax, target=target, group=group, lang=lang)


def _draw_bars(prepared: Prepared, view: View, ax: Axes, lang: str | None) -> None:
    """The KPI compared across groups (one bar when not grouped)."""
    res, group = view.result, view.group
    if group is None:
        # Translators: the one bar of a KPI not split into groups
        res = res.assign(all=i18n.translate(N_("all"), lang))
        group = "all"
    target = prepared.config.targets.get(view.kpi)
    plots.kpi_by_group(res, view.kpi, group, ax=ax, target=target, lang=lang)


def _draw_distribution(prepared: Prepared, view: View, ax: Axes, lang: str | None) -> None:
    """The distribution of the KPI's per-row values (durations), or a note saying the
    KPI has none."""
    k, group = REGISTRY[view.kpi], view.group
    label = kpi_label(k.id, lang=lang)
    rows = drill_rows(prepared, view.kpi, view.period)
    if not (k.value and k.value in rows and k.kind in ("mean", "quantile")):
        ax.text(
            0.5,
            0.5,
            # Translators: {kpi} is a KPI's name; "trend" and "bars" are views of the explorer
            i18n.translate(N_("{kpi} has no per-row distribution; see trend or bars"), lang).format(
                kpi=label
            ),
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        ax.set_axis_off()
        return
    data = pd.DataFrame({"hours": rows[k.value] / 3600})
    if group and group != "month" and group in rows:
        data[group] = rows[group].fillna("(missing)")
    # Translators: {kpi} is a KPI's name
    title = i18n.translate(N_("{kpi}: distribution"), lang).format(kpi=label)
    shown_group = group if group != "month" else None
    plots.duration_distribution(data, title, ax=ax, group=shown_group, lang=lang)


def static_view(
    prepared: Prepared,
    kpi: str = "fcr_rate",
    group: str = "channel",
    months: int = 12,
    *,
    lang: str | None = None,
) -> pd.DataFrame:
    """The explorer's default views without widgets (for HTML and papermill runs).

    Draws the KPI's trend over the last ``months`` months and its comparison by
    ``group`` for the latest month (in ``lang``, by default the current language), and
    returns the latest month's records.
    """
    ms = months_of(prepared)
    if not ms:
        return pd.DataFrame()
    last = month_range(ms[-1], ms[-1], prepared.config.timezone)
    span = month_range(ms[max(0, len(ms) - months)], ms[-1], prepared.config.timezone)
    trend = monthly_series(prepared, [kpi], span, months=None)
    _, axes = plt.subplots(1, 2, figsize=(12, 4))
    target = prepared.config.targets.get(kpi)
    plots.kpi_trend(trend, kpi, ax=axes[0], target=target, lang=lang)
    latest = compute(prepared, last, by=[group], kpis=[kpi])
    plots.kpi_by_group(latest, kpi, group, ax=axes[1], target=target, lang=lang)
    plt.show()
    return latest
