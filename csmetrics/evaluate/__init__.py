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

The modules, in the order the data flows through them:

* :mod:`csmetrics.checklist` (below this package): the checklist in force, the judging
  rules' registry and the targets in force;
* :mod:`~csmetrics.evaluate.model`: the results (answers, findings, recommendations,
  evidence) and ``evaluation.json``;
* :mod:`~csmetrics.evaluate.facts`: KPI values of the period, the previous period and
  the year before, and the significance of the changes;
* :mod:`~csmetrics.evaluate.wording`: the pieces of sentences (values, changes, targets);
* :mod:`~csmetrics.evaluate.judges`: the built-in judging rules, registered by name;
* :mod:`~csmetrics.evaluate.answers`: each question judged and worded (its polarity);
* :mod:`~csmetrics.evaluate.control`: control charts, trends and pattern findings;
* :mod:`~csmetrics.evaluate.recurring`: what repeats (request types, complaints, themes);
* :mod:`~csmetrics.evaluate.findings`: improvement areas, cost against value, peaks;
* :mod:`~csmetrics.evaluate.programs`: the program's four answers (effective, cost,
  experience, worth);
* :mod:`~csmetrics.evaluate.recommend`: the recommendation rules, registered by name;
* :mod:`~csmetrics.evaluate.run`: :func:`evaluate`, which runs all of the above;
* :mod:`~csmetrics.evaluate.render`: the prose and tables of the notebook and
  ``evaluation.json``.
"""

from __future__ import annotations

from ..checklist import (
    CATEGORIES,
    JUDGES,
    POLARITIES,
    RULES,
    TARGET_SOURCES,
    Target,
    checklist,
    default_checklist,
    get_judge,
    register_judge,
    rule_names,
    targets_in_force,
)
from .answers import answer_questions, compose_answer, polarity
from .control import control_chart, pattern_findings, trend_test
from .facts import _Facts as _Facts  # the evaluation's facts (tests build them)
from .facts import kpi_values, significance
from .findings import (
    SEGMENTS,
    cost_value,
    cost_value_findings,
    improvement_findings,
    peak_findings,
)
from .model import (
    ALPHA,
    CATEGORY_LABELS,
    MIN_N,
    Answer,
    Change,
    Evaluation,
    Evidence,
    Finding,
    ProgramAnswer,
    Recommendation,
    Rollup,
)
from .programs import CONFIDENCE, PROGRAM_QUESTIONS, ROLLUP_WORDS, program_answers, rollup
from .recommend import (
    ACTIONS,
    DAYS,
    MIN_VOLUME,
    RECOMMENDATION_RULES,
    get_rule,
    recommendations,
    register_rule,
    service_level_by_hour,
)
from .recurring import recurring, recurring_themes, repeat_findings
from .render import (
    findings_prose,
    overview_prose,
    program_prose,
    questions_table,
    recommendations_prose,
    write_evaluation,
)
from .run import TREND_KPIS, evaluate
from .wording import SEGMENT_NAMES

__all__ = [
    "ACTIONS",
    "ALPHA",
    "CATEGORIES",
    "CATEGORY_LABELS",
    "CONFIDENCE",
    "DAYS",
    "JUDGES",
    "MIN_N",
    "MIN_VOLUME",
    "POLARITIES",
    "PROGRAM_QUESTIONS",
    "RECOMMENDATION_RULES",
    "ROLLUP_WORDS",
    "RULES",
    "SEGMENTS",
    "SEGMENT_NAMES",
    "TARGET_SOURCES",
    "TREND_KPIS",
    "Answer",
    "Change",
    "Evaluation",
    "Evidence",
    "Finding",
    "ProgramAnswer",
    "Recommendation",
    "Rollup",
    "Target",
    "answer_questions",
    "checklist",
    "compose_answer",
    "control_chart",
    "cost_value",
    "cost_value_findings",
    "default_checklist",
    "evaluate",
    "findings_prose",
    "get_judge",
    "get_rule",
    "improvement_findings",
    "kpi_values",
    "overview_prose",
    "pattern_findings",
    "peak_findings",
    "polarity",
    "program_answers",
    "program_prose",
    "questions_table",
    "recommendations",
    "recommendations_prose",
    "recurring",
    "recurring_themes",
    "register_judge",
    "register_rule",
    "repeat_findings",
    "rollup",
    "rule_names",
    "service_level_by_hour",
    "significance",
    "targets_in_force",
    "trend_test",
    "write_evaluation",
]
