"""The KPI registry: every measure, defined once.

Each entry carries its id (a public contract), label, category, unit, direction
(is higher or lower better), the article it comes from and a one-line formula; the
notebooks, the command line, the checklist, the charts and the README's KPI table
all read from here. Period membership follows DESIGN.md: volume, first-response and
first-contact measures use tickets *created* in the period, resolution times tickets
*resolved* in it, calls their arrival, surveys their answer (response rate: their
sending), monthly tables their month. Repeat contacts, channel switching and the cost
per contact count contacts by one rule, :data:`csmetrics.prepare.CONTACTS_DOC`: a phone
ticket and the answered call it came from are one contact.

The definitions live in :mod:`csmetrics.kpis.catalogue`, one module per category; this
module puts them in registry order, which is a public contract: it is the order of
``kpis.json``, ``kpis.csv`` and the report's tables.

>>> get("fcr_rate").category
'effectiveness'
>>> get("fcr_rat")
Traceback (most recent call last):
...
csmetrics.errors.CsmetricsError: unknown KPI 'fcr_rat'; did you mean 'fcr_rate'?
"""

from __future__ import annotations

import difflib

import pandas as pd

from ..errors import CsmetricsError
from .base import KPI, Ctx, H, Result, empty_result
from .catalogue import channels, cost, effectiveness, experience
from .staffing import erlang_by_hour, open_slots, slot_occurrences

__all__ = [
    "CATALOGUE",
    "CATEGORIES",
    "KPI",
    "REGISTRY",
    "SOURCES",
    "Ctx",
    "H",
    "Result",
    "direction",
    "empty_result",
    "erlang_by_hour",
    "get",
    "open_slots",
    "public_kpis",
    "registry_frame",
    "slot_occurrences",
]

SOURCES = {
    "000": "Aplicação prática: coleta de métricas de atendimento ao cliente (pt)",
    "001": "KPIs de serviço ao cliente para medir o desempenho (pt)",
    "002": "Nuove informazioni sulle metriche del servizio clienti (it)",
    "003": "Métricas de éxito del servicio al cliente (es)",
    "004": "Metryki doskonałości obsługi klienta (pl)",
}
CATEGORIES = ("effectiveness", "cost", "experience", "channels")

CATALOGUE: list[KPI] = [
    *effectiveness.TICKETS,
    *effectiveness.CALLS,
    *effectiveness.INCIDENTS,
    # staffing and employee performance: staffed hours, the tickets resolved per staffed
    # hour, then the agents staffed and required
    *cost.STAFFED_HOURS,
    *effectiveness.EMPLOYEE_PERFORMANCE,
    *cost.STAFFING,
    *cost.COSTS,
    *experience.EXPERIENCE,
    *channels.CHANNELS,
]

REGISTRY: dict[str, KPI] = {k.id: k for k in CATALOGUE}
if len(REGISTRY) != len(CATALOGUE):  # pragma: no cover - guards the catalogue itself
    raise RuntimeError("duplicate KPI id in the catalogue")


def get(kpi_id: str) -> KPI:
    """The registry entry of ``kpi_id`` (a clear error for an unknown id).

    Parameters
    ----------
    kpi_id : str
        A KPI id of :data:`REGISTRY`.

    Returns
    -------
    KPI
        Its definition; :class:`~csmetrics.errors.CsmetricsError` (with the closest id,
        if any) for an unknown id.
    """
    try:
        return REGISTRY[kpi_id]
    except KeyError:
        hint = difflib.get_close_matches(kpi_id, list(REGISTRY), n=1)
        extra = f"; did you mean {hint[0]!r}?" if hint else ""
        raise CsmetricsError(f"unknown KPI {kpi_id!r}{extra}") from None


def public_kpis() -> list[KPI]:
    """The KPIs users see (internal building blocks left out)."""
    return [k for k in CATALOGUE if not k.internal]


def direction(kpi: KPI, config=None) -> str:
    """The KPI's direction, with the CES direction taken from the configuration."""
    if kpi.id == "ces_mean" and config is not None and not config.ces.lower_is_better:
        return "higher"
    return kpi.direction


def registry_frame() -> pd.DataFrame:
    """The public registry as a table (id, label, category, unit, direction, source, formula)."""
    return pd.DataFrame(
        [
            {
                "id": k.id,
                "label": k.label,
                "category": k.category,
                "unit": k.unit,
                "direction": k.direction,
                "source": k.source,
                "formula": k.formula,
            }
            for k in public_kpis()
        ]
    )
