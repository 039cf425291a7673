"""The monthly report: execute the notebooks with papermill, render them to HTML.

``run_report`` loads the data once (so bad data stops the run before any notebook
starts), executes every notebook of :data:`SECTIONS` with its parameters, renders
each to self-contained HTML with the code hidden, and writes ``index.html`` linking
them. Work happens in a temporary folder beside the target, moved into place at the
end, so a half-written report never replaces a finished one. A finished report is
only replaced with ``force=True``.

Reports are never lost and runs leave nothing behind:

- a lock file beside the target (``.<name>.lock``, held with :func:`fcntl.flock` for
  the whole run and released by the operating system when the process dies) keeps a
  second run off the same folder;
- with ``force`` the old report is renamed aside, the new one renamed in, and only then
  is the old one deleted; a failed rename puts the old one back;
- SIGINT and SIGTERM stop the notebook workers and their kernels, remove the work
  folder and end the run (exit 130 or 143 from the command line); on Linux workers and
  kernels also die with the run when it is killed outright (``PR_SET_PDEATHSIG``), and
  the next run on the same folder removes the work folder such a run left behind.
"""

from __future__ import annotations

import errno
import html
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pandas as pd

from . import i18n
from .errors import CsmetricsError
from .handoff import write_handoff
from .i18n import N_, _
from .io import json_text
from .load import Workbook, load
from .pages import evaluation_html, failed_page, index_html, render_html, scorecard_html
from .periods import Period, latest_month_with_data
from .prepare import prepare

try:
    import fcntl
except ImportError:  # not POSIX (Windows): no lock, see _TargetLock
    fcntl = None

#: Notebooks of the report, in reading order: (file stem, title, one-line description);
#: title and description are English messages, shown translated.
SECTIONS: list[tuple[str, str, str]] = [
    (
        "evaluation",
        N_("Evaluation summary"),
        N_("The checklist answered with evidence, patterns, what repeats, where to improve, "
           "cost against value, and ranked recommendations."),
    ),
    ("effectiveness", N_("Effectiveness"),
     N_("Response and resolution times, first-contact resolution, backlog, SLA, calls, teams "
        "and agents, product reliability.")),
    ("operational_cost", N_("Operational cost"),
     N_("Cost per contact and per resolution, by channel and category, against revenue; "
        "staffing against demand (Erlang C).")),
    ("customer_experience", N_("Customer experience"),
     N_("CSAT, NPS, effort, survey response, retention and churn, and what customers write.")),
    ("channels", N_("Channels and journeys"),
     N_("Channel mix and requests by channel, peak against regular periods, channel "
        "switching.")),
    ("data_quality", N_("Data quality"),
     N_("What was read, what is wrong with it, and what was left out of which measure.")),
]  # fmt: skip

KERNEL_NAME = "python3"
#: Longest a notebook cell may run: a cell past it (or a kernel that stops answering) is
#: interrupted and its section reported as failed, instead of the run waiting forever.
CELL_TIMEOUT_S = 1800


class ReportExistsError(CsmetricsError):
    """The target folder already holds a finished report and ``force`` was not given."""


class ReportBusyError(CsmetricsError):
    """Another run is writing the same target folder (it holds the target's lock)."""


class ReportWriteError(CsmetricsError):
    """The report cannot be written where asked: the output path is a file, the folder is
    read-only, the disk is full, or the finished report could not be moved into place."""


class ReportInterrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM stopped a run; its workers, kernels and work folder are gone.

    A :class:`KeyboardInterrupt`, so that code which lets Ctrl-C through lets this one
    through too.

    Parameters
    ----------
    signum : int
        The signal received; ``exit_code`` is the shell's code for it (130 for SIGINT,
        143 for SIGTERM).
    """

    def __init__(self, signum: int) -> None:
        self.signum = int(signum)
        self.exit_code = 128 + self.signum
        super().__init__(signal.Signals(self.signum).name)


@dataclass
class SectionResult:
    """Outcome of one notebook (``attempts``: how often its kernel was started)."""

    name: str
    title: str
    ok: bool
    seconds: float
    error: str = ""
    attempts: int = 1


@dataclass
class ReportResult:
    """Outcome of a report run."""

    out: Path
    period: str
    sections: list[SectionResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every notebook ran without error."""
        return all(s.ok for s in self.sections)


