"""One kernel for the notebooks a process runs one after another.

Starting a kernel costs a new Python and its imports (pandas, SciPy, matplotlib, seaborn,
csmetrics: about 2.5 s of CPU, as much as a section's own work). A report's notebooks
run in turn in a process (the run itself with ``--jobs 1``, each worker of the pool
otherwise) share one kernel through a :class:`NotebookRunner`:

- the runner's thread starts the kernel with the first notebook and owns it, so that the
  kernel's ``PR_SET_PDEATHSIG`` parent (the thread that started it) lives as long as the
  kernel is used;
- each notebook starts with :data:`FRESH_NAMESPACE`, a first cell that empties the
  kernel's namespace and numbers the cells from 1 again, and that is removed from the
  executed notebook (:func:`drop_fresh_namespace_cell`): every notebook runs as in a
  kernel of its own, except that the modules it imports are already imported;
- a kernel that failed in any other way than a cell raising (it died, did not start, a
  cell ran past its time limit) is shut down, and the next notebook starts another one.

The runner's thread keeps nbclient off the main thread (nbclient, run in the main thread,
takes SIGINT and SIGTERM over); it is recorded with the notebook threads, so that a
stopped run kills its kernel and waits for it like any other.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import nbformat

from . import report_processes

#: Tag of the first cell that gives each notebook an empty namespace in a shared kernel.
FRESH_NAMESPACE_TAG = "csmetrics-fresh-namespace"
#: That cell's code: IPython's reset (the namespace, the history, ``Out``), the state a
#: new kernel has (:func:`fresh_kernel_state`), then the next cell numbered 1 again.
FRESH_NAMESPACE = (
    "get_ipython().reset(new_session=True)\n"
    "from csmetrics.report_kernel import fresh_kernel_state\n"
    "fresh_kernel_state()\n"
    "del fresh_kernel_state\n"
    "get_ipython().execution_count = 1"
)

#: matplotlib's settings in this kernel before its first notebook (see below).
_FIRST_RC: dict[str, Any] = {}


def fresh_kernel_state() -> None:
    """In a kernel, before a notebook: the module state a new kernel would have.

    The language and the currency go back to their defaults; matplotlib's settings (but
    the backend's own) and the warning filters to what they were before the kernel's
    first notebook; pandas' options to their defaults; numpy's global generator is seeded
    afresh. A notebook thus reads nothing an earlier one set through these, whichever
    notebooks a worker happened to run before it; modules keep what they cache.
    """
    import warnings

    import matplotlib as mpl
    import numpy as np
    import pandas as pd

    from . import i18n

    if not _FIRST_RC:
        _FIRST_RC.update(mpl.rcParams.copy())
        _FIRST_WARNINGS[:] = warnings.filters
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated keys are stored too
            # the inline backend switches interactive mode on in the first notebook
            mpl.rcParams.update({k: v for k, v in _FIRST_RC.items() if k not in _KEPT_RC})
        warnings.resetwarnings()  # also forgets which warnings were already shown
        warnings.filters[:] = _FIRST_WARNINGS
        warnings.onceregistry.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # resetting deprecated options warns
        pd.reset_option("all")
    np.random.seed(None)  # noqa: NPY002  (the legacy global generator, as a new kernel)
    i18n.set_language(None)
    i18n.set_currency(None)


#: Settings of matplotlib the inline backend owns: left as they are.
_KEPT_RC = ("backend", "interactive")
#: The warning filters of this kernel before its first notebook.
_FIRST_WARNINGS: list = []


def with_fresh_namespace_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` with :data:`FRESH_NAMESPACE` as its first cell; in a notebook without a
    cell tagged ``parameters`` that cell carries the tag, so that papermill injects the
    parameters after it (else it would put them first, and the reset would empty them)."""
    cell = nbformat.v4.new_code_cell(FRESH_NAMESPACE)
    cell.metadata["tags"] = [FRESH_NAMESPACE_TAG]
    if not any("parameters" in c.metadata.get("tags", []) for c in nb.cells):
        cell.metadata["tags"].append("parameters")
    nb.cells.insert(0, cell)
    return nb


def drop_fresh_namespace_cell(path: Path) -> None:
    """Remove the :data:`FRESH_NAMESPACE` cell from the executed notebook at ``path``.

    Nothing when the file is missing (the notebook did not start) or cannot be read (a
    notebook cut off as it was written): the page then shows what papermill wrote.
    """
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # missing, cut off: rendering the page reports it
        return
    kept = [c for c in nb.cells if FRESH_NAMESPACE_TAG not in c.metadata.get("tags", [])]
    if len(kept) != len(nb.cells):
        nb.cells = kept
        nbformat.write(nb, path)


