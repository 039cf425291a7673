"""Names people read: groupings, column headers, units and the package's placeholders.

Every dictionary maps an id the code uses to an ``N_``-marked English message; the
functions translate it into the language given (``lang``, by default the current one).
"""

from __future__ import annotations

from .. import i18n
from ..i18n import N_

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


def unit_label(unit: object, *, currency: str | None = None, lang: str | None = None) -> object:
    """A KPI unit as people read it: ``%``, ``hours``…, amounts as the symbol of
    ``currency`` (default: the configured one, :func:`csmetrics.i18n.set_currency`).

    Examples
    --------
    >>> unit_label("share"), unit_label("h", lang="pt"), unit_label("currency", currency="PLN")
    ('%', 'horas', 'PLN')
    """
    if unit == "currency":
        return i18n.currency_symbol(currency, lang=lang)
    return i18n.translate(UNIT_LABELS[unit], lang) if unit in UNIT_LABELS else unit


def column_label(name: object, *, lang: str | None = None) -> str:
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
    for names in (GROUP_NAMES, COLUMN_LABELS, PLACEHOLDERS):
        if text in names:
            return i18n.translate(names[text], lang)
    from ..kpis import REGISTRY

    if text in REGISTRY:
        return _kpi_label(text, lang)
    return text.replace("_", " ")


def kpi_label(kpi: object, *, lang: str | None = None) -> object:
    """A KPI id as people read it (its label in ``lang``); anything else unchanged.

    Examples
    --------
    >>> kpi_label("fcr_rate"), kpi_label("site")
    ('First-contact resolution', 'site')
    """
    from ..kpis import REGISTRY

    return _kpi_label(str(kpi), lang) if kpi in REGISTRY else kpi


def _kpi_label(kpi: str, lang: str | None) -> str:
    from ..kpis import REGISTRY

    k = REGISTRY[kpi]
    return k.label if lang is None else i18n.translate(k.label_en, lang)


def shown_value(value: object, *, lang: str | None = None) -> object:
    """A cell value as shown to people: the package's placeholders (``(missing)``...)
    translated; anything else (data) unchanged.

    Examples
    --------
    >>> shown_value("(missing)", lang="pt"), shown_value("chat")
    ('(sem valor)', 'chat')
    """
    if isinstance(value, str) and value in PLACEHOLDERS:
        return i18n.translate(PLACEHOLDERS[value], lang)
    return value


def known_column(name: object) -> bool:
    """Whether a column name is one of the package's (a grouping, a known column, a
    placeholder or a KPI id), so that :func:`column_label` names it."""
    from ..kpis import REGISTRY

    text = str(name)
    return any(text in d for d in (GROUP_NAMES, COLUMN_LABELS, PLACEHOLDERS, REGISTRY))