def notebooks_dir() -> Path:
    """Folder holding the report notebooks (the checkout's ``notebooks/``)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "notebooks", here / "_notebooks"):
        if candidate.is_dir():
            return candidate
    raise CsmetricsError(f"notebooks folder not found next to {here}")


def default_period(wb: Workbook) -> str:
    """The latest complete month with data (tickets, calls and surveys), as ``YYYY-MM``
    (:func:`csmetrics.periods.latest_month_with_data`)."""
    import pandas as pd

    stamps = []
    for table, col in (("tickets", "created_at"), ("calls", "arrived_at"), ("surveys", "sent_at")):
        if table in wb:
            stamps.append(wb.usable(table)[col].dropna().dt.tz_convert("UTC"))
    if not stamps:
        months = [
            wb[t]["period"].dropna().max()
            for t in ("monthly_metrics", "costs")
            if t in wb and wb[t]["period"].notna().any()
        ]
        if months:
            return max(months)
        raise CsmetricsError("no tickets, calls or surveys: give --period explicitly")
    month = latest_month_with_data(pd.concat(stamps), wb.config.timezone)
    if month is None:
        raise CsmetricsError("the data has no usable timestamps: give --period explicitly")
    return month


#: How often a notebook is started again when its kernel fails to start: it died before
#: replying, or a port it was given was taken meanwhile ("Address already in use").
KERNEL_START_RETRIES = 3
#: Range of the random pause before starting again, in seconds, doubled at each attempt,
#: so that parallel workers whose kernels collided do not start them together again.
KERNEL_START_BACKOFF_S = (0.1, 0.5)

_START_FAILURES = ("Kernel died before replying", "Kernel didn't respond")


def _kernel_failed_to_start(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an exception it wraps) says that a kernel failed to start.

    Kernels started at the same moment by parallel workers may pick the same free TCP
    port: one of them dies before replying, or binding raises ``ZMQError: Address already
    in use``. Starting again is safe, since no cell has run; a cell's own error
    (papermill's ``PapermillExecutionError``) never counts.

    Examples
    --------
    >>> _kernel_failed_to_start(RuntimeError("Kernel died before replying to kernel_info"))
    True
    >>> _kernel_failed_to_start(OSError(errno.EADDRINUSE, "Address already in use"))
    True
    >>> wrapped = RuntimeError("could not start the kernel")
    >>> wrapped.__cause__ = OSError(errno.EADDRINUSE, "Address already in use")
    >>> _kernel_failed_to_start(wrapped)
    True
    >>> _kernel_failed_to_start(RuntimeError("division by zero"))
    False
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if type(exc).__name__ == "PapermillExecutionError":
            return False  # a cell ran and failed: running it again is not harmless
        text = str(exc)
        if (
            getattr(exc, "errno", None) == errno.EADDRINUSE
            or text.startswith(_START_FAILURES)
            or "Address already in use" in text
        ):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _kernel_start_pause(attempt: int) -> float:
    """Seconds to wait before start number ``attempt + 2`` (random, doubling)."""
    low, high = KERNEL_START_BACKOFF_S
    return random.uniform(low, high) * 2**attempt


def _execute(
    name: str, title: str, src: Path, work: Path, params: dict, page_title: str = ""
) -> SectionResult:
    """Execute one notebook into ``work`` and render it.

    The notebook's narrative (markdown) cells are translated into ``params["lang"]``
    before it runs; ``title`` is the section title in that language. A notebook that
    fails, or a page that cannot be rendered, fails its section; the only exception
    raised is an :class:`OSError` writing the page (a full disk, a read-only folder).
    """
    import papermill as pm

    out_nb = work / "notebooks" / f"{name}.ipynb"
    out_html = work / f"{name}.html"
    start = time.perf_counter()
    ok, error, attempts = True, "", 0
    try:
        nb_in = nbformat.read(src, as_version=4)
        with i18n.language(params.get("lang")):
            i18n.translate_markdown_cells(nb_in)
        src = work / "notebooks" / f".{name}.in.ipynb"
        nbformat.write(nb_in, src)
        _KERNEL_FILES_IN[:] = [work / KERNEL_FILES]
        for attempt in range(1 + KERNEL_START_RETRIES):
            attempts += 1
            try:
                _in_thread(
                    pm.execute_notebook,
                    str(src),
                    str(out_nb),
                    parameters=params,
                    kernel_name=KERNEL_NAME,
                    progress_bar=False,
                    execution_timeout=CELL_TIMEOUT_S,
                    # the kernel's own log (ipykernel's notice about TCP transport, or the
                    # "KeyboardInterrupt caught in kernel" line when it is interrupted as it
                    # shuts down) is noise for report readers; cell errors come back
                    # through the messages
                    extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                    log_output=False,
                    cwd=str(work),
                    # kernels that die with this process, and that a stopped run can kill
                    kernel_manager_class=_kernel_manager_class(),
                )
                break
            except Exception as exc:
                if attempt == KERNEL_START_RETRIES or not _kernel_failed_to_start(exc):
                    raise
                time.sleep(_kernel_start_pause(attempt))
    except pm.PapermillExecutionError as exc:
        ok, error = False, f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # kernel died, notebook missing...: report it, don't crash
        ok, error = False, f"{type(exc).__name__}: {exc}"
    finally:
        (work / "notebooks" / f".{name}.in.ipynb").unlink(missing_ok=True)
    lang = params.get("lang") or "en"
    try:
        nb = nbformat.read(out_nb, as_version=4)
        page = render_html(nb, page_title or title, lang=lang)
    except Exception as exc:  # a page that cannot be rendered fails its section
        if ok:
            ok, error = False, f"rendering to HTML failed: {type(exc).__name__}: {exc}"
        try:
            page = failed_page(page_title or title, error or traceback.format_exc(), lang)
        except Exception:  # not even the failure page: plain text, still escaped
            page = _plain_failed_page(page_title or title, error)
    out_html.write_text(page, encoding="utf-8")
    return SectionResult(name, title, ok, time.perf_counter() - start, error, max(attempts, 1))


#: Threads running a notebook (see :func:`_in_thread`).
_NOTEBOOK_THREADS: list[threading.Thread] = []


def _in_thread(fn: Callable, *args: object, **kwargs: object) -> object:
    """``fn(*args, **kwargs)`` in a thread of its own, waited for: returns its result or
    raises its exception.

    nbclient, run in the main thread, takes SIGINT and SIGTERM over while a notebook runs
    (shutting the kernel down and carrying on) and resets them to the defaults when it
    ends, which would leave a stopped run running, or make the next signal kill it
    without cleaning up. In another thread it leaves them alone: the run's handlers get
    the signal, kill the kernel (:func:`_kill_kernels`) and end the run.
    """
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["result"] = fn(*args, **kwargs)
        except BaseException as exc:  # handed to the waiting thread
            box["error"] = exc

    thread = threading.Thread(target=run, name="csmetrics-notebook", daemon=True)
    _NOTEBOOK_THREADS.append(thread)
    try:
        thread.start()
        thread.join()  # a signal interrupts the wait (its handler raises here)
    finally:
        if not thread.is_alive():
            _NOTEBOOK_THREADS.remove(thread)
    if "error" in box:
        raise box["error"]
    return box.get("result")


def _stop_notebook_threads(timeout_s: float = 10.0) -> None:
    """Kill this process's kernels and give the threads that ran them ``timeout_s`` to
    notice and end (papermill writes its output notebook as it fails); a kernel started
    as the run was stopped is killed on the next round."""
    deadline = time.monotonic() + timeout_s
    while True:
        _kill_kernels()
        _NOTEBOOK_THREADS[:] = [t for t in _NOTEBOOK_THREADS if t.is_alive()]
        if not _NOTEBOOK_THREADS or time.monotonic() >= deadline:
            return
        _NOTEBOOK_THREADS[0].join(0.2)


def _plain_failed_page(title: str, error: str) -> str:
    """A minimal page for a failed section, when even the failure template fails.

    Examples
    --------
    >>> "&lt;b&gt;" in _plain_failed_page("<b>", "x")
    True
    """
    csp = "default-src 'none'; style-src 'unsafe-inline'"
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{csp}\">"
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"<p>This section failed.</p><pre>{html.escape(error)}</pre>"
        "<p><a href='index.html'>Report index</a></p></body></html>\n"
    )


# ---------------------------------------------------------------------------------------
# Child processes: notebook workers and their kernels never outlive the run
# ---------------------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1
_LIBC: object = None
#: Kernels started by this process that may still run: (Popen, connection file).
_KERNELS: list[tuple[object, str]] = []
_KERNEL_MANAGER: type | None = None


def _libc():
    """The C library (Linux only, loaded once), for ``prctl``; None elsewhere."""
    global _LIBC
    if _LIBC is None and sys.platform.startswith("linux"):
        import ctypes

        with suppress(OSError):
            _LIBC = ctypes.CDLL(None, use_errno=True)
    return _LIBC


def _die_with_parent(signum: int) -> bool:
    """Have Linux send ``signum`` to this process when its parent dies (``prctl`` with
    ``PR_SET_PDEATHSIG``, kept across ``exec``); False where that is not possible."""
    libc = _libc()
    if libc is None:
        return False
    return libc.prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0


def _kernel_preexec(parent: int) -> Callable[[], None]:
    """The ``preexec_fn`` of a kernel started by process ``parent``: SIGKILL when the
    parent dies (even when it is killed outright); a parent already gone ends it."""
    _libc()  # loaded in the parent: the child only calls it

    def preexec() -> None:
        _die_with_parent(signal.SIGKILL)
        if os.getppid() != parent:
            os._exit(1)

    return preexec


#: Folder of the work folder holding the kernels' connection files during the run.
KERNEL_FILES = ".kernels"
#: Where this process's kernels write their connection file (set by :func:`_execute`).
_KERNEL_FILES_IN: list[Path] = []


def _kernel_manager_class() -> type:
    """jupyter_client's ``AsyncKernelManager``, whose kernels die with the process that
    started them (Linux) and are recorded for :func:`_kill_kernels`.

    jupyter_client starts each kernel in a session of its own (so that interrupting it
    does not interrupt its parent): a signal to the run's process group never reaches it.
    """
    global _KERNEL_MANAGER
    if _KERNEL_MANAGER is None:
        from jupyter_client import AsyncKernelManager

        class ReportKernelManager(AsyncKernelManager):
            """Kernels that die with their parent and that a stopped run can kill."""

            async def _async_pre_start_kernel(self, **kw):
                # the connection file (ports and key) in the run's work folder, which is
                # removed whatever happens, not in Jupyter's runtime folder, where a
                # killed kernel would leave it
                folder = _KERNEL_FILES_IN[0] if _KERNEL_FILES_IN else None
                if folder is not None and not self.connection_file:
                    folder.mkdir(exist_ok=True)
                    self.connection_file = str(folder / f"kernel-{uuid.uuid4().hex}.json")
                return await super()._async_pre_start_kernel(**kw)

            async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
                if sys.platform.startswith("linux") and "preexec_fn" not in kw:
                    kw["preexec_fn"] = _kernel_preexec(os.getpid())
                await super()._async_launch_kernel(kernel_cmd, **kw)
                process = getattr(self.provisioner, "process", None)
                if process is not None:
                    _KERNELS[:] = [k for k in _KERNELS if k[0].poll() is None]
                    _KERNELS.append((process, self.connection_file))

        _KERNEL_MANAGER = ReportKernelManager
    return _KERNEL_MANAGER


def _kill_kernels() -> None:
    """Kill every kernel this process started that still runs (with its process group)
    and remove its connection file."""
    while _KERNELS:
        process, connection_file = _KERNELS.pop()
        if process.poll() is None:
            with suppress(OSError):
                if hasattr(os, "killpg") and os.getpgid(process.pid) == process.pid:
                    os.killpg(process.pid, signal.SIGKILL)  # with whatever it started
                else:
                    process.kill()
        if connection_file:
            with suppress(OSError):
                os.unlink(connection_file)


def _worker_start(parent: int | None, inherited: tuple[int, ...] = ()) -> None:
    """Initializer of the notebook workers.

    Ctrl-C is left to the run, which stops the workers; SIGTERM kills the worker's
    kernel and ends the worker at once; on Linux the worker gets SIGTERM when the run
    dies, even when it is killed outright. ``inherited`` are file descriptors a forked
    worker must not keep open (the target's lock); ``parent`` the run's process id, to
    notice a run that died before the worker asked to die with it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    for fd in inherited:
        with suppress(OSError):
            os.close(fd)  # closing a copy never releases the run's lock
    _die_with_parent(signal.SIGTERM)
    if parent is not None and os.getppid() != parent:
        os._exit(128 + signal.SIGTERM)


def _worker_stop(signum: int, frame: object) -> None:
    """SIGTERM in a notebook worker: kill its kernel, end at once."""
    _kill_kernels()
    os._exit(128 + signum)


def _pool(jobs: int, keep_closed: tuple[int, ...]) -> ProcessPoolExecutor:
    """The pool of notebook workers (see :func:`_worker_start`)."""
    import multiprocessing

    method = multiprocessing.get_start_method()
    forked = method == "fork"
    return ProcessPoolExecutor(
        max_workers=jobs,
        initializer=_worker_start,
        # a forkserver's children are not the run's; only a forked worker holds the fds
        initargs=(os.getpid() if method in ("fork", "spawn") else None,
                  keep_closed if forked else ()),
    )  # fmt: skip


def _stop_workers(pool: ProcessPoolExecutor, grace_s: float = 5.0) -> int:
    """Stop every worker of ``pool`` now (SIGTERM: each kills its kernel), SIGKILL for
    those still alive after ``grace_s``; returns how many were running."""
    # the executor has no public way to end running calls: its processes it is
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for p in processes:
        with suppress(Exception):
            p.terminate()
    deadline = time.monotonic() + grace_s
    for p in processes:
        with suppress(Exception):
            p.join(max(0.0, deadline - time.monotonic()))
            if p.is_alive():
                p.kill()
                p.join(1.0)
    return len(processes)


class _Interrupts:
    """SIGINT and SIGTERM during a run (main thread only): the first one raises
    :class:`ReportInterrupted`; later ones are ignored, so that cleaning up is not
    itself interrupted. Inside :meth:`deferred` the signal waits for the block's end."""

    def __init__(self) -> None:
        self.fired = False
        self.pending: int | None = None
        self.depth = 0
        self._previous: dict[int, object] = {}

    def __enter__(self) -> _Interrupts:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                if signal.getsignal(sig) is signal.SIG_IGN:
                    continue  # started with the signal ignored (nohup...): keep it so
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, signal.SIG_DFL if previous is None else previous)
        self._previous.clear()

    def _handle(self, signum: int, frame: object) -> None:
        if self.fired:
            return
        if self.depth:
            self.pending = signum
            return
        self.fired = True
        raise ReportInterrupted(signum)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """A block no signal interrupts: one received meanwhile is raised at its end."""
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
            if not self.depth and self.pending is not None and not self.fired:
                self.fired = True
                raise ReportInterrupted(self.pending)


