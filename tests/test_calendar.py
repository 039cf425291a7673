"""Business-hours durations: weekly schedule, holidays, closed days, DST."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from csmetrics.calendar import business_seconds
from csmetrics.config import WEEKDAYS, Calendar

from .conftest import examples

TZ = "Europe/Lisbon"
WEEK_9_18 = Calendar(business_hours={d: ("09:00", "18:00") for d in WEEKDAYS[:5]})
ALWAYS = Calendar(business_hours={d: ("00:00", "24:00") for d in WEEKDAYS})


def _ts(*values: str) -> pd.Series:
    return pd.Series(
        [pd.Timestamp(v, tz=TZ) if v else pd.NaT for v in values], dtype=f"datetime64[us, {TZ}]"
    )


def hours(start, end, cal=WEEK_9_18):
    return (business_seconds(_ts(*start), _ts(*end), cal, TZ) / 3600).tolist()


def test_same_day_inside_and_outside_hours():
    # Thu 1 Oct 2026: 10:00 -> 12:30 is 2.5 h; 07:00 -> 08:00 is 0; 17:00 -> 20:00 is 1 h
    assert hours(
        ["2026-10-01 10:00", "2026-10-01 07:00", "2026-10-01 17:00"],
        ["2026-10-01 12:30", "2026-10-01 08:00", "2026-10-01 20:00"],
    ) == [2.5, 0, 1]


def test_over_a_weekend():
    # Fri 2 Oct 17:00 -> Mon 5 Oct 10:00 = 1 h + 1 h (no holiday calendar here)
    assert hours(["2026-10-02 17:00"], ["2026-10-05 10:00"]) == [2.0]


def test_public_holiday_and_closed_day():
    # Mon 5 Oct 2026 is Portugal's Republic Day: the Monday hour disappears.
    cal = Calendar(country="PT", business_hours=WEEK_9_18.business_hours)
    assert hours(["2026-10-02 17:00"], ["2026-10-06 10:00"], cal) == [2.0]
    cal = Calendar(business_hours=WEEK_9_18.business_hours, closed_days=[dt.date(2026, 10, 6)])
    assert hours(["2026-10-05 17:00"], ["2026-10-07 10:00"], cal) == [2.0]


def test_dst_change_inside_a_span():
    # Lisbon leaves summer time on Sun 25 Oct 2026 at 02:00 (a 25-hour day).
    assert hours(["2026-10-24 12:00"], ["2026-10-26 12:00"], ALWAYS) == [49.0]
    # and enters it on Sun 29 Mar 2026 (a 23-hour day)
    assert hours(["2026-03-28 12:00"], ["2026-03-30 12:00"], ALWAYS) == [47.0]
    # office hours across the October change: Fri 17:00 -> Mon 10:00 is still 2 h
    assert hours(["2026-10-23 17:00"], ["2026-10-26 10:00"]) == [2.0]


def test_missing_end_is_nan_and_reversed_is_negative():
    out = hours(["2026-10-01 10:00", "2026-10-01 12:00"], ["", "2026-10-01 10:00"])
    assert np.isnan(out[0]) and out[1] == -2.0


@settings(max_examples=examples(80), deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 24 * 60 * 40), st.integers(0, 24 * 60 * 40)),
        min_size=1,
        max_size=20,
    )
)
def test_business_time_never_exceeds_calendar_time_and_is_additive(pairs):
    base = pd.Timestamp("2026-09-20", tz=TZ)
    a = pd.Series([base + pd.Timedelta(minutes=min(p)) for p in pairs])
    b = pd.Series([base + pd.Timedelta(minutes=max(p)) for p in pairs])
    mid = a + (b - a) / 2
    full = business_seconds(a, b, WEEK_9_18, TZ)
    cal_secs = (b - a).dt.total_seconds()
    assert (full >= -1e-6).all() and (full <= cal_secs + 1e-6).all()
    parts = business_seconds(a, mid, WEEK_9_18, TZ) + business_seconds(mid, b, WEEK_9_18, TZ)
    assert np.allclose(full, parts)
    assert np.allclose(business_seconds(a, b, ALWAYS, TZ), cal_secs)
