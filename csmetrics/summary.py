"""Headline numbers of a period: value, target, status, change against a comparison period.

These are the building blocks of each notebook's opening summary and of the report's
scorecard. Everything reads the KPI registry; nothing here defines a measure.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .kpis import compute, direction, get
from .periods import Period
from .prepare import Prepared

#: Relative distance from the target (on the wrong side) still called "watch".
WATCH_BAND = 0.10
STATUS_LABEL = {"on_target": "on target", "watch": "watch", "off_target": "off target",
                "no_data": "no data", "no_target": "no target"}  # fmt: skip


def status_for(value: float, target: float | None, better: str, band: float = WATCH_BAND) -> str:
    """Judge a value against its target.

    ``on_target`` when at least as good as the target; ``watch`` when worse by at most
    ``band`` of the target (relative; absolute ``band × 100`` points when the target is
    0); ``off_target`` beyond; ``no_data`` when the value is missing; ``no_target`` when
    no target is set or the KPI has no better direction.

    Examples
    --------
    >>> status_for(0.72, 0.7, "higher"), status_for(0.66, 0.7, "higher")
    ('on_target', 'watch')
    >>> status_for(5.0, 4.0, "lower"), status_for(float("nan"), 4.0, "lower")
    ('off_target', 'no_data')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no_data"
    if target is None or better == "neutral" or math.isnan(target):
        return "no_target"
    gap = (target - value) if better == "higher" else (value - target)
    if gap <= 0:
        return "on_target"
    scale = abs(target) if target else 100.0
    return "watch" if gap <= band * scale else "off_target"


def negligible(change: float, unit: str) -> bool:
    """A change too small to show at the report's precision (0.05 pp, or 0.005 units)."""
    return abs(change) < (0.0005 if unit == "share" else 0.005)


def change_is_better(change: float, better: str, unit: str = "") -> bool | None:
    """True if a change moves the KPI in its better direction (None if neutral or flat)."""
    if change is None or math.isnan(change) or better == "neutral" or negligible(change, unit):
        return None
    return (change > 0) == (better == "higher")


