"""The built-in judging rules of the checklist, registered by name
(:func:`csmetrics.checklist.register_judge`).

A rule takes the evaluation's facts, a checklist question and the currency and returns
``(status, sentence, evidence)``: ``target`` (a KPI against its target, optionally every
group of a column), ``trend`` (the change against the previous period), ``group_extreme``
(the largest or smallest group against the median), ``group_spread`` (the weakest group
against all), ``staffing`` (occupancy, service level and Erlang C) and ``themes`` (what
unhappy comments repeat).
"""

from __future__ import annotations

import math

import pandas as pd

from .. import analysis, i18n, text
from ..checklist import register_judge
from ..i18n import _, ngettext
from ..kpis import KPI, direction, get
from ..stats import two_proportion_test
from ..summary import format_change, format_value, negligible, status_for
from .facts import _Facts, _group_records, _row_evidence
from .model import ALPHA, MIN_N, Evidence, _severity
from .wording import (
    _change_clause,
    _fmt,
    _g,
    _lc,
    _n_comments,
    _no_data,
    _no_data_by,
    _segment,
    _target_clause,
)


def _question_target(j: dict) -> float | None:
    """The question's own ``target``, else its ``default_target`` (a benchmark).

    csmetrics.yaml ``targets`` still take precedence (see :meth:`_Facts.target`).
    """
    return j.get("target", j.get("default_target"))


def _target_source(f: _Facts, j: dict) -> str:
    """Where the target a question is judged against comes from (:data:`TARGET_SOURCES`)."""
    if j.get("kpi") in f.cfg.targets:
        return "configured"
    return "checklist" if "target" in j else "benchmark"


def _group_evidence(f: _Facts, kpi: str, by: str, target: float | None) -> list[Evidence]:
    """Each group of ``by`` with at least :data:`MIN_N` observations, judged against the
    same ``target``, worst first (severity, then relative gap, then the group's name)."""
    k = get(kpi)
    better = direction(k, f.cfg)
    df = _group_records(f, kpi, by)
    df = df[df["n"] >= MIN_N]
    out = [
        _row_evidence(k, r, target, status_for(float(r["value"]), target, better), by)
        for r in df.to_dict(orient="records")
    ]

    def gap(e: Evidence) -> float:
        if e.target is None or better == "neutral":
            return 0.0
        d = (e.target - e.value) if better == "higher" else (e.value - e.target)
        return d / (abs(e.target) or 1.0)

    return sorted(out, key=lambda e: (-_severity(e.status), -gap(e), e.group[by]))


@register_judge("target")
def _judge_target(f: _Facts, q: dict, cur: str) -> tuple[str, str, list[Evidence]]:
    """The KPI against its target; with ``by``, every group of that column as well."""
    j = q["judge"]
    main = f.evidence(j["kpi"], _question_target(j))
    others = [f.evidence(k) for k in q.get("kpis", []) if k != j["kpi"]]
    if main.status == "no_data":
        return "no_data", _no_data(main), [main, *others]
    if main.target is None:
        return _judge_trend(f, q, cur)
    fmt = {
        "label": _lc(main.label),
        "value": _fmt(main, cur),
        "against": _target_clause(main, _target_source(f, j), cur),
    }
    # Translators: the body of an answer, e.g. "first-contact resolution is 62.7% against a
    # target of 70.0%" ({against} is the target part)
    body = _("{label} is {value} {against}").format(**fmt)
    status, evidence = main.status, [main]
    groups = _group_evidence(f, j["kpi"], j["by"], main.target) if j.get("by") else []
    if groups:
        worst = groups[0]
        missed = [g for g in groups if g.status in ("watch", "off_target")]
        gfmt = {
            "by": _segment(j["by"]),
            "group": worst.group[j["by"]],
            "value": _fmt(worst, cur),
            "groups": ", ".join(g.group[j["by"]] for g in missed),
        }
    body += _change_clause(main)
    if groups:
        if missed:
            # Translators: appended to an answer after "; ": the groups (channels...) that
            # miss the target and the worst one; {groups} and {group} are values from the data
            body += "; " + _("missed for {groups}; worst {by}: {group}, {value}").format(**gfmt)
        else:
            # Translators: appended to an answer after "; " when every group meets the
            # target; {group} is a value from the data (a channel...)
            body += "; " + _("met for every {by} (weakest: {group}, {value})").format(**gfmt)
        status = max(status, worst.status, key=_severity)
        evidence.append(worst)
    return status, body + ".", [*evidence, *others]


