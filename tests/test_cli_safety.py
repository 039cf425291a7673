"""The command line ends quietly: output piped into a reader that stops early (``head``)
exits 141 without a ``BrokenPipeError`` traceback; Ctrl-C exits 130 and SIGTERM 143,
each with one line on stderr and no traceback (issue 13)."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from csmetrics import cli
from csmetrics.cli import BROKEN_PIPE_EXIT, main

from .conftest import REPORT_PERIOD, csmetrics_command

needs_proc = pytest.mark.skipif(
    not Path("/proc/self/status").exists(), reason="needs Linux /proc to see the handlers"
)


def kpis_args(data: Path) -> list[str]:
    """``csmetrics kpis`` printing about 120 KB, more than a pipe holds: a reader that
    stops after the first line always leaves the command writing into a closed pipe."""
    return [*csmetrics_command(), "kpis", "--data", str(data), "--period", REPORT_PERIOD,
            "--by", "agent_id", "--format", "json"]  # fmt: skip


def test_a_reader_closing_the_pipe_early_ends_the_command_quietly(small_sample):
    proc = subprocess.Popen(kpis_args(small_sample), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)  # fmt: skip
    assert proc.stdout.readline().strip() == b"{"
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(120) == BROKEN_PIPE_EXIT == 141
    assert "Traceback" not in err and "BrokenPipeError" not in err
    assert err == ""


@pytest.mark.skipif(not shutil.which("bash") or not shutil.which("head"), reason="needs bash")
def test_piping_kpis_into_head(small_sample):
    command = " ".join(f"'{a}'" for a in kpis_args(small_sample))
    proc = subprocess.run(
        ["bash", "-c", f'{command} | head -n 1; echo "${{PIPESTATUS[0]}}" >&2'],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.stdout == "{\n"
    assert proc.stderr == "141\n"  # the command's exit code, and nothing else


@pytest.mark.parametrize("where", ["parser", "command", "loading"])
def test_keyboard_interrupt_anywhere_exits_130_with_one_line(where, monkeypatch, capsys,
                                                             small_sample):  # fmt: skip
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    if where == "parser":
        monkeypatch.setattr(cli, "build_parser", interrupt)
    elif where == "command":
        monkeypatch.setattr(cli, "_cmd_validate", interrupt)
    else:
        import importlib

        monkeypatch.setattr(importlib.import_module("csmetrics.load"), "load", interrupt)
    assert main(["validate", "--data", str(small_sample)]) == 130
    captured = capsys.readouterr()
    assert captured.err == "interrupted\n"
    assert captured.out == ""


def test_sigterm_handler_is_put_back_after_the_command(capsys, small_sample):
    before = signal.getsignal(signal.SIGTERM)
    assert main(["validate", "--data", str(small_sample), "--format", "json"]) == 0
    capsys.readouterr()
    assert signal.getsignal(signal.SIGTERM) == before


def _handles_sigterm(pid: int) -> bool:
    """Whether ``main`` runs in the process (it catches SIGTERM from its first line)."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    caught = int(next(ln for ln in status.splitlines() if ln.startswith("SigCgt:")).split()[1], 16)
    return bool(caught & (1 << (signal.SIGTERM - 1)))


@needs_proc
@pytest.mark.parametrize(
    ("sig", "code", "line"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
    ids=["SIGINT", "SIGTERM"],
)
def test_a_signal_during_a_command_exits_with_one_line(small_sample, sig, code, line):
    proc = subprocess.Popen(kpis_args(small_sample), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not _handles_sigterm(proc.pid):
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        proc.send_signal(sig)  # while the data loads
        err = proc.stderr.read().decode()
        assert proc.wait(60) == code
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert err == f"{line}\n"
