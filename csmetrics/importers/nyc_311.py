"""Preset ``nyc-311``: NYC Open Data "311 Service Requests from 2010 to Present" (erm2-nwe9).

One row per service request, exported from the portal as CSV (``Unique Key``,
``Created Date``, ``Closed Date``, ``Agency``, ``Complaint Type``, ``Status``,
``Open Data Channel Type``, ...). Times are New York local time written as
``MM/DD/YYYY hh:mm:ss AM/PM`` without an offset.

Decisions
---------
* ``is_complaint`` is **not** imported: the 311 "Complaint Type" is the kind of request
  (noise, illegal parking, a rodent sighting), a report about the city, not a complaint
  about the 311 service. Nothing in the export says whether a request complains about the
  service, so the complaints KPI reads "not available" rather than 0 or 924.
* ``resolved_at`` is the Closed Date of **closed** requests only; a Closed Date on a request
  that is not closed is dropped and counted.
* There is no first-response time, customer id, agent or survey in this export: those
  KPIs read "not available".
* A file cut off in the middle of its last record is never read as data: a short last
  record or an open quote stops the import; a last record that still has every field
  but no line break after it is rejected unless it is shown complete (its Location
  matches its Latitude and Longitude; see :func:`_cut_off_last_record`).
* Lines holding only delimiters (``,,,``) are rejected and reported like any other.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import ImportContext, Preset, register
from .helpdesk import (
    add_step,
    drop_duplicate_ids,
    flag_resolved_before_created,
    label,
    map_values,
    parse_times,
    read_export,
    reject_empty,
    reject_rows,
)

TZ = "America/New_York"
FORMAT = "%m/%d/%Y %I:%M:%S %p"

COLUMNS = {
    "id": ("Unique Key",),
    "created": ("Created Date",),
    "closed": ("Closed Date",),
    "agency": ("Agency",),
    "type": ("Complaint Type",),
    "status": ("Status",),
    "channel": ("Open Data Channel Type",),
}

#: 311 statuses (the data dictionary lists these) → canonical statuses.
STATUS = {
    "open": "open",
    "assigned": "open",
    "started": "open",
    "in progress": "open",
    "draft": "open",
    "unspecified": "open",
    "pending": "pending",
    "email sent": "pending",
    "closed": "closed",
    "cancel": "closed",
    "cancelled": "closed",
}
STATUS_DOC = (
    "Open, Assigned, Started, In Progress, Draft, Unspecified → open (the agency has not "
    "finished; nothing is awaited from the requester); Pending, Email Sent → pending; "
    "Closed, Cancel → closed"
)


def convert(paths: list[Path], ctx: ImportContext) -> tuple[dict, dict]:
    """NYC 311 service requests → ``tickets``.

    ``csmetrics.yaml`` gets ``timezone: America/New_York``, currency USD, the New York
    holiday calendar with 311's round-the-clock opening hours, and ``as_of`` = the latest
    timestamp in the export (Created, Closed or Resolution Action Updated Date), the
    earliest the extract can have been taken: open requests count as open until then.

    Parameters
    ----------
    paths : list of Path
        One or more CSV exports of the 311 data set (concatenated).
    ctx : ImportContext
        Receives every mapping, derivation, repair and rejection.

    Returns
    -------
    frames : dict of DataFrame
        ``{"tickets": ...}``.
    config : dict
        The ``csmetrics.yaml`` settings above.

    Notes
    -----
    Source column → canonical column:

    ==========================  =============================================================
    ``Unique Key``              ticket_id (repeats rejected, the first record kept)
    ``Created Date``            created_at, America/New_York (empty or unparseable: rejected)
    ``Open Data Channel Type``  channel: PHONE, ONLINE, MOBILE, UNKNOWN, OTHER → lower case
    ``Agency``                  team (NYPD, DSNY, DOT, ...)
    ``Complaint Type``          category (the request type)
    ``Status``                  status: Open, Assigned, Started, In Progress, Draft,
                                Unspecified → open; Pending, Email Sent → pending; Closed,
                                Cancel → closed; other values left empty and counted
    ``Closed Date``             resolved_at, closed requests only; before Created Date: kept,
                                counted, and flagged by the loader's quality check
    (none)                      is_complaint not set: a 311 "complaint type" is a request type
    ==========================  =============================================================
    """
    parts, latest = [], []
    for path in paths:
        tickets, last = _one(ctx, read_export(path))
        parts.append(tickets)
        latest.append(last)
    tickets = pd.concat(parts, ignore_index=True)
    config: dict = {
        "timezone": TZ,
        "currency": "USD",
        "calendar": {
            "country": "US",
            "subdivision": "NY",
            "business_hours": {
                d: "00:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            },
        },
    }
    stamps = [t for t in latest if t is not None and not pd.isna(t)]
    if stamps:
        as_of = max(stamps)
        config["as_of"] = as_of.isoformat()
        ctx.derived(
            "tickets",
            f"as_of = {as_of.isoformat()}, the latest timestamp in the export (the extract "
            "was taken then or later)",
        )
    ctx.note(
        "tickets",
        "is_complaint not set: a 311 'Complaint Type' is the kind of request, not a complaint "
        "about the service; the complaints KPI is not available",
    )
    ctx.note(
        "tickets",
        "no first response, customer, agent or survey in a 311 export: those KPIs are not "
        "available",
    )
    return {"tickets": tickets}, config


def _one(ctx: ImportContext, exp) -> tuple[pd.DataFrame, pd.Timestamp | None]:
    cols = exp.require("NYC 311 service request", COLUMNS)
    updated_col = exp.find("Resolution Action Updated Date")
    # rejected rows show the mapped columns only (not addresses or free text)
    raw = exp.show([*cols.values(), updated_col])
    lines = exp.lines
    reject_empty(ctx, "tickets", exp)
    keep = pd.Series(True, index=raw.index)

    cut = _cut_off_last_record(exp)
    if cut is not None:
        last = pd.Series(raw.index == raw.index[-1], index=raw.index)
        keep &= reject_rows(ctx, "tickets", raw, last, cut, lines)
    elif exp.last_record_open():
        ctx.note(
            "tickets",
            f"{exp.path.name} does not end with a line break: its last record "
            f"(line {int(lines.iloc[-1])}) was checked and looks complete",
        )

    ids = exp.text(cols["id"]).str.replace(r"\.0$", "", regex=True)
    ctx.mapped("tickets", cols["id"], "ticket_id")
    keep &= reject_rows(ctx, "tickets", raw, keep & ids.isna(), "empty 'Unique Key'", lines)
    keep &= drop_duplicate_ids(ctx, "tickets", raw, ids.where(keep), lines)

    created_raw = exp.text(cols["created"])
    created, bad = parse_times(created_raw, TZ, FORMAT)
    ctx.mapped("tickets", cols["created"], f"created_at ({TZ}, {FORMAT})")
    keep &= reject_rows(
        ctx, "tickets", raw, keep & created_raw.isna(), "empty 'Created Date'", lines
    )
    keep &= reject_rows(
        ctx, "tickets", raw, keep & bad, f"unparseable 'Created Date' (expected {FORMAT})", lines
    )

    channel_raw = exp.text(cols["channel"])
    channel = label(channel_raw)
    ctx.mapped("tickets", cols["channel"], "channel (PHONE, ONLINE, MOBILE, ... → lower case)")
    add_step(
        ctx,
        "repaired",
        "tickets",
        "empty 'Open Data Channel Type': channel 'unknown'",
        keep & channel.isna(),
        lines=lines,
    )
    channel = channel.fillna("unknown")

    status_raw = exp.text(cols["status"])
    status = map_values(status_raw, STATUS)
    ctx.derived(
        "tickets", f"status from 'Status': {STATUS_DOC}", int((keep & status.notna()).sum())
    )
    unknown = keep & status_raw.notna() & status.isna()
    add_step(
        ctx,
        "repaired",
        "tickets",
        f"unknown 'Status' value(s) {sorted(set(status_raw[unknown]))[:6]}: status left empty",
        unknown,
        status_raw,
        lines,
    )

    closed_raw = exp.text(cols["closed"])
    closed, bad_closed = parse_times(closed_raw, TZ, FORMAT)
    add_step(
        ctx,
        "repaired",
        "tickets",
        "unparseable 'Closed Date': left empty",
        keep & bad_closed,
        closed_raw,
        lines,
    )
    is_closed = status == "closed"
    dropped = keep & closed.notna() & ~is_closed
    add_step(
        ctx,
        "repaired",
        "tickets",
        "Closed Date on a request that is not closed: "
        "resolved_at left empty (the request counts as open)",
        dropped,
        status_raw,
        lines,
    )
    resolved = closed.where(is_closed)
    ctx.mapped("tickets", cols["closed"], "resolved_at (closed requests only)")
    add_step(
        ctx,
        "note",
        "tickets",
        "closed without a Closed Date: counted as unresolved",
        keep & is_closed & resolved.isna(),
        status_raw,
        lines,
    )
    flag_resolved_before_created(
        ctx, created, resolved, keep, lines, "Closed Date before Created Date"
    )

    out = pd.DataFrame(
        {
            "ticket_id": ids,
            "created_at": created,
            "channel": channel,
            "status": status,
            "resolved_at": resolved,
            "category": exp.text(cols["type"]),
            "team": exp.text(cols["agency"]),
        },
        index=raw.index,
    )[keep]
    ctx.mapped("tickets", cols["type"], "category")
    ctx.mapped("tickets", cols["agency"], "team")

    stamps = [created[keep].max(), closed[keep].max()]
    if updated_col is not None:
        stamps.append(parse_times(exp.text(updated_col), TZ, FORMAT)[0][keep].max())
    stamps = [s for s in stamps if not pd.isna(s)]
    return out.reset_index(drop=True), (max(stamps) if stamps else None)


def _cut_off_last_record(exp) -> str | None:
    """Why the last record seems cut off (the reason to reject it), or None.

    A file cut in the middle of a row usually leaves a short last record (an error when
    the file is read) or an open quote (an error too). A cut right after a delimiter, or
    inside the last field, leaves as many fields as the header: such a record is suspect
    when no line break ends the file. It is kept when it can be shown complete:

    * with the portal's ``Latitude``, ``Longitude`` and ``Location`` columns (Location is
      always ``(lat, lon)`` of the other two, or empty with them), when they agree;
    * otherwise when its last field ends with a closing quote, or is neither empty nor
      the beginning of a longer value of the same column (``PHO`` of ``PHONE``).

    Examples
    --------
    >>> from csmetrics.importers.helpdesk import Export
    >>> from csmetrics.importers._csvtext import Record, Records
    >>> frame = pd.DataFrame({"Key": ["1", "2"], "Channel": ["PHONE", "PHO"]})
    >>> rec = Records(Path("x.csv"), ",", ["Key", "Channel"], 1, terminated=False,
    ...               last=Record(3, ["2", "PHO"], "2,PHO"))
    >>> _cut_off_last_record(Export(Path("x.csv"), frame, pd.Series([2, 3]), rec))[:34]
    'the file ends without a line break'
    """
    if not exp.last_record_open():
        return None
    rec = exp.records
    row = exp.frame.iloc[-1]
    why = (
        "the file ends without a line break in the middle of this record: it seems cut "
        "off, so the request is left out ({}); export the file again to import it"
    )
    geo = [exp.find(n) for n in ("Latitude", "Longitude", "Location")]
    if None not in geo:
        lat, lon, loc = (str(row[c] or "").strip() for c in geo)
        expected = f"({lat}, {lon})" if lat and lon else ""
        if loc == expected:
            return None
        return why.format(f"Location {loc!r} does not match Latitude and Longitude")
    if rec.last_quoted:
        return None
    last_col = exp.frame.columns[-1]
    value = str(row[last_col] or "").strip()
    if not value:
        return why.format(f"its last field, {last_col!r}, is empty")
    others = exp.text(last_col).iloc[:-1].dropna()
    if value not in set(others) and others.str.startswith(value).any():
        return why.format(f"{last_col!r} {value!r} is the beginning of a longer value")
    return None


register(
    Preset(
        "nyc-311",
        "NYC Open Data 311 service requests (one row per request, New York local time)",
        "311_Service_Requests*.csv (Unique Key, Created Date, Closed Date, Agency, "
        "Complaint Type, Status, Open Data Channel Type)",
        convert,
    )
)
