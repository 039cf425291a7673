"""The evaluation (seed 000) on data whose answer is known.

Each scenario is built by hand, small, so that the right status, finding and
recommendation are known in advance: cost rising while satisfaction falls, a special-cause
spike in abandonment, a request type at the top every month, a channel that costs most and
solves least, tables or whole periods without data. The bundled sample checks the
``evaluation.json`` structure, that every statement carries evidence, and that the
significance flags agree with scipy and statsmodels recomputed here.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats as sstats
from statsmodels.stats.proportion import proportions_ztest

import csmetrics as cm
from csmetrics.config import config_from_dict
from csmetrics.errors import ConfigError
from csmetrics.evaluate import (
    ALPHA,
    CATEGORIES,
    Evaluation,
    checklist,
    control_chart,
    default_checklist,
    evaluate,
    recurring,
)
from csmetrics.kpis import get
from csmetrics.periods import Period
from csmetrics.stats import laney_p_chart_limits
from csmetrics.summary import monthly_trend

from .conftest import SAMPLE

NOW = pd.Timestamp("2026-11-23", tz="UTC")
CONFIG = {"timezone": "UTC", "currency": "EUR", "as_of": "2026-11-01T00:00:00+00:00"}
STATUSES = {"on_target", "watch", "off_target", "no_data"}


# ---------------------------------------------------------------------------------------
# Building scenario data
# ---------------------------------------------------------------------------------------


class _Ids:
    """Unique ids across the tables of one scenario."""

    def __init__(self) -> None:
        self.n = 0

    def take(self, prefix: str, k: int) -> list[str]:
        out = [f"{prefix}{self.n + i:06d}" for i in range(k)]
        self.n += k
        return out


def _months(first: str, last: str) -> list[str]:
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def _times(month: str, n: int, rng: np.random.Generator) -> pd.Series:
    """``n`` instants spread over the month's days, in working hours (UTC)."""
    start = pd.Timestamp(f"{month}-01", tz="UTC")
    day = rng.integers(0, pd.Period(month).days_in_month, n)
    minute = rng.integers(9 * 60, 17 * 60, n)
    return pd.Series(start + pd.to_timedelta(day, "D") + pd.to_timedelta(minute, "min"))


def _flags(n: int, share: float, rng: np.random.Generator) -> np.ndarray:
    """Exactly ``round(share · n)`` True values in random order."""
    out = np.arange(n) < round(share * n)
    rng.shuffle(out)
    return out


def _tickets(month: str, n: int, rng: np.random.Generator, ids: _Ids, **cols) -> pd.DataFrame:
    """Tickets answered after 30 minutes and resolved after 2 hours with one reply."""
    created = _times(month, n, rng)
    df = pd.DataFrame(
        {
            "ticket_id": ids.take("T", n),
            "created_at": created,
            "channel": "email",
            "first_response_at": created + pd.Timedelta(minutes=30),
            "resolved_at": created + pd.Timedelta(hours=2),
            "status": "closed",
            "agent_replies": 1,
            "reopens": 0,
        }
    )
    for k, v in cols.items():
        df[k] = v
    return df


def _csat(month: str, n: int, good: float, rng: np.random.Generator, ids: _Ids) -> pd.DataFrame:
    """``n`` answered CSAT surveys, a share ``good`` of them 4 or 5, the others 1 or 2."""
    sent = _times(month, n, rng)
    ok = _flags(n, good, rng)
    return pd.DataFrame(
        {
            "survey_id": ids.take("S", n),
            "metric": "csat",
            "sent_at": sent,
            "score": np.where(ok, rng.choice([4.0, 5.0], n), rng.choice([1.0, 2.0], n)),
            "answered_at": sent + pd.Timedelta(hours=1),
            "channel": "email",
        }
    )


def _calls(
    month: str, n: int, abandoned: float, rng: np.random.Generator, ids: _Ids
) -> pd.DataFrame:
    """``n`` calls, a share ``abandoned`` of them after 90 s, the others answered in 10 s."""
    arrived = _times(month, n, rng)
    gone = _flags(n, abandoned, rng)
    answered_at = (arrived + pd.Timedelta(seconds=10)).where(~gone)
    return pd.DataFrame(
        {
            "call_id": ids.take("C", n),
            "arrived_at": arrived,
            "outcome": np.where(gone, "abandoned", "answered"),
            "wait_s": np.where(gone, 90.0, 10.0),
            "answered_at": answered_at,
            "talk_s": np.where(gone, np.nan, 300.0),
        }
    )


def _prepared(frames: dict[str, pd.DataFrame], **config) -> cm.Prepared:
    return cm.prepare(cm.from_frames(frames, {**CONFIG, **config}, now=NOW))


def _answer(ev: Evaluation, qid: str):
    (a,) = [a for a in ev.questions if a.id == qid]
    return a


def _findings(ev: Evaluation, kind: str, title: str = "") -> list:
    return [f for f in ev.findings if f.kind == kind and title in f.title]


def _recommendation(ev: Evaluation, title: str):
    found = [r for r in ev.recommendations if r.title == title]
    assert found, f"no recommendation {title!r}: {[r.title for r in ev.recommendations]}"
    return found[0]


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


# ---------------------------------------------------------------------------------------
# 1. Cost rising while satisfaction falls
# ---------------------------------------------------------------------------------------

