"""Formatters take the language (and the currency) explicitly.

Given ``lang``, a formatter's output does not depend on the current language
(:func:`csmetrics.i18n.set_language`), and calling it leaves the current language as it
was. Expected strings are written by hand from CLDR's Portuguese formats: Brazil's
(``pt``: ``1.234,5``, ``€ 1.234,50``) and Portugal's (``pt_PT``: a non-breaking space
between thousands, ``1 234,50 €``).
"""

from __future__ import annotations

import html

import pandas as pd
import pytest

from csmetrics import display, i18n, plots, text
from csmetrics.i18n import language

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def english():
    """Every test starts in English with euros, and checks that it ends so."""
    with language("en"):
        i18n.set_currency("EUR")
        yield
        assert (i18n.get_language(), i18n.get_locale(), i18n.get_currency()) == (
            "en",
            "en",
            "EUR",
        )


def test_number():
    assert i18n.number(1234.5, 1, lang="pt") == "1.234,5"
    assert i18n.number(1234.5, 1, lang="pt_PT") == f"1{NBSP}234,5"
    assert i18n.number(1234.5, 1, lang="pt-PT") == f"1{NBSP}234,5"
    assert i18n.number(2.5, 1, signed=True, lang="pt") == "+2,5"
    assert i18n.number(1234.5, 1) == "1,234.5"  # the current language: English


def test_percent():
    assert i18n.percent(0.618, lang="pt") == "61,8%"
    assert i18n.percent(0.618, 0, lang="pt_PT") == "62%"
    assert i18n.percent(0.618, lang="es") == f"61,8{NBSP}%"
    assert i18n.percent(0.618) == "61.8%"


def test_currency():
    assert i18n.currency(1234.5, "EUR", lang="pt") == f"€{NBSP}1.234,50"
    assert i18n.currency(1234.5, "EUR", lang="pt_PT") == f"1{NBSP}234,50{NBSP}€"
    assert i18n.currency(1234.6, "EUR", 0, lang="pt_PT") == f"1{NBSP}235{NBSP}€"
    assert i18n.currency(1234.5, "EUR") == "€1,234.50"


def test_month():
    assert i18n.month("2026-09", lang="pt") == "setembro de 2026"
    assert i18n.month("2026-09", short=True, lang="pt") == "set. de 2026"
    assert i18n.month("2026-09") == "September 2026"


def test_period():
    assert i18n.period("2026-09", lang="pt") == "setembro de 2026"
    assert i18n.period("2026-Q3", lang="pt") == "3º trimestre de 2026"
    assert i18n.period("2026-01..2026-03", lang="pt") == "janeiro de 2026 – março de 2026"
    assert i18n.period("all", lang="pt") == "todos os dados"
    assert i18n.period("all") == "all data"


def test_other_core_formats():
    assert i18n.day("2026-10-01", lang="pt") == "1 de out."
    assert i18n.language_name("it", lang="pt") == "italiano"
    assert i18n.decimal_separator(lang="pt") == ","
    assert i18n.currency_symbol("BRL", lang="pt") == "R$"
    assert i18n.translate("on target", "pt") == "na meta"


def test_format_value():
    assert display.format_value(0.618, "share", lang="pt") == "61,8%"
    assert display.format_value(1234.5, "h", lang="pt_PT") == f"1{NBSP}234 h"
    assert display.format_value(5117.0, "count", lang="pt") == "5.117"
    assert display.format_value(0.021, "share", change=True, lang="pt") == "+2,1 p.p."
    assert display.format_value(9.1, "currency", "EUR", lang="pt_PT") == f"9,10{NBSP}€"
    change = display.format_value(-0.27, "currency", "EUR", change=True, lang="pt_PT")
    assert change == f"-0,27{NBSP}€"
    assert display.format_value(0.618, "share") == "61.8%"


def test_the_given_language_wins_over_the_current_one():
    with language("pl"):
        assert i18n.number(1234.5, 1, lang="pt") == "1.234,5"
        assert display.format_value(0.618, "share", lang="en") == "61.8%"
        assert i18n.get_language() == "pl"


def test_currency_is_explicit_too():
    assert display.format_value(9.1, "currency", "BRL", lang="pt") == f"R${NBSP}9,10"
    assert display.unit_label("currency", currency="BRL", lang="pt") == "R$"
    assert display.unit_label("currency") == "€"  # the current currency


def test_tables_and_labels():
    df = pd.DataFrame({"kpi": ["fcr_rate"], "ci_low": [0.5], "low_sample": [False]})
    assert display.labelled(df, lang="pt").to_dict(orient="records") == [
        {
            "KPI": "Resolução no primeiro contato",
            "intervalo de 95%, inferior": "50,0%",
            "amostra pequena": "não",
        }
    ]
    html = display.table(pd.DataFrame({"tickets": [1234.0], "a": [1234.5]}), lang="pt_PT").data
    assert f"<td>1{NBSP}234</td>" in html
    assert f"<td>1{NBSP}234,50</td>" in html
    assert display.column_label("channel", lang="pt") == "canal"
    assert display.shown_value("(missing)", lang="pt") == "(sem valor)"


def test_chart_texts():
    assert plots.group_name("channel", lang="pt") == "canal"
    assert plots.by_group_title("X", "channel", "%", lang="pt") == "X por canal (%)"
    assert plots.month_labels(["2026-09"], lang="pt") == ["set. de 2026"]
    assert plots.weekday_names(lang="pt")[:2] == ["seg.", "ter."]
    ticks = plots.LocaleFormatter(lang="pt")
    ticks.set_locs([0, 2.5, 5])
    assert ticks(1000) == "1.000,0"
    assert text.language_label("it", lang="pt") == "italiano"


