"""Configuration and reporting periods."""

from __future__ import annotations

import datetime as dt
import tomllib

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from csmetrics.config import config_from_dict, load_config
from csmetrics.errors import ConfigError
from csmetrics.periods import Period, PeriodError, latest_complete_month

from .conftest import ROOT, examples


def test_defaults():
    cfg = config_from_dict({})
    assert cfg.timezone == "UTC"
    assert cfg.thresholds.service_level_s == 20.0
    assert cfg.ces.lower_is_better is True and (cfg.ces.min, cfg.ces.max) == (1.0, 7.0)
    assert cfg.calendar.business_hours["mon"] == ("09:00", "17:00")
    assert "sat" not in cfg.calendar.business_hours


def test_full_config(tmp_path):
    path = tmp_path / "csmetrics.yaml"
    path.write_text(
        "timezone: Europe/Rome\nas_of: '2026-10-31 23:59'\n"
        "calendar: {country: IT, business_hours: {mon: '08:30-17:30', sat: closed},"
        " closed_days: ['2026-08-14']}\n"
        "thresholds: {service_level_s: 30, short_abandon_s: 5}\n"
        "sla_first_response_h: {urgent: 1, normal: 8}\n"
        "targets: {fcr_rate: 0.7}\n"
        "peak_periods: [{name: Summer sale, start: '2026-07-01', end: '2026-07-15'}]\n"
        "ces: {min: 1, max: 5, lower_is_better: false}\n"
    )
    cfg = load_config(path)
    assert cfg.as_of == dt.datetime(2026, 10, 31, 23, 59, tzinfo=cfg.tz)
    assert cfg.calendar.business_hours == {"mon": ("08:30", "17:30")}
    assert cfg.calendar.closed_days == [dt.date(2026, 8, 14)]
    assert cfg.thresholds.service_level_s == 30.0 and cfg.thresholds.short_abandon_s == 5.0
    assert cfg.sla_first_response_h == {"urgent": 1.0, "normal": 8.0}
    assert cfg.peak_periods[0].name == "Summer sale"
    assert cfg.ces.max == 5.0 and cfg.ces.lower_is_better is False


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"thresholds": {"service_level": 20}}, "did you mean 'service_level_s'"),
        ({"thresholds": {"service_level_s": "fast"}}, "expected a number"),
        ({"calendar": {"country": "XX"}}, "no public-holiday calendar"),
        (
            {"peak_periods": [{"name": "x", "start": "2026-05-10", "end": "2026-05-01"}]},
            "end is before start",
        ),
        ({"peak_periods": [{"name": "x", "start": "2026-05-10"}]}, "needs name, start and end"),
        ({"ces": {"min": 7, "max": 1}}, "min must be below max"),
        ({"sources": {"calls": {"url": "sqlite://"}}}, "give a query or a table"),
        (
            {"sources": {"calls": {"url": "sqlite://", "file": "x.csv", "table": "t"}}},
            "exactly one of file, url or duckdb",
        ),
        ({"columns": {"calls": {"units": {"wait_s": "minutes"}}}}, "unknown unit 'minutes'"),
        ({"columns": {"tickts": {}}}, "did you mean 'tickets'"),
        ({"as_of": "tomorrow"}, "expected an ISO date-time"),
    ],
)
def test_config_errors(raw, message):
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        config_from_dict(raw)


@pytest.mark.parametrize(
    ("text", "label", "start", "end", "previous", "year_before"),
    [
        ("2026-10", "2026-10", "2026-10-01", "2026-11-01", "2026-09", "2025-10"),
        ("2026-01", "2026-01", "2026-01-01", "2026-02-01", "2025-12", "2025-01"),
        ("2026-Q1", "2026-Q1", "2026-01-01", "2026-04-01", "2025-Q4", "2025-Q1"),
        ("2026q3", "2026-Q3", "2026-07-01", "2026-10-01", "2026-Q2", "2025-Q3"),
        ("2026", "2026", "2026-01-01", "2027-01-01", "2025", "2025"),
    ],
)
def test_periods(text, label, start, end, previous, year_before):
    p = Period.parse(text, "Europe/Lisbon")
    assert p.label == label
    assert p.start == pd.Timestamp(start, tz="Europe/Lisbon")
    assert p.end == pd.Timestamp(end, tz="Europe/Lisbon")
    assert p.previous().label == previous
    assert p.year_before().label == year_before


def test_period_all_and_errors():
    p = Period.parse("all")
    ts = pd.Series(pd.to_datetime(["2020-01-01", None]).tz_localize("UTC"))
    assert p.contains(ts).tolist() == [True, False]
    with pytest.raises(PeriodError):
        p.previous()
    for bad in ("2026-13", "Oct 2026", "2026-Q5", ""):
        with pytest.raises(PeriodError, match="not understood"):
            Period.parse(bad)


