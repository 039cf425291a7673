"""End-to-end: the report pipeline (papermill + nbconvert) and the notebooks."""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from csmetrics.cli import main
from csmetrics.report import SECTIONS, notebooks_dir

from .conftest import ROOT, SAMPLE

pytestmark = pytest.mark.slow


def _visible_text(page: str) -> str:
    page = re.sub(r"<style.*?</style>", "", page, flags=re.DOTALL)
    return re.sub(r"<[^>]+>", " ", page)


def test_committed_notebooks_have_parameters_and_no_outputs():
    for name, _, _ in SECTIONS:
        nb = nbformat.read(notebooks_dir() / f"{name}.ipynb", as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, name
        for key in ("data_dir", "period", "config", "comparison_period"):
            assert re.search(rf"^{key} = ", tagged[0].source, flags=re.M), (name, key)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, name


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports") / "2026-10"
    code = main(["report", "--data", str(SAMPLE), "--period", "2026-10", "--out", str(out)])
    return code, out


def test_report_on_sample_writes_index_and_sections(sample_report):
    code, out = sample_report
    assert code == 0
    index = (out / "index.html").read_text(encoding="utf-8")
    for name, title, _ in SECTIONS:
        assert f"href='{name}.html'" in index
        page = (out / f"{name}.html").read_text(encoding="utf-8")
        assert "<title>" in page and title in page
        # code hidden: no input cells, no prompts
        assert "jp-InputArea-editor\"" not in page and "In&nbsp;[" not in page
        assert "import csmetrics" not in _visible_text(page)
        # self-contained: images embedded, no script fetched from the internet
        assert "data:image/png;base64," in page
        assert not re.search(r"<script[^>]+src=['\"]https?://", page)


def test_data_quality_section_lists_the_planted_problems(sample_report):
    _, out = sample_report
    text = _visible_text((out / "data_quality.html").read_text(encoding="utf-8"))
    for kind in (
        "resolved_before_created",
        "first_response_before_created",
        "future_timestamp",
        "score_out_of_scale",
        "unknown_ticket",
        "negative_value",
        "absurd_duration",
        "months_without_data",
    ):
        assert kind in text, kind
    assert "Data quality · 2026-10" in text


def test_existing_report_is_not_overwritten(sample_report, capsys):
    _, out = sample_report
    before = (out / "index.html").stat().st_mtime_ns
    code = main(["report", "--data", str(SAMPLE), "--period", "2026-10", "--out", str(out)])
    assert code == 2
    assert "use --force" in capsys.readouterr().err
    assert (out / "index.html").stat().st_mtime_ns == before


def test_failing_notebook_leaves_partial_html_and_exit_1(tmp_path, monkeypatch):
    from csmetrics import report

    nbdir = tmp_path / "nbs"
    nbdir.mkdir()
    good = nbformat.read(notebooks_dir() / "data_quality.ipynb", as_version=4)
    nbformat.write(good, nbdir / "data_quality.ipynb")
    bad = nbformat.v4.new_notebook()
    bad.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell(
        "data_dir = None\nperiod = None\nconfig = None\ncomparison_period = None"
    )
    params.metadata["tags"] = ["parameters"]
    bad.cells = [
        params,
        nbformat.v4.new_code_cell("print('before the failure')"),
        nbformat.v4.new_code_cell("raise ValueError('planted failure')"),
    ]
    nbformat.write(bad, nbdir / "broken.ipynb")
    monkeypatch.setattr(report, "notebooks_dir", lambda: nbdir)
    monkeypatch.setattr(
        report, "SECTIONS", [("broken", "Broken", "fails on purpose"), *report.SECTIONS]
    )
    out = tmp_path / "r"
    code = main(
        ["report", "--data", str(SAMPLE), "--period", "2026-10", "--out", str(out), "--jobs", "2"]
    )
    assert code == 1
    broken = (out / "broken.html").read_text(encoding="utf-8")
    assert "before the failure" in broken and "planted failure" in broken
    assert (out / "data_quality.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "This section failed" in index and "planted failure" in index


def test_readme_report_period_is_the_sample_default():
    from csmetrics import load
    from csmetrics.report import default_period

    assert default_period(load(SAMPLE)) == "2026-10"
    assert "reports/2026-10/index.html" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_validate_sample_exits_zero_and_lists_planted_problems(capsys):
    assert main(["validate", "--data", str(SAMPLE), "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    kinds = {p["kind"] for p in payload["problems"] if p["severity"] == "warning"}
    assert {
        "resolved_before_created",
        "first_response_before_created",
        "future_timestamp",
        "score_out_of_scale",
        "unknown_ticket",
        "months_without_data",
    } <= kinds
    assert payload["tables"]["tickets"]["rows"] > 50_000


def test_data_from_files_is_escaped_in_the_html(tmp_path):
    payload = "<img src=x onerror=alert(1)>"
    folder = tmp_path / "evil"
    folder.mkdir()
    (folder / "tickets.csv").write_text(
        f'ticket_id,created_at,channel,"{payload}"\n'
        "T1,2026-10-01 09:00,email,x\nT2,2026-10-31 09:00,chat,y\n",
        encoding="utf-8",
    )
    out = tmp_path / "r"
    assert main(["report", "--data", str(folder), "--period", "2026-10", "--out", str(out)]) == 0
    page = (out / "data_quality.html").read_text(encoding="utf-8")
    assert payload not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
