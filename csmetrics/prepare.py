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


CONTACTS_DOC = """\
One contact per customer interaction. Every ticket is a contact. An answered call is a
contact of its own unless it is linked to a ticket: a phone ticket and the call it came
from are one contact, which began at the earlier of the call's arrival and the ticket's
creation. A call is linked to the ticket that names it (a ``call_id`` column in tickets)
or that it names (a ``ticket_id`` column in calls); without such ids, to a phone ticket of
the same customer created during the call (arrival to answer + talk + hold + wrap) or
within ``thresholds.contact_link_s`` (default 300 s) of it, the nearest such ticket first
(ties broken by ticket and call id), each call and ticket at most once. Abandoned calls
and calls with outcome ``other`` are attempts, not contacts."""


def link_calls(t: pd.DataFrame, c: pd.DataFrame, window_s: float) -> pd.DataFrame:
    """Pairs of a ticket and the answered call it came from: ``ticket``, ``call``, ``how``.

    ``how`` is ``"id"`` (a ``call_id`` column in tickets, or ``ticket_id`` in calls) or
    ``"time"`` (the rule of :data:`CONTACTS_DOC`). Row order does not matter: candidates
    are taken nearest first, ties by ticket id and call id.
    """
    # only the columns used here: filtering whole tables copies every text column
    keep = ["call_id", "ticket_id", "customer_id", "arrived_ts", "wait_s", "answered_ts",
            "handle_s"]  # fmt: skip
    answered = c.loc[c["answered"] == 1, [k for k in keep if k in c]]
    pairs = []
    if "call_id" in t:
        pairs.append(t[["ticket_id", "call_id"]].dropna())
    if "ticket_id" in c:
        pairs.append(c[["ticket_id", "call_id"]].dropna())
    by_id = pd.concat(pairs) if pairs else pd.DataFrame(columns=["ticket_id", "call_id"])
    by_id = by_id[by_id["call_id"].isin(answered["call_id"])]
    by_id = by_id[by_id["ticket_id"].isin(t["ticket_id"])].assign(gap=0.0, near=0.0)
    out = [_one_to_one(by_id.astype({"ticket_id": str, "call_id": str})).assign(how="id")]
    if "customer_id" in c and "customer_id" in t:
        is_phone = (t["channel"] == "phone") & ~t["ticket_id"].isin(out[0]["ticket"])
        phone = t.loc[is_phone, ["ticket_id", "customer_id", "created_ts"]]
        free = answered[~answered["call_id"].isin(out[0]["call"])]
        start = free["arrived_ts"]
        picked = _answer_ts(free)
        end = picked + (free["handle_s"].fillna(0.0) if "handle_s" in free else 0.0)
        calls = pd.DataFrame(
            {"customer_id": free["customer_id"], "call_id": free["call_id"], "start": start,
             "picked": picked, "end": end.fillna(picked)}
        ).dropna(subset=["customer_id", "start"])  # fmt: skip
        both = phone[["ticket_id", "customer_id", "created_ts"]].dropna().merge(calls)
        created = both["created_ts"]
        gap = np.maximum(np.maximum(both["start"] - created, created - both["end"]), 0.0)
        both = both.assign(gap=gap, near=(created - both["picked"]).abs())
        out.append(_one_to_one(both[both["gap"] <= window_s]).assign(how="time"))
    return pd.concat(out, ignore_index=True)


def _answer_ts(calls: pd.DataFrame) -> pd.Series:
    """When each call was picked up: ``answered_at``, else arrival + wait, else arrival."""
    picked = calls["arrived_ts"] + calls["wait_s"].fillna(0.0)
    if "answered_ts" in calls:
        picked = calls["answered_ts"].fillna(picked)
    return picked


def _one_to_one(cand: pd.DataFrame) -> pd.DataFrame:
    """Greedy matching, nearest candidate first (stable keys), each side used once."""
    cand = cand.sort_values(["gap", "near", "ticket_id", "call_id"], kind="stable")
    used_t: set = set()
    used_c: set = set()
    rows = []
    for tid, cid in zip(cand["ticket_id"], cand["call_id"], strict=True):
        if tid not in used_t and cid not in used_c:
            used_t.add(tid)
            used_c.add(cid)
            rows.append((tid, cid))
    return pd.DataFrame(rows, columns=["ticket", "call"], dtype=object)


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


