"""The evaluation of seed 000: the checklist answered with evidence, then the analysis.

``evaluate(prepared, period)`` answers every checklist question (``checklist.yaml``,
extended or replaced through ``csmetrics.yaml``) with a status (on target, watch, off
target, no data), one plain sentence and its evidence: KPI values with intervals, the
target, and the change against the previous period and the same period a year earlier
with its statistical significance. It then analyses the answers as the article asks —
patterns (control charts and trends), what repeats (request types, complaint categories,
comment themes), improvement areas, cost against value, peak against regular periods —
and ends with ranked, rule-based recommendations, each citing the numbers behind it.
Nothing is said without evidence: a question whose data is missing is answered
"no data", never guessed.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml
from babel import Locale
from scipy import stats as sstats

from . import analysis, i18n, text
from .errors import ConfigError, CsmetricsError
from .i18n import N_, _, ngettext
from .kpis import compute, direction, get, public_kpis
from .markup import Markup, Prose, prose
from .periods import Period, PeriodError
from .prepare import Prepared
from .stats import (
    laney_p_chart_limits,
    mann_whitney,
    nps_difference,
    poisson_rate_test,
    two_proportion_test,
    xmr_limits,
)
from .summary import (
    STATUS_LABEL,
    format_change,
    format_value,
    negligible,
    status_for,
    status_label,
)

ALPHA = 0.05
CATEGORIES = ("effectiveness", "cost", "experience")
RULES = ("target", "trend", "group_extreme", "group_spread", "staffing", "themes")
#: The checklist's categories as shown to people (translate with ``_(...)``).
CATEGORY_LABELS = {
    # Translators: a category of checklist questions (the program's effectiveness)
    "effectiveness": N_("effectiveness"),
    # Translators: a category of checklist questions (operational cost)
    "cost": N_("cost"),
    # Translators: a category of checklist questions (customer experience)
    "experience": N_("experience"),
}
#: Columns a KPI is broken down by, as named inside sentences (other columns: their name).
SEGMENT_NAMES = {
    # Translators: a breakdown, as in "the weakest channel" or "worst channel: email"
    "channel": N_("channel"),
    # Translators: a breakdown, as in "the weakest team" or "worst team: Porto Tier 1"
    "team": N_("team"),
    # Translators: a breakdown by request type, as in "worst category: Billing"
    "category": N_("category"),
    # Translators: a breakdown by ticket priority, as in "the weakest priority, urgent"
    "priority": N_("priority"),
    # Translators: a breakdown by queue, as in "the weakest queue"
    "queue": N_("queue"),
}


def _segment(column: str) -> str:
    """The name of a breakdown column for a sentence (``channel``, ``canal``...)."""
    return _(SEGMENT_NAMES[column]) if column in SEGMENT_NAMES else str(column)


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------


@dataclass
class Change:
    """A KPI's value in another period and whether the change is significant."""

    period: str
    value: float
    change: float
    p_value: float | None
    significant: bool | None
    test: str


@dataclass
class Evidence:
    """One KPI behind an answer, finding or recommendation."""

    kpi: str
    label: str
    unit: str
    value: float
    ci_low: float
    ci_high: float
    n: float
    target: float | None
    status: str
    previous: Change | None = None
    year_before: Change | None = None
    group: dict[str, str] | None = None
    note: str = ""

    def sentence(self, currency: str = "EUR") -> str:
        """``First-contact resolution 62.7% (target 70.0%)`` with its change."""
        fmt = {
            "label": self.label,
            "value": format_value(self.value, self.unit, currency),
            "group": ", ".join(self.group.values()) if self.group else "",
            "target": format_value(self.target, self.unit, currency),
        }
        has_target = self.target is not None and not math.isnan(self.target)
        if self.group and has_target:
            # Translators: evidence, e.g. "First-contact resolution for email 54.2% (target
            # 70.0%)"; {group} is a value from the data (a channel, a team...)
            text_ = _("{label} for {group} {value} (target {target})").format(**fmt)
        elif self.group:
            # Translators: evidence, e.g. "Cost per resolution for phone €30.00"
            text_ = _("{label} for {group} {value}").format(**fmt)
        elif has_target:
            # Translators: evidence, e.g. "First-contact resolution 62.7% (target 70.0%)"
            text_ = _("{label} {value} (target {target})").format(**fmt)
        else:
            text_ = f"{self.label} {fmt['value']}"
        if self.previous and not math.isnan(self.previous.change):
            change = {
                "change": format_change(self.previous.change, self.unit),
                "period": i18n.period(self.previous.period),
            }
            if self.previous.significant is None:
                # Translators: a change against an earlier period, e.g. "+2.1 pp vs 2026-09"
                clause = _("{change} vs {period}").format(**change)
            elif self.previous.significant:
                clause = _("{change} vs {period}, significant").format(**change)
            else:
                clause = _("{change} vs {period}, not significant").format(**change)
            text_ += ", " + clause
        return text_


@dataclass
class Answer:
    """A checklist question answered."""

    id: str
    category: str
    question: str
    status: str
    answer: str
    evidence: list[Evidence] = field(default_factory=list)
    #: what "Yes" means for the question's wording: positive, negative or open
    polarity: str = "positive"
    #: True when the answer rests on fewer than 30 observations ("too few to judge")
    low_sample: bool = False


@dataclass
class Finding:
    """A result of the analysis: pattern, recurring issue, improvement area, cost vs value,
    peak."""

    kind: str
    title: str
    text: str
    evidence: list[dict] = field(default_factory=list)


@dataclass
class Recommendation:
    """A specific action, ranked by the volume it affects and the size of the gap."""

    rank: int
    title: str
    text: str
    impact: float
    evidence: list[dict] = field(default_factory=list)


@dataclass
class Evaluation:
    """Everything the evaluation found for one period."""

    period: str
    compared_with: str | None
    year_before: str | None
    questions: list[Answer]
    findings: list[Finding]
    recommendations: list[Recommendation]
    currency: str = "EUR"
    #: article 000's four answers about the whole program (:func:`program_answers`)
    program: list[ProgramAnswer] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The documented ``evaluation.json`` structure (see the README)."""
        return _clean(asdict(self))

    def to_json(self) -> str:
        """``evaluation.json``."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def questions_frame(self) -> pd.DataFrame:
        """One row per question: category, question, status, answer."""
        return pd.DataFrame(
            [
                {
                    "category": a.category,
                    "question": _(a.question),
                    "status": _(STATUS_LABEL[a.status]) if a.status in STATUS_LABEL else a.status,
                    "answer": a.answer,
                }
                for a in self.questions
            ]
        )

    def status_counts(self) -> pd.DataFrame:
        """Questions per category and status (for people: categories and statuses are
        shown in the report's language)."""
        df = pd.DataFrame([{"category": a.category, "status": a.status} for a in self.questions])
        if df.empty:
            return df
        out = df.value_counts().unstack(fill_value=0).reindex(CATEGORIES, fill_value=0)
        out = out.reindex(columns=[s for s in STATUS_LABEL if s in out.columns])
        out.columns = [_(STATUS_LABEL[c]) for c in out.columns]
        # Translators: column header: the category of checklist questions (effectiveness...)
        name = _("category")
        out.index = pd.Index([_(CATEGORY_LABELS[c]) for c in out.index], name=name)
        return out


def _clean(obj: Any) -> Any:
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.generic):
        return _clean(obj.item())
    return obj


# ---------------------------------------------------------------------------------------
# The checklist
# ---------------------------------------------------------------------------------------


def default_checklist() -> list[dict]:
    """The questions shipped with the package (``csmetrics/checklist.yaml``)."""
    raw = yaml.safe_load(
        resources.files("csmetrics").joinpath("checklist.yaml").read_text(encoding="utf-8")
    )
    return raw["questions"]


def checklist(config) -> list[dict]:
    """The checklist in force: the package's, extended or replaced by ``csmetrics.yaml``.

    Raises
    ------
    ConfigError
        A question lacks a field, names an unknown KPI, category or rule, or repeats an id.
    """
    custom = getattr(config, "checklist", None) or {}
    questions = [] if custom.get("replace") else default_checklist()
    by_id = {q["id"]: i for i, q in enumerate(questions)}
    for q in custom.get("questions") or []:
        if isinstance(q, dict) and q.get("id") in by_id:
            questions[by_id[q["id"]]] = q
        else:
            questions.append(q)
    seen = set()
    for q in questions:
        where = f"checklist question {q.get('id', '?')!r}" if isinstance(q, dict) else "checklist"
        if not isinstance(q, dict):
            raise ConfigError(f"{where}: expected a mapping")
        missing = [k for k in ("id", "category", "question", "judge") if k not in q]
        if missing:
            raise ConfigError(f"{where}: missing {', '.join(missing)}")
        if q["id"] in seen:
            raise ConfigError(f"{where}: the id is used twice")
        seen.add(q["id"])
        if q["category"] not in CATEGORIES:
            raise ConfigError(f"{where}: category must be one of {', '.join(CATEGORIES)}")
        if not isinstance(q["judge"], dict):
            raise ConfigError(f"{where}: judge must be a mapping (rule, kpi, ...)")
        if q.get("polarity", "positive") not in POLARITIES:
            raise ConfigError(f"{where}: polarity must be one of {', '.join(POLARITIES)}")
        rule = q["judge"].get("rule")
        if rule not in RULES:
            raise ConfigError(f"{where}: judge.rule must be one of {', '.join(RULES)}")
        for k in [*q.get("kpis", []), *([q["judge"]["kpi"]] if "kpi" in q["judge"] else [])]:
            try:
                get(k)
            except CsmetricsError as exc:  # an unknown KPI is a configuration error
                raise ConfigError(f"{where}: {exc}") from None
    return questions


