"""The canonical data model: eight tables, their columns, kinds and rules.

This module is the single source of truth for table and column names. The loader
coerces every source into these tables, pandera validates them, the sample
generator produces them and ``data/README.md`` documents them from here.

Column kinds
------------
``id``
    Identifier, stored as a string (``"000123"`` keeps its zeros).
``timestamp``
    Timezone-aware instant (``datetime64[us, <tz>]``); naive input is localised to
    the configured time zone.
``month``
    A calendar month, stored as the string ``"YYYY-MM"`` (portable to Parquet,
    CSV and DuckDB, and it sorts correctly).
``float`` / ``int``
    Numbers; ``int`` is the nullable ``Int64``.
``bool``
    Nullable boolean; ``true/false``, ``yes/no``, ``y/n``, ``1/0`` are accepted.
``enum``
    One of a fixed set of lower-case values.
``label``
    Free lower-case token (``"Web Form"`` becomes ``"web_form"``), e.g. channel.
``text``
    Free text, stripped of surrounding white space.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

Kind = Literal["id", "timestamp", "month", "float", "int", "bool", "enum", "label", "text"]


@dataclass(frozen=True)
class ColumnSpec:
    """One canonical column.

    Parameters
    ----------
    name : str
        Canonical column name (a public contract).
    kind : Kind
        How values are parsed and stored (see the module docstring).
    required : bool
        Whether the table cannot be loaded without it.
    description : str
        One line for the data documentation.
    values : tuple of str, optional
        Allowed values for ``enum`` columns.
    unit : str, optional
        Unit of a numeric column (``"s"``, ``"h"``, currency...).
    min_value : float, optional
        Smallest valid value of a numeric column (smaller values are warnings).
    """

    name: str
    kind: Kind
    required: bool = False
    description: str = ""
    values: tuple[str, ...] = ()
    unit: str = ""
    min_value: float | None = None


@dataclass(frozen=True)
class TableSpec:
    """One canonical table: its columns, its key and what one row means."""

    name: str
    description: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]
    time_column: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def required(self) -> list[str]:
        """Names of the required columns, in table order."""
        return [c.name for c in self.columns if c.required]

    @property
    def names(self) -> list[str]:
        """Names of all canonical columns, in table order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> ColumnSpec:
        """Return the spec of column ``name`` (``KeyError`` if it is not canonical)."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no canonical column {name!r}")


def _c(name: str, kind: Kind, description: str, **kw: object) -> ColumnSpec:
    return ColumnSpec(name=name, kind=kind, description=description, **kw)  # type: ignore[arg-type]


TICKET_STATUSES = ("open", "pending", "resolved", "closed")
CALL_OUTCOMES = ("answered", "abandoned", "other")
SURVEY_METRICS = ("csat", "nps", "ces")
COST_CATEGORIES = ("staff", "tools", "outsourcing", "other")

TABLES: dict[str, TableSpec] = {
    t.name: t
    for t in (
        TableSpec(
            name="tickets",
            description="One row per case (ticket, conversation, request), on any channel.",
            key=("ticket_id",),
            time_column="created_at",
            columns=(
                _c("ticket_id", "id", "Unique case id.", required=True),
                _c("created_at", "timestamp", "When the customer opened the case.", required=True),
                _c(
                    "channel",
                    "label",
                    "Channel of first contact (email, phone, chat, ...).",
                    required=True,
                ),
                _c("customer_id", "id", "Who contacted (links to customers, calls, surveys)."),
                _c(
                    "first_response_at", "timestamp", "First reply by an agent (not an auto-reply)."
                ),
                _c("resolved_at", "timestamp", "Final resolution (after the last reopen)."),
                _c("status", "enum", "State at the data's as-of time.", values=TICKET_STATUSES),
                _c("priority", "label", "Priority (low, normal, high, urgent, ...)."),
                _c("category", "text", "Request type (billing, delivery, returns, ...)."),
                _c("is_complaint", "bool", "The case is a complaint."),
                _c("agent_id", "id", "Agent who owned the case."),
                _c("team", "text", "Team that owned the case."),
                _c("agent_replies", "int", "Number of agent replies.", min_value=0),
                _c(
                    "reopens", "int", "Times the case was reopened after a resolution.", min_value=0
                ),
                _c(
                    "handle_time_s",
                    "float",
                    "Agent working time on the case.",
                    unit="s",
                    min_value=0,
                ),
                _c("converted", "bool", "The contact ended in a sale, renewal or sign-up."),
            ),
        ),
        TableSpec(
            name="calls",
            description="One row per call offered to a queue.",
            key=("call_id",),
            time_column="arrived_at",
            columns=(
                _c("call_id", "id", "Unique call id.", required=True),
                _c("arrived_at", "timestamp", "When the call entered the queue.", required=True),
                _c(
                    "outcome",
                    "enum",
                    "answered, abandoned, or other (test, phantom, ...).",
                    required=True,
                    values=CALL_OUTCOMES,
                ),
                _c("customer_id", "id", "Caller, when known."),
                _c("queue", "text", "Queue or skill the call waited in."),
                _c(
                    "wait_s",
                    "float",
                    "Time in queue until answer or abandon (derived from answered_at when absent).",
                    unit="s",
                    min_value=0,
                ),
                _c("answered_at", "timestamp", "When an agent picked up."),
                _c("talk_s", "float", "Talk time.", unit="s", min_value=0),
                _c("hold_s", "float", "Hold time.", unit="s", min_value=0),
                _c("wrap_s", "float", "After-call work.", unit="s", min_value=0),
                _c("agent_id", "id", "Agent who answered."),
                _c("resolved", "bool", "The caller's issue was resolved on this call."),
            ),
        ),
        TableSpec(
            name="surveys",
            description="One row per survey sent; score is empty when it was not answered.",
            key=("survey_id",),
            time_column="sent_at",
            columns=(
                _c("survey_id", "id", "Unique survey id.", required=True),
                _c(
                    "metric",
                    "enum",
                    "csat (1-5), nps (0-10) or ces (configured scale).",
                    required=True,
                    values=SURVEY_METRICS,
                ),
                _c("sent_at", "timestamp", "When the survey was sent.", required=True),
                _c("score", "float", "The answer; empty = not answered."),
                _c("answered_at", "timestamp", "When the customer answered."),
                _c("ticket_id", "id", "Case the survey is about."),
                _c("customer_id", "id", "Who was surveyed."),
                _c("channel", "label", "Channel of the case surveyed."),
                _c("comment", "text", "Free-text comment, in the customer's language."),
            ),
        ),
        TableSpec(
            name="costs",
            description="Monthly cost lines of the service program.",
            key=(),
            time_column="period",
            columns=(
                _c("period", "month", "Month the cost belongs to (YYYY-MM).", required=True),
                _c("amount", "float", "Cost amount.", required=True, unit="currency"),
                _c(
                    "category",
                    "enum",
                    "staff, tools, outsourcing or other.",
                    values=COST_CATEGORIES,
                ),
                _c("channel", "label", "Channel the cost is attributed to, if any."),
                _c("team", "text", "Team the cost is attributed to, if any."),
                _c("currency", "text", "ISO currency code (default: the configured one)."),
            ),
        ),
        TableSpec(
            name="finance",
            description="Monthly revenue and active customers.",
            key=("period",),
            time_column="period",
            columns=(
                _c("period", "month", "Month (YYYY-MM).", required=True),
                _c("revenue", "float", "Revenue in the month.", unit="currency"),
                _c("active_customers", "float", "Active customers in the month.", min_value=0),
            ),
        ),
        TableSpec(
            name="customers",
            description="One row per customer, with sign-up and churn dates.",
            key=("customer_id",),
            time_column="since",
            columns=(
                _c("customer_id", "id", "Unique customer id.", required=True),
                _c("since", "timestamp", "When the customer signed up.", required=True),
                _c("until", "timestamp", "When the customer left (empty = still active)."),
                _c("segment", "text", "Customer segment."),
            ),
        ),
        TableSpec(
            name="incidents",
            description="Product failures (for MTBF, MTTD and incident MTTR).",
            key=("incident_id",),
            time_column="started_at",
            columns=(
                _c("incident_id", "id", "Unique incident id.", required=True),
                _c("started_at", "timestamp", "When the failure began.", required=True),
                _c("detected_at", "timestamp", "When the team noticed it."),
                _c("resolved_at", "timestamp", "When service was restored."),
                _c("product", "text", "Product or system that failed."),
                _c("severity", "label", "Severity (e.g. sev1 ... sev4)."),
            ),
        ),
        TableSpec(
            name="staffing",
            description="Agent hours staffed per month.",
            key=("period", "agent_id"),
            time_column="period",
            columns=(
                _c("period", "month", "Month (YYYY-MM).", required=True),
                _c("agent_id", "id", "Agent.", required=True),
                _c(
                    "staffed_hours",
                    "float",
                    "Hours the agent was logged in and available.",
                    unit="h",
                    min_value=0,
                ),
                _c("team", "text", "Agent's team."),
                _c(
                    "hourly_cost",
                    "float",
                    "Loaded cost of one agent hour.",
                    unit="currency",
                    min_value=0,
                ),
            ),
        ),
        TableSpec(
            name="monthly_metrics",
            description="Pre-aggregated monthly KPI values (e.g. a published monthly series); "
            "used when the detailed table behind a KPI is absent.",
            key=("period", "metric", "channel"),
            time_column="period",
            columns=(
                _c("period", "month", "Month (YYYY-MM).", required=True),
                _c(
                    "metric",
                    "label",
                    "KPI id from the registry (calls_offered, asa_s, ...).",
                    required=True,
                ),
                _c(
                    "value",
                    "float",
                    "The KPI's value for the month, in the KPI's unit.",
                    required=True,
                ),
                _c("n", "float", "Observations behind the value, when known.", min_value=0),
                _c("channel", "label", "Channel the value is for, if any."),
                _c("source", "text", "Where the figure comes from."),
            ),
        ),
    )
}

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)


def dtype_for(spec: ColumnSpec, tz: str) -> object:
    """The pandas dtype a canonical column is stored with.

    Examples
    --------
    >>> dtype_for(TABLES["tickets"].column("created_at"), "UTC")
    datetime64[us, UTC]
    >>> dtype_for(TABLES["tickets"].column("reopens"), "UTC")
    Int64Dtype()
    """
    if spec.kind == "timestamp":
        return pd.DatetimeTZDtype("us", tz)
    if spec.kind == "float":
        return "float64"
    if spec.kind == "int":
        return pd.Int64Dtype()
    if spec.kind == "bool":
        return pd.BooleanDtype()
    return pd.StringDtype(na_value=float("nan"))


def empty_table(name: str, tz: str = "UTC", columns: Iterable[str] | None = None) -> pd.DataFrame:
    """An empty canonical table with the right dtypes (all columns unless ``columns``)."""
    spec = TABLES[name]
    names = list(columns) if columns is not None else spec.names
    return pd.DataFrame({n: pd.Series([], dtype=dtype_for(spec.column(n), tz)) for n in names})


def pandera_schema(name: str, tz: str, columns: Iterable[str]):
    """Build the pandera schema of table ``name`` for the columns present.

    Dtypes, required columns and non-null required values are checked: the last gate
    after parsing. Allowed values, months and unique keys are not checked again here:
    the parser rejects them first, with row examples and the setting that resolves them
    (``coerce``'s enum and month readers, ``canonical``'s duplicate ids and keys), and
    checking a million keys twice cost a second of every load. Soft rules (order of
    timestamps, ranges) are the quality checks' job, because they are warnings rather
    than errors.
    """
    import pandera.pandas as pa

    spec = TABLES[name]
    present = set(columns)
    cols = {
        c.name: pa.Column(dtype_for(c, tz), nullable=not c.required, required=c.required)
        for c in spec.columns
        if c.name in present
    }
    return pa.DataFrameSchema(cols, strict=False, coerce=False)
