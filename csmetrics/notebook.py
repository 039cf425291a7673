"""What every report notebook does first, in one call, so the notebooks stay thin.

>>> s = open_section("Effectiveness", data_dir=None, period=None)   # doctest: +SKIP
>>> s.show_summary(["frt_median_h", "fcr_rate"])                    # doctest: +SKIP
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from IPython.display import display

from . import analysis, i18n, plots
from .display import format_value, shown_n, table
from .i18n import _, ngettext, set_language
from .kpis import compute, get
from .load import Workbook, load
from .markup import prose
from .periods import Period
from .prepare import Prepared, prepare
from .summary import (
    comparison_period,
    headline,
    status_label,
    summary_prose,
    target_text,
)
from .workbook import default_period


@dataclass
class Section:
    """A loaded data folder, prepared, with the period being reported on."""

    title: str
    wb: Workbook
    prepared: Prepared
    period: Period
    comparison: Period | None
    _trends: dict = field(default_factory=dict)

    @property
    def config(self):
        """The data folder's configuration."""
        return self.wb.config

    @property
    def currency(self) -> str:
        """Currency of amounts."""
        return self.wb.config.currency

    def target(self, kpi: str) -> float | None:
        """The target of a KPI in force (configured, else the checklist's benchmark: the
        one the evaluation judges against), if any."""
        from .evaluate import targets_in_force

        found = targets_in_force(self.wb.config).get(kpi)
        return None if found is None else found.value

    def has(self, *tables: str) -> bool:
        """True when every named table is present in the data folder."""
        return all(t in self.wb.tables for t in tables)

    def require(self, *tables: str) -> bool:
        """Like :meth:`has`, and says plainly which data is missing when it is."""
        missing = [t for t in tables if t not in self.wb.tables]
        if missing:
            display(
                prose(
                    "*" + _("No {tables} data in this folder: this part is not available.") + "*",
                    tables=_join(missing),
                )
            )
            return False
        empty = [t for t in tables if not self.rows(t)]
        if empty:
            display(
                prose(
                    "*"
                    # Translators: {tables} names tables ("tickets", "costs or finance");
                    # {period} is the report period in words
                    + _("No data for this period: the {tables} table has no rows in {period}.")
                    + "*",
                    tables=_join(empty),
                    period=i18n.period(self.period.label),
                )
            )
            return False
        return True

    def say_if_empty(self, tables: Sequence[str] = ("tickets", "calls", "surveys")) -> bool:
        """True, after saying so in a short paragraph, when none of ``tables`` has a row
        in the section's period."""
        if any(self.rows(t) for t in tables):
            return False
        display(
            prose(
                "*"
                # Translators: {tables} names tables ("tickets or calls or surveys")
                + _("No data for this period: no {tables} rows in {period}.")
                + "*",
                tables=_join(tables),
                period=i18n.period(self.period.label),
            )
        )
        return True

    def rows(self, table: str) -> int:
        """Rows of ``table`` in the section's period (see :func:`rows_in_period`)."""
        return rows_in_period(self.prepared, table, self.period)

    def kpis(
        self, kpis: Sequence[str], by: Sequence[str] = (), period: str | Period | None = None
    ) -> pd.DataFrame:
        """KPI records for the section's period (or another), optionally grouped."""
        return compute(self.prepared, period or self.period, by=by, kpis=list(kpis))

    def headline(self, kpis: Sequence[str]) -> pd.DataFrame:
        """Value, target, status and change against the comparison period."""
        cmp_label = self.comparison.label if self.comparison else None
        return headline(self.prepared, self.period, kpis, comparison=cmp_label)

    def show_summary(self, kpis: Sequence[str]) -> None:
        """Display the plain-language summary of the section's key numbers."""
        df = self.headline(kpis)
        head = prose(_("**In short ({period}).**"), period=i18n.period(self.period.label))
        if self.comparison:
            head.add(
                _("Changes are against **{period}**."),
                period=i18n.period(self.comparison.label),
            )
        display(head.add("") + summary_prose(df, self.currency))

    def show_kpi_table(self, kpis: Sequence[str]) -> None:
        """Display a table of KPIs: value, 95% interval, n, target, status, change."""
        df = self.headline(kpis)
        rows = []
        for r in df.to_dict(orient="records"):
            ci = (
                ""
                if pd.isna(r["ci_low"])
                else f"{format_value(r['ci_low'], r['unit'], self.currency)} – "
                f"{format_value(r['ci_high'], r['unit'], self.currency)}"
            )
            cmp = i18n.period(r["compared_with"]) if r["compared_with"] else "–"
            left_out = ngettext(
                "{n} left out (data quality)", "{n} left out (data quality)", r["excluded"]
            ).format(n=i18n.number(r["excluded"]))
            rows.append({
                _("KPI"): r["label"],
                _("value"): (format_value(r["value"], r["unit"], self.currency)
                             if r["available"] else _("not available")),
                _("95% interval"): ci,
                "n": "" if not r["available"] or not shown_n(r["kpi"], r["n"])
                     else shown_n(r["kpi"], r["n"])
                     + (" " + _("(low)") if r["low_sample"] else ""),
                _("target"): target_text(r["target"], r["unit"], r["target_source"],
                                         self.currency),
                _("status"): status_label(r["status"]),
                _("change vs {period}").format(period=cmp): format_value(
                    r["change"], r["unit"], self.currency, change=True),
                _("note"): "; ".join(x for x in (r["note"], left_out if r["excluded"] else "")
                                     if x),
            })  # fmt: skip
        display(table(pd.DataFrame(rows)))

    def trend(self, kpis: str | Sequence[str], months: int = 12) -> pd.DataFrame:
        """One KPI (an id) or several by month over the ``months`` months ending with the
        period, each month measured as a period of its own, like the section's values
        and changes (:func:`csmetrics.analysis.monthly_series`, the one month-by-month
        computation; cached). ``month_by_month`` is another name for it."""
        key = ((kpis,) if isinstance(kpis, str) else tuple(kpis), months)
        if key not in self._trends:
            self._trends[key] = analysis.monthly_series(
                self.prepared, list(key[0]), self.period, months
            )
        return self._trends[key]

    month_by_month = trend

    def plot_trend(self, kpi: str, ax=None, months: int = 12):
        """Line chart of a KPI by month with its interval and target."""
        trend = self.trend(kpi, months)
        return plots.kpi_trend(trend, kpi, ax=ax, target=self.target(kpi))

    def plot_by(self, kpi: str, group: str, ax=None):
        """Bars of a KPI per group for the period, or a plain note if not groupable."""
        df = self.kpis([kpi], by=[group])
        if not df["available"].any():
            note = df["note"].iloc[0] if len(df) else ""
            display(
                prose(
                    "*" + _("{kpi} by {group}: {note}.") + "*",
                    kpi=get(kpi).label,
                    group=plots.group_name(group),
                    note=note,
                )
            )
            return None
        return plots.kpi_by_group(df, kpi, group, ax=ax, target=self.target(kpi))


