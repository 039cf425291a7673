"""Every public KPI on a small table whose answer was worked out by hand.

Expected numbers are literals with the arithmetic in a comment; proportions are checked
against statsmodels' Wilson interval (an independent implementation), NPS against the
interval formula of DESIGN.md. Times in the tables are local (Europe/Lisbon), as a
help-desk export would give them; the as-of time is 2026-10-31 23:59 local.

Calendar facts used below: 2026-10-01 is a Thursday; 2026-10-05 (Monday) is a public
holiday in Portugal; Lisbon's clocks go back on Sunday 2026-10-25 (02:00 WEST -> 01:00
WET) and forward on Sunday 2026-03-29 (01:00 WET -> 02:00 WEST).
"""

from __future__ import annotations

import math
import statistics

import pandas as pd
import pytest
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint

import csmetrics as cm
from csmetrics.kpis import compute, public_kpis
from csmetrics.stats import (
    erlang_agents_required,
    erlang_c,
    erlang_service_level,
    nps_interval,
    wilson_interval,
)

CONFIG = {
    "timezone": "Europe/Lisbon",
    "as_of": "2026-10-31T23:59",
    "calendar": {"country": "PT"},
}
NOW = pd.Timestamp("2026-11-23", tz="UTC")


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def covers(*ids: str):
    """Mark the KPI ids a test checks by hand (read by test_every_public_kpi_is_covered)."""

    def mark(fn):
        fn.kpis_covered = ids
        return fn

    return mark


def table(columns: str, *rows: tuple) -> pd.DataFrame:
    """A small frame: ``table("a b", (1, 2), (3, 4))``."""
    return pd.DataFrame(list(rows), columns=columns.split())


def prepared(frames: dict[str, pd.DataFrame], config: dict | None = None):
    cfg = {**CONFIG, **(config or {})}
    return cm.prepare(cm.from_frames(frames, cfg, now=NOW))


def run(frames, period="2026-10", kpis=None, by=(), config=None) -> pd.DataFrame:
    return compute(prepared(frames, config), period, by=by, kpis=kpis)


def pick(res: pd.DataFrame, kpi: str, **groups) -> pd.Series:
    """The single result row of ``kpi`` (in the given groups)."""
    sel = res["kpi"] == kpi
    for col, value in groups.items():
        sel &= res[col] == value
    rows = res[sel]
    assert len(rows) == 1, f"{kpi} {groups}: {len(rows)} rows\n{res[res['kpi'] == kpi]}"
    return rows.iloc[0]


def wilson(k: int, n: int) -> tuple[float, float]:
    """Reference Wilson 95% interval (statsmodels, not csmetrics)."""
    return proportion_confint(k, n, alpha=0.05, method="wilson")


def check(
    r: pd.Series,
    value: float,
    n: float | None = None,
    ci: tuple[float, float] | None = None,
    excluded: int | None = None,
) -> None:
    assert bool(r["available"]), r["note"]
    if math.isnan(value):
        assert math.isnan(r["value"]), r["value"]
    else:
        assert r["value"] == pytest.approx(value, rel=1e-9, abs=1e-12)
    if n is not None:
        assert r["n"] == n
    if ci is not None:
        assert r["ci_low"] == pytest.approx(ci[0], rel=1e-6, abs=1e-9)
        assert r["ci_high"] == pytest.approx(ci[1], rel=1e-6, abs=1e-9)
    if excluded is not None:
        assert r["excluded"] == excluded


def check_rate(r: pd.Series, k: int, n: int, excluded: int | None = None) -> None:
    """A proportion k/n with its Wilson interval."""
    check(r, k / n, n, wilson(k, n), excluded)


def t_interval(values: list[float], floor: float | None = None) -> tuple[float, float]:
    """mean ± t(0.975, n-1) · s/√n, by the textbook formula; a lower end below ``floor``
    (0 for durations, which are never negative) is raised to it."""
    m, s, n = statistics.mean(values), statistics.stdev(values), len(values)
    half = sps.t.ppf(0.975, n - 1) * s / math.sqrt(n)
    return (m - half if floor is None else max(m - half, floor), m + half)


def empty_or_nan(r: pd.Series) -> None:
    assert bool(r["available"]), r["note"]
    assert math.isnan(r["value"])
    assert r["n"] == 0


# ---------------------------------------------------------------------------------------
# Fixture tables (each kept small enough to check by eye)
# ---------------------------------------------------------------------------------------


def volume_tickets() -> pd.DataFrame:
    return table(
        "ticket_id created_at channel is_complaint first_response_at resolved_at",
        ("S1", "2026-09-28 10:00", "email", True, "2026-09-28 11:00", "2026-10-02 10:00"),
        ("A1", "2026-10-05 10:00", "email", True, "2026-10-05 11:00", "2026-10-06 10:00"),
        ("A2", "2026-10-12 10:00", "email", False, None, None),
        ("A3", "2026-10-20 10:00", "chat", True, "2026-10-20 10:30", "2026-11-03 10:00"),
        ("A4", "2026-10-28 10:00", "phone", None, None, None),
        ("N1", "2026-11-02 10:00", "chat", True, "2026-11-02 11:00", "2026-11-02 12:00"),
    )


def fcr_tickets() -> pd.DataFrame:
    return table(
        "ticket_id created_at channel resolved_at agent_replies reopens",
        ("Q1", "2026-10-05 10:00", "email", "2026-10-05 12:00", 1, 0),
        ("Q2", "2026-10-06 10:00", "chat", "2026-10-06 10:20", 0, 0),
        ("Q3", "2026-10-07 10:00", "email", "2026-10-08 10:00", 2, 0),
        ("Q4", "2026-10-08 10:00", "email", "2026-10-20 10:00", 1, 2),
        ("Q5", "2026-10-09 10:00", "chat", None, 1, 0),
        ("Q6", "2026-10-30 10:00", "email", "2026-11-02 10:00", 1, 0),
        ("P1", "2026-09-15 10:00", "email", None, 0, 0),
        ("P2", "2026-09-20 10:00", "chat", "2026-10-03 10:00", 3, 1),
    )


def ops_frames() -> dict[str, pd.DataFrame]:
    """Tickets, calls, staffing, costs and finance for the cost and staffing KPIs."""
    tickets = table(
        "ticket_id created_at channel resolved_at handle_time_s agent_id",
        ("O0", "2026-09-30 10:00", "email", "2026-10-01 10:00", 3600, "a1"),
        ("O1", "2026-10-06 10:00", "email", "2026-10-06 12:00", 1800, "a1"),
        ("O2", "2026-10-07 10:00", "email", "2026-10-08 10:00", 1200, "a2"),
        ("O3", "2026-10-08 10:00", "chat", None, 600, "a2"),
        ("O4", "2026-10-09 10:00", "phone", "2026-10-09 10:30", 900, "a1"),
    )
    calls = table(
        "call_id arrived_at outcome wait_s talk_s hold_s wrap_s agent_id",
        ("K1", "2026-10-06 11:00", "answered", 10, 600, None, 120, "a1"),
        ("K2", "2026-10-07 11:00", "answered", 5, 1500, 300, None, "a1"),
        ("K3", "2026-10-08 11:00", "abandoned", 30, None, None, None, None),
    )
    staffing = table(
        "period agent_id staffed_hours hourly_cost",
        ("2026-10", "a1", 160.0, 20.0),
        ("2026-10", "a2", 80.0, 20.0),
        ("2026-09", "a1", 150.0, 20.0),
    )
    costs = table(
        "period amount category channel",
        ("2026-10", 1000.0, "staff", "email"),
        ("2026-10", 200.0, "tools", None),
        ("2026-10", 300.0, "outsourcing", "phone"),
        ("2026-09", 900.0, "staff", "email"),
    )
    finance = table(
        "period revenue active_customers",
        ("2026-10", 30000.0, 2000.0),
        ("2026-09", 28000.0, 1900.0),
    )
    return {
        "tickets": tickets,
        "calls": calls,
        "staffing": staffing,
        "costs": costs,
        "finance": finance,
    }


