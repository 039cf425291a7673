"""Derived numeric columns, computed once before any KPI runs.

KPI code (written with narwhals so that it runs on pandas and on DuckDB) only sees
numbers: timestamps become seconds since the epoch (``*_ts``), durations are seconds
(``*_s``), flags are floats 1.0/0.0 (NaN where unknown), and every dated table gets
local-month columns (``*_month``) for trends. Values flagged by the quality checks are
already missing here (see :meth:`csmetrics.load.Workbook.usable`); ``x_<column>`` flags
record them so KPI results can say how many values they left out. One exception: a
ticket's ``resolved_ts`` keeps the source instant (for period membership and open/closed
status), while its ``resolution_s`` is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .calendar import business_seconds
from .config_model import Config
from .contacts import CONTACTS_DOC, add_contact_history, link_calls  # noqa: F401  (also this module's names)
from .i18n import N_
from .periods import month_labels
from .problems import Problem
from .schema import TABLES
from .workbook import Workbook

#: Columns any KPI can be grouped by, when the table has them.
GROUP_COLUMNS = ("channel", "team", "agent_id", "priority", "category", "queue", "segment",
                 "product", "severity", "metric", "is_peak", "peak")  # fmt: skip


@dataclass
class Prepared:
    """Numeric tables ready for the KPI engine, with the settings they were made with."""

    tables: dict[str, pd.DataFrame]
    config: Config
    as_of: pd.Timestamp
    excluded: dict[str, dict[str, int]] = field(default_factory=dict)
    #: The contact model's counts (see :func:`add_contact_history`): tickets,
    #: calls_answered, linked_by_id, linked_by_time, contacts.
    contacts: dict[str, int] = field(default_factory=dict)
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict:
        """Pickled without :attr:`cache` (DuckDB connections and relations of this
        process, made again on demand)."""
        return {**self.__dict__, "cache": {}}

    @property
    def as_of_s(self) -> float:
        """The as-of instant in epoch seconds."""
        return self.as_of.value / 1e9

    def __contains__(self, name: object) -> bool:
        return name in self.tables

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def epoch_seconds(ts: pd.Series) -> pd.Series:
    """Seconds since 1970-01-01 UTC as float64 (NaN where missing).

    Examples
    --------
    >>> epoch_seconds(pd.Series(pd.to_datetime(["1970-01-02"]).tz_localize("UTC"))).tolist()
    [86400.0]
    """
    if not isinstance(ts.dtype, pd.DatetimeTZDtype):
        return pd.Series(np.nan, index=ts.index)
    out = ts.dt.tz_convert("UTC").astype("datetime64[us, UTC]")
    values = out.array.asi8.astype("float64") / 1e6
    values[out.isna().to_numpy()] = np.nan
    return pd.Series(values, index=ts.index)


def local_month(ts: pd.Series, tz: str) -> pd.Series:
    """``YYYY-MM`` of each instant in the configured time zone (missing stays missing)."""
    if not isinstance(ts.dtype, pd.DatetimeTZDtype):
        return pd.Series(np.nan, index=ts.index, dtype="str")
    return month_labels(ts, tz)


def _flag(values: pd.Series) -> pd.Series:
    """Nullable booleans as floats: True 1.0, False 0.0, missing NaN."""
    return values.astype("Float64").astype("float64")


def _copy_groups(src: pd.DataFrame, out: pd.DataFrame) -> None:
    """Copy every text column (ids, labels, categories, extra columns) as ``str``."""
    for col in src.columns:
        text = src[col].dtype.kind in "OSUT" or str(src[col].dtype) == "str"
        if text and col not in out:
            out[col] = src[col].astype("str").where(src[col].notna())


def _peaks(ts: pd.Series, cfg: Config) -> tuple[pd.Series, pd.Series]:
    """Name of the peak period each instant falls in ('regular' otherwise), and a 0/1 flag."""
    name = pd.Series("regular", index=ts.index, dtype="str")
    if isinstance(ts.dtype, pd.DatetimeTZDtype):
        day = ts.dt.tz_convert(cfg.timezone).dt.tz_localize(None).dt.normalize()
        for p in cfg.peak_periods:
            inside = (day >= pd.Timestamp(p.start)) & (day <= pd.Timestamp(p.end))
            name = name.where(~inside.fillna(False).astype(bool), p.name)
    return name, (name != "regular").astype(float)


def _dated(df: pd.DataFrame, out: pd.DataFrame, cols: list[str], cfg: Config) -> None:
    for col in cols:
        if col in df:
            stem = col.removesuffix("_at")
            out[f"{stem}_ts"] = epoch_seconds(df[col])
            out[f"{stem}_month"] = local_month(df[col], cfg.timezone)


def _excluded_flags(wb: Workbook, name: str, out: pd.DataFrame) -> dict[str, int]:
    flags = wb.flags.get(name)
    counts = {}
    if flags is None:
        return counts
    for col in flags.columns:
        out[f"x_{col}"] = flags[col].astype(float).to_numpy()
        counts[col] = int(flags[col].sum())
    return counts


def first_contact_resolved(
    resolved: pd.Series, replies: pd.Series, reopens: pd.Series | None = None
) -> pd.Series:
    """The ``fcr`` flag: 1.0 resolved with at most one agent reply and no reopen, else 0.0.

    ``fcr_rate`` is over *all* tickets created, so a ticket is left out (NaN) only when it
    cannot be judged: resolved and not reopened, with its number of replies unknown. A
    ticket never resolved is never first-contact resolved, whatever its replies; a
    missing ``reopens`` counts as no reopen.

    Examples
    --------
    >>> first_contact_resolved(pd.Series([True, True, False, True]),
    ...                        pd.Series([1.0, 2.0, np.nan, np.nan])).tolist()
    [1.0, 0.0, 0.0, nan]
    """
    reopened = reopens.fillna(0) > 0 if reopens is not None else pd.Series(False, resolved.index)
    fcr = (resolved & (replies <= 1) & ~reopened).astype(float)
    return fcr.where(~resolved | replies.notna() | reopened)


def prepare_tickets(wb: Workbook, as_of: pd.Timestamp) -> pd.DataFrame:
    """Tickets with epoch times, durations (calendar and business), flags and months."""
    cfg = wb.config
    raw = wb["tickets"]
    df = wb.usable("tickets")
    out = pd.DataFrame({"ticket_id": df["ticket_id"]}, index=df.index)
    _copy_groups(df, out)
    _dated(df, out, ["created_at", "first_response_at"], cfg)
    # resolved_ts keeps the source instant even when a quality check flagged it (e.g.
    # resolved "before" it was created): the ticket still belongs to the period it was
    # resolved in, where resolution KPIs count it in ``excluded``, and it is not mistaken
    # for an open ticket; its resolution_s is missing, so it is in no duration.
    if "resolved_at" in raw:
        _dated(raw, out, ["resolved_at"], cfg)
    created = df["created_at"]
    if "first_response_at" in df:
        out["frt_s"] = (df["first_response_at"] - created).dt.total_seconds()
        out["frt_business_s"] = business_seconds(
            created, df["first_response_at"], cfg.calendar, cfg.timezone
        )
        # answered: a first response exists in the source, even if it was left out of FRT
        out["answered"] = raw["first_response_at"].notna().astype(float)
    if "resolved_at" in df:
        out["resolution_s"] = (df["resolved_at"] - created).dt.total_seconds()
        out["resolved"] = raw["resolved_at"].notna().astype(float)
    if "agent_replies" in df and "resolved_at" in df:
        out["fcr"] = first_contact_resolved(
            raw["resolved_at"].notna(),
            df["agent_replies"].astype("Float64").astype(float),
            df["reopens"].astype("Float64").astype(float) if "reopens" in df else None,
        )
    if "reopens" in df:
        reopens = df["reopens"].astype("Float64").astype(float)
        out["reopened"] = (reopens > 0).astype(float).where(reopens.notna())
    for col in ("is_complaint", "converted"):
        if col in df:
            out[col] = _flag(df[col])
    if "handle_time_s" in df:
        out["handle_s"] = df["handle_time_s"].astype(float)
    if "priority" in df and cfg.sla_first_response_h:
        target = df["priority"].map(cfg.sla_first_response_h).astype(float) * 3600
        out["sla_target_s"] = target
        if "first_response_at" in df:
            frt = out["frt_s"]
            age = as_of.value / 1e9 - out["created_ts"]
            met = (frt <= target).astype(float)
            # no response yet: missed once the target has passed, not yet due otherwise
            met = met.where(frt.notna(), np.where(age > target, 0.0, np.nan))
            left_out = raw["first_response_at"].notna() & df["first_response_at"].isna()
            out["sla_met"] = met.where(target.notna() & ~left_out)
    local = created.dt.tz_convert(cfg.timezone)
    out["hour"] = local.dt.hour.astype(float)
    out["weekday"] = local.dt.day_of_week.astype(float)
    out["peak"], out["is_peak"] = _peaks(created, cfg)
    out["is_peak"] = out["is_peak"].map({1.0: "peak", 0.0: "regular"}).astype("str")
    out["one"] = 1.0
    return out


def prepare_calls(wb: Workbook) -> pd.DataFrame:
    """Calls with counted/answered/abandoned flags, wait, handle time and months."""
    cfg = wb.config
    df = wb.usable("calls")
    th = cfg.thresholds
    out = pd.DataFrame({"call_id": df["call_id"]}, index=df.index)
    _copy_groups(df, out)
    out["channel"] = "phone"
    _dated(df, out, ["arrived_at", "answered_at"], cfg)
    answered = (df["outcome"] == "answered").astype(float)
    abandoned = (df["outcome"] == "abandoned").astype(float)
    wait = df["wait_s"].astype(float) if "wait_s" in df else pd.Series(np.nan, index=df.index)
    short = (abandoned == 1) & (wait < th.short_abandon_s).fillna(False)
    out["answered"] = answered
    # a contact of its own unless linked to a ticket (see add_contact_history)
    out["contact"] = answered
    out["linked_ticket"] = pd.Series(None, index=df.index, dtype=object)
    out["abandoned"] = abandoned
    out["offered"] = answered + abandoned
    out["short_abandon"] = short.astype(float)
    out["abandon_counted"] = abandoned * (1 - out["short_abandon"])
    out["abandon_base"] = answered + out["abandon_counted"]
    out["wait_s"] = wait
    out["answered_wait_s"] = wait.where(answered == 1)
    # abandonment: abandoned over answered + abandoned, short abandons out of both
    out["abandon_flag"] = out["abandon_counted"].where(out["abandon_base"] == 1)
    # service level: answered within T over answered + abandoned after T
    within = (answered == 1) & (wait <= th.service_level_s)
    late_abandon = (abandoned == 1) & (wait > th.service_level_s)
    in_base = ((answered == 1) | late_abandon) & wait.notna()
    out["sl_flag"] = within.astype(float).where(in_base)
    if "talk_s" in df:
        parts = df["talk_s"].astype(float)
        for col in ("hold_s", "wrap_s"):
            if col in df:
                parts = parts + df[col].astype(float).fillna(0.0)
        out["handle_s"] = parts.where(answered == 1)
    if "resolved" in df:
        out["resolved"] = _flag(df["resolved"]).where(answered == 1)
    local = df["arrived_at"].dt.tz_convert(cfg.timezone)
    out["hour"] = local.dt.hour.astype(float)
    out["weekday"] = local.dt.day_of_week.astype(float)
    out["peak"], peak = _peaks(df["arrived_at"], cfg)
    out["is_peak"] = peak.map({1.0: "peak", 0.0: "regular"}).astype("str")
    out["one"] = 1.0
    return out


def prepare_surveys(wb: Workbook) -> pd.DataFrame:
    """Surveys with answered flags, CSAT top-2-box, NPS promoter/detractor, CES."""
    cfg = wb.config
    df = wb.usable("surveys")
    raw = wb["surveys"]
    out = pd.DataFrame({"survey_id": df["survey_id"]}, index=df.index)
    _copy_groups(df, out)
    out["metric"] = df["metric"]
    answered_at = df.get("answered_at")
    score = df["score"].astype(float) if "score" in df else pd.Series(np.nan, index=df.index)
    when = df["sent_at"] if answered_at is None else answered_at.fillna(df["sent_at"])
    when = when.where(score.notna() | (raw["score"].notna() if "score" in raw else False))
    out["sent_ts"] = epoch_seconds(df["sent_at"])
    out["sent_month"] = local_month(df["sent_at"], cfg.timezone)
    out["answered_ts"] = epoch_seconds(when)
    out["answered_month"] = local_month(when, cfg.timezone)
    responded = raw["score"].notna() if "score" in raw else pd.Series(False, index=df.index)
    out["responded"] = responded.astype(float)
    is_csat, is_nps, is_ces = (df["metric"] == m for m in ("csat", "nps", "ces"))
    out["csat"] = score.where(is_csat)
    out["csat_good"] = (score >= 4).astype(float).where(is_csat & score.notna())
    out["nps_score"] = score.where(is_nps)
    out["promoter"] = (score >= 9).astype(float).where(is_nps & score.notna())
    out["detractor"] = (score <= 6).astype(float).where(is_nps & score.notna())
    out["ces"] = score.where(is_ces)
    out["is_csat"] = (is_csat & score.notna()).astype(float)
    out["is_nps"] = (is_nps & score.notna()).astype(float)
    out["is_ces"] = (is_ces & score.notna()).astype(float)
    out["peak"], peak = _peaks(when, cfg)
    out["is_peak"] = peak.map({1.0: "peak", 0.0: "regular"}).astype("str")
    out["one"] = 1.0
    return out


def prepare_incidents(wb: Workbook) -> pd.DataFrame:
    """Incidents with detection and restoration durations and the gap since the last start."""
    cfg = wb.config
    df = wb.usable("incidents").sort_values("started_at", kind="stable")
    out = pd.DataFrame({"incident_id": df["incident_id"]}, index=df.index)
    _copy_groups(df, out)
    _dated(df, out, ["started_at", "detected_at", "resolved_at"], cfg)
    if "detected_at" in df:
        out["ttd_s"] = (df["detected_at"] - df["started_at"]).dt.total_seconds()
    if "resolved_at" in df:
        out["ttr_s"] = (df["resolved_at"] - df["started_at"]).dt.total_seconds()
    out["gap_s"] = out["started_ts"].diff()
    out["one"] = 1.0
    return out.sort_index()


def _monthly(wb: Workbook, name: str) -> pd.DataFrame:
    df = wb.usable(name)
    out = df.copy()
    for col in out.columns:
        if str(out[col].dtype) in ("str", "string"):
            out[col] = out[col].astype("str").where(out[col].notna())
    out["period_month"] = df["period"]
    out["one"] = 1.0
    if name == "staffing" and "staffed_hours" in df:
        out["staffed_s"] = df["staffed_hours"].astype(float) * 3600
    return out


def prepare_customers(wb: Workbook) -> pd.DataFrame:
    """Customers with sign-up and churn instants in epoch seconds."""
    df = wb.usable("customers")
    out = pd.DataFrame({"customer_id": df["customer_id"]}, index=df.index)
    _copy_groups(df, out)
    out["since_ts"] = epoch_seconds(df["since"])
    out["until_ts"] = epoch_seconds(df["until"]) if "until" in df else np.nan
    return out


def data_as_of(wb: Workbook) -> pd.Timestamp:
    """The configured ``as_of``, else the latest usable timestamp of tickets, calls, surveys."""
    if wb.config.as_of is not None:
        return pd.Timestamp(wb.config.as_of).tz_convert(wb.config.timezone)
    latest = []
    for name in ("tickets", "calls", "surveys", "incidents"):
        if name not in wb:
            continue
        df = wb.usable(name)
        for col in TABLES[name].columns:
            if col.kind == "timestamp" and col.name in df and df[col.name].notna().any():
                latest.append(df[col.name].max().tz_convert("UTC"))
    if not latest:
        return pd.Timestamp.now(tz=wb.config.timezone)
    return max(latest).tz_convert(wb.config.timezone)


PREPARERS = {
    "calls": prepare_calls,
    "surveys": prepare_surveys,
    "incidents": prepare_incidents,
    "customers": prepare_customers,
}


def prepare(wb: Workbook) -> Prepared:
    """Compute every derived column the KPIs need, for every table present.

    Parameters
    ----------
    wb : Workbook
        Validated canonical tables (:func:`csmetrics.load` or
        :func:`csmetrics.from_frames`).

    Returns
    -------
    Prepared
        Per table: epoch times, local months, durations in calendar and business hours,
        flags; the contact history; the as-of time and the exclusion counts.

    Examples
    --------
    >>> import pandas as pd
    >>> import csmetrics as cm
    >>> tickets = pd.DataFrame({
    ...     "ticket_id": ["T1", "T2", "T3"],
    ...     "created_at": ["2026-10-01 09:00", "2026-10-02 10:00", "2026-10-03 11:00"],
    ...     "channel": ["email", "chat", "email"],
    ...     "first_response_at": ["2026-10-01 11:00", "2026-10-02 10:30", None],
    ... })
    >>> prepared = prepare(cm.from_frames({"tickets": tickets}, {"timezone": "Europe/Lisbon"}))
    >>> prepared["tickets"][["ticket_id", "created_month", "frt_s"]]
      ticket_id created_month   frt_s
    0        T1       2026-10  7200.0
    1        T2       2026-10  1800.0
    2        T3       2026-10     NaN
    """
    as_of = data_as_of(wb)
    tables: dict[str, pd.DataFrame] = {}
    excluded: dict[str, dict[str, int]] = {}
    for name in wb.tables:
        if name == "tickets":
            out = prepare_tickets(wb, as_of)
        elif name in PREPARERS:
            out = PREPARERS[name](wb)
        else:
            out = _monthly(wb, name)
        excluded[name] = _excluded_flags(wb, name, out)
        tables[name] = out.reset_index(drop=True)
    contacts = add_contact_history(tables, wb.config)
    _report_links(wb, contacts)
    return Prepared(tables, wb.config, as_of, excluded, contacts)


def _report_links(wb: Workbook, contacts: dict[str, int]) -> None:
    """Say in the data-quality report how many phone tickets were linked to their call
    (an ``info`` note, replaced when the workbook is prepared again)."""
    problems = [p for p in wb.quality.problems if p.kind != "contacts_linked"]
    n = contacts["linked_by_id"] + contacts["linked_by_time"]
    if n:
        # Translators: {n} is a number of tickets; {by_id} and {by_time} parts of it
        template = N_(
            "{n} phone ticket(s) linked to the answered call they came from ({by_id} by id, "
            "{by_time} by customer and time): each pair counts as one contact"
        )
        args = {"n": n, "by_id": contacts["linked_by_id"], "by_time": contacts["linked_by_time"]}
        problems.append(
            Problem("tickets", "contacts_linked", "info", template.format(**args), count=n,
                    template=template, args=args)
        )  # fmt: skip
    wb.quality.problems[:] = problems
