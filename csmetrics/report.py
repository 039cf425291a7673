"""The monthly report: execute the notebooks with papermill, render them to HTML.

``run_report`` loads the data once (so bad data stops the run before any notebook
starts), executes every notebook of :data:`SECTIONS` with its parameters, renders
each to self-contained HTML with the code hidden, and writes ``index.html`` linking
them. Work happens in a temporary folder beside the target, moved into place at the
end, so a half-written report never replaces a finished one. A finished report is
only replaced with ``force=True``.
"""

from __future__ import annotations

import html
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .errors import CsmetricsError
from .load import Workbook, load
from .periods import Period, latest_complete_month

#: Notebooks of the report, in reading order: (file stem, title, one-line description).
SECTIONS: list[tuple[str, str, str]] = [
    ("effectiveness", "Effectiveness",
     "Response and resolution times, first-contact resolution, backlog, SLA, calls, teams "
     "and agents, product reliability."),
    ("operational_cost", "Operational cost",
     "Cost per contact and per resolution, by channel and category, against revenue; "
     "staffing against demand (Erlang C)."),
    ("customer_experience", "Customer experience",
     "CSAT, NPS, effort, survey response, retention and churn, and what customers write."),
    ("channels", "Channels and journeys",
     "Channel mix and requests by channel, peak against regular periods, channel switching."),
    ("data_quality", "Data quality",
     "What was read, what is wrong with it, and what was left out of which measure."),
]  # fmt: skip

KERNEL_NAME = "python3"


class ReportExistsError(CsmetricsError):
    """The target folder already holds a finished report and ``force`` was not given."""


@dataclass
class SectionResult:
    """Outcome of one notebook."""

    name: str
    title: str
    ok: bool
    seconds: float
    error: str = ""


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
    """The latest complete month of the data (tickets, calls and surveys), as ``YYYY-MM``."""
    import pandas as pd

    stamps = []
    for table, col in (("tickets", "created_at"), ("calls", "arrived_at"), ("surveys", "sent_at")):
        if table in wb:
            stamps.append(wb.usable(table)[col].dropna().dt.tz_convert("UTC"))
    if not stamps:
        raise CsmetricsError("no tickets, calls or surveys: give --period explicitly")
    month = latest_complete_month(pd.concat(stamps), wb.config.timezone)
    if month is None:
        raise CsmetricsError("the data has no usable timestamps: give --period explicitly")
    return month


def render_html(nb: nbformat.NotebookNode, title: str) -> str:
    """Render an executed notebook to one self-contained HTML page, code hidden."""
    from nbconvert import HTMLExporter

    templates = Path(__file__).resolve().parent / "templates"
    exporter = HTMLExporter(
        extra_template_basedirs=[str(templates)], template_name="csmetrics_report"
    )
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    nb.metadata["title"] = title
    body, _ = exporter.from_notebook_node(nb)
    return body


def _execute(name: str, title: str, src: Path, work: Path, params: dict) -> SectionResult:
    """Execute one notebook into ``work`` and render it; never raises."""
    import papermill as pm

    out_nb = work / "notebooks" / f"{name}.ipynb"
    out_html = work / f"{name}.html"
    start = time.perf_counter()
    ok, error = True, ""
    try:
        pm.execute_notebook(
            str(src),
            str(out_nb),
            parameters=params,
            kernel_name=KERNEL_NAME,
            progress_bar=False,
            # the kernel's own log (e.g. ipykernel's notice about TCP transport) is noise
            # for report readers; cell errors still come back through the messages
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            log_output=False,
            cwd=str(work),
        )
    except pm.PapermillExecutionError as exc:
        ok, error = False, f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # kernel died, notebook missing...: report it, don't crash
        ok, error = False, f"{type(exc).__name__}: {exc}"
    try:
        nb = nbformat.read(out_nb, as_version=4)
        page = render_html(nb, f"{title} · {params.get('period', '')}")
    except Exception:
        page = (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title></head><body><h1>{html.escape(title)}</h1><p>The notebook could not "
            f"be executed.</p><pre>{html.escape(error or traceback.format_exc())}</pre>"
            "</body></html>"
        )
    out_html.write_text(page, encoding="utf-8")
    return SectionResult(name, title, ok, time.perf_counter() - start, error)