def call_table() -> pd.DataFrame:
    return table(
        "call_id arrived_at outcome wait_s talk_s hold_s wrap_s",
        ("C0", "2026-09-30 10:00", "answered", 100, 500, None, None),
        ("C1", "2026-10-05 10:00", "answered", 10, 100, 10, 20),
        ("C2", "2026-10-05 11:00", "answered", 20, 200, None, 30),
        ("C3", "2026-10-05 12:00", "answered", 21, 300, None, None),
        ("C4", "2026-10-06 10:00", "abandoned", 3, None, None, None),
        ("C5", "2026-10-06 11:00", "abandoned", 5, None, None, None),
        ("C6", "2026-10-06 12:00", "abandoned", 40, None, None, None),
        ("C7", "2026-10-07 10:00", "other", 0, None, None, None),
        ("C8", "2026-10-07 11:00", "answered", 15, None, None, None),
    )


def survey_table() -> pd.DataFrame:
    rows = [
        ("V1", "csat", "2026-10-05 10:00", 5, "2026-10-05 12:00"),
        ("V2", "csat", "2026-10-06 10:00", 4, "2026-10-06 12:00"),
        ("V3", "csat", "2026-10-07 10:00", 3, "2026-10-07 12:00"),
        ("V4", "csat", "2026-10-08 10:00", 5, "2026-10-08 12:00"),
        ("V5", "csat", "2026-10-09 10:00", 1, "2026-10-09 12:00"),
        ("V6", "csat", "2026-09-29 10:00", 4, "2026-10-01 12:00"),  # sent Sep, answered Oct
        ("V7", "csat", "2026-10-10 10:00", 6, "2026-10-10 12:00"),  # out of the 1-5 scale
        ("V8", "csat", "2026-10-11 10:00", None, None),
    ]
    for i, score in enumerate([10, 9, 9, 8, 7, 6, 0, 10]):
        day = 12 + i
        rows.append((f"P{i}", "nps", f"2026-10-{day} 10:00", score, f"2026-10-{day} 15:00"))
    for i, score in enumerate([2, 3, 7, None]):
        day = 20 + i
        answered = None if score is None else f"2026-10-{day} 15:00"
        rows.append((f"E{i}", "ces", f"2026-10-{day} 10:00", score, answered))
    return table("survey_id metric sent_at score answered_at", *rows)


def incident_table() -> pd.DataFrame:
    return table(
        "incident_id started_at detected_at resolved_at",
        ("I1", "2026-09-20 00:00", "2026-09-20 01:00", "2026-09-20 02:00"),
        ("I2", "2026-10-02 00:00", "2026-10-02 00:30", "2026-10-02 04:00"),
        ("I3", "2026-10-12 00:00", "2026-10-12 01:30", "2026-10-12 08:00"),
        ("I4", "2026-10-26 00:00", "2026-10-25 23:00", "2026-10-26 03:00"),
        ("I5", "2026-11-03 00:00", "2026-11-03 01:00", "2026-11-03 02:00"),
    )


def customer_table() -> pd.DataFrame:
    return table(
        "customer_id since until",
        ("K1", "2025-01-01 00:00", None),
        ("K2", "2026-03-01 00:00", "2026-10-15 00:00"),
        ("K3", "2026-10-10 00:00", None),
        ("K4", "2026-10-05 00:00", "2026-10-20 00:00"),
        ("K5", "2025-06-01 00:00", "2026-09-10 00:00"),
        ("K6", "2026-11-05 00:00", None),
        ("K7", "2025-02-01 00:00", "2026-11-10 00:00"),
    )


# ---------------------------------------------------------------------------------------
# Effectiveness: volumes, first response, resolution
# ---------------------------------------------------------------------------------------


@covers(
    "tickets_created",
    "complaints_received",
    "tickets_resolved",
    "unanswered_tickets",
    "channel_share",
    "tickets_per_1000_customers",
)
def test_volumes_and_period_membership():
    finance = table("period active_customers", ("2026-10", 2000.0), ("2026-09", 1900.0))
    frames = {"tickets": volume_tickets(), "finance": finance}
    res = run(frames)
    # created in October: A1 A2 A3 A4 (S1 was created in September, N1 in November)
    check(pick(res, "tickets_created"), 4, n=4)
    # complaints: A1 and A3 (A2 is not one, A4 unknown)
    check(pick(res, "complaints_received"), 2)
    # resolved in October: S1 (created in September) and A1; A3 was resolved in November
    check(pick(res, "tickets_resolved"), 2, n=2)
    # no first response: A2 and A4
    check(pick(res, "unanswered_tickets"), 2)
    # 4 tickets / 2000 active customers × 1000 = 2.0
    check(pick(res, "tickets_per_1000_customers"), 2.0, n=2000)
    # channel mix: email 2 of 4, chat 1 of 4, phone 1 of 4
    check_rate(pick(res, "channel_share", channel="email"), 2, 4)
    check_rate(pick(res, "channel_share", channel="chat"), 1, 4)
    check_rate(pick(res, "channel_share", channel="phone"), 1, 4)

    sep = run(frames, "2026-09")
    check(pick(sep, "tickets_created"), 1)  # S1 only
    check(pick(sep, "tickets_resolved"), 0)  # S1 was resolved on 2 Oct
    check(pick(sep, "tickets_per_1000_customers"), 1 / 1900 * 1000, n=1900)
    nov = run(frames, "2026-11", kpis=["tickets_created", "tickets_resolved"])
    check(pick(nov, "tickets_created"), 1)  # N1
    check(pick(nov, "tickets_resolved"), 2)  # A3 and N1


@covers("frt_median_h", "frt_p90_h", "frt_mean_h")
def test_first_response_times_with_tie_at_the_median():
    tickets = table(
        "ticket_id created_at channel first_response_at",
        ("F1", "2026-10-05 09:00", "email", "2026-10-05 10:00"),  # 1 h
        ("F2", "2026-10-06 09:00", "email", "2026-10-06 11:00"),  # 2 h
        ("F3", "2026-10-07 09:00", "email", "2026-10-07 11:00"),  # 2 h
        ("F4", "2026-10-08 09:00", "email", "2026-10-08 13:00"),  # 4 h
        ("F5", "2026-10-09 09:00", "email", "2026-10-09 19:00"),  # 10 h
        ("F6", "2026-10-12 09:00", "email", None),  # no response: not in FRT
        ("F7", "2026-10-13 09:00", "email", "2026-10-13 08:00"),  # before creation: flagged
    )
    res = run({"tickets": tickets})
    # sorted 1 2 2 4 10: the middle value is 2 (a tie at the median)
    # with n = 5 the distribution-free 95% interval is the whole range [x(1), x(5)]
    check(pick(res, "frt_median_h"), 2.0, n=5, ci=(1.0, 10.0), excluded=1)
    # linear interpolation: rank (5-1)·0.9 = 3.6 → 4 + 0.6·(10-4) = 7.6;
    # order-statistic ranks from Binomial(5, 0.9) 2.5% and 97.5% quantiles: 3 and 5 → [2, 10]
    check(pick(res, "frt_p90_h"), 7.6, n=5, ci=(2.0, 10.0), excluded=1)
    # mean (1+2+2+4+10)/5 = 3.8, t interval with s² = 52.8/4 = 13.2
    check(pick(res, "frt_mean_h"), 3.8, n=5, ci=t_interval([1, 2, 2, 4, 10], 0), excluded=1)
    assert t_interval([1, 2, 2, 4, 10])[1] == pytest.approx(3.8 + 2.7764451 * math.sqrt(2.64))
    # F6 is unanswered; F7 was answered (its time is only inconsistent)
    check(pick(run({"tickets": tickets}, kpis=["unanswered_tickets"]), "unanswered_tickets"), 1)


