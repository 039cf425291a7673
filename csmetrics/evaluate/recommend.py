"""Recommendations: rules registered by name, each turning the numbers that trigger it
into a specific action.

A rule is ``rule(facts, answers, findings, currency)`` returning a list of
:class:`~csmetrics.evaluate.model.Recommendation` (empty when it has nothing to say).
:func:`recommendations` runs every rule in registration order and ranks what they return
by ``impact`` (a stable sort: equal impacts keep the rules' order). A team adds a rule
with :func:`register_rule`, without touching the others:

>>> @register_rule("nothing_to_add")
... def _nothing(facts, answers, findings, currency):
...     return []
>>> get_rule("nothing_to_add") is _nothing
True
>>> _ = RECOMMENDATION_RULES.pop("nothing_to_add")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

import pandas as pd
from babel import Locale

from .. import analysis, i18n
from ..i18n import N_, _, ngettext
from ..kpis import get
from ..periods import Period
from ..prepare import Prepared
from ..registry import Registry
from ..summary import format_change, format_value, negligible
from .facts import _Facts
from .findings import cost_value
from .model import Answer, Finding, Recommendation
from .recurring import recurring
from .wording import _lc, _segment

#: The fewest tickets a channel needs before volume is steered away from it.
MIN_VOLUME = 30

#: A recommendation rule: ``rule(facts, answers, findings, currency)``.
RecommendationRule = Callable[[_Facts, list[Answer], list[Finding], str], list[Recommendation]]
#: The registered rules by name, in registration order (the order they run in).
RECOMMENDATION_RULES: Registry[RecommendationRule] = Registry("recommendation rule")


def register_rule(name: str, rule: RecommendationRule | None = None) -> Any:
    """Register the recommendation rule ``name``; it runs after those registered before.

    Used as ``register_rule("name", rule)`` or as a decorator, ``@register_rule("name")``;
    registering a name again replaces its rule in its place.

    Parameters
    ----------
    name : str
        The rule's name.
    rule : callable, optional
        ``rule(facts, answers, findings, currency)`` returning a list of
        :class:`~csmetrics.evaluate.model.Recommendation`.

    Returns
    -------
    callable
        ``rule``, or (without it) the decorator that registers the function it wraps.
    """
    return RECOMMENDATION_RULES.register(name, rule)


def get_rule(name: str) -> RecommendationRule:
    """The recommendation rule registered as ``name``.

    Raises
    ------
    CsmetricsError
        No rule of that name is registered (the message lists the known ones).

    Examples
    --------
    >>> get_rule("guess")
    Traceback (most recent call last):
    ...
    csmetrics.errors.CsmetricsError: unknown recommendation rule 'guess'; known rules: shift_channel_volume, staff_weak_hours, fix_recurring_request, improve_off_target_kpi, act_on_recurring_theme, cost_up_satisfaction_down
    """  # noqa: E501
    return RECOMMENDATION_RULES.lookup(name)


def recommendations(
    f: _Facts, answers: list[Answer], findings: list[Finding], cur: str
) -> list[Recommendation]:
    """Rule-based recommendations; each exists only with the numbers that triggered it.

    Ranked by ``impact`` = observations affected × relative size of the gap: tickets of
    the dearest channel × (its cost per resolution / the median − 1); calls in the hours
    below the service-level target × mean relative shortfall; tickets of a recurring
    request type × its share of all tickets; observations of an off-target KPI × its
    relative gap; comments of a recurring complaint; CSAT answers × the relative CSAT
    drop when cost rose while satisfaction fell significantly.

    Parameters
    ----------
    f : _Facts
        The evaluation's KPI values.
    answers : list of Answer
        The checklist answered.
    findings : list of Finding
        The analysis' findings.
    cur : str
        The currency of amounts.

    Returns
    -------
    list of Recommendation
        Those of every registered rule (:data:`RECOMMENDATION_RULES`, in registration
        order) that cite evidence, highest impact first, ranked from 1.
    """
    recs: list[Recommendation] = []
    for rule in RECOMMENDATION_RULES.values():
        recs += rule(f, answers, findings, cur)
    recs = [r for r in recs if r.evidence]
    recs.sort(key=lambda r: r.impact, reverse=True)
    for i, r in enumerate(recs, 1):
        r.rank = i
    return recs


@register_rule("shift_channel_volume")
def _shift_channel_volume(
    f: _Facts, answers: list[Answer], findings: list[Finding], cur: str
) -> list[Recommendation]:
    """Shift volume from the most expensive channel per resolution when its first-contact
    resolution is below the channels' median (as the cost-against-value finding)."""
    cv = cost_value(f.prepared, f.period)
    if not {"cost_per_resolution", "fcr_rate", "tickets_created"} <= set(cv.columns):
        return []
    cv = cv.dropna(subset=["cost_per_resolution", "fcr_rate"])
    if len(cv) < 3:
        return []
    dear = cv.loc[cv["cost_per_resolution"].idxmax()]
    enough = float(dear.get("tickets_created", 0) or 0) >= MIN_VOLUME
    if not (enough and dear["fcr_rate"] < cv["fcr_rate"].median()):  # as the finding
        return []
    cheap = (
        cv[(cv["fcr_rate"] > dear["fcr_rate"])]
        .sort_values("cost_per_resolution", kind="stable")
        .head(1)
    )
    median_cost = float(cv["cost_per_resolution"].median())
    impact = float(dear["tickets_created"]) * (float(dear["cost_per_resolution"]) / median_cost - 1)
    fmt = {
        "channel": dear["channel"],
        "cost": format_value(dear["cost_per_resolution"], "currency", cur),
        "median_cost": format_value(median_cost, "currency", cur),
        "fcr": i18n.percent(dear["fcr_rate"], 0),
        "median_fcr": i18n.percent(cv["fcr_rate"].median(), 0),
        "other": cheap["channel"].iloc[0] if len(cheap) else "",
    }
    return [
        Recommendation(
            0,
            # Translators: {channel} is a channel from the data (phone, email...)
            _("Shift volume away from {channel}").format(**fmt),
            _shift_volume_text(bool(len(cheap))).format(**fmt),
            impact,
            _channel_evidence(dear, cv),
        )
    ]


