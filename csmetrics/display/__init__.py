"""Safe display helpers for notebooks: every value from the data is HTML-escaped.

pandas' ``Styler`` does not escape cell text by default, so the notebooks show tables
through :func:`table`, which always does. :func:`labelled` gives a table the headers
people read (translated) instead of the column names the code uses.

The helpers live in one module per concern, all re-exported here:

* :mod:`~csmetrics.display.labels`: names of groupings, columns, units, placeholders;
* :mod:`~csmetrics.display.values`: :func:`format_value`, the one formatter, and
  :func:`formatted`, which writes a frame's numbers by their unit;
* :mod:`~csmetrics.display.tables`: :func:`labelled` and :func:`table`;
* :mod:`~csmetrics.display.spreadsheet`: formula-safe CSV frames.

Every formatter takes the language as ``lang`` (default: the current one,
:func:`csmetrics.i18n.set_language`) and, where amounts are shown, the currency.
"""

from __future__ import annotations

from .labels import (
    COLUMN_LABELS,
    GROUP_NAMES,
    PLACEHOLDERS,
    UNIT_LABELS,
    column_label,
    known_column,
    kpi_label,
    shown_value,
    unit_label,
)
from .spreadsheet import FORMULA_PREFIXES, neutralise_formula, safe_csv_frame
from .tables import labelled, table
from .values import (
    COLUMN_UNITS,
    COUNT_UNITS,
    ROW_UNIT_COLUMNS,
    UNIT_DECIMALS,
    column_unit,
    counts_observations,
    format_value,
    formatted,
    shown_n,
)

__all__ = [
    "COLUMN_LABELS",
    "COLUMN_UNITS",
    "COUNT_UNITS",
    "FORMULA_PREFIXES",
    "GROUP_NAMES",
    "PLACEHOLDERS",
    "ROW_UNIT_COLUMNS",
    "UNIT_DECIMALS",
    "UNIT_LABELS",
    "column_label",
    "column_unit",
    "counts_observations",
    "format_value",
    "formatted",
    "known_column",
    "kpi_label",
    "labelled",
    "neutralise_formula",
    "safe_csv_frame",
    "shown_n",
    "shown_value",
    "table",
    "unit_label",
]
