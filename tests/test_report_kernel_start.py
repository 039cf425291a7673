"""A kernel that fails to start is started again (up to 3 more times, after a short random
pause) instead of failing its section: kernels started at the same moment by parallel
workers may race for a TCP port, and the loser dies before replying, or binding raises
``ZMQError: Address already in use``. A cell's own error is never retried."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import nbformat
import papermill as pm
import pytest
import zmq

from csmetrics import report
from csmetrics.report import (
    KERNEL_START_RETRIES,
    SectionResult,
    _execute,
    _kernel_failed_to_start,
    _kernel_start_pause,
    _outcome,
)

DIED = RuntimeError("Kernel died before replying to kernel_info")
SILENT = RuntimeError("Kernel didn't respond in 60 seconds")
ZMQ_IN_USE = zmq.ZMQError(errno.EADDRINUSE)


def _wrapped(cause: BaseException) -> RuntimeError:
    """An error raised while handling ``cause``, as a library re-raising it would."""
    try:
        raise cause
    except BaseException:
        try:
            raise RuntimeError("could not start the kernel") from cause
        except RuntimeError as exc:
            return exc


def _cell_error(evalue: str) -> pm.PapermillExecutionError:
    return pm.PapermillExecutionError(
        cell_index=1, exec_count=1, source="x", ename="OSError", evalue=evalue, traceback=[]
    )


@pytest.fixture
def notebook(tmp_path, monkeypatch):
    """A one-cell notebook and a work folder; no pause between starts."""
    src = tmp_path / "s.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}  # fmt: skip
    nbformat.write(nb, src)
    (tmp_path / "work" / "notebooks").mkdir(parents=True)
    pauses = []
    monkeypatch.setattr(report, "_kernel_start_pause", lambda attempt: pauses.append(attempt) or 0)
    return src, tmp_path / "work", pauses


def _fake_papermill(monkeypatch, failures):
    """``papermill.execute_notebook`` raising ``failures`` one per call, then succeeding."""
    calls = []

    def fake(input_path, output_path, **kwargs):
        calls.append(kwargs)
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]
        shutil.copy(input_path, output_path)

    monkeypatch.setattr(pm, "execute_notebook", fake)
    return calls


@pytest.mark.parametrize(
    ("failures", "ok", "starts"),
    [
        pytest.param([DIED], True, 2, id="died-once"),
        pytest.param([ZMQ_IN_USE], True, 2, id="zmq-address-in-use"),
        pytest.param([DIED, ZMQ_IN_USE, SILENT], True, 4, id="three-failures-then-ok"),
        pytest.param([ZMQ_IN_USE] * 4, False, 4, id="four-failures"),
        pytest.param([_wrapped(ZMQ_IN_USE)], True, 2, id="wrapped-zmq"),
        pytest.param([OSError(errno.EADDRINUSE, "Address already in use")], True, 2, id="oserror"),
        pytest.param([RuntimeError("something else broke")], False, 1, id="other-error"),
        pytest.param([_cell_error("[Errno 98] Address already in use")], False, 1, id="cell"),
    ],
)
def test_a_kernel_that_fails_to_start_is_started_again(notebook, monkeypatch, failures, ok,
                                                       starts):  # fmt: skip
    src, work, pauses = notebook
    calls = _fake_papermill(monkeypatch, failures)
    result = _execute("s", "S", src, work, {"lang": "en"})
    assert result.ok is ok
    assert len(calls) == starts == result.attempts
    # a pause before each new start, none after the last one
    assert pauses == list(range(starts - 1))
    if not ok:
        assert result.error
        assert (work / "s.html").exists()  # the failure page


def test_retries_are_limited_to_three():
    assert KERNEL_START_RETRIES == 3


def test_the_pause_before_a_new_start_is_short_random_and_grows():
    first = [_kernel_start_pause(0) for _ in range(50)]
    third = [_kernel_start_pause(2) for _ in range(50)]
    assert all(0.1 <= p <= 0.5 for p in first)
    assert all(0.4 <= p <= 2.0 for p in third)
    assert len(set(first)) > 1  # random: parallel workers do not start again together


def test_the_progress_line_says_the_kernel_was_started_again():
    r = SectionResult("s", "S", True, 3.0, attempts=3)
    assert _outcome(r) == "S: ok (3.0 s, kernel started 3 times)"
    assert _outcome(SectionResult("s", "S", True, 3.0)) == "S: ok (3.0 s)"


def test_recognised_start_failures():
    assert _kernel_failed_to_start(ZMQ_IN_USE)
    assert _kernel_failed_to_start(_wrapped(ZMQ_IN_USE))
    assert _kernel_failed_to_start(RuntimeError("ZMQError: Address already in use (addr='x')"))
    assert not _kernel_failed_to_start(zmq.ZMQError(errno.EAGAIN))
    assert not _kernel_failed_to_start(_cell_error("Address already in use"))
    assert not _kernel_failed_to_start(RuntimeError("Kernel died"))  # mid-run: cells ran


def test_address_in_use_raised_inside_jupyter_client_is_retried_with_a_real_kernel(
    notebook, monkeypatch
):
    """The error raised where jupyter_client launches the kernel, through papermill and
    nbclient as they wrap it: the section still runs, on the second start."""
    from jupyter_client.provisioning import local_provisioner

    src, work, pauses = notebook
    real = local_provisioner.launch_kernel
    launches = []

    def launch(cmd, **kwargs):
        launches.append(cmd)
        if len(launches) == 1:
            raise zmq.ZMQError(errno.EADDRINUSE)
        return real(cmd, **kwargs)

    monkeypatch.setattr(local_provisioner, "launch_kernel", launch)
    result = _execute("s", "S", src, work, {"lang": "en"})
    assert result.ok, result.error
    assert result.attempts == 2 and len(launches) == 2
    # each kernel's connection file (ports and key) was written in the work folder, which
    # the run removes whatever happens, not in Jupyter's runtime folder
    files = [cmd[cmd.index("-f") + 1] for cmd in launches]
    assert all(Path(f).parent == work / report.KERNEL_FILES for f in files), files
    assert pauses == [0]
    out = nbformat.read(work / "notebooks" / "s.ipynb", as_version=4)
    assert out.cells[-1].outputs[0]["data"]["text/plain"] == "1"


def test_a_kernel_dead_before_replying_is_started_again_with_a_real_kernel(notebook, monkeypatch):
    """The first "kernel" exits at once: nbclient reports it dead before replying."""
    import sys

    from jupyter_client.provisioning import local_provisioner

    src, work, _pauses = notebook
    real = local_provisioner.launch_kernel
    launches = []

    def launch(cmd, **kwargs):
        launches.append(cmd)
        if len(launches) == 1:
            cmd = [sys.executable, "-c", "raise SystemExit(1)"]
        return real(cmd, **kwargs)

    monkeypatch.setattr(local_provisioner, "launch_kernel", launch)
    result = _execute("s", "S", src, work, {"lang": "en"})
    assert result.ok, result.error
    assert result.attempts == 2
