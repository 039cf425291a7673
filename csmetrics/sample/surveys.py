"""Surveys: sent after about half of the resolved tickets, answered by some customers.

Scores (CSAT 1-5, NPS 0-10, CES 1-7) follow one latent satisfaction per survey, which
depends on what happened to the ticket; comments carry themes that follow it too
(:mod:`.comments` turns them into text).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .calendar_grid import _Grid, _hour_of, _seconds
from .comments import _comments
from .customers import _Customers
from .draws import _lognormal, _pick
from .frames import _frame, _ids, _labels, _width
from .model import (
    _CSAT_CH,
    _HOUR,
    _METRIC_MIX,
    _MIN,
    _NAT,
    _NEGATIVE_THEMES,
    _POSITIVE_THEMES,
    _TEAM_CSAT,
    ACCOUNT,
    BILL,
    CHANNELS,
    DELIV,
    METRICS,
    ORDER,
    PHONE,
    RETURNS,
    TECH,
    THEMES,
)


def _sends(
    rng: np.random.Generator, g: _Grid, tk: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Surveyed tickets and sending times, in sending order (survey ids follow it)."""
    eligible = np.flatnonzero((tk["resolved"] != _NAT) & (tk["replies"] > 0))
    eligible = eligible[rng.random(len(eligible)) < 0.5]
    sent = tk["resolved"][eligible] + (
        np.minimum(_lognormal(rng, 40.0, 0.8, len(eligible)), 1440.0) * _MIN
    ).astype(np.int64)
    keep = sent < g.as_of
    ti, sent = eligible[keep], _seconds(sent[keep])
    order = np.argsort(sent, kind="stable")
    return ti[order], sent[order]


