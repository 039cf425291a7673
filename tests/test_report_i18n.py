"""``csmetrics report --lang pt|es|it|pl`` on the bundled sample: the visible text is in the
chosen language, numbers and months in its formats.

Expected month names and number shapes are CLDR's (written here by hand); expected
labels are read from the catalogue *and* checked to differ from the English, so an
untranslated label fails.
"""

from __future__ import annotations

import functools
import json
import re

import pytest

from csmetrics.catalogue import extract
from csmetrics.i18n import _, language, language_name
from csmetrics.report import SECTIONS

from .conftest import LANGUAGE_SECTIONS, language_run, parse_page

pytestmark = pytest.mark.slow

MONTH = {
    "pt": "outubro de 2026",
    "es": "octubre de 2026",
    "it": "ottobre 2026",
    "pl": "październik 2026",
}
#: A share with one decimal, written with a decimal comma (``61,8%``, ``61,8 %``).
SHARE = re.compile(r"\b\d{1,3},\d[\s\xa0]?%")
SECTION_NAMES = [name for name, _t, _d in SECTIONS]


@functools.cache
def _messages() -> tuple:
    """Every catalogue message (extracted once: it parses the package and notebooks)."""
    return tuple(extract())


def ran(lang: str) -> list[str]:
    """The sections the ``lang`` run covers (``conftest.LANGUAGE_SECTIONS``)."""
    return [n for n in SECTION_NAMES if n in (LANGUAGE_SECTIONS[lang] or SECTION_NAMES)]


def languages_with(section: str) -> list[str]:
    """The languages whose run covers ``section``."""
    return [lang for lang in LANGUAGE_SECTIONS if section in ran(lang)]


def test_every_section_is_seen_in_polish_and_in_one_more_language():
    assert ran("pl") == SECTION_NAMES
    for name in SECTION_NAMES:
        assert len(languages_with(name)) >= 2, name


def _page(run, name: str) -> str:
    return (run.out / f"{name}.html").read_text(encoding="utf-8")


def _text(page: str) -> str:
    return " ".join(" ".join(parse_page(page).text).split())


def _tr(lang: str, message: str) -> str:
    with language(lang):
        return _(message)


def test_report_runs_in_the_language(language_report):
    _lang, run = language_report
    assert run.code == 0, run.stderr[-3000:]
    assert "FAILED" not in run.stderr


def test_index_is_in_the_language(language_report):
    lang, run = language_report
    page = _page(run, "index")
    assert f'<html lang="{lang}">' in page
    parsed = parse_page(page)
    title = _tr(lang, "Customer-service report · {period}").format(period=MONTH[lang])
    assert title != f"Customer-service report · {MONTH[lang]}"
    assert parsed.headings[0] == ("h1", title)
    # scorecard headers
    table = re.search(r"<table id='scorecard'>.*?</table>", page, flags=re.DOTALL).group(0)
    heads = re.findall(r"<th>(.*?)</th>", table)
    english = ["KPI", "value", "target", "status", "change", "last 12 months"]
    assert heads == [_tr(lang, h) for h in english]
    assert sum(h != e for h, e in zip(heads, english, strict=True)) >= 4, heads
    # the first-response KPI label, status words, shares with a decimal comma
    label = _tr(lang, "First response time, median")
    assert label != "First response time, median" and label in table
    assert _tr(lang, "on target") in table or _tr(lang, "off target") in table
    assert SHARE.search(_text(table)), _text(table)[:400]
    assert not re.search(r"\b\d{1,3}\.\d%", _text(table))  # no English decimal point
    # caption names the comparison month in words
    assert (
        "setembro" in table
        or "septiembre" in table
        or "settembre" in table
        or ("wrzesień" in table)
    )
    # section cards (of the sections this run covers)
    for name, title, desc in SECTIONS:
        if name in ran(lang):
            assert _tr(lang, title) in page and _tr(lang, desc) in page, name


