"""Every checklist answer agrees with its status, in the direction its wording implies.

Each question of ``checklist.yaml`` is judged twice on hand-built KPI records — good
evidence (every KPI well on the right side of its target, improving, groups alike) and bad
evidence (well on the wrong side, getting worse, one group far behind) — and its short
answer must be the one the question's wording implies: "Are customers satisfied?" is
answered Yes on good evidence and No on bad; "Are complaints and requests left
unresolved?" No on good evidence and Yes on bad; an open question ("How long does it take
…?") gets neither. The expected words below were written from the questions' wording, not
from their ``polarity`` field.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import csmetrics as cm
from csmetrics.config import config_from_dict
from csmetrics.evaluate import _Facts, answer_questions, default_checklist
from csmetrics.periods import Period

#: (short answer on good evidence, on bad evidence); None: no Yes/No at all.
EXPECTED = {
    "first_response": ("Yes", "No"),  # Do customers get a first response within target?
    "resolution_time": (None, None),  # How long does it take to solve a customer's problem?
    "first_contact": ("Yes", "No"),  # Are problems solved on first contact?
    "backlog": ("Yes", "No"),  # Is the backlog under control?
    "unresolved": ("No", "Yes"),  # Are complaints and requests left unresolved?
    "calls_abandoned": ("Yes", "No"),  # Are calls answered before customers give up?
    "calls_speed": ("Yes", "No"),  # Are calls answered quickly enough?
    "repeat_contacts": ("No", "Yes"),  # Do customers have to come back about the same problem?
    "sla": ("Yes", "No"),  # Do we keep our first-response promises for every priority?
    "reliability": ("Yes", "No"),  # Is the product reliable, and are failures noticed quickly?
    "team_performance": ("Yes", "No"),  # Do all teams solve problems equally well?
    "cost_per_contact": (None, None),  # What does one contact cost, and is it rising?
    "cost_per_resolution_channel": (None, None),  # Which channel costs most per resolution?
    "cost_to_revenue": ("Yes", "No"),  # Is the cost of service reasonable for the revenue?
    "staffing": ("Yes", "No"),  # Is staffing right for the demand?
    "productivity": (None, None),  # Is the team getting more or less productive?
    "satisfied": ("Yes", "No"),  # Are customers satisfied?
    "recommend": ("Yes", "No"),  # Would customers recommend us?
    "effort": (None, None),  # How much effort does getting help take?
    "staying": ("Yes", "No"),  # Are customers staying?
    "complaints": ("Yes", "No"),  # Are complaints stable or going down?
    "survey_response": ("Yes", "No"),  # Do enough customers answer our surveys?
    "feedback": (None, None),  # What do customers keep telling us?
}
#: The status each direction must give (rules that only flag a group or a theme watch).
BAD_STATUS = {"cost_per_resolution_channel": "watch", "feedback": "watch"}

N = 1000.0
#: KPI → (good value, bad value) for the period; the checklist's benchmarks are the
#: targets (e.g. unresolved rate 10%: 5% good, 15% bad).
NOW = {
    "frt_median_h": (1.0, 1.0),  # overall within 4 h in both: the channels decide
    "resolution_median_h": (12.0, 36.0),
    "fcr_rate": (0.85, 0.5),
    "unresolved_rate": (0.05, 0.15),
    "abandonment_rate": (0.04, 0.16),
    "service_level": (0.9, 0.5),
    "repeat_contact_rate": (0.07, 0.3),
    "sla_attainment": (0.95, 0.7),
    "mttd_h": (0.5, 3.0),
    "cost_to_revenue": (0.1, 0.4),
    "occupancy": (0.75, 0.95),
    "agents_staffed": (8.0, 8.0),
    "erlang_agents_required": (6.0, 6.0),
    "csat_score": (0.9, 0.5),
    "nps": (45.0, 5.0),
    "ces_mean": (2.0, 5.0),
    "churn_rate": (0.01, 0.05),
    "survey_response_rate": (0.3, 0.1),
    "backlog_open": (800.0, 1000.0),
    "complaints_received": (800.0, 1000.0),
    "cost_per_contact": (8.0, 10.0),
    "tickets_resolved_per_staffed_hour": (3.0, 2.0),
    "cost_per_resolution": (10.0, 10.0),
}
#: Trend KPIs in the previous month (good: the period improves on it; bad: worsens).
PREV = {
    "backlog_open": (1000.0, 800.0),
    "complaints_received": (1000.0, 800.0),
    "cost_per_contact": (10.0, 8.0),
    "tickets_resolved_per_staffed_hour": (2.0, 3.0),
}
#: (KPI, column) → groups as (name, good value, bad value, n).
GROUPS = {
    ("frt_median_h", "channel"): [("chat", 0.1, 0.1, 500), ("email", 2.0, 9.0, 500)],
    ("sla_attainment", "priority"): [("normal", 0.96, 0.8, 700), ("urgent", 0.94, 0.4, 300)],
    ("fcr_rate", "team"): [("Tier 1", 0.84, 0.3, 500), ("Tier 2", 0.86, 0.7, 500)],
    ("cost_per_resolution", "channel"): [
        ("chat", 9.0, 5.0, 300),
        ("email", 10.0, 5.0, 300),
        ("phone", 11.0, 50.0, 300),
    ],
}


def _record(kpi: str, value: float, n: float, **group) -> dict:
    return {"kpi": kpi, "value": value, "n": n, "ci_low": np.nan, "ci_high": np.nan,
            "available": True, "note": "", **group}  # fmt: skip


class _Evidence(_Facts):
    """The facts of the evaluation, from the hand-built records above."""

    def __init__(self, prepared: cm.Prepared, good: bool) -> None:
        side = 0 if good else 1
        period = Period.parse("2026-10", "UTC")
        super().__init__(prepared, period, period.previous(), None)
        self.cfg = config_from_dict({"timezone": "UTC"})  # no configured target
        self.frames = {
            ("now", ()): pd.DataFrame([_record(k, v[side], N) for k, v in NOW.items()]),
            ("prev", ()): pd.DataFrame([_record(k, v[side], N) for k, v in PREV.items()]),
        }
        for (kpi, by), groups in GROUPS.items():
            rows = [_record(kpi, g[1 + side], g[3], **{by: g[0]}) for g in groups]
            old = self.frames.get(("now", (by,)), pd.DataFrame())
            self.frames[("now", (by,))] = pd.concat([old, pd.DataFrame(rows)], ignore_index=True)

    def records(self, which: str, by: tuple[str, ...] = ()) -> pd.DataFrame:
        empty = pd.DataFrame(columns=["kpi", "value", "n", "available", "note", *by])
        return self.frames.get((which, tuple(by)), empty)


def _comments(good: bool) -> cm.Prepared:
    """Answered CSAT surveys in October: all happy, or a third unhappy about one thing."""
    n = 60
    score = np.full(n, 5.0)
    comment = np.array(["Great help, thank you very much"] * n, dtype=object)
    if not good:
        score[:20] = 1.0
        comment[:20] = "The parcel never arrived and nobody answers"
    sent = pd.Timestamp("2026-10-05 10:00", tz="UTC") + pd.to_timedelta(np.arange(n), "h")
    surveys = pd.DataFrame({"survey_id": [f"S{i}" for i in range(n)], "metric": "csat",
                            "sent_at": sent, "score": score,
                            "answered_at": sent + pd.Timedelta(minutes=5),
                            "comment": comment})  # fmt: skip
    config = {"timezone": "UTC", "as_of": "2026-11-01T00:00:00+00:00"}
    return cm.prepare(cm.from_frames({"surveys": surveys}, config))


@pytest.fixture(scope="module", params=[True, False], ids=["good", "bad"])
def judged(request) -> tuple[bool, dict]:
    good = request.param
    facts = _Evidence(_comments(good), good)
    answers = answer_questions(facts, default_checklist(), "EUR")
    return good, {a.id: a for a in answers}


def test_every_question_of_the_checklist_is_walked():
    assert set(EXPECTED) == {q["id"] for q in default_checklist()}


@pytest.mark.parametrize("qid", sorted(EXPECTED))
def test_short_answer_follows_the_wording(judged, qid):
    good, answers = judged
    a = answers[qid]
    status = "on_target" if good else BAD_STATUS.get(qid, "off_target")
    assert a.status == status, (qid, a.status, a.answer)
    word = EXPECTED[qid][0 if good else 1]
    head = a.answer.split(":", 1)[0]
    if word is None:
        assert head not in ("Yes", "No", "Nearly", "Mostly", "Roughly", "Somewhat"), a.answer
        assert a.polarity == "open", qid
    else:
        assert head == word, (qid, a.answer)
    assert not a.low_sample, qid


def test_first_response_names_the_worst_channel_only_when_bad(judged):
    good, answers = judged
    a = answers["first_response"]
    if good:
        assert a.answer.endswith("met for every channel (weakest: email, 2.00 h).")
    else:
        assert "missed for email; worst channel: email, 9.00 h." in a.answer
