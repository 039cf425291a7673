"""Patterns over the months: control charts (special-cause signals) and monotonic trends
(Kendall's tau), and the findings they give."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import i18n
from ..i18n import N_, _
from ..kpis import get
from ..periods import Period
from ..stats import laney_p_chart_limits, xmr_limits
from ..summary import format_value
from .model import ALPHA, Finding
from .wording import _g


def control_chart(trend: pd.DataFrame, kpi: str) -> pd.DataFrame:
    """Monthly control chart of one KPI: a p-chart for rates, XmR otherwise.

    Rates use Laney's p′-chart (a p-chart widened for the month-to-month variation that
    large samples always show); other KPIs an XmR chart. Signals: a point outside the
    limits (rule 1) or eight in a row on one side of the centre line (rule 2).

    Points outside the first limits are special causes, not the process: the centre line
    and the limits are computed again without them (revised limits), so that one spike
    neither widens the limits nor moves the centre line above every other month.
    """
    k = get(kpi)
    df = trend[(trend["kpi"] == kpi) & trend["available"].astype(bool)].sort_values("month")
    df = df[df["value"].notna()].reset_index(drop=True)
    if len(df) < 4:
        return pd.DataFrame(columns=["month", "value", "lcl", "centre", "ucl", "signal", "rule"])
    values = df["value"].to_numpy(float)
    n = df["n"].to_numpy(float)

    def limits(base: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        if k.kind == "rate":
            return laney_p_chart_limits(values * n, n, base)
        lo, centre, hi = xmr_limits(values[base])
        return np.full(len(df), lo), centre, np.full(len(df), hi)

    # Translators: the name of a control chart (Laney's p-prime chart)
    kind = N_("Laney p′-chart") if k.kind == "rate" else "XmR"
    lcl, centre, ucl = limits(np.ones(len(df), dtype=bool))
    outside = (values > ucl) | (values < lcl)
    if outside.any() and (~outside).sum() >= 4:  # revised limits without the special causes
        lcl, centre, ucl = limits(~outside)
    out = pd.DataFrame(
        {
            "month": df["month"],
            "value": values,
            "lcl": lcl,
            "centre": centre,
            "ucl": ucl,
            "chart": kind,
        }
    )
    out["signal"] = (out["value"] > out["ucl"]) | (out["value"] < out["lcl"])
    out["rule"] = np.where(out["signal"], "outside the limits", "")
    side = np.sign(values - centre)
    run = 1
    for i in range(1, len(side)):
        run = run + 1 if side[i] == side[i - 1] and side[i] != 0 else 1
        if run >= 8:
            out.loc[i - 7 : i, "rule"] = out.loc[i - 7 : i, "rule"].where(
                out.loc[i - 7 : i, "rule"] != "", "8 in a row on one side"
            )
            out.loc[i - 7 : i, "signal"] = True
    return out


def trend_test(trend: pd.DataFrame, kpi: str) -> tuple[float, float] | None:
    """Kendall's tau of a KPI against time over the months, and its p-value."""
    df = trend[(trend["kpi"] == kpi) & trend["available"].astype(bool)].dropna(subset=["value"])
    if len(df) < 6:
        return None
    from scipy import stats as sstats  # imported when used (0.5 s)

    res = sstats.kendalltau(np.arange(len(df)), df.sort_values("month")["value"].to_numpy())
    return float(res.statistic), float(res.pvalue)