COST_MONTHS = ["2026-08", "2026-09", "2026-10"]


def _cost_csat_frames(costs: list[float], good: list[float]) -> dict[str, pd.DataFrame]:
    rng, ids = np.random.default_rng(1), _Ids()
    tickets = pd.concat([_tickets(m, 300, rng, ids) for m in COST_MONTHS], ignore_index=True)
    surveys = pd.concat(
        [_csat(m, 300, g, rng, ids) for m, g in zip(COST_MONTHS, good, strict=True)],
        ignore_index=True,
    )
    cost = pd.DataFrame({"period": COST_MONTHS, "amount": costs, "category": "staff"})
    return {"tickets": tickets, "surveys": surveys, "costs": cost}


@pytest.fixture(scope="module")
def cost_up_csat_down() -> Evaluation:
    # 300 contacts a month: EUR 3,000 → 10 per contact in September, 4,500 → 15 in October;
    # CSAT 85% → 60% of 300 answers each month
    frames = _cost_csat_frames([3000.0, 3000.0, 4500.0], [0.85, 0.85, 0.60])
    return evaluate(_prepared(frames), "2026-10")


def test_rising_cost_per_contact_is_on_watch_with_its_rise(cost_up_csat_down):
    a = _answer(cost_up_csat_down, "cost_per_contact")
    assert a.category == "cost"
    assert a.status in ("watch", "off_target")
    ev = a.evidence[0]
    assert ev.kpi == "cost_per_contact"
    assert ev.value == pytest.approx(15.0)
    assert ev.n == 300
    assert ev.previous.period == "2026-09"
    assert ev.previous.value == pytest.approx(10.0)
    assert ev.previous.change == pytest.approx(5.0)
    assert ev.previous.significant is None  # an accounting figure is not tested
    assert "getting worse" in a.answer and "up €5.00 from September 2026" in a.answer


def test_falling_satisfaction_is_worse_and_significant(cost_up_csat_down):
    a = _answer(cost_up_csat_down, "satisfied")
    ev = a.evidence[0]
    assert ev.kpi == "csat_score"
    assert a.status == "off_target"  # 60% against the 80% benchmark
    assert ev.value == pytest.approx(0.60)
    assert ev.previous.value == pytest.approx(0.85)
    assert ev.previous.change == pytest.approx(-0.25)
    _, p = proportions_ztest([180, 255], [300, 300])
    assert ev.previous.p_value == pytest.approx(p)
    assert ev.previous.significant is True
    assert "down 25.0 pp from September 2026 (significant)" in a.answer


def test_cost_rising_while_satisfaction_falls_is_recommended(cost_up_csat_down):
    r = _recommendation(cost_up_csat_down, "Cost is rising while satisfaction falls")
    assert r.rank >= 1
    assert "€10.00 → €15.00" in r.text
    assert "-25.0 pp" in r.text
    by_kpi = {e["kpi"]: e for e in r.evidence}
    assert by_kpi["cost_per_contact"]["value"] == pytest.approx(15.0)
    assert by_kpi["cost_per_contact"]["previous"]["value"] == pytest.approx(10.0)
    assert by_kpi["csat_score"]["value"] == pytest.approx(0.60)
    assert by_kpi["csat_score"]["previous"]["change"] == pytest.approx(-0.25)


def test_no_cost_warning_when_cost_is_flat():
    frames = _cost_csat_frames([3000.0, 3000.0, 3000.0], [0.85, 0.85, 0.60])
    ev = evaluate(_prepared(frames), "2026-10")
    assert _answer(ev, "cost_per_contact").status == "on_target"
    assert "unchanged since September 2026" in _answer(ev, "cost_per_contact").answer
    assert "Cost is rising while satisfaction falls" not in [r.title for r in ev.recommendations]
    assert _answer(ev, "satisfied").status == "off_target"


# ---------------------------------------------------------------------------------------
# 2. A special-cause spike in abandonment
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def abandonment_spike():
    rng, ids = np.random.default_rng(2), _Ids()
    months = _months("2025-10", "2026-10")  # twelve stable months, then the spike
    parts = [
        _calls(m, 400, 0.30 if m == "2026-10" else rng.binomial(400, 0.05) / 400, rng, ids)
        for m in months
    ]
    prepared = _prepared({"calls": pd.concat(parts, ignore_index=True)})
    return prepared, evaluate(prepared, "2026-10")


def test_abandonment_spike_is_a_special_cause_signal(abandonment_spike):
    _, ev = abandonment_spike
    hits = _findings(ev, "pattern", "Special-cause signal: Abandonment rate")
    assert [f.title for f in hits] == ["Special-cause signal: Abandonment rate in October 2026"]
    (e,) = hits[0].evidence
    assert e["kpi"] == "abandonment_rate" and e["month"] == "2026-10"
    assert e["value"] == pytest.approx(0.30)
    assert e["lcl"] <= e["centre"] < e["ucl"] < e["value"]
    assert "p′-chart" in e["chart"] and e["rule"] == "outside the limits"
    assert "above its Laney p′-chart limits" in hits[0].text
    assert "30.0% in October 2026" in hits[0].text


