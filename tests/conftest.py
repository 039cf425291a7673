"""Shared test helpers."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis profiles: "ci" (the default: small, so that `make test` stays fast) and
# "long" for a thorough run, e.g. `HYPOTHESIS_PROFILE=long pytest tests/test_fuzz_*.py`.
# Tests whose examples cost more or less than most set ``max_examples=examples(n)``
# (n under "ci", fifty times n under "long"); the fuzz tests take the profile's count.
_SLOW_OK = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
settings.register_profile("ci", max_examples=25, deadline=None, suppress_health_check=_SLOW_OK)
settings.register_profile(
    "long", max_examples=20_000, deadline=None, suppress_health_check=_SLOW_OK
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


def examples(ci: int) -> int:
    """``max_examples`` for a property test: ``ci`` in the "ci" profile (chosen per test
    by what one example costs), fifty times as many in the "long" one."""
    return ci if PROFILE == "ci" else ci * 50


ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATASETS = SHARED / "datasets"
SAMPLE = ROOT / "data" / "sample"


def write_files(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{name: text or bytes}`` into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def make_folder(tmp_path):
    """Factory: ``make_folder({"tickets.csv": "..."})`` returns a data folder."""
    counter = {"n": 0}

    def make(files: dict[str, str | bytes]) -> Path:
        counter["n"] += 1
        return write_files(tmp_path / f"data{counter['n']}", files)

    return make


def needs_shared() -> pytest.MarkDecorator:
    """Skip marker for tests that read ../shared/datasets."""
    return pytest.mark.skipif(
        not DATASETS.is_dir(),
        reason=f"public data sets not present at {DATASETS} (they live beside the checkout)",
    )


# ---------------------------------------------------------------------------------------
# Report runs shared by test_report.py, test_report_safety.py and test_browser.py
# ---------------------------------------------------------------------------------------

#: The period every report test uses: the last month of the bundled and the small sample.
REPORT_PERIOD = "2026-10"


@dataclass(frozen=True)
class ReportRun:
    """One ``csmetrics report`` run: exit code, output folder and what it printed."""

    code: int
    out: Path
    data: Path
    stdout: str
    stderr: str


def csmetrics_command() -> list[str]:
    """The ``csmetrics`` console script of this environment (``python -m`` as fallback)."""
    script = Path(sys.executable).with_name("csmetrics")
    return [str(script)] if script.exists() else [sys.executable, "-m", "csmetrics"]


def run_cli(
    *args: str | Path, cwd: Path = ROOT, timeout: float = 900, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run the real ``csmetrics`` command in a subprocess and capture its output
    (``env``: variables set on top of this process's environment)."""
    return subprocess.run(
        [*csmetrics_command(), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        check=False,
        env={**os.environ, **env} if env else None,
    )


def run_report_cli(data: Path, out: Path, *extra: str) -> ReportRun:
    """``csmetrics report --data DATA --period 2026-10 --out OUT [extra]``."""
    proc = run_cli("report", "--data", data, "--period", REPORT_PERIOD, "--out", out, *extra)
    return ReportRun(proc.returncode, out, data, proc.stdout, proc.stderr)


def run_main(*args: str | Path) -> subprocess.CompletedProcess:
    """The command line's ``main`` run in this process, its output captured, as
    :func:`run_cli` returns it: the same code from the arguments on, without a new
    Python importing pandas, csmetrics and papermill again (about 1.5 s of CPU a run).

    For runs of one notebook process (``report --jobs 1``: its kernel is a child of this
    process either way); :func:`run_cli` remains the test of the console script itself.
    """
    import contextlib
    import io

    from csmetrics.cli import main

    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def _shared_root(tmp_path_factory) -> Path:
    """A folder every xdist worker of this session sees (the session's base temp)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def build_once(tmp_path_factory, name: str, build: Callable[[Path], dict]) -> dict:
    """Run ``build(folder)`` once per test session, even across pytest-xdist workers.

    The first worker that needs ``name`` builds it under a file lock; the others wait
    for it and reuse the result (``build`` returns a JSON-able dict, stored beside).
    """
    root = _shared_root(tmp_path_factory)
    done = root / f"{name}.json"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if done.exists():
                return json.loads(done.read_text(encoding="utf-8"))
            folder = root / name
            if folder.exists():  # a build that failed half-way in another worker
                shutil.rmtree(folder)
            result = build(folder)
            done.write_text(json.dumps(result), encoding="utf-8")
            return result
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def shared_path(tmp_path_factory, name: str) -> Path:
    """Where :func:`build_once` builds ``name``."""
    return _shared_root(tmp_path_factory) / name


def shared_report(tmp_path_factory, name: str, data: Path, *extra: str) -> ReportRun:
    """``csmetrics report`` on ``data`` into the shared folder ``name``, once per session.

    Runs with ``--jobs 1`` unless ``extra`` says otherwise: the two pytest-xdist workers
    already keep both cores busy, and one kernel per run costs less than two
    (:func:`sample_report` runs the default ``--jobs 2``, so that path is run too). A run
    of one process runs the command's ``main`` in this process (:func:`run_main`); the
    bundled sample's run is the console script in a process of its own.
    """
    if "--jobs" not in extra:
        extra = (*extra, "--jobs", "1")
    one_process = extra[extra.index("--jobs") + 1] == "1"

    def build(folder: Path) -> dict:
        if not one_process:  # the pool forks: from a fresh process, not a test worker
            run = run_report_cli(data, folder, *extra)
            return {"code": run.code, "stdout": run.stdout, "stderr": run.stderr}
        args = ("--data", data, "--period", REPORT_PERIOD, "--out", folder, *extra)
        proc = run_main("report", *args)
        return {"code": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}

    r = build_once(tmp_path_factory, name, build)
    return ReportRun(r["code"], shared_path(tmp_path_factory, name), data, r["stdout"], r["stderr"])


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory) -> Path:
    """A fast data folder: the generator at a tenth of the volume, 3 months to 2026-10."""

    def build(folder: Path) -> dict:
        from csmetrics.sample import write_sample

        write_sample(folder, scale=0.1, months=3)
        return {}

    build_once(tmp_path_factory, "small-sample", build)
    return shared_path(tmp_path_factory, "small-sample")


@pytest.fixture(scope="session")
def sample_report(tmp_path_factory) -> ReportRun:
    """``csmetrics report`` on the bundled ``data/sample`` for 2026-10 (once per session).

    The one end-to-end English run of the session, with the default ``--jobs 2`` (two
    notebooks at a time); the report tests read it.
    """
    return shared_report(tmp_path_factory, "sample-report", SAMPLE, "--jobs", "2")


#: The sections each non-English run of the bundled sample covers: Polish the whole
#: report (the one full non-English run), the other languages two sections each, so that
#: every section is also seen in a second language; each run writes the index and
#: scorecard. The message catalogues themselves are checked for every language by
#: ``test_i18n.py::test_catalogue_translates_every_message``.
LANGUAGE_SECTIONS: dict[str, tuple[str, ...] | None] = {
    "pl": None,
    "pt": ("evaluation", "effectiveness"),
    "es": ("operational_cost", "customer_experience"),
    "it": ("channels", "data_quality"),
}


def language_run(tmp_path_factory, lang: str) -> ReportRun:
    """``csmetrics report --lang LANG [--section ...]`` on the bundled sample for 2026-10
    (:data:`LANGUAGE_SECTIONS`), once per session."""
    sections = [a for name in LANGUAGE_SECTIONS[lang] or () for a in ("--section", name)]
    return shared_report(
        tmp_path_factory, f"sample-report-{lang}", SAMPLE, "--lang", lang, *sections
    )


@pytest.fixture(scope="session", params=list(LANGUAGE_SECTIONS))
def language_report(request, tmp_path_factory) -> tuple[str, ReportRun]:
    """Each non-English run of :data:`LANGUAGE_SECTIONS`: ``(lang, run)``."""
    return request.param, language_run(tmp_path_factory, request.param)


# ---------------------------------------------------------------------------------------
# Reading the report's HTML
# ---------------------------------------------------------------------------------------


class PageParser(HTMLParser):
    """Headings (text by level), element ids, link/resource URLs and visible text of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[str, str]] = []
        self.ids: set[str] = set()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.text: list[str] = []
        self._heading: tuple[str, list[str]] | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for attr in ("href", "src"):
            if a.get(attr) is not None:
                self.urls.append((tag, attr, a[attr]))
        if tag in ("style", "script"):
            self._skip += 1
        if tag in ("h1", "h2", "h3", "h4"):
            self._heading = (tag, [])

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)
        if self._heading and tag == self._heading[0]:
            text = "".join(self._heading[1]).replace("¶", "").strip()
            self.headings.append((tag, " ".join(text.split())))
            self._heading = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._heading:
            self._heading[1].append(data)


