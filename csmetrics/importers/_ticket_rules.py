"""Spec hooks shared by the ticket presets ``kaggle-tickets`` and ``nyc-311``.

Both presets are :class:`~csmetrics.importers.spec.PresetSpec` rules whose steps say the
source column by its documented name (``'Ticket ID'``, ``'Unique Key'``) whatever the
spelling of the file's header; these helpers report through the
:class:`~csmetrics.importers.spec.ImportState` of the export being converted, always to
the ``tickets`` table.
"""

from __future__ import annotations

import pandas as pd

from .spec import Column, ImportState
from .values import add_step, drop_duplicate_ids, reject_rows

TABLE = "tickets"


def reject(state: ImportState, mask: pd.Series, reason: str) -> None:
    """Reject the rows of ``mask`` (with their lines); they are no longer kept."""
    state.keep &= reject_rows(state.ctx, TABLE, state.exp.evidence, mask, reason, state.lines)


def count(
    state: ImportState, kind: str, text: str, mask: pd.Series, values: pd.Series | None = None
) -> None:
    """Count the rows of ``mask`` as a ``kind`` step (repaired, note), with example lines."""
    add_step(state.ctx, kind, TABLE, text, mask, values, state.lines)


def parse_ticket_id(state: ImportState, column: Column) -> None:
    """Ticket ids as text (``12.0`` → ``12``); rows kept so far with an empty id are
    rejected (reason ``column.options["empty"]``), then the repeats of an id (the
    first record kept)."""
    ids = state.text(column.role).str.replace(r"\.0$", "", regex=True)
    state.ctx.mapped(TABLE, state.found[column.role], column.target)
    reject(state, state.keep & ids.isna(), column.options["empty"])
    raw, lines = state.exp.evidence, state.lines
    state.keep &= drop_duplicate_ids(state.ctx, TABLE, raw, ids.where(state.keep), lines)
    state.set(column, ids)
