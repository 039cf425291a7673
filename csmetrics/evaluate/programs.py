"""The program as a whole: article 000's four answers (is it effective, what does it
cost, how has it shaped the customer experience, is it worth its cost), from the
checklist answers taken together per category (:func:`rollup`) and the findings."""

from __future__ import annotations

import math
from dataclasses import asdict

from .. import i18n
from ..i18n import N_, _, ngettext
from ..summary import format_value, status_label
from .facts import _Facts
from .model import ALPHA, Answer, Evidence, Finding, ProgramAnswer, Rollup
from .wording import _change_clause, _fmt, _lc

#: Article 000's questions about the whole program, answered after the checklist.
PROGRAM_QUESTIONS = {
    "effective": N_("Has the program been effective?"),
    "cost": N_("What is the program's operational cost?"),
    "experience": N_("How has the program shaped the customer experience?"),
    "worth": N_("Is the program worth its cost?"),
}
#: How sure an answer is, from the share of its questions answered on enough data.
CONFIDENCE = {
    # Translators: how sure an answer about the whole program is
    "high": N_("high confidence"),
    "medium": N_("medium confidence"),
    "low": N_("low confidence"),
}
#: A category's questions taken together, inside a sentence.
ROLLUP_WORDS = {
    # Translators: how a category's questions stand taken together, as in "effectiveness is
    # on target" / "effectiveness is mixed"
    "on_target": N_("on target"),
    "watch": N_("mixed"),
    "off_target": N_("off target"),
    "no_data": N_("without data"),
}
_JUDGED = ("on_target", "watch", "off_target")


def rollup(answers: list[Answer], category: str | None = None) -> Rollup:
    """A category's answers (all answers: ``None``) taken together.

    Only answers with a status and at least :data:`MIN_N` observations count as judged.
    Status: ``off_target`` when more than half of the judged answers are off target;
    ``on_target`` when none is and at most a quarter are on watch; else ``watch``;
    ``no_data`` when nothing is judged. Confidence = judged / questions: ``high`` from
    0.9, ``medium`` from 2/3, else ``low``.

    Examples
    --------
    >>> a = [Answer(str(i), "cost", "?", s, "") for i, s in
    ...      enumerate(["on_target", "on_target", "watch", "off_target", "no_data"])]
    >>> r = rollup(a, "cost")
    >>> r.status, r.on_target, r.judged, r.questions, r.confidence
    ('watch', 2, 4, 5, 'medium')
    """
    qs = [a for a in answers if category is None or a.category == category]
    judged = [a for a in qs if a.status in _JUDGED and not a.low_sample]
    off = sum(a.status == "off_target" for a in judged)
    watch = sum(a.status == "watch" for a in judged)
    if not judged:
        status = "no_data"
    elif 2 * off > len(judged):
        status = "off_target"
    elif off == 0 and 4 * watch <= len(judged):
        status = "on_target"
    else:
        status = "watch"
    share = len(judged) / len(qs) if qs else 0.0
    confidence = "high" if share >= 0.9 else "medium" if share >= 2 / 3 else "low"
    on = sum(a.status == "on_target" for a in judged)
    return Rollup(status, on, len(judged), len(qs), confidence)


def _sure(r: Rollup, confidence: str | None = None) -> str:
    """``high confidence: 11 of 11 questions answered on enough data``."""
    return ngettext(
        "{confidence}: {k} of {n} question answered on enough data",
        "{confidence}: {k} of {n} questions answered on enough data",
        r.questions,
    ).format(
        confidence=_(CONFIDENCE[confidence or r.confidence]),
        k=i18n.number(r.judged),
        n=i18n.number(r.questions),
    )


def _on_target(r: Rollup) -> str:
    """``7 of 11 questions on target``."""
    return ngettext(
        "{k} of {n} question on target", "{k} of {n} questions on target", r.questions
    ).format(k=i18n.number(r.on_target), n=i18n.number(r.questions))


def _key(ev: Evidence, cur: str) -> str:
    """``first-contact resolution 62.7% against 70.0%`` (no target: the value alone)."""
    fmt = {"label": _lc(ev.label), "value": _fmt(ev, cur)}
    if ev.group:
        fmt["label"] = _("{label} for {group}").format(
            label=fmt["label"], group=", ".join(ev.group.values())
        )
    if ev.target is None or math.isnan(ev.target):
        return "{label} {value}".format(**fmt)
    # Translators: a key number, e.g. "first-contact resolution 62.7% against 70.0%"
    return _("{label} {value} against {target}").format(
        **fmt, target=format_value(ev.target, ev.unit, cur)
    )


def _largest_gap(answers: list[Answer], findings: list[Finding], category: str) -> Evidence | None:
    """The evidence of the first improvement finding (ranked by gap × volume) that
    belongs to a question of ``category``."""
    by_kpi = {}
    for a in answers:
        if a.category == category and a.status in ("watch", "off_target"):
            for ev in a.evidence:
                by_kpi.setdefault((ev.kpi, tuple((ev.group or {}).items())), ev)
    for fd in findings:
        if fd.kind == "improvement":
            e = fd.evidence[0]
            found = by_kpi.get((e["kpi"], tuple((e.get("group") or {}).items())))
            if found is not None:
                return found
    return None