@covers("frt_business_median_h")
def test_frt_business_hours_public_holiday_and_dst_weekend():
    # default business hours Mon-Fri 09:00-17:00; PT public holidays
    tickets = table(
        "ticket_id created_at channel first_response_at",
        # Fri 2 Oct 16:00 → Tue 6 Oct 10:00: Fri 16-17 (1 h) + Mon 5 Oct holiday (0 h)
        # + Tue 09-10 (1 h) = 2 h (it would be 10 h without the holiday)
        ("B1", "2026-10-02 16:00", "email", "2026-10-06 10:00"),
        # Fri 23 Oct 16:00 → Mon 26 Oct 10:00, over the weekend the clocks go back:
        # 1 h + 1 h = 2 h of business time; 67 h of calendar time (64 h wall clock + 1 h)
        ("B2", "2026-10-23 16:00", "chat", "2026-10-26 10:00"),
        # Wed 7 Oct 10:00 → 13:00: 3 h
        ("B3", "2026-10-07 10:00", "phone", "2026-10-07 13:00"),
        # Sat 10 Oct 10:00 → 12:00: closed all the time, 0 h
        ("B4", "2026-10-10 10:00", "web", "2026-10-10 12:00"),
    )
    res = run({"tickets": tickets}, by=["channel"])
    check(pick(res, "frt_business_median_h", channel="email"), 2.0, n=1)
    check(pick(res, "frt_business_median_h", channel="chat"), 2.0, n=1)
    check(pick(res, "frt_business_median_h", channel="phone"), 3.0, n=1)
    check(pick(res, "frt_business_median_h", channel="web"), 0.0, n=1)
    # calendar time for the same tickets: Fri 16:00 WEST (15:00 UTC) → Tue 10:00 WEST = 90 h;
    # Fri 16:00 WEST (15:00 UTC) → Mon 10:00 WET (10:00 UTC) = 67 h
    check(pick(res, "frt_median_h", channel="email"), 90.0)
    check(pick(res, "frt_median_h", channel="chat"), 67.0)
    # all four: sorted 0 2 2 3 → median (2+2)/2 = 2
    check(pick(run({"tickets": tickets}), "frt_business_median_h"), 2.0, n=4)


def test_business_hours_across_a_dst_change_inside_the_open_span():
    # open all Sunday, so the DST change (at 01:00-02:00) falls inside business hours
    config = {"calendar": {"country": "PT", "business_hours": {"sun": "00:00-24:00"}}}
    tickets = table(
        "ticket_id created_at channel first_response_at",
        # Sun 25 Oct 00:30 WEST (23:30 UTC the day before) → 03:00 WET (03:00 UTC):
        # 3.5 h really elapsed (01:00-02:00 happens twice), 2.5 h on the wall clock
        ("D1", "2026-10-25 00:30", "email", "2026-10-25 03:00"),
        # Sun 29 Mar 00:30 WET (00:30 UTC) → 03:00 WEST (02:00 UTC): 1.5 h elapsed
        ("D2", "2026-03-29 00:30", "email", "2026-03-29 03:00"),
    )
    oct_ = run({"tickets": tickets}, "2026-10", config=config)
    check(pick(oct_, "frt_business_median_h"), 3.5, n=1)
    check(pick(oct_, "frt_median_h"), 3.5, n=1)
    mar = run({"tickets": tickets}, "2026-03", config=config)
    check(pick(mar, "frt_business_median_h"), 1.5, n=1)
    check(pick(mar, "frt_median_h"), 1.5, n=1)


@covers("resolution_median_h", "resolution_p90_h", "resolution_mean_h")
def test_resolution_times_membership_dst_and_quality_flag():
    tickets = table(
        "ticket_id created_at channel resolved_at",
        ("R1", "2026-09-28 10:00", "email", "2026-10-01 10:00"),  # 72 h, created in Sept
        ("R2", "2026-10-05 10:00", "email", "2026-10-05 13:00"),  # 3 h
        ("R3", "2026-10-06 10:00", "email", "2026-10-06 15:00"),  # 5 h
        ("R4", "2026-10-07 10:00", "email", "2026-10-07 15:00"),  # 5 h
        ("R5", "2026-10-24 12:00", "email", "2026-10-25 12:00"),  # 25 h (clocks go back)
        ("R6", "2026-10-28 10:00", "email", "2026-11-02 10:00"),  # resolved in November
        ("R7", "2026-10-20 10:00", "email", "2026-10-19 10:00"),  # resolved before created
    )
    res = run({"tickets": tickets})
    values = [72, 3, 5, 5, 25]  # resolved in October, R7 left out (flagged)
    # sorted 3 5 5 25 72 → median 5 (tie); interval with n = 5 is [min, max]
    check(pick(res, "resolution_median_h"), 5.0, n=5, ci=(3.0, 72.0), excluded=1)
    # rank 4·0.9 = 3.6 → 25 + 0.6·(72-25) = 53.2
    check(pick(res, "resolution_p90_h"), 53.2, n=5, ci=(5.0, 72.0), excluded=1)
    # (72+3+5+5+25)/5 = 110/5 = 22
    check(pick(res, "resolution_mean_h"), 22.0, n=5, ci=t_interval(values, 0), excluded=1)
    # R7 still counts as a ticket created in October (R2..R7 = 6), R1 does not
    check(pick(res, "tickets_created"), 6)
    # R1..R5 and R7 were resolved in October (R7's time is inconsistent, not missing)
    check(pick(res, "tickets_resolved"), 6)
    # September: R1 created there, nothing resolved
    sep = run({"tickets": tickets}, "2026-09")
    empty_or_nan(pick(sep, "resolution_median_h"))
    check(pick(sep, "tickets_created"), 1)
    # November: R6 alone, 5 days = 120 h (both ends in WET)
    check(pick(run({"tickets": tickets}, "2026-11"), "resolution_median_h"), 120.0, n=1)


