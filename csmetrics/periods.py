"""Reporting periods: ``YYYY-MM``, ``YYYY-Qn``, ``YYYY`` or ``all``.

A :class:`Period` is a half-open interval ``[start, end)`` of local time in the
configured time zone, so that "October" means October as the customers lived it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import CsmetricsError

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
#: The years a period may fall in (the year 0 does not exist; a period's end must be a
#: date Python can hold, 9999-12-31 at most).
FIRST_YEAR, LAST_YEAR = 1, 9998


class PeriodError(CsmetricsError):
    """A period string is not ``YYYY-MM``, ``YYYY-Qn``, ``YYYY`` or ``all``."""


@dataclass(frozen=True)
class Period:
    """A reporting period ``[start, end)`` in a time zone.

    Examples
    --------
    >>> p = Period.parse("2026-Q1", "Europe/Lisbon")
    >>> p.label, str(p.start), str(p.end)
    ('2026-Q1', '2026-01-01 00:00:00+00:00', '2026-04-01 00:00:00+01:00')
    >>> p.previous().label
    '2025-Q4'
    """

    label: str
    kind: str  # "month" | "quarter" | "year" | "all"
    start: pd.Timestamp | None
    end: pd.Timestamp | None

    @classmethod
    def parse(cls, text: str, tz: str = "UTC") -> Period:
        """Parse ``YYYY-MM``, ``YYYY-Qn``, ``YYYY`` or ``all``.

        Parameters
        ----------
        text : str
            The period as written (``2026-10``, ``2026-Q3``, ``2026``, ``all``).
        tz : str
            The data's time zone (``Config.timezone``): periods start at local midnight.

        Returns
        -------
        Period

        Raises
        ------
        PeriodError
            Text in none of those forms, or a year outside 1-9998.

        Examples
        --------
        >>> Period.parse("2026-10", "Europe/Lisbon").end
        Timestamp('2026-11-01 00:00:00+0000', tz='Europe/Lisbon')
        """
        text = str(text).strip()
        if text.lower() == "all":
            return cls("all", "all", None, None)
        year = re.match(r"^(\d{4})", text)
        if year and not FIRST_YEAR <= int(year.group(1)) <= LAST_YEAR:
            raise PeriodError(
                f"period {text!r} out of range: the years run from {FIRST_YEAR} to {LAST_YEAR}"
            )
        if m := _MONTH.match(text):
            p = pd.Period(f"{m.group(1)}-{m.group(2)}", freq="M")
            return cls._from(p, "month", text, tz)
        if m := _QUARTER.match(text):
            p = pd.Period(f"{m.group(1)}Q{m.group(2)}", freq="Q")
            return cls._from(p, "quarter", f"{m.group(1)}-Q{m.group(2)}", tz)
        if m := _YEAR.match(text):
            return cls._from(pd.Period(m.group(1), freq="Y"), "year", text, tz)
        raise PeriodError(
            f"period {text!r} not understood: use YYYY-MM (2026-10), YYYY-Qn (2026-Q3), "
            "YYYY (2026) or all"
        )

    @classmethod
    def _from(cls, p: pd.Period, kind: str, label: str, tz: str) -> Period:
        try:
            start = p.start_time.tz_localize(tz)
            end = (p + 1).start_time.tz_localize(tz)
        except (ValueError, OverflowError, NotImplementedError):  # out of the calendar
            raise PeriodError(
                f"period {label!r} out of range: the years run from {FIRST_YEAR} to {LAST_YEAR}"
            ) from None
        return cls(label, kind, start, end)

    def previous(self) -> Period:
        """The period of the same length just before this one (``all`` has none)."""
        if self.kind == "all" or self.start is None:
            raise PeriodError("the period 'all' has no previous period")
        tz = str(self.start.tz)
        naive = self.start.tz_localize(None)
        freq = {"month": "M", "quarter": "Q", "year": "Y"}[self.kind]
        prev = pd.Period(naive, freq=freq) - 1
        return Period.parse(_label(prev, self.kind), tz)

    def year_before(self) -> Period:
        """The same period one year earlier."""
        if self.kind == "all" or self.start is None:
            raise PeriodError("the period 'all' has no year-earlier period")
        tz = str(self.start.tz)
        freq = {"month": "M", "quarter": "Q", "year": "Y"}[self.kind]
        p = pd.Period(self.start.tz_localize(None), freq=freq)
        steps = {"month": 12, "quarter": 4, "year": 1}[self.kind]
        return Period.parse(_label(p - steps, self.kind), tz)

    def months(self) -> tuple[str, ...] | None:
        """The calendar months (``YYYY-MM``) of the period; None for ``all``.

        Examples
        --------
        >>> Period.parse("2026-Q1").months()
        ('2026-01', '2026-02', '2026-03')
        """
        if self.start is None:
            return None
        last = self.end.tz_localize(None) - pd.Timedelta(days=1)
        return tuple(month_range(self.start.tz_localize(None), last).strftime("%Y-%m"))

    def contains(self, ts: pd.Series) -> pd.Series:
        """Boolean mask: timestamps inside ``[start, end)`` (missing values are outside)."""
        if self.start is None:
            return ts.notna()
        return ((ts >= self.start) & (ts < self.end)).fillna(False).astype(bool)

    def __str__(self) -> str:
        return self.label


def _label(p: pd.Period, kind: str) -> str:
    if kind == "month":
        return p.strftime("%Y-%m")
    if kind == "quarter":
        return f"{p.year}-Q{p.quarter}"
    return str(p.year)


def in_zone(period: str | Period, tz: str) -> Period:
    """``period`` in the data's time zone ``tz``: text is parsed there; a :class:`Period`
    must already be in it (months start at local midnight, so a period parsed in another
    zone would count other rows: a clear error, never a silent shift).

    Examples
    --------
    >>> in_zone("2026-10", "Europe/Lisbon").start
    Timestamp('2026-10-01 00:00:00+0100', tz='Europe/Lisbon')
    >>> in_zone(Period.parse("2026-10"), "Europe/Lisbon")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    csmetrics.periods.PeriodError: period '2026-10' was parsed in UTC, but the data's ...
    """
    if not isinstance(period, Period):
        return Period.parse(period, tz)
    if period.start is not None and str(period.start.tz) != tz:
        raise PeriodError(
            f"period {period.label!r} was parsed in {period.start.tz}, but the data's time "
            f"zone is {tz}: use Period.parse({period.label!r}, {tz!r})"
        )
    return period


def month_labels(ts: pd.Series, tz: str) -> pd.Series:
    """``YYYY-MM`` of each instant of ``ts`` in the time zone ``tz``; missing stays missing.

    The same text as ``ts.dt.tz_convert(tz).dt.strftime("%Y-%m")``, made from the local
    year and month numbers: each distinct month is formatted once, not every row (0.54 s
    instead of 1.16 s on a million instants).

    Parameters
    ----------
    ts : Series
        Time-zone aware instants (``datetime64[..., tz]``).
    tz : str
        The IANA time zone whose calendar months are wanted.

    Returns
    -------
    Series
        ``str`` labels on ``ts``'s index.

    Examples
    --------
    >>> ts = pd.Series(pd.to_datetime(["2026-10-31 23:30", None]).tz_localize("UTC"))
    >>> month_labels(ts, "Europe/Warsaw").tolist()  # 00:30 on 1 November in Warsaw (CET)
    ['2026-11', nan]
    """
    local = ts.dt.tz_convert(tz)
    valid = local.notna().to_numpy()
    present = local[valid].dt
    codes = present.year.to_numpy("int64") * 12 + present.month.to_numpy("int64") - 1
    labels = np.full(len(ts), np.nan, dtype=object)
    if codes.size:
        uniq, inverse = np.unique(codes, return_inverse=True)
        text = np.array([f"{c // 12:04d}-{c % 12 + 1:02d}" for c in uniq], dtype=object)
        labels[valid] = text[inverse]
    return pd.Series(labels, index=ts.index, dtype="str")


def latest_complete_month(timestamps: pd.Series, tz: str) -> str | None:
    """The last month the data covers to its final day, as ``YYYY-MM``.

    If the latest timestamp falls on the last day of its month, that month is
    complete; otherwise the month before it is the latest complete one.

    Examples
    --------
    >>> ts = pd.Series(pd.to_datetime(["2026-10-31 18:00"]).tz_localize("UTC"))
    >>> latest_complete_month(ts, "UTC")
    '2026-10'
    """
    ts = timestamps.dropna()
    if ts.empty:
        return None
    last = ts.max().tz_convert(tz)
    month = pd.Period(last.tz_localize(None), freq="M")
    if last.day == month.days_in_month:
        return month.strftime("%Y-%m")
    return (month - 1).strftime("%Y-%m")


def latest_month_with_data(timestamps: pd.Series, tz: str) -> str | None:
    """The default report month: the latest complete month that has data, as ``YYYY-MM``.

    Among the months holding at least one timestamp, the latest one not after
    :func:`latest_complete_month`; when no complete month has data (the data covers part
    of one month only), the latest month with data. A month with no row is never chosen,
    so a report never opens on an empty period because the data stops early in a month
    or has a gap.

    Examples
    --------
    >>> ts = pd.Series(pd.to_datetime(["2026-08-10", "2026-10-03"]).tz_localize("UTC"))
    >>> latest_complete_month(ts, "UTC"), latest_month_with_data(ts, "UTC")
    ('2026-09', '2026-08')
    >>> latest_month_with_data(ts.iloc[1:], "UTC")
    '2026-10'
    """
    ts = timestamps.dropna()
    if ts.empty:
        return None
    months = sorted(set(month_labels(ts, tz)))
    complete = latest_complete_month(ts, tz)
    done = [m for m in months if complete is not None and m <= complete]
    return done[-1] if done else months[-1]


def month_range(first: object, last: object) -> pd.PeriodIndex:
    """Every calendar month from the month of ``first`` to that of ``last``, both included.

    The one month-by-month helper: periods, data-quality gaps and monthly row counts all
    step through months with it.

    Examples
    --------
    >>> month_range(pd.Period("2025-11", "M"), pd.Timestamp("2026-01-31")).astype(str).tolist()
    ['2025-11', '2025-12', '2026-01']
    """
    return pd.period_range(first, last, freq="M")


def months_of(values: pd.Series, tz: str) -> pd.PeriodIndex:
    """The calendar month of each value: a timestamp's month in ``tz``, or a ``YYYY-MM``
    label's (missing values dropped).

    Examples
    --------
    >>> ts = pd.Series(pd.to_datetime(["2026-10-31 23:30"]).tz_localize("UTC"))
    >>> months_of(ts, "Europe/Lisbon").strftime("%Y-%m").tolist()
    ['2026-10']
    >>> months_of(pd.Series(["2026-01", None]), "UTC").strftime("%Y-%m").tolist()
    ['2026-01']
    """
    values = values.dropna()
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return pd.PeriodIndex(values.dt.tz_convert(tz).dt.tz_localize(None), freq="M")
    return pd.PeriodIndex(values, freq="M")
