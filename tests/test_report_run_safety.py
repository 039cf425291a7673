"""A report run never loses a report and leaves nothing behind (issue 13).

- a lock per target folder keeps a second run off it (exit 2), released by the operating
  system when its run dies;
- ``--force`` renames the old report aside, the new one in, then deletes the old one; a
  failed rename puts it back;
- an output path that is a file, a read-only folder or a full disk end the run with one
  message naming the path (exit 2);
- a section whose page cannot be rendered is FAILED (exit 1);
- SIGTERM / SIGINT stop workers and kernels and remove the work folder (143 / 130);
  SIGKILL of the run takes workers and kernels with it, and the next run removes the
  work folder it left.

Most tests run the command in-process with the notebooks replaced by a page written at
once (``quick``); the signal tests run the real command on the small sample.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from contextlib import suppress
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from csmetrics import report
from csmetrics.cli import main
from csmetrics.report import SectionResult, _TargetLock

from .conftest import REPORT_PERIOD, csmetrics_command

SECTION = "data_quality"
TITLE = "Data quality"


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    """Every file of ``folder`` with its content hash."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def old_report(folder: Path) -> dict[str, str]:
    """A finished report of an earlier run in ``folder``; returns its snapshot."""
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("<p>the old report</p>", encoding="utf-8")
    (folder / "old_section.html").write_text("<p>old section</p>", encoding="utf-8")
    return snapshot(folder)


def beside(out: Path) -> list[str]:
    """What is in the folder of ``out``."""
    return sorted(p.name for p in out.parent.iterdir())


def fake_execute(name, title, src, work, params, page_title=""):
    """A section that writes its page at once (module level: workers can unpickle it)."""
    (work / f"{name}.html").write_text(f"<p>{name}</p>", encoding="utf-8")
    return SectionResult(name, title, True, 0.0)


def enospc_execute(name, title, src, work, params, page_title=""):
    """A section whose page meets a full disk (in a pool worker, when jobs > 1)."""
    raise OSError(errno.ENOSPC, "No space left on device", str(work / f"{name}.html"))


def big_page_execute(name, title, src, work, params, page_title=""):
    """A section whose page is 256 KiB."""
    (work / f"{name}.html").write_text("x" * 256 * 1024, encoding="utf-8")
    return SectionResult(name, title, True, 0.0)


@pytest.fixture(scope="module")
def small_wb(small_sample):
    from csmetrics.load import load

    return load(small_sample)


@pytest.fixture
def quick_base(monkeypatch, small_wb):
    """In-process runs on the small sample, loaded once, without the scorecard."""
    monkeypatch.setattr(report, "load", lambda data=None, config=None: small_wb)
    monkeypatch.setattr(report, "_scorecard", lambda *a, **k: lambda evaluation: "")


@pytest.fixture
def quick(quick_base, monkeypatch):
    """As ``quick_base``, and each notebook replaced by a page written at once."""
    monkeypatch.setattr(report, "_execute", fake_execute)


def run(capsys, data: Path, out: Path, *extra: str) -> tuple[int, str]:
    """``csmetrics report --section data_quality`` in-process: (exit code, stderr)."""
    argv = ["report", "--data", str(data), "--period", REPORT_PERIOD, "--out", str(out)]
    code = main([*argv, "--section", SECTION, *extra])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


# ---------------------------------------------------------------------------------------
# The lock
# ---------------------------------------------------------------------------------------


def test_a_second_run_on_a_folder_being_written_is_refused(quick, small_sample, tmp_path,
                                                           capsys):  # fmt: skip
    out = tmp_path / "r"
    lock = _TargetLock(out)
    lock.acquire()  # as the other run does
    try:
        code, err = run(capsys, small_sample, out)
    finally:
        lock.release()
    assert code == 2
    assert f"error: another csmetrics report is writing {out} (lock {tmp_path / '.r.lock'})" in err
    assert beside(out) == []  # nothing written, not even a work folder
    code, err = run(capsys, small_sample, out)
    assert code == 0, err
    assert beside(out) == ["r"]  # the lock file goes with the run


def test_the_report_folder_follows_the_umask(quick, small_sample, tmp_path, capsys):
    """Not mkdtemp's owner-only 0700: reviewers in the user's group can read the report."""
    old = os.umask(0o022)
    try:
        code, _err = run(capsys, small_sample, tmp_path / "r")
    finally:
        os.umask(old)
    assert code == 0
    assert (tmp_path / "r").stat().st_mode & 0o777 == 0o755


