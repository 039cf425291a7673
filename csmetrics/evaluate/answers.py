"""The checklist answered: each question judged by its rule, then worded as the question
asks (its polarity: what "Yes" means) with "too few to judge" on a small sample."""

from __future__ import annotations

import math

from .. import i18n
from ..checklist import get_judge
from ..i18n import _, ngettext
from . import judges  # noqa: F401  (registers the built-in judging rules)
from .facts import _Facts
from .model import MIN_N, Answer


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


def answer_questions(f: _Facts, questions: list[dict], cur: str) -> list[Answer]:
    """Answer every checklist question (the question in the report's language: a team's
    own question without a translation stays as written)."""
    out = []
    for q in questions:
        status, body, evidence = get_judge(q["judge"]["rule"])(f, q, cur)
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
