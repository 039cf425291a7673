"""The monthly report: execute the notebooks with papermill, render them to HTML.

``run_report`` loads the data once (so bad data stops the run before any notebook
starts), executes every notebook of :data:`SECTIONS` with its parameters, renders
each to self-contained HTML with the code hidden, and writes ``index.html`` linking
them. Work happens in a temporary folder beside the target, moved into place at the
end, so a half-written report never replaces a finished one. A finished report is
only replaced with ``force=True``.
"""

from __future__ import annotations

import json
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
import pandas as pd

from . import i18n
from .errors import CsmetricsError
from .i18n import N_, _
from .io import json_text
from .load import Workbook, load
from .pages import evaluation_html, failed_page, index_html, render_html, scorecard_html
from .periods import Period, latest_month_with_data

#: Notebooks of the report, in reading order: (file stem, title, one-line description);
#: title and description are English messages, shown translated.
SECTIONS: list[tuple[str, str, str]] = [
    (
        "evaluation",
        N_("Evaluation summary"),
        N_("The checklist answered with evidence, patterns, what repeats, where to improve, "
           "cost against value, and ranked recommendations."),
    ),
    ("effectiveness", N_("Effectiveness"),
     N_("Response and resolution times, first-contact resolution, backlog, SLA, calls, teams "
        "and agents, product reliability.")),
    ("operational_cost", N_("Operational cost"),
     N_("Cost per contact and per resolution, by channel and category, against revenue; "
        "staffing against demand (Erlang C).")),
    ("customer_experience", N_("Customer experience"),
     N_("CSAT, NPS, effort, survey response, retention and churn, and what customers write.")),
    ("channels", N_("Channels and journeys"),
     N_("Channel mix and requests by channel, peak against regular periods, channel "
        "switching.")),
    ("data_quality", N_("Data quality"),
     N_("What was read, what is wrong with it, and what was left out of which measure.")),
]  # fmt: skip

KERNEL_NAME = "python3"
#: Longest a notebook cell may run: a cell past it (or a kernel that stops answering) is
#: interrupted and its section reported as failed, instead of the run waiting forever.
CELL_TIMEOUT_S = 1800


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
    """The latest complete month with data (tickets, calls and surveys), as ``YYYY-MM``
    (:func:`csmetrics.periods.latest_month_with_data`)."""
    import pandas as pd

    stamps = []
    for table, col in (("tickets", "created_at"), ("calls", "arrived_at"), ("surveys", "sent_at")):
        if table in wb:
            stamps.append(wb.usable(table)[col].dropna().dt.tz_convert("UTC"))
    if not stamps:
        months = [
            wb[t]["period"].dropna().max()
            for t in ("monthly_metrics", "costs")
            if t in wb and wb[t]["period"].notna().any()
        ]
        if months:
            return max(months)
        raise CsmetricsError("no tickets, calls or surveys: give --period explicitly")
    month = latest_month_with_data(pd.concat(stamps), wb.config.timezone)
    if month is None:
        raise CsmetricsError("the data has no usable timestamps: give --period explicitly")
    return month


#: How often a notebook is started again when its kernel dies before running any cell.
KERNEL_START_RETRIES = 1


def _kernel_failed_to_start(exc: BaseException) -> bool:
    """Whether a kernel died before running any cell: kernels started at the same moment by
    parallel workers may pick the same free TCP port ("Address already in use"); starting
    again is safe, since no cell has run.

    Examples
    --------
    >>> _kernel_failed_to_start(RuntimeError("Kernel died before replying to kernel_info"))
    True
    >>> _kernel_failed_to_start(RuntimeError("division by zero"))
    False
    """
    text = str(exc)
    return text.startswith(("Kernel died before replying", "Kernel didn't respond"))


def _execute(
    name: str, title: str, src: Path, work: Path, params: dict, page_title: str = ""
) -> SectionResult:
    """Execute one notebook into ``work`` and render it; never raises.

    The notebook's narrative (markdown) cells are translated into ``params["lang"]``
    before it runs; ``title`` is the section title in that language.
    """
    import papermill as pm

    out_nb = work / "notebooks" / f"{name}.ipynb"
    out_html = work / f"{name}.html"
    start = time.perf_counter()
    ok, error = True, ""
    try:
        nb_in = nbformat.read(src, as_version=4)
        with i18n.language(params.get("lang")):
            i18n.translate_markdown_cells(nb_in)
        src = work / "notebooks" / f".{name}.in.ipynb"
        nbformat.write(nb_in, src)
        for attempt in range(1 + KERNEL_START_RETRIES):
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
                    # shuts down) is noise for report readers; cell errors come back
                    # through the messages
                    extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                    log_output=False,
                    cwd=str(work),
                )
                break
            except RuntimeError as exc:
                if attempt == KERNEL_START_RETRIES or not _kernel_failed_to_start(exc):
                    raise
    except pm.PapermillExecutionError as exc:
        ok, error = False, f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # kernel died, notebook missing...: report it, don't crash
        ok, error = False, f"{type(exc).__name__}: {exc}"
    finally:
        (work / "notebooks" / f".{name}.in.ipynb").unlink(missing_ok=True)
    lang = params.get("lang") or "en"
    try:
        nb = nbformat.read(out_nb, as_version=4)
        page = render_html(nb, page_title or title, lang=lang)
    except Exception as exc:  # a page that cannot be rendered fails its section
        if ok:
            ok, error = False, f"rendering to HTML failed: {type(exc).__name__}: {exc}"
        page = failed_page(page_title or title, error or traceback.format_exc(), lang)
    out_html.write_text(page, encoding="utf-8")
    return SectionResult(name, title, ok, time.perf_counter() - start, error)


