"""Tests of the sample-data generator (:mod:`csmetrics.sample`)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from csmetrics import schema
from csmetrics.sample import (
    CHANNELS,
    LANGUAGES,
    PLANTED_PROBLEMS,
    generate,
    planted_problems,
    sample_config,
    write_sample,
)

from .conftest import examples

TZ = "Europe/Lisbon"
#: The detail tables the generator makes (monthly_metrics holds pre-aggregated imports).
GENERATED = [t for t in schema.TABLE_NAMES if t != "monthly_metrics"]
AS_OF = pd.Timestamp("2026-11-01", tz=TZ)
SHARES = {
    "email": 0.30,
    "phone": 0.25,
    "chat": 0.20,
    "web_form": 0.10,
    "sms": 0.06,
    "twitter": 0.05,
    "facebook": 0.04,
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return generate()


def _as_of(months: int, end: str) -> pd.Timestamp:
    return pd.Period(end, freq="M").end_time.normalize().tz_localize(TZ) + pd.Timedelta(days=1)


def _problems(d: dict[str, pd.DataFrame], months: int, end: str) -> dict[str, int]:
    """The planted problems, counted from the frames."""
    t, c, s, staffing = d["tickets"], d["calls"], d["surveys"], d["staffing"]
    lo = s["metric"].map({"csat": 1.0, "nps": 0.0, "ces": 1.0})
    hi = s["metric"].map({"csat": 5.0, "nps": 10.0, "ces": 7.0})
    months_in = set(pd.period_range(end=end, periods=months, freq="M").strftime("%Y-%m"))
    return {
        "tickets.resolved_before_created": int((t.resolved_at < t.created_at).sum()),
        "tickets.first_response_before_created": int((t.first_response_at < t.created_at).sum()),
        "tickets.created_in_future": int((t.created_at >= _as_of(months, end)).sum()),
        "calls.negative_wait": int((c.wait_s < 0).sum()),
        "calls.talk_over_24h": int((c.talk_s > 24 * 3600).sum()),
        "surveys.score_out_of_range": int(((s.score < lo) | (s.score > hi)).sum()),
        "surveys.unknown_ticket": int((~s.ticket_id.isin(t.ticket_id)).sum()),
        "staffing.missing_month": len(months_in - set(staffing.period)),
    }


# --- shape and types --------------------------------------------------------------------


def test_tables_columns_and_dtypes_follow_the_schema(tables):
    assert list(tables) == list(GENERATED)
    for name, df in tables.items():
        spec = schema.TABLES[name]
        assert list(df.columns) == spec.names, name
        for col in spec.columns:
            assert df[col.name].dtype == schema.dtype_for(col, TZ), (name, col.name)


def test_rows_sorted_by_time_then_id_and_keys_unique(tables):
    for name, df in tables.items():
        spec = schema.TABLES[name]
        by = [spec.time_column, *[k for k in spec.key if k != spec.time_column]]
        pd.testing.assert_frame_equal(df, df.sort_values(by, kind="stable", ignore_index=True))
        if spec.key:
            assert not df.duplicated(list(spec.key)).any(), name
    for prefix, col, df in (
        ("T", "ticket_id", tables["tickets"]),
        ("C", "call_id", tables["calls"]),
        ("S", "survey_id", tables["surveys"]),
        ("CU", "customer_id", tables["customers"]),
        ("INC", "incident_id", tables["incidents"]),
        ("A", "agent_id", tables["staffing"]),
    ):
        assert df[col].str.fullmatch(prefix + r"\d{3,}").all(), col
    assert tables["tickets"]["ticket_id"].iloc[0] == "T000001"
    assert tables["costs"]["period"].str.fullmatch(r"\d{4}-\d{2}").all()


def test_generate_is_deterministic():
    a = generate(seed=3, months=3, scale=0.2)
    b = generate(seed=3, months=3, scale=0.2)
    c = generate(seed=4, months=3, scale=0.2)
    for name in GENERATED:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not a["tickets"].equals(c["tickets"])
    assert not a["surveys"].equals(c["surveys"])


# --- volumes and shares -----------------------------------------------------------------


def test_volumes_at_scale_one(tables):
    t = tables["tickets"]
    assert 54_000 <= len(t) <= 66_000
    per_month = t.created_at[t.created_at < AS_OF].dt.strftime("%Y-%m").value_counts()
    assert len(per_month) == 12 and per_month.between(3_800, 7_500).all()
    assert 13_000 <= len(tables["calls"]) <= 20_000
    assert 24_000 <= len(tables["surveys"]) <= 34_000
    assert len(tables["customers"]) == 20_000
    assert 20 <= len(tables["incidents"]) <= 30
    assert len(tables["finance"]) == 12
    assert tables["staffing"].period.nunique() == 11
    assert (tables["costs"].amount > 0).all()
    assert set(tables["costs"].category) == set(schema.COST_CATEGORIES)


def test_channel_shares(tables):
    shares = tables["tickets"].channel.value_counts(normalize=True)
    assert set(shares.index) == set(CHANNELS)
    for channel, share in SHARES.items():
        assert shares[channel] == pytest.approx(share, abs=0.015), channel


def test_peaks_have_more_tickets_per_day(tables):
    t = tables["tickets"]
    t = t[t.created_at < AS_OF]
    day = t.created_at.dt.tz_localize(None).dt.normalize()
    per_day = t.groupby(day).size()
    dates = per_day.index
    holiday = (dates >= "2025-11-24") & (dates <= "2025-12-31")
    promo = (dates >= "2026-05-04") & (dates <= "2026-05-17")
    regular = per_day[~holiday & ~promo].mean()
    assert per_day[holiday].mean() > 1.3 * regular
    assert per_day[promo].mean() > 1.25 * regular
    month = t.created_at.dt.strftime("%Y-%m")
    days = pd.PeriodIndex(month.unique(), freq="M").days_in_month
    rate = month.value_counts() / pd.Series(days, index=month.unique())
    assert rate["2025-12"] > rate.drop(["2025-12", "2026-05"]).max()
    assert rate["2026-05"] > rate.drop(["2025-11", "2025-12", "2026-05"]).mean()


def test_weekday_and_hour_seasonality(tables):
    created = tables["tickets"].created_at
    by_day = created.dt.day_of_week.value_counts()
    assert by_day[0] == by_day.max() and by_day[6] == by_day.min()
    by_hour = created.dt.hour.value_counts()
    assert by_hour[[10, 11, 14, 15]].min() > by_hour[[3, 4, 13, 20]].max()


def test_every_customer_used_exists(tables):
    known = set(tables["customers"].customer_id)
    for name in ("tickets", "calls", "surveys"):
        used = tables[name].customer_id.dropna()
        assert used.isin(known).all(), name
    assert tables["tickets"].customer_id.notna().all()


def test_first_contact_resolution(tables):
    t = tables["tickets"]
    fcr = t.resolved_at.notna() & (t.agent_replies <= 1) & (t.reopens == 0)
    assert 0.55 <= fcr.mean() <= 0.75
    by_channel = fcr.groupby(t.channel).mean()
    assert by_channel.between(0.5, 0.8).all()
    assert by_channel["phone"] > by_channel["email"]


def test_ticket_states_are_consistent(tables):
    t = tables["tickets"]
    unresolved = t.resolved_at.isna()
    assert t.status[unresolved].isin(["open", "pending"]).all()
    assert t.status[~unresolved].isin(["resolved", "closed"]).all()
    assert (t.status[t.first_response_at.isna() & unresolved] == "open").all()
    backlog = t[unresolved & (t.created_at < AS_OF)]
    recent = backlog.created_at >= pd.Timestamp("2026-10-01", tz=TZ)
    assert 0.4 < recent.mean() < 0.9  # mostly recent, some old stuck tickets
    assert 0.01 < t.first_response_at.isna().mean() < 0.05
    assert t.agent_replies.max() == 8 and t.reopens.max() == 2
    known = t.converted.notna()
    assert set(t.category[known]) <= {"Product question", "Cancellation", "Order change"}
    assert 0.2 <= t.converted[known].mean() <= 0.35
    assert 0.10 <= t.is_complaint.mean() <= 0.14


def test_calls_match_phone_tickets(tables):
    t, c = tables["tickets"], tables["calls"]
    answered = c[c.outcome == "answered"]
    phone = t[t.channel == "phone"]
    assert len(answered) == len(phone)
    assert sorted(answered.customer_id) == sorted(phone.customer_id)
    assert answered.agent_id.notna().all() and c.agent_id[c.outcome != "answered"].isna().all()
    ok = c.wait_s >= 0
    assert (
        (answered.answered_at - answered.arrived_at)
        .dt.total_seconds()[ok]
        .equals(answered.wait_s[ok])
    )
    valid_ab = (c.outcome == "abandoned") & (c.wait_s >= 5)
    abandonment = valid_ab.sum() / (len(answered) + valid_ab.sum())
    assert 0.05 <= abandonment <= 0.10
    sl = ((c.outcome == "answered") & (c.wait_s <= 20)).sum() / (
        len(answered) + ((c.outcome == "abandoned") & (c.wait_s > 20)).sum()
    )
    assert 0.72 <= sl <= 0.85
    assert 0.002 <= (c.outcome == "other").mean() <= 0.01
    assert 250 <= answered.talk_s[answered.talk_s < 86_400].mean() <= 350


def test_customers_phone_after_unanswered_email(tables):
    t = tables["tickets"].dropna(subset=["customer_id"])
    email = t[t.channel == "email"]
    phone = t[t.channel == "phone"][["customer_id", "created_at"]]
    pairs = email.merge(phone, on="customer_id", suffixes=("", "_phone"))
    gap = pairs.created_at_phone - pairs.created_at
    unanswered = pairs.first_response_at.isna() | (pairs.first_response_at > pairs.created_at_phone)
    switched = pairs[(gap > pd.Timedelta(0)) & (gap <= pd.Timedelta(hours=24)) & unanswered]
    share = switched.ticket_id.nunique() / len(email)
    assert 0.015 <= share <= 0.08


def test_surveys(tables):
    s, t = tables["surveys"], tables["tickets"]
    answered = s.score.notna()
    assert (answered == s.answered_at.notna()).all()
    assert 0.22 <= answered.mean() <= 0.32
    shares = s.metric.value_counts(normalize=True)
    assert shares["csat"] == pytest.approx(0.6, abs=0.03)
    csat = s.score[(s.metric == "csat") & answered]
    assert 0.72 <= (csat >= 4).mean() <= 0.86
    nps = s.score[(s.metric == "nps") & answered]
    assert 15 <= 100 * ((nps >= 9).mean() - (nps <= 6).mean()) <= 45
    merged = s.merge(t[["ticket_id", "customer_id", "channel"]], on="ticket_id", how="inner")
    assert (merged.customer_id_x == merged.customer_id_y).all()
    assert (merged.channel_x == merged.channel_y).all()
    assert 0.35 <= s.comment[answered].notna().mean() <= 0.5
    assert s.comment[~answered].isna().all()


def test_comments_in_five_languages(tables):
    from csmetrics.sample import _TEMPLATES

    comments = tables["surveys"].comment.dropna()
    for lang in LANGUAGES:
        phrases = [p for theme in _TEMPLATES[lang].values() for p in theme]
        pattern = "|".join(re.escape(p) for p in phrases)
        assert comments.str.contains(pattern).sum() > 100, lang


def test_comment_sentiment_follows_score(tables):
    from csmetrics.sample import _TEMPLATES

    def pattern(themes: tuple[str, ...]) -> str:
        return "|".join(
            re.escape(p) for lang in _TEMPLATES.values() for t in themes for p in lang[t]
        )

    praise = pattern(("friendly_agent", "quick_resolution"))
    blame = pattern(("long_wait", "several_contacts", "refund_delay", "app_bug", "delivery_late"))
    s = tables["surveys"]
    csat = s[(s.metric == "csat") & s.comment.notna()]
    bad, good = csat.comment[csat.score <= 2], csat.comment[csat.score == 5]
    assert not bad.str.contains(praise).any() and bad.str.contains(blame).all()
    assert good.str.contains(praise).all() and not good.str.contains(blame).any()
    mixed = csat.comment[csat.score == 3]
    assert (mixed.str.contains(praise) & mixed.str.contains(blame)).all()


def test_costs_staffing_and_finance_are_consistent(tables):
    costs, staffing, finance = tables["costs"], tables["staffing"], tables["finance"]
    staff = costs[costs.category == "staff"].groupby("period").amount.sum()
    payroll = (staffing.staffed_hours * staffing.hourly_cost).groupby(staffing.period).sum()
    both = payroll.index
    assert np.allclose(staff[both], payroll, atol=1.0)
    assert staffing.staffed_hours.between(110, 170).all()
    assert staffing.hourly_cost.between(22, 36).all()
    assert (costs.currency == "EUR").all()
    social = costs[costs.category == "outsourcing"].channel
    assert set(social) == {"twitter", "facebook"}
    t = tables["tickets"]
    per_ticket = costs.groupby("channel").amount.sum() / t.channel.value_counts()
    assert per_ticket.idxmax() == "phone"
    customers = tables["customers"]
    for period, active in zip(finance.period, finance.active_customers, strict=True):
        end = pd.Period(period, freq="M").end_time.tz_localize(TZ)
        alive = (customers.since <= end) & (customers.until.isna() | (customers.until > end))
        assert alive.sum() == active
    arpu = finance.revenue / finance.active_customers
    assert arpu.between(27, 35).all()


def test_incidents_cause_ticket_spikes(tables):
    t, inc = tables["tickets"], tables["incidents"]
    tech = t[t.category == "Technical issue"]
    per_day = tech.groupby(tech.created_at.dt.tz_localize(None).dt.normalize()).size()
    big = inc[inc.severity.isin(["sev1", "sev2"])]
    days = big.started_at.dt.tz_localize(None).dt.normalize()
    assert len(days) and per_day.reindex(days).fillna(0).mean() > 1.6 * per_day.median()
    assert (inc.detected_at >= inc.started_at).all()
    assert (inc.resolved_at.dropna() >= inc.detected_at[inc.resolved_at.notna()]).all()


# --- planted problems -------------------------------------------------------------------


def test_planted_problems_exact(tables):
    assert _problems(tables, 12, "2026-10") == PLANTED_PROBLEMS
    t = tables["tickets"]
    future = t[t.created_at >= AS_OF]
    assert future.created_at.dt.year.tolist() == [2036]
    assert future.first_response_at.isna().all() and future.resolved_at.isna().all()
    other = pd.concat(
        [tables[n][c] for n in ("calls", "surveys") for c in tables[n] if c.endswith("_at")]
    )
    assert (other.dropna() < AS_OF).all()


def test_planted_problems_follow_the_period():
    assert planted_problems() == PLANTED_PROBLEMS
    assert planted_problems(3, "2026-10")["staffing.missing_month"] == 0
    assert planted_problems(2, "2026-04")["staffing.missing_month"] == 1


# --- configuration and files ------------------------------------------------------------


def test_sample_config_defaults():
    cfg = sample_config()
    assert cfg["timezone"] == TZ and cfg["currency"] == "EUR"
    assert cfg["calendar"]["closed_days"] == ["2025-12-24", "2025-12-31"]
    assert cfg["calendar"]["business_hours"]["sat"] == "10:00-14:00"
    assert "sun" not in cfg["calendar"]["business_hours"]
    assert cfg["peak_periods"] == [
        {"name": "Holiday season", "start": "2025-11-24", "end": "2025-12-31"},
        {"name": "Spring promotion", "start": "2026-05-04", "end": "2026-05-17"},
    ]
    assert cfg["thresholds"] == {
        "service_level_s": 20,
        "short_abandon_s": 5,
        "repeat_contact_days": 7,
        "channel_switch_h": 24,
    }
    assert cfg["ces"] == {"min": 1, "max": 7, "lower_is_better": True}
    assert pd.Timestamp(cfg["as_of"]) == AS_OF


def test_sample_config_follows_the_period():
    cfg = sample_config(months=6, end="2027-06")
    assert cfg["peak_periods"] == [
        {"name": "Spring promotion", "start": "2027-05-03", "end": "2027-05-16"}
    ]
    assert cfg["calendar"]["closed_days"] == []
    two_years = sample_config(months=24)
    names = [p["name"] for p in two_years["peak_periods"]]
    assert names == [
        "Holiday season 2024",
        "Spring promotion 2025",
        "Holiday season 2025",
        "Spring promotion 2026",
    ]


def test_sample_config_is_accepted_by_the_config_loader():
    from csmetrics.config import config_from_dict

    cfg = config_from_dict(sample_config())
    assert cfg.timezone == TZ
    assert [p.name for p in cfg.peak_periods] == ["Holiday season", "Spring promotion"]


def test_write_sample(tmp_path):
    paths = write_sample(tmp_path / "pq", months=2, scale=0.05)
    assert set(paths) == {*GENERATED, "config"}
    tickets = pd.read_parquet(paths["tickets"])
    assert str(tickets.created_at.dtype) == "datetime64[us, UTC]"
    expected = generate(months=2, scale=0.05)["tickets"]
    assert (tickets.created_at == expected.created_at).all()
    assert yaml.safe_load(paths["config"].read_text(encoding="utf-8")) == sample_config(2)
    csv = write_sample(tmp_path / "csv", months=2, scale=0.05, fmt="csv")
    assert csv["calls"].suffix == ".csv"
    text = pd.read_csv(csv["tickets"], dtype=str)
    assert text.created_at.str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d").all()
    parsed = pd.to_datetime(text.created_at, utc=True)
    assert (parsed.to_numpy() == expected.created_at.dt.tz_convert("UTC").to_numpy()).all()
    with pytest.raises(ValueError):
        write_sample(tmp_path / "x", fmt="xlsx")


# --- properties -------------------------------------------------------------------------


@settings(max_examples=examples(15), deadline=None)
@given(
    seed=st.integers(0, 10_000),
    months=st.integers(1, 6),
    scale=st.floats(0.01, 0.05),
    end=st.sampled_from(["2026-10", "2026-04", "2025-02", "2030-12"]),
)
def test_small_samples_are_well_formed(seed, months, scale, end):
    d = generate(seed=seed, months=months, scale=scale, end=end)
    for name, df in d.items():
        spec = schema.TABLES[name]
        if spec.key:
            assert not df.duplicated(list(spec.key)).any(), name
        for col in spec.columns:
            if col.kind == "timestamp":
                assert str(df[col.name].dt.tz) == TZ, (name, col.name)
    assert _problems(d, months, end) == planted_problems(months, end)
    assert d["customers"].customer_id.is_unique