# ---------------------------------------------------------------------------------------
# The target folder: lock, leftovers of interrupted runs, moving the report in
# ---------------------------------------------------------------------------------------


class _TargetLock:
    """The lock of a target folder: ``<parent>/.<name>.lock``, held with
    :func:`fcntl.flock` from before the work folder exists until the report is in place.

    The operating system releases it when the process dies, however it dies; the file
    is removed on release (a killed run leaves it, unlocked, for the next run to take).
    Where :mod:`fcntl` is missing (Windows) there is no lock.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self.path = target.parent / f".{target.name}.lock"
        self.fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`ReportBusyError` at once."""
        if fcntl is None:
            return
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise ReportBusyError(
                    f"another csmetrics report is writing {self.target} (lock {self.path})"
                ) from None
            except BaseException:
                os.close(fd)
                raise
            try:
                held, now = os.fstat(fd), os.stat(self.path)
                same = (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)
            except FileNotFoundError:
                same = False
            if same:
                self.fd = fd
                with suppress(OSError):  # for people looking at it; a full disk is fine
                    os.ftruncate(fd, 0)
                    os.write(fd, f"{os.getpid()}\n".encode())
                return
            # the run holding it removed the file as we locked it: lock the new one
            os.close(fd)

    def release(self) -> None:
        """Remove the lock file and release the lock."""
        if self.fd is None:
            return
        with suppress(OSError):
            os.unlink(self.path)
        os.close(self.fd)
        self.fd = None


