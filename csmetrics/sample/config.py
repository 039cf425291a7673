"""The settings that go with the sample (``csmetrics.yaml``) and its planted problems."""

from __future__ import annotations

import pandas as pd

from .calendar_grid import _closed_days, _month_list, _peaks
from .model import _BUSINESS_HOURS, _STAFFING_GAP, CURRENCY, PLANTED_PROBLEMS, TIMEZONE


def _calendar(periods: list[pd.Period]) -> dict:
    """The ``calendar`` section: business hours Monday to Saturday and closed days."""
    days = ("mon", "tue", "wed", "thu", "fri", "sat")
    return {
        "country": "PT",
        "business_hours": {
            d: f"{_BUSINESS_HOURS[i][0]:02d}:00-{_BUSINESS_HOURS[i][1]:02d}:00"
            for i, d in enumerate(days)
        },
        "closed_days": [d.isoformat() for d in _closed_days(periods)],
    }


def _service_settings() -> dict:
    """The ``thresholds``, ``sla_first_response_h`` and ``targets`` sections."""
    return {
        "thresholds": {
            "service_level_s": 20,
            "short_abandon_s": 5,
            "repeat_contact_days": 7,
            "channel_switch_h": 24,
        },
        "sla_first_response_h": {"urgent": 1, "high": 4, "normal": 8, "low": 24},
        "targets": {
            "frt_median_h": 4,
            "fcr_rate": 0.7,
            "abandonment_rate": 0.08,
            "service_level": 0.8,
            "csat_score": 0.8,
            "nps": 30,
            "ces_mean": 3,
            "cost_per_contact": 8,
        },
    }


def sample_config(months: int = 12, end: str = "2026-10") -> dict:
    """The ``csmetrics.yaml`` settings that go with the sample, as a plain dict.

    Peak periods and closed days follow the sample's period; for the default period
    (12 months ending 2026-10) they are the holiday season 2025-11-24 to 2025-12-31,
    the spring promotion 2026-05-04 to 2026-05-17 and the closed days 2025-12-24 and
    2025-12-31. ``as_of`` is the end of the last month, so that the planted future
    ticket does not move the as-of time of the KPIs. The cost-per-contact target is
    8 EUR: the sample's staffing costs about 9 EUR per contact in regular months and
    7 EUR in the holiday peak, so the target is close but not met.

    Parameters
    ----------
    months : int, default 12
        Number of months of the sample.
    end : str, default "2026-10"
        Last month of the sample (``YYYY-MM``).

    Returns
    -------
    dict
        Ready for ``yaml.safe_dump(..., sort_keys=False)``.

    Examples
    --------
    >>> cfg = sample_config()
    >>> cfg["timezone"], cfg["peak_periods"][1]["start"]
    ('Europe/Lisbon', '2026-05-04')
    """
    periods = _month_list(months, end)
    as_of = pd.Timestamp(periods[-1].end_time.normalize() + pd.Timedelta(days=1))
    as_of = as_of.tz_localize(TIMEZONE)
    return {
        "timezone": TIMEZONE,
        "currency": CURRENCY,
        "as_of": as_of.isoformat(),
        "calendar": _calendar(periods),
        **_service_settings(),
        "peak_periods": [
            {"name": p.name, "start": p.start.isoformat(), "end": p.end.isoformat()}
            for p in _peaks(periods)
        ],
        "ces": {"min": 1, "max": 7, "lower_is_better": True},
    }


def planted_problems(months: int = 12, end: str = "2026-10") -> dict[str, int]:
    """The data-quality problems planted in a sample of ``months`` months ending ``end``.

    Same as :data:`PLANTED_PROBLEMS`, except that the staffing gap (no rows for
    2026-03) only exists when that month is inside the period.

    Parameters
    ----------
    months : int, default 12
        Number of months of the sample.
    end : str, default "2026-10"
        Last month of the sample (``YYYY-MM``).

    Returns
    -------
    dict of str to int
        ``"table.kind": number of rows`` (months for ``staffing.missing_month``).

    Examples
    --------
    >>> planted_problems(3, "2026-10")["staffing.missing_month"]
    0
    """
    out = dict(PLANTED_PROBLEMS)
    months_in = {str(p) for p in _month_list(months, end)}
    out["staffing.missing_month"] = int(_STAFFING_GAP in months_in)
    return out
