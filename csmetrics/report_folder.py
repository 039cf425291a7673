"""The target folder of a report: its lock, the leftovers of killed runs, moving the
finished report in, and clear errors when it cannot be written.

- a lock file beside the target (``.<name>.lock``, held with :func:`fcntl.flock` for the
  whole run and released by the operating system when the process dies) keeps a second
  run off the same folder (:class:`TargetLock`);
- the work folder and set-aside old report a killed run left are removed or put back by
  the next run (:func:`clean_leftovers`);
- with ``force`` the old report is renamed aside, the new one renamed in, and only then
  is the old one deleted; a failed rename puts the old one back (:func:`move_into_place`);
- an operating-system error that means the report cannot be written where asked (full
  disk, read-only folder, a file in the way) becomes one :class:`ReportWriteError`
  naming the path (:func:`writing`).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import CsmetricsError

try:
    import fcntl
except ImportError:  # not POSIX (Windows): no lock, see TargetLock
    fcntl = None


class ReportExistsError(CsmetricsError):
    """The target folder already holds a finished report and ``force`` was not given."""


class ReportBusyError(CsmetricsError):
    """Another run is writing the same target folder (it holds the target's lock)."""


class ReportWriteError(CsmetricsError):
    """The report cannot be written where asked: the output path is a file, the folder is
    read-only, the disk is full, or the finished report could not be moved into place."""


class TargetLock:
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


def leftover_patterns(target: Path) -> tuple[re.Pattern, re.Pattern]:
    """Names of the work folders and of the set-aside old reports of runs on ``target``
    (``tempfile.mkdtemp`` suffixes: lower-case letters, digits and ``_``).

    Examples
    --------
    >>> work, aside = leftover_patterns(Path("reports/2026-10"))
    >>> bool(work.fullmatch(".2026-10-k3j_9x2a")), bool(work.fullmatch(".2026-10-x-k3j_9x2a"))
    (True, False)
    >>> bool(aside.fullmatch(".2026-10.old-k3j_9x2a"))
    True
    """
    name = re.escape(target.name)
    return re.compile(rf"\.{name}-[a-z0-9_]+"), re.compile(rf"\.{name}\.old-[a-z0-9_]+")


def clean_leftovers(target: Path, say: Callable[[str], None]) -> None:
    """Remove what runs on ``target`` that were killed left beside it; the caller holds
    the target's lock, so no run is using any of it.

    A work folder is removed. An old report set aside by a run killed while replacing
    it is put back when the target is missing, else removed.
    """
    work_name, aside_name = leftover_patterns(target)
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


def as_a_new_folder(folder: Path) -> None:
    """Give ``folder`` (made by ``mkdtemp``, readable by its owner only) the permissions
    of a folder made with ``mkdir``: the user's umask decides who may read the report."""
    mask = os.umask(0)
    os.umask(mask)
    folder.chmod(0o777 & ~mask)


def holds_files(target: Path) -> bool:
    """Whether ``target`` is a folder with something in it."""
    return target.is_dir() and any(target.iterdir())


def exists_error(target: Path) -> ReportExistsError:
    what = "a report" if (target / "index.html").exists() else "files"
    return ReportExistsError(f"{target} already holds {what}; use --force to replace it")


def check_target(target: Path) -> None:
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


def check_writable(target: Path, force: bool) -> None:
    """Raise when ``target`` cannot take a report: not a folder (:func:`check_target`),
    or a folder that holds files and ``force`` is not given (:class:`ReportExistsError`)."""
    check_target(target)
    if not force and holds_files(target):
        raise exists_error(target)


def move_into_place(work: Path, target: Path, force: bool, say: Callable[[str], None]) -> None:
    """Move the finished ``work`` folder to ``target``.

    Without ``force`` a rename, which fails when something appeared in the target
    meanwhile (:class:`ReportExistsError`). With ``force`` the old report is renamed
    aside (``.<name>.old-*``), the new one renamed in, and only then the old one deleted;
    when renaming in fails the old one is put back, and the error says so
    (:class:`ReportWriteError`).
    """
    check_writable(target, force)
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
                raise exists_error(target) from exc  # written meanwhile, by someone else
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
def writing(target: Path) -> Iterator[None]:
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