def _leftover_patterns(target: Path) -> tuple[re.Pattern, re.Pattern]:
    """Names of the work folders and of the set-aside old reports of runs on ``target``
    (``tempfile.mkdtemp`` suffixes: lower-case letters, digits and ``_``).

    Examples
    --------
    >>> work, aside = _leftover_patterns(Path("reports/2026-10"))
    >>> bool(work.fullmatch(".2026-10-k3j_9x2a")), bool(work.fullmatch(".2026-10-x-k3j_9x2a"))
    (True, False)
    >>> bool(aside.fullmatch(".2026-10.old-k3j_9x2a"))
    True
    """
    name = re.escape(target.name)
    return re.compile(rf"\.{name}-[a-z0-9_]+"), re.compile(rf"\.{name}\.old-[a-z0-9_]+")


def _clean_leftovers(target: Path, say: Callable[[str], None]) -> None:
    """Remove what runs on ``target`` that were killed left beside it; the caller holds
    the target's lock, so no run is using any of it.

    A work folder is removed. An old report set aside by a run killed while replacing
    it is put back when the target is missing, else removed.
    """
    work_name, aside_name = _leftover_patterns(target)
    if not target.parent.is_dir():
        return
    for path in sorted(target.parent.iterdir()):
        if path.is_symlink() or not path.is_dir():
            continue
        if work_name.fullmatch(path.name):
            shutil.rmtree(path)
            say(f"  removed {path}, the work folder of an interrupted run")
        elif aside_name.fullmatch(path.name):
            if not target.exists() and any(path.iterdir()):
                os.replace(path, target)
                say(f"  restored {target} from {path}: a run was stopped while replacing it")
            else:
                shutil.rmtree(path)
                say(f"  removed {path}, a replaced report an interrupted run left")


