"""The explorer, driven programmatically: values, drill-down, exports, headless run."""

from __future__ import annotations

import json

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

import csmetrics as cm
from csmetrics.cli import main
from csmetrics.explore import Explorer, drill_rows, filter_prepared, month_range
from csmetrics.kpis import compute
from csmetrics.sample import write_sample

from .conftest import ROOT
from .test_display import CFG, two_month_tickets


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("explore")
    write_sample(out, scale=0.05, months=4)
    return out


@pytest.fixture(scope="module")
def explorer(folder):
    return Explorer.from_folder(folder, export_dir=folder / "exports")


def _cli_json(capsys, folder, *args) -> pd.DataFrame:
    capsys.readouterr()  # forget what the explorer displayed so far
    assert main(["kpis", "--data", str(folder), "--format", "json", *args]) == 0
    return pd.DataFrame(json.loads(capsys.readouterr().out)["kpis"])


def test_filtered_values_equal_the_cli(explorer, folder, capsys):
    ex = explorer
    last = ex.start.options[-1]
    ex.start.value = last
    ex.end.value = last
    ex.kpi.value = "fcr_rate"
    ex.group.value = "channel"
    ex.view.value = "bars"
    ex.filters["channel"].value = ("email", "phone")
    shown = ex.last.result.set_index("channel")["value"]
    cli = _cli_json(
        capsys,
        folder,
        "--period",
        last,
        "--kpi",
        "fcr_rate",
        "--by",
        "channel",
        "--where",
        "channel=email,phone",
    ).set_index("channel")["value"]
    assert set(shown.index) == {"email", "phone"}
    pd.testing.assert_series_equal(shown.sort_index(), cli.sort_index(), check_names=False)
    assert "n = " in ex.status.value


def test_drill_down_rows_are_exactly_the_rows_behind_the_number(explorer):
    ex = explorer
    ex.filters["channel"].value = ()
    ex.kpi.value = "frt_median_h"
    ex.group.value = "channel"
    ex.drill.value = "email"
    rows = ex.show_drill()
    rec = ex.last.result.set_index("channel").loc["email"]
    assert len(rows) == rec["n"]  # every ticket with a first response, created in the month
    assert set(rows["channel"]) == {"email"}
    assert rows["frt_s"].median() / 3600 == pytest.approx(rec["value"])


def test_drill_down_by_month(explorer):
    ex = explorer
    ex.start.value = ex.start.options[0]
    ex.end.value = ex.end.options[-1]
    ex.kpi.value = "tickets_created"
    ex.group.value = "month"
    month = ex.end.options[-1]
    ex.drill.value = month
    rows = ex.drill_rows()
    rec = ex.last.result.set_index("month").loc[month]
    assert len(rows) == rec["value"]
    assert set(rows["created_month"]) == {month}


def test_exports_contain_the_view(explorer, tmp_path):
    ex = explorer
    ex.kpi.value = "csat_score"
    ex.group.value = "channel"
    ex.view.value = "bars"
    csv = ex.export_csv(tmp_path / "view.csv")
    png = ex.export_png(tmp_path / "view.png")
    got = pd.read_csv(csv)
    assert list(got["kpi"].unique()) == ["csat_score"]
    assert sorted(got["channel"].astype(str)) == sorted(ex.last.result["channel"].astype(str))
    assert png.stat().st_size > 5_000 and png.read_bytes()[:4] == b"\x89PNG"


def test_every_view_renders(explorer):
    ex = explorer
    for view in ("trend", "bars", "distribution", "table"):
        for kpi in ("resolution_median_h", "nps", "cost_per_contact"):
            ex.kpi.value = kpi
            ex.view.value = view
            assert ex.last.view == view and ex.last.kpi == kpi


def _latest_month(ex: Explorer, kpi: str, group: str, view: str) -> None:
    """Show ``kpi`` for the latest month, grouped by ``group``, as ``view``."""
    ex.start.value = ex.start.options[-1]
    ex.end.value = ex.end.options[-1]
    ex.kpi.value = kpi
    ex.group.value = group
    ex.view.value = view


