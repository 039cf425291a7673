"""Formatters take the language (and the currency) explicitly.

Given ``lang``, a formatter's output does not depend on the current language
(:func:`csmetrics.i18n.set_language`), and calling it leaves the current language as it
was. Expected strings are written by hand from CLDR's Portuguese formats: Brazil's
(``pt``: ``1.234,5``, ``€ 1.234,50``) and Portugal's (``pt_PT``: a non-breaking space
between thousands, ``1 234,50 €``).
"""

from __future__ import annotations

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
