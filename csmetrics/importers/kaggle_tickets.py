"""Preset ``kaggle-tickets``: the Kaggle "Customer Support Ticket Dataset" (suraj520).

A **synthetic** data set (8,469 tickets, 17 columns): ``Ticket ID``, customer name,
e-mail, age and gender, product, ``Ticket Type``, ``Ticket Subject``, ``Ticket Status``,
``Ticket Priority``, ``Ticket Channel``, ``First Response Time``, ``Time to Resolution``
and ``Customer Satisfaction Rating``.

Its quirks decide the mapping:

* ``First Response Time`` and ``Time to Resolution`` are **timestamps**, not durations,
  and there is **no creation time**. The first response is the earliest event the file
  records, so it stands in for ``created_at``; ``first_response_at`` is left out (it would
  equal created_at and give a first-response time of 0), so first-response KPIs read
  "not available", and "resolution time" is measured from the first response: a lower
  bound of the real one. The report of the import says so.
* The 2,819 ``Open`` tickets have neither timestamp: they cannot be placed in any
  period, so they are rejected (``rejected/tickets.csv``, reason and line).
* 1,365 tickets are "resolved" before their first response: kept, counted in the import
  report, and left out of resolution times by the loader's ``resolved_before_created``
  check.
* The time zone is not stated: times are read as UTC.
* Personal data (name, e-mail, age, gender) is not imported; ``customer_id`` is a hash of
  the e-mail address.

The preset is :data:`SPEC`: the spec runner (:func:`~csmetrics.importers.spec.convert_file`)
finds the columns, checks that the required ones are there and keeps the columns shown in
rejected rows; the hooks below hold what is special to this export, in the order they run.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import ImportContext, register
from .spec import Column, ImportState, PresetSpec
from .spec import convert as spec_convert
from .values import flag_resolved_before_created, label, map_values, parse_times, pseudonym

TABLE = "tickets"
TZ = "UTC"
FORMAT = "%Y-%m-%d %H:%M:%S"

COLUMNS = {
    "id": ("Ticket ID",),
    "email": ("Customer Email",),
    "type": ("Ticket Type",),
    "subject": ("Ticket Subject",),
    "status": ("Ticket Status",),
    "priority": ("Ticket Priority",),
    "channel": ("Ticket Channel",),
    "first": ("First Response Time",),
    "resolution": ("Time to Resolution",),
    "rating": ("Customer Satisfaction Rating",),
}
STATUS = {
    "open": "open",
    "pending customer response": "pending",
    "closed": "closed",
}
STATUS_DOC = "Open → open; Pending Customer Response → pending; Closed → closed"
#: Notes added after every file is read, in this order.
NOTES = (
    "SYNTHETIC data set (Kaggle suraj520): use it to test loading and KPI shapes, not "
    "for plausible durations",
    "no creation time in this file: created_at is the First Response Time, so "
    "first-response KPIs are not available and resolution times run from the first "
    "response (a lower bound)",
    "the file states no time zone: times read as UTC",
    "not imported: Customer Name, Customer Age, Customer Gender, Product Purchased, "
    "Date of Purchase, Ticket Description, Resolution (personal or free text)",
)


def convert(paths: list[Path], ctx: ImportContext) -> tuple[dict, dict]:
    """Kaggle customer-support tickets → ``tickets`` and ``surveys`` (runs :data:`SPEC`).

    Parameters
    ----------
    paths : list of Path
        The ``customer_support_tickets.csv`` file (several files are concatenated).
    ctx : ImportContext
        Receives every mapping, derivation, repair and rejection.

    Returns
    -------
    frames : dict of DataFrame
        ``tickets`` and ``surveys``.
    config : dict
        ``timezone: UTC`` and ``as_of`` = the latest timestamp in the file.

    Notes
    -----
    Source column → canonical column:

    ================================  =======================================================
    ``Ticket ID``                     ticket_id (repeats rejected, the first record kept)
    ``First Response Time``           created_at (proxy: the file has no creation time;
                                      first_response_at is not set). Empty: rejected.
    ``Time to Resolution``            resolved_at (a timestamp), closed tickets only; before
                                      the first response: kept, counted and flagged
    ``Ticket Channel``                channel: Email, Phone, Chat, Social media → email,
                                      phone, chat, social_media
    ``Ticket Priority``               priority: low, medium, high, critical
    ``Ticket Status``                 status: Open → open, Pending Customer Response →
                                      pending, Closed → closed
    ``Ticket Type``                   category
    ``Ticket Subject``                subject (extra column)
    ``Customer Email``                customer_id = hash of the address (not the address)
    ``Customer Satisfaction Rating``  surveys: metric csat, score 1-5, one per rated ticket,
                                      survey_id ``kg-csat-<id>``, sent_at = resolved_at
    ================================  =======================================================
    """
    return spec_convert(SPEC, paths, ctx)


def _as_of(frames: dict[str, pd.DataFrame], ctx: ImportContext) -> dict:
    """The config, once every file is read: UTC, and ``as_of`` = the latest timestamp."""
    tickets = frames[TABLE]
    config: dict = {"timezone": TZ}
    stamps = pd.concat([tickets["created_at"], tickets["resolved_at"]]).dropna()
    if len(stamps):
        config["as_of"] = stamps.max().isoformat()
        ctx.derived(TABLE, f"as_of = {config['as_of']}, the latest timestamp in the file")
    return config


def _timestamps(state: ImportState, column: Column) -> None:
    """``created_at`` from the First Response Time (rows without one rejected) and the
    Time to Resolution (unreadable ones left empty)."""
    first_raw, res_raw = state.text("first"), state.text("resolution")
    first, bad_first = parse_times(first_raw, TZ, FORMAT)
    resolved, bad_res = parse_times(res_raw, TZ, FORMAT)
    state.ctx.mapped(TABLE, state.found["first"], "created_at (proxy: there is no creation time)")
    state.ctx.mapped(TABLE, state.found["resolution"], "resolved_at (a timestamp, closed tickets)")
    state.reject(
        state.keep & first_raw.isna() & res_raw.isna(),
        "no timestamp at all (no First Response Time, no Time to Resolution; the file has "
        "no creation time): the ticket cannot be placed in a period",
    )
    state.reject(
        state.keep & first_raw.isna(),
        "resolved but no First Response Time: no time to stand in for the creation time",
    )
    state.reject(state.keep & bad_first, f"unparseable 'First Response Time' ({FORMAT})")
    text = "unparseable 'Time to Resolution': left empty"
    state.count("repaired", text, state.keep & bad_res, res_raw)
    state.values["first"], state.values["resolution"] = first, resolved


def _status(state: ImportState, column: Column) -> None:
    """Canonical statuses; unknown ones left empty (counted)."""
    status_raw = state.text("status")
    status = map_values(status_raw, STATUS)
    counted = int((state.keep & status.notna()).sum())
    state.ctx.derived(TABLE, f"status from 'Ticket Status': {STATUS_DOC}", counted)
    unknown = state.keep & status_raw.notna() & status.isna()
    state.count("repaired", "unknown 'Ticket Status': status left empty", unknown, status_raw)
    state.values["status"] = status


def _resolved(state: ImportState, column: Column) -> None:
    """``resolved_at``: the Time to Resolution of closed tickets; oddities counted."""
    keep, status_raw = state.keep, state.text("status")
    first, resolved = state.values["first"], state.values["resolution"]
    is_closed = state.values["status"] == "closed"
    state.count(
        "repaired",
        "Time to Resolution on a ticket that is not closed: resolved_at left empty",
        keep & resolved.notna() & ~is_closed,
        status_raw,
    )
    resolved = resolved.where(is_closed)
    text = "closed without a Time to Resolution: counted as unresolved"
    state.count("note", text, keep & is_closed & resolved.isna(), status_raw)
    flag_resolved_before_created(
        state.ctx,
        first,
        resolved,
        keep,
        state.lines,
        "Time to Resolution before First Response Time (the stand-in creation time)",
    )
    same = keep & resolved.notna() & (resolved == first)
    text = "resolved at the very second of the first response (resolution time 0)"
    state.count("note", text, same, state.text("resolution"))
    state.values["resolved"] = resolved


def _tickets(state: ImportState, column: Column) -> None:
    """The ``tickets`` columns: channel, hashed customer, priority, category, subject."""
    ctx, keep, found = state.ctx, state.keep, state.found
    email = state.text("email")
    tickets = pd.DataFrame(
        {
            "ticket_id": state.values["id"],
            "created_at": state.values["first"],
            "channel": label(state.text("channel")),
            "customer_id": pseudonym(email),
            "resolved_at": state.values["resolved"],
            "status": state.values["status"],
            "priority": label(state.text("priority")),
            "category": state.text("type"),
            "subject": state.text("subject"),
        },
        index=state.exp.evidence.index,
    )
    ctx.mapped(TABLE, found["channel"], "channel (lower case, spaces as _)")
    ctx.mapped(TABLE, found["priority"], "priority (lower case)")
    ctx.mapped(TABLE, found["type"], "category")
    ctx.mapped(TABLE, found["subject"], "subject (extra column)")
    ctx.derived(
        TABLE,
        f"customer_id = hash of 'Customer Email' ({email[keep].nunique():,} addresses, "
        f"{int(email[keep].duplicated(keep=False).sum()):,} tickets share one)",
        int((keep & email.notna()).sum()),
    )
    text = "empty 'Ticket Channel': channel 'unknown'"
    state.count("repaired", text, keep & tickets["channel"].isna())
    tickets["channel"] = tickets["channel"].fillna("unknown")
    state.out = tickets


def _surveys(state: ImportState, column: Column) -> None:
    """One csat survey per rated ticket, dated by its resolution."""
    raw, lines, keep, tickets = state.exp.evidence, state.lines, state.keep, state.out
    resolved = state.values["resolved"]
    rating_raw = state.text("rating")
    rating = pd.to_numeric(rating_raw, errors="coerce")
    rated = keep & rating_raw.notna()
    bad = rated & (rating.isna() | (rating < 1) | (rating > 5))
    if bad.any():
        state.ctx.reject("surveys", raw.loc[bad], "rating not a number from 1 to 5", lines)
    no_when = rated & ~bad & resolved.isna()
    if no_when.any():
        state.ctx.reject(
            "surveys",
            raw.loc[no_when],
            "rating on a ticket with no Time to Resolution: no time to date the survey",
            lines,
        )
    ok = rated & ~bad & ~no_when
    surveys = pd.DataFrame(
        {
            "survey_id": "kg-csat-" + tickets["ticket_id"].astype(str),
            "metric": "csat",
            "sent_at": resolved,
            "score": rating.astype(float),
            "ticket_id": tickets["ticket_id"],
            "customer_id": tickets["customer_id"],
            "channel": tickets["channel"],
        },
        index=raw.index,
    )[ok]
    state.ctx.derived(
        "surveys",
        "one csat survey per rated ticket: score = 'Customer Satisfaction Rating' (1-5), "
        "sent_at = Time to Resolution (the file has no survey time)",
        int(ok.sum()),
    )
    state.tables["surveys"] = surveys.reset_index(drop=True)


def _found(role: str, **kw) -> Column:
    """The rule of a required column of :data:`COLUMNS` (parsed by ``kw["parse"]``)."""
    return Column(role, COLUMNS[role], required=True, **kw)


#: The ``kaggle-tickets`` preset as data: the columns (all required; the e-mail address
#: never shown in rejected rows), then the rules in the order the import runs them.
SPEC = PresetSpec(
    name="kaggle-tickets",
    description="Kaggle 'Customer Support Ticket Dataset' (suraj520, synthetic)",
    sources="customer_support_tickets.csv (Ticket ID, Ticket Status, First Response Time, "
    "Time to Resolution, Customer Satisfaction Rating, ...)",
    kind="Kaggle customer-support tickets",
    extra_tables=("surveys",),
    keep_empty=True,
    timezone=TZ,
    notes=tuple((TABLE, text) for text in NOTES),
    finish=_as_of,
    columns=(
        _found("id", parse="id", target="ticket_id", options={"empty": "empty 'Ticket ID'"}),
        _found("email", shown=False),
        *(_found(role) for role in ("type", "subject", "status", "priority", "channel")),
        _found("first", parse=_timestamps),
        _found("resolution"),
        _found("rating"),
        Column("_status", parse=_status),
        Column("_resolved", parse=_resolved),
        Column("_tickets", parse=_tickets),
        Column("_surveys", parse=_surveys),
    ),
)

register(SPEC.preset(convert))
