"""The warning checks run on loaded tables, and :func:`run_checks`, which runs them.

Each check is a :class:`Check`: a rule giving a boolean mask of the rows concerned in
one table, and the columns whose values those rows are left out of. The checks of a
table come from a builder registered under the table's name (:func:`register`,
:func:`get`); they run in registration order, so the problems come out in the same
order every time. Beyond those, :func:`run_checks` flags timestamps in the future and
months without rows inside a table's range.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pandas as pd

from .config_model import Config
from .errors import CsmetricsError
from .i18n import N_
from .periods import month_range, months_of
from .problems import Problem, example_rows
from .schema import TABLES


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


def _order_check(
    table: str,
    kind: str,
    later: str,
    earlier: str,
    message: str,
    affects: tuple[str, ...] | None = None,
) -> Check:
    """``later`` is before ``earlier``: the later column's value is left out."""
    return Check(
        table,
        kind,
        later,
        message,
        affects or (later,),
        (later, earlier),
        _before(later, earlier),
    )


def _ticket_checks() -> list[Check]:
    return [
        _order_check(
            "tickets",
            "resolved_before_created",
            "resolved_at",
            "created_at",
            N_("resolved before it was created"),
        ),
        _order_check(
            "tickets",
            "first_response_before_created",
            "first_response_at",
            "created_at",
            N_("first response before the ticket was created"),
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
    ]


def _call_checks() -> list[Check]:
    return [
        _order_check(
            "calls",
            "answered_before_arrival",
            "answered_at",
            "arrived_at",
            N_("answered before it arrived"),
            ("answered_at", "wait_s"),
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
    ]


def _survey_checks() -> list[Check]:
    return [
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
        _order_check(
            "surveys",
            "answered_before_sent",
            "answered_at",
            "sent_at",
            N_("answered before it was sent"),
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
    ]


def _incident_checks() -> list[Check]:
    return [
        _order_check(
            "incidents",
            "detected_before_started",
            "detected_at",
            "started_at",
            N_("detected before it started"),
        ),
        _order_check(
            "incidents",
            "resolved_before_started",
            "resolved_at",
            "started_at",
            N_("resolved before it started"),
        ),
    ]


def _customer_checks() -> list[Check]:
    return [
        _order_check(
            "customers", "until_before_since", "until", "since", N_("left before signing up")
        )
    ]


def _cost_checks() -> list[Check]:
    return [
        Check(
            "costs",
            "other_currency",
            "currency",
            N_("amount in a currency other than the configured one; totals would mix them"),
            ("amount",),
            ("currency", "amount"),
            _other_currency,
        )
    ]


def _negative_value_checks() -> list[Check]:
    """Every number column with a lower bound, in every table."""
    return [
        Check(
            name,
            "negative_value",
            col.name,
            N_("negative value"),
            (col.name,),
            (col.name,),
            _negative(col.name),
        )
        for name, spec in TABLES.items()
        for col in spec.columns
        if col.kind in ("float", "int") and col.min_value is not None
    ]


def _call_duration_checks() -> list[Check]:
    return [
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
        for col in ("wait_s", "talk_s", "hold_s", "wrap_s")
    ]


# ---------------------------------------------------------------------------------------
# The registry of check builders
# ---------------------------------------------------------------------------------------

_BUILDERS: dict[str, Callable[[], list[Check]]] = {}


def register(name: str, builder: Callable[[], list[Check]]) -> None:
    """Add a builder of checks under ``name``; its checks run after those registered
    before it.

    Parameters
    ----------
    name : str
        A name not registered yet (the built-in ones name a table or a kind of check).
    builder : callable
        Takes nothing and returns a list of :class:`Check`.

    Raises
    ------
    CsmetricsError
        ``name`` is already registered.
    """
    if name in _BUILDERS:
        raise CsmetricsError(f"quality checks {name!r} are already registered")
    _BUILDERS[name] = builder


def get(name: str) -> Callable[[], list[Check]]:
    """The builder registered under ``name``.

    Raises
    ------
    CsmetricsError
        No builder has that name; the message lists the known ones.

    Examples
    --------
    >>> [c.kind for c in get("incidents")()]
    ['detected_before_started', 'resolved_before_started']
    """
    try:
        return _BUILDERS[name]
    except KeyError:
        known = ", ".join(_BUILDERS)
        raise CsmetricsError(f"no quality checks named {name!r}; known: {known}") from None


def all_checks() -> tuple[Check, ...]:
    """Every registered check, in registration order."""
    return tuple(check for builder in _BUILDERS.values() for check in builder())


for _name, _builder in (
    ("tickets", _ticket_checks),
    ("calls", _call_checks),
    ("surveys", _survey_checks),
    ("incidents", _incident_checks),
    ("customers", _customer_checks),
    ("costs", _cost_checks),
    ("negative_values", _negative_value_checks),
    ("call_durations", _call_duration_checks),
):
    register(_name, _builder)

#: The built-in checks (:func:`all_checks` also returns those registered later).
CHECKS: tuple[Check, ...] = all_checks()


# ---------------------------------------------------------------------------------------
# Running the checks
# ---------------------------------------------------------------------------------------


def _future(df: pd.DataFrame, table: str, now: pd.Timestamp) -> Iterable[tuple[str, pd.Series]]:
    for col in TABLES[table].columns:
        if col.kind == "timestamp" and col.name in df:
            yield col.name, (df[col.name] > now).fillna(False).astype(bool)


def _months_without_data(df: pd.DataFrame, table: str, tz: str, usable: pd.Series) -> list[str]:
    """Months inside the range of the table's usable dates that hold no row."""
    col = TABLES[table].time_column
    if not col or col not in df or not usable.any():
        return []
    values = df.loc[usable, col].dropna()
    if values.empty:
        return []
    months = months_of(values, tz)
    full = month_range(months.min(), months.max())
    return [str(m) for m in full.difference(months.unique())]


class _TableFlags:
    """The problems found in one table, and the values they leave out (``flag``)."""

    def __init__(self, name: str, df: pd.DataFrame, file: str | None) -> None:
        self.name, self.df, self.file = name, df, file
        self.flag = pd.DataFrame(index=df.index)
        self.problems: list[Problem] = []

    def record(
        self, kind: str, column: str, message: str, mask: pd.Series, affects: tuple[str, ...]
    ) -> None:
        """A warning on the rows of ``mask``, leaving out their ``affects`` columns."""
        n = int(mask.sum())
        if not n:
            return
        self.problems.append(
            Problem(
                table=self.name,
                kind=kind,
                severity="warning",
                message=message,
                count=n,
                column=column,
                file=self.file,
                rows=example_rows(mask, self.df[column]),
                affects=affects,
            )
        )
        for a in affects:
            if a in self.df:
                self.flag[a] = self.flag[a] | mask if a in self.flag else mask.copy()

    def record_gaps(self, tz: str) -> None:
        """A warning listing the months without rows inside the table's range."""
        time_col = TABLES[self.name].time_column
        usable = (
            ~self.flag[time_col] if time_col in self.flag else pd.Series(True, index=self.df.index)
        )
        gaps = _months_without_data(self.df, self.name, tz, usable)
        if not gaps:
            return
        # Translators: {n} is a number of months (English writes "month(s)" for any number)
        template = N_(
            "no rows in {n} month(s) inside the data's range: "
            "measures for those months are not available"
        )
        self.problems.append(
            Problem(
                table=self.name,
                kind="months_without_data",
                severity="warning",
                message=template.format(n=len(gaps)),
                count=0,
                column=time_col,
                file=self.file,
                rows=gaps[:12],
                template=template,
                args={"n": len(gaps)},
            )
        )


def run_checks(
    tables: dict[str, pd.DataFrame],
    cfg: Config,
    files: dict[str, str],
    now: pd.Timestamp | None = None,
) -> tuple[list[Problem], dict[str, pd.DataFrame]]:
    """Run every warning rule on the loaded canonical tables.

    Parameters
    ----------
    tables : dict of DataFrame
        The canonical tables by name.
    cfg : Config
        Settings (thresholds, CES scale, currency, time zone).
    files : dict of str
        The source of each table, named in the problems.
    now : Timestamp, optional
        Reference of the "future timestamp" check (default: the current time).

    Returns
    -------
    problems : list of Problem
        One per rule that fired, with counts and example rows.
    flags : dict of DataFrame
        Per table, one boolean column per canonical column, True where that value is
        left out of measures (aligned with the table's index).
    """
    now = now if now is not None else pd.Timestamp.now(tz=cfg.timezone)
    checks = all_checks()
    problems: list[Problem] = []
    flags: dict[str, pd.DataFrame] = {}
    for name, df in tables.items():
        found = _TableFlags(name, df, files.get(name))
        for col, mask in _future(df, name, now):
            found.record(
                "future_timestamp",
                col,
                N_("timestamp in the future (later than the time of loading)"),
                mask,
                (col,),
            )
        for check in checks:
            if check.table != name or not all(c in df for c in check.reads):
                continue
            mask = check.rule(df, cfg, tables)
            found.record(check.kind, check.column, check.message, mask, check.affects)
        found.record_gaps(cfg.timezone)
        problems += found.problems
        flags[name] = found.flag.astype(bool)
    return problems, flags