def _signal_text(row, k, chart: str, cur: str) -> str:
    """The sentence of one control-chart signal (outside the limits, or a run)."""
    fmt = {
        "label": k.label,
        "value": format_value(row.value, k.unit, cur),
        "month": i18n.month(row.month),
        "chart": _(chart),
        "lcl": format_value(row.lcl, k.unit, cur),
        "ucl": format_value(row.ucl, k.unit, cur),
        "centre": format_value(row.centre, k.unit, cur),
    }
    above = row.value > row.centre
    if row.rule == "outside the limits" and above:
        # Translators: {chart} is the name of a control chart (Laney p′-chart, XmR); {lcl}
        # and {ucl} its lower and upper limits
        text_ = _(
            "{label} was {value} in {month}, above its {chart} limits ({lcl} – {ucl}; "
            "outside the limits): something changed, not just noise."
        )
    elif row.rule == "outside the limits":
        text_ = _(
            "{label} was {value} in {month}, below its {chart} limits ({lcl} – {ucl}; "
            "outside the limits): something changed, not just noise."
        )
    elif above:
        text_ = _(
            "{label} was {value} in {month}, inside its {chart} limits ({lcl} – {ucl}) but "
            "above its centre line ({centre}), in a run of eight or more months on that "
            "side: something changed, not just noise."
        )
    else:
        text_ = _(
            "{label} was {value} in {month}, inside its {chart} limits ({lcl} – {ucl}) but "
            "below its centre line ({centre}), in a run of eight or more months on that "
            "side: something changed, not just noise."
        )
    return text_.format(**fmt)


def pattern_findings(trend: pd.DataFrame, period: Period, cur: str) -> list[Finding]:
    """Special-cause signals in the reporting month and significant monthly trends."""
    out = []
    for kpi in sorted(trend["kpi"].unique()):
        out += _signal_findings(trend, kpi, cur)
        found = _trend_finding(trend, kpi, period)
        if found is not None:
            out.append(found)
    return out


def _signal_findings(trend: pd.DataFrame, kpi: str, cur: str) -> list[Finding]:
    """One finding per control-chart signal of ``kpi`` in the last three months."""
    k = get(kpi)
    chart = control_chart(trend, kpi)
    if chart.empty:
        return []
    out = []
    hits = chart[chart["signal"]]
    recent = hits[hits["month"] >= chart["month"].iloc[max(0, len(chart) - 3)]]
    for row in recent.itertuples():
        out.append(
            Finding(
                "pattern",
                # Translators: {label} is a KPI's name, {month} a month (YYYY-MM)
                _("Special-cause signal: {label} in {month}").format(
                    label=k.label, month=i18n.month(row.month)
                ),
                _signal_text(row, k, chart["chart"].iloc[0], cur),
                [
                    {
                        "kpi": kpi,
                        "month": row.month,
                        "value": row.value,
                        "lcl": row.lcl,
                        "centre": row.centre,
                        "ucl": row.ucl,
                        "chart": chart["chart"].iloc[0],
                        "rule": row.rule,
                    }
                ],
            )
        )
    return out


def _trend_finding(trend: pd.DataFrame, kpi: str, period: Period) -> Finding | None:
    """The finding of a significant monthly trend of ``kpi`` (None without one, or for a
    KPI without a better direction)."""
    k = get(kpi)
    tt = trend_test(trend, kpi)
    if not (tt and tt[1] < ALPHA and k.direction != "neutral"):
        return None
    rising = tt[0] > 0
    fmt = {
        "label": k.label,
        "period": i18n.period(period.label),
        "tau": i18n.number(tt[0], 2),
        "p": _g(tt[1]),
    }
    title = _("Rising trend: {label}") if rising else _("Falling trend: {label}")
    text_ = _trend_text(rising, rising == (k.direction == "higher"))
    months = int(trend[trend["kpi"] == kpi]["value"].notna().sum())
    evidence = [{"kpi": kpi, "tau": tt[0], "p_value": tt[1], "months": months}]
    return Finding("pattern", title.format(**fmt), text_.format(**fmt), evidence)


def _trend_text(rising: bool, good: bool) -> str:
    """The sentence of a trend (to format with ``label, period, tau, p``)."""
    if rising and good:
        # Translators: {tau} is Kendall's rank correlation, {p} its p-value
        return _(
            "{label} has been rising over the months to {period} "
            "(Kendall's τ = {tau}, p = {p}) — an improvement."
        )
    if rising:
        return _(
            "{label} has been rising over the months to {period} "
            "(Kendall's τ = {tau}, p = {p}) — a deterioration."
        )
    if good:
        return _(
            "{label} has been falling over the months to {period} "
            "(Kendall's τ = {tau}, p = {p}) — an improvement."
        )
    return _(
        "{label} has been falling over the months to {period} "
        "(Kendall's τ = {tau}, p = {p}) — a deterioration."
    )
