"""csmetrics: measure a customer-service program and judge whether it is worth its cost.

The data flows one way: :func:`load` reads a data folder into validated canonical
tables, :func:`prepare` adds what every measure needs (local months, durations, contact
history), :func:`compute` measures KPIs of the catalogue :mod:`csmetrics.kpis` for a
:class:`Period`, :func:`evaluate` answers the checklist and writes findings and
recommendations, and :func:`run_report` runs it all into an HTML report.

``csmetrics.load``, ``csmetrics.prepare`` and ``csmetrics.evaluate`` are these functions;
their modules are reached with ``from csmetrics.evaluate import model`` (or
``import csmetrics.evaluate.model``), not as attributes.

Examples
--------
>>> import csmetrics as cm
>>> wb = cm.load("data/sample")                                  # doctest: +SKIP
>>> prepared = cm.prepare(wb)                                    # doctest: +SKIP
>>> period = cm.Period.parse("2026-10", wb.config.timezone)      # doctest: +SKIP
>>> cm.compute(prepared, period, by=["channel"], kpis=["fcr_rate"])  # doctest: +SKIP
>>> cm.evaluate(prepared, period).recommendations                # doctest: +SKIP
>>> cm.run_report("data/sample", period="2026-10", out="reports/2026-10")  # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import TYPE_CHECKING, Any

from . import kpis
from .config import Config, load_config
from .errors import ConfigError, CsmetricsError, DataError
from .evaluate import evaluate
from .kpis import compute
from .load import Workbook, from_frames, load
from .periods import Period
from .prepare import Prepared, prepare

if TYPE_CHECKING:
    from .report import run_report

__all__ = [
    "Config",
    "ConfigError",
    "CsmetricsError",
    "DataError",
    "Period",
    "Prepared",
    "Workbook",
    "__version__",
    "compute",
    "evaluate",
    "from_frames",
    "kpis",
    "load",
    "load_config",
    "prepare",
    "run_report",
]


def __getattr__(name: str) -> Any:
    """``run_report`` is imported on first use: the report machinery (papermill,
    nbconvert, kernels) is not needed to measure KPIs."""
    if name == "run_report":
        from .report import run_report

        return run_report
    raise AttributeError(f"module 'csmetrics' has no attribute {name!r}")