def test_spike_limits_come_from_the_p_chart(abandonment_spike):
    prepared, ev = abandonment_spike
    (f,) = _findings(ev, "pattern", "Special-cause signal: Abandonment rate")
    trend = monthly_trend(prepared, ["abandonment_rate"], "2026-10", 12)
    chart = control_chart(trend, "abandonment_rate")
    assert len(chart) == 12 and chart["signal"].tolist() == [False] * 11 + [True]
    row = chart[chart["month"] == "2026-10"].iloc[0]
    for key in ("lcl", "centre", "ucl"):
        assert f.evidence[0][key] == pytest.approx(row[key])
    # the same limits from the monthly counts of the calls themselves: the spike is a
    # special cause, left out of the centre line and the limits (revised limits)
    calls = prepared.tables["calls"]
    monthly = calls[calls["arrived_month"] >= "2025-11"].groupby("arrived_month")
    abandoned = monthly["abandoned"].sum().to_numpy(float)
    n = monthly.size().to_numpy(float)
    stable = np.arange(12) < 11
    pbar = abandoned[stable].sum() / n[stable].sum()
    assert 0.04 < pbar < 0.06
    lcl, centre, ucl = laney_p_chart_limits(abandoned, n, stable)
    assert centre == pytest.approx(pbar)
    assert f.evidence[0]["centre"] == pytest.approx(pbar)
    assert f.evidence[0]["ucl"] == pytest.approx(ucl[-1])
    assert f.evidence[0]["lcl"] == pytest.approx(lcl[-1])
    # with 400 calls a month the stable months are binomial: the plain p-chart's 3 sigma
    half = 3 * math.sqrt(pbar * (1 - pbar) / 400)
    assert f.evidence[0]["ucl"] >= pbar + half - 1e-12
    assert f.evidence[0]["ucl"] < 0.12  # the spike has not widened the limits


def test_one_spike_does_not_make_the_other_months_a_run(abandonment_spike):
    # with the spike in the centre line every stable month would lie below it: a false
    # "eight in a row" signal for months in which nothing happened
    prepared, _ = abandonment_spike
    trend = monthly_trend(prepared, ["abandonment_rate"], "2026-10", 12)
    chart = control_chart(trend, "abandonment_rate")
    assert (chart["rule"] == "8 in a row on one side").sum() == 0
    assert (chart["value"].iloc[:11] < chart["centre"].iloc[:11]).sum() < 8


def test_abandonment_spike_is_off_target(abandonment_spike):
    _, ev = abandonment_spike
    a = _answer(ev, "calls_abandoned")
    assert a.status == "off_target"
    assert a.evidence[0].previous.significant is True
    assert a.evidence[0].previous.change > 0.2


# ---------------------------------------------------------------------------------------
# 3. A request type at the top every month
# ---------------------------------------------------------------------------------------

OTHERS = ["Delivery", "Returns", "Login", "Cancellation", "Technical"]


@pytest.fixture(scope="module")
def recurring_billing():
    """Billing is 40% of tickets every month; the runners-up change from month to month."""
    rng, ids = np.random.default_rng(3), _Ids()
    parts = []
    for i, month in enumerate(_months("2026-05", "2026-10")):
        counts = {"Billing": 80, OTHERS[i % 5]: 50, OTHERS[(i + 1) % 5]: 30}
        rest = [o for o in OTHERS if o not in counts]
        counts.update({o: 14 if j == 0 else 13 for j, o in enumerate(rest)})
        categories = [c for c, k in counts.items() for _ in range(k)]
        parts.append(_tickets(month, len(categories), rng, ids, category=categories))
    prepared = _prepared({"tickets": pd.concat(parts, ignore_index=True)})
    return prepared, evaluate(prepared, "2026-10")


def test_recurring_request_type_is_found(recurring_billing):
    prepared, ev = recurring_billing
    table = recurring(prepared, Period.parse("2026-10", "UTC"), "category")
    assert table["category"].tolist() == ["Billing"]
    found = _findings(ev, "recurring", "Recurring request type")
    assert [f.title for f in found] == ["Recurring request type: Billing"]
    (e,) = found[0].evidence
    assert (e["value"], e["months_in_top"], e["months"]) == ("Billing", 6, 6)
    assert e["mean_share"] == pytest.approx(0.40)
    assert "6 of the last 6 months" in found[0].text and "40%" in found[0].text


def test_no_complaint_categories_without_complaint_data(recurring_billing):
    # the tickets have no is_complaint column: nothing may be said about complaints
    _, ev = recurring_billing
    assert not _findings(ev, "recurring", "complaint category")


def test_recurring_request_type_is_to_be_fixed_at_its_source(recurring_billing):
    _, ev = recurring_billing
    r = _recommendation(ev, "Fix “Billing” at its source")
    assert "6 of the last 6 months" in r.text and "40% of tickets" in r.text
    assert "80 this period" in r.text
    (e,) = r.evidence
    assert e["months_in_top"] == 6 and e["months"] == 6
    assert e["mean_share"] == pytest.approx(0.40)
    assert e["tickets_in_period"] == 80


# ---------------------------------------------------------------------------------------
# 4. The channel that costs most per resolution and solves least
# ---------------------------------------------------------------------------------------


def _channel_frames(spec: dict[str, tuple[int, float, float]]) -> dict[str, pd.DataFrame]:
    """Per channel: tickets a month, first-contact resolution, monthly cost."""
    rng, ids = np.random.default_rng(4), _Ids()
    parts, costs = [], []
    for month in ("2026-09", "2026-10"):
        for channel, (n, fcr, cost) in spec.items():
            replies = np.where(_flags(n, fcr, rng), 1, 3)
            parts.append(_tickets(month, n, rng, ids, channel=channel, agent_replies=replies))
            costs.append({"period": month, "amount": cost, "category": "staff", "channel": channel})
    return {"tickets": pd.concat(parts, ignore_index=True), "costs": pd.DataFrame(costs)}


