"""An ipywidgets explorer for analysts, on the same registry and engine as the report.

>>> from csmetrics.explore import Explorer
>>> ex = Explorer.from_folder("data/sample")      # doctest: +SKIP
>>> ex.widget                                      # doctest: +SKIP

Pick a period range, filter (channel, team, agent, priority, category, queue), choose a
KPI (grouped by category), a grouping and a view (trend, comparison bars, distribution,
table); drill down from a bar or a month to the rows behind the number; export the view
as CSV and PNG. Results carry ``n`` (where it counts observations) and their 95%
interval; low-sample values are marked; a chosen filter that does not apply to a table
behind the KPI (a team filter and the surveys behind CSAT) is said under the view. Trends
measure each month as a period of its own, as the report does. Interactions are cached
(filtered tables and results), so changing a view back is instant.

Executed headless (papermill, nbconvert) the explorer cannot show live widgets;
:func:`static_view` draws the default view with the same functions instead.

The controls are labelled in the language current when the explorer is built, charts
and notes in the language current when they are drawn (:func:`csmetrics.i18n.set_language`);
the controls' values stay ids (``"channel"``, ``"bars"``). The rows behind a number are
shown with the data's own column names.
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import i18n, plots
from .analysis import monthly_series
from .display import counts_observations, labelled, safe_csv_frame, shown_value
from .i18n import N_, _, ngettext
from .kpis import REGISTRY, compute, get, public_kpis
from .kpis.engine import make_ctx
from .load import load
from .periods import Period
from .prepare import Prepared, prepare

FILTER_COLUMNS = ("channel", "team", "agent_id", "priority", "category", "queue")
GROUPS = ("(none)", "month", *FILTER_COLUMNS)
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
CATEGORY_TITLES = {
    "effectiveness": N_("Effectiveness"),
    "cost": N_("Operational cost"),
    "experience": N_("Customer experience"),
    "channels": N_("Channels"),
}


def months_of(prepared: Prepared) -> list[str]:
    """Every month the tickets, calls or surveys cover (``YYYY-MM``), sorted."""
    found: set[str] = set()
    for table, col in (
        ("tickets", "created_month"),
        ("calls", "arrived_month"),
        ("surveys", "sent_month"),
        ("monthly_metrics", "period_month"),
    ):
        df = prepared.tables.get(table)
        if df is not None and col in df:
            found |= set(df[col].dropna().unique())
    return sorted(found)


def month_range(first: str, last: str, tz: str) -> Period:
    """The period from the start of ``first`` to the end of ``last`` (months ``YYYY-MM``)."""
    a, b = sorted([first, last])
    start = pd.Period(a, freq="M").start_time.tz_localize(tz)
    end = (pd.Period(b, freq="M") + 1).start_time.tz_localize(tz)
    label = a if a == b else f"{a}..{b}"
    return Period(label, "range" if a != b else "month", start, end)


def filter_prepared(prepared: Prepared, filters: dict[str, Sequence[str]]) -> Prepared:
    """The prepared tables keeping only rows whose filter columns hold a chosen value.

    A filter applies to every table that has its column; tables without it are kept
    whole (e.g. a team filter leaves revenue unchanged). Empty choices mean "all".
    """
    active = {c: list(v) for c, v in filters.items() if v}
    if not active:
        return prepared
    tables = {}
    for name, df in prepared.tables.items():
        mask = np.ones(len(df), dtype=bool)
        for col, values in active.items():
            if col in df:
                mask &= df[col].isin(values).to_numpy()
        tables[name] = df[mask].reset_index(drop=True) if not mask.all() else df
    return Prepared(tables, prepared.config, prepared.as_of, prepared.excluded)


def kpi_tables(prepared: Prepared, kpi_id: str) -> list[str]:
    """The tables of ``prepared`` behind a KPI: its own table (or ``monthly_metrics``
    when that stands in for it) and, for a ratio, the tables of its parts; sorted.

    Examples
    --------
    >>> kpi_tables(p, "cost_per_contact")  # doctest: +SKIP
    ['calls', 'costs', 'tickets']
    """
    seen: set[str] = set()
    found: set[str] = set()

    def visit(kid: str) -> None:
        if kid in seen or kid not in REGISTRY:
            return
        seen.add(kid)
        k = REGISTRY[kid]
        if k.table in prepared.tables:
            found.add(k.table)
        elif "monthly_metrics" in prepared.tables:
            found.add("monthly_metrics")
        for part in (*k.ratio[0], *k.ratio[1]) if k.ratio else ():
            visit(part)

    visit(kpi_id)
    return sorted(found)


def unfiltered_tables(
    prepared: Prepared, kpi_id: str, filters: dict[str, Sequence[str]]
) -> dict[str, list[str]]:
    """For each chosen filter, the tables behind the KPI (:func:`kpi_tables`) that do not
    have its column, so that the filter leaves them whole (:func:`filter_prepared`).

    Filters without a choice, and filters that apply to every table, are left out; the
    result follows :data:`FILTER_COLUMNS`' order.

    Examples
    --------
    >>> unfiltered_tables(p, "csat_score", {"team": ["A"]})  # doctest: +SKIP
    {'team': ['surveys']}
    """
    tables = kpi_tables(prepared, kpi_id)
    order = {c: i for i, c in enumerate(FILTER_COLUMNS)}
    out = {}
    for col in sorted(filters, key=lambda c: (order.get(c, len(order)), c)):
        if not filters[col]:
            continue
        missing = [t for t in tables if col not in prepared.tables[t]]
        if missing:
            out[col] = missing
    return out


def filter_notes(prepared: Prepared, kpi_id: str, filters: dict[str, Sequence[str]]) -> list[str]:
    """Sentences saying which chosen filters do not apply to the tables behind a KPI
    (plain text, in the current language; escape it to show it as HTML).

    Examples
    --------
    >>> filter_notes(p, "csat_score", {"team": ["A"]})[0]  # doctest: +SKIP
    'The team filter does not apply to the surveys table behind this KPI: all its rows are ...'
    """
    notes = []
    for col, tables in unfiltered_tables(prepared, kpi_id, filters).items():
        notes.append(
            ngettext(
                # Translators: {filter} is a filter's name (channel, team...), {tables} one
                # table name (tickets, calls, surveys...)
                "The {filter} filter does not apply to the {tables} table behind this KPI: "
                "all its rows are counted.",
                # Translators: {tables} is a list of table names (calls, tickets)
                "The {filter} filter does not apply to the {tables} tables behind this KPI: "
                "all their rows are counted.",
                len(tables),
            ).format(filter=plots.group_name(col), tables=", ".join(tables))
        )
    return notes


def drill_rows(
    prepared: Prepared,
    kpi_id: str,
    period: Period,
    group: str | None = None,
    value: str | None = None,
) -> pd.DataFrame:
    """The rows behind a KPI value: the KPI's table in the period (by its basis), in the
    group, restricted to the rows the KPI uses (those with a value for it).

    Columns: the row id, the canonical text columns and the KPI's value column.
    """
    k = get(kpi_id)
    table = prepared.tables.get(k.table)
    if table is None:
        return pd.DataFrame()
    df = table
    basis = k.basis
    if basis and basis in df:
        ctx = make_ctx(prepared, period)
        if ctx.start_s is not None:
            if basis == "period_month":
                df = df[df[basis].isin(ctx.months)]
            else:
                df = df[(df[basis] >= ctx.start_s) & (df[basis] < ctx.end_s)]
    if group and value is not None:
        col = k.month_column if group == "month" else group
        if col not in df:
            return pd.DataFrame()
        key = df[col].fillna("(missing)")
        df = df[key == value]
    if k.value and k.value in df and k.kind in ("rate", "mean", "quantile", "sum"):
        df = df[df[k.value].notna()]
    ids = [
        c
        for c in (
            "ticket_id",
            "call_id",
            "survey_id",
            "incident_id",
            "customer_id",
            "agent_id",
            "period",
        )
        if c in df
    ]
    text = [
        c
        for c in ("channel", "team", "priority", "category", "queue", "metric", "status")
        if c in df and c not in ids
    ]
    times = [c for c in df.columns if c.endswith("_month")][:1]
    vals = [k.value] if k.value and k.value in df else []
    return df[list(dict.fromkeys([*ids, *text, *times, *vals]))].reset_index(drop=True)


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


class Explorer:
    """The widget explorer (see the module docstring)."""

    def __init__(self, prepared: Prepared, export_dir: str | Path = "exports") -> None:
        import ipywidgets as w

        self.prepared = prepared
        i18n.set_currency(prepared.config.currency)  # amounts on the charts
        self.export_dir = Path(export_dir)
        self._filtered: dict = {}
        self._results: dict = {}
        self.last: View | None = None
        self.last_latency_s = math.nan
        self.figure = None
        months = months_of(prepared) or ["all"]
        # Translators: the first month of the explorer's month range
        first = _("From")
        self.start = w.Dropdown(
            options=months, value=months[max(0, len(months) - 12)], description=first
        )
        # Translators: the last month of the explorer's month range
        self.end = w.Dropdown(options=months, value=months[-1], description=_("To"))
        self.filters = {}
        for col in FILTER_COLUMNS:
            values = sorted(
                {
                    str(v)
                    for df in prepared.tables.values()
                    if col in df
                    for v in df[col].dropna().unique()
                }
            )
            if values:
                self.filters[col] = w.SelectMultiple(
                    options=values,
                    rows=min(6, len(values)),
                    description=plots.group_name(col),
                )
        options = []
        for cat in CATEGORY_TITLES:
            options += [
                (f"{_(CATEGORY_TITLES[cat])} · {k.label}", k.id)
                for k in public_kpis()
                if k.category == cat
            ]
        self.kpi = w.Dropdown(
            options=options, value="fcr_rate", description=_("KPI"), layout=w.Layout(width="460px")
        )
        groups = [(_("(none)") if g == "(none)" else plots.group_name(g), g) for g in GROUPS]
        self.group = w.Dropdown(options=groups, value="month", description=_("Group by"))
        self.view = w.ToggleButtons(
            options=[(_(VIEW_NAMES[v]), v) for v in VIEWS], value="trend", description=_("View")
        )
        self.drill = w.Dropdown(options=[], description=_("Drill into"))
        self.export_csv_button = w.Button(description=_("Export CSV"), icon="download")
        self.export_png_button = w.Button(description=_("Export PNG"), icon="image")
        self.status = w.HTML()
        self.out = w.Output()
        self.rows_out = w.Output()
        for ctl in (self.start, self.end, self.kpi, self.group, self.view, *self.filters.values()):
            ctl.observe(lambda change: self.refresh(), names="value")
        self.drill.observe(lambda change: self.show_drill(), names="value")
        self.export_csv_button.on_click(lambda b: self.export_csv())
        self.export_png_button.on_click(lambda b: self.export_png())
        filters = w.HBox(list(self.filters.values()), layout=w.Layout(flex_flow="row wrap"))
        self.widget = w.VBox(
            [
                w.HBox([self.start, self.end]),
                filters,
                w.HBox([self.kpi, self.group]),
                self.view,
                self.status,
                self.out,
                w.HBox([self.drill, self.export_csv_button, self.export_png_button]),
                self.rows_out,
            ]
        )
        self.refresh()

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The live widget in JupyterLab; a plain note where widgets cannot run (HTML)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data)
        data.pop("text/plain", None)
        note = html.escape(
            # Translators: {command} is the command that starts JupyterLab (make lab)
            _(
                "The interactive explorer runs in JupyterLab ({command}); this page shows "
                "its default view above."
            )
        ).format(command="<code>make lab</code>")
        data["text/html"] = f"<p><em>{note}</em></p>"
        return data

    @classmethod
    def from_folder(
        cls, data_dir: str | Path | None = None, config: str | Path | None = None, **kw
    ) -> Explorer:
        """Load and prepare a data folder, then build the explorer."""
        return cls(prepare(load(data_dir, config)), **kw)

    # -- state -------------------------------------------------------------------------

    def current_filters(self) -> dict[str, tuple[str, ...]]:
        """The chosen values of every filter (empty = all)."""
        return {c: tuple(wdg.value) for c, wdg in self.filters.items() if wdg.value}

    def period(self) -> Period:
        """The chosen month range."""
        if self.start.value == "all":
            return Period.parse("all")
        return month_range(self.start.value, self.end.value, self.prepared.config.timezone)

    def filtered(self) -> Prepared:
        """The prepared data under the current filters (cached)."""
        key = tuple(sorted(self.current_filters().items()))
        if key not in self._filtered:
            self._filtered[key] = filter_prepared(self.prepared, dict(key))
        return self._filtered[key]

    def result(self) -> pd.DataFrame:
        """The current KPI records (cached per filters, KPI, grouping and period)."""
        group = None if self.group.value == "(none)" else self.group.value
        p = self.period()
        key = (tuple(sorted(self.current_filters().items())), self.kpi.value, group, p.label)
        if key not in self._results:
            if group == "month":  # each month as of its own end, as the report measures it
                res = monthly_series(self.filtered(), [self.kpi.value], p, months=None)
            else:
                res = compute(
                    self.filtered(), p, by=[group] if group else [], kpis=[self.kpi.value]
                )
            self._results[key] = res
        return self._results[key]

    def notes(self) -> list[str]:
        """Which chosen filters do not apply to the tables behind the shown KPI."""
        return filter_notes(self.prepared, self.kpi.value, self.current_filters())

    # -- rendering -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute (or fetch from the cache) and redraw the current view."""
        start = time.perf_counter()
        group = None if self.group.value == "(none)" else self.group.value
        res = self.result()
        self.last = View(
            self.kpi.value, group, self.view.value, self.period(), res, tuple(self.notes())
        )
        self.out.clear_output(wait=True)
        if self.figure is not None:  # one live figure per explorer, however long the session
            plt.close(self.figure)
        with self.out:
            self.figure = render_view(self.filtered(), self.last)
            if self.figure is not None:
                plt.show()
        keys = (
            []
            if group is None
            else [str(v) for v in res[group].dropna().tolist()]
            if group in res
            else []
        )
        self.drill.options = [(_("(all)"), "(all)"), *[(_shown(group, k), k) for k in keys]]
        self.last_latency_s = time.perf_counter() - start
        self.status.value = _status_html(self.last, self.last_latency_s)

    def show_drill(self) -> pd.DataFrame:
        """Show (and return) the rows behind the selected bar or month."""
        rows = self.drill_rows()
        self.rows_out.clear_output(wait=True)
        with self.rows_out:
            from IPython.display import display

            from .display import table

            n = i18n.number(len(rows))
            if len(rows) > 200:
                # Translators: {n} rows (more than {shown}) of which the first {shown} are shown
                caption = _("{n} rows behind the number (first {shown} shown)").format(
                    n=n, shown=i18n.number(200)
                )
            else:
                caption = ngettext(
                    "{n} row behind the number", "{n} rows behind the number", len(rows)
                ).format(n=n)
            display(table(rows.head(200), caption=caption))
        return rows

    def drill_rows(self) -> pd.DataFrame:
        """The rows behind the drill selection of the current view."""
        v = self.last
        choice = self.drill.value
        value = None if choice in (None, "(all)") else choice
        return drill_rows(self.filtered(), v.kpi, v.period, v.group if value else None, value)

    # -- exports -------------------------------------------------------------------------

    def export_csv(self, path: str | Path | None = None) -> Path:
        """Write the current view's records as CSV (formula-safe); returns the path."""
        path = Path(path) if path else self.export_dir / f"{self._stem()}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        safe_csv_frame(self.last.result).to_csv(path, index=False)
        # Translators: {path} is the file just written
        self.status.value += "<br>" + html.escape(_("Saved {path}").format(path=path))
        return path

    def export_png(self, path: str | Path | None = None) -> Path:
        """Write the current chart as PNG; returns the path."""
        path = Path(path) if path else self.export_dir / f"{self._stem()}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        fig = self.figure or render_view(self.filtered(), self.last)
        fig.savefig(path, dpi=110, bbox_inches="tight")
        # Translators: {path} is the file just written
        self.status.value += "<br>" + html.escape(_("Saved {path}").format(path=path))
        return path

    def _stem(self) -> str:
        v = self.last
        return f"{v.kpi}_{v.group or 'all'}_{v.view}_{v.period.label.replace('..', '_')}"


