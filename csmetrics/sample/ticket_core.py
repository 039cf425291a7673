"""Everything about a batch of tickets once their arrival times and channels are known.

:func:`_ticket_core` draws, in this order (the order of the random draws is part of
the sample): request type, repeats, complaints, priority and conversion; the customer;
team and agent; the phone call behind phone tickets; the first response;
first-contact resolution, replies and reopens; the resolution; the handle time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrivals import _categories, _repeat_sources
from .calendar_grid import _add_business, _Grid, _hour_of, _seconds
from .customers import _active_at, _Customers, _draw_customers
from .draws import _lognormal, _pick
from .model import (
    _AHT_CAT,
    _COMPLAINT_CAT,
    _COMPLAINT_CH,
    _CONVERT_P,
    _DAY,
    _FCR_CAT,
    _FCR_CH,
    _FRT_MEDIAN_BH,
    _NAT,
    _NO_RESPONSE,
    _PRIO_FRT,
    _PRIO_MIX,
    _REPLY_S,
    _RES_MEDIAN_BH,
    _TALK_MEAN_S,
    _TEAM_AHT,
    _TEAM_FCR,
    _TEAM_MIX,
    _TEAM_SPEED,
    _US,
    ACCOUNT,
    BILL,
    CANCEL,
    CHAT,
    FACEBOOK,
    PHONE,
    PRODUCT,
    RETURNS,
    SMS,
    TEAMS,
    TECH,
    TWITTER,
)
from .staffing import _Agents, _assign_agents


@dataclass(frozen=True)
class _Batch:
    """Tickets arriving at ``t`` (sorted) on channels ``ch``, and the state of their hour."""

    t: np.ndarray
    ch: np.ndarray
    source: np.ndarray  # 0 regular, 1 incident, 2 follow-up call after a channel switch
    peak: np.ndarray  # holiday season or spring promotion
    promo: np.ndarray
    load: np.ndarray

    @property
    def n(self) -> int:
        return len(self.t)


@dataclass(frozen=True)
class _Request:
    """What a ticket is about: request type, repeat, complaint, priority, conversion."""

    cat: np.ndarray
    src: np.ndarray  # the earlier ticket a repeat follows, -1 if none
    rep: np.ndarray
    complaint: np.ndarray
    prio: np.ndarray
    converted: np.ndarray  # 1, 0, or -1 where the request type cannot convert


def _requests(
    rng: np.random.Generator, g: _Grid, b: _Batch, cat: np.ndarray, repeats: float
) -> _Request:
    """Request type (where ``cat`` is -1), repeats, complaints, priority, conversion."""
    n, t, ch, source = b.n, b.t, b.ch, b.source
    drawn = _categories(rng, g, t, ch)
    cat = np.where(cat < 0, drawn, cat)
    src = _repeat_sources(rng, t, repeats) if repeats else np.full(n, -1, dtype=np.int64)
    rep = src >= 0
    same_issue = rep & (rng.random(n) < 0.6)
    cat = np.where(same_issue, cat[np.maximum(src, 0)], cat)
    p_complaint = _COMPLAINT_CAT[cat] * _COMPLAINT_CH[ch] * np.where(b.peak, 1.25, 1.0)
    p_complaint *= np.where(source == 1, 2.0, 1.0) * np.where(rep | (source == 2), 1.6, 1.0)
    complaint = rng.random(n) < np.clip(p_complaint, 0.0, 0.9)
    prio = _pick(rng, _PRIO_MIX[complaint.astype(np.int64)])
    prio = np.where((source == 1) & (rng.random(n) < 0.3), 3, prio)
    p_conv = _CONVERT_P[cat] + np.where(b.promo & (cat == PRODUCT), 0.06, 0.0)
    converted = np.where(np.isnan(p_conv), -1, (rng.random(n) < p_conv).astype(np.int64))
    return _Request(cat, src, rep, complaint, prio, converted)


def _ticket_customers(
    rng: np.random.Generator, cust: _Customers, b: _Batch, r: _Request, customer: np.ndarray
) -> np.ndarray:
    """Draw customers (where -1), tie cancellations to leavers, copy those of repeats."""
    n, t = b.n, b.t
    customer = np.where(customer < 0, _draw_customers(rng, cust, t), customer)
    leaving = np.flatnonzero(
        (r.cat == CANCEL) & (r.converted == 0) & ~r.rep & (rng.random(n) < 0.7)
    )
    churners = np.flatnonzero(cust.until != _NAT)
    if len(leaving) and len(churners):
        churners = churners[np.argsort(cust.until[churners], kind="stable")]
        u_sorted = cust.until[churners]
        lo = np.searchsorted(u_sorted, t[leaving], side="right")
        hi = np.searchsorted(u_sorted, t[leaving] + 30 * _DAY, side="right")
        has = hi > lo
        cand = churners[
            np.minimum(lo + (rng.random(len(lo)) * (hi - lo)).astype(np.int64), len(churners) - 1)
        ]
        ok = has & (cust.since[cand] <= t[leaving])
        customer[leaving[ok]] = cand[ok]
    if r.rep.any():
        rep, src = r.rep, r.src
        root = np.where(rep, src, np.arange(n))
        for _ in range(12):
            root = np.where(rep[root], src[root], root)
        copied = customer[root]
        ok = rep & _active_at(cust, copied, t)
        customer = np.where(ok, copied, customer)
    return customer


def _route(
    rng: np.random.Generator, g: _Grid, agents: _Agents, b: _Batch, cat: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Team and agent of each ticket: by channel, with specialist teams for some requests."""
    ch = b.ch
    tm = _TEAM_MIX[ch].copy()
    routed = ~np.isin(ch, [SMS, TWITTER, FACEBOOK])
    tech = routed & np.isin(cat, [TECH, ACCOUNT])
    money = routed & np.isin(cat, [BILL, RETURNS, CANCEL]) & (ch != CHAT)
    tm[tech] = 0.45 * tm[tech] + 0.55 * np.eye(len(TEAMS))[1]
    tm[money] = 0.45 * tm[money] + 0.55 * np.eye(len(TEAMS))[3]
    team = _pick(rng, tm)
    agent = _assign_agents(rng, g, agents, b.t, team)
    return agents.team[agent], agent