@pytest.fixture(scope="module")
def dear_phone() -> Evaluation:
    # cost per resolution: chat 8, email 10, web form 11, phone 30; FCR lowest on the phone
    frames = _channel_frames(
        {
            "email": (300, 0.70, 3000.0),
            "chat": (300, 0.80, 2400.0),
            "web_form": (200, 0.65, 2200.0),
            "phone": (300, 0.45, 9000.0),
        }
    )
    return evaluate(_prepared(frames), "2026-10")


def test_dear_channel_costs_more_and_achieves_less(dear_phone):
    (f,) = _findings(dear_phone, "cost_value", "(by channel)")
    assert "phone" in f.text and "€30.00" in f.text
    assert "it costs more and achieves less" in f.text
    (e,) = f.evidence
    assert e["channel"] == "phone"
    assert e["cost_per_resolution"] == pytest.approx(30.0)
    assert e["fcr_rate"] == pytest.approx(0.45)
    assert e["median_fcr"] == pytest.approx(0.675)


def test_shift_volume_away_from_the_dear_channel(dear_phone):
    r = _recommendation(dear_phone, "Shift volume away from phone")
    ranks = [x.rank for x in dear_phone.recommendations]
    assert ranks == list(range(1, len(ranks) + 1)) and r.rank in ranks
    assert "€30.00" in r.text and "45%" in r.text and "towards chat" in r.text
    by_kpi = {e["kpi"]: e for e in r.evidence}
    assert by_kpi["cost_per_resolution"]["value"] == pytest.approx(30.0)
    assert by_kpi["cost_per_resolution"]["median"] == pytest.approx(10.5)
    assert by_kpi["fcr_rate"]["value"] == pytest.approx(0.45)
    assert by_kpi["fcr_rate"]["median"] == pytest.approx(0.675)
    assert by_kpi["tickets_created"]["value"] == 300
    assert all(e["channel"] == "phone" for e in r.evidence)


def test_dear_channel_is_named_by_the_cost_question(dear_phone):
    a = _answer(dear_phone, "cost_per_resolution_channel")
    assert a.status == "watch"  # 30 is 2.9 times the median channel's 10.5
    assert a.evidence[0].group == {"channel": "phone"}
    assert a.evidence[0].value == pytest.approx(30.0)
    assert a.answer.startswith("Phone: cost per resolution €30.00, 2.9× the median channel")


def test_dear_channel_with_median_fcr_is_not_told_to_shift():
    # phone is the dearest but solves exactly the median share: it does not achieve less
    frames = _channel_frames(
        {"email": (200, 0.60, 2000.0), "chat": (200, 0.80, 1600.0), "phone": (200, 0.70, 6000.0)}
    )
    ev = evaluate(_prepared(frames), "2026-10")
    assert not [r for r in ev.recommendations if r.title.startswith("Shift volume away")]
    (f,) = _findings(ev, "cost_value", "(by channel)")
    assert "solves 70% at first contact against a median of 70%" in f.text
    assert f.text.endswith("the extra cost buys no better first-contact resolution.")


# ---------------------------------------------------------------------------------------
# 5. Missing tables and empty periods
# ---------------------------------------------------------------------------------------

#: Questions that need a table other than tickets, and the table
NEEDS_OTHER_TABLES = {
    "calls_abandoned": "calls",
    "calls_speed": "calls",
    "reliability": "incidents",
    "cost_per_contact": "costs",
    "cost_per_resolution_channel": "costs",
    "cost_to_revenue": "costs",
    "staffing": "staffing",
    "productivity": "staffing",
    "satisfied": "surveys",
    "recommend": "surveys",
    "effort": "surveys",
    "staying": "customers",
    "survey_response": "surveys",
    "feedback": "surveys",
}
TICKET_QUESTIONS = ["first_response", "resolution_time", "first_contact", "unresolved"]


