"""Preset ``zendesk``: the Zendesk ticket CSV export, stated as a :class:`PresetSpec`.

Supported: the admin **CSV export** (Admin Center > Account > Tools > Reports > Export >
CSV export). Its columns and their meaning are documented in Zendesk's help-centre
article "Exporting ticket, user, or organization data from your account"
(support.zendesk.com/hc/en-us/articles/4408886165402, section *CSV export*); the column
order below is the one of real exports (e.g. GitHub ``skipjac/Zendesk-CSV-append``,
which post-processes the downloaded file)::

    Summation column, Id, Requester, Requester id, Requester external id,
    Requester email, Requester domain, Submitter, Assignee, Group, Subject, Tags,
    Status, Priority, Via, Ticket type, Created at, Updated at, Assigned at,
    Organization, Due date, Initially assigned at, Solved at, Resolution time,
    Satisfaction Score, Group stations, Assignee stations, Reopens, Replies,
    First reply time in minutes, First reply time in minutes within business hours,
    First resolution time in minutes, ..., Full resolution time in minutes, ...,
    Agent wait time in minutes, ..., Requester wait time in minutes, ...,
    On hold time in minutes, ...

Dates look like ``2026-03-02 09:00`` and are in the account's time zone ("Displays in
the account's time zone"); they are read as UTC unless they carry an offset. A view
exported as CSV, or an Explore report, with the same column names (any case or
spacing, ``ID`` or ``Ticket ID``) imports as well; dates ``MM/DD/YYYY`` or
``DD/MM/YYYY`` are told apart by the values (a day above 12).

The preset is :data:`SPEC`: the generic runner (:mod:`~csmetrics.importers.spec`) reads
the columns; the hooks below resolve tickets and derive the csat surveys.
"""

from __future__ import annotations

from pathlib import Path

from . import ImportContext, register
from .export import norm
from .helpdesk_common import (
    after_created,
    core_columns,
    csat_surveys,
    done_mask,
    drop_stale,
    finish_surveys,
    note_undated,
    note_unparseable,
    reject_unknown_answers,
    survey_answers,
)
from .spec import Column, ImportState, PresetSpec, convert
from .values import add_seconds, add_step, parse_duration_s, plain

ZENDESK_STATUS = {
    "new": "open",
    "open": "open",
    "pending": "pending",
    "hold": "pending",
    "on hold": "pending",
    "solved": "resolved",
    "closed": "closed",
}
ZENDESK_STATUS_DOC = "new/open → open; pending, hold/on-hold → pending; solved → resolved; closed"

#: Zendesk "Via" values → channel labels (others are kept as lower-case labels).
ZENDESK_VIA = {
    "email": "email",
    "mail": "email",
    "web form": "web",
    "web": "web",
    "help center": "web",
    "phone call inbound": "phone",
    "phone call outbound": "phone",
    "phone": "phone",
    "voicemail": "phone",
    "voice": "phone",
    "chat": "chat",
    "web widget": "chat",
    "messaging": "chat",
    "mobile sdk": "chat",
    "api": "api",
    "web service": "api",
    "web service api": "api",
    "twitter": "social",
    "facebook": "social",
    "instagram": "social",
    "whatsapp": "social",
    "closed ticket": "follow_up",
}

ZENDESK_COLUMNS = {
    "id": ("Id", "ID", "Ticket ID", "Ticket Id"),
    "created": ("Created at", "Created", "Requested", "Ticket created at"),
    "status": ("Status", "Ticket status"),
}
ZENDESK_OPTIONAL = {
    "via": ("Via", "Channel", "Ticket channel"),
    "solved": ("Solved at", "Solved", "Ticket solved at"),
    "updated": ("Updated at", "Updated", "Ticket updated at"),
    "priority": ("Priority", "Ticket priority"),
    "type": ("Ticket type", "Type"),
    "group": ("Group", "Group name", "Ticket group"),
    "assignee": ("Assignee", "Assignee name"),
    "requester_id": ("Requester id", "Requester ID"),
    "requester_email": ("Requester email",),
    "first_reply_min": ("First reply time in minutes", "First reply time (min)"),
    "full_resolution_min": ("Full resolution time in minutes",),
    "replies": ("Replies", "Agent replies"),
    "reopens": ("Reopens",),
    "satisfaction": ("Satisfaction Score", "Satisfaction rating", "Satisfaction"),
}
#: Zendesk CSAT is good/bad; "Offered" means asked and not answered yet.
ZENDESK_CSAT = {"good": 5.0, "bad": 1.0}
ZENDESK_NOT_ASKED = {"not offered", "unoffered"}


def convert_zendesk(paths: list[Path], ctx: ImportContext) -> tuple[dict, dict]:
    """Zendesk ticket CSV export → ``tickets`` (and ``surveys`` from the satisfaction score).

    Parameters
    ----------
    paths : list of Path
        One or more CSV (or Excel) export files; several files are concatenated.
    ctx : ImportContext
        Receives every mapping, derivation, repair and rejection.

    Returns
    -------
    frames : dict of DataFrame
        ``tickets`` and, when the export has satisfaction scores, ``surveys``.
    config : dict
        ``{"timezone": "UTC"}``.

    Notes
    -----
    Source column → canonical column:

    ============================  ===========================================================
    ``Id``                        ticket_id (repeats rejected, the first record kept)
    ``Created at``                created_at (naive times read as UTC; unparseable or empty:
                                  row rejected)
    ``Via``                       channel: email/mail → email, web form → web, phone call,
                                  voicemail → phone, chat/web widget/messaging → chat,
                                  api/web service → api, twitter/facebook/... → social,
                                  others lower-cased; missing column → ``unknown`` (noted)
    ``Status``                    status: new/open → open, pending/hold → pending,
                                  solved → resolved, closed → closed; others left empty
    ``Solved at``                 resolved_at, for solved and closed tickets only (a reopened
                                  ticket keeps its old Solved at: dropped, counted); when it is
                                  empty, ``Created at`` + ``Full resolution time in minutes``
    ``First reply time in min.``  first_response_at = created_at + minutes
    ``Priority``                  priority (lower case)
    ``Ticket type``               category
    ``Group`` / ``Assignee``      team / agent_id
    ``Requester id``              customer_id (else a hash of ``Requester email``)
    ``Replies`` / ``Reopens``     agent_replies / reopens
    ``Satisfaction Score``        surveys (metric csat): Good → 5, Bad → 1, Offered → sent and
                                  not answered, Not Offered → no survey; sent_at = resolved_at
                                  (else ``Updated at``, else created_at)
    ============================  ==========================================================="""
    return convert(SPEC, paths, ctx)


