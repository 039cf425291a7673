"""The loaded data of one folder: :class:`Workbook`, how it is completed once its tables are
read (quality checks, flags), and the period a report opens on by default.

:func:`csmetrics.load.load` reads a folder into a Workbook; :func:`from_frames` builds one
from DataFrames in memory through the same checks.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .canonical import canonical_table
from .config import config_from_dict
from .config_model import CONFIG_FILENAME, Config
from .errors import ConfigError, CsmetricsError, DataError
from .i18n import N_
from .periods import latest_month_with_data
from .problems import Problem, QualityReport, without_values
from .quality_checks import run_checks
from .schema import TABLES


@dataclass
class Workbook:
    """The canonical tables of one data folder, with its configuration and quality report.

    Attributes
    ----------
    tables : dict of DataFrame
        Canonical tables by name; absent optional tables are not keys.
    config : Config
        Settings read from ``csmetrics.yaml`` (or defaults).
    quality : QualityReport
        What was read and every problem found.
    flags : dict of DataFrame
        Per table, boolean columns marking values left out of measures.
    """

    tables: dict[str, pd.DataFrame]
    config: Config
    quality: QualityReport
    flags: dict[str, pd.DataFrame] = field(default_factory=dict)
    folder: Path | None = None

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __contains__(self, name: object) -> bool:
        return name in self.tables

    def usable(self, name: str) -> pd.DataFrame:
        """Table ``name`` with the values flagged by quality warnings set to missing.

        A ticket "resolved before it was created" keeps its row (it still counts as
        created) but loses its ``resolved_at``, so it is left out of resolution times
        only. Use :meth:`excluded_counts` to report how many values were left out.
        """
        df = self.tables[name].copy()
        flag = self.flags.get(name)
        if flag is None or flag.empty:
            return df
        for col in flag.columns:
            if flag[col].any():
                df.loc[flag[col].to_numpy(), col] = None
        return df

    def excluded_counts(self, name: str) -> dict[str, int]:
        """How many values of each column of table ``name`` are left out of measures."""
        flag = self.flags.get(name)
        if flag is None:
            return {}
        return {c: int(flag[c].sum()) for c in flag.columns if flag[c].any()}


#: The dated activity tables whose timestamps decide the default period, with the column.
PERIOD_STAMPS = (("tickets", "created_at"), ("calls", "arrived_at"), ("surveys", "sent_at"))


def default_period(wb: Workbook) -> str:
    """The latest complete month with data (tickets, calls and surveys), as ``YYYY-MM``.

    The month is :func:`csmetrics.periods.latest_month_with_data` of the usable
    timestamps; without tickets, calls or surveys, the latest month of the monthly tables
    (``monthly_metrics``, ``costs``).

    Parameters
    ----------
    wb : Workbook
        The loaded data.

    Returns
    -------
    str
        A month label that :meth:`csmetrics.periods.Period.parse` reads.

    Raises
    ------
    CsmetricsError
        No table dates anything: the period must be given.

    Examples
    --------
    >>> wb = from_frames({"tickets": pd.DataFrame({"ticket_id": ["T1", "T2"],
    ...     "created_at": ["2026-09-03 09:00", "2026-10-02 10:00"], "channel": ["email"] * 2})})
    >>> default_period(wb)
    '2026-09'
    """
    stamps = [
        wb.usable(table)[col].dropna().dt.tz_convert("UTC")
        for table, col in PERIOD_STAMPS
        if table in wb
    ]
    if not stamps:
        months = [
            wb[t]["period"].dropna().max()
            for t in ("monthly_metrics", "costs")
            if t in wb and wb[t]["period"].notna().any()
        ]
        if months:
            return max(months)
        raise CsmetricsError("no tickets, calls or surveys: give --period explicitly")
    month = latest_month_with_data(pd.concat(stamps), wb.config.timezone)
    if month is None:
        raise CsmetricsError("the data has no usable timestamps: give --period explicitly")
    return month


def finish_workbook(
    tables: dict[str, pd.DataFrame],
    cfg: Config,
    report: QualityReport,
    now: pd.Timestamp | None,
    folder: Path | None,
) -> Workbook:
    """Quality checks and the final :class:`Workbook`, shared by every way of loading."""
    _check_sla_priorities(tables, cfg)
    for name, df in tables.items():
        if df.empty:
            report.problems.append(
                Problem(
                    name,
                    "no_rows",
                    "warning",
                    N_("the file has a header but no rows"),
                    file=report.tables[name].source,
                )
            )
    for info in report.tables.values():
        report.problems.extend(info.problems)
    files = {n: i.source for n, i in report.tables.items()}
    problems, flags = run_checks(tables, cfg, files, now=now)
    report.problems.extend(problems)
    report.missing_tables = [t for t in TABLES if t not in tables]
    for name in report.missing_tables:
        report.problems.append(
            Problem(
                name,
                "table_absent",
                "info",
                N_("no file for this optional table; its KPIs are not available"),
            )
        )
    hidden = {n for n, info in report.tables.items() if not info.values_shown}
    for problem in report.problems:
        if problem.table in hidden:
            problem.rows = without_values(problem.rows)
    return Workbook(tables=tables, config=cfg, quality=report, flags=flags, folder=folder)


def _check_sla_priorities(tables: dict[str, pd.DataFrame], cfg: Config) -> None:
    """Every priority named in ``sla_first_response_h`` occurs in the tickets (a typo
    would leave that priority's tickets without a target, silently)."""
    tickets = tables.get("tickets")
    if not cfg.sla_first_response_h or tickets is None or "priority" not in tickets:
        return
    seen = sorted(tickets["priority"].dropna().astype(str).unique().tolist())
    unknown = [p for p in cfg.sla_first_response_h if p not in seen]
    if unknown:
        hints = []
        for p in unknown:
            close = difflib.get_close_matches(p, seen, n=1)
            hints.append(f"{p!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise ConfigError(
            f"{cfg.path or CONFIG_FILENAME}: sla_first_response_h: priority "
            f"{', '.join(hints)} never occurs in the tickets; their priorities are "
            f"{', '.join(map(repr, seen[:12]))}"
        )


def from_frames(
    frames: dict[str, pd.DataFrame],
    config: Config | dict | None = None,
    *,
    now: pd.Timestamp | None = None,
) -> Workbook:
    """Build a :class:`Workbook` from DataFrames already in memory.

    Each frame goes through the same mapping, parsing, validation and quality checks as
    a file would. ``config`` is a :class:`Config` or the dict form of ``csmetrics.yaml``.

    Examples
    --------
    >>> wb = from_frames({"tickets": pd.DataFrame({
    ...     "ticket_id": ["T1"], "created_at": ["2026-10-01 09:00"], "channel": ["email"]})})
    >>> str(wb["tickets"]["created_at"].dtype)
    'datetime64[us, UTC]'
    """
    cfg = config if isinstance(config, Config) else config_from_dict(config or {})
    unknown = [n for n in frames if n not in TABLES]
    if unknown:
        raise DataError(f"unknown table(s) {', '.join(unknown)}; tables: {', '.join(TABLES)}")
    report = QualityReport()
    tables: dict[str, pd.DataFrame] = {}
    errors: list[DataError] = []
    for name, raw in frames.items():
        try:
            tables[name], report.tables[name] = canonical_table(
                raw, name, cfg, f"<{name} frame>", cfg.columns.get(name)
            )
        except DataError as exc:
            errors.append(exc)
    if errors:
        flat = [p for e in errors for p in (e.problems or [e])]
        raise flat[0] if len(flat) == 1 else DataError(f"{len(flat)} problems", problems=flat)
    return finish_workbook(tables, cfg, report, now, None)
