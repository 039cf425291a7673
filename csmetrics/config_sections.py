"""The sections of ``csmetrics.yaml`` (``calendar``, ``sources``, ``columns``, ``targets``,
``peak_periods``, ``checklist``, ``engine``), each read and checked by one function.

Every function takes the section's raw YAML value and the file's path (for messages) and
returns the typed value, or raises a :class:`~csmetrics.errors.ConfigError` naming the key.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from .calendar import WEEKDAYS, Calendar
from .config_model import (
    ENGINES,
    MAX_NAME_CHARS,
    MAX_QUESTION_CHARS,
    UNITS_TO_SECONDS,
    Engine,
    PeakPeriod,
    Source,
    TableMapping,
)
from .config_values import (
    _dataclass_from,
    _date,
    _encoding,
    _list,
    _mapping,
    _name_map,
    _number,
    _scalar,
    _show,
    _text,
    _unknown_keys,
    _where,
)
from .errors import ConfigError
from .schema import TABLES
from .sqltext import read_query_problem

_MEMORY_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.I)
_HOURS_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


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


def _columns(raw: Any, path: Path | None) -> dict[str, TableMapping]:
    """``columns:``: per table, how its source columns map onto the canonical ones."""
    out = {}
    for table, spec in _mapping(raw, path, "columns").items():
        if table not in TABLES:
            _unknown_keys({table: 0}, list(TABLES), path, "columns.")
        out[table] = _table_mapping(table, spec, path)
    return out


def _table_mapping(table: str, spec: Any, path: Path | None) -> TableMapping:
    """``columns.<table>``: its maps name canonical columns and hold single values."""
    key = f"columns.{table}"
    m = _dataclass_from(TableMapping, spec, path, key)
    m.rename = _name_map(m.rename, path, f"{key}.rename")
    for src, col in m.rename.items():
        _text(col, path, f"{key}.rename.{src}")
    m.formats = _name_map(m.formats, path, f"{key}.formats")
    m.values = _name_map(m.values, path, f"{key}.values")
    m.constants = _name_map(m.constants, path, f"{key}.constants")
    m.units = _name_map(m.units, path, f"{key}.units")
    _check_canonical_names(m, table, path)
    for col, fmt in m.formats.items():
        check_format(fmt, path, f"{key}.formats.{col}")
    for col, vmap in m.values.items():
        for source, value in _name_map(vmap, path, f"{key}.values.{col}").items():
            if value is not None:
                _scalar(value, path, f"{key}.values.{col}.{source}")
    for col, value in m.constants.items():
        _scalar(value, path, f"{key}.constants.{col}")
    _check_reading_options(m, key, path)
    return m


def _check_canonical_names(m: TableMapping, table: str, path: Path | None) -> None:
    """Every column a mapping writes to (rename targets, formats, constants, units,
    values) is a column of ``table``."""
    canon = TABLES[table].names
    targets = list(m.rename.values()) + list(m.formats) + list(m.constants) + list(m.units)
    for col in targets + list(m.values):
        if col not in canon:
            hint = difflib.get_close_matches(str(col), canon, n=1)
            extra = f"; did you mean {hint[0]!r}?" if hint else ""
            raise ConfigError(
                f"{_where(path, f'columns.{table}')}: {_show(col)} is not a column of the "
                f"{table} table{extra}"
            )


def _check_reading_options(m: TableMapping, key: str, path: Path | None) -> None:
    """``dayfirst``, ``decimal``, ``na_values``, ``units``, ``sheet`` and ``encoding``."""
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


def _peak_periods(raw: Any, path: Path | None) -> list[PeakPeriod]:
    """``peak_periods:``: a list of ``{name, start, end}`` with the end not before the start."""
    out = []
    for i, p in enumerate(_list(raw, path, "peak_periods")):
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
        out.append(peak)
    return out


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


def _engine(raw: Any, path: Path | None) -> Engine:
    """``engine:``: ``name`` (pandas or duckdb) and DuckDB's ``memory_limit`` (``4GB``),
    ``temp_directory`` (relative to the file's folder) and ``threads``."""
    raw = _mapping(raw, path, "engine")
    _unknown_keys(raw, ["name", "memory_limit", "temp_directory", "threads"], path, "engine.")
    engine = Engine()
    if raw.get("name") is not None:
        name = raw["name"]
        if name not in ENGINES:
            raise ConfigError(
                f"{_where(path, 'engine.name')}: expected one of {', '.join(ENGINES)}, "
                f"got {_show(name)}"
            )
        engine.name = name
    given = [k for k in ("memory_limit", "temp_directory", "threads") if raw.get(k) is not None]
    if given and engine.name != "duckdb":
        raise ConfigError(
            f"{_where(path, 'engine.' + given[0])}: a setting of the duckdb engine, but "
            f"engine.name is {engine.name} (set name: duckdb, or remove it)"
        )
    if raw.get("memory_limit") is not None:
        limit = raw["memory_limit"]
        m = _MEMORY_RE.match(limit) if isinstance(limit, str) else None
        if m is None or float(m.group(1)) <= 0:
            raise ConfigError(
                f"{_where(path, 'engine.memory_limit')}: expected a size above zero such as "
                f"512MB, 4GB or 8GiB, got {_show(limit)}"
            )
        engine.memory_limit = f"{m.group(1)}{m.group(2).upper().replace('I', 'i')}"
    if raw.get("temp_directory") is not None:
        folder = Path(_text(raw["temp_directory"], path, "engine.temp_directory", 4096))
        base = path.parent if path is not None else Path.cwd()
        engine.temp_directory = (folder if folder.is_absolute() else base / folder).resolve()
    if raw.get("threads") is not None:
        threads = raw["threads"]
        if isinstance(threads, bool) or not isinstance(threads, int) or not 1 <= threads <= 1024:
            raise ConfigError(
                f"{_where(path, 'engine.threads')}: expected a whole number from 1 to 1024, "
                f"got {_show(threads)}"
            )
        engine.threads = threads
    return engine
