"""Data-quality report: what was read, what is wrong, and what was left out of which measure.

Errors stop loading (:class:`csmetrics.errors.DataError`). Warnings do not: the rows
concerned stay in their table, and only the columns they would corrupt are masked
(see :meth:`csmetrics.load.Workbook.usable`), so that, for example, a ticket resolved
"before" it was created still counts as a ticket created, but not in resolution times.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from . import i18n
from .config import Config
from .i18n import N_, _, ngettext
from .markup import Prose
from .schema import TABLES

Severity = Literal["error", "warning", "info"]
MAX_EXAMPLES = 5

#: How each severity is shown in the report (the codes stay English in exports).
SEVERITY_LABEL = {
    # Translators: severity of a data problem: it stops loading
    "error": N_("error"),
    # Translators: severity of a data problem: the values concerned are left out of measures
    "warning": N_("warning"),
    # Translators: severity of a data problem: a note only
    "info": N_("info"),
}

#: Column headers of the quality tables as shown in the report (the frames themselves keep
#: English names: the ``validate`` command exports them).
HEADERS = {
    # Translators: column header: the name of a data table (tickets, calls...)
    "table": N_("table"),
    # Translators: column header: the file or database a table was read from
    "source": N_("source"),
    # Translators: column header: number of rows read
    "rows": N_("rows"),
    "missing optional columns": N_("missing optional columns"),
    "extra columns": N_("extra columns"),
    "severity": N_("severity"),
    # Translators: column header: a column of a data table
    "column": N_("column"),
    # Translators: column header: the kind of problem (a code such as resolved_before_created)
    "kind": N_("kind"),
    # Translators: column header: number of rows with the problem
    "count": N_("count"),
    # Translators: column header: the description of a data problem
    "message": N_("message"),
    # Translators: column header: example rows with the problem
    "examples": N_("examples"),
    # Translators: column header: the columns whose values are not used by measures
    "left out of": N_("left out of"),
    "values left out": N_("values left out"),
    # Translators: column header: the date column that places a row in a period
    "dated by": N_("dated by"),
    "rows in period": N_("rows in period"),
    # Translators: column header: rows of the table over all its dates
    "rows in all": N_("rows in all"),
}


@dataclass
class Problem:
    """One kind of problem found in one table.

    ``rows`` holds example row numbers (1-based, header excluded, as in the source);
    ``affects`` names the canonical columns whose values were left out of measures.
    """

    table: str
    kind: str
    severity: Severity
    message: str
    count: int = 0
    column: str | None = None
    file: str | None = None
    rows: list[str] = field(default_factory=list)
    affects: tuple[str, ...] = ()
    #: ``message`` before its values were put in (marked for translation with ``N_``), and
    #: those values; empty when ``message`` is itself a fixed, marked message.
    template: str = ""
    args: dict[str, object] = field(default_factory=dict)

    def text(self) -> str:
        """``message`` in the report's language (numbers in the locale's format).

        Examples
        --------
        >>> p = Problem("tickets", "months_without_data", "warning", "no rows in 1200 x",
        ...             template="no rows in {n} x", args={"n": 1200})
        >>> p.text()
        'no rows in 1,200 x'
        """
        if not self.template:
            return _(self.message)
        args = {
            k: i18n.number(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
            for k, v in self.args.items()
        }
        return _(self.template).format(**args)

    def examples(self) -> list[str]:
        """The example rows for people: ``row 3: 'x'`` in the report's language, months
        as period labels."""
        return [example_text(r) for r in self.rows]

    def render(self) -> str:
        """One line of text: severity, table, what, how many, examples."""
        where = f"{self.table}.{self.column}" if self.column else self.table
        text = f"[{self.severity}] {where}: {self.message}"
        if self.count:
            text += f" ({self.count:,} row{'s' if self.count != 1 else ''})"
        if self.rows:
            text += f"; e.g. {', '.join(self.rows)}"
        if self.affects:
            text += f"; left out of measures using {', '.join(self.affects)}"
        return text


@dataclass
class TableInfo:
    """What was read for one table."""

    name: str
    source: str
    rows: int
    columns: list[str]
    missing_optional: list[str]
    extra_columns: list[str]
    notes: list[str] = field(default_factory=list)
    #: Problems found while reading (null markers read as missing...), counted.
    problems: list[Problem] = field(default_factory=list)
    #: False for a file outside the data folder: messages show row numbers, not values.
    values_shown: bool = True


@dataclass
class QualityReport:
    """Everything the loader noticed, for the ``validate`` command and the notebook."""

    tables: dict[str, TableInfo] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    missing_tables: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """Problems that stop loading."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems whose rows are left out of the measures they would corrupt."""
        return [p for p in self.problems if p.severity == "warning"]

    def tables_frame(self) -> pd.DataFrame:
        """One row per canonical table: source, rows read, missing optional columns."""
        rows = []
        for name in TABLES:
            info = self.tables.get(name)
            if info is None:
                rows.append(
                    {
                        "table": name,
                        "source": "(absent)",
                        "rows": 0,
                        "missing optional columns": "",
                        "extra columns": "",
                    }
                )
                continue
            rows.append(
                {
                    "table": name,
                    "source": info.source,
                    "rows": info.rows,
                    "missing optional columns": ", ".join(info.missing_optional),
                    "extra columns": ", ".join(info.extra_columns),
                }
            )
        return pd.DataFrame(rows)

    def problems_frame(self) -> pd.DataFrame:
        """One row per problem: severity, table, column, kind, count, examples, left out of."""
        cols = [
            "severity",
            "table",
            "column",
            "kind",
            "count",
            "message",
            "examples",
            "left out of",
        ]
        rows = [
            {
                "severity": p.severity,
                "table": p.table,
                "column": p.column or "",
                "kind": p.kind,
                "count": p.count,
                "message": p.message,
                "examples": ", ".join(p.rows),
                "left out of": ", ".join(p.affects),
            }
            for p in self.problems
        ]
        order = {"error": 0, "warning": 1, "info": 2}
        df = pd.DataFrame(rows, columns=cols)
        return df.sort_values("severity", key=lambda s: s.map(order), kind="stable").reset_index(
            drop=True
        )

    def tables_view(self) -> pd.DataFrame:
        """:meth:`tables_frame` for the report: headers and notes in the report's language."""
        df = self.tables_frame()
        df["source"] = df["source"].replace({"(absent)": _("(absent)")})
        return translate_headers(df)

    def problems_view(self) -> pd.DataFrame:
        """:meth:`problems_frame` for the report: headers, severities, messages and
        examples in the report's language (kinds, tables and columns stay as codes)."""
        order = {"error": 0, "warning": 1, "info": 2}
        rows = [
            {
                "severity": _(SEVERITY_LABEL.get(p.severity, p.severity)),
                "table": p.table,
                "column": p.column or "",
                "kind": p.kind,
                "count": p.count,
                "message": p.text(),
                "examples": ", ".join(p.examples()),
                "left out of": ", ".join(p.affects),
            }
            for p in sorted(self.problems, key=lambda p: order[p.severity])
        ]
        cols = ["severity", "table", "column", "kind", "count", "message", "examples"]
        return translate_headers(pd.DataFrame(rows, columns=[*cols, "left out of"]))

    def render_text(self) -> str:
        """The plain-text report printed by ``csmetrics validate``."""
        lines = ["Tables read:"]
        for name in TABLES:
            info = self.tables.get(name)
            if info is None:
                lines.append(f"  {name:<10} absent (optional)")
                continue
            lines.append(f"  {name:<10} {info.rows:>10,} rows  from {info.source}")
            if info.missing_optional:
                lines.append(
                    f"  {'':<10} missing optional columns: {', '.join(info.missing_optional)}"
                )
            for note in info.notes:
                lines.append(f"  {'':<10} {note}")
        n_err, n_warn = len(self.errors), len(self.warnings)
        lines.append("")
        lines.append(f"Problems: {n_err} error(s), {n_warn} warning(s)")
        for p in sorted(
            self.problems, key=lambda p: ("error", "warning", "info").index(p.severity)
        ):
            lines.append(f"  {p.render()}")
        return "\n".join(lines)

    def to_html(self) -> str:
        """The problems as an HTML table, with every value escaped."""
        return self.problems_frame().to_html(index=False, escape=True, border=0)


