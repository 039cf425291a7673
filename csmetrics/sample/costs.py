"""Monthly cost lines and finance (revenue and active customers).

Staff costs equal staffed hours times hourly cost (also for the month missing from the
staffing export), split over channels by handle time; tools, outsourcing and other
costs follow volumes and the scale.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from .calendar_grid import _Grid, _hour_of
from .customers import _active_at, _Customers
from .frames import _frame, _labels
from .model import (
    _ARPU,
    _COST_WEIGHT,
    CHANNELS,
    CHAT,
    CURRENCY,
    EMAIL,
    FACEBOOK,
    PHONE,
    SMS,
    TEAMS,
    TWITTER,
    WEB,
)

_STAFF, _TOOLS, _OUTSOURCING, _OTHER = range(4)  # codes of schema.COST_CATEGORIES


def _finance(rng: np.random.Generator, g: _Grid, cust: _Customers) -> pd.DataFrame:
    months = len(g.months)
    ends = g.bounds[1:]
    idx = np.arange(len(cust.since))
    active = np.array([_active_at(cust, idx, np.full(1, e - 1)).sum() for e in ends], float)
    cal = np.array([int(m[5:]) for m in g.months])
    season = np.where(cal == 12, 1.08, 1.0) * np.where(cal == 5, 1.05, 1.0)
    season *= np.where(cal == 1, 0.97, 1.0)
    arpu = _ARPU * season * (1.0 + 0.003 * np.arange(months))
    revenue = np.round(active * arpu * (1.0 + 0.015 * rng.standard_normal(months)), 2)
    return _frame(
        "finance",
        {
            "period": np.array(g.months, dtype=object),
            "revenue": revenue,
            "active_customers": active,
        },
    )


def _staff_lines(
    g: _Grid, tk: dict[str, np.ndarray], month: np.ndarray, hours: pd.DataFrame
) -> pd.DataFrame:
    """Each team's monthly payroll, split over channels by the team's weighted handle time."""
    months, nch, nt = len(g.months), len(CHANNELS), len(TEAMS)
    key = (month * nt + tk["team"]) * nch + tk["channel"]
    work = np.bincount(
        key, weights=tk["handle"] * _COST_WEIGHT[tk["channel"]] + 1.0, minlength=months * nt * nch
    ).reshape(months, nt, nch)
    pay = np.zeros((months, nt))
    np.add.at(
        pay,
        (hours["month"].to_numpy(), hours["team"].to_numpy()),
        (hours["hours"] * hours["cost"]).to_numpy(),
    )
    staff = np.round(pay[:, :, None] * work / work.sum(axis=2, keepdims=True), 2)
    mm, tt, cc = np.nonzero(staff > 0)
    return pd.DataFrame(
        {"m": mm, "cat": _STAFF, "channel": cc, "team": tt, "amount": staff[mm, tt, cc]}
    )


def _monthly_line(months: int, cat: int, channel: int, amount: np.ndarray) -> pd.DataFrame:
    """One cost line per month of category ``cat`` and channel ``channel`` (-1: none)."""
    return pd.DataFrame(
        {
            "m": np.arange(months),
            "cat": cat,
            "channel": channel,
            "team": -1,
            "amount": np.round(amount, 2),
        }
    )


def _other_lines(
    rng: np.random.Generator,
    g: _Grid,
    tk: dict[str, np.ndarray],
    month: np.ndarray,
    calls: dict[str, np.ndarray],
    hours: pd.DataFrame,
    scale: float,
) -> list[pd.DataFrame]:
    """Tools, outsourcing and other costs, by month."""
    months, nch = len(g.months), len(CHANNELS)
    tickets = np.bincount(month * nch + tk["channel"], minlength=months * nch)
    tickets = tickets.reshape(months, nch)
    minutes = (np.nan_to_num(calls["talk"] + calls["hold"]) + calls["wait"]) / 60
    minutes = np.bincount(g.month[_hour_of(g, calls["arrived"])], minutes, minlength=months)
    seats = np.bincount(hours["month"], minlength=months)
    noise = 1.0 + 0.02 * rng.standard_normal((months, 7))
    s = max(scale, 0.05)
    holiday = np.bincount(g.month[: g.n_hours], g.holiday[: g.n_hours], minlength=months) > 0
    lines = [
        (_TOOLS, PHONE, (1400.0 * s + 0.018 * minutes) * noise[:, 0]),
        (_TOOLS, EMAIL, 33.0 * seats * noise[:, 1]),
        (_TOOLS, WEB, 11.0 * seats + 250.0 * s),
        (_TOOLS, CHAT, (700.0 * s + 0.12 * tickets[:, CHAT]) * noise[:, 2]),
        (_TOOLS, SMS, 120.0 * s + 0.21 * tickets[:, SMS]),
        (_TOOLS, TWITTER, 180.0 * s * noise[:, 3]),
        (_TOOLS, FACEBOOK, 140.0 * s * noise[:, 4]),
        (_OUTSOURCING, TWITTER, (600.0 * s + 1.8 * tickets[:, TWITTER]) * noise[:, 5]),
        (_OUTSOURCING, FACEBOOK, (400.0 * s + 1.8 * tickets[:, FACEBOOK]) * noise[:, 5]),
        (_OTHER, -1, (3800.0 * s + 900.0 * s * holiday) * noise[:, 6]),
    ]
    return [_monthly_line(months, cat, ch, amount) for cat, ch, amount in lines]


def _costs(
    rng: np.random.Generator,
    g: _Grid,
    tk: dict[str, np.ndarray],
    calls: dict[str, np.ndarray],
    hours: pd.DataFrame,
    scale: float,
) -> pd.DataFrame:
    """Monthly cost lines.

    * staff: each team's payroll (staffed hours x hourly cost, also for the month
      missing from the staffing export) split over channels by the team's handle time,
      weighted by :data:`_COST_WEIGHT`;
    * tools: telephony (per minute), help-desk seats, chat platform, SMS gateway,
      social listening;
    * outsourcing: the social-media monitoring vendor (Twitter and Facebook);
    * other: training, quality assurance and, in the holiday season, recruiting temps
      (no channel).
    """
    month = g.month[_hour_of(g, tk["created"])]
    lines = [_staff_lines(g, tk, month, hours)]
    lines += _other_lines(rng, g, tk, month, calls, hours, scale)
    rows = pd.concat(lines, ignore_index=True)
    rows = rows.sort_values(["m", "cat", "channel", "team"], kind="stable")
    return _frame(
        "costs",
        {
            "period": np.array(g.months, dtype=object)[rows["m"].to_numpy()],
            "amount": rows["amount"].to_numpy(np.float64),
            "category": _labels(schema.COST_CATEGORIES, rows["cat"].to_numpy()),
            "channel": _labels(CHANNELS, rows["channel"].to_numpy()),
            "team": _labels(TEAMS, rows["team"].to_numpy()),
            "currency": np.full(len(rows), CURRENCY, dtype=object),
        },
    )