def _program_verdict(status: str, words: tuple[str, str, str]) -> str:
    """The word of ``words`` (on target, watch, off target) for ``status``, translated."""
    return _(dict(zip(_JUDGED, words, strict=True))[status])


def _rollup_answer(
    qid: str,
    roll: Rollup,
    no_data: str,
    sentence: str,
    verdicts: tuple[str, str, str],
    key: tuple[str, Evidence | None],
    cur: str,
) -> ProgramAnswer:
    """One of the four answers that a category's :func:`rollup` decides: ``sentence`` (in
    the report's language) filled with the verdict, the count on target, the status, the
    key number (``key``: its name in the evidence and the evidence) and how sure it is;
    ``no_data`` when no question of the category could be judged."""
    name, ev = key
    if roll.status == "no_data":
        text_ = no_data
    else:
        text_ = sentence.format(
            verdict=_program_verdict(roll.status, verdicts),
            count=_on_target(roll),
            status=status_label(roll.status),
            key=_key(ev, cur) if ev else _("none"),
            sure=_sure(roll),
        )
    evidence = [{**asdict(roll), name: asdict(ev) if ev else None}]
    return ProgramAnswer(
        qid, _(PROGRAM_QUESTIONS[qid]), roll.status, text_, roll.confidence, evidence
    )


def program_answers(
    f: _Facts, answers: list[Answer], findings: list[Finding], cur: str
) -> list[ProgramAnswer]:
    """Article 000's four questions about the whole program: is it effective, what does it
    cost, how has it shaped the customer experience, is it worth its cost.

    Effectiveness and experience: the :func:`rollup` of their checklist answers, with the
    largest gap (effectiveness) or satisfaction (experience) as the key number. Cost: the
    total cost and the cost per contact of the period, with the rollup of the cost
    questions. Worth: yes when effectiveness and experience are on target and cost is not
    off target; no when both are off target, or cost is off target with either; partly
    otherwise; the key number is the cost to revenue (else the cost per contact) and
    whether months that cost more per contact brought better results (Spearman, the
    cost-against-value finding).
    """
    eff, cost, exp = (rollup(answers, c) for c in ("effectiveness", "cost", "experience"))
    total, cpc = f.evidence("total_cost"), f.evidence("cost_per_contact")
    return [
        _effective_answer(answers, findings, eff, cur),
        _cost_answer(f, cost, total, cpc, cur),
        _experience_answer(answers, exp, cur),
        _worth(f, answers, findings, (eff, exp, cost), total, cpc, cur),
    ]


def _effective_answer(
    answers: list[Answer], findings: list[Finding], eff: Rollup, cur: str
) -> ProgramAnswer:
    """Has the program been effective? (the largest gap as the key number)"""
    gap = _largest_gap(answers, findings, "effectiveness")
    return _rollup_answer(
        "effective",
        eff,
        _("No data: no effectiveness question could be judged."),
        # Translators: the answer to "Has the program been effective?"; {verdict} is
        # Yes, Partly or No; {count} e.g. "7 of 11 questions on target"; {status} e.g.
        # "watch"; {key} the largest gap; {sure} how sure the answer is
        _("{verdict}: {count} ({status}); largest gap: {key}; {sure}."),
        (N_("Yes"), N_("Partly"), N_("No")),
        ("largest_gap", gap),
        cur,
    )


def _cost_answer(
    f: _Facts, cost: Rollup, total: Evidence, cpc: Evidence, cur: str
) -> ProgramAnswer:
    """What is the program's operational cost? (the total and the cost per contact)"""
    if total.status == "no_data":
        text_ = _("No data: the period has no costs.")
        status = "no_data"
    else:
        status = cost.status
        # Translators: the answer to "What is the program's operational cost?"; {total} an
        # amount, {per_contact} e.g. "€8.57 per contact against €8.00", {change} e.g. ",
        # up 0.27 from September 2026 (not tested)"; {count} e.g. "3 of 5 questions on
        # target"; {status} e.g. "watch"
        text_ = _("{total} in {period}, {per_contact}{change}; {count} ({status}); {sure}.").format(
            total=_fmt(total, cur),
            period=i18n.period(f.period.label),
            per_contact=_per_contact(cpc, cur),
            change=_change_clause(cpc) if cpc.status != "no_data" else "",
            count=_on_target(cost),
            status=status_label(status),
            sure=_sure(cost),
        )
    return ProgramAnswer(
        "cost",
        _(PROGRAM_QUESTIONS["cost"]),
        status,
        text_,
        cost.confidence,
        [{**asdict(cost)}, asdict(total), asdict(cpc)],
    )


def _per_contact(cpc: Evidence, cur: str) -> str:
    """``€8.57 per contact against €8.00`` (the target only when there is one)."""
    if cpc.status == "no_data":
        return _("no cost per contact")
    if cpc.target is None:
        # Translators: part of the cost answer, e.g. "€8.57 per contact"
        return _("{value} per contact").format(value=_fmt(cpc, cur))
    # Translators: part of the cost answer, e.g. "€8.57 per contact against €8.00"
    return _("{value} per contact against {target}").format(
        value=_fmt(cpc, cur), target=format_value(cpc.target, cpc.unit, cur)
    )