#: Where a target comes from: csmetrics.yaml ``targets``, a checklist question's own
#: ``target``, or a question's ``default_target`` (a common benchmark).
TARGET_SOURCES = {
    # Translators: where a target comes from: the team's csmetrics.yaml
    "configured": N_("configured"),
    # Translators: where a target comes from: a question of the evaluation checklist
    "checklist": N_("checklist question"),
    # Translators: where a target comes from: a common benchmark built into csmetrics
    "benchmark": N_("benchmark"),
}


@dataclass(frozen=True)
class Target:
    """A KPI's target and where it comes from (a key of :data:`TARGET_SOURCES`)."""

    value: float
    source: str


def targets_in_force(config) -> dict[str, Target]:
    """Every KPI target the evaluation judges against, by KPI id: one set for the
    evaluation, the scorecard and the section tables.

    Precedence: csmetrics.yaml ``targets`` (``configured``), then a checklist question's
    own ``target`` (``checklist``), then its ``default_target`` (``benchmark``); among
    questions, the first in checklist order. The staffing rule judges the service level
    against its target in force.

    Examples
    --------
    >>> from csmetrics.config import config_from_dict
    >>> t = targets_in_force(config_from_dict({"targets": {"fcr_rate": 0.75}}))
    >>> t["fcr_rate"], t["resolution_median_h"]
    (Target(value=0.75, source='configured'), Target(value=24.0, source='benchmark'))
    """
    out = {k: Target(float(v), "configured") for k, v in config.targets.items() if v is not None}
    questions = checklist(config)
    for key, source in (("target", "checklist"), ("default_target", "benchmark")):
        for q in questions:
            kpi, value = q["judge"].get("kpi"), q["judge"].get(key)
            if kpi and value is not None and kpi not in out:
                out[kpi] = Target(float(value), source)
    return out


# ---------------------------------------------------------------------------------------
# Evidence: values, changes and their significance
# ---------------------------------------------------------------------------------------


class _Facts:
    """KPI values of the period, the previous period and the year before, computed once."""

    def __init__(
        self, prepared: Prepared, period: Period, compared: Period | None, year: Period | None
    ) -> None:
        self.prepared = prepared
        self.period = period
        self.compared = compared
        self.year = year
        self.cfg = prepared.config
        self.in_force = targets_in_force(self.cfg)
        self._cache: dict[Any, pd.DataFrame] = {}

    def records(self, which: str, by: tuple[str, ...] = ()) -> pd.DataFrame:
        key = (which, by)
        if key not in self._cache:
            p = {"now": self.period, "prev": self.compared, "year": self.year}[which]
            if p is None:
                self._cache[key] = pd.DataFrame(columns=["kpi", "value", "available"])
            else:
                ids = [k.id for k in public_kpis()]
                self._cache[key] = compute(self.prepared, p, by=list(by), kpis=ids)
        return self._cache[key]

    def row(self, kpi: str, which: str = "now") -> dict | None:
        df = self.records(which)
        m = df[(df["kpi"] == kpi)]
        if m.empty:
            return None
        r = m.iloc[0].to_dict()
        return r if r["available"] else None

    def target(self, kpi: str, default: float | None = None) -> float | None:
        """The configured target, else ``default`` (a question's own), else the target in
        force for the KPI (:func:`targets_in_force`: the one the scorecard shows)."""
        t = self.cfg.targets.get(kpi)
        if t is not None:
            return float(t)
        if default is not None:
            return float(default)
        found = self.in_force.get(kpi)
        return None if found is None else found.value

    def evidence(self, kpi: str, default_target: float | None = None) -> Evidence:
        k = get(kpi)
        r = self.row(kpi)
        target = self.target(kpi, default_target)
        better = direction(k, self.cfg)
        # a count over no rows at all (an empty period) is no observation, not a zero
        if r is None or pd.isna(r["value"]) or (k.kind == "count" and not r["n"]):
            note = ""
            df = self.records("now")
            m = df[df["kpi"] == kpi]
            if len(m) and not m["available"].iloc[0]:
                note = str(m["note"].iloc[0])
            return Evidence(
                kpi,
                k.label,
                k.unit,
                math.nan,
                math.nan,
                math.nan,
                0.0,
                target,
                "no_data",
                note=note or _("no observations in the period"),
            )
        ev = Evidence(
            kpi,
            k.label,
            k.unit,
            float(r["value"]),
            _f(r["ci_low"]),
            _f(r["ci_high"]),
            float(r["n"]),
            target,
            status_for(float(r["value"]), target, better),
        )
        ev.previous = self.change(kpi, "prev")
        ev.year_before = self.change(kpi, "year")
        return ev

    def change(self, kpi: str, which: str) -> Change | None:
        p = self.compared if which == "prev" else self.year
        now, other = self.row(kpi), self.row(kpi, which)
        if p is None or now is None or other is None or pd.isna(other["value"]):
            return None
        if not other["n"] or not now["n"]:  # nothing observed: a zero count would be made up
            return None
        k = get(kpi)
        diff = float(now["value"]) - float(other["value"])
        p_value, test = significance(self.prepared, k, now, other, self.period, p)
        sig = None if p_value is None or math.isnan(p_value) else bool(p_value < ALPHA)
        return Change(p.label, float(other["value"]), diff, _f(p_value), sig, test)


