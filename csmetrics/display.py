"""Safe display helpers for notebooks: every value from the data is HTML-escaped.

pandas' ``Styler`` does not escape cell text by default, so the notebooks show tables
through :func:`table`, which always does. :func:`labelled` gives a table the headers
people read (translated) instead of the column names the code uses.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from IPython.display import HTML

from . import i18n
from .i18n import N_, _

#: Names of the groupings (columns KPIs can be grouped and filtered by), as shown to
#: people in titles, axes, headers and the explorer's controls.
GROUP_NAMES = {
    "channel": N_("channel"),
    "team": N_("team"),
    # Translators: the grouping by agent (agents are shown by their id)
    "agent_id": N_("agent id"),
    "priority": N_("priority"),
    "category": N_("category"),
    "queue": N_("queue"),
    "month": N_("month"),
    # Translators: the survey metric (CSAT, NPS or CES) an answer belongs to
    "metric": N_("metric"),
    # Translators: a grouping holding every row (no grouping)
    "all": N_("all"),
    "group": N_("group"),
}

#: Headers of the package's tables and chart axes (column names) as shown to people.
COLUMN_LABELS = {
    # KPI records (csmetrics.kpis.compute)
    "kpi": N_("KPI"),
    "value": N_("value"),
    "unit": N_("unit"),
    # Translators: n, the number of observations behind a value (kept as a symbol)
    "n": N_("n"),
    "ci_low": N_("95% interval, low"),
    "ci_high": N_("95% interval, high"),
    # Translators: a value computed from fewer than 30 observations
    "low_sample": N_("low sample"),
    # Translators: rows left out of a KPI for data-quality problems
    "excluded": N_("left out"),
    "available": N_("available"),
    "note": N_("note"),
    "period": N_("period"),
    "share": N_("share"),
    # csmetrics.analysis tables
    # Translators: the age of an open ticket (a column header and axis label)
    "age": N_("age"),
    "tickets": N_("tickets"),
    "day": N_("day"),
    # Translators: calls offered (arrived) in a day
    "offered": N_("offered"),
    "answered": N_("answered"),
    "abandoned": N_("abandoned"),
    # Translators: an amount of money (cost)
    "amount": N_("amount"),
    "score": N_("score"),
    "answers": N_("answers"),
    "promoters": N_("promoters"),
    "passives": N_("passives"),
    "detractors": N_("detractors"),
    # Translators: the score band of a survey answer (unhappy, middle, happy)
    "band": N_("band"),
    "comment": N_("comment"),
    "hours": N_("hours"),
    # Translators: the channel a customer switched from
    "from": N_("from"),
    # Translators: the channel a customer switched to
    "to": N_("to"),
    "share of switches": N_("share of switches"),
    # Translators: peak or regular period
    "period type": N_("period type"),
    "tickets_per_day": N_("tickets per day"),
    "weekday": N_("weekday"),
    "hour": N_("hour"),
    "calls_per_hour": N_("calls per hour"),
    "agents_required": N_("agents required"),
    # csmetrics.text.themes
    # Translators: the language a comment is written in
    "language": N_("language"),
    # Translators: a word or two-word phrase found in comments
    "term": N_("term"),
    # Translators: the number of comments using a term
    "comments": N_("comments"),
}

#: Units of KPIs as written on chart axes, in titles and in the ``unit`` column of tables
#: (``currency`` is shown as the configured currency's symbol: :func:`unit_label`).
UNIT_LABELS = {
    "share": "%",
    "h": N_("hours"),
    "s": N_("seconds"),
    # Translators: unit of NPS (points between -100 and 100)
    "points": N_("points"),
    # Translators: unit of a mean survey score
    "score": N_("score"),
}

#: Units whose values count things: shown whole, with the locale's thousands separators.
COUNT_UNITS = frozenset({"tickets", "calls", "customers", "count"})

#: Decimals of a unit's values (hours and seconds: :func:`format_value`; counts: none).
UNIT_DECIMALS = {"agents": 1, "score": 2, "points": 2, "tickets/h": 2, "tickets/day": 1}

#: Units of the package's own table columns that are not KPI ids (a KPI id column takes
#: its KPI's unit from the registry; ``value``, ``ci_low``... the unit of their row).
COLUMN_UNITS = {
    "n": "count",
    "excluded": "count",
    "share": "share",
    "share of switches": "share",
    "amount": "currency",
    "hours": "h",
    "tickets": "count",
    "offered": "count",
    "answered": "count",
    "abandoned": "count",
    "answers": "count",
    "promoters": "count",
    "passives": "count",
    "detractors": "count",
    "comments": "count",
    "tickets_per_day": "tickets/day",
    "agents_required": "agents",
}

#: Columns of KPI records measured in the unit of their row (its ``unit`` column).
ROW_UNIT_COLUMNS = ("value", "ci_low", "ci_high", "target", "previous")

#: Placeholders the package puts in group columns (not data: shown translated).
PLACEHOLDERS = {
    # Translators: a group value that is missing in the data
    "(missing)": N_("(missing)"),
    # Translators: a cost line not attributed to a channel, category or team
    "(not attributed)": N_("(not attributed)"),
}


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _current_currency() -> str:
    # the currency of :func:`csmetrics.i18n.set_currency` (i18n has no getter of its own)
    return str(i18n._current["currency"])


def format_value(
    value: object, unit: object, currency: str | None = None, change: bool = False
) -> str:
    """A value with its unit, for people, in the report's locale: the one formatter of
    every table, sentence and scorecard cell (:mod:`csmetrics.i18n` formats).

    Shares as percentages with one decimal; amounts in ``currency`` (default: the one of
    :func:`csmetrics.i18n.set_currency`); hours and seconds with their unit, two decimals
    below 100, none above; counts (``tickets``, ``calls``, ``customers``, ``count``)
    whole with thousands separators; agents with one decimal, scores, points and tickets
    per hour with two. A missing value is ``–``. With ``change``, a signed difference:
    shares in percentage points (``+2.1 pp``), other units signed (``-1.50 h``,
    ``+€0.27``).

    Parameters
    ----------
    value : float
        The number (a share as 0–1).
    unit : str
        A KPI unit of :mod:`csmetrics.kpis.registry` or a unit of :data:`COLUMN_UNITS`.
    currency : str, optional
        ISO 4217 code of amounts.
    change : bool
        Whether ``value`` is a change between two values (shown signed).

    Returns
    -------
    str
        The text to show.

    Examples
    --------
    >>> format_value(0.618, "share"), format_value(4.25, "h"), format_value(9.1, "currency", "EUR")
    ('61.8%', '4.25 h', '€9.10')
    >>> format_value(5117.0, "count"), format_value(377.66, "s"), format_value(float("nan"), "h")
    ('5,117', '378 s', '–')
    >>> from csmetrics.i18n import language
    >>> with language("it"):
    ...     format_value(0.618, "share"), format_value(1234.6, "h"), format_value(0.5, "score")
    ('61,8%', '1.235 h', '0,50')
    >>> format_value(0.021, "share", change=True), format_value(-1.5, "h", change=True)
    ('+2.1 pp', '-1.50 h')
    >>> format_value(0.27, "currency", "EUR", change=True), format_value(3, "tickets", change=True)
    ('+€0.27', '+3')
    """
    if _missing(value):
        return "–"
    x = float(value)  # type: ignore[arg-type]
    if change and unit == "share":
        # Translators: "pp" = percentage points; {value} is a signed number such as +2.1
        return _("{value} pp").format(value=i18n.number(x * 100, 1, signed=True))
    if unit == "share":
        return i18n.percent(x, 1)
    if unit == "currency":
        amount = i18n.currency(abs(x) if change else x, currency or _current_currency())
        if not change:
            return amount
        if round(x, 2) == 0:  # a change that rounds to nothing
            return "±" + amount
        return ("-" if x < 0 else "+") + amount
    decimals = 2 if unit in ("h", "s") and abs(x) < 100 else UNIT_DECIMALS.get(str(unit), 0)
    text = i18n.number(x, decimals, signed=change)
    return f"{text} {unit}" if unit in ("h", "s") else text


def counts_observations(kpi: str) -> bool:
    """Whether a KPI's ``n`` counts observations (tickets, calls, answers, customers...).

    A ratio's ``n`` is its denominator: a count for cost per contact (contacts), a sum of
    money for cost to revenue or of hours for occupancy, which is no number of
    observations and is not shown as ``n``. Unknown ids count.

    Examples
    --------
    >>> counts_observations("fcr_rate"), counts_observations("cost_per_contact")
    (True, True)
    >>> counts_observations("cost_to_revenue"), counts_observations("occupancy")
    (False, False)
    """
    from .kpis import REGISTRY

    k = REGISTRY.get(kpi)
    if k is None or k.kind != "ratio" or not k.ratio:
        return True
    return all(d in REGISTRY and REGISTRY[d].unit in COUNT_UNITS for d in k.ratio[1])


def shown_n(kpi: str, n: object) -> str:
    """``n`` of a KPI as shown in tables: a whole count, or empty where the KPI's ``n``
    counts no observations (:func:`counts_observations`) or is missing.

    Examples
    --------
    >>> shown_n("tickets_created", 5117.0), shown_n("cost_to_revenue", 392078.34)
    ('5,117', '')
    """
    if _missing(n) or not counts_observations(kpi):
        return ""
    return format_value(n, "count")


def column_unit(name: object, units: Mapping[str, str] | None = None) -> str | None:
    """The unit of a table column: given in ``units``, else a KPI id's unit from the
    registry, else the unit of one of the package's columns (:data:`COLUMN_UNITS`).

    Examples
    --------
    >>> column_unit("fcr_rate"), column_unit("cost_per_contact"), column_unit("n")
    ('share', 'currency', 'count')
    >>> column_unit("channel") is None, column_unit("ci_low", {"ci_low": "share"})
    (True, 'share')
    """
    from .kpis import REGISTRY

    text = str(name)
    if units and text in units:
        return units[text]
    if text in REGISTRY:
        return REGISTRY[text].unit
    return COLUMN_UNITS.get(text)


def formatted(
    df: pd.DataFrame, units: Mapping[str, str] | None = None, currency: str | None = None
) -> pd.DataFrame:
    """A copy of ``df`` whose number columns with a unit are text written by
    :func:`format_value`: every table of the report goes through here (via
    :func:`labelled` or :func:`table`).

    A column's unit is :func:`column_unit`'s; in KPI records (a ``unit`` column) the
    columns ``value``, ``ci_low``, ``ci_high``, ``target`` and ``previous`` take the unit
    of their row (or of the row's KPI, its ``kpi`` column), and ``n`` is left empty where
    the row's KPI counts no observations. Columns without a unit, and text, are returned
    unchanged.

    Examples
    --------
    >>> df = pd.DataFrame({"channel": ["chat"], "fcr_rate": [0.68], "frt_median_h": [0.39]})
    >>> formatted(df).to_dict(orient="records")
    [{'channel': 'chat', 'fcr_rate': '68.0%', 'frt_median_h': '0.39 h'}]
    >>> rec = pd.DataFrame({"kpi": ["cost_to_revenue"], "value": [0.139], "unit": ["share"],
    ...                     "n": [392078.34]})
    >>> formatted(rec).to_dict(orient="records")
    [{'kpi': 'cost_to_revenue', 'value': '13.9%', 'unit': 'share', 'n': ''}]
    """
    from .kpis import REGISTRY

    out = df.copy()
    row_units = None
    if "unit" in out.columns:
        row_units = out["unit"]
    elif "kpi" in out.columns:
        row_units = out["kpi"].map(lambda k: REGISTRY[k].unit if k in REGISTRY else None)
    for i in range(out.shape[1]):
        name = out.columns[i]
        col = out.iloc[:, i]
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            continue
        if row_units is not None and name in ROW_UNIT_COLUMNS:
            text = [format_value(v, u, currency) for v, u in zip(col, row_units, strict=True)]
        elif name == "n" and "kpi" in out.columns:
            text = [shown_n(k, v) for k, v in zip(out["kpi"], col, strict=True)]
        else:
            unit = column_unit(name, units)
            if unit is None:
                continue
            text = [format_value(v, unit, currency) for v in col]
        out.isetitem(i, pd.Series(text, index=out.index, dtype=object))
    return out


def unit_label(unit: object) -> object:
    """A KPI unit as people read it: ``%``, ``hours``…, amounts as the configured
    currency's symbol (:func:`csmetrics.i18n.set_currency`)."""
    if unit == "currency":
        return i18n.currency_symbol()
    return _(UNIT_LABELS[unit]) if unit in UNIT_LABELS else unit


def column_label(name: object) -> str:
    """The header people read for a column: a KPI's label, a known column's translated
    name, else the name with spaces for underscores.

    Examples
    --------
    >>> column_label("agent_id"), column_label("ci_low"), column_label("fcr_rate")
    ('agent id', '95% interval, low', 'First-contact resolution')
    >>> column_label("sentiment_x")
    'sentiment x'
    """
    text = str(name)
    if text in GROUP_NAMES:
        return _(GROUP_NAMES[text])
    if text in COLUMN_LABELS:
        return _(COLUMN_LABELS[text])
    if text in PLACEHOLDERS:
        return _(PLACEHOLDERS[text])
    from .kpis import REGISTRY

    if text in REGISTRY:
        return REGISTRY[text].label
    return text.replace("_", " ")


def shown_value(value: object) -> object:
    """A cell value as shown to people: the package's placeholders (``(missing)``...)
    translated; anything else (data) unchanged."""
    if isinstance(value, str) and value in PLACEHOLDERS:
        return _(PLACEHOLDERS[value])
    return value


def labelled(
    df: pd.DataFrame,
    values: Mapping[str, Mapping[str, str] | Callable[[object], object]] | None = None,
    units: Mapping[str, str] | None = None,
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
    Data (names of teams, channels, comments) is never changed.

    Examples
    --------
    >>> df = pd.DataFrame({"kpi": ["fcr_rate"], "ci_low": [0.5], "low_sample": [False]})
    >>> labelled(df).to_dict(orient="records")
    [{'KPI': 'First-contact resolution', '95% interval, low': '50.0%', 'low sample': 'no'}]
    """
    from .kpis import REGISTRY

    out = formatted(df, units)
    for col, mapping in (values or {}).items():
        if col not in out:
            continue
        if callable(mapping):
            out[col] = out[col].map(mapping)
        else:
            out[col] = out[col].map(lambda v, m=mapping: _(m[v]) if v in m else v)
    for col in out.columns:
        series = out[col]
        if values and col in values:
            continue
        if col == "kpi":
            out[col] = series.map(lambda v: REGISTRY[v].label if v in REGISTRY else v)
        elif col == "unit":
            out[col] = series.map(unit_label)
        elif pd.api.types.is_bool_dtype(series.dtype):
            out[col] = series.map({True: _("yes"), False: _("no")})
        elif pd.api.types.is_object_dtype(series.dtype) or isinstance(
            series.dtype, pd.CategoricalDtype
        ):
            out[col] = series.astype(object).map(shown_value)
    out.columns = [column_label(c) if _known(c) else c for c in out.columns]
    if out.columns.name is not None:
        out.columns.name = None
    return out


def _known(name: object) -> bool:
    from .kpis import REGISTRY

    text = str(name)
    return any(text in d for d in (GROUP_NAMES, COLUMN_LABELS, PLACEHOLDERS, REGISTRY))


def table(
    df: pd.DataFrame,
    caption: str | None = None,
    index: bool = False,
    float_format: str | Callable[[float], str] | None = None,
    units: Mapping[str, str] | None = None,
) -> HTML:
    """An HTML table of ``df`` with every cell and header escaped and every number
    written by its unit (:func:`formatted`; ``units`` names the unit of columns it cannot
    know).

    Numbers without a unit: counts (integers, or floats that are all whole) with the
    locale's thousands separators and no decimals, others by ``float_format`` (a
    ``str.format`` pattern or a function of the number), by default two decimals
    (``1,234.50``). Missing values are ``–``.

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
    """
    if df is None or df.empty:
        return HTML(f"<p><em>{html.escape(_('Nothing to show.'))}</em></p>")
    if float_format is None:
        formatter = _two_decimals
    elif callable(float_format):
        formatter = float_format
    else:
        formatter = float_format.format
    shown = _format_numbers(formatted(df, units), formatter)
    body = shown.to_html(
        index=index,
        escape=True,
        border=0,
        na_rep="–",
        classes="csm-table",
    )
    cap = f"<p><strong>{html.escape(caption)}</strong></p>" if caption else ""
    return HTML(cap + body)


def _two_decimals(x: float) -> str:
    return i18n.number(x, 2)


def _format_numbers(df: pd.DataFrame, formatter: Callable[[float], str]) -> pd.DataFrame:
    """Number columns without a unit as text in the locale: counts (integers, or a float
    column of whole numbers) whole with thousands separators (not ids, years or hours),
    other numbers by ``formatter``; missing values stay missing (shown as ``–``)."""
    out = df.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        name = str(out.columns[i]).lower()
        if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
            continue
        if pd.api.types.is_integer_dtype(col):
            if name.endswith("id") or name in ("year", "hour", "weekday"):
                continue  # identifiers stay as they are
            fmt: Callable[[float], str] = _whole
        else:
            vals = col.dropna().to_numpy(dtype=float)
            whole = vals.size and np.isfinite(vals).all() and (vals == np.round(vals)).all()
            fmt = _whole if whole else formatter
        out.isetitem(i, col.map(lambda x, f=fmt: None if pd.isna(x) else f(x)).astype(object))
    return out


def _whole(x: float) -> str:
    return format_value(x, "count")


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with a single quote.

    Examples
    --------
    >>> neutralise_formula("=1+1"), neutralise_formula("@SUM(A1)"), neutralise_formula(-3)
    ("'=1+1", "'@SUM(A1)", -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot run as spreadsheet formulas."""
    out = df.copy()
    for col in out.columns:
        dtype = out[col].dtype
        if isinstance(dtype, pd.CategoricalDtype):  # categories are text like any other
            out[col] = out[col].astype(object).map(neutralise_formula)
        elif pd.api.types.is_object_dtype(dtype) or str(dtype) in ("str", "string"):
            out[col] = out[col].map(neutralise_formula)
    return out
