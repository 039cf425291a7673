"""``csmetrics.yaml``: the settings of one data folder.

Everything is optional; the defaults below apply to whatever a file leaves out.
Unknown keys are errors (with a suggestion), so a typo never silently falls back
to a default.

Example
-------
.. code-block:: yaml

    timezone: Europe/Lisbon
    currency: EUR
    calendar:
      country: PT                 # public holidays from the `holidays` package
      business_hours: {mon: "09:00-18:00", sat: "10:00-14:00"}
      closed_days: ["2025-12-24"]
    thresholds: {service_level_s: 20, short_abandon_s: 5}
    sla_first_response_h: {urgent: 1, high: 4, normal: 8, low: 24}
    targets: {frt_median_h: 4, fcr_rate: 0.7}
    peak_periods:
      - {name: Holiday season, start: "2025-11-24", end: "2025-12-31"}
    ces: {min: 1, max: 7, lower_is_better: true}
    sources:
      calls: {url: "sqlite:///acd.db", query: "select * from calls"}
    columns:
      tickets:
        rename: {"Ticket ID": ticket_id, "Created": created_at}
        formats: {created_at: "%d/%m/%Y %H:%M"}
        values: {status: {Solved: resolved}}
        constants: {channel: email}
        units: {handle_time_s: min}

Limits
------
- The file is plain YAML of at most 1 MB: anchors and aliases (``&a``, ``*a``,
  ``<<: *a``) are refused, and so is nesting deeper than 20 levels.
- Every value has its type: a list where a mapping is expected, or a mapping where a
  text is, is an error naming the key. Checklist questions (``checklist.questions``)
  hold texts of at most 500 characters (``question``) or 100 (ids, categories, KPI ids),
  ``kpis`` a list of KPI ids and ``judge`` a mapping of texts and numbers.
- ``sources``: a relative path (``file``, ``duckdb``, the file of a ``sqlite:///`` URL) is
  read in the data folder and must stay inside it (no ``..``, no link leading out); a
  file elsewhere is read only from an absolute path, and messages never show its content.
  DuckDB and SQLite files are opened read-only (DuckDB with no access to other files);
  ``query`` is one statement that only reads; ``table`` is quoted as a name
  (``schema.table``).
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .calendar import WEEKDAYS, Calendar
from .errors import ConfigError
from .schema import TABLES

CONFIG_FILENAME = "csmetrics.yaml"
UNITS_TO_SECONDS = {"ms": 0.001, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
_HOURS_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
#: Largest ``csmetrics.yaml`` read, in bytes: settings fit in a few kilobytes.
MAX_CONFIG_BYTES = 1_000_000
#: Deepest nesting of mappings and lists in ``csmetrics.yaml`` (the settings need 5).
MAX_CONFIG_DEPTH = 20
#: Longest free text of a checklist question (``question``) and of the other fields.
MAX_QUESTION_CHARS = 500
MAX_NAME_CHARS = 100
#: Values a setting may be when it is a single value (dates come from YAML dates).
SCALARS = (str, int, float, bool, dt.date)


@dataclass
class Thresholds:
    """Thresholds used by KPIs and quality checks (seconds, hours or days as named)."""

    service_level_s: float = 20.0
    short_abandon_s: float = 0.0
    repeat_contact_days: float = 7.0
    channel_switch_h: float = 24.0
    #: A phone ticket and an answered call of the same customer are one contact when the
    #: ticket was created during the call or within this many seconds of it (used only
    #: when neither table names the other's id; see :func:`csmetrics.prepare.link_calls`).
    contact_link_s: float = 300.0
    max_call_part_s: float = 8 * 3600.0
    max_handle_time_s: float = 24 * 3600.0
    max_ticket_duration_days: float = 365.0


@dataclass
class CesScale:
    """Customer Effort Score scale; seed 003 uses 1 (easy) to 7 (hard)."""

    min: float = 1.0
    max: float = 7.0
    lower_is_better: bool = True


@dataclass
class PeakPeriod:
    """A named date range (holiday season, promotion) compared with regular periods."""

    name: str
    start: dt.date
    end: dt.date


@dataclass
class TableMapping:
    """How a foreign file's columns become canonical ones (see the module docstring)."""

    rename: dict[str, str] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    #: Order of numeric dates (``03/11/2026``): None = proven by each column's values.
    dayfirst: bool | None = None
    #: Decimal mark of numbers written as text: None = proven by each column's values.
    decimal: str | None = None
    #: Text read as missing (None = the documented markers ``NA``, ``NULL``, ``-``...).
    na_values: list[str] | None = None
    sheet: str | int | None = None
    encoding: str | None = None