def _as_a_new_folder(folder: Path) -> None:
    """Give ``folder`` (made by ``mkdtemp``, readable by its owner only) the permissions
    of a folder made with ``mkdir``: the user's umask decides who may read the report."""
    mask = os.umask(0)
    os.umask(mask)
    folder.chmod(0o777 & ~mask)


def _holds_files(target: Path) -> bool:
    """Whether ``target`` is a folder with something in it."""
    return target.is_dir() and any(target.iterdir())


def _exists_error(target: Path) -> ReportExistsError:
    what = "a report" if (target / "index.html").exists() else "files"
    return ReportExistsError(f"{target} already holds {what}; use --force to replace it")


def _check_target(target: Path) -> None:
    """Raise :class:`ReportWriteError` when ``target`` or one of its parents is not a
    folder (a file, a symbolic link to a file)."""
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        kind = "a symbolic link" if target.is_symlink() else "a file"
        raise ReportWriteError(
            f"the output path {target} is {kind}, not a folder: give a folder for the report"
        )
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ReportWriteError(
                    f"cannot write the report to {target}: {parent} is a file, not a folder"
                )
            break


def _move_into_place(work: Path, target: Path, force: bool, say: Callable[[str], None]) -> None:
    """Move the finished ``work`` folder to ``target``.

    Without ``force`` a rename, which fails when something appeared in the target
    meanwhile (:class:`ReportExistsError`). With ``force`` the old report is renamed
    aside (``.<name>.old-*``), the new one renamed in, and only then the old one deleted;
    when renaming in fails the old one is put back, and the error says so
    (:class:`ReportWriteError`).
    """
    _check_target(target)
    if not force and _holds_files(target):
        raise _exists_error(target)
    aside = None
    if force and target.exists():
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        try:
            os.replace(target, aside)
        except BaseException:
            with suppress(OSError):
                aside.rmdir()
            raise
    try:
        os.replace(work, target)  # an empty folder is replaced, a full one is not
    except OSError as exc:
        why = exc.strerror or str(exc)
        if aside is None:
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST) and target.is_dir():
                raise _exists_error(target) from exc  # written meanwhile, by someone else
            raise ReportWriteError(f"could not move the new report into {target}: {why}") from exc
        try:
            os.replace(aside, target)
        except OSError as again:
            raise ReportWriteError(
                f"could not move the new report into {target} ({why}), nor put the "
                f"previous one back ({again.strerror or again}): it is in {aside}"
            ) from exc
        raise ReportWriteError(
            f"could not move the new report into {target}: {why}; "
            "the previous report was put back unchanged"
        ) from exc
    if aside is not None:
        try:
            shutil.rmtree(aside)
        except OSError as exc:
            say(f"  could not remove the previous report, set aside in {aside}: {exc}")