@covers("resolution_km_median_h")
def test_kaplan_meier_median_with_censoring():
    tickets = table(
        "ticket_id created_at channel resolved_at",
        ("K1", "2026-10-05 10:00", "email", "2026-10-05 12:00"),  # event at 2 h
        ("K2", "2026-10-06 10:00", "email", "2026-10-06 14:00"),  # event at 4 h
        ("K3", "2026-10-07 10:00", "email", "2026-10-07 16:00"),  # event at 6 h
        ("K4", "2026-10-20 10:00", "email", None),  # open: censored at the cutoff
        ("K5", "2026-10-21 10:00", "email", "2026-11-05 10:00"),  # censored at the cutoff
        ("K6", "2026-10-31 23:00", "email", None),  # censored after 59 min
        ("K7", "2026-10-22 10:00", "email", "2026-10-22 09:00"),  # flagged: left out
    )
    res = run({"tickets": tickets}, kpis=["resolution_km_median_h", "resolution_median_h"])
    # K6 leaves the risk set at 0.98 h; then S(2) = 4/5 = 0.8, S(4) = 0.8·3/4 = 0.6,
    # S(6) = 0.6·2/3 = 0.4 < 0.5 → median 6 h, over K1..K6 (n = 6)
    r = pick(res, "resolution_km_median_h")
    check(r, 6.0, n=6, excluded=1)
    assert math.isnan(r["ci_low"]) or r["ci_low"] <= 6.0 <= r["ci_high"]
    # ignoring the open tickets (the usual median of resolved ones) gives a biased 4 h
    check(pick(res, "resolution_median_h"), 4.0, n=3)

    # more than half still open: S never goes below 0.5 → NaN with a note
    half_open = table(
        "ticket_id created_at channel resolved_at",
        ("H1", "2026-10-05 10:00", "email", "2026-10-05 12:00"),  # S(2) = 2/3
        ("H2", "2026-10-06 10:00", "email", None),
        ("H3", "2026-10-07 10:00", "email", None),
    )
    r = pick(run({"tickets": half_open}), "resolution_km_median_h")
    assert bool(r["available"]) and math.isnan(r["value"]) and r["n"] == 3
    assert "median not reached" in r["note"]


@covers("fcr_rate", "reopen_rate", "unresolved_rate", "backlog_open")
def test_fcr_reopen_unresolved_backlog():
    res = run({"tickets": fcr_tickets()})
    # FCR: created in Oct Q1..Q6; ≤1 reply, no reopen and resolved: Q1, Q2, Q6
    # (Q3 two replies, Q4 reopened twice, Q5 never resolved) → 3/6
    check_rate(pick(res, "fcr_rate"), 3, 6)
    # resolved in Oct: Q1 Q2 Q3 Q4 P2; reopened: Q4 (twice, counted once) and P2 → 2/5
    check_rate(pick(res, "reopen_rate"), 2, 5)
    # created in Oct and not resolved by 31 Oct 23:59: Q5 (open), Q6 (resolved 2 Nov) → 2/6
    check_rate(pick(res, "unresolved_rate"), 2, 6)
    # open at the cutoff: P1, Q5, Q6, out of the 8 tickets created by then
    check(pick(res, "backlog_open"), 3, n=8)

    sep = run({"tickets": fcr_tickets()}, "2026-09")
    # P1 open, P2 resolved 3 Oct, i.e. after September's end → 2/2
    check_rate(pick(sep, "unresolved_rate"), 2, 2)
    check(pick(sep, "backlog_open"), 2, n=2)
    # P1 never resolved, P2 three replies → 0/2
    check_rate(pick(sep, "fcr_rate"), 0, 2)


def test_all_tickets_open():
    tickets = table(
        "ticket_id created_at channel first_response_at resolved_at agent_replies",
        ("O1", "2026-10-05 10:00", "email", None, None, 0),
        ("O2", "2026-10-06 10:00", "chat", None, None, 0),
        ("O3", "2026-10-07 10:00", "email", None, None, 0),
        ("O0", "2026-09-07 10:00", "email", None, None, 0),
    )
    res = run({"tickets": tickets})
    for kpi in ("resolution_median_h", "resolution_p90_h", "resolution_mean_h"):
        empty_or_nan(pick(res, kpi))
    for kpi in ("frt_median_h", "frt_p90_h", "frt_mean_h", "frt_business_median_h"):
        empty_or_nan(pick(res, kpi))
    km = pick(res, "resolution_km_median_h")
    assert bool(km["available"]) and math.isnan(km["value"]) and km["n"] == 3
    assert km["note"]  # says why there is no value
    check_rate(pick(res, "unresolved_rate"), 3, 3)  # 3 of 3 open → 1
    check(pick(res, "backlog_open"), 4, n=4)  # O0..O3 all open at the cutoff
    check(pick(res, "tickets_resolved"), 0)
    check(pick(res, "unanswered_tickets"), 3)
    check_rate(pick(res, "fcr_rate"), 0, 3)  # nothing resolved → no FCR


def test_default_as_of_is_the_latest_timestamp():
    tickets = table(
        "ticket_id created_at channel resolved_at",
        ("A", "2026-10-05 10:00", "email", "2026-10-05 12:00"),  # 2 h
        ("B", "2026-10-06 10:00", "email", "2026-10-20 10:00"),  # 14 days = 336 h
    )
    # no as_of: the latest timestamp (B's resolution, 20 Oct 10:00) is the as-of time,
    # and B is resolved by then → nothing open
    res = run({"tickets": tickets}, config={"as_of": None})
    check(pick(res, "backlog_open"), 0, n=2)
    check_rate(pick(res, "unresolved_rate"), 0, 2)
    # KM: S = 1/2 exactly from 2 h to 336 h → the midpoint, 169 h (R survival's
    # convention; without open tickets it is the sample median of 2 and 336)
    check(pick(res, "resolution_km_median_h"), 169.0, n=2)


@covers("repeat_contact_rate")
def test_repeat_contact_rate():
    tickets = table(
        "ticket_id created_at channel customer_id",
        ("T1", "2026-10-01 10:00", "email", "c1"),  # first contact of c1 → 0
        ("T2", "2026-10-05 10:00", "chat", "c1"),  # 4 days after T1 → 1
        ("T3", "2026-10-20 10:00", "email", "c1"),  # 15 days after T2 → 0
        ("T4", "2026-10-10 10:00", "email", "c2"),  # c2 called on 8 Oct → 1
        ("T5", "2026-09-28 10:00", "email", "c3"),  # September
        ("T6", "2026-10-03 10:00", "chat", "c3"),  # 5 days after T5 → 1
        ("T7", "2026-10-12 10:00", "email", "c4"),  # → 0
        ("T8", "2026-10-19 10:00", "email", "c4"),  # exactly 7 days after T7 → 1
        ("T9", "2026-10-15 10:00", "email", None),  # unknown customer: left out
    )
    calls = table(
        "call_id arrived_at outcome wait_s customer_id",
        ("X1", "2026-10-08 10:00", "answered", 10, "c2"),
    )
    res = run({"tickets": tickets, "calls": calls}, kpis=["repeat_contact_rate"])
    # known customers in October: T1 T2 T3 T4 T6 T7 T8 = 7; repeats T2 T4 T6 T8 → 4/7
    check_rate(pick(res, "repeat_contact_rate"), 4, 7)