#: KPIs the recommendations may cite besides the judged ones (their trends are computed
#: with the scorecard's, so that every cited KPI has its sparkline).
ACTION_KPIS = ("cost_per_resolution", "fcr_rate", "tickets_created", "service_level",
               "cost_per_contact", "csat_score")  # fmt: skip


def kpi_exports(prepared, period: str, work: Path) -> pd.DataFrame:
    """Write ``kpis.csv`` and ``kpis.json`` (every public KPI of the period) into ``work``.

    Returns the headline frame (value, interval, target, status, change) they hold.
    """
    from .display import safe_csv_frame
    from .kpis import public_kpis
    from .summary import headline

    ids = [k.id for k in public_kpis() if k.kind != "share"]
    df = headline(prepared, period, ids)
    cols = [
        "kpi",
        "label",
        "category",
        "unit",
        "better",
        "value",
        "ci_low",
        "ci_high",
        "n",
        "low_sample",
        "excluded",
        "available",
        "note",
        "target",
        "target_source",
        "status",
        "previous",
        "change",
        "period",
        "compared_with",
    ]
    safe_csv_frame(df[cols]).to_csv(work / "kpis.csv", index=False)
    records = df[cols].astype(object).where(df[cols].notna(), None).to_dict(orient="records")
    payload = {
        "period": period,
        "compared_with": df["compared_with"].iloc[0] if len(df) else None,
        "currency": prepared.config.currency,
        "kpis": records,
    }
    (work / "kpis.json").write_text(json_text(payload, indent=2), encoding="utf-8")
    return df


def scorecard_kpis(df: pd.DataFrame, judged: set[str], cited: set[str] = frozenset()) -> list[str]:
    """The KPIs of the scorecard, in registry order (the order of ``df``): every headline
    KPI, every KPI the evaluation judges against a target (``judged``) and every KPI a
    recommendation cites (``cited``), each once.

    Examples
    --------
    >>> df = pd.DataFrame({"kpi": ["tickets_created", "repeat_contact_rate", "mttd_h"]})
    >>> scorecard_kpis(df, {"mttd_h"})
    ['tickets_created', 'mttd_h']
    """
    from .kpis import get

    wanted = set(judged) | set(cited)
    return [k for k in dict.fromkeys(df["kpi"]) if get(k).headline or k in wanted]


def _params(name: str, params: dict, work: Path) -> dict:
    """A notebook's parameters; the evaluation also writes ``evaluation.json``."""
    if name == "evaluation":
        return {**params, "export_dir": str(work)}
    return params


def _evaluation(work: Path) -> dict | None:
    """The ``evaluation.json`` the evaluation notebook wrote (None when it did not)."""
    path = work / "evaluation.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def cited_kpis(evaluation: dict | None) -> set[str]:
    """The KPI ids the recommendations of ``evaluation.json`` cite in their evidence.

    Examples
    --------
    >>> cited_kpis({"recommendations": [{"evidence": [{"kpi": "fcr_rate"}, {"theme": "x"}]}]})
    {'fcr_rate'}
    """
    from .kpis import public_kpis

    known = {k.id for k in public_kpis()}
    return {
        e["kpi"]
        for r in (evaluation or {}).get("recommendations", [])
        for e in r.get("evidence", [])
        if isinstance(e, dict) and e.get("kpi") in known
    }


def _scorecard(
    wb: Workbook,
    label: str,
    work: Path,
    result: ReportResult,
    say: Callable[[str], None],
    sections: list[str] | None = None,
) -> Callable[[dict | None], str]:
    """KPI exports and the scorecard's numbers; returns the function that renders the
    scorecard once the evaluation is known (its recommendations' KPIs join the headline
    and the judged ones). A failure is recorded, never fatal (the scorecard is empty)."""
    from .analysis import monthly_series
    from .evaluate import targets_in_force
    from .prepare import prepare

    start = time.perf_counter()
    try:
        prepared = prepare(wb)
        head = kpi_exports(prepared, label, work)
        judged = set(targets_in_force(wb.config))
        # every KPI that may be shown: headline, judged, and those recommendations cite
        ids = scorecard_kpis(head, judged, set(ACTION_KPIS))
        # each month measured as a period of its own, as the value and its change are
        trends = (
            monthly_series(prepared, ids, label)
            if label != "all"
            else pd.DataFrame(columns=["kpi", "value"])
        )
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