class NotebookRunner:
    """A thread that runs jobs one after another with one kernel manager.

    ``call(job)`` runs ``job(runner)`` in the runner's thread and returns its result (or
    raises its exception); the job asks :meth:`kernel_manager` for the kernel.
    """

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._km: Any = None
        self._thread = threading.Thread(target=self._serve, name="csmetrics-kernel", daemon=True)
        report_processes.watch_notebook_thread(self._thread)
        self._thread.start()

    def call(self, job: Callable[[NotebookRunner], Any]) -> Any:
        """``job(self)`` in the runner's thread, waited for (a signal interrupts the wait:
        its handler raises here, and the stopped run kills the kernel)."""
        box: dict[str, Any] = {}
        done = threading.Event()
        self._jobs.put((job, box, done))
        done.wait()
        if "error" in box:
            raise box["error"]
        return box.get("result")

    def close(self, wait_s: float = 0.0) -> None:
        """Shut the kernel down (politely: it ends as after a notebook of its own) and end
        the thread, after the job it runs (if any); wait up to ``wait_s`` for that."""
        self._jobs.put(None)
        if wait_s > 0:
            self._thread.join(wait_s)

    def kernel_manager(self, kernel_name: str) -> Any:
        """The runner's kernel manager (in the runner's thread): the one of the notebook
        before if its kernel still runs, else a new one whose kernel nbclient starts."""
        if self._km is not None and not _wait(self._km.is_alive()):
            self.discard()
        if self._km is None:
            self._km = report_processes.kernel_manager_class()(kernel_name=kernel_name)
        return self._km

    def call_soon(self, job: Callable[[NotebookRunner], Any]) -> None:
        """``job(self)`` in the runner's thread, not waited for (its outcome is dropped:
        the job handles its own failures)."""
        self._jobs.put((job, {}, threading.Event()))

    def after_notebook(self, failed: BaseException | None) -> None:
        """Close the kernel clients the notebook used; shut the kernel down unless the
        notebook ended normally or with a cell's own error (the kernel is then idle)."""
        km = self._km
        if km is None:
            return
        clients = km.__dict__.get("report_clients", [])
        for client in clients:
            with suppress(Exception):
                client.stop_channels()
        clients.clear()
        if failed is not None and type(failed).__name__ != "PapermillExecutionError":
            self.discard(now=True)

    def discard(self, now: bool = True) -> None:
        """Shut the kernel down (``now``: at once, else by asking it first) and forget it."""
        km, self._km = self._km, None
        if km is None:
            return
        with suppress(Exception):
            _wait(km.shutdown_kernel(now=now))
        with suppress(Exception):
            _wait(km.cleanup_resources())

    def _serve(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                self.discard(now=False)
                return
            fn, box, done = job
            try:
                box["result"] = fn(self)
            except BaseException as exc:  # handed to the waiting thread
                box["error"] = exc
            finally:
                done.set()


def _wait(value: Any) -> Any:
    """The value of ``value``, awaited in this thread's event loop if it is awaitable
    (the loop nbclient uses in the same thread)."""
    import inspect

    if not inspect.isawaitable(value):
        return value
    from jupyter_core.utils import run_sync

    async def awaited() -> Any:
        return await value

    return run_sync(awaited)()


#: This process's runner, by process id and the work folder of its run.
_RUNNERS: dict[tuple[int, Path], NotebookRunner] = {}


def notebook_runner(work: Path) -> NotebookRunner:
    """This process's runner for the run whose work folder is ``work`` (the kernel's
    working directory and the home of its connection file): a runner of another run is
    closed, and a forked worker gets its own, not its parent's copy."""
    key = (os.getpid(), Path(work))
    if key not in _RUNNERS:
        for other in [k for k in _RUNNERS if k[0] == key[0]]:
            _RUNNERS.pop(other).close()
        _RUNNERS.clear()  # what is left was inherited from a parent process: not ours
        _RUNNERS[key] = NotebookRunner()
    return _RUNNERS[key]


def close_notebook_runner(wait_s: float = 0.0) -> None:
    """Shut this process's kernel down (its runner ends after its current job); wait up
    to ``wait_s`` for that."""
    for key in [k for k in _RUNNERS if k[0] == os.getpid()]:
        _RUNNERS.pop(key).close(wait_s)


def _close_at_worker_exit() -> None:
    """A notebook worker's kernel is shut down as the worker ends (the pool ends with
    its run), not killed with it."""
    close_notebook_runner(wait_s=10.0)


report_processes.at_worker_exit(_close_at_worker_exit)