def _shift_volume_text(to_other: bool) -> str:
    """The sentence of :func:`_shift_channel_volume` (naming the cheaper channel with a
    better first-contact resolution when there is one, ``to_other``)."""
    if to_other:
        # Translators: {channel} and {other} are channels from the data
        return _(
            "{channel} is the most expensive channel per resolution ({cost}, median "
            "{median_cost}) and solves only {fcr} at first contact (median "
            "{median_fcr}): steer its requests towards {other} with self-service "
            "and routing."
        )
    return _(
        "{channel} is the most expensive channel per resolution ({cost}, median "
        "{median_cost}) and solves only {fcr} at first contact (median "
        "{median_fcr}): steer its requests with self-service and routing."
    )


def _channel_evidence(dear: pd.Series, cv: pd.DataFrame) -> list[dict]:
    """The dearest channel's cost per resolution and first-contact resolution against the
    channels' median, and its tickets."""
    channel = str(dear["channel"])
    return [
        {
            "channel": channel,
            "kpi": "cost_per_resolution",
            "value": float(dear["cost_per_resolution"]),
            "median": float(cv["cost_per_resolution"].median()),
        },
        {
            "channel": channel,
            "kpi": "fcr_rate",
            "value": float(dear["fcr_rate"]),
            "median": float(cv["fcr_rate"].median()),
        },
        {"channel": channel, "kpi": "tickets_created", "value": float(dear["tickets_created"])},
    ]


@register_rule("staff_weak_hours")
def _staff_weak_hours(
    f: _Facts, answers: list[Answer], findings: list[Finding], cur: str
) -> list[Recommendation]:
    """Add staff at the hours of the week where the phone service level breaks (hours
    with at least 20 calls below the target)."""
    if "calls" not in f.prepared.tables:
        return []
    hours = service_level_by_hour(f.prepared, f.period)
    target = f.target("service_level")
    bad = hours[(hours["n"] >= 20) & (hours["service_level"] < (target or 0.0))]
    if target is None or bad.empty:
        return []
    worst = bad.sort_values(["service_level", "weekday", "hour"], kind="stable").head(4)
    slots = ", ".join(
        f"{_weekday(int(r.weekday))} {int(r.hour):02d}:00 ({i18n.percent(r.service_level, 0)})"
        for r in worst.itertuples()
    )
    affected = float(bad["n"].sum())
    # Translators: {slots} lists hours of the week with their service level, e.g.
    # "Mon 09:00 (45%), Tue 10:00 (52%)"
    first = ngettext(
        "The service level falls below {target} in {n} hour(s) of the week; worst: {slots}.",
        "The service level falls below {target} in {n} hour(s) of the week; worst: {slots}.",
        len(bad),
    ).format(target=i18n.percent(target, 0), n=i18n.number(len(bad)), slots=slots)
    second = ngettext(
        "Move shifts or add agents at those hours ({n} call affected).",
        "Move shifts or add agents at those hours ({n} calls affected).",
        round(affected),
    ).format(n=i18n.number(affected))
    evidence = [
        {
            "kpi": "service_level",
            "weekday": DAYS[int(r.weekday)],
            "hour": int(r.hour),
            "value": float(r.service_level),
            "calls": float(r.n),
            "target": target,
        }
        for r in worst.itertuples()
    ]
    return [
        Recommendation(
            0,
            _("Add phone staff where the service level breaks"),
            f"{first} {second}",
            affected * float(((target - bad["service_level"]) / target).mean()),
            evidence,
        )
    ]