def translate_headers(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the column names of :data:`HEADERS` in the report's language.

    Examples
    --------
    >>> translate_headers(pd.DataFrame(columns=["table", "rows in period"])).columns.tolist()
    ['table', 'rows in period']
    """
    return df.rename(columns=lambda c: _(HEADERS[c]) if c in HEADERS else c)


_EXAMPLE_ROW = re.compile(r"^row (\d+)(?:: (.*))?$", re.DOTALL)
_MONTH_LABEL = re.compile(r"^\d{4}-\d{2}$")


def example_text(example: str) -> str:
    """One example of :func:`example_rows` (or a month) in the report's language.

    Row numbers are positions in the source and are written without separators.

    Examples
    --------
    >>> example_text("row 12345: 'x'"), example_text("row 2"), example_text("2026-07")
    ("row 12345: 'x'", 'row 2', 'July 2026')
    """
    m = _EXAMPLE_ROW.match(example)
    if m and m.group(2) is not None:
        # Translators: an example row of a data problem: {n} is the row number in the
        # source file, {value} the value found there (from the data)
        return _("row {n}: {value}").format(n=m.group(1), value=m.group(2))
    if m:
        # Translators: an example row of a data problem: {n} is the row number in the file
        return _("row {n}").format(n=m.group(1))
    if _MONTH_LABEL.match(example):
        return i18n.period(example)
    return example


def without_values(rows: list[str]) -> list[str]:
    """Example rows with their values left out (``"row 3: 'x'"`` → ``"row 3"``); months
    and other examples stay.

    Examples
    --------
    >>> without_values(["row 3: 'secret'", "row 4", "2026-07"])
    ['row 3', 'row 4', '2026-07']
    """
    out = []
    for example in rows:
        m = _EXAMPLE_ROW.match(example)
        out.append(f"row {m.group(1)}" if m else example)
    return out


def plural(n: int, word: str) -> str:
    """``plural(1, "row")`` → ``'1 row'``; ``plural(3, "row")`` → ``'3 rows'``."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def example_rows(
    mask: pd.Series | np.ndarray, values: pd.Series | None = None, limit: int = MAX_EXAMPLES
) -> list[str]:
    """Format the first ``limit`` flagged rows as ``"row N"`` or ``"row N: 'value'"``.

    Row numbers are 1-based positions in the source, header excluded.

    Examples
    --------
    >>> example_rows(pd.Series([False, True, True]), pd.Series(["a", "b", "c"]))
    ["row 2: 'b'", "row 3: 'c'"]
    """
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))[:limit]
    if values is None:
        return [f"row {i + 1}" for i in positions]
    out = []
    for i in positions:
        v = values.iloc[i]
        out.append(f"row {i + 1}: {_short(v)!r}")
    return out


