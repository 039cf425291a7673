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

from . import i18n
from .checklist import TARGET_SOURCES, targets_in_force
from .display import format_value  # the one formatter, re-exported here
from .i18n import N_, _, ngettext
from .kpis import compute, direction, get
from .markup import Prose
from .periods import Period, in_zone
from .prepare import Prepared

#: Relative distance from the target (on the wrong side) still called "watch".
WATCH_BAND = 0.10
#: Status words (English messages; show them with ``_(STATUS_LABEL[status])``).
STATUS_LABEL = {"on_target": N_("on target"), "watch": N_("watch"),
                "off_target": N_("off target"), "no_data": N_("no data"),
                "no_target": N_("no target")}  # fmt: skip


def status_label(status: str) -> str:
    """The status word in the report's language (``on target``, ``na meta``...)."""
    return _(STATUS_LABEL[status])


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


def format_change(change: float, unit: str, currency: str | None = None) -> str:
    """A signed change: points for shares (``+2.1 pp``), units otherwise
    (:func:`csmetrics.display.format_value` with ``change=True``).

    Examples
    --------
    >>> format_change(0.021, "share"), format_change(-1.5, "h"), format_change(3, "tickets")
    ('+2.1 pp', '-1.50 h', '+3')
    >>> format_change(1398.88, "currency", "EUR")
    '+€1,398.88'
    """
    return format_value(change, unit, currency, change=True)


def target_text(
    target: float | None, unit: str, source: str | None = None, currency: str = "EUR"
) -> str:
    """A target for people, naming its source unless it is configured: ``24.00 h
    (benchmark)``, ``70.0%``; empty without a target.

    Examples
    --------
    >>> target_text(24.0, "h", "benchmark"), target_text(0.7, "share", "configured")
    ('24.00 h (benchmark)', '70.0%')
    >>> target_text(float("nan"), "h")
    ''
    """
    if target is None or (isinstance(target, float) and math.isnan(target)):
        return ""
    text = format_value(target, unit, currency)
    if source and source != "configured":
        text += f" ({_(TARGET_SOURCES[source])})"
    return text


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
    backend: str | None = None,
) -> pd.DataFrame:
    """One row per KPI: value, interval, n, target, status, and the change against the
    comparison period (default: the previous period).

    Targets are those the evaluation judges against
    (:func:`csmetrics.checklist.targets_in_force`: configured, else the checklist's), with
    their source in ``target_source``. A comparison period without observations of a KPI
    (no rows: a count of nothing) gives no previous value, hence no change.

    Returns
    -------
    DataFrame
        ``kpi, label, category, unit, better, value, ci_low, ci_high, n, low_sample,
        excluded, available, note, target, target_source, status, previous, change,
        change_better, period, compared_with``.
    """
    targets = targets_in_force(prepared.config)
    tz = prepared.config.timezone
    p = in_zone(period, tz)
    cur = compute(prepared, p, kpis=list(kpis), backend=backend)
    cur = cur[cur["kpi"] != "channel_share"] if "channel" in cur else cur
    cmp_p = comparison_period(p, comparison)
    prev = compute(prepared, cmp_p, kpis=list(kpis), backend=backend) if cmp_p is not None else None
    rows = []
    for rec in cur.to_dict(orient="records"):
        k = get(rec["kpi"])
        better = direction(k, prepared.config)
        found = targets.get(k.id)
        target = None if found is None else found.value
        pv = math.nan
        if prev is not None:
            match = prev[(prev["kpi"] == k.id) & prev["available"].astype(bool)]
            # nothing observed in the comparison period: no previous value, no change
            if len(match) and match["n"].iloc[0] and not pd.isna(match["n"].iloc[0]):
                pv = float(match["value"].iloc[0])
        value = float(rec["value"]) if rec["available"] else math.nan
        observed = bool(rec["n"]) and not pd.isna(rec["n"])  # an empty period: no change
        change = value - pv if observed and not (math.isnan(value) or math.isnan(pv)) else math.nan
        rows.append({
            "kpi": k.id, "label": k.label, "category": k.category, "unit": k.unit,
            "better": better, "value": value, "ci_low": rec["ci_low"],
            "ci_high": rec["ci_high"], "n": rec["n"], "low_sample": rec["low_sample"],
            "excluded": rec["excluded"], "available": rec["available"], "note": rec["note"],
            "target": math.nan if target is None else float(target),
            "target_source": None if found is None else found.source,
            "status": status_for(value, target, better) if rec["available"] else "no_data",
            "previous": pv, "change": change,
            "change_better": change_is_better(change, better, k.unit),
            "period": p.label, "compared_with": cmp_p.label if cmp_p else None,
        })  # fmt: skip
    return pd.DataFrame(rows)


