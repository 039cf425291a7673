"""A realistic, fully vectorised sample of the eight canonical tables.

The sample describes the customer service of a Lisbon-based subscription retailer
over ``months`` months ending with month ``end`` (default: November 2025 to
October 2026, time zone Europe/Lisbon). It is internally coherent, because the KPIs,
the evaluation and the tests are computed from it:

* **tickets** arrive with weekday and hour-of-day seasonality on seven channels; a
  holiday peak (24 November to 31 December, about 1.5 times the volume) and a spring
  promotion (two weeks from the first Monday of May, about 1.4 times) slow service
  down; product incidents cause spikes of "Technical issue" tickets. First responses
  and resolutions are drawn in *business time* (the calendar of :func:`sample_config`),
  so an e-mail sent on Friday night is answered on Monday. Tickets still open at the
  as-of time (the end of the last month) form the backlog.
* **calls**: every phone ticket has its answered call; abandoned calls and a few test
  calls are added; waits depend on the load of the hour.
* **surveys** follow about half of the resolved tickets; scores depend on resolution
  time, first-contact resolution, reopens, channel, team and peaks; comments in five
  languages are built from templates around recurring themes.
* **customers**, **finance**, **costs**, **incidents** and **staffing** are consistent
  with the above (every customer id used exists; staff costs equal staffed hours times
  hourly cost; active customers are counted from the customers table).

A few data-quality problems are planted on purpose (see :data:`PLANTED_PROBLEMS`); the
validator reports them as warnings.

Everything is drawn with :func:`numpy.random.default_rng` from ``seed`` and is
deterministic for given ``seed``, ``months``, ``scale`` and ``end``. No Python loop runs
over rows (only over months, teams, channels, incidents or languages), so a sample of a
million tickets (``scale`` about 16.7) takes seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import schema

__all__ = [
    "PLANTED_PROBLEMS",
    "TIMEZONE",
    "generate",
    "planted_problems",
    "sample_config",
    "write_sample",
]

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
_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "long_wait": (
            "I waited far too long for an answer.",
            "Took ages to get a reply.",
            "The waiting time was unacceptable.",
        ),
        "friendly_agent": (
            "The agent was very friendly and helpful.",
            "Lovely person on the line, really helpful.",
            "Great support, the agent was kind and patient.",
        ),
        "several_contacts": (
            "I had to contact you several times to get this sorted.",
            "Had to explain my problem again every time I got in touch.",
            "Third time contacting support about the same issue.",
        ),
        "refund_delay": (
            "Still waiting for my refund.",
            "The refund took weeks to arrive.",
            "The refund was promised but never came through.",
        ),
        "app_bug": (
            "The app keeps crashing when I try to log in.",
            "Your website has a bug at checkout.",
            "The app is full of errors.",
        ),
        "quick_resolution": (
            "Problem solved quickly, thank you!",
            "Fast and efficient, sorted in minutes.",
            "Quick answer and the issue was fixed straight away.",
        ),
        "delivery_late": (
            "My order arrived late.",
            "The delivery was a week late.",
            "Still no sign of my parcel.",
        ),
    },
    "pt": {
        "long_wait": (
            "Esperei demasiado tempo por uma resposta.",
            "Demoraram imenso a responder.",
            "O tempo de espera foi inaceitável.",
        ),
        "friendly_agent": (
            "O assistente foi muito simpático e prestável.",
            "Atendimento muito simpático, ajudaram-me imenso.",
            "Excelente apoio, a funcionária foi atenciosa e paciente.",
        ),
        "several_contacts": (
            "Tive de contactar várias vezes para resolver isto.",
            "Tive de explicar o problema de novo em cada contacto.",
            "Já é a terceira vez que contacto o apoio pelo mesmo problema.",
        ),
        "refund_delay": (
            "Ainda estou à espera do reembolso.",
            "O reembolso demorou semanas.",
            "Prometeram o reembolso mas nunca chegou.",
        ),
        "app_bug": (
            "A aplicação bloqueia sempre que tento entrar.",
            "O site tem um erro no pagamento.",
            "A app está cheia de erros.",
        ),
        "quick_resolution": (
            "Problema resolvido rapidamente, obrigado!",
            "Rápido e eficiente, ficou resolvido em minutos.",
            "Resposta rápida e o problema ficou logo resolvido.",
        ),
        "delivery_late": (
            "A encomenda chegou atrasada.",
            "A entrega atrasou uma semana.",
            "A minha encomenda ainda não chegou.",
        ),
    },
    "es": {
        "long_wait": (
            "Esperé demasiado tiempo una respuesta.",
            "Tardaron muchísimo en contestar.",
            "El tiempo de espera fue inaceptable.",
        ),
        "friendly_agent": (
            "El agente fue muy amable y servicial.",
            "Muy amables, me ayudaron mucho.",
            "Excelente atención, la agente fue atenta y paciente.",
        ),
        "several_contacts": (
            "Tuve que contactar varias veces para solucionarlo.",
            "Tuve que explicar mi problema de nuevo cada vez.",
            "Es la tercera vez que contacto por el mismo problema.",
        ),
        "refund_delay": (
            "Sigo esperando mi reembolso.",
            "El reembolso tardó semanas.",
            "Me prometieron el reembolso pero nunca llegó.",
        ),
        "app_bug": (
            "La aplicación se cierra cada vez que intento entrar.",
            "La web da un error al pagar.",
            "La app está llena de errores.",
        ),
        "quick_resolution": (
            "Problema resuelto rápidamente, ¡gracias!",
            "Rápido y eficaz, resuelto en minutos.",
            "Respuesta rápida y el problema se solucionó enseguida.",
        ),
        "delivery_late": (
            "Mi pedido llegó tarde.",
            "La entrega se retrasó una semana.",
            "Mi paquete todavía no ha llegado.",
        ),
    },
    "it": {
        "long_wait": (
            "Ho aspettato troppo tempo per una risposta.",
            "Ci hanno messo tantissimo a rispondere.",
            "Il tempo di attesa è stato inaccettabile.",
        ),
        "friendly_agent": (
            "L'operatore è stato molto gentile e disponibile.",
            "Personale gentilissimo, mi hanno aiutato molto.",
            "Ottima assistenza, l'operatrice è stata cortese e paziente.",
        ),
        "several_contacts": (
            "Ho dovuto contattarvi più volte per risolvere.",
            "Ho dovuto rispiegare il problema ogni volta.",
            "È la terza volta che contatto l'assistenza per lo stesso problema.",
        ),
        "refund_delay": (
            "Sto ancora aspettando il rimborso.",
            "Il rimborso è arrivato dopo settimane.",
            "Mi avevano promesso il rimborso ma non è mai arrivato.",
        ),
        "app_bug": (
            "L'app si blocca ogni volta che provo ad accedere.",
            "Il sito dà un errore al pagamento.",
            "L'app è piena di errori.",
        ),
        "quick_resolution": (
            "Problema risolto velocemente, grazie!",
            "Veloci ed efficienti, risolto in pochi minuti.",
            "Risposta rapida e problema risolto subito.",
        ),
        "delivery_late": (
            "Il mio ordine è arrivato in ritardo.",
            "La consegna è arrivata con una settimana di ritardo.",
            "Il mio pacco non è ancora arrivato.",
        ),
    },
    "pl": {
        "long_wait": (
            "Czekałem zdecydowanie za długo na odpowiedź.",
            "Odpowiedź zajęła wieki.",
            "Czas oczekiwania był nie do przyjęcia.",
        ),
        "friendly_agent": (
            "Konsultant był bardzo miły i pomocny.",
            "Bardzo miła obsługa, naprawdę mi pomogli.",
            "Świetna pomoc, konsultantka była uprzejma i cierpliwa.",
        ),
        "several_contacts": (
            "Musiałem kontaktować się kilka razy, żeby to załatwić.",
            "Za każdym razem musiałem od nowa tłumaczyć problem.",
            "To już trzeci kontakt w tej samej sprawie.",
        ),
        "refund_delay": (
            "Nadal czekam na zwrot pieniędzy.",
            "Zwrot pieniędzy trwał tygodniami.",
            "Obiecano mi zwrot, ale nigdy nie dotarł.",
        ),
        "app_bug": (
            "Aplikacja zawiesza się przy każdej próbie logowania.",
            "Na stronie jest błąd przy płatności.",
            "Aplikacja jest pełna błędów.",
        ),
        "quick_resolution": (
            "Problem rozwiązany szybko, dziękuję!",
            "Szybko i sprawnie, załatwione w kilka minut.",
            "Szybka odpowiedź i problem od razu rozwiązany.",
        ),
        "delivery_late": (
            "Moje zamówienie przyszło z opóźnieniem.",
            "Dostawa spóźniła się o tydzień.",
            "Moja paczka wciąż nie dotarła.",
        ),
    },
}


# ======================================================================================
# Period, calendar and configuration
# ======================================================================================


@dataclass(frozen=True)
class _Peak:
    name: str
    start: dt.date
    end: dt.date  # inclusive


def _month_list(months: int, end: str) -> list[pd.Period]:
    if months < 1:
        raise ValueError(f"months must be at least 1, got {months}")
    last = pd.Period(end, freq="M")
    return list(pd.period_range(end=last, periods=months, freq="M"))


def _peaks(periods: list[pd.Period]) -> list[_Peak]:
    """Holiday seasons and spring promotions overlapping the period."""
    first = periods[0].start_time.date()
    last = periods[-1].end_time.date()
    holidays, promos = [], []
    for year in range(first.year, last.year + 1):
        h = _Peak("Holiday season", dt.date(year, 11, 24), dt.date(year, 12, 31))
        may1 = dt.date(year, 5, 1)
        monday = may1 + dt.timedelta(days=(7 - may1.weekday()) % 7)
        p = _Peak("Spring promotion", monday, monday + dt.timedelta(days=13))
        for peak, out in ((h, holidays), (p, promos)):
            if peak.start <= last and peak.end >= first:
                out.append(peak)
    result = []
    for group in (holidays, promos):
        for peak in group:
            name = f"{peak.name} {peak.start.year}" if len(group) > 1 else peak.name
            result.append(_Peak(name, peak.start, peak.end))
    return sorted(result, key=lambda p: p.start)


def _closed_days(periods: list[pd.Period]) -> list[dt.date]:
    first = periods[0].start_time.date()
    last = periods[-1].end_time.date()
    days = []
    for year in range(first.year, last.year + 1):
        for day in (24, 31):
            d = dt.date(year, 12, day)
            if first <= d <= last:
                days.append(d)
    return days


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
    days = ("mon", "tue", "wed", "thu", "fri", "sat")
    return {
        "timezone": TIMEZONE,
        "currency": CURRENCY,
        "as_of": as_of.isoformat(),
        "calendar": {
            "country": "PT",
            "business_hours": {
                d: f"{_BUSINESS_HOURS[i][0]:02d}:00-{_BUSINESS_HOURS[i][1]:02d}:00"
                for i, d in enumerate(days)
            },
            "closed_days": [d.isoformat() for d in _closed_days(periods)],
        },
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

    Examples
    --------
    >>> planted_problems(3, "2026-10")["staffing.missing_month"]
    0
    """
    out = dict(PLANTED_PROBLEMS)
    months_in = {str(p) for p in _month_list(months, end)}
    out["staffing.missing_month"] = int(_STAFFING_GAP in months_in)
    return out