def _short(value: object, width: int = 40) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------------------------------
# Warning checks. Each returns a boolean mask of affected rows for a table; the registry
# below says which columns those rows are left out of.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """A warning-level rule on one table."""

    table: str
    kind: str
    column: str
    message: str
    affects: tuple[str, ...]
    reads: tuple[str, ...]
    rule: Callable[[pd.DataFrame, Config, dict[str, pd.DataFrame]], pd.Series]


def _before(later: str, earlier: str) -> Callable[..., pd.Series]:
    return lambda df, cfg, tables: (df[later] < df[earlier]).fillna(False).astype(bool)


def _negative(col: str) -> Callable[..., pd.Series]:
    return lambda df, cfg, tables: (df[col] < 0).fillna(False).astype(bool)


def _above(col: str, limit: Callable[[Config], float]) -> Callable[..., pd.Series]:
    return lambda df, cfg, tables: (df[col] > limit(cfg)).fillna(False).astype(bool)


def _score_out_of_scale(df: pd.DataFrame, cfg: Config, tables: dict) -> pd.Series:
    lo = df["metric"].map({"csat": 1.0, "nps": 0.0, "ces": cfg.ces.min}).astype(float)
    hi = df["metric"].map({"csat": 5.0, "nps": 10.0, "ces": cfg.ces.max}).astype(float)
    s = df["score"]
    return ((s < lo) | (s > hi)).fillna(False).astype(bool)


