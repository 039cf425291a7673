"""The data of a report run, loaded and prepared once, handed to every notebook.

``csmetrics report`` loads and prepares the data folder once, writes both into the run's
own work folder (:func:`write_handoff`), and gives each notebook the file's path as its
``handoff`` parameter; :func:`read_handoff` reads it back in the kernel in a fraction
of a second, where loading and preparing again took seconds per notebook. The file is
pickled Python objects: it is read only from the run's work folder, which the run
created and removes, and it carries a header naming the csmetrics version that wrote it.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from . import __version__
from .errors import CsmetricsError
from .kpis.memo import keep_results, kept_results
from .load import Workbook
from .prepare import Prepared

#: Name of the hand-off file in the run's work folder.
HANDOFF_FILE = ".handoff.pickle"
_HEADER = "csmetrics-handoff"
#: ``[file key, (workbook, prepared)]`` of the hand-off last read in this process
_LAST: list = []


def write_handoff(folder: str | Path, wb: Workbook, prepared: Prepared) -> Path:
    """Write ``wb`` and ``prepared`` into ``folder``, with the KPI results already
    measured on ``prepared`` (:func:`csmetrics.kpis.memo.kept_results`: the report's
    scorecard measures every KPI of the period and the months of its trends before the
    notebooks run, and they reuse those results); returns the file's path."""
    path = Path(folder) / HANDOFF_FILE
    found = (_HEADER, __version__, wb, prepared, kept_results(prepared))
    with open(path, "wb") as f:
        pickle.dump(found, f, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def read_handoff(path: str | Path) -> tuple[Workbook, Prepared]:
    """The workbook and prepared data :func:`write_handoff` wrote to ``path``.

    The notebooks of one run share a kernel (:mod:`csmetrics.report_kernel`): the file
    last read is read again only when it changed (another path, size, modification time
    or inode), and the notebooks share its objects, which they only read. KPI results
    are reused on the prepared data (:func:`csmetrics.kpis.memo.keep_results`): the
    sections ask for the same KPI of the same month many times.

    Raises
    ------
    CsmetricsError
        The file is not a hand-off of this version of csmetrics.
    """
    st = os.stat(path)
    key = (str(Path(path).resolve()), st.st_size, st.st_mtime_ns, st.st_ino)
    if _LAST and _LAST[0] == key:
        return _LAST[1]
    with open(path, "rb") as f:
        found = pickle.load(f)
    if not (isinstance(found, tuple) and len(found) == 5 and found[0] == _HEADER):
        raise CsmetricsError(f"{path}: not a csmetrics report hand-off file")
    if found[1] != __version__:
        raise CsmetricsError(f"{path}: written by csmetrics {found[1]}, not {__version__}")
    keep_results(found[3], found[4])
    _LAST[:] = [key, (found[2], found[3])]
    return found[2], found[3]
