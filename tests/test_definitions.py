"""Definitions that hold on every edge: hand-built cases, on pandas and on DuckDB.

Each case is one an earlier definition got wrong (the value it gave is in a comment).
Times are local (Europe/Lisbon); the as-of time is 2026-10-31 23:59 (see test_kpis.py).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from csmetrics.kpis import compute
from csmetrics.kpis.registry import get

from .test_kpis import check, check_rate, customer_table, pick, prepared, table

BACKENDS = ["pandas", "duckdb"]


def run(frames, backend, period="2026-10", kpis=None, by=(), config=None) -> pd.DataFrame:
    return compute(prepared(frames, config), period, by=by, kpis=kpis, backend=backend)


# ---------------------------------------------------------------------------------------
# First-contact resolution: over all tickets created
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_fcr_counts_unresolved_tickets_whatever_their_replies(backend):
    tickets = table(
        "ticket_id created_at channel resolved_at agent_replies",
        ("F1", "2026-10-05 10:00", "email", "2026-10-05 12:00", 1),  # FCR
        ("F2", "2026-10-06 10:00", "email", None, None),  # open, replies blank: not FCR
        ("F3", "2026-10-07 10:00", "email", "2026-10-07 12:00", None),  # resolved, unknown
        ("F4", "2026-10-08 10:00", "email", None, 0),  # open: not FCR
    )
    res = run({"tickets": tickets}, backend, kpis=["fcr_rate"])
    # F1 yes; F2 and F4 no (never resolved); F3 cannot be judged → 1/3
    # (before: F2 was left out with its blank replies → 1/2)
    check_rate(pick(res, "fcr_rate"), 1, 3)


# ---------------------------------------------------------------------------------------
# Erlang C: each weekday-hour averaged over the times it occurs
# ---------------------------------------------------------------------------------------


def erlang_sl(agents: int, erlangs: float, aht: float = 180.0, t: float = 20.0) -> float:
    """Service level by the textbook formula: 1 − C(N, A)·exp(−(N − A)·T/AHT)."""
    x = erlangs**agents / math.factorial(agents) * agents / (agents - erlangs)
    c = x / (sum(erlangs**k / math.factorial(k) for k in range(agents)) + x)
    return 1 - c * math.exp(-(agents - erlangs) * t / aht)


def monday_calls() -> pd.DataFrame:
    """120 calls in the Monday 10h hour of each of June 2026's five Mondays."""
    rows = [
        (f"M{day}-{i}", pd.Timestamp(f"2026-06-{day:02d} 10:00") + pd.Timedelta(seconds=30 * i),
         "answered", 5, 180.0)
        for day in (1, 8, 15, 22, 29)
        for i in range(120)
    ]  # fmt: skip
    return table("call_id arrived_at outcome wait_s talk_s", *rows)


MONDAY_10H = {"calendar": {"country": "PT", "business_hours": {"mon": "10:00-11:00"}}}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("period", ["2026-06", "all"])
def test_erlang_arrivals_per_occurrence_of_the_weekday_hour(backend, period):
    # 120 calls/h × 180 s = 6.0 Erlangs. By the textbook formula 8 agents give a service
    # level below 80 % in 20 s and 9 agents above:
    assert erlang_sl(8, 6.0) < 0.8 <= erlang_sl(9, 6.0)
    res = run({"calls": monday_calls()}, backend, period, kpis=["erlang_agents_required"],
              config=MONDAY_10H)  # fmt: skip
    # the only open hour is Monday 10h → 9 agents. (Before: 600 calls over June's
    # 30/7 = 4.29 weeks = 140 calls/h = 7.0 Erlangs → 10 agents; over the data's span
    # (1 Jun 10:00 → 29 Jun 10:59:30, 4.01 weeks) even 11.)
    assert erlang_sl(9, 7.0) < 0.8 <= erlang_sl(10, 7.0)
    check(pick(res, "erlang_agents_required"), 9.0, n=600)


@pytest.mark.parametrize("backend", BACKENDS)
def test_erlang_by_month_counts_each_months_weekday_hours(backend):
    res = run({"calls": monday_calls()}, backend, "2026-Q2", kpis=["erlang_agents_required"],
              by=["month"], config=MONDAY_10H)  # fmt: skip
    check(pick(res, "erlang_agents_required", month="2026-06"), 9.0, n=600)


def test_erlang_slot_occurrences_follow_the_clock_change():
    from csmetrics.kpis.registry import slot_occurrences

    tz = "Europe/Lisbon"
    start = pd.Timestamp("2026-10-25 00:00", tz=tz).value / 1e9  # Sunday, clocks go back
    end = pd.Timestamp("2026-10-26 00:00", tz=tz).value / 1e9
    occ = slot_occurrences(start, end, tz)
    # 25 hours that day: local 01h happens twice, every other hour once
    assert occ[(6, 1)] == 2.0 and occ[(6, 0)] == 1.0 and occ[(6, 23)] == 1.0
    assert occ.sum() == 25.0
    # a partial hour counts as its share: 09:00 → 09:45 on Monday 26 Oct
    part = slot_occurrences(end + 9 * 3600, end + 9.75 * 3600, tz)
    assert part.to_dict() == {(0, 9): 0.75}