def member_of(values: pd.Series, pool: pd.Series) -> pd.Series:
    """``values.isin(pool)`` through a hash index (Arrow-backed ``isin`` is slow here)."""
    index = pd.Index(pool.dropna().to_numpy(object)).unique()
    hit = index.get_indexer(values.to_numpy(object)) >= 0
    return pd.Series(hit, index=values.index)


def _unknown_ticket(df: pd.DataFrame, cfg: Config, tables: dict) -> pd.Series:
    tickets = tables.get("tickets")
    if tickets is None:
        return pd.Series(False, index=df.index)
    return (df["ticket_id"].notna() & ~member_of(df["ticket_id"], tickets["ticket_id"])).astype(
        bool
    )


def _abandoned_with_talk(df: pd.DataFrame, cfg: Config, tables: dict) -> pd.Series:
    return ((df["outcome"] == "abandoned") & (df["talk_s"] > 0)).fillna(False).astype(bool)


def _ticket_too_long(df: pd.DataFrame, cfg: Config, tables: dict) -> pd.Series:
    limit = pd.Timedelta(days=cfg.thresholds.max_ticket_duration_days)
    return ((df["resolved_at"] - df["created_at"]) > limit).fillna(False).astype(bool)


def _other_currency(df: pd.DataFrame, cfg: Config, tables: dict) -> pd.Series:
    cur = df["currency"].str.upper()
    return (cur.notna() & (cur != cfg.currency.upper())).astype(bool)


def _checks() -> list[Check]:
    checks = [
        Check(
            "tickets",
            "resolved_before_created",
            "resolved_at",
            N_("resolved before it was created"),
            ("resolved_at",),
            ("resolved_at", "created_at"),
            _before("resolved_at", "created_at"),
        ),
        Check(
            "tickets",
            "first_response_before_created",
            "first_response_at",
            N_("first response before the ticket was created"),
            ("first_response_at",),
            ("first_response_at", "created_at"),
            _before("first_response_at", "created_at"),
        ),
        Check(
            "tickets",
            "absurd_duration",
            "resolved_at",
            # Translators: thresholds.max_ticket_duration_days is a setting of csmetrics.yaml
            N_("open longer than thresholds.max_ticket_duration_days before resolution"),
            ("resolved_at",),
            ("resolved_at", "created_at"),
            _ticket_too_long,
        ),
        Check(
            "tickets",
            "absurd_duration",
            "handle_time_s",
            # Translators: thresholds.max_handle_time_s is a setting of csmetrics.yaml
            N_("handle time above thresholds.max_handle_time_s"),
            ("handle_time_s",),
            ("handle_time_s",),
            _above("handle_time_s", lambda c: c.thresholds.max_handle_time_s),
        ),
        Check(
            "calls",
            "answered_before_arrival",
            "answered_at",
            N_("answered before it arrived"),
            ("answered_at", "wait_s"),
            ("answered_at", "arrived_at"),
            _before("answered_at", "arrived_at"),
        ),
        Check(
            "calls",
            "abandoned_with_talk_time",
            "talk_s",
            N_("abandoned call with talk time"),
            ("talk_s",),
            ("talk_s", "outcome"),
            _abandoned_with_talk,
        ),
        Check(
            "surveys",
            "score_out_of_scale",
            "score",
            # Translators: csat, nps and ces are survey metrics (codes in the data)
            N_("score outside the metric's scale (csat 1-5, nps 0-10, ces as configured)"),
            ("score",),
            ("score", "metric"),
            _score_out_of_scale,
        ),
        Check(
            "surveys",
            "answered_before_sent",
            "answered_at",
            N_("answered before it was sent"),
            ("answered_at",),
            ("answered_at", "sent_at"),
            _before("answered_at", "sent_at"),
        ),
        Check(
            "surveys",
            "unknown_ticket",
            "ticket_id",
            N_("points to a ticket that is not in the tickets table"),
            ("ticket_id",),
            ("ticket_id",),
            _unknown_ticket,
        ),
        Check(
            "incidents",
            "detected_before_started",
            "detected_at",
            N_("detected before it started"),
            ("detected_at",),
            ("detected_at", "started_at"),
            _before("detected_at", "started_at"),
        ),
        Check(
            "incidents",
            "resolved_before_started",
            "resolved_at",
            N_("resolved before it started"),
            ("resolved_at",),
            ("resolved_at", "started_at"),
            _before("resolved_at", "started_at"),
        ),
        Check(
            "customers",
            "until_before_since",
            "until",
            N_("left before signing up"),
            ("until",),
            ("until", "since"),
            _before("until", "since"),
        ),
        Check(
            "costs",
            "other_currency",
            "currency",
            N_("amount in a currency other than the configured one; totals would mix them"),
            ("amount",),
            ("currency", "amount"),
            _other_currency,
        ),
    ]
    for name, spec in TABLES.items():
        for col in spec.columns:
            if col.kind in ("float", "int") and col.min_value is not None:
                checks.append(
                    Check(
                        name,
                        "negative_value",
                        col.name,
                        N_("negative value"),
                        (col.name,),
                        (col.name,),
                        _negative(col.name),
                    )
                )
    for col in ("wait_s", "talk_s", "hold_s", "wrap_s"):
        checks.append(
            Check(
                "calls",
                "absurd_duration",
                col,
                # Translators: thresholds.max_call_part_s is a setting of csmetrics.yaml
                N_("duration above thresholds.max_call_part_s"),
                (col,),
                (col,),
                _above(col, lambda c: c.thresholds.max_call_part_s),
            )
        )
    return checks


