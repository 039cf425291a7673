"""The report's language: message catalogues (gettext ``.po``) and locale formats (Babel).

Every user-visible English string in the package is a *message*: code marks it with
:func:`_` (translated now), :func:`N_` (marked, translated where it is shown) or
:func:`ngettext` (plural forms); KPI labels and formulas, the checklist questions,
section titles and the notebooks' narrative cells are catalogue messages too (see
:mod:`csmetrics.catalogue`, which extracts them all and checks the translations).

Translations live in ``csmetrics/locale/<lang>/LC_MESSAGES/csmetrics.po``: plain text a
translator edits without touching code. They are read with Babel at first use (no
compiled ``.mo`` to keep in step). Numbers, percentages, currencies, dates and month
names are formatted for the language's locale by Babel (CLDR data).

The language is process-wide (notebooks run each cell in a fresh context, so a context
variable would not survive from cell to cell): :func:`set_language` sets it,
:func:`language` sets it for a ``with`` block. Every format also takes the language
explicitly (``lang="pt"``, ``lang="pt_PT"``): given, the output does not depend on the
current language at all.

Examples
--------
>>> with language("pt"):
...     _("on target"), percent(0.618), number(1234.5, 1)
('na meta', '61,8%', '1.234,5')
>>> percent(0.618), number(1234.5, 1)
('61.8%', '1,234.5')
>>> number(1234.5, 1, lang="pt_PT") == "1\u00a0234,5"
True
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import io
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel import dates as _dates
from babel import numbers as _numbers

from .errors import ConfigError

#: Languages with a complete catalogue; English is the source language.
LANGUAGES: tuple[str, ...] = ("en", "pt", "es", "it", "pl")
#: Locale used for formats when only the language is given (``pt`` → Brazil's formats).
DEFAULT_LOCALES = {"en": "en", "pt": "pt", "es": "es_ES", "it": "it_IT", "pl": "pl_PL"}
DOMAIN = "csmetrics"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current = {"lang": "en", "locale": "en", "currency": "EUR"}


# ---------------------------------------------------------------------------------------
# Choosing the language
# ---------------------------------------------------------------------------------------


def normalise(lang: str | None) -> tuple[str, str]:
    """``(language, locale)`` of a tag such as ``pt``, ``pt-BR``, ``pt_PT`` or ``PL``.

    Raises :class:`~csmetrics.errors.ConfigError` for a language without a catalogue.

    Examples
    --------
    >>> normalise("pt-PT"), normalise("PL"), normalise(None)
    (('pt', 'pt_PT'), ('pl', 'pl_PL'), ('en', 'en'))
    """
    if lang is None or str(lang).strip() == "":
        return "en", "en"
    return _normalised(str(lang))


@cache
def _normalised(lang: str) -> tuple[str, str]:
    tag = lang.strip().replace("-", "_")
    base = tag.split("_")[0].lower()
    if base not in LANGUAGES:
        raise ConfigError(
            f"unknown report language {lang!r}: choose one of {', '.join(LANGUAGES)} "
            "(optionally with a region, e.g. pt_PT)"
        )
    if "_" not in tag:
        return base, DEFAULT_LOCALES[base]
    region = tag.split("_", 1)[1]
    locale = f"{base}_{region.upper() if len(region) == 2 else region}"
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        raise ConfigError(f"unknown locale {lang!r} (e.g. pt_PT, es_MX, en_GB)") from None
    return base, locale


def set_language(lang: str | None) -> str:
    """Use ``lang`` (``en``, ``pt``, ``es``, ``it``, ``pl``, optionally with a region)
    for every message and format from now on; returns the language."""
    base, locale = normalise(lang)
    _current["lang"], _current["locale"] = base, locale
    return base


def set_currency(code: str | None) -> str:
    """The currency (ISO 4217) that chart axes and table units name; returns it."""
    _current["currency"] = str(code or "EUR")
    return _current["currency"]


def get_currency() -> str:
    """The current currency (ISO 4217) of :func:`set_currency` (``EUR`` by default)."""
    return _current["currency"]


def currency_symbol(code: str | None = None, *, lang: str | None = None) -> str:
    """The locale's symbol of ``code`` (default: :func:`set_currency`'s): ``€``, ``zł``,
    ``R$``; the code itself when the locale knows no symbol.

    Examples
    --------
    >>> currency_symbol("EUR"), currency_symbol("XYZ"), currency_symbol("PLN", lang="pl")
    ('€', 'XYZ', 'zł')
    >>> with language("pl"):
    ...     currency_symbol("PLN")
    'zł'
    """
    code = code or _current["currency"]
    try:
        return _numbers.get_currency_symbol(code, locale=get_locale(lang))
    except Exception:
        return code


def get_language(lang: str | None = None) -> str:
    """The language of ``lang`` (``pt_PT`` → ``pt``), by default the current one."""
    return _current["lang"] if lang is None else normalise(lang)[0]


def get_locale(lang: str | None = None) -> str:
    """The locale of ``lang`` used for formats (``pt``, ``pt_PT``, ``pl_PL``...), by
    default the current one.

    Examples
    --------
    >>> get_locale(), get_locale("pl"), get_locale("pt-PT")
    ('en', 'pl_PL', 'pt_PT')
    """
    return _current["locale"] if lang is None else normalise(lang)[1]


@contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Use ``lang`` inside a ``with`` block, then go back to the language before."""
    before = dict(_current)
    try:
        yield set_language(lang)
    finally:
        _current.update(before)