def _worse(ev: Evidence) -> bool | None:
    """True when the change from the previous period moved the KPI the wrong way (None:
    no change, a negligible one, or a KPI without a better direction)."""
    if (
        ev.previous is None
        or math.isnan(ev.previous.change)
        or negligible(ev.previous.change, ev.unit)
    ):
        return None
    better = get(ev.kpi).direction
    if better == "neutral":
        return None
    return (ev.previous.change > 0) != (better == "higher")


def _trend_status(main: Evidence) -> str:
    """The status of a KPI judged by its change from the previous period: on target when
    it did not get worse (on watch without a previous period), off target when it got
    worse by more than 5% significantly (or untested), else on watch."""
    worse = _worse(main)
    rel = (
        abs(main.previous.change) / abs(main.previous.value)
        if main.previous and main.previous.value
        else 0.0
    )
    if worse is None:
        return "on_target" if main.previous else "watch"
    if not worse:
        return "on_target"
    if main.previous.significant or (main.previous.significant is None and rel > 0.05):
        return "off_target" if rel > 0.05 else "watch"
    return "watch"


@register_judge("trend")
def _judge_trend(f: _Facts, q: dict, cur: str) -> tuple[str, str, list[Evidence]]:
    """The KPI's change against the previous period: off target when it got worse by more
    than 5% (significantly, or untested), on watch when it got worse otherwise; with the
    question's own target, the status follows the target."""
    j = q["judge"]
    main = f.evidence(j["kpi"], _question_target(j))
    others = [f.evidence(k) for k in q.get("kpis", []) if k != j["kpi"]]
    if main.status == "no_data":
        return "no_data", _no_data(main), [main, *others]
    own_target = j["kpi"] in f.cfg.targets or "target" in j
    if main.target is not None and j.get("rule") == "trend" and own_target:
        status = main.status
    else:
        status = _trend_status(main)
    fmt = {"label": _lc(main.label), "value": _fmt(main, cur)}
    if main.target is not None and own_target:  # the status follows the target: show it
        fmt["value"] += " " + _target_clause(main, _target_source(f, j), cur)
    if main.previous is None:
        # Translators: the body of an answer; {value} may end with its target
        sentence = _(
            "{label} is {value}; there is no earlier period to say whether it is rising"
        ).format(**fmt)
    else:
        sentence = {
            # Translators: the body of an answer, e.g. "open backlog is 643 and getting
            # worse"; {value} may end with its target ("against a target of €8.00")
            True: _("{label} is {value} and getting worse"),
            False: _("{label} is {value} and improving"),
            None: _("{label} is {value} and stable"),
        }[_worse(main)].format(**fmt) + _change_clause(main)
    if main.year_before is not None and not math.isnan(main.year_before.change):
        # Translators: appended to a sentence about a KPI after a semicolon: the change
        # against the same period a year earlier, e.g. "+2.1 pp against 2025-10"
        sentence += "; " + _("{change} against {period}").format(
            change=format_change(main.year_before.change, main.unit),
            period=i18n.period(main.year_before.period),
        )
    return status, sentence + ".", [main, *others]


@register_judge("group_extreme")
def _judge_group_extreme(f: _Facts, q: dict, cur: str) -> tuple[str, str, list[Evidence]]:
    """The largest (``pick: max``) or smallest group of ``judge.by`` against the median
    group: on watch beyond ``ratio`` (2) times the median."""
    j = q["judge"]
    k = get(j["kpi"])
    df = _group_records(f, j["kpi"], j["by"])
    overall = f.evidence(j["kpi"])
    if df.empty:
        return "no_data", _no_data_by(k.label, j["by"]), [overall]
    pick = (
        df.loc[df["value"].idxmax()]
        if j.get("pick", "max") == "max"
        else df.loc[df["value"].idxmin()]
    )
    median = float(df["value"].median())
    ratio = float(pick["value"]) / median if median else math.nan
    ev = _row_evidence(k, pick, None, "no_target", j["by"])
    limit = float(j.get("ratio", 2.0))
    status = "watch" if ratio > limit else "on_target"
    # Translators: e.g. "Phone: cost per resolution €30.00, 2.9× the median channel
    # (€10.50)."; {group} is a value from the data, {by} what it is (channel, team...)
    sentence = _("{group}: {label} {value}, {ratio}× the median {by} ({median}).").format(
        group=str(pick[j["by"]]).replace("_", " ").capitalize(),
        label=_lc(k.label),
        value=format_value(float(pick["value"]), k.unit, cur),
        ratio=i18n.number(ratio, 1),
        by=_segment(j["by"]),
        median=format_value(median, k.unit, cur),
    )
    return status, sentence, [ev, overall]


