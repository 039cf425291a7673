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
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .errors import ConfigError
from .schema import TABLES

CONFIG_FILENAME = "csmetrics.yaml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
UNITS_TO_SECONDS = {"ms": 0.001, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
_HOURS_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


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
class Calendar:
    """Business calendar: weekly opening hours, public holidays and closed days."""

    country: str | None = None
    subdivision: str | None = None
    business_hours: dict[str, tuple[str, str]] = field(
        default_factory=lambda: {d: ("09:00", "17:00") for d in WEEKDAYS[:5]}
    )
    closed_days: list[dt.date] = field(default_factory=list)


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


def _unknown_keys(given: dict, allowed: list[str], path: Path | None, ctx: str) -> None:
    for key in given:
        if key not in allowed:
            hint = difflib.get_close_matches(str(key), allowed, n=1)
            extra = (
                f"; did you mean {hint[0]!r}?" if hint else f"; known keys: {', '.join(allowed)}"
            )
            raise ConfigError(f"{_where(path, ctx + str(key))}: unknown setting{extra}")


def _mapping(value: Any, path: Path | None, key: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{_where(path, key)}: expected a mapping, got {value!r}")
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
        raise ConfigError(f"{_where(path, key)}: expected a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ConfigError(f"{_where(path, key)}: expected a finite number, got {value!r}")
    too_low = low is not None and (number <= low if above else number < low)
    if too_low or (high is not None and number > high):
        if low is not None and high is not None:
            span = f"between {low:g} and {high:g}"
        elif low is not None:
            span = f"above {low:g}" if above else f"at least {low:g}"
        else:
            span = f"at most {high:g}"
        raise ConfigError(f"{_where(path, key)}: expected a number {span}, got {value!r}")
    return number


def _date(value: Any, path: Path | None, key: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(
            f"{_where(path, key)}: expected a date YYYY-MM-DD, got {value!r}"
        ) from None


#: Allowed ranges of numeric settings: (lowest, highest, lowest excluded).
RANGES: dict[str, tuple[float | None, float | None, bool]] = {
    "thresholds.service_level_s": (0.0, None, True),
    "thresholds.repeat_contact_days": (0.0, None, True),
    "thresholds.channel_switch_h": (0.0, None, True),
    "thresholds.max_call_part_s": (0.0, None, True),
    "thresholds.max_handle_time_s": (0.0, None, True),
    "thresholds.max_ticket_duration_days": (0.0, None, True),
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
    cal = Calendar(country=raw.get("country"), subdivision=raw.get("subdivision"))
    if cal.country is not None:
        import holidays

        try:
            holidays.country_holidays(cal.country, subdiv=cal.subdivision)
        except NotImplementedError:
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
            m = _HOURS_RE.match(str(span).replace(" ", ""))
            if not m or (m.group(3), m.group(4)) <= (m.group(1), m.group(2)):
                raise ConfigError(
                    f"{_where(path, f'calendar.business_hours.{day}')}: expected "
                    f"'HH:MM-HH:MM' with the end after the start, got {span!r}"
                )
            cal.business_hours[day] = (f"{m.group(1)}:{m.group(2)}", f"{m.group(3)}:{m.group(4)}")
    cal.closed_days = [
        _date(d, path, "calendar.closed_days") for d in (raw.get("closed_days") or [])
    ]
    return cal


def _sources(raw: Any, path: Path | None) -> dict[str, Source]:
    out = {}
    for table, spec in _mapping(raw, path, "sources").items():
        if table not in TABLES:
            _unknown_keys({table: 0}, list(TABLES), path, "sources.")
        if isinstance(spec, str):
            spec = {"file": spec}
        src = _dataclass_from(Source, spec, path, f"sources.{table}")
        kinds = [k for k in ("file", "url", "duckdb") if getattr(src, k)]
        if len(kinds) != 1:
            raise ConfigError(
                f"{_where(path, f'sources.{table}')}: give exactly one of file, url or duckdb"
            )
        if (src.url or src.duckdb) and not (src.query or src.table):
            raise ConfigError(f"{_where(path, f'sources.{table}')}: give a query or a table")
        out[table] = src
    return out


def _columns(raw: Any, path: Path | None) -> dict[str, TableMapping]:
    out = {}
    for table, spec in _mapping(raw, path, "columns").items():
        if table not in TABLES:
            _unknown_keys({table: 0}, list(TABLES), path, "columns.")
        m = _dataclass_from(TableMapping, spec, path, f"columns.{table}")
        canon = TABLES[table].names
        targets = list(m.rename.values()) + list(m.formats) + list(m.constants) + list(m.units)
        for col in targets + list(m.values):
            if col not in canon:
                hint = difflib.get_close_matches(str(col), canon, n=1)
                extra = f"; did you mean {hint[0]!r}?" if hint else ""
                raise ConfigError(
                    f"{_where(path, f'columns.{table}')}: {col!r} is not a column of the "
                    f"{table} table{extra}"
                )
        if m.dayfirst is not None and not isinstance(m.dayfirst, bool):
            raise ConfigError(
                f"{_where(path, f'columns.{table}.dayfirst')}: expected true (03/11/2026 is "
                f"3 November) or false (11 March), got {m.dayfirst!r}"
            )
        if m.decimal is not None and m.decimal not in (".", ","):
            raise ConfigError(
                f'{_where(path, f"columns.{table}.decimal")}: expected "." or ",", '
                f"got {m.decimal!r}"
            )
        if m.na_values is not None and (
            not isinstance(m.na_values, list) or not all(isinstance(v, str) for v in m.na_values)
        ):
            raise ConfigError(
                f"{_where(path, f'columns.{table}.na_values')}: expected a list of texts, "
                f"got {m.na_values!r}"
            )
        for col, unit in m.units.items():
            if unit not in UNITS_TO_SECONDS:
                raise ConfigError(
                    f"{_where(path, f'columns.{table}.units.{col}')}: unknown unit {unit!r}; "
                    f"use one of {', '.join(UNITS_TO_SECONDS)}"
                )
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
    raw = _mapping(raw, path, "(top level)")
    _unknown_keys(raw, TOP_KEYS, path, "")
    cfg = Config(path=path)
    if "timezone" in raw:
        try:
            ZoneInfo(str(raw["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"{_where(path, 'timezone')}: unknown time zone {raw['timezone']!r} "
                "(use an IANA name such as Europe/Lisbon)"
            ) from None
        cfg.timezone = str(raw["timezone"])
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
    for i, p in enumerate(raw.get("peak_periods") or []):
        key = f"peak_periods[{i}]"
        p = _mapping(p, path, key)
        _unknown_keys(p, ["name", "start", "end"], path, key + ".")
        if not {"name", "start", "end"} <= set(p):
            raise ConfigError(f"{_where(path, key)}: needs name, start and end")
        peak = PeakPeriod(
            str(p["name"]),
            _date(p["start"], path, key + ".start"),
            _date(p["end"], path, key + ".end"),
        )
        if peak.end < peak.start:
            raise ConfigError(f"{_where(path, key)}: end is before start")
        cfg.peak_periods.append(peak)
    cfg.sources = _sources(raw.get("sources"), path)
    cfg.columns = _columns(raw.get("columns"), path)
    cfg.checklist = _mapping(raw.get("checklist"), path, "checklist")
    _unknown_keys(cfg.checklist, ["replace", "questions"], path, "checklist.")
    return cfg


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, where a key repeated in one mapping is an error (the plain
    loader keeps the last value silently)."""

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
                    f"the key {key!r} appears twice (lines {seen[key] + 1} and "
                    f"{key_node.start_mark.line + 1}); keep one",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


def load_config(path: str | Path | None) -> Config:
    """Read a ``csmetrics.yaml`` file; ``None`` or a missing file gives the defaults.

    Raises
    ------
    ConfigError
        The file is not valid YAML, or a setting is unknown or invalid.
    """
    if path is None:
        return Config()
    path = Path(path)
    if not path.exists():
        return Config()
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        raise ConfigError(
            f"{path}: not valid YAML{where}: {getattr(exc, 'problem', exc)}"
        ) from None
    return config_from_dict(raw, path)
