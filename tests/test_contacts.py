"""The contact model: one contact per customer interaction, on pandas and on DuckDB.

A phone ticket and the answered call it came from are **one** contact: linked by
``tickets.call_id`` / ``calls.ticket_id`` when the data has them, otherwise by the same
customer and the ticket created during the call or within ``thresholds.contact_link_s``
(default 300 s) of it. Answered calls without a ticket are contacts of their own;
abandoned calls and calls with outcome ``other`` are not contacts. Repeat contacts,
channel switches and the cost per contact all read this one history.

Times are local (Europe/Lisbon); the as-of time is 2026-10-31 23:59 (see test_kpis.py).
"""

from __future__ import annotations

import pandas as pd
import pytest

import csmetrics as cm
from csmetrics.kpis import compute

from .test_kpis import CONFIG, NOW, check, check_rate, pick, prepared, table

BACKENDS = ["pandas", "duckdb"]


def run(frames, backend, period="2026-10", kpis=None, by=(), config=None) -> pd.DataFrame:
    return compute(prepared(frames, config), period, by=by, kpis=kpis, backend=backend)


# ---------------------------------------------------------------------------------------
# Channel switching: any later contact on another channel, not only the very next one
# ---------------------------------------------------------------------------------------


def switch_tickets() -> pd.DataFrame:
    return table(
        "ticket_id created_at channel customer_id first_response_at",
        # the case: both e-mails switched to the chat before their response
        ("E1", "2026-10-06 10:00", "email", "s1", "2026-10-07 10:00"),
        ("E2", "2026-10-06 11:00", "email", "s1", "2026-10-07 10:30"),
        ("C1", "2026-10-06 12:00", "chat", "s1", "2026-10-06 12:05"),
        # E3 was answered (11:00) before the chat (11:30): no switch; E4 was not: switch
        ("E3", "2026-10-08 10:00", "email", "s2", "2026-10-08 11:00"),
        ("E4", "2026-10-08 10:30", "email", "s2", None),
        ("C2", "2026-10-08 11:30", "chat", "s2", None),
        # the chat comes 24.5 h after E5 (outside the 24 h window) but 23.5 h after E6
        ("E5", "2026-10-10 10:00", "email", "s3", None),
        ("E6", "2026-10-10 11:00", "email", "s3", None),
        ("C3", "2026-10-11 10:30", "chat", "s3", None),
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_switch_counts_any_later_contact_before_the_response(backend):
    res = run({"tickets": switch_tickets()}, backend, kpis=["channel_switch_rate"])
    # switched: E1, E2 (the chat at 12:00, before their response next day), E4, E6 → 4/9
    # (before: only the very next contact was looked at, so E1 and E5's neighbour E6 hid
    # the chat: E2, E4, E6 → 3/9)
    check_rate(pick(res, "channel_switch_rate"), 4, 9)
    by = run({"tickets": switch_tickets()}, backend, kpis=["channel_switch_rate"], by=["channel"])
    check_rate(pick(by, "channel_switch_rate", channel="email"), 4, 6)
    check_rate(pick(by, "channel_switch_rate", channel="chat"), 0, 3)


def test_switch_names_the_first_other_channel():
    t = prepared({"tickets": switch_tickets()})["tickets"].set_index("ticket_id")
    assert t.loc["E1", "switch_to"] == "chat"
    assert t.loc[["E1", "E2", "E4", "E6"], "switched"].tolist() == [1.0] * 4
    assert t.loc[["C1", "E3", "C2", "E5", "C3"], "switched"].tolist() == [0.0] * 5
    assert t.loc[["C1", "E3", "C2", "E5", "C3"], "switch_to"].isna().all()


# ---------------------------------------------------------------------------------------
# One history of tickets and calls, even when some tickets are phone tickets
# ---------------------------------------------------------------------------------------


def history_frames() -> dict[str, pd.DataFrame]:
    tickets = table(
        "ticket_id created_at channel customer_id first_response_at",
        # P1 is logged at the end of call K1 (10:00:00 + 20 s wait + 300 s talk = 10:05:20)
        ("P1", "2026-10-05 10:05:20", "phone", "c1", "2026-10-05 10:05:20"),
        ("T1", "2026-10-06 10:00", "email", "c2", "2026-10-07 09:00"),
        ("T2", "2026-10-08 10:00", "email", "c3", "2026-10-08 10:30"),
        # P2 is logged 5 s after call K5 ended (10:00:05 + 200 s = 10:03:25)
        ("P2", "2026-10-09 10:03:30", "phone", "c4", "2026-10-09 10:03:30"),
        ("T3", "2026-10-11 10:00", "chat", "c1", "2026-10-11 10:02"),
    )
    calls = table(
        "call_id arrived_at outcome wait_s talk_s customer_id",
        ("K1", "2026-10-05 10:00:00", "answered", 20, 300, "c1"),  # P1's call
        ("K2", "2026-10-06 12:00:00", "answered", 10, 120, "c2"),  # no ticket: own contact
        ("K3", "2026-10-05 09:00:00", "answered", 10, 120, "c3"),  # no ticket: own contact
        ("K4", "2026-10-09 09:50:00", "abandoned", 40, None, "c4"),  # an attempt, no contact
        ("K5", "2026-10-09 10:00:00", "answered", 5, 200, "c4"),  # P2's call
    )
    return {"tickets": tickets, "calls": calls}


@pytest.mark.parametrize("backend", BACKENDS)
def test_calls_stay_in_the_history_when_tickets_have_phone_tickets(backend):
    frames = history_frames()
    res = run(frames, backend, kpis=["repeat_contact_rate", "channel_switch_rate"])
    # tickets with a known customer: P1 T1 T2 P2 T3 = 5.
    # repeats: T2 (c3's call K3 three days before), T3 (c1's contact P1+K1 six days
    # before) → 2/5. P1 is not a repeat of its own call K1, nor P2 of the abandoned K4.
    # (before: calls were dropped because phone tickets exist → T3 only, 1/5)
    check_rate(pick(res, "repeat_contact_rate"), 2, 5)
    # switches: T1 (e-mail, then c2's call K2 two hours later, before the answer) → 1/5
    # (before: 0/5, the call was not in the history)
    check_rate(pick(res, "channel_switch_rate"), 1, 5)
    t = prepared(frames)["tickets"].set_index("ticket_id")
    assert t.loc["T1", "switch_to"] == "phone"
    assert t.loc[["P1", "T1", "T2", "P2", "T3"], "repeat_contact"].tolist() == [0, 0, 1, 0, 1]


def test_linked_pairs_are_reported():
    wb = cm.from_frames(history_frames(), CONFIG, now=NOW)
    p = cm.prepare(wb)
    # P1-K1 and P2-K5 linked by customer and time; K2 K3 answered calls of their own
    assert p.contacts == {
        "tickets": 5,
        "calls_answered": 4,
        "linked_by_id": 0,
        "linked_by_time": 2,
        "contacts": 7,
    }
    calls = p["calls"].set_index("call_id")
    assert calls["linked_ticket"].to_dict() == {"K1": "P1", "K2": None, "K3": None,
                                                "K4": None, "K5": "P2"}  # fmt: skip
    # the data-quality report says so, as a note
    notes = [q for q in wb.quality.problems if q.kind == "contacts_linked"]
    assert len(notes) == 1 and notes[0].severity == "info" and notes[0].count == 2
    assert notes[0].text().startswith("2 phone ticket(s) linked to the answered call")


@pytest.mark.parametrize("backend", BACKENDS)
def test_cost_per_contact_counts_a_phone_ticket_and_its_call_once(backend):
    frames = history_frames()
    frames["costs"] = table(
        "period amount channel",
        ("2026-10", 300.0, "phone"),
        ("2026-10", 400.0, "email"),
    )
    res = run(frames, backend, kpis=["cost_per_contact"])
    # contacts in October: 5 tickets + the answered calls without a ticket (K2, K3) = 7
    # → 700/7 = 100 (before: 5 tickets + 4 answered calls = 9 → 77.78)
    check(pick(res, "cost_per_contact"), 100.0, n=7)
    by = run(frames, backend, kpis=["cost_per_contact"], by=["channel"])
    # phone: P1 P2 + K2 K3 = 4 → 300/4 = 75 (before: 2 + 4 = 6 → 50); email: T1 T2 → 200
    check(pick(by, "cost_per_contact", channel="phone"), 75.0, n=4)
    check(pick(by, "cost_per_contact", channel="email"), 200.0, n=2)


# ---------------------------------------------------------------------------------------
# The linking rule: ids first, then customer and time; one call per ticket
# ---------------------------------------------------------------------------------------


def id_frames(side: str) -> dict[str, pd.DataFrame]:
    """P3 logged 59 min after its call K7 (far outside the time window), K7's caller
    unknown: only an id can link them, given by the ticket or by the call."""
    tickets = table(
        "ticket_id created_at channel customer_id",
        ("P3", "2026-10-14 11:00", "phone", "c5"),
    )
    calls = table(
        "call_id arrived_at outcome wait_s talk_s customer_id",
        ("K7", "2026-10-14 10:00", "answered", 10, 60, None),
        ("K8", "2026-10-14 10:30", "answered", 10, 60, "c5"),  # c5 again, 30 min before P3
    )
    if side == "ticket":
        tickets["call_id"] = ["K7"]
    else:
        calls["ticket_id"] = ["P3", None]
    return {"tickets": tickets, "calls": calls}


@pytest.mark.parametrize("side", ["ticket", "call"])
@pytest.mark.parametrize("backend", BACKENDS)
def test_link_by_id(backend, side):
    frames = id_frames(side)
    p = prepared(frames)
    assert p.contacts["linked_by_id"] == 1 and p.contacts["linked_by_time"] == 0
    assert p["calls"].set_index("call_id")["linked_ticket"].to_dict() == {"K7": "P3", "K8": None}
    frames["costs"] = table("period amount", ("2026-10", 90.0))
    res = run(frames, backend, kpis=["cost_per_contact", "repeat_contact_rate"])
    # contacts: P3 (with K7) and K8 → 90/2 = 45; P3's contact began at K7's arrival
    # (10:00), before K8 (10:30): P3 is c5's first contact, not a repeat → 0/1
    check(pick(res, "cost_per_contact"), 45.0, n=2)
    check_rate(pick(res, "repeat_contact_rate"), 0, 1)


def window_frames() -> dict[str, pd.DataFrame]:
    tickets = table(
        "ticket_id created_at channel customer_id",
        # K9 ends 10:00 + 0 s wait + 60 s talk = 10:01:00; P5 is logged 3 min later
        ("P5", "2026-10-15 10:04:00", "phone", "c6"),
        # one call, two phone tickets in the window: the nearer one (P6, 30 s after the
        # call's end, against P7's 120 s) is the call's ticket; P7 is a contact of its own
        ("P6", "2026-10-16 10:01:30", "phone", "c7"),
        ("P7", "2026-10-16 10:03:00", "phone", "c7"),
    )
    calls = table(
        "call_id arrived_at outcome wait_s talk_s customer_id",
        ("K9", "2026-10-15 10:00", "answered", 0, 60, "c6"),
        ("K10", "2026-10-16 10:00", "answered", 0, 60, "c7"),
    )
    return {"tickets": tickets, "calls": calls}


@pytest.mark.parametrize("backend", BACKENDS)
def test_link_by_customer_within_the_configured_window(backend):
    frames = window_frames()
    res = run(frames, backend, kpis=["repeat_contact_rate"])
    # default 300 s: P5-K9 and P6-K10 linked; P7 repeats c7's contact P6 → 1/3
    check_rate(pick(res, "repeat_contact_rate"), 1, 3)
    p = prepared(frames)
    assert p["calls"].set_index("call_id")["linked_ticket"].to_dict() == {"K9": "P5", "K10": "P6"}
    assert p.contacts["linked_by_time"] == 2
    # 60 s: P5 (180 s after K9) is no longer K9's ticket, so it repeats that call; P6
    # (30 s) stays linked → P5 and P7 repeats → 2/3
    narrow = {"thresholds": {"contact_link_s": 60}}
    res = run(frames, backend, kpis=["repeat_contact_rate"], config=narrow)
    check_rate(pick(res, "repeat_contact_rate"), 2, 3)
    assert prepared(frames, narrow).contacts["linked_by_time"] == 1


def test_link_ignores_row_order():
    frames = window_frames()
    reverse = {name: df.iloc[::-1].reset_index(drop=True) for name, df in frames.items()}
    a = prepared(frames)["calls"].set_index("call_id")["linked_ticket"].to_dict()
    b = prepared(reverse)["calls"].set_index("call_id")["linked_ticket"].to_dict()
    assert a == b == {"K9": "P5", "K10": "P6"}


def test_prepare_twice_reports_the_links_once():
    wb = cm.from_frames(history_frames(), CONFIG, now=NOW)
    cm.prepare(wb)
    cm.prepare(wb)
    assert [q.count for q in wb.quality.problems if q.kind == "contacts_linked"] == [2]
