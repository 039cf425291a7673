"""The processes of a report run: notebook threads and workers and their kernels, which
never outlive the run, and the run's handling of SIGINT and SIGTERM.

- notebooks run in a thread of their own (:mod:`csmetrics.report_kernel`), so that
  nbclient leaves the run's signal handlers alone;
- kernels are started by :func:`kernel_manager_class`'s manager: on Linux they die with
  the process that started them (``PR_SET_PDEATHSIG``), they write their connection file
  in the run's work folder (:func:`use_kernel_folder`) and a stopped run kills them
  (:func:`kill_kernels`); a kernel that fails to start is recognised
  (:func:`kernel_failed_to_start`) and started again after :func:`kernel_start_pause`;
- parallel notebooks run in :func:`worker_pool`, whose workers die with the run and are
  stopped by :func:`stop_workers`;
- :class:`Interrupts` turns the first SIGINT or SIGTERM of a run into
  :class:`ReportInterrupted`.
"""

from __future__ import annotations

import errno
import os
import random
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager, suppress
from pathlib import Path


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


#: How often a notebook is started again when its kernel fails to start: it died before
#: replying, or a port it was given was taken meanwhile ("Address already in use").
KERNEL_START_RETRIES = 3
#: Range of the random pause before starting again, in seconds, doubled at each attempt,
#: so that parallel workers whose kernels collided do not start them together again.
KERNEL_START_BACKOFF_S = (0.1, 0.5)

_START_FAILURES = ("Kernel died before replying", "Kernel didn't respond")


def kernel_failed_to_start(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an exception it wraps) says that a kernel failed to start.

    Kernels started at the same moment by parallel workers may pick the same free TCP
    port: one of them dies before replying, or binding raises ``ZMQError: Address already
    in use``. Starting again is safe, since no cell has run; a cell's own error
    (papermill's ``PapermillExecutionError``) never counts.

    Examples
    --------
    >>> kernel_failed_to_start(RuntimeError("Kernel died before replying to kernel_info"))
    True
    >>> kernel_failed_to_start(OSError(errno.EADDRINUSE, "Address already in use"))
    True
    >>> wrapped = RuntimeError("could not start the kernel")
    >>> wrapped.__cause__ = OSError(errno.EADDRINUSE, "Address already in use")
    >>> kernel_failed_to_start(wrapped)
    True
    >>> kernel_failed_to_start(RuntimeError("division by zero"))
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


def kernel_start_pause(attempt: int) -> float:
    """Seconds to wait before start number ``attempt + 2`` (random, doubling)."""
    low, high = KERNEL_START_BACKOFF_S
    return random.uniform(low, high) * 2**attempt


#: Threads running notebooks (see :func:`watch_notebook_thread`).
_NOTEBOOK_THREADS: list[threading.Thread] = []


def watch_notebook_thread(thread: threading.Thread) -> None:
    """Count ``thread`` among the threads that run notebooks (see
    :func:`stop_notebook_threads`)."""
    _NOTEBOOK_THREADS.append(thread)


def stop_notebook_threads(timeout_s: float = 10.0) -> None:
    """Kill this process's kernels and give the threads that ran them ``timeout_s`` to
    notice and end (papermill writes its output notebook as it fails); a kernel started
    as the run was stopped is killed on the next round."""
    deadline = time.monotonic() + timeout_s
    while True:
        kill_kernels()
        _NOTEBOOK_THREADS[:] = [t for t in _NOTEBOOK_THREADS if t.is_alive()]
        if not _NOTEBOOK_THREADS or time.monotonic() >= deadline:
            return
        _NOTEBOOK_THREADS[0].join(0.2)


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
#: Where this process's kernels write their connection file (see :func:`use_kernel_folder`).
_KERNEL_FILES_IN: list[Path] = []


def use_kernel_folder(work: Path) -> Path:
    """Have the kernels this process starts from now on write their connection files in
    ``work``'s :data:`KERNEL_FILES` folder (removed with the work folder); returns it."""
    folder = work / KERNEL_FILES
    _KERNEL_FILES_IN[:] = [folder]
    return folder


def on_this_interpreter(kernel_cmd: list[str]) -> list[str]:
    """An IPython kernel command run by this Python, whatever the kernel spec names.

    The report's notebooks need the interpreter csmetrics is installed in; a ``python3``
    kernel spec installed elsewhere (a system Jupyter, another venv) could point to a
    Python without it. Other kernel commands are left as they are.

    Examples
    --------
    >>> cmd = on_this_interpreter(["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "c"])
    >>> cmd[0] == sys.executable and cmd[1:] == ["-m", "ipykernel_launcher", "-f", "c"]
    True
    >>> on_this_interpreter(["julia", "-i"])
    ['julia', '-i']
    """
    if kernel_cmd[1:3] == ["-m", "ipykernel_launcher"]:
        return [sys.executable, *kernel_cmd[1:]]
    return kernel_cmd


def kernel_manager_class() -> type:
    """jupyter_client's ``AsyncKernelManager``, whose kernels die with the process that
    started them (Linux) and are recorded for :func:`kill_kernels`.

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

            def client(self, *args, **kw):
                # recorded, so that a kernel shared by several notebooks can close the
                # clients nbclient leaves open when it does not own the manager
                made = super().client(*args, **kw)
                self.__dict__.setdefault("report_clients", []).append(made)
                return made

            async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
                kernel_cmd = on_this_interpreter(kernel_cmd)
                if sys.platform.startswith("linux") and "preexec_fn" not in kw:
                    kw["preexec_fn"] = _kernel_preexec(os.getpid())
                await super()._async_launch_kernel(kernel_cmd, **kw)
                process = getattr(self.provisioner, "process", None)
                if process is not None:
                    _KERNELS[:] = [k for k in _KERNELS if k[0].poll() is None]
                    _KERNELS.append((process, self.connection_file))

        _KERNEL_MANAGER = ReportKernelManager
    return _KERNEL_MANAGER


def kill_kernels() -> None:
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


#: What a notebook worker does as it ends (see :func:`at_worker_exit`).
_AT_WORKER_EXIT: list[Callable[[], None]] = []


def at_worker_exit(fn: Callable[[], None]) -> None:
    """Have every notebook worker call ``fn`` as it ends normally (when its pool is shut
    down), before its process exits."""
    _AT_WORKER_EXIT.append(fn)


def _worker_exit() -> None:
    for fn in _AT_WORKER_EXIT:
        with suppress(Exception):
            fn()


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
    from multiprocessing.util import Finalize

    Finalize(None, _worker_exit, exitpriority=10)


def _worker_stop(signum: int, frame: object) -> None:
    """SIGTERM in a notebook worker: kill its kernel, end at once."""
    kill_kernels()
    os._exit(128 + signum)


def worker_pool(jobs: int, keep_closed: tuple[int, ...]) -> ProcessPoolExecutor:
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


def stop_workers(pool: ProcessPoolExecutor, grace_s: float = 5.0) -> int:
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


class Interrupts:
    """SIGINT and SIGTERM during a run (main thread only): the first one raises
    :class:`ReportInterrupted`; later ones are ignored, so that cleaning up is not
    itself interrupted. Inside :meth:`deferred` the signal waits for the block's end."""

    def __init__(self) -> None:
        self.fired = False
        self.pending: int | None = None
        self.depth = 0
        self._previous: dict[int, object] = {}

    def __enter__(self) -> Interrupts:
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
