"""The KPI registry: every measure, defined once.

Each entry carries its id (a public contract), label, category, unit, direction
(is higher or lower better), the article it comes from and a one-line formula; the
notebooks, the command line, the checklist, the charts and the README's KPI table
all read from here. Period membership follows DESIGN.md: volume, first-response and
first-contact measures use tickets *created* in the period, resolution times tickets
*resolved* in it, calls their arrival, surveys their answer (response rate: their
sending), monthly tables their month. Repeat contacts, channel switching and the cost
per contact count contacts by one rule, :data:`csmetrics.prepare.CONTACTS_DOC`: a phone
ticket and the answered call it came from are one contact.
"""

from __future__ import annotations

import math
import warnings

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..errors import CsmetricsError
from ..i18n import _
from ..stats import (
    erlang_agents_required,
    exponential_mean_interval,
    km_quantile,
    nps_interval,
    wilson_interval,
)
from .engine import KPI, Ctx, Result, empty_result

SOURCES = {
    "000": "Aplicação prática: coleta de métricas de atendimento ao cliente (pt)",
    "001": "KPIs de serviço ao cliente para medir o desempenho (pt)",
    "002": "Nuove informazioni sulle metriche del servizio clienti (it)",
    "003": "Métricas de éxito del servicio al cliente (es)",
    "004": "Metryki doskonałości obsługi klienta (pl)",
}
CATEGORIES = ("effectiveness", "cost", "experience", "channels")
H = 1 / 3600


def _filled(col: str, sentinel: float = -1.0):
    return nw.col(col).fill_null(sentinel)


# ---------------------------------------------------------------------------------------
# Custom pieces
# ---------------------------------------------------------------------------------------


def _unresolved(ctx: Ctx) -> dict:
    # resolved at the cutoff instant is resolved by then (as the KM median counts it)
    late = _filled("resolved_ts", math.inf) > ctx.cutoff_s
    return {"unresolved_flag": ((nw.col("resolved") == 0) | late).cast(nw.Float64)}


def _backlog_scope(ctx: Ctx):
    return nw.col("created_ts") <= ctx.cutoff_s


