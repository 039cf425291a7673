"""The model of the sample: named values, mixes and rates of the simulated service.

Every tuning constant of the generator lives here, by table: channels, request types,
priorities, response and resolution times, teams, the calendar of demand, incidents,
customers and surveys. Names without an underscore are the labels written to the
tables (:data:`CHANNELS`, :data:`TEAMS`, ...); the integer constants (``EMAIL``,
``BILL``, ...) are their codes in the generator's arrays.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TIMEZONE = "Europe/Lisbon"
CURRENCY = "EUR"

_STR = pd.StringDtype(na_value=np.nan)
_NAT = np.iinfo(np.int64).min
_US = 1_000_000
_MIN = 60 * _US
_HOUR = 3600 * _US
_DAY = 24 * _HOUR

#: Data-quality problems planted in a default sample (12 months ending 2026-10), as
#: ``"table.kind": number of rows`` (months for ``staffing.missing_month``).
PLANTED_PROBLEMS: dict[str, int] = {
    "tickets.resolved_before_created": 3,
    "tickets.first_response_before_created": 2,
    "tickets.created_in_future": 1,
    "calls.negative_wait": 2,
    "calls.talk_over_24h": 1,
    "surveys.score_out_of_range": 4,
    "surveys.unknown_ticket": 3,
    "staffing.missing_month": 1,
}
_STAFFING_GAP = "2026-03"

# --- channels, categories, priorities ------------------------------------------------
CHANNELS = ("email", "phone", "chat", "web_form", "sms", "twitter", "facebook")
EMAIL, PHONE, CHAT, WEB, SMS, TWITTER, FACEBOOK = range(7)
_CHANNEL_SHARE = np.array([0.30, 0.25, 0.20, 0.10, 0.06, 0.05, 0.04])
_SYNC = np.array([False, True, True, False, False, False, False])  # only in opening hours

CATEGORIES = (
    "Billing",
    "Delivery",
    "Returns & refunds",
    "Technical issue",
    "Account access",
    "Product question",
    "Cancellation",
    "Order change",
)
BILL, DELIV, RETURNS, TECH, ACCOUNT, PRODUCT, CANCEL, ORDER = range(8)
# request-type mix by channel (rows: channels, columns: categories)
_CATEGORY_MIX = np.array(
    [
        [0.16, 0.18, 0.20, 0.09, 0.06, 0.12, 0.09, 0.10],  # email
        [0.20, 0.13, 0.17, 0.13, 0.08, 0.10, 0.11, 0.08],  # phone
        [0.12, 0.18, 0.07, 0.16, 0.10, 0.23, 0.04, 0.10],  # chat
        [0.14, 0.15, 0.22, 0.14, 0.10, 0.10, 0.07, 0.08],  # web_form
        [0.10, 0.40, 0.06, 0.07, 0.14, 0.09, 0.04, 0.10],  # sms
        [0.10, 0.30, 0.10, 0.26, 0.07, 0.10, 0.05, 0.02],  # twitter
        [0.12, 0.27, 0.12, 0.18, 0.08, 0.14, 0.05, 0.04],  # facebook
    ]
)
PRIORITIES = ("low", "normal", "high", "urgent")
_PRIO_MIX = np.array([[0.21, 0.56, 0.19, 0.04], [0.13, 0.48, 0.27, 0.12]])  # plain, complaint
_PRIO_FRT = np.array([1.4, 1.0, 0.6, 0.3])

_COMPLAINT_CAT = np.array([0.13, 0.14, 0.14, 0.11, 0.065, 0.03, 0.16, 0.045])
_COMPLAINT_CH = np.array([1.0, 0.95, 0.7, 1.05, 0.6, 2.3, 1.9])
_CONVERT_P = np.array([np.nan, np.nan, np.nan, np.nan, np.nan, 0.32, 0.22, 0.26])

# first response: median business hours (async channels) / seconds (phone, chat)
_FRT_MEDIAN_BH = np.array([2.0, 0.0, 0.0, 1.6, 0.8, 0.6, 0.7])
_NO_RESPONSE = np.array([0.014, 0.0, 0.025, 0.02, 0.03, 0.07, 0.06])
_FCR_CH = np.array([0.59, 0.76, 0.72, 0.62, 0.66, 0.64, 0.64])
_FCR_CAT = np.array([0.0, -0.04, -0.10, -0.12, 0.08, 0.10, 0.02, 0.05])
# resolution after the first response when not first-contact (median business hours)
_RES_MEDIAN_BH = np.array([10.0, 18.0, 30.0, 22.0, 6.0, 5.0, 8.0, 8.0])
_AHT_CAT = np.array([1.05, 1.0, 1.1, 1.3, 0.8, 0.9, 1.0, 0.95])
_REPLY_S = np.array([420.0, 300.0, 0.0, 380.0, 160.0, 200.0, 220.0])
_TALK_MEAN_S = 275.0
_CSAT_CH = np.array([0.0, 0.12, 0.15, -0.02, -0.05, -0.3, -0.22])

QUEUES = ("General", "Billing", "Technical", "Orders & Delivery", "Returns")
_QUEUE_OF_CAT = np.array([1, 3, 4, 2, 2, 0, 1, 3])

# --- teams ---------------------------------------------------------------------------
TEAMS = (
    "Lisbon Tier 1",
    "Lisbon Tier 2",
    "Porto Tier 1",
    "Porto Billing & Returns",
    "Social & Messaging",
)
_TEAM_SIZE = np.array([3, 2, 3, 2, 2])  # agents at scale 1 (see _agents)
_TEAM_SPEED = np.array([1.0, 1.25, 0.85, 1.05, 0.9])  # > 1 is slower
_TEAM_FCR = np.array([0.0, 0.05, -0.06, 0.02, -0.02])
_TEAM_CSAT = np.array([0.0, 0.15, -0.15, 0.03, -0.05])
_TEAM_AHT = np.array([1.0, 1.3, 0.9, 1.05, 0.85])
_TEAM_COST = np.array([[24.0, 28.0], [30.0, 35.0], [22.0, 25.0], [24.0, 28.0], [23.0, 27.0]])
# share of each channel's tickets handled by each team (before request-type routing)
_TEAM_MIX = np.array(
    [
        [0.40, 0.05, 0.30, 0.25, 0.00],  # email
        [0.45, 0.05, 0.35, 0.15, 0.00],  # phone
        [0.05, 0.05, 0.45, 0.00, 0.45],  # chat
        [0.45, 0.10, 0.20, 0.25, 0.00],  # web_form
        [0.00, 0.00, 0.10, 0.00, 0.90],  # sms
        [0.00, 0.00, 0.00, 0.00, 1.00],  # twitter
        [0.00, 0.00, 0.00, 0.00, 1.00],  # facebook
    ]
)
# channel weight when a team's staff cost is split over channels: phone agents wait for
# calls between them, chat agents handle two conversations at once
_COST_WEIGHT = np.array([1.0, 2.0, 0.6, 1.0, 1.0, 1.0, 1.0])

# --- calendar ------------------------------------------------------------------------
_BUSINESS_HOURS = {0: (9, 18), 1: (9, 18), 2: (9, 18), 3: (9, 18), 4: (9, 18), 5: (10, 14)}
_ASYNC_HOD = np.concatenate(
    (
        [0.18, 0.12, 0.08, 0.06, 0.06, 0.10, 0.22, 0.45, 0.80, 1.15, 1.50, 1.55],  # 00-11
        [1.20, 1.10, 1.45, 1.50, 1.30, 1.05, 0.85, 0.75, 0.70, 0.60, 0.45, 0.30],  # 12-23
    )
)
_SOCIAL_HOD = _ASYNC_HOD * np.r_[np.ones(17), np.full(7, 1.5)]
_SYNC_HOD = np.zeros(24)
_SYNC_HOD[9:18] = [1.0, 1.5, 1.55, 1.15, 1.0, 1.45, 1.5, 1.25, 0.95]
_ASYNC_DOW = np.array([1.25, 1.1, 1.05, 1.0, 0.95, 0.55, 0.42])
_SYNC_DOW = np.array([1.25, 1.1, 1.05, 1.0, 0.95, 0.9, 0.0])
_MONTH_SEASON = np.array([1.04, 0.97, 1.0, 0.98, 1.0, 0.97, 0.93, 0.88, 1.0, 1.02, 1.0, 1.0])
_HOLIDAY_LIFT, _PROMO_LIFT = 0.72, 0.4
_TICKETS_PER_MONTH = 4_550  # regular month at scale 1, before peaks and incidents
_MIN_TICKETS = 150  # floor of the expected volume of tiny samples

# --- incidents -----------------------------------------------------------------------
PRODUCTS = ("Mobile app", "Website", "Payments", "Delivery tracking")
SEVERITIES = ("sev1", "sev2", "sev3", "sev4")
_SEV_MIX = np.array([0.08, 0.2, 0.4, 0.32])
_SEV_DETECT_MIN = np.array([8.0, 20.0, 60.0, 180.0])
_SEV_RESOLVE_H = np.array([2.0, 4.0, 10.0, 30.0])
_SEV_TICKETS = np.array([220.0, 110.0, 45.0, 15.0])  # at scale 1
_SEV_LOAD = np.array([0.6, 0.3, 0.1, 0.0])

# --- customers, surveys --------------------------------------------------------------
SEGMENTS = ("consumer", "small business", "enterprise")
_SEGMENT_MIX = np.array([0.80, 0.16, 0.04])
_SEGMENT_CHURN = np.array([0.018, 0.012, 0.006])  # monthly hazard
_SEGMENT_CONTACT = np.array([1.0, 1.6, 3.0])
LANGUAGES = ("pt", "en", "es", "it", "pl")
_LANGUAGE_MIX = np.array([0.55, 0.18, 0.12, 0.08, 0.07])
METRICS = ("csat", "nps", "ces")
_METRIC_MIX = np.array([0.60, 0.25, 0.15])
_ARPU = 30.0

THEMES = (
    "long_wait",
    "friendly_agent",
    "several_contacts",
    "refund_delay",
    "app_bug",
    "quick_resolution",
    "delivery_late",
)
_POSITIVE_THEMES = (1, 5)
_NEGATIVE_THEMES = (0, 2, 3, 4, 6)
