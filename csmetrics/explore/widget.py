"""The explorer's widgets: month range, filters, KPI, grouping and view controls, the
drill-down list and the exports, kept in step with the shown :class:`~.views.View`.

The controls are labelled in the explorer's language (``lang``) or, without one, in the
language current when the explorer is built, charts and notes in the language current
when they are drawn.
"""

from __future__ import annotations

import html
import math
import time
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from .. import i18n
from ..analysis import monthly_series
from ..display import kpi_label, safe_csv_frame
from ..i18n import N_, ngettext
from ..kpis import compute, public_kpis
from ..load import load
from ..periods import Period
from ..plots.labels import group_name
from ..prepare import Prepared, prepare
from .data import (
    FILTER_COLUMNS,
    drill_rows,
    filter_notes,
    filter_prepared,
    month_range,
    months_of,
)
from .views import VIEW_NAMES, VIEWS, View, render_view, shown_group_value, status_html

GROUPS = ("(none)", "month", *FILTER_COLUMNS)
#: Most rows behind a number shown under the view (exports hold them all).
SHOWN_ROWS = 200
CATEGORY_TITLES = {
    "effectiveness": N_("Effectiveness"),
    "cost": N_("Operational cost"),
    "experience": N_("Customer experience"),
    "channels": N_("Channels"),
}


