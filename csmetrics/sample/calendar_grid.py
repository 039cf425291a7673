"""The sample's period and its hourly calendar, and arithmetic in business time.

:func:`_grid` lays an hourly grid over the period (plus a tail for late events), in UTC
microseconds: local hour and weekday, business hours, public holidays, peaks and the
load on the service. :func:`_btime` and :func:`_binv` convert between instants and
business microseconds elapsed, so that a response drawn as "two business hours" after
a Friday-night e-mail lands on Monday morning (:func:`_add_business`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .model import _BUSINESS_HOURS, _HOUR, _NAT, _US, TIMEZONE


@dataclass(frozen=True)
class _Peak:
    name: str
    start: dt.date
    end: dt.date  # inclusive


def _month_list(months: int, end: str) -> list[pd.Period]:
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    last = pd.Period(end, freq="M")
    return list(pd.period_range(end=last, periods=months, freq="M"))


def _peaks(periods: list[pd.Period]) -> list[_Peak]:
    """Holiday seasons and spring promotions overlapping the period."""
    first = periods[0].start_time.date()
    last = periods[-1].end_time.date()
    holidays, promos = [], []
    for year in range(first.year, last.year + 1):
        h = _Peak("Holiday season", dt.date(year, 11, 24), dt.date(year, 12, 31))
        may1 = dt.date(year, 5, 1)
        monday = may1 + dt.timedelta(days=(7 - may1.weekday()) % 7)
        p = _Peak("Spring promotion", monday, monday + dt.timedelta(days=13))
        for peak, out in ((h, holidays), (p, promos)):
            if peak.start <= last and peak.end >= first:
                out.append(peak)
    result = []
    for group in (holidays, promos):
        for peak in group:
            name = f"{peak.name} {peak.start.year}" if len(group) > 1 else peak.name
            result.append(_Peak(name, peak.start, peak.end))
    return sorted(result, key=lambda p: p.start)


def _closed_days(periods: list[pd.Period]) -> list[dt.date]:
    first = periods[0].start_time.date()
    last = periods[-1].end_time.date()
    days = []
    for year in range(first.year, last.year + 1):
        for day in (24, 31):
            d = dt.date(year, 12, day)
            if first <= d <= last:
                days.append(d)
    return days


@dataclass
class _Grid:
    """Hourly calendar over the period (plus a tail for late events), in UTC microseconds."""

    months: list[str]
    bounds: np.ndarray  # month boundaries, len(months) + 1
    t0: int
    as_of: int
    n_hours: int  # hours of the period itself
    hour_start: np.ndarray
    local_hour: np.ndarray
    dow: np.ndarray
    month: np.ndarray  # month index (clipped to the last month in the tail)
    cal_month: np.ndarray  # calendar month number 1-12
    open: np.ndarray  # business hour
    closed_day: np.ndarray  # public holiday or closed day
    bcum: np.ndarray  # business microseconds before each hour, len + 1
    holiday: np.ndarray
    promo: np.ndarray
    load: np.ndarray  # relative pressure on the service (peaks, incidents)


def _month_bounds(periods: list[pd.Period]) -> np.ndarray:
    """Local midnight starting each month, and the end of the last one, in UTC us."""
    bounds_local = [pd.Timestamp(p.start_time).tz_localize(TIMEZONE) for p in periods]
    bounds_local.append(pd.Timestamp(periods[-1].end_time.normalize()).tz_localize(TIMEZONE))
    bounds_local[-1] += pd.Timedelta(days=1)
    return np.array([b.value // 1000 for b in bounds_local], dtype=np.int64)


def _closed_dates(periods: list[pd.Period], dates: np.ndarray) -> np.ndarray:
    """Which ``dates`` are Portuguese public holidays or the closed 24 and 31 December."""
    import holidays as hol

    years = range(periods[0].year, periods[-1].year + 2)
    closed = {np.datetime64(d) for d in hol.country_holidays("PT", years=years)}
    for y in years:
        closed |= {np.datetime64(dt.date(y, 12, 24)), np.datetime64(dt.date(y, 12, 31))}
    return np.isin(dates, np.array(sorted(closed), dtype="M8[D]"))


def _open_hours(dow: np.ndarray, local_hour: np.ndarray, closed_day: np.ndarray) -> np.ndarray:
    """Business hours: the opening hours of the weekday, except on closed days."""
    open_ = np.zeros(len(dow), dtype=bool)
    for d, (a, b) in _BUSINESS_HOURS.items():
        open_ |= (dow == d) & (local_hour >= a) & (local_hour < b)
    return open_ & ~closed_day


def _peak_dates(periods: list[pd.Period], dates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which ``dates`` fall in a holiday season, and which in a spring promotion."""
    holiday = np.zeros(len(dates), dtype=bool)
    promo = np.zeros(len(dates), dtype=bool)
    for p in _peaks(periods):
        inside = (dates >= np.datetime64(p.start)) & (dates <= np.datetime64(p.end))
        if p.name.startswith("Holiday"):
            holiday |= inside
        else:
            promo |= inside
    return holiday, promo


