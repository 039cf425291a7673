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

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from . import ImportContext, Preset, Step, register
from ._monthly_read import (
    ALIASES,
    TABLE,
    decimals,
    find_roles,
    parse_month,
    parse_number,
    read_sheet,
)

__all__ = ["ALIASES", "KPI", "LARGE_GAP_PP", "TABLE", "convert", "parse_month"]

#: Percentage points beyond which a disagreement is also counted as large.
LARGE_GAP_PP = 0.15
#: Role → KPI id of the registry.
KPI = {
    "answered": "calls_answered",
    "offered": "calls_offered",
    "abandoned": "calls_abandoned",
    "asa": "asa_s",
    "rate": "abandonment_rate",
}
#: The measures, in the order their rows are read and written.
MEASURES = ("answered", "offered", "abandoned", "asa", "rate")


@dataclass
class _Run:
    """What the import gathers over every file.

    ``seen`` maps a month to where it was first read; ``checks`` lists the months whose
    published rate disagrees with the recomputed one; ``blanks`` the months each column
    is blank in; ``rows`` the ``monthly_metrics`` rows of every file.
    """

    seen: dict[str, str] = field(default_factory=dict)
    checks: list[dict] = field(default_factory=list)
    blanks: dict[str, list[str]] = field(default_factory=dict)
    rows: list[pd.DataFrame] = field(default_factory=list)


@dataclass
class _Sheet:
    """One file being converted: its cells, the columns of its roles and what is parsed.

    ``ok`` marks the lines with a readable month not imported before; ``values`` holds
    each measure (scaled: seconds, shares), empty outside ``ok``.
    """

    path: Path
    raw: pd.DataFrame
    lines: pd.Series
    roles: dict[str, str]
    scale: dict[str, float]
    period: pd.Series | None = None
    ok: pd.Series | None = None
    values: dict[str, pd.Series] = field(default_factory=dict)
    derived_offered: bool = False
    recomputed: pd.Series | None = None

    @property
    def src(self) -> pd.DataFrame:
        """What rejected lines show: the columns the import maps, and the file."""
        mapped = [c for c in self.raw.columns if c in self.roles.values()]
        return self.raw[mapped].assign(source_file=self.path.name)

    def value_rows(self, mask: pd.Series, role: str, metric: str) -> pd.DataFrame:
        """Rejected values of ``role``'s column, with their month and metric."""
        col = self.roles[role]
        return pd.DataFrame(
            {
                "source_file": self.path.name,
                "period": self.period[mask],
                "metric": metric,
                "column": col,
                "value": self.raw.loc[mask, col],
            }
        )


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
    run = _Run()
    for path in paths:
        raw, lines = read_sheet(path, ctx)
        sheet = _Sheet(path, raw, lines, *find_roles(list(raw.columns), path))
        ctx.note(TABLE, f"read {len(raw):,} monthly lines from {path.name}")
        if raw.empty:
            continue  # every line was rejected: nothing to map or check
        _report_columns(ctx, sheet)
        _read_periods(ctx, sheet, run.seen)
        for role in MEASURES:
            if role in sheet.roles:
                sheet.values[role] = _read_measure(ctx, sheet, role, run.blanks)
        _derive_offered(ctx, sheet)
        _reject_placeholder_rate(ctx, sheet)
        _check_rate(ctx, sheet, run.checks)
        run.rows += _metric_rows(sheet, run.checks)
    return {TABLE: _finish(ctx, run, paths)}, {}


def _report_columns(ctx: ImportContext, sheet: _Sheet) -> None:
    """Report the columns mapped, and those no KPI of the registry measures."""
    name = sheet.path.name
    for role, col in sheet.roles.items():
        target = "period" if role == "month" else f"{KPI[role]} (metric)"
        ctx.mapped(TABLE, f"{name}: {col}", target)
    for col in sheet.raw.columns:
        if col not in sheet.roles.values():
            ctx.note(
                TABLE, f"{name}: column {col!r} not imported: no KPI of the registry measures it"
            )