@covers("sla_attainment")
def test_sla_attainment():
    config = {"sla_first_response_h": {"high": 4, "normal": 8}}
    tickets = table(
        "ticket_id created_at channel priority first_response_at",
        ("L1", "2026-10-05 10:00", "email", "high", "2026-10-05 13:00"),  # 3 h ≤ 4: met
        ("L2", "2026-10-06 10:00", "email", "high", "2026-10-06 14:00"),  # exactly 4 h: met
        ("L3", "2026-10-07 10:00", "email", "normal", "2026-10-07 19:00"),  # 9 h > 8: missed
        ("L4", "2026-10-08 10:00", "email", "normal", None),  # unanswered, long overdue
        ("L5", "2026-10-31 23:00", "email", "high", None),  # 59 min old: not yet due
        ("L6", "2026-10-09 10:00", "email", "low", "2026-10-09 11:00"),  # no target for low
        ("L7", "2026-10-12 10:00", "email", "high", "2026-10-12 09:00"),  # flagged
    )
    res = run({"tickets": tickets}, kpis=["sla_attainment"], config=config)
    # met L1 L2; missed L3 L4 → 2/4; L7 left out and counted as excluded
    check_rate(pick(res, "sla_attainment"), 2, 4, excluded=1)


@covers("conversion_rate")
def test_conversion_rate():
    tickets = table(
        "ticket_id created_at channel converted",
        ("V1", "2026-10-05 10:00", "email", True),
        ("V2", "2026-10-06 10:00", "email", False),
        ("V3", "2026-10-07 10:00", "chat", True),
        ("V4", "2026-10-08 10:00", "chat", None),  # unknown: left out
        ("V0", "2026-09-08 10:00", "chat", False),  # September
    )
    res = run({"tickets": tickets}, kpis=["conversion_rate"])
    check_rate(pick(res, "conversion_rate"), 2, 3)  # V1, V3 of V1..V3


# ---------------------------------------------------------------------------------------
# Calls
# ---------------------------------------------------------------------------------------


@covers(
    "calls_offered",
    "calls_answered",
    "calls_abandoned",
    "abandonment_rate",
    "service_level",
    "asa_s",
    "aht_s",
)
def test_calls_thresholds_and_handle_time():
    config = {"thresholds": {"short_abandon_s": 5, "service_level_s": 20}}
    res = run({"calls": call_table()}, config=config)
    # October: answered C1 C2 C3 C8, abandoned C4 C5 C6, C7 is outcome "other"
    check(pick(res, "calls_offered"), 7)
    check(pick(res, "calls_answered"), 4)
    check(pick(res, "calls_abandoned"), 3)  # the short abandon C4 still counts here
    # C4 waited 3 s < 5 s: out of both; C5 (5 s, not below) and C6 count
    # → 2 / (4 answered + 2 abandoned) = 2/6
    check_rate(pick(res, "abandonment_rate"), 2, 6)
    # within 20 s: C1 (10), C2 (20 = T counts), C8 (15); C3 (21) is late;
    # base: 4 answered + C6 abandoned after 20 s (C4, C5 gave up before T) → 3/5
    check_rate(pick(res, "service_level"), 3, 5)
    # mean wait of answered calls (10+20+21+15)/4 = 16.5
    check(pick(res, "asa_s"), 16.5, n=4, ci=t_interval([10, 20, 21, 15], 0))
    # C1 100+10+20 = 130, C2 200+0+30 = 230, C3 300+0+0 = 300; C8 has no talk time
    # → 660/3 = 220
    check(pick(res, "aht_s"), 220.0, n=3, ci=t_interval([130, 230, 300], 0))
    sep = run({"calls": call_table()}, "2026-09", config=config)
    check(pick(sep, "calls_answered"), 1)  # C0
    check(pick(sep, "asa_s"), 100.0, n=1)


def test_erlang_c_published_example():
    # Call Centre Helper: 100 calls in 30 min, AHT 180 s → 10 Erlangs; 80% in 20 s
    assert erlang_agents_required(100, 1800, 180, 0.8, 20) == 14
    assert float(erlang_c(11, 10.0)) == pytest.approx(0.682, abs=5e-4)  # P(wait) 68.2%
    assert float(erlang_service_level(13, 10.0, 180, 20)) == pytest.approx(0.796, abs=5e-4)
    assert float(erlang_service_level(14, 10.0, 180, 20)) == pytest.approx(0.888, abs=5e-4)
    # textbook formula by hand at N = 11, A = 10:
    # X = A^N/N! · N/(N-A); C = X / (Σ_{k<N} A^k/k! + X)
    a, n = 10.0, 11
    x = a**n / math.factorial(n) * n / (n - a)
    c = x / (sum(a**k / math.factorial(k) for k in range(n)) + x)
    assert float(erlang_c(n, a)) == pytest.approx(c, rel=1e-9)
    # SL = 1 - C·exp(-(N-A)·T/AHT): 1 - 0.6821·e^(-1/9) = 0.3896
    assert float(erlang_service_level(n, a, 180, 20)) == pytest.approx(
        1 - c * math.exp(-(n - a) * 20 / 180), rel=1e-9
    )
    # fewer agents than Erlangs: every call waits, the service level is 0
    assert float(erlang_c(9, 10.0)) == 1.0
    assert float(erlang_service_level(10, 10.0, 180, 20)) == 0.0


@covers("erlang_agents_required")
def test_erlang_agents_required_kpi():
    # Default business hours Mon-Fri 09-17: 5 × 8 = 40 open hour-of-week slots. A slot's
    # calls are averaged over the times it occurs within October and the days the calls
    # cover (Thu 1 Oct → Thu 29 Oct): Wednesday 10h occurs 4 times (7, 14, 21, 28 Oct).
    wednesdays = [7, 14, 21, 28, 7, 14, 21, 28, 7, 14]  # 10 calls in the Wed 10h slot
    rows = [
        (f"W{i}", f"2026-10-{day:02d} 10:{i:02d}", "answered", 5, 180.0)
        for i, day in enumerate(wednesdays)
    ]
    rows.append(("S1", "2026-10-10 11:00", "answered", 5, 180.0))  # Saturday: closed slot
    for i, day in enumerate([1, 8, 15, 22, 29]):  # test calls, Thu 11h: no real arrivals
        rows.append((f"X{i}", f"2026-10-{day:02d} 11:00", "other", 0, None))
    calls = table("call_id arrived_at outcome wait_s talk_s", *rows)
    res = run({"calls": calls}, kpis=["erlang_agents_required"])
    # Wed 10h: 10 calls / 4 = 2.5 calls/h; AHT 180 s → A = 0.125 Erlang; one agent:
    # P(wait) = A = 0.125, SL = 1 - 0.125·e^(-(1-0.125)·20/180) = 0.887 ≥ 0.8 → 1 agent;
    # the 39 other open slots have no calls → 0; mean = 1/40 = 0.025.
    # n: the 11 offered calls (outcome "other" is no arrival)
    check(pick(res, "erlang_agents_required"), 1 / 40, n=11)

    # the published example's traffic in one slot: 800 calls / 4 Wednesdays = 200
    # calls/h × 180 s = 10.0 Erlangs → 14 agents; 14/40 = 0.35 (the calls cover 7 → 28
    # Oct, in which every open slot occurs 3 or 4 times)
    heavy = table(
        "call_id arrived_at outcome wait_s talk_s",
        *[
            (f"H{i}", f"2026-10-{[7, 14, 21, 28][i % 4]:02d} 10:{i % 60:02d}", "answered", 5, 180)
            for i in range(800)
        ],
    )
    heavy_res = run({"calls": heavy}, kpis=["erlang_agents_required"])
    check(pick(heavy_res, "erlang_agents_required"), 14 / 40, n=800)


# ---------------------------------------------------------------------------------------
# Product reliability
# ---------------------------------------------------------------------------------------