def summary_prose(df: pd.DataFrame, currency: str = "EUR") -> Prose:
    """Plain-language bullets for a headline frame, one sentence per KPI, in the report's
    language; labels, notes and periods go in as text, never as Markdown.

    Example sentence: "**First-contact resolution** was **61.8%** (target 70.0%: off
    target), down 2.1 pp from 63.9% in September 2026 — worse."
    """
    out = Prose()
    not_available = _("not available: {why}").format(why="")
    for r in df.to_dict(orient="records"):
        label = r["label"]
        if not r["available"]:
            why = str(r["note"]).removeprefix(not_available)
            out.add(_("- **{label}**: not available ({why})."), label=label, why=why)
            continue
        if math.isnan(r["value"]):
            out.add(
                _("- **{label}**: no observations in {period}."),
                label=label,
                period=i18n.period(r["period"]),
            )
            continue
        fmt = {
            "label": label,
            "value": format_value(r["value"], r["unit"], currency),
            "target": target_text(r["target"], r["unit"], r.get("target_source"), currency),
            "status": status_label(r["status"]),
            "previous": format_value(r["previous"], r["unit"], currency),
            "change": format_change(abs(r["change"]), r["unit"]).lstrip("+"),
            "period": i18n.period(r["compared_with"]) if r["compared_with"] else "",
            "n": i18n.number(r["n"]),
            "excluded": i18n.number(r["excluded"]),
        }
        # the sentence is the project's Markdown; the values go in as text
        line = _("- **{label}** was **{value}**")
        if not math.isnan(r["target"]):
            line += _(" (target {target}: {status})")
        if r["compared_with"] and not math.isnan(r["change"]):
            change = r["change"]
            if negligible(change, r["unit"]):
                line += _(", unchanged from {period}")
            else:
                line += (
                    _(", up {change} from {previous} in {period}")
                    if change > 0
                    else _(", down {change} from {previous} in {period}")
                )
                line += {True: _(" — better"), False: _(" — worse"), None: ""}[r["change_better"]]
        if r["low_sample"]:
            line += _(" (only {n} observations: read with care)")
        if r["excluded"]:
            line += ngettext(
                "; {excluded} value left out for data quality",
                "; {excluded} values left out for data quality",
                r["excluded"],
            )
        out.add(line + ".", **fmt)
    return out


def monthly_trend(
    prepared: Prepared,
    kpis: Iterable[str],
    until: str | Period,
    months: int = 12,
    backend: str | None = None,
) -> pd.DataFrame:
    """Each KPI by month over the ``months`` months ending with ``until``'s last month,
    every month measured as a period of its own, as of its own end
    (:func:`csmetrics.analysis.monthly_series`): the last point is the value shown and
    the change is the difference of the last two points.

    Returns tidy records with a ``month`` column (``YYYY-MM``), sorted by KPI and month.
    """
    from .analysis import monthly_series

    return monthly_series(prepared, kpis, until, months, backend=backend)


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
    label = html.escape(_("trend over the last {n} months").format(n=len(vals)), quote=True)
    return (
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} '
        f'{height}" role="img" aria-label="{label}">'
        f'<polyline fill="none" stroke="#0072B2" stroke-width="1.5" points="{pts}"/>'
        f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="2.5" fill="#D55E00"/></svg>'
    )