def _read_periods(ctx: ImportContext, sheet: _Sheet, seen: dict[str, str]) -> None:
    """The month of each line; unreadable months and months already imported rejected."""
    raw, lines, src, month = sheet.raw, sheet.lines, sheet.src, sheet.roles["month"]
    period = parse_month(raw[month])
    bad_month = period.isna()
    ctx.reject(
        TABLE,
        src[bad_month],
        f"unreadable month in {month!r} (expected e.g. 'Apr 2024' or '2024-04')",
        lines,
    )
    first_at = pd.Series(np.nan, index=raw.index, dtype=object)
    for i in period.dropna().index:
        if period[i] in seen:
            first_at[i] = seen[period[i]]
        else:
            seen[period[i]] = f"{sheet.path.name}, line {int(lines[i])}"
    for where in first_at.dropna().unique():
        ctx.reject(
            TABLE,
            src[first_at == where],
            f"month already imported from {where}: the later line is left out",
            lines,
        )
    sheet.period, sheet.ok = period, ~bad_month & ~first_at.notna()


def _read_measure(
    ctx: ImportContext, sheet: _Sheet, role: str, blanks: dict[str, list[str]]
) -> pd.Series:
    """The values of ``role`` (scaled); values not a number, negative or a rate above
    100 % are rejected (no row), blank cells are listed in ``blanks``."""
    col, ok = sheet.roles[role], sheet.ok
    v, bad = parse_number(sheet.raw[col])
    v = v * sheet.scale.get(role, 1.0) if role in ("asa", "rate") else v
    negative = v < 0
    too_big = (v > 1) if role == "rate" else pd.Series(False, index=v.index)
    for mask, why in (
        (bad, "not a number"),
        (negative, "negative"),
        (too_big, "a rate above 100 %"),
    ):
        mask = mask & ok
        if mask.any():
            frame = sheet.value_rows(mask, role, KPI[role])
            ctx.reject(TABLE, frame, f"{col!r} is {why}: no {KPI[role]} row", sheet.lines)
            v = v.mask(mask)
    blank = ok & sheet.raw[col].str.strip().eq("")
    if blank.any():
        blanks.setdefault(f"{sheet.path.name}: {col!r}", []).extend(sheet.period[blank])
    return v.where(ok)


def _derive_offered(ctx: ImportContext, sheet: _Sheet) -> None:
    """``calls_offered`` = inbound + abandoned when the file has no offered column."""
    values, roles = sheet.values, sheet.roles
    answered, abandoned = values.get("answered"), values.get("abandoned")
    if "offered" in values or answered is None or abandoned is None:
        return
    values["offered"] = answered + abandoned
    sheet.derived_offered = True
    ctx.derived(
        TABLE,
        f"calls_offered = {roles['answered']!r} + {roles['abandoned']!r} (inbound "
        "calls are the answered ones), months with both",
        int(values["offered"].notna().sum()),
    )


def _reject_placeholder_rate(ctx: ImportContext, sheet: _Sheet) -> None:
    """A published rate of 0 in a month whose abandoned count is blank: rejected."""
    rate, abandoned = sheet.values.get("rate"), sheet.values.get("abandoned")
    if rate is None or abandoned is None:
        return
    placeholder = sheet.ok & rate.eq(0) & abandoned.isna()
    if placeholder.any():
        roles = sheet.roles
        ctx.reject(
            TABLE,
            sheet.value_rows(placeholder, "rate", "abandonment_rate"),
            f"published {roles['rate']!r} is 0 while {roles['abandoned']!r} is blank: "
            "a placeholder, not a measured 0 % (the month has no abandonment_rate)",
            sheet.lines,
        )
        sheet.values["rate"] = rate.mask(placeholder)


