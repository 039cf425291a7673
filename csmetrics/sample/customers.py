"""Customers: sign-ups since 2019, churn by segment, language and contact propensity.

:func:`_draw_customers` picks, for each contact, a customer active at that time,
weighted by how often customers of that kind get in touch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .calendar_grid import _Grid, _seconds
from .draws import _pick
from .frames import _frame, _ids, _labels
from .model import (
    _DAY,
    _LANGUAGE_MIX,
    _NAT,
    _SEGMENT_CHURN,
    _SEGMENT_CONTACT,
    _SEGMENT_MIX,
    LANGUAGES,
    SEGMENTS,
    TIMEZONE,
)


@dataclass
class _Customers:
    since: np.ndarray  # sorted ascending
    until: np.ndarray  # _NAT = still active
    segment: np.ndarray
    language: np.ndarray
    weight: np.ndarray  # contact propensity
    cum_weight: np.ndarray
    loyal: np.ndarray  # indices of customers who never churn (sorted by since)


def _customers(rng: np.random.Generator, g: _Grid, scale: float) -> _Customers:
    n = max(200, round(20_000 * scale))
    months = len(g.months)
    n_new = round(n * min(0.02 * months, 0.6))
    n_old = n - n_new
    # customers since 2019 (or six years before the period, if it starts before 2020)
    first_year = min(2019, int(g.months[0][:4]) - 6)
    origin = pd.Timestamp(f"{first_year}-01-01", tz=TIMEZONE).value // 1000
    # older customers: density growing over time; the first ones one per month, so that
    # every month since then has sign-ups
    old_months = pd.date_range(f"{first_year}-01-01", periods=1200, freq="MS", tz=TIMEZONE)
    old_bounds = old_months.as_unit("us").asi8
    old_bounds = old_bounds[old_bounds <= g.t0]
    k = min(len(old_bounds) - 1, n_old)
    first = old_bounds[:k] + (rng.random(k) * np.diff(old_bounds)[:k]).astype(np.int64)
    rest = origin + (np.sqrt(rng.random(n_old - k)) * (g.t0 - origin)).astype(np.int64)
    # sign-ups during the period, uniform (a few every month)
    k2 = min(months, n_new)
    spread = g.bounds[:k2] + (rng.random(k2) * np.diff(g.bounds)[:k2]).astype(np.int64)
    new = g.t0 + (rng.random(n_new - k2) * (g.as_of - g.t0)).astype(np.int64)
    since = _seconds(np.sort(np.concatenate([first, rest, spread, new])))
    segment = _pick(rng, np.broadcast_to(_SEGMENT_MIX, (n, 3)))
    lifetime_months = rng.exponential(1.0 / _SEGMENT_CHURN[segment])
    until = since + (lifetime_months * 30.44 * _DAY).astype(np.int64)
    until = np.where(until < g.as_of, _seconds(until), _NAT)
    language = _pick(rng, np.broadcast_to(_LANGUAGE_MIX, (n, len(LANGUAGES))))
    weight = rng.gamma(1.3, 1.0, n) * _SEGMENT_CONTACT[segment]
    return _Customers(
        since=since,
        until=until,
        segment=segment,
        language=language,
        weight=weight,
        cum_weight=np.cumsum(weight),
        loyal=np.flatnonzero(until == _NAT),
    )


def _active_at(c: _Customers, idx: np.ndarray, t: np.ndarray) -> np.ndarray:
    u = c.until[idx]
    return (c.since[idx] <= t) & ((u == _NAT) | (u > t))


def _draw_customers(rng: np.random.Generator, c: _Customers, t: np.ndarray) -> np.ndarray:
    """Customers active at ``t``, drawn with their contact propensity."""
    k = np.maximum(np.searchsorted(c.since, t, side="right"), 1)
    out = np.full(len(t), -1, dtype=np.int64)
    todo = np.arange(len(t))
    for _ in range(8):
        if not len(todo):
            break
        target = rng.random(len(todo)) * c.cum_weight[k[todo] - 1]
        idx = np.minimum(np.searchsorted(c.cum_weight, target, side="right"), k[todo] - 1)
        ok = _active_at(c, idx, t[todo])
        out[todo[ok]] = idx[ok]
        todo = todo[~ok]
    if len(todo):  # fall back on customers who never leave
        loyal_since = c.since[c.loyal]
        kk = np.maximum(np.searchsorted(loyal_since, t[todo], side="right"), 1)
        out[todo] = c.loyal[np.minimum((rng.random(len(todo)) * kk).astype(np.int64), kk - 1)]
    return out


def _customers_frame(c: _Customers, width: int) -> pd.DataFrame:
    n = len(c.since)
    return _frame(
        "customers",
        {
            "customer_id": _ids("CU", np.arange(n), width),
            "since": c.since,
            "until": c.until,
            "segment": _labels(SEGMENTS, c.segment),
        },
    )