# ---------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------


def catalogue_path(lang: str) -> Path:
    """The ``.po`` file of a language."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The translations of ``lang``, read from its ``.po`` file (cached).

    Fuzzy entries (a translator's "needs review" mark) are not used.
    """
    if lang == "en":
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = catalogue_path(lang)
    if not path.exists():
        raise ConfigError(f"no message catalogue for {lang!r}: {path} is missing")
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def gettext(message: str) -> str:
    """``message`` in the current language (itself when it has no translation)."""
    return translate(message)


_ = gettext


def translate(message: str, lang: str | None = None) -> str:
    """``message`` in ``lang`` (default: the current language), itself when it has no
    translation. Mark the message where it is written (``translate(N_("…"), lang)``).

    Examples
    --------
    >>> translate("on target", "pt"), translate("on target")
    ('na meta', 'on target')
    """
    base = get_language(lang)
    if not message or base == "en":
        return message
    return translations(base).gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (translate where shown)."""
    return message


def ngettext(singular: str, plural: str, n: float, *, lang: str | None = None) -> str:
    """The singular or plural form (the plural rule of ``lang``, by default the current
    language) for ``n``.

    Examples
    --------
    >>> with language("pl"):
    ...     [ngettext("{n} table", "{n} tables", n).format(n=n) for n in (1, 3, 5)]
    ['1 tabela', '3 tabele', '5 tabel']
    >>> ngettext("{n} table", "{n} tables", 5, lang="pl").format(n=5)
    '5 tabel'
    """
    count = int(n) if float(n).is_integer() else 2
    base = get_language(lang)
    if base == "en":
        return singular if count == 1 else plural
    return translations(base).ngettext(singular, plural, count)


# ---------------------------------------------------------------------------------------
# Formats (Babel, CLDR)
# ---------------------------------------------------------------------------------------


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(
    value: float, decimals: int = 0, signed: bool = False, *, lang: str | None = None
) -> str:
    """A number with the locale's separators and exactly ``decimals`` decimals.

    Parameters
    ----------
    value : float
        The number; missing (None, NaN) is ``–``.
    decimals : int
        Decimals written, always all of them.
    signed : bool
        Whether to write the sign of a positive number too (a change).
    lang : str, optional
        The language or locale (``pt``, ``pt_PT``); by default the current one.

    Returns
    -------
    str
        The number as people read it in ``lang``.

    Examples
    --------
    >>> number(1234567.891, 2), number(-3, 1, signed=True)
    ('1,234,567.89', '-3.0')
    >>> with language("it"):
    ...     number(1234567.891, 2), number(2.5, 1, signed=True)
    ('1.234.567,89', '+2,5')
    >>> number(1234567.891, 2, lang="it")
    '1.234.567,89'

    A value that rounds to zero is never ``-0.0``; a signed one reads ``±0.0`` (no change):

    >>> number(-0.0004, 1, signed=True), number(-0.0004, 2)
    ('±0.0', '0.00')
    """
    if _missing(value):
        return "–"
    fmt = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    if round(float(value), decimals) == 0:
        value = 0.0
        if signed:
            fmt = f"±{fmt}"
    elif signed:
        fmt = f"+{fmt};-{fmt}"
    return _numbers.format_decimal(value, format=fmt, locale=get_locale(lang))


def percent(value: float, decimals: int = 1, *, lang: str | None = None) -> str:
    """A share (0–1) as a percentage in the locale's style (``61.8%``, ``61,8 %``).

    Examples
    --------
    >>> percent(0.618), percent(0.618, 0, lang="pl")
    ('61.8%', '62%')
    """
    if _missing(value):
        return "–"
    locale = Locale.parse(get_locale(lang))
    fmt = _with_decimals(locale.percent_formats[None].pattern, decimals)
    return _numbers.format_percent(value, format=fmt, locale=locale)


def currency(value: float, code: str, decimals: int = 2, *, lang: str | None = None) -> str:
    """An amount in ``code`` (ISO 4217) in the locale's style (``€9.10``, ``9,10 €``).

    An unknown code is written before the number (``XYZ 9.10``).

    Examples
    --------
    >>> currency(9.1, "EUR"), currency(9.1, "EUR", 0, lang="it")
    ('€9.10', '9\\xa0€')
    """
    if _missing(value):
        return "–"
    locale = get_locale(lang)
    try:
        pattern = None if decimals == 2 else _currency_pattern(decimals, locale)
        return _numbers.format_currency(
            value, code, format=pattern, locale=locale, currency_digits=False
        )
    except Exception:  # not an ISO code: the code and the number
        return f"{code} {number(value, decimals, lang=locale)}"


def _with_decimals(pattern: str, decimals: int) -> str:
    """A CLDR number pattern (``#,##0 %``, ``¤#,##0.00``) with exactly ``decimals``."""
    digits = "0" + ("." + "0" * decimals if decimals > 0 else "")
    return ";".join(re.sub(r"0(?:\.0+)?", digits, part, count=1) for part in pattern.split(";"))


def _currency_pattern(decimals: int, locale: str) -> str:
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    return _with_decimals(pattern, decimals)


def date(value: dt.date | dt.datetime, form: str = "medium", *, lang: str | None = None) -> str:
    """A date in the locale's form (``Nov 23, 2026``, ``23/11/2026``...).

    Examples
    --------
    >>> date(dt.date(2026, 11, 23)), date(dt.date(2026, 11, 23), "short", lang="pt")
    ('Nov 23, 2026', '23/11/2026')
    """
    return _dates.format_date(value, format=form, locale=get_locale(lang))


def datetime(value: dt.datetime, form: str = "medium", *, lang: str | None = None) -> str:
    """A date and time in the locale's form."""
    return _dates.format_datetime(value, format=form, locale=get_locale(lang))


_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def day(label: str, *, lang: str | None = None) -> str:
    """``YYYY-MM-DD`` as the locale's short day and month (``Oct 1``, ``1 de out.``),
    for chart ticks; other text is returned as it is.

    Examples
    --------
    >>> day("2026-10-01"), day("total")
    ('Oct 1', 'total')
    >>> with language("pl"):
    ...     day("2026-10-01")
    '1 paź'
    """
    m = _DAY.match(str(label))
    if not m:
        return str(label)
    d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return _dates.format_skeleton("MMMd", d, locale=get_locale(lang))


_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def month(label: str, short: bool = False, *, lang: str | None = None) -> str:
    """``YYYY-MM`` as the locale's month and year (``September 2026``, ``wrzesień 2026``).

    Examples
    --------
    >>> month("2026-09"), month("2026-09", short=True)
    ('September 2026', 'Sep 2026')
    >>> with language("pt"):
    ...     month("2026-09")
    'setembro de 2026'
    >>> month("2026-09", lang="pl")
    'wrzesień 2026'
    """
    m = _MONTH.match(str(label))
    if not m:
        return str(label)
    day = dt.date(int(m.group(1)), int(m.group(2)), 1)
    return _dates.format_skeleton("yMMM" if short else "yMMMM", day, locale=get_locale(lang))


def period(label: str | None, *, lang: str | None = None) -> str:
    """A period label (``YYYY-MM``, ``YYYY-Qn``, ``YYYY``, ``all``, ``a..b``) for people.

    Examples
    --------
    >>> period("2026-09"), period("2026-Q3"), period("all")
    ('September 2026', 'Q3 2026', 'all data')
    >>> with language("es"):
    ...     period("2026-Q3"), period("2026-01..2026-03")
    ('3.er trimestre de 2026', 'enero de 2026 – marzo de 2026')
    >>> period("all", lang="pt")
    'todos os dados'
    """
    if label is None:
        return "–"
    text = str(label)
    if text == "all":
        return translate(N_("all data"), lang)
    if ".." in text:
        a, b = text.split("..", 1)
        return f"{period(a, lang=lang)} – {period(b, lang=lang)}"
    if _MONTH.match(text):
        return month(text, lang=lang)
    q = _QUARTER.match(text)
    if q:
        day = dt.date(int(q.group(1)), 3 * int(q.group(2)) - 2, 1)
        return (
            _dates.format_skeleton("yQQQQ", day, locale=get_locale(lang))
            if get_language(lang) != "en"
            else f"Q{q.group(2)} {q.group(1)}"
        )
    return text


def language_name(code: str, *, lang: str | None = None) -> str:
    """The name of a language (``it``) in ``lang``, by default the current language
    (``Italian``, ``italiano``).

    Examples
    --------
    >>> language_name("it"), language_name("it", lang="pl")
    ('Italian', 'włoski')
    """
    try:
        return Locale.parse(get_locale(lang)).languages.get(str(code), str(code))
    except Exception:
        return str(code)


def decimal_separator(*, lang: str | None = None) -> str:
    """The locale's decimal separator (for chart axes).

    Examples
    --------
    >>> decimal_separator(), decimal_separator(lang="pt")
    ('.', ',')
    """
    return _numbers.get_decimal_symbol(get_locale(lang))


def markdown_message(source: str) -> str:
    """The catalogue message of a notebook's markdown cell: its text, stripped."""
    return source.strip()


def translate_markdown_cells(nb) -> int:
    """Replace each markdown cell of a notebook by its translation in the current
    language (cells without one are left as they are); returns how many changed."""
    changed = 0
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        message = markdown_message(cell.source)
        text = gettext(message) if message else message
        if text != message:
            cell.source = text
            changed += 1
    return changed
