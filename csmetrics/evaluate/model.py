"""The results of an evaluation: answers, findings, recommendations and their evidence.

Plain dataclasses with no computation beyond serialisation (:meth:`Evaluation.to_json`,
the documented ``evaluation.json``) and the tables the notebook shows; the constants the
other modules of :mod:`csmetrics.evaluate` share (significance level, minimum sample).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import i18n
from ..checklist import CATEGORIES
from ..i18n import N_, _
from ..summary import STATUS_LABEL, format_change, format_value

#: Significance level of every test the evaluation makes.
ALPHA = 0.05
#: Fewer observations than this and an answer says it is too few to judge.
MIN_N = 30
#: The checklist's categories as shown to people (translate with ``_(...)``).
CATEGORY_LABELS = {
    # Translators: a category of checklist questions (the program's effectiveness)
    "effectiveness": N_("effectiveness"),
    # Translators: a category of checklist questions (operational cost)
    "cost": N_("cost"),
    # Translators: a category of checklist questions (customer experience)
    "experience": N_("experience"),
}


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
    #: article 000's four answers about the whole program
    #: (:func:`~csmetrics.evaluate.programs.program_answers`)
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
    """``obj`` for JSON: NaN and infinities as None, numpy scalars as Python numbers."""
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.generic):
        return _clean(obj.item())
    return obj


def _severity(status: str) -> int:
    """How bad a status is, to pick the worst: no data -1, on target 0, watch 1, off 2."""
    return {"on_target": 0, "watch": 1, "off_target": 2, "no_data": -1}.get(status, 0)
