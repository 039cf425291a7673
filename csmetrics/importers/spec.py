"""Declarative presets: an export's columns stated as data, read by one runner.

A preset is a :class:`PresetSpec`: its name and description, the kind of export it reads,
its output table and, in the order the import runs them, its :class:`Column` rules. A
rule names

* the **role** of a source column (the key the other rules use) and the **sources**, the
  header names it may have (alternatives, matched folded by
  :func:`~csmetrics.importers.export.norm`: any case, spacing and punctuation);
* its **checks**: ``required`` (an export without it is not this kind of export: an
  error naming the missing columns), ``shown`` (False: never written to
  ``rejected/*.csv``, e.g. an e-mail address that is only hashed);
* its **parser** (a name in the registry, see :func:`register_parser`; None: the column
  is only found, for another rule to read) with its ``options``, and the canonical
  column it writes (``target``).

Parsers registered here, with their options:

==============  ========================================================================
``id``          ids as text (``12.0`` → ``12``); rows still kept with an empty id
                rejected (reason ``empty``, default ``empty '<header>'``), then repeats
                (the first record kept)
``timestamp``   local times in the preset's time zone, the day/month order of numeric
                dates decided once for the whole export; ``describe`` (the mapping text),
                ``reject`` (True: rows with an empty or unreadable value are rejected,
                else unreadable values are left empty and counted)
``status``      canonical statuses through ``mapping`` (folded source value → status),
                ``doc`` says the mapping in the report; unknown values left empty
``channel``     lower-case labels (``Web Form`` → ``web_form``), through ``mapping``
                first when given; empty → ``unknown``; ``describe`` and ``missing`` (the
                note when the export has no such column)
``label``       lower-case labels; ``text``: stripped text
``customer``    the customer id column, else (option ``email``: a role) a pseudonym of
                the e-mail address
``count``       whole numbers (``Int64``); unreadable ones left empty and counted
``duration``    seconds from numbers × ``unit_s`` or clock text (``h:mm[:ss]``);
                ``describe``; unreadable ones left empty and counted
==============  ========================================================================

A parser is a function ``parse(state, column)`` that reads the export through the
:class:`ImportState`, records its steps in ``state.ctx``, narrows ``state.keep`` when it
rejects rows and sets ``state.values[role]`` and ``state.out[target]``. What is special
to one preset is such a function too, given as ``parse`` (a hook). After every file,
:func:`convert` concatenates the tables (an extra table with no rows is left out unless
``keep_empty``), runs the spec's ``finish`` hook, which returns the ``csmetrics.yaml``
settings (and may drop tables it only reads), then adds the ``notes``.

Examples
--------
>>> from csmetrics.importers import register
>>> SPEC = PresetSpec(
...     name="my-desk",
...     description="My desk ticket export",
...     sources="tickets.csv (Id, Opened, State)",
...     kind="My desk ticket",
...     columns=(
...         Column("id", ("Id", "Ticket ID"), "id", "ticket_id", required=True),
...         Column("created", ("Opened",), "timestamp", "created_at", required=True,
...                options={"reject": True}),
...         Column("status", ("State",), "status", "status", required=True,
...                options={"mapping": {"open": "open", "done": "resolved"},
...                         "doc": "open → open; done → resolved"}),
...     ),
... )
>>> SPEC.column("created").target
'created_at'
>>> preset = SPEC.preset()  # register(preset) makes it ``csmetrics import my-desk``
>>> preset.name
'my-desk'
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import ImportContext, Preset
from .export import Export, read_export, reject_empty
from .values import (
    add_step,
    drop_duplicate_ids,
    label,
    map_status,
    map_values,
    parse_duration_s,
    pseudonym,
    reject_rows,
    times_column,
)

#: A parser: reads one column of the export into ``state`` (see the module docstring).
Parser = Callable[["ImportState", "Column"], None]


@dataclass(frozen=True)
class Column:
    """How one source column is found, checked and parsed.

    Parameters
    ----------
    role : str
        The key of the column for the other rules (``state.found[role]``).
    sources : tuple of str
        Header names the column may have, first match wins (folded: any case/spacing).
    parse : str, callable or None
        A parser name (:func:`get_parser`), a hook function, or None (only found).
    target : str, optional
        The canonical column the parser writes.
    required : bool
        An export without this column is an error.
    shown : bool
        Whether rejected rows show this column.
    options : mapping
        Parser options (see the module docstring).
    """

    role: str
    sources: tuple[str, ...] = ()
    parse: str | Parser | None = None
    target: str | None = None
    required: bool = False
    shown: bool = True
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PresetSpec:
    """A preset stated as data: what it reads, what it writes, and how."""

    name: str
    description: str
    sources: str
    #: Named in the error for a missing column: "not a <kind> export".
    kind: str
    columns: tuple[Column, ...]
    table: str = "tickets"
    #: Other tables the rules may fill (``state.tables``), written when not empty.
    extra_tables: tuple[str, ...] = ()
    #: Write the extra tables even when they have no rows.
    keep_empty: bool = False
    timezone: str = "UTC"
    #: Notes added once, after every file (and after ``finish``): ``(table, text)``.
    notes: tuple[tuple[str, str], ...] = ()
    read: Callable[[Path], Export] = read_export
    #: Runs once after every file: given the tables (files concatenated) and the context,
    #: returns the config (default ``{"timezone": timezone}``); may pop tables it only reads.
    finish: Callable[[dict[str, pd.DataFrame], ImportContext], dict] | None = None

    def column(self, role: str) -> Column:
        """The rule of ``role`` (KeyError when the spec has none)."""
        for col in self.columns:
            if col.role == role:
                return col
        raise KeyError(f"preset {self.name!r} has no column rule {role!r}")

    def preset(self, run: Callable[[list[Path], ImportContext], tuple] | None = None) -> Preset:
        """The :class:`~csmetrics.importers.Preset` that runs this spec (through ``run``,
        a documented ``convert(paths, ctx)`` calling :func:`convert`, when given)."""
        run = run or functools.partial(convert, self)
        return Preset(self.name, self.description, self.sources, run)


@dataclass
class ImportState:
    """One export file being converted: what the rules found, kept and produced."""

    ctx: ImportContext
    exp: Export
    spec: PresetSpec
    found: dict[str, str | None]
    keep: pd.Series
    values: dict[str, pd.Series] = field(default_factory=dict)
    out: pd.DataFrame = field(default_factory=pd.DataFrame)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def tz(self) -> str:
        """The time zone naive times are read in."""
        return self.spec.timezone

    @property
    def table(self) -> str:
        """The output table."""
        return self.spec.table

    @property
    def lines(self) -> pd.Series:
        """The source line of every row."""
        return self.exp.lines

    def text(self, role: str) -> pd.Series:
        """The column of ``role`` as stripped text (all missing when not found)."""
        return self.exp.text(self.found.get(role))

    def times(self, role: str, describe: str) -> tuple[pd.Series, pd.Series]:
        """Timestamps of ``role`` (mapped as ``describe``) and the mask of unreadable
        values among the rows kept."""
        col = self.found.get(role)
        return times_column(self.ctx, self.exp, col, describe, self.tz, self.keep, self.table)

    def reject(self, mask: pd.Series, reason: str) -> None:
        """Reject the rows of ``mask`` (with their lines); they are no longer kept."""
        self.keep &= reject_rows(self.ctx, self.table, self.exp.evidence, mask, reason, self.lines)

    def count(self, kind: str, text: str, mask: pd.Series, values: pd.Series | None = None) -> None:
        """Count the rows of ``mask`` as a ``kind`` step (repaired, note), with example
        lines (and ``values``)."""
        add_step(self.ctx, kind, self.table, text, mask, values, self.lines)

    def set(self, column: Column, values: pd.Series) -> None:
        """Store parsed values under the role, and in the output when it has a target."""
        self.values[column.role] = values
        if column.target:
            self.out[column.target] = values


PARSERS: dict[str, Parser] = {}


def register_parser(name: str, parser: Parser) -> Parser:
    """Make ``parser`` usable as ``Column(..., parse=name)``; returns it."""
    PARSERS[name] = parser
    return parser


def get_parser(name: str | Parser) -> Parser:
    """The parser registered as ``name`` (a function is returned as it is).

    Raises
    ------
    ValueError
        No parser has that name.

    >>> get_parser("no-such")
    Traceback (most recent call last):
    ...
    ValueError: unknown column parser 'no-such'; parsers: channel, count, customer, duration, id, label, status, text, timestamp
    """  # noqa: E501
    if callable(name):
        return name
    if name not in PARSERS:
        raise ValueError(f"unknown column parser {name!r}; parsers: {', '.join(sorted(PARSERS))}")
    return PARSERS[name]


def convert(spec: PresetSpec, paths: list[Path], ctx: ImportContext) -> tuple[dict, dict]:
    """Run ``spec`` on every file of ``paths``: the preset's ``convert``.

    Returns
    -------
    frames : dict of DataFrame
        The output table (files concatenated) and the extra tables that have rows (all of
        them with ``spec.keep_empty``), less any the ``finish`` hook drops.
    config : dict
        What ``spec.finish`` returns, else ``{"timezone": spec.timezone}``.
    """
    parts = [convert_file(spec, spec.read(p), ctx) for p in paths]
    frames = {}
    for name in (spec.table, *spec.extra_tables):
        frame = pd.concat([p[name] for p in parts], ignore_index=True)
        if name == spec.table or spec.keep_empty or len(frame):
            frames[name] = frame
    config = spec.finish(frames, ctx) if spec.finish else {"timezone": spec.timezone}
    for table, text in spec.notes:
        ctx.note(table, text)
    return frames, config


def convert_file(spec: PresetSpec, exp: Export, ctx: ImportContext) -> dict[str, pd.DataFrame]:
    """The tables of one export: the rules run in order, the rows kept.

    Raises
    ------
    DataError
        A required column is missing (the message lists the export's columns).
    """
    required = {c.role: c.sources for c in spec.columns if c.required}
    found: dict[str, str | None] = dict(exp.require(spec.kind, required))
    found.update({c.role: exp.find(*c.sources) for c in spec.columns if not c.required})
    hidden = {c.role for c in spec.columns if not c.shown}
    raw = exp.show([found[c.role] for c in spec.columns if c.role not in hidden])
    reject_empty(ctx, spec.table, exp)
    state = ImportState(ctx, exp, spec, found, pd.Series(True, index=raw.index))
    state.out = pd.DataFrame(index=raw.index)
    state.tables = {name: pd.DataFrame() for name in spec.extra_tables}
    for column in spec.columns:
        if column.parse is not None:
            get_parser(column.parse)(state, column)
    state.tables[spec.table] = state.out[state.keep].reset_index(drop=True)
    return state.tables


# ---------------------------------------------------------------------------------------
# The standard parsers
# ---------------------------------------------------------------------------------------


def parse_id(state: ImportState, column: Column) -> None:
    """Ids as text; rows still kept with an empty id (reason ``options["empty"]``, else
    ``empty '<header>'``), then repeats of an id (the first record kept), rejected."""
    col = state.found[column.role]
    ids = state.exp.text(col).str.replace(r"\.0$", "", regex=True)
    state.ctx.mapped(state.table, col, column.target)
    state.reject(state.keep & ids.isna(), column.options.get("empty", f"empty {col!r}"))
    raw, lines = state.exp.evidence, state.lines
    state.keep &= drop_duplicate_ids(state.ctx, state.table, raw, ids.where(state.keep), lines)
    state.set(column, ids)


def parse_timestamp(state: ImportState, column: Column) -> None:
    """Timestamps; with ``reject``, rows with an empty or unreadable value are rejected,
    else unreadable values are left empty (counted)."""
    col = state.found[column.role]
    times, bad = state.times(column.role, column.options.get("describe", column.target))
    if column.options.get("reject"):
        state.reject(state.keep & state.text(column.role).isna(), f"empty {col!r}")
        state.reject(bad & state.keep, f"unparseable date in {col!r}")
    elif col is not None:
        state.count("repaired", f"unparseable {col!r}: left empty", bad, state.text(column.role))
    state.set(column, times)


def parse_status(state: ImportState, column: Column) -> None:
    """Canonical statuses through ``options["mapping"]``; unknown ones left empty."""
    opts = column.options
    col = state.found[column.role]
    status = map_status(
        state.ctx, state.exp, col, opts["mapping"], state.keep, opts["doc"], state.table
    )
    state.set(column, status)


def parse_channel(state: ImportState, column: Column) -> None:
    """Channel labels (through ``options["mapping"]`` first); empty → ``unknown``."""
    col, opts = state.found[column.role], column.options
    if col is None:
        state.ctx.note(state.table, opts["missing"])
        state.set(column, pd.Series("unknown", index=state.exp.frame.index))
        return
    source = state.text(column.role)
    if opts.get("mapping"):
        channel = map_values(source, opts["mapping"])
        channel = channel.where(channel.notna(), label(source))
    else:
        channel = label(source)
    state.ctx.mapped(state.table, col, opts["describe"])
    empty = state.keep & channel.isna()
    state.count("repaired", f"empty {col!r}: channel 'unknown'", empty)
    state.set(column, channel.fillna("unknown"))


def _mapped_as(convert_values: Callable[[pd.Series], pd.Series]) -> Parser:
    def parse(state: ImportState, column: Column) -> None:
        col = state.found[column.role]
        if col is not None:
            state.set(column, convert_values(state.text(column.role)))
            state.ctx.mapped(state.table, col, column.target)

    return parse


def parse_customer(state: ImportState, column: Column) -> None:
    """The customer id column, else a pseudonym of the ``options["email"]`` column."""
    col, email = state.found[column.role], state.found.get(column.options.get("email", ""))
    if col is not None:
        state.set(column, state.text(column.role).str.replace(r"\.0$", "", regex=True))
        state.ctx.mapped(state.table, col, column.target)
    elif email is not None:
        state.set(column, pseudonym(state.exp.text(email)))
        state.ctx.derived(state.table, f"customer_id = hash of {email!r}")


def parse_count(state: ImportState, column: Column) -> None:
    """Whole numbers; unreadable values left empty (counted)."""
    col = state.found[column.role]
    if col is None:
        return
    values, bad = parse_duration_s(state.text(column.role), 1.0)
    state.set(column, values.round().astype("Int64"))
    state.ctx.mapped(state.table, col, column.target)
    text = f"{col!r} not a number: left empty"
    state.count("repaired", text, state.keep & bad, state.text(column.role))


def parse_duration(state: ImportState, column: Column) -> None:
    """Durations in seconds (numbers × ``options["unit_s"]``, or clock text)."""
    col = state.found[column.role]
    if col is None:
        return
    secs, bad = parse_duration_s(state.text(column.role), column.options["unit_s"])
    state.set(column, secs)
    state.ctx.mapped(state.table, col, column.options.get("describe", column.target))
    text = f"unreadable {col!r}: left empty"
    state.count("repaired", text, state.keep & bad, state.text(column.role))


register_parser("id", parse_id)
register_parser("timestamp", parse_timestamp)
register_parser("status", parse_status)
register_parser("channel", parse_channel)
register_parser("label", _mapped_as(label))
register_parser("text", _mapped_as(lambda values: values))
register_parser("customer", parse_customer)
register_parser("count", parse_count)
register_parser("duration", parse_duration)
