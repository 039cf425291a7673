"""Business time: durations counted only inside opening hours.

The weekly schedule, public holidays (from the ``holidays`` package) and custom closed
days come from :class:`Calendar` (the ``calendar:`` settings of ``csmetrics.yaml``).
Everything is vectorised: the business seconds of each calendar day are computed once,
their running total gives a "business clock" for any instant, and a duration is the
difference of two readings.
Opening and closing times are real instants in the configured time zone, so a day on
which clocks change is measured in elapsed seconds, not in wall-clock hours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: Weekday keys of ``calendar.business_hours``, Monday first (``date.weekday()`` order).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class Calendar:
    """Business calendar: weekly opening hours, public holidays and closed days."""

    country: str | None = None
    subdivision: str | None = None
    business_hours: dict[str, tuple[str, str]] = field(
        default_factory=lambda: {d: ("09:00", "17:00") for d in WEEKDAYS[:5]}
    )
    closed_days: list[dt.date] = field(default_factory=list)


def closed_dates(calendar: Calendar, years: range) -> set:
    """Public holidays of the configured country (and subdivision) plus closed days."""
    days = set(calendar.closed_days)
    if calendar.country:
        import holidays

        days |= set(
            holidays.country_holidays(
                calendar.country, subdiv=calendar.subdivision, years=list(years)
            )
        )
    return days


def _epoch_seconds(ts: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Seconds since 1970-01-01 UTC as floats (NaN for missing)."""
    idx = pd.DatetimeIndex(ts)
    out = idx.as_unit("us").asi8.astype("float64") / 1e6
    out[idx.isna()] = np.nan
    return out


def business_clock(
    ts: pd.Series,
    calendar: Calendar,
    tz: str,
    first: pd.Timestamp | None = None,
    last: pd.Timestamp | None = None,
) -> np.ndarray:
    """Business seconds elapsed between the start of the first local day and each instant.

    Only differences of two readings mean anything; use :func:`business_seconds`.
    """
    local = pd.DatetimeIndex(ts).tz_convert(tz)
    valid = ~local.isna()
    out = np.full(len(local), np.nan)
    if not valid.any():
        return out
    dates = local[valid].tz_localize(None).normalize()
    d0 = first if first is not None else dates.min()
    d1 = last if last is not None else dates.max()
    days = pd.date_range(d0, d1, freq="D")
    closed = closed_dates(calendar, range(d0.year, d1.year + 1))
    n = len(days)
    open_s = np.full(n, np.nan)
    close_s = np.full(n, np.nan)
    weekday = days.day_of_week
    is_closed = np.array([d.date() in closed for d in days]) if closed else np.zeros(n, bool)
    for i, name in enumerate(WEEKDAYS):
        span = calendar.business_hours.get(name)
        if span is None:
            continue
        sel = (weekday == i) & ~is_closed
        if not sel.any():
            continue
        o = pd.Timedelta(hours=int(span[0][:2]), minutes=int(span[0][3:]))
        c = pd.Timedelta(hours=int(span[1][:2]), minutes=int(span[1][3:]))
        opens = (days[sel] + o).tz_localize(tz, ambiguous=False, nonexistent="shift_forward")
        closes = (days[sel] + c).tz_localize(tz, ambiguous=False, nonexistent="shift_forward")
        open_s[sel] = _epoch_seconds(opens)
        close_s[sel] = _epoch_seconds(closes)
    length = np.nan_to_num(close_s - open_s, nan=0.0)
    before = np.concatenate([[0.0], np.cumsum(length)[:-1]])
    i = (dates - d0).days.to_numpy()
    t = _epoch_seconds(local[valid])
    inside = np.clip(t - np.nan_to_num(open_s[i], nan=np.inf), 0.0, length[i])
    out[valid] = before[i] + inside
    return out


def business_seconds(start: pd.Series, end: pd.Series, calendar: Calendar, tz: str) -> pd.Series:
    """Seconds between ``start`` and ``end`` that fall inside business hours.

    Formula: ``clock(end) - clock(start)``, where ``clock(t)`` adds the open seconds of
    every earlier day to the open seconds elapsed on ``t``'s own day (clipped to its
    opening hours). Holidays and closed days count as closed. Missing ends give NaN;
    an end before its start gives a negative value (flagged by the quality checks).

    Examples
    --------
    >>> cal = Calendar(business_hours={"mon": ("09:00", "17:00"), "fri": ("09:00", "17:00")})
    >>> s = pd.Series(pd.to_datetime(["2026-10-02 16:00"]).tz_localize("UTC"))   # Friday
    >>> e = pd.Series(pd.to_datetime(["2026-10-05 10:00"]).tz_localize("UTC"))   # Monday
    >>> business_seconds(s, e, cal, "UTC").tolist()      # 1 h on Friday + 1 h on Monday
    [7200.0]
    """
    both = pd.concat([pd.Series(start).dropna(), pd.Series(end).dropna()])
    if both.empty:
        return pd.Series(np.nan, index=start.index)
    local = pd.DatetimeIndex(both).tz_convert(tz).tz_localize(None).normalize()
    first, last = local.min(), local.max()
    a = business_clock(start, calendar, tz, first, last)
    b = business_clock(end, calendar, tz, first, last)
    return pd.Series(b - a, index=start.index)