def test_placeholders_in_text_columns_are_translated_whatever_the_dtype():
    """pandas 3 reads text as the ``str`` dtype: its placeholders are translated as those
    of object columns are (they were left in English)."""
    for dtype in ("str", object, "category"):
        df = pd.DataFrame({"team": pd.Series(["(missing)", "Lisboa"], dtype=dtype)})
        shown = display.labelled(df, lang="pt")
        assert shown.iloc[:, 0].tolist() == ["(sem valor)", "Lisboa"], dtype


def _texts(ax) -> dict:
    """Every text of a chart: title, axis labels, tick labels, legend and text artists."""
    ax.figure.canvas.draw()
    legend = ax.get_legend()
    return {
        "title": ax.get_title(),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "xticks": [t.get_text() for t in ax.get_xticklabels()],
        "yticks": [t.get_text() for t in ax.get_yticklabels()],
        "legend": [t.get_text() for t in legend.get_texts()] if legend else [],
        "texts": [t.get_text() for t in ax.texts],
    }


def _drawn(draw) -> dict:
    import matplotlib.pyplot as plt

    ax = draw()
    try:
        return _texts(ax)
    finally:
        plt.close(ax.figure)


FCR_TREND = pd.DataFrame(
    {
        "kpi": "fcr_rate",
        "month": ["2026-08", "2026-09", "2026-10"],
        "value": [0.61, 0.645, 0.7],
        "ci_low": [0.55, 0.6, 0.65],
        "ci_high": [0.66, 0.69, 0.75],
        "available": True,
        "low_sample": [False, True, False],
        "n": [120, 25, 130],
        "note": "",
    }
)


def test_a_chart_drawn_in_portuguese_while_english_is_current():
    from csmetrics.i18n import _
    from csmetrics.kpis import get

    pt = _drawn(lambda: plots.kpi_trend(FCR_TREND, "fcr_rate", target=0.7, lang="pt"))
    with language("pt"):
        label = get("fcr_rate").label
        expected = {
            "title": _("{kpi} by month ({unit})").format(kpi=label, unit="%"),
            "xlabel": _("month"),
            "legend": [_("95% interval"), _("target")],
        }
        implicit = _drawn(lambda: plots.kpi_trend(FCR_TREND, "fcr_rate", target=0.7))
    assert label == "Resolução no primeiro contato"
    assert {k: pt[k] for k in expected} == expected
    assert pt["xticks"] == plots.month_labels(FCR_TREND["month"], lang="pt")
    assert pt == implicit  # the same texts as with Portuguese current
    assert i18n.get_language() == "en"
    english = _drawn(lambda: plots.kpi_trend(FCR_TREND, "fcr_rate", target=0.7))
    assert english["xlabel"] == "month"  # drawn without lang: the current language


def test_every_chart_follows_the_given_language():
    """Each chart drawn with ``lang="pl"`` while English is current has the texts it has
    when Polish is current (titles, labels, ticks, legends, texts: plural forms too)."""
    from csmetrics.evaluate import control_chart

    trend = pd.concat([FCR_TREND] * 4, ignore_index=True)
    trend["month"] = [f"2026-{m:02d}" for m in range(1, 13)]
    hours = pd.DataFrame({"hours": [0.5, 1.0, 2.0, 8.0, 30.0], "channel": list("aabbb")})
    erlang = pd.DataFrame({"weekday": [0, 0, 1], "hour": [9, 10, 9], "agents_required": [2, 3, 4]})
    gaps = pd.DataFrame({"table": ["tickets"], "column": ["team"], "filled": [0.5]})
    charts = {
        "by_group": lambda **kw: plots.kpi_by_group(
            FCR_TREND.assign(channel=["chat", "(missing)", "email"]), "fcr_rate", "channel", **kw
        ),
        "control": lambda **kw: plots.control_chart(
            control_chart(trend, "fcr_rate"), "fcr_rate", **kw
        ),
        "duration": lambda **kw: plots.duration_distribution(
            hours, "T", group="channel", target_h=4.0, **kw
        ),
        "staffing": lambda **kw: plots.staffing_by_hour(erlang, 2.5, **kw),
        "completeness": lambda **kw: plots.completeness(gaps, **kw),
        "all filled": lambda **kw: plots.completeness(gaps.assign(filled=1.0), **kw),
        "area": lambda **kw: plots.share_area(
            FCR_TREND.assign(channel="chat"), "channel", "T", **kw
        ),
        "empty": lambda **kw: plots.bars(pd.DataFrame(), "day", "tickets", "T", **kw),
    }
    for name, draw in charts.items():
        given = _drawn(lambda draw=draw: draw(lang="pl"))
        with language("pl"):
            current = _drawn(draw)
        assert given == current, name
        assert given != _drawn(draw), name  # English is current: other texts
    assert i18n.get_language() == "en"


def test_an_explorer_status_line_in_portuguese_while_english_is_current():
    from csmetrics.explore import View, status_html
    from csmetrics.i18n import _, ngettext
    from csmetrics.periods import Period

    view = View("fcr_rate", "month", "trend", Period.parse("2026-09"), FCR_TREND)
    line = status_html(view, 1.5, lang="pt")
    with language("pt"):
        assert line == status_html(view, 1.5)
        label = _("First-contact resolution")
        values = ngettext("{count} value, n = {n}", "{count} values, n = {n}", 3)
        low = ngettext("{count} low-sample (n < 30)", "{count} low-sample (n < 30)", 1)
    assert i18n.get_language() == "en"
    assert f"<b>{label}</b>" in line
    assert i18n.period("2026-09", lang="pt") in line
    assert values.format(count="3", n="275") in line
    assert html.escape(low.format(count="1")) in line
    assert "· 1.500 ms" in line
    assert "First-contact resolution" in status_html(view, 1.5)  # without lang: English