def _join(tables: Sequence[str]) -> str:
    """Table names joined with "or" in the current language (``costs or finance``)."""
    return functools.reduce(
        # Translators: joins two table names: "costs or finance"
        lambda a, b: _("{first} or {second}").format(first=a, second=b),
        tables,
    )


#: The timestamp that puts a row of a table in a period (surveys: sent or answered).
PERIOD_BASIS = {
    "tickets": ("created_ts",),
    "calls": ("arrived_ts",),
    "surveys": ("sent_ts", "answered_ts"),
    "incidents": ("started_ts",),
}


def rows_in_period(prepared: Prepared, table: str, period: Period) -> int:
    """Rows of a prepared table that belong to ``period``.

    Event tables by their timestamps (:data:`PERIOD_BASIS`; a survey counts when sent or
    answered in the period); monthly tables (costs, finance, staffing) by their month;
    tables without time (customers) count whole. An absent table has no rows.

    Examples
    --------
    >>> rows_in_period(prepared, "tickets", Period.parse("2026-10"))  # doctest: +SKIP
    5117
    """
    df = prepared.tables.get(table)
    if df is None:
        return 0
    if table in PERIOD_BASIS:
        seen = pd.Series(False, index=df.index)
        for column in PERIOD_BASIS[table]:
            if column in df:
                seen |= df.index.isin(analysis.rows_in(prepared, table, column, period).index)
        return int(seen.sum())
    if "period_month" in df:
        months = df["period_month"].dropna().astype(str)
        wanted = period.months()
        return len(months) if wanted is None else int(months.isin(list(wanted)).sum())
    return len(df)


def open_data(
    data_dir: str | None = None, config: str | None = None, handoff: str | None = None
) -> tuple[Workbook, Prepared]:
    """The data folder loaded and prepared: read from ``handoff`` when ``csmetrics report``
    gives one (it loaded and prepared the data once for every notebook), else loaded from
    ``data_dir`` (None: the bundled sample) with ``config``."""
    if handoff:
        from .handoff import read_handoff

        return read_handoff(handoff)
    wb = load(data_dir, config)
    return wb, prepare(wb)


def open_section(
    title: str,
    data_dir: str | None = None,
    period: str | None = None,
    config: str | None = None,
    comparison_period: str | None = None,
    lang: str | None = None,
    show_title: bool = True,
    handoff: str | None = None,
) -> Section:
    """Load, prepare and title a report section.

    Parameters are those of every notebook's ``parameters`` cell: the data folder (None:
    the bundled sample), the period (None: the latest complete month), an optional
    ``csmetrics.yaml``, the comparison period (None: the previous period), the report
    language (None: ``lang`` of ``csmetrics.yaml``, else English) and the data the report
    run already loaded and prepared (``handoff``, see :func:`open_data`). ``title`` is the
    English message; it is shown translated.
    """
    plots.set_style()
    wb, prepared = open_data(data_dir, config, handoff)
    set_language(lang or wb.config.lang)
    i18n.set_currency(wb.config.currency)
    title = _(title)
    p = Period.parse(period or default_period(wb), wb.config.timezone)
    cmp_p = comparison_period_or_none(p, comparison_period)
    section = Section(title=title, wb=wb, prepared=prepared, period=p, comparison=cmp_p)
    if show_title:
        display(prose("# {title} · {period}", title=title, period=i18n.period(p.label)))
    return section


def comparison_period_or_none(period: Period, comparison: str | None) -> Period | None:
    """The comparison period, or None when there is none (the period ``all``)."""
    try:
        return comparison_period(period, comparison)
    except Exception:
        return None


def fmt(value: float, unit: str, currency: str = "EUR") -> str:
    """Shortcut to :func:`csmetrics.display.format_value` for notebook text."""
    return (
        format_value(value, unit, currency)
        if not (isinstance(value, float) and math.isnan(value))
        else "–"
    )