def _experience_answer(answers: list[Answer], exp: Rollup, cur: str) -> ProgramAnswer:
    """How has the program shaped the customer experience? (satisfaction, else the
    first judged experience question, as the key number)"""
    sat = next((a for a in answers if a.id == "satisfied" and a.status != "no_data"), None)
    judged = [a.evidence[0] for a in answers if a.category == "experience" and a.status in _JUDGED]
    key = sat.evidence[0] if sat else (judged[0] if judged else None)
    return _rollup_answer(
        "experience",
        exp,
        _("No data: no customer-experience question could be judged."),
        # Translators: the answer to "How has the program shaped the customer
        # experience?"; {verdict} is Well, Mixed or Poorly; {key} e.g. "CSAT 80.9%
        # against 80.0%"
        _("{verdict}: {count} ({status}); {key}; {sure}."),
        (N_("Well"), N_("Mixed"), N_("Poorly")),
        ("key", key),
        cur,
    )


def _worth(
    f: _Facts,
    answers: list[Answer],
    findings: list[Finding],
    rollups: tuple[Rollup, Rollup, Rollup],
    total: Evidence,
    cpc: Evidence,
    cur: str,
) -> ProgramAnswer:
    """Is the program worth its cost? (see :func:`program_answers`)."""
    eff, exp, cost = rollups
    question = _(PROGRAM_QUESTIONS["worth"])
    if total.status == "no_data" or (eff.status == "no_data" and exp.status == "no_data"):
        text_ = _("No data: cost and results are both needed to weigh one against the other.")
        return ProgramAnswer("worth", question, "no_data", text_, "low", [])
    status = _worth_status(eff, exp, cost)
    ctr = f.evidence("cost_to_revenue")
    over_time = next(
        (fd for fd in findings if fd.kind == "cost_value" and "spearman_rho" in fd.evidence[0]),
        None,
    )
    confidence = max((r.confidence for r in rollups), key=list(CONFIDENCE).index)
    link, confidence = _spending_link(over_time, confidence)
    # Translators: the answer to "Is the program worth its cost?"; {verdict} is Yes, Partly
    # or No; {spend} what the service costs; {effectiveness} and {experience} are "on
    # target", "mixed" or "off target"; {link} whether spending buys results
    text_ = _(
        "{verdict}: {spend}, with effectiveness {effectiveness} and experience {experience}; "
        "{link} ({status}); {sure}."
    ).format(
        verdict=_program_verdict(status, (N_("Yes"), N_("Partly"), N_("No"))),
        spend=_spend(ctr, cpc, cur),
        effectiveness=_(ROLLUP_WORDS[eff.status]),
        experience=_(ROLLUP_WORDS[exp.status]),
        link=link,
        status=status_label(status),
        sure=_sure(rollup(answers), confidence),
    )
    evidence = [asdict(cpc)] + ([asdict(ctr)] if ctr.status != "no_data" else [])
    if over_time is not None:
        evidence += over_time.evidence
    return ProgramAnswer("worth", question, status, text_, confidence, evidence)


def _worth_status(eff: Rollup, exp: Rollup, cost: Rollup) -> str:
    """Worth its cost: on target when effectiveness and experience are and cost is not
    off target; off target when both are off target, or cost is with either; else
    watch."""
    if eff.status == exp.status == "on_target" and cost.status != "off_target":
        return "on_target"
    if (eff.status == exp.status == "off_target") or (
        cost.status == "off_target" and "off_target" in (eff.status, exp.status)
    ):
        return "off_target"
    return "watch"


def _spend(ctr: Evidence, cpc: Evidence, cur: str) -> str:
    """What the service costs: its share of revenue (when known) and per contact."""
    if ctr.status != "no_data":
        # Translators: e.g. "service costs 13.9% of revenue (€8.57 per contact)"
        return _("service costs {share} of revenue ({cpc} per contact)").format(
            share=_fmt(ctr, cur), cpc=_fmt(cpc, cur)
        )
    return _("service costs {cpc} per contact").format(cpc=_fmt(cpc, cur))


def _spending_link(over_time: Finding | None, confidence: str) -> tuple[str, str]:
    """Whether months that cost more per contact brought better results (the
    cost-against-value finding over time), and the confidence that leaves."""
    if over_time is None:
        return _("too few months of costs to see whether spending buys results"), "low"
    sig = [e for e in over_time.evidence if e["p_value"] < ALPHA]
    if sig and all(e["spearman_rho"] > 0 for e in sig):
        return _("months that cost more per contact brought better results"), confidence
    if sig and all(e["spearman_rho"] < 0 for e in sig):
        return _("months that cost more per contact brought worse results"), confidence
    link = _("months that cost more per contact brought no better results")
    return link, max(confidence, "medium", key=list(CONFIDENCE).index)