def scorecard_rows(out: Path) -> list:
    """The KPIs a report's scorecard must list, in registry order: every headline KPI,
    every KPI its ``evaluation.json`` judges against a target and every KPI a
    recommendation cites."""
    from csmetrics.kpis import public_kpis

    evaluation = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    judged = {
        q["evidence"][0]["kpi"]
        for q in evaluation["questions"]
        if q["evidence"] and q["evidence"][0]["target"] is not None
    }
    cited = {e["kpi"] for r in evaluation["recommendations"] for e in r["evidence"] if "kpi" in e}
    return [k for k in public_kpis() if k.headline or k.id in judged | cited]


def parse_page(page: str) -> PageParser:
    """Parse one HTML page of the report."""
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def local_targets(page: str) -> list[str]:
    """URLs of links and resources of ``page`` that point into the report folder."""
    out = []
    for _, _, url in parse_page(page).urls:
        if url.startswith(("#", "data:", "mailto:", "javascript:")) or urlsplit(url).scheme:
            continue
        out.append(url)
    return out


# ---------------------------------------------------------------------------------------
# Report-level tests grouped by the report they read (``make test`` runs pytest-xdist with
# ``--dist loadgroup``): all tests of one report go to one worker, so the other worker
# builds another report meanwhile instead of waiting on the first one's lock.
# ---------------------------------------------------------------------------------------

#: Report fixtures and the group their tests join (a fixture built on another one joins
#: that one's group).
REPORT_GROUPS = {
    "rerun": "sample-report",
    "sample_report": "sample-report",
    "hostile_report": "hostile-report",
    "tickets_only_report": "tickets-only-report",
}


def report_group(item: pytest.Item) -> str | None:
    """The report a test reads, as an xdist group name (``None``: no report)."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    if "report" in params:  # test_report.py's fixture over the small and bundled runs
        return REPORT_GROUPS[params["report"]]
    if "language_report" in params or ("lang" in params and "language_run" in _source(item)):
        return f"language-report-{params.get('language_report', params.get('lang'))}"
    for name in item.fixturenames:
        if name in REPORT_GROUPS:
            return REPORT_GROUPS[name]
    return None


def _source(item: pytest.Item) -> str:
    function = getattr(item, "function", None)
    code = getattr(function, "__code__", None)
    return " ".join(code.co_names) if code else ""


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups into the node ids
def pytest_collection_modifyitems(config, items):
    for item in items:
        group = report_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(name=group))
