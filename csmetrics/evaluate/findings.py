"""Where to improve and what the money buys: improvement areas (KPIs off target, ranked by
gap × volume, with their worst segments), cost against value (over the months and across
channels) and peak against regular periods."""

from __future__ import annotations

import math

import pandas as pd

from .. import analysis, i18n
from ..i18n import _, ngettext
from ..kpis import compute, direction, get
from ..periods import Period
from ..prepare import Prepared
from ..stats import mann_whitney, two_proportion_test
from ..summary import format_value
from .facts import _Facts, _group_records
from .model import ALPHA, Answer, Evidence, Finding
from .wording import _g, _lc, _segment, _signed_percent

SEGMENTS = ("channel", "team", "category")


def improvement_findings(f: _Facts, answers: list[Answer], cur: str) -> list[Finding]:
    """KPIs off target or on watch, ranked by gap × volume, with their worst segments."""
    out = []
    for score, gap, _a, ev in sorted(_gaps(answers), key=lambda r: (-r[0], r[3].kpi)):
        worst = _worst_segments(f, ev.kpi)
        text_ = _improvement_text(ev, gap, worst, cur)
        out.append(
            Finding(
                "improvement",
                # Translators: a heading; {label} is a KPI's name, e.g. "Improve service level"
                _("Improve {label}").format(label=_lc(ev.label)),
                text_ + ".",
                [
                    {
                        "kpi": ev.kpi,
                        "value": ev.value,
                        "target": ev.target,
                        "gap": gap,
                        "n": ev.n,
                        "score": score,
                        "group": ev.group,
                        "worst_segments": worst,
                    }
                ],
            )
        )
    return out


def _gaps(answers: list[Answer]) -> list[tuple[float, float, Answer, Evidence]]:
    """``(gap × n, gap, answer, evidence)`` of each answer off target or on watch: its
    largest relative gap to the target among the judged evidence."""
    rows = []
    for a in answers:
        if a.status not in ("off_target", "watch") or not a.evidence or a.evidence[0].group:
            continue
        # the judged evidence: the KPI itself, or its worst group when the question judges
        # every group (first response by channel); the largest gap decides
        judged = [
            ev
            for ev in a.evidence
            if ev.kpi == a.evidence[0].kpi
            and ev.target is not None
            and not math.isnan(ev.value)
            and ev.status in ("off_target", "watch")
        ]
        if not judged:
            continue
        gaps = [abs(ev.value - ev.target) / (abs(ev.target) or 1.0) for ev in judged]
        i = max(range(len(judged)), key=lambda i: gaps[i])
        rows.append((gaps[i] * judged[i].n, gaps[i], a, judged[i]))
    return rows


def _worst_segments(f: _Facts, kpi: str) -> list[dict]:
    """The worst channel, team and category of ``kpi`` (groups of at least 30)."""
    worst = []
    for seg in SEGMENTS:
        df = _group_records(f, kpi, seg)
        df = df[df["n"] >= 30]
        if df.empty:
            continue
        higher = direction(get(kpi), f.cfg) == "higher"
        w = df.loc[df["value"].idxmin() if higher else df["value"].idxmax()]
        worst.append(
            {
                "segment": seg,
                "value": str(w[seg]),
                "kpi_value": float(w["value"]),
                "n": float(w["n"]),
            }
        )
    return worst


def _improvement_text(ev: Evidence, gap: float, worst: list[dict], cur: str) -> str:
    """``First-contact resolution is 62.7% against 70.0% (10% off, 5,117 observations);
    worst channel: email (49.8%)`` (without the final full stop)."""
    # Translators: {gap} is the distance from the target as a percentage of the target
    text_ = ngettext(
        "{label} is {value} against {target} ({gap} off, {n} observation)",
        "{label} is {value} against {target} ({gap} off, {n} observations)",
        round(ev.n),
    ).format(
        label=(
            # Translators: a KPI for one group, e.g. "First response time, median for
            # email"; {group} is a value from the data
            _("{label} for {group}").format(label=ev.label, group=", ".join(ev.group.values()))
            if ev.group
            else ev.label
        ),
        value=format_value(ev.value, ev.unit, cur),
        target=format_value(ev.target, ev.unit, cur),
        gap=i18n.percent(gap, 0),
        n=i18n.number(ev.n),
    )
    for w in worst:
        # Translators: appended after "; " to a sentence about a KPI, e.g. "worst
        # channel: email (49.8%)"; {segment} is channel, team..., {group} from the data
        text_ += "; " + _("worst {segment}: {group} ({value})").format(
            segment=_segment(w["segment"]),
            group=w["value"],
            value=format_value(w["kpi_value"], ev.unit, cur),
        )
    return text_


