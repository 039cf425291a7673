"""The contact model: phone tickets linked to the calls they came from, and each ticket's
place in its customer's history of contacts (repeat contacts, channel switches).

Everything here works on whole columns: customer ids become integer codes (Arrow's
dictionary encoding), candidates are joined on those codes and ordered with
``numpy.lexsort``, and ids are compared as text only where the order of simultaneous
contacts depends on them. The rule itself is :data:`CONTACTS_DOC`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .config_model import Config

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

#: Source codes of contacts: at the same time, a call comes before a ticket (as "c"
#: before "t", the order this model has always had).
_CALL, _TICKET = 0, 1
_LINK_COLUMNS = ["ticket", "call", "how", "t_row", "c_row"]


def link_calls(t: pd.DataFrame, c: pd.DataFrame, window_s: float) -> pd.DataFrame:
    """Pairs of a ticket and the answered call it came from: ``ticket``, ``call``, ``how``
    (and their rows, ``t_row`` and ``c_row``).

    ``how`` is ``"id"`` (a ``call_id`` column in tickets, or ``ticket_id`` in calls) or
    ``"time"`` (the rule of :data:`CONTACTS_DOC`). Row order does not matter: candidates
    are taken nearest first, ties by ticket id and call id.
    """
    answered = (c["answered"] == 1).to_numpy()
    by_id = _linked_by_id(t, c, answered)
    out = [by_id]
    if "customer_id" in c and "customer_id" in t:
        out.append(_linked_by_time(t, c, answered, by_id, window_s))
    links = pd.concat(out, ignore_index=True)
    ticket = t["ticket_id"].to_numpy(object)[links["t_row"].to_numpy(int)]
    call = c["call_id"].to_numpy(object)[links["c_row"].to_numpy(int)]
    links["ticket"] = pd.Series(ticket, index=links.index, dtype=object)
    links["call"] = pd.Series(call, index=links.index, dtype=object)
    return links[_LINK_COLUMNS]


def _linked_by_id(t: pd.DataFrame, c: pd.DataFrame, answered: np.ndarray) -> pd.DataFrame:
    """Pairs named by id: a ``call_id`` in tickets or a ``ticket_id`` in calls."""
    pairs = []
    if "call_id" in t:
        pairs.append(t[["ticket_id", "call_id"]].dropna())
    if "ticket_id" in c:
        pairs.append(c[["ticket_id", "call_id"]].dropna())
    if not pairs:
        return _links(np.zeros(0, int), np.zeros(0, int), "id")
    named = pd.concat(pairs).astype({"ticket_id": str, "call_id": str})
    t_row = pd.Index(t["ticket_id"].astype(str)).get_indexer(named["ticket_id"])
    c_row = pd.Index(c["call_id"].astype(str)).get_indexer(named["call_id"])
    ok = (t_row >= 0) & (c_row >= 0)
    ok[ok] &= answered[c_row[ok]]
    t_row, c_row = t_row[ok], c_row[ok]
    zeros = np.zeros(len(t_row))
    return _links(*_one_to_one(zeros, zeros, t, c, t_row, c_row), "id")


def _linked_by_time(
    t: pd.DataFrame, c: pd.DataFrame, answered: np.ndarray, by_id: pd.DataFrame, window_s: float
) -> pd.DataFrame:
    """Pairs of a phone ticket and an answered call of the same customer, the ticket
    created during the call or within ``window_s`` of it."""
    created = t["created_ts"].to_numpy(float)
    is_phone = (t["channel"] == "phone").to_numpy(bool) & ~np.isnan(created)
    is_phone[by_id["t_row"].to_numpy(int)] = False
    start = c["arrived_ts"].to_numpy(float)
    free = answered & ~np.isnan(start)
    free[by_id["c_row"].to_numpy(int)] = False
    picked = _answer_ts(c).to_numpy(float)
    end = picked + (c["handle_s"].fillna(0.0).to_numpy(float) if "handle_s" in c else 0.0)
    end = np.where(np.isnan(end), picked, end)
    codes = _codes(t["customer_id"], c["customer_id"])
    t_code, c_code = codes[: len(t)], codes[len(t) :]
    t_rows = np.flatnonzero(is_phone & (t_code >= 0))
    c_rows = np.flatnonzero(free & (c_code >= 0))
    both = pd.DataFrame({"code": t_code[t_rows], "t_row": t_rows}).merge(
        pd.DataFrame({"code": c_code[c_rows], "c_row": c_rows}), on="code"
    )
    tr, cr = both["t_row"].to_numpy(int), both["c_row"].to_numpy(int)
    when = created[tr]
    gap = np.maximum(np.maximum(start[cr] - when, when - end[cr]), 0.0)
    near = np.abs(when - picked[cr])
    close = gap <= window_s
    pairs = _one_to_one(gap[close], near[close], t, c, tr[close], cr[close])
    return _links(*pairs, "time")


def _links(t_row: np.ndarray, c_row: np.ndarray, how: str) -> pd.DataFrame:
    return pd.DataFrame({"how": how, "t_row": t_row.astype(int), "c_row": c_row.astype(int)})


def _answer_ts(calls: pd.DataFrame) -> pd.Series:
    """When each call was picked up: ``answered_at``, else arrival + wait, else arrival."""
    picked = calls["arrived_ts"] + calls["wait_s"].fillna(0.0)
    if "answered_ts" in calls:
        picked = calls["answered_ts"].fillna(picked)
    return picked


def _one_to_one(
    gap: np.ndarray,
    near: np.ndarray,
    t: pd.DataFrame,
    c: pd.DataFrame,
    t_row: np.ndarray,
    c_row: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Greedy matching of candidate pairs (rows of ``t`` and ``c``), nearest first (by
    ``gap``, then ``near``, then ticket id and call id as text), each side used once;
    returns the matched rows."""
    if len(t_row) == 0:
        return np.zeros(0, int), np.zeros(0, int)
    t_rank = _text_rank(t["ticket_id"], t_row)
    c_rank = _text_rank(c["call_id"], c_row)
    order = np.lexsort((c_rank, t_rank, near, gap))
    used_t: set = set()
    used_c: set = set()
    keep = []
    for i, tr, cr in zip(order.tolist(), t_row[order].tolist(), c_row[order].tolist(), strict=True):
        if tr not in used_t and cr not in used_c:
            used_t.add(tr)
            used_c.add(cr)
            keep.append(i)
    return t_row[keep], c_row[keep]


