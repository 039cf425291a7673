"""Safe display helpers for notebooks: every value from the data is HTML-escaped.

pandas' ``Styler`` does not escape cell text by default, so the notebooks show tables
through :func:`table`, which always does. :func:`labelled` gives a table the headers
people read (translated) instead of the column names the code uses.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from IPython.display import HTML, Markdown

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

#: Placeholders the package puts in group columns (not data: shown translated).
PLACEHOLDERS = {
    # Translators: a group value that is missing in the data
    "(missing)": N_("(missing)"),
    # Translators: a cost line not attributed to a channel, category or team
    "(not attributed)": N_("(not attributed)"),
}


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
) -> pd.DataFrame:
    """A copy of ``df`` to display: headers people read instead of column names.

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
    [{'KPI': 'First-contact resolution', '95% interval, low': 0.5, 'low sample': 'no'}]
    """
    from .kpis import REGISTRY

    out = df.copy()
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
) -> HTML:
    """An HTML table of ``df`` with every cell and header escaped.

    ``float_format``: a ``str.format`` pattern (``"{:.1f}"``) or a function of the
    number; by default two decimals with the locale's separators (``1,234.50``).

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
    """
    if df is None or df.empty:
        return HTML(f"<p><em>{html.escape(_('Nothing to show.'))}</em></p>")
    if float_format is None:
        formatter = _two_decimals
    elif callable(float_format):
        formatter = float_format
    else:
        formatter = float_format.format
    body = _format_floats(df, formatter, whole_numbers=float_format is None).to_html(
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


def _format_floats(
    df: pd.DataFrame, formatter: Callable[[float], str], whole_numbers: bool
) -> pd.DataFrame:
    """Number columns as text in the locale: ``formatter`` for each float, or no decimals
    for a column of whole numbers (counts stored as floats) when ``whole_numbers``;
    integer counts with thousands separators (not ids, years or hours); missing values
    stay missing (shown as ``–``)."""
    out = df.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        name = str(out.columns[i]).lower()
        if (
            pd.api.types.is_integer_dtype(col)
            and not pd.api.types.is_bool_dtype(col)
            and not name.endswith("id")
            and name not in ("year", "hour", "weekday")
        ):
            # counts get the locale's thousands separator; identifiers stay as they are
            out.isetitem(i, col.map(lambda x: None if pd.isna(x) else i18n.number(x, 0)))
            continue
        if not pd.api.types.is_float_dtype(col):
            continue
        vals = col.dropna().to_numpy(dtype=float)
        whole = (
            whole_numbers
            and vals.size
            and np.isfinite(vals).all()
            and (vals == np.round(vals)).all()
        )
        fmt = (lambda x: i18n.number(x, 0)) if whole else formatter
        out.isetitem(i, col.map(lambda x, f=fmt: None if pd.isna(x) else f(x)).astype(object))
    return out


#: A Markdown link (inline ``](...)`` or a reference definition ``[x]: ...``) whose
#: target is a script or data URL. HTML-escaping a value from the data does not touch
#: ``[x](javascript:...)``, and the Markdown renderer would make it a live link.
_UNSAFE_LINK = re.compile(
    r"(?P<open>\]\(|^[ ]{0,3}\[[^\]\n]*\]:)(?=\s*<?\s*(?:javascript|vbscript|data|file)\s*:)",
    re.IGNORECASE | re.MULTILINE,
)


def markdown(text: str) -> Markdown:
    """Markdown written by the package (values from data must already be escaped).

    Link syntax pointing to a ``javascript:``, ``vbscript:``, ``data:`` or ``file:`` URL
    (which only data can bring) is shown as plain text rather than made a link.

    Examples
    --------
    >>> markdown("worst team: [x](javascript:alert(1))").data
    'worst team: [x]\\\\(javascript:alert(1))'
    """
    return Markdown(_UNSAFE_LINK.sub(_defuse_link, text))


def _defuse_link(match: re.Match) -> str:
    opening = match.group("open")
    # "](" -> "]\(" ; "[x]:" -> "[x]\:": no longer Markdown link syntax
    return opening[:-1] + "\\" + opening[-1]


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