def _check_rate(ctx: ImportContext, sheet: _Sheet, checks: list[dict]) -> None:
    """Recompute the rate as abandoned / offered; list the months whose published rate
    disagrees beyond its rounding in ``checks``, and note how many were checked."""
    values, raw, lines, ok = sheet.values, sheet.raw, sheet.lines, sheet.ok
    rate, abandoned, offered = values.get("rate"), values.get("abandoned"), values.get("offered")
    if rate is None or abandoned is None or offered is None:
        return
    recomputed = sheet.recomputed = abandoned / offered.where(offered > 0)
    rate_col = sheet.roles["rate"]
    # half a unit of the published figure's last decimal, in the figure's own unit
    tol = 0.5 * 10.0 ** (-decimals(raw[rate_col])) * sheet.scale["rate"] + 1e-9
    gap = (rate - recomputed).abs()
    off = ok & gap.gt(tol) & rate.notna() & recomputed.notna()
    answered = values.get("answered")
    per_inbound = abandoned / answered if answered is not None else None
    for i in off[off].index:
        alt = per_inbound is not None and abs(rate[i] - per_inbound[i]) <= tol[i]
        checks.append(
            {
                "file": sheet.path.name,
                "line": int(lines[i]),
                "period": sheet.period[i],
                "published": float(rate[i]),
                "published_text": raw.loc[i, rate_col].strip(),
                "recomputed": float(recomputed[i]),
                "gap_pp": float((rate[i] - recomputed[i]) * 100),
                "matches_abandoned_per_inbound": bool(alt),
            }
        )
    ctx.note(
        TABLE,
        f"{sheet.path.name}: published abandonment rate checked against abandoned / "
        f"(inbound + abandoned) in {int((ok & rate.notna() & recomputed.notna()).sum())}"
        f" months; {int(off.sum())} disagree beyond rounding (listed below)",
    )


def _metric_rows(sheet: _Sheet, checks: list[dict]) -> list[pd.DataFrame]:
    """The ``monthly_metrics`` rows of one file, a frame per measure."""
    values, lines, roles = sheet.values, sheet.lines, sheet.roles
    where = sheet.path.name + ", line " + lines.astype(str)
    out = []
    for role in MEASURES:
        if role not in values:
            continue
        v = values[role]
        keep = sheet.ok & v.notna()
        source = where.copy()
        if role == "offered" and sheet.derived_offered:
            source = source + f": derived, {roles['answered']} + {roles['abandoned']}"
        if role == "rate" and sheet.recomputed is not None:
            flagged = lines.isin([c["line"] for c in checks if c["file"] == sheet.path.name])
            note = "; published rate disagrees with abandoned / (inbound + abandoned) = " + (
                sheet.recomputed * 100
            ).round(2).map("{:.2f} %".format)
            source = source.where(~flagged, source + note)
        frame = {
            "period": sheet.period[keep],
            "metric": KPI[role],
            "value": v[keep].astype(float),
            "n": _weights(values, role, v)[keep].astype(float),
            "channel": np.nan,
            "source": source[keep],
        }
        out.append(pd.DataFrame(frame))
    return out


def _weights(values: dict[str, pd.Series], role: str, v: pd.Series) -> pd.Series:
    """``n`` of each row: the count itself, answered calls (ASA) or offered calls (rate)."""
    if role in ("answered", "offered", "abandoned"):
        return v
    other = values.get("answered") if role == "asa" else values.get("offered")
    return other if other is not None else pd.Series(np.nan, index=v.index)


def _finish(ctx: ImportContext, run: _Run, paths: list[Path]) -> pd.DataFrame:
    """The table of every file, by month and metric; notes on blanks, rate checks, totals.

    Raises
    ------
    DataError
        No month has a usable value.
    """
    for where, months in run.blanks.items():
        ctx.note(
            TABLE,
            f"{where} is blank in {len(months)} month(s), which get no row for it (not 0): "
            + ", ".join(sorted(months)),
        )
    if run.checks:
        _report_checks(ctx, run.checks)
    rows = run.rows
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
    return table


def _report_checks(ctx: ImportContext, checks: list[dict]) -> None:
    """One note listing the months whose published rate disagrees, by month."""
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
            "calls_offered of the month, and is named in the row's source): " + "; ".join(listing),
            len(checks),
        )
    )


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