def test_period_contains_is_half_open_in_local_time():
    p = Period.parse("2026-10", "Europe/Lisbon")
    ts = pd.Series(
        pd.to_datetime(
            [
                "2026-09-30 23:30:00+00:00",  # 00:30 local on Oct 1
                "2026-10-31 23:59:59+00:00",
                "2026-11-01 00:00:00+00:00",
            ]
        )
    )
    assert p.contains(ts).tolist() == [True, True, False]


def test_latest_complete_month():
    ts = pd.Series(pd.to_datetime(["2026-09-01 00:00", "2026-10-30 10:00"]).tz_localize("UTC"))
    assert latest_complete_month(ts, "UTC") == "2026-09"
    ts = pd.Series(pd.to_datetime(["2026-10-31 10:00"]).tz_localize("UTC"))
    assert latest_complete_month(ts, "UTC") == "2026-10"
    assert latest_complete_month(pd.Series([], dtype="datetime64[us, UTC]"), "UTC") is None


def test_environment_yml_in_step_with_pyproject():
    """environment.yml installs the package with every extra pyproject declares, on the
    same minimum Python."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    python = [d for d in deps if isinstance(d, str) and d.startswith("python")]
    assert python == [f"python{project['requires-python']}"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert len(pip) == 1 and pip[0].startswith("-e .[")
    extras = set(pip[0][len("-e .[") : -1].split(","))
    assert extras == set(project["optional-dependencies"])


def test_readme_generated_sections_are_current():
    from csmetrics.docs import render_sections

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- BEGIN tables -->" in text
    assert render_sections(text) == text, "README.md is stale: run python -m csmetrics.docs"


def test_readme_starts_with_the_two_commands():
    head = (ROOT / "README.md").read_text(encoding="utf-8")[:1500]
    assert "make report" in head and "make test" in head


@pytest.mark.parametrize(
    ("stamps", "month"),
    [
        # the last ticket on 31 October: October is complete and has data
        (["2026-09-03 10:00", "2026-10-31 18:00"], "2026-10"),
        # data stops on 3 November: October is the latest complete month, with data
        (["2026-10-12 10:00", "2026-11-03 09:00"], "2026-10"),
        # a gap: nothing in September, a few days of October: August, not an empty month
        (["2026-08-10 10:00", "2026-10-03 09:00"], "2026-08"),
        # only part of one month: that month (a partial month beats an empty one)
        (["2026-10-02 10:00", "2026-10-09 09:00"], "2026-10"),
    ],
)
def test_default_period_is_the_latest_complete_month_with_data(stamps, month):
    import csmetrics as cm
    from csmetrics.kpis import compute
    from csmetrics.report import default_period

    created = pd.to_datetime(pd.Series(stamps)).dt.tz_localize("UTC")
    tickets = pd.DataFrame(
        {"ticket_id": [f"T{i}" for i in range(len(stamps))], "created_at": created,
         "channel": "email"}
    )  # fmt: skip
    wb = cm.from_frames({"tickets": tickets}, {"timezone": "UTC"})
    assert default_period(wb) == month
    # the month chosen has tickets
    n = compute(cm.prepare(wb), month, kpis=["tickets_created"])["value"].iloc[0]
    assert n >= 1


@settings(max_examples=examples(25), deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.integers(-2_000_000_000, 4_000_000_000)), min_size=0, max_size=40
    ),
    st.sampled_from(
        [
            "UTC",
            "Europe/Lisbon",
            "America/Sao_Paulo",
            "Asia/Kolkata",
            "Pacific/Chatham",
            "Europe/Warsaw",
        ]
    ),
)
def test_month_labels_are_those_of_strftime(seconds, tz):
    from csmetrics.periods import month_labels

    ts = pd.Series(pd.to_datetime(seconds, unit="s", utc=True))
    expected = ts.dt.tz_convert(tz).dt.strftime("%Y-%m").astype("str")
    got = month_labels(ts, tz)
    assert got.dtype == expected.dtype
    pd.testing.assert_series_equal(got, expected)


def test_month_labels_at_the_boundaries_of_a_month_in_the_zone():
    from csmetrics.periods import month_labels

    # 2026-10-31 23:59:59 and 2026-11-01 00:00 in Lisbon (WET, UTC+0 after the DST end on
    # 25 October); 2026-03-31 23:30 UTC is 00:30 on 1 April in Lisbon (WEST, UTC+1)
    ts = pd.Series(pd.to_datetime(["2026-10-31 23:59:59", "2026-11-01 00:00:00",
                                   "2026-03-31 23:30:00", None]).tz_localize("UTC"))  # fmt: skip
    assert month_labels(ts, "Europe/Lisbon").tolist()[:3] == ["2026-10", "2026-11", "2026-04"]
    assert pd.isna(month_labels(ts, "Europe/Lisbon").iloc[3])
    assert month_labels(ts.iloc[:0], "UTC").tolist() == []