CHECKS: tuple[Check, ...] = tuple(_checks())


def _future(df: pd.DataFrame, table: str, now: pd.Timestamp) -> Iterable[tuple[str, pd.Series]]:
    for col in TABLES[table].columns:
        if col.kind == "timestamp" and col.name in df:
            yield col.name, (df[col.name] > now).fillna(False).astype(bool)


def _months_without_data(df: pd.DataFrame, table: str, tz: str, usable: pd.Series) -> list[str]:
    col = TABLES[table].time_column
    if not col or col not in df or not usable.any():
        return []
    values = df.loc[usable, col].dropna()
    if values.empty:
        return []
    if TABLES[table].column(col).kind == "month":
        months = pd.PeriodIndex(values.unique(), freq="M")
    else:
        months = pd.PeriodIndex(values.dt.tz_convert(tz).dt.tz_localize(None).dt.to_period("M"))
    full = pd.period_range(months.min(), months.max(), freq="M")
    return [str(m) for m in full.difference(months.unique())]


def run_checks(
    tables: dict[str, pd.DataFrame],
    cfg: Config,
    files: dict[str, str],
    now: pd.Timestamp | None = None,
) -> tuple[list[Problem], dict[str, pd.DataFrame]]:
    """Run every warning rule on the loaded canonical tables.

    Returns
    -------
    problems : list of Problem
        One per rule that fired, with counts and example rows.
    flags : dict of DataFrame
        Per table, one boolean column per canonical column, True where that value is
        left out of measures (aligned with the table's index).
    """
    now = now if now is not None else pd.Timestamp.now(tz=cfg.timezone)
    problems: list[Problem] = []
    flags: dict[str, pd.DataFrame] = {}
    for name, df in tables.items():
        flag = pd.DataFrame(index=df.index)

        def record(
            kind: str,
            column: str,
            message: str,
            mask: pd.Series,
            affects: tuple[str, ...],
            name: str = name,
            df: pd.DataFrame = df,
            flag: pd.DataFrame = flag,
        ) -> None:
            n = int(mask.sum())
            if not n:
                return
            problems.append(
                Problem(
                    table=name,
                    kind=kind,
                    severity="warning",
                    message=message,
                    count=n,
                    column=column,
                    file=files.get(name),
                    rows=example_rows(mask, df[column]),
                    affects=affects,
                )
            )
            for a in affects:
                if a in df:
                    flag[a] = flag[a] | mask if a in flag else mask.copy()

        for col, mask in _future(df, name, now):
            record(
                "future_timestamp",
                col,
                N_("timestamp in the future (later than the time of loading)"),
                mask,
                (col,),
            )
        for check in CHECKS:
            if check.table != name or not all(c in df for c in check.reads):
                continue
            record(
                check.kind, check.column, check.message, check.rule(df, cfg, tables), check.affects
            )
        time_col = TABLES[name].time_column
        usable = ~flag[time_col] if time_col in flag else pd.Series(True, index=df.index)
        gaps = _months_without_data(df, name, cfg.timezone, usable)
        if gaps:
            # Translators: {n} is a number of months (English writes "month(s)" for any number)
            template = N_(
                "no rows in {n} month(s) inside the data's range: "
                "measures for those months are not available"
            )
            problems.append(
                Problem(
                    table=name,
                    kind="months_without_data",
                    severity="warning",
                    message=template.format(n=len(gaps)),
                    count=0,
                    column=time_col,
                    file=files.get(name),
                    rows=gaps[:12],
                    template=template,
                    args={"n": len(gaps)},
                )
            )
        flags[name] = flag.astype(bool)
    return problems, flags