#: Operating-system errors meaning the report cannot be written where asked: the run
#: ends with one message naming the path (exit 2), not a traceback.
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM,
                 errno.EFBIG, errno.ENOTDIR, errno.EISDIR, errno.EEXIST}  # fmt: skip


@contextmanager
def _writing(target: Path) -> Iterator[None]:
    """Turn an :class:`OSError` of :data:`_WRITE_ERRNOS` into a :class:`ReportWriteError`
    naming ``target`` (and the file concerned)."""
    try:
        yield
    except OSError as exc:
        if exc.errno not in _WRITE_ERRNOS:
            raise
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(target) else ""
        raise ReportWriteError(
            f"cannot write the report to {target}: {exc.strerror or exc}{where}"
        ) from exc


#: KPIs the recommendations may cite besides the judged ones (their trends are computed
#: with the scorecard's, so that every cited KPI has its sparkline).
ACTION_KPIS = ("cost_per_resolution", "fcr_rate", "tickets_created", "service_level",
               "cost_per_contact", "csat_score")  # fmt: skip


def kpi_exports(prepared, period: str, work: Path) -> pd.DataFrame:
    """Write ``kpis.csv`` and ``kpis.json`` (every public KPI of the period) into ``work``.

    Returns the headline frame (value, interval, target, status, change) they hold.
    """
    from .display import safe_csv_frame
    from .kpis import public_kpis
    from .summary import headline

    ids = [k.id for k in public_kpis() if k.kind != "share"]
    df = headline(prepared, period, ids)
    cols = [
        "kpi",
        "label",
        "category",
        "unit",
        "better",
        "value",
        "ci_low",
        "ci_high",
        "n",
        "low_sample",
        "excluded",
        "available",
        "note",
        "target",
        "target_source",
        "status",
        "previous",
        "change",
        "period",
        "compared_with",
    ]
    safe_csv_frame(df[cols]).to_csv(work / "kpis.csv", index=False)
    records = df[cols].astype(object).where(df[cols].notna(), None).to_dict(orient="records")
    payload = {
        "period": period,
        "compared_with": df["compared_with"].iloc[0] if len(df) else None,
        "currency": prepared.config.currency,
        "kpis": records,
    }
    (work / "kpis.json").write_text(json_text(payload, indent=2), encoding="utf-8")
    return df


def scorecard_kpis(df: pd.DataFrame, judged: set[str], cited: set[str] = frozenset()) -> list[str]:
    """The KPIs of the scorecard, in registry order (the order of ``df``): every headline
    KPI, every KPI the evaluation judges against a target (``judged``) and every KPI a
    recommendation cites (``cited``), each once.

    Examples
    --------
    >>> df = pd.DataFrame({"kpi": ["tickets_created", "repeat_contact_rate", "mttd_h"]})
    >>> scorecard_kpis(df, {"mttd_h"})
    ['tickets_created', 'mttd_h']
    """
    from .kpis import get

    wanted = set(judged) | set(cited)
    return [k for k in dict.fromkeys(df["kpi"]) if get(k).headline or k in wanted]


def _params(name: str, params: dict, work: Path) -> dict:
    """A notebook's parameters; the evaluation also writes ``evaluation.json``."""
    if name == "evaluation":
        return {**params, "export_dir": str(work)}
    return params


def _evaluation(work: Path) -> dict | None:
    """The ``evaluation.json`` the evaluation notebook wrote (None when it did not)."""
    path = work / "evaluation.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def cited_kpis(evaluation: dict | None) -> set[str]:
    """The KPI ids the recommendations of ``evaluation.json`` cite in their evidence.

    Examples
    --------
    >>> cited_kpis({"recommendations": [{"evidence": [{"kpi": "fcr_rate"}, {"theme": "x"}]}]})
    {'fcr_rate'}
    """
    from .kpis import public_kpis

    known = {k.id for k in public_kpis()}
    return {
        e["kpi"]
        for r in (evaluation or {}).get("recommendations", [])
        for e in r.get("evidence", [])
        if isinstance(e, dict) and e.get("kpi") in known
    }


