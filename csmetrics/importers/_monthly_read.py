"""Reading published monthly call-centre series (preset ``monthly-metrics``).

:func:`read_sheet` reads a file with the shared CSV reader (lines that do not fit the
header and delimiter-only lines are rejected with their line); :func:`find_roles` finds
each measure's column by its loose header name, with the unit of the average speed of
answer and of the abandonment rate; :func:`parse_month` and :func:`parse_number` read
the cells.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..csvfile import read_records
from ..errors import DataError
from . import ImportContext
from .export import reject_odd_records

TABLE = "monthly_metrics"

#: Loose header names (see :func:`norm`) by role.
ALIASES = {
    "month": ("month", "period", "month year"),
    "answered": ("inbound calls", "calls answered", "answered calls", "inbound"),
    "offered": ("calls offered", "offered calls", "offered"),
    "abandoned": ("abandoned calls", "calls abandoned", "abandoned"),
}
_SECONDS = {"s", "sec", "secs", "second", "seconds"}
_MINUTES = {"min", "mins", "minute", "minutes"}
_MONTH_FORMATS = ("%b %Y", "%B %Y", "%Y-%m", "%m/%Y", "%Y/%m", "%b-%y", "%b %y")


def norm(name: object) -> str:
    """A header name folded: lower case, punctuation as spaces (``%`` kept).

    >>> norm("Average Speed of Answer (Secs)")
    'average speed of answer secs'
    """
    return " ".join(re.sub(r"[^0-9a-z%]+", " ", str(name).casefold()).split())


def find_roles(columns: list[str], path: Path) -> tuple[dict[str, str], dict[str, float]]:
    """Find each role's column; return ``(roles, scale)`` (ASA to seconds, rate to share).

    Raises
    ------
    DataError
        No Month column, no Inbound Calls (or Calls Offered) column, or an average speed
        of answer whose header gives no unit.
    """
    roles: dict[str, str] = {}
    scale: dict[str, float] = {}
    for col in columns:
        n = norm(col)
        words = set(n.split())
        hit = next((r for r, names in ALIASES.items() if n in names), None)
        if hit is None and (n.startswith("average speed of answer") or n.split()[:1] == ["asa"]):
            hit = "asa"
            if words & _SECONDS:
                scale["asa"] = 1.0
            elif words & _MINUTES:
                scale["asa"] = 60.0
            else:
                raise DataError(
                    "the header does not say the unit of the average speed of answer; "
                    "rename it e.g. 'Average Speed of Answer in Secs' or '... in Minutes'",
                    file=str(path),
                    column=col,
                )
        if hit is None and re.search(r"abandon(ment|ed)? rate|rate of abandon", n):
            hit = "rate"
            scale["rate"] = 1.0 if words & {"share", "fraction", "ratio"} else 0.01
        if hit is not None and hit not in roles:
            roles[hit] = col
    if "month" not in roles or not ({"answered", "offered"} & set(roles)):
        raise DataError(
            "not a monthly call-metrics file: it needs a Month column and an Inbound Calls "
            f"(or Calls Offered) column; the file has {', '.join(repr(c) for c in columns)}",
            file=str(path),
            column="Month" if "month" not in roles else "Inbound Calls",
        )
    return roles, scale


def parse_month(text: pd.Series) -> pd.Series:
    """Month labels → ``YYYY-MM`` (NaN when unreadable).

    Examples
    --------
    >>> parse_month(pd.Series(["Apr 2024", "2011-01", "13/2020"])).tolist()
    ['2024-04', '2011-01', nan]
    """
    t = text.fillna("").astype(str).str.strip()
    out = pd.Series(np.nan, index=t.index, dtype=object)
    for fmt in _MONTH_FORMATS:
        todo = out.isna() & (t != "")
        if not todo.any():
            break
        parsed = pd.to_datetime(t[todo], format=fmt, errors="coerce")
        out[parsed.dropna().index] = parsed.dropna().dt.strftime("%Y-%m")
    return out


def parse_number(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``(values, bad)``: numbers (blank → NaN) and a mask of non-blank unreadable cells.

    >>> [v.tolist() for v in parse_number(pd.Series(["1,234", "8.7%", "", "n/a"]))]
    [[1234.0, 8.7, nan, nan], [False, False, False, True]]
    """
    t = text.fillna("").astype(str).str.strip().str.replace(",", "").str.rstrip("%").str.strip()
    values = pd.to_numeric(t, errors="coerce")
    return values, values.isna() & (t != "")


def decimals(text: pd.Series) -> pd.Series:
    """Decimals written in each published figure (at least 1: ``5`` is read as ``5.0``)."""
    frac = text.fillna("").astype(str).str.strip().str.extract(r"\.(\d+)")[0]
    return frac.str.len().fillna(0).clip(lower=1)


def read_sheet(path: Path, ctx: ImportContext) -> tuple[pd.DataFrame, pd.Series]:
    """The file as text cells, and the line each record starts on.

    Records that do not fit the header, and records holding only delimiters (``,,,``),
    are rejected with their line; blank lines are skipped and counted.

    Raises
    ------
    DataError
        An empty or unreadable file (its line named), or a header without data rows.
    """
    rec = read_records(path, delimiter=",")
    reject_odd_records(ctx, TABLE, path, rec, "line")
    if not rec.rows and not rec.ragged and not rec.empty:
        raise DataError(
            f"no data rows: the file has only its header line ({', '.join(rec.header)})",
            file=str(path),
        )
    df = pd.DataFrame(rec.rows, columns=rec.header, dtype=object)
    return df, pd.Series(rec.lines, index=df.index, dtype=int)