# ---------------------------------------------------------------------------------------
# Views for the data-quality notebook
# ---------------------------------------------------------------------------------------


ACTIVITY_TABLES = ("tickets", "calls", "surveys")


def monthly_rows(tables: dict[str, pd.DataFrame], tz: str) -> pd.DataFrame:
    """Rows per month of every dated table, over the months of the activity tables.

    Returns a frame indexed by month (``YYYY-MM``) with one column per table. Inside a
    table's own range a month with no rows shows 0; outside it the value is missing.
    The months shown span the tickets, calls and surveys (or every table when none of
    those is present), so that sign-up dates going back years do not stretch the view.

    Examples
    --------
    >>> t = {"costs": pd.DataFrame({"period": ["2026-01", "2026-03"]})}
    >>> monthly_rows(t, "UTC")["costs"].tolist()
    [1, 0, 1]
    """
    series = {}
    for name, df in tables.items():
        col = TABLES[name].time_column
        if not col or col not in df or df[col].notna().sum() == 0:
            continue
        values = df[col].dropna()
        if TABLES[name].column(col).kind == "month":
            months = pd.PeriodIndex(values, freq="M")
        else:
            months = pd.PeriodIndex(values.dt.tz_convert(tz).dt.tz_localize(None), freq="M")
        counts = pd.Series(1, index=months).groupby(level=0).sum()
        full = pd.period_range(counts.index.min(), counts.index.max(), freq="M")
        series[name] = counts.reindex(full, fill_value=0)
    if not series:
        return pd.DataFrame()
    frame = pd.DataFrame(series).sort_index()
    active = [n for n in ACTIVITY_TABLES if n in series]
    if active:
        lo = min(series[n].index.min() for n in active)
        hi = max(series[n].index.max() for n in active)
        frame = frame.loc[(frame.index >= lo) & (frame.index <= hi)]
    frame.index = frame.index.strftime("%Y-%m")
    frame.index.name = "month"
    return frame.astype("Int64")


