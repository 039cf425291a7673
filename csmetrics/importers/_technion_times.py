"""Instants of the Technion "Anonymous Bank" calls, and what each monthly file repairs.

The log stores times of day without a date; ``date`` is the day the call entered the
VRU. :func:`with_times` turns the parsed fields into naive local instants (a time more
than 12 h before the VRU entry is the next day's), :func:`localise` puts them in
``Asia/Jerusalem``, and :func:`file_steps` counts, per file, the repairs and oddities the
times and fields show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import ImportContext
from ._technion_read import TABLE

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
TIMEZONE = "Asia/Jerusalem"


def example_lines(mask: pd.Series, values: pd.Series | None, lines: pd.Series, k: int = 3) -> str:
    """``"line 4: x, line 9: y"``: the first ``k`` rows of ``mask`` for a note.

    >>> example_lines(pd.Series([True, False, True]), None, pd.Series([2, 3, 4]))
    'line 2, line 4'
    """
    idx = mask[mask].index[:k]
    if values is None:
        return ", ".join(f"line {int(lines[i])}" for i in idx)
    return ", ".join(f"line {int(lines[i])}: {values[i]}" for i in idx)


def localise(naive: pd.Series, ctx: ImportContext, df: pd.DataFrame, what: str) -> pd.Series:
    """Naive local times to ``Asia/Jerusalem``; DST gaps and overlaps are counted.

    Parameters
    ----------
    naive : Series of datetime64
        Local times without a zone.
    ctx : ImportContext
        Receives the count of times in a daylight-saving change.
    df : DataFrame
        The rows (``file`` and ``line`` name them in the examples).
    what : str
        The canonical column, named in the report.

    Returns
    -------
    Series
        The times in ``Asia/Jerusalem``: a skipped hour moved forward, a repeated one read
        as standard time.
    """
    strict = naive.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
    odd = strict.isna() & naive.notna()
    if odd.any():
        ctx.repaired(
            TABLE,
            f"{what} falls in a daylight-saving change (skipped or repeated hour): moved "
            "forward out of the gap, or read as standard time",
            odd,
            df["file"] + ": " + naive.astype(str),
            df["line"],
        )
    amb = np.zeros(len(naive), dtype=bool)
    return naive.dt.tz_localize(TIMEZONE, ambiguous=amb, nonexistent="shift_forward")


def with_times(df: pd.DataFrame) -> pd.DataFrame:
    """Add the queued flag, the arrival/answer instants (naive local) and day shifts.

    Parameters
    ----------
    df : DataFrame
        Parsed rows (:func:`~csmetrics.importers._technion_read.parse_fields`).

    Returns
    -------
    DataFrame
        A copy with ``_queued``, ``_arrival_shift`` (-1, 0 or 1 day from the ``date``),
        ``_arrived`` and ``_answered`` (AGENT calls only).
    """
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


def file_steps(df: pd.DataFrame, ctx: ImportContext) -> None:
    """Per-file repairs and notes that need the parsed times (counts for each month).

    Parameters
    ----------
    df : DataFrame
        The rows of one file, as :func:`with_times` gives them.
    ctx : ImportContext
        Receives the repairs and notes, each naming the file.
    """
    name = df["file"].iloc[0]
    _repair_midnight_crossings(df, ctx, name)
    _repair_odd_fields(df, ctx, name)
    _note_clock_oddities(df, ctx, name)
    _note_servers_and_types(df, ctx, name)
    _note_days_without_calls(df, ctx, name)


def _repair_midnight_crossings(df: pd.DataFrame, ctx: ImportContext, name: str) -> None:
    """Count queues crossing midnight and arrivals dated another day than ``date``."""
    lines = df["line"]
    queued = df["_queued"]
    q_cross = queued & (df["_q_exit"] < df["_q_start"])
    ctx.repaired(
        TABLE,
        f"{name}: queue crossed midnight (q_exit earlier than q_start): the queue exit, and "
        "answered_at of answered calls, dated the next day",
        q_cross,
        df["q_start"] + "→" + df["q_exit"],
        lines,
    )
    arrival_text = df["vru_entry"] + "→" + df["q_start"].where(queued, df["vru_exit"])
    ctx.repaired(
        TABLE,
        f"{name}: queue joined (or VRU left, for calls never queued) after midnight by a "
        "call that entered the VRU before it: arrived_at dated the day after the date "
        "column (the VRU entry day)",
        df["_arrival_shift"] > 0,
        arrival_text,
        lines,
    )
    ctx.repaired(
        TABLE,
        f"{name}: arrival more than 12 h before the VRU entry time: dated the day before",
        df["_arrival_shift"] < 0,
        arrival_text,
        lines,
    )


def _repair_odd_fields(df: pd.DataFrame, ctx: ImportContext, name: str) -> None:
    """Count queues joined at midnight and HANG calls with a service time."""
    lines = df["line"]
    ctx.repaired(
        TABLE,
        f"{name}: q_start 0:00:00 with q_time > 0 read as a queue joined at midnight, not "
        "as 'never queued'",
        (df["_q_start"] == 0) & (df["_q_time"] > 0),
        df["q_start"] + " q_time=" + df["q_time"],
        lines,
    )
    hang_talk = (df["outcome"] == "HANG") & (df["_ser_time"] > 0)
    ctx.repaired(
        TABLE,
        f"{name}: HANG call with ser_time > 0: kept as abandoned (as the source says), its "
        "ser_time not carried into talk_s (an abandoned call has no talk time)",
        hang_talk,
        "ser_time=" + df["ser_time"],
        lines,
    )


def _note_clock_oddities(df: pd.DataFrame, ctx: ImportContext, name: str) -> None:
    """Note services crossing midnight and calls leaving the VRU before entering it."""
    lines = df["line"]
    served = df["_ser_start"] > 0
    s_cross = served & (df["_ser_exit"] < df["_ser_start"])
    n_s = int(s_cross.sum())
    if n_s:
        shown = example_lines(s_cross, df["ser_start"] + "→" + df["ser_exit"], lines)
        ctx.note(
            TABLE,
            f"{name}: {n_s:,} service(s) crossed midnight (ser_exit earlier than ser_start, "
            f"e.g. {shown}); ser_time already holds the true duration, so talk_s needs no "
            "repair",
        )
    neg_vru = df["_vru_exit"] < df["_vru_entry"]
    neg_vru &= (df["_vru_entry"] - df["_vru_exit"]) < HALF_DAY
    if neg_vru.any():
        ctx.note(
            TABLE,
            f"{name}: {int(neg_vru.sum()):,} call(s) left the VRU before entering it "
            f"(negative vru_time, a clock glitch of the source, e.g. "
            f"{example_lines(neg_vru, df['vru_entry'] + '→' + df['vru_exit'], lines)}); not "
            "used: arrived_at comes from q_start or vru_exit as given",
        )


def _note_servers_and_types(df: pd.DataFrame, ctx: ImportContext, name: str) -> None:
    """Note outcomes at odds with the server or service fields, and unknown queue codes."""
    lines = df["line"]
    agent = df["outcome"] == "AGENT"
    served = df["_ser_start"] > 0
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
                TABLE,
                f"{name}: {int(mask.sum()):,} {text} (e.g. {example_lines(mask, None, lines)})",
            )
    unknown = ~df["type"].isin(list(QUEUES))
    if unknown.any():
        codes = ", ".join(sorted(df.loc[unknown, "type"].unique()))
        ctx.note(
            TABLE,
            f"{name}: {int(unknown.sum()):,} call(s) with an undocumented type ({codes}): "
            f"queue 'Unknown (<code>)' (e.g. {example_lines(unknown, None, lines)})",
        )


def _note_days_without_calls(df: pd.DataFrame, ctx: ImportContext, name: str) -> None:
    """Note the days of the file's months on which no call at all is recorded."""
    days = df["_date"].dt.normalize()
    seen = set(days.unique())
    missing = []
    for month in days.dt.to_period("M").unique():
        every = pd.date_range(month.start_time, month.end_time.normalize(), freq="D")
        missing += [d for d in every if d not in seen]
    if missing:
        ctx.note(
            TABLE,
            f"{name}: no calls at all on {', '.join(d.strftime('%Y-%m-%d') for d in missing)} "
            "(a gap in the source; KPIs for these days are not zero but unknown)",
        )
