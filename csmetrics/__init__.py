"""csmetrics: measure a customer-service program and judge whether it is worth its cost.

>>> import csmetrics as cm
>>> wb = cm.load("data/sample")          # doctest: +SKIP
>>> print(wb.quality.render_text())      # doctest: +SKIP
"""

__version__ = "0.1.0"

from .config import Config, load_config
from .errors import ConfigError, CsmetricsError, DataError
from .load import Workbook, from_frames, load
from .periods import Period
from .prepare import Prepared, prepare

__all__ = [
    "Config",
    "ConfigError",
    "CsmetricsError",
    "DataError",
    "Period",
    "Prepared",
    "Workbook",
    "__version__",
    "from_frames",
    "load",
    "load_config",
    "prepare",
]
