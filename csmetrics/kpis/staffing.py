"""Staffing: agents staffed per open hour, and the agents Erlang C says each hour needs.

Per-hour averages divide by the time they cover: the hour-of-week slots inside the
business hours (:func:`open_slots`), how often each slot occurs in the period
(:func:`slot_occurrences`), and, when results are grouped by month, the group's month
rather than the whole period.
"""

from __future__ import annotations

import math

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..calendar import WEEKDAYS, business_seconds
from ..i18n import _
from ..periods import Period
from ..stats import erlang_agents_required
from .base import Ctx, H, Result, empty_result

ERLANG_COLUMNS = ["weekday", "hour", "occurrences", "calls_per_hour", "agents_required"]


def open_slots(calendar, weeks: float = 1.0) -> list[tuple[int, int]]:
    """Hour-of-week slots ``(weekday, hour)`` inside the configured business hours."""
    slots = []
    for d, name in enumerate(WEEKDAYS):
        span = calendar.business_hours.get(name)
        if not span:
            continue
        o = int(span[0][:2]) + int(span[0][3:]) / 60
        c = int(span[1][:2]) + int(span[1][3:]) / 60
        slots += [(d, h) for h in range(24) if h >= math.floor(o) and h < math.ceil(c)]
    return slots


def slot_occurrences(start_s: float, end_s: float, tz: str) -> pd.Series:
    """How many times each local hour-of-week slot occurs between two instants.

    Returns a Series indexed by ``(weekday, hour)`` (Monday = 0) in time zone ``tz``:
    the number of hours of ``[start_s, end_s)`` spent in that slot, so a partial hour
    counts as its share and a clock change is followed (the hour repeated when clocks
    go back occurs twice that day, the hour skipped in spring not at all). Computed on
    a quarter-hour grid, which every time zone's offset fits.

    Examples
    --------
    >>> s = pd.Timestamp("2026-10-05 09:00", tz="UTC").value / 1e9   # a Monday
    >>> slot_occurrences(s, s + 5400, "UTC").to_dict()
    {(0, 9): 1.0, (0, 10): 0.5}
    """
    index = pd.MultiIndex.from_arrays([[], []], names=["weekday", "hour"])
    if not end_s > start_s:
        return pd.Series([], index=index, dtype=float)
    q = 900.0
    grid = np.arange(math.floor(start_s / q) * q, end_s, q)
    hours = (np.minimum(grid + q, end_s) - np.maximum(grid, start_s)) / 3600
    local = pd.to_datetime(grid, unit="s", utc=True).tz_convert(tz)
    keys = pd.MultiIndex.from_arrays(
        [np.asarray(local.day_of_week, dtype=int), np.asarray(local.hour, dtype=int)],
        names=["weekday", "hour"],
    )
    return pd.Series(hours, index=keys).groupby(level=[0, 1]).sum()


def _data_days(ctx: Ctx) -> tuple[float, float]:
    """Start of the first and end of the last local day with a call (epoch seconds)."""
    tz = ctx.config.timezone
    arrived = ctx.prepared["calls"]["arrived_ts"].dropna()
    first = pd.Timestamp(arrived.min(), unit="s", tz="UTC").tz_convert(tz).normalize()
    last = pd.Timestamp(arrived.max(), unit="s", tz="UTC").tz_convert(tz).normalize()
    end = (last.tz_localize(None) + pd.Timedelta(days=1)).tz_localize(tz)
    return first.value / 1e9, end.value / 1e9


def _span(ctx: Ctx) -> tuple[float | None, float | None]:
    """Start and cutoff (epoch seconds) of the period, narrowed to the group's month.

    Per-hour averages (agents staffed, Erlang arrivals) divide by the time they cover:
    when results are grouped by month, that is the month, not the whole period.
    """
    start = ctx.start_s
    cutoff = ctx.cutoff_s if ctx.start_s is not None else None
    if ctx.month:
        m = Period.parse(ctx.month, ctx.config.timezone)
        m_start, m_end = m.start.value / 1e9, m.end.value / 1e9
        start = m_start if start is None else max(start, m_start)
        cutoff = min(m_end, ctx.as_of_s) if cutoff is None else min(cutoff, m_end)
    return start, cutoff


def _slot_occurrences_in_data(ctx: Ctx) -> pd.Series:
    """:func:`slot_occurrences` over the period, within the days the calls table covers."""
    span_start, span_end = _span(ctx)
    data_start, data_end = _data_days(ctx)
    start = data_start if span_start is None else max(span_start, data_start)
    end = min(data_end, ctx.as_of_s) if span_end is None else min(span_end, data_end)
    return slot_occurrences(start, end, ctx.config.timezone)


