"""The evaluation for people (the notebook) and for programs (``evaluation.json``).

Text from the data goes in as text, never as Markdown: the sentences the evaluation
wrote are values of the project's Markdown lines (:class:`csmetrics.markup.Prose`).
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pandas as pd

from .. import i18n
from ..i18n import _, ngettext
from ..markup import Markup, Prose, prose
from ..summary import STATUS_LABEL
from .model import Evaluation


def overview_prose(ev: Evaluation) -> Prose:
    """One paragraph: how many questions are on target, on watch, off target, without data."""
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
    (Path(folder) / "evaluation.json").write_text(ev.to_json(), encoding="utf-8")