@covers("mtbf_h", "mttd_h", "incident_mttr_h")
def test_incident_times():
    res = run({"incidents": incident_table()})
    # gaps ending at a start in October: I1→I2 = 12 days = 288 h; I2→I3 = 240 h;
    # I3→I4 = 14 days + 1 h (clocks went back on 25 Oct) = 337 h → 865/3 = 288.33 h
    # interval for the mean of exponential gaps: 2·n·mean / χ²(0.975 | 0.025, 2n), with
    # χ²(0.975, 6) = 14.449375335 and χ²(0.025, 6) = 1.237344246: 1730 / each
    check(pick(res, "mtbf_h"), 865 / 3, n=3, ci=(1730 / 14.449375335, 1730 / 1.237344246))
    # detection: I2 0.5 h, I3 1.5 h; I4 "detected" before it started: flagged → 1.0;
    # t interval 1 ± 12.706 · 0.7071 / √2 = (-5.35, 7.35): a duration is never negative,
    # so its lower end is 0
    check(pick(res, "mttd_h"), 1.0, n=2, ci=t_interval([0.5, 1.5], 0), excluded=1)
    # restore: I2 4 h, I3 8 h, I4 00:00 → 03:00 = 3 h → 15/3 = 5
    check(pick(res, "incident_mttr_h"), 5.0, n=3, ci=t_interval([4, 8, 3], 0))
    # November: I4→I5 = 8 days = 192 h, the only gap
    nov = run({"incidents": incident_table()}, "2026-11", kpis=["mtbf_h"])
    check(pick(nov, "mtbf_h"), 192.0, n=1)


# ---------------------------------------------------------------------------------------
# Cost and staffing
# ---------------------------------------------------------------------------------------


@covers(
    "staffed_hours",
    "agents_staffed",
    "tickets_resolved_per_staffed_hour",
    "occupancy",
    "total_cost",
    "cost_per_contact",
    "cost_per_resolution",
    "revenue",
    "active_customers",
    "cost_to_revenue",
    "arpu",
)
def test_cost_and_staffing():
    res = run(ops_frames())
    check(pick(res, "staffed_hours"), 240.0, n=2)  # a1 160 + a2 80
    # business hours in October: 22 weekdays - Mon 5 Oct (holiday) = 21 × 8 h = 168 h
    # → 240/168 = 1.4286 agents on average per open hour
    check(pick(res, "agents_staffed"), 240 / 168, n=2)
    # resolved in October: O0 O1 O2 O4 = 4 → 4/240 per staffed hour
    check(pick(res, "tickets_resolved_per_staffed_hour"), 4 / 240, n=240)
    # calls: K1 600+120 = 720 s, K2 1500+300 = 1800 s → 0.7 h; non-phone tickets created in
    # October: O1 1800 + O2 1200 + O3 600 = 3600 s = 1 h (O4 is phone, O0 September)
    # → (0.7 + 1.0)/240 = 0.0070833
    check(pick(res, "occupancy"), 1.7 / 240, n=240)
    check(pick(res, "total_cost"), 1500.0, n=3)  # 1000 + 200 + 300
    # contacts: 4 tickets created + 2 calls answered = 6 → 1500/6 = 250 (no customer ids
    # and no call ids: the phone ticket O4 is linked to no call, K1 and K2 count on their own)
    check(pick(res, "cost_per_contact"), 250.0, n=6)
    check(pick(res, "cost_per_resolution"), 375.0, n=4)  # 1500/4
    check(pick(res, "revenue"), 30000.0)
    check(pick(res, "active_customers"), 2000.0)
    check(pick(res, "cost_to_revenue"), 0.05)  # 1500/30000
    check(pick(res, "arpu"), 15.0, n=2000)  # 30000/2000

    year = run(ops_frames(), "2026", kpis=["revenue", "active_customers", "arpu", "total_cost"])
    check(pick(year, "revenue"), 58000.0)  # 28000 + 30000
    check(pick(year, "active_customers"), 1950.0)  # mean of 1900 and 2000
    check(pick(year, "arpu"), 58000 / 1950)
    check(pick(year, "total_cost"), 2400.0)  # 900 + 1500

    # per agent: a1 resolved O0 O1 O4 = 3 in 160 h; a2 resolved O2 = 1 in 80 h
    by_agent = run(ops_frames(), by=["agent_id"], kpis=["tickets_resolved_per_staffed_hour"])
    check(pick(by_agent, "tickets_resolved_per_staffed_hour", agent_id="a1"), 3 / 160)
    check(pick(by_agent, "tickets_resolved_per_staffed_hour", agent_id="a2"), 1 / 80)

    # per channel: email 1000 / 2 email tickets = 500; phone 300 / (1 phone ticket +
    # 2 calls answered) = 100; chat has contacts but no cost line → no value
    by_channel = run(ops_frames(), by=["channel"], kpis=["cost_per_contact"])
    check(pick(by_channel, "cost_per_contact", channel="email"), 500.0, n=2)
    check(pick(by_channel, "cost_per_contact", channel="phone"), 100.0, n=3)
    assert math.isnan(pick(by_channel, "cost_per_contact", channel="chat")["value"])


def test_agents_staffed_by_month_uses_each_months_hours():
    # one full-time agent: August 2026 has 21 weekdays (15 Aug, a holiday, is a
    # Saturday) = 168 h; September 22 weekdays = 176 h → 1.0 agent in each month
    staffing = table(
        "period agent_id staffed_hours",
        ("2026-08", "a1", 168.0),
        ("2026-09", "a1", 176.0),
    )
    res = run({"staffing": staffing}, "2026-Q3", by=["month"], kpis=["agents_staffed"])
    check(pick(res, "agents_staffed", month="2026-08"), 1.0, n=1)
    check(pick(res, "agents_staffed", month="2026-09"), 1.0, n=1)
    # the quarter as a whole: 344 h over July (23 weekdays = 184 h) + 168 + 176 = 528 h
    q3 = run({"staffing": staffing}, "2026-Q3", kpis=["agents_staffed"])
    check(pick(q3, "agents_staffed"), 344 / 528, n=2)


# ---------------------------------------------------------------------------------------
# Customer experience
# ---------------------------------------------------------------------------------------


@covers("csat_score", "csat_mean", "nps", "ces_mean", "survey_response_rate")
def test_surveys():
    res = run({"surveys": survey_table()})
    # CSAT answered in October: V1..V6 = 5 4 3 5 1 4 (V7's 6 is off the scale: excluded)
    # satisfied (4-5): V1 V2 V4 V6 → 4/6; mean 22/6
    check_rate(pick(res, "csat_score"), 4, 6, excluded=1)
    check(pick(res, "csat_mean"), 22 / 6, n=6, ci=t_interval([5, 4, 3, 5, 1, 4]), excluded=1)
    # NPS 10 9 9 8 7 6 0 10: promoters 4, detractors 2 (6, 0), passives 2 → 100·(4-2)/8 = 25
    # interval 25 ± 1.96·100·sqrt((0.5 + 0.25 - 0.25²)/8) = 25 ± 57.457
    half = 1.959963984540054 * 100 * math.sqrt((0.5 + 0.25 - 0.25**2) / 8)
    check(pick(res, "nps"), 25.0, n=8, ci=(25 - half, 25 + half))
    assert half == pytest.approx(57.457, abs=1e-3)
    # CES 2 3 7 → 4.0
    check(pick(res, "ces_mean"), 4.0, n=3, ci=t_interval([2, 3, 7]))
    # sent in October: 7 CSAT (V1-V5, V7, V8), 8 NPS, 4 CES = 19; answered: 6 + 8 + 3 = 17
    # (V7 did answer, with a bad score; V6 was sent in September)
    check_rate(pick(res, "survey_response_rate"), 17, 19)
    sep = run({"surveys": survey_table()}, "2026-09")
    check_rate(pick(sep, "survey_response_rate"), 1, 1)  # V6
    empty_or_nan(pick(sep, "csat_score"))  # V6 was answered on 1 Oct


