"""Agents, their teams and months of work, and the staffing table (hours and cost).

The staffing table leaves out one month on purpose (:data:`_STAFFING_GAP`, a planted
problem); the staff costs of :mod:`.costs` still count it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .calendar_grid import _Grid, _hour_of
from .frames import _frame, _ids, _labels
from .model import _STAFFING_GAP, _TEAM_COST, _TEAM_SIZE, TEAMS


@dataclass
class _Agents:
    team: np.ndarray
    first_month: np.ndarray
    last_month: np.ndarray
    speed: np.ndarray
    fcr: np.ndarray
    quality: np.ndarray
    hourly_cost: np.ndarray
    temp: np.ndarray  # seasonal temps of the holiday months


def _agents(rng: np.random.Generator, g: _Grid, scale: float) -> _Agents:
    months = len(g.months)
    size = np.maximum(2, np.round(_TEAM_SIZE * scale)).astype(np.int64)
    team = np.repeat(np.arange(len(TEAMS)), size)
    n = len(team)
    first = np.zeros(n, dtype=np.int64)
    last = np.full(n, months - 1, dtype=np.int64)
    # a few leavers replaced by newcomers the month after
    if months >= 6:
        n_leave = max(1, round(0.05 * n))
        leavers = rng.choice(n, n_leave, replace=False)
        when = rng.integers(2, months - 2, n_leave)
        last[leavers] = when
        team = np.r_[team, team[leavers]]
        first = np.r_[first, when + 1]
        last = np.r_[last, np.full(n_leave, months - 1)]
    # seasonal temps for the holiday months (Tier 1 teams and social)
    hol_months = np.unique(g.month[: g.n_hours][g.holiday[: g.n_hours]])
    if len(hol_months):
        n_temp = max(1, round(0.12 * n))
        temp_team = rng.choice(np.array([0, 2, 4]), n_temp)
        team = np.r_[team, temp_team]
        first = np.r_[first, np.full(n_temp, hol_months.min())]
        last = np.r_[last, np.full(n_temp, hol_months.max())]
    n = len(team)
    temp = np.zeros(n, dtype=bool)
    if len(hol_months):
        temp[-n_temp:] = True
    speed = np.exp(0.15 * rng.standard_normal(n)) * np.where(temp, 1.25, 1.0)
    fcr = 0.04 * rng.standard_normal(n) - np.where(temp, 0.06, 0.0)
    quality = 0.15 * rng.standard_normal(n) - np.where(temp, 0.15, 0.0)
    lo, hi = _TEAM_COST[team, 0], _TEAM_COST[team, 1]
    hourly = np.where(temp, 22.0, lo + rng.random(n) * (hi - lo))
    # order by team, then by first month, so that ids read naturally
    order = np.lexsort((first, team))
    return _Agents(
        team=team[order],
        first_month=first[order],
        last_month=last[order],
        speed=speed[order],
        fcr=fcr[order],
        quality=quality[order],
        hourly_cost=np.round(hourly[order], 2),
        temp=temp[order],
    )


def _staffing_hours(rng: np.random.Generator, g: _Grid, a: _Agents) -> pd.DataFrame:
    """Hours per agent and month (including 2026-03, which the table later leaves out)."""
    months = len(g.months)
    m = np.tile(np.arange(months), len(a.team))
    ag = np.repeat(np.arange(len(a.team)), months)
    keep = (m >= a.first_month[ag]) & (m <= a.last_month[ag])
    m, ag = m[keep], ag[keep]
    peak_share = np.bincount(
        g.month[: g.n_hours], weights=(g.holiday | g.promo)[: g.n_hours], minlength=months
    ) / np.bincount(g.month[: g.n_hours], minlength=months)
    hours = np.clip(rng.normal(141.0, 9.0, len(m)), 118.0, 156.0) + 10.0 * peak_share[m]
    hours = np.where(a.temp[ag], np.clip(rng.normal(125.0, 8.0, len(m)), 110, 140), hours)
    years = np.array([int(s[:4]) for s in g.months])
    raise_ = 1.0 + 0.025 * (years[m] - years[0])  # yearly raise in January
    return pd.DataFrame(
        {
            "month": m,
            "agent": ag,
            "hours": np.round(hours, 1),
            "cost": np.round(a.hourly_cost[ag] * raise_, 2),
            "team": a.team[ag],
        }
    )


def _assign_agents(
    rng: np.random.Generator, g: _Grid, a: _Agents, t: np.ndarray, team: np.ndarray
) -> np.ndarray:
    month = g.month[_hour_of(g, t)]
    out = np.zeros(len(t), dtype=np.int64)
    if not len(t):
        return out
    order = np.lexsort((team, month))
    key = month[order] * len(TEAMS) + team[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(key)]
    for s, e in zip(starts, ends, strict=True):
        m, k = divmod(int(key[s]), len(TEAMS))
        pool = np.flatnonzero((a.team == k) & (a.first_month <= m) & (a.last_month >= m))
        if not len(pool):
            pool = np.flatnonzero((a.first_month <= m) & (a.last_month >= m))
        out[order[s:e]] = pool[rng.integers(0, len(pool), e - s)]
    return out


def _staffing_frame(g: _Grid, hours: pd.DataFrame, agent_width: int) -> pd.DataFrame:
    """The staffing table: :func:`_staffing_hours` without the month of the planted gap."""
    gap = {_STAFFING_GAP}
    staffing = hours[~np.isin(np.array(g.months)[hours["month"]], list(gap))]
    return _frame(
        "staffing",
        {
            "period": np.array(g.months, dtype=object)[staffing["month"].to_numpy()],
            "agent_id": _ids("A", staffing["agent"].to_numpy(), agent_width),
            "staffed_hours": staffing["hours"].to_numpy(np.float64),
            "team": _labels(TEAMS, staffing["team"].to_numpy()),
            "hourly_cost": staffing["cost"].to_numpy(np.float64),
        },
    )