def format_value(value: float, unit: str, currency: str = "EUR") -> str:
    """A value with its unit, for people: ``61.8%``, ``4.2 h``, ``EUR 9.12``.

    Examples
    --------
    >>> format_value(0.618, "share"), format_value(4.25, "h"), format_value(9.1, "currency")
    ('61.8%', '4.25 h', 'EUR 9.10')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit == "share":
        return f"{value:.1%}"
    if unit == "currency":
        return f"{currency} {value:,.2f}"
    if unit in ("h", "s"):
        return f"{value:,.2f} {unit}" if abs(value) < 100 else f"{value:,.0f} {unit}"
    if unit in ("score", "points", "agents", "tickets/h"):
        return f"{value:,.2f}" if unit != "agents" else f"{value:,.1f}"
    return f"{value:,.0f}"


def format_change(change: float, unit: str) -> str:
    """A signed change: points for shares (``+2.1 pp``), units otherwise."""
    if change is None or math.isnan(change):
        return "–"
    if unit == "share":
        return f"{change * 100:+.1f} pp"
    if unit in ("h", "s"):
        return f"{change:+,.2f} {unit}"
    if unit == "currency":
        return f"{change:+,.2f}"
    if unit in ("score", "points", "agents", "tickets/h"):
        return f"{change:+,.2f}"
    return f"{change:+,.0f}"


def comparison_period(period: Period, comparison: str | None) -> Period | None:
    """The period to compare with: the one given, else the previous one (none for 'all')."""
    if comparison:
        return Period.parse(comparison, str(period.start.tz) if period.start is not None else "UTC")
    if period.kind == "all":
        return None
    return period.previous()


def headline(
    prepared: Prepared,
    period: str | Period,
    kpis: Sequence[str],
    comparison: str | None = None,
    backend: str = "pandas",
) -> pd.DataFrame:
    """One row per KPI: value, interval, n, target, status, and the change against the
    comparison period (default: the previous period).

    Returns
    -------
    DataFrame
        ``kpi, label, category, unit, better, value, ci_low, ci_high, n, low_sample,
        excluded, available, note, target, status, previous, change, change_better,
        period, compared_with``.
    """
    tz = prepared.config.timezone
    p = period if isinstance(period, Period) else Period.parse(period, tz)
    cur = compute(prepared, p, kpis=list(kpis), backend=backend)
    cur = cur[cur["kpi"] != "channel_share"] if "channel" in cur else cur
    cmp_p = comparison_period(p, comparison)
    prev = compute(prepared, cmp_p, kpis=list(kpis), backend=backend) if cmp_p is not None else None
    rows = []
    for rec in cur.to_dict(orient="records"):
        k = get(rec["kpi"])
        better = direction(k, prepared.config)
        target = prepared.config.targets.get(k.id)
        pv = math.nan
        if prev is not None:
            match = prev.loc[prev["kpi"] == k.id, "value"]
            pv = float(match.iloc[0]) if len(match) else math.nan
        value = float(rec["value"]) if rec["available"] else math.nan
        change = value - pv if not (math.isnan(value) or math.isnan(pv)) else math.nan
        rows.append({
            "kpi": k.id, "label": k.label, "category": k.category, "unit": k.unit,
            "better": better, "value": value, "ci_low": rec["ci_low"],
            "ci_high": rec["ci_high"], "n": rec["n"], "low_sample": rec["low_sample"],
            "excluded": rec["excluded"], "available": rec["available"], "note": rec["note"],
            "target": math.nan if target is None else float(target),
            "status": status_for(value, target, better) if rec["available"] else "no_data",
            "previous": pv, "change": change,
            "change_better": change_is_better(change, better, k.unit),
            "period": p.label, "compared_with": cmp_p.label if cmp_p else None,
        })  # fmt: skip
    return pd.DataFrame(rows)


def summary_markdown(df: pd.DataFrame, currency: str = "EUR") -> str:
    """Plain-language bullets for a headline frame, one sentence per KPI.

    Example sentence: "**First-contact resolution** was **61.8%** (target 70.0%: off
    target), down 2.1 pp from 63.9% in 2026-09 — worse."
    """
    lines = []
    for r in df.to_dict(orient="records"):
        label = html.escape(r["label"])
        if not r["available"]:
            why = html.escape(str(r["note"]).removeprefix("not available: "))
            lines.append(f"- **{label}**: not available ({why}).")
            continue
        if math.isnan(r["value"]):
            lines.append(f"- **{label}**: no observations in {html.escape(r['period'])}.")
            continue
        text = f"- **{label}** was **{format_value(r['value'], r['unit'], currency)}**"
        if not math.isnan(r["target"]):
            text += (
                f" (target {format_value(r['target'], r['unit'], currency)}: "
                f"{STATUS_LABEL[r['status']]})"
            )
        if r["compared_with"] and not math.isnan(r["previous"]):
            change = r["change"]
            if negligible(change, r["unit"]):
                text += f", unchanged from {r['compared_with']}"
            else:
                word = "up" if change > 0 else "down"
                verdict = {True: " — better", False: " — worse", None: ""}[r["change_better"]]
                text += (
                    f", {word} {format_change(abs(change), r['unit']).lstrip('+')} from "
                    f"{format_value(r['previous'], r['unit'], currency)} in "
                    f"{r['compared_with']}{verdict}"
                )
        if r["low_sample"]:
            text += f" (only {r['n']:,.0f} observations: read with care)"
        if r["excluded"]:
            text += f"; {r['excluded']:,} value(s) left out for data quality"
        lines.append(text + ".")
    return "\n".join(lines)


def monthly_trend(
    prepared: Prepared,
    kpis: Iterable[str],
    until: str | Period,
    months: int = 12,
    backend: str = "pandas",
) -> pd.DataFrame:
    """Each KPI by month over the ``months`` months ending with ``until``'s last month.

    Returns tidy records with a ``month`` column (``YYYY-MM``), sorted by KPI and month.
    """
    tz = prepared.config.timezone
    end = until if isinstance(until, Period) else Period.parse(until, tz)
    if end.end is None:
        last = pd.Timestamp(prepared.as_of).tz_convert(tz).tz_localize(None).to_period("M")
    else:
        last = (end.end.tz_localize(None) - pd.Timedelta(days=1)).to_period("M")
    first = last - (months - 1)
    start = first.start_time.tz_localize(tz)
    stop = (last + 1).start_time.tz_localize(tz)
    window = Period(f"{first}..{last}", "range", start, stop)
    df = compute(prepared, window, by=["month"], kpis=list(kpis), backend=backend)
    df = df[df["month"].notna()]
    wanted = {m.strftime("%Y-%m") for m in pd.period_range(first, last, freq="M")}
    df = df[df["month"].isin(wanted)]
    return df.sort_values(["kpi", "month"]).reset_index(drop=True)


def sparkline_svg(
    values: Sequence[float], width: int = 120, height: int = 28, better: str = "neutral"
) -> str:
    """A tiny inline SVG line of ``values`` (no script, works offline); last point marked."""
    vals = np.asarray([v for v in values], dtype=float)
    ok = ~np.isnan(vals)
    if ok.sum() < 2:
        return ""
    lo, hi = np.nanmin(vals), np.nanmax(vals)
    span = hi - lo or 1.0
    xs = np.linspace(2, width - 4, len(vals))
    ys = height - 3 - (vals - lo) / span * (height - 6)
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y, o in zip(xs, ys, ok, strict=True) if o)
    lx, ly = xs[ok][-1], ys[ok][-1]
    return (
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} '
        f'{height}" role="img" aria-label="trend over the last {len(vals)} months">'
        f'<polyline fill="none" stroke="#0072B2" stroke-width="1.5" points="{pts}"/>'
        f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="2.5" fill="#D55E00"/></svg>'
    )