@dataclass
class _Grid:
    """Hourly calendar over the period (plus a tail for late events), in UTC microseconds."""

    months: list[str]
    bounds: np.ndarray  # month boundaries, len(months) + 1
    t0: int
    as_of: int
    n_hours: int  # hours of the period itself
    hour_start: np.ndarray
    local_hour: np.ndarray
    dow: np.ndarray
    month: np.ndarray  # month index (clipped to the last month in the tail)
    cal_month: np.ndarray  # calendar month number 1-12
    open: np.ndarray  # business hour
    closed_day: np.ndarray  # public holiday or closed day
    bcum: np.ndarray  # business microseconds before each hour, len + 1
    holiday: np.ndarray
    promo: np.ndarray
    load: np.ndarray  # relative pressure on the service (peaks, incidents)


def _grid(periods: list[pd.Period], tail_days: int = 400) -> _Grid:
    import holidays as hol

    start = pd.Timestamp(periods[0].start_time).tz_localize(TIMEZONE)
    bounds_local = [pd.Timestamp(p.start_time).tz_localize(TIMEZONE) for p in periods]
    bounds_local.append(pd.Timestamp(periods[-1].end_time.normalize()).tz_localize(TIMEZONE))
    bounds_local[-1] += pd.Timedelta(days=1)
    bounds = np.array([b.value // 1000 for b in bounds_local], dtype=np.int64)
    t0, as_of = int(bounds[0]), int(bounds[-1])
    n_hours = (as_of - t0) // _HOUR
    total = n_hours + tail_days * 24
    hour_start = t0 + np.arange(total, dtype=np.int64) * _HOUR
    local = pd.DatetimeIndex(hour_start.view("M8[us]")).tz_localize("UTC").tz_convert(start.tz)
    local_hour = np.asarray(local.hour, dtype=np.int64)
    dow = np.asarray(local.day_of_week, dtype=np.int64)
    dates = np.asarray(local.tz_localize(None).normalize().values.astype("M8[D]"))
    years = range(periods[0].year, periods[-1].year + 2)
    closed = {np.datetime64(d) for d in hol.country_holidays("PT", years=years)}
    for y in years:
        closed |= {np.datetime64(dt.date(y, 12, 24)), np.datetime64(dt.date(y, 12, 31))}
    closed_day = np.isin(dates, np.array(sorted(closed), dtype="M8[D]"))
    open_ = np.zeros(total, dtype=bool)
    for d, (a, b) in _BUSINESS_HOURS.items():
        open_ |= (dow == d) & (local_hour >= a) & (local_hour < b)
    open_ &= ~closed_day
    bcum = np.zeros(total + 1, dtype=np.int64)
    bcum[1:] = np.cumsum(open_.astype(np.int64) * _HOUR)
    month = np.clip(np.searchsorted(bounds, hour_start, side="right") - 1, 0, len(periods) - 1)
    holiday = np.zeros(total, dtype=bool)
    promo = np.zeros(total, dtype=bool)
    for p in _peaks(periods):
        inside = (dates >= np.datetime64(p.start)) & (dates <= np.datetime64(p.end))
        if p.name.startswith("Holiday"):
            holiday |= inside
        else:
            promo |= inside
    load = 1.0 + 0.9 * holiday + 0.8 * promo
    return _Grid(
        months=[str(p) for p in periods],
        bounds=bounds,
        t0=t0,
        as_of=as_of,
        n_hours=int(n_hours),
        hour_start=hour_start,
        local_hour=local_hour,
        dow=dow,
        month=month,
        cal_month=np.asarray(local.month, dtype=np.int64),
        open=open_,
        closed_day=closed_day,
        bcum=bcum,
        holiday=holiday,
        promo=promo,
        load=load,
    )


def _hour_of(g: _Grid, t: np.ndarray) -> np.ndarray:
    return np.clip((t - g.t0) // _HOUR, 0, len(g.hour_start) - 1)


def _btime(g: _Grid, t: np.ndarray) -> np.ndarray:
    """Business microseconds elapsed from the period start to ``t``."""
    h = _hour_of(g, t)
    off = np.clip(t - g.hour_start[h], 0, _HOUR)
    return g.bcum[h] + g.open[h] * off


def _binv(g: _Grid, b: np.ndarray) -> np.ndarray:
    """Inverse of :func:`_btime`: the instant at which ``b`` business microseconds passed."""
    h = np.clip(np.searchsorted(g.bcum, b, side="right") - 1, 0, len(g.hour_start) - 1)
    return g.hour_start[h] + (b - g.bcum[h])


def _add_business(g: _Grid, t: np.ndarray, hours: np.ndarray) -> np.ndarray:
    return _binv(g, _btime(g, t) + (hours * _HOUR).astype(np.int64))


def _seconds(t: np.ndarray) -> np.ndarray:
    """Truncate to whole seconds (help-desk exports have second resolution)."""
    return np.where(t == _NAT, _NAT, (t // _US) * _US)


def _lognormal(rng: np.random.Generator, median: Any, sigma: float, n: int) -> np.ndarray:
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(n))


def _pick(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (n, k) probability matrix (rows need not be normalised)."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), probs.shape[1] - 1)


def _choice_weights(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    cw = np.cumsum(weights)
    return np.minimum(np.searchsorted(cw, rng.random(n) * cw[-1], side="right"), len(cw) - 1)


# ======================================================================================
# Customers
# ======================================================================================


@dataclass
class _Customers:
    since: np.ndarray  # sorted ascending
    until: np.ndarray  # _NAT = still active
    segment: np.ndarray
    language: np.ndarray
    weight: np.ndarray  # contact propensity
    cum_weight: np.ndarray
    loyal: np.ndarray  # indices of customers who never churn (sorted by since)


def _customers(rng: np.random.Generator, g: _Grid, scale: float) -> _Customers:
    n = max(200, round(20_000 * scale))
    months = len(g.months)
    n_new = round(n * min(0.02 * months, 0.6))
    n_old = n - n_new
    # customers since 2019 (or six years before the period, if it starts before 2020)
    first_year = min(2019, int(g.months[0][:4]) - 6)
    origin = pd.Timestamp(f"{first_year}-01-01", tz=TIMEZONE).value // 1000
    # older customers: density growing over time; the first ones one per month, so that
    # every month since then has sign-ups
    old_months = pd.date_range(f"{first_year}-01-01", periods=1200, freq="MS", tz=TIMEZONE)
    old_bounds = old_months.as_unit("us").asi8
    old_bounds = old_bounds[old_bounds <= g.t0]
    k = min(len(old_bounds) - 1, n_old)
    first = old_bounds[:k] + (rng.random(k) * np.diff(old_bounds)[:k]).astype(np.int64)
    rest = origin + (np.sqrt(rng.random(n_old - k)) * (g.t0 - origin)).astype(np.int64)
    # sign-ups during the period, uniform (a few every month)
    k2 = min(months, n_new)
    spread = g.bounds[:k2] + (rng.random(k2) * np.diff(g.bounds)[:k2]).astype(np.int64)
    new = g.t0 + (rng.random(n_new - k2) * (g.as_of - g.t0)).astype(np.int64)
    since = _seconds(np.sort(np.concatenate([first, rest, spread, new])))
    segment = _pick(rng, np.broadcast_to(_SEGMENT_MIX, (n, 3)))
    lifetime_months = rng.exponential(1.0 / _SEGMENT_CHURN[segment])
    until = since + (lifetime_months * 30.44 * _DAY).astype(np.int64)
    until = np.where(until < g.as_of, _seconds(until), _NAT)
    language = _pick(rng, np.broadcast_to(_LANGUAGE_MIX, (n, len(LANGUAGES))))
    weight = rng.gamma(1.3, 1.0, n) * _SEGMENT_CONTACT[segment]
    return _Customers(
        since=since,
        until=until,
        segment=segment,
        language=language,
        weight=weight,
        cum_weight=np.cumsum(weight),
        loyal=np.flatnonzero(until == _NAT),
    )


def _active_at(c: _Customers, idx: np.ndarray, t: np.ndarray) -> np.ndarray:
    u = c.until[idx]
    return (c.since[idx] <= t) & ((u == _NAT) | (u > t))


def _draw_customers(rng: np.random.Generator, c: _Customers, t: np.ndarray) -> np.ndarray:
    """Customers active at ``t``, drawn with their contact propensity."""
    k = np.maximum(np.searchsorted(c.since, t, side="right"), 1)
    out = np.full(len(t), -1, dtype=np.int64)
    todo = np.arange(len(t))
    for _ in range(8):
        if not len(todo):
            break
        target = rng.random(len(todo)) * c.cum_weight[k[todo] - 1]
        idx = np.minimum(np.searchsorted(c.cum_weight, target, side="right"), k[todo] - 1)
        ok = _active_at(c, idx, t[todo])
        out[todo[ok]] = idx[ok]
        todo = todo[~ok]
    if len(todo):  # fall back on customers who never leave
        loyal_since = c.since[c.loyal]
        kk = np.maximum(np.searchsorted(loyal_since, t[todo], side="right"), 1)
        out[todo] = c.loyal[np.minimum((rng.random(len(todo)) * kk).astype(np.int64), kk - 1)]
    return out


def _customers_frame(c: _Customers, width: int) -> pd.DataFrame:
    n = len(c.since)
    return _frame(
        "customers",
        {
            "customer_id": _ids("CU", np.arange(n), width),
            "since": c.since,
            "until": c.until,
            "segment": _labels(SEGMENTS, c.segment),
        },
    )


# ======================================================================================
# Agents and staffing
# ======================================================================================


@dataclass
class _Agents:
    team: np.ndarray
    first_month: np.ndarray
    last_month: np.ndarray
    speed: np.ndarray
    fcr: np.ndarray
    quality: np.ndarray
    hourly_cost: np.ndarray
    temp: np.ndarray  # seasonal temps of the holiday months


def _agents(rng: np.random.Generator, g: _Grid, scale: float) -> _Agents:
    months = len(g.months)
    size = np.maximum(2, np.round(_TEAM_SIZE * scale)).astype(np.int64)
    team = np.repeat(np.arange(len(TEAMS)), size)
    n = len(team)
    first = np.zeros(n, dtype=np.int64)
    last = np.full(n, months - 1, dtype=np.int64)
    # a few leavers replaced by newcomers the month after
    if months >= 6:
        n_leave = max(1, round(0.05 * n))
        leavers = rng.choice(n, n_leave, replace=False)
        when = rng.integers(2, months - 2, n_leave)
        last[leavers] = when
        team = np.r_[team, team[leavers]]
        first = np.r_[first, when + 1]
        last = np.r_[last, np.full(n_leave, months - 1)]
    # seasonal temps for the holiday months (Tier 1 teams and social)
    hol_months = np.unique(g.month[: g.n_hours][g.holiday[: g.n_hours]])
    if len(hol_months):
        n_temp = max(1, round(0.12 * n))
        temp_team = rng.choice(np.array([0, 2, 4]), n_temp)
        team = np.r_[team, temp_team]
        first = np.r_[first, np.full(n_temp, hol_months.min())]
        last = np.r_[last, np.full(n_temp, hol_months.max())]
    n = len(team)
    temp = np.zeros(n, dtype=bool)
    if len(hol_months):
        temp[-n_temp:] = True
    speed = np.exp(0.15 * rng.standard_normal(n)) * np.where(temp, 1.25, 1.0)
    fcr = 0.04 * rng.standard_normal(n) - np.where(temp, 0.06, 0.0)
    quality = 0.15 * rng.standard_normal(n) - np.where(temp, 0.15, 0.0)
    lo, hi = _TEAM_COST[team, 0], _TEAM_COST[team, 1]
    hourly = np.where(temp, 22.0, lo + rng.random(n) * (hi - lo))
    # order by team, then by first month, so that ids read naturally
    order = np.lexsort((first, team))
    return _Agents(
        team=team[order],
        first_month=first[order],
        last_month=last[order],
        speed=speed[order],
        fcr=fcr[order],
        quality=quality[order],
        hourly_cost=np.round(hourly[order], 2),
        temp=temp[order],
    )


def _staffing_hours(rng: np.random.Generator, g: _Grid, a: _Agents) -> pd.DataFrame:
    """Hours per agent and month (including 2026-03, which the table later leaves out)."""
    months = len(g.months)
    m = np.tile(np.arange(months), len(a.team))
    ag = np.repeat(np.arange(len(a.team)), months)
    keep = (m >= a.first_month[ag]) & (m <= a.last_month[ag])
    m, ag = m[keep], ag[keep]
    peak_share = np.bincount(
        g.month[: g.n_hours], weights=(g.holiday | g.promo)[: g.n_hours], minlength=months
    ) / np.bincount(g.month[: g.n_hours], minlength=months)
    hours = np.clip(rng.normal(141.0, 9.0, len(m)), 118.0, 156.0) + 10.0 * peak_share[m]
    hours = np.where(a.temp[ag], np.clip(rng.normal(125.0, 8.0, len(m)), 110, 140), hours)
    years = np.array([int(s[:4]) for s in g.months])
    raise_ = 1.0 + 0.025 * (years[m] - years[0])  # yearly raise in January
    return pd.DataFrame(
        {
            "month": m,
            "agent": ag,
            "hours": np.round(hours, 1),
            "cost": np.round(a.hourly_cost[ag] * raise_, 2),
            "team": a.team[ag],
        }
    )


# ======================================================================================
# Incidents
# ======================================================================================


def _incidents(rng: np.random.Generator, g: _Grid) -> dict[str, np.ndarray]:
    months = len(g.months)
    n = max(1, round(25 * months / 12))
    # at least one incident per month (no month without data), the rest anywhere;
    # failures start mostly in the day (releases, load), when customers notice them
    k = min(n, months)
    month = np.r_[np.arange(k), rng.integers(0, months, n - k)]
    w = _ASYNC_HOD[g.local_hour[: g.n_hours]] ** 1.5
    cw = np.r_[0.0, np.cumsum(w)]
    first_hour = np.searchsorted(g.hour_start[: g.n_hours], g.bounds)
    lo, hi = cw[first_hour[month]], cw[first_hour[month + 1]]
    hour = np.searchsorted(cw, lo + rng.random(n) * (hi - lo), side="right") - 1
    hour = np.clip(hour, first_hour[month], first_hour[month + 1] - 1)
    started = g.hour_start[hour] + (rng.random(n) * _HOUR).astype(np.int64)
    started = _seconds(np.sort(started))
    sev = _pick(rng, np.broadcast_to(_SEV_MIX, (n, 4)))
    product = rng.integers(0, len(PRODUCTS), n)
    detect = _lognormal(rng, _SEV_DETECT_MIN[sev], 0.7, n) * _MIN
    detected = _seconds(started + detect.astype(np.int64))
    fix = _lognormal(rng, _SEV_RESOLVE_H[sev], 0.6, n) * _HOUR
    resolved = _seconds(detected + fix.astype(np.int64))
    detected = np.where(detected < g.as_of, detected, _NAT)
    resolved = np.where((resolved < g.as_of) & (detected != _NAT), resolved, _NAT)
    return {
        "started": started,
        "detected": detected,
        "resolved": resolved,
        "end": started + (detect + fix).astype(np.int64),  # uncensored
        "severity": sev,
        "product": product,
    }


def _incident_load(g: _Grid, inc: dict[str, np.ndarray]) -> None:
    """Raise the service load of the grid while incidents last (in place)."""
    for s, e, sev in zip(inc["started"], inc["end"], inc["severity"], strict=True):
        h0, h1 = (s - g.t0) // _HOUR, (e - g.t0) // _HOUR + 4
        g.load[max(h0, 0) : max(h1, 0)] += _SEV_LOAD[sev]


def _incidents_frame(inc: dict[str, np.ndarray]) -> pd.DataFrame:
    n = len(inc["started"])
    return _frame(
        "incidents",
        {
            "incident_id": _ids("INC", np.arange(n), 4),
            "started_at": inc["started"],
            "detected_at": inc["detected"],
            "resolved_at": inc["resolved"],
            "product": _labels(PRODUCTS, inc["product"]),
            "severity": _labels(SEVERITIES, inc["severity"]),
        },
    )


# ======================================================================================
# Tickets
# ======================================================================================


def _arrival_weights(g: _Grid, channel: int) -> np.ndarray:
    h = slice(0, g.n_hours)
    hour, dow, closed = g.local_hour[h], g.dow[h], g.closed_day[h]
    if _SYNC[channel]:
        w = _SYNC_HOD[hour] * _SYNC_DOW[dow] * g.open[h]
    else:
        hod = _SOCIAL_HOD if channel in (TWITTER, FACEBOOK) else _ASYNC_HOD
        w = hod[hour] * np.where(closed, 0.45, _ASYNC_DOW[dow])
    return w * _MONTH_SEASON[g.cal_month[h] - 1]


def _base_arrivals(
    rng: np.random.Generator, g: _Grid, scale: float, growth: np.ndarray, phone_cut: float
) -> tuple[np.ndarray, np.ndarray]:
    """Arrival times and channels of the regular tickets."""
    h = slice(0, g.n_hours)
    lift = 1.0 + _HOLIDAY_LIFT * g.holiday[h] + _PROMO_LIFT * g.promo[h]
    trend = growth[g.month[h]]
    months = len(g.months)
    floor = max(1.0, _MIN_TICKETS / (_TICKETS_PER_MONTH * scale * months))
    times, chans = [], []
    share = _CHANNEL_SHARE.copy()
    share[PHONE] -= phone_cut
    for c in range(len(CHANNELS)):
        w0 = _arrival_weights(g, c)
        w = w0 * lift * trend
        expected = _TICKETS_PER_MONTH * scale * floor * months * share[c] * w.sum() / w0.sum()
        n = int(rng.poisson(max(expected, 1.0)))
        hours = _choice_weights(rng, w, n)
        times.append(g.hour_start[hours] + (rng.random(n) * _HOUR).astype(np.int64))
        chans.append(np.full(n, c, dtype=np.int64))
    return np.concatenate(times), np.concatenate(chans)


def _incident_arrivals(
    rng: np.random.Generator, g: _Grid, inc: dict[str, np.ndarray], scale: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tickets caused by incidents: times, channels and request types."""
    sev = inc["severity"]
    counts = rng.poisson(_SEV_TICKETS[sev] * scale)
    which = np.repeat(np.arange(len(sev)), counts)
    n = len(which)
    start, stop = inc["started"][which], inc["end"][which]
    during = rng.random(n) < 0.8
    t = np.where(
        during,
        start + (rng.random(n) * (stop - start)).astype(np.int64),
        stop + (rng.exponential(6.0, n) * _HOUR).astype(np.int64),
    )
    # fewer people notice a failure at night
    keep = (t < g.as_of) & (rng.random(n) < _ASYNC_HOD[g.local_hour[_hour_of(g, t)]] / 1.55)
    t, which = t[keep], which[keep]
    n = len(t)
    chan = _pick(rng, np.broadcast_to([0.15, 0.25, 0.25, 0.10, 0.05, 0.15, 0.05], (n, 7)))
    closed = ~g.open[_hour_of(g, t)]
    chan = np.where(closed & (chan == PHONE), EMAIL, chan)
    chan = np.where(closed & (chan == CHAT), TWITTER, chan)
    product = inc["product"][which]
    cat = np.full(n, TECH, dtype=np.int64)
    u = rng.random(n)
    cat = np.where((product == 2) & (u < 0.5), BILL, cat)
    cat = np.where((product == 3) & (u < 0.6), DELIV, cat)
    return t, chan, cat


def _categories(rng: np.random.Generator, g: _Grid, t: np.ndarray, ch: np.ndarray) -> np.ndarray:
    h = _hour_of(g, t)
    mix = _CATEGORY_MIX[ch].copy()
    hol, promo = g.holiday[h], g.promo[h]
    january = g.cal_month[h] == 1
    mix[:, DELIV] *= np.where(hol, 1.6, 1.0) * np.where(promo, 1.3, 1.0)
    mix[:, RETURNS] *= np.where(hol, 1.3, 1.0) * np.where(january, 1.5, 1.0)
    mix[:, ORDER] *= np.where(promo, 1.5, 1.0)
    mix[:, PRODUCT] *= np.where(promo, 1.4, 1.0)
    return _pick(rng, mix)


def _repeat_sources(rng: np.random.Generator, t: np.ndarray, share: float) -> np.ndarray:
    """For a share of tickets (sorted by time), an earlier ticket (1 h to 7 days before)."""
    n = len(t)
    src = np.full(n, -1, dtype=np.int64)
    pick = np.flatnonzero(rng.random(n) < share)
    back = (rng.uniform(1.0, 7 * 24.0, len(pick)) * _HOUR).astype(np.int64)
    j = np.searchsorted(t, t[pick] - back)
    ok = j < pick
    src[pick[ok]] = j[ok]
    return src


def _assign_agents(
    rng: np.random.Generator, g: _Grid, a: _Agents, t: np.ndarray, team: np.ndarray
) -> np.ndarray:
    month = g.month[_hour_of(g, t)]
    out = np.zeros(len(t), dtype=np.int64)
    if not len(t):
        return out
    order = np.lexsort((team, month))
    key = month[order] * len(TEAMS) + team[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    ends = np.r_[starts[1:], len(key)]
    for s, e in zip(starts, ends, strict=True):
        m, k = divmod(int(key[s]), len(TEAMS))
        pool = np.flatnonzero((a.team == k) & (a.first_month <= m) & (a.last_month >= m))
        if not len(pool):
            pool = np.flatnonzero((a.first_month <= m) & (a.last_month >= m))
        out[order[s:e]] = pool[rng.integers(0, len(pool), e - s)]
    return out


def _ticket_core(
    rng: np.random.Generator,
    g: _Grid,
    cust: _Customers,
    agents: _Agents,
    t: np.ndarray,
    ch: np.ndarray,
    cat: np.ndarray,
    customer: np.ndarray,
    source: np.ndarray,
    repeats: float,
) -> dict[str, np.ndarray]:
    """Everything about tickets arriving at ``t`` (sorted) on channels ``ch``.

    ``cat`` and ``customer`` hold -1 where they are to be drawn. ``source`` is 0 for
    regular tickets, 1 for incident tickets and 2 for follow-up calls of customers who
    switched channel. Timestamps are not yet censored at the as-of time.
    """
    n = len(t)
    h = _hour_of(g, t)
    hol, promo = g.holiday[h], g.promo[h]
    peak = hol | promo
    load = g.load[h]

    # request type, repeats, complaints, priority, conversion
    drawn = _categories(rng, g, t, ch)
    cat = np.where(cat < 0, drawn, cat)
    src = _repeat_sources(rng, t, repeats) if repeats else np.full(n, -1, dtype=np.int64)
    rep = src >= 0
    same_issue = rep & (rng.random(n) < 0.6)
    cat = np.where(same_issue, cat[np.maximum(src, 0)], cat)
    p_complaint = _COMPLAINT_CAT[cat] * _COMPLAINT_CH[ch] * np.where(peak, 1.25, 1.0)
    p_complaint *= np.where(source == 1, 2.0, 1.0) * np.where(rep | (source == 2), 1.6, 1.0)
    complaint = rng.random(n) < np.clip(p_complaint, 0.0, 0.9)
    prio = _pick(rng, _PRIO_MIX[complaint.astype(np.int64)])
    prio = np.where((source == 1) & (rng.random(n) < 0.3), 3, prio)
    p_conv = _CONVERT_P[cat] + np.where(promo & (cat == PRODUCT), 0.06, 0.0)
    converted = np.where(np.isnan(p_conv), -1, (rng.random(n) < p_conv).astype(np.int64))

    # customers: draw, tie some cancellations to customers about to leave, copy repeats
    customer = np.where(customer < 0, _draw_customers(rng, cust, t), customer)
    leaving = np.flatnonzero((cat == CANCEL) & (converted == 0) & ~rep & (rng.random(n) < 0.7))
    churners = np.flatnonzero(cust.until != _NAT)
    if len(leaving) and len(churners):
        churners = churners[np.argsort(cust.until[churners], kind="stable")]
        u_sorted = cust.until[churners]
        lo = np.searchsorted(u_sorted, t[leaving], side="right")
        hi = np.searchsorted(u_sorted, t[leaving] + 30 * _DAY, side="right")
        has = hi > lo
        cand = churners[
            np.minimum(lo + (rng.random(len(lo)) * (hi - lo)).astype(np.int64), len(churners) - 1)
        ]
        ok = has & (cust.since[cand] <= t[leaving])
        customer[leaving[ok]] = cand[ok]
    if rep.any():
        root = np.where(rep, src, np.arange(n))
        for _ in range(12):
            root = np.where(rep[root], src[root], root)
        copied = customer[root]
        ok = rep & _active_at(cust, copied, t)
        customer = np.where(ok, copied, customer)

    # routing to teams and agents
    tm = _TEAM_MIX[ch].copy()
    routed = ~np.isin(ch, [SMS, TWITTER, FACEBOOK])
    tech = routed & np.isin(cat, [TECH, ACCOUNT])
    money = routed & np.isin(cat, [BILL, RETURNS, CANCEL]) & (ch != CHAT)
    tm[tech] = 0.45 * tm[tech] + 0.55 * np.eye(len(TEAMS))[1]
    tm[money] = 0.45 * tm[money] + 0.55 * np.eye(len(TEAMS))[3]
    team = _pick(rng, tm)
    agent = _assign_agents(rng, g, agents, t, team)
    team = agents.team[agent]
    speed = _TEAM_SPEED[team] * agents.speed[agent]

    # the phone call behind phone tickets
    is_phone, is_chat = ch == PHONE, ch == CHAT
    aht = _AHT_CAT[cat] * _TEAM_AHT[team] * np.where(peak, 1.08, 1.0)
    talk = np.round(_lognormal(rng, _TALK_MEAN_S * np.exp(-0.18), 0.6, n) * aht)
    talk = np.maximum(talk, 20.0)
    hold = np.where(rng.random(n) < 0.38, np.round(_lognormal(rng, 55.0, 0.7, n) * aht), 0.0)
    wrap = np.round(_lognormal(rng, 42.0, 0.3, n) * _TEAM_AHT[team])

    # first response
    answered = rng.random(n) >= _NO_RESPONSE[ch] * np.where(peak, 1.5, 1.0)
    answered |= is_phone
    frt_async = _lognormal(rng, _FRT_MEDIAN_BH[ch] * _PRIO_FRT[prio] * speed * load, 1.0, n)
    first = _add_business(g, t, np.minimum(frt_async, 300.0))
    chat_wait = np.clip(_lognormal(rng, 70.0 * load**1.5, 0.8, n), 10.0, 2700.0)
    first = np.where(is_chat, t + (chat_wait * _US).astype(np.int64), first)
    phone_first = _lognormal(rng, 45.0, 0.5, n)
    first = np.where(is_phone, t + (phone_first * _US).astype(np.int64), first)
    first = np.where(answered, _seconds(first), _NAT)

    # first-contact resolution, replies and reopens
    p_fcr = _FCR_CH[ch] + _FCR_CAT[cat] + _TEAM_FCR[team] + agents.fcr[agent]
    p_fcr -= 0.06 * peak + 0.10 * complaint + 0.05 * (source == 2)
    fcr = answered & (rng.random(n) < np.clip(p_fcr, 0.1, 0.95))
    reopens = np.where(
        ~fcr & answered & (rng.random(n) < 0.2), 1 + (rng.random(n) < 0.1), 0
    ).astype(np.int64)
    extra = np.minimum(rng.geometric(0.45, n), 7)
    replies = np.where(reopens > 0, np.maximum(1 + reopens, extra), np.minimum(1 + extra, 8))
    replies = np.where(fcr, 1, replies)
    replies = np.where(answered, replies, 0).astype(np.int64)

    # resolution
    call_end = t + ((talk + hold + wrap) * _US).astype(np.int64)
    chat_end = first + (_lognormal(rng, 600.0, 0.6, n) * _TEAM_AHT[team] * _US).astype(np.int64)
    quick = first + (_lognormal(rng, 300.0, 1.2, n) * _US).astype(np.int64)
    fcr_end = np.where(is_phone, call_end, np.where(is_chat, chat_end, quick))
    res_bh = _RES_MEDIAN_BH[cat] * (0.6 + 0.25 * (replies - 1)) * speed * load**0.8
    res_bh = _lognormal(rng, res_bh, 0.9, n)
    later = _add_business(g, np.where(answered, first, t), np.minimum(res_bh, 1500.0))
    later += (reopens * _lognormal(rng, 2.5, 0.7, n) * _DAY).astype(np.int64)
    resolved = np.where(fcr, np.maximum(fcr_end, first), later)
    auto_close = t + (_lognormal(rng, 5.0, 0.5, n) * _DAY).astype(np.int64)
    resolved = np.where(answered, resolved, auto_close)
    stuck = np.where(answered, rng.random(n) < 0.0025, rng.random(n) < 0.12)
    resolved = np.where(stuck, _NAT, _seconds(resolved))

    # handle time
    per_reply = (
        _REPLY_S[ch] * _AHT_CAT[cat] * _TEAM_AHT[team] * np.exp(0.3 * rng.standard_normal(n))
    )
    handle = replies * per_reply
    follow = np.maximum(replies - 1, 0) * 300.0 * _AHT_CAT[cat] * _TEAM_AHT[team]
    handle = np.where(is_phone, talk + hold + wrap + follow, handle)
    chat_s = (chat_end - first) / _US
    handle = np.where(is_chat & answered, chat_s + np.maximum(replies - 1, 0) * 200.0, handle)
    handle = np.where(answered, np.round(handle), 0.0)

    return {
        "created": _seconds(t),
        "channel": ch,
        "customer": customer,
        "first": first,
        "resolved": resolved,
        "priority": prio,
        "category": cat,
        "complaint": complaint,
        "agent": agent,
        "team": team,
        "replies": replies,
        "reopens": reopens,
        "handle": handle,
        "converted": converted,
        "fcr": fcr,
        "source": source,
        "repeat": rep,
        "talk": talk,
        "hold": hold,
        "wrap": wrap,
    }


def _switch_followups(
    rng: np.random.Generator, g: _Grid, tk: dict[str, np.ndarray], share: float
) -> np.ndarray:
    """Email tickets whose customer phones within 24 h, before the first response.

    Returns the indices of those e-mail tickets and sets ``tk["switch_at"]``.
    """
    t, first = tk["created"], tk["first"]
    wait = np.where(first == _NAT, 48 * _HOUR, first - t)
    slow = (tk["channel"] == EMAIL) & (wait > 6 * _HOUR)
    lo = t + _HOUR
    hi = np.minimum(t + 24 * _HOUR, np.where(first == _NAT, t + 48 * _HOUR, first - 5 * _MIN))
    b0, b1 = _btime(g, lo), _btime(g, np.maximum(hi, lo))
    cand = slow & (b1 - b0 > 10 * _MIN) & (rng.random(len(t)) < share)
    idx = np.flatnonzero(cand)
    at = _binv(g, b0[idx] + (rng.random(len(idx)) * (b1[idx] - b0[idx])).astype(np.int64))
    keep = at < g.as_of
    tk["switch_at"] = at[keep]
    return idx[keep]


def _concat(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _take(d: dict[str, np.ndarray], idx: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[idx] for k, v in d.items()}


def _tickets(
    rng: np.random.Generator,
    g: _Grid,
    cust: _Customers,
    agents: _Agents,
    inc: dict[str, np.ndarray],
    scale: float,
) -> dict[str, np.ndarray]:
    months = len(g.months)
    active = np.array(
        [_active_at(cust, np.arange(len(cust.since)), np.full(1, b)).sum() for b in g.bounds[1:]]
    )
    growth = (active / active.mean()) ** 0.8 if months > 1 else np.ones(1)
    switch_share = 0.07
    t, ch = _base_arrivals(rng, g, scale, growth, phone_cut=0.012)
    ti, chi, cati = _incident_arrivals(rng, g, inc, scale)
    t = np.concatenate([t, ti])
    ch = np.concatenate([ch, chi])
    cat = np.concatenate([np.full(len(t) - len(ti), -1), cati])
    source = np.concatenate([np.zeros(len(t) - len(ti), np.int64), np.ones(len(ti), np.int64)])
    t = _seconds(t)
    order = np.lexsort((ch, t))
    t, ch, cat, source = t[order], ch[order], cat[order], source[order]
    tk = _ticket_core(rng, g, cust, agents, t, ch, cat, np.full(len(t), -1), source, repeats=0.04)
    # email, no answer yet, so the customer phones
    idx = _switch_followups(rng, g, tk, switch_share)
    at = tk.pop("switch_at")
    o = np.argsort(at, kind="stable")
    idx, at = idx[o], _seconds(at[o])
    fu = _ticket_core(
        rng,
        g,
        cust,
        agents,
        at,
        np.full(len(at), PHONE),
        tk["category"][idx],
        tk["customer"][idx],
        np.full(len(at), 2, dtype=np.int64),
        repeats=0.0,
    )
    fu["priority"] = tk["priority"][idx]
    tk["switched"] = np.zeros(len(tk["created"]), dtype=bool)
    tk["switched"][idx] = True
    fu["switched"] = np.ones(len(at), dtype=bool)
    tk = _concat([tk, fu])
    order = np.lexsort((tk["channel"], tk["created"]))
    tk = _take(tk, order)
    # the state at the as-of time
    as_of = g.as_of
    tk["first"] = np.where(tk["first"] < as_of, tk["first"], _NAT)
    tk["resolved"] = np.where(
        (tk["resolved"] < as_of) & (tk["resolved"] != _NAT), tk["resolved"], _NAT
    )
    no_reply = tk["first"] == _NAT
    tk["replies"] = np.where(no_reply, 0, tk["replies"])
    tk["handle"] = np.where(no_reply, 0.0, tk["handle"])
    tk["reopens"] = np.where(no_reply, 0, tk["reopens"])
    open_ = tk["resolved"] == _NAT
    tk["converted"] = np.where(open_, -1, tk["converted"])
    tk["fcr"] &= ~open_
    pending = rng.random(len(open_)) < 0.55
    status = np.where(
        open_,
        np.where(~no_reply & pending, 1, 0),
        np.where(tk["resolved"] < as_of - 5 * _DAY, 3, 2),
    )
    tk["status"] = status
    return tk


def _tickets_frame(tk: dict[str, np.ndarray]) -> pd.DataFrame:
    conv = tk["converted"]
    return _frame(
        "tickets",
        {
            "ticket_id": tk["ticket_id"],
            "created_at": tk["created"],
            "channel": _labels(CHANNELS, tk["channel"]),
            "customer_id": tk["customer_id"],
            "first_response_at": tk["first"],
            "resolved_at": tk["resolved"],
            "status": _labels(schema.TICKET_STATUSES, tk["status"]),
            "priority": _labels(PRIORITIES, tk["priority"]),
            "category": _labels(CATEGORIES, tk["category"]),
            "is_complaint": tk["complaint"],
            "agent_id": tk["agent_id"],
            "team": _labels(TEAMS, tk["team"]),
            "agent_replies": tk["replies"],
            "reopens": tk["reopens"],
            "handle_time_s": tk["handle"].astype(np.float64),
            "converted": (conv == 1, conv < 0),
        },
    )


# ======================================================================================
# Calls
# ======================================================================================


def _phone_pressure(g: _Grid) -> np.ndarray:
    """Relative load on the phone queue for each hour of the grid."""
    rel = _SYNC_HOD[g.local_hour] / _SYNC_HOD[9:18].mean()
    dow = _SYNC_DOW[g.dow] / _SYNC_DOW[:5].mean()
    peak = 1.0 + 0.32 * g.holiday + 0.28 * g.promo
    incident = 1.0 + 0.4 * (g.load - (1.0 + 0.9 * g.holiday + 0.8 * g.promo))
    return np.sqrt(np.maximum(rel, 0.3) * np.maximum(dow, 0.3)) * peak * incident


def _calls(
    rng: np.random.Generator,
    g: _Grid,
    cust: _Customers,
    tk: dict[str, np.ndarray],
) -> dict[str, np.ndarray]:
    pressure = _phone_pressure(g)
    ph = np.flatnonzero(tk["channel"] == PHONE)
    n_ans = len(ph)
    created = tk["created"][ph]
    answered_at = created - (rng.uniform(3, 20, n_ans) * _US).astype(np.int64)
    hr = _hour_of(g, answered_at)
    p = pressure[hr]
    p_wait = np.clip(0.23 * p**2.5, 0.02, 0.95)
    tau = 38.0 * p**1.5
    wait = np.where(
        rng.random(n_ans) < p_wait, 1.0 + rng.exponential(tau), rng.integers(0, 9, n_ans)
    )
    wait = np.round(np.minimum(wait, 3600.0))
    answered_at = _seconds(answered_at)
    arrived = answered_at - (wait * _US).astype(np.int64)
    ans = {
        "arrived": arrived,
        "outcome": np.zeros(n_ans, dtype=np.int64),
        "customer": tk["customer"][ph],
        "queue": _QUEUE_OF_CAT[tk["category"][ph]],
        "wait": wait,
        "answered": answered_at,
        "talk": tk["talk"][ph],
        "hold": tk["hold"][ph],
        "wrap": tk["wrap"][ph],
        "agent": tk["agent"][ph],
        "resolved": tk["fcr"][ph].astype(np.int64),
    }
    # abandoned calls around the answered ones, more when the queue is under pressure
    a = np.clip(0.068 * p**2.2, 0.01, 0.4)
    k = rng.poisson(a / (1 - a))
    base = np.repeat(np.arange(n_ans), k)
    m = len(base)
    retry = rng.random(m) < 0.45
    hour0 = g.hour_start[hr[base]]
    t_retry = arrived[base] - (rng.uniform(2, 30, m) * _MIN).astype(np.int64)
    t_retry = np.where(
        g.open[_hour_of(g, t_retry)],
        t_retry,
        arrived[base] - (rng.random(m) * np.maximum(arrived[base] - hour0, 0)).astype(np.int64),
    )
    t_other = hour0 + (rng.random(m) * _HOUR).astype(np.int64)
    t_ab = _seconds(np.where(retry, t_retry, t_other))
    short = rng.random(m) < 0.18
    ab_wait = np.where(
        short, rng.integers(1, 5, m), 5.0 + rng.exponential(55.0 * pressure[hr[base]])
    )
    known = rng.random(m) < 0.65
    other_customer = _draw_customers(rng, cust, t_ab)
    ab_customer = np.where(retry, ans["customer"][base], np.where(known, other_customer, -1))
    ab_queue = np.where(
        retry, ans["queue"][base], _pick(rng, np.broadcast_to([0.3, 0.2, 0.2, 0.2, 0.1], (m, 5)))
    )
    nan = np.full(m, np.nan)
    ab = {
        "arrived": t_ab,
        "outcome": np.ones(m, dtype=np.int64),
        "customer": ab_customer,
        "queue": ab_queue,
        "wait": np.round(np.minimum(ab_wait, 1800.0)),
        "answered": np.full(m, _NAT),
        "talk": nan,
        "hold": nan,
        "wrap": nan,
        "agent": np.full(m, -1),
        "resolved": np.full(m, -1),
    }
    # test and phantom calls
    n_other = int(rng.binomial(n_ans + m, 0.005))
    w = _arrival_weights(g, PHONE)
    t_o = g.hour_start[_choice_weights(rng, w, n_other)]
    t_o = _seconds(t_o + (rng.random(n_other) * _HOUR).astype(np.int64))
    nan = np.full(n_other, np.nan)
    other = {
        "arrived": t_o,
        "outcome": np.full(n_other, 2, dtype=np.int64),
        "customer": np.full(n_other, -1),
        "queue": np.zeros(n_other, dtype=np.int64),
        "wait": rng.integers(0, 3, n_other).astype(np.float64),
        "answered": np.full(n_other, _NAT),
        "talk": nan,
        "hold": nan,
        "wrap": nan,
        "agent": np.full(n_other, -1),
        "resolved": np.full(n_other, -1),
    }
    calls = _concat([ans, ab, other])
    calls["wait"] = calls["wait"].astype(np.float64)
    order = np.lexsort((calls["outcome"], calls["arrived"]))
    return _take(calls, order)


# ======================================================================================
# Surveys
# ======================================================================================


def _surveys(
    rng: np.random.Generator, g: _Grid, cust: _Customers, tk: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    eligible = np.flatnonzero((tk["resolved"] != _NAT) & (tk["replies"] > 0))
    eligible = eligible[rng.random(len(eligible)) < 0.5]
    sent = tk["resolved"][eligible] + (
        np.minimum(_lognormal(rng, 40.0, 0.8, len(eligible)), 1440.0) * _MIN
    ).astype(np.int64)
    keep = sent < g.as_of
    ti, sent = eligible[keep], _seconds(sent[keep])
    order = np.argsort(sent, kind="stable")  # survey ids follow the sending order
    ti, sent = ti[order], sent[order]
    n = len(ti)
    metric = _pick(rng, np.broadcast_to(_METRIC_MIX, (n, 3)))
    ch = tk["channel"][ti]
    created, resolved, first = tk["created"][ti], tk["resolved"][ti], tk["first"][ti]
    h = _hour_of(g, created)
    peak = g.holiday[h] | g.promo[h]
    res_h = (resolved - created) / _HOUR
    frt_h = np.where(first == _NAT, 99.0, (first - created) / _HOUR)
    agents_q = tk["agent_quality"][ti]
    mu = (
        0.5
        - 0.22 * (np.log1p(res_h) - np.log1p(8.0))
        + 0.30 * tk["fcr"][ti]
        - 0.45 * tk["reopens"][ti]
        - 0.55 * tk["complaint"][ti]
        + _CSAT_CH[ch]
        + _TEAM_CSAT[tk["team"][ti]]
        + agents_q
        - 0.30 * peak
        - 0.25 * (frt_h > 24)
        - 0.30 * tk["switched"][ti]
        - 0.20 * tk["repeat"][ti]
    )
    z = mu + rng.standard_normal(n)
    csat = 1.0 + np.searchsorted(np.array([-1.75, -1.1, -0.6, 0.45]), z)
    nps = np.clip(np.round(7.65 + 1.75 * z), 0, 10)
    ces = np.clip(np.round(3.5 - 1.25 * z), 1, 7)
    score = np.choose(metric, [csat, nps, ces]).astype(np.float64)
    p_resp = 0.27 * np.array([1.1, 0.85, 1.15, 1.0, 0.9, 0.7, 0.75])[ch]
    p_resp *= np.where(metric == 1, 0.85, 1.0) * np.where(mu < -0.4, 1.2, 1.0)
    answered = rng.random(n) < p_resp
    answered_at = sent + (np.minimum(_lognormal(rng, 2.0, 1.6, n), 240.0) * _HOUR).astype(np.int64)
    answered &= answered_at < g.as_of
    answered_at = np.where(answered, _seconds(answered_at), _NAT)
    score = np.where(answered, score, np.nan)
    # comments: sentiment follows the score band, themes follow what happened
    band = np.choose(
        metric,
        [
            np.searchsorted([2.5, 3.5], csat),
            np.searchsorted([6.5, 8.5], nps),
            2 - np.searchsorted([2.5, 4.5], ces),
        ],
    )  # 0 negative, 1 mixed, 2 positive
    has_comment = answered & (rng.random(n) < np.where(band == 1, 0.32, 0.44))
    cat = tk["category"][ti]
    neg_w = np.stack(
        [
            0.6 + 3.0 * (frt_h > 8) + 2.0 * peak + 2.0 * (ch == PHONE),
            0.4
            + 4.0 * (tk["reopens"][ti] > 0)
            + 2.0 * (tk["replies"][ti] >= 4)
            + 3.0 * tk["switched"][ti]
            + 2.0 * tk["repeat"][ti],
            0.2 + 4.0 * np.isin(cat, [RETURNS, BILL]),
            0.2 + 4.0 * np.isin(cat, [TECH, ACCOUNT]) + 3.0 * (tk["source"][ti] == 1),
            0.2 + 4.0 * (cat == DELIV) + 1.0 * (cat == ORDER),
        ],
        axis=1,
    )
    pos_w = np.stack([np.full(n, 1.2), 0.5 + 2.0 * (res_h < 4)], axis=1)
    neg = np.array(_NEGATIVE_THEMES)[_pick(rng, neg_w)]
    pos = np.array(_POSITIVE_THEMES)[_pick(rng, pos_w)]
    pos = np.where(band == 1, THEMES.index("friendly_agent"), pos)  # "nice, but ..."
    lang = cust.language[tk["customer"][ti]]
    first_theme = np.where(band == 0, neg, pos)
    second_theme = np.where(band == 1, neg, -1)
    return {
        "ticket": ti,
        "sent": sent,
        "metric": metric,
        "score": score,
        "answered": answered_at,
        "channel": ch,
        "customer": tk["customer"][ti],
        "has_comment": has_comment,
        "lang": lang,
        "theme1": first_theme,
        "theme2": second_theme,
        "phrase1": rng.integers(0, 3, n),
        "phrase2": rng.integers(0, 3, n),
    }


def _comments(sv: dict[str, np.ndarray]) -> pa.Array:
    flat = np.array(
        [_TEMPLATES[lang][theme][k] for lang in LANGUAGES for theme in THEMES for k in range(3)],
        dtype=object,
    )
    table = pa.array(flat, type=pa.string())
    stride_lang, stride_theme = len(THEMES) * 3, 3
    idx1 = sv["lang"] * stride_lang + sv["theme1"] * stride_theme + sv["phrase1"]
    idx2 = sv["lang"] * stride_lang + np.maximum(sv["theme2"], 0) * stride_theme + sv["phrase2"]
    part1 = table.take(pa.array(idx1, mask=~sv["has_comment"]))
    part2 = table.take(pa.array(idx2, mask=~sv["has_comment"] | (sv["theme2"] < 0)))
    # (null_handling="skip" drops all-null rows in pyarrow 26, so build the tail first)
    tail = pc.fill_null(pc.binary_join_element_wise(" ", part2, ""), "")
    return pc.binary_join_element_wise(part1, tail, "")


# ======================================================================================
# Costs and finance
# ======================================================================================


def _finance(rng: np.random.Generator, g: _Grid, cust: _Customers) -> pd.DataFrame:
    months = len(g.months)
    ends = g.bounds[1:]
    idx = np.arange(len(cust.since))
    active = np.array([_active_at(cust, idx, np.full(1, e - 1)).sum() for e in ends], float)
    cal = np.array([int(m[5:]) for m in g.months])
    season = np.where(cal == 12, 1.08, 1.0) * np.where(cal == 5, 1.05, 1.0)
    season *= np.where(cal == 1, 0.97, 1.0)
    arpu = _ARPU * season * (1.0 + 0.003 * np.arange(months))
    revenue = np.round(active * arpu * (1.0 + 0.015 * rng.standard_normal(months)), 2)
    return _frame(
        "finance",
        {
            "period": np.array(g.months, dtype=object),
            "revenue": revenue,
            "active_customers": active,
        },
    )


def _costs(
    rng: np.random.Generator,
    g: _Grid,
    tk: dict[str, np.ndarray],
    calls: dict[str, np.ndarray],
    hours: pd.DataFrame,
    scale: float,
) -> pd.DataFrame:
    """Monthly cost lines.

    * staff: each team's payroll (staffed hours x hourly cost, also for the month
      missing from the staffing export) split over channels by the team's handle time,
      weighted by :data:`_COST_WEIGHT`;
    * tools: telephony (per minute), help-desk seats, chat platform, SMS gateway,
      social listening;
    * outsourcing: the social-media monitoring vendor (Twitter and Facebook);
    * other: training, quality assurance and, in the holiday season, recruiting temps
      (no channel).
    """
    months, nch, nt = len(g.months), len(CHANNELS), len(TEAMS)
    month = g.month[_hour_of(g, tk["created"])]
    key = (month * nt + tk["team"]) * nch + tk["channel"]
    work = np.bincount(
        key, weights=tk["handle"] * _COST_WEIGHT[tk["channel"]] + 1.0, minlength=months * nt * nch
    ).reshape(months, nt, nch)
    pay = np.zeros((months, nt))
    np.add.at(
        pay,
        (hours["month"].to_numpy(), hours["team"].to_numpy()),
        (hours["hours"] * hours["cost"]).to_numpy(),
    )
    staff = np.round(pay[:, :, None] * work / work.sum(axis=2, keepdims=True), 2)
    mm, tt, cc = np.nonzero(staff > 0)
    lines = [
        pd.DataFrame({"m": mm, "cat": 0, "channel": cc, "team": tt, "amount": staff[mm, tt, cc]})
    ]

    def add(cat: int, channel: int, amount: np.ndarray) -> None:
        lines.append(
            pd.DataFrame(
                {
                    "m": np.arange(months),
                    "cat": cat,
                    "channel": channel,
                    "team": -1,
                    "amount": np.round(amount, 2),
                }
            )
        )

    tickets = np.bincount(month * nch + tk["channel"], minlength=months * nch)
    tickets = tickets.reshape(months, nch)
    minutes = (np.nan_to_num(calls["talk"] + calls["hold"]) + calls["wait"]) / 60
    minutes = np.bincount(g.month[_hour_of(g, calls["arrived"])], minutes, minlength=months)
    seats = np.bincount(hours["month"], minlength=months)
    noise = 1.0 + 0.02 * rng.standard_normal((months, 7))
    s = max(scale, 0.05)
    add(1, PHONE, (1400.0 * s + 0.018 * minutes) * noise[:, 0])
    add(1, EMAIL, 33.0 * seats * noise[:, 1])
    add(1, WEB, 11.0 * seats + 250.0 * s)
    add(1, CHAT, (700.0 * s + 0.12 * tickets[:, CHAT]) * noise[:, 2])
    add(1, SMS, 120.0 * s + 0.21 * tickets[:, SMS])
    add(1, TWITTER, 180.0 * s * noise[:, 3])
    add(1, FACEBOOK, 140.0 * s * noise[:, 4])
    add(2, TWITTER, (600.0 * s + 1.8 * tickets[:, TWITTER]) * noise[:, 5])
    add(2, FACEBOOK, (400.0 * s + 1.8 * tickets[:, FACEBOOK]) * noise[:, 5])
    holiday = np.bincount(g.month[: g.n_hours], g.holiday[: g.n_hours], minlength=months) > 0
    add(3, -1, (3800.0 * s + 900.0 * s * holiday) * noise[:, 6])
    rows = pd.concat(lines, ignore_index=True)
    rows = rows.sort_values(["m", "cat", "channel", "team"], kind="stable")
    return _frame(
        "costs",
        {
            "period": np.array(g.months, dtype=object)[rows["m"].to_numpy()],
            "amount": rows["amount"].to_numpy(np.float64),
            "category": _labels(schema.COST_CATEGORIES, rows["cat"].to_numpy()),
            "channel": _labels(CHANNELS, rows["channel"].to_numpy()),
            "team": _labels(TEAMS, rows["team"].to_numpy()),
            "currency": np.full(len(rows), CURRENCY, dtype=object),
        },
    )


# ======================================================================================
# Frames
# ======================================================================================


def _width(prefix_width: int, total: int) -> int:
    return max(prefix_width, len(str(max(total, 1))))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded ``numbers + 1``; negative numbers give nulls."""
    numbers = np.asarray(numbers, dtype=np.int64)
    digits = pc.utf8_lpad(pa.array(numbers + 1).cast(pa.string()), width, "0")
    ids = pc.binary_join_element_wise(prefix, digits, "")
    return pc.if_else(pa.array(numbers < 0), pa.nulls(len(numbers), pa.string()), ids)


def _labels(names: tuple[str, ...], codes: np.ndarray) -> pa.Array:
    codes = np.asarray(codes, dtype=np.int64)
    return pa.array(list(names), type=pa.string()).take(pa.array(codes, mask=codes < 0))


def _column(kind: str, values: Any, tz: str) -> Any:
    if kind == "timestamp":
        us = np.asarray(values, dtype=np.int64)
        return pd.DatetimeIndex(us.view("M8[us]")).tz_localize("UTC").tz_convert(tz)
    if kind in ("id", "label", "text", "enum", "month"):
        if isinstance(values, pa.ChunkedArray | pa.Array):
            return pd.array(values, dtype=_STR)
        return pd.array(np.asarray(values, dtype=object), dtype=_STR)
    if kind == "float":
        return np.asarray(values, dtype=np.float64)
    if kind == "int":
        return pd.array(np.asarray(values, dtype=np.int64), dtype="Int64")
    if kind == "bool":
        if isinstance(values, tuple):
            data, mask = values
            return pd.arrays.BooleanArray(np.asarray(data, bool), np.asarray(mask, bool))
        return pd.array(np.asarray(values, dtype=bool), dtype="boolean")
    raise ValueError(kind)  # pragma: no cover


def _frame(name: str, cols: dict[str, Any], tz: str = TIMEZONE) -> pd.DataFrame:
    """A canonical table: every schema column, in schema order, with its dtype."""
    spec = schema.TABLES[name]
    data = {c.name: _column(c.kind, cols[c.name], tz) for c in spec.columns}
    df = pd.DataFrame(data)
    for c in spec.columns:
        expected = schema.dtype_for(c, tz)
        if df[c.name].dtype != expected:  # pragma: no cover - a bug in this module
            raise TypeError(f"{name}.{c.name}: {df[c.name].dtype} instead of {expected}")
    return df


def _sorted(df: pd.DataFrame, name: str) -> pd.DataFrame:
    spec = schema.TABLES[name]
    by = [spec.time_column, *[k for k in spec.key if k != spec.time_column]]
    return df.sort_values(by, kind="stable", ignore_index=True)


# ======================================================================================
# Planted data-quality problems
# ======================================================================================


def _plant_tickets(rng: np.random.Generator, g: _Grid, tk: dict[str, np.ndarray]) -> None:
    """3 resolved before created, 2 first responses before created, 1 created in 2036."""
    n = len(tk["created"])
    used = np.zeros(n, dtype=bool)
    not_phone = tk["channel"] != PHONE
    answered_resolved = (tk["first"] != _NAT) & (tk["resolved"] != _NAT) & not_phone
    local = pd.DatetimeIndex(tk["created"].view("M8[us]")).tz_localize("UTC").tz_convert(TIMEZONE)
    last_year = int(g.months[-1][:4])
    in_year = np.asarray(local.year == last_year) & ~np.asarray(
        (local.month == 2) & (local.day == 29)
    )

    def pick(cand: np.ndarray, k: int) -> np.ndarray:
        idx = np.flatnonzero(cand & ~used)
        chosen = np.sort(rng.choice(idx, min(k, len(idx)), replace=False))
        used[chosen] = True
        return chosen

    surveyed = tk["surveyed"]
    future = pick((tk["first"] == _NAT) & (tk["resolved"] == _NAT) & not_phone & in_year, 1)
    if not len(future):
        future = pick(in_year & not_phone & ~surveyed, 1)
        tk["first"][future] = _NAT
        tk["resolved"][future] = _NAT
        for k in ("replies", "reopens", "status"):
            tk[k][future] = 0
        tk["handle"][future] = 0.0
        tk["converted"][future] = -1
    for i in future:
        ts = pd.Timestamp(int(tk["created"][i]), unit="us", tz="UTC").tz_convert(TIMEZONE)
        typo = ts.tz_localize(None).replace(year=ts.year + 10)
        typo = typo.tz_localize(TIMEZONE, ambiguous=True, nonexistent="shift_forward")
        tk["created"][i] = typo.value // 1000
    before = pick(answered_resolved, 3)
    back = (rng.uniform(1.0, 48.0, len(before)) * _HOUR).astype(np.int64)
    tk["resolved"][before] = _seconds(tk["created"][before] - back)
    early = pick(answered_resolved, 2)
    back = (rng.uniform(10.0, 180.0, len(early)) * _MIN).astype(np.int64)
    tk["first"][early] = _seconds(tk["created"][early] - back)


def _plant_calls(rng: np.random.Generator, calls: dict[str, np.ndarray]) -> None:
    """2 answered calls with a negative wait (sign flipped), 1 with 30 hours of talk."""
    answered = np.flatnonzero(calls["outcome"] == 0)
    chosen = rng.choice(answered, min(3, len(answered)), replace=False)
    negative, long_talk = chosen[:2], chosen[2:]
    calls["wait"][negative] = -np.maximum(calls["wait"][negative], 2.0)
    calls["talk"][long_talk] = 30 * 3600.0


def _plant_surveys(
    rng: np.random.Generator, g: _Grid, sv: dict[str, np.ndarray], n_tickets: int
) -> None:
    """4 answered surveys with a score outside the scale, 3 pointing to no ticket."""
    n = len(sv["sent"])
    answered = sv["answered"] != _NAT
    if answered.sum() < 4:  # tiny samples: make sure four answers exist
        late = sv["sent"] + _HOUR < g.as_of
        extra = np.flatnonzero(~answered & late)[: 4 - answered.sum()]
        sv["answered"][extra] = sv["sent"][extra] + _HOUR
        answered[extra] = True
    chosen: list[int] = []
    for metric, k in ((0, 2), (1, 1), (2, 1)):
        idx = np.flatnonzero(answered & (sv["metric"] == metric))
        chosen += list(rng.choice(idx, min(k, len(idx)), replace=False))
    if len(chosen) < 4:
        rest = np.setdiff1d(np.flatnonzero(answered), chosen)
        chosen += list(rng.choice(rest, 4 - len(chosen), replace=False))
    out_of_scale = {0: (6.0, 10.0), 1: (11.0,), 2: (8.0, 0.0)}
    seen = {0: 0, 1: 0, 2: 0}
    for i in chosen:
        m = int(sv["metric"][i])
        sv["score"][i] = out_of_scale[m][seen[m] % len(out_of_scale[m])]
        seen[m] += 1
    orphans = rng.choice(n, min(3, n), replace=False)
    sv["ticket"][orphans] = n_tickets + 100_000 + np.arange(len(orphans)) * 7919


# ======================================================================================
# Public API
# ======================================================================================


def generate(
    seed: int = 7, months: int = 12, scale: float = 1.0, end: str = "2026-10"
) -> dict[str, pd.DataFrame]:
    """Generate the eight canonical tables of a realistic customer-service program.

    The period is the ``months`` calendar months ending with month ``end``, in the
    Europe/Lisbon time zone; the as-of time is the end of the last month (tickets
    still unresolved then are ``open`` or ``pending``). At ``scale=1`` the sample
    holds about 60,000 tickets (5,000 a month: e-mail 30 %, phone 25 %, chat 20 %,
    web form 10 %, SMS 6 %, Twitter 5 %, Facebook 4 %), 16,000 calls, 29,000
    surveys, 20,000 customers, 25 incidents and 12 agents in 5 teams (plus a
    seasonal temp and a replacement), about 60 % occupied, which is what this volume
    needs at realistic handle times. ``scale`` multiplies tickets, calls, surveys,
    customers and agents (hence staff costs); incidents stay at about two a month.

    Volumes follow weekday and hour-of-day seasonality; the holiday season (24 Nov
    to 31 Dec, about x1.5) and the spring promotion (two weeks from the first Monday
    of May, about x1.4) raise volume and degrade service (slower responses, longer
    waits, more abandons, lower satisfaction). First responses and resolutions are
    drawn in business time (Mon-Fri 09-18, Sat 10-14, closed on Portuguese public
    holidays, 24 and 31 Dec). The data-quality problems of
    :func:`planted_problems` are planted.

    Parameters
    ----------
    seed : int, default 7
        Seed of :func:`numpy.random.default_rng`; the output is deterministic for
        given ``seed``, ``months``, ``scale`` and ``end``.
    months : int, default 12
        Number of months (at least 1).
    scale : float, default 1.0
        Volume multiplier; ``scale=16.7`` gives about a million tickets. Very small
        scales are floored at about 200 customers and 2 agents per team.
    end : str, default "2026-10"
        Last month, ``YYYY-MM``.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``tickets``, ``calls``, ``surveys``, ``costs``, ``finance``, ``customers``,
        ``incidents`` and ``staffing``: every canonical column in schema order, with
        the dtypes of :func:`csmetrics.schema.dtype_for` for Europe/Lisbon, rows
        sorted by their time column and id.

    Examples
    --------
    >>> tables = generate(seed=1, months=2, scale=0.05)
    >>> sorted(tables) == sorted(t for t in schema.TABLE_NAMES if t != "monthly_metrics")
    True
    >>> str(tables["tickets"]["created_at"].dtype)
    'datetime64[us, Europe/Lisbon]'
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    periods = _month_list(months, end)
    g = _grid(periods)
    streams = np.random.default_rng(seed).spawn(9)
    inc = _incidents(streams[0], g)
    _incident_load(g, inc)
    cust = _customers(streams[1], g, scale)
    agents = _agents(streams[2], g, scale)
    hours = _staffing_hours(streams[3], g, agents)
    tk = _tickets(streams[4], g, cust, agents, inc, scale)
    tk["agent_quality"] = agents.quality[tk["agent"]]
    calls = _calls(streams[5], g, cust, tk)
    sv = _surveys(streams[6], g, cust, tk)
    costs = _costs(streams[7], g, tk, calls, hours, scale)
    finance = _finance(streams[7], g, cust)

    rng = streams[8]
    n_tk, n_cu, n_ag = len(tk["created"]), len(cust.since), len(agents.team)
    tk["surveyed"] = np.zeros(n_tk, dtype=bool)
    tk["surveyed"][sv["ticket"]] = True
    _plant_tickets(rng, g, tk)
    _plant_calls(rng, calls)
    _plant_surveys(rng, g, sv, n_tk)

    w_t, w_c, w_a = _width(6, n_tk + 200_000), _width(5, n_cu), _width(3, n_ag)
    tk["ticket_id"] = _ids("T", np.arange(n_tk), w_t)
    tk["customer_id"] = _ids("CU", tk["customer"], w_c)
    tk["agent_id"] = _ids("A", tk["agent"], w_a)
    tickets = _sorted(_tickets_frame(tk), "tickets")

    n_calls = len(calls["arrived"])
    calls_df = _frame(
        "calls",
        {
            "call_id": _ids("C", np.arange(n_calls), _width(6, n_calls)),
            "arrived_at": calls["arrived"],
            "outcome": _labels(schema.CALL_OUTCOMES, calls["outcome"]),
            "customer_id": _ids("CU", calls["customer"], w_c),
            "queue": _labels(QUEUES, calls["queue"]),
            "wait_s": calls["wait"],
            "answered_at": calls["answered"],
            "talk_s": calls["talk"],
            "hold_s": calls["hold"],
            "wrap_s": calls["wrap"],
            "agent_id": _ids("A", calls["agent"], w_a),
            "resolved": (calls["resolved"] == 1, calls["resolved"] < 0),
        },
    )
    n_sv = len(sv["sent"])
    surveys = _frame(
        "surveys",
        {
            "survey_id": _ids("S", np.arange(n_sv), _width(6, n_sv)),
            "metric": _labels(METRICS, sv["metric"]),
            "sent_at": sv["sent"],
            "score": sv["score"],
            "answered_at": sv["answered"],
            "ticket_id": _ids("T", sv["ticket"], w_t),
            "customer_id": _ids("CU", sv["customer"], w_c),
            "channel": _labels(CHANNELS, sv["channel"]),
            "comment": _comments(sv),
        },
    )
    gap = {_STAFFING_GAP}
    staffing = hours[~np.isin(np.array(g.months)[hours["month"]], list(gap))]
    staffing_df = _frame(
        "staffing",
        {
            "period": np.array(g.months, dtype=object)[staffing["month"].to_numpy()],
            "agent_id": _ids("A", staffing["agent"].to_numpy(), w_a),
            "staffed_hours": staffing["hours"].to_numpy(np.float64),
            "team": _labels(TEAMS, staffing["team"].to_numpy()),
            "hourly_cost": staffing["cost"].to_numpy(np.float64),
        },
    )
    return {
        "tickets": tickets,
        "calls": _sorted(calls_df, "calls"),
        "surveys": _sorted(surveys, "surveys"),
        "costs": costs,
        "finance": finance,
        "customers": _customers_frame(cust, w_c),
        "incidents": _incidents_frame(inc),
        "staffing": _sorted(staffing_df, "staffing"),
    }


def write_sample(
    out: str | Path,
    seed: int = 7,
    months: int = 12,
    scale: float = 1.0,
    end: str = "2026-10",
    fmt: str = "parquet",
) -> dict[str, Path]:
    """Generate the sample and write it as a data folder.

    Writes ``<out>/<table>.parquet`` for each table (timestamps in UTC, microsecond
    unit), or ``<out>/<table>.csv`` with ``fmt="csv"`` (timestamps as ISO-8601 text
    with their Europe/Lisbon offset), plus ``<out>/csmetrics.yaml`` with
    :func:`sample_config`. Existing files of the same names are replaced.

    Parameters
    ----------
    out : str or Path
        Folder to write (created if needed).
    seed, months, scale, end
        As in :func:`generate`.
    fmt : {"parquet", "csv"}, default "parquet"
        File format of the tables.

    Returns
    -------
    dict of str to Path
        The path of each table, and of the configuration under ``"config"``.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_sample(tempfile.mkdtemp(), months=1, scale=0.02)
    >>> paths["tickets"].name, paths["config"].name
    ('tickets.parquet', 'csmetrics.yaml')
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"fmt must be 'parquet' or 'csv', got {fmt!r}")
    from .io import write_config, write_tables

    tables = generate(seed=seed, months=months, scale=scale, end=end)
    paths = write_tables(tables, out, fmt)
    paths["config"] = write_config(sample_config(months, end), out)
    return paths