def erlang_by_hour(part: pd.DataFrame, ctx: Ctx) -> pd.DataFrame:
    """Calls per hour-of-week slot, and the agents Erlang C needs to meet the target.

    A slot's arrival rate is its calls over the number of times the slot occurs in the
    period (:func:`slot_occurrences`), within the days the calls table covers: a month
    with five Mondays divides the Monday calls by five, not by the month's 4.3 weeks.
    The handle time is the period's AHT; the target is ``targets.service_level``
    (default 0.8) within ``thresholds.service_level_s``. Columns: ``weekday``, ``hour``,
    ``occurrences``, ``calls_per_hour``, ``agents_required``, ``open`` (inside business
    hours).
    """
    cfg = ctx.config
    target_sl = cfg.targets.get("service_level", 0.8)
    t = cfg.thresholds.service_level_s
    if "offered" in part:  # outcome "other" (test, phantom calls) is no arrival
        part = part[part["offered"] == 1]
    arrived = part["arrived_ts"].dropna()
    if arrived.empty:
        return pd.DataFrame(columns=ERLANG_COLUMNS)
    occurrences = _slot_occurrences_in_data(ctx)
    aht = float(part["handle_s"].mean())
    keys = part.loc[arrived.index, ["weekday", "hour"]].astype(int)
    counts = keys.assign(one=1.0).groupby(["weekday", "hour"])["one"].sum()
    slots = pd.MultiIndex.from_tuples(
        open_slots(cfg.calendar) or [(d, h) for d in range(7) for h in range(24)],
        names=["weekday", "hour"],
    )
    index = slots.union(counts.index)
    table = pd.DataFrame(
        {
            "occurrences": occurrences.reindex(index, fill_value=0.0),
            "calls": counts.reindex(index, fill_value=0.0),
        }
    )
    seen = table["occurrences"] > 0
    table["calls_per_hour"] = (table["calls"] / table["occurrences"].where(seen)).fillna(0.0)
    table = table.drop(columns="calls").reset_index()
    table["open"] = pd.MultiIndex.from_frame(table[["weekday", "hour"]]).isin(slots)
    table["agents_required"] = [
        erlang_agents_required(c, 3600, aht, target_sl, t) if not math.isnan(aht) else math.nan
        for c in table["calls_per_hour"]
    ]
    return table


def erlang_agents(part: pd.DataFrame, ctx: Ctx) -> Result:
    """Mean over the open slots occurring in the period of the agents Erlang C requires."""
    part = part[part["offered"] == 1]
    if part["arrived_ts"].notna().sum() == 0 or part["handle_s"].notna().sum() == 0:
        return empty_result()
    table = erlang_by_hour(part, ctx)
    # open slots that occur in the period (a short period lacks some weekdays)
    open_ = table[table["open"] & (table["occurrences"] > 0)]
    return Result(float(open_["agents_required"].mean()), float(part["arrived_ts"].count()))


def _open_hours(start_s: float, end_s: float, ctx: Ctx) -> float:
    """Business hours between two instants (the configured calendar and time zone)."""
    tz = ctx.config.timezone
    start = pd.Series([pd.Timestamp(start_s, unit="s", tz="UTC").tz_convert(tz)])
    end = pd.Series([pd.Timestamp(end_s, unit="s", tz="UTC").tz_convert(tz)])
    return float(business_seconds(start, end, ctx.config.calendar, ctx.config.timezone)[0]) * H


def staffed_sums(ctx: Ctx) -> dict:
    """Staffed hours ``h`` and staffing rows ``n``."""
    return {
        "h": nw.col("staffed_hours").sum(),
        "n": nw.col("staffed_hours").count(),
    }


def agents_staffed(parts: dict, ctx: Ctx) -> Result:
    """Staffed hours / business hours of the period (or the group's month)."""
    start, cutoff = _span(ctx)
    if start is None:
        return empty_result(_("needs a bounded period"))
    if not parts["n"] or math.isnan(parts["n"]):  # no staffing rows: unknown, not zero
        return empty_result()
    hours = _open_hours(start, cutoff, ctx) if cutoff > start else 0.0
    if not hours:
        return empty_result(_("no business hours in the period"))
    return Result(parts["h"] / hours, parts["n"])