@register_rule("fix_recurring_request")
def _fix_recurring_request(
    f: _Facts, answers: list[Answer], findings: list[Finding], cur: str
) -> list[Recommendation]:
    """Fix the top recurring request type at its source (when it has tickets in the
    period)."""
    rec = recurring(f.prepared, f.period, "category")
    if rec.empty:
        return []
    top = rec.iloc[0]
    t_rows = analysis.rows_in(f.prepared, "tickets", "created_ts", f.period)
    n = float((t_rows["category"] == top["category"]).sum()) if "category" in t_rows else 0
    if not n:
        return []
    fmt = {
        "value": str(top["category"]),
        "k": i18n.number(top["months_in_top"]),
        "n": i18n.number(top["months"]),
        "share": i18n.percent(top["mean_share"], 0),
        "tickets": i18n.number(n),
    }
    evidence = {
        "column": "category",
        "value": str(top["category"]),
        "months_in_top": int(top["months_in_top"]),
        "months": int(top["months"]),
        "mean_share": float(top["mean_share"]),
        "tickets_in_period": n,
    }
    return [
        Recommendation(
            0,
            # Translators: {value} is a request type from the data (Billing...)
            _("Fix “{value}” at its source").format(**fmt),
            # Translators: {value} is a request type from the data; {k} of the last
            # {n} months; {tickets} the number of its tickets in the period
            ngettext(
                "“{value}” has been a top-3 request type in {k} of the last {n} month "
                "({share} of tickets; {tickets} this period). Remove the cause "
                "(product, process, documentation) instead of answering it again and "
                "again.",
                "“{value}” has been a top-3 request type in {k} of the last {n} months "
                "({share} of tickets; {tickets} this period). Remove the cause "
                "(product, process, documentation) instead of answering it again and "
                "again.",
                int(top["months"]),
            ).format(**fmt),
            n * float(top["mean_share"]),
            [evidence],
        )
    ]


@register_rule("improve_off_target_kpi")
def _improve_off_target_kpi(
    f: _Facts, answers: list[Answer], findings: list[Finding], cur: str
) -> list[Recommendation]:
    """An action for each improvement area whose KPI has one (:data:`ACTIONS`): first
    contact resolution, backlog, SLA, abandonment..., starting with its worst segment."""
    recs = []
    for fd in findings:
        if fd.kind != "improvement":
            continue
        ev = fd.evidence[0]
        kpi = ev["kpi"]
        if kpi not in ACTIONS:
            continue
        recs.append(
            Recommendation(
                0,
                _("Improve {label}").format(label=_lc(get(kpi).label)),
                # Translators: {finding} is a sentence about a KPI; {action} what to do
                _("{finding} Action: {action}.").format(
                    finding=fd.text, action=_(ACTIONS[kpi]).format(seg=_where_to_start(ev))
                ),
                float(ev["n"]) * float(ev["gap"]),
                [ev],
            )
        )
    return recs


def _where_to_start(ev: dict) -> str:
    """``channel (email)``: the first worst segment of an improvement finding's evidence,
    else ``areas``."""
    worst = ev["worst_segments"][0] if ev["worst_segments"] else None
    if worst:
        # Translators: where to start, e.g. "channel (email)": {segment} is channel,
        # team..., {group} a value from the data
        return _("{segment} ({group})").format(
            segment=_segment(worst["segment"]), group=worst["value"]
        )
    # Translators: where to start when no channel, team or category stands out, as in
    # "coach the weakest areas"
    return _("areas")