def test_the_lock_is_held_for_the_whole_run(quick_base, small_sample, tmp_path, capsys,
                                            monkeypatch):  # fmt: skip
    out = tmp_path / "r"
    seen = []

    def execute(name, title, src, work, params, page_title=""):
        fd = os.open(tmp_path / ".r.lock", os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            seen.append("free")
        except BlockingIOError:
            seen.append("held")
        finally:
            os.close(fd)
        return fake_execute(name, title, src, work, params, page_title)

    monkeypatch.setattr(report, "_execute", execute)
    assert run(capsys, small_sample, out)[0] == 0
    assert seen == ["held"]


def test_the_lock_of_a_killed_run_is_free(quick, small_sample, tmp_path, capsys):
    out = tmp_path / "r"
    holder = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from csmetrics.report import _TargetLock\n"
        "_TargetLock(Path(sys.argv[1])).acquire()\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", holder, str(out)], check=False)
    assert proc.returncode == -signal.SIGKILL
    assert beside(out) == [".r.lock"]  # left behind, but nobody holds it
    code, err = run(capsys, small_sample, out)
    assert code == 0, err
    assert beside(out) == ["r"]


def test_the_lock_follows_a_lock_file_replaced_as_it_was_taken(tmp_path, monkeypatch):
    """The run holding the lock removes its file as it ends; a run that opened the old
    file and locked it just then must not believe it holds the lock."""
    out = tmp_path / "r"
    real_flock = fcntl.flock
    calls = []

    def flock(fd, op):
        calls.append(fd)
        if len(calls) == 1:  # the other run ends (file removed) and a third one starts
            (tmp_path / ".r.lock").unlink()
            (tmp_path / ".r.lock").write_text("")
        return real_flock(fd, op)

    monkeypatch.setattr(report.fcntl, "flock", flock)
    lock = _TargetLock(out)
    lock.acquire()
    try:
        assert len(calls) == 2
        assert os.fstat(lock.fd).st_ino == (tmp_path / ".r.lock").stat().st_ino
    finally:
        lock.release()


def test_a_target_holding_a_report_is_refused_before_the_data_is_loaded(
    tmp_path, capsys, monkeypatch
):
    out = tmp_path / "r"
    before = old_report(out)
    monkeypatch.setattr(report, "load", lambda *a, **k: pytest.fail("the data was loaded"))
    code, err = run(capsys, tmp_path / "no such folder", out)
    assert code == 2
    assert f"{out} already holds a report; use --force to replace it" in err
    assert snapshot(out) == before and beside(out) == ["r"]


