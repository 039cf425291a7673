"""A realistic, fully vectorised sample of the eight canonical tables.

The sample describes the customer service of a Lisbon-based subscription retailer
over ``months`` months ending with month ``end`` (default: November 2025 to
October 2026, time zone Europe/Lisbon). It is internally coherent, because the KPIs,
the evaluation and the tests are computed from it:

* **tickets** arrive with weekday and hour-of-day seasonality on seven channels; a
  holiday peak (24 November to 31 December, about 1.5 times the volume) and a spring
  promotion (two weeks from the first Monday of May, about 1.4 times) slow service
  down; product incidents cause spikes of "Technical issue" tickets. First responses
  and resolutions are drawn in *business time* (the calendar of :func:`sample_config`),
  so an e-mail sent on Friday night is answered on Monday. Tickets still open at the
  as-of time (the end of the last month) form the backlog.
* **calls**: every phone ticket has its answered call; abandoned calls and a few test
  calls are added; waits depend on the load of the hour.
* **surveys** follow about half of the resolved tickets; scores depend on resolution
  time, first-contact resolution, reopens, channel, team and peaks; comments in five
  languages are built from templates around recurring themes.
* **customers**, **finance**, **costs**, **incidents** and **staffing** are consistent
  with the above (every customer id used exists; staff costs equal staffed hours times
  hourly cost; active customers are counted from the customers table).

A few data-quality problems are planted on purpose (see :data:`PLANTED_PROBLEMS`); the
validator reports them as warnings.

Everything is drawn with :func:`numpy.random.default_rng` from ``seed`` and is
deterministic for given ``seed``, ``months``, ``scale`` and ``end``. No Python loop runs
over rows (only over months, teams, channels, incidents or languages), so a sample of a
million tickets (``scale`` about 16.7) takes seconds.

Modules, in import order (each imports only the ones above it):

* :mod:`.model`: named values, mixes and rates (channels, teams, calendar of demand...);
* :mod:`.calendar_grid`: the period, its hourly grid and business-time arithmetic;
* :mod:`.draws`: random-draw helpers and column dicts;
* :mod:`.frames`: canonical frames (ids, labels, schema dtypes, row order);
* :mod:`.config`: :func:`sample_config` and :func:`planted_problems`;
* :mod:`.customers`, :mod:`.staffing` (agents), :mod:`.incidents`: the slow tables;
* :mod:`.arrivals`, :mod:`.ticket_core`, :mod:`.tickets`: tickets;
* :mod:`.calls`; :mod:`.comments` (phrases in ``comments.yaml``) and :mod:`.surveys`;
* :mod:`.costs` (costs and finance); :mod:`.planted`: the planted problems;
* :mod:`.generator`: :func:`generate` and :func:`write_sample`.

``python -m csmetrics.sample`` runs ``csmetrics sample`` (see ``--help``).
"""

from __future__ import annotations

from typing import Any

from .config import planted_problems, sample_config
from .generator import generate, write_sample
from .model import (
    CATEGORIES,
    CHANNELS,
    CURRENCY,
    LANGUAGES,
    METRICS,
    PLANTED_PROBLEMS,
    PRIORITIES,
    PRODUCTS,
    QUEUES,
    SEGMENTS,
    SEVERITIES,
    TEAMS,
    THEMES,
    TIMEZONE,
)

__all__ = [
    "CATEGORIES",
    "CHANNELS",
    "CURRENCY",
    "LANGUAGES",
    "METRICS",
    "PLANTED_PROBLEMS",
    "PRIORITIES",
    "PRODUCTS",
    "QUEUES",
    "SEGMENTS",
    "SEVERITIES",
    "TEAMS",
    "THEMES",
    "TIMEZONE",
    "generate",
    "planted_problems",
    "sample_config",
    "write_sample",
]


def __getattr__(name: str) -> Any:
    """``_TEMPLATES``, the comment phrases, read from ``comments.yaml`` on first use."""
    if name == "_TEMPLATES":
        from .comments import templates

        return templates()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