def index_html(result: ReportResult, wb: Workbook, data_label: str) -> str:
    """The report's front page: one card per section, linking its HTML."""
    e = html.escape
    q = wb.quality
    cards = []
    for s in result.sections:
        desc = next((d for n, _, d in SECTIONS if n == s.name), "")
        status = "" if s.ok else f"<p class='err'>This section failed: {e(s.error)}</p>"
        cards.append(
            f"<li><a href='{e(s.name)}.html'>{e(s.title)}</a><p>{e(desc)}</p>{status}</li>"
        )
    rows = sum(i.rows for i in q.tables.values())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Customer-service report · {e(result.period)}</title>
<style>
body {{ font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; max-width: 960px;
       margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; line-height: 1.45; }}
h1 {{ margin-bottom: .2rem; }} .sub {{ color: #555; margin-top: 0; }}
ul.sections {{ list-style: none; padding: 0; }}
ul.sections li {{ border: 1px solid #ddd; border-radius: 8px; padding: .8rem 1rem;
                 margin: .6rem 0; }}
ul.sections a {{ font-size: 1.15rem; font-weight: 600; color: #0072B2; }}
ul.sections p {{ margin: .3rem 0 0; }} .err {{ color: #D55E00; font-weight: 600; }}
</style></head><body>
<h1>Customer-service report · {e(result.period)}</h1>
<p class="sub">Data: {e(data_label)} · {len(q.tables)} tables, {rows:,} rows ·
{len(q.errors)} errors, {len(q.warnings)} data-quality warnings</p>
<ul class="sections">
{chr(10).join(cards)}
</ul>
<p class="sub">Generated by csmetrics on {time.strftime("%Y-%m-%d %H:%M")}.</p>
</body></html>
"""


def run_report(
    data: str | Path | None = None,
    period: str | None = None,
    out: str | Path | None = None,
    config: str | Path | None = None,
    force: bool = False,
    jobs: int = 1,
    sections: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
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
        Replace an existing report.
    jobs : int
        Notebooks executed in parallel.
    sections : list of str, optional
        Run only these notebooks (file stems of :data:`SECTIONS`).
    progress : callable, optional
        Receives one line of text per step (default: print to stderr).

    Raises
    ------
    ReportExistsError
        The target holds a report and ``force`` is false.
    DataError, ConfigError
        The data cannot be loaded; no notebook is run.
    """
    say = progress or (lambda msg: print(msg, file=sys.stderr, flush=True))
    wb = load(data, config)
    data_dir = Path(wb.folder).resolve()
    label = period or default_period(wb)
    label = Period.parse(label, wb.config.timezone).label
    target = Path(out) if out is not None else Path("reports") / label.replace("/", "-")
    if target.exists() and any(target.iterdir()) and not force:
        what = "a report" if (target / "index.html").exists() else "files"
        raise ReportExistsError(f"{target} already holds {what}; use --force to replace it")
    chosen = [s for s in SECTIONS if sections is None or s[0] in sections]
    if not chosen:
        raise CsmetricsError(
            f"no such section(s): {sections}; known: {', '.join(s[0] for s in SECTIONS)}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    (work / "notebooks").mkdir()
    params = {
        "data_dir": str(data_dir),
        "period": label,
        "config": str(Path(config).resolve()) if config else None,
    }
    result = ReportResult(out=target, period=label)
    src = notebooks_dir()
    say(f"Report {label}: {len(chosen)} notebook(s) from {data_dir} -> {target}")
    try:
        if jobs > 1 and len(chosen) > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = [
                    pool.submit(_execute, n, t, src / f"{n}.ipynb", work, params)
                    for n, t, _ in chosen
                ]
                for i, fut in enumerate(as_completed(futures), 1):
                    r = fut.result()
                    result.sections.append(r)
                    say(
                        f"  [{i}/{len(chosen)}] {r.title}: "
                        f"{'ok' if r.ok else 'FAILED'} ({r.seconds:.1f} s)"
                    )
        else:
            for i, (n, t, _) in enumerate(chosen, 1):
                say(f"  [{i}/{len(chosen)}] {t} ...")
                r = _execute(n, t, src / f"{n}.ipynb", work, params)
                result.sections.append(r)
                say(
                    f"  [{i}/{len(chosen)}] {t}: {'ok' if r.ok else 'FAILED: ' + r.error} "
                    f"({r.seconds:.1f} s)"
                )
        order = [n for n, _, _ in chosen]
        result.sections.sort(key=lambda s: order.index(s.name))
        (work / "index.html").write_text(
            index_html(result, wb, str(data) if data else "bundled sample"), encoding="utf-8"
        )
        if target.exists():
            shutil.rmtree(target)
        os.replace(work, target)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    say(f"Wrote {target / 'index.html'}" + ("" if result.ok else " (with failed sections)"))
    return result
