"""Dates of NHS FFT comments (preset ``nhs-fft``): ``d/m/yyyy`` or ``m/d/yyyy``.

A part above 12 decides the order. An ambiguous date (both parts ≤ 12 and different) is
read day-first in a respondent series that has no unambiguous month-first date; in a
series that has some, respondent numbers run in date order, so the ambiguous date takes
the reading closer to the median date of the :data:`NEIGHBOURS` nearest-numbered
unambiguous responses of the series (ties: day-first).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from . import ImportContext
from ._nhs_fft_read import TABLE

NEIGHBOURS = 10
_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")

#: How a comment row's date was read → what the import report says about such rows.
REPORTED = {
    "month_first": "comment rows with a month-first date (second part above 12), read as m/d/yyyy",
    "resolved_month_first": "comment rows with an ambiguous date in a series that has "
    "month-first dates, read month-first because that reading is closer to the "
    "respondents numbered next to it",
    "resolved_day_first": "comment rows with an ambiguous date in a series that has "
    "month-first dates, read day-first because that reading is closer to the respondents "
    "numbered next to it",
    "ambiguous_day_first": "comment rows with an ambiguous date (both parts ≤ 12) in a "
    "series without any month-first date, read day-first",
}


def _build(year: pd.Series, month: pd.Series, day: pd.Series) -> pd.Series:
    """Dates from their parts; NaT where a part is out of range or missing."""
    ok = month.between(1, 12) & day.between(1, 31) & year.notna()
    frame = pd.DataFrame(
        {"year": year.where(ok, 2000), "month": month.where(ok, 1), "day": day.where(ok, 1)}
    )
    return pd.to_datetime(frame, errors="coerce").where(ok)


def _resolve_series(
    todo: pd.Series,
    ref: pd.Series,
    number: pd.Series,
    readings: tuple[pd.Series, pd.Series],
    date: pd.Series,
    how: pd.Series,
) -> None:
    """Read the ambiguous dates ``todo`` of one series that has month-first dates.

    Each takes the reading closer to the median date of the nearest-numbered references
    ``ref`` (unambiguous dates of the series); day-first when the series has no
    reference or the respondent no number. ``date`` and ``how`` are filled in place.
    """
    dmy, mdy = readings
    if not todo.any():
        return
    if not ref.any():  # nothing to compare with: day-first, like the other series
        date[todo] = dmy[todo]
        how[todo] = "ambiguous_day_first"
        return
    ref_num = number[ref].to_numpy(float)
    ref_day = date[ref].to_numpy("datetime64[D]").astype(float)
    for i in todo[todo].index:
        if np.isnan(number[i]):
            date[i], how[i] = dmy[i], "ambiguous_day_first"
            continue
        near = np.argsort(np.abs(ref_num - number[i]), kind="stable")[:NEIGHBOURS]
        centre = float(np.median(ref_day[near]))
        d_day = np.datetime64(dmy[i], "D").astype(float)
        m_day = np.datetime64(mdy[i], "D").astype(float)
        if abs(m_day - centre) < abs(d_day - centre):
            date[i], how[i] = mdy[i], "resolved_month_first"
        else:
            date[i], how[i] = dmy[i], "resolved_day_first"


def parse_dates(text: pd.Series, series: pd.Series, number: pd.Series) -> pd.DataFrame:
    """Read ``d/m/yyyy`` and ``m/d/yyyy`` dates, resolving ambiguous ones per series.

    Parameters
    ----------
    text : Series of str
        The raw dates.
    series : Series of str
        The respondent series (respondent id without its number).
    number : Series of float
        The respondent number (NaN when the id has none).

    Returns
    -------
    DataFrame
        ``date`` (naive ``datetime64``, NaT when unreadable) and ``how``: ``day_first``,
        ``month_first``, ``same`` (day = month), ``iso``, ``ambiguous_day_first``
        (series without month-first dates), ``resolved_day_first`` /
        ``resolved_month_first`` (by neighbours) or ``unreadable``.

    Examples
    --------
    >>> out = parse_dates(pd.Series(["25/4/2023", "4/25/2023", "3/4/2023", "x"]),
    ...                   pd.Series(["A", "B", "C", "C"]), pd.Series([1.0, 2.0, 3.0, 4.0]))
    >>> out["how"].tolist()
    ['day_first', 'month_first', 'ambiguous_day_first', 'unreadable']
    """
    t = text.fillna("").astype(str).str.strip()
    parts = t.str.extract(_DATE_RE).astype(float)
    a, b, y = parts[0], parts[1], parts[2]
    iso = t.str.extract(_ISO_RE).astype(float)
    dmy, mdy = _build(y, b, a), _build(y, a, b)
    iso_date = _build(iso[0], iso[1], iso[2])
    how = pd.Series("unreadable", index=t.index, dtype=object)
    date = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    same = dmy.notna() & (a == b)
    only_m = mdy.notna() & dmy.isna()
    amb = dmy.notna() & mdy.notna() & ~same
    for mask, value, label in (
        (same, dmy, "same"),
        (dmy.notna() & mdy.isna(), dmy, "day_first"),
        (only_m, mdy, "month_first"),
        (iso_date.notna(), iso_date, "iso"),
    ):
        date[mask] = value[mask]
        how[mask] = label
    mixed = set(series[only_m].unique())
    plain = amb & ~series.isin(mixed)
    date[plain] = dmy[plain]
    how[plain] = "ambiguous_day_first"
    known = date.notna() & ~amb
    for s in mixed:
        todo = amb & (series == s)
        ref = known & (series == s) & number.notna()
        _resolve_series(todo, ref, number, (dmy, mdy), date, how)
    return pd.DataFrame({"date": date, "how": how})


def report_dates(
    ctx: ImportContext, column: str, text: pd.Series, dates: pd.DataFrame, lines: pd.Series
) -> None:
    """Report the mapping of the Date column and each way comment dates were read.

    Parameters
    ----------
    ctx : ImportContext
        Receives the mapping and the repaired counts, with examples.
    column : str
        The file's Date column.
    text : Series of str
        The raw dates of the rows kept.
    dates : DataFrame
        :func:`parse_dates` of those rows.
    lines : Series of int
        Their source lines.
    """
    how = dates["how"]
    ex = text + " → " + dates["date"].dt.strftime("%Y-%m-%d")
    ctx.mapped(TABLE, column, "sent_at (midnight Europe/London; answered_at when rated)")
    for kind, what in REPORTED.items():
        ctx.repaired(TABLE, what, how.eq(kind), ex, lines)
