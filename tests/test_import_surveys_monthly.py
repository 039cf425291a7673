"""Presets ``nhs-fft`` (survey comments → surveys) and ``monthly-metrics`` (SF HSS series).

The public data sets are read from ``../shared/datasets`` (never copied into the project);
the tests that need them skip when they are absent. Reference figures come from each
folder's README; the hand-checked values were computed from the raw lines by hand.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import csmetrics as cm
from csmetrics.errors import CsmetricsError, DataError
from csmetrics.importers import run_import
from csmetrics.kpis import compute

from .conftest import DATASETS, build_once, needs_shared, run_cli, shared_path

NHS = DATASETS / "nhs-fft-patient-feedback" / "v6framework_230831.csv"
SF = (
    DATASETS
    / "sf-hss-call-center-metrics"
    / "Call_Center_Metrics_for_the_Health_Service_System.csv"
)


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _imported(tmp_path_factory, name: str, preset: str, source: Path) -> Path:
    """Import ``source`` with ``preset`` once per session (shared by the xdist workers)."""
    if not source.exists():
        pytest.skip(f"public data set not present: {source}")

    def build(folder: Path) -> dict:
        run_import(preset, [source], folder)
        return {}

    build_once(tmp_path_factory, name, build)
    return shared_path(tmp_path_factory, name)


@pytest.fixture(scope="session")
def nhs(tmp_path_factory) -> Path:
    """The NHS FFT file imported with ``nhs-fft``."""
    return _imported(tmp_path_factory, "import-nhs-fft", "nhs-fft", NHS)


@pytest.fixture(scope="session")
def sf(tmp_path_factory) -> Path:
    """The SF HSS monthly metrics imported with ``monthly-metrics``."""
    return _imported(tmp_path_factory, "import-sf-hss", "monthly-metrics", SF)


@pytest.fixture(scope="session")
def surveys(nhs) -> pd.DataFrame:
    return cm.load(nhs)["surveys"].set_index("survey_id", drop=False)


@pytest.fixture(scope="session")
def monthly(sf) -> pd.DataFrame:
    return cm.load(sf)["monthly_metrics"]


def _value(monthly: pd.DataFrame, period: str, metric: str) -> float:
    row = monthly[(monthly["period"] == period) & (monthly["metric"] == metric)]
    assert len(row) <= 1
    return float(row["value"].iloc[0]) if len(row) else math.nan


# ---------------------------------------------------------------------------------------
# nhs-fft
# ---------------------------------------------------------------------------------------


@needs_shared()
def test_nhs_source_matches_readme():
    if not NHS.exists():
        pytest.skip(f"public data set not present: {NHS}")
    rows = _rows(NHS)
    assert len(rows) == 7908 and len(rows[0]) == 61
    assert len({r["Respondent ID"] for r in rows}) == 4466
    assert Counter(r["FFT categorical answer"] for r in rows) == {
        "1": 5074, "2": 1294, "3": 366, "4": 299, "5": 435, "6": 24, "7": 416,
    }  # fmt: skip
    assert Counter(r["Trust"] for r in rows) == {"NEAS": 5096, "NHFT": 2812}
    assert sum(not r["FFT answer"].strip() for r in rows) == 508
    kinds = Counter()
    for r in rows:
        a, b, _ = (int(x) for x in r["Date"].split("/"))
        kind = "day" if a > 12 else "month" if b > 12 else "ambiguous"
        kinds[r["Trust"], kind] += 1
    assert kinds == {
        ("NEAS", "day"): 3577,
        ("NEAS", "month"): 289,
        ("NEAS", "ambiguous"): 1230,
        ("NHFT", "day"): 1607,
        ("NHFT", "ambiguous"): 1205,
    }


@needs_shared()
def test_nhs_one_survey_per_respondent_with_inverted_scores(nhs, surveys):
    rows = _rows(NHS)
    first: dict[str, str] = {}
    for r in rows:
        first.setdefault(r["Respondent ID"], r["FFT categorical answer"])
    per_respondent = Counter(first.values())  # the rating repeats on a respondent's rows
    assert per_respondent == {
        "1": 2875, "2": 729, "3": 203, "4": 172, "5": 248, "6": 14, "7": 225,
    }  # fmt: skip
    assert len(surveys) == 4466 and surveys["survey_id"].is_unique
    assert int(surveys["n_comments"].sum()) == 7908
    assert set(surveys["metric"]) == {"csat"}
    score = surveys["score"].value_counts(dropna=False).to_dict()
    # score = 6 − rating; codes 6 (don't know) and 7 have no score
    assert {k: v for k, v in score.items() if k == k} == {5: 2875, 4: 729, 3: 203, 2: 172, 1: 248}
    assert surveys["score"].isna().sum() == 14 + 225
    assert surveys["fft_rating"].value_counts().to_dict() == {
        int(k): v for k, v in per_respondent.items()
    }
    assert surveys["answered_at"].notna().sum() == 4227
    assert (surveys["answered_at"].dropna() == surveys["sent_at"][surveys["score"].notna()]).all()
    # NEAS 111 → phone; NEAS PTS (982) and NEAS S&C (1,109) → in_person; NHFT → empty
    assert surveys["channel"].value_counts().to_dict() == {"in_person": 2091, "phone": 868}
    assert surveys["channel"].isna().sum() == 1507


@needs_shared()
def test_nhs_hand_checked_respondents(surveys):
    london = surveys["sent_at"].dt.tz_convert("Europe/London").dt.strftime("%Y-%m-%d")
    # NEAS PTS 528: rating 1 on both rows (lines 2 and 3764), Q1 "Did not answer"
    s = surveys.loc["NEAS PTS 528"]
    assert (s["score"], s["fft_rating"], s["n_comments"]) == (5.0, 1, 2)
    assert s["comment"] == "Very helpful." and s["source_lines"] == "2; 3764"
    assert london["NEAS PTS 528"] == "2021-09-30" and s["channel"] == "in_person"
    # NEAS S&C 2182: "03/10/2021" (line 478) and "10/03/2021" (line 4243, the month-first
    # block): both 3 October 2021, like the respondents numbered next to it (2352: 17 Oct)
    s = surveys.loc["NEAS S&C 2182"]
    assert london["NEAS S&C 2182"] == "2021-10-03" and s["score"] == 4.0  # rating 2
    assert london["NEAS S&C 2352"] == "2021-10-17"  # "17/10/2021" and "10/17/2021"
    # NEAS PTS 732: rating 6 (don't know) → kept, no score, comments kept
    s = surveys.loc["NEAS PTS 732"]
    assert math.isnan(s["score"]) and s["fft_rating"] == 6 and pd.isna(s["answered_at"])
    assert s["comment"].startswith("Don't know\n\nShould allow others")
    # NHFT 133: "06/07/2021" on both rows; NHFT has no month-first date → 6 July
    s = surveys.loc["NHFT 133"]
    assert london["NHFT 133"] == "2021-07-06" and s["score"] == 4.0 and pd.isna(s["channel"])
    assert s["comment"].count("\n\n") == 1 and s["service"] == "Forensic"
    # NEAS 111 1039: one comment row, rating 3 → score 3, the 111 telephone service
    s = surveys.loc["NEAS 111 1039"]
    assert (s["score"], s["n_comments"], s["channel"]) == (3.0, 1, "phone")
    assert london["NEAS 111 1039"] == "2021-10-07"
    assert surveys.loc["NEAS PTS 528", "service"] == "PTS - Patient Transport"  # NBSP gone


@needs_shared()
def test_nhs_dates_follow_the_respondent_numbers(surveys):
    day = surveys["sent_at"].dt.tz_convert("Europe/London").dt.normalize()
    assert day.min() >= pd.Timestamp("2021-01-01", tz="Europe/London")
    assert day.max() <= pd.Timestamp("2022-12-31", tz="Europe/London")
    ids = surveys["survey_id"].str.extract(r"^(.*?)\s*(\d+)$")
    for series in ("NEAS S&C", "NEAS 111", "NEAS PTS"):
        part = day[ids[0] == series].to_frame("day").assign(num=ids[1].astype(int))
        part = part.sort_values("num")
        assert (part["day"].diff().dt.days < -14).sum() == 0, series


@needs_shared()
def test_nhs_import_report(nhs):
    report = (nhs / "import_report.txt").read_text(encoding="utf-8")
    for text in (
        "[mapped] surveys: Respondent ID → survey_id",
        "[mapped] surveys: FFT categorical answer → score = 6 − rating",
        "7,908 comment rows merged into 4,466 surveys",
        "3,442 rows folded into another row's survey",
        "read as m/d/yyyy (289 rows)",
        "read month-first because that reading is closer to the respondents numbered next to "
        "it (215 rows)",
        "(478 rows)",
        "read day-first (1,629 rows)",
        "FFT code 6 (don't know): kept with an empty score (not answered), so outside csat "
        "(14 rows)",
        "(225 rows)",
        "'Did not answer' comment texts left out of the comment",
        "good or very good (csat 4-5): 3,604 of 4,227 rated = 85.3%",
        "column 'Comment sentiment' not imported",
    ):
        assert text in report, text
    assert "e.g. line 4263: '10/17/2021 → 2021-10-17'" in report
    assert not (nhs / "rejected").exists()  # nothing rejected in this file
    steps = json.loads((nhs / "import_report.json").read_text(encoding="utf-8"))["steps"]
    assert {s["kind"] for s in steps} == {"mapped", "derived", "repaired", "note"}


@needs_shared()
def test_nhs_validate_and_kpis_cli(nhs, surveys):
    assert run_cli("validate", "--data", nhs).returncode == 0
    proc = run_cli("kpis", "--data", nhs, "--period", "all", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    kpis = {r["kpi"]: r for r in json.loads(proc.stdout)["kpis"]}
    assert kpis["csat_score"]["available"]
    assert kpis["csat_score"]["value"] == pytest.approx(3604 / 4227)
    assert kpis["csat_score"]["n"] == 4227
    rated = surveys["score"].dropna()
    assert kpis["csat_mean"]["available"]
    assert kpis["csat_mean"]["value"] == pytest.approx(rated.mean())
    for k in ("calls_offered", "calls_answered", "calls_abandoned", "abandonment_rate", "asa_s"):
        assert not kpis[k]["available"] and kpis[k]["value"] is None, k
        assert kpis[k]["note"].startswith("not available")


def test_nhs_rejects_rows_with_reason_and_line(tmp_path):
    head = "Comment ID,Trust,Respondent ID,Date,FFT categorical answer,FFT answer\n"
    body = (
        "A 1 - Q1,NHFT,A 1,01/02/2022,1,Good\n"
        'A 1 - Q2,NHFT,A 1,01/02/2022,1,"two\nlines"\n'
        "A 2 - Q1,NHFT,A 2,31/02/2022,2,bad date\n"
        "A 3 - Q1,NHFT,,03/02/2022,2,no respondent\n"
        "A 4 - Q1,NHFT,A 4,04/02/2022,9,bad code\n"
        "A 5 - Q1,NHFT,A 5,05/02/2022,2,first\n"
        "A 5 - Q2,NHFT,A 5,05/02/2022,4,conflict\n"
        "A 6 - Q1,NHFT,A 6,06/02/2022,,blank rating\n"
    )
    src = tmp_path / "fft.csv"
    src.write_text(head + body, encoding="utf-8")
    result = run_import("nhs-fft", [src], tmp_path / "out")
    assert result.rows == {"surveys": 2}
    rejected = pd.read_csv(tmp_path / "out" / "rejected" / "surveys.csv")
    by_line = dict(zip(rejected["source_line"], rejected["reason"], strict=True))
    # line 3 holds a two-line comment, so the later records start one line further down
    assert set(by_line) == {5, 6, 7, 8, 9}
    assert "unreadable Date" in by_line[5] and "no Respondent ID" in by_line[6]
    assert "not a code 1-7" in by_line[7]
    assert "different FFT ratings" in by_line[8] and "different FFT ratings" in by_line[9]
    out = cm.load(tmp_path / "out")["surveys"].set_index("survey_id")
    assert out.loc["A 1", "comment"] == "Good\n\ntwo\nlines" and out.loc["A 1", "score"] == 5
    assert math.isnan(out.loc["A 6", "score"])
    report = (tmp_path / "out" / "import_report.txt").read_text(encoding="utf-8")
    assert "[rejected] surveys:" in report and "e.g. line 5" in report


def test_nhs_wrong_file_is_a_data_error(tmp_path):
    src = tmp_path / "other.csv"
    src.write_text("id,score\n1,5\n", encoding="utf-8")
    with pytest.raises(DataError, match="Respondent ID") as exc:
        run_import("nhs-fft", [src], tmp_path / "out")
    assert exc.value.file == str(src)


# ---------------------------------------------------------------------------------------
# monthly-metrics
# ---------------------------------------------------------------------------------------


@needs_shared()
def test_sf_source_matches_readme():
    if not SF.exists():
        pytest.skip(f"public data set not present: {SF}")
    rows = _rows(SF)
    assert len(rows) == 160 and len(rows[0]) == 6
    assert rows[0]["Month"] == "Apr 2024" and rows[-1]["Month"] == "Jan 2011"
    blank = Counter(k for r in rows for k, v in r.items() if v == "")
    assert blank == {
        "Average Speed of Answer in Secs": 8,
        "Abandoned Calls": 5,
        "Call Abandonment Rate": 4,
        "In-person visits": 3,
    }


@needs_shared()
def test_sf_rows_per_metric_and_readme_records(sf, monthly):
    assert monthly["period"].nunique() == 160
    assert (monthly["period"].min(), monthly["period"].max()) == ("2011-01", "2024-04")
    assert monthly["metric"].value_counts().to_dict() == {
        "calls_answered": 160,
        "calls_abandoned": 155,
        "calls_offered": 155,
        "abandonment_rate": 155,  # 156 published, Apr 2020's placeholder 0 rejected
        "asa_s": 152,
    }
    assert monthly["channel"].isna().all()
    assert monthly["source"].str.startswith(SF.name).all()
    # README "Top Records" (open-data-catalog, 2017-04-11): inbound / ASA / abandoned / rate
    for period, inbound, asa, abandoned, rate in (
        ("2017-03", 4521, 11, 33, 0.0070),
        ("2016-12", 5705, 77, 340, 0.056),
        ("2016-10", 9943, 31, 225, 0.022),
    ):
        assert _value(monthly, period, "calls_answered") == inbound
        assert _value(monthly, period, "asa_s") == asa
        assert _value(monthly, period, "calls_abandoned") == abandoned
        assert _value(monthly, period, "abandonment_rate") == pytest.approx(rate)
        assert _value(monthly, period, "calls_offered") == inbound + abandoned
    # totals over the file, summed from the raw lines
    rows = _rows(SF)
    inbound_total = sum(int(r["Inbound Calls"]) for r in rows)
    abandoned_total = sum(int(r["Abandoned Calls"]) for r in rows if r["Abandoned Calls"])
    by_metric = monthly.groupby("metric")["value"].sum()
    assert by_metric["calls_answered"] == inbound_total
    assert by_metric["calls_abandoned"] == abandoned_total
    rate = monthly[monthly["metric"] == "abandonment_rate"].set_index("period")
    assert rate.loc["2017-03", "n"] == 4554  # offered calls behind the rate
    asa = monthly[monthly["metric"] == "asa_s"].set_index("period")
    assert asa.loc["2022-12", "value"] == 3427 and asa.loc["2022-12", "n"] == 3080
    # missing cells give no row, never a 0
    for period in ("2022-05", "2022-06", "2022-07", "2022-08"):
        for metric in ("asa_s", "calls_abandoned", "abandonment_rate", "calls_offered"):
            assert math.isnan(_value(monthly, period, metric))
        assert not math.isnan(_value(monthly, period, "calls_answered"))


@needs_shared()
def test_sf_published_rate_checked_against_counts(sf, monthly):
    report = (sf / "import_report.txt").read_text(encoding="utf-8")
    # recomputed by hand from the raw lines: abandoned / (inbound + abandoned)
    for period, by_hand in (
        ("2023-01", 2091 / (2482 + 2091)),  # 0.45725, published 25
        ("2011-12", 37 / (2584 + 37)),  # 0.01412, published 5.7
        ("2012-11", 219 / (4455 + 219)),  # 0.04686, published 1.0
        ("2023-03", 653 / (4692 + 653)),  # 0.12217, published 13.9 = 653 / 4692
    ):
        recomputed = _value(monthly, period, "calls_abandoned") / _value(
            monthly, period, "calls_offered"
        )
        assert recomputed == pytest.approx(by_hand)
    for text in (
        "2023-01 published 25 vs recomputed 45.72 % (-20.72 pp)",
        "2011-12 published 5.7 vs recomputed 1.41 % (+4.29 pp)",
        "2012-11 published 1 vs recomputed 4.69 % (-3.69 pp)",
        "2011-06 published 1.2 vs recomputed 4.15 % (-2.95 pp)",
        "2023-03 published 13.9 vs recomputed 12.22 % (+1.68 pp, = abandoned / inbound)",
        "2024-04 published 8.7 vs recomputed 8.94 % (-0.24 pp)",
        # README: 127 of 155 months within 0.15 pp, 28 not; rounding alone allows 0.05 pp
        "disagrees beyond rounding with abandoned / (inbound + abandoned) in 37 months, "
        "28 of them by more than 0.15 pp",
    ):
        assert text in report, text
    # within rounding: Mar 2017 33 / 4554 = 0.725 % → 0.7; Jan/Feb 2017 (swapped in the
    # 2017 catalogue copy) are formula-consistent here: 105 / 5543 = 1.89 %, 53 / 4175 = 1.27 %
    for month in ("2017-03", "2017-01", "2017-02", "2022-12"):
        assert f"{month} published" not in report
    rate = monthly[monthly["metric"] == "abandonment_rate"].set_index("period")
    assert rate.loc["2023-01", "value"] == pytest.approx(0.25)  # the published value is kept
    assert rate.loc["2023-01", "source"].endswith(
        "line 17; published rate disagrees with abandoned / (inbound + abandoned) = 45.72 %"
    )
    assert "disagrees" not in rate.loc["2017-03", "source"]
    assert rate["source"].str.contains("disagrees").sum() == 37


@needs_shared()
def test_sf_report_and_rejected_rows(sf):
    report = (sf / "import_report.txt").read_text(encoding="utf-8")
    for text in (
        "Inbound Calls → calls_answered (metric)",
        "Average Speed of Answer in Secs → asa_s (metric)",
        "calls_offered = 'Inbound Calls' + 'Abandoned Calls'",
        "(155 rows)",
        "column 'In-person visits' not imported",
        "'Average Speed of Answer in Secs' is blank in 8 month(s)",
        "[rejected] monthly_metrics: published 'Call Abandonment Rate' is 0 while "
        "'Abandoned Calls' is blank",
        "e.g. line 50",
    ):
        assert text in report, text
    rejected = pd.read_csv(sf / "rejected" / "monthly_metrics.csv")
    assert len(rejected) == 1
    row = rejected.iloc[0]
    assert (row["source_line"], row["period"], row["metric"]) == (50, "2020-04", "abandonment_rate")
    assert "placeholder" in row["reason"]
    assert _rows(SF)[50 - 2]["Month"] == "Apr 2020"


@needs_shared()
def test_sf_validate_cli(sf):
    proc = run_cli("validate", "--data", sf)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "monthly_metrics" in proc.stdout and "777 rows" in proc.stdout


@needs_shared()
def test_sf_kpis_from_monthly_metrics(sf):
    prepared = cm.prepare(cm.load(sf))
    wanted = ["calls_abandoned", "abandonment_rate", "asa_s"]
    df = compute(prepared, "2017-03", kpis=wanted).set_index("kpi")
    assert df.loc["calls_abandoned", "value"] == 33
    assert df.loc["abandonment_rate", "value"] == pytest.approx(0.007)
    assert df.loc["asa_s", "value"] == 11
    assert df.loc[wanted, "available"].all()
    q = compute(prepared, "2017-Q1", kpis=["calls_abandoned"]).set_index("kpi")
    assert q.loc["calls_abandoned", "value"] == 105 + 53 + 33
    apr = compute(prepared, "2020-04", kpis=["abandonment_rate", "calls_abandoned"])
    assert apr["value"].isna().all()  # the rejected placeholder never shows as 0 %


@needs_shared()
def test_sf_rate_over_months_is_abandoned_over_offered(sf):
    prepared = cm.prepare(cm.load(sf))
    # by hand from the raw lines 123-125 (Jan-Mar 2014): abandoned 66 + 25 + 39 = 130;
    # offered (4150 + 66) + (3187 + 25) + (3332 + 39) = 10,799 → 1.2038 %. The n-weighted
    # mean of the published 1.6, 0.8, 1.2 % gave 133.604/10,799 = 1.2372 % (+2.8 %).
    q = compute(prepared, "2014-Q1", kpis=["abandonment_rate"]).set_index("kpi")
    assert q.loc["abandonment_rate", "value"] == pytest.approx(130 / 10799, rel=1e-12)
    assert q.loc["abandonment_rate", "n"] == 10799
    # Apr-Jun 2020 (lines 48-50): April's rate is a rejected placeholder and its abandoned
    # count blank, so May and June: (27 + 20) / (3328 + 4701) = 47/8029 = 0.5854 %
    # (published 0.8 and 0.4 %, n-weighted 0.5658 %, -3.3 %)
    q2 = compute(prepared, "2020-Q2", kpis=["abandonment_rate"]).set_index("kpi")
    assert q2.loc["abandonment_rate", "value"] == pytest.approx(47 / 8029, rel=1e-12)


def test_similar_monthly_file(tmp_path):
    src = tmp_path / "metrics.csv"
    src.write_text(
        "Month,Calls Answered,ASA (min),Abandoned Calls,Abandonment Rate,Notes\n"
        "January 2020,100,1.5,10,9.1,x\n"
        "2020-02,200,0.5,n/a,5,\n"
        "\n"
        "Feb 2020,300,2,30,9,dup\n"
        "Smarch 2020,1,1,1,1,\n"
        "2020-03,1,1,2,66.7,\n",
        encoding="utf-8",
    )
    run_import("monthly-metrics", [src], tmp_path / "out")
    mm = cm.load(tmp_path / "out")["monthly_metrics"]
    assert _value(mm, "2020-01", "asa_s") == 90  # minutes → seconds
    assert _value(mm, "2020-01", "calls_offered") == 110
    assert _value(mm, "2020-01", "abandonment_rate") == pytest.approx(0.091)
    assert _value(mm, "2020-02", "asa_s") == 30
    assert math.isnan(_value(mm, "2020-02", "calls_offered"))  # abandoned unreadable
    rejected = pd.read_csv(tmp_path / "out" / "rejected" / "monthly_metrics.csv")
    reasons = dict(zip(rejected["source_line"], rejected["reason"], strict=True))
    assert "not a number" in reasons[3]  # "n/a" abandoned calls
    assert "already imported from metrics.csv, line 3" in reasons[5]  # the blank line counts
    assert "unreadable month" in reasons[6]
    report = (tmp_path / "out" / "import_report.txt").read_text(encoding="utf-8")
    assert "column 'Notes' not imported" in report
    assert "in 2 months; 0 disagree beyond rounding" in report


def test_monthly_asa_without_unit_is_a_data_error(tmp_path):
    src = tmp_path / "m.csv"
    src.write_text("Month,Inbound Calls,Average Speed of Answer\nJan 2020,1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="unit") as exc:
        run_import("monthly-metrics", [src], tmp_path / "out")
    assert exc.value.column == "Average Speed of Answer"
    src.write_text("Period,Visits\nJan 2020,1\n", encoding="utf-8")
    with pytest.raises(CsmetricsError, match="Inbound Calls"):
        run_import("monthly-metrics", [src], tmp_path / "out2")
