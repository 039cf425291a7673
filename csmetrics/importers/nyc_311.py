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

The preset is :data:`SPEC`: the spec runner (:func:`~csmetrics.importers.spec.convert_file`)
finds the columns, checks that the required ones are there and keeps the columns shown in
rejected rows; the hooks below hold what is special to this export, in the order they run.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd

from . import ImportContext, register
from .spec import Column, ImportState, PresetSpec
from .spec import convert as spec_convert
from .values import flag_resolved_before_created, label, map_values, parse_times

TABLE = "tickets"
TZ = "America/New_York"
FORMAT = "%m/%d/%Y %I:%M:%S %p"
#: The table of one file's latest timestamp (see :func:`_tickets`), not written.
LATEST = "_latest"

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
#: Notes added after every file is read, in this order.
NOTES = (
    "is_complaint not set: a 311 'Complaint Type' is the kind of request, not a complaint "
    "about the service; the complaints KPI is not available",
    "no first response, customer, agent or survey in a 311 export: those KPIs are not available",
)
#: The settings of every 311 import (``as_of`` is added from the data).
CONFIG = {
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
    return spec_convert(SPEC, paths, ctx)


def _as_of(frames: dict[str, pd.DataFrame], ctx: ImportContext) -> dict:
    """The config, once every file is read: :data:`CONFIG` and ``as_of`` = the latest
    timestamp of every file (table :data:`LATEST`, dropped: it is not written)."""
    latest = frames.pop(LATEST)
    config: dict = copy.deepcopy(CONFIG)
    stamps = [t for t in latest["at"] if t is not None and not pd.isna(t)]
    if stamps:
        as_of = max(stamps)
        config["as_of"] = as_of.isoformat()
        ctx.derived(
            TABLE,
            f"as_of = {as_of.isoformat()}, the latest timestamp in the export (the extract "
            "was taken then or later)",
        )
    return config


def _reject_cut_off(state: ImportState, column: Column) -> None:
    """Reject a last record that seems cut off; note one checked and found complete."""
    exp = state.exp
    cut = _cut_off_last_record(exp)
    if cut is not None:
        index = exp.evidence.index
        state.reject(pd.Series(index == index[-1], index=index), cut)
    elif exp.last_record_open():
        state.ctx.note(
            TABLE,
            f"{exp.path.name} does not end with a line break: its last record "
            f"(line {int(state.lines.iloc[-1])}) was checked and looks complete",
        )


def _created(state: ImportState, column: Column) -> None:
    """``created_at``; rows with an empty or unreadable Created Date are rejected."""
    created_raw = state.text("created")
    created, bad = parse_times(created_raw, TZ, FORMAT)
    state.ctx.mapped(TABLE, state.found["created"], f"created_at ({TZ}, {FORMAT})")
    state.reject(state.keep & created_raw.isna(), "empty 'Created Date'")
    state.reject(state.keep & bad, f"unparseable 'Created Date' (expected {FORMAT})")
    state.values["created"] = created


def _channel(state: ImportState, column: Column) -> None:
    """Channel labels (``PHONE`` → ``phone``); empty → ``unknown`` (counted)."""
    channel = label(state.text("channel"))
    describe = "channel (PHONE, ONLINE, MOBILE, ... → lower case)"
    state.ctx.mapped(TABLE, state.found["channel"], describe)
    text = "empty 'Open Data Channel Type': channel 'unknown'"
    state.count("repaired", text, state.keep & channel.isna())
    state.values["channel"] = channel.fillna("unknown")


def _status(state: ImportState, column: Column) -> None:
    """Canonical statuses; unknown values left empty (counted, with the first six)."""
    keep, status_raw = state.keep, state.text("status")
    status = map_values(status_raw, STATUS)
    counted = int((keep & status.notna()).sum())
    state.ctx.derived(TABLE, f"status from 'Status': {STATUS_DOC}", counted)
    unknown = keep & status_raw.notna() & status.isna()
    state.count(
        "repaired",
        f"unknown 'Status' value(s) {sorted(set(status_raw[unknown]))[:6]}: status left empty",
        unknown,
        status_raw,
    )
    state.values["status"] = status


def _resolved(state: ImportState, column: Column) -> None:
    """``resolved_at``: the Closed Date of closed requests; oddities counted."""
    keep, status_raw, closed_raw = state.keep, state.text("status"), state.text("closed")
    closed, bad_closed = parse_times(closed_raw, TZ, FORMAT)
    text = "unparseable 'Closed Date': left empty"
    state.count("repaired", text, keep & bad_closed, closed_raw)
    is_closed = state.values["status"] == "closed"
    state.count(
        "repaired",
        "Closed Date on a request that is not closed: "
        "resolved_at left empty (the request counts as open)",
        keep & closed.notna() & ~is_closed,
        status_raw,
    )
    resolved = closed.where(is_closed)
    state.ctx.mapped(TABLE, state.found["closed"], "resolved_at (closed requests only)")
    text = "closed without a Closed Date: counted as unresolved"
    state.count("note", text, keep & is_closed & resolved.isna(), status_raw)
    created = state.values["created"]
    before = "Closed Date before Created Date"
    flag_resolved_before_created(state.ctx, created, resolved, keep, state.lines, before)
    state.values["closed"], state.values["resolved"] = closed, resolved


def _tickets(state: ImportState, column: Column) -> None:
    """The ``tickets`` columns, and (table :data:`LATEST`) the file's latest timestamp:
    of Created Date, Closed Date and Resolution Action Updated Date, rows kept."""
    keep, values = state.keep, state.values
    state.out = pd.DataFrame(
        {
            "ticket_id": values["id"],
            "created_at": values["created"],
            "channel": values["channel"],
            "status": values["status"],
            "resolved_at": values["resolved"],
            "category": state.text("type"),
            "team": state.text("agency"),
        },
        index=state.exp.evidence.index,
    )
    state.ctx.mapped(TABLE, state.found["type"], "category")
    state.ctx.mapped(TABLE, state.found["agency"], "team")
    stamps = [values["created"][keep].max(), values["closed"][keep].max()]
    if state.found["updated"] is not None:
        stamps.append(parse_times(state.text("updated"), TZ, FORMAT)[0][keep].max())
    stamps = [s for s in stamps if not pd.isna(s)]
    latest = max(stamps) if stamps else None
    state.tables[LATEST] = pd.DataFrame({"at": pd.Series([latest], dtype=object)})


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
    >>> from csmetrics.importers.export import Export
    >>> from csmetrics.csvfile import Record, Records
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


#: The ``nyc-311`` preset as data: the rules in the order they run (the cut-off check
#: first); every column is required but the Resolution Action Updated Date, which only
#: dates the extract.
SPEC = PresetSpec(
    name="nyc-311",
    description="NYC Open Data 311 service requests (one row per request, New York local time)",
    sources="311_Service_Requests*.csv (Unique Key, Created Date, Closed Date, Agency, "
    "Complaint Type, Status, Open Data Channel Type)",
    kind="NYC 311 service request",
    extra_tables=(LATEST,),
    timezone=TZ,
    notes=tuple((TABLE, text) for text in NOTES),
    finish=_as_of,
    columns=(
        Column("_cut_off", parse=_reject_cut_off),
        Column(
            "id", COLUMNS["id"], "id", "ticket_id", required=True,
            options={"empty": "empty 'Unique Key'"},
        ),
        *(Column(role, COLUMNS[role], required=True) for role in list(COLUMNS)[1:]),
        Column("updated", ("Resolution Action Updated Date",)),
        Column("_created", parse=_created),
        Column("_channel", parse=_channel),
        Column("_status", parse=_status),
        Column("_resolved", parse=_resolved),
        Column("_tickets", parse=_tickets),
    ),
)  # fmt: skip

register(SPEC.preset(convert))
