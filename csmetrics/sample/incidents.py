"""Incidents: product failures, their detection and restoration, and the load they cause."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .calendar_grid import _Grid, _seconds
from .draws import _lognormal, _pick
from .frames import _frame, _ids, _labels
from .model import (
    _ASYNC_HOD,
    _HOUR,
    _MIN,
    _NAT,
    _SEV_DETECT_MIN,
    _SEV_LOAD,
    _SEV_MIX,
    _SEV_RESOLVE_H,
    PRODUCTS,
    SEVERITIES,
)


def _incidents(rng: np.random.Generator, g: _Grid) -> dict[str, np.ndarray]:
    months = len(g.months)
    n = max(1, round(25 * months / 12))
    # at least one incident per month (no month without data), the rest anywhere;
    # failures start mostly in the day (releases, load), when customers notice them
    k = min(n, months)
    month = np.r_[np.arange(k), rng.integers(0, months, n - k)]
    w = _ASYNC_HOD[g.local_hour[: g.n_hours]] ** 1.5
    cw = np.r_[0.0, np.cumsum(w)]
    first_hour = np.searchsorted(g.hour_start[: g.n_hours], g.bounds)
    lo, hi = cw[first_hour[month]], cw[first_hour[month + 1]]
    hour = np.searchsorted(cw, lo + rng.random(n) * (hi - lo), side="right") - 1
    hour = np.clip(hour, first_hour[month], first_hour[month + 1] - 1)
    started = g.hour_start[hour] + (rng.random(n) * _HOUR).astype(np.int64)
    started = _seconds(np.sort(started))
    sev = _pick(rng, np.broadcast_to(_SEV_MIX, (n, 4)))
    product = rng.integers(0, len(PRODUCTS), n)
    detect = _lognormal(rng, _SEV_DETECT_MIN[sev], 0.7, n) * _MIN
    detected = _seconds(started + detect.astype(np.int64))
    fix = _lognormal(rng, _SEV_RESOLVE_H[sev], 0.6, n) * _HOUR
    resolved = _seconds(detected + fix.astype(np.int64))
    detected = np.where(detected < g.as_of, detected, _NAT)
    resolved = np.where((resolved < g.as_of) & (detected != _NAT), resolved, _NAT)
    return {
        "started": started,
        "detected": detected,
        "resolved": resolved,
        "end": started + (detect + fix).astype(np.int64),  # uncensored
        "severity": sev,
        "product": product,
    }


def _incident_load(g: _Grid, inc: dict[str, np.ndarray]) -> None:
    """Raise the service load of the grid while incidents last (in place)."""
    for s, e, sev in zip(inc["started"], inc["end"], inc["severity"], strict=True):
        h0, h1 = (s - g.t0) // _HOUR, (e - g.t0) // _HOUR + 4
        g.load[max(h0, 0) : max(h1, 0)] += _SEV_LOAD[sev]


def _incidents_frame(inc: dict[str, np.ndarray]) -> pd.DataFrame:
    n = len(inc["started"])
    return _frame(
        "incidents",
        {
            "incident_id": _ids("INC", np.arange(n), 4),
            "started_at": inc["started"],
            "detected_at": inc["detected"],
            "resolved_at": inc["resolved"],
            "product": _labels(PRODUCTS, inc["product"]),
            "severity": _labels(SEVERITIES, inc["severity"]),
        },
    )
