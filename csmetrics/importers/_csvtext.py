"""Former home of the CSV record reader, kept so that old imports keep working.

The reader is :mod:`csmetrics.csvfile` (shared by the loader and every preset);
:func:`reject_odd_records` lives in :mod:`csmetrics.importers.export`.
"""

from __future__ import annotations

from ..csvfile import (
    SHOWN,
    Record,
    Records,
    decode,
    line_break,
    read_records,
    shorten,
    sniff_delimiter,
)
from .export import reject_odd_records

__all__ = [
    "SHOWN",
    "Record",
    "Records",
    "decode",
    "line_break",
    "read_records",
    "reject_odd_records",
    "shorten",
    "sniff_delimiter",
]
