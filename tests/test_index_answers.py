"""The index opens with article 000's four answers about the program (issue 12).

Checked on the report the session renders once for the bundled sample (``sample_report``
in conftest.py): the answers shown are those of ``evaluation.json``, in the article's
order, before the verdict line and the scorecard, each with its status badge.
"""

from __future__ import annotations

import html
import json
import re

import pytest

pytestmark = pytest.mark.slow

QUESTIONS = [
    "Has the program been effective?",
    "What is the program's operational cost?",
    "How has the program shaped the customer experience?",
    "Is the program worth its cost?",
]


def test_index_opens_with_the_four_answers(sample_report):
    assert sample_report.code == 0, sample_report.stderr
    index = (sample_report.out / "index.html").read_text(encoding="utf-8")
    evaluation = json.loads((sample_report.out / "evaluation.json").read_text(encoding="utf-8"))
    program = evaluation["program"]
    assert [p["question"] for p in program] == QUESTIONS
    block = re.search(r"<section id='program'>(.*?)</section>", index, flags=re.DOTALL)
    assert block, "no four answers on the index"
    # first on the page: before the verdict line and the scorecard
    assert block.start() < index.index("class='verdict-line'") < index.index("id='scorecard'")
    pairs = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block.group(1), flags=re.DOTALL)
    assert [html.unescape(q) for q, _ in pairs] == QUESTIONS
    for (_, dd), p in zip(pairs, program, strict=True):
        badge, answer = re.fullmatch(r"<span class='badge'[^>]*>(.*?)</span> (.*)", dd).groups()
        assert html.unescape(badge) == p["status"].replace("_", " ")
        assert html.unescape(answer) == p["answer"]
        assert re.search(r"\d", p["answer"]) and "confidence" in p["answer"]
    effective, cost, _experience, worth = (p["answer"] for p in program)
    # the bundled sample (October 2026): see the evaluation's checklist answers
    questions = {q["id"]: q for q in evaluation["questions"]}
    counted = [q for q in evaluation["questions"] if q["category"] == "effectiveness"]
    assert f"of {len(counted)} questions on target" in effective
    cpc = questions["cost_per_contact"]["evidence"][0]["value"]
    assert f"€{cpc:.2f} per contact" in cost
    assert "of revenue" in worth and "months that cost more per contact" in worth
