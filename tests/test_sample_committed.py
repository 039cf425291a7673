"""The committed sample in data/sample is exactly what the generator produces."""

from __future__ import annotations

import pandas as pd
import pytest

import csmetrics as cm
from csmetrics.docs import data_readme
from csmetrics.sample import generate
from csmetrics.schema import TABLES

from .conftest import ROOT, SAMPLE


@pytest.fixture(scope="module")
def committed():
    return cm.load(SAMPLE)


GENERATED = [t for t in TABLES if t != "monthly_metrics"]  # the sample has the detail tables


@pytest.mark.parametrize("table", GENERATED)
def test_committed_sample_equals_the_generator(table, committed):
    fresh = generate()[table].reset_index(drop=True)
    pd.testing.assert_frame_equal(
        committed[table].reset_index(drop=True), fresh, check_dtype=True, obj=table
    )


def test_data_readme_is_current():
    assert (ROOT / "data" / "README.md").read_text(encoding="utf-8") == data_readme(), (
        "data/README.md is stale: run python -m csmetrics.docs"
    )


def test_kpis_json_lists_every_catalogue_id(capsys):
    import json

    from csmetrics.cli import main
    from csmetrics.kpis import public_kpis

    assert main(["kpis", "--data", str(SAMPLE), "--period", "2026-10", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    ids = {r["kpi"] for r in payload["kpis"]}
    assert ids == {k.id for k in public_kpis()}
    by_id = {r["kpi"]: r for r in payload["kpis"] if r["kpi"] != "channel_share"}
    assert all(r["available"] for r in by_id.values()), [
        (k, r["note"]) for k, r in by_id.items() if not r["available"]
    ]