@register_rule("act_on_recurring_theme")
def _act_on_recurring_theme(
    f: _Facts, answers: list[Answer], findings: list[Finding], cur: str
) -> list[Recommendation]:
    """Act on the first recurring theme of unhappy comments."""
    for fd in findings:
        if fd.kind == "recurring" and "theme" in fd.evidence[0]:
            ev = fd.evidence[0]
            return [
                Recommendation(
                    0,
                    # Translators: {theme} is words from customers' comments (not translated)
                    _("Act on “{theme}”").format(theme=ev["theme"]),
                    # Translators: {finding} is a sentence about a recurring complaint
                    _(
                        "{finding} Find the process behind it and fix it; tell customers when "
                        "it is fixed."
                    ).format(finding=fd.text),
                    float(ev["comments"]),
                    [ev],
                )
            ]
    return []


@register_rule("cost_up_satisfaction_down")
def _cost_up_satisfaction_down(
    f: _Facts, answers: list[Answer], findings: list[Finding], cur: str
) -> list[Recommendation]:
    """Review the spending when the cost per contact rose while satisfaction fell
    significantly."""
    by_id = {a.id: a for a in answers}
    cpc = by_id.get("cost_per_contact")
    sat = by_id.get("satisfied")
    if not (cpc and sat and cpc.evidence and sat.evidence):
        return []
    c, s = cpc.evidence[0], sat.evidence[0]
    if not (
        c.previous
        and s.previous
        and c.previous.change > 0
        and s.previous.change < 0
        and not negligible(c.previous.change, c.unit)
        and s.previous.significant  # a CSAT dip within noise is no signal
    ):
        return []
    return [
        Recommendation(
            0,
            _("Cost is rising while satisfaction falls"),
            # Translators: {change} and {csat_change} are signed changes (+5.00,
            # -25.0 pp); {before} → {now} the cost per contact of the two periods
            _(
                "Cost per contact rose {change} ({before} → {now}) while CSAT moved "
                "{csat_change}: review what the extra spending pays for before the "
                "next budget."
            ).format(
                change=format_change(c.previous.change, c.unit),
                before=format_value(c.previous.value, c.unit, cur),
                now=format_value(c.value, c.unit, cur),
                csat_change=format_change(s.previous.change, s.unit),
            ),
            s.n * abs(s.previous.change) / (abs(s.previous.value) or 1.0),
            [asdict(c), asdict(s)],
        )
    ]


DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]  # evidence (evaluation.json)

#: What to do about a KPI off target (``{seg}``: where to start, e.g. "channel (email)").
ACTIONS = {
    # Translators: an action; {seg} is where to start, e.g. "channel (email)" or "areas"
    "fcr_rate": N_(
        "coach the weakest {seg} and give agents the knowledge and authority to "
        "solve problems in one reply"
    ),
    "frt_median_h": N_("triage and answer first the channels and priorities that wait longest"),
    "abandonment_rate": N_("cover the busiest hours and offer call-backs"),
    "service_level": N_("cover the busiest hours and offer call-backs"),
    # Translators: an action; {seg} is where to start, e.g. "channel (email)" or "areas"
    "sla_attainment": N_("route by priority and watch the queues of the weakest {seg}"),
    "repeat_contact_rate": N_(
        "close the loop: confirm the fix before closing a ticket, starting with {seg}"
    ),
    "unresolved_rate": N_("review old open tickets weekly, starting with {seg}"),
    "csat_score": N_("follow up every unhappy answer, starting with {seg}"),
    "nps": N_("follow up detractors, starting with {seg}"),
    "ces_mean": N_("remove steps from the most effortful journeys, starting with {seg}"),
    # Translators: an action; {seg} is where to start, e.g. "channel (email)" or "areas"
    "resolution_median_h": N_("speed up hand-offs in the slowest {seg}"),
    "churn_rate": N_("contact customers at risk after a bad experience"),
    "cost_to_revenue": N_("review the cost lines that grew fastest"),
    "survey_response_rate": N_("shorten surveys and send them right after the contact"),
}


def _weekday(day: int) -> str:
    """The abbreviated name of a weekday (0 = Monday) in the current locale (``Mon``)."""
    return Locale.parse(i18n.get_locale()).days["format"]["abbreviated"][day]


def service_level_by_hour(prepared: Prepared, period: Period) -> pd.DataFrame:
    """Service level and calls per hour of the week (local time) in the period."""
    c = analysis.rows_in(prepared, "calls", "arrived_ts", period)
    if c.empty or "sl_flag" not in c:
        return pd.DataFrame(columns=["weekday", "hour", "service_level", "n"])
    g = c.groupby(["weekday", "hour"])["sl_flag"].agg(["mean", "count"]).reset_index()
    return g.rename(columns={"mean": "service_level", "count": "n"})