@pytest.fixture(scope="module")
def tickets_only(tmp_path_factory) -> cm.Prepared:
    """A folder with tickets alone: July, August and October 2026 (September is empty)."""
    rng, ids = np.random.default_rng(5), _Ids()
    parts = [
        _tickets(
            m,
            200,
            rng,
            ids,
            is_complaint=np.arange(200) < 30,
            category="Billing",
            priority="normal",
            team="Tier 1",
        )
        for m in ("2026-07", "2026-08", "2026-10")
    ]
    folder = tmp_path_factory.mktemp("tickets_only")
    pd.concat(parts, ignore_index=True).to_csv(folder / "tickets.csv", index=False)
    config = {**CONFIG, "sla_first_response_h": {"normal": 8}}
    (folder / "csmetrics.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    wb = cm.load(folder, now=NOW)
    assert set(wb.tables) == {"tickets"}
    return cm.prepare(wb)


@pytest.fixture(scope="module")
def tickets_only_october(tickets_only) -> Evaluation:
    return evaluate(tickets_only, "2026-10")


def test_questions_without_their_tables_have_no_data(tickets_only_october):
    ev = tickets_only_october
    for qid in NEEDS_OTHER_TABLES:
        a = _answer(ev, qid)
        assert a.status == "no_data", (qid, a.answer)
        assert a.answer.startswith("No data"), (qid, a.answer)
        assert not re.search(r"\d", a.answer), f"{qid} states a number: {a.answer}"
        main = a.evidence[0]
        assert math.isnan(main.value) and main.status == "no_data", qid
        assert main.previous is None and main.year_before is None
    # and in evaluation.json the missing values are null
    data = {q["id"]: q for q in ev.to_dict()["questions"]}
    assert all(data[qid]["evidence"][0]["value"] is None for qid in NEEDS_OTHER_TABLES)


def test_missing_tables_are_named(tickets_only_october):
    assert "needs table calls" in _answer(tickets_only_october, "calls_abandoned").answer
    assert "needs table surveys" in _answer(tickets_only_october, "satisfied").answer
    assert "staffing" in _answer(tickets_only_october, "staffing").answer


def test_ticket_questions_are_answered_from_tickets_alone(tickets_only_october):
    for qid in TICKET_QUESTIONS:
        a = _answer(tickets_only_october, qid)
        assert a.status != "no_data", qid
        assert np.isfinite(a.evidence[0].value) and a.evidence[0].n == 200


def test_nothing_is_compared_with_an_empty_month(tickets_only_october):
    # September has no ticket: October's values have nothing to be compared with
    for a in tickets_only_october.questions:
        for e in a.evidence:
            if e.kpi in ("tickets_created", "complaints_received") or e.kpi in TICKET_QUESTIONS:
                assert e.previous is None, (a.id, e.kpi, e.previous)
    assert "no earlier period" in _answer(tickets_only_october, "complaints").answer


@pytest.fixture(scope="module")
def empty_months(tickets_only) -> dict[str, Evaluation]:
    # 2026-09 lies between months with data; 2026-01 is before the first ticket
    return {p: evaluate(tickets_only, p) for p in ("2026-09", "2026-01")}


@pytest.mark.parametrize("period", ["2026-09", "2026-01"])
def test_empty_period_gives_no_fabricated_answer(empty_months, period):
    ev = empty_months[period]
    for a in ev.questions:
        assert a.status in STATUSES
        if a.status == "no_data":
            assert a.answer.startswith("No data"), (a.id, a.answer)
            continue
        main = a.evidence[0]
        assert np.isfinite(main.value) and main.n > 0, (a.id, a.answer)
        for e in a.evidence:  # no change against a count of nothing
            if e.previous is not None:
                assert e.n > 0 and np.isfinite(e.value), (a.id, e.kpi)
    for qid in [*TICKET_QUESTIONS, "complaints"]:
        a = _answer(ev, qid)
        assert a.status == "no_data", (qid, a.answer)
        assert "0" not in a.answer.split(":", 1)[-1], a.answer
    json.loads(ev.to_json())


def test_period_before_any_data_says_nothing(empty_months):
    ev = empty_months["2026-01"]
    assert {a.status for a in ev.questions} == {"no_data"}
    assert ev.findings == [] and ev.recommendations == []


# ---------------------------------------------------------------------------------------
# The bundled sample: evaluation.json, evidence, significance
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    wb = cm.load(SAMPLE)
    prepared = cm.prepare(wb)
    return wb, prepared, evaluate(prepared, "2026-10")


EVIDENCE_KEYS = {
    "kpi", "label", "unit", "value", "ci_low", "ci_high", "n", "target", "status",
    "previous", "year_before", "group", "note",
}  # fmt: skip
CHANGE_KEYS = {"period", "value", "change", "p_value", "significant", "test"}


def _no_nan_constant(name: str):
    raise AssertionError(f"evaluation.json contains {name}")


def test_evaluation_json_structure(sample):
    _, _, ev = sample
    data = json.loads(ev.to_json(), parse_constant=_no_nan_constant)
    assert data["period"] == "2026-10"
    assert data["compared_with"] == "2026-09" and data["year_before"] == "2025-10"
    assert data["currency"] == "EUR"
    questions = data["questions"]
    assert len(questions) >= 15
    assert {q["category"] for q in questions} == set(CATEGORIES)
    assert len({q["id"] for q in questions}) == len(questions)
    for q in questions:
        assert {"id", "category", "question", "status", "answer", "evidence"} <= set(q)
        assert q["status"] in STATUSES and q["answer"] and q["question"].endswith("?")
        assert q["evidence"], q["id"]
        for e in q["evidence"]:
            assert set(e) >= EVIDENCE_KEYS, (q["id"], set(e))
            if e["previous"] is not None:
                assert set(e["previous"]) >= CHANGE_KEYS
                assert e["previous"]["significant"] in (True, False, None)
    # one answer as documented in the README
    (fcr,) = [q for q in questions if q["id"] == "first_contact"]
    e = fcr["evidence"][0]
    assert e["kpi"] == "fcr_rate" and e["target"] == 0.7
    assert e["ci_low"] < e["value"] < e["ci_high"]
    assert e["previous"]["test"] == "two-proportion z-test"
    assert isinstance(e["previous"]["p_value"], float)

    kinds = {"pattern", "recurring", "improvement", "cost_value", "peak"}
    assert data["findings"] and {f["kind"] for f in data["findings"]} <= kinds
    for f in data["findings"]:
        assert f["title"] and f["text"] and f["evidence"]
    recs = data["recommendations"]
    assert [r["rank"] for r in recs] == list(range(1, len(recs) + 1))
    assert [r["impact"] for r in recs] == sorted((r["impact"] for r in recs), reverse=True)
    for r in recs:
        assert r["title"] and r["text"] and r["evidence"]


def test_every_statement_has_evidence(sample):
    _, _, ev = sample
    assert ev.recommendations
    for r in ev.recommendations:
        assert r.evidence, r.title
        assert all(isinstance(e, dict) and e for e in r.evidence), r.title
    for a in ev.questions:
        if a.status == "no_data":
            continue
        assert a.evidence, a.id
        assert any(np.isfinite(e.value) for e in a.evidence), a.id
        assert np.isfinite(a.evidence[0].value), a.id
        if a.evidence[0].target is not None and not a.evidence[0].group:
            assert a.evidence[0].status in STATUSES | {"no_target"}


def _local_month(ts: pd.Series, tz: str) -> pd.Series:
    return ts.dt.tz_convert(tz).dt.strftime("%Y-%m")


def test_rate_significance_agrees_with_statsmodels(sample):
    _, prepared, ev = sample
    e = _answer(ev, "first_contact").evidence[0]
    t = prepared.tables["tickets"]
    counts = {}
    for month in ("2026-10", "2026-09"):
        fcr = t.loc[t["created_month"] == month, "fcr"].dropna()
        counts[month] = (fcr.sum(), len(fcr))
    (s1, n1), (s2, n2) = counts["2026-10"], counts["2026-09"]
    assert e.n == n1 and e.value == pytest.approx(s1 / n1)
    assert e.previous.value == pytest.approx(s2 / n2)
    _, p = proportions_ztest([s1, s2], [n1, n2], alternative="two-sided")
    assert e.previous.p_value == pytest.approx(p, rel=1e-9)
    assert e.previous.significant is bool(p < ALPHA)
    assert e.previous.significant is True  # 62.7% against 65.3% of about 5,000 tickets


@pytest.mark.parametrize(
    ("qid", "basis", "start", "end"),
    [
        ("first_response", "created_at", "created_at", "first_response_at"),
        ("resolution_time", "resolved_at", "created_at", "resolved_at"),
    ],
)
def test_duration_significance_agrees_with_scipy(sample, qid, basis, start, end):
    wb, _, ev = sample
    e = _answer(ev, qid).evidence[0]
    tz = wb.config.timezone
    raw, usable = wb["tickets"], wb.usable("tickets")
    month = _local_month(raw[basis].dropna(), tz).reindex(raw.index)
    hours = (usable[end] - usable[start]).dt.total_seconds() / 3600
    now = hours[month == "2026-10"].dropna().to_numpy()
    before = hours[month == "2026-09"].dropna().to_numpy()
    assert e.n == len(now)
    assert e.value == pytest.approx(np.median(now))
    assert e.previous.value == pytest.approx(np.median(before))
    p = sstats.mannwhitneyu(now, before, alternative="two-sided").pvalue
    assert e.previous.test == "Mann–Whitney U"
    assert e.previous.p_value == pytest.approx(p, rel=1e-9)
    assert e.previous.significant is bool(p < ALPHA)


# ---------------------------------------------------------------------------------------
# 7. Customising the checklist
# ---------------------------------------------------------------------------------------

CHAT_SPEED = {
    "id": "chat_speed",
    "category": "effectiveness",
    "question": "Is chat answered within two minutes?",
    "kpis": ["frt_median_h"],
    "judge": {"rule": "target", "kpi": "frt_median_h", "target": 0.033},
}
BUSIEST = {
    "id": "busiest_team",
    "category": "effectiveness",
    "question": "Which team receives the most tickets?",
    "kpis": ["tickets_created"],
    "judge": {"rule": "group_extreme", "kpi": "tickets_created", "by": "team", "pick": "max"},
}
REPLIES = {
    "id": "more_replies",
    "category": "cost",
    "question": "Are tickets solved with fewer replies?",
    "kpis": ["fcr_rate"],
    "judge": {"rule": "trend", "kpi": "fcr_rate"},
}


def _config(checklist_section: dict):
    return config_from_dict({**CONFIG, "checklist": checklist_section})


def test_checklist_default_is_the_package_list():
    questions = checklist(config_from_dict(CONFIG))
    assert questions == default_checklist()
    assert len(questions) >= 15 and {q["category"] for q in questions} == set(CATEGORIES)


def test_checklist_adds_a_question():
    questions = checklist(_config({"questions": [CHAT_SPEED]}))
    assert len(questions) == len(default_checklist()) + 1
    assert questions[-1] == CHAT_SPEED


def test_checklist_question_with_a_known_id_replaces_it_in_place():
    mine = {**REPLIES, "id": "first_contact", "category": "effectiveness"}
    questions = checklist(_config({"questions": [mine]}))
    ids = [q["id"] for q in questions]
    assert ids == [q["id"] for q in default_checklist()]
    assert questions[ids.index("first_contact")] == mine


def test_checklist_replaced_and_answered(tickets_only):
    cfg = _config({"replace": True, "questions": [CHAT_SPEED, REPLIES, BUSIEST]})
    assert [q["id"] for q in checklist(cfg)] == ["chat_speed", "more_replies", "busiest_team"]
    ev = evaluate(dataclasses.replace(tickets_only, config=cfg), "2026-10")
    assert [a.id for a in ev.questions] == ["chat_speed", "more_replies", "busiest_team"]
    chat = ev.questions[0]
    # the question's own target: 30-minute answers miss a two-minute target
    assert chat.evidence[0].target == pytest.approx(0.033)
    assert chat.status == "off_target"
    assert "against a target of 0.03 h" in chat.answer and "benchmark" not in chat.answer
    assert ev.questions[1].category == "cost" and ev.questions[1].status != "no_data"
    # a group question names its own KPI (not "per resolution", the default question's)
    busiest = ev.questions[2]
    assert busiest.answer == "Tier 1: tickets created 200, 1.0× the median team (200)."
    assert busiest.evidence[0].group == {"team": "Tier 1"} and busiest.status == "on_target"


def test_checklist_configured_target_takes_precedence_over_the_question(tickets_only):
    # checklist.yaml: "the KPI against its target (csmetrics.yaml `targets`, else `target`)"
    cfg = config_from_dict(
        {
            **CONFIG,
            "targets": {"frt_median_h": 1.0},
            "checklist": {"replace": True, "questions": [CHAT_SPEED]},
        }
    )
    ev = evaluate(dataclasses.replace(tickets_only, config=cfg), "2026-10")
    (chat,) = ev.questions
    assert chat.evidence[0].target == 1.0 and chat.status == "on_target"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kpis": ["frt_mediam_h"]}, r"chat_speed.*unknown KPI 'frt_mediam_h'.*frt_median_h"),
        ({"judge": {"rule": "target", "kpi": "nope"}}, r"chat_speed.*unknown KPI 'nope'"),
        ({"judge": {"rule": "guess", "kpi": "fcr_rate"}}, r"chat_speed.*judge.rule must be"),
        ({"judge": "target"}, r"chat_speed.*judge must be a mapping"),
        ({"category": "speed"}, r"chat_speed.*category must be one of"),
    ],
)
def test_checklist_errors_name_the_question(change, message):
    with pytest.raises(ConfigError, match=message):
        checklist(_config({"questions": [{**CHAT_SPEED, **change}]}))


