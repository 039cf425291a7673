"""Same input, same output: orderings break ties by a stable key.

The report's JSON files are compared byte for byte under two hash seeds in
``test_report.py::test_report_json_is_identical_under_two_hash_seeds`` (on the report
runs that file makes anyway).
"""

from __future__ import annotations

import pandas as pd

from csmetrics.text import themes


def test_themes_with_equal_counts_are_ordered_by_term():
    comments = pd.DataFrame(
        {
            "comment": ["slow refund portal", "portal refund slow", "refund slow portal"],
            "band": ["unhappy"] * 3,
        }
    )
    found = themes(comments, top=5, min_count=3)
    # every word in all three comments, no phrase repeated: a tie, broken alphabetically
    assert found["term"].tolist() == ["portal", "refund", "slow"]
    assert found["comments"].tolist() == [3, 3, 3]
