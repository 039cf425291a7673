"""Invariants of the KPI engine on small random tickets, calls and surveys.

Random tables go through the whole path (``from_frames`` → ``prepare`` → ``compute``)
and the results must obey rules that hold whatever the data:

- every proportion (unit ``share``) is in [0, 1];
- every interval contains its value;
- the median is at most the 90th percentile (first response, resolution);
- rows dated outside a period do not change that period's KPIs;
- the order of the rows changes nothing.

The as-of time is configured, so that extra rows cannot move it (without ``as_of`` the
latest timestamp of the data is the as-of time, and the cutoff of a period with it).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import csmetrics as cm
from csmetrics.kpis import compute, public_kpis

from .conftest import examples

CONFIG = {
    "timezone": "Europe/Lisbon",
    "as_of": "2026-12-31T23:59",
    "calendar": {"country": "PT"},
    "thresholds": {"short_abandon_s": 5, "service_level_s": 20},
    "sla_first_response_h": {"high": 4, "normal": 24},
}
NOW = pd.Timestamp("2027-01-15", tz="UTC")
PERIOD = "2026-10"  # 2026-10-01 00:00 WEST (Sep 30 23:00 UTC) to 2026-11-01 00:00 WET
DAY = 86400
T = lambda text: int(pd.Timestamp(text, tz="UTC").timestamp())  # noqa: E731

# base rows anywhere from September to November, around the period
BASE = (T("2026-09-01"), T("2026-11-30"))
# rows wholly outside October: before (every timestamp by 25 Aug) or after (from 2 Nov)
BEFORE = (T("2026-01-01"), T("2026-08-10"))
AFTER = (T("2026-11-03"), T("2026-12-15"))
MAX_DELAY = 10 * DAY  # delays (first response, resolution, answer) at most 10 days
SLACK = DAY  # a delay may be negative down to -1 day: "resolved before created" etc.

SETTINGS = settings(
    max_examples=examples(8),  # one example runs the whole engine twice
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: share-unit KPIs that are ratios of amounts, not proportions: they can exceed 1
#: (handle time above staffed time, cost above revenue). Neither is available here.
NOT_PROPORTIONS = {"occupancy", "cost_to_revenue"}

#: KPIs that legitimately read rows dated before the period: the open backlog (every
#: ticket created before the cutoff), retention and churn (customers since any date) and
#: MTBF (the gap from the last earlier incident), and the Erlang staffing need, whose
#: arrival rates divide by the weekday-hours the calls table covers (a call before the
#: period shows the whole period is covered, not only the days from its first call on).
LOOKS_OUTSIDE = {"backlog_open", "retention_rate", "churn_rate", "mtbf_h", "erlang_agents_required"}


def delay(draw) -> int | None:
    """None (never happened), or a delay: often short, sometimes zero or negative."""
    if draw(st.booleans()):
        return None
    low = -SLACK
    return draw(st.one_of(st.just(0), st.integers(low, 6 * 3600), st.integers(low, MAX_DELAY)))


def instant(draw, span: tuple[int, int]) -> int:
    """A time in ``span``; often one of three fixed instants, so that ties happen."""
    low, high = span
    anchors = [low + (high - low) * k // 4 for k in (1, 2, 3)]
    return draw(st.one_of(st.integers(low, high), st.sampled_from(anchors)))


def utc(seconds: list[float | None]) -> pd.Series:
    return pd.to_datetime(pd.Series(seconds, dtype="float64"), unit="s", utc=True)


def plus(start: list[int], delays: list[float | None]) -> list[float | None]:
    return [None if d is None else s + d for s, d in zip(start, delays, strict=True)]


@st.composite
def tickets(draw, span, customers, prefix, max_rows=10):
    n = draw(st.integers(0, max_rows))
    created = [instant(draw, span) for _ in range(n)]
    frt = [delay(draw) for _ in range(n)]
    res = [delay(draw) for _ in range(n)]
    opt = lambda s: st.one_of(st.none(), s)  # noqa: E731
    return pd.DataFrame(
        {
            "ticket_id": [f"{prefix}{i}" for i in range(n)],
            "created_at": utc(created),
            "channel": [draw(st.sampled_from(["email", "chat", "phone"])) for _ in range(n)],
            "customer_id": [draw(opt(st.sampled_from(customers))) for _ in range(n)],
            "first_response_at": utc(plus(created, frt)),
            "resolved_at": utc(plus(created, res)),
            "priority": [draw(opt(st.sampled_from(["high", "normal", "low"]))) for _ in range(n)],
            "agent_replies": pd.array(
                [draw(opt(st.integers(0, 3))) for _ in range(n)], dtype="Int64"
            ),
            "reopens": pd.array([draw(opt(st.integers(0, 2))) for _ in range(n)], dtype="Int64"),
            "is_complaint": pd.array([draw(opt(st.booleans())) for _ in range(n)], "boolean"),
            "converted": pd.array([draw(opt(st.booleans())) for _ in range(n)], "boolean"),
            "handle_time_s": [draw(opt(st.integers(0, 7200))) for _ in range(n)],
        }
    ).astype({"handle_time_s": "float64"})


@st.composite
def calls(draw, span, customers, prefix, max_rows=8):
    n = draw(st.integers(0, max_rows))
    opt = lambda s: st.one_of(st.none(), s)  # noqa: E731
    outcome = [
        draw(st.sampled_from(["answered", "answered", "abandoned", "other"])) for _ in range(n)
    ]
    talk = [draw(opt(st.integers(1, 1800))) if o == "answered" else None for o in outcome]
    return pd.DataFrame(
        {
            "call_id": [f"{prefix}{i}" for i in range(n)],
            "arrived_at": utc([instant(draw, span) for _ in range(n)]),
            "outcome": outcome,
            "customer_id": [draw(opt(st.sampled_from(customers))) for _ in range(n)],
            "wait_s": [
                draw(opt(st.sampled_from([0, 3, 5, 19, 20, 21, 60, 300]))) for _ in range(n)
            ],
            "talk_s": talk,
            "hold_s": [draw(opt(st.integers(0, 300))) for _ in range(n)],
            "wrap_s": [draw(opt(st.integers(0, 300))) for _ in range(n)],
        }
    ).astype({"wait_s": "float64", "talk_s": "float64", "hold_s": "float64", "wrap_s": "float64"})


@st.composite
def surveys(draw, span, prefix, max_rows=8):
    n = draw(st.integers(0, max_rows))
    metric = [draw(st.sampled_from(["csat", "nps", "ces"])) for _ in range(n)]
    top = {"csat": 6, "nps": 11, "ces": 8}  # one above the scale now and then: flagged
    score = [None if draw(st.booleans()) else float(draw(st.integers(0, top[m]))) for m in metric]
    sent = [instant(draw, span) for _ in range(n)]
    answer = [None if s is None else delay(draw) for s in score]
    return pd.DataFrame(
        {
            "survey_id": [f"{prefix}{i}" for i in range(n)],
            "metric": metric,
            "sent_at": utc(sent),
            "score": pd.Series(score, dtype="float64"),
            "answered_at": utc(plus(sent, answer)),
        }
    )


BASE_CUSTOMERS = ["c0", "c1", "c2", "c3"]
FRESH_CUSTOMERS = ["x0", "x1", "x2", "x3"]


@st.composite
def workbook_frames(draw):
    return {
        "tickets": draw(tickets(BASE, BASE_CUSTOMERS, "T")),
        "calls": draw(calls(BASE, BASE_CUSTOMERS, "C")),
        "surveys": draw(surveys(BASE, "S")),
    }


@st.composite
def outside_frames(draw):
    """Extra rows, every timestamp of which lies before or after October."""
    span = draw(st.sampled_from([BEFORE, AFTER]))
    return {
        "tickets": draw(tickets(span, FRESH_CUSTOMERS, "XT", max_rows=5)),
        "calls": draw(calls(span, FRESH_CUSTOMERS, "XC", max_rows=5)),
        "surveys": draw(surveys(span, "XS", max_rows=5)),
    }


def results(frames, period=PERIOD, by=(), sla_from=None) -> pd.DataFrame:
    # an SLA priority that never occurs in the tickets is a configuration error: keep the
    # targets of the priorities that the tickets of ``sla_from`` (default: ``frames``) have
    tickets = (sla_from or frames)["tickets"]
    seen = set(tickets["priority"].dropna()) if "priority" in tickets else set()
    sla = {p: h for p, h in CONFIG["sla_first_response_h"].items() if p in seen}
    config = {k: v for k, v in CONFIG.items() if k != "sla_first_response_h"}
    wb = cm.from_frames(frames, {**config, **({"sla_first_response_h": sla} if sla else {})},
                        now=NOW)  # fmt: skip
    res = compute(cm.prepare(wb), period, by=by)
    keys = [*by, "kpi", *(["channel"] if "channel" not in by else [])]
    return res.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)


def assert_same(a: pd.DataFrame, b: pd.DataFrame, skip: set[str] = frozenset()) -> None:
    a = a[~a["kpi"].isin(skip)].reset_index(drop=True)
    b = b[~b["kpi"].isin(skip)].reset_index(drop=True)
    assert list(a["kpi"]) == list(b["kpi"])
    for col in ("value", "n", "ci_low", "ci_high"):
        x, y = a[col].astype(float).to_numpy(), b[col].astype(float).to_numpy()
        bad = ~np.isclose(x, y, rtol=1e-9, atol=1e-9, equal_nan=True)
        assert not bad.any(), f"{col} differs:\n{a[bad]}\n{b[bad]}"
    assert (a["available"].to_numpy() == b["available"].to_numpy()).all()
    assert (a["excluded"].to_numpy() == b["excluded"].to_numpy()).all()


def check_invariants(res: pd.DataFrame) -> None:
    ok = res[res["available"] & res["value"].notna()]
    shares = ok[(ok["unit"] == "share") & ~ok["kpi"].isin(NOT_PROPORTIONS)]
    assert ((shares["value"] >= 0) & (shares["value"] <= 1)).all(), shares
    bounded = ok[ok["ci_low"].notna() & ok["ci_high"].notna()]
    inside = (bounded["ci_low"] <= bounded["value"] + 1e-9) & (
        bounded["value"] <= bounded["ci_high"] + 1e-9
    )
    assert inside.all(), bounded[~inside]
    counts = ok[ok["unit"].isin(["tickets", "calls"])]
    assert (counts["value"] >= 0).all() and (counts["value"] == counts["value"].round()).all()
    assert (res["n"].fillna(0) >= 0).all()
    # no unavailable KPI pretends to a value
    assert res[~res["available"]]["value"].isna().all()


def check_quantile_order(res: pd.DataFrame, by: list[str]) -> None:
    for stem in ("frt", "resolution"):
        cols = [*by, "value"]
        med = res[res["kpi"] == f"{stem}_median_h"][cols]
        p90 = res[res["kpi"] == f"{stem}_p90_h"][cols]
        both = (
            med.merge(p90, on=by, suffixes=("_med", "_p90"))
            if by
            else pd.DataFrame(
                {"value_med": med["value"].to_numpy(), "value_p90": p90["value"].to_numpy()}
            )
        )
        both = both.dropna(subset=["value_med", "value_p90"])
        assert (both["value_med"] <= both["value_p90"] + 1e-9).all(), (stem, both)


GROUPINGS = st.sampled_from([[], ["channel"], ["month"]])


@SETTINGS
@given(frames=workbook_frames(), period=st.sampled_from([PERIOD, "2026-Q4", "all"]), by=GROUPINGS)
def test_bounds_intervals_and_quantile_order(frames, period, by):
    res = results(frames, period, by)
    check_invariants(res)
    check_quantile_order(res, by)


@SETTINGS
@given(frames=workbook_frames(), extra=outside_frames(), by=GROUPINGS)
def test_rows_outside_the_period_change_nothing(frames, extra, by):
    # repeat contacts and channel switches read the same customer's contacts: the extra
    # rows use fresh customer ids, so they are nobody's contact (nor linked to any call)
    combined = {name: pd.concat([frames[name], extra[name]], ignore_index=True) for name in frames}
    both = results(frames, by=by), results(combined, by=by, sla_from=frames)
    assert_same(*both, LOOKS_OUTSIDE)


@SETTINGS
@given(frames=workbook_frames(), seed=st.integers(0, 2**32 - 1), by=GROUPINGS)
def test_row_order_changes_nothing(frames, seed, by):
    rng = np.random.default_rng(seed)
    shuffled = {
        name: df.iloc[rng.permutation(len(df))].reset_index(drop=True)
        for name, df in frames.items()
    }
    assert_same(results(frames, "2026-Q4", by=by), results(shuffled, "2026-Q4", by=by))


def test_every_share_kpi_is_classified():
    """A new share-unit KPI is either a proportion (checked above) or listed as a ratio."""
    shares = {k.id for k in public_kpis() if k.unit == "share"}
    assert shares >= NOT_PROPORTIONS
    ratios = {k.id for k in public_kpis() if k.unit == "share" and k.kind == "ratio"}
    assert ratios == NOT_PROPORTIONS


@pytest.mark.parametrize("period", ["2026-09", "2026-10", "2026-11"])
def test_outside_rows_example(period):
    """A fixed example of the property, readable when it fails."""
    base = {
        "tickets": pd.DataFrame(
            {
                "ticket_id": ["T1", "T2"],
                "created_at": ["2026-10-05 10:00", "2026-10-06 10:00"],
                "channel": ["email", "chat"],
                "first_response_at": ["2026-10-05 11:00", None],
                "resolved_at": ["2026-10-05 12:00", None],
            }
        )
    }
    extra = pd.DataFrame(
        {
            "ticket_id": ["X1"],
            "created_at": ["2026-12-05 10:00"],
            "channel": ["email"],
            "first_response_at": ["2026-12-05 11:00"],
            "resolved_at": ["2026-12-05 12:00"],
        }
    )
    combined = {"tickets": pd.concat([base["tickets"], extra], ignore_index=True)}
    a, b = results(base, period), results(combined, period)
    assert_same(a, b, LOOKS_OUTSIDE)
    assert math.isfinite(b[b["kpi"] == "tickets_created"]["value"].iloc[0])


def test_simultaneous_contacts_do_not_depend_on_row_order():
    """Two contacts of one customer at the same instant on different channels."""
    tickets = pd.DataFrame(
        {
            "ticket_id": ["A", "B"],
            "created_at": ["2026-10-05 10:00", "2026-10-05 10:00"],
            "channel": ["email", "chat"],
            "customer_id": ["c1", "c1"],
        }
    )
    reverse = tickets.iloc[::-1].reset_index(drop=True)
    by = ["channel"]
    assert_same(results({"tickets": tickets}, by=by), results({"tickets": reverse}, by=by))
