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
    pseudonym,
    read_export,
    reject_empty,
    reject_rows,
)

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


def convert(paths: list[Path], ctx: ImportContext) -> tuple[dict, dict]:
    """Kaggle customer-support tickets → ``tickets`` and ``surveys``.

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
    parts = [_one(ctx, read_export(p)) for p in paths]
    tickets = pd.concat([p[0] for p in parts], ignore_index=True)
    surveys = pd.concat([p[1] for p in parts], ignore_index=True)
    config: dict = {"timezone": TZ}
    stamps = pd.concat([tickets["created_at"], tickets["resolved_at"]]).dropna()
    if len(stamps):
        config["as_of"] = stamps.max().isoformat()
        ctx.derived("tickets", f"as_of = {config['as_of']}, the latest timestamp in the file")
    ctx.note(
        "tickets",
        "SYNTHETIC data set (Kaggle suraj520): use it to test loading and KPI shapes, not "
        "for plausible durations",
    )
    ctx.note(
        "tickets",
        "no creation time in this file: created_at is the First Response Time, so "
        "first-response KPIs are not available and resolution times run from the first "
        "response (a lower bound)",
    )
    ctx.note("tickets", "the file states no time zone: times read as UTC")
    ctx.note(
        "tickets",
        "not imported: Customer Name, Customer Age, Customer Gender, Product Purchased, "
        "Date of Purchase, Ticket Description, Resolution (personal or free text)",
    )
    return {"tickets": tickets, "surveys": surveys}, config


def _one(ctx: ImportContext, exp) -> tuple[pd.DataFrame, pd.DataFrame]:
    cols = exp.require("Kaggle customer-support tickets", COLUMNS)
    # rejected rows show the mapped columns only: not the customer's name, e-mail (only
    # hashed), age, gender or the free-text description
    raw = exp.show(c for role, c in cols.items() if role != "email")
    lines = exp.lines
    reject_empty(ctx, "tickets", exp)
    keep = pd.Series(True, index=raw.index)

    ids = exp.text(cols["id"]).str.replace(r"\.0$", "", regex=True)
    ctx.mapped("tickets", cols["id"], "ticket_id")
    keep &= reject_rows(ctx, "tickets", raw, ids.isna(), "empty 'Ticket ID'", lines)
    keep &= drop_duplicate_ids(ctx, "tickets", raw, ids.where(keep), lines)

    status_raw = exp.text(cols["status"])
    status = map_values(status_raw, STATUS)

    first_raw = exp.text(cols["first"])
    first, bad_first = parse_times(first_raw, TZ, FORMAT)
    res_raw = exp.text(cols["resolution"])
    resolved, bad_res = parse_times(res_raw, TZ, FORMAT)
    ctx.mapped("tickets", cols["first"], "created_at (proxy: there is no creation time)")
    ctx.mapped("tickets", cols["resolution"], "resolved_at (a timestamp, closed tickets)")

    no_time = keep & first_raw.isna() & res_raw.isna()
    keep &= reject_rows(
        ctx,
        "tickets",
        raw,
        no_time,
        "no timestamp at all (no First Response Time, no Time to Resolution; the file has "
        "no creation time): the ticket cannot be placed in a period",
        lines,
    )
    keep &= reject_rows(
        ctx,
        "tickets",
        raw,
        keep & first_raw.isna(),
        "resolved but no First Response Time: no time to stand in for the creation time",
        lines,
    )
    keep &= reject_rows(
        ctx,
        "tickets",
        raw,
        keep & bad_first,
        f"unparseable 'First Response Time' ({FORMAT})",
        lines,
    )
    add_step(
        ctx,
        "repaired",
        "tickets",
        "unparseable 'Time to Resolution': left empty",
        keep & bad_res,
        res_raw,
        lines,
    )

    ctx.derived(
        "tickets", f"status from 'Ticket Status': {STATUS_DOC}", int((keep & status.notna()).sum())
    )
    unknown = keep & status_raw.notna() & status.isna()
    add_step(
        ctx,
        "repaired",
        "tickets",
        "unknown 'Ticket Status': status left empty",
        unknown,
        status_raw,
        lines,
    )
    is_closed = status == "closed"
    add_step(
        ctx,
        "repaired",
        "tickets",
        "Time to Resolution on a ticket that is not closed: resolved_at left empty",
        keep & resolved.notna() & ~is_closed,
        status_raw,
        lines,
    )
    resolved = resolved.where(is_closed)
    add_step(
        ctx,
        "note",
        "tickets",
        "closed without a Time to Resolution: counted as unresolved",
        keep & is_closed & resolved.isna(),
        status_raw,
        lines,
    )
    flag_resolved_before_created(
        ctx,
        first,
        resolved,
        keep,
        lines,
        "Time to Resolution before First Response Time (the stand-in creation time)",
    )
    same = keep & resolved.notna() & (resolved == first)
    add_step(
        ctx,
        "note",
        "tickets",
        "resolved at the very second of the first response (resolution time 0)",
        same,
        res_raw,
        lines,
    )

    email = exp.text(cols["email"])
    tickets = pd.DataFrame(
        {
            "ticket_id": ids,
            "created_at": first,
            "channel": label(exp.text(cols["channel"])),
            "customer_id": pseudonym(email),
            "resolved_at": resolved,
            "status": status,
            "priority": label(exp.text(cols["priority"])),
            "category": exp.text(cols["type"]),
            "subject": exp.text(cols["subject"]),
        },
        index=raw.index,
    )
    ctx.mapped("tickets", cols["channel"], "channel (lower case, spaces as _)")
    ctx.mapped("tickets", cols["priority"], "priority (lower case)")
    ctx.mapped("tickets", cols["type"], "category")
    ctx.mapped("tickets", cols["subject"], "subject (extra column)")
    ctx.derived(
        "tickets",
        f"customer_id = hash of 'Customer Email' ({email[keep].nunique():,} addresses, "
        f"{int(email[keep].duplicated(keep=False).sum()):,} tickets share one)",
        int((keep & email.notna()).sum()),
    )
    add_step(
        ctx,
        "repaired",
        "tickets",
        "empty 'Ticket Channel': channel 'unknown'",
        keep & tickets["channel"].isna(),
        lines=lines,
    )
    tickets["channel"] = tickets["channel"].fillna("unknown")

    rating_raw = exp.text(cols["rating"])
    rating = pd.to_numeric(rating_raw, errors="coerce")
    rated = keep & rating_raw.notna()
    bad = rated & (rating.isna() | (rating < 1) | (rating > 5))
    if bad.any():
        ctx.reject("surveys", raw.loc[bad], "rating not a number from 1 to 5", lines)
    no_when = rated & ~bad & resolved.isna()
    if no_when.any():
        ctx.reject(
            "surveys",
            raw.loc[no_when],
            "rating on a ticket with no Time to Resolution: no time to date the survey",
            lines,
        )
    ok = rated & ~bad & ~no_when
    surveys = pd.DataFrame(
        {
            "survey_id": "kg-csat-" + ids.astype(str),
            "metric": "csat",
            "sent_at": resolved,
            "score": rating.astype(float),
            "ticket_id": ids,
            "customer_id": tickets["customer_id"],
            "channel": tickets["channel"],
        },
        index=raw.index,
    )[ok]
    ctx.derived(
        "surveys",
        "one csat survey per rated ticket: score = 'Customer Satisfaction Rating' (1-5), "
        "sent_at = Time to Resolution (the file has no survey time)",
        int(ok.sum()),
    )
    return tickets[keep].reset_index(drop=True), surveys.reset_index(drop=True)


register(
    Preset(
        "kaggle-tickets",
        "Kaggle 'Customer Support Ticket Dataset' (suraj520, synthetic)",
        "customer_support_tickets.csv (Ticket ID, Ticket Status, First Response Time, "
        "Time to Resolution, Customer Satisfaction Rating, ...)",
        convert,
    )
)