def _grid(periods: list[pd.Period], tail_days: int = 400) -> _Grid:
    start = pd.Timestamp(periods[0].start_time).tz_localize(TIMEZONE)
    bounds = _month_bounds(periods)
    t0, as_of = int(bounds[0]), int(bounds[-1])
    n_hours = (as_of - t0) // _HOUR
    total = n_hours + tail_days * 24
    hour_start = t0 + np.arange(total, dtype=np.int64) * _HOUR
    local = pd.DatetimeIndex(hour_start.view("M8[us]")).tz_localize("UTC").tz_convert(start.tz)
    local_hour = np.asarray(local.hour, dtype=np.int64)
    dow = np.asarray(local.day_of_week, dtype=np.int64)
    dates = np.asarray(local.tz_localize(None).normalize().values.astype("M8[D]"))
    closed_day = _closed_dates(periods, dates)
    open_ = _open_hours(dow, local_hour, closed_day)
    bcum = np.zeros(total + 1, dtype=np.int64)
    bcum[1:] = np.cumsum(open_.astype(np.int64) * _HOUR)
    month = np.clip(np.searchsorted(bounds, hour_start, side="right") - 1, 0, len(periods) - 1)
    holiday, promo = _peak_dates(periods, dates)
    return _Grid(
        months=[str(p) for p in periods],
        bounds=bounds,
        t0=t0,
        as_of=as_of,
        n_hours=int(n_hours),
        hour_start=hour_start,
        local_hour=local_hour,
        dow=dow,
        month=month,
        cal_month=np.asarray(local.month, dtype=np.int64),
        open=open_,
        closed_day=closed_day,
        bcum=bcum,
        holiday=holiday,
        promo=promo,
        load=1.0 + 0.9 * holiday + 0.8 * promo,
    )


def _hour_of(g: _Grid, t: np.ndarray) -> np.ndarray:
    return np.clip((t - g.t0) // _HOUR, 0, len(g.hour_start) - 1)


def _btime(g: _Grid, t: np.ndarray) -> np.ndarray:
    """Business microseconds elapsed from the period start to ``t``."""
    h = _hour_of(g, t)
    off = np.clip(t - g.hour_start[h], 0, _HOUR)
    return g.bcum[h] + g.open[h] * off


def _binv(g: _Grid, b: np.ndarray) -> np.ndarray:
    """Inverse of :func:`_btime`: the instant at which ``b`` business microseconds passed."""
    h = np.clip(np.searchsorted(g.bcum, b, side="right") - 1, 0, len(g.hour_start) - 1)
    return g.hour_start[h] + (b - g.bcum[h])


def _add_business(g: _Grid, t: np.ndarray, hours: np.ndarray) -> np.ndarray:
    return _binv(g, _btime(g, t) + (hours * _HOUR).astype(np.int64))


def _seconds(t: np.ndarray) -> np.ndarray:
    """Truncate to whole seconds (help-desk exports have second resolution)."""
    return np.where(t == _NAT, _NAT, (t // _US) * _US)
