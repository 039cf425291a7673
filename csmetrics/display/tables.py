"""Tables shown to people: headers they read, numbers by their unit, every cell escaped.

pandas' ``Styler`` does not escape cell text by default, so the notebooks show tables
through :func:`table`, which always does. :func:`labelled` gives a table the headers
people read (translated) instead of the column names the code uses.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from functools import partial

import numpy as np
import pandas as pd
from IPython.display import HTML

from .. import i18n
from ..i18n import N_
from .labels import column_label, known_column, kpi_label, shown_value, unit_label
from .values import format_value, formatted

#: A column's labels of values: a dict of ``N_``-marked labels or a function of a value.
ValueLabels = Mapping[str, str] | Callable[[object], object]


def labelled(
    df: pd.DataFrame,
    values: Mapping[str, ValueLabels] | None = None,
    units: Mapping[str, str] | None = None,
    *,
    currency: str | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """A copy of ``df`` to display: headers people read instead of column names, and
    numbers written by their unit (:func:`formatted`, ``units`` naming the unit of
    columns it cannot know, such as a renamed ``value``).

    Known column names become :func:`column_label` (KPI ids their KPI's label); other
    headers (e.g. channel names of a cross-table, which are data) stay as they are; KPI ids in a
    ``kpi`` column their label, units in a ``unit`` column their name; yes/no columns
    ``yes``/``no``; placeholders such as
    ``(missing)`` are translated. ``values`` maps a column to a dict of ``N_``-marked
    labels of its values (e.g. :data:`csmetrics.analysis.BAND_LABELS`) or to a function.
    Data (names of teams, channels, comments) is never changed. ``currency`` and
    ``lang`` (default: the current ones) are those of amounts and of every text.

    Examples
    --------
    >>> df = pd.DataFrame({"kpi": ["fcr_rate"], "ci_low": [0.5], "low_sample": [False]})
    >>> labelled(df).to_dict(orient="records")
    [{'KPI': 'First-contact resolution', '95% interval, low': '50.0%', 'low sample': 'no'}]
    """
    out = formatted(df, units, currency, lang=lang)
    for col, mapping in (values or {}).items():
        if col in out:
            out[col] = out[col].map(_value_labeller(mapping, lang))
    for col in out.columns:
        shown = None if values and col in values else _labelled(out[col], col, currency, lang)
        if shown is not None:
            out[col] = shown
    out.columns = [column_label(c, lang=lang) if known_column(c) else c for c in out.columns]
    if out.columns.name is not None:
        out.columns.name = None
    return out


def _value_labeller(mapping: ValueLabels, lang: str | None) -> Callable[[object], object]:
    """The function that labels a column's values: ``mapping`` itself, or a lookup of
    its translated labels that leaves other values unchanged."""
    if callable(mapping):
        return mapping
    return lambda v: i18n.translate(mapping[v], lang) if v in mapping else v


def _labelled(
    series: pd.Series, col: object, currency: str | None, lang: str | None
) -> pd.Series | None:
    """One column's values as shown: KPI ids and units named, flags ``yes``/``no``,
    the package's placeholders translated; None for a column shown as it is."""
    if col == "kpi":
        return series.map(partial(kpi_label, lang=lang))
    if col == "unit":
        return series.map(partial(unit_label, currency=currency, lang=lang))
    if pd.api.types.is_bool_dtype(series.dtype):
        yes, no = i18n.translate(N_("yes"), lang), i18n.translate(N_("no"), lang)
        return series.map({True: yes, False: no})
    if pd.api.types.is_object_dtype(series.dtype) or isinstance(
        series.dtype,
        pd.CategoricalDtype | pd.StringDtype,  # pandas 3 text is "str"
    ):
        return series.astype(object).map(partial(shown_value, lang=lang))
    return None


def table(
    df: pd.DataFrame,
    caption: str | None = None,
    index: bool = False,
    float_format: str | Callable[[float], str] | None = None,
    units: Mapping[str, str] | None = None,
    *,
    currency: str | None = None,
    lang: str | None = None,
) -> HTML:
    """An HTML table of ``df`` with every cell and header escaped and every number
    written by its unit (:func:`formatted`; ``units`` names the unit of columns it cannot
    know).

    Numbers without a unit: counts (integers, or floats that are all whole) with the
    locale's thousands separators and no decimals, others by ``float_format`` (a
    ``str.format`` pattern or a function of the number), by default two decimals
    (``1,234.50``). Missing values are ``–``. ``currency`` and ``lang`` (default: the
    current ones) are those of amounts and of every text.

    Examples
    --------
    >>> "<script>" in table(pd.DataFrame({"a": ["<script>"]})).data
    False
    >>> "1,234.50" in table(pd.DataFrame({"a": [1234.5]})).data
    True
    >>> "<td>5,117</td>" in table(pd.DataFrame({"n": [5117.0, 12.0]})).data
    True
    >>> "<td>59,820</td>" in table(pd.DataFrame({"rows": [59820]})).data
    True
    >>> "<td>19.7%</td>" in table(pd.DataFrame({"fcr_rate": [0.197]})).data
    True
    >>> "<td>1.234,50</td>" in table(pd.DataFrame({"a": [1234.5]}), lang="pt").data
    True
    """
    if df is None or df.empty:
        nothing = i18n.translate(N_("Nothing to show."), lang)
        return HTML(f"<p><em>{html.escape(nothing)}</em></p>")
    if float_format is None:
        formatter: Callable[[float], str] = partial(_two_decimals, lang=lang)
    elif callable(float_format):
        formatter = float_format
    else:
        formatter = float_format.format
    shown = _format_numbers(formatted(df, units, currency, lang=lang), formatter, lang)
    body = shown.to_html(
        index=index,
        escape=True,
        border=0,
        na_rep="–",
        classes="csm-table",
    )
    cap = f"<p><strong>{html.escape(caption)}</strong></p>" if caption else ""
    return HTML(cap + body)


def _two_decimals(x: float, *, lang: str | None = None) -> str:
    return i18n.number(x, 2, lang=lang)


def _format_numbers(
    df: pd.DataFrame, formatter: Callable[[float], str], lang: str | None = None
) -> pd.DataFrame:
    """Number columns without a unit as text in the locale: counts (integers, or a float
    column of whole numbers) whole with thousands separators (not ids, years or hours),
    other numbers by ``formatter``; missing values stay missing (shown as ``–``)."""
    out = df.copy()
    whole = partial(_whole, lang=lang)
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        name = str(out.columns[i]).lower()
        if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
            continue
        if pd.api.types.is_integer_dtype(col):
            if name.endswith("id") or name in ("year", "hour", "weekday"):
                continue  # identifiers stay as they are
            fmt: Callable[[float], str] = whole
        else:
            fmt = whole if _all_whole(col) else formatter
        out.isetitem(i, col.map(lambda x, f=fmt: None if pd.isna(x) else f(x)).astype(object))
    return out


def _all_whole(col: pd.Series) -> bool:
    """Whether a float column holds whole numbers only (and at least one)."""
    vals = col.dropna().to_numpy(dtype=float)
    return bool(vals.size and np.isfinite(vals).all() and (vals == np.round(vals)).all())


def _whole(x: float, *, lang: str | None = None) -> str:
    return format_value(x, "count", lang=lang)