def test_surveys_without_answers():
    surveys = table(
        "survey_id metric sent_at score answered_at",
        ("U1", "csat", "2026-10-05 10:00", None, None),
        ("U2", "nps", "2026-10-06 10:00", None, None),
        ("U3", "ces", "2026-10-07 10:00", None, None),
    )
    res = run({"surveys": surveys})
    for kpi in ("csat_score", "csat_mean", "nps", "ces_mean"):
        empty_or_nan(pick(res, kpi))
    check_rate(pick(res, "survey_response_rate"), 0, 3)


def test_nps_interval_formula():
    # p = 0.5, d = 0.2, n = 100: 30 ± 1.96·100·sqrt((0.7 - 0.09)/100) = 30 ± 15.308
    lo, hi = nps_interval(50, 20, 100)
    half = 1.959963984540054 * 100 * math.sqrt(0.61 / 100)
    assert (lo, hi) == pytest.approx((30 - half, 30 + half))
    assert nps_interval(10, 0, 10) == pytest.approx((100.0, 100.0))  # all promoters


@pytest.mark.parametrize(("k", "n"), [(0, 1), (0, 3), (1, 3), (2, 6), (3, 3), (17, 19), (8, 10)])
def test_wilson_interval_matches_statsmodels(k, n):
    assert wilson_interval(k, n) == pytest.approx(wilson(k, n), abs=1e-12)
    lo, hi = wilson_interval(k, n)
    assert lo <= k / n <= hi


@covers("retention_rate", "churn_rate")
def test_retention_and_churn():
    res = run({"customers": customer_table()})
    # start (1 Oct): K1 K2 K7 (K5 left in September, K3 K4 K6 joined later) → 3
    # end (31 Oct 23:59): K1 K3 K7 → 3; acquired in October: K3 K4 → 2; lost: K2 → 1
    # retention = (3 - 2)/3 = 1/3 (the formula's: K4, acquired and lost, lowers it);
    # churn = 1/3
    check_rate(pick(res, "retention_rate"), 1, 3)
    check_rate(pick(res, "churn_rate"), 1, 3)
    # September: start K1 K2 K5 K7 = 4; K5 left 10 Sep; at end K1 K2 K7 = 3; acquired 0
    # → retention 3/4, churn 1/4
    sep = run({"customers": customer_table()}, "2026-09")
    check_rate(pick(sep, "retention_rate"), 3, 4)
    check_rate(pick(sep, "churn_rate"), 1, 4)


# ---------------------------------------------------------------------------------------
# Channels
# ---------------------------------------------------------------------------------------


@covers("channel_switch_rate")
def test_channel_switching_with_calls():
    tickets = table(
        "ticket_id created_at channel customer_id first_response_at",
        ("E1", "2026-10-06 10:00", "email", "s1", "2026-10-07 12:00"),
        ("E2", "2026-10-08 10:00", "email", "s2", "2026-10-08 11:00"),
        ("E3", "2026-10-09 10:00", "email", "s3", None),
        ("H1", "2026-10-12 10:00", "chat", "s4", None),
        ("H2", "2026-10-12 12:00", "chat", "s4", None),
    )
    calls = table(
        "call_id arrived_at outcome wait_s customer_id",
        ("X1", "2026-10-06 15:00", "answered", 10, "s1"),  # 5 h later, unanswered: switch
        ("X2", "2026-10-08 14:00", "answered", 10, "s2"),  # after E2's answer: no switch
        ("X3", "2026-10-11 10:00", "answered", 10, "s3"),  # 48 h > 24 h: no switch
    )
    frames = {"tickets": tickets, "calls": calls}
    res = run(frames, kpis=["channel_switch_rate"])
    # tickets with a known customer: 5; switched: E1 (H1 → H2 is the same channel) → 1/5
    check_rate(pick(res, "channel_switch_rate"), 1, 5)
    by = run(frames, kpis=["channel_switch_rate"], by=["channel"])
    check_rate(pick(by, "channel_switch_rate", channel="email"), 1, 3)
    check_rate(pick(by, "channel_switch_rate", channel="chat"), 0, 2)


def test_channel_switching_with_phone_tickets():
    tickets = table(
        "ticket_id created_at channel customer_id first_response_at",
        ("E1", "2026-10-06 10:00", "email", "s1", "2026-10-07 12:00"),
        ("P1", "2026-10-06 15:00", "phone", "s1", "2026-10-06 15:00"),  # before E1's answer
        ("E2", "2026-10-08 10:00", "email", "s2", "2026-10-08 11:00"),
        ("P2", "2026-10-08 14:00", "phone", "s2", "2026-10-08 14:00"),  # after the answer
    )
    res = run({"tickets": tickets}, kpis=["channel_switch_rate"])
    check_rate(pick(res, "channel_switch_rate"), 1, 4)  # E1 only


# ---------------------------------------------------------------------------------------
# Edge cases across KPIs
# ---------------------------------------------------------------------------------------


def full_frames() -> dict[str, pd.DataFrame]:
    tickets = table(
        "ticket_id created_at channel customer_id first_response_at resolved_at "
        "agent_replies reopens is_complaint converted priority handle_time_s",
        ("T1", "2026-10-05 10:00", "email", "K1", "2026-10-05 11:00", "2026-10-05 12:00",
         1, 0, False, True, "high", 600),
        ("T2", "2026-10-06 10:00", "phone", "K3", "2026-10-06 10:05", None,
         1, 0, True, False, "normal", 300),
    )  # fmt: skip
    return {
        **ops_frames(),
        "tickets": tickets,
        "calls": call_table(),
        "surveys": survey_table(),
        "incidents": incident_table(),
        "customers": customer_table().iloc[[0, 2, 3]],  # K1, K3, K4: all since 2025-01+
    }


COUNTS = {
    "tickets_created",
    "complaints_received",
    "tickets_resolved",
    "unanswered_tickets",
    "backlog_open",
    "calls_offered",
    "calls_answered",
    "calls_abandoned",
}


def test_empty_period_gives_zero_counts_and_nan_measures():
    config = {"sla_first_response_h": {"high": 4, "normal": 8}}
    p = prepared(full_frames(), config)
    res = compute(p, "2024-06")  # before any row
    assert set(public_kpis_ids()) - {"channel_share"} <= set(res["kpi"])
    for _, r in res.iterrows():
        assert bool(r["available"]), (r["kpi"], r["note"])
        if r["kpi"] in COUNTS:
            assert r["value"] == 0, r["kpi"]
        elif r["kpi"] == "channel_share":
            assert math.isnan(r["value"]) or r["value"] in (0, 1)
        else:
            assert math.isnan(r["value"]), (r["kpi"], r["value"])
            assert r["n"] == 0 or r["kpi"] in {"retention_rate", "churn_rate"}, r["kpi"]
    # K1 was a customer since 2025-01; in June 2024 nobody was → no retention base
    empty_or_nan(pick(res, "retention_rate"))
    # grouped, the empty period has no groups and no error either
    grouped = compute(p, "2024-06", by=["channel"])
    assert not grouped[grouped["available"]]["value"].notna().any()


