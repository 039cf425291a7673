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
    engine: {name: duckdb, memory_limit: 4GB, temp_directory: spill}
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

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .calendar import WEEKDAYS, Calendar
from .config_model import (
    CONFIG_FILENAME,
    ENGINES,
    MAX_CONFIG_BYTES,
    MAX_CONFIG_DEPTH,
    MAX_NAME_CHARS,
    MAX_QUESTION_CHARS,
    SCALARS,
    UNITS_TO_SECONDS,
    CesScale,
    Config,
    Engine,
    PeakPeriod,
    Source,
    TableMapping,
    Thresholds,
)
from .config_sections import (
    JUDGE_FIELDS,
    QUESTION_FIELDS,
    _calendar,
    _checklist,
    _columns,
    _engine,
    _peak_periods,
    _sources,
    _targets,
    check_format,
)
from .config_values import RANGES, _dataclass_from, _mapping, _number, _show, _unknown_keys, _where
from .errors import ConfigError
from .sqltext import READ_STATEMENTS, WRITE_WORDS, quoted_table_name, read_query_problem

__all__ = [
    "CONFIG_FILENAME",
    "ENGINES",
    "JUDGE_FIELDS",
    "MAX_CONFIG_BYTES",
    "MAX_CONFIG_DEPTH",
    "MAX_NAME_CHARS",
    "MAX_QUESTION_CHARS",
    "QUESTION_FIELDS",
    "RANGES",
    "READ_STATEMENTS",
    "SCALARS",
    "TOP_KEYS",
    "UNITS_TO_SECONDS",
    "WEEKDAYS",
    "WRITE_WORDS",
    "Calendar",
    "CesScale",
    "Config",
    "ConfigError",
    "Engine",
    "PeakPeriod",
    "Source",
    "TableMapping",
    "Thresholds",
    "check_format",
    "config_from_dict",
    "load_config",
    "quoted_table_name",
    "read_query_problem",
]

TOP_KEYS = [
    "timezone", "currency", "lang", "as_of", "calendar", "thresholds", "sla_first_response_h",
    "targets", "peak_periods", "ces", "sources", "columns", "checklist", "engine",
]  # fmt: skip


def config_from_dict(raw: dict | None, path: Path | None = None) -> Config:
    """Build a :class:`Config` from the parsed YAML mapping, validating every value.

    Parameters
    ----------
    raw : dict or None
        The settings as YAML reads them (``None``: every default).
    path : Path, optional
        The file they come from, named in messages.

    Returns
    -------
    Config

    Raises
    ------
    ConfigError
        A setting is unknown or invalid; the message names the key.

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
        cfg.timezone = _timezone(raw["timezone"], path)
    if "currency" in raw:
        cfg.currency = _currency(raw["currency"], path)
    if raw.get("lang") is not None:
        cfg.lang = _lang(raw["lang"], path)
    if raw.get("as_of") is not None:
        cfg.as_of = _as_of(raw["as_of"], path, cfg.tz)
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
    cfg.peak_periods = _peak_periods(raw.get("peak_periods"), path)
    cfg.sources = _sources(raw.get("sources"), path)
    cfg.columns = _columns(raw.get("columns"), path)
    cfg.checklist = _checklist(raw.get("checklist"), path)
    cfg.engine = _engine(raw.get("engine"), path)
    return cfg


def _timezone(zone: Any, path: Path | None) -> str:
    """``timezone:``: an IANA time zone name."""
    try:
        if not isinstance(zone, str) or not zone.strip():
            raise ValueError(zone)
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(
            f"{_where(path, 'timezone')}: unknown time zone {_show(zone)} "
            "(use an IANA name such as Europe/Lisbon)"
        ) from None
    return zone


def _currency(code: Any, path: Path | None) -> str:
    """``currency:``: an ISO 4217 code that Babel knows."""
    from babel.numbers import list_currencies

    if not isinstance(code, str) or code not in list_currencies():
        raise ConfigError(
            f"{_where(path, 'currency')}: expected an ISO 4217 currency code such as "
            f"EUR, USD or PLN, got {code!r}"
        )
    return code


def _lang(lang: Any, path: Path | None) -> str:
    """``lang:``: a language the report is translated into."""
    from .i18n import normalise

    try:
        normalise(str(lang))
    except ConfigError as exc:
        raise ConfigError(f"{_where(path, 'lang')}: {exc}") from None
    return str(lang)


def _as_of(value: Any, path: Path | None, tz: ZoneInfo) -> dt.datetime:
    """``as_of:``: an ISO date-time; without an offset it is read in ``tz``."""
    try:
        ts = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(
            f"{_where(path, 'as_of')}: expected an ISO date-time, got {value!r}"
        ) from None
    return ts if ts.tzinfo else ts.replace(tzinfo=tz)


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