def run_report(
    data: str | Path | None = None,
    period: str | None = None,
    out: str | Path | None = None,
    config: str | Path | None = None,
    force: bool = False,
    jobs: int = 1,
    sections: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
    lang: str | None = None,
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
    lang : str, optional
        Language of the report: ``en``, ``pt``, ``es``, ``it`` or ``pl``, optionally with
        a region for formats (``pt_PT``); default ``lang`` of ``csmetrics.yaml``, else
        English. Progress lines stay in English.

    Raises
    ------
    ReportExistsError
        The target holds a report and ``force`` is false.
    DataError, ConfigError
        The data cannot be loaded; no notebook is run.
    """
    say = progress or (lambda msg: print(msg, file=sys.stderr, flush=True))
    wb = load(data, config)
    lang = lang or wb.config.lang
    i18n.normalise(lang)  # an unknown language stops the run before any work
    with i18n.language(lang):
        return _run_report(wb, data, period, out, config, force, jobs, sections, say, lang)


def _run_report(
    wb: Workbook,
    data: str | Path | None,
    period: str | None,
    out: str | Path | None,
    config: str | Path | None,
    force: bool,
    jobs: int,
    sections: list[str] | None,
    say: Callable[[str], None],
    lang: str,
) -> ReportResult:
    """The body of :func:`run_report`, in the report's language."""
    data_dir = Path(wb.folder).resolve()
    label = period or default_period(wb)
    label = Period.parse(label, wb.config.timezone).label
    target = Path(out) if out is not None else Path("reports") / label.replace("/", "-")
    if target.exists() and any(target.iterdir()) and not force:
        what = "a report" if (target / "index.html").exists() else "files"
        raise ReportExistsError(f"{target} already holds {what}; use --force to replace it")
    chosen = [(n, _(t), d) for n, t, d in SECTIONS if sections is None or n in sections]
    if not chosen:
        raise CsmetricsError(
            f"no such section(s): {sections}; known: {', '.join(s[0] for s in SECTIONS)}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    # absolute: the notebooks run with the work folder as their working directory, and
    # the evaluation writes evaluation.json into it (a relative --out would double up)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent)).resolve()
    (work / "notebooks").mkdir()
    params = {
        "data_dir": str(data_dir),
        "period": label,
        "config": str(Path(config).resolve()) if config else None,
        "lang": lang,
    }
    result = ReportResult(out=target, period=label)
    names = [n for n, _t, _d in chosen]
    shown = i18n.period(label)
    src = notebooks_dir()
    say(f"Report {label}: {len(chosen)} notebook(s) from {data_dir} -> {target}")
    try:
        if jobs > 1 and len(chosen) > 1:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = [
                    pool.submit(
                        _execute,
                        n,
                        t,
                        src / f"{n}.ipynb",
                        work,
                        _params(n, params, work),
                        f"{t} · {shown}",
                    )
                    for n, t, _d in chosen
                ]
                # the scorecard is computed here while the notebooks run in the pool
                scorecard = _scorecard(wb, label, work, result, say, names)
                for i, fut in enumerate(as_completed(futures), 1):
                    r = fut.result()
                    result.sections.append(r)
                    say(
                        f"  [{i}/{len(chosen)}] {r.title}: "
                        f"{'ok' if r.ok else 'FAILED: ' + r.error} ({r.seconds:.1f} s)"
                    )
        else:
            for i, (n, t, _d) in enumerate(chosen, 1):
                say(f"  [{i}/{len(chosen)}] {t} ...")
                r = _execute(
                    n, t, src / f"{n}.ipynb", work, _params(n, params, work), f"{t} · {shown}"
                )
                result.sections.append(r)
                say(
                    f"  [{i}/{len(chosen)}] {t}: {'ok' if r.ok else 'FAILED: ' + r.error} "
                    f"({r.seconds:.1f} s)"
                )
            scorecard = _scorecard(wb, label, work, result, say, names)
        order = [n for n, _t, _d in chosen]
        result.sections.sort(key=lambda s: order.index(s.name) if s.name in order else -1)
        evaluation = _evaluation(work)
        scorecard = (evaluation_html(evaluation) if evaluation else "") + scorecard(evaluation)
        (work / "index.html").write_text(
            index_html(
                result,
                wb,
                str(data) if data else _("bundled sample"),
                scorecard,
                {n: d for n, _t, d in SECTIONS},
            ),
            encoding="utf-8",
        )
        if target.exists():
            shutil.rmtree(target)
        os.replace(work, target)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    say(f"Wrote {target / 'index.html'}" + ("" if result.ok else " (with failed sections)"))
    return result
