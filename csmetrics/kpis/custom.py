"""Custom pieces of the catalogue: what the standard kinds do not compute alone.

Scopes, derived columns, aggregations and finishers for tickets (unresolved flag, open
backlog, non-phone handle time, the Kaplan–Meier median resolution time), incidents
(mean time between failures), surveys (NPS) and customers (retention and churn). The
catalogue modules (:mod:`csmetrics.kpis.catalogue`) plug them into their KPIs; the
engine calls them with the period's :class:`~csmetrics.kpis.base.Ctx`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from ..i18n import _
from ..stats import exponential_mean_interval, km_quantile, nps_interval, wilson_interval
from .base import Ctx, H, Result, empty_result

CUSTOMER_FLAGS = ("at_start", "acquired", "at_end", "lost")


def _filled(col: str, sentinel: float = -1.0) -> Any:
    return nw.col(col).fill_null(sentinel)


# ---------------------------------------------------------------------------------------
# Tickets
# ---------------------------------------------------------------------------------------


def unanswered_flag(ctx: Ctx) -> dict:
    """``unanswered``: 1 for a ticket without a first response, else 0."""
    return {"unanswered": 1.0 - nw.col("answered")}


def unresolved_flag(ctx: Ctx) -> dict:
    """``unresolved_flag``: 1 for a ticket not resolved by the period's cutoff."""
    # resolved at the cutoff instant is resolved by then (as the KM median counts it)
    late = _filled("resolved_ts", math.inf) > ctx.cutoff_s
    return {"unresolved_flag": ((nw.col("resolved") == 0) | late).cast(nw.Float64)}


def created_by_cutoff(ctx: Ctx) -> Any:
    """The open backlog's scope: tickets created by the period's cutoff."""
    return nw.col("created_ts") <= ctx.cutoff_s


def non_phone_handle(ctx: Ctx) -> dict:
    """``non_phone_handle_s``: the handle time of tickets not on the phone channel."""
    return {
        "non_phone_handle_s": nw.when(nw.col("channel") != "phone")
        .then(nw.col("handle_s"))
        .otherwise(None)
    }


def _resolution_times(part: pd.DataFrame, ctx: Ctx) -> tuple[np.ndarray, np.ndarray]:
    """Hours from creation to resolution (or to the cutoff) and whether each is resolved."""
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
    return time[ok], event[ok]


def km_median(part: pd.DataFrame, ctx: Ctx) -> Result:
    """Kaplan–Meier median of created → resolved, open tickets censored at the cutoff.

    The median follows R ``survival``'s convention (:func:`csmetrics.stats.km_quantile`):
    the first time the curve reaches one half, or the midpoint where it stays at exactly
    one half, so that without open tickets it equals the sample median. The interval is
    Brookmeyer–Crowley's (statsmodels' ``SurvfuncRight.quantile_ci``).
    """
    from statsmodels.duration.survfunc import SurvfuncRight

    time, event = _resolution_times(part, ctx)
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


# ---------------------------------------------------------------------------------------
# Incidents
# ---------------------------------------------------------------------------------------


def started_before_end(ctx: Ctx) -> Any:
    """Incidents started before the period's end (the gaps need the previous start)."""
    return nw.col("started_ts") < (ctx.end_s if ctx.end_s is not None else math.inf)


def mtbf(part: pd.DataFrame, ctx: Ctx) -> Result:
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


# ---------------------------------------------------------------------------------------
# Surveys and customers
# ---------------------------------------------------------------------------------------


def nps_counts(ctx: Ctx) -> dict:
    """Promoters ``p``, detractors ``d`` and NPS answers ``n``."""
    return {
        "p": nw.col("promoter").sum(),
        "d": nw.col("detractor").sum(),
        "n": nw.col("promoter").count(),
    }


def nps_score(parts: dict, ctx: Ctx) -> Result:
    """% promoters − % detractors, with the NPS variance interval."""
    n = parts["n"]
    if not n:
        return empty_result()
    lo, hi = nps_interval(parts["p"], parts["d"], n)
    return Result(100 * (parts["p"] - parts["d"]) / n, n, lo, hi)


def customer_flags(ctx: Ctx) -> dict:
    """Flags of :data:`CUSTOMER_FLAGS`: at the start, acquired, at the end, lost."""
    if ctx.start_s is None:
        return {name: nw.lit(0.0) for name in CUSTOMER_FLAGS}
    s, e = ctx.start_s, ctx.cutoff_s
    until = _filled("until_ts", math.inf)
    since = nw.col("since_ts")
    return {
        "at_start": ((since < s) & (until >= s)).cast(nw.Float64),
        "acquired": ((since >= s) & (since < e)).cast(nw.Float64),
        "at_end": ((since < e) & (until >= e)).cast(nw.Float64),
        "lost": ((since < s) & (until >= s) & (until < e)).cast(nw.Float64),
    }


def customer_sums(ctx: Ctx) -> dict:
    """The sum of each flag of :func:`customer_flags`."""
    return {k: nw.col(k).sum() for k in CUSTOMER_FLAGS}


def retention(parts: dict, ctx: Ctx) -> Result:
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


def churn(parts: dict, ctx: Ctx) -> Result:
    """Customers at the start lost during the period / customers at start (customers
    acquired and lost inside the period are in neither; see :func:`retention`)."""
    if ctx.start_s is None:
        return empty_result(_("needs a bounded period"))
    n = parts["at_start"]
    if not n:
        return empty_result()
    lo, hi = wilson_interval(parts["lost"], n)
    return Result(parts["lost"] / n, n, lo, hi)