def _call_parts(
    rng: np.random.Generator, b: _Batch, cat: np.ndarray, team: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Talk, hold and wrap-up seconds of the phone call behind phone tickets."""
    n = b.n
    aht = _AHT_CAT[cat] * _TEAM_AHT[team] * np.where(b.peak, 1.08, 1.0)
    talk = np.round(_lognormal(rng, _TALK_MEAN_S * np.exp(-0.18), 0.6, n) * aht)
    talk = np.maximum(talk, 20.0)
    hold = np.where(rng.random(n) < 0.38, np.round(_lognormal(rng, 55.0, 0.7, n) * aht), 0.0)
    wrap = np.round(_lognormal(rng, 42.0, 0.3, n) * _TEAM_AHT[team])
    return talk, hold, wrap


def _first_responses(
    rng: np.random.Generator, g: _Grid, b: _Batch, prio: np.ndarray, speed: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Whether a ticket is answered, and when (business time for async channels)."""
    n, t, ch, load = b.n, b.t, b.ch, b.load
    is_phone, is_chat = ch == PHONE, ch == CHAT
    answered = rng.random(n) >= _NO_RESPONSE[ch] * np.where(b.peak, 1.5, 1.0)
    answered |= is_phone
    frt_async = _lognormal(rng, _FRT_MEDIAN_BH[ch] * _PRIO_FRT[prio] * speed * load, 1.0, n)
    first = _add_business(g, t, np.minimum(frt_async, 300.0))
    chat_wait = np.clip(_lognormal(rng, 70.0 * load**1.5, 0.8, n), 10.0, 2700.0)
    first = np.where(is_chat, t + (chat_wait * _US).astype(np.int64), first)
    phone_first = _lognormal(rng, 45.0, 0.5, n)
    first = np.where(is_phone, t + (phone_first * _US).astype(np.int64), first)
    first = np.where(answered, _seconds(first), _NAT)
    return answered, first


def _contacts(
    rng: np.random.Generator, b: _Batch, r: _Request, p_fcr: np.ndarray, answered: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First-contact resolution, reopens and agent replies."""
    n = b.n
    p_fcr = p_fcr - (0.06 * b.peak + 0.10 * r.complaint + 0.05 * (b.source == 2))
    fcr = answered & (rng.random(n) < np.clip(p_fcr, 0.1, 0.95))
    reopens = np.where(
        ~fcr & answered & (rng.random(n) < 0.2), 1 + (rng.random(n) < 0.1), 0
    ).astype(np.int64)
    extra = np.minimum(rng.geometric(0.45, n), 7)
    replies = np.where(reopens > 0, np.maximum(1 + reopens, extra), np.minimum(1 + extra, 8))
    replies = np.where(fcr, 1, replies)
    replies = np.where(answered, replies, 0).astype(np.int64)
    return fcr, reopens, replies


@dataclass(frozen=True)
class _Call:
    """Talk, hold and wrap-up seconds of the call behind each (phone) ticket."""

    talk: np.ndarray
    hold: np.ndarray
    wrap: np.ndarray


@dataclass(frozen=True)
class _Contact:
    """How the service answered: first response, first-contact resolution, replies."""

    answered: np.ndarray
    first: np.ndarray
    fcr: np.ndarray
    reopens: np.ndarray
    replies: np.ndarray


def _resolutions(
    rng: np.random.Generator,
    g: _Grid,
    b: _Batch,
    cat: np.ndarray,
    team: np.ndarray,
    speed: np.ndarray,
    call: _Call,
    c: _Contact,
) -> tuple[np.ndarray, np.ndarray]:
    """Resolution times (NaT where stuck), and the end of chat conversations."""
    n, t, ch, first, replies = b.n, b.t, b.ch, c.first, c.replies
    is_phone, is_chat = ch == PHONE, ch == CHAT
    call_end = t + ((call.talk + call.hold + call.wrap) * _US).astype(np.int64)
    chat_end = first + (_lognormal(rng, 600.0, 0.6, n) * _TEAM_AHT[team] * _US).astype(np.int64)
    quick = first + (_lognormal(rng, 300.0, 1.2, n) * _US).astype(np.int64)
    fcr_end = np.where(is_phone, call_end, np.where(is_chat, chat_end, quick))
    res_bh = _RES_MEDIAN_BH[cat] * (0.6 + 0.25 * (replies - 1)) * speed * b.load**0.8
    res_bh = _lognormal(rng, res_bh, 0.9, n)
    later = _add_business(g, np.where(c.answered, first, t), np.minimum(res_bh, 1500.0))
    later += (c.reopens * _lognormal(rng, 2.5, 0.7, n) * _DAY).astype(np.int64)
    resolved = np.where(c.fcr, np.maximum(fcr_end, first), later)
    auto_close = t + (_lognormal(rng, 5.0, 0.5, n) * _DAY).astype(np.int64)
    resolved = np.where(c.answered, resolved, auto_close)
    stuck = np.where(c.answered, rng.random(n) < 0.0025, rng.random(n) < 0.12)
    return np.where(stuck, _NAT, _seconds(resolved)), chat_end


def _handle_times(
    rng: np.random.Generator,
    b: _Batch,
    cat: np.ndarray,
    team: np.ndarray,
    call: _Call,
    c: _Contact,
    chat_end: np.ndarray,
) -> np.ndarray:
    """Agent seconds spent on each ticket: replies, the call, or the chat conversation."""
    ch, replies = b.ch, c.replies
    per_reply = (
        _REPLY_S[ch] * _AHT_CAT[cat] * _TEAM_AHT[team] * np.exp(0.3 * rng.standard_normal(b.n))
    )
    handle = replies * per_reply
    follow = np.maximum(replies - 1, 0) * 300.0 * _AHT_CAT[cat] * _TEAM_AHT[team]
    handle = np.where(ch == PHONE, call.talk + call.hold + call.wrap + follow, handle)
    chat_s = (chat_end - c.first) / _US
    handle = np.where(
        (ch == CHAT) & c.answered, chat_s + np.maximum(replies - 1, 0) * 200.0, handle
    )
    return np.where(c.answered, np.round(handle), 0.0)


def _ticket_core(
    rng: np.random.Generator,
    g: _Grid,
    cust: _Customers,
    agents: _Agents,
    t: np.ndarray,
    ch: np.ndarray,
    cat: np.ndarray,
    customer: np.ndarray,
    source: np.ndarray,
    repeats: float,
) -> dict[str, np.ndarray]:
    """Everything about tickets arriving at ``t`` (sorted) on channels ``ch``.

    ``cat`` and ``customer`` hold -1 where they are to be drawn. ``source`` is 0 for
    regular tickets, 1 for incident tickets and 2 for follow-up calls of customers who
    switched channel. Timestamps are not yet censored at the as-of time.
    """
    h = _hour_of(g, t)
    b = _Batch(t, ch, source, g.holiday[h] | g.promo[h], g.promo[h], g.load[h])
    r = _requests(rng, g, b, cat, repeats)
    customer = _ticket_customers(rng, cust, b, r, customer)
    team, agent = _route(rng, g, agents, b, r.cat)
    speed = _TEAM_SPEED[team] * agents.speed[agent]
    call = _Call(*_call_parts(rng, b, r.cat, team))
    answered, first = _first_responses(rng, g, b, r.prio, speed)
    p_fcr = _FCR_CH[ch] + _FCR_CAT[r.cat] + _TEAM_FCR[team] + agents.fcr[agent]
    c = _Contact(answered, first, *_contacts(rng, b, r, p_fcr, answered))
    resolved, chat_end = _resolutions(rng, g, b, r.cat, team, speed, call, c)
    handle = _handle_times(rng, b, r.cat, team, call, c, chat_end)
    return {
        "created": _seconds(t),
        "channel": ch,
        "customer": customer,
        "first": first,
        "resolved": resolved,
        "priority": r.prio,
        "category": r.cat,
        "complaint": r.complaint,
        "agent": agent,
        "team": team,
        "replies": c.replies,
        "reopens": c.reopens,
        "handle": handle,
        "converted": r.converted,
        "fcr": c.fcr,
        "source": source,
        "repeat": r.rep,
        "talk": call.talk,
        "hold": call.hold,
        "wrap": call.wrap,
    }
