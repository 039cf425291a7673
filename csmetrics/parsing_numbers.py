"""Numbers written as text: the decimal mark decided once per column, thousands groups,
units converted to seconds, and ``[h]:mm:ss`` clock durations.

Re-exported by :mod:`csmetrics.parsers`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .config_model import UNITS_TO_SECONDS
from .parsing_base import AmbiguousFormat, MixedFormat, _arrow_text, _examples, _mask, _matches

_SPACES_RE = r"[\s\x{00a0}\x{202f}']"
_DURATION_RE = r"^-?\d+:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?$"
#: One separator with a valid thousands group on its right: ``2,884`` or ``1.234``.
_AMBIGUOUS_NUMBER = r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$"


def _esc(mark: str) -> str:
    return r"\." if mark == "." else mark


class _Shapes:
    """Regular-expression tests of a column of numbers, run on its distinct shapes.

    Every digit 1-9 becomes ``9`` (zeros stay: ``0,5`` and ``9,5`` differ in what they
    prove), so a million amounts have a few hundred shapes; a test runs on those and is
    mapped back to the rows.
    """

    def __init__(self, arr: pa.Array) -> None:
        shapes = pc.replace_substring_regex(arr, r"[1-9]", "9").dictionary_encode()
        self._codes = pc.fill_null(shapes.indices, -1).to_numpy(zero_copy_only=False)
        self._dictionary = shapes.dictionary

    def matches(self, pattern: str) -> np.ndarray:
        hit = np.append(_matches(self._dictionary, pattern), False)  # code -1: null
        return hit[self._codes]


def _proves(shapes: _Shapes, decimal: str) -> np.ndarray:
    """Values that only ``decimal`` as the decimal mark can read."""
    other = "," if decimal == "." else "."
    d, o = _esc(decimal), _esc(other)
    has_d = shapes.matches(d)
    has_o = shapes.matches(o)
    both_last = shapes.matches(rf"^[+-]?\d[\d{o}]*{d}\d+$")  # 1.234,56 when decimal is ","
    single = shapes.matches(rf"^[+-]?\d*{d}\d+$")  # one mark, digits after it
    grouped_other = shapes.matches(rf"^[+-]?[1-9]\d{{0,2}}(?:{o}\d{{3}}){{2,}}$")  # 1.234.567
    ambiguous = shapes.matches(_AMBIGUOUS_NUMBER)
    return (has_d & has_o & both_last) | (has_d & ~has_o & single & ~ambiguous) | grouped_other


def _decide_decimal(
    arr: pa.Array,
    text: pd.Series | pa.Array,
    decimal: str | None,
    shapes: _Shapes | None = None,
) -> str | None:
    if decimal is not None:
        return decimal
    shapes = shapes or _Shapes(arr)
    marked = shapes.matches(r"[.,]") & ~shapes.matches(r"[eE:]")
    if not marked.any():
        return None
    comma = np.flatnonzero(_proves(shapes, ",") & marked).tolist()
    point = np.flatnonzero(_proves(shapes, ".") & marked).tolist()
    if comma and point:
        raise MixedFormat(
            "the column mixes decimal commas and decimal points",
            _examples(text, comma, 2) + _examples(text, point, 2),
            "decimal",
        )
    if comma:
        return ","
    if point:
        return "."
    ambiguous = np.flatnonzero(shapes.matches(_AMBIGUOUS_NUMBER) & marked).tolist()
    if ambiguous:
        raise AmbiguousFormat(
            "ambiguous numbers: each could have a decimal mark or a thousands separator "
            "(2,884 is 2.884 or 2884)",
            _examples(text, ambiguous),
            "decimal",
        )
    return "."


def decide_decimal(text: pd.Series, decimal: str | None) -> str | None:
    """The decimal mark (``"."`` or ``","``) of a column of numbers written as text.

    ``decimal`` from the configuration wins. Otherwise the values decide: ``12,50``,
    ``1.234,5`` or ``1.234.567`` prove a decimal comma; ``12.5``, ``1,234.5`` or
    ``1,234,567`` prove a decimal point. ``2,884`` or ``1.234`` alone prove nothing
    (a decimal, or a thousands group). Returns ``None`` when no value has a mark.

    Raises
    ------
    MixedFormat
        Some values prove a decimal comma and others a decimal point.
    AmbiguousFormat
        Values with a mark, none of which proves which mark is the decimal one.

    Examples
    --------
    >>> decide_decimal(pd.Series(["2,884", "12,50"]), None)
    ','
    >>> decide_decimal(pd.Series(["2,884", "7.5"]), None)
    '.'
    """
    return _decide_decimal(_arrow_text(text), text, decimal)


def _with_decimal(arr: pa.Array, decimal: str, shapes: _Shapes) -> np.ndarray:
    """Numbers written with ``decimal`` as the mark (the other mark groups thousands)."""
    other = "," if decimal == "." else "."
    d, o = _esc(decimal), _esc(other)
    valid = shapes.matches(rf"^[+-]?(?:\d+|[1-9]\d{{0,2}}(?:{o}\d{{3}})+)?(?:{d}\d+)?$")
    valid &= shapes.matches(r"\d")
    plain = pc.replace_substring(arr, other, "")
    if decimal == ",":
        plain = pc.replace_substring(plain, ",", ".")
    plain = pc.if_else(pa.array(valid), plain, pa.nulls(len(arr), pa.string()))
    nums = pc.cast(plain, pa.float64()).to_numpy(zero_copy_only=False).astype(float)
    if decimal == ".":  # scientific notation and the like
        rest = ~valid & _mask(pc.is_valid(arr))
        if rest.any():
            text = pd.Series(arr.filter(pa.array(rest)).to_pandas(), dtype=object)
            nums[rest] = pd.to_numeric(text, errors="coerce").astype(float).to_numpy()
    return nums


def parse_numbers(
    values: pd.Series,
    unit: str | None = None,
    is_duration: bool = False,
    decimal: str | None = None,
) -> pd.Series:
    """Parse numbers (``1.5``, ``1,5``, ``1 234``, ``2,884``), and ``[h]:mm:ss`` for durations.

    The decimal mark is decided once for the column (:func:`decide_decimal`); spaces
    and apostrophes group thousands. ``unit`` converts plain numbers to seconds (``ms``,
    ``s``, ``min``, ``h``, ``d``); clock values (``0:02:30``) are seconds already.
    Unparseable values become NaN; ``inf`` stays infinite (the loader rejects it).

    Examples
    --------
    >>> parse_numbers(pd.Series(["1,5", "0:02:30", None]), unit="min", is_duration=True).tolist()
    [90.0, 150.0, nan]
    >>> parse_numbers(pd.Series(["2,884", "1,234.5"])).tolist()
    [2884.0, 1234.5]
    """
    factor = UNITS_TO_SECONDS[unit] if unit else 1.0
    if pd.api.types.is_timedelta64_dtype(values.dtype):
        return values.dt.total_seconds()
    if pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_numeric_dtype(values.dtype):
        return values.astype(float) * factor
    arr = pc.replace_substring_regex(_arrow_text(values), _SPACES_RE, "")
    clock = _matches(arr, _DURATION_RE) if is_duration else np.zeros(len(arr), dtype=bool)
    numeric = pc.if_else(pa.array(clock), pa.nulls(len(arr), pa.string()), arr)
    shapes = _Shapes(numeric)
    mark = _decide_decimal(numeric, numeric, decimal, shapes)
    if mark is None:
        try:  # Arrow's cast is fast; it refuses the whole column if one value is not a number
            nums = pc.cast(numeric, pa.float64()).to_numpy(zero_copy_only=False).astype(float)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            text = pd.Series(numeric.to_pandas(), dtype=object)
            nums = pd.to_numeric(text, errors="coerce").astype(float).to_numpy()
    else:
        nums = _with_decimal(numeric, mark, shapes)
    out = pd.Series(nums * factor, index=values.index, dtype=float)
    if clock.any():
        clocks = pd.Series(arr.filter(pa.array(clock)).to_pandas(), dtype=object)
        out[clock] = _clock_seconds(clocks.astype(str)).to_numpy()
    return out


def _clock_seconds(text: pd.Series) -> pd.Series:
    """``"1:02:03"`` → 3723.0, ``"02:03"`` → 123.0 (minutes:seconds), sign kept."""
    sign = np.where(text.str.startswith("-"), -1.0, 1.0)
    parts = text.str.lstrip("-").str.split(":", expand=True).astype(float)
    if parts.shape[1] == 2:
        parts.insert(0, "h", 0.0)
    parts = parts.fillna(0.0).to_numpy()
    three = text.str.count(":").to_numpy() == 2
    secs = np.where(
        three, parts[:, 0] * 3600 + parts[:, 1] * 60 + parts[:, 2], parts[:, 0] * 60 + parts[:, 1]
    )
    return pd.Series(secs * sign, index=text.index)
