"""Parse source columns into canonical values, deciding each column's format once.

A column is read one way for all its rows. Where a format is not written in the values
themselves (the order of day and month in ``03/11/2026``, the decimal mark of
``2,884``), it comes from the configuration (``columns.<table>.dayfirst``,
``columns.<table>.decimal``) or is proven by the column's own values (a ``25/11/2026``
proves day first; a ``12,50`` proves a decimal comma). A column whose values allow
both readings, with no setting to decide, is an :class:`AmbiguousFormat` error that
names example values and the setting that resolves it; a column whose values prove
both readings is a :class:`MixedFormat` error. Nothing is guessed row by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .parsing_base import (
    FALSE_WORDS,
    NULL_MARKERS,
    TRUE_WORDS,
    AmbiguousFormat,
    FormatError,
    MixedFormat,
    _arrow_text,
    _examples,
    _mask,
    _matches,
)
from .parsing_numbers import decide_decimal, parse_numbers

_OFFSET_RE = r"(?:Z|[+-]\d{2}:?\d{2})$"
_OFFSET_RE_GROUP = r"(Z|[+-]\d{2}:?\d{2})$"
#: A numeric date with the year last: ``03/11/2026``, ``3.11.26 09:15``, ``03-11-2026T09:15``
#: (RE2 syntax: Arrow's regular expressions).
_NUMERIC_DATE_RE = (
    r"^(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4}|\d{2})(?P<rest>(?:[\sT].*)?)$"
)
_NUMERIC_DATE_PREFIX = r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d"
#: A date with the year first but not in ISO form: ``2026/11/03``, ``2026.11.3``.
_YEAR_FIRST_RE = r"^(?P<y>\d{4})[/.](?P<m>\d{1,2})[/.](?P<d>\d{1,2})(?P<rest>(?:[\sT].*)?)$"


@dataclass
class DateOrder:
    """What a column's numeric dates (``dd/mm/yyyy`` or ``mm/dd/yyyy``) prove.

    ``day_first`` and ``month_first`` are the positions of values that only one order
    can read (a first field above 12 proves day first, a second field above 12 proves
    month first); ``ambiguous`` those that both orders read, as different dates.
    """

    day_first: list[int] = field(default_factory=list)
    month_first: list[int] = field(default_factory=list)
    ambiguous: list[int] = field(default_factory=list)


def _date_parts(arr: pa.Array) -> pa.StructArray | None:
    """Fields of numeric dates with the year last, or None when the column has none."""
    if not _matches(arr, _NUMERIC_DATE_PREFIX).any():
        return None
    return pc.extract_regex(arr, _NUMERIC_DATE_RE)


def _order_of(parts: pa.StructArray) -> DateOrder:
    first = pc.cast(pc.struct_field(parts, "a"), pa.int32()).to_numpy(zero_copy_only=False)
    second = pc.cast(pc.struct_field(parts, "b"), pa.int32()).to_numpy(zero_copy_only=False)
    first = np.where(np.isnan(first.astype(float)), 0, first).astype(int)
    second = np.where(np.isnan(second.astype(float)), 0, second).astype(int)
    valid = (first >= 1) & (second >= 1)
    day_first = valid & (first > 12) & (second <= 12)
    month_first = valid & (second > 12) & (first <= 12)
    ambiguous = valid & (first <= 12) & (second <= 12) & (first != second)
    return DateOrder(
        day_first=np.flatnonzero(day_first).tolist(),
        month_first=np.flatnonzero(month_first).tolist(),
        ambiguous=np.flatnonzero(ambiguous).tolist(),
    )


def numeric_date_order(text: pd.Series) -> DateOrder:
    """Sort a column's numeric dates by what they prove about the order of day and month.

    Examples
    --------
    >>> o = numeric_date_order(pd.Series(["03/11/2026", "25/11/2026", "2026-11-03", "01/01/26"]))
    >>> o.day_first, o.month_first, o.ambiguous
    ([1], [], [0])
    """
    parts = _date_parts(_arrow_text(text))
    return DateOrder() if parts is None else _order_of(parts)


def _decide(order: DateOrder, text: pd.Series | pa.Array, dayfirst: bool | None) -> bool:
    if dayfirst is not None:
        return bool(dayfirst)
    if order.day_first and order.month_first:
        raise MixedFormat(
            "the column mixes day-first dates and month-first dates; fix the source or set "
            "the order and correct the rows that do not follow it",
            _examples(text, order.day_first, 2) + _examples(text, order.month_first, 2),
            "dayfirst",
        )
    if order.day_first:
        return True
    if order.month_first:
        return False
    if order.ambiguous:
        raise AmbiguousFormat(
            "ambiguous dates: every value could be day/month or month/day, and they give "
            "different dates",
            _examples(text, order.ambiguous),
            "dayfirst",
        )
    return False  # no numeric date that the order changes


def decide_dayfirst(text: pd.Series, dayfirst: bool | None) -> bool:
    """The order of day and month for the whole column.

    ``dayfirst`` from the configuration wins; otherwise the values decide: a first
    field above 12 proves day first, a second field above 12 proves month first.

    Raises
    ------
    MixedFormat
        The column holds values that prove both orders.
    AmbiguousFormat
        No setting, and every numeric date could be read either way as different dates.

    Examples
    --------
    >>> decide_dayfirst(pd.Series(["03/11/2026 09:15", "25/11/2026 10:00"]), None)
    True
    >>> decide_dayfirst(pd.Series(["03/11/2026"]), False)
    False
    """
    if dayfirst is not None:
        return bool(dayfirst)
    return _decide(numeric_date_order(text), text, None)


def _iso_from_parts(arr: pa.Array, parts: pa.StructArray, dayfirst: bool) -> pa.Array:
    day, month = (pc.struct_field(parts, "a"), pc.struct_field(parts, "b"))
    if not dayfirst:
        day, month = month, day
    year = pc.struct_field(parts, "y")
    short = pc.equal(pc.utf8_length(year), 2)
    century = pc.if_else(pc.less(pc.cast(year, pa.int32()), 69), "20", "19")
    year = pc.if_else(short, pc.binary_join_element_wise(century, year, ""), year)
    iso = pc.binary_join_element_wise(
        year, pc.utf8_lpad(month, 2, "0"), pc.utf8_lpad(day, 2, "0"), "-"
    )
    iso = pc.binary_join_element_wise(iso, pc.struct_field(parts, "rest"), "")
    return pc.if_else(pc.is_valid(iso), iso, arr)


def _iso_year_first(arr: pa.Array) -> pa.Array:
    if not _matches(arr, r"^\d{4}[/.]").any():
        return arr
    parts = pc.extract_regex(arr, _YEAR_FIRST_RE)
    iso = pc.binary_join_element_wise(
        pc.struct_field(parts, "y"),
        pc.utf8_lpad(pc.struct_field(parts, "m"), 2, "0"),
        pc.utf8_lpad(pc.struct_field(parts, "d"), 2, "0"),
        "-",
    )
    iso = pc.binary_join_element_wise(iso, pc.struct_field(parts, "rest"), "")
    return pc.if_else(pc.is_valid(iso), iso, arr)


def to_iso_dates(text: pd.Series, dayfirst: bool) -> pd.Series:
    """Rewrite numeric dates (``03/11/2026 09:15``) as ISO (``2026-11-03 09:15``).

    Values in another form are returned as they are (trimmed).

    Examples
    --------
    >>> to_iso_dates(pd.Series(["03/11/2026 09:15", "2026/11/3", "x"]), True).tolist()
    ['2026-11-03 09:15', '2026-11-03', 'x']
    """
    arr = _arrow_text(text)
    parts = _date_parts(arr)
    if parts is not None:
        arr = _iso_from_parts(arr, parts, dayfirst)
    arr = _iso_year_first(arr)
    return pd.Series(arr.to_pandas(), index=text.index, dtype=object)


def parse_timestamps(
    values: pd.Series, tz: str, fmt: str | None = None, dayfirst: bool | None = None
) -> pd.Series:
    """Parse a column into timezone-aware ``datetime64[us, tz]``.

    Values with an offset (``...+01:00``, ``...Z``) are converted to ``tz``; naive
    values are localised to ``tz`` (a time skipped by a DST change moves forward; an
    ambiguous one is read as standard time). ``fmt`` is a ``strftime`` format, or
    ``"epoch_s"``/``"epoch_ms"`` for Unix times. Numeric dates (``03/11/2026``) are read
    in one order for the whole column: ``dayfirst`` when given, else the order the
    values prove (:func:`decide_dayfirst`). Unparseable values become ``NaT``.

    Raises
    ------
    AmbiguousFormat, MixedFormat
        The order of day and month cannot be decided for the column.

    Examples
    --------
    >>> parse_timestamps(pd.Series(["2026-03-29 01:30", "2026-01-05T10:00Z"]),
    ...                  "Europe/Lisbon").dt.strftime("%H:%M %Z").tolist()
    ['02:00 WEST', '10:00 WET']
    >>> parse_timestamps(pd.Series(["03/11/2026 09:15", "25/11/2026"]),
    ...                  "UTC").dt.strftime("%Y-%m-%d").tolist()
    ['2026-11-03', '2026-11-25']
    """
    dtype = pd.DatetimeTZDtype("us", tz)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert(tz).astype(dtype)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return _localise(values, tz).astype(dtype)
    if fmt in ("epoch_s", "epoch_ms"):
        nums = pd.to_numeric(values, errors="coerce")
        unit = "s" if fmt == "epoch_s" else "ms"
        parsed = pd.to_datetime(nums, unit=unit, utc=True, errors="coerce")
        return parsed.dt.tz_convert(tz).astype(dtype)
    arr = _arrow_text(values)
    present = _mask(pc.is_valid(arr))
    if not present.any():
        return pd.Series(pd.NaT, index=values.index, dtype=dtype)
    if fmt:
        return _with_format(arr, present, values.index, fmt, tz)
    return _free_form(arr, present, values.index, tz, dayfirst)


def _with_format(
    arr: pa.Array, present: np.ndarray, index: pd.Index, fmt: str, tz: str
) -> pd.Series:
    """Text read with a ``strftime`` format; an offset in it (``%z``) may differ by row."""
    dtype = pd.DatetimeTZDtype("us", tz)
    out = pd.Series(pd.NaT, index=index, dtype=dtype)
    text = pd.Series(arr.to_pandas(), index=index, dtype=object)
    # an offset in the format (%z, %Z) may differ between rows: instants, as UTC
    utc = "%z" in fmt or "%Z" in fmt
    try:
        parsed = pd.to_datetime(text[present], format=fmt, errors="coerce", utc=utc)
    except (ValueError, TypeError, re.error) as exc:
        raise FormatError(f"the format {fmt!r} cannot be used: {exc}", [], "formats") from None
    out.loc[present] = _to_tz(parsed, tz).astype(dtype)
    return out


def _free_form(
    arr: pa.Array, present: np.ndarray, index: pd.Index, tz: str, dayfirst: bool | None
) -> pd.Series:
    """Text without a format: numeric dates in the column's one order, then ISO 8601 or
    another form, values with an offset read as instants and the others in ``tz``."""
    parts = _date_parts(arr)
    if parts is not None:
        arr = _iso_from_parts(arr, parts, _decide(_order_of(parts), arr, dayfirst))
    arr = _iso_year_first(arr)
    aware = _matches(arr, _OFFSET_RE)
    text = pd.Series(arr.to_pandas(), index=index, dtype=object)
    utc_us = np.full(len(text), np.datetime64("NaT"), dtype="M8[us]")  # positional
    for mask, utc in ((present & aware, True), (present & ~aware, False)):
        if mask.any():
            utc_us[mask] = _utc_instants(text[mask], utc, tz)
    return pd.Series(utc_us, index=index).dt.tz_localize("UTC").dt.tz_convert(tz)


def _utc_instants(part: pd.Series, utc: bool, tz: str) -> np.ndarray:
    """Values all with an offset (``utc``) or all without one, as naive UTC instants."""
    parsed = pd.to_datetime(part, utc=utc, errors="coerce", format="ISO8601")
    if not utc:
        parsed = parsed.astype("datetime64[us]")
    retry = parsed.isna()
    if retry.any():
        # other forms with no numeric day and month to confuse ("Nov 3, 2026 9:15 AM")
        parsed[retry] = pd.to_datetime(
            part[retry], utc=utc, errors="coerce", format="mixed"
        ).astype(parsed.dtype)
    parsed = parsed.dt.tz_convert("UTC") if utc else _localise(parsed, tz)
    return parsed.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy("M8[us]")


def _to_tz(parsed: pd.Series, tz: str) -> pd.Series:
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        return parsed.dt.tz_convert(tz)
    return _localise(parsed, tz)


def _localise(naive: pd.Series, tz: str) -> pd.Series:
    naive = naive.astype("datetime64[us]")
    ambiguous = np.zeros(len(naive), dtype=bool)
    return naive.dt.tz_localize(tz, ambiguous=ambiguous, nonexistent="shift_forward")


# ---------------------------------------------------------------------------------------
# Booleans, months, ids
# ---------------------------------------------------------------------------------------


def parse_booleans(values: pd.Series) -> pd.Series:
    """Parse ``true/false``, ``yes/no``, ``y/n``, ``1/0`` (any case) into nullable booleans.

    Unknown words become ``<NA>`` (the caller reports them).

    Examples
    --------
    >>> parse_booleans(pd.Series(["Yes", "nie", "maybe"])).tolist()
    [True, False, <NA>]
    """
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean")
    text = values.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[text.isin(TRUE_WORDS).fillna(False).astype(bool)] = True
    out[text.isin(FALSE_WORDS).fillna(False).astype(bool)] = False
    return out


def parse_months(values: pd.Series, tz: str) -> pd.Series:
    """Parse months (``2026-10``, ``2026-10-01``, dates, ``10/2026``) into ``"YYYY-MM"``.

    Examples
    --------
    >>> parse_months(pd.Series(["2026-10", "3/2026", "2026-11-30"]), "UTC").tolist()
    ['2026-10', '2026-03', '2026-11']
    """
    str_dtype = pd.StringDtype(na_value=np.nan)
    if isinstance(values.dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_any_dtype(
        values.dtype
    ):
        return _no_year_zero(values.dt.strftime("%Y-%m").astype(str_dtype))
    text = values.astype("string").str.strip()
    out = pd.Series(np.nan, index=values.index, dtype=str_dtype)
    ym = text.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").fillna(False).astype(bool)
    out[ym] = text[ym]
    my = text.str.fullmatch(r"(0?[1-9]|1[0-2])[/.-]\d{4}").fillna(False).astype(bool)
    if my.any():
        parts = text[my].str.split(r"[/.-]", regex=True)
        out[my] = parts.map(lambda p: f"{int(p[1]):04d}-{int(p[0]):02d}")
    rest = (~ym & ~my & text.notna() & (text != "")).fillna(False).astype(bool)
    if rest.any():
        part = text[rest]
        offset = part.str.extract(_OFFSET_RE_GROUP, expand=False)
        parsed = pd.Series(np.nan, index=part.index, dtype=object)
        for written in [None, *offset.dropna().unique()]:  # one offset at a time
            group = offset.isna() if written is None else (offset == written)
            group = group.fillna(False).astype(bool)
            if group.any():
                stamps = pd.to_datetime(part[group], errors="coerce", format="ISO8601")
                parsed[group] = stamps.dt.strftime("%Y-%m").where(stamps.notna())
        _check_one_offset(part, offset, parsed.notna(), np.flatnonzero(rest.to_numpy()))
        out[rest] = parsed.astype(str_dtype)
    return _no_year_zero(out)


def _no_year_zero(months: pd.Series) -> pd.Series:
    """Months of the year 0000 as missing: the calendar has no year 0 (the caller reports
    the values it could not read)."""
    return months.where(~months.str.startswith("0000").fillna(False).astype(bool))


def _check_one_offset(
    text: pd.Series, offset: pd.Series, read: pd.Series, positions: np.ndarray
) -> None:
    """The dates read in a month column carry one offset, or none: with several, the
    calendar month of ``2026-10-31T23:30-05:00`` depends on the zone it is read in.

    Raises
    ------
    MixedFormat
        Offsets differ (or some dates read have one and others not).
    """
    norm = [None if pd.isna(o) else str(o).replace(":", "").replace("Z", "+0000") for o in offset]
    found = [i for i, ok in enumerate(read) if ok]
    if len({norm[i] for i in found}) <= 1:
        return
    first = found[0]
    odd = [i for i in found if norm[i] != norm[first]][:2]
    raise MixedFormat(
        "the column mixes time-zone offsets (or dates with and without one), so the "
        "calendar month of a value would depend on the zone it is read in",
        [(int(positions[i]), str(text.iloc[i])) for i in [first, *odd]],
        "month",
    )


def parse_ids(values: pd.Series) -> pd.Series:
    """Ids as strings; whole numbers read as floats (``123.0``) lose the ``.0``.

    Examples
    --------
    >>> parse_ids(pd.Series([12.0, None])).tolist()
    ['12', nan]
    """
    str_dtype = pd.StringDtype(na_value=np.nan)
    if pd.api.types.is_float_dtype(values.dtype):
        nums = values.to_numpy(float, na_value=np.nan)
        whole = np.isfinite(nums) & (nums == np.floor(nums)) & (np.abs(nums) < 2**63)
        whole = pd.Series(whole, index=values.index)
        text = values.astype(object)
        text[whole] = values[whole].astype("int64").astype(str)
        return text.astype(str_dtype).where(values.notna())
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype(str_dtype)
    text = values.astype(str_dtype).str.strip()
    return text.where(text != "")


__all__ = [
    "NULL_MARKERS",
    "AmbiguousFormat",
    "FormatError",
    "MixedFormat",
    "decide_dayfirst",
    "decide_decimal",
    "numeric_date_order",
    "parse_booleans",
    "parse_ids",
    "parse_months",
    "parse_numbers",
    "parse_timestamps",
    "to_iso_dates",
]