class Explorer:
    """The widget explorer (see :mod:`csmetrics.explore`).

    ``lang`` is the language of every text it shows (controls, charts, the status line,
    captions); by default the current one (:func:`csmetrics.i18n.set_language`).
    """

    def __init__(
        self, prepared: Prepared, export_dir: str | Path = "exports", *, lang: str | None = None
    ) -> None:
        self.prepared = prepared
        self.lang = lang
        i18n.set_currency(prepared.config.currency)  # amounts on the charts
        self.export_dir = Path(export_dir)
        self._filtered: dict = {}
        self._results: dict = {}
        self.last: View | None = None
        self.last_latency_s = math.nan
        self.figure = None
        self._build_controls()
        self._connect()
        self.widget = self._layout()
        self.refresh()

    def _text(self, message: str) -> str:
        """An ``N_``-marked message in the explorer's language."""
        return i18n.translate(message, self.lang)

    def _build_controls(self) -> None:
        """The controls, labelled in the explorer's language; their values stay ids."""
        import ipywidgets as w

        t, lang = self._text, self.lang
        months = months_of(self.prepared) or ["all"]
        # Translators: the first month of the explorer's month range
        first = t(N_("From"))
        self.start = w.Dropdown(
            options=months, value=months[max(0, len(months) - 12)], description=first
        )
        # Translators: the last month of the explorer's month range
        self.end = w.Dropdown(options=months, value=months[-1], description=t(N_("To")))
        self.filters = _filter_controls(self.prepared, lang=lang)
        self.kpi = w.Dropdown(
            options=_kpi_options(lang=lang),
            value="fcr_rate",
            description=t(N_("KPI")),
            layout=w.Layout(width="460px"),
        )
        groups = [
            (t(N_("(none)")) if g == "(none)" else group_name(g, lang=lang), g) for g in GROUPS
        ]
        self.group = w.Dropdown(options=groups, value="month", description=t(N_("Group by")))
        views = [(t(VIEW_NAMES[v]), v) for v in VIEWS]
        self.view = w.ToggleButtons(options=views, value="trend", description=t(N_("View")))
        self.drill = w.Dropdown(options=[], description=t(N_("Drill into")))
        self.export_csv_button = w.Button(description=t(N_("Export CSV")), icon="download")
        self.export_png_button = w.Button(description=t(N_("Export PNG")), icon="image")
        self.status = w.HTML()
        self.out = w.Output()
        self.rows_out = w.Output()

    def _connect(self) -> None:
        """Redraw on every change of a control; drill down and export on request."""
        for ctl in (self.start, self.end, self.kpi, self.group, self.view, *self.filters.values()):
            ctl.observe(lambda change: self.refresh(), names="value")
        self.drill.observe(lambda change: self.show_drill(), names="value")
        self.export_csv_button.on_click(lambda b: self.export_csv())
        self.export_png_button.on_click(lambda b: self.export_png())

    def _layout(self):
        """The controls, the view and the rows behind it, top to bottom."""
        import ipywidgets as w

        filters = w.HBox(list(self.filters.values()), layout=w.Layout(flex_flow="row wrap"))
        return w.VBox(
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

    def _repr_mimebundle_(self, **kwargs) -> dict:
        """The live widget in JupyterLab; a plain note where widgets cannot run (HTML)."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data)
        data.pop("text/plain", None)
        # Translators: {command} is the command that starts JupyterLab (make lab)
        message = N_(
            "The interactive explorer runs in JupyterLab ({command}); this page shows "
            "its default view above."
        )
        note = html.escape(self._text(message)).format(command="<code>make lab</code>")
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
        return filter_notes(self.prepared, self.kpi.value, self.current_filters(), lang=self.lang)

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
            self.figure = render_view(self.filtered(), self.last, lang=self.lang)
            if self.figure is not None:
                plt.show()
        self.drill.options = _drill_options(group, res, lang=self.lang)
        self.last_latency_s = time.perf_counter() - start
        self.status.value = status_html(self.last, self.last_latency_s, lang=self.lang)

    def show_drill(self) -> pd.DataFrame:
        """Show (and return) the rows behind the selected bar or month."""
        rows = self.drill_rows()
        self.rows_out.clear_output(wait=True)
        with self.rows_out:
            from IPython.display import display

            from ..display import table

            caption = _rows_caption(len(rows), lang=self.lang)
            display(table(rows.head(SHOWN_ROWS), caption=caption, lang=self.lang))
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
        self._say_saved(path)
        return path

    def export_png(self, path: str | Path | None = None) -> Path:
        """Write the current chart as PNG; returns the path."""
        path = Path(path) if path else self.export_dir / f"{self._stem()}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        fig = self.figure or render_view(self.filtered(), self.last, lang=self.lang)
        fig.savefig(path, dpi=110, bbox_inches="tight")
        self._say_saved(path)
        return path

    def _say_saved(self, path: Path) -> None:
        """Add the file just written to the status line."""
        # Translators: {path} is the file just written
        saved = self._text(N_("Saved {path}")).format(path=path)
        self.status.value += "<br>" + html.escape(saved)

    def _stem(self) -> str:
        v = self.last
        return f"{v.kpi}_{v.group or 'all'}_{v.view}_{v.period.label.replace('..', '_')}"


def _filter_controls(prepared: Prepared, *, lang: str | None = None) -> dict:
    """A multiple choice per filter column that some table has, of its values (sorted)."""
    import ipywidgets as w

    controls = {}
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
            controls[col] = w.SelectMultiple(
                options=values, rows=min(6, len(values)), description=group_name(col, lang=lang)
            )
    return controls


def _kpi_options(*, lang: str | None = None) -> list[tuple[str, str]]:
    """The public KPIs as ``(category · label, id)`` choices, grouped by category."""
    options = []
    for cat in CATEGORY_TITLES:
        title = i18n.translate(CATEGORY_TITLES[cat], lang)
        options += [
            (f"{title} · {kpi_label(k.id, lang=lang)}", k.id)
            for k in public_kpis()
            if k.category == cat
        ]
    return options


def _drill_options(
    group: str | None, res: pd.DataFrame, *, lang: str | None = None
) -> list[tuple[str, str]]:
    """The drill-down choices: every row, or the rows of one group of the records."""
    keys = [str(v) for v in res[group].dropna().tolist()] if group and group in res else []
    every = (i18n.translate(N_("(all)"), lang), "(all)")
    return [every, *[(shown_group_value(group, k, lang=lang), k) for k in keys]]


def _rows_caption(count: int, *, lang: str | None = None) -> str:
    """The caption of the rows behind a number: how many, and how many are shown."""
    n = i18n.number(count, lang=lang)
    if count > SHOWN_ROWS:
        # Translators: {n} rows (more than {shown}) of which the first {shown} are shown
        caption = i18n.translate(N_("{n} rows behind the number (first {shown} shown)"), lang)
        return caption.format(n=n, shown=i18n.number(SHOWN_ROWS, lang=lang))
    caption = ngettext("{n} row behind the number", "{n} rows behind the number", count, lang=lang)
    return caption.format(n=n)
