"""The monthly report: execute the notebooks with papermill, render them to HTML.

``run_report`` loads the data once (so bad data stops the run before any notebook
starts), executes every notebook of :data:`SECTIONS` with its parameters, renders
each to self-contained HTML with the code hidden, and writes ``index.html`` linking
them. Work happens in a temporary folder beside the target, moved into place at the
end, so a half-written report never replaces a finished one. A finished report is
only replaced with ``force=True``.

Reports are never lost and runs leave nothing behind: a lock beside the target keeps a
second run off it, ``force`` replaces the old report by renames that put it back when
they fail, and the leftovers of a killed run are removed by the next one
(:mod:`csmetrics.report_folder`); SIGINT and SIGTERM stop the workers and kernels and
remove the work folder, and on Linux workers and kernels die with a run killed outright
(:mod:`csmetrics.report_processes`). ``kpis.csv``, ``kpis.json`` and the scorecard's
numbers come from :mod:`csmetrics.report_exports`, the pages from :mod:`csmetrics.pages`,
the sections and the outcome of a run from :mod:`csmetrics.report_results`.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from concurrent.futures import as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

import nbformat

from . import i18n, report_folder, report_processes
from .config_model import ENGINES
from .errors import CsmetricsError
from .handoff import write_handoff
from .i18n import _
from .kpis.memo import reusing_results
from .load import Workbook, load
from .pages import evaluation_html, failed_page, index_html, plain_failed_page, render_html
from .periods import Period
from .prepare import Prepared, prepare
from .report_exports import (  # noqa: F401  (kpi_exports... are also this module's names)
    ACTION_KPIS,
    cited_kpis,
    kpi_exports,
    read_evaluation,
    scorecard_kpis,
    scorecard_numbers,
)
from .report_folder import (  # noqa: F401  (the errors are also this module's names)
    ReportBusyError,
    ReportExistsError,
    ReportWriteError,
    TargetLock,
    fcntl,
)
from .report_kernel import (
    NotebookRunner,
    close_notebook_runner,
    drop_fresh_namespace_cell,
    notebook_runner,
    with_fresh_namespace_cell,
)
from .report_processes import KERNEL_FILES, KERNEL_START_RETRIES, Interrupts, ReportInterrupted
from .report_processes import kernel_failed_to_start as _kernel_failed_to_start
from .report_processes import kernel_start_pause as _kernel_start_pause
from .report_results import SECTIONS, ReportResult, SectionResult
from .report_results import outcome as _outcome
from .workbook import default_period

# the names these had when they lived here
_TargetLock = TargetLock
_clean_leftovers = report_folder.clean_leftovers

KERNEL_NAME = "python3"
#: Longest a notebook cell may run: a cell past it (or a kernel that stops answering) is
#: interrupted and its section reported as failed, instead of the run waiting forever.
CELL_TIMEOUT_S = 1800


def notebooks_dir() -> Path:
    """Folder holding the report notebooks (the checkout's ``notebooks/``)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "notebooks", here / "_notebooks"):
        if candidate.is_dir():
            return candidate
    raise CsmetricsError(f"notebooks folder not found next to {here}")


# ---------------------------------------------------------------------------------------
# One notebook: translated, executed (its kernel started again when it fails to start),
# rendered
# ---------------------------------------------------------------------------------------


def _execute(
    name: str, title: str, src: Path, work: Path, params: dict, page_title: str = ""
) -> SectionResult:
    """Execute one notebook into ``work`` and render it.

    The notebook's narrative (markdown) cells are translated into ``params["lang"]``
    before it runs; ``title`` is the section title in that language. A kernel that fails
    to start is started again (up to :data:`KERNEL_START_RETRIES` more times, after a
    random pause). A notebook that fails, or a page that cannot be rendered, fails its
    section; the only exception raised is an :class:`OSError` writing the page (a full
    disk, a read-only folder).
    """
    import papermill as pm

    out_nb = work / "notebooks" / f"{name}.ipynb"
    translated = work / "notebooks" / f".{name}.in.ipynb"
    start = time.perf_counter()
    ok, error, attempts = True, "", 0
    try:
        _translate_notebook(src, translated, params.get("lang"))
        report_processes.use_kernel_folder(work)
        for attempt in range(1 + KERNEL_START_RETRIES):
            attempts += 1
            try:
                _papermill(translated, out_nb, params, work)
                break
            except Exception as exc:
                if attempt == KERNEL_START_RETRIES or not _kernel_failed_to_start(exc):
                    raise
                time.sleep(_kernel_start_pause(attempt))
    except pm.PapermillExecutionError as exc:
        ok, error = False, f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # kernel died, notebook missing...: report it, don't crash
        ok, error = False, f"{type(exc).__name__}: {exc}"
    finally:
        translated.unlink(missing_ok=True)
    # not in ``finally``: a stopped run does not wait for the notebook being written
    drop_fresh_namespace_cell(out_nb)
    lang = params.get("lang") or "en"
    ok, error = _write_page(out_nb, work / f"{name}.html", page_title or title, lang, ok, error)
    return SectionResult(name, title, ok, time.perf_counter() - start, error, max(attempts, 1))


def _translate_notebook(src: Path, dest: Path, lang: str | None) -> None:
    """Write ``src`` to ``dest`` with its markdown cells translated into ``lang``, and
    the cell that empties a shared kernel's namespace first."""
    nb_in = nbformat.read(src, as_version=4)
    with i18n.language(lang):
        i18n.translate_markdown_cells(nb_in)
    nbformat.write(with_fresh_namespace_cell(nb_in), dest)


def _papermill(src: Path, out_nb: Path, params: dict, work: Path) -> None:
    """Execute the notebook ``src`` into ``out_nb`` with papermill, once, in this
    process's kernel (:mod:`csmetrics.report_kernel`: one kernel for the notebooks a
    process runs in turn, in a thread of its own)."""
    notebook_runner(work).call(_papermill_job(src, out_nb, params, work))


def _papermill_job(
    src: Path, out_nb: Path, params: dict, work: Path
) -> Callable[[NotebookRunner], None]:
    """The job of :func:`_papermill`, for the runner's thread."""
    import papermill as pm

    def job(runner: NotebookRunner) -> None:
        km = runner.kernel_manager(KERNEL_NAME)
        failed: BaseException | None = None
        try:
            pm.execute_notebook(
                str(src),
                str(out_nb),
                parameters=params,
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                execution_timeout=CELL_TIMEOUT_S,
                # the kernel's own log (ipykernel's notice about TCP transport, or the
                # "KeyboardInterrupt caught in kernel" line when it is interrupted as it
                # shuts down) is noise for report readers; cell errors come back through
                # the messages
                extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                log_output=False,
                cwd=str(work),
                km=km,  # started with the first notebook, then shared
            )
        except BaseException as exc:
            failed = exc
            raise
        finally:
            runner.after_notebook(failed)

    return job


#: The first cell every section runs imports these: a kernel imports them as soon as it
#: starts (:func:`_warm_up_job`), while the data is prepared.
WARM_UP = "import csmetrics.notebook, csmetrics.plots"


def _warm_up_job(work: Path) -> Callable[[NotebookRunner], None]:
    """A job that starts the runner's kernel and imports :data:`WARM_UP` in it, through
    papermill as a notebook of one cell; a failure is left to the first section, which
    starts its kernel as usual (with its retries)."""
    src = work / "notebooks" / f".warm-up-{os.getpid()}.ipynb"  # a file per worker
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(WARM_UP)])
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Python 3",
                                 "language": "python"}  # fmt: skip
    job = _papermill_job(src, src, {}, work)

    def warm_up(runner: NotebookRunner) -> None:
        try:
            nbformat.write(nb, src)
            job(runner)
        except Exception:  # the first section starts a kernel of its own
            runner.discard(now=True)
        finally:
            src.unlink(missing_ok=True)

    return warm_up