def test_checklist_missing_field_is_a_config_error():
    broken = {k: v for k, v in CHAT_SPEED.items() if k != "question"}
    with pytest.raises(ConfigError, match=r"chat_speed.*missing question"):
        checklist(_config({"questions": [broken]}))


@pytest.mark.parametrize("replace", [False, True])
def test_checklist_duplicated_id_is_a_config_error(replace):
    twice = [CHAT_SPEED, {**CHAT_SPEED, "question": "Again?"}]
    with pytest.raises(ConfigError, match=r"chat_speed.*used twice"):
        checklist(_config({"replace": replace, "questions": twice}))


def test_checklist_unknown_option_is_a_config_error():
    with pytest.raises(ConfigError, match="checklist"):
        _config({"replace": True, "questions": [], "extend": True})


def test_checklist_errors_surface_from_evaluate(tickets_only):
    cfg = _config({"questions": [{**CHAT_SPEED, "kpis": ["frt_mediam_h"]}]})
    with pytest.raises(ConfigError):
        evaluate(dataclasses.replace(tickets_only, config=cfg), "2026-10")


def test_question_kpis_are_known():
    for q in default_checklist():
        for k in [*q.get("kpis", []), q["judge"].get("kpi", "fcr_rate")]:
            assert get(k).id == k


