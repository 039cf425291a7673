"""KPIs: the registry (one definition per measure) and the engine that computes them.

>>> import csmetrics as cm
>>> from csmetrics.kpis import compute
>>> p = cm.prepare(cm.load("data/sample"))                 # doctest: +SKIP
>>> compute(p, "2026-10", by=["channel"], kpis=["fcr_rate"])  # doctest: +SKIP
"""

from .engine import KPI, Result, compute
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