def _write_page(
    out_nb: Path, out_html: Path, title: str, lang: str, ok: bool, error: str
) -> tuple[bool, str]:
    """Render the executed notebook ``out_nb`` to ``out_html``; returns the section's
    ``(ok, error)``, failed when the page cannot be rendered (the failure page is then
    written, or a plain one when even that fails)."""
    try:
        nb = nbformat.read(out_nb, as_version=4)
        page = render_html(nb, title, lang=lang)
    except Exception as exc:  # a page that cannot be rendered fails its section
        if ok:
            ok, error = False, f"rendering to HTML failed: {type(exc).__name__}: {exc}"
        try:
            page = failed_page(title, error or traceback.format_exc(), lang)
        except Exception:  # not even the failure page: plain text, still escaped
            page = plain_failed_page(title, error)
    out_html.write_text(page, encoding="utf-8")
    return ok, error


def _params(name: str, params: dict, work: Path) -> dict:
    """A notebook's parameters; the evaluation also writes ``evaluation.json``."""
    if name == "evaluation":
        return {**params, "export_dir": str(work)}
    return params


def _scorecard(
    wb: Workbook,
    prepared: Prepared,
    period: Period,
    work: Path,
    result: ReportResult,
    say: Callable[[str], None],
    sections: list[str] | None = None,
) -> Callable[[dict | None], str]:
    """KPI exports and the scorecard's numbers; returns the function that renders the
    scorecard once the evaluation is known (its recommendations' KPIs join the headline
    and the judged ones). A failure is recorded, never fatal (the scorecard is empty)."""
    from .pages import scorecard_html

    start = time.perf_counter()
    try:
        head, judged, trends = scorecard_numbers(wb, prepared, period, work)
        say(f"  scorecard, kpis.csv and kpis.json: ok ({time.perf_counter() - start:.1f} s)")

        def render(evaluation: dict | None) -> str:
            rows = scorecard_kpis(head, judged, cited_kpis(evaluation))
            return scorecard_html(head, trends, wb.config.currency, sections, rows)

        return render
    except Exception as exc:  # the sections are still worth delivering
        result.sections.append(
            SectionResult(
                "scorecard",
                "Scorecard",
                False,
                time.perf_counter() - start,
                f"{type(exc).__name__}: {exc}",
            )
        )
        say(f"  scorecard: FAILED: {type(exc).__name__}: {exc}")
        return lambda evaluation: ""