def _shown(group: str | None, value: str) -> str:
    """A group value as shown in the explorer's lists (months as ``Sep 2026``)."""
    if group == "month":
        return i18n.month(value, short=True)
    return str(shown_value(value))


def _status_html(view: View, latency: float) -> str:
    res = view.result
    k = get(view.kpi)
    avail = res[res["available"]] if "available" in res else res
    notes = "".join(f"<br><em>{html.escape(note)}</em>" for note in view.notes)
    if avail.empty:
        note = res["note"].iloc[0] if len(res) else _("no data")
        return f"<b>{html.escape(k.label)}</b>: {html.escape(str(note))}{notes}"
    low = int(avail["low_sample"].sum())
    if counts_observations(k.id):
        n = int(avail["n"].sum()) if k.kind not in ("ratio",) else int(avail["n"].max())
        # Translators: {count} values of a KPI shown; n is the number of observations behind them
        values = ngettext("{count} value, n = {n}", "{count} values, n = {n}", len(avail)).format(
            count=i18n.number(len(avail)), n=i18n.number(n)
        )
    else:  # n of a ratio of money or hours counts no observations
        # Translators: {count} values of a KPI shown
        values = ngettext("{count} value", "{count} values", len(avail)).format(
            count=i18n.number(len(avail))
        )
    text = (
        f"<b>{html.escape(k.label)}</b> · {html.escape(i18n.period(view.period.label))} · "
        f"{html.escape(values)}"
    )
    if low:
        # Translators: {count} values computed from fewer than 30 observations
        warn = ngettext("{count} low-sample (n < 30)", "{count} low-sample (n < 30)", low)
        warn = warn.format(count=i18n.number(low))
        text += f" · <span style='color:#D55E00'>{html.escape(warn)}</span>"
    text += f" · {i18n.number(latency * 1000)} ms"
    return text + notes


