"""The data-quality problems planted on purpose (:data:`PLANTED_PROBLEMS`).

They are planted after everything else is drawn, from a random stream of their own;
the validator reports them as warnings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .calendar_grid import _Grid, _seconds
from .model import _HOUR, _MIN, _NAT, PHONE, TIMEZONE


def _plant_problems(
    rng: np.random.Generator,
    g: _Grid,
    tk: dict[str, np.ndarray],
    calls: dict[str, np.ndarray],
    sv: dict[str, np.ndarray],
) -> None:
    """Plant the problems of :data:`PLANTED_PROBLEMS` in the tables' arrays (in place)."""
    n_tk = len(tk["created"])
    tk["surveyed"] = np.zeros(n_tk, dtype=bool)
    tk["surveyed"][sv["ticket"]] = True
    _plant_tickets(rng, g, tk)
    _plant_calls(rng, calls)
    _plant_surveys(rng, g, sv, n_tk)


def _plant_tickets(rng: np.random.Generator, g: _Grid, tk: dict[str, np.ndarray]) -> None:
    """3 resolved before created, 2 first responses before created, 1 created in 2036."""
    n = len(tk["created"])
    used = np.zeros(n, dtype=bool)
    not_phone = tk["channel"] != PHONE
    answered_resolved = (tk["first"] != _NAT) & (tk["resolved"] != _NAT) & not_phone
    local = pd.DatetimeIndex(tk["created"].view("M8[us]")).tz_localize("UTC").tz_convert(TIMEZONE)
    last_year = int(g.months[-1][:4])
    in_year = np.asarray(local.year == last_year) & ~np.asarray(
        (local.month == 2) & (local.day == 29)
    )

    def pick(cand: np.ndarray, k: int) -> np.ndarray:
        idx = np.flatnonzero(cand & ~used)
        chosen = np.sort(rng.choice(idx, min(k, len(idx)), replace=False))
        used[chosen] = True
        return chosen

    surveyed = tk["surveyed"]
    future = pick((tk["first"] == _NAT) & (tk["resolved"] == _NAT) & not_phone & in_year, 1)
    if not len(future):
        future = pick(in_year & not_phone & ~surveyed, 1)
        tk["first"][future] = _NAT
        tk["resolved"][future] = _NAT
        for k in ("replies", "reopens", "status"):
            tk[k][future] = 0
        tk["handle"][future] = 0.0
        tk["converted"][future] = -1
    for i in future:
        ts = pd.Timestamp(int(tk["created"][i]), unit="us", tz="UTC").tz_convert(TIMEZONE)
        typo = ts.tz_localize(None).replace(year=ts.year + 10)
        typo = typo.tz_localize(TIMEZONE, ambiguous=True, nonexistent="shift_forward")
        tk["created"][i] = typo.value // 1000
    before = pick(answered_resolved, 3)
    back = (rng.uniform(1.0, 48.0, len(before)) * _HOUR).astype(np.int64)
    tk["resolved"][before] = _seconds(tk["created"][before] - back)
    early = pick(answered_resolved, 2)
    back = (rng.uniform(10.0, 180.0, len(early)) * _MIN).astype(np.int64)
    tk["first"][early] = _seconds(tk["created"][early] - back)


def _plant_calls(rng: np.random.Generator, calls: dict[str, np.ndarray]) -> None:
    """2 answered calls with a negative wait (sign flipped), 1 with 30 hours of talk."""
    answered = np.flatnonzero(calls["outcome"] == 0)
    chosen = rng.choice(answered, min(3, len(answered)), replace=False)
    negative, long_talk = chosen[:2], chosen[2:]
    calls["wait"][negative] = -np.maximum(calls["wait"][negative], 2.0)
    calls["talk"][long_talk] = 30 * 3600.0


def _plant_surveys(
    rng: np.random.Generator, g: _Grid, sv: dict[str, np.ndarray], n_tickets: int
) -> None:
    """4 answered surveys with a score outside the scale, 3 pointing to no ticket."""
    n = len(sv["sent"])
    answered = sv["answered"] != _NAT
    if answered.sum() < 4:  # tiny samples: make sure four answers exist
        late = sv["sent"] + _HOUR < g.as_of
        extra = np.flatnonzero(~answered & late)[: 4 - answered.sum()]
        sv["answered"][extra] = sv["sent"][extra] + _HOUR
        answered[extra] = True
    chosen: list[int] = []
    for metric, k in ((0, 2), (1, 1), (2, 1)):
        idx = np.flatnonzero(answered & (sv["metric"] == metric))
        chosen += list(rng.choice(idx, min(k, len(idx)), replace=False))
    if len(chosen) < 4:
        rest = np.setdiff1d(np.flatnonzero(answered), chosen)
        chosen += list(rng.choice(rest, 4 - len(chosen), replace=False))
    out_of_scale = {0: (6.0, 10.0), 1: (11.0,), 2: (8.0, 0.0)}
    seen = {0: 0, 1: 0, 2: 0}
    for i in chosen:
        m = int(sv["metric"][i])
        sv["score"][i] = out_of_scale[m][seen[m] % len(out_of_scale[m])]
        seen[m] += 1
    orphans = rng.choice(n, min(3, n), replace=False)
    sv["ticket"][orphans] = n_tickets + 100_000 + np.arange(len(orphans)) * 7919
