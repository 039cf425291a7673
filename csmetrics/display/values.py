"""Numbers as people read them: each value written by its unit, in the report's locale.

:func:`format_value` is the one formatter of every table, sentence and scorecard cell;
:func:`formatted` applies it to the number columns of a frame whose unit it knows.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .. import i18n
from ..i18n import N_

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


def _missing(value: object) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_value(
    value: object,
    unit: object,
    currency: str | None = None,
    change: bool = False,
    *,
    lang: str | None = None,
) -> str:
    """A value with its unit, for people, in the report's locale: the one formatter of
    every table, sentence and scorecard cell (:mod:`csmetrics.i18n` formats).

    Shares as percentages with one decimal; amounts in ``currency``; hours and seconds
    with their unit, two decimals below 100, none above; counts (``tickets``, ``calls``,
    ``customers``, ``count``) whole with thousands separators; agents with one decimal,
    scores, points and tickets per hour with two. A missing value is ``–``. With
    ``change``, a signed difference: shares in percentage points (``+2.1 pp``), other
    units signed (``-1.50 h``, ``+€0.27``).

    Parameters
    ----------
    value : float
        The number (a share as 0–1).
    unit : str
        A KPI unit of :mod:`csmetrics.kpis.registry` or a unit of :data:`COLUMN_UNITS`.
    currency : str, optional
        ISO 4217 code of amounts (default: :func:`csmetrics.i18n.set_currency`'s).
    change : bool
        Whether ``value`` is a change between two values (shown signed).
    lang : str, optional
        The language or locale (``pt``, ``pt_PT``); by default the current one.

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
    >>> format_value(0.618, "share", lang="it"), format_value(1234.6, "h", lang="it")
    ('61,8%', '1.235 h')
    >>> format_value(0.021, "share", change=True), format_value(-1.5, "h", change=True)
    ('+2.1 pp', '-1.50 h')
    >>> format_value(0.27, "currency", "EUR", change=True), format_value(3, "tickets", change=True)
    ('+€0.27', '+3')
    """
    if _missing(value):
        return "–"
    x = float(value)  # type: ignore[arg-type]
    if unit == "share":
        return _share(x, change, lang)
    if unit == "currency":
        return _amount(x, currency or i18n.get_currency(), change, lang)
    return _quantity(x, unit, change, lang)


def _quantity(x: float, unit: object, change: bool, lang: str | None) -> str:
    """Hours and seconds with their unit (two decimals below 100, none above); other
    units with their decimals (:data:`UNIT_DECIMALS`, counts none)."""
    decimals = 2 if unit in ("h", "s") and abs(x) < 100 else UNIT_DECIMALS.get(str(unit), 0)
    text = i18n.number(x, decimals, signed=change, lang=lang)
    return f"{text} {unit}" if unit in ("h", "s") else text


def _share(x: float, change: bool, lang: str | None) -> str:
    """A share as a percentage, or a change of shares in percentage points."""
    if not change:
        return i18n.percent(x, 1, lang=lang)
    # Translators: "pp" = percentage points; {value} is a signed number such as +2.1
    points = i18n.translate(N_("{value} pp"), lang)
    return points.format(value=i18n.number(x * 100, 1, signed=True, lang=lang))


def _amount(x: float, currency: str, change: bool, lang: str | None) -> str:
    """An amount in ``currency``; a change signed (``±`` when it rounds to nothing)."""
    amount = i18n.currency(abs(x) if change else x, currency, lang=lang)
    if not change:
        return amount
    if round(x, 2) == 0:  # a change that rounds to nothing
        return "±" + amount
    return ("-" if x < 0 else "+") + amount


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
    from ..kpis import REGISTRY

    k = REGISTRY.get(kpi)
    if k is None or k.kind != "ratio" or not k.ratio:
        return True
    return all(d in REGISTRY and REGISTRY[d].unit in COUNT_UNITS for d in ratio_parts(k)[1])


def ratio_parts(kpi: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``(numerator ids, denominator ids)`` of a ratio KPI (empty for another kind),
    whether the registry spells its ratio as a pair or as a ``Ratio``."""
    ratio = getattr(kpi, "ratio", None)
    if not ratio:
        return (), ()
    if hasattr(ratio, "denominator"):
        return tuple(ratio.numerator), tuple(ratio.denominator)
    return tuple(ratio[0]), tuple(ratio[1])


def shown_n(kpi: str, n: object, *, lang: str | None = None) -> str:
    """``n`` of a KPI as shown in tables: a whole count, or empty where the KPI's ``n``
    counts no observations (:func:`counts_observations`) or is missing.

    Examples
    --------
    >>> shown_n("tickets_created", 5117.0), shown_n("cost_to_revenue", 392078.34)
    ('5,117', '')
    """
    if _missing(n) or not counts_observations(kpi):
        return ""
    return format_value(n, "count", lang=lang)


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
    from ..kpis import REGISTRY

    text = str(name)
    if units and text in units:
        return units[text]
    if text in REGISTRY:
        return REGISTRY[text].unit
    return COLUMN_UNITS.get(text)


def formatted(
    df: pd.DataFrame,
    units: Mapping[str, str] | None = None,
    currency: str | None = None,
    *,
    lang: str | None = None,
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
    out = df.copy()
    row_units = _row_units(out)
    for i in range(out.shape[1]):
        name = out.columns[i]
        col = out.iloc[:, i]
        if not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col):
            continue
        if row_units is not None and name in ROW_UNIT_COLUMNS:
            pairs = zip(col, row_units, strict=True)
            text = [format_value(v, u, currency, lang=lang) for v, u in pairs]
        elif name == "n" and "kpi" in out.columns:
            text = [shown_n(k, v, lang=lang) for k, v in zip(out["kpi"], col, strict=True)]
        else:
            unit = column_unit(name, units)
            if unit is None:
                continue
            text = [format_value(v, unit, currency, lang=lang) for v in col]
        out.isetitem(i, pd.Series(text, index=out.index, dtype=object))
    return out


def _row_units(df: pd.DataFrame) -> pd.Series | None:
    """The unit of each row of KPI records: its ``unit`` column, else its KPI's unit;
    None for a frame that is no KPI records."""
    from ..kpis import REGISTRY

    if "unit" in df.columns:
        return df["unit"]
    if "kpi" in df.columns:
        return df["kpi"].map(lambda k: REGISTRY[k].unit if k in REGISTRY else None)
    return None