# ---------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------


def run_report(
    data: str | Path | None = None,
    period: str | Period | None = None,
    out: str | Path | None = None,
    config: str | Path | None = None,
    force: bool = False,
    jobs: int = 1,
    sections: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
    lang: str | None = None,
    engine: str | None = None,
) -> ReportResult:
    """Run the report notebooks for one period and write ``<out>/index.html``.

    Parameters
    ----------
    data : path, optional
        Data folder (default: the bundled sample).
    period : str or Period, optional
        ``YYYY-MM``, ``YYYY-Qn``, ``YYYY`` or ``all`` (default: the latest complete month).
    out : path, optional
        Target folder; default ``reports/<period>``.
    config : path, optional
        ``csmetrics.yaml`` to use instead of the data folder's.
    force : bool
        Replace an existing report (the old one is deleted once the new one is in).
    jobs : int
        Notebooks executed in parallel.
    sections : list of str, optional
        Run only these notebooks (file stems of :data:`SECTIONS`).
    progress : callable, optional
        Receives one line of text per step (default: print to stderr).
    lang : str, optional
        ``en``, ``pt``, ``es``, ``it`` or ``pl`` (a region for formats: ``pt_PT``);
        default ``lang`` of ``csmetrics.yaml``, else English (progress lines stay so).
    engine : str, optional
        ``pandas`` or ``duckdb``, for every notebook; default ``engine.name`` of the config.

    Returns
    -------
    ReportResult
        The sections' outcomes (a failed section does not raise).

    Raises
    ------
    ReportExistsError, ReportBusyError
        The target holds a report and ``force`` is false; another run is writing it.
    ReportWriteError
        The target cannot be written, or the report not moved in (an old one stays).
    ReportInterrupted
        SIGINT or SIGTERM: workers, kernels and the work folder were removed first.
    DataError, ConfigError
        The data cannot be loaded; no notebook is run.

    Examples
    --------
    >>> run_report("data/sample", "2026-10", "reports/2026-10")  # doctest: +SKIP
    """
    say = progress or _print_progress
    return _load_and_run(data, period, out, config, force, jobs, sections, say, lang, engine)


def _print_progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _load_and_run(
    data: str | Path | None,
    period: str | Period | None,
    out: str | Path | None,
    config: str | Path | None,
    force: bool,
    jobs: int,
    sections: list[str] | None,
    say: Callable[[str], None],
    lang: str | None,
    engine: str | None = None,
) -> ReportResult:
    """:func:`run_report` with its signals handled: the data loaded, the language, the
    engine and the period settled, then the run."""
    if out is not None:  # before loading, which may take long
        report_folder.check_writable(Path(out), force)
    if engine is not None and engine not in ENGINES:
        raise CsmetricsError(f"unknown engine {engine!r}: use {' or '.join(ENGINES)}")
    with Interrupts() as interrupts:
        wb = load(data, config)
        if engine is not None:  # the notebooks read it from the prepared data's settings
            wb.config = replace(wb.config, engine=replace(wb.config.engine, name=engine))
        lang = lang or wb.config.lang
        i18n.normalise(lang)  # an unknown language stops the run before any work
        with i18n.language(lang):
            p = _period(period, wb)
            run = _Run(wb, data, p, config, force, jobs, say, lang, interrupts)
            return _run_report(run, out, sections)


