"""What repeats: request types and complaint categories that stay among the top ones,
and the unhappy-comment themes that come back month after month."""

from __future__ import annotations

import math

import pandas as pd

from .. import analysis, i18n, text
from ..i18n import _, ngettext
from ..periods import Period
from ..prepare import Prepared
from .model import Finding


def recurring(
    prepared: Prepared,
    period: Period,
    column: str,
    months: int = 6,
    top: int = 3,
    complaints_only: bool = False,
    min_share: float = 0.75,
) -> pd.DataFrame:
    """Values of ``column`` in the top ``top`` of tickets in most of the last ``months``."""
    t = prepared.tables.get("tickets")
    if t is None or column not in t:
        return pd.DataFrame(columns=[column, "months_in_top", "months", "mean_share"])
    if complaints_only and "is_complaint" not in t:  # no complaint flag: nothing to rank
        return pd.DataFrame(columns=[column, "months_in_top", "months", "mean_share"])
    df = t[t["is_complaint"] == 1] if complaints_only else t
    end = (period.end or pd.Timestamp(prepared.as_of)).tz_localize(None) - pd.Timedelta(days=1)
    last = end.to_period("M")
    window = {m.strftime("%Y-%m") for m in pd.period_range(last - (months - 1), last, freq="M")}
    df = df[df["created_month"].isin(window)]
    if df.empty:
        return pd.DataFrame(columns=[column, "months_in_top", "months", "mean_share"])
    counts = df.groupby(["created_month", column]).size().rename("k").reset_index()
    counts["share"] = counts["k"] / counts.groupby("created_month")["k"].transform("sum")
    counts["rank"] = counts.groupby("created_month")["k"].rank(ascending=False, method="min")
    n_months = counts["created_month"].nunique()
    g = counts.groupby(column).agg(
        months_in_top=("rank", lambda r: int((r <= top).sum())), mean_share=("share", "mean")
    )
    g["months"] = n_months
    g = g[g["months_in_top"] >= max(2, math.ceil(min_share * n_months))]
    g = g.reset_index()
    # ties broken by the category's name: the same input gives the same order
    order = ["months_in_top", "mean_share", column]
    return g.sort_values(order, ascending=[False, False, True], kind="stable").reset_index(
        drop=True
    )


def recurring_themes(
    prepared: Prepared, period: Period, months: int = 6, min_share: float = 0.5
) -> pd.DataFrame:
    """Unhappy-comment terms that are among the top terms in most of the last months."""
    end = (period.end or pd.Timestamp(prepared.as_of)).tz_localize(None) - pd.Timedelta(days=1)
    last = end.to_period("M")
    rows = []
    for m in pd.period_range(last - (months - 1), last, freq="M"):
        ex = analysis.comment_examples(prepared, m.strftime("%Y-%m"), per_band=1_000_000)
        if ex.empty:
            continue
        th = text.themes(ex[ex["band"] == "unhappy"], top=5, min_count=2)
        for r in th.itertuples():
            rows.append(
                {
                    "month": m.strftime("%Y-%m"),
                    "language": r.language,
                    "term": r.term,
                    "comments": r.comments,
                }
            )
    if not rows:
        return pd.DataFrame(columns=["language", "term", "months", "comments"])
    df = pd.DataFrame(rows)
    n_months = df["month"].nunique()
    g = (
        df.groupby(["language", "term"])
        .agg(months=("month", "nunique"), comments=("comments", "sum"))
        .reset_index()
    )
    g = g[g["months"] >= max(2, math.ceil(min_share * n_months))]
    order = ["months", "comments", "language", "term"]
    return g.sort_values(order, ascending=[False, False, True, True], kind="stable").reset_index(
        drop=True
    )


def repeat_findings(prepared: Prepared, period: Period) -> list[Finding]:
    """Request types, complaint categories and comment themes that stay at the top."""
    out = []
    for column, complaints in (("category", False), ("category", True)):
        rec = recurring(prepared, period, column, complaints_only=complaints)
        out += [_category_finding(r, column, complaints) for r in rec.head(3).itertuples()]
    th = recurring_themes(prepared, period)
    out += [_theme_finding(r) for r in th.head(3).itertuples()]
    return out


def _category_finding(r, column: str, complaints: bool) -> Finding:
    """The finding of one row of :func:`recurring` (a request type, or a complaint
    category with ``complaints``)."""
    fmt = {
        "value": getattr(r, column),
        "k": i18n.number(r.months_in_top),
        "n": i18n.number(r.months),
        "share": i18n.percent(r.mean_share, 0),
    }
    if complaints:
        # Translators: {value} is a complaint category from the data (Billing...)
        title = _("Recurring complaint category: {value}")
        text_ = ngettext(
            "“{value}” was among the top 3 complaint categories in {k} of the last "
            "{n} month, with {share} of complaints on average.",
            "“{value}” was among the top 3 complaint categories in {k} of the last "
            "{n} months, with {share} of complaints on average.",
            r.months,
        )
    else:
        # Translators: {value} is a request type from the data (Billing, Delivery...)
        title = _("Recurring request type: {value}")
        # Translators: {value} is a request type from the data; {k} of the last {n}
        # months; {share} a percentage
        text_ = ngettext(
            "“{value}” was among the top 3 request types in {k} of the last {n} "
            "month, with {share} of tickets on average.",
            "“{value}” was among the top 3 request types in {k} of the last {n} "
            "months, with {share} of tickets on average.",
            r.months,
        )
    evidence = {
        "column": column,
        "value": getattr(r, column),
        "complaints_only": complaints,
        "months_in_top": r.months_in_top,
        "months": r.months,
        "mean_share": r.mean_share,
    }
    return Finding("recurring", title.format(**fmt), text_.format(**fmt), [evidence])


def _theme_finding(r) -> Finding:
    """The finding of one row of :func:`recurring_themes`."""
    fmt = {
        "term": r.term,
        "language": i18n.language_name(r.language),
        "months": i18n.number(r.months),
        "n": i18n.number(r.comments),
    }
    return Finding(
        "recurring",
        # Translators: {term} is words from the comments (not translated), {language}
        # the name of their language
        _("Recurring complaint in comments: “{term}” ({language})").format(**fmt),
        ngettext(
            "Unhappy customers wrote “{term}” in {months} of the last months "
            "({n} comment in {language}).",
            "Unhappy customers wrote “{term}” in {months} of the last months "
            "({n} comments in {language}).",
            r.comments,
        ).format(**fmt),
        [
            {
                "theme": r.term,
                "language": r.language,
                "months": r.months,
                "comments": r.comments,
            }
        ],
    )
