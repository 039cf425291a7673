"""Preset ``technion-bank``: the Technion "Anonymous Bank" call-by-call ACD log (1999).

One tab-separated ASCII file per month (``january.txt``, ``october.txt``...), with a
header line and CRLF or LF line endings; several months can be imported together.
Each row is one call that left the bank's VRU (IVR) asking for an agent: when it
joined the queue, how long it waited, whether an agent served it (``AGENT``), the
caller hung up (``HANG``) or it was a virtual call (``PHANTOM``), and how long the
service took. Times of day are stored without a date; the ``date`` column is the day
the call entered the VRU. The mapping rules are below.

Source: Ilan Guedj and Avi Mandelbaum, Technion (SEE Lab), "'Anonymous Bank' Call-Center
Data" (2000), analysed in Brown et al., "Statistical Analysis of a Telephone Call Center",
JASA 100(469), 2005. The data are free for use; acknowledge the Technion as the source.

Mapping rules
-------------
- ``call_id`` = ``<YYYY-MM>-<vru+line>-<call_id>``: the source ids repeat within a
  month (they count per VRU line) and across months; month, line and id are unique.
  A second row with the same month, line and id is rejected as a duplicate.
- ``outcome``: AGENT → answered, HANG → abandoned, PHANTOM → other.
- ``arrived_at`` = ``date`` + ``q_start`` for calls that joined the queue
  (``q_start`` not ``0:00:00``, or ``q_time`` > 0), else ``date`` + ``vru_exit``.
  ``date`` is the VRU entry day: a time more than 12 h before ``vru_entry`` is the
  next day (the call crossed midnight), and is repaired and counted.
- ``wait_s`` = ``q_time`` (0 for calls never queued).
- ``answered_at`` (AGENT only) = ``date`` + ``q_exit`` for queued calls, dated the
  next day when the queue crossed midnight (``q_exit`` < ``q_start``); = ``arrived_at``
  for calls answered without queueing. ``ser_start`` is not used: it is usually 0-2 s
  before ``q_exit`` in this log (one-second clock steps), which would put answers
  before arrivals.
- ``talk_s`` = ``ser_time`` for AGENT calls; empty for HANG and PHANTOM (HANG rows
  with ``ser_time`` > 0 are counted as repaired).
- ``agent_id`` = ``server``; ``NO_SERVER`` → empty (AGENT calls without a server
  are noted with counts).
- ``customer_id`` = ``customer_id``; ``0`` (caller not identified) → empty.
- ``queue`` = readable name of ``type`` (PS Regular, PE Regular (English), IN
  Internet, NE Stock exchange, NW Prospective customers, TT Callback; other codes
  ``Unknown (<code>)``); the code is kept in ``queue_code``.
- ``priority`` (0/1 regular or unidentified, 2 priority customer) and ``vru_line``
  are kept as extra columns; ``vru_entry``, ``vru_time``, ``ser_start`` and
  ``ser_exit`` are not carried over.
- Lines with too few tab-separated fields are split on white space when that gives
  exactly 17 fields (repaired); other malformed lines, bad dates, times, numbers or
  outcomes are rejected with their line numbers.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError
from . import ImportContext, Preset, register
from ._technion_read import COLUMNS, OUTCOMES, TABLE, TIME_COLUMNS, parse_fields, read_file
from ._technion_times import (
    DAY,
    HALF_DAY,
    NO_SERVER,
    QUEUES,
    TIMEZONE,
    example_lines,
    file_steps,
    localise,
    with_times,
)

__all__ = [
    "BUSINESS_HOURS",
    "COLUMNS",
    "DAY",
    "HALF_DAY",
    "NO_SERVER",
    "OUTCOMES",
    "QUEUES",
    "SERVICE_LEVEL_S",
    "TIMEZONE",
    "TIME_COLUMNS",
    "convert",
]  # fmt: skip

#: Opening hours seen in the data (calls by weekday and hour in Jan, Feb and Oct 1999):
#: Sunday to Thursday 7:00-24:00, Friday 7:00-14:00, Saturday from the end of the Sabbath
#: (18:00-19:00 depending on the season) to midnight.
BUSINESS_HOURS = {
    "sun": "07:00-24:00",
    "mon": "07:00-24:00",
    "tue": "07:00-24:00",
    "wed": "07:00-24:00",
    "thu": "07:00-24:00",
    "fri": "07:00-14:00",
    "sat": "19:00-24:00",
}
SERVICE_LEVEL_S = 20.0


def convert(paths: list[Path], ctx: ImportContext) -> tuple[dict[str, pd.DataFrame], dict]:
    """Convert Anonymous Bank monthly call logs into the ``calls`` table.

    Parameters
    ----------
    paths : list of Path
        One or more monthly files (``january.txt``, ``data_anonymous_bank_february.txt``,
        ``october.txt``...), each tab-separated with the 17-column header.
    ctx : ImportContext
        Receives every mapping, derivation, repair, rejection and note.

    Returns
    -------
    frames : dict of DataFrame
        ``{"calls": ...}`` with canonical columns plus ``queue_code``, ``priority`` and
        ``vru_line``.
    config : dict
        ``csmetrics.yaml`` settings: time zone Asia/Jerusalem, the opening hours seen in
        the data, currency ILS, ``thresholds.service_level_s`` 20 and
        ``short_abandon_s`` 0.

    Raises
    ------
    DataError
        A file is not an Anonymous Bank log (missing columns are named, with the
        columns the file has), is empty or binary.

    Notes
    -----
    The mapping rules are listed in the module docstring.
    """
    df = _drop_duplicate_calls(_read_months(paths, ctx), ctx)
    answered = df["outcome"] == "AGENT"
    calls = _calls_frame(df, ctx, answered)
    _record_mapping(ctx, df, calls, answered, df["_queued"])
    return {TABLE: calls}, _config(ctx, calls)


def _read_months(paths: list[Path], ctx: ImportContext) -> pd.DataFrame:
    """The parsed rows of every file, with their instants; files without rows noted.

    Raises
    ------
    DataError
        No file has a usable row.
    """
    parts = []
    for path in paths:
        parsed = parse_fields(read_file(path, ctx), ctx)
        if parsed.empty:
            ctx.note(TABLE, f"{path.name}: no usable rows")
            continue
        parsed = with_times(parsed)
        file_steps(parsed, ctx)
        parts.append(parsed)
    if not parts:
        raise DataError(
            "no usable call rows in the source file(s)", file=", ".join(str(p) for p in paths)
        )
    return pd.concat(parts, ignore_index=True)


def _drop_duplicate_calls(df: pd.DataFrame, ctx: ImportContext) -> pd.DataFrame:
    """Add ``_month`` and the call id ``_id``; reject the repeats of an id (first kept)."""
    df["_month"] = df["_date"].dt.strftime("%Y-%m")
    df["_id"] = df["_month"] + "-" + df["vru+line"] + "-" + df["call_id"]
    dup = df["_id"].duplicated(keep="first")
    if not dup.any():
        return df
    first = df.drop_duplicates("_id").set_index("_id")
    where = df.loc[dup, "_id"].map(first["file"] + " line " + first["line"].astype(str))
    rows = df.loc[dup, ["file", *COLUMNS]].assign(duplicate_of=where)
    ctx.reject(
        TABLE,
        rows,
        "duplicate call: same month, vru+line and call_id as an earlier row "
        "(the same file passed twice?)",
        df["line"],
    )
    return df.loc[~dup].reset_index(drop=True)


def _calls_frame(df: pd.DataFrame, ctx: ImportContext, answered: pd.Series) -> pd.DataFrame:
    """The canonical ``calls`` table of the parsed rows."""
    return pd.DataFrame(
        {
            "call_id": df["_id"],
            "arrived_at": localise(df["_arrived"], ctx, df, "arrived_at"),
            "outcome": df["outcome"].map(OUTCOMES),
            "customer_id": df["customer_id"].where(df["customer_id"].str.strip("0") != ""),
            "queue": df["type"].map(QUEUES).fillna("Unknown (" + df["type"] + ")"),
            "wait_s": df["_q_time"].astype(float),
            "answered_at": localise(df["_answered"], ctx, df, "answered_at"),
            "talk_s": df["_ser_time"].astype(float).where(answered),
            "agent_id": df["server"].where(df["server"] != NO_SERVER),
            "queue_code": df["type"],
            "priority": df["priority"],
            "vru_line": df["vru+line"],
        }
    )


#: Source column → what it becomes, as the import report says it.
MAPPING = (
    ("outcome (AGENT/HANG/PHANTOM)", "outcome (answered/abandoned/other)"),
    ("q_time", "wait_s"),
    ("ser_time", "talk_s (AGENT calls)"),
    ("server", "agent_id (NO_SERVER → empty)"),
    ("customer_id", "customer_id (0 → empty)"),
    ("type", "queue (readable name) and queue_code (the code)"),
    ("priority", "priority (extra column: 0/1 regular, 2 priority customer)"),
    ("vru+line", "vru_line (extra column)"),
)


def _record_mapping(
    ctx: ImportContext,
    df: pd.DataFrame,
    calls: pd.DataFrame,
    answered: pd.Series,
    queued: pd.Series,
) -> None:
    """Report the mapping, each derivation with its row count, and odd queue times."""
    for source, target in MAPPING:
        ctx.mapped(TABLE, source, target)
    months = ", ".join(
        f"{m} {c:,}" for m, c in df.groupby("_month").size().items()
    )  # fmt: skip
    ctx.derived(
        TABLE,
        "call_id = <YYYY-MM>-<vru+line>-<call_id>: the source call ids repeat within a month "
        f"(they count per VRU line) and across months; rows by month: {months}",
        len(df),
    )
    _record_instants(ctx, answered, queued)
    for out, src in (("answered", "AGENT"), ("abandoned", "HANG"), ("other", "PHANTOM")):
        ctx.derived(TABLE, f"outcome {out} from {src}", int((calls["outcome"] == out).sum()))
    ctx.derived(
        TABLE, "customer_id empty: 0 (caller not identified)",
        int(calls["customer_id"].isna().sum()),
    )  # fmt: skip
    gap = (calls["answered_at"] - calls["arrived_at"]).dt.total_seconds()
    off = answered & queued & (gap != df["_q_time"])
    if off.any():
        ctx.note(
            TABLE,
            f"{int(off.sum()):,} answered call(s) whose q_exit - q_start differs from q_time; "
            f"wait_s keeps q_time (e.g. {example_lines(off, df['file'], df['line'])})",
        )


def _record_instants(ctx: ImportContext, answered: pd.Series, queued: pd.Series) -> None:
    """Report how arrived_at and answered_at were derived, with row counts."""
    ctx.derived(TABLE, "arrived_at = date + q_start (calls that joined the queue)",
                int(queued.sum()))  # fmt: skip
    ctx.derived(
        TABLE,
        "arrived_at = date + vru_exit (calls never queued: q_start 0:00:00, wait_s 0)",
        int((~queued).sum()),
    )
    ctx.derived(
        TABLE,
        "answered_at = date + q_exit (AGENT calls that queued; ser_start, 0-2 s earlier in "
        "this log, is not used)",
        int((answered & queued).sum()),
    )
    ctx.derived(
        TABLE, "answered_at = arrived_at (AGENT calls answered without queueing)",
        int((answered & ~queued).sum()),
    )  # fmt: skip


def _config(ctx: ImportContext, calls: pd.DataFrame) -> dict:
    """The ``csmetrics.yaml`` settings; notes on the thresholds, outcomes and calendar."""
    answered = calls["outcome"] == "answered"
    wait = calls.loc[answered, "wait_s"]
    within = {t: float((wait <= t).mean()) for t in (20, 60, 90)}
    hang = calls["outcome"] == "abandoned"
    never = hang & (calls["wait_s"] == 0)
    ctx.note(
        TABLE,
        "thresholds.service_level_s = 20 s, the common '80/20' convention: the source "
        "publishes no service goal of the bank. Waits here are long by that yardstick: of "
        f"answered calls {within[20]:.1%} waited at most 20 s, {within[60]:.1%} at most "
        f"60 s and {within[90]:.1%} at most 90 s (priority customers get 90 s of queue "
        "credit); set service_level_s to 60 or 90 in csmetrics.yaml to compare with those "
        "yardsticks. No targets are set: none is published for this bank.",
    )
    ctx.note(
        TABLE,
        "thresholds.short_abandon_s = 0, so every HANG counts as abandoned and "
        "abandonment_rate = HANG / (AGENT + HANG), the complement of the served share "
        f"published for these data. {int(never.sum()):,} abandoned call(s) never joined "
        "the queue (wait 0); a positive short_abandon_s would leave them out.",
    )
    ctx.note(
        TABLE,
        "PHANTOM calls (outcome other) are kept but are not offered, answered or "
        "abandoned calls in any KPI.",
    )
    ctx.note(
        TABLE,
        "time zone Asia/Jerusalem; calendar.business_hours from the arrivals by weekday and "
        "hour (Sun-Thu 07-24, Fri 07-14, Sat 19-24 after the Sabbath); no public-holiday "
        "calendar, because the data show the centre open on the 1999 holidays they cover.",
    )
    return {
        "timezone": TIMEZONE,
        "currency": "ILS",
        "calendar": {"business_hours": dict(BUSINESS_HOURS)},
        "thresholds": {"service_level_s": SERVICE_LEVEL_S, "short_abandon_s": 0.0},
    }


register(
    Preset(
        name="technion-bank",
        description='Technion "Anonymous Bank" call-by-call ACD log, 1999 (tab-separated, '
        "one file per month)",
        sources="january.txt, data_anonymous_bank_february.txt, october.txt, ... "
        "(one or more monthly files)",
        convert=convert,
    )
)