def _period(period: str | Period | None, wb: Workbook) -> Period:
    """The report's period, parsed once in the data's time zone (default: the latest
    complete month with data, :func:`default_period`)."""
    text = period.label if isinstance(period, Period) else period
    return Period.parse(text or default_period(wb), wb.config.timezone)


@dataclass
class _Run:
    """What a run is asked to do, once its data is loaded and its period known, and
    (once they are chosen) its target, notebooks and lock."""

    wb: Workbook
    data: str | Path | None
    period: Period
    config: str | Path | None
    force: bool
    jobs: int
    say: Callable[[str], None]
    lang: str
    interrupts: Interrupts
    target: Path = Path()
    chosen: list[tuple[str, str, str]] = field(default_factory=list)
    lock: TargetLock | None = None

    @property
    def names(self) -> list[str]:
        """The file stems of the notebooks the run executes, in reading order."""
        return [n for n, _t, _d in self.chosen]


def _run_report(run: _Run, out: str | Path | None, sections: list[str] | None) -> ReportResult:
    """The body of :func:`run_report`, in the report's language: checks, then the
    target's lock, then the work."""
    label = run.period.label
    target = Path(out) if out is not None else Path("reports") / label.replace("/", "-")
    report_folder.check_writable(target, run.force)
    chosen = [(n, _(t), d) for n, t, d in SECTIONS if sections is None or n in sections]
    if not chosen:
        raise CsmetricsError(
            f"no such section(s): {sections}; known: {', '.join(s[0] for s in SECTIONS)}"
        )
    lock = TargetLock(target)
    with report_folder.writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        lock.acquire()
    try:
        with report_folder.writing(target):
            report_folder.clean_leftovers(target, run.say)
        report_folder.check_writable(target, run.force)  # again, now no other run may write
        run.target, run.chosen, run.lock = target, chosen, lock
        return _run_locked(run)
    finally:
        lock.release()


def _run_locked(run: _Run) -> ReportResult:
    """The run proper, holding the target's lock: the work folder, the notebooks, the
    index, the move into place. Whatever ends it, the work folder and every worker and
    kernel of the run are gone when it returns or raises."""
    target, say, label = run.target, run.say, run.period.label
    data_dir = Path(run.wb.folder).resolve()
    result = ReportResult(out=target, period=label)
    shown = i18n.period(label)
    src = notebooks_dir()
    work: Path | None = None
    moved = False
    try:
        with report_folder.writing(target):
            # absolute: the notebooks run with the work folder as their working directory,
            # and the evaluation writes evaluation.json into it (a relative --out would
            # double up)
            work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
            work = work.resolve()
            report_folder.as_a_new_folder(work)
            (work / "notebooks").mkdir()
            say(f"Report {label}: {len(run.chosen)} notebook(s) from {data_dir} -> {target}")

            def notebooks(handoff: Path) -> list[tuple]:
                params = _notebook_params(run, data_dir, handoff)
                return [
                    (n, t, src / f"{n}.ipynb", work, _params(n, params, work), f"{t} · {shown}")
                    for n, t, _d in run.chosen
                ]

            scorecard, handoff = _prepare_and_execute(run, work, result, notebooks)
            names = run.names
            result.sections.sort(key=lambda s: names.index(s.name) if s.name in names else -1)
            shutil.rmtree(work / KERNEL_FILES, ignore_errors=True)
            handoff.unlink(missing_ok=True)
            _write_index(run, work, result, scorecard)
            with run.interrupts.deferred():  # a signal now waits until the report is in
                report_folder.move_into_place(work, target, run.force, say)
                moved = True
    except BaseException as exc:
        _end_stopped_run(exc, work, moved, target, say)
        raise
    say(f"Wrote {target / 'index.html'}" + ("" if result.ok else " (with failed sections)"))
    return result


