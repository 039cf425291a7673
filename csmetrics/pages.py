"""The report's HTML pages: section pages rendered from executed notebooks, the index
with its scorecard, and the page of a section that could not be rendered.

Every page is a Jinja2 template with autoescape (:mod:`csmetrics.markup`): text from the
data or the configuration is inserted as text, links come only from the project, and
each page carries the Content-Security-Policy that forbids scripts and outside requests.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import nbformat
import pandas as pd

from . import i18n
from .i18n import _, ngettext
from .markup import CONTENT_SECURITY_POLICY, Markup, prose, render

#: Which section page explains each KPI category.
CATEGORY_SECTION = {
    "effectiveness": "effectiveness",
    "cost": "operational_cost",
    "experience": "customer_experience",
    "channels": "channels",
}
STATUS_COLOURS = {"on_target": "#009E73", "watch": "#E69F00", "off_target": "#D55E00",
                  "no_data": "#777777", "no_target": "#777777"}  # fmt: skip
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: Output types a report page may show. Markdown output is not among them: a notebook
#: shows prose as HTML built by :class:`csmetrics.markup.Prose`, so that no value from
#: the data is ever read as Markdown.
PAGE_MIMETYPES = ("text/html", "image/png", "image/svg+xml", "image/jpeg", "text/plain")


def _drop_live_widgets(nb: nbformat.NotebookNode) -> None:
    """Remove widget views from outputs, so their HTML or text fallback is shown.

    A saved report has no live kernel and no widget state; the widget view would render
    as an empty box (or need scripts from the internet), never as the widget.
    """
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data and WIDGET_MIME in data:
                data.pop(WIDGET_MIME)
                if "text/html" in data:
                    data.pop("text/plain", None)


def _keep_safe_outputs(nb: nbformat.NotebookNode) -> None:
    """Drop every output representation that is not in :data:`PAGE_MIMETYPES`
    (Markdown, LaTeX, JavaScript...), so that none can turn data into markup or script;
    an output left with nothing is shown as its plain text."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data")
            if not data:
                continue
            for mime in [m for m in data if m not in PAGE_MIMETYPES]:
                data.pop(mime)


def render_html(nb: nbformat.NotebookNode, title: str, lang: str = "en") -> str:
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
    exporter.language_code = i18n.normalise(lang)[0]
    with i18n.language(lang):
        nb.metadata["csmetrics_back"] = _("Report index")
    nb.metadata["csmetrics_csp"] = CONTENT_SECURITY_POLICY
    _drop_live_widgets(nb)
    _keep_safe_outputs(nb)
    body, _resources = exporter.from_notebook_node(nb)
    return body


def failed_page(title: str, error: str, lang: str = "en") -> str:
    """The page of a section whose notebook could not be executed or rendered."""
    with i18n.language(lang):
        return render(
            "failed_section.html.j2",
            lang=i18n.normalise(lang)[0],
            title=title,
            back=_("Report index"),
            message=_("The notebook could not be executed."),
            error=error,
        )


def plain_failed_page(title: str, error: str) -> str:
    """A minimal page for a failed section, when even the failure template fails.

    Examples
    --------
    >>> "&lt;b&gt;" in plain_failed_page("<b>", "x")
    True
    """
    csp = "default-src 'none'; style-src 'unsafe-inline'"
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{csp}\">"
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>"
        f"<p>This section failed.</p><pre>{html.escape(error)}</pre>"
        "<p><a href='index.html'>Report index</a></p></body></html>\n"
    )


def scorecard_html(
    df: pd.DataFrame,
    trends: pd.DataFrame,
    currency: str,
    sections: list[str] | None = None,
    kpis: list[str] | None = None,
) -> str:
    """The headline scorecard: value, target (with its source when it is not configured),
    status, change and a 12-month sparkline.

    ``kpis``: the rows, in order (default: the headline KPIs; see
    :func:`csmetrics.report_exports.scorecard_kpis`). Each KPI links to the section explaining
    it, when that section is in ``sections`` (default: all), so that a report run with
    ``--section`` has no dead link.
    """
    from .kpis import get
    from .summary import format_change, format_value, sparkline_svg, status_label, target_text

    shown = kpis if kpis is not None else [k for k in df["kpi"] if get(k).headline]
    records = {r["kpi"]: r for r in df.to_dict(orient="records")}
    rows = []
    for kpi in shown:
        if kpi not in records:
            continue
        r, k = records[kpi], get(kpi)
        section = CATEGORY_SECTION.get(k.category, "effectiveness")
        caveat = ""
        if r.get("low_sample") and r["status"] in ("on_target", "watch", "off_target"):
            # Translators: after a status on the scorecard: it rests on very few observations
            caveat = _("too few to judge (n = {n})").format(n=i18n.number(int(r["n"])))
        rows.append(
            {
                "label": k.label,
                "href": f"{section}.html" if sections is None or section in sections else "",
                "value": (
                    format_value(r["value"], r["unit"], currency)
                    if r["available"]
                    else _("not available")
                ),
                "target": target_text(r["target"], r["unit"], r.get("target_source"), currency),
                "colour": STATUS_COLOURS[r["status"]],
                "status": status_label(r["status"]),
                "caveat": caveat,
                "change": format_change(r["change"], r["unit"], currency),
                "verdict": {True: "better", False: "worse", None: ""}[r["change_better"]],
                "verdict_text": {True: _("better"), False: _("worse"), None: ""}[
                    r["change_better"]
                ],
                # the project's own SVG, built from numbers only
                "spark": Markup(sparkline_svg(trends.loc[trends["kpi"] == k.id, "value"].tolist())),
            }
        )
    cmp = df["compared_with"].iloc[0] if len(df) else None
    caption = (
        _("Headline scorecard (change against {period})").format(period=i18n.period(str(cmp)))
        if cmp
        else _("Headline scorecard")
    )
    heads = [_("KPI"), _("value"), _("target"), _("status"), _("change"), _("last 12 months")]
    return Markup(render("scorecard.html.j2", caption=caption, heads=heads, rows=rows).strip())


