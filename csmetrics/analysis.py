"""Tables behind the report's charts: distributions, ageing, mixes, comparisons.

Small functions on prepared frames; the notebooks only call them and draw. KPI values
themselves always come from :func:`csmetrics.kpis.compute`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .i18n import N_, _
from .kpis.engine import make_ctx
from .kpis.registry import erlang_by_hour as _erlang_by_hour
from .periods import Period, in_zone
from .prepare import Prepared

AGE_BUCKETS = [0, 1, 3, 7, 14, 30, 90, np.inf]
#: Age bands of open tickets (English; :func:`backlog_ages` shows them translated).
AGE_LABELS = [
    # Translators: age band of an open ticket
    N_("< 1 day"),
    N_("1–3 days"),
    N_("3–7 days"),
    N_("1–2 weeks"),
    N_("2–4 weeks"),
    N_("1–3 months"),
    N_("> 3 months"),
]
#: Score bands of :func:`comment_examples` (the ``band`` values stay English: they are
#: keys; display them with ``csmetrics.display.labelled(df, {"band": BAND_LABELS})``).
BAND_LABELS = {
    # Translators: score band of survey answers (low scores)
    "unhappy": N_("unhappy"),
    # Translators: score band of survey answers (middle scores)
    "middle": N_("middle"),
    # Translators: score band of survey answers (high scores)
    "happy": N_("happy"),
}
#: Values of the ``period type`` column of :func:`peak_vs_regular`, as shown to people.
PERIOD_TYPES = {
    # Translators: days inside a configured peak period (holidays, campaigns...)
    "peak": N_("peak"),
    # Translators: days outside every configured peak period
    "regular": N_("regular"),
}


def _period(prepared: Prepared, period: str | Period) -> Period:
    return in_zone(period, prepared.config.timezone)


def series_months(prepared: Prepared, period: str | Period, months: int | None = 12) -> list[str]:
    """The months (``YYYY-MM``) of a monthly series: the ``months`` months ending with the
    period's last month (the as-of month for ``all``), or every month of the period when
    ``months`` is None.

    Examples
    --------
    >>> series_months(p, "2026-10", 3)  # doctest: +SKIP
    ['2026-08', '2026-09', '2026-10']
    """
    tz = prepared.config.timezone
    p = _period(prepared, period)
    end = p.end if p.end is not None else pd.Timestamp(prepared.as_of) + pd.Timedelta(seconds=1)
    last = (end.tz_convert(tz).tz_localize(None) - pd.Timedelta(seconds=1)).to_period("M")
    if months is None and p.start is not None:
        first = p.start.tz_convert(tz).tz_localize(None).to_period("M")
    else:
        first = last - ((months or 12) - 1)
    return [m.strftime("%Y-%m") for m in pd.period_range(first, last, freq="M")]


def monthly_series(
    prepared: Prepared,
    kpis: Iterable[str],
    period: str | Period,
    months: int | None = 12,
    by: Sequence[str] = (),
    backend: str | None = None,
) -> pd.DataFrame:
    """KPIs month by month, each month measured as a period of its own, as of its own end.

    The one computation behind sparklines, trend charts and changes: a month's point is
    exactly the value the report shows when that month is the period, so the last point
    equals the shown value and the change against the previous month equals the
    difference of the last two points. (Grouping a longer period by month would judge
    every month at the longer period's end: a ticket still open at the end of September
    but resolved in October would count as resolved in September's unresolved rate.)

    Parameters
    ----------
    prepared : Prepared
        The prepared workbook.
    kpis : iterable of str
        KPI ids.
    period : str or Period
        The series ends with this period's last month (:func:`series_months`).
    months : int or None
        How many months; None for every month of ``period``.
    by : sequence of str
        Further group columns (``channel``, ``team``...).
    backend : str, optional
        The engine (:func:`csmetrics.kpis.compute`; default: the data's ``engine.name``).

    Returns
    -------
    DataFrame
        KPI records with a ``month`` column (``YYYY-MM``), sorted by KPI, month and the
        group columns; months without observations of a KPI (``n`` 0, such as the months
        before the data begins) are left out, not shown as a count of zero.

    Examples
    --------
    >>> s = monthly_series(p, ["unresolved_rate"], "2026-10", months=2)  # doctest: +SKIP
    >>> s[["month", "value"]].to_dict(orient="list")  # doctest: +SKIP
    {'month': ['2026-09', '2026-10'], 'value': [0.5, 0.6]}
    """
    from .kpis import compute

    kpis, by = list(kpis), [g for g in by if g != "month"]
    frames = [
        compute(prepared, m, by=by, kpis=kpis, backend=backend).assign(month=m)
        for m in series_months(prepared, period, months)
    ]
    df = _typed_records(pd.concat(frames, ignore_index=True))
    df = df[df["n"].fillna(0) > 0]
    keys = ["kpi", "month", *[g for g in by if g in df]]
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def _typed_records(df: pd.DataFrame) -> pd.DataFrame:
    """KPI records with float numbers and boolean flags: a month without rows comes back
    as text-typed columns, which concatenating would spread to every month."""
    for col in ("value", "n", "ci_low", "ci_high", "excluded"):
        if col in df:
            df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
    for col in ("low_sample", "available"):
        if col in df:
            df[col] = df[col].fillna(False).astype(bool)
    return df


def rows_in(prepared: Prepared, table: str, column: str, period: str | Period) -> pd.DataFrame:
    """Rows of a prepared table whose epoch-seconds ``column`` falls in the period."""
    df = prepared.tables.get(table)
    if df is None or column not in df:
        return pd.DataFrame()
    ctx = make_ctx(prepared, _period(prepared, period))
    if ctx.start_s is None:
        return df[df[column].notna()]
    return df[(df[column] >= ctx.start_s) & (df[column] < ctx.end_s)]


def duration_hours(
    prepared: Prepared,
    period: str | Period,
    value: str = "frt_s",
    basis: str = "created_ts",
    by: str | None = None,
) -> pd.DataFrame:
    """Durations in hours (``value`` in seconds) of the tickets in scope, with a group column.

    Examples
    --------
    >>> duration_hours(p, "2026-10", "resolution_s", "resolved_ts", by="channel")  # doctest: +SKIP
    """
    df = rows_in(prepared, "tickets", basis, period)
    if df.empty or value not in df:
        return pd.DataFrame(columns=["hours", by or "all"])
    out = pd.DataFrame({"hours": df[value] / 3600})
    out[by or "all"] = df[by].fillna("(missing)") if by and by in df else "all"
    return out.dropna(subset=["hours"])


def backlog_ages(prepared: Prepared, period: str | Period) -> pd.DataFrame:
    """Open tickets at the period's cutoff by age bucket, the buckets named in the current
    language."""
    t = prepared.tables.get("tickets")
    if t is None or "resolved" not in t:
        return pd.DataFrame(columns=["age", "tickets"])
    ctx = make_ctx(prepared, _period(prepared, period))
    cut = ctx.cutoff_s
    res = t["resolved_ts"].fillna(np.inf) if "resolved_ts" in t else np.inf
    open_ = (t["created_ts"] <= cut) & ((t["resolved"] == 0) | (res >= cut))
    ages = (cut - t.loc[open_, "created_ts"]) / 86400
    bucket = pd.cut(ages, AGE_BUCKETS, labels=AGE_LABELS, right=False)
    out = bucket.value_counts().reindex(AGE_LABELS, fill_value=0)
    return pd.DataFrame({"age": [_(a) for a in AGE_LABELS], "tickets": out.to_numpy()})


def calls_per_day(prepared: Prepared, period: str | Period) -> pd.DataFrame:
    """Calls offered, answered and abandoned per local day of the period."""
    c = rows_in(prepared, "calls", "arrived_ts", period)
    if c.empty:
        return pd.DataFrame(columns=["day", "offered", "answered", "abandoned"])
    day = (
        pd.to_datetime(c["arrived_ts"], unit="s", utc=True)
        .dt.tz_convert(prepared.config.timezone)
        .dt.strftime("%Y-%m-%d")
    )
    g = c.assign(day=day).groupby("day")[["offered", "answered", "abandoned"]].sum()
    return g.reset_index()


def nps_mix(prepared: Prepared, period: str | Period, by: str | None = None) -> pd.DataFrame:
    """Promoters, passives and detractors (counts and shares) of NPS answers in the period."""
    s = rows_in(prepared, "surveys", "answered_ts", period)
    if s.empty:
        return pd.DataFrame(columns=["group", "promoters", "passives", "detractors", "n"])
    s = s[s["is_nps"] == 1]
    key = s[by].fillna("(missing)") if by and by in s else pd.Series("all", index=s.index)
    g = (
        s.assign(group=key)
        .groupby("group")
        .agg(
            promoters=("promoter", "sum"), detractors=("detractor", "sum"), n=("promoter", "count")
        )
    )
    g["passives"] = g["n"] - g["promoters"] - g["detractors"]
    return g.reset_index()[["group", "promoters", "passives", "detractors", "n"]]


def score_counts(prepared: Prepared, period: str | Period, metric: str) -> pd.DataFrame:
    """How many answers gave each score, for one survey metric (csat, nps or ces)."""
    s = rows_in(prepared, "surveys", "answered_ts", period)
    col = {"csat": "csat", "nps": "nps_score", "ces": "ces"}[metric]
    if s.empty or col not in s:
        return pd.DataFrame(columns=["score", "answers"])
    counts = s[col].dropna().value_counts().sort_index()
    return pd.DataFrame({"score": counts.index.astype(float), "answers": counts.to_numpy()})


def erlang_table(prepared: Prepared, period: str | Period) -> pd.DataFrame:
    """Calls per hour-of-week slot and the agents Erlang C needs (see the registry)."""
    ctx = make_ctx(prepared, _period(prepared, period))
    c = rows_in(prepared, "calls", "arrived_ts", ctx.period)
    if c.empty or "handle_s" not in c:
        return pd.DataFrame(columns=["weekday", "hour", "calls_per_hour", "agents_required"])
    return _erlang_by_hour(c, ctx)


def cost_breakdown(prepared: Prepared, period: str | Period, by: str = "channel") -> pd.DataFrame:
    """Total cost of the period's months by ``by`` (channel, category or team)."""
    costs = prepared.tables.get("costs")
    if costs is None or by not in costs:
        return pd.DataFrame(columns=[by, "amount"])
    ctx = make_ctx(prepared, _period(prepared, period))
    df = costs if ctx.months is None else costs[costs["period_month"].isin(ctx.months)]
    g = df.assign(**{by: df[by].fillna("(not attributed)")}).groupby(by)["amount"].sum()
    out = g.reset_index()  # groups sorted by name: ties in amount keep that order
    return out.sort_values("amount", ascending=False, kind="stable").reset_index(drop=True)


def request_types_by_channel(prepared: Prepared, period: str | Period) -> pd.DataFrame:
    """Tickets created in the period: request type (rows) × channel (columns), counts."""
    t = rows_in(prepared, "tickets", "created_ts", period)
    if t.empty or "category" not in t:
        return pd.DataFrame()
    return pd.crosstab(t["category"].fillna("(missing)"), t["channel"].fillna("(missing)"))


def channel_switch_paths(prepared: Prepared, period: str | Period, top: int = 10) -> pd.DataFrame:
    """Most common channel switches (from → to) of tickets created in the period."""
    t = rows_in(prepared, "tickets", "created_ts", period)
    if t.empty or "switched" not in t:
        return pd.DataFrame(columns=["from", "to", "tickets", "share of switches"])
    sw = t[t["switched"] == 1]
    if sw.empty:
        return pd.DataFrame(columns=["from", "to", "tickets", "share of switches"])
    out = sw.groupby(["channel", "switch_to"]).size().reset_index()
    out.columns = ["from", "to", "tickets"]
    # most common first; ties by path (groupby sorted them by from, to)
    out = out.sort_values("tickets", ascending=False, kind="stable").head(top)
    out = out.reset_index(drop=True)
    out["share of switches"] = out["tickets"] / len(sw)
    return out


def comment_examples(
    prepared: Prepared, period: str | Period, per_band: int = 3, seed: int = 0
) -> pd.DataFrame:
    """A few comments of the period per score band (low, middle, high), reproducibly drawn.

    Bands: CSAT 1–2 / 3 / 4–5; NPS 0–6 / 7–8 / 9–10; CES by thirds of the scale with the
    configured direction. The text is returned as it is: display it escaped.
    """
    s = rows_in(prepared, "surveys", "answered_ts", period)
    if s.empty or "comment" not in s:
        return pd.DataFrame(columns=["band", "metric", "score", "comment"])
    s = s[s["comment"].notna() & (s["comment"].str.strip() != "")]
    ces = prepared.config.ces
    third = (ces.max - ces.min) / 3
    score = s["csat"].fillna(s["nps_score"]).fillna(s["ces"])
    band = pd.Series("middle", index=s.index)
    low = ((s["metric"] == "csat") & (score <= 2)) | ((s["metric"] == "nps") & (score <= 6))
    high = ((s["metric"] == "csat") & (score >= 4)) | ((s["metric"] == "nps") & (score >= 9))
    ces_low_bad = s["metric"] == "ces"
    if ces.lower_is_better:
        low |= ces_low_bad & (score >= ces.max - third)
        high |= ces_low_bad & (score <= ces.min + third)
    else:
        low |= ces_low_bad & (score <= ces.min + third)
        high |= ces_low_bad & (score >= ces.max - third)
    band[low] = "unhappy"
    band[high] = "happy"
    df = pd.DataFrame(
        {"band": band, "metric": s["metric"], "score": score, "comment": s["comment"]}
    )
    out = df.sample(frac=1.0, random_state=seed).groupby("band").head(per_band)
    order = {"unhappy": 0, "middle": 1, "happy": 2}
    # stable: within a band, the reproducible draw's order
    return out.sort_values("band", key=lambda b: b.map(order), kind="stable").reset_index(drop=True)


def peak_vs_regular(prepared: Prepared, period: str | Period = "all") -> pd.DataFrame:
    """AHT, service level, CSAT and tickets per day in peak periods against regular days."""
    from .kpis import compute

    kpis = ["aht_s", "service_level", "csat_score", "abandonment_rate", "frt_median_h"]
    df = compute(prepared, period, by=["is_peak"], kpis=kpis)
    df = df[df["available"]]
    wide = df.pivot_table(index="is_peak", columns="kpi", values="value")
    t = rows_in(prepared, "tickets", "created_ts", period)
    if not t.empty and "is_peak" in t:
        day = (
            pd.to_datetime(t["created_ts"], unit="s", utc=True)
            .dt.tz_convert(prepared.config.timezone)
            .dt.date
        )
        per_day = (
            t.assign(day=day)
            .groupby("is_peak")
            .agg(tickets=("day", "size"), days=("day", "nunique"))
        )
        wide["tickets_per_day"] = per_day["tickets"] / per_day["days"]
    return wide.reset_index().rename(columns={"is_peak": "period type"})
