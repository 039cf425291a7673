"""Tickets: arrivals, follow-up calls of customers who switch channel, state at as-of.

:func:`_tickets` draws the regular and incident tickets (:mod:`.arrivals`), everything
about them (:mod:`.ticket_core`), the phone follow-ups of slow e-mails, and censors
the result at the as-of time (open and pending tickets form the backlog).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from .arrivals import _base_arrivals, _incident_arrivals
from .calendar_grid import _binv, _btime, _Grid, _seconds
from .customers import _active_at, _Customers
from .draws import _concat, _take
from .frames import _frame, _ids, _labels
from .model import (
    _DAY,
    _HOUR,
    _MIN,
    _NAT,
    CATEGORIES,
    CHANNELS,
    EMAIL,
    PHONE,
    PRIORITIES,
    TEAMS,
)
from .staffing import _Agents
from .ticket_core import _ticket_core

#: Share of slow e-mail tickets whose customer phones before the first response.
_SWITCH_SHARE = 0.07


def _switch_followups(
    rng: np.random.Generator, g: _Grid, tk: dict[str, np.ndarray], share: float
) -> tuple[np.ndarray, np.ndarray]:
    """Email tickets whose customer phones within 24 h, before the first response.

    Returns the indices of those e-mail tickets and the times of the calls.
    """
    t, first = tk["created"], tk["first"]
    wait = np.where(first == _NAT, 48 * _HOUR, first - t)
    slow = (tk["channel"] == EMAIL) & (wait > 6 * _HOUR)
    lo = t + _HOUR
    hi = np.minimum(t + 24 * _HOUR, np.where(first == _NAT, t + 48 * _HOUR, first - 5 * _MIN))
    b0, b1 = _btime(g, lo), _btime(g, np.maximum(hi, lo))
    cand = slow & (b1 - b0 > 10 * _MIN) & (rng.random(len(t)) < share)
    idx = np.flatnonzero(cand)
    at = _binv(g, b0[idx] + (rng.random(len(idx)) * (b1[idx] - b0[idx])).astype(np.int64))
    keep = at < g.as_of
    return idx[keep], at[keep]


def _growth(g: _Grid, cust: _Customers) -> np.ndarray:
    """Relative volume of each month, following the number of active customers."""
    active = np.array(
        [_active_at(cust, np.arange(len(cust.since)), np.full(1, b)).sum() for b in g.bounds[1:]]
    )
    return (active / active.mean()) ** 0.8 if len(g.months) > 1 else np.ones(1)


def _arrivals(
    rng: np.random.Generator,
    g: _Grid,
    cust: _Customers,
    inc: dict[str, np.ndarray],
    scale: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Times, channels, request types (-1: to draw) and sources of regular and incident
    tickets, sorted by time and channel."""
    growth = _growth(g, cust)
    t, ch = _base_arrivals(rng, g, scale, growth, phone_cut=0.012)
    ti, chi, cati = _incident_arrivals(rng, g, inc, scale)
    t = np.concatenate([t, ti])
    ch = np.concatenate([ch, chi])
    cat = np.concatenate([np.full(len(t) - len(ti), -1), cati])
    source = np.concatenate([np.zeros(len(t) - len(ti), np.int64), np.ones(len(ti), np.int64)])
    t = _seconds(t)
    order = np.lexsort((ch, t))
    return t[order], ch[order], cat[order], source[order]


def _with_switches(
    rng: np.random.Generator,
    g: _Grid,
    cust: _Customers,
    agents: _Agents,
    tk: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    """``tk`` plus the calls of customers whose e-mail got no answer yet, in time order."""
    idx, at = _switch_followups(rng, g, tk, _SWITCH_SHARE)
    o = np.argsort(at, kind="stable")
    idx, at = idx[o], _seconds(at[o])
    fu = _ticket_core(
        rng,
        g,
        cust,
        agents,
        at,
        np.full(len(at), PHONE),
        tk["category"][idx],
        tk["customer"][idx],
        np.full(len(at), 2, dtype=np.int64),
        repeats=0.0,
    )
    fu["priority"] = tk["priority"][idx]
    tk["switched"] = np.zeros(len(tk["created"]), dtype=bool)
    tk["switched"][idx] = True
    fu["switched"] = np.ones(len(at), dtype=bool)
    tk = _concat([tk, fu])
    order = np.lexsort((tk["channel"], tk["created"]))
    return _take(tk, order)


def _at_as_of(rng: np.random.Generator, g: _Grid, tk: dict[str, np.ndarray]) -> None:
    """Censor ``tk`` at the as-of time and set the status codes (in place)."""
    as_of = g.as_of
    tk["first"] = np.where(tk["first"] < as_of, tk["first"], _NAT)
    tk["resolved"] = np.where(
        (tk["resolved"] < as_of) & (tk["resolved"] != _NAT), tk["resolved"], _NAT
    )
    no_reply = tk["first"] == _NAT
    tk["replies"] = np.where(no_reply, 0, tk["replies"])
    tk["handle"] = np.where(no_reply, 0.0, tk["handle"])
    tk["reopens"] = np.where(no_reply, 0, tk["reopens"])
    open_ = tk["resolved"] == _NAT
    tk["converted"] = np.where(open_, -1, tk["converted"])
    tk["fcr"] &= ~open_
    pending = rng.random(len(open_)) < 0.55
    status = np.where(
        open_,
        np.where(~no_reply & pending, 1, 0),
        np.where(tk["resolved"] < as_of - 5 * _DAY, 3, 2),
    )
    tk["status"] = status


def _tickets(
    rng: np.random.Generator,
    g: _Grid,
    cust: _Customers,
    agents: _Agents,
    inc: dict[str, np.ndarray],
    scale: float,
) -> dict[str, np.ndarray]:
    t, ch, cat, source = _arrivals(rng, g, cust, inc, scale)
    tk = _ticket_core(rng, g, cust, agents, t, ch, cat, np.full(len(t), -1), source, repeats=0.04)
    tk = _with_switches(rng, g, cust, agents, tk)
    _at_as_of(rng, g, tk)
    return tk


def _tickets_frame(tk: dict[str, np.ndarray], widths: tuple[int, int, int]) -> pd.DataFrame:
    """The tickets table; ``widths`` are the digits of ticket, customer and agent ids."""
    w_t, w_c, w_a = widths
    conv = tk["converted"]
    return _frame(
        "tickets",
        {
            "ticket_id": _ids("T", np.arange(len(tk["created"])), w_t),
            "created_at": tk["created"],
            "channel": _labels(CHANNELS, tk["channel"]),
            "customer_id": _ids("CU", tk["customer"], w_c),
            "first_response_at": tk["first"],
            "resolved_at": tk["resolved"],
            "status": _labels(schema.TICKET_STATUSES, tk["status"]),
            "priority": _labels(PRIORITIES, tk["priority"]),
            "category": _labels(CATEGORIES, tk["category"]),
            "is_complaint": tk["complaint"],
            "agent_id": _ids("A", tk["agent"], w_a),
            "team": _labels(TEAMS, tk["team"]),
            "agent_replies": tk["replies"],
            "reopens": tk["reopens"],
            "handle_time_s": tk["handle"].astype(np.float64),
            "converted": (conv == 1, conv < 0),
        },
    )