def _f(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _days(p: Period) -> float:
    return (p.end - p.start).total_seconds() / 86400 if p.start is not None else math.nan


def kpi_values(prepared: Prepared, kpi, period: Period) -> np.ndarray:
    """The raw observations behind a mean or quantile KPI in a period (scaled)."""
    if not kpi.value or not kpi.basis or kpi.table not in prepared.tables:
        return np.array([])
    df = prepared.tables[kpi.table]
    if kpi.value not in df or kpi.basis not in df:
        return np.array([])
    rows = analysis.rows_in(prepared, kpi.table, kpi.basis, period)
    return rows[kpi.value].dropna().to_numpy(dtype=float) * kpi.scale


def significance(
    prepared: Prepared, kpi, now: dict, other: dict, period: Period, other_period: Period
) -> tuple[float | None, str]:
    """p-value of the change of one KPI between two periods, and the test used.

    Rates: two-proportion z-test; durations and scores: Mann–Whitney U on the raw
    observations; NPS: the interval of the difference (p-value from its z); counts:
    the exact conditional test of two Poisson rates per day. Accounting totals and
    ratios (costs, revenue) are not samples and are not tested.
    """
    if kpi.kind == "rate":
        n1, n2 = float(now["n"]), float(other["n"])
        s1, s2 = float(now["value"]) * n1, float(other["value"]) * n2
        return two_proportion_test(s1, n1, s2, n2), "two-proportion z-test"
    if kpi.kind in ("mean", "quantile"):
        x = kpi_values(prepared, kpi, period)
        y = kpi_values(prepared, kpi, other_period)
        if x.size and y.size:
            return mann_whitney(x, y), "Mann–Whitney U"
        return None, "not tested (no raw observations)"
    if kpi.id == "nps":
        mix_now = analysis.nps_mix(prepared, period)
        mix_other = analysis.nps_mix(prepared, other_period)
        if mix_now.empty or mix_other.empty:
            return None, "not tested"
        a, b = mix_now.iloc[0], mix_other.iloc[0]
        diff, lo, hi = nps_difference(
            a.promoters, a.detractors, a.n, b.promoters, b.detractors, b.n
        )
        if math.isnan(diff) or hi == lo:
            return None, "NPS difference interval"
        se = (hi - lo) / (2 * 1.959963984540054)
        return float(2 * sstats.norm.sf(abs(diff) / se)) if se else 1.0, "NPS difference interval"
    if kpi.kind == "count" and kpi.basis:
        return (
            poisson_rate_test(
                float(now["value"]), _days(period), float(other["value"]), _days(other_period)
            ),
            "Poisson rate test (per day)",
        )
    return None, "not tested (an accounting figure, not a sample)"


# ---------------------------------------------------------------------------------------
# Judging rules
# ---------------------------------------------------------------------------------------


def _lc(label: str) -> str:
    """Lower-case a label's first letter for use inside a sentence, keeping acronyms and
    proper names (``CSAT …``, ``Net Promoter Score``: a later word is capitalised too).

    >>> _lc("First response time, median"), _lc("Net Promoter Score"), _lc("CSAT mean")
    ('first response time, median', 'Net Promoter Score', 'CSAT mean')
    """
    words = label.split()
    if len(label) > 1 and label[1].isupper():
        return label
    if len(words) > 1 and words[1][:1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _fmt(ev: Evidence, cur: str) -> str:
    return format_value(ev.value, ev.unit, cur)


def _question_target(j: dict) -> float | None:
    """The question's own ``target``, else its ``default_target`` (a benchmark).

    csmetrics.yaml ``targets`` still take precedence (see :meth:`_Facts.target`).
    """
    return j.get("target", j.get("default_target"))


def _target_clause(main: Evidence, source: str, cur: str) -> str:
    """``against a target of 4.00 h`` (with ``(a common benchmark; set your own target)``
    when the target is the checklist's benchmark)."""
    target = format_value(main.target, main.unit, cur)
    if source == "benchmark":
        # Translators: part of an answer, after a KPI's value
        return _("against a target of {target} (a common benchmark; set your own target)").format(
            target=target
        )
    # Translators: part of an answer, after a KPI's value
    return _("against a target of {target}").format(target=target)


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
        Evidence(
            k.id,
            k.label,
            k.unit,
            float(r["value"]),
            _f(r["ci_low"]),
            _f(r["ci_high"]),
            float(r["n"]),
            target,
            status_for(float(r["value"]), target, better),
            group={by: str(r[by])},
        )
        for r in df.to_dict(orient="records")
    ]

    def gap(e: Evidence) -> float:
        if e.target is None or better == "neutral":
            return 0.0
        d = (e.target - e.value) if better == "higher" else (e.value - e.target)
        return d / (abs(e.target) or 1.0)

    return sorted(out, key=lambda e: (-_severity(e.status), -gap(e), e.group[by]))


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


#: The polarities of a checklist question: what "Yes" means for its wording.
POLARITIES = ("positive", "negative", "open")
#: Fewer observations than this and an answer says it is too few to judge.
MIN_N = 30


def polarity(q: dict) -> str:
    """The polarity of a checklist question: its ``polarity``, else ``open`` for the rules
    that name a group or themes (not yes/no questions), else ``positive``."""
    return q.get("polarity") or (
        "open" if q["judge"].get("rule") in ("group_extreme", "themes") else "positive"
    )


def _verdict(status: str, polarity_: str = "positive", rule: str = "target") -> str | None:
    """The short answer to a checklist question, following the question's wording.

    ``positive`` questions ("Are customers satisfied?"): Yes on target, No off target;
    ``negative`` ones ("Are requests left unresolved?"): No on target, Yes off target;
    on watch a middle word (Nearly, Mostly, Roughly; Somewhat for negative questions).
    ``open`` questions and statuses without a judgement have no short answer (None).

    Examples
    --------
    >>> _verdict("on_target", "negative"), _verdict("off_target", "negative")
    ('No', 'Yes')
    >>> _verdict("watch", "positive", "group_spread"), _verdict("on_target", "open")
    ('Mostly', None)
    """
    if polarity_ == "open" or status not in ("on_target", "watch", "off_target"):
        return None
    good = status == "on_target"
    if status == "watch":
        if polarity_ == "negative":
            # Translators: the short answer to a yes/no question whose "yes" is bad news
            # ("Are requests left unresolved? Somewhat"), before a colon
            return _("Somewhat")
        if rule == "group_spread":
            # Translators: the short answer to a checklist question, before a colon
            # ("mostly yes")
            return _("Mostly")
        if rule == "staffing":
            # Translators: the short answer to a checklist question, before a colon
            # ("roughly yes")
            return _("Roughly")
        # Translators: the short answer to a checklist question, before a colon ("nearly yes")
        return _("Nearly")
    if good == (polarity_ == "positive"):
        # Translators: the short answer to a checklist question, before a colon
        return _("Yes")
    # Translators: the short answer to a checklist question, before a colon
    return _("No")


def compose_answer(q: dict, status: str, body: str, n: float) -> str:
    """The sentence of an answer: the short answer (per the question's :func:`polarity`),
    or "Too few to judge" with ``n`` below :data:`MIN_N` observations, then ``body``.

    Examples
    --------
    >>> q = {"judge": {"rule": "target"}, "polarity": "negative"}
    >>> compose_answer(q, "on_target", "unresolved rate is 7.3%.", 5117)
    'No: unresolved rate is 7.3%.'
    >>> compose_answer(q, "on_target", "unresolved rate is 7.3%.", 1)
    'Too few to judge (only 1 observation): unresolved rate is 7.3%.'
    """
    if status == "no_data":
        return body
    if not math.isnan(n) and n < MIN_N:
        return ngettext(
            "Too few to judge (only {n} observation): {answer}",
            "Too few to judge (only {n} observations): {answer}",
            round(n),
        ).format(n=i18n.number(n), answer=body)
    verdict = _verdict(status, polarity(q), q["judge"].get("rule", "target"))
    if verdict is None:
        return body[:1].upper() + body[1:]
    # Translators: an answer: {verdict} is Yes, No, Nearly...; {answer} the sentence after it
    return _("{verdict}: {answer}").format(verdict=verdict, answer=body)


def _no_data(ev: Evidence) -> str:
    """``No data: <label> <why>.``"""
    # Translators: {why} says what is missing, e.g. "needs table calls"
    return _("No data: {label} {why}.").format(label=_lc(ev.label), why=ev.note)


def _change_clause(ev: Evidence) -> str:
    """``, up 2.1 pp from 2026-09 (significant)`` (empty without a change)."""
    c = ev.previous
    if c is None or math.isnan(c.change):
        return ""
    if negligible(c.change, ev.unit):
        # Translators: appended to a sentence about a KPI; {period} is the earlier period
        return ", " + _("unchanged since {period}").format(period=i18n.period(c.period))
    fmt = {
        "change": format_change(abs(c.change), ev.unit).lstrip("+"),
        "period": i18n.period(c.period),
    }
    if c.change > 0:
        clause = {
            # Translators: appended to a sentence about a KPI: the change from an earlier
            # period and whether it is significant; {change} is a size without sign (2.1 pp)
            True: _("up {change} from {period} (significant)"),
            False: _("up {change} from {period} (not significant)"),
            None: _("up {change} from {period} (not tested)"),
        }[c.significant]
    else:
        clause = {
            True: _("down {change} from {period} (significant)"),
            False: _("down {change} from {period} (not significant)"),
            None: _("down {change} from {period} (not tested)"),
        }[c.significant]
    return ", " + clause.format(**fmt)


def _worse(ev: Evidence) -> bool | None:
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


def _judge_trend(f: _Facts, q: dict, cur: str) -> tuple[str, str, list[Evidence]]:
    j = q["judge"]
    main = f.evidence(j["kpi"], _question_target(j))
    others = [f.evidence(k) for k in q.get("kpis", []) if k != j["kpi"]]
    if main.status == "no_data":
        return "no_data", _no_data(main), [main, *others]
    own_target = j["kpi"] in f.cfg.targets or "target" in j
    if main.target is not None and j.get("rule") == "trend" and own_target:
        status = main.status
    else:
        worse = _worse(main)
        rel = (
            abs(main.previous.change) / abs(main.previous.value)
            if main.previous and main.previous.value
            else 0.0
        )
        if worse is None:
            status = "on_target" if main.previous else "watch"
        elif not worse:
            status = "on_target"
        elif main.previous.significant or (main.previous.significant is None and rel > 0.05):
            status = "off_target" if rel > 0.05 else "watch"
        else:
            status = "watch"
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


def _group_records(f: _Facts, kpi: str, by: str) -> pd.DataFrame:
    df = f.records("now", (by,))
    df = df[(df["kpi"] == kpi) & df["available"] & df["value"].notna()]
    return df[df[by] != "(missing)"] if by in df else df.iloc[0:0]


def _judge_group_extreme(f: _Facts, q: dict, cur: str) -> tuple[str, str, list[Evidence]]:
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
    ev = Evidence(
        k.id,
        k.label,
        k.unit,
        float(pick["value"]),
        _f(pick["ci_low"]),
        _f(pick["ci_high"]),
        float(pick["n"]),
        None,
        "no_target",
        group={j["by"]: str(pick[j["by"]])},
    )
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


def _no_data_by(label: str, by: str) -> str:
    """``No data: <label> by <column> is not available.``"""
    # Translators: e.g. "No data: first-contact resolution by team is not available."
    return _("No data: {label} by {by} is not available.").format(label=_lc(label), by=_segment(by))


def _judge_group_spread(f: _Facts, q: dict, cur: str) -> tuple[str, str, list[Evidence]]:
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
    ev = Evidence(
        k.id,
        k.label,
        k.unit,
        float(worst["value"]),
        _f(worst["ci_low"]),
        _f(worst["ci_high"]),
        float(worst["n"]),
        overall.target,
        "no_target",
        group={j["by"]: str(worst[j["by"]])},
        # Translators: {p} is a p-value (statistical significance), e.g. 0.012
        note=_("p = {p} against all").format(p=_g(p_value, 3)) if not math.isnan(p_value) else "",
    )
    margin = float(j.get("margin", 0.05))
    significant = (not math.isnan(p_value)) and p_value < ALPHA
    if gap > margin and significant:
        status = "off_target"
    elif gap > margin / 2:
        status = "watch"
    else:
        status = overall.status if overall.status != "no_target" else "on_target"
    fmt = {
        "by": _segment(j["by"]),
        "group": worst[j["by"]],
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
    return status, sentence.format(**fmt), [ev, overall]


def _judge_staffing(f: _Facts, q: dict, cur: str) -> tuple[str, str, list[Evidence]]:
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


def _severity(status: str) -> int:
    return {"on_target": 0, "watch": 1, "off_target": 2, "no_data": -1}.get(status, 0)


def _judge_themes(f: _Facts, q: dict, cur: str) -> tuple[str, str, list[Evidence]]:
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
    items = "; ".join(
        # Translators: a theme of comments: {term} is words from the comments (not to be
        # translated), {comments} e.g. "12 comments", {language} a language's name
        _("“{term}” ({comments}, {language})").format(
            term=t, comments=_n_comments(c), language=i18n.language_name(lang)
        )
        for t, c, lang in zip(top["term"], top["comments"], top["language"], strict=True)
    )
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


def _n_comments(n: float) -> str:
    """``12 comments`` in the current language."""
    return ngettext("{n} comment", "{n} comments", n).format(n=i18n.number(n))


JUDGES = {"target": _judge_target, "trend": _judge_trend, "group_extreme": _judge_group_extreme,
          "group_spread": _judge_group_spread, "staffing": _judge_staffing,
          "themes": _judge_themes}  # fmt: skip


def answer_questions(f: _Facts, questions: list[dict], cur: str) -> list[Answer]:
    """Answer every checklist question (the question in the report's language: a team's
    own question without a translation stays as written)."""
    out = []
    for q in questions:
        status, body, evidence = JUDGES[q["judge"]["rule"]](f, q, cur)
        n = evidence[0].n if evidence and status != "no_data" else math.nan
        out.append(
            Answer(
                q["id"],
                q["category"],
                _(q["question"]),
                status,
                compose_answer(q, status, body, n),
                evidence,
                polarity=polarity(q),
                low_sample=bool(not math.isnan(n) and n < MIN_N),
            )
        )
    return out


# ---------------------------------------------------------------------------------------
# Analysis
# ---------------------------------------------------------------------------------------


def control_chart(trend: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """Monthly control chart of one KPI: a p-chart for rates, XmR otherwise.

    Rates use Laney's p′-chart (a p-chart widened for the month-to-month variation that
    large samples always show); other KPIs an XmR chart. Signals: a point outside the
    limits (rule 1) or eight in a row on one side of the centre line (rule 2).

    Points outside the first limits are special causes, not the process: the centre line
    and the limits are computed again without them (revised limits), so that one spike
    neither widens the limits nor moves the centre line above every other month.
    """
    k = get(kpi)
    df = trend[(trend["kpi"] == kpi) & trend["available"].astype(bool)].sort_values("month")
    df = df[df["value"].notna()].reset_index(drop=True)
    if len(df) < 4:
        return pd.DataFrame(columns=["month", "value", "lcl", "centre", "ucl", "signal", "rule"])
    values = df["value"].to_numpy(float)
    n = df["n"].to_numpy(float)

    def limits(base: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        if k.kind == "rate":
            return laney_p_chart_limits(values * n, n, base)
        lo, centre, hi = xmr_limits(values[base])
        return np.full(len(df), lo), centre, np.full(len(df), hi)

    # Translators: the name of a control chart (Laney's p-prime chart)
    kind = N_("Laney p′-chart") if k.kind == "rate" else "XmR"
    lcl, centre, ucl = limits(np.ones(len(df), dtype=bool))
    outside = (values > ucl) | (values < lcl)
    if outside.any() and (~outside).sum() >= 4:  # revised limits without the special causes
        lcl, centre, ucl = limits(~outside)
    out = pd.DataFrame(
        {
            "month": df["month"],
            "value": values,
            "lcl": lcl,
            "centre": centre,
            "ucl": ucl,
            "chart": kind,
        }
    )
    out["signal"] = (out["value"] > out["ucl"]) | (out["value"] < out["lcl"])
    out["rule"] = np.where(out["signal"], "outside the limits", "")
    side = np.sign(values - centre)
    run = 1
    for i in range(1, len(side)):
        run = run + 1 if side[i] == side[i - 1] and side[i] != 0 else 1
        if run >= 8:
            out.loc[i - 7 : i, "rule"] = out.loc[i - 7 : i, "rule"].where(
                out.loc[i - 7 : i, "rule"] != "", "8 in a row on one side"
            )
            out.loc[i - 7 : i, "signal"] = True
    return out


def trend_test(trend: pd.DataFrame, kpi: str) -> tuple[float, float] | None:
    """Kendall's tau of a KPI against time over the months, and its p-value."""
    df = trend[(trend["kpi"] == kpi) & trend["available"].astype(bool)].dropna(subset=["value"])
    if len(df) < 6:
        return None
    res = sstats.kendalltau(np.arange(len(df)), df.sort_values("month")["value"].to_numpy())
    return float(res.statistic), float(res.pvalue)


def _signal_text(row, k, chart: str, cur: str) -> str:
    """The sentence of one control-chart signal (outside the limits, or a run)."""
    fmt = {
        "label": k.label,
        "value": format_value(row.value, k.unit, cur),
        "month": i18n.month(row.month),
        "chart": _(chart),
        "lcl": format_value(row.lcl, k.unit, cur),
        "ucl": format_value(row.ucl, k.unit, cur),
        "centre": format_value(row.centre, k.unit, cur),
    }
    above = row.value > row.centre
    if row.rule == "outside the limits" and above:
        # Translators: {chart} is the name of a control chart (Laney p′-chart, XmR); {lcl}
        # and {ucl} its lower and upper limits
        text_ = _(
            "{label} was {value} in {month}, above its {chart} limits ({lcl} – {ucl}; "
            "outside the limits): something changed, not just noise."
        )
    elif row.rule == "outside the limits":
        text_ = _(
            "{label} was {value} in {month}, below its {chart} limits ({lcl} – {ucl}; "
            "outside the limits): something changed, not just noise."
        )
    elif above:
        text_ = _(
            "{label} was {value} in {month}, inside its {chart} limits ({lcl} – {ucl}) but "
            "above its centre line ({centre}), in a run of eight or more months on that "
            "side: something changed, not just noise."
        )
    else:
        text_ = _(
            "{label} was {value} in {month}, inside its {chart} limits ({lcl} – {ucl}) but "
            "below its centre line ({centre}), in a run of eight or more months on that "
            "side: something changed, not just noise."
        )
    return text_.format(**fmt)


def pattern_findings(trend: pd.DataFrame, period: Period, cur: str) -> list[Finding]:
    """Special-cause signals in the reporting month and significant monthly trends."""
    out = []
    label = period.label
    for kpi in sorted(trend["kpi"].unique()):
        k = get(kpi)
        chart = control_chart(trend, kpi)
        if not chart.empty:
            hits = chart[chart["signal"]]
            recent = hits[hits["month"] >= chart["month"].iloc[max(0, len(chart) - 3)]]
            for row in recent.itertuples():
                out.append(
                    Finding(
                        "pattern",
                        # Translators: {label} is a KPI's name, {month} a month (YYYY-MM)
                        _("Special-cause signal: {label} in {month}").format(
                            label=k.label, month=i18n.month(row.month)
                        ),
                        _signal_text(row, k, chart["chart"].iloc[0], cur),
                        [
                            {
                                "kpi": kpi,
                                "month": row.month,
                                "value": row.value,
                                "lcl": row.lcl,
                                "centre": row.centre,
                                "ucl": row.ucl,
                                "chart": chart["chart"].iloc[0],
                                "rule": row.rule,
                            }
                        ],
                    )
                )
        tt = trend_test(trend, kpi)
        if tt and tt[1] < ALPHA and k.direction != "neutral":
            rising = tt[0] > 0
            good = rising == (k.direction == "higher")
            fmt = {
                "label": k.label,
                "period": i18n.period(label),
                "tau": i18n.number(tt[0], 2),
                "p": _g(tt[1]),
            }
            title = _("Rising trend: {label}") if rising else _("Falling trend: {label}")
            if rising and good:
                # Translators: {tau} is Kendall's rank correlation, {p} its p-value
                text_ = _(
                    "{label} has been rising over the months to {period} "
                    "(Kendall's τ = {tau}, p = {p}) — an improvement."
                )
            elif rising:
                text_ = _(
                    "{label} has been rising over the months to {period} "
                    "(Kendall's τ = {tau}, p = {p}) — a deterioration."
                )
            elif good:
                text_ = _(
                    "{label} has been falling over the months to {period} "
                    "(Kendall's τ = {tau}, p = {p}) — an improvement."
                )
            else:
                text_ = _(
                    "{label} has been falling over the months to {period} "
                    "(Kendall's τ = {tau}, p = {p}) — a deterioration."
                )
            out.append(
                Finding(
                    "pattern",
                    title.format(**fmt),
                    text_.format(**fmt),
                    [
                        {
                            "kpi": kpi,
                            "tau": tt[0],
                            "p_value": tt[1],
                            "months": int(trend[trend["kpi"] == kpi]["value"].notna().sum()),
                        }
                    ],
                )
            )
    return out


def recurring(
    prepared: Prepared,
    period: Period,
    column: str,
    months: int = 6,
    top: int = 3,
    complaints_only: bool = False,
    min_share: float = 0.75,
) -> pd.DataFrame:
    """Values of ``column`` in the top ``top`` of tickets in most of the last ``months``."""
    t = prepared.tables.get("tickets")
    if t is None or column not in t:
        return pd.DataFrame(columns=[column, "months_in_top", "months", "mean_share"])
    if complaints_only and "is_complaint" not in t:  # no complaint flag: nothing to rank
        return pd.DataFrame(columns=[column, "months_in_top", "months", "mean_share"])
    df = t[t["is_complaint"] == 1] if complaints_only else t
    end = (period.end or pd.Timestamp(prepared.as_of)).tz_localize(None) - pd.Timedelta(days=1)
    last = end.to_period("M")
    window = {m.strftime("%Y-%m") for m in pd.period_range(last - (months - 1), last, freq="M")}
    df = df[df["created_month"].isin(window)]
    if df.empty:
        return pd.DataFrame(columns=[column, "months_in_top", "months", "mean_share"])
    counts = df.groupby(["created_month", column]).size().rename("k").reset_index()
    counts["share"] = counts["k"] / counts.groupby("created_month")["k"].transform("sum")
    counts["rank"] = counts.groupby("created_month")["k"].rank(ascending=False, method="min")
    n_months = counts["created_month"].nunique()
    g = counts.groupby(column).agg(
        months_in_top=("rank", lambda r: int((r <= top).sum())), mean_share=("share", "mean")
    )
    g["months"] = n_months
    g = g[g["months_in_top"] >= max(2, math.ceil(min_share * n_months))]
    g = g.reset_index()
    # ties broken by the category's name: the same input gives the same order
    order = ["months_in_top", "mean_share", column]
    return g.sort_values(order, ascending=[False, False, True], kind="stable").reset_index(
        drop=True
    )


def recurring_themes(
    prepared: Prepared, period: Period, months: int = 6, min_share: float = 0.5
) -> pd.DataFrame:
    """Unhappy-comment terms that are among the top terms in most of the last months."""
    end = (period.end or pd.Timestamp(prepared.as_of)).tz_localize(None) - pd.Timedelta(days=1)
    last = end.to_period("M")
    rows = []
    for m in pd.period_range(last - (months - 1), last, freq="M"):
        ex = analysis.comment_examples(prepared, m.strftime("%Y-%m"), per_band=1_000_000)
        if ex.empty:
            continue
        th = text.themes(ex[ex["band"] == "unhappy"], top=5, min_count=2)
        for r in th.itertuples():
            rows.append(
                {
                    "month": m.strftime("%Y-%m"),
                    "language": r.language,
                    "term": r.term,
                    "comments": r.comments,
                }
            )
    if not rows:
        return pd.DataFrame(columns=["language", "term", "months", "comments"])
    df = pd.DataFrame(rows)
    n_months = df["month"].nunique()
    g = (
        df.groupby(["language", "term"])
        .agg(months=("month", "nunique"), comments=("comments", "sum"))
        .reset_index()
    )
    g = g[g["months"] >= max(2, math.ceil(min_share * n_months))]
    order = ["months", "comments", "language", "term"]
    return g.sort_values(order, ascending=[False, False, True, True], kind="stable").reset_index(
        drop=True
    )


def repeat_findings(prepared: Prepared, period: Period) -> list[Finding]:
    """Request types, complaint categories and comment themes that stay at the top."""
    out = []
    for column, complaints in (("category", False), ("category", True)):
        rec = recurring(prepared, period, column, complaints_only=complaints)
        for r in rec.head(3).itertuples():
            fmt = {
                "value": getattr(r, column),
                "k": i18n.number(r.months_in_top),
                "n": i18n.number(r.months),
                "share": i18n.percent(r.mean_share, 0),
            }
            if complaints:
                # Translators: {value} is a complaint category from the data (Billing...)
                title = _("Recurring complaint category: {value}")
                text_ = ngettext(
                    "“{value}” was among the top 3 complaint categories in {k} of the last "
                    "{n} month, with {share} of complaints on average.",
                    "“{value}” was among the top 3 complaint categories in {k} of the last "
                    "{n} months, with {share} of complaints on average.",
                    r.months,
                )
            else:
                # Translators: {value} is a request type from the data (Billing, Delivery...)
                title = _("Recurring request type: {value}")
                # Translators: {value} is a request type from the data; {k} of the last {n}
                # months; {share} a percentage
                text_ = ngettext(
                    "“{value}” was among the top 3 request types in {k} of the last {n} "
                    "month, with {share} of tickets on average.",
                    "“{value}” was among the top 3 request types in {k} of the last {n} "
                    "months, with {share} of tickets on average.",
                    r.months,
                )
            out.append(
                Finding(
                    "recurring",
                    title.format(**fmt),
                    text_.format(**fmt),
                    [
                        {
                            "column": column,
                            "value": getattr(r, column),
                            "complaints_only": complaints,
                            "months_in_top": r.months_in_top,
                            "months": r.months,
                            "mean_share": r.mean_share,
                        }
                    ],
                )
            )
    th = recurring_themes(prepared, period)
    for r in th.head(3).itertuples():
        fmt = {
            "term": r.term,
            "language": i18n.language_name(r.language),
            "months": i18n.number(r.months),
            "n": i18n.number(r.comments),
        }
        out.append(
            Finding(
                "recurring",
                # Translators: {term} is words from the comments (not translated), {language}
                # the name of their language
                _("Recurring complaint in comments: “{term}” ({language})").format(**fmt),
                ngettext(
                    "Unhappy customers wrote “{term}” in {months} of the last months "
                    "({n} comment in {language}).",
                    "Unhappy customers wrote “{term}” in {months} of the last months "
                    "({n} comments in {language}).",
                    r.comments,
                ).format(**fmt),
                [
                    {
                        "theme": r.term,
                        "language": r.language,
                        "months": r.months,
                        "comments": r.comments,
                    }
                ],
            )
        )
    return out


SEGMENTS = ("channel", "team", "category")


def improvement_findings(f: _Facts, answers: list[Answer], cur: str) -> list[Finding]:
    """KPIs off target or on watch, ranked by gap × volume, with their worst segments."""
    rows = []
    for a in answers:
        if a.status not in ("off_target", "watch") or not a.evidence or a.evidence[0].group:
            continue
        # the judged evidence: the KPI itself, or its worst group when the question judges
        # every group (first response by channel); the largest gap decides
        judged = [
            ev
            for ev in a.evidence
            if ev.kpi == a.evidence[0].kpi
            and ev.target is not None
            and not math.isnan(ev.value)
            and ev.status in ("off_target", "watch")
        ]
        if not judged:
            continue
        gaps = [abs(ev.value - ev.target) / (abs(ev.target) or 1.0) for ev in judged]
        i = max(range(len(judged)), key=lambda i: gaps[i])
        rows.append((gaps[i] * judged[i].n, gaps[i], a, judged[i]))
    out = []
    for score, gap, _a, ev in sorted(rows, key=lambda r: (-r[0], r[3].kpi)):
        worst = []
        for seg in SEGMENTS:
            df = _group_records(f, ev.kpi, seg)
            df = df[df["n"] >= 30]
            if df.empty:
                continue
            higher = direction(get(ev.kpi), f.cfg) == "higher"
            w = df.loc[df["value"].idxmin() if higher else df["value"].idxmax()]
            worst.append(
                {
                    "segment": seg,
                    "value": str(w[seg]),
                    "kpi_value": float(w["value"]),
                    "n": float(w["n"]),
                }
            )
        # Translators: {gap} is the distance from the target as a percentage of the target
        text_ = ngettext(
            "{label} is {value} against {target} ({gap} off, {n} observation)",
            "{label} is {value} against {target} ({gap} off, {n} observations)",
            round(ev.n),
        ).format(
            label=(
                # Translators: a KPI for one group, e.g. "First response time, median for
                # email"; {group} is a value from the data
                _("{label} for {group}").format(label=ev.label, group=", ".join(ev.group.values()))
                if ev.group
                else ev.label
            ),
            value=format_value(ev.value, ev.unit, cur),
            target=format_value(ev.target, ev.unit, cur),
            gap=i18n.percent(gap, 0),
            n=i18n.number(ev.n),
        )
        for w in worst:
            # Translators: appended after "; " to a sentence about a KPI, e.g. "worst
            # channel: email (49.8%)"; {segment} is channel, team..., {group} from the data
            text_ += "; " + _("worst {segment}: {group} ({value})").format(
                segment=_segment(w["segment"]),
                group=w["value"],
                value=format_value(w["kpi_value"], ev.unit, cur),
            )
        out.append(
            Finding(
                "improvement",
                # Translators: a heading; {label} is a KPI's name, e.g. "Improve service level"
                _("Improve {label}").format(label=_lc(ev.label)),
                text_ + ".",
                [
                    {
                        "kpi": ev.kpi,
                        "value": ev.value,
                        "target": ev.target,
                        "gap": gap,
                        "n": ev.n,
                        "score": score,
                        "group": ev.group,
                        "worst_segments": worst,
                    }
                ],
            )
        )
    return out


def cost_value(
    prepared: Prepared, period: Period, months: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per channel: cost per contact and per resolution beside FCR, CSAT and NPS."""
    kpis = [
        "cost_per_contact",
        "cost_per_resolution",
        "fcr_rate",
        "csat_score",
        "nps",
        "tickets_created",
    ]
    df = compute(prepared, period, by=["channel"], kpis=kpis)
    df = df[df["available"] & df["channel"].notna() & (df["channel"] != "(missing)")]
    if df.empty:
        return pd.DataFrame(columns=["channel", *kpis])
    return df.pivot_table(index="channel", columns="kpi", values="value").reset_index()


def cost_value_findings(
    prepared: Prepared, period: Period, trend: pd.DataFrame, cur: str
) -> list[Finding]:
    """Is cost buying results? Over time (Spearman) and across channels."""
    out = []
    wide = trend.pivot_table(index="month", columns="kpi", values="value")
    if "cost_per_contact" in wide:
        pairs = []
        for outcome in ("fcr_rate", "csat_score", "nps"):
            if outcome not in wide:
                continue
            both = wide[["cost_per_contact", outcome]].dropna()
            if len(both) >= 6:
                rho, p = sstats.spearmanr(both["cost_per_contact"], both[outcome])
                pairs.append((outcome, float(rho), float(p)))
        if pairs:
            sig = [(o, r, p) for o, r, p in pairs if p < ALPHA]
            cpc = wide["cost_per_contact"].dropna()
            change = (cpc.iloc[-1] - cpc.iloc[0]) / cpc.iloc[0] if len(cpc) > 1 else math.nan
            if sig and all(r > 0 for _o, r, _p in sig):
                verdict = _(
                    "Months that cost more per contact also had better results: spending is "
                    "buying results."
                )
            elif sig and all(r < 0 for _o, r, _p in sig):
                verdict = _(
                    "Months that cost more per contact had worse results: spending is not "
                    "buying results."
                )
            else:
                verdict = _(
                    "Cost per contact and results move independently over the months: "
                    "higher spending has not bought better results, and savings have "
                    "not hurt them."
                )
            details = "; ".join(
                f"{get(o).label}: ρ = {i18n.number(r, 2, signed=True)} (p = {_g(p)})"
                for o, r, p in pairs
            )
            out.append(
                Finding(
                    "cost_value",
                    _("Is cost buying results? (over time)"),
                    # Translators: {verdict} is one of the sentences above; {change} a signed
                    # percentage; {correlations} e.g. "CSAT: ρ = +0.43 (p = 0.012); NPS: ..."
                    ngettext(
                        "{verdict} Cost per contact changed {change} over {n} month; "
                        "correlation with {correlations}.",
                        "{verdict} Cost per contact changed {change} over {n} months; "
                        "correlation with {correlations}.",
                        len(cpc),
                    ).format(
                        verdict=verdict,
                        change=_signed_percent(change),
                        n=i18n.number(len(cpc)),
                        correlations=details,
                    ),
                    [
                        {"kpi": "cost_per_contact", "outcome": o, "spearman_rho": r, "p_value": p}
                        for o, r, p in pairs
                    ],
                )
            )
    cv = cost_value(prepared, period)
    if not cv.empty and {"cost_per_resolution", "fcr_rate"} <= set(cv.columns):
        cv = cv.dropna(subset=["cost_per_resolution", "fcr_rate"])
        if len(cv) >= 2:
            dear = cv.loc[cv["cost_per_resolution"].idxmax()]
            overall_fcr = float(cv["fcr_rate"].median())
            if dear["fcr_rate"] < overall_fcr:
                # Translators: ends the sentence "The most expensive channel ...: {verdict}"
                verdict = _("it costs more and achieves less.")
            elif dear["fcr_rate"] > overall_fcr:
                # Translators: ends the sentence "The most expensive channel ...: {verdict}"
                verdict = _("the extra cost comes with better first-contact resolution.")
            else:
                # Translators: ends the sentence "The most expensive channel ...: {verdict}"
                verdict = _("the extra cost buys no better first-contact resolution.")
            out.append(
                Finding(
                    "cost_value",
                    _("Is cost buying results? (by channel)"),
                    # Translators: {channel} is a channel from the data (phone, email...);
                    # {verdict} one of the clauses above
                    _(
                        "The most expensive channel per resolution, {channel} ({cost}), solves "
                        "{fcr} at first contact against a median of {median} across channels: "
                        "{verdict}"
                    ).format(
                        channel=str(dear["channel"]),
                        cost=format_value(dear["cost_per_resolution"], "currency", cur),
                        fcr=i18n.percent(dear["fcr_rate"], 0),
                        median=i18n.percent(overall_fcr, 0),
                        verdict=verdict,
                    ),
                    [
                        {
                            "channel": str(dear["channel"]),
                            "cost_per_resolution": float(dear["cost_per_resolution"]),
                            "fcr_rate": float(dear["fcr_rate"]),
                            "median_fcr": overall_fcr,
                        }
                    ],
                )
            )
    return out


def peak_findings(prepared: Prepared, cur: str) -> list[Finding]:
    """Peak against regular periods (seed 002), with the significance of each difference."""
    if not prepared.config.peak_periods:
        return []
    table = analysis.peak_vs_regular(prepared, "all")
    if len(table) < 2:
        return []
    by = compute(prepared, "all", by=["is_peak"], kpis=["service_level", "aht_s", "csat_score"])
    parts, evidence = [], []
    for kpi in ("service_level", "aht_s", "csat_score"):
        rows = by[(by["kpi"] == kpi) & by["available"]].set_index("is_peak")
        if not {"peak", "regular"} <= set(rows.index):
            continue
        k = get(kpi)
        a, b = rows.loc["peak"], rows.loc["regular"]
        if k.kind == "rate":
            p = two_proportion_test(a.value * a.n, a.n, b.value * b.n, b.n)
        else:
            tables = prepared.tables[k.table]
            x = tables.loc[tables["is_peak"] == "peak", k.value].dropna()
            y = tables.loc[tables["is_peak"] == "regular", k.value].dropna()
            p = mann_whitney(x, y)
        fmt = {
            "label": _lc(k.label),
            "peak": format_value(a.value, k.unit, cur),
            "regular": format_value(b.value, k.unit, cur),
        }
        if p < ALPHA:
            # Translators: a KPI in peak periods against regular periods, e.g. "service
            # level 60.5% against 81.7% (significant)"; joined with "; "
            parts.append(_("{label} {peak} against {regular} (significant)").format(**fmt))
        else:
            parts.append(_("{label} {peak} against {regular} (not significant)").format(**fmt))
        evidence.append(
            {"kpi": kpi, "peak": float(a.value), "regular": float(b.value), "p_value": p}
        )
    if not parts:
        return []
    names = ", ".join(p.name for p in prepared.config.peak_periods)
    return [
        Finding(
            "peak",
            _("Peak against regular periods"),
            # Translators: {names} are the names of the peak periods from csmetrics.yaml;
            # {comparisons} the KPIs compared, joined with "; "
            _("In the peak periods ({names}): {comparisons}.").format(
                names=names, comparisons="; ".join(parts)
            ),
            evidence,
        )
    ]


# ---------------------------------------------------------------------------------------
# The program as a whole: article 000's four answers
# ---------------------------------------------------------------------------------------

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


@dataclass
class ProgramAnswer:
    """One of article 000's four questions about the whole program, in one sentence with
    its key number, status and how sure it is (``confidence``: high, medium, low)."""

    id: str
    question: str
    status: str
    answer: str
    confidence: str
    evidence: list[dict] = field(default_factory=list)


@dataclass
class Rollup:
    """A category's answers taken together."""

    status: str
    on_target: int
    judged: int
    questions: int
    confidence: str


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
    out = []
    period = i18n.period(f.period.label)
    eff, cost, exp = (rollup(answers, c) for c in ("effectiveness", "cost", "experience"))

    # is the program effective?
    gap = _largest_gap(answers, findings, "effectiveness")
    out.append(
        _rollup_answer(
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
    )

    # what does it cost?
    total, cpc = f.evidence("total_cost"), f.evidence("cost_per_contact")
    if total.status == "no_data":
        text_ = _("No data: the period has no costs.")
        status = "no_data"
    else:
        status = cost.status
        if cpc.status == "no_data":
            per_contact = _("no cost per contact")
        elif cpc.target is None:
            # Translators: part of the cost answer, e.g. "€8.57 per contact"
            per_contact = _("{value} per contact").format(value=_fmt(cpc, cur))
        else:
            # Translators: part of the cost answer, e.g. "€8.57 per contact against €8.00"
            per_contact = _("{value} per contact against {target}").format(
                value=_fmt(cpc, cur), target=format_value(cpc.target, cpc.unit, cur)
            )
        # Translators: the answer to "What is the program's operational cost?"; {total} an
        # amount, {per_contact} e.g. "€8.57 per contact against €8.00", {change} e.g. ",
        # up 0.27 from September 2026 (not tested)"; {count} e.g. "3 of 5 questions on
        # target"; {status} e.g. "watch"
        text_ = _("{total} in {period}, {per_contact}{change}; {count} ({status}); {sure}.").format(
            total=_fmt(total, cur),
            period=period,
            per_contact=per_contact,
            change=_change_clause(cpc) if cpc.status != "no_data" else "",
            count=_on_target(cost),
            status=status_label(status),
            sure=_sure(cost),
        )
    out.append(
        ProgramAnswer(
            "cost",
            _(PROGRAM_QUESTIONS["cost"]),
            status,
            text_,
            cost.confidence,
            [{**asdict(cost)}, asdict(total), asdict(cpc)],
        )
    )

    # how has it shaped the customer experience?
    sat = next((a for a in answers if a.id == "satisfied" and a.status != "no_data"), None)
    judged = [a.evidence[0] for a in answers if a.category == "experience" and a.status in _JUDGED]
    key = sat.evidence[0] if sat else (judged[0] if judged else None)
    out.append(
        _rollup_answer(
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
    )
    out.append(_worth(f, answers, findings, (eff, exp, cost), total, cpc, cur))
    return out


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
    if eff.status == exp.status == "on_target" and cost.status != "off_target":
        status = "on_target"
    elif (eff.status == exp.status == "off_target") or (
        cost.status == "off_target" and "off_target" in (eff.status, exp.status)
    ):
        status = "off_target"
    else:
        status = "watch"
    ctr = f.evidence("cost_to_revenue")
    if ctr.status != "no_data":
        # Translators: e.g. "service costs 13.9% of revenue (€8.57 per contact)"
        spend = _("service costs {share} of revenue ({cpc} per contact)").format(
            share=_fmt(ctr, cur), cpc=_fmt(cpc, cur)
        )
    else:
        spend = _("service costs {cpc} per contact").format(cpc=_fmt(cpc, cur))
    over_time = next(
        (fd for fd in findings if fd.kind == "cost_value" and "spearman_rho" in fd.evidence[0]),
        None,
    )
    confidence = max((r.confidence for r in rollups), key=list(CONFIDENCE).index)
    if over_time is None:
        link = _("too few months of costs to see whether spending buys results")
        confidence = "low"
    else:
        sig = [e for e in over_time.evidence if e["p_value"] < ALPHA]
        if sig and all(e["spearman_rho"] > 0 for e in sig):
            link = _("months that cost more per contact brought better results")
        elif sig and all(e["spearman_rho"] < 0 for e in sig):
            link = _("months that cost more per contact brought worse results")
        else:
            link = _("months that cost more per contact brought no better results")
            confidence = max(confidence, "medium", key=list(CONFIDENCE).index)
    everything = rollup(answers)
    # Translators: the answer to "Is the program worth its cost?"; {verdict} is Yes, Partly
    # or No; {spend} what the service costs; {effectiveness} and {experience} are "on
    # target", "mixed" or "off target"; {link} whether spending buys results
    text_ = _(
        "{verdict}: {spend}, with effectiveness {effectiveness} and experience {experience}; "
        "{link} ({status}); {sure}."
    ).format(
        verdict=_program_verdict(status, (N_("Yes"), N_("Partly"), N_("No"))),
        spend=spend,
        effectiveness=_(ROLLUP_WORDS[eff.status]),
        experience=_(ROLLUP_WORDS[exp.status]),
        link=link,
        status=status_label(status),
        sure=_sure(everything, confidence),
    )
    evidence = [asdict(cpc)] + ([asdict(ctr)] if ctr.status != "no_data" else [])
    if over_time is not None:
        evidence += over_time.evidence
    return ProgramAnswer("worth", question, status, text_, confidence, evidence)


# ---------------------------------------------------------------------------------------
# Recommendations
# ---------------------------------------------------------------------------------------


MIN_VOLUME = 30


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
    """
    recs: list[Recommendation] = []
    by_id = {a.id: a for a in answers}
    prepared = f.prepared

    # 1. shift volume from the most expensive channel with the lowest FCR
    cv = cost_value(prepared, f.period)
    if {"cost_per_resolution", "fcr_rate", "tickets_created"} <= set(cv.columns):
        cv = cv.dropna(subset=["cost_per_resolution", "fcr_rate"])
        if len(cv) >= 3:
            dear = cv.loc[cv["cost_per_resolution"].idxmax()]
            enough = float(dear.get("tickets_created", 0) or 0) >= MIN_VOLUME
            if enough and dear["fcr_rate"] < cv["fcr_rate"].median():  # as the finding
                cheap = (
                    cv[(cv["fcr_rate"] > dear["fcr_rate"])]
                    .sort_values("cost_per_resolution", kind="stable")
                    .head(1)
                )
                median_cost = float(cv["cost_per_resolution"].median())
                impact = float(dear["tickets_created"]) * (
                    float(dear["cost_per_resolution"]) / median_cost - 1
                )
                fmt = {
                    "channel": dear["channel"],
                    "cost": format_value(dear["cost_per_resolution"], "currency", cur),
                    "median_cost": format_value(median_cost, "currency", cur),
                    "fcr": i18n.percent(dear["fcr_rate"], 0),
                    "median_fcr": i18n.percent(cv["fcr_rate"].median(), 0),
                    "other": cheap["channel"].iloc[0] if len(cheap) else "",
                }
                if len(cheap):
                    # Translators: {channel} and {other} are channels from the data
                    text_ = _(
                        "{channel} is the most expensive channel per resolution ({cost}, median "
                        "{median_cost}) and solves only {fcr} at first contact (median "
                        "{median_fcr}): steer its requests towards {other} with self-service "
                        "and routing."
                    )
                else:
                    text_ = _(
                        "{channel} is the most expensive channel per resolution ({cost}, median "
                        "{median_cost}) and solves only {fcr} at first contact (median "
                        "{median_fcr}): steer its requests with self-service and routing."
                    )
                recs.append(
                    Recommendation(
                        0,
                        # Translators: {channel} is a channel from the data (phone, email...)
                        _("Shift volume away from {channel}").format(**fmt),
                        text_.format(**fmt),
                        impact,
                        [
                            {
                                "channel": str(dear["channel"]),
                                "kpi": "cost_per_resolution",
                                "value": float(dear["cost_per_resolution"]),
                                "median": float(cv["cost_per_resolution"].median()),
                            },
                            {
                                "channel": str(dear["channel"]),
                                "kpi": "fcr_rate",
                                "value": float(dear["fcr_rate"]),
                                "median": float(cv["fcr_rate"].median()),
                            },
                            {
                                "channel": str(dear["channel"]),
                                "kpi": "tickets_created",
                                "value": float(dear["tickets_created"]),
                            },
                        ],
                    )
                )

    # 2. add staff at the hours where service level breaks
    if "calls" in prepared.tables:
        hours = service_level_by_hour(prepared, f.period)
        target = f.target("service_level")
        bad = hours[(hours["n"] >= 20) & (hours["service_level"] < (target or 0.0))]
        if target is not None and not bad.empty:
            worst = bad.sort_values(["service_level", "weekday", "hour"], kind="stable").head(4)
            slots = ", ".join(
                f"{_weekday(int(r.weekday))} {int(r.hour):02d}:00 "
                f"({i18n.percent(r.service_level, 0)})"
                for r in worst.itertuples()
            )
            affected = float(bad["n"].sum())
            # Translators: {slots} lists hours of the week with their service level, e.g.
            # "Mon 09:00 (45%), Tue 10:00 (52%)"
            first = ngettext(
                "The service level falls below {target} in {n} hour(s) of the week; "
                "worst: {slots}.",
                "The service level falls below {target} in {n} hour(s) of the week; "
                "worst: {slots}.",
                len(bad),
            ).format(target=i18n.percent(target, 0), n=i18n.number(len(bad)), slots=slots)
            second = ngettext(
                "Move shifts or add agents at those hours ({n} call affected).",
                "Move shifts or add agents at those hours ({n} calls affected).",
                round(affected),
            ).format(n=i18n.number(affected))
            recs.append(
                Recommendation(
                    0,
                    _("Add phone staff where the service level breaks"),
                    f"{first} {second}",
                    affected * float(((target - bad["service_level"]) / target).mean()),
                    [
                        {
                            "kpi": "service_level",
                            "weekday": DAYS[int(r.weekday)],
                            "hour": int(r.hour),
                            "value": float(r.service_level),
                            "calls": float(r.n),
                            "target": target,
                        }
                        for r in worst.itertuples()
                    ],
                )
            )

    # 3. fix the top recurring request type at its source
    rec = recurring(prepared, f.period, "category")
    if not rec.empty:
        top = rec.iloc[0]
        t_rows = analysis.rows_in(prepared, "tickets", "created_ts", f.period)
        n = float((t_rows["category"] == top["category"]).sum()) if "category" in t_rows else 0
        if n:
            fmt = {
                "value": str(top["category"]),
                "k": i18n.number(top["months_in_top"]),
                "n": i18n.number(top["months"]),
                "share": i18n.percent(top["mean_share"], 0),
                "tickets": i18n.number(n),
            }
            recs.append(
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
                    [
                        {
                            "column": "category",
                            "value": str(top["category"]),
                            "months_in_top": int(top["months_in_top"]),
                            "months": int(top["months"]),
                            "mean_share": float(top["mean_share"]),
                            "tickets_in_period": n,
                        }
                    ],
                )
            )

    # 4. from improvement areas: first-contact resolution, backlog, SLA, abandonment...
    for fd in findings:
        if fd.kind != "improvement":
            continue
        ev = fd.evidence[0]
        kpi = ev["kpi"]
        if kpi not in ACTIONS:
            continue
        worst = ev["worst_segments"][0] if ev["worst_segments"] else None
        seg = (
            # Translators: where to start, e.g. "channel (email)": {segment} is channel,
            # team..., {group} a value from the data
            _("{segment} ({group})").format(
                segment=_segment(worst["segment"]), group=worst["value"]
            )
            if worst
            # Translators: where to start when no channel, team or category stands out, as in
            # "coach the weakest areas"
            else _("areas")
        )
        recs.append(
            Recommendation(
                0,
                _("Improve {label}").format(label=_lc(get(kpi).label)),
                # Translators: {finding} is a sentence about a KPI; {action} what to do
                _("{finding} Action: {action}.").format(
                    finding=fd.text, action=_(ACTIONS[kpi]).format(seg=seg)
                ),
                float(ev["n"]) * float(ev["gap"]),
                [ev],
            )
        )

    # 5. recurring unhappy themes
    for fd in findings:
        if fd.kind == "recurring" and "theme" in fd.evidence[0]:
            ev = fd.evidence[0]
            recs.append(
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
            )
            break

    # 6. cost rising while experience falls
    cpc = by_id.get("cost_per_contact")
    sat = by_id.get("satisfied")
    if cpc and sat and cpc.evidence and sat.evidence:
        c, s = cpc.evidence[0], sat.evidence[0]
        if (
            c.previous
            and s.previous
            and c.previous.change > 0
            and s.previous.change < 0
            and not negligible(c.previous.change, c.unit)
            and s.previous.significant  # a CSAT dip within noise is no signal
        ):
            recs.append(
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
            )

    recs = [r for r in recs if r.evidence]
    recs.sort(key=lambda r: r.impact, reverse=True)
    for i, r in enumerate(recs, 1):
        r.rank = i
    return recs


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


def _g(x: float, digits: int = 2) -> str:
    """``x`` with ``digits`` significant digits (a p-value: ``0.012``, ``3.1e-05``) and the
    locale's decimal separator."""
    return f"{x:.{digits}g}".replace(".", i18n.decimal_separator())


def _signed_percent(share: float, decimals: int = 0) -> str:
    """A signed percentage (``+12%``, ``-3%``) in the locale's style."""
    if share is None or math.isnan(share):
        return "–"
    return ("+" if share >= 0 else "") + i18n.percent(share, decimals)


def service_level_by_hour(prepared: Prepared, period: Period) -> pd.DataFrame:
    """Service level and calls per hour of the week (local time) in the period."""
    c = analysis.rows_in(prepared, "calls", "arrived_ts", period)
    if c.empty or "sl_flag" not in c:
        return pd.DataFrame(columns=["weekday", "hour", "service_level", "n"])
    g = c.groupby(["weekday", "hour"])["sl_flag"].agg(["mean", "count"]).reset_index()
    return g.rename(columns={"mean": "service_level", "count": "n"})


# ---------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------

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
    """
    from .summary import comparison_period, monthly_trend

    cfg = prepared.config
    cur = cfg.currency
    p = period if isinstance(period, Period) else Period.parse(period, cfg.timezone)
    try:
        cmp_p = comparison_period(p, comparison)
    except PeriodError:
        cmp_p = None
    try:
        year = p.year_before()
    except PeriodError:
        year = None
    facts = _Facts(prepared, p, cmp_p, year)
    answers = answer_questions(facts, checklist(cfg), cur)
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
    recs = recommendations(facts, answers, findings, cur)
    return Evaluation(
        p.label,
        cmp_p.label if cmp_p else None,
        year.label if year else None,
        answers,
        findings,
        recs,
        cur,
        program_answers(facts, answers, findings, cur),
    )


# ---------------------------------------------------------------------------------------
# Rendering (for the notebook): text from the data goes in as text, never as Markdown
# ---------------------------------------------------------------------------------------


def overview_prose(ev: Evaluation) -> Prose:
    """One paragraph: how many questions are on target, on watch, off target, without data."""
    from collections import Counter

    counts = Counter(a.status for a in ev.questions)
    parts = [
        # Translators: a count of questions and their status, e.g. "**3** on target"
        prose(_("**{n}** {status}"), n=i18n.number(counts.get(s, 0)), status=_(STATUS_LABEL[s]))
        for s in ("on_target", "watch", "off_target", "no_data")
    ]
    worst = [a for a in ev.questions if a.status == "off_target"]
    n = len(ev.questions)
    # Translators: Markdown; {counts} e.g. "**3** on target, **2** watch, ..."
    line = ngettext(
        "Of **{n} question** for {period}: {counts}.",
        "Of **{n} questions** for {period}: {counts}.",
        n,
    )
    counts_html = Markup(", ").join(p.html(inline=True) for p in parts)
    out = prose(line, n=i18n.number(n), period=i18n.period(ev.period), counts=counts_html)
    if worst:
        # Translators: {questions} are the checklist questions off target, joined with "; "
        out.add(_("Off target: {questions}."), questions="; ".join(_(a.question) for a in worst))
    return out


def program_prose(ev: Evaluation) -> Prose:
    """Article 000's four answers about the whole program, one bullet each (question in
    bold, then the answer)."""
    out = Prose()
    for a in ev.program:
        out.add("- **{question}** {answer}", question=a.question, answer=a.answer)
    return out


def findings_prose(ev: Evaluation, kind: str) -> Prose:
    """Bullets of the findings of one kind (pattern, recurring, improvement, cost_value,
    peak); their text, which names teams, categories and periods from the data, is
    inserted as text."""
    items = [f for f in ev.findings if f.kind == kind]
    if not items:
        return prose("*{text}*", text=_("Nothing to report."))
    out = Prose()
    for f in items:
        out.add("- **{title}.** {text}", title=f.title, text=f.text)
    return out


def recommendations_prose(ev: Evaluation) -> Prose:
    """The ranked recommendations, each with the numbers behind it."""
    if not ev.recommendations:
        return prose(
            "*{text}*",
            text=_("No recommendation: no rule found evidence of a problem worth acting on."),
        )
    out = Prose()
    for r in ev.recommendations:
        # the rank is written as digits: Markdown reads "1." as an item of a numbered list
        out.add(f"{int(r.rank)}. **{{title}}.** {{text}}", title=r.title, text=r.text)
    return out


def questions_table(ev: Evaluation, category: str) -> pd.DataFrame:
    """Question, status, answer and the evidence in one line, for one category."""
    rows = []
    for a in ev.questions:
        if a.category != category:
            continue
        evidence = "; ".join(e.sentence(ev.currency) for e in a.evidence if not math.isnan(e.value))
        rows.append((_(a.question), _(STATUS_LABEL[a.status]), a.answer, evidence))
    # Translators: column headers of the table of checklist answers
    columns = [_("question"), _("status"), _("answer"), _("evidence")]
    return pd.DataFrame(rows, columns=columns)


def write_evaluation(ev: Evaluation, folder) -> None:
    """Write ``evaluation.json`` into ``folder`` (the report's folder)."""
    from pathlib import Path

    (Path(folder) / "evaluation.json").write_text(ev.to_json(), encoding="utf-8")
