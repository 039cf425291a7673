"""Parsing export columns: timestamps, durations, labels, statuses, ids, pseudonyms.

The value parsers every preset shares. Each returns the parsed values and, where a value
can be unreadable, the mask of those values, so that the preset reports them (a repair,
a rejection) with their source lines through :func:`add_step` or :func:`reject_rows`.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Mapping
from pathlib import Path  # noqa: F401 (doctest)

import numpy as np
import pandas as pd

from ..errors import DataError
from ..parsers import FormatError, decide_dayfirst, parse_timestamps
from . import ImportContext, Step, _examples
from .export import Export, norm


def add_step(
    ctx: ImportContext,
    kind: str,
    table: str,
    text: str,
    mask: pd.Series,
    values: pd.Series | None = None,
    lines: pd.Series | None = None,
) -> None:
    """Record a step with a row count and example lines (e.g. a note on flagged rows)."""
    n = int(mask.sum())
    if n:
        ctx.steps.append(Step(kind, table, text, n, _examples(mask, values, lines)))


def date_order(exp: Export, dayfirst: bool | None) -> bool:
    """The order of numeric dates (``03/04/2026``) in the whole export.

    One export writes every date the same way, so the order is proven by any of its
    columns (a first field above 12: day first; a second one: month first), unless
    ``dayfirst`` (``csmetrics import --dayfirst``/``--monthfirst``) says it.

    Raises
    ------
    DataError
        The values prove both orders, or no value proves either and no option says.

    Examples
    --------
    >>> frame = pd.DataFrame({"a": ["03/04/2026 10:00"], "b": ["25/04/2026 08:00"]})
    >>> date_order(Export(Path("x.csv"), frame, pd.Series([2])), None)
    True
    """
    text = pd.concat([exp.frame[c].astype("string") for c in exp.frame.columns])
    labels = pd.concat([pd.Series(str(c), index=exp.frame.index) for c in exp.frame.columns])
    text, labels = text.reset_index(drop=True), labels.reset_index(drop=True)
    try:
        return decide_dayfirst(text.fillna(""), dayfirst)
    except FormatError as exc:
        rows = [f"{labels.iloc[i]!r}: {v!r}" for i, v in exc.examples]
        raise DataError(
            f"{exc.message}; run the import with --dayfirst (03/11/2026 is 3 November) "
            "or --monthfirst (11 March)",
            file=exp.file,
            rows=rows,
        ) from None


def parse_times(
    values: pd.Series, tz: str, fmt: str | None = None, dayfirst: bool | None = None
) -> tuple[pd.Series, pd.Series]:
    """Timestamps in ``tz`` (naive values are local time) and the mask of unparseable ones."""
    out = parse_timestamps(values.astype(object), tz, fmt, dayfirst)
    present = values.notna() & (values.astype("string").str.strip() != "").fillna(False)
    return out, (present & out.isna()).astype(bool)


#: The longest duration read from an export (100 years): beyond it, a value is unreadable.
MAX_DURATION_S = 100 * 365.25 * 86400


def parse_duration_s(values: pd.Series, unit_s: float) -> tuple[pd.Series, pd.Series]:
    """Durations in seconds from plain numbers (× ``unit_s``) or clock text.

    ``h:mm:ss`` and ``h:mm`` are hours first (``01:30`` is 90 minutes, as time-tracking
    fields show it). Returns the seconds and the mask of unparseable values; a value
    that is not finite or longer than :data:`MAX_DURATION_S` (100 years) is unparseable
    too (``1e300`` is no duration, and would not fit a timestamp).

    >>> parse_duration_s(pd.Series(["1.5", "01:30:00", "0:45", "x", None]), 3600)[0].tolist()
    [5400.0, 5400.0, 2700.0, nan, nan]
    >>> parse_duration_s(pd.Series(["1e300", "inf"]), 60)[1].tolist()
    [True, True]
    """
    text = values.astype("string").str.strip()
    text = text.where(text != "")
    nums = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce") * unit_s
    clock = text.str.fullmatch(r"\d+:\d{1,2}(:\d{1,2})?").fillna(False).astype(bool)
    if clock.any():
        parts = text[clock].str.split(":", expand=True).astype(float).fillna(0.0)
        while parts.shape[1] < 3:
            parts[parts.shape[1]] = 0.0
        nums[clock] = parts[0] * 3600 + parts[1] * 60 + parts[2]
    nums = nums.astype(float)
    nums = nums.where(np.isfinite(nums) & (nums.abs() <= MAX_DURATION_S))
    return nums, (text.notna() & nums.isna()).astype(bool)


def add_seconds(times: pd.Series, seconds: pd.Series) -> pd.Series:
    """``times`` + ``seconds``; NaT where either is missing or the sum is out of range.

    >>> t = pd.Series(pd.to_datetime(["2026-01-01", "2026-04-01"]).tz_localize("UTC"))
    >>> add_seconds(t, pd.Series([60.0, 1e20])).tolist()
    [Timestamp('2026-01-01 00:01:00+0000', tz='UTC'), NaT]
    """
    out = pd.Series(pd.NaT, index=times.index, dtype=times.dtype)
    ok = times.notna() & seconds.notna()
    if not ok.any():
        return out
    try:
        out[ok] = times[ok] + pd.to_timedelta(seconds[ok], unit="s")
    except (OverflowError, pd.errors.OutOfBoundsDatetime, pd.errors.OutOfBoundsTimedelta):
        for i in ok[ok].index:  # one by one: only the sums out of range stay empty
            with contextlib.suppress(OverflowError, pd.errors.OutOfBoundsDatetime, ValueError):
                out[i] = times[i] + pd.Timedelta(seconds=float(seconds[i]))
    return out


def plain(values: pd.Series) -> pd.Series:
    """``values`` as Python objects, missing as None.

    ``Series.map`` on a ``string`` column whose results are all None gives a column of
    pyarrow's null type, into which no text can be put later; on objects it cannot.
    """
    return values.astype(object).where(values.notna(), None)


def map_values(
    values: pd.Series, mapping: Mapping[str, str], default: str | None = None
) -> pd.Series:
    """Map folded values (``norm``) through ``mapping``; others become ``default``."""
    folded = plain(values).map(lambda v: norm(v) if isinstance(v, str) else None)
    return folded.map(lambda v: mapping.get(v, default) if v is not None else None).astype(object)


def label(values: pd.Series) -> pd.Series:
    """Lower-case tokens (``"Web Form"`` → ``"web_form"``), missing kept missing."""
    return plain(values).map(
        lambda v: norm(v).replace(" ", "_") or None if isinstance(v, str) else None
    )


def pseudonym(values: pd.Series, prefix: str = "c-") -> pd.Series:
    """A stable short hash of an e-mail address (case and spaces ignored), not the address."""

    def one(v: object) -> str | None:
        if not isinstance(v, str) or not v.strip():
            return None
        return prefix + hashlib.sha256(v.strip().lower().encode()).hexdigest()[:12]

    return plain(values).map(one)


def drop_duplicate_ids(
    ctx: ImportContext, table: str, raw: pd.DataFrame, ids: pd.Series, lines: pd.Series
) -> pd.Series:
    """Set aside every repeat of an id (the first record is kept); returns the keep mask."""
    dup = (ids.notna() & ids.duplicated(keep="first")).astype(bool)
    if dup.any():
        first = ids[~dup & ids.notna()].drop_duplicates()
        first_line = pd.Series(lines[first.index].to_numpy(), index=first.to_numpy())
        rows = raw.loc[dup].copy()
        rows["first_kept_line"] = ids[dup].map(first_line).astype("Int64")
        ctx.reject(table, rows, "duplicate ticket id: the first record with this id is kept", lines)
    return ~dup


def reject_rows(
    ctx: ImportContext,
    table: str,
    raw: pd.DataFrame,
    mask: pd.Series,
    reason: str,
    lines: pd.Series,
) -> pd.Series:
    """Reject the rows in ``mask`` (with their source lines); returns the keep mask."""
    mask = mask.fillna(False).astype(bool)
    if mask.any():
        ctx.reject(table, raw.loc[mask], reason, lines)
    return ~mask


def map_status(
    ctx: ImportContext,
    exp: Export,
    col: str,
    mapping: Mapping[str, str],
    keep: pd.Series,
    doc: str,
    table: str = "tickets",
) -> pd.Series:
    """Canonical statuses; unknown ones are left empty and reported (rows are kept)."""
    raw = exp.text(col)
    status = map_values(raw, mapping)
    unknown = keep & raw.notna() & status.isna()
    ctx.derived(table, f"status from {col!r}: {doc}", int((keep & status.notna()).sum()))
    add_step(
        ctx,
        "repaired",
        table,
        f"unknown {col!r} value(s) {sorted(set(raw[unknown]))[:6]}: status left empty "
        "(the ticket is kept; open or resolved follows from its dates)",
        unknown,
        raw,
        exp.lines,
    )
    return status


def flag_resolved_before_created(
    ctx: ImportContext, created: pd.Series, resolved: pd.Series, keep: pd.Series, lines, what: str
) -> None:
    """Count tickets resolved before they were created (kept; the loader flags them)."""
    bad = keep & resolved.notna() & created.notna() & (resolved < created)
    add_step(
        ctx,
        "note",
        "tickets",
        f"{what}: kept, and left out of resolution times by the quality check "
        "'resolved_before_created'",
        bad,
        resolved.dt.strftime("%Y-%m-%d %H:%M:%S").where(bad),
        lines,
    )


def times_column(
    ctx: ImportContext,
    exp: Export,
    col: str | None,
    target: str,
    tz: str,
    keep: pd.Series,
    table: str = "tickets",
) -> tuple[pd.Series, pd.Series]:
    """Parse a timestamp column, day/month order told from the values; bad-value mask.

    The order of numeric dates is decided once for the whole export (:func:`date_order`)
    and noted; the mapping ``col → target`` is recorded for ``table``.
    """
    if col is None:
        empty = pd.Series(pd.NaT, index=exp.frame.index, dtype=f"datetime64[us, {tz}]")
        return empty, pd.Series(False, index=exp.frame.index)
    raw = exp.text(col)
    numeric = raw.str.match(r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}").fillna(False)
    order = date_order(exp, ctx.dayfirst) if numeric.any() else False
    times, bad = parse_times(raw, tz, dayfirst=order)
    ctx.mapped(table, col, target)
    if numeric.any():
        how = "as told (--dayfirst/--monthfirst)" if ctx.dayfirst is not None else "as proven"
        first = "day first" if order else "month first"
        ctx.note(table, f"{col!r}: numeric dates read {first}, {how}")
    return times, bad & keep


def csat_from_labels(values: pd.Series, labels: Mapping[str, float]) -> pd.Series:
    """CSAT scores 1-5 from rating labels or plain numbers; NaN where unknown."""
    folded = plain(values).map(lambda v: norm(v) if isinstance(v, str) else None)
    score = folded.map(lambda v: labels.get(v, np.nan) if v is not None else np.nan)
    nums = pd.to_numeric(values, errors="coerce")
    return score.where(score.notna(), nums).astype(float)
