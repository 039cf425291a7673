"""Checks of single values of ``csmetrics.yaml``: each raises a
:class:`~csmetrics.errors.ConfigError` naming the file and the key.

The section readers (:mod:`csmetrics.config_sections`) and
:func:`csmetrics.config.config_from_dict` build on these.
"""

from __future__ import annotations

import codecs
import datetime as dt
import difflib
import math
from dataclasses import fields
from pathlib import Path
from typing import Any

from .config_model import CONFIG_FILENAME, MAX_NAME_CHARS, MAX_QUESTION_CHARS, SCALARS, CesScale
from .errors import ConfigError


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