def program_html(evaluation: dict) -> str:
    """Article 000's four answers about the whole program (``program`` of
    ``evaluation.json``): each question, its status as a badge, and the answer's sentence
    (key number, status, how sure), escaped."""
    from .summary import status_label

    items = [
        {
            "question": p["question"],
            "colour": STATUS_COLOURS.get(p["status"], "#777777"),
            "status": status_label(p["status"]) if p["status"] in STATUS_COLOURS else p["status"],
            "answer": p["answer"],
        }
        for p in evaluation.get("program", [])
    ]
    if not items:
        return ""
    # Translators: heading of the index page's four answers about the whole program
    title = _("The program in four answers")
    return Markup(render("program.html.j2", title=title, items=items).strip())


def evaluation_html(evaluation: dict) -> str:
    """The index's opening: the four answers about the program, then the verdict line
    (questions by status, first recommendation), linking the evaluation summary;
    ``evaluation`` is the ``evaluation.json`` content."""
    from .summary import status_label

    questions = evaluation.get("questions", [])
    counts = Counter(q["status"] for q in questions)
    badges = Markup(" ").join(
        Markup("<span class='badge' style='background:{}'>{} {}</span>").format(
            STATUS_COLOURS[s], i18n.number(counts.get(s, 0)), status_label(s)
        )
        for s in ("on_target", "watch", "off_target", "no_data")
    )
    link = Markup("<a href='evaluation.html'><strong>{}</strong></a>").format(_("Evaluation"))
    # Translators: {evaluation} is a link reading "Evaluation"; {badges} the status counts
    line = ngettext(
        "{evaluation} of {n} checklist question: {badges}.",
        "{evaluation} of {n} checklist questions: {badges}.",
        len(questions),
    )
    text = prose(line, evaluation=link, n=i18n.number(len(questions)), badges=badges)
    recs = evaluation.get("recommendations", [])
    if recs:
        first = Markup("<em>{}</em>").format(recs[0]["title"])
        text.add(_("First recommendation: {title}."), title=first)
    return Markup(program_html(evaluation)) + Markup("<p class='verdict-line'>{}</p>").format(
        text.html(inline=True).replace("\n", " ")
    )


def index_html(
    result, wb, data_label: str, scorecard: str = "", descriptions: Mapping[str, str] = {}
) -> str:
    """The report's front page (in the current language): the headline scorecard and one
    card per section; ``result`` is the run's :class:`csmetrics.report_results.ReportResult`,
    ``descriptions`` the English one-line description of each section by name."""
    q = wb.quality
    cards, problems = [], []
    for s in result.sections:
        if s.name == "scorecard":
            problems.append(f"{_('The scorecard could not be computed:')} {s.error}")
            continue
        desc = descriptions.get(s.name, "")
        cards.append(
            {
                "href": f"{s.name}.html",
                "title": s.title,
                "description": _(desc) if desc else "",
                "error": "" if s.ok else f"{_('This section failed:')} {s.error}",
            }
        )
    rows = sum(i.rows for i in q.tables.values())
    title = _("Customer-service report · {period}").format(period=i18n.period(result.period))
    facts = " · ".join(
        [
            _("Data: {source}").format(source=data_label),
            ngettext("{n} table", "{n} tables", len(q.tables)).format(n=i18n.number(len(q.tables)))
            + ", "
            + ngettext("{n} row", "{n} rows", rows).format(n=i18n.number(rows)),
            ngettext("{n} error", "{n} errors", len(q.errors)).format(n=i18n.number(len(q.errors)))
            + ", "
            + ngettext(
                "{n} data-quality warning", "{n} data-quality warnings", len(q.warnings)
            ).format(n=i18n.number(len(q.warnings))),
        ]
    )
    generated = _("Generated by csmetrics on {when}.").format(
        when=i18n.datetime(dt.datetime.now(), "short")
    )
    return render(
        "index.html.j2",
        lang=i18n.get_language(),
        title=title,
        facts=facts,
        # evaluation.json is written by the evaluation notebook: no link when it did not run
        evaluation_json=any(s.name == "evaluation" and s.ok for s in result.sections),
        problems=problems,
        scorecard=Markup(scorecard),  # built by this module's templates, escaped there
        sections_title=_("Sections"),
        cards=cards,
        generated=generated,
    )