def test_files_appearing_in_the_target_during_the_run_are_not_replaced(
    quick_base, small_sample, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "r"

    def execute(name, title, src, work, params, page_title=""):
        old_report(out)  # written meanwhile by something else than a csmetrics run
        return fake_execute(name, title, src, work, params, page_title)

    monkeypatch.setattr(report, "_execute", execute)
    code, err = run(capsys, small_sample, out)
    assert code == 2
    assert f"{out} already holds a report; use --force to replace it" in err
    assert (out / "index.html").read_text(encoding="utf-8") == "<p>the old report</p>"
    assert beside(out) == ["r"]


# ---------------------------------------------------------------------------------------
# --force: rename aside, rename in, delete
# ---------------------------------------------------------------------------------------


def test_force_replaces_the_report_and_leaves_nothing_beside(quick, small_sample, tmp_path,
                                                             capsys):  # fmt: skip
    out = tmp_path / "r"
    old_report(out)
    code, err = run(capsys, small_sample, out, "--force")
    assert code == 0, err
    assert sorted(p.name for p in out.glob("*.html")) == [f"{SECTION}.html", "index.html"]
    assert beside(out) == ["r"]


def _failing_replace(monkeypatch, out: Path, fail: set[str]):
    """``os.replace`` failing for the renames named in ``fail``: "in" (work folder to
    target) and "back" (set-aside old report to target)."""
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        src, dst = Path(src), Path(dst)
        if dst == out and src.name.startswith(f".{out.name}-") and "in" in fail:
            raise OSError(errno.EIO, "Input/output error")
        if dst == out and src.name.startswith(f".{out.name}.old-") and "back" in fail:
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    return real


def test_a_failed_move_puts_the_old_report_back(quick, small_sample, tmp_path, capsys,
                                                monkeypatch):  # fmt: skip
    out = tmp_path / "r"
    before = old_report(out)
    _failing_replace(monkeypatch, out, {"in"})
    code, err = run(capsys, small_sample, out, "--force")
    assert code == 2
    assert (
        f"error: could not move the new report into {out}: Input/output error; "
        "the previous report was put back unchanged"
    ) in err
    assert snapshot(out) == before
    assert beside(out) == ["r"]  # no work folder, no set-aside copy, no lock


def test_a_failed_move_into_a_new_folder_is_a_clear_error(quick, small_sample, tmp_path,
                                                          capsys, monkeypatch):  # fmt: skip
    out = tmp_path / "r"
    _failing_replace(monkeypatch, out, {"in"})
    code, err = run(capsys, small_sample, out)
    assert code == 2
    assert f"error: could not move the new report into {out}: Input/output error" in err
    assert beside(out) == []


def test_when_the_old_report_cannot_be_put_back_the_error_says_where_it_is(
    quick, small_sample, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "r"
    before = old_report(out)
    real_replace = _failing_replace(monkeypatch, out, {"in", "back"})
    code, err = run(capsys, small_sample, out, "--force")
    assert code == 2
    [aside] = [p for p in out.parent.iterdir() if p.name.startswith(".r.old-")]
    assert f"could not move the new report into {out} (Input/output error), nor put the " in err
    assert f"it is in {aside}" in err
    assert snapshot(aside) == before
    # the next run on the folder puts it back, and says so
    monkeypatch.setattr(os, "replace", real_replace)
    code, err = run(capsys, small_sample, out)
    assert code == 2  # the restored report is not replaced without --force
    assert f"restored {out} from {aside}: a run was stopped while replacing it" in err
    assert snapshot(out) == before
    assert beside(out) == ["r"]


# ---------------------------------------------------------------------------------------
# Where the report cannot be written
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("force", [False, True])
def test_out_pointing_at_a_file_is_a_clear_error(quick, small_sample, tmp_path, capsys, force):
    out = tmp_path / "r"
    out.write_text("not a report", encoding="utf-8")
    code, err = run(capsys, small_sample, out, *(["--force"] if force else []))
    assert code == 2
    assert f"error: the output path {out} is a file, not a folder" in err
    assert out.read_text(encoding="utf-8") == "not a report"
    assert beside(out) == ["r"]


def test_out_inside_a_file_is_a_clear_error(quick, small_sample, tmp_path, capsys):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    out = tmp_path / "f" / "r"
    code, err = run(capsys, small_sample, out)
    assert code == 2
    assert f"error: cannot write the report to {out}: {tmp_path / 'f'} is a file" in err


def _mount_tmpfs(folder: Path, options: str) -> None:
    """Mount a tmpfs on ``folder`` or skip the test, saying why."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root (and the mount command)")
    folder.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True, text=True, check=False)  # fmt: skip
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


@pytest.fixture
def read_only(tmp_path):
    """A read-only folder: chmod 0o555, or as root (who ignores permissions) a read-only
    tmpfs."""
    folder = tmp_path / "ro"
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        folder.mkdir()
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    _mount_tmpfs(folder, "ro,size=64k")
    try:
        yield folder
    finally:
        _umount(folder)


@pytest.fixture
def small_disk(tmp_path):
    """A 64 KiB file system (tmpfs), or a skip saying why there is none."""
    folder = tmp_path / "small"
    _mount_tmpfs(folder, "size=64k")
    try:
        yield folder
    finally:
        _umount(folder)


def test_a_read_only_folder_is_a_clear_error(quick, small_sample, read_only, capsys):
    out = read_only / "r"
    code, err = run(capsys, small_sample, out)
    assert code == 2
    assert f"error: cannot write the report to {out}: " in err
    assert "Read-only file system" in err or "Permission denied" in err
    assert beside(out) == []


def test_a_full_disk_is_a_clear_error_and_frees_what_the_run_wrote(
    quick_base, small_sample, small_disk, capsys, monkeypatch
):
    monkeypatch.setattr(report, "_execute", big_page_execute)
    out = small_disk / "r"
    code, err = run(capsys, small_sample, out)
    assert code == 2
    assert f"error: cannot write the report to {out}: No space left on device" in err
    assert beside(out) == []  # the work folder and the lock file are gone


def test_a_full_disk_met_in_a_worker_is_a_clear_error(quick_base, small_sample, tmp_path,
                                                      capsys, monkeypatch):  # fmt: skip
    """The error crosses the process pool (jobs 2, two sections) with its file name."""
    monkeypatch.setattr(report, "_execute", enospc_execute)
    out = tmp_path / "r"
    code, err = run(capsys, small_sample, out, "--section", "channels", "--jobs", "2")
    assert code == 2
    assert f"error: cannot write the report to {out}: No space left on device (" in err
    assert ".html)" in err
    assert beside(out) == []


# ---------------------------------------------------------------------------------------
# A page that cannot be rendered
# ---------------------------------------------------------------------------------------


def test_a_page_that_cannot_be_rendered_fails_its_section_and_the_run(
    quick_base, small_sample, tmp_path, capsys, monkeypatch
):
    def execute_notebook(input_path, output_path, **kwargs):
        shutil.copy(input_path, output_path)  # "executed", without a kernel

    def render_html(*args, **kwargs):
        raise RuntimeError("planted rendering failure")

    monkeypatch.setattr(pm, "execute_notebook", execute_notebook)
    monkeypatch.setattr(report, "render_html", render_html)
    out = tmp_path / "r"
    code, err = run(capsys, small_sample, out)
    assert code == 1
    assert (
        f"[1/1] {TITLE}: FAILED: rendering to HTML failed: RuntimeError: planted rendering failure"
    ) in err
    assert "(with failed sections)" in err
    assert "planted rendering failure" in (out / f"{SECTION}.html").read_text(encoding="utf-8")
    nbformat.read(out / "notebooks" / f"{SECTION}.ipynb", as_version=4)  # kept, readable


# ---------------------------------------------------------------------------------------
# Signals
# ---------------------------------------------------------------------------------------


def test_sigterm_during_the_final_move_waits_for_the_report_to_be_in(
    quick, small_sample, tmp_path, capsys, monkeypatch
):
    """The signal arrives as the finished report is renamed in: the rename completes,
    then the run stops (143), with the whole new report in place and nothing beside."""
    out = tmp_path / "r"
    old_report(out)
    real = os.replace
    sent = []

    def replace(src, dst, *args, **kwargs):
        if Path(dst) == out and Path(src).name.startswith(".r-"):
            os.kill(os.getpid(), signal.SIGTERM)
            sent.append(src)
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    handler = signal.getsignal(signal.SIGTERM)
    code, err = run(capsys, small_sample, out, "--force")
    assert sent
    assert code == 143
    assert f"Stopped by SIGTERM after the report was moved into {out}" in err
    assert err.rstrip().endswith("terminated")
    assert sorted(p.name for p in out.glob("*.html")) == [f"{SECTION}.html", "index.html"]
    assert beside(out) == ["r"]
    assert signal.getsignal(signal.SIGTERM) == handler  # put back as it was


MARK = "CSMETRICS_TEST_RUN"


def marked(mark: str) -> dict[int, str]:
    """Processes started by the run marked ``mark`` (the variable passes to its workers
    and kernels, whatever session or process group they are in): their command lines."""
    found = {}
    needle = f"{MARK}={mark}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "environ").read_bytes().split(b"\0"):
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                found[int(entry.name)] = cmdline
        except OSError:  # gone meanwhile, or a zombie
            pass
    return found


def wait_for(condition, timeout: float, what: str, proc=None, err: Path | None = None):
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            text = err.read_text(encoding="utf-8") if err else ""
            pytest.fail(f"the run ended ({proc.returncode}) before {what}:\n{text}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def catches_sigterm(pid: int) -> bool:
    """Whether the process has its SIGTERM handler (the command line's ``main`` runs)."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    caught = int(next(ln for ln in status.splitlines() if ln.startswith("SigCgt:")).split()[1], 16)
    return bool(caught & (1 << (signal.SIGTERM - 1)))


def kernels(mark: str) -> list[str]:
    return [c for c in marked(mark).values() if "ipykernel" in c]


needs_proc = pytest.mark.skipif(
    not Path("/proc/self/environ").exists(), reason="needs Linux /proc to find the processes"
)


class Run:
    """``csmetrics report`` on the small sample in a session of its own, marked."""

    def __init__(self, data: Path, out: Path, *extra: str) -> None:
        self.mark = uuid.uuid4().hex
        self.out = out
        self.err = out.parent / f"stderr-{self.mark}.txt"
        argv = ["report", "--data", str(data), "--period", REPORT_PERIOD, "--out", str(out)]
        with open(self.err, "w", encoding="utf-8") as err:
            self.proc = subprocess.Popen(
                [*csmetrics_command(), *argv, *extra],
                env={**os.environ, MARK: self.mark},
                stdout=subprocess.DEVNULL,
                stderr=err,
                start_new_session=True,
            )

    def stderr(self) -> str:
        return self.err.read_text(encoding="utf-8")

    def wait_for_kernel(self) -> None:
        wait_for(lambda: kernels(self.mark), 180, "a kernel started", self.proc, self.err)

    def stop(self, sig: int) -> int:
        """Send ``sig``; the exit code (negative: killed by a signal)."""
        self.proc.send_signal(sig)
        return self.proc.wait(60)

    def left(self) -> list[str]:
        """What the run left beside its target (its own stderr file aside)."""
        return [n for n in beside(self.out) if not n.startswith("stderr-")]

    def gone(self, within: float = 10.0) -> None:
        """Every process of the run ends within ``within`` seconds."""
        wait_for(lambda: not marked(self.mark), within, "the run's processes to end")

    def kill_all(self) -> None:
        """Whatever happened, leave no process behind."""
        for pid in marked(self.mark):
            with suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        if self.proc.poll() is None:
            self.proc.wait(10)


@pytest.fixture
def start(small_sample, tmp_path):
    runs = []

    def start(*extra: str) -> Run:
        r = Run(small_sample, tmp_path / "r", *extra)
        runs.append(r)
        return r

    yield start
    for r in runs:
        r.kill_all()


TWO = ("--section", SECTION, "--section", "channels")


@needs_proc
def test_sigterm_during_loading_exits_143_and_leaves_nothing(start):
    r = start(*TWO, "--jobs", "2")
    wait_for(lambda: catches_sigterm(r.proc.pid), 60, "the command to start", r.proc, r.err)
    assert "Report " not in r.stderr()  # still loading the data
    assert r.stop(signal.SIGTERM) == 143
    err = r.stderr()
    assert "Report " not in err
    assert err.strip().splitlines()[-1] == "terminated"
    assert "Traceback" not in err
    r.gone(within=5)
    assert r.left() == []


@needs_proc
def test_sigterm_during_the_notebooks_stops_workers_and_kernels(start):
    r = start(*TWO, "--jobs", "2")
    r.wait_for_kernel()
    assert r.stop(signal.SIGTERM) == 143
    err = r.stderr()
    assert "Stopped by SIGTERM: notebooks and kernels ended, work folder removed" in err
    assert err.strip().splitlines()[-1] == "terminated"
    assert "Traceback" not in err
    r.gone(within=5)
    assert r.left() == []


@needs_proc
def test_ctrl_c_during_a_notebook_run_in_the_main_process_exits_130(start):
    r = start(*TWO, "--jobs", "1")  # the kernel is the command's own child
    r.wait_for_kernel()
    assert r.stop(signal.SIGINT) == 130
    err = r.stderr()
    assert "Stopped by SIGINT" in err
    assert err.strip().splitlines()[-1] == "interrupted"
    assert "Traceback" not in err
    r.gone(within=5)
    assert r.left() == []


def holding(path: Path, pids) -> list[int]:
    """The processes among ``pids`` that have ``path`` open."""
    found = []
    for pid in pids:
        with suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with suppress(OSError):
                    if os.readlink(fd) == str(path):
                        found.append(pid)
                        break
    return found


@needs_proc
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_sigkill_takes_workers_and_kernels_along_and_the_next_run_cleans_up(
    start, quick, small_sample, capsys, jobs
):
    r = start(*TWO, "--jobs", jobs)
    r.wait_for_kernel()
    # only the run holds its lock: a worker keeping a copy would hold it after the run
    assert holding(r.out.parent / ".r.lock", marked(r.mark)) == [r.proc.pid]
    # meanwhile a second run on the same folder is refused (it used to delete the first)
    code, err = run(capsys, small_sample, r.out)
    assert code == 2
    assert f"another csmetrics report is writing {r.out}" in err
    assert r.stop(signal.SIGKILL) == -signal.SIGKILL
    r.gone(within=10)  # workers (PR_SET_PDEATHSIG) and kernels (the same, and killed)
    [work] = [n for n in r.left() if n.startswith(".r-")]
    code, err = run(capsys, small_sample, r.out)
    assert code == 0, err
    assert f"removed {r.out.parent / work}, the work folder of an interrupted run" in err
    assert r.left() == ["r"]


def test_leftovers_of_killed_runs_are_removed_and_only_theirs(tmp_path):
    out = tmp_path / "r"
    out.mkdir()
    (out / "index.html").write_text("new", encoding="utf-8")
    for name in (".r-k3j_9x2a", ".r.old-ab12cd34", ".r-2-k3j_9x2a", ".rx-k3j_9x2a", "r-2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(name, encoding="utf-8")
    lines = []
    report._clean_leftovers(out, lines.append)
    assert beside(out) == [".r-2-k3j_9x2a", ".rx-k3j_9x2a", "r", "r-2"]
    assert lines == [
        f"  removed {tmp_path / '.r-k3j_9x2a'}, the work folder of an interrupted run",
        f"  removed {tmp_path / '.r.old-ab12cd34'}, a replaced report an interrupted run left",
    ]
    assert (out / "index.html").read_text(encoding="utf-8") == "new"
