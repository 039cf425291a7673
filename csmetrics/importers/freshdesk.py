"""Preset ``freshdesk``: the Freshdesk ticket export, stated as a :class:`PresetSpec`.

Supported: **Tickets > Export** (CSV or Excel), whose default fields are::

    Ticket ID, Subject, Status, Priority, Source, Type, Agent, Group, Created time,
    Due by Time, Resolved time, Closed time, Last update time, Initial response time,
    Time tracked, First response time (in hrs), Resolution time (in hrs),
    Agent interactions, Customer interactions, Resolution status,
    First response status, Tags, Survey results, ..., Full name, Contact ID

The names come from public scripts that read or re-create that export (GitHub code
searched for ``"Resolution time (in hrs)"``: a ticket-dump reader, a pandas helpdesk
report, an exporter that rebuilds the CSV through the API with the same header), and
agree with Freshdesk's ticket fields (status 2-5 = Open/Pending/Resolved/Closed,
priority Low/Medium/High/Urgent, source Email/Portal/Phone/Chat/Feedback Widget/
Outbound Email). Some accounts export the misspelt ``Fist response time (in hrs)``;
it is accepted. The ``(in hrs)`` durations are read as decimal hours (``1.5``) or as
clock time (``01:30:00``); ``Time tracked`` as ``hh:mm`` (or ``hh:mm:ss``).

The preset is :data:`SPEC`: the generic runner (:mod:`~csmetrics.importers.spec`) reads
the columns; the hooks below resolve tickets, derive the first response and the csat
surveys.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import ImportContext, register
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
from .values import add_step

FRESHDESK_STATUS = {
    "open": "open",
    "pending": "pending",
    "resolved": "resolved",
    "closed": "closed",
    "waiting on customer": "pending",
    "waiting on third party": "pending",
    "waiting on 3rd party": "pending",
    "awaiting customer": "pending",
}
FRESHDESK_STATUS_DOC = (
    "Open → open; Pending, Waiting on Customer, Waiting on Third Party → pending; "
    "Resolved → resolved; Closed → closed"
)
FRESHDESK_CSAT = {
    # classic 3-point survey
    "awesome": 5.0,
    "just okay": 3.0,
    "not good": 1.0,
    # custom surveys (up to 7 points)
    "extremely happy": 5.0,
    "very happy": 5.0,
    "happy": 4.0,
    "neutral": 3.0,
    "unhappy": 2.0,
    "very unhappy": 1.0,
    "extremely unhappy": 1.0,
}

FRESHDESK_COLUMNS = {
    "id": ("Ticket ID", "Ticket Id", "ID"),
    "created": ("Created time", "Created at", "Created date"),
    "status": ("Status",),
}
FRESHDESK_OPTIONAL = {
    "source": ("Source", "Channel"),
    "resolved": ("Resolved time", "Resolved at"),
    "closed": ("Closed time", "Closed at"),
    "updated": ("Last update time", "Last updated time", "Updated at"),
    "initial": ("Initial response time",),
    "first_hrs": (
        "First response time (in hrs)",
        "Fist response time (in hrs)",
        "First response time in hrs",
    ),
    "priority": ("Priority",),
    "type": ("Type", "Ticket type"),
    "agent": ("Agent", "Agent name"),
    "group": ("Group", "Group name"),
    "agent_int": ("Agent interactions",),
    "contact": ("Contact ID", "Requester ID"),
    "email": ("Requester email", "Email"),
    "survey": ("Survey results", "Survey result", "Satisfaction rating"),
    "tracked": ("Time tracked",),
}


def convert_freshdesk(paths: list[Path], ctx: ImportContext) -> tuple[dict, dict]:
    """Freshdesk "Export tickets" CSV/Excel → ``tickets`` (and ``surveys``).

    Parameters
    ----------
    paths : list of Path
        One or more export files (CSV or Excel); several files are concatenated.
    ctx : ImportContext
        Receives every mapping, derivation, repair and rejection.

    Returns
    -------
    frames : dict of DataFrame
        ``tickets`` and, when surveys were answered, ``surveys``.
    config : dict
        ``{"timezone": "UTC"}``.

    Notes
    -----
    Source column → canonical column:

    ================================  =======================================================
    ``Ticket ID``                     ticket_id (repeats rejected, the first record kept)
    ``Created time``                  created_at (naive = UTC; ``DD-MM-YYYY`` told from the
                                      values; unparseable or empty: row rejected)
    ``Source``                        channel, lower-cased (Email → email, Feedback Widget →
                                      feedback_widget); missing column → ``unknown`` (noted)
    ``Status``                        status: Open → open; Pending, Waiting on ... → pending;
                                      Resolved → resolved; Closed → closed; others empty
    ``Resolved time``                 resolved_at for resolved/closed tickets; empty → the
                                      ``Closed time``
    ``First response time (in hrs)``  first_response_at = created_at + duration (decimal
                                      hours or hh:mm:ss); empty or unreadable → ``Initial
                                      response time`` (a timestamp)
    ``Priority`` / ``Type``           priority (lower case) / category
    ``Agent`` / ``Group``             agent_id / team
    ``Agent interactions``            agent_replies
    ``Time tracked``                  handle_time_s (``hh:mm``)
    ``Contact ID``                    customer_id (else a hash of the requester e-mail)
    ``Survey results``                surveys (metric csat): Awesome 5, Just Okay 3, Not Good 1;
                                      Extremely/Very Happy 5, Happy 4, Neutral 3, Unhappy 2,
                                      Very/Extremely Unhappy 1; numbers 1-5 as they are;
                                      sent_at = resolved_at, else Last update time
    ================================  =======================================================
    """
    return convert(SPEC, paths, ctx)


def _resolution(state: ImportState, column: Column) -> None:
    """``Resolved time`` for resolved and closed tickets; when empty, ``Closed time``."""
    resolved, bad_r = state.times(column.role, column.target)
    closed, bad_c = state.times("closed", "resolved_at (when Resolved time is empty)")
    note_unparseable(state, column.role, bad_r)
    note_unparseable(state, "closed", bad_c)
    fill = state.keep & done_mask(state) & resolved.isna() & closed.notna()
    resolved = resolved.where(~fill, closed)
    if fill.any():
        state.ctx.derived(
            state.table,
            f"resolved_at = {state.found['closed']!r} where {state.found[column.role]!r} is empty",
            int(fill.sum()),
        )
    resolved = drop_stale(
        state,
        resolved,
        "resolved time on a ticket that is not resolved or "
        "closed (reopened since): resolved_at left empty",
    )
    note_undated(
        state,
        resolved,
        "resolved or closed without a date: counted as unresolved",
        "Resolved time before Created time",
    )
    state.set(column, resolved)


def _first_response(state: ImportState, column: Column) -> None:
    """``created_at`` + ``First response time (in hrs)``; when empty or unreadable, the
    ``Initial response time`` (a timestamp)."""
    hrs, initial = state.found[column.role], state.found["initial"]
    created = state.values["created"]
    first = pd.Series(pd.NaT, index=created.index, dtype=created.dtype)
    if hrs:
        first, bad = after_created(state, column.role, 3600.0)
        text = (
            f"unreadable {hrs!r}: {initial or 'Initial response time'!r} used instead, else empty"
        )
        add_step(
            state.ctx, "repaired", state.table, text, state.keep & bad, state.text(column.role),
            state.lines,
        )  # fmt: skip
    if initial:
        describe = "first_response_at (when the (in hrs) duration is empty)"
        times, bad = state.times("initial", describe)
        use = state.keep & first.isna() & times.notna()
        first = first.where(~use, times)
        if use.any():
            state.ctx.derived(
                state.table,
                f"first_response_at = {initial!r} where the duration is empty",
                int(use.sum()),
            )
        note_unparseable(state, "initial", bad)
    if hrs or initial:
        state.set(column, first)


def _surveys(state: ImportState, column: Column) -> None:
    """One csat survey per answered survey: labels → 1-5 (see :data:`FRESHDESK_CSAT`)."""
    if state.found[column.role] is None:
        return
    col, answer, score = survey_answers(state, column.role, FRESHDESK_CSAT)
    given = state.keep & answer.notna()
    bad = given & (score.isna() | (score < 1) | (score > 5))
    reject_unknown_answers(state, col, bad)
    given &= ~bad
    surveys = csat_surveys(state, score, "fd-csat-", "when not resolved")[given]
    finish_surveys(
        state,
        surveys,
        f"one csat survey per answered {col!r} (labels → 1-5, see the preset); sent_at = "
        "resolved_at, else the last update (the export has no survey time); unanswered "
        "surveys are not in this export",
        int(given.sum()),
    )


_OPT = FRESHDESK_OPTIONAL

#: The ``freshdesk`` preset as data: the rules in the order the import runs them.
SPEC = PresetSpec(
    name="freshdesk",
    description="Freshdesk ticket export (Tickets > Export, CSV or Excel)",
    sources="tickets.csv (Ticket ID, Created time, Status, Source, Resolved time, ...)",
    kind="Freshdesk ticket",
    extra_tables=("surveys",),
    columns=(
        *core_columns(FRESHDESK_COLUMNS, FRESHDESK_STATUS, FRESHDESK_STATUS_DOC),
        Column(
            "source", _OPT["source"], "channel", "channel",
            options={
                "describe": "channel (lower case)",
                "missing": "no 'Source' column: channel is 'unknown' for every ticket",
            },
        ),
        Column("closed", _OPT["closed"]),
        Column("updated", _OPT["updated"]),
        Column("initial", _OPT["initial"]),
        Column("resolved", _OPT["resolved"], _resolution, "resolved_at"),
        Column("first_hrs", _OPT["first_hrs"], _first_response, "first_response_at"),
        Column("priority", _OPT["priority"], "label", "priority"),
        Column("type", _OPT["type"], "text", "category"),
        Column("group", _OPT["group"], "text", "team"),
        Column("agent", _OPT["agent"], "text", "agent_id"),
        Column("contact", _OPT["contact"], "customer", "customer_id", options={"email": "email"}),
        # the requester's e-mail is only hashed: never shown in rejected rows
        Column("email", _OPT["email"], shown=False),
        Column("agent_int", _OPT["agent_int"], "count", "agent_replies"),
        Column(
            "tracked", _OPT["tracked"], "duration", "handle_time_s",
            options={"unit_s": 3600.0, "describe": "handle_time_s (hh:mm, or decimal hours)"},
        ),
        Column("survey", _OPT["survey"], _surveys),
    ),
    notes=(
        (
            "tickets",
            "Freshdesk exports show times in the helpdesk's time zone without an offset; they "
            "were read as UTC",
        ),
    ),
)  # fmt: skip

register(SPEC.preset(convert_freshdesk))