def _ticket_facts(
    g: _Grid, tk: dict[str, np.ndarray], ti: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Whether surveyed tickets arrived in a peak, and their resolution and first-response
    hours (99 without a response)."""
    created, resolved, first = tk["created"][ti], tk["resolved"][ti], tk["first"][ti]
    h = _hour_of(g, created)
    peak = g.holiday[h] | g.promo[h]
    res_h = (resolved - created) / _HOUR
    frt_h = np.where(first == _NAT, 99.0, (first - created) / _HOUR)
    return peak, res_h, frt_h


def _satisfaction(
    tk: dict[str, np.ndarray],
    ti: np.ndarray,
    peak: np.ndarray,
    res_h: np.ndarray,
    frt_h: np.ndarray,
) -> np.ndarray:
    """Mean latent satisfaction of each survey, from what happened to its ticket."""
    return (
        0.5
        - 0.22 * (np.log1p(res_h) - np.log1p(8.0))
        + 0.30 * tk["fcr"][ti]
        - 0.45 * tk["reopens"][ti]
        - 0.55 * tk["complaint"][ti]
        + _CSAT_CH[tk["channel"][ti]]
        + _TEAM_CSAT[tk["team"][ti]]
        + tk["agent_quality"][ti]
        - 0.30 * peak
        - 0.25 * (frt_h > 24)
        - 0.30 * tk["switched"][ti]
        - 0.20 * tk["repeat"][ti]
    )


def _negative_weights(
    tk: dict[str, np.ndarray], ti: np.ndarray, peak: np.ndarray, frt_h: np.ndarray
) -> np.ndarray:
    """Weights of the negative themes (columns: :data:`_NEGATIVE_THEMES`) per survey."""
    ch, cat = tk["channel"][ti], tk["category"][ti]
    return np.stack(
        [
            0.6 + 3.0 * (frt_h > 8) + 2.0 * peak + 2.0 * (ch == PHONE),
            0.4
            + 4.0 * (tk["reopens"][ti] > 0)
            + 2.0 * (tk["replies"][ti] >= 4)
            + 3.0 * tk["switched"][ti]
            + 2.0 * tk["repeat"][ti],
            0.2 + 4.0 * np.isin(cat, [RETURNS, BILL]),
            0.2 + 4.0 * np.isin(cat, [TECH, ACCOUNT]) + 3.0 * (tk["source"][ti] == 1),
            0.2 + 4.0 * (cat == DELIV) + 1.0 * (cat == ORDER),
        ],
        axis=1,
    )


def _score_bands(
    metric: np.ndarray, csat: np.ndarray, nps: np.ndarray, ces: np.ndarray
) -> np.ndarray:
    """0 negative, 1 mixed, 2 positive, from the score on the survey's own scale."""
    return np.choose(
        metric,
        [
            np.searchsorted([2.5, 3.5], csat),
            np.searchsorted([6.5, 8.5], nps),
            2 - np.searchsorted([2.5, 4.5], ces),
        ],
    )


def _surveys(
    rng: np.random.Generator, g: _Grid, cust: _Customers, tk: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    ti, sent = _sends(rng, g, tk)
    n = len(ti)
    metric = _pick(rng, np.broadcast_to(_METRIC_MIX, (n, 3)))
    ch = tk["channel"][ti]
    peak, res_h, frt_h = _ticket_facts(g, tk, ti)
    mu = _satisfaction(tk, ti, peak, res_h, frt_h)
    z = mu + rng.standard_normal(n)
    csat = 1.0 + np.searchsorted(np.array([-1.75, -1.1, -0.6, 0.45]), z)
    nps = np.clip(np.round(7.65 + 1.75 * z), 0, 10)
    ces = np.clip(np.round(3.5 - 1.25 * z), 1, 7)
    score = np.choose(metric, [csat, nps, ces]).astype(np.float64)
    p_resp = 0.27 * np.array([1.1, 0.85, 1.15, 1.0, 0.9, 0.7, 0.75])[ch]
    p_resp *= np.where(metric == 1, 0.85, 1.0) * np.where(mu < -0.4, 1.2, 1.0)
    answered = rng.random(n) < p_resp
    answered_at = sent + (np.minimum(_lognormal(rng, 2.0, 1.6, n), 240.0) * _HOUR).astype(np.int64)
    answered &= answered_at < g.as_of
    # comments: sentiment follows the score band, themes follow what happened
    band = _score_bands(metric, csat, nps, ces)
    has_comment = answered & (rng.random(n) < np.where(band == 1, 0.32, 0.44))
    neg = np.array(_NEGATIVE_THEMES)[_pick(rng, _negative_weights(tk, ti, peak, frt_h))]
    pos_w = np.stack([np.full(n, 1.2), 0.5 + 2.0 * (res_h < 4)], axis=1)
    pos = np.array(_POSITIVE_THEMES)[_pick(rng, pos_w)]
    pos = np.where(band == 1, THEMES.index("friendly_agent"), pos)  # "nice, but ..."
    return {
        "ticket": ti,
        "sent": sent,
        "metric": metric,
        "score": np.where(answered, score, np.nan),
        "answered": np.where(answered, _seconds(answered_at), _NAT),
        "channel": ch,
        "customer": tk["customer"][ti],
        "has_comment": has_comment,
        "lang": cust.language[tk["customer"][ti]],
        "theme1": np.where(band == 0, neg, pos),
        "theme2": np.where(band == 1, neg, -1),
        "phrase1": rng.integers(0, 3, n),
        "phrase2": rng.integers(0, 3, n),
    }


def _surveys_frame(sv: dict[str, np.ndarray], w_t: int, w_c: int) -> pd.DataFrame:
    """The surveys table; ``w_t`` and ``w_c`` are the digits of ticket and customer ids."""
    n_sv = len(sv["sent"])
    return _frame(
        "surveys",
        {
            "survey_id": _ids("S", np.arange(n_sv), _width(6, n_sv)),
            "metric": _labels(METRICS, sv["metric"]),
            "sent_at": sv["sent"],
            "score": sv["score"],
            "answered_at": sv["answered"],
            "ticket_id": _ids("T", sv["ticket"], w_t),
            "customer_id": _ids("CU", sv["customer"], w_c),
            "channel": _labels(CHANNELS, sv["channel"]),
            "comment": _comments(sv),
        },
    )
