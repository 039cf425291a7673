"""Steps the help-desk presets (``zendesk``, ``freshdesk``) share, as spec hooks.

Both exports give a ticket's resolution and first response as a timestamp or a
duration after creation, and a satisfaction answer per ticket; the hooks of
:mod:`~csmetrics.importers.zendesk` and :mod:`~csmetrics.importers.freshdesk` combine
these steps in their own order with their own wording. Every function takes the
:class:`~csmetrics.importers.spec.ImportState` of the export being converted.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .spec import Column, ImportState
from .values import (
    add_seconds,
    add_step,
    csat_from_labels,
    flag_resolved_before_created,
    parse_duration_s,
)


def core_columns(
    aliases: Mapping[str, tuple[str, ...]], status: Mapping[str, str], doc: str
) -> tuple[Column, Column, Column]:
    """The rules every ticket export starts with: the id (empty and repeated ones
    rejected), the creation time (empty or unreadable ones rejected) and the status
    (through ``status``, described by ``doc``); ``aliases`` names their columns
    (keys ``id``, ``created``, ``status``)."""
    return (
        Column("id", aliases["id"], "id", "ticket_id", required=True),
        Column(
            "created", aliases["created"], "timestamp", "created_at", required=True,
            options={"reject": True},
        ),
        Column(
            "status", aliases["status"], "status", "status", required=True,
            options={"mapping": status, "doc": doc},
        ),
    )  # fmt: skip


#: Statuses of tickets that are done (they may carry a resolution time).
DONE = ("resolved", "closed")


def done_mask(state: ImportState) -> pd.Series:
    """Rows whose canonical status is resolved or closed."""
    return state.values["status"].isin(list(DONE))


def note_unparseable(state: ImportState, role: str, bad: pd.Series) -> None:
    """Count the unreadable timestamps of ``role``'s column (left empty)."""
    col = state.found.get(role)
    text = f"unparseable {col!r}: left empty"
    add_step(state.ctx, "repaired", state.table, text, bad, state.text(role), state.lines)


def drop_stale(state: ImportState, resolved: pd.Series, text: str) -> pd.Series:
    """``resolved`` kept only on done tickets; a reopened ticket's old time is counted."""
    done = done_mask(state)
    stale = state.keep & resolved.notna() & ~done
    status = state.values["status"]
    add_step(
        state.ctx, "repaired", state.table, text, stale, status.fillna("(unknown status)"),
        state.lines,
    )  # fmt: skip
    return resolved.where(done)


def note_undated(state: ImportState, resolved: pd.Series, text: str, before: str) -> None:
    """Count done tickets without a resolution time, and those resolved before created."""
    undated = state.keep & done_mask(state) & resolved.isna()
    add_step(state.ctx, "note", state.table, text, undated, state.values["status"], state.lines)
    created = state.values["created"]
    flag_resolved_before_created(state.ctx, created, resolved, state.keep, state.lines, before)


def after_created(state: ImportState, role: str, unit_s: float) -> tuple[pd.Series, pd.Series]:
    """``created_at`` + the duration of ``role``'s column (numbers × ``unit_s`` or clock
    text), the derivation counted; returns the times and the unreadable durations."""
    col = state.found[role]
    secs, bad = parse_duration_s(state.text(role), unit_s)
    times = add_seconds(state.values["created"], secs)
    counted = int((state.keep & secs.notna()).sum())
    state.ctx.derived(state.table, f"first_response_at = created_at + {col!r}", counted)
    return times, bad


def csat_surveys(
    state: ImportState,
    score: pd.Series,
    prefix: str,
    when: str,
) -> pd.DataFrame:
    """One csat survey row per ticket (the caller keeps those with an answer).

    The id is ``prefix + ticket_id``; the survey was sent at the resolution, else the
    ticket's last update (role ``updated``, described as ``surveys.sent_at (<when>)``),
    else its creation: help-desk exports carry no survey time of their own.
    """
    tickets = state.out
    updated = state.times("updated", f"surveys.sent_at ({when})")[0]
    return pd.DataFrame(
        {
            "survey_id": prefix + tickets["ticket_id"].astype(str),
            "metric": "csat",
            "sent_at": tickets["resolved_at"].fillna(updated).fillna(tickets["created_at"]),
            "score": score,
            "ticket_id": tickets["ticket_id"],
            "customer_id": tickets.get("customer_id"),
            "channel": tickets["channel"],
        },
        index=tickets.index,
    )


def survey_answers(
    state: ImportState, role: str, labels: Mapping[str, float]
) -> tuple[str | None, pd.Series, pd.Series]:
    """The column of ``role``, its answers as text and their scores (1-5 or NaN)."""
    answer = state.text(role)
    return state.found[role], answer, csat_from_labels(answer, labels)


def reject_unknown_answers(state: ImportState, col: str | None, unknown: pd.Series) -> None:
    """Reject (to ``rejected/surveys.csv``) the answers no score was found for."""
    if unknown.any():
        state.ctx.reject(
            "surveys", state.exp.evidence.loc[unknown], f"unknown {col!r} value", state.lines
        )


def finish_surveys(state: ImportState, surveys: pd.DataFrame, text: str, n: int) -> None:
    """Count the surveys derived and keep them as the ``surveys`` table of this file."""
    state.ctx.derived("surveys", text, n)
    state.tables["surveys"] = surveys.dropna(axis=1, how="all").reset_index(drop=True)