def _resolution(state: ImportState, column: Column) -> None:
    """``Solved at`` for solved and closed tickets; when empty, ``Created at`` + ``Full
    resolution time in minutes``."""
    solved, bad = state.times(column.role, column.target)
    note_unparseable(state, column.role, bad)
    resolved = drop_stale(
        state,
        solved,
        "Solved at on a ticket that is not solved or closed (reopened since): resolved_at "
        "left empty, the ticket counts as open",
    )
    full = state.found["full_resolution_min"]
    if full:
        mins, _ = parse_duration_s(state.text("full_resolution_min"), 60.0)
        fill = state.keep & done_mask(state) & resolved.isna() & mins.notna()
        resolved = resolved.where(~fill, add_seconds(state.values["created"], mins))
        if fill.any():
            state.ctx.derived(
                state.table,
                f"resolved_at = created_at + {full!r} where "
                f"{state.found[column.role] or 'Solved at'!r} is empty",
                int(fill.sum()),
            )
    note_undated(
        state,
        resolved,
        "solved or closed without a solve date: counted as unresolved",
        "Solved at before Created at",
    )
    state.set(column, resolved)


def _first_reply(state: ImportState, column: Column) -> None:
    """``first_response_at`` = ``created_at`` + ``First reply time in minutes``."""
    col = state.found[column.role]
    if col is None:
        return
    first, bad = after_created(state, column.role, 60.0)
    state.set(column, first)
    text = f"unparseable {col!r}: left empty"
    add_step(
        state.ctx, "repaired", state.table, text, state.keep & bad, state.text(column.role),
        state.lines,
    )  # fmt: skip


def _surveys(state: ImportState, column: Column) -> None:
    """One csat survey per ticket asked: Good → 5, Bad → 1, Offered → not answered."""
    if state.found[column.role] is None:
        return
    col, sat, score = survey_answers(state, column.role, ZENDESK_CSAT)
    folded = plain(sat).map(lambda v: norm(v) if isinstance(v, str) else None)
    asked = state.keep & sat.notna() & ~folded.isin(ZENDESK_NOT_ASKED)
    offered = folded.isin({"offered", "offered not rated"})
    unknown = asked & score.isna() & ~offered
    reject_unknown_answers(state, col, unknown)
    asked &= ~unknown
    surveys = csat_surveys(state, score, "zd-csat-", "when not solved")[asked]
    finish_surveys(
        state,
        surveys,
        f"one csat survey per ticket whose {col!r} is Good, Bad or Offered (Good → 5, Bad → 1, "
        "Offered → not answered; Not Offered → no survey); sent_at = resolved_at, else "
        "Updated at (the export has no survey time)",
        int(asked.sum()),
    )


_OPT = ZENDESK_OPTIONAL

#: The ``zendesk`` preset as data: the rules in the order the import runs them.
SPEC = PresetSpec(
    name="zendesk",
    description="Zendesk ticket CSV export (Admin Center > Tools > Reports > CSV export)",
    sources="export_*.csv (Id, Created at, Status, Via, Solved at, ...; several files allowed)",
    kind="Zendesk ticket",
    extra_tables=("surveys",),
    columns=(
        *core_columns(ZENDESK_COLUMNS, ZENDESK_STATUS, ZENDESK_STATUS_DOC),
        Column(
            "via", _OPT["via"], "channel", "channel",
            options={
                "mapping": ZENDESK_VIA,
                "describe": "channel (email, web, phone, chat, api, social, ...)",
                "missing": "no 'Via' column: channel is 'unknown' for every ticket",
            },
        ),
        Column("updated", _OPT["updated"]),
        Column("full_resolution_min", _OPT["full_resolution_min"]),
        Column("solved", _OPT["solved"], _resolution, "resolved_at"),
        Column("first_reply_min", _OPT["first_reply_min"], _first_reply, "first_response_at"),
        Column("priority", _OPT["priority"], "label", "priority"),
        Column("type", _OPT["type"], "text", "category"),
        Column("group", _OPT["group"], "text", "team"),
        Column("assignee", _OPT["assignee"], "text", "agent_id"),
        Column(
            "requester_id", _OPT["requester_id"], "customer", "customer_id",
            options={"email": "requester_email"},
        ),
        # the requester's e-mail is only hashed: never shown in rejected rows
        Column("requester_email", _OPT["requester_email"], shown=False),
        Column("replies", _OPT["replies"], "count", "agent_replies"),
        Column("reopens", _OPT["reopens"], "count", "reopens"),
        Column("satisfaction", _OPT["satisfaction"], _surveys),
    ),
    notes=(
        (
            "tickets",
            "Zendesk CSV exports show times in the account's time zone without an offset; "
            "they were read as UTC (convert the export or the created_at column if the "
            "account uses another zone)",
        ),
    ),
)  # fmt: skip

register(SPEC.preset(convert_zendesk))