@dataclass
class Source:
    """Where a table comes from when it is not a file named after it in the folder."""

    file: str | None = None
    url: str | None = None
    duckdb: str | None = None
    query: str | None = None
    table: str | None = None

    def describe(self) -> str:
        """Short description for messages, without credentials."""
        if self.file:
            return self.file
        target = self.query or f"table {self.table}"
        if self.duckdb:
            return f"duckdb {self.duckdb}: {target}"
        url = re.sub(r"//[^@/]*@", "//***@", self.url or "")
        return f"{url}: {target}"


@dataclass
class Config:
    """All settings of a data folder; see the module docstring for the YAML form."""

    timezone: str = "UTC"
    currency: str = "EUR"
    lang: str = "en"
    as_of: dt.datetime | None = None
    calendar: Calendar = field(default_factory=Calendar)
    thresholds: Thresholds = field(default_factory=Thresholds)
    sla_first_response_h: dict[str, float] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)
    peak_periods: list[PeakPeriod] = field(default_factory=list)
    ces: CesScale = field(default_factory=CesScale)
    sources: dict[str, Source] = field(default_factory=dict)
    columns: dict[str, TableMapping] = field(default_factory=dict)
    checklist: dict = field(default_factory=dict)
    path: Path | None = None

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)


def _where(path: Path | None, key: str) -> str:
    return f"{path or CONFIG_FILENAME}: {key}"


def _show(value: Any, width: int = 60) -> str:
    """``repr(value)`` cut to ``width`` characters, for messages (a value may be long).

    Examples
    --------
    >>> _show("x" * 100, 10)
    "'xxxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= width else text[: width - 2] + "…"


def _unknown_keys(given: dict, allowed: list[str], path: Path | None, ctx: str) -> None:
    for key in given:
        if key not in allowed:
            hint = difflib.get_close_matches(str(key), allowed, n=1)
            extra = (
                f"; did you mean {hint[0]!r}?" if hint else f"; known keys: {', '.join(allowed)}"
            )
            name = str(key) if len(str(key)) <= 60 else _show(str(key))
            raise ConfigError(f"{_where(path, ctx + name)}: unknown setting{extra}")


def _mapping(value: Any, path: Path | None, key: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{_where(path, key)}: expected a mapping, got {_show(value)}")
    return value


def _list(value: Any, path: Path | None, key: str) -> list:
    """A YAML list (``None``: empty); anything else is an error."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConfigError(f"{_where(path, key)}: expected a list, got {_show(value)}")
    return value


def _text(
    value: Any, path: Path | None, key: str, limit: int = MAX_NAME_CHARS, *, empty: bool = False
) -> str:
    """A text of at most ``limit`` characters (not blank unless ``empty``)."""
    if not isinstance(value, str):
        raise ConfigError(f"{_where(path, key)}: expected a text, got {_show(value)}")
    if not empty and not value.strip():
        raise ConfigError(f"{_where(path, key)}: expected a text, got an empty one")
    if len(value) > limit:
        raise ConfigError(
            f"{_where(path, key)}: at most {limit:,} characters, got {len(value):,} "
            f"({_show(value, 40)})"
        )
    return value


def _scalar(value: Any, path: Path | None, key: str) -> Any:
    """A single value: text (bounded like :func:`_text`), number, true/false or date."""
    if isinstance(value, str):
        return _text(value, path, key, MAX_QUESTION_CHARS, empty=True)
    if not isinstance(value, SCALARS):
        raise ConfigError(
            f"{_where(path, key)}: expected a single value (text, number, true/false or "
            f"date), got {_show(value)}"
        )
    return value


