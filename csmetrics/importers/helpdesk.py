"""The help-desk presets' former module, kept so that old imports keep working.

The presets are :mod:`~csmetrics.importers.zendesk` and
:mod:`~csmetrics.importers.freshdesk`, each a :class:`~csmetrics.importers.spec.PresetSpec`
run by :mod:`~csmetrics.importers.spec`; the helpers every ticket-export preset shares
live in :mod:`~csmetrics.importers.export` (reading an export with the source line of
each record, finding columns under their usual spellings, rejecting empty records),
:mod:`~csmetrics.importers.values` (local timestamps, clock durations, statuses, labels,
pseudonyms, duplicate ids) and :mod:`~csmetrics.importers.helpdesk_common` (the steps
both help-desk presets share).
"""

from __future__ import annotations

from .export import Export, norm, ragged_error, read_export, reject_empty
from .freshdesk import (
    FRESHDESK_COLUMNS,
    FRESHDESK_CSAT,
    FRESHDESK_OPTIONAL,
    FRESHDESK_STATUS,
    FRESHDESK_STATUS_DOC,
    convert_freshdesk,
)
from .values import (
    MAX_DURATION_S,
    add_seconds,
    add_step,
    csat_from_labels,
    date_order,
    drop_duplicate_ids,
    flag_resolved_before_created,
    label,
    map_status,
    map_values,
    parse_duration_s,
    parse_times,
    plain,
    pseudonym,
    reject_rows,
    times_column,
)
from .zendesk import (
    ZENDESK_COLUMNS,
    ZENDESK_CSAT,
    ZENDESK_NOT_ASKED,
    ZENDESK_OPTIONAL,
    ZENDESK_STATUS,
    ZENDESK_STATUS_DOC,
    ZENDESK_VIA,
    convert_zendesk,
)

#: Former private names.
_times_column = times_column
_csat_from_labels = csat_from_labels

__all__ = [
    "FRESHDESK_COLUMNS",
    "FRESHDESK_CSAT",
    "FRESHDESK_OPTIONAL",
    "FRESHDESK_STATUS",
    "FRESHDESK_STATUS_DOC",
    "MAX_DURATION_S",
    "ZENDESK_COLUMNS",
    "ZENDESK_CSAT",
    "ZENDESK_NOT_ASKED",
    "ZENDESK_OPTIONAL",
    "ZENDESK_STATUS",
    "ZENDESK_STATUS_DOC",
    "ZENDESK_VIA",
    "Export",
    "add_seconds",
    "add_step",
    "convert_freshdesk",
    "convert_zendesk",
    "csat_from_labels",
    "date_order",
    "drop_duplicate_ids",
    "flag_resolved_before_created",
    "label",
    "map_status",
    "map_values",
    "norm",
    "parse_duration_s",
    "parse_times",
    "plain",
    "pseudonym",
    "ragged_error",
    "read_export",
    "reject_empty",
    "reject_rows",
]
