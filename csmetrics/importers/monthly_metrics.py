"""Preset ``monthly-metrics``: published monthly call-centre series → ``monthly_metrics``.

Made for the San Francisco Health Service System export "Call Center Metrics for the
Health Service System" (DataSF ``qz8r-q5ne``: ``Month, Inbound Calls, Average Speed of
Answer in Secs, Abandoned Calls, Call Abandonment Rate, In-person visits``) and files laid
out like it: one row per month, one column per measure. Headers are matched loosely (case,
punctuation and spacing ignored).

Mapping rules
-------------
``Month`` → ``period``
    ``Apr 2024``, ``April 2024``, ``2024-04`` or ``04/2024`` → ``2024-04``. A line whose
    month cannot be read, or whose month was already imported, is rejected.
``Inbound Calls`` (or ``Calls Answered``) → ``calls_answered``
    DataSF defines inbound calls as "ACD calls received by the agent group" and the
    abandonment rate as abandoned / (inbound + abandoned): inbound calls are the calls that
    reached an agent, i.e. answered, not offered. ``n`` = the value.
``Abandoned Calls`` → ``calls_abandoned`` (``n`` = the value).
``calls_offered`` (derived) = inbound + abandoned, for months with both; a ``Calls
    Offered`` column, when the file has one, is taken as is instead.
``Average Speed of Answer in Secs`` → ``asa_s``
    The unit is read from the header (``secs``/``s``/``seconds`` or ``min``/``minutes``,
    converted to seconds); a header without a unit is an error. ``n`` = answered calls.
``Call Abandonment Rate`` → ``abandonment_rate``
    The published figure, kept, as a share: percent / 100 (a header saying ``share`` or
    ``fraction`` is read as a share already). ``n`` = offered calls. A published 0 in a
    month whose abandoned count is blank is a placeholder, not a measured 0 %: rejected.
``source``
    ``<file name>, line <n>``; derived rows say how they were derived.
``channel``
    Empty: the series are the whole call centre's totals.

Check of the published rate
---------------------------
The rate is recomputed as abandoned / offered and compared with the published figure
within its rounding (half a unit of its last decimal, at least 0.05 percentage points).
The published value stays the ``abandonment_rate`` row: the registry has no id for a
second rate, and the recomputed one follows from the table itself
(``calls_abandoned / calls_offered`` of the same month). Each month that disagrees is listed
in the import report (published, recomputed, and whether the published figure matches
abandoned / inbound instead), and its ``abandonment_rate`` row's ``source`` names the
recomputed value. Over several months the KPI engine does not average the published,
rounded figures: ``abandonment_rate`` is then Σ ``calls_abandoned`` / Σ ``calls_offered``
of those months, when every one of them has both counts (see
:func:`csmetrics.kpis.engine.from_monthly`).

Columns without a registry KPI (e.g. ``In-person visits``) are not imported; the report
says so. Blank cells give no row (never a 0); the report lists the months per measure.

Reading the file
----------------
A file with a header and no data rows is an error ("no data rows"), as is a byte that
is not UTF-8 (the message names its line). Lines that do not fit the header, and lines
holding only delimiters (``,,,``), are rejected with their line; blank lines are counted
in a note. ``rejected/monthly_metrics.csv`` shows the mapped columns only.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from . import ImportContext, Preset, Step, register
from ._csvtext import read_records, reject_odd_records

TABLE = "monthly_metrics"
#: Percentage points beyond which a disagreement is also counted as large.
LARGE_GAP_PP = 0.15

#: Loose header names (see :func:`_norm`) by role.
ALIASES = {
    "month": ("month", "period", "month year"),
    "answered": ("inbound calls", "calls answered", "answered calls", "inbound"),
    "offered": ("calls offered", "offered calls", "offered"),
    "abandoned": ("abandoned calls", "calls abandoned", "abandoned"),
}
#: Role → KPI id of the registry.
KPI = {
    "answered": "calls_answered",
    "offered": "calls_offered",
    "abandoned": "calls_abandoned",
    "asa": "asa_s",
    "rate": "abandonment_rate",
}
_SECONDS = {"s", "sec", "secs", "second", "seconds"}
_MINUTES = {"min", "mins", "minute", "minutes"}
_MONTH_FORMATS = ("%b %Y", "%B %Y", "%Y-%m", "%m/%Y", "%Y/%m", "%b-%y", "%b %y")


def _norm(name: object) -> str:
    """``'Average Speed of Answer (Secs)'`` → ``'average speed of answer secs'``."""
    return " ".join(re.sub(r"[^0-9a-z%]+", " ", str(name).casefold()).split())


def _roles(columns: list[str], path: Path) -> tuple[dict[str, str], dict[str, float]]:
    """Find each role's column; return ``(roles, scale)`` (ASA to seconds, rate to share)."""
    roles: dict[str, str] = {}
    scale: dict[str, float] = {}
    for col in columns:
        n = _norm(col)
        words = set(n.split())
        hit = next((r for r, names in ALIASES.items() if n in names), None)
        if hit is None and (n.startswith("average speed of answer") or n.split()[:1] == ["asa"]):
            hit = "asa"
            if words & _SECONDS:
                scale["asa"] = 1.0
            elif words & _MINUTES:
                scale["asa"] = 60.0
            else:
                raise DataError(
                    "the header does not say the unit of the average speed of answer; "
                    "rename it e.g. 'Average Speed of Answer in Secs' or '... in Minutes'",
                    file=str(path),
                    column=col,
                )
        if hit is None and re.search(r"abandon(ment|ed)? rate|rate of abandon", n):
            hit = "rate"
            scale["rate"] = 1.0 if words & {"share", "fraction", "ratio"} else 0.01
        if hit is not None and hit not in roles:
            roles[hit] = col
    if "month" not in roles or not ({"answered", "offered"} & set(roles)):
        raise DataError(
            "not a monthly call-metrics file: it needs a Month column and an Inbound Calls "
            f"(or Calls Offered) column; the file has {', '.join(repr(c) for c in columns)}",
            file=str(path),
            column="Month" if "month" not in roles else "Inbound Calls",
        )
    return roles, scale


