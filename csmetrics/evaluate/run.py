"""The entry point: :func:`evaluate` answers the checklist for one period, analyses the
answers and ends with the recommendations and the program's four answers."""

from __future__ import annotations

import pandas as pd

from ..checklist import checklist
from ..kpis.memo import reusing_results
from ..periods import Period, PeriodError, in_zone
from ..prepare import Prepared
from ..summary import comparison_period, monthly_trend
from .answers import answer_questions
from .control import pattern_findings
from .facts import _Facts
from .findings import cost_value_findings, improvement_findings, peak_findings
from .model import Answer, Evaluation, Finding
from .programs import program_answers
from .recommend import recommendations
from .recurring import repeat_findings

#: The KPIs followed month by month (control charts, trends, cost against value).
TREND_KPIS = (
    "frt_median_h",
    "resolution_median_h",
    "fcr_rate",
    "abandonment_rate",
    "service_level",
    "aht_s",
    "cost_per_contact",
    "cost_per_resolution",
    "csat_score",
    "nps",
    "ces_mean",
    "complaints_received",
    "tickets_created",
)


def evaluate(
    prepared: Prepared, period: str | Period, comparison: str | None = None, months: int = 12
) -> Evaluation:
    """Answer the checklist for one period and analyse the answers.

    Parameters
    ----------
    prepared : Prepared
        Output of :func:`csmetrics.prepare`.
    period : str or Period
        The period evaluated (``YYYY-MM``, ``YYYY-Qn``, ``YYYY``).
    comparison : str, optional
        Period to compare with (default: the previous period).
    months : int
        Months of history for control charts, trends and recurring issues.

    Returns
    -------
    Evaluation
        The answers, findings, recommendations and the program's four answers
        (``Evaluation.to_json()`` is ``evaluation.json``).

    Examples
    --------
    >>> import pandas as pd
    >>> import csmetrics as cm
    >>> tickets = pd.DataFrame({
    ...     "ticket_id": ["T1", "T2", "T3"],
    ...     "created_at": ["2026-10-01 09:00", "2026-10-02 10:00", "2026-10-03 11:00"],
    ...     "channel": ["email", "chat", "email"],
    ...     "first_response_at": ["2026-10-01 11:00", "2026-10-02 10:30", None],
    ... })
    >>> prepared = cm.prepare(cm.from_frames({"tickets": tickets}, {"timezone": "Europe/Lisbon"}))
    >>> ev = evaluate(prepared, "2026-10")
    >>> ev.period, ev.compared_with, ev.questions[0].question, ev.questions[0].status
    ('2026-10', '2026-09', 'Do customers get a first response within target?', 'on_target')
    """
    cfg = prepared.config
    cur = cfg.currency
    p = in_zone(period, cfg.timezone)
    cmp_p, year = _compared_periods(p, comparison)
    with reusing_results(prepared):  # the questions and findings share many KPI results
        facts = _Facts(prepared, p, cmp_p, year)
        answers = answer_questions(facts, checklist(cfg), cur)
        findings = _findings(facts, answers, months, cur)
        recs = recommendations(facts, answers, findings, cur)
        program = program_answers(facts, answers, findings, cur)
    return Evaluation(
        p.label,
        cmp_p.label if cmp_p else None,
        year.label if year else None,
        answers,
        findings,
        recs,
        cur,
        program,
    )


def _compared_periods(p: Period, comparison: str | None) -> tuple[Period | None, Period | None]:
    """The period ``p`` is compared with (``comparison``, else the previous one) and the
    same period a year earlier; None where there is none (the period ``all``)."""
    try:
        cmp_p = comparison_period(p, comparison)
    except PeriodError:
        cmp_p = None
    try:
        year = p.year_before()
    except PeriodError:
        year = None
    return cmp_p, year


def _findings(facts: _Facts, answers: list[Answer], months: int, cur: str) -> list[Finding]:
    """The analysis, in the order the notebook shows it: patterns over the last
    ``months`` months, what repeats, improvement areas, cost against value, peaks."""
    prepared, p = facts.prepared, facts.period
    trend = (
        monthly_trend(prepared, list(TREND_KPIS), p, months)
        if p.kind != "all"
        else pd.DataFrame(columns=["kpi", "month", "value", "available", "n"])
    )
    findings = []
    findings += pattern_findings(trend, p, cur)
    findings += repeat_findings(prepared, p)
    findings += improvement_findings(facts, answers, cur)
    findings += cost_value_findings(prepared, p, trend, cur)
    findings += peak_findings(prepared, cur)
    return findings
