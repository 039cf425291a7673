"""Preset ``technion-bank``: the Technion "Anonymous Bank" call-by-call ACD log (1999).

One tab-separated ASCII file per month (``january.txt``, ``october.txt``...), with a
header line and CRLF or LF line endings; several months can be imported together.
Each row is one call that left the bank's VRU (IVR) asking for an agent: when it
joined the queue, how long it waited, whether an agent served it (``AGENT``), the
caller hung up (``HANG``) or it was a virtual call (``PHANTOM``), and how long the
service took. Times of day are stored without a date; the ``date`` column is the day
the call entered the VRU. :func:`convert` lists the mapping rules.

Source: Ilan Guedj and Avi Mandelbaum, Technion (SEE Lab), "'Anonymous Bank' Call-Center
Data" (2000), analysed in Brown et al., "Statistical Analysis of a Telephone Call Center",
JASA 100(469), 2005. The data are free for use; acknowledge the Technion as the source.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from . import ImportContext, Preset, register

COLUMNS = (
    "vru+line", "call_id", "customer_id", "priority", "type", "date", "vru_entry", "vru_exit",
    "vru_time", "q_start", "q_exit", "q_time", "outcome", "ser_start", "ser_exit", "ser_time",
    "server",
)  # fmt: skip
TIME_COLUMNS = ("vru_entry", "vru_exit", "q_start", "q_exit", "ser_start", "ser_exit")
OUTCOMES = {"AGENT": "answered", "HANG": "abandoned", "PHANTOM": "other"}
#: Queue (``type``) codes of the Technion documentation, and the names given to them.
QUEUES = {
    "PS": "Regular",
    "PE": "Regular (English)",
    "IN": "Internet",
    "NE": "Stock exchange",
    "NW": "Prospective customers",
    "TT": "Callback",
}
NO_SERVER = "NO_SERVER"
DAY = 86400
HALF_DAY = DAY // 2
_TIME_RE = r"^(\d{1,2}):([0-5]\d):([0-5]\d)$"

TIMEZONE = "Asia/Jerusalem"
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


# ---------------------------------------------------------------------------------------
# Reading one monthly file
# ---------------------------------------------------------------------------------------


def _decode(path: Path, ctx: ImportContext) -> str:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise DataError("binary content: not a tab-separated text file", file=str(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        ctx.note("calls", f"{path.name}: not UTF-8; read as Latin-1")
        return raw.decode("latin-1")


def _read_file(path: Path, ctx: ImportContext) -> pd.DataFrame:
    """The data rows of one file as text fields, with ``line`` (the header is line 1).

    A line with too few tab-separated fields is repaired when splitting it on white space
    gives exactly the columns of the header (the two October lines whose tab is seven
    spaces); other lines with the wrong number of fields are rejected.
    """
    text = _decode(path, ctx)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [x[:-1] if x.endswith("\r") else x for x in lines]
    if not lines or not lines[0].strip():
        raise DataError("empty file: no header line", file=str(path))
    header = [h.strip() for h in lines[0].split("\t")]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        hint = "" if len(header) > 1 else " (the header has no tabs: is it tab-separated?)"
        shown = ", ".join(repr(h) for h in header[:20]) + (", ..." if len(header) > 20 else "")
        raise DataError(
            f"not an Anonymous Bank call log: missing column(s) {', '.join(missing)}; "
            f"the file has {shown}{hint}",
            file=str(path),
        )
    n = len(header)
    good: list[list] = []
    split: dict[int, str] = {}
    bad: list[tuple[int, int, str]] = []
    blank: list[int] = []
    for i, line in enumerate(lines[1:], start=2):
        if not line.strip():
            blank.append(i)
            continue
        fields = line.split("\t")
        if len(fields) == n:
            good.append([i, *fields])
            continue
        tokens = line.split()
        if len(fields) < n and len(tokens) == n:
            split[i] = " | ".join(f for f in fields if len(f.split()) > 1)
            good.append([i, *tokens])
        else:
            bad.append((i, len(fields), line))
    df = pd.DataFrame(good, columns=["line", *header]).astype({"line": "int64"})
    df = df[["line", *COLUMNS]].copy()
    for c in COLUMNS:
        df[c] = df[c].astype(str).str.strip()
    df.insert(0, "file", path.name)
    if split:
        mask = df["line"].isin(list(split))
        ctx.repaired(
            "calls",
            f"{path.name}: {n - 1} tab-separated fields instead of {n} (spaces in place of "
            f"a tab); split on white space into the {n} columns",
            mask,
            df["line"].map(split),
            df["line"],
        )
    if bad:
        rows = pd.DataFrame(
            {
                "file": path.name,
                "fields": [b[1] for b in bad],
                "raw_line": [b[2] for b in bad],
            }
        )
        ctx.reject(
            "calls",
            rows,
            f"{path.name}: wrong number of tab-separated fields (expected {n}), "
            "not repairable by splitting on white space",
            pd.Series([b[0] for b in bad], index=rows.index),
        )
    if blank:
        rows = pd.DataFrame({"file": path.name, "fields": 0, "raw_line": [""] * len(blank)})
        ctx.reject("calls", rows, f"{path.name}: blank line", pd.Series(blank, index=rows.index))
    return df.reset_index(drop=True)


def _clock(values: pd.Series) -> pd.Series:
    """``H:MM:SS`` to seconds after midnight (NaN when not a time of day)."""
    seconds = {}
    for text in pd.unique(values):
        m = re.fullmatch(_TIME_RE, str(text))
        ok = m is not None and int(m.group(1)) < 24
        seconds[text] = (
            int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3)) if ok else np.nan
        )
    return values.map(seconds).astype(float)


def _whole(values: pd.Series) -> pd.Series:
    """Whole numbers (NaN when not one)."""
    return pd.to_numeric(values.where(values.str.fullmatch(r"-?\d+")), errors="coerce")


def _reject_where(
    df: pd.DataFrame, mask: pd.Series, reason: str, ctx: ImportContext
) -> pd.DataFrame:
    mask = mask.fillna(True).astype(bool)
    if mask.any():
        ctx.reject("calls", df.loc[mask, ["file", *COLUMNS]], reason, df["line"])
    return df.loc[~mask]


def _parse(df: pd.DataFrame, ctx: ImportContext) -> pd.DataFrame:
    """Parse the fields of one file; rows that cannot be parsed are rejected."""
    name = df["file"].iloc[0] if len(df) else ""
    df = df.copy()
    six = df["date"].where(df["date"].str.len() == 6)
    df["_date"] = pd.to_datetime(six, format="%y%m%d", errors="coerce")
    df = _reject_where(df, df["_date"].isna(), f"{name}: date is not a YYMMDD date", ctx)
    for c in TIME_COLUMNS:
        df[f"_{c}"] = _clock(df[c])
    bad = df[[f"_{c}" for c in TIME_COLUMNS]].isna().any(axis=1)
    df = _reject_where(df, bad, f"{name}: a time of day is not H:MM:SS", ctx)
    for c in ("q_time", "ser_time"):
        df[f"_{c}"] = _whole(df[c])
    nums = df[["_q_time", "_ser_time"]]
    bad = (nums.isna() | (nums < 0)).any(axis=1)
    df = _reject_where(
        df, bad, f"{name}: q_time or ser_time is not a whole number of seconds >= 0", ctx
    )
    df = _reject_where(
        df,
        ~df["outcome"].isin(list(OUTCOMES)),
        f"{name}: unknown outcome (expected AGENT, HANG or PHANTOM)",
        ctx,
    )
    df = _reject_where(
        df, ~df["call_id"].str.fullmatch(r"\d+"), f"{name}: call_id is not a number", ctx
    )
    df = _reject_where(
        df,
        ~df["vru+line"].str.fullmatch(r"\w+"),
        f"{name}: vru+line is empty or holds spaces",
        ctx,
    )
    return df.reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# From parsed fields to canonical calls
# ---------------------------------------------------------------------------------------


def _localise(naive: pd.Series, ctx: ImportContext, df: pd.DataFrame, what: str) -> pd.Series:
    """Naive local times to ``Asia/Jerusalem``; DST gaps and overlaps are counted."""
    strict = naive.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
    odd = strict.isna() & naive.notna()
    if odd.any():
        ctx.repaired(
            "calls",
            f"{what} falls in a daylight-saving change (skipped or repeated hour): moved "
            "forward out of the gap, or read as standard time",
            odd,
            df["file"] + ": " + naive.astype(str),
            df["line"],
        )
    amb = np.zeros(len(naive), dtype=bool)
    return naive.dt.tz_localize(TIMEZONE, ambiguous=amb, nonexistent="shift_forward")


def _file_steps(df: pd.DataFrame, ctx: ImportContext) -> None:
    """Per-file repairs and notes that need the parsed times (counts for each month)."""
    name = df["file"].iloc[0]
    lines = df["line"]
    queued = df["_queued"]
    q_cross = queued & (df["_q_exit"] < df["_q_start"])
    ctx.repaired(
        "calls",
        f"{name}: queue crossed midnight (q_exit earlier than q_start): the queue exit, and "
        "answered_at of answered calls, dated the next day",
        q_cross,
        df["q_start"] + "→" + df["q_exit"],
        lines,
    )
    ctx.repaired(
        "calls",
        f"{name}: queue joined (or VRU left, for calls never queued) after midnight by a "
        "call that entered the VRU before it: arrived_at dated the day after the date "
        "column (the VRU entry day)",
        df["_arrival_shift"] > 0,
        df["vru_entry"] + "→" + df["q_start"].where(queued, df["vru_exit"]),
        lines,
    )
    ctx.repaired(
        "calls",
        f"{name}: arrival more than 12 h before the VRU entry time: dated the day before",
        df["_arrival_shift"] < 0,
        df["vru_entry"] + "→" + df["q_start"].where(queued, df["vru_exit"]),
        lines,
    )
    ctx.repaired(
        "calls",
        f"{name}: q_start 0:00:00 with q_time > 0 read as a queue joined at midnight, not "
        "as 'never queued'",
        (df["_q_start"] == 0) & (df["_q_time"] > 0),
        df["q_start"] + " q_time=" + df["q_time"],
        lines,
    )
    hang_talk = (df["outcome"] == "HANG") & (df["_ser_time"] > 0)
    ctx.repaired(
        "calls",
        f"{name}: HANG call with ser_time > 0: kept as abandoned (as the source says), its "
        "ser_time not carried into talk_s (an abandoned call has no talk time)",
        hang_talk,
        "ser_time=" + df["ser_time"],
        lines,
    )
    served = df["_ser_start"] > 0
    s_cross = served & (df["_ser_exit"] < df["_ser_start"])
    n_s = int(s_cross.sum())
    if n_s:
        ctx.note(
            "calls",
            f"{name}: {n_s:,} service(s) crossed midnight (ser_exit earlier than ser_start, "
            f"e.g. {_ex(s_cross, df['ser_start'] + '→' + df['ser_exit'], lines)}); ser_time "
            "already holds the true duration, so talk_s needs no repair",
        )
    neg_vru = df["_vru_exit"] < df["_vru_entry"]
    neg_vru &= (df["_vru_entry"] - df["_vru_exit"]) < HALF_DAY
    if neg_vru.any():
        ctx.note(
            "calls",
            f"{name}: {int(neg_vru.sum()):,} call(s) left the VRU before entering it "
            f"(negative vru_time, a clock glitch of the source, e.g. "
            f"{_ex(neg_vru, df['vru_entry'] + '→' + df['vru_exit'], lines)}); not used: "
            "arrived_at comes from q_start or vru_exit as given",
        )
    agent = df["outcome"] == "AGENT"
    for mask, text in (
        (agent & (df["server"] == NO_SERVER), "AGENT (answered) call(s) with server NO_SERVER: "
         "agent_id left empty, the call still counts as answered"),
        ((df["outcome"] != "AGENT") & (df["server"] != NO_SERVER), "HANG or PHANTOM call(s) "
         "naming a server: the server kept in agent_id"),
        (agent & (df["_ser_time"] == 0), "AGENT call(s) with ser_time 0: kept as answered "
         "with talk_s 0 (they count in the average handle time)"),
        (agent & ~served, "AGENT call(s) with ser_start 0:00:00 (no service recorded): kept "
         "as answered"),
    ):  # fmt: skip
        if mask.any():
            ctx.note(
                "calls",
                f"{name}: {int(mask.sum()):,} {text} (e.g. {_ex(mask, None, lines)})",
            )
    unknown = ~df["type"].isin(list(QUEUES))
    if unknown.any():
        codes = ", ".join(sorted(df.loc[unknown, "type"].unique()))
        ctx.note(
            "calls",
            f"{name}: {int(unknown.sum()):,} call(s) with an undocumented type ({codes}): "
            f"queue 'Unknown (<code>)' (e.g. {_ex(unknown, None, lines)})",
        )
    days = df["_date"].dt.normalize()
    seen = set(days.unique())
    missing = []
    for month in days.dt.to_period("M").unique():
        every = pd.date_range(month.start_time, month.end_time.normalize(), freq="D")
        missing += [d for d in every if d not in seen]
    if missing:
        ctx.note(
            "calls",
            f"{name}: no calls at all on {', '.join(d.strftime('%Y-%m-%d') for d in missing)} "
            "(a gap in the source; KPIs for these days are not zero but unknown)",
        )


def _ex(mask: pd.Series, values: pd.Series | None, lines: pd.Series, k: int = 3) -> str:
    idx = mask[mask].index[:k]
    if values is None:
        return ", ".join(f"line {int(lines[i])}" for i in idx)
    return ", ".join(f"line {int(lines[i])}: {values[i]}" for i in idx)


def _with_times(df: pd.DataFrame) -> pd.DataFrame:
    """Add the queued flag, the arrival/answer instants (naive local) and day shifts."""
    df = df.copy()
    entry = df["_vru_entry"]

    def shift(tod: pd.Series) -> pd.Series:
        off = tod - entry
        return pd.Series(np.where(off < -HALF_DAY, 1, np.where(off > HALF_DAY, -1, 0)), df.index)

    queued = (df["_q_start"] > 0) | (df["_q_time"] > 0)
    df["_queued"] = queued
    arrival_tod = df["_q_start"].where(queued, df["_vru_exit"])
    df["_arrival_shift"] = shift(arrival_tod)
    df["_arrived"] = df["_date"] + pd.to_timedelta(
        arrival_tod + df["_arrival_shift"] * DAY, unit="s"
    )
    q_exit = df["_date"] + pd.to_timedelta(df["_q_exit"] + shift(df["_q_exit"]) * DAY, unit="s")
    # a queue exit before its start is the next day's (when the entry and the start agree)
    q_exit = q_exit.where(q_exit >= df["_arrived"], q_exit + pd.Timedelta(days=1))
    df["_answered"] = q_exit.where(queued, df["_arrived"]).where(df["outcome"] == "AGENT")
    return df


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
    Mapping rules:

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
    parts = []
    for path in paths:
        raw = _read_file(path, ctx)
        parsed = _parse(raw, ctx)
        if parsed.empty:
            ctx.note("calls", f"{path.name}: no usable rows")
            continue
        parsed = _with_times(parsed)
        _file_steps(parsed, ctx)
        parts.append(parsed)
    if not parts:
        raise DataError(
            "no usable call rows in the source file(s)", file=", ".join(str(p) for p in paths)
        )
    df = pd.concat(parts, ignore_index=True)
    df["_month"] = df["_date"].dt.strftime("%Y-%m")
    df["_id"] = df["_month"] + "-" + df["vru+line"] + "-" + df["call_id"]
    dup = df["_id"].duplicated(keep="first")
    if dup.any():
        first = df.drop_duplicates("_id").set_index("_id")
        where = df.loc[dup, "_id"].map(first["file"] + " line " + first["line"].astype(str))
        rows = df.loc[dup, ["file", *COLUMNS]].assign(duplicate_of=where)
        ctx.reject(
            "calls",
            rows,
            "duplicate call: same month, vru+line and call_id as an earlier row "
            "(the same file passed twice?)",
            df["line"],
        )
        df = df.loc[~dup].reset_index(drop=True)

    answered = df["outcome"] == "AGENT"
    queued = df["_queued"]
    calls = pd.DataFrame(
        {
            "call_id": df["_id"],
            "arrived_at": _localise(df["_arrived"], ctx, df, "arrived_at"),
            "outcome": df["outcome"].map(OUTCOMES),
            "customer_id": df["customer_id"].where(df["customer_id"].str.strip("0") != ""),
            "queue": df["type"].map(QUEUES).fillna("Unknown (" + df["type"] + ")"),
            "wait_s": df["_q_time"].astype(float),
            "answered_at": _localise(df["_answered"], ctx, df, "answered_at"),
            "talk_s": df["_ser_time"].astype(float).where(answered),
            "agent_id": df["server"].where(df["server"] != NO_SERVER),
            "queue_code": df["type"],
            "priority": df["priority"],
            "vru_line": df["vru+line"],
        }
    )
    _record_mapping(ctx, df, calls, answered, queued)
    return {"calls": calls}, _config(ctx, calls)


def _record_mapping(
    ctx: ImportContext,
    df: pd.DataFrame,
    calls: pd.DataFrame,
    answered: pd.Series,
    queued: pd.Series,
) -> None:
    n = len(df)
    for source, target in (
        ("outcome (AGENT/HANG/PHANTOM)", "outcome (answered/abandoned/other)"),
        ("q_time", "wait_s"),
        ("ser_time", "talk_s (AGENT calls)"),
        ("server", "agent_id (NO_SERVER → empty)"),
        ("customer_id", "customer_id (0 → empty)"),
        ("type", "queue (readable name) and queue_code (the code)"),
        ("priority", "priority (extra column: 0/1 regular, 2 priority customer)"),
        ("vru+line", "vru_line (extra column)"),
    ):
        ctx.mapped("calls", source, target)
    months = ", ".join(
        f"{m} {c:,}" for m, c in df.groupby("_month").size().items()
    )  # fmt: skip
    ctx.derived(
        "calls",
        "call_id = <YYYY-MM>-<vru+line>-<call_id>: the source call ids repeat within a month "
        f"(they count per VRU line) and across months; rows by month: {months}",
        n,
    )
    ctx.derived("calls", "arrived_at = date + q_start (calls that joined the queue)",
                int(queued.sum()))  # fmt: skip
    ctx.derived(
        "calls",
        "arrived_at = date + vru_exit (calls never queued: q_start 0:00:00, wait_s 0)",
        int((~queued).sum()),
    )
    ctx.derived(
        "calls",
        "answered_at = date + q_exit (AGENT calls that queued; ser_start, 0-2 s earlier in "
        "this log, is not used)",
        int((answered & queued).sum()),
    )
    ctx.derived(
        "calls", "answered_at = arrived_at (AGENT calls answered without queueing)",
        int((answered & ~queued).sum()),
    )  # fmt: skip
    for out, src in (("answered", "AGENT"), ("abandoned", "HANG"), ("other", "PHANTOM")):
        ctx.derived("calls", f"outcome {out} from {src}", int((calls["outcome"] == out).sum()))
    ctx.derived(
        "calls", "customer_id empty: 0 (caller not identified)",
        int(calls["customer_id"].isna().sum()),
    )  # fmt: skip
    gap = (calls["answered_at"] - calls["arrived_at"]).dt.total_seconds()
    off = answered & queued & (gap != df["_q_time"])
    if off.any():
        ctx.note(
            "calls",
            f"{int(off.sum()):,} answered call(s) whose q_exit - q_start differs from q_time; "
            f"wait_s keeps q_time (e.g. {_ex(off, df['file'], df['line'])})",
        )


def _config(ctx: ImportContext, calls: pd.DataFrame) -> dict:
    answered = calls["outcome"] == "answered"
    wait = calls.loc[answered, "wait_s"]
    within = {t: float((wait <= t).mean()) for t in (20, 60, 90)}
    hang = calls["outcome"] == "abandoned"
    never = hang & (calls["wait_s"] == 0)
    ctx.note(
        "calls",
        "thresholds.service_level_s = 20 s, the common '80/20' convention: the source "
        "publishes no service goal of the bank. Waits here are long by that yardstick: of "
        f"answered calls {within[20]:.1%} waited at most 20 s, {within[60]:.1%} at most "
        f"60 s and {within[90]:.1%} at most 90 s (priority customers get 90 s of queue "
        "credit); set service_level_s to 60 or 90 in csmetrics.yaml to compare with those "
        "yardsticks. No targets are set: none is published for this bank.",
    )
    ctx.note(
        "calls",
        "thresholds.short_abandon_s = 0, so every HANG counts as abandoned and "
        "abandonment_rate = HANG / (AGENT + HANG), the complement of the served share "
        f"published for these data. {int(never.sum()):,} abandoned call(s) never joined "
        "the queue (wait 0); a positive short_abandon_s would leave them out.",
    )
    ctx.note(
        "calls",
        "PHANTOM calls (outcome other) are kept but are not offered, answered or "
        "abandoned calls in any KPI.",
    )
    ctx.note(
        "calls",
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