def parse_month(text: pd.Series) -> pd.Series:
    """Month labels → ``YYYY-MM`` (NaN when unreadable).

    Examples
    --------
    >>> parse_month(pd.Series(["Apr 2024", "2011-01", "13/2020"])).tolist()
    ['2024-04', '2011-01', nan]
    """
    t = text.fillna("").astype(str).str.strip()
    out = pd.Series(np.nan, index=t.index, dtype=object)
    for fmt in _MONTH_FORMATS:
        todo = out.isna() & (t != "")
        if not todo.any():
            break
        parsed = pd.to_datetime(t[todo], format=fmt, errors="coerce")
        out[parsed.dropna().index] = parsed.dropna().dt.strftime("%Y-%m")
    return out


def _number(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``(values, bad)``: numbers (blank → NaN) and a mask of non-blank unreadable cells."""
    t = text.fillna("").astype(str).str.strip().str.replace(",", "").str.rstrip("%").str.strip()
    values = pd.to_numeric(t, errors="coerce")
    return values, values.isna() & (t != "")


def _decimals(text: pd.Series) -> pd.Series:
    """Decimals written in each published figure (at least 1: ``5`` is read as ``5.0``)."""
    frac = text.fillna("").astype(str).str.strip().str.extract(r"\.(\d+)")[0]
    return frac.str.len().fillna(0).clip(lower=1)


def _read(path: Path, ctx: ImportContext) -> tuple[pd.DataFrame, pd.Series]:
    """The file as text cells, and the line each record starts on.

    Records that do not fit the header, and records holding only delimiters (``,,,``),
    are rejected with their line; blank lines are skipped and counted.

    Raises
    ------
    DataError
        An empty or unreadable file (its line named), or a header without data rows.
    """
    rec = read_records(path, delimiter=",")
    reject_odd_records(ctx, TABLE, path, rec, "line")
    if not rec.rows and not rec.ragged and not rec.empty:
        raise DataError(
            f"no data rows: the file has only its header line ({', '.join(rec.header)})",
            file=str(path),
        )
    df = pd.DataFrame(rec.rows, columns=rec.header, dtype=object)
    return df, pd.Series(rec.lines, index=df.index, dtype=int)


def convert(paths: list[Path], ctx: ImportContext) -> tuple[dict[str, pd.DataFrame], dict]:
    """Convert monthly call-metric files into ``monthly_metrics`` rows (one per month × KPI).

    Parameters
    ----------
    paths : list of Path
        CSV files with one row per month; a month found in an earlier line or file makes
        the later line rejected.
    ctx : ImportContext
        Receives every mapping, derivation, rejection and the rate check.

    Returns
    -------
    frames : dict
        ``{"monthly_metrics": DataFrame}`` with period, metric, value, n, channel, source.
    config : dict
        Empty: the defaults apply (monthly figures need no time zone or calendar).

    Raises
    ------
    DataError
        A file without a Month column and an Inbound Calls (or Calls Offered) column, or
        with an average speed of answer whose unit the header does not give.
    """
    rows: list[pd.DataFrame] = []
    seen: dict[str, str] = {}  # month → where it was first read
    checks: list[dict] = []
    blanks: dict[str, list[str]] = {}
    for path in paths:
        raw, lines = _read(path, ctx)
        roles, scale = _roles(list(raw.columns), path)
        # rejected lines show the columns the import maps, not the others
        src = raw[[c for c in raw.columns if c in roles.values()]].assign(source_file=path.name)
        ctx.note(TABLE, f"read {len(raw):,} monthly lines from {path.name}")
        if raw.empty:
            continue  # every line was rejected: nothing to map or check
        for role, col in roles.items():
            target = "period" if role == "month" else f"{KPI[role]} (metric)"
            ctx.mapped(TABLE, f"{path.name}: {col}", target)
        for col in raw.columns:
            if col not in roles.values():
                ctx.note(
                    TABLE,
                    f"{path.name}: column {col!r} not imported: no KPI of the registry measures it",
                )
        period = parse_month(raw[roles["month"]])
        bad_month = period.isna()
        ctx.reject(
            TABLE,
            src[bad_month],
            f"unreadable month in {roles['month']!r} (expected e.g. 'Apr 2024' or '2024-04')",
            lines,
        )
        first_at = pd.Series(np.nan, index=raw.index, dtype=object)
        for i in period.dropna().index:
            if period[i] in seen:
                first_at[i] = seen[period[i]]
            else:
                seen[period[i]] = f"{path.name}, line {int(lines[i])}"
        dup = first_at.notna()
        for where in first_at.dropna().unique():
            ctx.reject(
                TABLE,
                src[first_at == where],
                f"month already imported from {where}: the later line is left out",
                lines,
            )
        ok = ~bad_month & ~dup
        values: dict[str, pd.Series] = {}
        for role in ("answered", "offered", "abandoned", "asa", "rate"):
            if role not in roles:
                continue
            col = roles[role]
            v, bad = _number(raw[col])
            v = v * scale.get(role, 1.0) if role in ("asa", "rate") else v
            negative = v < 0
            too_big = (v > 1) if role == "rate" else pd.Series(False, index=v.index)
            for mask, why in (
                (bad, "not a number"),
                (negative, "negative"),
                (too_big, "a rate above 100 %"),
            ):
                mask = mask & ok
                if mask.any():
                    frame = pd.DataFrame(
                        {
                            "source_file": path.name,
                            "period": period[mask],
                            "metric": KPI[role],
                            "column": col,
                            "value": raw.loc[mask, col],
                        }
                    )
                    ctx.reject(TABLE, frame, f"{col!r} is {why}: no {KPI[role]} row", lines)
                    v = v.mask(mask)
            blank = ok & raw[col].str.strip().eq("")
            if blank.any():
                blanks.setdefault(f"{path.name}: {col!r}", []).extend(period[blank])
            values[role] = v.where(ok)
        answered = values.get("answered")
        abandoned = values.get("abandoned")
        if "offered" not in values and answered is not None and abandoned is not None:
            values["offered"] = answered + abandoned
            derived_offered = True
            ctx.derived(
                TABLE,
                f"calls_offered = {roles['answered']!r} + {roles['abandoned']!r} (inbound "
                "calls are the answered ones), months with both",
                int(values["offered"].notna().sum()),
            )
        else:
            derived_offered = False
        rate = values.get("rate")
        if rate is not None and abandoned is not None:
            placeholder = ok & rate.eq(0) & abandoned.isna()
            if placeholder.any():
                frame = pd.DataFrame(
                    {
                        "source_file": path.name,
                        "period": period[placeholder],
                        "metric": "abandonment_rate",
                        "column": roles["rate"],
                        "value": raw.loc[placeholder, roles["rate"]],
                    }
                )
                ctx.reject(
                    TABLE,
                    frame,
                    f"published {roles['rate']!r} is 0 while {roles['abandoned']!r} is blank: "
                    "a placeholder, not a measured 0 % (the month has no abandonment_rate)",
                    lines,
                )
                values["rate"] = rate = rate.mask(placeholder)
        offered = values.get("offered")
        recomputed = None
        if rate is not None and abandoned is not None and offered is not None:
            recomputed = abandoned / offered.where(offered > 0)
            # half a unit of the published figure's last decimal, in the figure's own unit
            tol = 0.5 * 10.0 ** (-_decimals(raw[roles["rate"]])) * scale["rate"] + 1e-9
            gap = (rate - recomputed).abs()
            off = ok & gap.gt(tol) & rate.notna() & recomputed.notna()
            per_inbound = abandoned / answered if answered is not None else None
            for i in off[off].index:
                alt = per_inbound is not None and abs(rate[i] - per_inbound[i]) <= tol[i]
                checks.append(
                    {
                        "file": path.name,
                        "line": int(lines[i]),
                        "period": period[i],
                        "published": float(rate[i]),
                        "published_text": raw.loc[i, roles["rate"]].strip(),
                        "recomputed": float(recomputed[i]),
                        "gap_pp": float((rate[i] - recomputed[i]) * 100),
                        "matches_abandoned_per_inbound": bool(alt),
                    }
                )
            ctx.note(
                TABLE,
                f"{path.name}: published abandonment rate checked against abandoned / "
                f"(inbound + abandoned) in {int((ok & rate.notna() & recomputed.notna()).sum())}"
                f" months; {int(off.sum())} disagree beyond rounding (listed below)",
            )
        where = path.name + ", line " + lines.astype(str)
        for role in ("answered", "offered", "abandoned", "asa", "rate"):
            if role not in values:
                continue
            v = values[role]
            keep = ok & v.notna()
            if role in ("answered", "offered", "abandoned"):
                n = v
            elif role == "asa":
                n = answered if answered is not None else pd.Series(np.nan, index=v.index)
            else:
                n = offered if offered is not None else pd.Series(np.nan, index=v.index)
            source = where.copy()
            if role == "offered" and derived_offered:
                source = source + f": derived, {roles['answered']} + {roles['abandoned']}"
            if role == "rate" and recomputed is not None:
                flagged = lines.isin([c["line"] for c in checks if c["file"] == path.name])
                note = "; published rate disagrees with abandoned / (inbound + abandoned) = " + (
                    recomputed * 100
                ).round(2).map("{:.2f} %".format)
                source = source.where(~flagged, source + note)
            rows.append(
                pd.DataFrame(
                    {
                        "period": period[keep],
                        "metric": KPI[role],
                        "value": v[keep].astype(float),
                        "n": n[keep].astype(float),
                        "channel": np.nan,
                        "source": source[keep],
                    }
                )
            )
    for where, months in blanks.items():
        ctx.note(
            TABLE,
            f"{where} is blank in {len(months)} month(s), which get no row for it (not 0): "
            + ", ".join(sorted(months)),
        )
    if checks:
        large = [c for c in checks if abs(c["gap_pp"]) > LARGE_GAP_PP]
        listing = [
            f"{c['period']} published {c['published_text']} vs recomputed "
            f"{c['recomputed'] * 100:.2f} % ({c['gap_pp']:+.2f} pp"
            + (", = abandoned / inbound" if c["matches_abandoned_per_inbound"] else "")
            + ")"
            for c in sorted(checks, key=lambda c: c["period"])
        ]
        ctx.steps.append(
            Step(
                "note",
                TABLE,
                "published abandonment_rate kept; it disagrees beyond rounding with abandoned / "
                f"(inbound + abandoned) in {len(checks)} months, {len(large)} of them by more "
                f"than {LARGE_GAP_PP} pp (the recomputed rate is calls_abandoned / "
                "calls_offered of the month, and is named in the row's source): "
                + "; ".join(listing),
                len(checks),
            )
        )
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["period"])
    if table.empty:
        raise DataError("no month with a usable value", file=", ".join(str(p) for p in paths))
    table = table.sort_values(["period", "metric"], kind="stable").reset_index(drop=True)
    counts = table["metric"].value_counts()
    ctx.note(
        TABLE,
        f"{table['period'].nunique()} months ({table['period'].min()} … "
        f"{table['period'].max()}); rows per metric: "
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
    )
    return {TABLE: table}, {}


register(
    Preset(
        name="monthly-metrics",
        description="published monthly call-centre KPIs (e.g. SF Health Service System, "
        "DataSF qz8r-q5ne) → monthly_metrics",
        sources="CSV(s), one row per month: Month, Inbound Calls, Average Speed of Answer in "
        "Secs, Abandoned Calls, Call Abandonment Rate",
        convert=convert,
    )
)