# ---------------------------------------------------------------------------------------
# Kaplan–Meier median: R survival's convention
# ---------------------------------------------------------------------------------------


def km_tickets(events: list[float], censored: list[float] = ()) -> pd.DataFrame:
    """Tickets resolved after ``events`` hours, and open ones whose follow-up at the
    cutoff (31 Oct 23:59) is ``censored`` hours."""
    cutoff = pd.Timestamp("2026-10-31 23:59")
    rows = []
    for i, h in enumerate(events):
        created = pd.Timestamp("2026-10-01 00:00") + pd.Timedelta(hours=i)
        rows.append((f"R{i}", created, "email", created + pd.Timedelta(hours=h)))
    for i, h in enumerate(censored):
        rows.append((f"O{i}", cutoff - pd.Timedelta(hours=h), "email", None))
    return table("ticket_id created_at channel resolved_at", *rows)


@pytest.mark.parametrize("backend", BACKENDS)
def test_km_median_without_censoring_is_the_sample_median(backend):
    res = run({"tickets": km_tickets([10, 20, 30, 40])}, backend,
              kpis=["resolution_km_median_h"])  # fmt: skip
    # S = 0.5 exactly from 20 h to 30 h: the midpoint, 25 h = median(10, 20, 30, 40)
    # (before: the first time S falls below 0.5, 30 h)
    check(pick(res, "resolution_km_median_h"), 25.0, n=4)
    odd = run({"tickets": km_tickets([10, 20, 30])}, backend, kpis=["resolution_km_median_h"])
    check(pick(odd, "resolution_km_median_h"), 20.0, n=3)


@pytest.mark.parametrize("backend", BACKENDS)
def test_km_median_matches_r_published_aml_medians(backend):
    # R survival, survfit(Surv(time, status) ~ x, data = aml) prints the medians 31
    # (Maintained) and 23 (Nonmaintained) weeks; here one week is one hour
    maintained = km_tickets([9, 13, 18, 23, 31, 34, 48], censored=[13, 28, 45, 161])
    res = run({"tickets": maintained}, backend, kpis=["resolution_km_median_h"])
    check(pick(res, "resolution_km_median_h"), 31.0, n=11)
    nonmaintained = km_tickets([5, 5, 8, 8, 12, 23, 27, 30, 33, 43, 45], censored=[16])
    res = run({"tickets": nonmaintained}, backend, kpis=["resolution_km_median_h"])
    check(pick(res, "resolution_km_median_h"), 23.0, n=12)


def test_km_quantile_r_conventions():
    from csmetrics.stats import km_quantile

    t = np.array
    # no censoring: the sample median, midpoint of the flat at 0.5
    assert km_quantile(t([10.0, 20, 30, 40]), t([1, 1, 1, 1])) == 25.0
    assert km_quantile(t([40.0, 10, 30, 20]), t([1, 1, 1, 1])) == 25.0  # order-free
    # a flat at 0.5 up to the last (censored) follow-up: midpoint of 20 and that time,
    # as R's findq does for a flat at the end of the curve → (20 + 40)/2
    assert km_quantile(t([10.0, 20, 30, 40]), t([1, 1, 0, 0])) == 30.0
    # two resolved tickets, 2 h and 336 h: S(2) = 1/2 → (2 + 336)/2
    assert km_quantile(t([2.0, 336]), t([1, 1])) == 169.0
    # the curve jumps over 0.5: the time of the jump (ties at one time are one jump)
    assert km_quantile(t([1.0, 2, 2, 3]), t([1, 1, 1, 1])) == 2.0
    # never down to 0.5 → NaN; no observation → NaN
    assert math.isnan(km_quantile(t([2.0, 5, 6]), t([1, 0, 0])))
    assert math.isnan(km_quantile(t([]), t([])))
    # other quantiles: the 25th percentile of 1..8 is the midpoint of 2 and 3
    assert km_quantile(np.arange(1.0, 9), np.ones(8), 0.25) == 2.5


# ---------------------------------------------------------------------------------------
# Retention and churn: customers acquired and lost in the same period
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_retention_and_churn_reconcile(backend):
    res = run({"customers": customer_table()}, backend, kpis=["retention_rate", "churn_rate"])
    retention, churn = pick(res, "retention_rate"), pick(res, "churn_rate")
    # start 3 (K1 K2 K7); churn: K2 lost → 1/3; K4 acquired and lost in October counts
    # in neither the start nor churn, but lowers retention: 1 − 1/3 − 1/3 = 1/3
    check_rate(churn, 1, 3)
    check_rate(retention, 1, 3)
    assert retention["value"] == pytest.approx(1 - churn["value"] - 1 / 3)
    # the registry says so, for the reader who adds the two
    assert "acquired and lost" in get("retention_rate").formula_en
    assert "acquired and lost" in get("churn_rate").formula_en