def test_empty_period_on_duckdb_matches():
    p = prepared(full_frames())
    a = compute(p, "2024-06").set_index("kpi")
    b = compute(p, "2024-06", backend="duckdb").set_index("kpi")
    pd.testing.assert_series_equal(a["value"], b["value"])
    pd.testing.assert_series_equal(a["n"], b["n"])


@pytest.mark.parametrize(
    ("kpi", "frames", "needs"),
    [
        ("frt_median_h", "minimal", "first_response_at"),
        ("frt_business_median_h", "minimal", "first_response_at"),
        ("resolution_median_h", "minimal", "resolved_at"),
        ("resolution_km_median_h", "minimal", "resolved_at"),
        ("fcr_rate", "minimal", "agent_replies"),
        ("reopen_rate", "minimal", "reopens"),
        ("complaints_received", "minimal", "is_complaint"),
        ("conversion_rate", "minimal", "converted"),
        ("repeat_contact_rate", "minimal", "customer_id"),
        ("channel_switch_rate", "minimal", "customer_id"),
        ("sla_attainment", "minimal", "priority"),
        ("sla_attainment", "minimal", "sla_first_response_h"),
        ("calls_offered", "minimal", "table calls"),
        ("aht_s", "calls", "talk_s"),
        ("csat_score", "minimal", "table surveys"),
        ("total_cost", "minimal", "table costs"),
        ("cost_per_contact", "minimal", "table costs"),
        ("staffed_hours", "minimal", "table staffing"),
        ("occupancy", "calls", "table staffing"),
        ("revenue", "minimal", "table finance"),
        ("arpu", "minimal", "table finance"),
        ("tickets_per_1000_customers", "minimal", "table finance"),
        ("retention_rate", "minimal", "table customers"),
        ("mtbf_h", "minimal", "table incidents"),
        ("mttd_h", "incidents", "detected_at"),
        ("incident_mttr_h", "incidents", "resolved_at"),
        ("erlang_agents_required", "minimal", "table calls"),
    ],
)
def test_missing_table_or_column_is_not_available(kpi, frames, needs):
    minimal = table("ticket_id created_at channel", ("T1", "2026-10-05 10:00", "email"))
    data = {
        "minimal": {"tickets": minimal},
        "calls": {
            "tickets": minimal,
            "calls": table("call_id arrived_at outcome", ("C1", "2026-10-05 10:00", "answered")),
        },
        "incidents": {"incidents": table("incident_id started_at", ("I1", "2026-10-05 10:00"))},
    }[frames]
    r = pick(run(data, kpis=[kpi]), kpi)
    assert not r["available"]
    assert math.isnan(r["value"])  # never 0
    assert needs in r["note"], r["note"]


def test_grouping_by_a_column_the_table_lacks_is_not_available():
    res = run({"incidents": incident_table()}, by=["channel"], kpis=["mtbf_h"])
    r = pick(res, "mtbf_h")
    assert not r["available"] and "channel" in r["note"]


def test_grouping_by_channel_and_by_month():
    frames = {"tickets": fcr_tickets()}
    by_channel = run(frames, by=["channel"])
    # email: Q1 Q3 Q4 Q6 created in October; FCR Q1 Q6 → 2/4
    check_rate(pick(by_channel, "fcr_rate", channel="email"), 2, 4)
    # chat: Q2 Q5; FCR Q2 → 1/2
    check_rate(pick(by_channel, "fcr_rate", channel="chat"), 1, 2)
    check(pick(by_channel, "tickets_created", channel="email"), 4)
    # backlog at the cutoff by channel: email P1 Q6, chat Q5
    check(pick(by_channel, "backlog_open", channel="email"), 2)
    check(pick(by_channel, "backlog_open", channel="chat"), 1)

    by_month = run(frames, "2026-Q3", by=["month"])  # July-September
    check(pick(by_month, "tickets_created", month="2026-09"), 2)  # P1 P2
    assert not (by_month["month"] == "2026-10").any()
    q4 = run(frames, "2026", by=["month"], kpis=["tickets_created", "tickets_resolved"])
    check(pick(q4, "tickets_created", month="2026-09"), 2)
    check(pick(q4, "tickets_created", month="2026-10"), 6)
    # resolutions group by the month they happened: October Q1 Q2 Q3 Q4 P2; Nov Q6
    check(pick(q4, "tickets_resolved", month="2026-10"), 5)
    check(pick(q4, "tickets_resolved", month="2026-11"), 1)
    # a month group equals the month computed on its own
    alone = run(frames, "2026-10", kpis=["fcr_rate", "reopen_rate"])
    grouped = run(frames, "2026", by=["month"], kpis=["fcr_rate", "reopen_rate"])
    for kpi in ("fcr_rate", "reopen_rate"):
        a, g = pick(alone, kpi), pick(grouped, kpi, month="2026-10")
        assert (a["value"], a["n"]) == (g["value"], g["n"])


def test_quality_flagged_values_are_excluded_but_the_ticket_counts():
    tickets = table(
        "ticket_id created_at channel first_response_at resolved_at",
        ("G1", "2026-10-05 10:00", "email", "2026-10-05 11:00", "2026-10-05 14:00"),  # 4 h
        ("G2", "2026-10-06 10:00", "email", "2026-10-06 09:00", "2026-10-05 10:00"),  # both bad
    )
    res = run({"tickets": tickets})
    check(pick(res, "tickets_created"), 2)  # G2 still counts as created
    check(pick(res, "resolution_median_h"), 4.0, n=1, excluded=1)
    check(pick(res, "resolution_mean_h"), 4.0, n=1, excluded=1)
    check(pick(res, "frt_median_h"), 1.0, n=1, excluded=1)
    # G2 is resolved (only its time is wrong): not open, not unanswered
    check_rate(pick(res, "unresolved_rate"), 0, 2)
    check(pick(res, "backlog_open"), 0)
    check(pick(res, "unanswered_tickets"), 0)


# ---------------------------------------------------------------------------------------
# Coverage of the registry
# ---------------------------------------------------------------------------------------


def public_kpis_ids() -> list[str]:
    return [k.id for k in public_kpis()]


def test_every_public_kpi_is_covered_by_a_hand_test():
    covered = {kpi for fn in list(globals().values()) for kpi in getattr(fn, "kpis_covered", ())}
    assert covered == set(public_kpis_ids())


def test_a_period_parsed_in_another_zone_is_an_error_not_a_shift():
    """A Period is taken as it is only in the data's zone: October parsed in UTC starts
    an hour after Lisbon's October, so it would count other tickets."""
    from csmetrics.periods import Period, PeriodError

    p = prepared({"tickets": volume_tickets()})
    lisbon = Period.parse("2026-10", "Europe/Lisbon")
    check(pick(compute(p, lisbon, kpis=["tickets_created"]), "tickets_created"), 4, n=4)
    with pytest.raises(PeriodError, match=r"parsed in UTC.*Europe/Lisbon"):
        compute(p, Period.parse("2026-10", "UTC"), kpis=["tickets_created"])
    with pytest.raises(PeriodError, match="parsed in UTC"):
        cm.evaluate(p, Period.parse("2026-10", "UTC"))
