"""Reusing KPI results (csmetrics.kpis.memo) and the report's hand-off read once per kernel."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import csmetrics as cm
from csmetrics import i18n
from csmetrics.handoff import read_handoff, write_handoff
from csmetrics.kpis import compute, engine
from csmetrics.kpis.memo import MEMO, keep_results, reusing_results
from csmetrics.stats import binom_quantile


def _workbook() -> cm.Workbook:
    tickets = pd.DataFrame(
        {
            "ticket_id": ["T1", "T2", "T3", "T4"],
            "created_at": ["2026-09-03 09:00", "2026-10-01 09:00", "2026-10-02 10:00",
                           "2026-10-03 11:00"],
            "channel": ["email", "email", "chat", "email"],
            "first_response_at": ["2026-09-03 10:00", "2026-10-01 11:00", "2026-10-02 10:30",
                                  None],
        }
    )  # fmt: skip
    return cm.from_frames({"tickets": tickets}, {"timezone": "Europe/Lisbon"})


def _prepared() -> cm.Prepared:
    return cm.prepare(_workbook())


@pytest.fixture
def measured(monkeypatch) -> list[list[str]]:
    """The KPI ids each call of the engine actually measured."""
    calls: list[list[str]] = []
    real = engine._measured

    def spy(order, *args):
        calls.append(sorted(order))
        return real(order, *args)

    monkeypatch.setattr(engine, "_measured", spy)
    return calls


def test_inside_the_block_a_kpi_is_measured_once_per_period_and_grouping(measured):
    p = _prepared()
    with reusing_results(p):
        a = compute(p, "2026-10", kpis=["tickets_created"])
        b = compute(p, "2026-10", kpis=["tickets_created", "frt_median_h"])
        c = compute(p, "2026-10", by=["channel"], kpis=["tickets_created"])  # another grouping
        d = compute(p, "2026-09", kpis=["tickets_created"])  # another period
    assert measured == [["tickets_created"], ["frt_median_h"], ["tickets_created"],
                        ["tickets_created"]]  # fmt: skip
    # hand-computed: 3 tickets in October (T2-T4), 1 in September; FRT median of 2 h, 0.5 h
    assert a["value"].tolist() == [3.0]
    assert b.set_index("kpi")["value"].to_dict() == {"tickets_created": 3.0, "frt_median_h": 1.25}
    assert c.set_index("channel")["value"].to_dict() == {"chat": 1.0, "email": 2.0}
    assert d["value"].tolist() == [1.0]
    assert MEMO not in p.cache  # gone with the block


def test_reused_records_equal_measured_ones_and_callers_cannot_change_them():
    p = _prepared()
    fresh = compute(p, "2026-10", by=["channel"])
    with reusing_results(p):
        first = compute(p, "2026-10", by=["channel"])
        first.loc[:, "value"] = -1.0  # a caller changing its copy
        again = compute(p, "2026-10", by=["channel"])
    pd.testing.assert_frame_equal(again, fresh)


def test_outside_the_block_changed_tables_give_new_results(measured):
    p = _prepared()
    with reusing_results(p):
        assert compute(p, "2026-10", kpis=["tickets_created"])["value"].iloc[0] == 3.0
    p.tables["tickets"] = p.tables["tickets"].iloc[1:]  # T1 (September) removed
    p.tables["tickets"] = p.tables["tickets"].iloc[:-1]  # T4 removed
    assert compute(p, "2026-10", kpis=["tickets_created"])["value"].iloc[0] == 2.0
    assert len(measured) == 2


def test_a_nested_block_keeps_the_outer_memo(measured):
    p = _prepared()
    with reusing_results(p):
        compute(p, "2026-10", kpis=["tickets_created"])
        with reusing_results(p):
            compute(p, "2026-10", kpis=["tickets_created"])
        compute(p, "2026-10", kpis=["tickets_created"])
    assert len(measured) == 1


def test_notes_are_kept_per_language():
    p = _prepared()  # no calls table: call KPIs are unavailable, with a translated note
    with reusing_results(p):
        with i18n.language("en"):
            en = compute(p, "2026-10", kpis=["abandonment_rate"])["note"].iloc[0]
        with i18n.language("pt"):
            pt = compute(p, "2026-10", kpis=["abandonment_rate"])["note"].iloc[0]
    assert en.startswith("not available") and not pt.startswith("not available")


def test_evaluate_gives_the_same_answers_with_the_memo_it_turns_on():
    p = _prepared()
    kept = _prepared()
    keep_results(kept)
    compute(kept, "2026-10")  # results already in the memo before evaluating
    assert cm.evaluate(kept, "2026-10").to_json() == cm.evaluate(p, "2026-10").to_json()
    assert MEMO not in p.cache


def test_the_hand_off_is_read_again_only_when_the_file_changed(tmp_path):
    wb = _workbook()
    p = cm.prepare(wb)
    path = write_handoff(tmp_path, wb, p)
    wb1, p1 = read_handoff(path)
    wb2, p2 = read_handoff(path)
    assert p1 is p2 and wb1 is wb2  # the notebooks of a run share the objects
    assert MEMO in p1.cache  # and reuse results on them
    compute(p1, "2026-10", kpis=["tickets_created"])
    write_handoff(tmp_path, wb, p)  # written again: another file (inode, time)
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    _, p3 = read_handoff(path)
    assert p3 is not p1 and p3.cache[MEMO] == {}


def test_the_hand_off_carries_the_results_measured_before_it(tmp_path, measured):
    """The report measures the scorecard before writing the hand-off: its notebooks
    reuse those results and measure only what is new."""
    wb = _workbook()
    p = cm.prepare(wb)
    with reusing_results(p):
        before = compute(p, "2026-10", kpis=["tickets_created", "frt_median_h"])
        path = write_handoff(tmp_path, wb, p)
    assert MEMO not in p.cache  # the report's own memo ends with its block
    _, kept = read_handoff(path)
    measured.clear()
    again = compute(kept, "2026-10", kpis=["frt_median_h", "tickets_created", "fcr_rate"])
    assert measured == [["fcr_rate"]]
    pd.testing.assert_frame_equal(
        again[again["kpi"] != "fcr_rate"].sort_values("kpi").reset_index(drop=True),
        before.sort_values("kpi").reset_index(drop=True),
    )
    assert again.set_index("kpi").loc["tickets_created", "value"] == 3


@pytest.mark.parametrize("n", [*range(1, 60), 99, 100, 101, 999, 12_345, 1_000_000])
def test_binomial_quantile_is_scipys(n):
    for q in (0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999):
        for prob in (0.025, 0.975, 0.5):
            assert binom_quantile(prob, n, q) == int(sps.binom.ppf(prob, n, q)), (prob, n, q)


def test_binomial_quantile_by_hand():
    # binomial(4, 0.5): P(X <= k) = 1/16, 5/16, 11/16, 15/16, 1
    assert [binom_quantile(x, 4, 0.5) for x in (0.06, 0.0625, 0.07, 0.5, 0.9, 0.95)] == [
        0, 0, 1, 2, 3, 4,
    ]  # fmt: skip
    assert np.isclose(sps.binom.cdf(1, 4, 0.5), 5 / 16)


def test_binomial_quantile_without_scipys_private_ufunc(monkeypatch):
    import csmetrics.stats as st

    monkeypatch.setattr(st, "_BINOM_PPF", None)  # the search on the public bdtr/bdtrik
    for n in (1, 2, 7, 30, 101, 5_000):
        for q in (0.1, 0.5, 0.9):
            for prob in (0.025, 0.975):
                assert st.binom_quantile(prob, n, q) == int(sps.binom.ppf(prob, n, q))
    assert st.binom_quantile(0.07, 4, 0.5) == 1  # P(X <= 0) = 1/16 < 0.07 <= 5/16
