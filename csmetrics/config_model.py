"""The settings types of ``csmetrics.yaml`` and their limits, with the defaults.

:mod:`csmetrics.config` reads a file into these types (:func:`csmetrics.config.load_config`);
the business calendar's type, :class:`csmetrics.calendar.Calendar`, lives with the business
time it defines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .calendar import Calendar

CONFIG_FILENAME = "csmetrics.yaml"
UNITS_TO_SECONDS = {"ms": 0.001, "s": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
#: Largest ``csmetrics.yaml`` read, in bytes: settings fit in a few kilobytes.
MAX_CONFIG_BYTES = 1_000_000
#: Deepest nesting of mappings and lists in ``csmetrics.yaml`` (the settings need 5).
MAX_CONFIG_DEPTH = 20
#: Longest free text of a checklist question (``question``) and of the other fields.
MAX_QUESTION_CHARS = 500
MAX_NAME_CHARS = 100
#: Values a setting may be when it is a single value (dates come from YAML dates).
SCALARS = (str, int, float, bool, dt.date)


@dataclass
class Thresholds:
    """Thresholds used by KPIs and quality checks (seconds, hours or days as named)."""

    service_level_s: float = 20.0
    short_abandon_s: float = 0.0
    repeat_contact_days: float = 7.0
    channel_switch_h: float = 24.0
    #: A phone ticket and an answered call of the same customer are one contact when the
    #: ticket was created during the call or within this many seconds of it (used only
    #: when neither table names the other's id; see :func:`csmetrics.prepare.link_calls`).
    contact_link_s: float = 300.0
    max_call_part_s: float = 8 * 3600.0
    max_handle_time_s: float = 24 * 3600.0
    max_ticket_duration_days: float = 365.0


@dataclass
class CesScale:
    """Customer Effort Score scale; seed 003 uses 1 (easy) to 7 (hard)."""

    min: float = 1.0
    max: float = 7.0
    lower_is_better: bool = True


@dataclass
class PeakPeriod:
    """A named date range (holiday season, promotion) compared with regular periods."""

    name: str
    start: dt.date
    end: dt.date


@dataclass
class TableMapping:
    """How a foreign file's columns become canonical ones (see the module docstring)."""

    rename: dict[str, str] = field(default_factory=dict)
    formats: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    constants: dict[str, Any] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    #: Order of numeric dates (``03/11/2026``): None = proven by each column's values.
    dayfirst: bool | None = None
    #: Decimal mark of numbers written as text: None = proven by each column's values.
    decimal: str | None = None
    #: Text read as missing (None = the documented markers ``NA``, ``NULL``, ``-``...).
    na_values: list[str] | None = None
    sheet: str | int | None = None
    encoding: str | None = None


#: The engines the KPIs run on (``engine.name`` and ``csmetrics kpis --engine``).
ENGINES = ("pandas", "duckdb")


#: DuckDB's threads unless ``engine.threads`` says otherwise. Threads sum a column's
#: floating-point numbers in parts whose order varies from run to run, so the last digits
#: of a mean (about 1e-15 of it) could differ between two runs on the same data: one
#: thread gives the same output for the same input. On a million tickets and calls it
#: costs no measurable time; on much larger data, ``threads`` buys speed for those digits.
DUCKDB_THREADS = 1


@dataclass
class Engine:
    """Where the KPIs' aggregations run (``engine:`` in ``csmetrics.yaml``).

    ``pandas`` (the default) needs no server; ``duckdb`` runs them in an in-process DuckDB
    database, which stays within ``memory_limit`` (DuckDB's own setting, such as
    ``4GB``) by spilling to ``temp_directory`` and uses ``threads`` threads: one unless
    set (:data:`DUCKDB_THREADS`).
    """

    name: str = "pandas"
    memory_limit: str | None = None
    temp_directory: Path | None = None
    threads: int | None = None

    def duckdb_settings(self) -> dict[str, Any]:
        """The settings a DuckDB connection of this engine is opened with."""
        out: dict[str, Any] = {}
        if self.memory_limit is not None:
            out["memory_limit"] = self.memory_limit
        if self.temp_directory is not None:
            out["temp_directory"] = str(self.temp_directory)
        out["threads"] = self.threads if self.threads is not None else DUCKDB_THREADS
        return out


@dataclass
class Source:
    """Where a table comes from when it is not a file named after it in the folder."""

    file: str | None = None
    url: str | None = None
    duckdb: str | None = None
    query: str | None = None
    table: str | None = None

    def describe(self) -> str:
        """Short description for messages, without credentials."""
        if self.file:
            return self.file
        target = self.query or f"table {self.table}"
        if self.duckdb:
            return f"duckdb {self.duckdb}: {target}"
        url = re.sub(r"//[^@/]*@", "//***@", self.url or "")
        return f"{url}: {target}"


@dataclass
class Config:
    """All settings of a data folder; see the module docstring for the YAML form."""

    timezone: str = "UTC"
    currency: str = "EUR"
    lang: str = "en"
    as_of: dt.datetime | None = None
    calendar: Calendar = field(default_factory=Calendar)
    thresholds: Thresholds = field(default_factory=Thresholds)
    sla_first_response_h: dict[str, float] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)
    peak_periods: list[PeakPeriod] = field(default_factory=list)
    ces: CesScale = field(default_factory=CesScale)
    sources: dict[str, Source] = field(default_factory=dict)
    columns: dict[str, TableMapping] = field(default_factory=dict)
    checklist: dict = field(default_factory=dict)
    engine: Engine = field(default_factory=Engine)
    path: Path | None = None

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)