@register_judge("group_spread")
def _judge_group_spread(f: _Facts, q: dict, cur: str) -> tuple[str, str, list[Evidence]]:
    """The weakest group of ``judge.by`` against all: off target when it is more than
    ``margin`` worse and the difference is significant, on watch beyond half of it."""
    j = q["judge"]
    k = get(j["kpi"])
    overall = f.evidence(j["kpi"], _question_target(j))
    df = _group_records(f, j["kpi"], j["by"])
    df = df[df["n"] >= 30]
    if overall.status == "no_data" or df.empty:
        return "no_data", _no_data_by(k.label, j["by"]), [overall]
    higher = direction(k, f.cfg) == "higher"
    worst = df.loc[df["value"].idxmin()] if higher else df.loc[df["value"].idxmax()]
    gap = (
        (overall.value - float(worst["value"]))
        if higher
        else (float(worst["value"]) - overall.value)
    )
    p_value = math.nan
    if k.kind == "rate":
        n1, n2 = float(worst["n"]), overall.n
        p_value = two_proportion_test(float(worst["value"]) * n1, n1, overall.value * n2, n2)
    # Translators: {p} is a p-value (statistical significance), e.g. 0.012
    note = _("p = {p} against all").format(p=_g(p_value, 3)) if not math.isnan(p_value) else ""
    ev = _row_evidence(k, worst, overall.target, "no_target", j["by"], note)
    status = _spread_status(gap, float(j.get("margin", 0.05)), p_value, overall.status)
    return status, _spread_sentence(k, j["by"], worst, overall, p_value, cur), [ev, overall]


def _spread_status(gap: float, margin: float, p_value: float, overall_status: str) -> str:
    """The status of the weakest group's ``gap`` to all: off target beyond ``margin`` when
    significant, watch beyond half of it, else the status of all (on target without a
    target)."""
    significant = (not math.isnan(p_value)) and p_value < ALPHA
    if gap > margin and significant:
        return "off_target"
    if gap > margin / 2:
        return "watch"
    return overall_status if overall_status != "no_target" else "on_target"


def _spread_sentence(
    k: KPI, by: str, worst: pd.Series, overall: Evidence, p_value: float, cur: str
) -> str:
    """``the weakest team, Porto Tier 1, has … against … overall (significant, p = …);
    target … for all.``"""
    significant = (not math.isnan(p_value)) and p_value < ALPHA
    fmt = {
        "by": _segment(by),
        "group": worst[by],
        "label": _lc(k.label),
        "value": format_value(float(worst["value"]), k.unit, cur),
        "overall": _fmt(overall, cur),
        "p": _g(p_value, 2),
        "target": format_value(overall.target, k.unit, cur),
    }
    # Translators: the body of an answer; {by} is what {group} is (priority, team...);
    # {group} is a value from the data
    sentence = _("the weakest {by}, {group}, has {label} {value} against {overall} overall")
    if not math.isnan(p_value):
        sentence += " " + (
            _("(significant, p = {p})") if significant else _("(not significant, p = {p})")
        )
    if overall.target is not None and not math.isnan(overall.target):
        # Translators: appended to an answer after "; ": the target of the whole
        sentence += "; " + _("target {target} for all")
    sentence += "."
    return sentence.format(**fmt)