# ---------------------------------------------------------------------------------------
# Issue 12: sample sizes, channels, one set of targets, the four answers
# ---------------------------------------------------------------------------------------


def test_a_verdict_on_one_incident_says_it_is_too_few_to_judge():
    # one incident in October, detected after 30 minutes: within the 1-hour benchmark,
    # but one observation cannot say whether the product is reliable
    rng, ids = np.random.default_rng(7), _Ids()
    incidents = pd.DataFrame(
        {
            "incident_id": ["I1"],
            "started_at": [pd.Timestamp("2026-10-10 09:00", tz="UTC")],
            "detected_at": [pd.Timestamp("2026-10-10 09:30", tz="UTC")],
            "resolved_at": [pd.Timestamp("2026-10-10 12:00", tz="UTC")],
        }
    )
    frames = {"tickets": _tickets("2026-10", 50, rng, ids), "incidents": incidents}
    a = _answer(evaluate(_prepared(frames), "2026-10"), "reliability")
    assert a.low_sample and a.evidence[0].n == 1
    assert a.answer.startswith("Too few to judge (only 1 observation): mean time to detect is")
    assert "0.50 h" in a.answer and not a.answer.startswith(("Yes", "No"))


def _channel_tickets(month: str, waits: dict[str, tuple[int, float]], ids: _Ids) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    parts = []
    for channel, (n, hours) in waits.items():
        t = _tickets(month, n, rng, ids, channel=channel)
        t["first_response_at"] = t["created_at"] + pd.Timedelta(hours=hours)
        t["resolved_at"] = t["created_at"] + pd.Timedelta(hours=hours + 1)
        parts.append(t)
    return pd.concat(parts, ignore_index=True)


