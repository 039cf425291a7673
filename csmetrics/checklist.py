"""The evaluation checklist in force, its judging rules and the KPI targets it sets.

The checklist (``checklist.yaml``, extended or replaced through ``csmetrics.yaml``) is a
setting: :func:`checklist` reads and checks it, :func:`targets_in_force` derives from it
(and ``csmetrics.yaml`` ``targets``) the one set of targets the evaluation, the scorecard
and the section tables judge against. Each question names a judging rule
(``judge.rule``); the rules are functions registered with :func:`register_judge` (the
built-in ones by :mod:`csmetrics.evaluate.judges`) and found with :func:`get_judge`.

This module sits below :mod:`csmetrics.summary` and :mod:`csmetrics.evaluate`: both
import it, it imports neither.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from .errors import ConfigError, CsmetricsError
from .i18n import N_
from .kpis import get
from .registry import Registry

#: The checklist's categories (in the order the evaluation shows them).
CATEGORIES = ("effectiveness", "cost", "experience")
#: The built-in judging rules (:mod:`csmetrics.evaluate.judges`), in registration order.
RULES = ("target", "trend", "group_extreme", "group_spread", "staffing", "themes")
#: The polarities of a checklist question: what "Yes" means for its wording.
POLARITIES = ("positive", "negative", "open")

#: A judging rule: ``(facts, question, currency) -> (status, sentence, evidence)``.
Judge = Callable[..., tuple[str, str, list[Any]]]
#: The registered judging rules by name, in registration order (:func:`register_judge`).
JUDGES: Registry[Judge] = Registry("judging rule")


def register_judge(name: str, judge: Judge | None = None) -> Any:
    """Register the judging rule ``name`` (a question's ``judge.rule``).

    Used as ``register_judge("name", judge)`` or as a decorator,
    ``@register_judge("name")``; registering a name again replaces its rule.

    Parameters
    ----------
    name : str
        The rule's name, as checklist questions write it.
    judge : callable, optional
        ``judge(facts, question, currency)`` returning ``(status, sentence, evidence)``.

    Returns
    -------
    callable
        ``judge``, or (without it) the decorator that registers the function it wraps.

    Examples
    --------
    >>> @register_judge("always_fine")
    ... def _fine(facts, question, currency):
    ...     return "on_target", "all is well.", []
    >>> get_judge("always_fine") is _fine
    True
    >>> _ = JUDGES.pop("always_fine")
    """
    return JUDGES.register(name, judge)


def get_judge(name: str) -> Judge:
    """The judging rule registered as ``name``.

    Raises
    ------
    CsmetricsError
        No rule of that name is registered (the message lists the known ones).

    Examples
    --------
    >>> import csmetrics.evaluate  # registers the built-in rules
    >>> get_judge("guess")
    Traceback (most recent call last):
    ...
    csmetrics.errors.CsmetricsError: unknown judging rule 'guess'; known rules: target, trend, group_extreme, group_spread, staffing, themes
    """  # noqa: E501
    return JUDGES.lookup(name)


def rule_names() -> tuple[str, ...]:
    """The rules a question may name: the built-in :data:`RULES`, then any other rule
    registered with :func:`register_judge`."""
    return (*RULES, *(name for name in JUDGES if name not in RULES))


def default_checklist() -> list[dict]:
    """The questions shipped with the package (``csmetrics/checklist.yaml``): a fresh
    copy each call (callers may change it), the file read and parsed once."""
    return copy.deepcopy(_shipped_questions())


@functools.cache
def _shipped_questions() -> list[dict]:
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
    seen: set[str] = set()
    for q in questions:
        _check_question(q, seen)
    return questions


def _check_question(q: Any, seen: set[str]) -> None:
    """Raise :class:`ConfigError` for a question :func:`checklist` cannot use; add its id
    to ``seen``."""
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
    if rule not in rule_names():
        raise ConfigError(f"{where}: judge.rule must be one of {', '.join(rule_names())}")
    for k in [*q.get("kpis", []), *([q["judge"]["kpi"]] if "kpi" in q["judge"] else [])]:
        try:
            get(k)
        except CsmetricsError as exc:  # an unknown KPI is a configuration error
            raise ConfigError(f"{where}: {exc}") from None


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