def _number(
    value: Any,
    path: Path | None,
    key: str,
    low: float | None = None,
    high: float | None = None,
    *,
    above: bool = False,
) -> float:
    """A finite number within ``[low, high]`` (``(low, high]`` when ``above``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"{_where(path, key)}: expected a number, got {_show(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise ConfigError(f"{_where(path, key)}: expected a finite number, got {_show(value)}")
    too_low = low is not None and (number <= low if above else number < low)
    if too_low or (high is not None and number > high):
        if low is not None and high is not None:
            first = f"above {low:g} and at most" if above else f"between {low:g} and"
            span = f"{first} {high:g}"
        elif low is not None:
            span = f"above {low:g}" if above else f"at least {low:g}"
        else:
            span = f"at most {high:g}"
        raise ConfigError(f"{_where(path, key)}: expected a number {span}, got {_show(value)}")
    return number


def _date(value: Any, path: Path | None, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"{_where(path, key)}: expected a date YYYY-MM-DD, got {_show(value)}")


#: Allowed ranges of numeric settings: (lowest, highest, lowest excluded). Durations stop
#: at a day (waits), a year (call parts, handling) or a century (ticket life): beyond,
#: a value is a typo and would overflow the time arithmetic.
RANGES: dict[str, tuple[float | None, float | None, bool]] = {
    "thresholds.service_level_s": (0.0, 86_400.0, True),
    "thresholds.short_abandon_s": (0.0, None, False),
    "thresholds.repeat_contact_days": (0.0, 3_650.0, True),
    "thresholds.channel_switch_h": (0.0, 8_760.0, True),
    "thresholds.contact_link_s": (0.0, 86_400.0, False),
    "thresholds.max_call_part_s": (0.0, 31_536_000.0, True),
    "thresholds.max_handle_time_s": (0.0, 31_536_000.0, True),
    "thresholds.max_ticket_duration_days": (0.0, 36_500.0, True),
}


def _dataclass_from(cls: type, raw: Any, path: Path | None, key: str) -> Any:
    """Fill dataclass ``cls`` from a mapping: unknown keys, wrong types and numbers out of
    range (:data:`RANGES`, else finite and not negative) are errors."""
    raw = _mapping(raw, path, key)
    names = [f.name for f in fields(cls)]
    _unknown_keys(raw, names, path, key + ".")
    out = cls()
    for name, value in raw.items():
        default = getattr(out, name)
        where = f"{key}.{name}"
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{_where(path, where)}: expected true or false")
            setattr(out, name, value)
        elif isinstance(default, float):
            low, high, above = RANGES.get(where, (0.0, None, False))
            if cls is CesScale:  # a scale's ends may be any finite numbers
                low, high, above = None, None, False
            setattr(out, name, _number(value, path, where, low, high, above=above))
        else:
            setattr(out, name, value)
    return out


def _calendar(raw: Any, path: Path | None) -> Calendar:
    raw = _mapping(raw, path, "calendar")
    _unknown_keys(
        raw, ["country", "subdivision", "business_hours", "closed_days"], path, "calendar."
    )
    country, subdivision = raw.get("country"), raw.get("subdivision")
    if country is not None and not (
        isinstance(country, str) and re.fullmatch(r"[A-Z]{2,3}", country)
    ):
        raise ConfigError(
            f"{_where(path, 'calendar.country')}: expected a country code such as PT, ES or "
            f"US (ISO 3166, upper case), got {_show(country)}"
        )
    if subdivision is not None:
        if isinstance(subdivision, bool) or not isinstance(subdivision, (str, int)):
            raise ConfigError(
                f"{_where(path, 'calendar.subdivision')}: expected a subdivision code such "
                f"as CA (text), got {_show(subdivision)}"
            )
        subdivision = _text(str(subdivision), path, "calendar.subdivision")
        if country is None:
            raise ConfigError(
                f"{_where(path, 'calendar.subdivision')}: a subdivision needs calendar.country"
            )
    cal = Calendar(country=country, subdivision=subdivision)
    if cal.country is not None:
        import holidays

        try:
            holidays.country_holidays(cal.country, subdiv=cal.subdivision)
        except (NotImplementedError, KeyError, ValueError, TypeError, AttributeError):
            raise ConfigError(
                f"{_where(path, 'calendar.country')}: no public-holiday calendar for "
                f"{cal.country!r} (subdivision {cal.subdivision!r}) in the holidays package"
            ) from None
    if "business_hours" in raw:
        hours = _mapping(raw["business_hours"], path, "calendar.business_hours")
        _unknown_keys(hours, list(WEEKDAYS), path, "calendar.business_hours.")
        cal.business_hours = {}
        for day, span in hours.items():
            if span in (None, "closed"):
                continue
            m = _HOURS_RE.match(span.replace(" ", "")) if isinstance(span, str) else None
            if not m or (m.group(3), m.group(4)) <= (m.group(1), m.group(2)):
                raise ConfigError(
                    f"{_where(path, f'calendar.business_hours.{day}')}: expected "
                    f"'HH:MM-HH:MM' with the end after the start, got {_show(span)}"
                )
            cal.business_hours[day] = (f"{m.group(1)}:{m.group(2)}", f"{m.group(3)}:{m.group(4)}")
    cal.closed_days = [
        _date(d, path, f"calendar.closed_days[{i}]")
        for i, d in enumerate(_list(raw.get("closed_days"), path, "calendar.closed_days"))
    ]
    return cal


#: First words of the statements a ``query`` may be: reads only.
READ_STATEMENTS = ("select", "with", "from", "values", "table")
#: Words that make a read-looking statement write (``WITH x AS (DELETE ...)``,
#: ``SELECT ... INTO``, ``SELECT ... FOR UPDATE``), refused outside quotes and comments.
WRITE_WORDS = ("insert", "update", "delete", "merge", "into")
_QUOTES = {"'": "'", '"': '"', "`": "`"}


def _sql_words(sql: str, backslash: bool) -> tuple[list[str], str | None]:
    """The words of ``sql`` outside quotes and comments, up to its first ``;``.

    Returns the words and what is wrong (``None``: one statement, at most followed by
    ``;``, blanks and comments). ``backslash``: a backslash escapes the next character
    inside quotes (MySQL) rather than being a character (standard SQL); the caller
    checks both readings.
    """
    words: list[str] = []
    i, n, ended = 0, len(sql), False
    while i < n:
        c = sql[i]
        if sql.startswith("--", i):
            j = sql.find("\n", i)
            i = n if j < 0 else j + 1
        elif sql.startswith("/*", i):
            j = sql.find("*/", i + 2)
            if j < 0:
                return words, "a /* comment is not closed"
            i = j + 2
        elif c.isspace() or (ended and c == ";"):
            i += 1
        elif ended:
            return words, "it holds more than one statement (text after ';')"
        elif c == ";":
            ended = True
            i += 1
        elif c in _QUOTES:
            j = i + 1
            while True:
                if j >= n:
                    return words, f"a {c} quote is not closed"
                if backslash and sql[j] == "\\":
                    j += 2
                elif sql[j] == _QUOTES[c]:
                    if sql.startswith(c * 2, j):
                        j += 2
                    else:
                        break
                else:
                    j += 1
            words.append("")  # a quoted text or name
            i = j + 1
        elif c.isalpha() or c == "_":
            j = i
            while j < n and (sql[j].isalnum() or sql[j] in "_$"):
                j += 1
            words.append(sql[i:j].lower())
            i = j
        else:
            if c != "(" or words:
                words.append(c)
            i += 1
    return words, None


def read_query_problem(sql: str) -> str | None:
    """Why ``sql`` is not one statement that only reads, or ``None`` when it is.

    A read starts with SELECT, WITH, FROM, VALUES or TABLE (after comments and opening
    parentheses), holds one statement (a final ``;`` is fine) and no INSERT, UPDATE,
    DELETE, MERGE or INTO outside quotes. Quotes are read both with and without
    backslash escapes, so that no dialect can hide a second statement in a text.

    Examples
    --------
    >>> read_query_problem("-- calls\\nselect * from calls where note = 'a;b';")
    >>> read_query_problem("select 1; drop table calls")
    "it holds more than one statement (text after ';')"
    """
    for backslash in (False, True):
        words, problem = _sql_words(sql, backslash)
        if problem:
            return problem
        if not words or words[0] not in READ_STATEMENTS:
            first = words[0].upper() if words and words[0] else "nothing"
            return f"it starts with {first}, not with {'/'.join(map(str.upper, READ_STATEMENTS))}"
        found = [w.upper() for w in WRITE_WORDS if w in words]
        if found:
            return (
                f"it uses {', '.join(found)}, which can write (a name that is such a word "
                "must be quoted)"
            )
    return None


def quoted_table_name(name: str, quote: str = '"', close: str | None = None) -> str:
    """``sources.<table>.table`` as SQL: each dot-separated part quoted as a name.

    Examples
    --------
    >>> print(quoted_table_name('main.my "calls" 2026'))
    "main"."my ""calls"" 2026"
    """
    close = close or quote
    return ".".join(quote + p.replace(close, close * 2) + close for p in name.split("."))


def _table_name(value: Any, path: Path | None, key: str) -> str:
    name = _text(value, path, key, 300)
    parts = name.split(".")
    if any(not p.strip() or any(ord(ch) < 32 for ch in p) for p in parts):
        raise ConfigError(
            f"{_where(path, key)}: expected a table name, or schema.table, got {_show(name)}"
            " (each part named, no control characters; use `query` for anything else)"
        )
    return name


def _sources(raw: Any, path: Path | None) -> dict[str, Source]:
    out = {}
    for table, spec in _mapping(raw, path, "sources").items():
        if table not in TABLES:
            _unknown_keys({table: 0}, list(TABLES), path, "sources.")
        key = f"sources.{table}"
        if isinstance(spec, str):
            spec = {"file": spec}
        src = _dataclass_from(Source, spec, path, key)
        for name in ("file", "url", "duckdb"):
            if getattr(src, name) is not None:
                _text(getattr(src, name), path, f"{key}.{name}", 4096)
        kinds = [k for k in ("file", "url", "duckdb") if getattr(src, k)]
        if len(kinds) != 1:
            raise ConfigError(f"{_where(path, key)}: give exactly one of file, url or duckdb")
        if src.file and (src.query is not None or src.table is not None):
            raise ConfigError(
                f"{_where(path, key)}: query and table are for url and duckdb sources; "
                "a file is read whole"
            )
        if (src.url or src.duckdb) and (src.query is None) == (src.table is None):
            raise ConfigError(f"{_where(path, key)}: give a query or a table (one of them)")
        if src.table is not None:
            src.table = _table_name(src.table, path, f"{key}.table")
        if src.query is not None:
            _text(src.query, path, f"{key}.query", 100_000)
            problem = read_query_problem(src.query)
            if problem:
                raise ConfigError(
                    f"{_where(path, f'{key}.query')}: expected one statement that only "
                    f"reads (SELECT ...); {problem}"
                )
        out[table] = src
    return out


def check_format(fmt: Any, path: Path | None, key: str) -> str:
    """A timestamp format of ``columns.<table>.formats``: ``epoch_s``, ``epoch_ms`` or a
    ``strftime`` format that pandas accepts (``%d/%m/%Y %H:%M``)."""
    fmt = _text(fmt, path, key)
    if fmt in ("epoch_s", "epoch_ms"):
        return fmt
    import pandas as pd

    try:
        pd.to_datetime(pd.Series(["2026-01-01"]), format=fmt, errors="coerce")
    except (ValueError, TypeError, re.error) as exc:
        raise ConfigError(
            f"{_where(path, key)}: not a valid strftime format ({exc}); write it like "
            "'%d/%m/%Y %H:%M', or use epoch_s / epoch_ms"
        ) from None
    return fmt


def _name_map(value: Any, path: Path | None, key: str) -> dict:
    """A mapping whose keys are single values (column names or source values)."""
    out = _mapping(value, path, key)
    for k in out:
        _scalar(k, path, f"{key} (key {_show(k, 30)})")
    return out


def _encoding(value: Any, path: Path | None, key: str) -> str:
    name = _text(value, path, key)
    try:
        known = codecs.lookup(name)._is_text_encoding  # type: ignore[attr-defined]
    except LookupError:
        known = False
    if not known:
        raise ConfigError(
            f"{_where(path, key)}: unknown text encoding {_show(name)} (e.g. utf-8, cp1252, "
            "latin-1, utf-16)"
        )
    return name


def _columns(raw: Any, path: Path | None) -> dict[str, TableMapping]:
    out = {}
    for table, spec in _mapping(raw, path, "columns").items():
        if table not in TABLES:
            _unknown_keys({table: 0}, list(TABLES), path, "columns.")
        key = f"columns.{table}"
        m = _dataclass_from(TableMapping, spec, path, key)
        canon = TABLES[table].names
        m.rename = _name_map(m.rename, path, f"{key}.rename")
        for src, col in m.rename.items():
            _text(col, path, f"{key}.rename.{src}")
        m.formats = _name_map(m.formats, path, f"{key}.formats")
        m.values = _name_map(m.values, path, f"{key}.values")
        m.constants = _name_map(m.constants, path, f"{key}.constants")
        m.units = _name_map(m.units, path, f"{key}.units")
        targets = list(m.rename.values()) + list(m.formats) + list(m.constants) + list(m.units)
        for col in targets + list(m.values):
            if col not in canon:
                hint = difflib.get_close_matches(str(col), canon, n=1)
                extra = f"; did you mean {hint[0]!r}?" if hint else ""
                raise ConfigError(
                    f"{_where(path, key)}: {_show(col)} is not a column of the {table} table{extra}"
                )
        for col, fmt in m.formats.items():
            check_format(fmt, path, f"{key}.formats.{col}")
        for col, vmap in m.values.items():
            for source, value in _name_map(vmap, path, f"{key}.values.{col}").items():
                if value is not None:
                    _scalar(value, path, f"{key}.values.{col}.{source}")
        for col, value in m.constants.items():
            _scalar(value, path, f"{key}.constants.{col}")
        if m.dayfirst is not None and not isinstance(m.dayfirst, bool):
            raise ConfigError(
                f"{_where(path, f'{key}.dayfirst')}: expected true (03/11/2026 is "
                f"3 November) or false (11 March), got {_show(m.dayfirst)}"
            )
        if m.decimal is not None and m.decimal not in (".", ","):
            raise ConfigError(
                f'{_where(path, f"{key}.decimal")}: expected "." or ",", got {_show(m.decimal)}'
            )
        if m.na_values is not None and (
            not isinstance(m.na_values, list) or not all(isinstance(v, str) for v in m.na_values)
        ):
            raise ConfigError(
                f"{_where(path, f'{key}.na_values')}: expected a list of texts, "
                f"got {_show(m.na_values)}"
            )
        for col, unit in m.units.items():
            if not isinstance(unit, str) or unit not in UNITS_TO_SECONDS:
                raise ConfigError(
                    f"{_where(path, f'{key}.units.{col}')}: unknown unit {_show(unit)}; "
                    f"use one of {', '.join(UNITS_TO_SECONDS)}"
                )
        if m.sheet is not None:
            if isinstance(m.sheet, bool) or not isinstance(m.sheet, (str, int)):
                raise ConfigError(
                    f"{_where(path, f'{key}.sheet')}: expected a sheet name or number, "
                    f"got {_show(m.sheet)}"
                )
            if isinstance(m.sheet, int) and m.sheet < 0:
                raise ConfigError(
                    f"{_where(path, f'{key}.sheet')}: a sheet number counts from 0, got {m.sheet}"
                )
        if m.encoding is not None:
            m.encoding = _encoding(m.encoding, path, f"{key}.encoding")
        out[table] = m
    return out


def _targets(raw: Any, path: Path | None) -> dict[str, float]:
    """``targets:``: KPI ids of the catalogue, each with a finite value in its unit's range
    (a share between 0 and 1, NPS points between -100 and 100, others not negative)."""
    from .kpis.registry import REGISTRY

    out = {}
    for kpi_id, value in _mapping(raw, path, "targets").items():
        key = f"targets.{kpi_id}"
        kpi = REGISTRY.get(str(kpi_id))
        if kpi is None:
            hint = difflib.get_close_matches(str(kpi_id), list(REGISTRY), n=1)
            extra = f"; did you mean {hint[0]!r}?" if hint else "; `csmetrics kpis` lists them"
            raise ConfigError(f"{_where(path, key)}: unknown KPI id{extra}")
        if kpi.unit == "share":
            number = _number(value, path, key, 0.0, 1.0)
        elif kpi.unit == "points":
            number = _number(value, path, key, -100.0, 100.0)
        else:
            number = _number(value, path, key, 0.0)
        out[str(kpi_id)] = number
    return out


TOP_KEYS = [
    "timezone", "currency", "lang", "as_of", "calendar", "thresholds", "sla_first_response_h",
    "targets", "peak_periods", "ces", "sources", "columns", "checklist",
]  # fmt: skip


def config_from_dict(raw: dict | None, path: Path | None = None) -> Config:
    """Build a :class:`Config` from the parsed YAML mapping, validating every value.

    Examples
    --------
    >>> config_from_dict({"timezone": "Europe/Warsaw"}).timezone
    'Europe/Warsaw'
    """
    if raw is not None and not isinstance(raw, dict):  # the file's content is not echoed
        raise ConfigError(
            f"{path or CONFIG_FILENAME}: expected a mapping of settings (key: value), "
            f"got a {type(raw).__name__}"
        )
    raw = _mapping(raw, path, "(top level)")
    _unknown_keys(raw, TOP_KEYS, path, "")
    cfg = Config(path=path)
    if "timezone" in raw:
        zone = raw["timezone"]
        try:
            if not isinstance(zone, str) or not zone.strip():
                raise ValueError(zone)
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise ConfigError(
                f"{_where(path, 'timezone')}: unknown time zone {_show(zone)} "
                "(use an IANA name such as Europe/Lisbon)"
            ) from None
        cfg.timezone = zone
    if "currency" in raw:
        from babel.numbers import list_currencies

        if not isinstance(raw["currency"], str) or raw["currency"] not in list_currencies():
            raise ConfigError(
                f"{_where(path, 'currency')}: expected an ISO 4217 currency code such as "
                f"EUR, USD or PLN, got {raw['currency']!r}"
            )
        cfg.currency = raw["currency"]
    if raw.get("lang") is not None:
        from .i18n import normalise

        try:
            normalise(str(raw["lang"]))
        except ConfigError as exc:
            raise ConfigError(f"{_where(path, 'lang')}: {exc}") from None
        cfg.lang = str(raw["lang"])
    if raw.get("as_of") is not None:
        try:
            ts = dt.datetime.fromisoformat(str(raw["as_of"]))
        except ValueError:
            raise ConfigError(
                f"{_where(path, 'as_of')}: expected an ISO date-time, got {raw['as_of']!r}"
            ) from None
        cfg.as_of = ts if ts.tzinfo else ts.replace(tzinfo=cfg.tz)
    cfg.calendar = _calendar(raw.get("calendar"), path)
    cfg.thresholds = _dataclass_from(Thresholds, raw.get("thresholds"), path, "thresholds")
    cfg.ces = _dataclass_from(CesScale, raw.get("ces"), path, "ces")
    if cfg.ces.min >= cfg.ces.max:
        raise ConfigError(f"{_where(path, 'ces')}: min must be below max")
    sla = _mapping(raw.get("sla_first_response_h"), path, "sla_first_response_h")
    cfg.sla_first_response_h = {
        str(k): _number(v, path, f"sla_first_response_h.{k}", 0.0, above=True)
        for k, v in sla.items()
    }
    cfg.targets = _targets(raw.get("targets"), path)
    for i, p in enumerate(_list(raw.get("peak_periods"), path, "peak_periods")):
        key = f"peak_periods[{i}]"
        p = _mapping(p, path, key)
        _unknown_keys(p, ["name", "start", "end"], path, key + ".")
        if not {"name", "start", "end"} <= set(p):
            raise ConfigError(f"{_where(path, key)}: needs name, start and end")
        if not isinstance(p["name"], (str, int, float)) or isinstance(p["name"], bool):
            raise ConfigError(f"{_where(path, key + '.name')}: expected a text")
        peak = PeakPeriod(
            _text(str(p["name"]), path, key + ".name", 200),
            _date(p["start"], path, key + ".start"),
            _date(p["end"], path, key + ".end"),
        )
        if peak.end < peak.start:
            raise ConfigError(f"{_where(path, key)}: end is before start")
        cfg.peak_periods.append(peak)
    cfg.sources = _sources(raw.get("sources"), path)
    cfg.columns = _columns(raw.get("columns"), path)
    cfg.checklist = _checklist(raw.get("checklist"), path)
    return cfg


#: The fields of a checklist question (see ``csmetrics/checklist.yaml``) and of its
#: ``judge``, with the longest text each may hold (0: a finite number).
QUESTION_FIELDS = {
    "id": MAX_NAME_CHARS,
    "category": MAX_NAME_CHARS,
    "question": MAX_QUESTION_CHARS,
    "polarity": MAX_NAME_CHARS,
    "kpis": MAX_NAME_CHARS,
    "judge": 0,
}
JUDGE_FIELDS = {
    "rule": MAX_NAME_CHARS,
    "kpi": MAX_NAME_CHARS,
    "by": MAX_NAME_CHARS,
    "pick": MAX_NAME_CHARS,
    "target": 0,
    "default_target": 0,
    "margin": 0,
    "ratio": 0,
    "low": 0,
    "high": 0,
    "share": 0,
}


def _checklist(raw: Any, path: Path | None) -> dict:
    """``checklist:``: ``replace`` (true/false) and ``questions``, a list of questions whose
    fields have the types of ``csmetrics/checklist.yaml`` and bounded lengths. What the
    values mean (known KPIs, categories and rules; required fields; ids used once) is
    checked by :func:`csmetrics.evaluate.checklist`."""
    out = _mapping(raw, path, "checklist")
    _unknown_keys(out, ["replace", "questions"], path, "checklist.")
    if "replace" in out and not isinstance(out["replace"], bool):
        raise ConfigError(f"{_where(path, 'checklist.replace')}: expected true or false")
    for i, q in enumerate(_list(out.get("questions"), path, "checklist.questions")):
        ident = q.get("id") if isinstance(q, dict) else None
        name = f"[{i}]" + (f" ({ident!r})" if isinstance(ident, str) and len(ident) <= 60 else "")
        key = f"checklist.questions{name}"
        q = _mapping(q, path, key)
        _unknown_keys(q, list(QUESTION_FIELDS), path, key + ".")
        for field_name, value in q.items():
            where = f"{key}.{field_name}"
            if field_name == "kpis":
                if not isinstance(value, list):
                    raise ConfigError(
                        f"{_where(path, where)}: expected a list of KPI ids, got {_show(value)}"
                    )
                for j, kpi in enumerate(value):
                    _text(kpi, path, f"{where}[{j}]")
            elif field_name == "judge":
                if not isinstance(value, dict):
                    raise ConfigError(
                        f"{_where(path, key)}: judge must be a mapping (rule, kpi, ...), "
                        f"got {_show(value)}"
                    )
                judge = value
                _unknown_keys(judge, list(JUDGE_FIELDS), path, where + ".")
                for k, v in judge.items():
                    if JUDGE_FIELDS[k]:
                        _text(v, path, f"{where}.{k}", JUDGE_FIELDS[k])
                    else:
                        _number(v, path, f"{where}.{k}")
            else:
                _text(value, path, where, QUESTION_FIELDS[field_name])
    return out


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, made strict for a settings file.

    A key repeated in one mapping is an error (the plain loader keeps the last value
    silently); anchors and aliases (``&name``, ``*name``, ``<<: *name``) are refused,
    since a few of them nested expand into gigabytes ("billion laughs"), and so is
    nesting deeper than :data:`MAX_CONFIG_DEPTH`.
    """

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _ConfigYAMLError(
                "aliases and anchors (*name, &name) are not allowed in "
                f"{CONFIG_FILENAME}; write each value out",
                event.start_mark,
            )
        self._depth += 1
        try:
            if self._depth > MAX_CONFIG_DEPTH:
                raise _ConfigYAMLError(
                    f"mappings and lists nested more than {MAX_CONFIG_DEPTH} deep",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[arg-type]
            try:
                hashable = key in seen
            except TypeError:
                continue  # an unhashable key: the base class reports it
            if hashable:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"the key {_show(key)} appears twice (lines {seen[key] + 1} and "
                    f"{key_node.start_mark.line + 1}); keep one",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


class _ConfigYAMLError(yaml.YAMLError):
    """YAML that :class:`_UniqueKeyLoader` refuses (aliases, deep nesting)."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


def load_config(path: str | Path | None) -> Config:
    """Read a ``csmetrics.yaml`` file; ``None`` or a missing file gives the defaults.

    Raises
    ------
    ConfigError
        The file is larger than :data:`MAX_CONFIG_BYTES`, not UTF-8 or not valid YAML
        (aliases and anchors are refused), or a setting is unknown or invalid.
    """
    if path is None:
        return Config()
    path = Path(path)
    if not path.exists():
        return Config()
    if not path.is_file():
        raise ConfigError(f"{path}: not a settings file (a folder, or not a regular file)")
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"{path}: larger than {MAX_CONFIG_BYTES // 1_000_000} MB; a settings file is a "
            "few kilobytes (is it the right file?)"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ConfigError(
            f"{path}: not valid YAML{where}: {getattr(exc, 'problem', None) or exc}"
        ) from None
    except (ValueError, OverflowError) as exc:  # a date like 2026-13-45, a huge number
        raise ConfigError(f"{path}: not valid YAML: a value cannot be read ({exc})") from None
    return config_from_dict(raw, path)