@register_judge("staffing")
def _judge_staffing(f: _Facts, q: dict, cur: str) -> tuple[str, str, list[Evidence]]:
    """Occupancy between ``low`` and ``high``, the phone service level against its target
    in force, and the agents Erlang C asks for against those staffed."""
    j = q["judge"]
    occ = f.evidence("occupancy")
    sl = f.evidence("service_level")  # against the target in force, as on the scorecard
    req, staffed = f.evidence("erlang_agents_required"), f.evidence("agents_staffed")
    evidence = [occ, sl, req, staffed]
    if occ.status == "no_data" and sl.status == "no_data":
        return "no_data", _("No data: staffing needs the staffing and calls tables."), evidence
    low, high = float(j.get("low", 0.6)), float(j.get("high", 0.85))
    parts = []
    status = "on_target"
    if occ.status != "no_data":
        parts.append(
            _("agents are busy {share} of their staffed time").format(
                share=i18n.percent(occ.value, 0)
            )
        )
        if occ.value > high:
            status = "off_target"
            parts.append(
                # Translators: about occupancy (the share of staffed time agents are busy)
                _("above {share}, where quality and attrition suffer").format(
                    share=i18n.percent(high, 0)
                )
            )
        elif occ.value < low:
            status = "watch"
            parts.append(
                # Translators: about occupancy (the share of staffed time agents are busy)
                _("below {share}: more staff than the work needs").format(
                    share=i18n.percent(low, 0)
                )
            )
    if sl.status in ("watch", "off_target"):
        status = "off_target" if sl.status == "off_target" else max(status, "watch", key=_severity)
        parts.append(
            _("the phone service level is {value}, below its {target} target").format(
                value=_fmt(sl, cur), target=format_value(sl.target, sl.unit, cur)
            )
        )
    if req.status != "no_data" and staffed.status != "no_data":
        parts.append(
            _(
                "Erlang C asks for {required} agents on the phone per open hour "
                "against {staffed} staffed for all channels"
            ).format(required=i18n.number(req.value, 1), staffed=i18n.number(staffed.value, 1))
        )
    sentence = "; ".join(parts) + "."
    return status, sentence, evidence


@register_judge("themes")
def _judge_themes(f: _Facts, q: dict, cur: str) -> tuple[str, str, list[Evidence]]:
    """The share of unhappy survey comments (on watch from ``share``, 10%) and the three
    themes they repeat most."""
    comments = analysis.comment_examples(f.prepared, f.period, per_band=1_000_000)
    csat = f.evidence("csat_score")
    if comments.empty:
        return "no_data", _("No data: there are no survey comments in the period."), [csat]
    unhappy = comments[comments["band"] == "unhappy"]
    found = text.themes(comments, top=3, min_count=2)
    top = (
        found[found["band"] == "unhappy"]
        .sort_values(["comments", "term"], ascending=[False, True], kind="stable")
        .head(3)
    )
    share = len(unhappy) / len(comments)
    n = len(comments)
    if top.empty:
        return (
            "on_target",
            ngettext(
                "Little to fix: {unhappy} of {n} comment is unhappy and no complaint repeats.",
                "Little to fix: {unhappy} of {n} comments are unhappy and no complaint repeats.",
                n,
            ).format(unhappy=i18n.number(len(unhappy)), n=i18n.number(n)),
            [csat],
        )
    items = _themes_text(top)
    status = "watch" if share >= float(q["judge"].get("share", 0.1)) else "on_target"
    ev = Evidence(
        "unhappy_comments",
        _("Share of unhappy comments"),
        "share",
        share,
        math.nan,
        math.nan,
        float(len(comments)),
        None,
        "no_target",
        note="; ".join(f"{t}: {c}" for t, c in zip(top["term"], top["comments"], strict=True)),
    )
    return (
        status,
        ngettext(
            "{share} of {n} comment is unhappy; what they repeat most: {themes}.",
            "{share} of {n} comments are unhappy; what they repeat most: {themes}.",
            n,
        ).format(share=i18n.percent(share, 0), n=i18n.number(n), themes=items),
        [ev, csat],
    )


def _themes_text(top: pd.DataFrame) -> str:
    """``“waiting” (12 comments, English); …``: the themes of :func:`_judge_themes`."""
    return "; ".join(
        # Translators: a theme of comments: {term} is words from the comments (not to be
        # translated), {comments} e.g. "12 comments", {language} a language's name
        _("“{term}” ({comments}, {language})").format(
            term=t, comments=_n_comments(c), language=i18n.language_name(lang)
        )
        for t, c, lang in zip(top["term"], top["comments"], top["language"], strict=True)
    )
