"""KPIs: the registry (one definition per measure) and the engine that computes them.

The package's modules, in the order imports run:

- :mod:`~csmetrics.kpis.base`: the KPI definition, its context, its result, :class:`Ratio`;
- :mod:`~csmetrics.kpis.custom`, :mod:`~csmetrics.kpis.staffing`: the custom pieces
  KPIs plug in (Kaplan–Meier median, MTBF, NPS, retention; Erlang C, agents staffed);
- :mod:`~csmetrics.kpis.families`: median / 90th percentile / mean families;
- :mod:`csmetrics.kpis.catalogue` (``effectiveness``, ``cost``, ``experience``,
  ``channels``): the definitions, one module per category;
- :mod:`~csmetrics.kpis.registry`: the definitions in registry order, ``get``;
- :mod:`~csmetrics.kpis.frames`, :mod:`~csmetrics.kpis.scope`,
  :mod:`~csmetrics.kpis.records`, :mod:`~csmetrics.kpis.queries`,
  :mod:`~csmetrics.kpis.combine`, :mod:`~csmetrics.kpis.monthly`: the engine's parts;
- :mod:`~csmetrics.kpis.engine`: :func:`compute`.

>>> import csmetrics as cm
>>> from csmetrics.kpis import compute
>>> p = cm.prepare(cm.load("data/sample"))                 # doctest: +SKIP
>>> compute(p, "2026-10", by=["channel"], kpis=["fcr_rate"])  # doctest: +SKIP
"""

from .base import KPI, Result
from .engine import compute
from .registry import CATEGORIES, REGISTRY, SOURCES, direction, get, public_kpis, registry_frame

__all__ = [
    "CATEGORIES",
    "KPI",
    "REGISTRY",
    "SOURCES",
    "Result",
    "compute",
    "direction",
    "get",
    "public_kpis",
    "registry_frame",
]
