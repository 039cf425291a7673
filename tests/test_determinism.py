"""Same input, same output: the report's JSON files do not depend on Python's hash seed.

Sets iterate in an order that changes with ``PYTHONHASHSEED``; any ordering that is not
broken by a stable key (comment themes with equal counts, categories with equal
shares...) would show up here as a difference between two runs.
"""

from __future__ import annotations

import os
import subprocess

import pandas as pd
import pytest

from csmetrics.text import themes

from .conftest import REPORT_PERIOD, csmetrics_command


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


@pytest.mark.slow
def test_report_json_is_identical_under_two_hash_seeds(small_sample, small_report, tmp_path):
    """The shared small report ran with a random hash seed; this run uses a fixed one."""
    assert small_report.code == 0, small_report.stderr
    out = tmp_path / "again"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    proc = subprocess.run(
        [*csmetrics_command(), "report", "--data", str(small_sample), "--period",
         REPORT_PERIOD, "--out", str(out), "--section", "evaluation"],
        capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for name in ("evaluation.json", "kpis.json", "kpis.csv"):
        first = (small_report.out / name).read_bytes()
        again = (out / name).read_bytes()
        assert first == again, name
