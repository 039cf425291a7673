"""The public entry points: :func:`generate` (the tables) and :func:`write_sample`.

:func:`generate` spawns nine random streams from the seed and draws the tables from
them in a fixed order (incidents, customers, agents, staffing, tickets, calls,
surveys, costs and finance, planted problems): the output is deterministic for given
arguments, and a change inside one step leaves the draws of the other streams alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .calendar_grid import _Grid, _grid, _month_list
from .calls import _calls, _calls_frame
from .config import sample_config
from .costs import _costs, _finance
from .customers import _Customers, _customers, _customers_frame
from .frames import _sorted, _width
from .incidents import _incident_load, _incidents, _incidents_frame
from .planted import _plant_problems
from .staffing import _Agents, _agents, _staffing_frame, _staffing_hours
from .surveys import _surveys, _surveys_frame
from .tickets import _tickets, _tickets_frame


@dataclass
class _Draws:
    """The arrays of every table, as drawn (problems planted), before ids and frames."""

    g: _Grid
    inc: dict[str, np.ndarray]
    cust: _Customers
    agents: _Agents
    hours: pd.DataFrame
    tk: dict[str, np.ndarray]
    calls: dict[str, np.ndarray]
    sv: dict[str, np.ndarray]
    costs: pd.DataFrame
    finance: pd.DataFrame


def _draw(seed: int, g: _Grid, scale: float) -> _Draws:
    """Draw the tables from nine streams spawned from ``seed``, in this order, and plant
    the data-quality problems (last stream)."""
    streams = np.random.default_rng(seed).spawn(9)
    inc = _incidents(streams[0], g)
    _incident_load(g, inc)
    cust = _customers(streams[1], g, scale)
    agents = _agents(streams[2], g, scale)
    hours = _staffing_hours(streams[3], g, agents)
    tk = _tickets(streams[4], g, cust, agents, inc, scale)
    tk["agent_quality"] = agents.quality[tk["agent"]]
    calls = _calls(streams[5], g, cust, tk)
    sv = _surveys(streams[6], g, cust, tk)
    costs = _costs(streams[7], g, tk, calls, hours, scale)
    finance = _finance(streams[7], g, cust)
    _plant_problems(streams[8], g, tk, calls, sv)
    return _Draws(g, inc, cust, agents, hours, tk, calls, sv, costs, finance)


def _tables(d: _Draws) -> dict[str, pd.DataFrame]:
    """The eight canonical tables, with ids, in schema dtypes and row order."""
    n_tk, n_cu, n_ag = len(d.tk["created"]), len(d.cust.since), len(d.agents.team)
    w_t, w_c, w_a = _width(6, n_tk + 200_000), _width(5, n_cu), _width(3, n_ag)
    return {
        "tickets": _sorted(_tickets_frame(d.tk, (w_t, w_c, w_a)), "tickets"),
        "calls": _sorted(_calls_frame(d.calls, w_c, w_a), "calls"),
        "surveys": _sorted(_surveys_frame(d.sv, w_t, w_c), "surveys"),
        "costs": d.costs,
        "finance": d.finance,
        "customers": _customers_frame(d.cust, w_c),
        "incidents": _incidents_frame(d.inc),
        "staffing": _sorted(_staffing_frame(d.g, d.hours, w_a), "staffing"),
    }


def generate(
    seed: int = 7, months: int = 12, scale: float = 1.0, end: str = "2026-10"
) -> dict[str, pd.DataFrame]:
    """Generate the eight canonical tables of a realistic customer-service program.

    The period is the ``months`` calendar months ending with month ``end``, in the
    Europe/Lisbon time zone; the as-of time is the end of the last month (tickets
    still unresolved then are ``open`` or ``pending``). At ``scale=1`` the sample
    holds about 60,000 tickets (5,000 a month: e-mail 30 %, phone 25 %, chat 20 %,
    web form 10 %, SMS 6 %, Twitter 5 %, Facebook 4 %), 16,000 calls, 29,000
    surveys, 20,000 customers, 25 incidents and 12 agents in 5 teams (plus a
    seasonal temp and a replacement), about 60 % occupied, which is what this volume
    needs at realistic handle times. ``scale`` multiplies tickets, calls, surveys,
    customers and agents (hence staff costs); incidents stay at about two a month.

    Volumes follow weekday and hour-of-day seasonality; the holiday season (24 Nov
    to 31 Dec, about x1.5) and the spring promotion (two weeks from the first Monday
    of May, about x1.4) raise volume and degrade service (slower responses, longer
    waits, more abandons, lower satisfaction). First responses and resolutions are
    drawn in business time (Mon-Fri 09-18, Sat 10-14, closed on Portuguese public
    holidays, 24 and 31 Dec). The data-quality problems of
    :func:`planted_problems` are planted.

    Parameters
    ----------
    seed : int, default 7
        Seed of :func:`numpy.random.default_rng`; the output is deterministic for
        given ``seed``, ``months``, ``scale`` and ``end``.
    months : int, default 12
        Number of months (at least 1).
    scale : float, default 1.0
        Volume multiplier; ``scale=16.7`` gives about a million tickets. Very small
        scales are floored at about 200 customers and 2 agents per team.
    end : str, default "2026-10"
        Last month, ``YYYY-MM``.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``tickets``, ``calls``, ``surveys``, ``costs``, ``finance``, ``customers``,
        ``incidents`` and ``staffing``: every canonical column in schema order, with
        the dtypes of :func:`csmetrics.schema.dtype_for` for Europe/Lisbon, rows
        sorted by their time column and id.

    Examples
    --------
    >>> from csmetrics import schema
    >>> tables = generate(seed=1, months=2, scale=0.05)
    >>> sorted(tables) == sorted(t for t in schema.TABLE_NAMES if t != "monthly_metrics")
    True
    >>> str(tables["tickets"]["created_at"].dtype)
    'datetime64[us, Europe/Lisbon]'
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    g = _grid(_month_list(months, end))
    return _tables(_draw(seed, g, scale))


def write_sample(
    out: str | Path,
    seed: int = 7,
    months: int = 12,
    scale: float = 1.0,
    end: str = "2026-10",
    fmt: str = "parquet",
) -> dict[str, Path]:
    """Generate the sample and write it as a data folder.

    Writes ``<out>/<table>.parquet`` for each table (timestamps in UTC, microsecond
    unit), or ``<out>/<table>.csv`` with ``fmt="csv"`` (timestamps as ISO-8601 text
    with their Europe/Lisbon offset), plus ``<out>/csmetrics.yaml`` with
    :func:`sample_config`. Existing files of the same names are replaced.

    Parameters
    ----------
    out : str or Path
        Folder to write (created if needed).
    seed, months, scale, end
        As in :func:`generate`.
    fmt : {"parquet", "csv"}, default "parquet"
        File format of the tables.

    Returns
    -------
    dict of str to Path
        The path of each table, and of the configuration under ``"config"``.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_sample(tempfile.mkdtemp(), months=1, scale=0.02)
    >>> paths["tickets"].name, paths["config"].name
    ('tickets.parquet', 'csmetrics.yaml')
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"fmt must be 'parquet' or 'csv', got {fmt!r}")
    from ..io import write_config, write_tables

    tables = generate(seed=seed, months=months, scale=scale, end=end)
    paths = write_tables(tables, out, fmt)
    paths["config"] = write_config(sample_config(months, end), out)
    return paths