def _text_rank(ids: pd.Series, rows: np.ndarray) -> np.ndarray:
    """The rank of ``ids[rows]`` in the order of their text (equal ids, equal ranks)."""
    picked = pc.take(_as_text(ids), pa.array(rows))
    return pc.rank(picked, sort_keys="ascending", tiebreaker="dense").to_numpy()


def _as_text(s: pd.Series) -> pa.Array:
    """A column as Arrow text (zero-copy for pandas' Arrow-backed strings)."""
    arr = pa.array(s, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr if pa.types.is_large_string(arr.type) else arr.cast(pa.large_string())


def _codes(*parts: pd.Series) -> np.ndarray:
    """Integer codes of the values of ``parts`` taken together (equal values, equal codes);
    -1 where a value is missing."""
    joined = pa.chunked_array([_as_text(p) for p in parts], type=pa.large_string())
    encoded = pc.dictionary_encode(joined.combine_chunks())
    return pc.fill_null(encoded.indices, -1).to_numpy()


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

    Returns the counts reported by :func:`csmetrics.prepare.prepare`: tickets, calls
    answered, pairs linked by id and by time, and contacts (tickets + answered calls of
    their own).

    Examples
    --------
    One customer e-mails at 10:00 and 11:00, then chats at 12:00 before any answer:
    both e-mails switched (2 of 3 tickets), not only the one right before the chat.
    """
    t, c = tables.get("tickets"), tables.get("calls")
    th = cfg.thresholds
    links = pd.DataFrame({k: pd.Series(dtype=object) for k in _LINK_COLUMNS})
    if t is not None and c is not None:
        links = link_calls(t, c, th.contact_link_s)
        linked = np.full(len(c), None, dtype=object)
        linked[links["c_row"].to_numpy(int)] = links["ticket"].to_numpy(object)
        c["linked_ticket"] = pd.Series(linked, index=c.index, dtype=object)
        c["contact"] = c["answered"] * pd.Series(pd.isna(linked), index=c.index)
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
    ts = t["created_ts"].to_numpy(dtype=float, copy=True)
    first = (
        t["first_response_ts"].to_numpy(dtype=float, copy=True)
        if "first_response_ts" in t
        else np.full(len(t), np.nan)
    )
    picked = None if c is None else _answer_ts(c).to_numpy(float)
    if c is not None and len(links):
        # a linked pair is one contact: from the call's arrival, answered when picked up
        pos, cpos = links["t_row"].to_numpy(int), links["c_row"].to_numpy(int)
        ts[pos] = np.fmin(ts[pos], c["arrived_ts"].to_numpy(float)[cpos])
        first[pos] = np.fmin(first[pos], picked[cpos])
    own = np.zeros(0, int)
    if c is not None and "customer_id" in c:
        own = np.flatnonzero((c["contact"] == 1).to_numpy())
    allc = _in_contact_order(t, c, ts, first, own, picked)
    cust, when, chan = allc["customer"], allc["ts"], allc["channel"]
    prev_same = np.r_[False, cust[1:] == cust[:-1]]
    gap = np.r_[np.nan, when[1:] - when[:-1]]
    repeat = prev_same & (gap <= th.repeat_contact_days * 86400)
    # the first later contact on another channel opens the next run of consecutive
    # contacts of the same customer on one channel
    starts = np.flatnonzero(~prev_same | np.r_[True, chan[1:] != chan[:-1]])
    ends = np.r_[starts[1:], len(cust)]
    nxt = np.minimum(np.repeat(ends, ends - starts), len(cust) - 1)
    later = when[nxt]
    switch = (
        (cust[nxt] == cust)
        & (chan[nxt] != chan)
        & (later - when <= th.channel_switch_h * 3600)
        & ~(later >= allc["first"])  # before the first response, if any
    )
    mine = allc["src"] == _TICKET
    rows = allc["row"][mine]
    rep, sw = np.full(len(t), np.nan), np.full(len(t), np.nan)
    rep[rows] = repeat[mine]
    sw[rows] = switch[mine]
    names = np.append(allc["channel_names"], None)  # the last: a missing channel's name
    to = np.full(len(t), None, dtype=object)
    to[rows] = np.where(switch, names[np.where(chan[nxt] >= 0, chan[nxt], -1)], None)[mine]
    t["repeat_contact"], t["switched"] = rep, sw
    t["switch_to"] = pd.Series(to, index=t.index, dtype="str").where(pd.notna(to))


def _in_contact_order(
    t: pd.DataFrame,
    c: pd.DataFrame | None,
    ts: np.ndarray,
    first: np.ndarray,
    own: np.ndarray,
    picked: np.ndarray | None,
) -> dict[str, np.ndarray]:
    """Every contact with a known customer and time (the tickets, and the calls of rows
    ``own``, answered at ``picked``), ordered by customer, time, source (calls first) and
    id as text.

    Customers and channels are integer codes (the channels' names in ``channel_names``;
    a missing channel has a negative code of its own, equal to no other). Only ties of
    customer, time and source are ordered by their ids' text.
    """
    n_t = len(t)
    parts_cust, parts_chan = [t["customer_id"]], [t["channel"]]
    when, firsts = [ts], [first]
    if c is not None and len(own):
        parts_cust.append(c["customer_id"].iloc[own])
        parts_chan.append(pd.Series("phone", index=own))
        when.append(c["arrived_ts"].to_numpy(float)[own])
        firsts.append(picked[own])
    cust = _codes(*parts_cust)
    chan, names = _channel_codes(parts_chan)
    allc = {
        "customer": cust,
        "ts": np.concatenate(when),
        "first": np.concatenate(firsts),
        "src": np.r_[np.full(n_t, _TICKET), np.full(len(own), _CALL)].astype(np.int8),
        "row": np.r_[np.arange(n_t), own].astype(int),
        "channel": chan,
    }
    keep = (allc["customer"] >= 0) & ~np.isnan(allc["ts"])
    allc = {k: v[keep] for k, v in allc.items()}
    order = np.lexsort((allc["src"], allc["ts"], allc["customer"]))
    cu, tm, sr = allc["customer"][order], allc["ts"][order], allc["src"][order]
    tie = np.r_[False, (cu[1:] == cu[:-1]) & (tm[1:] == tm[:-1]) & (sr[1:] == sr[:-1])]
    tied = tie | np.r_[tie[1:], False]
    if tied.any():  # the ids' text decides among simultaneous contacts of one source
        ids = _contact_ids(t, c, allc["src"][order][tied], allc["row"][order][tied])
        id_rank = np.zeros(len(order), dtype=np.int64)
        id_rank[tied] = pd.factorize(ids, sort=True)[0]
        order = order[np.lexsort((id_rank, sr, tm, cu))]
    out = {k: v[order] for k, v in allc.items()}
    out["channel_names"] = names
    return out


def _channel_codes(parts: list[pd.Series]) -> tuple[np.ndarray, np.ndarray]:
    """Channel codes (positions in the names returned with them); a missing channel gets
    a negative code of its own (-1, -2, ...), equal to no other."""
    text = pa.chunked_array([_as_text(p) for p in parts], type=pa.large_string())
    names = pc.unique(text).drop_null()
    out = pc.fill_null(pc.index_in(text, value_set=names), -1).to_numpy().astype(np.int64)
    missing = out < 0
    out[missing] = -1 - np.arange(int(missing.sum()))
    return out, np.asarray(names.to_pylist(), dtype=object)


def _contact_ids(
    t: pd.DataFrame, c: pd.DataFrame | None, src: np.ndarray, rows: np.ndarray
) -> np.ndarray:
    """The ids (as text) of contacts given by source and row."""
    out = np.empty(len(rows), dtype=object)
    is_t = src == _TICKET
    out[is_t] = t["ticket_id"].to_numpy(object)[rows[is_t]]
    if c is not None:
        out[~is_t] = c["call_id"].to_numpy(object)[rows[~is_t]]
    return out