def render_view(prepared: Prepared, view: View):
    """Draw one view with the report's chart functions; returns the Figure (None for
    the table view, which is displayed as a table)."""
    from IPython.display import display

    from .display import table

    res, kpi, group = view.result, view.kpi, view.group
    k = REGISTRY[kpi]
    if view.view == "table":
        cols = [c for c in res.columns if c not in ("period",)]
        display(table(labelled(res[cols])))
        return None
    fig, ax = plt.subplots(figsize=(9, 4))
    if view.view == "trend":
        if group == "month":
            plots.kpi_trend(res, kpi, ax=ax, target=prepared.config.targets.get(kpi))
        else:
            monthly = monthly_series(
                prepared, [kpi], view.period, months=None, by=[group] if group else []
            )
            plots.kpi_trend(
                monthly, kpi, ax=ax, target=prepared.config.targets.get(kpi), group=group
            )
    elif view.view == "bars":
        if group is None:
            # Translators: the one bar of a KPI not split into groups
            res = res.assign(all=_("all"))
            group = "all"
        plots.kpi_by_group(res, kpi, group, ax=ax, target=prepared.config.targets.get(kpi))
    else:
        rows = drill_rows(prepared, kpi, view.period)
        if k.value and k.value in rows and k.kind in ("mean", "quantile"):
            data = pd.DataFrame({"hours": rows[k.value] / 3600})
            if group and group != "month" and group in rows:
                data[group] = rows[group].fillna("(missing)")
            # Translators: {kpi} is a KPI's name
            title = _("{kpi}: distribution").format(kpi=k.label)
            plots.duration_distribution(
                data, title, ax=ax, group=group if group != "month" else None
            )
        else:
            ax.text(
                0.5,
                0.5,
                # Translators: {kpi} is a KPI's name; "trend" and "bars" are views of the explorer
                _("{kpi} has no per-row distribution; see trend or bars").format(kpi=k.label),
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
            ax.set_axis_off()
    return fig


def static_view(
    prepared: Prepared, kpi: str = "fcr_rate", group: str = "channel", months: int = 12
) -> pd.DataFrame:
    """The explorer's default views without widgets (for HTML and papermill runs).

    Draws the KPI's trend over the last ``months`` months and its comparison by
    ``group`` for the latest month, and returns the latest month's records.
    """
    ms = months_of(prepared)
    if not ms:
        return pd.DataFrame()
    last = month_range(ms[-1], ms[-1], prepared.config.timezone)
    span = month_range(ms[max(0, len(ms) - months)], ms[-1], prepared.config.timezone)
    trend = monthly_series(prepared, [kpi], span, months=None)
    _, axes = plt.subplots(1, 2, figsize=(12, 4))
    plots.kpi_trend(trend, kpi, ax=axes[0], target=prepared.config.targets.get(kpi))
    latest = compute(prepared, last, by=[group], kpis=[kpi])
    plots.kpi_by_group(latest, kpi, group, ax=axes[1], target=prepared.config.targets.get(kpi))
    plt.show()
    return latest
