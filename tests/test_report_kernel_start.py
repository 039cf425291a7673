"""A kernel that dies before running any cell is started once more, not reported as a
failed section (parallel kernels may race for a TCP port)."""

from __future__ import annotations

import shutil

import nbformat
import papermill as pm
import pytest

from csmetrics.report import _execute


@pytest.mark.parametrize(
    ("failures", "ok"),
    [(["Kernel died before replying to kernel_info"], True),
     (["Kernel died before replying to kernel_info"] * 2, False),
     (["something else broke"], False)],
)  # fmt: skip
def test_a_kernel_dead_on_start_is_started_once_more(tmp_path, monkeypatch, failures, ok):
    src = tmp_path / "s.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]), src)
    (tmp_path / "work" / "notebooks").mkdir(parents=True)
    calls = []

    def fake(input_path, output_path, **kwargs):
        calls.append(input_path)
        if len(calls) <= len(failures):
            raise RuntimeError(failures[len(calls) - 1])
        shutil.copy(input_path, output_path)

    monkeypatch.setattr(pm, "execute_notebook", fake)
    result = _execute("s", "S", src, tmp_path / "work", {"lang": "en"})
    assert result.ok is ok
    retried = failures[0].startswith("Kernel died")
    assert len(calls) == (2 if retried else 1)