def completeness(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Share of non-missing values of each canonical column present, per table.

    Examples
    --------
    >>> t = {"finance": pd.DataFrame({"period": ["2026-01", "2026-02"],
    ...                               "revenue": [1.0, None]})}
    >>> completeness(t)["filled"].tolist()
    [1.0, 0.5]
    """
    rows = []
    for name, df in tables.items():
        for col in TABLES[name].names:
            if col in df:
                filled = float(df[col].notna().mean()) if len(df) else float("nan")
                rows.append({"table": name, "column": col, "filled": filled})
    return pd.DataFrame(rows, columns=["table", "column", "filled"])


def exclusions_frame(flags: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Values left out of measures: one row per table and column, with the count."""
    rows = [
        {"table": name, "column": col, "values left out": int(flag[col].sum())}
        for name, flag in flags.items()
        for col in flag.columns
        if flag[col].any()
    ]
    return pd.DataFrame(rows, columns=["table", "column", "values left out"])


def quality_summary(report: QualityReport, flags: dict[str, pd.DataFrame]) -> Prose:
    """A few plain-language sentences on the state of the data, in the report's language.

    The sentences are the project's Markdown; values from the data (table and column
    names, problems, months) go in as text (:class:`csmetrics.markup.Prose`).
    """
    out = Prose()
    n_tables = len(report.tables)
    rows = sum(i.rows for i in report.tables.values())
    # Translators: Markdown (keep the **). {n} tables of the {total} known were read,
    # {rows} rows in all. English writes "rows" for any number of rows.
    read = ngettext(
        "**{n} of {total} tables** were read, **{rows} rows** in all.",
        "**{n} of {total} tables** were read, **{rows} rows** in all.",
        rows,
    )
    out.add("- " + read, n=n_tables, total=len(TABLES), rows=i18n.number(rows))
    if report.missing_tables:
        # Translators: Markdown (keep the *). {tables} lists table names (tickets, calls...)
        missing = _(
            "Not provided: {tables}. The measures that need them are shown as "
            "*not available*, never as zero."
        )
        out.add("- " + missing, tables=", ".join(report.missing_tables))
    warnings = report.warnings
    if warnings:
        affected = sum(p.count for p in warnings)
        # Translators: Markdown (keep the **). {n} kinds of problem, {rows} rows affected.
        # English writes "kind(s)" for any number.
        found = ngettext(
            "**{n} kind(s) of problem** were found, touching {rows} rows. No row was "
            "removed: each problem value is left out only of the measures it would distort.",
            "**{n} kind(s) of problem** were found, touching {rows} rows. No row was "
            "removed: each problem value is left out only of the measures it would distort.",
            len(warnings),
        )
        out.add("- " + found, n=i18n.number(len(warnings)), rows=i18n.number(affected))
        for p in warnings[:8]:
            if p.count:
                n = ngettext("{n} row", "{n} rows", p.count).format(n=i18n.number(p.count))
            else:
                n = ", ".join(str(r) for r in p.examples())
            # Translators: one problem of the list: {where} is table.column, {problem} what
            # is wrong, {count} the number of rows ("3 rows") or the months concerned
            item = _("{where}: {problem} ({count}).")
            where = f"{p.table}.{p.column}" if p.column else p.table
            out.add("    - " + item, where=where, problem=p.text(), count=n)
    else:
        out.add("- " + _("No data-quality problems were found."))
    excl = exclusions_frame(flags)
    if not excl.empty:
        total = int(excl["values left out"].sum())
        # Translators: Markdown (keep the **). English writes "values" for any number.
        left_out = ngettext(
            "In all, **{n} values** are left out of the measures below.",
            "In all, **{n} values** are left out of the measures below.",
            total,
        )
        out.add("- " + left_out, n=i18n.number(total))
    return out


def rows_in_period(tables: dict[str, pd.DataFrame], period) -> pd.DataFrame:
    """Rows of each dated table that fall in ``period`` (a :class:`csmetrics.Period`)."""
    rows = []
    for name, df in tables.items():
        col = TABLES[name].time_column
        if not col or col not in df:
            continue
        if TABLES[name].column(col).kind == "month":
            months = period.months()
            if months is None:
                n = int(df[col].notna().sum())
            else:
                n = int(df[col].isin(list(months)).sum())
        else:
            n = int(period.contains(df[col]).sum())
        rows.append({"table": name, "dated by": col, "rows in period": n, "rows in all": len(df)})
    return pd.DataFrame(rows, columns=["table", "dated by", "rows in period", "rows in all"])
