"""Preset ``pwc-callcenter``: the "01 Call-Center-Dataset" Excel call log (PwC / Forage).

The workbook of the PwC Switzerland "Power BI" virtual case experience (fictional
company "PhoneNow", Q1 2021): one row per call with the agent, date and time, topic,
answered and resolved flags (Y/N), speed of answer in seconds, talk time stored as an
Excel time of day, and a 1-5 satisfaction rating. The data are very likely synthetic
and carry no licence; use them for testing. The mapping rules are below.

Mapping rules
-------------
- ``call_id`` = ``Call Id``; a repeated id is rejected (``rejected/calls.csv``).
- ``arrived_at`` = ``Date`` (text ``YYYY-MM-DD`` or an Excel date) + ``Time`` (Excel
  time of day), read as UTC: the file has no time zone, so hours are the file's own.
- ``outcome`` = ``Answered (Y/N)``: Y → answered, N → abandoned; other values are
  rejected.
- ``wait_s`` = ``Speed of answer in seconds`` for answered calls; abandoned calls have
  none (blank in the source), so their wait is unknown, not 0, and the service level
  counts answered calls only. ``answered_at`` = ``arrived_at`` + ``wait_s``.
- ``talk_s`` = ``AvgTalkDuration`` (an Excel time of day such as ``0:02:23``) in
  seconds.
- ``resolved`` = ``Resolved`` (Y/N); ``agent_id`` = ``Agent`` (given for abandoned
  calls too: the agent the call was routed to); ``queue`` = ``Topic``.
- ``surveys``: one CSAT survey per call with a ``Satisfaction rating`` (1-5):
  ``survey_id`` = ``<Call Id>-csat``, ``metric`` csat, ``score`` = the rating,
  ``sent_at`` = ``answered_at`` = the call's ``arrived_at``, ``channel`` phone and
  ``call_id`` (extra column) linking to the call.
- Speed, talk time or rating present on an abandoned call, or unreadable, are
  set empty and counted as repaired; rows with an unreadable date or time are rejected.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from . import ImportContext, Preset, register
from .values import MAX_DURATION_S

#: Canonical role -> the column of the workbook.
COLUMNS = {
    "call_id": "Call Id",
    "agent": "Agent",
    "date": "Date",
    "time": "Time",
    "topic": "Topic",
    "answered": "Answered (Y/N)",
    "resolved": "Resolved",
    "speed": "Speed of answer in seconds",
    "talk": "AvgTalkDuration",
    "rating": "Satisfaction rating",
}
REQUIRED = ("call_id", "date", "time", "answered")
YES_NO = {"Y": True, "YES": True, "N": False, "NO": False}
TIMEZONE = "UTC"
TABLE = "calls"
#: Calls arrive every day of the week between 09:00 and 18:00 in the file.
BUSINESS_HOURS = {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def _read(path: Path) -> pd.DataFrame:
    """The first sheet's columns by role, with ``line`` (the Excel row) and ``file``.

    Raises
    ------
    DataError
        Not a readable workbook, or a required column missing.
    """
    try:
        df = pd.read_excel(path, sheet_name=0, dtype=object)
    except Exception as exc:  # openpyxl, zipfile and xlrd raise their own types
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"not a readable Excel workbook: {first}", file=str(path)) from None
    df.columns = [str(c).strip() for c in df.columns]
    lookup = {c.lower(): c for c in df.columns}
    missing = [COLUMNS[k] for k in REQUIRED if COLUMNS[k].lower() not in lookup]
    if missing:
        raise DataError(
            f"not the PwC call-centre workbook: missing column(s) {', '.join(map(repr, missing))}"
            f"; the first sheet has {', '.join(repr(c) for c in df.columns[:15])}",
            file=str(path),
        )
    out = pd.DataFrame(index=df.index)
    for role, name in COLUMNS.items():
        if name.lower() in lookup:
            out[role] = df[lookup[name.lower()]]
    out["line"] = df.index.to_numpy() + 2  # Excel row: the header is row 1
    out["file"] = path.name
    return out


def _blank(values: pd.Series) -> pd.Series:
    """Cells with no value (missing, blank, or ``nan``/``NaT``/``None`` as text)."""
    return values.isna() | values.astype(str).str.strip().isin(["", "nan", "NaT", "None"])


def _seconds_of_day(values: pd.Series) -> pd.Series:
    """Excel times of day (``datetime.time``, ``h:mm:ss`` text, day fractions) → seconds."""

    def one(v: object) -> float:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return np.nan
        if isinstance(v, dt.datetime):
            return v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
        if isinstance(v, dt.time):
            return v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
        if isinstance(v, dt.timedelta | pd.Timedelta):
            return pd.Timedelta(v).total_seconds()
        if isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool):
            return float(v) * 86400 if 0 <= float(v) < 1 else np.nan
        text = str(v).strip()
        parts = text.split(":")
        if len(parts) in (2, 3) and all(p.strip().replace(".", "", 1).isdigit() for p in parts):
            nums = [float(p) for p in parts] + [0.0] * (3 - len(parts))
            if nums[1] < 60 and nums[2] < 60:
                return nums[0] * 3600 + nums[1] * 60 + nums[2]
        return np.nan

    return values.map(one).astype(float)


def _dates(values: pd.Series) -> pd.Series:
    """Excel dates or ``YYYY-MM-DD`` text → midnight timestamps (NaT when unreadable)."""

    def one(v: object) -> pd.Timestamp:
        if isinstance(v, dt.datetime | dt.date):
            return pd.Timestamp(v).normalize()
        try:
            return pd.Timestamp(dt.date.fromisoformat(str(v).strip()[:10]))
        except ValueError:
            return pd.NaT

    return pd.to_datetime(values.map(one), errors="coerce")


def _numbers(values: pd.Series) -> pd.Series:
    """Numbers (NaN when blank or unreadable)."""
    return pd.to_numeric(values.where(~_blank(values)), errors="coerce")


def _flags(values: pd.Series) -> pd.Series:
    """``Y``/``YES`` → True, ``N``/``NO`` → False (any case), others NaN."""
    return values.astype(str).str.strip().str.upper().map(YES_NO)


def convert(paths: list[Path], ctx: ImportContext) -> tuple[dict[str, pd.DataFrame], dict]:
    """Convert the PwC call-centre workbook into ``calls`` and ``surveys``.

    Parameters
    ----------
    paths : list of Path
        ``01 Call-Center-Dataset.xlsx`` (first sheet; several workbooks are combined).
    ctx : ImportContext
        Receives every mapping, derivation, repair, rejection and note.

    Returns
    -------
    frames : dict of DataFrame
        ``calls`` (one row per call) and ``surveys`` (one CSAT survey per rated call).
    config : dict
        ``csmetrics.yaml`` settings: time zone UTC (the file has none), business hours
        09:00-18:00 every day (as in the data), ``service_level_s`` 20.

    Raises
    ------
    DataError
        The file is not a readable workbook, or lacks ``Call Id``, ``Date``, ``Time`` or
        ``Answered (Y/N)`` (the message names the missing columns and those present).

    Notes
    -----
    The mapping rules are listed in the module docstring.
    """
    raw = pd.concat([_read(p) for p in paths], ignore_index=True)
    lines = raw["line"]
    for role, name in COLUMNS.items():
        if role not in raw:
            ctx.note(TABLE, f"column {name!r} absent: its canonical column is left out")
    raw, arrived, answered = _usable_calls(ctx, raw, lines)
    speed, talk = (
        _duration(ctx, raw, role, answered, lines) if role in raw else pd.Series(np.nan, raw.index)
        for role in ("speed", "talk")
    )
    n_missing_wait = int((answered & speed.isna()).sum())
    if n_missing_wait:
        ctx.note(TABLE, f"{n_missing_wait:,} answered call(s) without a speed of answer")
    calls = _calls(ctx, raw, arrived, answered, speed, talk, lines)
    rating = _numbers(raw["rating"]) if "rating" in raw else pd.Series(np.nan, raw.index)
    surveys = _surveys(ctx, raw, arrived, rating, lines) if "rating" in raw else None
    _record(ctx, calls, surveys, answered, rating, set(raw.columns))
    frames = {TABLE: calls}
    if surveys is not None and len(surveys):
        frames["surveys"] = surveys
    config = {
        "timezone": TIMEZONE,
        "calendar": {"business_hours": dict(BUSINESS_HOURS)},
        "thresholds": {"service_level_s": 20.0, "short_abandon_s": 0.0},
    }
    return frames, config


def _reject(
    ctx: ImportContext, raw: pd.DataFrame, lines: pd.Series, mask: pd.Series, reason: str
) -> pd.DataFrame:
    """Reject the rows of ``mask`` (NA counts as rejected); returns the rows left."""
    mask = mask.fillna(True).astype(bool)
    if mask.any():
        cols = [c for c in raw.columns if c != "line"]
        ctx.reject(TABLE, raw.loc[mask, cols].rename(columns=COLUMNS), reason, lines)
        raw = raw.loc[~mask]
    return raw


def _usable_calls(
    ctx: ImportContext, raw: pd.DataFrame, lines: pd.Series
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """The rows with an id, a date, a time and an answered flag, their arrival (UTC) and
    whether they were answered; the other rows are rejected, in this order."""
    raw = _reject(ctx, raw, lines, _blank(raw["call_id"]), "empty Call Id")
    raw["call_id"] = raw["call_id"].astype(str).str.strip()
    reason = "duplicate Call Id (an earlier row has the same id)"
    raw = _reject(ctx, raw, lines, raw["call_id"].duplicated(), reason)
    day = _dates(raw["date"])
    raw = _reject(ctx, raw, lines, day.isna(), "Date is not a date (YYYY-MM-DD expected)")
    tod = _seconds_of_day(raw["time"])
    raw = _reject(ctx, raw, lines, tod.isna() | (tod >= 86400), "Time is not a time of day")
    answered = _flags(raw["answered"])
    raw = _reject(ctx, raw, lines, answered.isna(), "Answered (Y/N) is neither Y nor N")
    day, tod, answered = day[raw.index], tod[raw.index], answered[raw.index].astype(bool)
    arrived = (day + pd.to_timedelta(tod, unit="s")).dt.tz_localize(TIMEZONE)
    return raw, arrived, answered


def _duration(
    ctx: ImportContext, raw: pd.DataFrame, role: str, answered: pd.Series, lines: pd.Series
) -> pd.Series:
    """Seconds of the speed of answer or the talk time; unreadable, negative values and
    values on unanswered calls are left empty (counted as repaired)."""
    values = _numbers(raw[role]) if role == "speed" else _seconds_of_day(raw[role])

    def drop(values: pd.Series, mask: pd.Series, text: str) -> pd.Series:
        ctx.repaired(TABLE, text, mask, raw.get(role), lines)
        return values.where(~mask)

    # infinite, or beyond 100 years: no duration (and no timestamp could hold it)
    values = values.where(np.isfinite(values) & (values.abs() <= MAX_DURATION_S))
    unread = ~_blank(raw[role]) & values.isna()
    what = "a number of seconds" if role == "speed" else "a duration h:mm:ss"
    values = drop(values, unread, f"{COLUMNS[role]} not {what}: left empty")
    values = drop(values, values < 0, f"{COLUMNS[role]} negative: left empty")
    return drop(
        values,
        ~answered & values.notna(),
        f"{COLUMNS[role]} on an unanswered call: left empty (an abandoned call is "
        "neither answered nor talked to)",
    )


def _calls(
    ctx: ImportContext,
    raw: pd.DataFrame,
    arrived: pd.Series,
    answered: pd.Series,
    speed: pd.Series,
    talk: pd.Series,
    lines: pd.Series,
) -> pd.DataFrame:
    """The canonical ``calls`` table; a Resolved neither Y nor N is left empty."""
    resolved = _flags(raw["resolved"]) if "resolved" in raw else None
    if resolved is not None:
        odd = resolved.isna() & ~_blank(raw["resolved"])
        ctx.repaired(TABLE, "Resolved neither Y nor N: left empty", odd, raw["resolved"], lines)
    calls = pd.DataFrame(
        {
            "call_id": raw["call_id"],
            "arrived_at": arrived,
            "outcome": np.where(answered, "answered", "abandoned"),
            "wait_s": speed.astype(float),
            "answered_at": (arrived + pd.to_timedelta(speed, unit="s")).where(answered),
            "talk_s": talk.astype(float),
        },
        index=raw.index,
    )
    if "agent" in raw:
        calls["agent_id"] = raw["agent"].where(~_blank(raw["agent"])).astype("string")
    if "topic" in raw:
        calls["queue"] = raw["topic"].where(~_blank(raw["topic"])).astype("string")
    if resolved is not None:
        calls["resolved"] = resolved.astype("boolean")
    return calls.reset_index(drop=True)


def _surveys(
    ctx: ImportContext,
    raw: pd.DataFrame,
    arrived: pd.Series,
    rating: pd.Series,
    lines: pd.Series,
) -> pd.DataFrame:
    """One CSAT survey per rated call; an unreadable rating is rejected (no survey)."""
    unread = ~_blank(raw["rating"]) & rating.isna()
    if unread.any():
        cols = [c for c in raw.columns if c != "line"]
        ctx.reject(
            "surveys",
            raw.loc[unread, cols].rename(columns=COLUMNS),
            "Satisfaction rating is not a number: no survey made for the call",
            lines,
        )
    rated = rating.notna()
    return pd.DataFrame(
        {
            "survey_id": raw.loc[rated, "call_id"] + "-csat",
            "metric": "csat",
            "sent_at": arrived[rated],
            "score": rating[rated].astype(float),
            "answered_at": arrived[rated],
            "channel": "phone",
            "call_id": raw.loc[rated, "call_id"],
        }
    ).reset_index(drop=True)


#: Role → what its column becomes in ``calls``, as the import report says it.
MAPPING = (
    ("call_id", "call_id"),
    ("answered", "outcome (Y answered, N abandoned)"),
    ("speed", "wait_s"),
    ("talk", "talk_s (time of day → seconds)"),
    ("resolved", "resolved (Y/N)"),
    ("agent", "agent_id"),
    ("topic", "queue"),
)


def _record(
    ctx: ImportContext,
    calls: pd.DataFrame,
    surveys: pd.DataFrame | None,
    answered: pd.Series,
    rating: pd.Series,
    present: set[str],
) -> None:
    """Report the mapping of the columns present, the derivations and the notes."""
    for role, target in MAPPING:
        if role in present:
            ctx.mapped(TABLE, COLUMNS[role], target)
    ctx.derived(TABLE, "arrived_at = Date + Time, read as UTC (the file has no time zone)",
                len(calls))  # fmt: skip
    ctx.derived(
        TABLE,
        "answered_at = arrived_at + Speed of answer (answered calls)",
        int(calls["answered_at"].notna().sum()),
    )
    ctx.derived(TABLE, "outcome answered (Y)", int(answered.sum()))
    ctx.derived(TABLE, "outcome abandoned (N)", int((~answered).sum()))
    ctx.note(
        TABLE,
        f"{int((~answered).sum()):,} abandoned call(s) have no speed of answer, talk time or "
        "rating (blank in the source): their wait is unknown, not 0, so the service level is "
        "answered within 20 s over answered calls, and abandons cannot be split by wait.",
    )
    ctx.note(
        TABLE,
        "Agent is given for abandoned calls too (the agent the call was routed to) and is "
        "kept in agent_id, so abandonment can be compared between agents.",
    )
    ctx.note(
        TABLE,
        "thresholds.service_level_s = 20 s (the common convention; the case publishes no "
        "goal). Speed of answer runs from about 10 to 125 s in this synthetic file, so the "
        "service level is low by that yardstick. No targets are set.",
    )
    if surveys is not None:
        _record_surveys(ctx, surveys, answered, rating)


def _record_surveys(
    ctx: ImportContext, surveys: pd.DataFrame, answered: pd.Series, rating: pd.Series
) -> None:
    """Report how the surveys were made from the ratings."""
    ctx.mapped("surveys", "Satisfaction rating", "score (metric csat, 1-5)")
    ctx.derived(
        "surveys",
        "one CSAT survey per rated call: survey_id = <Call Id>-csat, sent_at = "
        "answered_at = the call's Date + Time, channel phone, call_id kept",
        len(surveys),
    )
    ctx.note(
        "surveys",
        "only rated calls have a survey (the file does not say which other calls were "
        "surveyed), so the survey response rate is 100% by construction",
    )
    unrated = int((answered & rating.isna()).sum())
    if unrated:
        ctx.note("surveys", f"{unrated:,} answered call(s) without a rating: no survey")


register(
    Preset(
        name="pwc-callcenter",
        description='PwC / Forage "01 Call-Center-Dataset" Excel call log (answered, resolved, '
        "speed of answer, talk time, satisfaction)",
        sources="01 Call-Center-Dataset.xlsx",
        convert=convert,
    )
)