def add_contact_history(tables: dict[str, pd.DataFrame], cfg: Config) -> dict[str, int]:
    """Link phone tickets to their calls; repeat contacts and channel switches per ticket.

    The contact model is :data:`CONTACTS_DOC`. Columns added:

    - calls: ``linked_ticket`` (the ticket a call is one contact with) and ``contact``
      (1.0 for an answered call that is a contact of its own, else 0.0).
    - tickets: ``repeat_contact``: the customer had another contact in the preceding
      ``thresholds.repeat_contact_days``; ``switched``: within
      ``thresholds.channel_switch_h`` after this contact, and before its first response,
      the same customer made *any* contact on another channel; ``switch_to`` names the
      first such channel. NaN when the customer is unknown.

    Returns the counts reported by :func:`prepare`: tickets, calls answered, pairs linked
    by id and by time, and contacts (tickets + answered calls of their own).

    Examples
    --------
    One customer e-mails at 10:00 and 11:00, then chats at 12:00 before any answer:
    both e-mails switched (2 of 3 tickets), not only the one right before the chat.
    """
    t, c = tables.get("tickets"), tables.get("calls")
    th = cfg.thresholds
    links = pd.DataFrame(columns=["ticket", "call", "how"])
    if t is not None and c is not None:
        links = link_calls(t, c, th.contact_link_s)
        linked = c["call_id"].map(links.set_index("call")["ticket"])
        c["linked_ticket"] = linked.astype(object).where(linked.notna(), None)
        c["contact"] = c["answered"] * linked.isna()
    summary = {
        "tickets": 0 if t is None else len(t),
        "calls_answered": 0 if c is None else int(c["answered"].sum()),
        "linked_by_id": int((links["how"] == "id").sum()),
        "linked_by_time": int((links["how"] == "time").sum()),
    }
    summary["contacts"] = summary["tickets"] + summary["calls_answered"] - len(links)
    if t is not None and "customer_id" in t:
        _history(t, c, links, th)
    return summary


def _history(t: pd.DataFrame, c: pd.DataFrame | None, links: pd.DataFrame, th) -> None:
    """Repeat and switch flags of each ticket over the customers' contacts (see above)."""
    ts = t["created_ts"].copy()
    first = t.get("first_response_ts", pd.Series(np.nan, index=t.index)).copy()
    if c is not None and len(links):
        # a linked pair is one contact: from the call's arrival, answered when picked up
        timed = [k for k in ("arrived_ts", "wait_s", "answered_ts") if k in c]
        call = c[["call_id", *timed]].set_index("call_id")
        pos = pd.Series(np.arange(len(t)), index=t["ticket_id"]).reindex(links["ticket"])
        pos = pos.to_numpy()
        arrived = links["call"].map(call["arrived_ts"]).to_numpy(dtype=float)
        picked = links["call"].map(_answer_ts(call)).to_numpy(dtype=float)
        ts.iloc[pos] = np.fmin(ts.to_numpy()[pos], arrived)
        first.iloc[pos] = np.fmin(first.to_numpy()[pos], picked)
    contacts = [_contacts(t["customer_id"], ts, t["channel"], "t", t["ticket_id"], first)]
    if c is not None and "customer_id" in c:
        own = c["contact"] == 1
        contacts.append(
            _contacts(c["customer_id"], c["arrived_ts"], "phone", "c", c["call_id"],
                      _answer_ts(c))[own.to_numpy()]
        )  # fmt: skip
    allc = pd.concat(contacts, ignore_index=True)
    allc = allc[allc["customer_id"].notna() & allc["ts"].notna()]
    # simultaneous contacts are ordered by source and id, not by their rows' order
    allc = allc.sort_values(["customer_id", "ts", "src", "id"], kind="stable")
    allc = allc.reset_index(drop=True)
    cust, when = allc["customer_id"], allc["ts"]
    channel = allc["channel"].astype(object)
    repeat = cust.eq(cust.shift()) & (when - when.shift() <= th.repeat_contact_days * 86400)
    # the first later contact on another channel opens the next run of consecutive
    # contacts of the same customer on one channel
    run = (cust.ne(cust.shift()) | channel.ne(channel.shift())).cumsum()
    nxt = allc.index.to_series().groupby(run).transform("max").to_numpy() + 1
    nxt = np.minimum(nxt, len(allc) - 1)
    cu, ch, ts = cust.to_numpy(), channel.to_numpy(), when.to_numpy()
    later = ts[nxt]
    switch = (
        (cu[nxt] == cu)
        & (ch[nxt] != ch)
        & (later - ts <= th.channel_switch_h * 3600)
        & ~(later >= allc["first"].to_numpy())  # before the first response, if any
    )
    mine = (allc["src"] == "t").to_numpy()
    rows = allc["row"].to_numpy()[mine]
    rep, sw = np.full(len(t), np.nan), np.full(len(t), np.nan)
    rep[rows] = repeat.to_numpy()[mine]
    sw[rows] = switch[mine]
    to = np.full(len(t), None, dtype=object)
    to[rows] = np.where(switch, ch[nxt], None)[mine]
    t["repeat_contact"], t["switched"] = rep, sw
    t["switch_to"] = pd.Series(to, index=t.index, dtype="str").where(pd.notna(to))


def _contacts(customer, ts, channel, src: str, ids, first) -> pd.DataFrame:
    return pd.DataFrame(
        {"customer_id": customer, "ts": ts, "channel": channel, "src": src, "id": ids,
         "first": first, "row": np.arange(len(ids))}
    )  # fmt: skip
