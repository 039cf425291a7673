"""Presets ``zendesk`` and ``freshdesk``: the help desks' standard ticket CSV exports.

Also home of the helpers every ticket-export preset shares (reading an export with the
source line of each record, finding columns under their usual spellings, parsing local
timestamps and clock durations, mapping statuses, setting aside duplicate ids).

Zendesk
-------
Supported: the admin **CSV export** (Admin Center > Account > Tools > Reports > Export >
CSV export). Its columns and their meaning are documented in Zendesk's help-centre
article "Exporting ticket, user, or organization data from your account"
(support.zendesk.com/hc/en-us/articles/4408886165402, section *CSV export*); the column
order below is the one of real exports (e.g. GitHub ``skipjac/Zendesk-CSV-append``,
which post-processes the downloaded file)::

    Summation column, Id, Requester, Requester id, Requester external id,
    Requester email, Requester domain, Submitter, Assignee, Group, Subject, Tags,
    Status, Priority, Via, Ticket type, Created at, Updated at, Assigned at,
    Organization, Due date, Initially assigned at, Solved at, Resolution time,
    Satisfaction Score, Group stations, Assignee stations, Reopens, Replies,
    First reply time in minutes, First reply time in minutes within business hours,
    First resolution time in minutes, ..., Full resolution time in minutes, ...,
    Agent wait time in minutes, ..., Requester wait time in minutes, ...,
    On hold time in minutes, ...

Dates look like ``2026-03-02 09:00`` and are in the account's time zone ("Displays in
the account's time zone"); they are read as UTC unless they carry an offset. A view
exported as CSV, or an Explore report, with the same column names (any case or
spacing, ``ID`` or ``Ticket ID``) imports as well; dates ``MM/DD/YYYY`` or
``DD/MM/YYYY`` are told apart by the values (a day above 12).

Freshdesk
---------
Supported: **Tickets > Export** (CSV or Excel), whose default fields are::

    Ticket ID, Subject, Status, Priority, Source, Type, Agent, Group, Created time,
    Due by Time, Resolved time, Closed time, Last update time, Initial response time,
    Time tracked, First response time (in hrs), Resolution time (in hrs),
    Agent interactions, Customer interactions, Resolution status,
    First response status, Tags, Survey results, ..., Full name, Contact ID

The names come from public scripts that read or re-create that export (GitHub code
searched for ``"Resolution time (in hrs)"``: a ticket-dump reader, a pandas helpdesk
report, an exporter that rebuilds the CSV through the API with the same header), and
agree with Freshdesk's ticket fields (status 2-5 = Open/Pending/Resolved/Closed,
priority Low/Medium/High/Urgent, source Email/Portal/Phone/Chat/Feedback Widget/
Outbound Email). Some accounts export the misspelt ``Fist response time (in hrs)``;
it is accepted. The ``(in hrs)`` durations are read as decimal hours (``1.5``) or as
clock time (``01:30:00``); ``Time tracked`` as ``hh:mm`` (or ``hh:mm:ss``).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from ..load import READERS, _suffix, read_source_file
from ..parsers import FormatError, decide_dayfirst, parse_timestamps
from . import MAX_EXAMPLES, ImportContext, Preset, Step, register
from ._csvtext import Record, Records, read_records

# ---------------------------------------------------------------------------------------
# Shared helpers for ticket exports
# ---------------------------------------------------------------------------------------


def norm(name: object) -> str:
    """A column name folded for matching: lower case, punctuation and spaces as one space.

    >>> norm("Fist response time (in hrs)"), norm("created_AT ")
    ('fist response time in hrs', 'created at')
    """
    return re.sub(r"[^0-9a-z]+", " ", str(name).lower()).strip()


@dataclass
class Export:
    """One export file read as text columns, with the source line of every record.

    ``records`` is the CSV file as read (None for a workbook): the empty records, blank
    lines and whether the file ends with a line break. ``empty`` lists the records or
    rows that hold no value at all (``,,,``); the preset rejects them with
    :func:`reject_empty` so that none vanishes unreported. ``shown`` is set by the
    preset (:meth:`show`): the source columns it maps, the only ones written to
    ``rejected/*.csv`` (no name, e-mail or free text the import otherwise drops).
    """

    path: Path
    frame: pd.DataFrame
    lines: pd.Series
    records: Records | None = None
    empty: list[Record] = field(default_factory=list)
    shown: list[str] | None = None

    @property
    def file(self) -> str:
        """The file name used in messages."""
        return str(self.path)

    def find(self, *aliases: str) -> str | None:
        """The first column whose folded name is one of ``aliases`` (folded too)."""
        names = {norm(c): c for c in reversed(list(self.frame.columns))}
        for a in aliases:
            if norm(a) in names:
                return names[norm(a)]
        return None

    def require(self, preset: str, roles: Mapping[str, Iterable[str]]) -> dict[str, str]:
        """Columns for every role, or a :class:`DataError` naming those missing."""
        found, missing = {}, []
        for role, aliases in roles.items():
            aliases = list(aliases)
            col = self.find(*aliases)
            if col is None:
                missing.append(" or ".join(repr(a) for a in aliases[:2]))
            else:
                found[role] = col
        if missing:
            have = ", ".join(repr(str(c)) for c in list(self.frame.columns)[:15])
            more = ", ..." if len(self.frame.columns) > 15 else ""
            raise DataError(
                f"not a {preset} export: missing column(s) {', '.join(missing)}; "
                f"the file has {have}{more}",
                file=self.file,
            )
        return found

    def show(self, columns: Iterable[str | None]) -> pd.DataFrame:
        """Keep only ``columns`` (in file order, None ignored) in rejected rows.

        Returns :attr:`evidence`, the frame rejections are taken from.
        """
        wanted = {c for c in columns if c is not None}
        self.shown = [c for c in self.frame.columns if c in wanted]
        return self.evidence

    @property
    def evidence(self) -> pd.DataFrame:
        """The source columns written to ``rejected/*.csv`` (all until :meth:`show`)."""
        return self.frame if self.shown is None else self.frame[self.shown]

    def text(self, col: str | None) -> pd.Series:
        """Column ``col`` as stripped text (empty strings as missing); all missing if None."""
        if col is None:
            return pd.Series(pd.NA, index=self.frame.index, dtype="string")
        s = self.frame[col].astype("string").str.strip()
        return s.where(s != "")

    def last_record_open(self) -> bool:
        """Whether the last data row is the file's last record and no line break ends it.

        Such a record may have been cut off (a file truncated mid-row that still has as
        many fields as the header, e.g. cut right after a delimiter).
        """
        rec = self.records
        return (
            rec is not None
            and not rec.terminated
            and rec.last is not None
            and len(self.lines) > 0
            and int(self.lines.iloc[-1]) == rec.last.line
        )


def read_export(path: Path) -> Export:
    """Read a CSV or Excel export as text, with the source line of every record.

    CSV files (also ``.tsv``, ``.txt`` and ``.csv.gz``) are read by
    :func:`~csmetrics.importers._csvtext.read_records`: records that span several lines
    (quoted newlines) keep the line they start on and blank lines are skipped, so
    ``rejected/*.csv`` points at the right place in the file; a carriage return inside a
    quoted field is kept as text. Excel rows are numbered as the spreadsheet shows them
    (header = row 1). Records or rows without any value (``,,,``) are set apart in
    :attr:`Export.empty`.

    Raises
    ------
    DataError
        An unreadable file (encoding, a stray carriage return, a quote left open at the
        end of the file, a repeated column name), or records with another number of
        fields than the header (the message names their lines).
    """
    if READERS.get(_suffix(path)) == "csv":
        raw = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            try:
                raw = gzip.decompress(raw)
            except (OSError, EOFError, zlib.error) as exc:
                raise DataError(f"not a readable gzip file: {exc}", file=str(path)) from None
        rec = read_records(path, raw=raw, skipinitialspace=True)
        if rec.ragged:
            raise ragged_error(rec)
        frame = pd.DataFrame(rec.rows, columns=rec.header, dtype=object)
        frame = frame.where(frame != "", None)
        lines = pd.Series(rec.lines, index=frame.index, dtype="int64")
        return Export(path, frame, lines, rec, list(rec.empty))
    frame = read_source_file(path)
    lines = pd.Series(np.arange(len(frame)) + 2, index=frame.index)
    present = frame.notna().any(axis=1)
    empty = [Record(int(n), [], "") for n in lines[~present]]
    frame = frame[present].astype(object)
    frame = frame.where(frame.notna(), None).reset_index(drop=True)
    lines = lines[present].reset_index(drop=True)
    return Export(path, frame, lines, None, empty)


def ragged_error(rec: Records) -> DataError:
    """The error for records whose number of fields differs from the header's.

    A short last record without a line break after it is named as a file cut off.
    """
    width = len(rec.header)
    bad = rec.ragged
    last = bad[-1]
    examples = [f"line {r.line}: {len(r.fields)} field(s)" for r in bad[:-1]]
    if rec.cut_off() is not None:
        return DataError(
            f"the file seems cut off: its last record (line {last.line}) has "
            f"{len(last.fields)} of the header's {width} fields and no line break after it; "
            "export the file again",
            file=rec.file,
            rows=[last.example(), *examples[: MAX_EXAMPLES - 1]],
        )
    examples.append(f"line {last.line}: {len(last.fields)} field(s)")
    return DataError(
        f"malformed CSV: {len(bad):,} record(s) with a different number of fields than the "
        f"header's {width} (a short record would be padded with blanks, a long one would "
        f"shift its values); check the delimiter {rec.delimiter!r} and the quoting of those "
        "lines",
        file=rec.file,
        rows=examples[:MAX_EXAMPLES],
    )


def reject_empty(ctx: ImportContext, table: str, exp: Export) -> None:
    """Reject the records of ``exp`` that hold no value (``,,,``), and count blank lines.

    Nothing is dropped silently: each empty record becomes a line of
    ``rejected/<table>.csv`` with its line number, and blank lines are noted.
    """
    if exp.empty:
        rows = pd.DataFrame(None, index=range(len(exp.empty)), columns=exp.evidence.columns)
        ctx.reject(
            table,
            rows,
            "empty record: only delimiters (or spaces), no value at all",
            pd.Series([r.line for r in exp.empty], index=rows.index),
        )
    if exp.records is not None and exp.records.blank_lines:
        ctx.note(
            table,
            f"{exp.path.name}: {exp.records.blank_lines:,} blank line(s) skipped (they hold "
            "no record)",
        )


def add_step(
    ctx: ImportContext,
    kind: str,
    table: str,
    text: str,
    mask: pd.Series,
    values: pd.Series | None = None,
    lines: pd.Series | None = None,
) -> None:
    """Record a step with a row count and example lines (e.g. a note on flagged rows)."""
    n = int(mask.sum())
    if not n:
        return
    idx = mask[mask].index[:MAX_EXAMPLES]
    ex = []
    for i in idx:
        where = f"line {int(lines.loc[i])}" if lines is not None else f"row {i + 1}"
        ex.append(f"{where}: {values.loc[i]!r}" if values is not None else where)
    ctx.steps.append(Step(kind, table, text, n, ex))


def date_order(exp: Export, dayfirst: bool | None) -> bool:
    """The order of numeric dates (``03/04/2026``) in the whole export.

    One export writes every date the same way, so the order is proven by any of its
    columns (a first field above 12: day first; a second one: month first), unless
    ``dayfirst`` (``csmetrics import --dayfirst``/``--monthfirst``) says it.

    Raises
    ------
    DataError
        The values prove both orders, or no value proves either and no option says.

    Examples
    --------
    >>> frame = pd.DataFrame({"a": ["03/04/2026 10:00"], "b": ["25/04/2026 08:00"]})
    >>> date_order(Export(Path("x.csv"), frame, pd.Series([2])), None)
    True
    """
    text = pd.concat([exp.frame[c].astype("string") for c in exp.frame.columns])
    labels = pd.concat([pd.Series(str(c), index=exp.frame.index) for c in exp.frame.columns])
    text, labels = text.reset_index(drop=True), labels.reset_index(drop=True)
    try:
        return decide_dayfirst(text.fillna(""), dayfirst)
    except FormatError as exc:
        rows = [f"{labels.iloc[i]!r}: {v!r}" for i, v in exc.examples]
        raise DataError(
            f"{exc.message}; run the import with --dayfirst (03/11/2026 is 3 November) "
            "or --monthfirst (11 March)",
            file=exp.file,
            rows=rows,
        ) from None


def parse_times(
    values: pd.Series, tz: str, fmt: str | None = None, dayfirst: bool | None = None
) -> tuple[pd.Series, pd.Series]:
    """Timestamps in ``tz`` (naive values are local time) and the mask of unparseable ones."""
    out = parse_timestamps(values.astype(object), tz, fmt, dayfirst)
    present = values.notna() & (values.astype("string").str.strip() != "").fillna(False)
    return out, (present & out.isna()).astype(bool)


#: The longest duration read from an export (100 years): beyond it, a value is unreadable.
MAX_DURATION_S = 100 * 365.25 * 86400


def parse_duration_s(values: pd.Series, unit_s: float) -> tuple[pd.Series, pd.Series]:
    """Durations in seconds from plain numbers (× ``unit_s``) or clock text.

    ``h:mm:ss`` and ``h:mm`` are hours first (``01:30`` is 90 minutes, as time-tracking
    fields show it). Returns the seconds and the mask of unparseable values; a value
    that is not finite or longer than :data:`MAX_DURATION_S` (100 years) is unparseable
    too (``1e300`` is no duration, and would not fit a timestamp).

    >>> parse_duration_s(pd.Series(["1.5", "01:30:00", "0:45", "x", None]), 3600)[0].tolist()
    [5400.0, 5400.0, 2700.0, nan, nan]
    >>> parse_duration_s(pd.Series(["1e300", "inf"]), 60)[1].tolist()
    [True, True]
    """
    text = values.astype("string").str.strip()
    text = text.where(text != "")
    nums = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce") * unit_s
    clock = text.str.fullmatch(r"\d+:\d{1,2}(:\d{1,2})?").fillna(False).astype(bool)
    if clock.any():
        parts = text[clock].str.split(":", expand=True).astype(float).fillna(0.0)
        while parts.shape[1] < 3:
            parts[parts.shape[1]] = 0.0
        nums[clock] = parts[0] * 3600 + parts[1] * 60 + parts[2]
    nums = nums.astype(float)
    nums = nums.where(np.isfinite(nums) & (nums.abs() <= MAX_DURATION_S))
    return nums, (text.notna() & nums.isna()).astype(bool)


def add_seconds(times: pd.Series, seconds: pd.Series) -> pd.Series:
    """``times`` + ``seconds``; NaT where either is missing or the sum is out of range.

    >>> t = pd.Series(pd.to_datetime(["2026-01-01", "2026-04-01"]).tz_localize("UTC"))
    >>> add_seconds(t, pd.Series([60.0, 1e20])).tolist()
    [Timestamp('2026-01-01 00:01:00+0000', tz='UTC'), NaT]
    """
    out = pd.Series(pd.NaT, index=times.index, dtype=times.dtype)
    ok = times.notna() & seconds.notna()
    if not ok.any():
        return out
    try:
        out[ok] = times[ok] + pd.to_timedelta(seconds[ok], unit="s")
    except (OverflowError, pd.errors.OutOfBoundsDatetime, pd.errors.OutOfBoundsTimedelta):
        for i in ok[ok].index:  # one by one: only the sums out of range stay empty
            with contextlib.suppress(OverflowError, pd.errors.OutOfBoundsDatetime, ValueError):
                out[i] = times[i] + pd.Timedelta(seconds=float(seconds[i]))
    return out


def plain(values: pd.Series) -> pd.Series:
    """``values`` as Python objects, missing as None.

    ``Series.map`` on a ``string`` column whose results are all None gives a column of
    pyarrow's null type, into which no text can be put later; on objects it cannot.
    """
    return values.astype(object).where(values.notna(), None)


def map_values(
    values: pd.Series, mapping: Mapping[str, str], default: str | None = None
) -> pd.Series:
    """Map folded values (``norm``) through ``mapping``; others become ``default``."""
    folded = plain(values).map(lambda v: norm(v) if isinstance(v, str) else None)
    return folded.map(lambda v: mapping.get(v, default) if v is not None else None).astype(object)


def label(values: pd.Series) -> pd.Series:
    """Lower-case tokens (``"Web Form"`` → ``"web_form"``), missing kept missing."""
    return plain(values).map(
        lambda v: norm(v).replace(" ", "_") or None if isinstance(v, str) else None
    )


def pseudonym(values: pd.Series, prefix: str = "c-") -> pd.Series:
    """A stable short hash of an e-mail address (case and spaces ignored), not the address."""

    def one(v: object) -> str | None:
        if not isinstance(v, str) or not v.strip():
            return None
        return prefix + hashlib.sha256(v.strip().lower().encode()).hexdigest()[:12]

    return plain(values).map(one)


def drop_duplicate_ids(
    ctx: ImportContext, table: str, raw: pd.DataFrame, ids: pd.Series, lines: pd.Series
) -> pd.Series:
    """Set aside every repeat of an id (the first record is kept); returns the keep mask."""
    dup = (ids.notna() & ids.duplicated(keep="first")).astype(bool)
    if dup.any():
        first = ids[~dup & ids.notna()].drop_duplicates()
        first_line = pd.Series(lines[first.index].to_numpy(), index=first.to_numpy())
        rows = raw.loc[dup].copy()
        rows["first_kept_line"] = ids[dup].map(first_line).astype("Int64")
        ctx.reject(table, rows, "duplicate ticket id: the first record with this id is kept", lines)
    return ~dup


def reject_rows(
    ctx: ImportContext,
    table: str,
    raw: pd.DataFrame,
    mask: pd.Series,
    reason: str,
    lines: pd.Series,
) -> pd.Series:
    """Reject the rows in ``mask`` (with their source lines); returns the keep mask."""
    mask = mask.fillna(False).astype(bool)
    if mask.any():
        ctx.reject(table, raw.loc[mask], reason, lines)
    return ~mask


def map_status(
    ctx: ImportContext,
    exp: Export,
    col: str,
    mapping: Mapping[str, str],
    keep: pd.Series,
    doc: str,
) -> pd.Series:
    """Canonical statuses; unknown ones are left empty and reported (rows are kept)."""
    raw = exp.text(col)
    status = map_values(raw, mapping)
    unknown = keep & raw.notna() & status.isna()
    ctx.derived("tickets", f"status from {col!r}: {doc}", int((keep & status.notna()).sum()))
    add_step(
        ctx,
        "repaired",
        "tickets",
        f"unknown {col!r} value(s) {sorted(set(raw[unknown]))[:6]}: status left empty "
        "(the ticket is kept; open or resolved follows from its dates)",
        unknown,
        raw,
        exp.lines,
    )
    return status


def flag_resolved_before_created(
    ctx: ImportContext, created: pd.Series, resolved: pd.Series, keep: pd.Series, lines, what: str
) -> None:
    """Count tickets resolved before they were created (kept; the loader flags them)."""
    bad = keep & resolved.notna() & created.notna() & (resolved < created)
    add_step(
        ctx,
        "note",
        "tickets",
        f"{what}: kept, and left out of resolution times by the quality check "
        "'resolved_before_created'",
        bad,
        resolved.dt.strftime("%Y-%m-%d %H:%M:%S").where(bad),
        lines,
    )


def _times_column(
    ctx: ImportContext, exp: Export, col: str | None, target: str, tz: str, keep: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """Parse a timestamp column, day/month order told from the values; bad-value mask."""
    if col is None:
        empty = pd.Series(pd.NaT, index=exp.frame.index, dtype=f"datetime64[us, {tz}]")
        return empty, pd.Series(False, index=exp.frame.index)
    raw = exp.text(col)
    numeric = raw.str.match(r"^\s*\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}").fillna(False)
    order = date_order(exp, ctx.dayfirst) if numeric.any() else False
    times, bad = parse_times(raw, tz, dayfirst=order)
    ctx.mapped("tickets", col, target)
    if numeric.any():
        how = "as told (--dayfirst/--monthfirst)" if ctx.dayfirst is not None else "as proven"
        first = "day first" if order else "month first"
        ctx.note("tickets", f"{col!r}: numeric dates read {first}, {how}")
    return times, bad & keep


def _csat_from_labels(values: pd.Series, labels: Mapping[str, float]) -> pd.Series:
    """CSAT scores 1-5 from rating labels or plain numbers; NaN where unknown."""
    folded = plain(values).map(lambda v: norm(v) if isinstance(v, str) else None)
    score = folded.map(lambda v: labels.get(v, np.nan) if v is not None else np.nan)
    nums = pd.to_numeric(values, errors="coerce")
    return score.where(score.notna(), nums).astype(float)


# ---------------------------------------------------------------------------------------
# Zendesk
# ---------------------------------------------------------------------------------------

ZENDESK_STATUS = {
    "new": "open",
    "open": "open",
    "pending": "pending",
    "hold": "pending",
    "on hold": "pending",
    "solved": "resolved",
    "closed": "closed",
}
ZENDESK_STATUS_DOC = "new/open → open; pending, hold/on-hold → pending; solved → resolved; closed"

#: Zendesk "Via" values → channel labels (others are kept as lower-case labels).
ZENDESK_VIA = {
    "email": "email",
    "mail": "email",
    "web form": "web",
    "web": "web",
    "help center": "web",
    "phone call inbound": "phone",
    "phone call outbound": "phone",
    "phone": "phone",
    "voicemail": "phone",
    "voice": "phone",
    "chat": "chat",
    "web widget": "chat",
    "messaging": "chat",
    "mobile sdk": "chat",
    "api": "api",
    "web service": "api",
    "web service api": "api",
    "twitter": "social",
    "facebook": "social",
    "instagram": "social",
    "whatsapp": "social",
    "closed ticket": "follow_up",
}

ZENDESK_COLUMNS = {
    "id": ("Id", "ID", "Ticket ID", "Ticket Id"),
    "created": ("Created at", "Created", "Requested", "Ticket created at"),
    "status": ("Status", "Ticket status"),
}
ZENDESK_OPTIONAL = {
    "via": ("Via", "Channel", "Ticket channel"),
    "solved": ("Solved at", "Solved", "Ticket solved at"),
    "updated": ("Updated at", "Updated", "Ticket updated at"),
    "priority": ("Priority", "Ticket priority"),
    "type": ("Ticket type", "Type"),
    "group": ("Group", "Group name", "Ticket group"),
    "assignee": ("Assignee", "Assignee name"),
    "requester_id": ("Requester id", "Requester ID"),
    "requester_email": ("Requester email",),
    "first_reply_min": ("First reply time in minutes", "First reply time (min)"),
    "full_resolution_min": ("Full resolution time in minutes",),
    "replies": ("Replies", "Agent replies"),
    "reopens": ("Reopens",),
    "satisfaction": ("Satisfaction Score", "Satisfaction rating", "Satisfaction"),
}
#: Zendesk CSAT is good/bad; "Offered" means asked and not answered yet.
ZENDESK_CSAT = {"good": 5.0, "bad": 1.0}
ZENDESK_NOT_ASKED = {"not offered", "unoffered"}


def convert_zendesk(paths: list[Path], ctx: ImportContext) -> tuple[dict, dict]:
    """Zendesk ticket CSV export → ``tickets`` (and ``surveys`` from the satisfaction score).

    Parameters
    ----------
    paths : list of Path
        One or more CSV (or Excel) export files; several files are concatenated.
    ctx : ImportContext
        Receives every mapping, derivation, repair and rejection.

    Returns
    -------
    frames : dict of DataFrame
        ``tickets`` and, when the export has satisfaction scores, ``surveys``.
    config : dict
        ``{"timezone": "UTC"}``.

    Notes
    -----
    Source column → canonical column:

    ============================  ===========================================================
    ``Id``                        ticket_id (repeats rejected, the first record kept)
    ``Created at``                created_at (naive times read as UTC; unparseable or empty:
                                  row rejected)
    ``Via``                       channel: email/mail → email, web form → web, phone call,
                                  voicemail → phone, chat/web widget/messaging → chat,
                                  api/web service → api, twitter/facebook/... → social,
                                  others lower-cased; missing column → ``unknown`` (noted)
    ``Status``                    status: new/open → open, pending/hold → pending,
                                  solved → resolved, closed → closed; others left empty
    ``Solved at``                 resolved_at, for solved and closed tickets only (a reopened
                                  ticket keeps its old Solved at: dropped, counted); when it is
                                  empty, ``Created at`` + ``Full resolution time in minutes``
    ``First reply time in min.``  first_response_at = created_at + minutes
    ``Priority``                  priority (lower case)
    ``Ticket type``               category
    ``Group`` / ``Assignee``      team / agent_id
    ``Requester id``              customer_id (else a hash of ``Requester email``)
    ``Replies`` / ``Reopens``     agent_replies / reopens
    ``Satisfaction Score``        surveys (metric csat): Good → 5, Bad → 1, Offered → sent and
                                  not answered, Not Offered → no survey; sent_at = resolved_at
                                  (else ``Updated at``, else created_at)
    ============================  ===========================================================
    """
    tz = "UTC"
    exports = [read_export(p) for p in paths]
    parts = [_zendesk_one(ctx, exp, tz) for exp in exports]
    tickets = pd.concat([p[0] for p in parts], ignore_index=True)
    surveys = pd.concat([p[1] for p in parts], ignore_index=True)
    ctx.note(
        "tickets",
        "Zendesk CSV exports show times in the account's time zone without an offset; "
        "they were read as UTC (convert the export or the created_at column if the "
        "account uses another zone)",
    )
    frames = {"tickets": tickets}
    if len(surveys):
        frames["surveys"] = surveys
    return frames, {"timezone": tz}


def _map_people(
    ctx: ImportContext,
    exp: Export,
    opt: dict,
    out: pd.DataFrame,
    *,
    agent: str,
    customer: str,
    email: str,
) -> None:
    """Priority, type, group, agent and customer columns, shared by both presets.

    The customer id is the export's id column when present, else a hash of the e-mail.
    """
    for role, target, conv in (
        ("priority", "priority", label),
        ("type", "category", None),
        ("group", "team", None),
        (agent, "agent_id", None),
    ):
        if opt[role]:
            values = exp.text(opt[role])
            out[target] = conv(values) if conv else values
            ctx.mapped("tickets", opt[role], target)
    if opt[customer]:
        out["customer_id"] = exp.text(opt[customer]).str.replace(r"\.0$", "", regex=True)
        ctx.mapped("tickets", opt[customer], "customer_id")
    elif opt[email]:
        out["customer_id"] = pseudonym(exp.text(opt[email]))
        ctx.derived("tickets", f"customer_id = hash of {opt[email]!r}")


def _ids_and_created(
    ctx: ImportContext, exp: Export, cols: dict, tz: str
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Ticket ids and creation times of a help-desk export, shared by both presets.

    Rows with an empty id, a repeated id, or an empty or unparseable creation time are
    rejected (with their lines); returns the ids, the creation times and the rows kept.
    """
    raw, lines = exp.evidence, exp.lines
    keep = pd.Series(True, index=raw.index)
    ids = exp.text(cols["id"]).str.replace(r"\.0$", "", regex=True)
    ctx.mapped("tickets", cols["id"], "ticket_id")
    keep &= reject_rows(ctx, "tickets", raw, ids.isna(), f"empty {cols['id']!r}", lines)
    keep &= drop_duplicate_ids(ctx, "tickets", raw, ids.where(keep), lines)
    created, bad = _times_column(ctx, exp, cols["created"], "created_at", tz, keep)
    missing = keep & exp.text(cols["created"]).isna()
    keep &= reject_rows(ctx, "tickets", raw, missing, f"empty {cols['created']!r}", lines)
    keep &= reject_rows(
        ctx, "tickets", raw, bad & keep, f"unparseable date in {cols['created']!r}", lines
    )
    return ids, created, keep


def _zendesk_one(ctx: ImportContext, exp: Export, tz: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    cols = exp.require("Zendesk ticket", ZENDESK_COLUMNS)
    opt = {k: exp.find(*v) for k, v in ZENDESK_OPTIONAL.items()}
    # rejected rows show the mapped columns; the requester's e-mail is only hashed
    raw = exp.show([*cols.values(), *(c for k, c in opt.items() if k != "requester_email")])
    lines = exp.lines
    reject_empty(ctx, "tickets", exp)
    ids, created, keep = _ids_and_created(ctx, exp, cols, tz)

    status = map_status(ctx, exp, cols["status"], ZENDESK_STATUS, keep, ZENDESK_STATUS_DOC)
    done = status.isin(["resolved", "closed"])

    if opt["via"]:
        via = exp.text(opt["via"])
        channel = map_values(via, ZENDESK_VIA)
        channel = channel.where(channel.notna(), label(via))
        ctx.mapped("tickets", opt["via"], "channel (email, web, phone, chat, api, social, ...)")
        empty = keep & channel.isna()
        channel = channel.fillna("unknown")
        add_step(
            ctx,
            "repaired",
            "tickets",
            f"empty {opt['via']!r}: channel 'unknown'",
            empty,
            lines=lines,
        )
    else:
        channel = pd.Series("unknown", index=raw.index)
        ctx.note("tickets", "no 'Via' column: channel is 'unknown' for every ticket")

    solved, bad_solved = _times_column(ctx, exp, opt["solved"], "resolved_at", tz, keep)
    add_step(
        ctx,
        "repaired",
        "tickets",
        f"unparseable {opt['solved']!r}: left empty",
        bad_solved,
        exp.text(opt["solved"]),
        lines,
    )
    stale = keep & solved.notna() & ~done
    add_step(
        ctx,
        "repaired",
        "tickets",
        "Solved at on a ticket that is not solved or closed (reopened since): resolved_at "
        "left empty, the ticket counts as open",
        stale,
        status.fillna("(unknown status)"),
        lines,
    )
    resolved = solved.where(done)
    if opt["full_resolution_min"]:
        mins, _ = parse_duration_s(exp.text(opt["full_resolution_min"]), 60.0)
        fill = keep & done & resolved.isna() & mins.notna()
        resolved = resolved.where(~fill, add_seconds(created, mins))
        if fill.any():
            ctx.derived(
                "tickets",
                f"resolved_at = created_at + {opt['full_resolution_min']!r} where "
                f"{opt['solved'] or 'Solved at'!r} is empty",
                int(fill.sum()),
            )
    no_date = keep & done & resolved.isna()
    add_step(
        ctx,
        "note",
        "tickets",
        "solved or closed without a solve date: counted as unresolved",
        no_date,
        status,
        lines,
    )
    flag_resolved_before_created(ctx, created, resolved, keep, lines, "Solved at before Created at")

    out = pd.DataFrame(
        {"ticket_id": ids, "created_at": created, "channel": channel, "status": status,
         "resolved_at": resolved},
        index=raw.index,
    )  # fmt: skip
    if opt["first_reply_min"]:
        mins, bad_m = parse_duration_s(exp.text(opt["first_reply_min"]), 60.0)
        out["first_response_at"] = add_seconds(created, mins)
        ctx.derived(
            "tickets",
            f"first_response_at = created_at + {opt['first_reply_min']!r}",
            int((keep & mins.notna()).sum()),
        )
        add_step(
            ctx,
            "repaired",
            "tickets",
            f"unparseable {opt['first_reply_min']!r}: left empty",
            keep & bad_m,
            exp.text(opt["first_reply_min"]),
            lines,
        )
    _map_people(
        ctx, exp, opt, out, agent="assignee", customer="requester_id", email="requester_email"
    )
    for role, target in (("replies", "agent_replies"), ("reopens", "reopens")):
        if opt[role]:
            values, bad_n = parse_duration_s(exp.text(opt[role]), 1.0)
            out[target] = values.round().astype("Int64")
            ctx.mapped("tickets", opt[role], target)
            add_step(
                ctx,
                "repaired",
                "tickets",
                f"{opt[role]!r} not a number: left empty",
                keep & bad_n,
                exp.text(opt[role]),
                lines,
            )

    surveys = pd.DataFrame()
    if opt["satisfaction"]:
        surveys = _zendesk_surveys(ctx, exp, opt, out, keep)
    return out[keep].reset_index(drop=True), surveys


def _ticket_csat_surveys(
    ctx: ImportContext,
    exp: Export,
    opt: dict,
    tickets: pd.DataFrame,
    keep: pd.Series,
    score: pd.Series,
    prefix: str,
    when: str,
    tz: str,
) -> pd.DataFrame:
    """One csat survey row per ticket (the caller keeps those with an answer): id
    ``prefix + ticket_id``, sent at the resolution, else the ticket's last update (read
    from ``opt["updated"]``, described as ``surveys.sent_at (<when>)``), else its creation.
    Help-desk exports carry no survey time of their own."""
    updated = _times_column(ctx, exp, opt["updated"], f"surveys.sent_at ({when})", tz, keep)[0]
    return pd.DataFrame(
        {
            "survey_id": prefix + tickets["ticket_id"].astype(str),
            "metric": "csat",
            "sent_at": tickets["resolved_at"].fillna(updated).fillna(tickets["created_at"]),
            "score": score,
            "ticket_id": tickets["ticket_id"],
            "customer_id": tickets.get("customer_id"),
            "channel": tickets["channel"],
        },
        index=tickets.index,
    )


def _zendesk_surveys(
    ctx: ImportContext, exp: Export, opt: dict, tickets: pd.DataFrame, keep: pd.Series
) -> pd.DataFrame:
    col = opt["satisfaction"]
    sat = exp.text(col)
    folded = plain(sat).map(lambda v: norm(v) if isinstance(v, str) else None)
    asked = keep & sat.notna() & ~folded.isin(ZENDESK_NOT_ASKED)
    score = _csat_from_labels(sat, ZENDESK_CSAT)
    offered = folded.isin({"offered", "offered not rated"})
    unknown = asked & score.isna() & ~offered
    if unknown.any():
        ctx.reject("surveys", exp.evidence.loc[unknown], f"unknown {col!r} value", exp.lines)
    asked &= ~unknown
    surveys = _ticket_csat_surveys(
        ctx, exp, opt, tickets, keep, score, "zd-csat-", "when not solved", "UTC"
    )[asked]
    ctx.derived(
        "surveys",
        f"one csat survey per ticket whose {col!r} is Good, Bad or Offered (Good → 5, Bad → 1, "
        "Offered → not answered; Not Offered → no survey); sent_at = resolved_at, else "
        "Updated at (the export has no survey time)",
        int(asked.sum()),
    )
    return surveys.dropna(axis=1, how="all").reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Freshdesk
# ---------------------------------------------------------------------------------------

FRESHDESK_STATUS = {
    "open": "open",
    "pending": "pending",
    "resolved": "resolved",
    "closed": "closed",
    "waiting on customer": "pending",
    "waiting on third party": "pending",
    "waiting on 3rd party": "pending",
    "awaiting customer": "pending",
}
FRESHDESK_STATUS_DOC = (
    "Open → open; Pending, Waiting on Customer, Waiting on Third Party → pending; "
    "Resolved → resolved; Closed → closed"
)
FRESHDESK_CSAT = {
    # classic 3-point survey
    "awesome": 5.0,
    "just okay": 3.0,
    "not good": 1.0,
    # custom surveys (up to 7 points)
    "extremely happy": 5.0,
    "very happy": 5.0,
    "happy": 4.0,
    "neutral": 3.0,
    "unhappy": 2.0,
    "very unhappy": 1.0,
    "extremely unhappy": 1.0,
}

FRESHDESK_COLUMNS = {
    "id": ("Ticket ID", "Ticket Id", "ID"),
    "created": ("Created time", "Created at", "Created date"),
    "status": ("Status",),
}
FRESHDESK_OPTIONAL = {
    "source": ("Source", "Channel"),
    "resolved": ("Resolved time", "Resolved at"),
    "closed": ("Closed time", "Closed at"),
    "updated": ("Last update time", "Last updated time", "Updated at"),
    "initial": ("Initial response time",),
    "first_hrs": (
        "First response time (in hrs)",
        "Fist response time (in hrs)",
        "First response time in hrs",
    ),
    "priority": ("Priority",),
    "type": ("Type", "Ticket type"),
    "agent": ("Agent", "Agent name"),
    "group": ("Group", "Group name"),
    "agent_int": ("Agent interactions",),
    "contact": ("Contact ID", "Requester ID"),
    "email": ("Requester email", "Email"),
    "survey": ("Survey results", "Survey result", "Satisfaction rating"),
    "tracked": ("Time tracked",),
}


def convert_freshdesk(paths: list[Path], ctx: ImportContext) -> tuple[dict, dict]:
    """Freshdesk "Export tickets" CSV/Excel → ``tickets`` (and ``surveys``).

    Parameters
    ----------
    paths : list of Path
        One or more export files (CSV or Excel); several files are concatenated.
    ctx : ImportContext
        Receives every mapping, derivation, repair and rejection.

    Returns
    -------
    frames : dict of DataFrame
        ``tickets`` and, when surveys were answered, ``surveys``.
    config : dict
        ``{"timezone": "UTC"}``.

    Notes
    -----
    Source column → canonical column:

    ================================  =======================================================
    ``Ticket ID``                     ticket_id (repeats rejected, the first record kept)
    ``Created time``                  created_at (naive = UTC; ``DD-MM-YYYY`` told from the
                                      values; unparseable or empty: row rejected)
    ``Source``                        channel, lower-cased (Email → email, Feedback Widget →
                                      feedback_widget); missing column → ``unknown`` (noted)
    ``Status``                        status: Open → open; Pending, Waiting on ... → pending;
                                      Resolved → resolved; Closed → closed; others empty
    ``Resolved time``                 resolved_at for resolved/closed tickets; empty → the
                                      ``Closed time``
    ``First response time (in hrs)``  first_response_at = created_at + duration (decimal
                                      hours or hh:mm:ss); empty or unreadable → ``Initial
                                      response time`` (a timestamp)
    ``Priority`` / ``Type``           priority (lower case) / category
    ``Agent`` / ``Group``             agent_id / team
    ``Agent interactions``            agent_replies
    ``Time tracked``                  handle_time_s (``hh:mm``)
    ``Contact ID``                    customer_id (else a hash of the requester e-mail)
    ``Survey results``                surveys (metric csat): Awesome 5, Just Okay 3, Not Good 1;
                                      Extremely/Very Happy 5, Happy 4, Neutral 3, Unhappy 2,
                                      Very/Extremely Unhappy 1; numbers 1-5 as they are;
                                      sent_at = resolved_at, else Last update time
    ================================  =======================================================
    """
    tz = "UTC"
    parts = [_freshdesk_one(ctx, read_export(p), tz) for p in paths]
    tickets = pd.concat([p[0] for p in parts], ignore_index=True)
    surveys = pd.concat([p[1] for p in parts], ignore_index=True)
    ctx.note(
        "tickets",
        "Freshdesk exports show times in the helpdesk's time zone without an offset; they "
        "were read as UTC",
    )
    frames = {"tickets": tickets}
    if len(surveys):
        frames["surveys"] = surveys
    return frames, {"timezone": tz}


def _freshdesk_one(ctx: ImportContext, exp: Export, tz: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    cols = exp.require("Freshdesk ticket", FRESHDESK_COLUMNS)
    opt = {k: exp.find(*v) for k, v in FRESHDESK_OPTIONAL.items()}
    # rejected rows show the mapped columns; the requester's e-mail is only hashed
    raw = exp.show([*cols.values(), *(c for k, c in opt.items() if k != "email")])
    lines = exp.lines
    reject_empty(ctx, "tickets", exp)
    ids, created, keep = _ids_and_created(ctx, exp, cols, tz)

    status = map_status(ctx, exp, cols["status"], FRESHDESK_STATUS, keep, FRESHDESK_STATUS_DOC)
    done = status.isin(["resolved", "closed"])

    if opt["source"]:
        channel = label(exp.text(opt["source"]))
        ctx.mapped("tickets", opt["source"], "channel (lower case)")
        add_step(
            ctx,
            "repaired",
            "tickets",
            f"empty {opt['source']!r}: channel 'unknown'",
            keep & channel.isna(),
            lines=lines,
        )
        channel = channel.fillna("unknown")
    else:
        channel = pd.Series("unknown", index=raw.index)
        ctx.note("tickets", "no 'Source' column: channel is 'unknown' for every ticket")

    resolved, bad_r = _times_column(ctx, exp, opt["resolved"], "resolved_at", tz, keep)
    closed, bad_c = _times_column(
        ctx, exp, opt["closed"], "resolved_at (when Resolved time is empty)", tz, keep
    )
    for col, mask in ((opt["resolved"], bad_r), (opt["closed"], bad_c)):
        add_step(
            ctx,
            "repaired",
            "tickets",
            f"unparseable {col!r}: left empty",
            mask,
            exp.text(col),
            lines,
        )
    fill = keep & done & resolved.isna() & closed.notna()
    resolved = resolved.where(~fill, closed)
    if fill.any():
        ctx.derived(
            "tickets",
            f"resolved_at = {opt['closed']!r} where {opt['resolved']!r} is empty",
            int(fill.sum()),
        )
    stale = keep & resolved.notna() & ~done
    add_step(
        ctx,
        "repaired",
        "tickets",
        "resolved time on a ticket that is not resolved or "
        "closed (reopened since): resolved_at left empty",
        stale,
        status.fillna("(unknown status)"),
        lines,
    )
    resolved = resolved.where(done)
    add_step(
        ctx,
        "note",
        "tickets",
        "resolved or closed without a date: counted as unresolved",
        keep & done & resolved.isna(),
        status,
        lines,
    )
    flag_resolved_before_created(
        ctx, created, resolved, keep, lines, "Resolved time before Created time"
    )

    out = pd.DataFrame(
        {"ticket_id": ids, "created_at": created, "channel": channel, "status": status,
         "resolved_at": resolved},
        index=raw.index,
    )  # fmt: skip

    first = pd.Series(pd.NaT, index=raw.index, dtype=created.dtype)
    if opt["first_hrs"]:
        secs, bad_h = parse_duration_s(exp.text(opt["first_hrs"]), 3600.0)
        first = add_seconds(created, secs)
        ctx.derived(
            "tickets",
            f"first_response_at = created_at + {opt['first_hrs']!r}",
            int((keep & secs.notna()).sum()),
        )
        add_step(
            ctx,
            "repaired",
            "tickets",
            f"unreadable {opt['first_hrs']!r}: "
            f"{opt['initial'] or 'Initial response time'!r} used instead, else empty",
            keep & bad_h,
            exp.text(opt["first_hrs"]),
            lines,
        )
    if opt["initial"]:
        initial, bad_i = _times_column(
            ctx,
            exp,
            opt["initial"],
            "first_response_at (when the (in hrs) duration is empty)",
            tz,
            keep,
        )
        use = keep & first.isna() & initial.notna()
        first = first.where(~use, initial)
        if use.any():
            ctx.derived(
                "tickets",
                f"first_response_at = {opt['initial']!r} where the duration is empty",
                int(use.sum()),
            )
        add_step(
            ctx,
            "repaired",
            "tickets",
            f"unparseable {opt['initial']!r}: left empty",
            bad_i,
            exp.text(opt["initial"]),
            lines,
        )
    if opt["first_hrs"] or opt["initial"]:
        out["first_response_at"] = first
    _map_people(ctx, exp, opt, out, agent="agent", customer="contact", email="email")
    if opt["agent_int"]:
        n, bad_n = parse_duration_s(exp.text(opt["agent_int"]), 1.0)
        out["agent_replies"] = n.round().astype("Int64")
        ctx.mapped("tickets", opt["agent_int"], "agent_replies")
        add_step(
            ctx,
            "repaired",
            "tickets",
            f"{opt['agent_int']!r} not a number: left empty",
            keep & bad_n,
            exp.text(opt["agent_int"]),
            lines,
        )
    if opt["tracked"]:
        secs, bad_t = parse_duration_s(exp.text(opt["tracked"]), 3600.0)
        out["handle_time_s"] = secs
        ctx.mapped("tickets", opt["tracked"], "handle_time_s (hh:mm, or decimal hours)")
        add_step(
            ctx,
            "repaired",
            "tickets",
            f"unreadable {opt['tracked']!r}: left empty",
            keep & bad_t,
            exp.text(opt["tracked"]),
            lines,
        )

    surveys = pd.DataFrame()
    if opt["survey"]:
        surveys = _freshdesk_surveys(ctx, exp, opt, out, keep, tz)
    return out[keep].reset_index(drop=True), surveys


def _freshdesk_surveys(
    ctx: ImportContext, exp: Export, opt: dict, tickets: pd.DataFrame, keep: pd.Series, tz: str
) -> pd.DataFrame:
    col = opt["survey"]
    answer = exp.text(col)
    score = _csat_from_labels(answer, FRESHDESK_CSAT)
    given = keep & answer.notna()
    bad = given & (score.isna() | (score < 1) | (score > 5))
    if bad.any():
        ctx.reject("surveys", exp.evidence.loc[bad], f"unknown {col!r} value", exp.lines)
    given &= ~bad
    surveys = _ticket_csat_surveys(
        ctx, exp, opt, tickets, keep, score, "fd-csat-", "when not resolved", tz
    )[given]
    ctx.derived(
        "surveys",
        f"one csat survey per answered {col!r} (labels → 1-5, see the preset); sent_at = "
        "resolved_at, else the last update (the export has no survey time); unanswered "
        "surveys are not in this export",
        int(given.sum()),
    )
    return surveys.dropna(axis=1, how="all").reset_index(drop=True)


register(
    Preset(
        "zendesk",
        "Zendesk ticket CSV export (Admin Center > Tools > Reports > CSV export)",
        "export_*.csv (Id, Created at, Status, Via, Solved at, ...; several files allowed)",
        convert_zendesk,
    )
)
register(
    Preset(
        "freshdesk",
        "Freshdesk ticket export (Tickets > Export, CSV or Excel)",
        "tickets.csv (Ticket ID, Created time, Status, Source, Resolved time, ...)",
        convert_freshdesk,
    )
)