def _scorecard(
    wb: Workbook,
    prepared,
    label: str,
    work: Path,
    result: ReportResult,
    say: Callable[[str], None],
    sections: list[str] | None = None,
) -> Callable[[dict | None], str]:
    """KPI exports and the scorecard's numbers; returns the function that renders the
    scorecard once the evaluation is known (its recommendations' KPIs join the headline
    and the judged ones). A failure is recorded, never fatal (the scorecard is empty)."""
    from .analysis import monthly_series
    from .evaluate import targets_in_force

    start = time.perf_counter()
    try:
        head = kpi_exports(prepared, label, work)
        judged = set(targets_in_force(wb.config))
        # every KPI that may be shown: headline, judged, and those recommendations cite
        ids = scorecard_kpis(head, judged, set(ACTION_KPIS))
        # each month measured as a period of its own, as the value and its change are
        trends = (
            monthly_series(prepared, ids, label)
            if label != "all"
            else pd.DataFrame(columns=["kpi", "value"])
        )
        say(f"  scorecard, kpis.csv and kpis.json: ok ({time.perf_counter() - start:.1f} s)")

        def render(evaluation: dict | None) -> str:
            rows = scorecard_kpis(head, judged, cited_kpis(evaluation))
            return scorecard_html(head, trends, wb.config.currency, sections, rows)

        return render
    except Exception as exc:  # the sections are still worth delivering
        result.sections.append(
            SectionResult(
                "scorecard",
                "Scorecard",
                False,
                time.perf_counter() - start,
                f"{type(exc).__name__}: {exc}",
            )
        )
        say(f"  scorecard: FAILED: {type(exc).__name__}: {exc}")
        return lambda evaluation: ""


def run_report(
    data: str | Path | None = None,
    period: str | None = None,
    out: str | Path | None = None,
    config: str | Path | None = None,
    force: bool = False,
    jobs: int = 1,
    sections: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
    lang: str | None = None,
) -> ReportResult:
    """Run the report notebooks for one period and write ``<out>/index.html``.

    Parameters
    ----------
    data : path, optional
        Data folder (default: the bundled sample).
    period : str, optional
        ``YYYY-MM``, ``YYYY-Qn``, ``YYYY`` or ``all``; default: the latest complete month.
    out : path, optional
        Target folder; default ``reports/<period>``.
    config : path, optional
        ``csmetrics.yaml`` to use instead of the data folder's.
    force : bool
        Replace an existing report (the old one is deleted once the new one is in).
    jobs : int
        Notebooks executed in parallel.
    sections : list of str, optional
        Run only these notebooks (file stems of :data:`SECTIONS`).
    progress : callable, optional
        Receives one line of text per step (default: print to stderr).
    lang : str, optional
        Language of the report: ``en``, ``pt``, ``es``, ``it`` or ``pl``, optionally with
        a region for formats (``pt_PT``); default ``lang`` of ``csmetrics.yaml``, else
        English. Progress lines stay in English.

    Returns
    -------
    ReportResult
        The sections' outcomes (a failed section does not raise).

    Raises
    ------
    ReportExistsError
        The target holds a report and ``force`` is false.
    ReportBusyError
        Another run is writing the same target.
    ReportWriteError
        The target is a file, its folder is read-only, the disk is full, or the finished
        report could not be moved in (an old report is then left in place).
    ReportInterrupted
        SIGINT or SIGTERM (called from the main thread): workers and kernels were
        stopped and the work folder removed first.
    DataError, ConfigError
        The data cannot be loaded; no notebook is run.
    """
    say = progress or (lambda msg: print(msg, file=sys.stderr, flush=True))
    with _Interrupts() as interrupts:
        wb = load(data, config)
        lang = lang or wb.config.lang
        i18n.normalise(lang)  # an unknown language stops the run before any work
        with i18n.language(lang):
            return _run_report(
                wb, data, period, out, config, force, jobs, sections, say, lang, interrupts
            )


def _run_report(
    wb: Workbook,
    data: str | Path | None,
    period: str | None,
    out: str | Path | None,
    config: str | Path | None,
    force: bool,
    jobs: int,
    sections: list[str] | None,
    say: Callable[[str], None],
    lang: str,
    interrupts: _Interrupts,
) -> ReportResult:
    """The body of :func:`run_report`, in the report's language: checks, then the
    target's lock, then the work."""
    label = period or default_period(wb)
    label = Period.parse(label, wb.config.timezone).label
    target = Path(out) if out is not None else Path("reports") / label.replace("/", "-")
    _check_target(target)
    if _holds_files(target) and not force:
        raise _exists_error(target)
    chosen = [(n, _(t), d) for n, t, d in SECTIONS if sections is None or n in sections]
    if not chosen:
        raise CsmetricsError(
            f"no such section(s): {sections}; known: {', '.join(s[0] for s in SECTIONS)}"
        )
    lock = _TargetLock(target)
    with _writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    try:
        with _writing(target):
            _clean_leftovers(target, say)
        if _holds_files(target) and not force:  # again, now that no other run may write
            raise _exists_error(target)
        return _run_locked(wb, data, label, target, config, force, jobs, chosen, say, lang,
                           interrupts, lock)  # fmt: skip
    finally:
        lock.release()


