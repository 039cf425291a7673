"""Calls: the answered call behind every phone ticket, abandoned calls, test calls.

Waits and abandons grow with the pressure on the phone queue in the hour of the call
(time of day, weekday, peaks, incidents).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from .arrivals import _arrival_weights
from .calendar_grid import _Grid, _hour_of, _seconds
from .customers import _Customers, _draw_customers
from .draws import _choice_weights, _concat, _pick, _take
from .frames import _frame, _ids, _labels, _width
from .model import _HOUR, _MIN, _NAT, _QUEUE_OF_CAT, _SYNC_DOW, _SYNC_HOD, _US, PHONE, QUEUES


def _phone_pressure(g: _Grid) -> np.ndarray:
    """Relative load on the phone queue for each hour of the grid."""
    rel = _SYNC_HOD[g.local_hour] / _SYNC_HOD[9:18].mean()
    dow = _SYNC_DOW[g.dow] / _SYNC_DOW[:5].mean()
    peak = 1.0 + 0.32 * g.holiday + 0.28 * g.promo
    incident = 1.0 + 0.4 * (g.load - (1.0 + 0.9 * g.holiday + 0.8 * g.promo))
    return np.sqrt(np.maximum(rel, 0.3) * np.maximum(dow, 0.3)) * peak * incident


def _unanswered(
    arrived: np.ndarray,
    outcome: int,
    customer: np.ndarray,
    queue: np.ndarray,
    wait: np.ndarray,
) -> dict[str, np.ndarray]:
    """Call columns of calls nobody answered (no answer time, talk, agent or outcome)."""
    n = len(arrived)
    nan = np.full(n, np.nan)
    return {
        "arrived": arrived,
        "outcome": np.full(n, outcome, dtype=np.int64),
        "customer": customer,
        "queue": queue,
        "wait": wait,
        "answered": np.full(n, _NAT),
        "talk": nan,
        "hold": nan,
        "wrap": nan,
        "agent": np.full(n, -1),
        "resolved": np.full(n, -1),
    }


def _answered_calls(
    rng: np.random.Generator, g: _Grid, pressure: np.ndarray, tk: dict[str, np.ndarray]
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The call of each phone ticket (answered when the ticket is created), and its hour."""
    ph = np.flatnonzero(tk["channel"] == PHONE)
    n_ans = len(ph)
    created = tk["created"][ph]
    answered_at = created - (rng.uniform(3, 20, n_ans) * _US).astype(np.int64)
    hr = _hour_of(g, answered_at)
    p = pressure[hr]
    p_wait = np.clip(0.23 * p**2.5, 0.02, 0.95)
    tau = 38.0 * p**1.5
    wait = np.where(
        rng.random(n_ans) < p_wait, 1.0 + rng.exponential(tau), rng.integers(0, 9, n_ans)
    )
    wait = np.round(np.minimum(wait, 3600.0))
    answered_at = _seconds(answered_at)
    arrived = answered_at - (wait * _US).astype(np.int64)
    ans = {
        "arrived": arrived,
        "outcome": np.zeros(n_ans, dtype=np.int64),
        "customer": tk["customer"][ph],
        "queue": _QUEUE_OF_CAT[tk["category"][ph]],
        "wait": wait,
        "answered": answered_at,
        "talk": tk["talk"][ph],
        "hold": tk["hold"][ph],
        "wrap": tk["wrap"][ph],
        "agent": tk["agent"][ph],
        "resolved": tk["fcr"][ph].astype(np.int64),
    }
    return ans, hr


def _abandoned_calls(
    rng: np.random.Generator,
    g: _Grid,
    cust: _Customers,
    pressure: np.ndarray,
    ans: dict[str, np.ndarray],
    hr: np.ndarray,
) -> dict[str, np.ndarray]:
    """Abandoned calls around the answered ones, more when the queue is under pressure."""
    arrived = ans["arrived"]
    p = pressure[hr]
    a = np.clip(0.068 * p**2.2, 0.01, 0.4)
    k = rng.poisson(a / (1 - a))
    base = np.repeat(np.arange(len(arrived)), k)
    m = len(base)
    retry = rng.random(m) < 0.45
    hour0 = g.hour_start[hr[base]]
    t_retry = arrived[base] - (rng.uniform(2, 30, m) * _MIN).astype(np.int64)
    t_retry = np.where(
        g.open[_hour_of(g, t_retry)],
        t_retry,
        arrived[base] - (rng.random(m) * np.maximum(arrived[base] - hour0, 0)).astype(np.int64),
    )
    t_other = hour0 + (rng.random(m) * _HOUR).astype(np.int64)
    t_ab = _seconds(np.where(retry, t_retry, t_other))
    short = rng.random(m) < 0.18
    ab_wait = np.where(
        short, rng.integers(1, 5, m), 5.0 + rng.exponential(55.0 * pressure[hr[base]])
    )
    known = rng.random(m) < 0.65
    other_customer = _draw_customers(rng, cust, t_ab)
    ab_customer = np.where(retry, ans["customer"][base], np.where(known, other_customer, -1))
    ab_queue = np.where(
        retry, ans["queue"][base], _pick(rng, np.broadcast_to([0.3, 0.2, 0.2, 0.2, 0.1], (m, 5)))
    )
    return _unanswered(t_ab, 1, ab_customer, ab_queue, np.round(np.minimum(ab_wait, 1800.0)))


def _test_calls(rng: np.random.Generator, g: _Grid, n_calls: int) -> dict[str, np.ndarray]:
    """Test and phantom calls (about 0.5 % of ``n_calls``)."""
    n_other = int(rng.binomial(n_calls, 0.005))
    w = _arrival_weights(g, PHONE)
    t_o = g.hour_start[_choice_weights(rng, w, n_other)]
    t_o = _seconds(t_o + (rng.random(n_other) * _HOUR).astype(np.int64))
    no_customer, queue = np.full(n_other, -1), np.zeros(n_other, dtype=np.int64)
    wait = rng.integers(0, 3, n_other).astype(np.float64)
    return _unanswered(t_o, 2, no_customer, queue, wait)


def _calls(
    rng: np.random.Generator,
    g: _Grid,
    cust: _Customers,
    tk: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    pressure = _phone_pressure(g)
    ans, hr = _answered_calls(rng, g, pressure, tk)
    ab = _abandoned_calls(rng, g, cust, pressure, ans, hr)
    other = _test_calls(rng, g, len(ans["arrived"]) + len(ab["arrived"]))
    calls = _concat([ans, ab, other])
    calls["wait"] = calls["wait"].astype(np.float64)
    order = np.lexsort((calls["outcome"], calls["arrived"]))
    return _take(calls, order)


def _calls_frame(calls: dict[str, np.ndarray], w_c: int, w_a: int) -> pd.DataFrame:
    """The calls table; ``w_c`` and ``w_a`` are the digits of customer and agent ids."""
    n_calls = len(calls["arrived"])
    return _frame(
        "calls",
        {
            "call_id": _ids("C", np.arange(n_calls), _width(6, n_calls)),
            "arrived_at": calls["arrived"],
            "outcome": _labels(schema.CALL_OUTCOMES, calls["outcome"]),
            "customer_id": _ids("CU", calls["customer"], w_c),
            "queue": _labels(QUEUES, calls["queue"]),
            "wait_s": calls["wait"],
            "answered_at": calls["answered"],
            "talk_s": calls["talk"],
            "hold_s": calls["hold"],
            "wrap_s": calls["wrap"],
            "agent_id": _ids("A", calls["agent"], w_a),
            "resolved": (calls["resolved"] == 1, calls["resolved"] < 0),
        },
    )