def _km_median(part: pd.DataFrame, ctx: Ctx) -> Result:
    """Kaplan–Meier median of created → resolved, open tickets censored at the cutoff.

    The median follows R ``survival``'s convention (:func:`csmetrics.stats.km_quantile`):
    the first time the curve reaches one half, or the midpoint where it stays at exactly
    one half, so that without open tickets it equals the sample median. The interval is
    Brookmeyer–Crowley's (statsmodels' ``SurvfuncRight.quantile_ci``).
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    created = part["created_ts"].to_numpy(float)
    resolved_ts = part["resolved_ts"].to_numpy(float)
    known = ~((part["resolved"].to_numpy(float) == 1) & np.isnan(resolved_ts))
    if "x_resolved_at" in part:  # a flagged resolution time is no event time
        known &= part["x_resolved_at"].to_numpy(float) != 1
    created, resolved_ts = created[known], resolved_ts[known]
    event = ~np.isnan(resolved_ts) & (resolved_ts <= ctx.cutoff_s)
    end = np.where(event, resolved_ts, ctx.cutoff_s)
    time = (end - created) * H
    ok = time >= 0
    time, event = time[ok], event[ok]
    if time.size == 0:
        return empty_result()
    if not event.any():
        return Result(math.nan, float(time.size), note=_("no ticket resolved yet: median unknown"))
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        sf = SurvfuncRight(time, event.astype(int))
        median = km_quantile(time, event, 0.5)
        try:
            lo, hi = sf.quantile_ci(0.5)
        except Exception:  # too few events for an interval
            lo, hi = math.nan, math.nan
    if math.isnan(median):
        return Result(
            math.nan,
            float(time.size),
            note=_("over half the tickets are still open: median not reached"),
        )
    return Result(median, float(time.size), float(lo), float(hi))


def _mtbf(part: pd.DataFrame, ctx: Ctx) -> Result:
    """Mean gap between consecutive incident starts, for starts inside the period."""
    starts = np.sort(part["started_ts"].dropna().to_numpy(float))
    if starts.size < 2:
        return empty_result(_("fewer than two incidents"))
    gaps = np.diff(starts)
    later = starts[1:]
    if ctx.start_s is not None:
        gaps = gaps[(later >= ctx.start_s) & (later < ctx.end_s)]
    if gaps.size == 0:
        return empty_result()
    mean = float(gaps.mean())
    lo, hi = exponential_mean_interval(mean, gaps.size)
    return Result(mean * H, float(gaps.size), lo * H, hi * H)


def _before_end(ctx: Ctx):
    return nw.col("started_ts") < (ctx.end_s if ctx.end_s is not None else math.inf)


def open_slots(calendar, weeks: float = 1.0) -> list[tuple[int, int]]:
    """Hour-of-week slots ``(weekday, hour)`` inside the configured business hours."""
    from ..config import WEEKDAYS

    slots = []
    for d, name in enumerate(WEEKDAYS):
        span = calendar.business_hours.get(name)
        if not span:
            continue
        o = int(span[0][:2]) + int(span[0][3:]) / 60
        c = int(span[1][:2]) + int(span[1][3:]) / 60
        slots += [(d, h) for h in range(24) if h >= math.floor(o) and h < math.ceil(c)]
    return slots


def slot_occurrences(start_s: float, end_s: float, tz: str) -> pd.Series:
    """How many times each local hour-of-week slot occurs between two instants.

    Returns a Series indexed by ``(weekday, hour)`` (Monday = 0) in time zone ``tz``:
    the number of hours of ``[start_s, end_s)`` spent in that slot, so a partial hour
    counts as its share and a clock change is followed (the hour repeated when clocks
    go back occurs twice that day, the hour skipped in spring not at all). Computed on
    a quarter-hour grid, which every time zone's offset fits.

    Examples
    --------
    >>> s = pd.Timestamp("2026-10-05 09:00", tz="UTC").value / 1e9   # a Monday
    >>> slot_occurrences(s, s + 5400, "UTC").to_dict()
    {(0, 9): 1.0, (0, 10): 0.5}
    """
    index = pd.MultiIndex.from_arrays([[], []], names=["weekday", "hour"])
    if not end_s > start_s:
        return pd.Series([], index=index, dtype=float)
    q = 900.0
    grid = np.arange(math.floor(start_s / q) * q, end_s, q)
    hours = (np.minimum(grid + q, end_s) - np.maximum(grid, start_s)) / 3600
    local = pd.to_datetime(grid, unit="s", utc=True).tz_convert(tz)
    keys = pd.MultiIndex.from_arrays(
        [np.asarray(local.day_of_week, dtype=int), np.asarray(local.hour, dtype=int)],
        names=["weekday", "hour"],
    )
    return pd.Series(hours, index=keys).groupby(level=[0, 1]).sum()


def _data_days(ctx: Ctx) -> tuple[float, float]:
    """Start of the first and end of the last local day with a call (epoch seconds)."""
    tz = ctx.config.timezone
    arrived = ctx.prepared["calls"]["arrived_ts"].dropna()
    first = pd.Timestamp(arrived.min(), unit="s", tz="UTC").tz_convert(tz).normalize()
    last = pd.Timestamp(arrived.max(), unit="s", tz="UTC").tz_convert(tz).normalize()
    end = (last.tz_localize(None) + pd.Timedelta(days=1)).tz_localize(tz)
    return first.value / 1e9, end.value / 1e9


def erlang_by_hour(part: pd.DataFrame, ctx: Ctx) -> pd.DataFrame:
    """Calls per hour-of-week slot, and the agents Erlang C needs to meet the target.

    A slot's arrival rate is its calls over the number of times the slot occurs in the
    period (:func:`slot_occurrences`), within the days the calls table covers: a month
    with five Mondays divides the Monday calls by five, not by the month's 4.3 weeks.
    The handle time is the period's AHT; the target is ``targets.service_level``
    (default 0.8) within ``thresholds.service_level_s``. Columns: ``weekday``, ``hour``,
    ``occurrences``, ``calls_per_hour``, ``agents_required``, ``open`` (inside business
    hours).
    """
    cfg = ctx.config
    target_sl = cfg.targets.get("service_level", 0.8)
    t = cfg.thresholds.service_level_s
    if "offered" in part:  # outcome "other" (test, phantom calls) is no arrival
        part = part[part["offered"] == 1]
    arrived = part["arrived_ts"].dropna()
    if arrived.empty:
        return pd.DataFrame(
            columns=["weekday", "hour", "occurrences", "calls_per_hour", "agents_required"]
        )
    span_start, span_end = _span(ctx)
    data_start, data_end = _data_days(ctx)
    start = data_start if span_start is None else max(span_start, data_start)
    end = min(data_end, ctx.as_of_s) if span_end is None else min(span_end, data_end)
    occurrences = slot_occurrences(start, end, cfg.timezone)
    aht = float(part["handle_s"].mean())
    keys = part.loc[arrived.index, ["weekday", "hour"]].astype(int)
    counts = keys.assign(one=1.0).groupby(["weekday", "hour"])["one"].sum()
    slots = pd.MultiIndex.from_tuples(
        open_slots(cfg.calendar) or [(d, h) for d in range(7) for h in range(24)],
        names=["weekday", "hour"],
    )
    index = slots.union(counts.index)
    table = pd.DataFrame(
        {
            "occurrences": occurrences.reindex(index, fill_value=0.0),
            "calls": counts.reindex(index, fill_value=0.0),
        }
    )
    seen = table["occurrences"] > 0
    table["calls_per_hour"] = (table["calls"] / table["occurrences"].where(seen)).fillna(0.0)
    table = table.drop(columns="calls").reset_index()
    table["open"] = pd.MultiIndex.from_frame(table[["weekday", "hour"]]).isin(slots)
    table["agents_required"] = [
        erlang_agents_required(c, 3600, aht, target_sl, t) if not math.isnan(aht) else math.nan
        for c in table["calls_per_hour"]
    ]
    return table


def _erlang(part: pd.DataFrame, ctx: Ctx) -> Result:
    part = part[part["offered"] == 1]
    if part["arrived_ts"].notna().sum() == 0 or part["handle_s"].notna().sum() == 0:
        return empty_result()
    table = erlang_by_hour(part, ctx)
    # open slots that occur in the period (a short period lacks some weekdays)
    open_ = table[table["open"] & (table["occurrences"] > 0)]
    return Result(float(open_["agents_required"].mean()), float(part["arrived_ts"].count()))


def _span(ctx: Ctx) -> tuple[float | None, float | None]:
    """Start and cutoff (epoch seconds) of the period, narrowed to the group's month.

    Per-hour averages (agents staffed, Erlang arrivals) divide by the time they cover:
    when results are grouped by month, that is the month, not the whole period.
    """
    start = ctx.start_s
    cutoff = ctx.cutoff_s if ctx.start_s is not None else None
    if ctx.month:
        from ..periods import Period

        m = Period.parse(ctx.month, ctx.config.timezone)
        m_start, m_end = m.start.value / 1e9, m.end.value / 1e9
        start = m_start if start is None else max(start, m_start)
        cutoff = min(m_end, ctx.as_of_s) if cutoff is None else min(cutoff, m_end)
    return start, cutoff


def _open_hours(start_s: float, end_s: float, ctx: Ctx) -> float:
    from ..calendar import business_seconds

    tz = ctx.config.timezone
    start = pd.Series([pd.Timestamp(start_s, unit="s", tz="UTC").tz_convert(tz)])
    end = pd.Series([pd.Timestamp(end_s, unit="s", tz="UTC").tz_convert(tz)])
    return float(business_seconds(start, end, ctx.config.calendar, ctx.config.timezone)[0]) * H


def _agents_staffed(parts: dict, ctx: Ctx) -> Result:
    start, cutoff = _span(ctx)
    if start is None:
        return empty_result(_("needs a bounded period"))
    if not parts["n"] or math.isnan(parts["n"]):  # no staffing rows: unknown, not zero
        return empty_result()
    hours = _open_hours(start, cutoff, ctx) if cutoff > start else 0.0
    if not hours:
        return empty_result(_("no business hours in the period"))
    return Result(parts["h"] / hours, parts["n"])


def _customers_derive(ctx: Ctx) -> dict:
    if ctx.start_s is None:
        return {
            "at_start": nw.lit(0.0),
            "acquired": nw.lit(0.0),
            "at_end": nw.lit(0.0),
            "lost": nw.lit(0.0),
        }
    s, e = ctx.start_s, ctx.cutoff_s
    until = _filled("until_ts", math.inf)
    since = nw.col("since_ts")
    return {
        "at_start": ((since < s) & (until >= s)).cast(nw.Float64),
        "acquired": ((since >= s) & (since < e)).cast(nw.Float64),
        "at_end": ((since < e) & (until >= e)).cast(nw.Float64),
        "lost": ((since < s) & (until >= s) & (until < e)).cast(nw.Float64),
    }


def _customer_aggs(ctx: Ctx) -> dict:
    return {k: nw.col(k).sum() for k in ("at_start", "acquired", "at_end", "lost")}


def _retention(parts: dict, ctx: Ctx) -> Result:
    """(at end − acquired) / at start.

    A customer acquired and lost inside the period is in ``acquired`` but not ``at_end``,
    so it lowers retention, while churn counts only customers present at the start:
    ``retention = 1 − churn − acquired_and_lost / at_start``. Example: 3 customers at the
    start, one of them lost (churn 1/3), two acquired of whom one is lost again →
    retention (3 − 1 + 2 − 1 − 2)/3 = 1/3 = 1 − 1/3 − 1/3.
    """
    if ctx.start_s is None:
        return empty_result(_("needs a bounded period"))
    n = parts["at_start"]
    if not n:
        return empty_result()
    kept = parts["at_end"] - parts["acquired"]
    lo, hi = wilson_interval(min(max(kept, 0), n), n)
    return Result(kept / n, n, lo, hi)


def _churn(parts: dict, ctx: Ctx) -> Result:
    """Customers at the start lost during the period / customers at start (customers
    acquired and lost inside the period are in neither; see :func:`_retention`)."""
    if ctx.start_s is None:
        return empty_result(_("needs a bounded period"))
    n = parts["at_start"]
    if not n:
        return empty_result()
    lo, hi = wilson_interval(parts["lost"], n)
    return Result(parts["lost"] / n, n, lo, hi)


def _nps_aggs(ctx: Ctx) -> dict:
    return {
        "p": nw.col("promoter").sum(),
        "d": nw.col("detractor").sum(),
        "n": nw.col("promoter").count(),
    }


def _nps(parts: dict, ctx: Ctx) -> Result:
    n = parts["n"]
    if not n:
        return empty_result()
    lo, hi = nps_interval(parts["p"], parts["d"], n)
    return Result(100 * (parts["p"] - parts["d"]) / n, n, lo, hi)


def _staffed_aggs(ctx: Ctx) -> dict:
    return {
        "h": nw.col("staffed_hours").sum(),
        "n": nw.col("staffed_hours").count(),
    }


def _ticket_handle(ctx: Ctx) -> dict:
    return {
        "non_phone_handle_s": nw.when(nw.col("channel") != "phone")
        .then(nw.col("handle_s"))
        .otherwise(None)
    }


# ---------------------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------------------


def _k(
    id: str,
    label: str,
    category: str,
    unit: str,
    direction: str,
    source: str,
    formula: str,
    table: str,
    **kw,
) -> KPI:
    return KPI(
        id=id,
        label_en=label,
        category=category,
        unit=unit,
        direction=direction,
        source=source,
        formula_en=formula,
        table=table,
        **kw,
    )


CT, RT, AT, ST = "created_ts", "resolved_ts", "arrived_ts", "answered_ts"
PM = "period_month"

CATALOGUE: list[KPI] = [
    # --- effectiveness: volumes -------------------------------------------------------
    _k(
        "tickets_created",
        "Tickets created",
        "effectiveness",
        "tickets",
        "lower",
        "003",
        "count of tickets created in the period",
        "tickets",
        basis=CT,
        headline=True,
    ),
    _k(
        "complaints_received",
        "Complaints received",
        "effectiveness",
        "tickets",
        "lower",
        "001; 004",
        "count of tickets created in the period with is_complaint true",
        "tickets",
        basis=CT,
        value="is_complaint",
        headline=True,
    ),
    _k(
        "tickets_per_1000_customers",
        "Tickets per 1,000 customers",
        "effectiveness",
        "tickets",
        "lower",
        "003",
        "tickets_created / active_customers × 1000",
        "tickets",
        kind="ratio",
        ratio=(("tickets_created",), ("active_customers",), 1000.0),
    ),
    _k(
        "tickets_resolved",
        "Tickets resolved",
        "effectiveness",
        "tickets",
        "higher",
        "001",
        "count of tickets resolved in the period",
        "tickets",
        basis=RT,
        needs=("resolved_ts",),
    ),
    # --- first response ----------------------------------------------------------------
    _k(
        "frt_median_h",
        "First response time, median",
        "effectiveness",
        "h",
        "lower",
        "003; 004",
        "median(first_response_at − created_at), tickets created in the period with a response",
        "tickets",
        kind="quantile",
        basis=CT,
        value="frt_s",
        q=0.5,
        scale=H,
        excluded="first_response_at",
        headline=True,
        interval="order statistics",
    ),
    _k(
        "frt_p90_h",
        "First response time, 90th percentile",
        "effectiveness",
        "h",
        "lower",
        "003; 004",
        "90th percentile of first_response_at − created_at",
        "tickets",
        kind="quantile",
        basis=CT,
        value="frt_s",
        q=0.9,
        scale=H,
        excluded="first_response_at",
        interval="order statistics",
    ),
    _k(
        "frt_mean_h",
        "First response time, mean",
        "effectiveness",
        "h",
        "lower",
        "003; 004",
        "mean(first_response_at − created_at)",
        "tickets",
        kind="mean",
        basis=CT,
        value="frt_s",
        scale=H,
        excluded="first_response_at",
        interval="t",
    ),
    _k(
        "frt_business_median_h",
        "First response time in business hours, median",
        "effectiveness",
        "h",
        "lower",
        "003; 004",
        "median of the business-hours time from creation to first response",
        "tickets",
        kind="quantile",
        basis=CT,
        value="frt_business_s",
        q=0.5,
        scale=H,
        excluded="first_response_at",
        interval="order statistics",
    ),
    _k(
        "unanswered_tickets",
        "Tickets without a first response",
        "effectiveness",
        "tickets",
        "lower",
        "003",
        "count of tickets created in the period with no first response yet",
        "tickets",
        basis=CT,
        needs=("answered",),
        derive=lambda ctx: {"unanswered": 1.0 - nw.col("answered")},
        value="unanswered",
    ),
    # --- resolution -----------------------------------------------------------------------
    _k(
        "resolution_median_h",
        "Resolution time, median",
        "effectiveness",
        "h",
        "lower",
        "001; 003",
        "median(resolved_at − created_at), tickets resolved in the period",
        "tickets",
        kind="quantile",
        basis=RT,
        value="resolution_s",
        q=0.5,
        scale=H,
        excluded="resolved_at",
        headline=True,
        interval="order statistics",
    ),
    _k(
        "resolution_p90_h",
        "Resolution time, 90th percentile",
        "effectiveness",
        "h",
        "lower",
        "001; 003",
        "90th percentile of resolved_at − created_at, tickets resolved in the period",
        "tickets",
        kind="quantile",
        basis=RT,
        value="resolution_s",
        q=0.9,
        scale=H,
        excluded="resolved_at",
        interval="order statistics",
    ),
    _k(
        "resolution_mean_h",
        "Resolution time, mean (MTTR)",
        "effectiveness",
        "h",
        "lower",
        "001; 003",
        "mean(resolved_at − created_at), tickets resolved in the period",
        "tickets",
        kind="mean",
        basis=RT,
        value="resolution_s",
        scale=H,
        excluded="resolved_at",
        interval="t",
    ),
    _k(
        "resolution_km_median_h",
        "Resolution time, Kaplan–Meier median",
        "effectiveness",
        "h",
        "lower",
        "001; 003",
        "Kaplan–Meier median of created → resolved over tickets "
        "created in the period, open tickets censored at min(period end, as-of); where the "
        "curve stays at exactly 0.5, the midpoint (R survival's convention)",
        "tickets",
        kind="values",
        basis=CT,
        needs=("created_ts", "resolved_ts", "resolved"),
        reduce=_km_median,
        excluded="resolved_at",
        interval="Kaplan–Meier (Brookmeyer–Crowley)",
    ),
    _k(
        "fcr_rate",
        "First-contact resolution",
        "effectiveness",
        "share",
        "higher",
        "003; 002; 004",
        "tickets created in the period resolved with ≤ 1 agent reply and no "
        "reopen / tickets created",
        "tickets",
        kind="rate",
        basis=CT,
        value="fcr",
        headline=True,
        interval="Wilson",
    ),
    _k(
        "unresolved_rate",
        "Unresolved rate",
        "effectiveness",
        "share",
        "lower",
        "001",
        "tickets created in the period not resolved by min(period end, as-of) / tickets created",
        "tickets",
        kind="rate",
        basis=CT,
        needs=("resolved", "resolved_ts"),
        derive=_unresolved,
        value="unresolved_flag",
        headline=True,
        interval="Wilson",
    ),
    _k(
        "backlog_open",
        "Open backlog",
        "effectiveness",
        "tickets",
        "lower",
        "001",
        "tickets created by min(period end, as-of) and not resolved by then",
        "tickets",
        needs=("created_ts", "resolved", "resolved_ts"),
        scope=_backlog_scope,
        derive=_unresolved,
        value="unresolved_flag",
        headline=True,
    ),
    _k(
        "reopen_rate",
        "Reopen rate",
        "effectiveness",
        "share",
        "lower",
        "003",
        "tickets resolved in the period that were reopened / tickets resolved",
        "tickets",
        kind="rate",
        basis=RT,
        value="reopened",
        interval="Wilson",
    ),
    _k(
        "repeat_contact_rate",
        "Repeat-contact rate",
        "effectiveness",
        "share",
        "lower",
        "004",
        "tickets whose customer had another contact (ticket or answered call; a phone ticket "
        "and its call are one) in the preceding window / tickets with a known customer",
        "tickets",
        kind="rate",
        basis=CT,
        value="repeat_contact",
        interval="Wilson",
    ),
    _k(
        "sla_attainment",
        "First-response SLA attainment",
        "effectiveness",
        "share",
        "higher",
        "003; 004",
        "tickets answered within their priority's target / tickets with a target "
        "(unanswered ones count once the target has passed)",
        "tickets",
        kind="rate",
        basis=CT,
        value="sla_met",
        excluded="first_response_at",
        headline=True,
        interval="Wilson",
    ),
    _k(
        "conversion_rate",
        "Conversion rate",
        "effectiveness",
        "share",
        "higher",
        "001",
        "tickets with converted true / tickets where converted is known",
        "tickets",
        kind="rate",
        basis=CT,
        value="converted",
        interval="Wilson",
    ),
    # --- calls --------------------------------------------------------------------------
    _k(
        "calls_offered",
        "Calls offered",
        "effectiveness",
        "calls",
        "neutral",
        "002",
        "answered + abandoned calls arriving in the period (outcome other left out)",
        "calls",
        basis=AT,
        value="offered",
    ),
    _k(
        "calls_answered",
        "Calls answered",
        "effectiveness",
        "calls",
        "higher",
        "002",
        "answered calls arriving in the period",
        "calls",
        basis=AT,
        value="answered",
    ),
    _k(
        "calls_answered_own_contact",
        "Answered calls without a ticket",
        "effectiveness",
        "calls",
        "neutral",
        "002",
        "answered calls arriving in the period not linked to a ticket (contacts of their own)",
        "calls",
        basis=AT,
        value="contact",
        internal=True,
    ),
    _k(
        "calls_abandoned",
        "Calls abandoned",
        "effectiveness",
        "calls",
        "lower",
        "002",
        "abandoned calls arriving in the period",
        "calls",
        basis=AT,
        value="abandoned",
    ),
    _k(
        "abandonment_rate",
        "Abandonment rate",
        "effectiveness",
        "share",
        "lower",
        "002",
        "abandoned / (answered + abandoned), abandons shorter than thresholds.short_abandon_s "
        "left out of both",
        "calls",
        kind="rate",
        basis=AT,
        value="abandon_flag",
        counts=("calls_abandoned", "calls_offered"),
        headline=True,
        interval="Wilson",
    ),
    _k(
        "service_level",
        "Service level",
        "effectiveness",
        "share",
        "higher",
        "002",
        "answered within thresholds.service_level_s / (answered + abandoned after it)",
        "calls",
        kind="rate",
        basis=AT,
        value="sl_flag",
        excluded="wait_s",
        headline=True,
        interval="Wilson",
    ),
    _k(
        "asa_s",
        "Average speed of answer",
        "effectiveness",
        "s",
        "lower",
        "002",
        "mean wait of answered calls",
        "calls",
        kind="mean",
        basis=AT,
        value="answered_wait_s",
        excluded="wait_s",
        interval="t",
    ),
    _k(
        "aht_s",
        "Average handle time",
        "effectiveness",
        "s",
        "lower",
        "002; 004",
        "mean(talk + hold + wrap) of answered calls (missing hold or wrap count as 0)",
        "calls",
        kind="mean",
        basis=AT,
        value="handle_s",
        excluded="talk_s",
        headline=True,
        interval="t",
    ),
    _k(
        "call_handle_hours",
        "Call handle hours",
        "effectiveness",
        "h",
        "neutral",
        "002",
        "sum of talk + hold + wrap of answered calls",
        "calls",
        kind="sum",
        basis=AT,
        value="handle_s",
        scale=H,
        internal=True,
    ),
    _k(
        "ticket_handle_hours",
        "Ticket handle hours (non-phone)",
        "effectiveness",
        "h",
        "neutral",
        "002",
        "sum of handle_time_s of non-phone tickets created in the period",
        "tickets",
        kind="sum",
        basis=CT,
        needs=("handle_s", "channel"),
        derive=_ticket_handle,
        value="non_phone_handle_s",
        scale=H,
        internal=True,
    ),
    _k(
        "occupancy",
        "Occupancy",
        "effectiveness",
        "share",
        "neutral",
        "002",
        "(call handle time + non-phone ticket handle time) / staffed time",
        "calls",
        kind="ratio",
        ratio=(("call_handle_hours", "ticket_handle_hours"), ("staffed_hours",), 1.0),
    ),
    # --- product reliability --------------------------------------------------------------
    _k(
        "mtbf_h",
        "Mean time between failures",
        "effectiveness",
        "h",
        "higher",
        "003",
        "mean gap between consecutive incident starts, for incidents starting in the period",
        "incidents",
        kind="values",
        needs=("started_ts",),
        scope=_before_end,
        reduce=_mtbf,
        interval="χ² (exponential gaps)",
    ),
    _k(
        "mttd_h",
        "Mean time to detect",
        "effectiveness",
        "h",
        "lower",
        "003",
        "mean(detected_at − started_at), incidents starting in the period",
        "incidents",
        kind="mean",
        basis="started_ts",
        value="ttd_s",
        scale=H,
        excluded="detected_at",
        interval="t",
    ),
    _k(
        "incident_mttr_h",
        "Incident mean time to restore",
        "effectiveness",
        "h",
        "lower",
        "003",
        "mean(resolved_at − started_at), incidents starting in the period",
        "incidents",
        kind="mean",
        basis="started_ts",
        value="ttr_s",
        scale=H,
        excluded="resolved_at",
        interval="t",
    ),
    # --- staffing and employee performance -------------------------------------------
    _k(
        "staffed_hours",
        "Staffed hours",
        "cost",
        "h",
        "neutral",
        "001",
        "sum of staffed_hours in the period's months",
        "staffing",
        kind="sum",
        basis=PM,
        value="staffed_hours",
    ),
    _k(
        "tickets_resolved_per_staffed_hour",
        "Tickets resolved per staffed hour",
        "effectiveness",
        "tickets/h",
        "higher",
        "001",
        "tickets_resolved / staffed_hours (employee performance, by agent or team)",
        "tickets",
        kind="ratio",
        ratio=(("tickets_resolved",), ("staffed_hours",), 1.0),
    ),
    _k(
        "agents_staffed",
        "Agents staffed (average per open hour)",
        "cost",
        "agents",
        "neutral",
        "000; 001",
        "staffed hours / business hours of the period",
        "staffing",
        kind="custom",
        basis=PM,
        needs=("staffed_hours",),
        aggs=_staffed_aggs,
        finish=_agents_staffed,
    ),
    _k(
        "erlang_agents_required",
        "Agents required (Erlang C)",
        "cost",
        "agents",
        "neutral",
        "000; 001",
        "mean over business hours of the fewest agents meeting the service-level "
        "target for the hour's calls averaged over the times that weekday-hour occurs in "
        "the period, and the period's AHT (Erlang C)",
        "calls",
        kind="values",
        basis=AT,
        needs=("arrived_ts", "handle_s", "weekday", "hour", "offered"),
        reduce=_erlang,
    ),
    # --- cost -------------------------------------------------------------------------------
    _k(
        "total_cost",
        "Total cost",
        "cost",
        "currency",
        "lower",
        "003; 000",
        "sum of cost amounts in the period's months",
        "costs",
        kind="sum",
        basis=PM,
        value="amount",
        excluded="amount",
        headline=True,
    ),
    _k(
        "cost_per_contact",
        "Cost per contact",
        "cost",
        "currency",
        "lower",
        "003",
        "total_cost / contacts (tickets created + answered calls without a ticket: a phone "
        "ticket and the call it came from are one contact)",
        "costs",
        kind="ratio",
        ratio=(("total_cost",), ("tickets_created", "calls_answered_own_contact"), 1.0),
        headline=True,
    ),
    _k(
        "cost_per_resolution",
        "Cost per resolution",
        "cost",
        "currency",
        "lower",
        "003",
        "total_cost / tickets resolved",
        "costs",
        kind="ratio",
        ratio=(("total_cost",), ("tickets_resolved",), 1.0),
        headline=True,
    ),
    _k(
        "revenue",
        "Revenue",
        "cost",
        "currency",
        "higher",
        "003",
        "sum of revenue in the period's months",
        "finance",
        kind="sum",
        basis=PM,
        value="revenue",
    ),
    _k(
        "active_customers",
        "Active customers",
        "cost",
        "customers",
        "higher",
        "002",
        "mean of active_customers over the period's months",
        "finance",
        kind="mean",
        basis=PM,
        value="active_customers",
    ),
    _k(
        "cost_to_revenue",
        "Cost to revenue",
        "cost",
        "share",
        "lower",
        "003",
        "total_cost / revenue",
        "costs",
        kind="ratio",
        ratio=(("total_cost",), ("revenue",), 1.0),
        headline=True,
    ),
    _k(
        "arpu",
        "Average revenue per user",
        "cost",
        "currency",
        "higher",
        "002",
        "revenue / active_customers (per period)",
        "finance",
        kind="ratio",
        ratio=(("revenue",), ("active_customers",), 1.0),
    ),
    # --- experience -----------------------------------------------------------------------
    _k(
        "csat_score",
        "CSAT (share satisfied)",
        "experience",
        "share",
        "higher",
        "001; 003; 004",
        "CSAT answers of 4 or 5 (1–5 scale) / CSAT answers, answered in the period",
        "surveys",
        kind="rate",
        basis=ST,
        value="csat_good",
        excluded="score",
        headline=True,
        interval="Wilson",
    ),
    _k(
        "csat_mean",
        "CSAT mean score",
        "experience",
        "score",
        "higher",
        "001; 003; 004",
        "mean CSAT score (1–5)",
        "surveys",
        kind="mean",
        basis=ST,
        value="csat",
        excluded="score",
        interval="t",
    ),
    _k(
        "nps",
        "Net Promoter Score",
        "experience",
        "points",
        "higher",
        "001; 003",
        "% promoters (9–10) − % detractors (0–6) of NPS answers",
        "surveys",
        kind="custom",
        basis=ST,
        needs=("promoter", "detractor"),
        aggs=_nps_aggs,
        finish=_nps,
        excluded="score",
        headline=True,
        interval="NPS variance",
    ),
    _k(
        "ces_mean",
        "Customer Effort Score, mean",
        "experience",
        "score",
        "lower",
        "003; 002",
        "mean CES (scale from ces.min–ces.max; lower is better unless configured otherwise)",
        "surveys",
        kind="mean",
        basis=ST,
        value="ces",
        excluded="score",
        headline=True,
        interval="t",
    ),
    _k(
        "survey_response_rate",
        "Survey response rate",
        "experience",
        "share",
        "higher",
        "003; 004",
        "surveys answered / surveys sent, by sending date",
        "surveys",
        kind="rate",
        basis="sent_ts",
        value="responded",
        interval="Wilson",
    ),
    _k(
        "retention_rate",
        "Customer retention rate",
        "experience",
        "share",
        "higher",
        "001; 004",
        "(customers at end − customers acquired) / customers at start; a customer acquired "
        "and lost in the period lowers it, so retention = 1 − churn − acquired and lost / "
        "customers at start",
        "customers",
        kind="custom",
        needs=("since_ts", "until_ts"),
        derive=_customers_derive,
        aggs=_customer_aggs,
        finish=_retention,
        headline=True,
        interval="Wilson",
    ),
    _k(
        "churn_rate",
        "Customer churn rate",
        "experience",
        "share",
        "lower",
        "001; 004",
        "customers at the start who left during the period / customers at start (customers "
        "acquired and lost in the period are not counted)",
        "customers",
        kind="custom",
        needs=("since_ts", "until_ts"),
        derive=_customers_derive,
        aggs=_customer_aggs,
        finish=_churn,
        interval="Wilson",
    ),
    # --- channels -----------------------------------------------------------------------------
    _k(
        "channel_share",
        "Channel mix (share of tickets)",
        "channels",
        "share",
        "neutral",
        "002",
        "tickets created on the channel / tickets created",
        "tickets",
        kind="share",
        basis=CT,
        needs=("channel",),
        share_of="channel",
        interval="Wilson",
    ),
    _k(
        "channel_switch_rate",
        "Channel switching",
        "channels",
        "share",
        "lower",
        "002",
        "tickets followed, within the switch window and before their first response, by any "
        "contact of the same customer on another channel / tickets with a known customer",
        "tickets",
        kind="rate",
        basis=CT,
        value="switched",
        interval="Wilson",
    ),
]

REGISTRY: dict[str, KPI] = {k.id: k for k in CATALOGUE}
if len(REGISTRY) != len(CATALOGUE):  # pragma: no cover - guards the catalogue itself
    raise RuntimeError("duplicate KPI id in the catalogue")


def get(kpi_id: str) -> KPI:
    """The registry entry of ``kpi_id`` (a clear error for an unknown id)."""
    try:
        return REGISTRY[kpi_id]
    except KeyError:
        import difflib

        hint = difflib.get_close_matches(kpi_id, list(REGISTRY), n=1)
        extra = f"; did you mean {hint[0]!r}?" if hint else ""
        raise CsmetricsError(f"unknown KPI {kpi_id!r}{extra}") from None


def public_kpis() -> list[KPI]:
    """The KPIs users see (internal building blocks left out)."""
    return [k for k in CATALOGUE if not k.internal]


def direction(kpi: KPI, config=None) -> str:
    """The KPI's direction, with the CES direction taken from the configuration."""
    if kpi.id == "ces_mean" and config is not None and not config.ces.lower_is_better:
        return "higher"
    return kpi.direction


def registry_frame() -> pd.DataFrame:
    """The public registry as a table (id, label, category, unit, direction, source, formula)."""
    return pd.DataFrame(
        [
            {
                "id": k.id,
                "label": k.label,
                "category": k.category,
                "unit": k.unit,
                "direction": k.direction,
                "source": k.source,
                "formula": k.formula,
            }
            for k in public_kpis()
        ]
    )