def _prepare(wb: Workbook, say: Callable[[str], None]) -> Prepared:
    """The data prepared once for every notebook (each would load and prepare it again
    in its own kernel); the hand-off file carries it to them."""
    start = time.perf_counter()
    prepared = prepare(wb)
    say(f"  data prepared for every section ({time.perf_counter() - start:.1f} s)")
    return prepared


def _notebook_params(run: _Run, data_dir: Path, handoff: Path) -> dict:
    """The parameters every notebook of the run gets (text: the period as its label)."""
    return {
        "data_dir": str(data_dir),
        "period": run.period.label,
        "config": str(Path(run.config).resolve()) if run.config else None,
        "lang": run.lang,
        "handoff": str(handoff),
    }


def _prepare_and_execute(
    run: _Run, work: Path, result: ReportResult, notebooks: Callable[[Path], list[tuple]]
) -> tuple[Callable[[dict | None], str], Path]:
    """Start the kernels, prepare the data and the scorecard meanwhile, hand them to the
    notebooks (``notebooks(handoff)``: the arguments of :func:`_execute`) and execute
    them; returns the scorecard's renderer and the hand-off file.

    A kernel takes seconds to start (a new Python importing pandas, SciPy, matplotlib and
    csmetrics): each one starts first and imports what the sections import
    (:data:`WARM_UP`), in its worker (``--jobs`` above 1) or in this process's runner,
    while the data is prepared and the scorecard measured.
    """
    pool = None
    try:
        if run.jobs > 1 and len(run.chosen) > 1:
            lock_fd = (run.lock.fd,) if run.lock is not None and run.lock.fd is not None else ()
            pool = report_processes.worker_pool(min(run.jobs, len(run.chosen)), lock_fd)
            for _ in range(min(run.jobs, len(run.chosen))):
                pool.submit(_warm_up, work)  # each keeps a worker busy until it runs
        else:
            report_processes.use_kernel_folder(work)
            notebook_runner(work).call_soon(_warm_up_job(work))
        prepared = _prepare(run.wb, run.say)
        with reusing_results(prepared):  # the notebooks get the scorecard's results
            scorecard = _scorecard(run.wb, prepared, run.period, work, result, run.say, run.names)
            handoff = write_handoff(work, run.wb, prepared)
        del prepared  # the notebooks read the hand-off
        calls = notebooks(handoff)
        done = as_completed([pool.submit(_execute, *a) for a in calls]) if pool else None
        for i, args in enumerate(calls, 1):
            if done is None:
                run.say(f"  [{i}/{len(calls)}] {args[1]} ...")
            r = _execute(*args) if done is None else next(done).result()
            result.sections.append(r)
            run.say(f"  [{i}/{len(calls)}] {_outcome(r)}")
    except BaseException:
        if pool is not None:
            report_processes.stop_workers(pool)  # their results are no longer wanted
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        else:
            close_notebook_runner()  # the run's kernel ends with its notebooks (not waited)
    return scorecard, handoff


def _warm_up(work: Path) -> None:
    """In a notebook worker: start its kernel and import what the sections import, before
    its first notebook (:func:`_warm_up_job`)."""
    report_processes.use_kernel_folder(work)
    notebook_runner(work).call(_warm_up_job(work))


def _write_index(
    run: _Run, work: Path, result: ReportResult, scorecard: Callable[[dict | None], str]
) -> None:
    """Write ``index.html``: the evaluation's opening (when it ran), the scorecard and a
    card per section."""
    evaluation = read_evaluation(work)
    cards = (evaluation_html(evaluation) if evaluation else "") + scorecard(evaluation)
    data_label = str(run.data) if run.data else _("bundled sample")
    descriptions = {n: d for n, _t, d in SECTIONS}
    page = index_html(result, run.wb, data_label, cards, descriptions)
    (work / "index.html").write_text(page, encoding="utf-8")


def _end_stopped_run(
    exc: BaseException, work: Path | None, moved: bool, target: Path, say: Callable[[str], None]
) -> None:
    """What a run ended by ``exc`` does before it raises: its kernels killed, its work
    folder removed, and for a signal a line saying so."""
    close_notebook_runner()
    report_processes.stop_notebook_threads()
    if work is not None and work.exists():
        shutil.rmtree(work, ignore_errors=True)
    if isinstance(exc, ReportInterrupted):
        stopped = f"Stopped by {signal.Signals(exc.signum).name}"
        if moved:
            say(f"{stopped} after the report was moved into {target}")
        else:
            say(f"{stopped}: notebooks and kernels ended, work folder removed")