def test_low_sample_is_marked(explorer):
    ex = explorer
    _latest_month(ex, "nps", "channel", "bars")
    assert ex.last.result["available"].all()
    assert ex.last.result["low_sample"].any()
    assert "low-sample" in ex.status.value


def test_filter_keeps_tables_without_the_column(folder):
    p = cm.prepare(cm.load(folder))
    f = filter_prepared(p, {"channel": ["email"]})
    assert set(f["tickets"]["channel"]) == {"email"}
    assert len(f["finance"]) == len(p["finance"])  # no channel column: kept whole


def test_drill_rows_function_matches_compute(folder):
    p = cm.prepare(cm.load(folder))
    months = sorted(p["tickets"]["created_month"].dropna().unique())
    period = month_range(months[-1], months[-1], p.config.timezone)
    res = compute(p, period, kpis=["fcr_rate"])
    rows = drill_rows(p, "fcr_rate", period)
    assert len(rows) == res["n"].iloc[0]
    assert rows["fcr"].mean() == pytest.approx(res["value"].iloc[0])


@pytest.mark.slow
def test_notebook_runs_headless_and_html_shows_the_static_view(folder, tmp_path):
    import nbformat
    import papermill as pm

    from csmetrics.pages import render_html

    out = tmp_path / "explore.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "explore.ipynb"),
        str(out),
        parameters={"data_dir": str(folder)},
        kernel_name="python3",
        progress_bar=False,
        cwd=str(tmp_path),
        # a kernel that stops answering fails the test instead of blocking the run (seen
        # once under load: client and kernel both idle, no reply)
        execution_timeout=600,
    )
    page = render_html(nbformat.read(out, as_version=4), "Explorer")
    assert page.count("data:image/png;base64,") >= 1  # the static view's charts
    assert "interactive explorer runs in JupyterLab" in page
    assert "VBox(" not in page and "Traceback" not in page


def test_view_says_when_a_filter_does_not_apply_to_the_kpi_table(explorer):
    ex = explorer
    ex.filters["channel"].value = ()
    _latest_month(ex, "csat_score", "channel", "bars")
    assert "filter does not apply" not in ex.status.value  # no filter chosen: no note
    team = ex.filters["team"].options[0]
    ex.filters["team"].value = (team,)
    try:
        # surveys have no team column: the team filter leaves them whole, and says so
        assert ex.last.notes == (
            "The team filter does not apply to the surveys table behind this KPI: "
            "all its rows are counted.",
        )
        assert "The team filter does not apply to the surveys table" in ex.status.value
        # tickets have a team: the filter applies, no note
        ex.kpi.value = "fcr_rate"
        assert ex.last.notes == ()
        assert "filter does not apply" not in ex.status.value
        # a ratio reads several tables: only those without the column are named
        ex.kpi.value = "cost_per_contact"
        assert ex.last.notes == (
            "The team filter does not apply to the calls table behind this KPI: "
            "all its rows are counted.",
        )
    finally:
        ex.filters["team"].value = ()


def test_status_shows_n_only_where_it_counts_observations(explorer):
    ex = explorer
    _latest_month(ex, "cost_per_contact", "(none)", "table")  # n = contacts
    assert "n = " in ex.status.value
    ex.kpi.value = "cost_to_revenue"  # n = revenue, a sum of money
    assert ex.last.result["available"].all()
    assert "n = " not in ex.status.value


def test_trend_measures_each_month_as_of_its_own_end(tmp_path):
    # tests/test_display.two_month_tickets (as-of 2026-10-31 23:59):
    # September: s1, s2 resolved in September, s3 resolved in October, s4 never
    #   -> unresolved at the end of September 2/4 = 0.5 (judged at the end of October: 1/4)
    # October: o1, o2 resolved, o3, o4, o5 open -> 3/5 = 0.6
    p = cm.prepare(cm.from_frames({"tickets": two_month_tickets()}, CFG))
    ex = Explorer(p, export_dir=tmp_path)
    ex.start.value, ex.end.value = "2026-09", "2026-10"
    ex.kpi.value = "unresolved_rate"
    ex.group.value = "month"
    ex.view.value = "trend"
    got = ex.last.result.set_index("month")["value"]
    assert got.to_dict() == {"2026-09": 0.5, "2026-10": 0.6}