@pytest.mark.parametrize(
    ("lang", "name"), [(lang, name) for lang in LANGUAGE_SECTIONS for name in ran(lang)]
)
def test_section_pages_are_in_the_language(tmp_path_factory, lang, name):
    run = language_run(tmp_path_factory, lang)
    page = _page(run, name)
    assert f'lang="{lang}"' in page.split(">", 2)[1]
    parsed = parse_page(page)
    title = dict(s[:2] for s in SECTIONS)[name]
    h1 = [t for tag, t in parsed.headings if tag == "h1"]
    assert h1 == [f"{_tr(lang, title)} · {MONTH[lang]}"], h1
    assert f"<title>{_tr(lang, title)} · {MONTH[lang]}</title>" in page
    assert _tr(lang, "Report index") in _text(page)


def test_no_english_message_is_left_on_any_page(language_report):
    """Every catalogue message longer than a word that the language translates differently
    must not appear in English on any page (it would mean a display path skipped ``_``)."""
    lang, run = language_report
    messages = set()
    for m in _messages():
        text = m.id[1] if isinstance(m.id, tuple) else m.id
        if len(text) < 18 or "{" in text or "\n" in text or text.startswith(("`", "*", "#")):
            continue
        shown = _tr(lang, text)
        if shown != text and text not in shown:  # "Net Promoter Score (NPS)" keeps the name
            messages.add(text)
    assert len(messages) > 100
    for name in [*ran(lang), "index"]:
        text = _text(_page(run, name))
        leaked = sorted(m for m in messages if m in text)
        assert not leaked, (name, leaked[:10])


@pytest.mark.parametrize("lang", languages_with("effectiveness"))
def test_narrative_cells_are_translated(tmp_path_factory, lang):
    run = language_run(tmp_path_factory, lang)
    text = _text(_page(run, "effectiveness"))
    assert "Is the service doing its job?" not in text
    assert "Medians are shown beside averages" not in text


@pytest.mark.parametrize("lang", languages_with("evaluation"))
def test_checklist_is_in_the_language(tmp_path_factory, lang):
    run = language_run(tmp_path_factory, lang)
    text = _text(_page(run, "evaluation"))
    question = "Do customers get a first response within target?"
    assert _tr(lang, question) in text and question not in text
    for category in ("Effectiveness", "Operational cost", "Customer experience"):
        assert _tr(lang, category) in text
    data = json.loads((run.out / "evaluation.json").read_text(encoding="utf-8"))
    # machine-readable keys and statuses stay stable; texts are in the language
    assert {q["status"] for q in data["questions"]} <= {
        "on_target",
        "watch",
        "off_target",
        "no_data",
    }
    assert any(q["question"] == _tr(lang, question) for q in data["questions"])


@pytest.mark.parametrize("lang", languages_with("effectiveness"))
def test_numbers_and_months_use_the_locale(tmp_path_factory, lang):
    run = language_run(tmp_path_factory, lang)
    text = _text(_page(run, "effectiveness"))
    assert MONTH[lang] in text
    assert SHARE.search(text)
    assert not re.search(r"\b\d{1,3}\.\d%", text)


@pytest.mark.parametrize("lang", languages_with("customer_experience"))
def test_comment_themes_stay_in_the_comments_language(tmp_path_factory, lang):
    """Themes are listed per language of the comments, named in the report's language,
    with the terms as the customers wrote them (never translated)."""
    run = language_run(tmp_path_factory, lang)
    text = _text(_page(run, "customer_experience"))
    english = {"pt": "inglês", "es": "inglés", "it": "inglese", "pl": "angielski"}
    assert english[lang] in text and "English" not in text
    with language(lang):
        names = [language_name(c) for c in ("pt", "es", "it", "pl", "en")]
    for name in names:
        assert name in text, name
    for term in ("resolvido", "risolto", "szybko", "helpful", "agente"):
        assert term in text, term