def test_first_response_is_judged_per_channel_and_names_the_worst():
    # chat answered in 0.1 h (300 tickets), email in 9 h (100), web form in 5 h (40),
    # sms in 20 h but only 10 tickets (too few to judge a channel): the overall median
    # is 0.1 h (300 of 450 answered at 0.1 h), well within 4 h, yet e-mail and the web
    # form miss it
    ids = _Ids()
    waits = {"chat": (300, 0.1), "email": (100, 9.0), "web_form": (40, 5.0), "sms": (10, 20.0)}
    tickets = _channel_tickets("2026-10", waits, ids)
    ev = evaluate(_prepared({"tickets": tickets}), "2026-10")
    a = _answer(ev, "first_response")
    overall, worst = a.evidence[0], a.evidence[1]
    assert overall.value == pytest.approx(0.1) and overall.status == "on_target"
    assert worst.group == {"channel": "email"} and worst.value == pytest.approx(9.0)
    assert worst.target == 4.0 and worst.status == "off_target"
    assert a.status == "off_target" and a.answer.startswith("No: ")
    assert "missed for email, web_form; worst channel: email, 9.00 h." in a.answer
    assert "sms" not in a.answer
    # the improvement finding works on the worst channel, not on the overall median
    (fd,) = _findings(ev, "improvement", "first response")
    assert fd.evidence[0]["group"] == {"channel": "email"}
    assert fd.text.startswith("First response time, median for email is 9.00 h against 4.00 h")
    # (9 − 4) / 4 = 125% off, on 100 tickets
    assert fd.evidence[0]["gap"] == pytest.approx(1.25) and fd.evidence[0]["n"] == 100


def test_every_channel_within_target_is_said_so():
    ids = _Ids()
    tickets = _channel_tickets("2026-10", {"chat": (60, 0.5), "email": (40, 3.0)}, ids)
    a = _answer(evaluate(_prepared({"tickets": tickets}), "2026-10"), "first_response")
    assert a.status == "on_target"
    assert a.answer.endswith("met for every channel (weakest: email, 3.00 h).")


def test_the_scorecard_shows_every_target_the_evaluation_judges_against(sample):
    from csmetrics.evaluate import targets_in_force
    from csmetrics.pages import scorecard_html
    from csmetrics.report import scorecard_kpis
    from csmetrics.summary import format_value, headline, target_text

    wb, prepared, ev = sample
    in_force = targets_in_force(wb.config)
    # the sample configures fcr_rate 70% and leaves the resolution time to the benchmark
    assert in_force["fcr_rate"].source == "configured"
    assert (in_force["resolution_median_h"].value, in_force["resolution_median_h"].source) == (
        24.0,
        "benchmark",
    )
    head = headline(prepared, "2026-10", [k.id for k in cm.kpis.public_kpis()])
    judged = {
        e.kpi: e.target
        for a in ev.questions
        for e in a.evidence[:1]
        if e.target is not None and not e.group and a.status != "no_data"
    }
    cited = {e["kpi"] for r in ev.recommendations for e in r.evidence if "kpi" in e}
    assert {"resolution_median_h", "repeat_contact_rate", "mttd_h"} <= set(judged)
    rows = scorecard_kpis(head, set(in_force), cited)
    assert set(judged) | cited <= set(rows)
    page = scorecard_html(head, pd.DataFrame(columns=["kpi", "value"]), "EUR", None, rows)
    by_kpi = head.set_index("kpi")
    for kpi, target in judged.items():
        assert by_kpi.loc[kpi, "target"] == pytest.approx(target), kpi
        shown = target_text(target, get(kpi).unit, in_force[kpi].source)
        assert f"<td class='num'>{shown}</td>" in page.replace("&#x27;", "'"), (kpi, shown)
    assert "24.00 h (benchmark)" in page
    assert format_value(0.7, "share") in page


def test_the_four_answers_about_the_program(sample):
    _, _, ev = sample
    assert [p.id for p in ev.program] == ["effective", "cost", "experience", "worth"]
    data = json.loads(ev.to_json())["program"]
    assert [p["question"] for p in data] == [
        "Has the program been effective?",
        "What is the program's operational cost?",
        "How has the program shaped the customer experience?",
        "Is the program worth its cost?",
    ]
    for p in ev.program:
        assert p.status in STATUSES and p.confidence in ("high", "medium", "low")
        assert re.search(r"\d", p.answer) and "confidence" in p.answer, p.answer
    effective = ev.program[0]
    counted = [a for a in ev.questions if a.category == "effectiveness"]
    on = sum(a.status == "on_target" and not a.low_sample for a in counted)
    assert f"{on} of {len(counted)} questions on target" in effective.answer
    cost = ev.program[1]
    cpc = _answer(ev, "cost_per_contact").evidence[0]
    assert f"{cm.summary.format_value(cpc.value, 'currency')} per contact" in cost.answer


def test_headline_shows_no_change_against_an_empty_month(tickets_only):
    from csmetrics.summary import headline, summary_prose

    # September has no ticket: October's counts are not "up 200 from 0"
    df = headline(tickets_only, "2026-10", ["tickets_created", "fcr_rate", "frt_median_h"])
    assert df["compared_with"].eq("2026-09").all()
    assert df["previous"].isna().all() and df["change"].isna().all()
    assert df.set_index("kpi").loc["tickets_created", "value"] == 200
    text = str(summary_prose(df))
    assert " up " not in text and " down " not in text and "September" not in text
    # and an empty month against a full one: no "down 200"
    df = headline(tickets_only, "2026-09", ["tickets_created"])
    assert math.isnan(df["change"].iloc[0])
