"""Languages of the report: catalogues complete, formats of each locale, language choice.

Expected formats were read off the CLDR conventions of each language (decimal comma,
thousands separators, month names), not produced by the code under test.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from babel.numbers import parse_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from csmetrics import i18n
from csmetrics.catalogue import Message, check, extract, stale_template
from csmetrics.config import config_from_dict
from csmetrics.errors import ConfigError
from csmetrics.i18n import _, language, ngettext
from csmetrics.summary import format_change, format_value

from .conftest import examples

OTHER = ["pt", "es", "it", "pl"]
NB = "\xa0"  # no-break space (fr/pl/pt_PT thousands, "9,10 €")
NNB = "\u202f"  # narrow no-break space


# ---------------------------------------------------------------------------------------
# Catalogues
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", OTHER)
def test_catalogue_translates_every_message(lang):
    problems = check([lang])
    assert problems == [], f"{len(problems)} problem(s), e.g.:\n" + "\n".join(problems[:20])


def test_template_matches_the_code():
    """`python -m csmetrics.catalogue update` was run after the last change of a message."""
    assert stale_template() == []


def test_extraction_finds_every_kind_of_message():
    ids = {m.id for m in extract()}
    assert "First response time, median" in ids  # KPI label (registry)
    assert "Do customers get a first response within target?" in ids  # checklist.yaml
    assert "on target" in ids  # N_() in summary.py
    assert "Headline scorecard" in ids  # _() in report.py
    assert ("{n} table", "{n} tables") in ids  # ngettext
    assert "Effectiveness" in ids  # section title (open_section / SECTIONS)
    assert any(isinstance(i, str) and i.startswith("Is the service doing its job?") for i in ids)


def test_check_reports_missing_fuzzy_placeholder_and_plural_problems(tmp_path, monkeypatch):
    po = tmp_path / "pl.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: pl\\n"\n'
        '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && '
        '(n%100<10 || n%100>=20) ? 1 : 2);\\n"\n\n'
        'msgid "ok {n}"\nmsgstr "dobrze {n}"\n\n'
        'msgid "wrong {value}"\nmsgstr "zle {wartosc}"\n\n'
        '#, fuzzy\nmsgid "fuzzy one"\nmsgstr "rozmyte"\n\n'
        'msgid "empty"\nmsgstr ""\n\n'
        'msgid "{n} file"\nmsgid_plural "{n} files"\nmsgstr[0] "{n} plik"\n'
        'msgstr[1] "{n} pliki"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr("csmetrics.catalogue.catalogue_path", lambda lang: po)
    msgs = [
        Message(text, ("x.py", 1))
        for text in ("ok {n}", "wrong {value}", "fuzzy one", "empty", "absent")
    ] + [Message(("{n} file", "{n} files"), ("x.py", 2))]
    problems = check(["pl"], msgs)
    assert len(problems) == 5, problems
    assert any("'wrong {value}' placeholders ['value']" in p for p in problems)
    assert any("fuzzy 'fuzzy one'" in p for p in problems)
    assert any("untranslated 'empty'" in p for p in problems)
    assert any("missing 'absent'" in p for p in problems)
    # Polish needs three plural forms: the missing third is an untranslated form
    assert any("untranslated '{n} file'" in p for p in problems)


@pytest.mark.parametrize("lang", OTHER)
def test_key_labels_are_really_translated(lang):
    with language(lang):
        for msg in (
            "First response time, median",
            "Headline scorecard",
            "on target",
            "off target",
            "Effectiveness",
            "Operational cost",
            "Customer experience",
            "Do customers get a first response within target?",
        ):
            assert _(msg) != msg, f"{lang}: {msg!r} is not translated"


def test_known_translations():
    with language("pt"):
        assert "resposta" in _("First response time, median").lower()
    with language("es"):
        assert "respuesta" in _("First response time, median").lower()
    with language("it"):
        assert "risposta" in _("First response time, median").lower()
    with language("pl"):
        assert "odpowiedzi" in _("First response time, median").lower()


# ---------------------------------------------------------------------------------------
# Choosing the language
# ---------------------------------------------------------------------------------------


def test_normalise_accepts_regions_and_case():
    assert i18n.normalise("pt-PT") == ("pt", "pt_PT")
    assert i18n.normalise("es_mx") == ("es", "es_MX")
    assert i18n.normalise("IT") == ("it", "it_IT")
    assert i18n.normalise("") == ("en", "en")


@pytest.mark.parametrize("bad", ["fr", "de_DE", "xx", "english"])
def test_unknown_language_is_a_clear_error(bad):
    with pytest.raises(ConfigError, match="choose one of en, pt, es, it, pl"):
        i18n.normalise(bad)


def test_unknown_lang_in_yaml_names_the_key(tmp_path):
    with pytest.raises(ConfigError, match=r"lang.*unknown report language 'fr'"):
        config_from_dict({"lang": "fr"}, tmp_path / "csmetrics.yaml")
    assert config_from_dict({"lang": "pl"}).lang == "pl"


def test_language_block_restores_the_previous_language():
    i18n.set_language("en")
    with language("pl"):
        assert i18n.get_language() == "pl"
        with language("it"):
            assert i18n.get_locale() == "it_IT"
        assert i18n.get_language() == "pl"
    assert i18n.get_language() == "en"


def test_untranslated_text_falls_back_to_itself():
    with language("pt"):
        assert _("a question written by a team in its csmetrics.yaml") == (
            "a question written by a team in its csmetrics.yaml"
        )


def test_polish_plural_forms():
    with language("pl"):
        forms = [ngettext("{n} table", "{n} tables", n) for n in (1, 2, 4, 5, 12, 22, 25)]
    assert forms[0] != forms[1] != forms[3]
    assert forms[1] == forms[2] == forms[5]  # 2, 4, 22: the "few" form
    assert forms[3] == forms[4] == forms[6]  # 5, 12, 25: the "many" form


# ---------------------------------------------------------------------------------------
# Formats (CLDR by Babel)
# ---------------------------------------------------------------------------------------

FORMATS = {
    # lang: (share 0.618, number 1234567.891 with 2 decimals, month 2026-10, EUR 9.1)
    "en": ("61.8%", "1,234,567.89", "October 2026", "€9.10"),
    "pt": ("61,8%", "1.234.567,89", "outubro de 2026", f"€{NB}9,10"),
    "es": (f"61,8{NB}%", "1.234.567,89", "octubre de 2026", f"9,10{NB}€"),
    "it": ("61,8%", "1.234.567,89", "ottobre 2026", f"9,10{NB}€"),
    "pl": ("61,8%", f"1{NB}234{NB}567,89", "październik 2026", f"9,10{NB}€"),
}


@pytest.mark.parametrize("lang", list(FORMATS))
def test_locale_formats(lang):
    share, big, month, money = FORMATS[lang]
    with language(lang):
        assert format_value(0.618, "share") == share
        assert i18n.number(1234567.891, 2) == big
        assert i18n.month("2026-10") == month
        assert format_value(9.1, "currency", "EUR") == money


def test_portugal_formats_differ_from_brazil():
    with language("pt_PT"):
        assert i18n.number(1234.5, 1) == f"1{NB}234,5"
        assert format_value(9.1, "currency", "EUR") == f"9,10{NB}€"
        assert _("on target") == _("on target")  # same catalogue as "pt"
        assert i18n.get_language() == "pt"


def test_changes_and_units_in_each_locale():
    with language("it"):
        assert format_value(4.25, "h") == "4,25 h"
        assert format_change(-1.5, "h") == "-1,50 h"
        assert format_change(0.021, "share").startswith("+2,1")
    with language("en"):
        assert format_change(0.021, "share") == "+2.1 pp"
        assert format_change(3, "tickets") == "+3"


def test_periods_in_words():
    with language("pl"):
        assert i18n.period("2026-10") == "październik 2026"
        assert "2026" in i18n.period("2026-Q3") and "III" in i18n.period("2026-Q3")
        assert i18n.period("all") == _("all data") != "all data"
    with language("en"):
        assert i18n.period("2026-Q3") == "Q3 2026"
        assert i18n.period("2025") == "2025"


def test_unknown_currency_code_still_shows_the_amount():
    with language("pl"):
        assert format_value(1234.5, "currency", "XYZ") == f"1{NB}234,50{NB}XYZ"


def test_missing_values_show_a_dash():
    for lang in FORMATS:
        with language(lang):
            assert format_value(math.nan, "share") == "–"
            assert i18n.number(None) == "–"


@settings(max_examples=examples(150), deadline=None)
@given(
    x=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
    lang=st.sampled_from(["en", "pt", "pt_PT", "es", "it", "pl"]),
    decimals=st.integers(0, 3),
)
def test_formatted_numbers_read_back_to_the_rounded_value(x, lang, decimals):
    with language(lang):
        text = i18n.number(x, decimals)
        back = float(parse_decimal(text, locale=i18n.get_locale(), strict=False))
    # rounded to the nearest unit of the last decimal shown (ties either way)
    assert abs(back - x) <= 0.5 * 10**-decimals + 1e-9 * max(1.0, abs(x))


# ---------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------


def test_kpis_command_speaks_the_language(capsys):
    from csmetrics.cli import main

    try:
        code = main(["kpis", "--period", "2026-10", "--kpi", "fcr_rate", "--lang", "pl"])
    finally:
        i18n.set_language("en")
    out = capsys.readouterr().out
    assert code == 0
    with language("pl"):
        label = _("First-contact resolution")
    assert label != "First-contact resolution" and label in out
    assert "First-contact resolution" not in out


def test_report_with_an_unknown_language_stops_before_any_work(tmp_path, capsys):
    from csmetrics.cli import main

    code = main(["report", "--period", "2026-10", "--out", str(tmp_path / "r"), "--lang", "fr"])
    assert code == 2
    assert "unknown report language 'fr'" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_charts_name_the_configured_currency_and_speak_the_language():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from csmetrics import plots

    trend = pd.DataFrame(
        {
            "kpi": "cost_per_contact",
            "month": ["2026-09", "2026-10"],
            "value": [8.0, 8.5],
            "ci_low": [math.nan, math.nan],
            "ci_high": [math.nan, math.nan],
            "available": True,
        }
    )
    try:
        with language("pl"):
            i18n.set_currency("PLN")
            ax = plots.kpi_trend(trend, "cost_per_contact", target=8.0)
            label, title = _("Cost per contact"), ax.get_title()
            ticks = [t.get_text() for t in ax.get_xticklabels()]
    finally:
        i18n.set_currency("EUR")
        plt.close("all")
    assert ax.get_ylabel() == "zł"
    assert title.startswith(label) and label != "Cost per contact" and "zł" in title
    assert ticks == ["wrz 2026", "paź 2026"]