def _run_locked(
    wb: Workbook,
    data: str | Path | None,
    label: str,
    target: Path,
    config: str | Path | None,
    force: bool,
    jobs: int,
    chosen: list[tuple[str, str, str]],
    say: Callable[[str], None],
    lang: str,
    interrupts: _Interrupts,
    lock: _TargetLock,
) -> ReportResult:
    """The run proper, holding the target's lock: the work folder, the notebooks, the
    index, the move into place. Whatever ends it, the work folder and every worker and
    kernel of the run are gone when it returns or raises."""
    data_dir = Path(wb.folder).resolve()
    result = ReportResult(out=target, period=label)
    names = [n for n, _t, _d in chosen]
    shown = i18n.period(label)
    src = notebooks_dir()
    work: Path | None = None
    moved = False
    try:
        with _writing(target):
            # absolute: the notebooks run with the work folder as their working directory,
            # and the evaluation writes evaluation.json into it (a relative --out would
            # double up)
            work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
            work = work.resolve()
            _as_a_new_folder(work)
            (work / "notebooks").mkdir()
            say(f"Report {label}: {len(chosen)} notebook(s) from {data_dir} -> {target}")
            # the data prepared once, handed to every notebook (each would load and
            # prepare it again in its own kernel)
            start = time.perf_counter()
            prepared = prepare(wb)
            handoff = write_handoff(work, wb, prepared)
            say(f"  data prepared for every section ({time.perf_counter() - start:.1f} s)")
            params = {
                "data_dir": str(data_dir),
                "period": label,
                "config": str(Path(config).resolve()) if config else None,
                "lang": lang,
                "handoff": str(handoff),
            }
            if jobs > 1 and len(chosen) > 1:
                pool = _pool(min(jobs, len(chosen)), (lock.fd,) if lock.fd is not None else ())
                try:
                    futures = [
                        pool.submit(
                            _execute, n, t, src / f"{n}.ipynb", work,
                            _params(n, params, work), f"{t} · {shown}",
                        )
                        for n, t, _d in chosen
                    ]  # fmt: skip
                    # the scorecard is computed here while the notebooks run in the pool
                    scorecard = _scorecard(wb, prepared, label, work, result, say, names)
                    for i, fut in enumerate(as_completed(futures), 1):
                        r = fut.result()
                        result.sections.append(r)
                        say(f"  [{i}/{len(chosen)}] {_outcome(r)}")
                except BaseException:
                    _stop_workers(pool)  # their results are no longer wanted
                    raise
                finally:
                    pool.shutdown(wait=True, cancel_futures=True)
            else:
                for i, (n, t, _d) in enumerate(chosen, 1):
                    say(f"  [{i}/{len(chosen)}] {t} ...")
                    r = _execute(
                        n, t, src / f"{n}.ipynb", work, _params(n, params, work),
                        f"{t} · {shown}",
                    )  # fmt: skip
                    result.sections.append(r)
                    say(f"  [{i}/{len(chosen)}] {_outcome(r)}")
                scorecard = _scorecard(wb, prepared, label, work, result, say, names)
            result.sections.sort(key=lambda s: names.index(s.name) if s.name in names else -1)
            shutil.rmtree(work / KERNEL_FILES, ignore_errors=True)
            handoff.unlink(missing_ok=True)
            evaluation = _evaluation(work)
            scorecard = (evaluation_html(evaluation) if evaluation else "") + scorecard(evaluation)
            (work / "index.html").write_text(
                index_html(
                    result,
                    wb,
                    str(data) if data else _("bundled sample"),
                    scorecard,
                    {n: d for n, _t, d in SECTIONS},
                ),
                encoding="utf-8",
            )
            with interrupts.deferred():  # a signal now waits until the report is in
                _move_into_place(work, target, force, say)
                moved = True
    except BaseException as exc:
        _stop_notebook_threads()
        if work is not None and work.exists():
            shutil.rmtree(work, ignore_errors=True)
        if isinstance(exc, ReportInterrupted):
            stopped = f"Stopped by {signal.Signals(exc.signum).name}"
            if moved:
                say(f"{stopped} after the report was moved into {target}")
            else:
                say(f"{stopped}: notebooks and kernels ended, work folder removed")
        raise
    say(f"Wrote {target / 'index.html'}" + ("" if result.ok else " (with failed sections)"))
    return result


def _outcome(r: SectionResult) -> str:
    """A section's progress line (after ``[i/n]``).

    Examples
    --------
    >>> _outcome(SectionResult("x", "X", False, 1.25, "ValueError: no", attempts=2))
    'X: FAILED: ValueError: no (1.2 s, kernel started 2 times)'
    """
    started = f", kernel started {r.attempts} times" if r.attempts > 1 else ""
    state = "ok" if r.ok else f"FAILED: {r.error}"
    return f"{r.title}: {state} ({r.seconds:.1f} s{started})"