def cost_value(
    prepared: Prepared, period: Period, months: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per channel: cost per contact and per resolution beside FCR, CSAT and NPS."""
    kpis = [
        "cost_per_contact",
        "cost_per_resolution",
        "fcr_rate",
        "csat_score",
        "nps",
        "tickets_created",
    ]
    df = compute(prepared, period, by=["channel"], kpis=kpis)
    df = df[df["available"] & df["channel"].notna() & (df["channel"] != "(missing)")]
    if df.empty:
        return pd.DataFrame(columns=["channel", *kpis])
    return df.pivot_table(index="channel", columns="kpi", values="value").reset_index()


def cost_value_findings(
    prepared: Prepared, period: Period, trend: pd.DataFrame, cur: str
) -> list[Finding]:
    """Is cost buying results? Over time (Spearman) and across channels."""
    found = [_cost_over_time(trend), _cost_by_channel(prepared, period, cur)]
    return [fd for fd in found if fd is not None]


def _spearman_pairs(wide: pd.DataFrame) -> list[tuple[str, float, float]]:
    """``(outcome, rho, p)`` of the cost per contact against FCR, CSAT and NPS over the
    months (an outcome with fewer than six months of both: left out)."""
    pairs = []
    for outcome in ("fcr_rate", "csat_score", "nps"):
        if outcome not in wide:
            continue
        both = wide[["cost_per_contact", outcome]].dropna()
        if len(both) >= 6:
            from scipy import stats as sstats  # imported when used (0.5 s)

            rho, p = sstats.spearmanr(both["cost_per_contact"], both[outcome])
            pairs.append((outcome, float(rho), float(p)))
    return pairs


def _spending_verdict(pairs: list[tuple[str, float, float]]) -> str:
    """Whether months that cost more per contact had better results (from the
    significant correlations)."""
    sig = [(o, r, p) for o, r, p in pairs if p < ALPHA]
    if sig and all(r > 0 for _o, r, _p in sig):
        return _(
            "Months that cost more per contact also had better results: spending is buying results."
        )
    if sig and all(r < 0 for _o, r, _p in sig):
        return _(
            "Months that cost more per contact had worse results: spending is not buying results."
        )
    return _(
        "Cost per contact and results move independently over the months: "
        "higher spending has not bought better results, and savings have "
        "not hurt them."
    )


def _cost_over_time(trend: pd.DataFrame) -> Finding | None:
    """Cost per contact against the results over the months (Spearman's rho)."""
    wide = trend.pivot_table(index="month", columns="kpi", values="value")
    if "cost_per_contact" not in wide:
        return None
    pairs = _spearman_pairs(wide)
    if not pairs:
        return None
    cpc = wide["cost_per_contact"].dropna()
    change = (cpc.iloc[-1] - cpc.iloc[0]) / cpc.iloc[0] if len(cpc) > 1 else math.nan
    details = "; ".join(
        f"{get(o).label}: ρ = {i18n.number(r, 2, signed=True)} (p = {_g(p)})" for o, r, p in pairs
    )
    return Finding(
        "cost_value",
        _("Is cost buying results? (over time)"),
        # Translators: {verdict} is one of the sentences above; {change} a signed
        # percentage; {correlations} e.g. "CSAT: ρ = +0.43 (p = 0.012); NPS: ..."
        ngettext(
            "{verdict} Cost per contact changed {change} over {n} month; "
            "correlation with {correlations}.",
            "{verdict} Cost per contact changed {change} over {n} months; "
            "correlation with {correlations}.",
            len(cpc),
        ).format(
            verdict=_spending_verdict(pairs),
            change=_signed_percent(change),
            n=i18n.number(len(cpc)),
            correlations=details,
        ),
        [
            {"kpi": "cost_per_contact", "outcome": o, "spearman_rho": r, "p_value": p}
            for o, r, p in pairs
        ],
    )


def _cost_by_channel(prepared: Prepared, period: Period, cur: str) -> Finding | None:
    """The most expensive channel per resolution against the median first-contact
    resolution of the channels (None with fewer than two channels)."""
    cv = cost_value(prepared, period)
    if cv.empty or not {"cost_per_resolution", "fcr_rate"} <= set(cv.columns):
        return None
    cv = cv.dropna(subset=["cost_per_resolution", "fcr_rate"])
    if len(cv) < 2:
        return None
    dear = cv.loc[cv["cost_per_resolution"].idxmax()]
    overall_fcr = float(cv["fcr_rate"].median())
    if dear["fcr_rate"] < overall_fcr:
        # Translators: ends the sentence "The most expensive channel ...: {verdict}"
        verdict = _("it costs more and achieves less.")
    elif dear["fcr_rate"] > overall_fcr:
        # Translators: ends the sentence "The most expensive channel ...: {verdict}"
        verdict = _("the extra cost comes with better first-contact resolution.")
    else:
        # Translators: ends the sentence "The most expensive channel ...: {verdict}"
        verdict = _("the extra cost buys no better first-contact resolution.")
    return Finding(
        "cost_value",
        _("Is cost buying results? (by channel)"),
        # Translators: {channel} is a channel from the data (phone, email...);
        # {verdict} one of the clauses above
        _(
            "The most expensive channel per resolution, {channel} ({cost}), solves "
            "{fcr} at first contact against a median of {median} across channels: "
            "{verdict}"
        ).format(
            channel=str(dear["channel"]),
            cost=format_value(dear["cost_per_resolution"], "currency", cur),
            fcr=i18n.percent(dear["fcr_rate"], 0),
            median=i18n.percent(overall_fcr, 0),
            verdict=verdict,
        ),
        [
            {
                "channel": str(dear["channel"]),
                "cost_per_resolution": float(dear["cost_per_resolution"]),
                "fcr_rate": float(dear["fcr_rate"]),
                "median_fcr": overall_fcr,
            }
        ],
    )


def peak_findings(prepared: Prepared, cur: str) -> list[Finding]:
    """Peak against regular periods (seed 002), with the significance of each difference."""
    if not prepared.config.peak_periods:
        return []
    table = analysis.peak_vs_regular(prepared, "all")
    if len(table) < 2:
        return []
    by = compute(prepared, "all", by=["is_peak"], kpis=["service_level", "aht_s", "csat_score"])
    parts, evidence = [], []
    for kpi in ("service_level", "aht_s", "csat_score"):
        rows = by[(by["kpi"] == kpi) & by["available"]].set_index("is_peak")
        if not {"peak", "regular"} <= set(rows.index):
            continue
        k = get(kpi)
        a, b = rows.loc["peak"], rows.loc["regular"]
        if k.kind == "rate":
            p = two_proportion_test(a.value * a.n, a.n, b.value * b.n, b.n)
        else:
            tables = prepared.tables[k.table]
            x = tables.loc[tables["is_peak"] == "peak", k.value].dropna()
            y = tables.loc[tables["is_peak"] == "regular", k.value].dropna()
            p = mann_whitney(x, y)
        fmt = {
            "label": _lc(k.label),
            "peak": format_value(a.value, k.unit, cur),
            "regular": format_value(b.value, k.unit, cur),
        }
        if p < ALPHA:
            # Translators: a KPI in peak periods against regular periods, e.g. "service
            # level 60.5% against 81.7% (significant)"; joined with "; "
            parts.append(_("{label} {peak} against {regular} (significant)").format(**fmt))
        else:
            parts.append(_("{label} {peak} against {regular} (not significant)").format(**fmt))
        evidence.append(
            {"kpi": kpi, "peak": float(a.value), "regular": float(b.value), "p_value": p}
        )
    if not parts:
        return []
    names = ", ".join(p.name for p in prepared.config.peak_periods)
    return [
        Finding(
            "peak",
            _("Peak against regular periods"),
            # Translators: {names} are the names of the peak periods from csmetrics.yaml;
            # {comparisons} the KPIs compared, joined with "; "
            _("In the peak periods ({names}): {comparisons}.").format(
                names=names, comparisons="; ".join(parts)
            ),
            evidence,
        )
    ]
