"""The notebooks a process runs in turn share one kernel (a Python and its imports are
started once), each with a namespace of its own; a kernel that is not idle after a
notebook (a cell past its time limit) is replaced."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from csmetrics import report
from csmetrics.report import _execute
from csmetrics.report_kernel import FRESH_NAMESPACE_TAG, close_notebook_runner

pytestmark = pytest.mark.slow


def _notebook(folder: Path, name: str, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}  # fmt: skip
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def _counts(path: Path) -> list[int | None]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [c.get("execution_count") for c in cells if c["cell_type"] == "code"]


@pytest.fixture
def work(tmp_path):
    folder = tmp_path / "work"
    (folder / "notebooks").mkdir(parents=True)
    yield folder
    close_notebook_runner(wait_s=10)


PID = "import os\nprint('pid', os.getpid())"


def _pid(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    return text.split("pid ")[1].split()[0]


def test_notebooks_in_turn_share_the_kernel_but_not_their_names(tmp_path, work):
    first = _notebook(tmp_path, "first", PID, "leak = 1\nimport statistics")
    second = _notebook(
        tmp_path, "second", PID,
        "assert 'leak' not in globals() and 'statistics' not in globals()",
        "print('fresh')",
    )  # fmt: skip
    a = _execute("first", "First", first, work, {})
    b = _execute("second", "Second", second, work, {})
    assert a.ok and b.ok, (a.error, b.error)
    out_a, out_b = work / "notebooks" / "first.ipynb", work / "notebooks" / "second.ipynb"
    assert _pid(out_a) == _pid(out_b)  # one kernel
    # the cell that empties the namespace is not in the notebooks the report keeps,
    # whose cells are numbered from 1 as in a kernel of their own
    for out in (out_a, out_b):
        tags = [
            t for c in nbformat.read(out, as_version=4).cells for t in c.metadata.get("tags", [])
        ]
        assert FRESH_NAMESPACE_TAG not in tags
    assert _counts(out_b) == [1, 2, 3]


def test_a_cell_error_keeps_the_kernel_a_time_limit_replaces_it(tmp_path, work, monkeypatch):
    failing = _notebook(tmp_path, "failing", PID, "raise ValueError('planted')")
    after_error = _notebook(tmp_path, "after_error", PID)
    slow = _notebook(tmp_path, "slow", PID, "import time\ntime.sleep(60)")
    after_timeout = _notebook(tmp_path, "after_timeout", PID)
    r = _execute("failing", "Failing", failing, work, {})
    assert not r.ok and "planted" in r.error
    assert _execute("after_error", "After", after_error, work, {}).ok
    notebooks = work / "notebooks"
    assert _pid(notebooks / "failing.ipynb") == _pid(notebooks / "after_error.ipynb")
    monkeypatch.setattr(report, "CELL_TIMEOUT_S", 3)
    r = _execute("slow", "Slow", slow, work, {})
    assert not r.ok
    assert _execute("after_timeout", "After", after_timeout, work, {}).ok
    assert _pid(notebooks / "slow.ipynb") != _pid(notebooks / "after_timeout.ipynb")


def test_a_run_in_another_work_folder_gets_another_kernel(tmp_path, work):
    nb = _notebook(tmp_path, "nb", PID)
    other = tmp_path / "other"
    (other / "notebooks").mkdir(parents=True)
    assert _execute("nb", "Nb", nb, work, {}).ok
    assert _execute("nb", "Nb", nb, other, {}).ok
    assert _pid(work / "notebooks" / "nb.ipynb") != _pid(other / "notebooks" / "nb.ipynb")


def test_a_notebook_inherits_no_language_currency_or_chart_style(tmp_path, work):
    setter = _notebook(
        tmp_path, "setter", PID,
        "import matplotlib as mpl\nfrom csmetrics import i18n, plots\n"
        "i18n.set_language('pl')\ni18n.set_currency('USD')\nplots.set_style()\n"
        "mpl.rcParams['lines.linewidth'] = 7.5\n"
        "import pandas as pd, warnings\npd.set_option('display.max_rows', 3)\n"
        "warnings.simplefilter('error')",
    )  # fmt: skip
    reader = _notebook(
        tmp_path, "reader", PID,
        "import matplotlib as mpl\nfrom csmetrics import i18n\n"
        "assert (i18n.get_language(), i18n.get_currency()) == ('en', 'EUR')\n"
        "assert mpl.rcParams['lines.linewidth'] != 7.5\n"
        "import pandas as pd, warnings\nassert pd.get_option('display.max_rows') == 60\n"
        "warnings.warn('only a warning')",
        "import matplotlib.pyplot as plt\nfig, ax = plt.subplots()\nax.plot([1, 2])",
    )  # fmt: skip
    assert _execute("setter", "Setter", setter, work, {}).ok
    r = _execute("reader", "Reader", reader, work, {})
    assert r.ok, r.error
    # a figure is still shown without plt.show(), as in a kernel of its own
    last = nbformat.read(work / "notebooks" / "reader.ipynb", as_version=4).cells[-1]
    assert any("image/png" in o.get("data", {}) for o in last.outputs)
    assert _pid(work / "notebooks" / "setter.ipynb") == _pid(work / "notebooks" / "reader.ipynb")


def test_parameters_reach_a_notebook_without_a_parameters_cell(tmp_path, work):
    """papermill puts the parameters first when no cell is tagged ``parameters``: they
    must come after the cell that empties the namespace, not before it."""
    nb = _notebook(tmp_path, "plain", "assert x == 5, x")
    r = _execute("plain", "Plain", nb, work, {"x": 5})
    assert r.ok, r.error


def test_the_warm_up_starts_the_kernel_the_first_section_uses(tmp_path, work):
    """Started ahead (while the data is prepared), the kernel has imported what the
    sections import; the first section runs in that kernel, not in one of its own."""
    from csmetrics.report_kernel import notebook_runner

    runner = notebook_runner(work)
    runner.call_soon(report._warm_up_job(work))
    check = _notebook(
        tmp_path, "check", PID,
        "import sys\nassert 'csmetrics.notebook' in sys.modules",
    )  # fmt: skip
    r = _execute("check", "Check", check, work, {})
    assert r.ok and r.attempts == 1, r.error
    warm = runner.call(lambda rn: rn._km.provisioner.process.pid)  # the warm kernel's process
    assert _pid(work / "notebooks" / "check.ipynb") == str(warm)
    assert not list((work / "notebooks").glob(".warm-up*"))


def test_a_warm_up_that_fails_leaves_the_first_section_its_own_start(tmp_path, work, monkeypatch):
    from jupyter_client.provisioning import local_provisioner

    from csmetrics.report_kernel import notebook_runner

    real = local_provisioner.launch_kernel
    launches = []

    def launch(cmd, **kwargs):
        launches.append(cmd)
        if len(launches) == 1:
            raise RuntimeError("planted: the warm-up's kernel does not start")
        return real(cmd, **kwargs)

    monkeypatch.setattr(local_provisioner, "launch_kernel", launch)
    notebook_runner(work).call(report._warm_up_job(work))
    r = _execute("first", "First", _notebook(tmp_path, "first", PID), work, {})
    assert r.ok and r.attempts == 1, r.error
    assert len(launches) == 2
