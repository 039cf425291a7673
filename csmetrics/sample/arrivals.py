"""When tickets arrive, on which channel and about what.

Regular tickets follow the hour-of-day, weekday and month seasonality of their channel
and the lift of peaks; incidents add bursts of technical tickets. Request types follow
the channel and the season; a share of tickets repeat an earlier contact.
"""

from __future__ import annotations

import numpy as np

from .calendar_grid import _Grid, _hour_of
from .draws import _choice_weights, _pick
from .model import (
    _ASYNC_DOW,
    _ASYNC_HOD,
    _CATEGORY_MIX,
    _CHANNEL_SHARE,
    _HOLIDAY_LIFT,
    _HOUR,
    _MIN_TICKETS,
    _MONTH_SEASON,
    _PROMO_LIFT,
    _SEV_TICKETS,
    _SOCIAL_HOD,
    _SYNC,
    _SYNC_DOW,
    _SYNC_HOD,
    _TICKETS_PER_MONTH,
    BILL,
    CHANNELS,
    CHAT,
    DELIV,
    EMAIL,
    FACEBOOK,
    ORDER,
    PHONE,
    PRODUCT,
    RETURNS,
    TECH,
    TWITTER,
)


def _arrival_weights(g: _Grid, channel: int) -> np.ndarray:
    h = slice(0, g.n_hours)
    hour, dow, closed = g.local_hour[h], g.dow[h], g.closed_day[h]
    if _SYNC[channel]:
        w = _SYNC_HOD[hour] * _SYNC_DOW[dow] * g.open[h]
    else:
        hod = _SOCIAL_HOD if channel in (TWITTER, FACEBOOK) else _ASYNC_HOD
        w = hod[hour] * np.where(closed, 0.45, _ASYNC_DOW[dow])
    return w * _MONTH_SEASON[g.cal_month[h] - 1]


def _base_arrivals(
    rng: np.random.Generator, g: _Grid, scale: float, growth: np.ndarray, phone_cut: float
) -> tuple[np.ndarray, np.ndarray]:
    """Arrival times and channels of the regular tickets."""
    h = slice(0, g.n_hours)
    lift = 1.0 + _HOLIDAY_LIFT * g.holiday[h] + _PROMO_LIFT * g.promo[h]
    trend = growth[g.month[h]]
    months = len(g.months)
    floor = max(1.0, _MIN_TICKETS / (_TICKETS_PER_MONTH * scale * months))
    times, chans = [], []
    share = _CHANNEL_SHARE.copy()
    share[PHONE] -= phone_cut
    for c in range(len(CHANNELS)):
        w0 = _arrival_weights(g, c)
        w = w0 * lift * trend
        expected = _TICKETS_PER_MONTH * scale * floor * months * share[c] * w.sum() / w0.sum()
        n = int(rng.poisson(max(expected, 1.0)))
        hours = _choice_weights(rng, w, n)
        times.append(g.hour_start[hours] + (rng.random(n) * _HOUR).astype(np.int64))
        chans.append(np.full(n, c, dtype=np.int64))
    return np.concatenate(times), np.concatenate(chans)


def _incident_arrivals(
    rng: np.random.Generator, g: _Grid, inc: dict[str, np.ndarray], scale: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tickets caused by incidents: times, channels and request types."""
    sev = inc["severity"]
    counts = rng.poisson(_SEV_TICKETS[sev] * scale)
    which = np.repeat(np.arange(len(sev)), counts)
    n = len(which)
    start, stop = inc["started"][which], inc["end"][which]
    during = rng.random(n) < 0.8
    t = np.where(
        during,
        start + (rng.random(n) * (stop - start)).astype(np.int64),
        stop + (rng.exponential(6.0, n) * _HOUR).astype(np.int64),
    )
    # fewer people notice a failure at night
    keep = (t < g.as_of) & (rng.random(n) < _ASYNC_HOD[g.local_hour[_hour_of(g, t)]] / 1.55)
    t, which = t[keep], which[keep]
    n = len(t)
    chan = _pick(rng, np.broadcast_to([0.15, 0.25, 0.25, 0.10, 0.05, 0.15, 0.05], (n, 7)))
    closed = ~g.open[_hour_of(g, t)]
    chan = np.where(closed & (chan == PHONE), EMAIL, chan)
    chan = np.where(closed & (chan == CHAT), TWITTER, chan)
    product = inc["product"][which]
    cat = np.full(n, TECH, dtype=np.int64)
    u = rng.random(n)
    cat = np.where((product == 2) & (u < 0.5), BILL, cat)
    cat = np.where((product == 3) & (u < 0.6), DELIV, cat)
    return t, chan, cat


def _categories(rng: np.random.Generator, g: _Grid, t: np.ndarray, ch: np.ndarray) -> np.ndarray:
    h = _hour_of(g, t)
    mix = _CATEGORY_MIX[ch].copy()
    hol, promo = g.holiday[h], g.promo[h]
    january = g.cal_month[h] == 1
    mix[:, DELIV] *= np.where(hol, 1.6, 1.0) * np.where(promo, 1.3, 1.0)
    mix[:, RETURNS] *= np.where(hol, 1.3, 1.0) * np.where(january, 1.5, 1.0)
    mix[:, ORDER] *= np.where(promo, 1.5, 1.0)
    mix[:, PRODUCT] *= np.where(promo, 1.4, 1.0)
    return _pick(rng, mix)


def _repeat_sources(rng: np.random.Generator, t: np.ndarray, share: float) -> np.ndarray:
    """For a share of tickets (sorted by time), an earlier ticket (1 h to 7 days before)."""
    n = len(t)
    src = np.full(n, -1, dtype=np.int64)
    pick = np.flatnonzero(rng.random(n) < share)
    back = (rng.uniform(1.0, 7 * 24.0, len(pick)) * _HOUR).astype(np.int64)
    j = np.searchsorted(t, t[pick] - back)
    ok = j < pick
    src[pick[ok]] = j[ok]
    return src
