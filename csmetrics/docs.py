"""Documentation generated from the code, so that it cannot drift from it.

``python -m csmetrics.docs`` rewrites the generated sections of ``README.md``
(between ``<!-- BEGIN name -->`` and ``<!-- END name -->`` markers); a test fails
when they are stale.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from .schema import TABLES

ROOT = Path(__file__).resolve().parent.parent
KIND_LABEL = {
    "id": "id (text)",
    "timestamp": "timestamp",
    "month": "month `YYYY-MM`",
    "float": "number",
    "int": "whole number",
    "bool": "true/false",
    "enum": "one of",
    "label": "label",
    "text": "text",
}


def tables_markdown() -> str:
    """One Markdown section per canonical table: its columns, kinds and meaning."""
    out = []
    for spec in TABLES.values():
        key = f" Key: `{' + '.join(spec.key)}`." if spec.key else ""
        out.append(f"#### `{spec.name}`\n{spec.description}{key}\n")
        out.append("| column | required | kind | unit | meaning |")
        out.append("|---|---|---|---|---|")
        for c in spec.columns:
            kind = KIND_LABEL[c.kind]
            if c.kind == "enum":
                kind += " " + ", ".join(f"`{v}`" for v in c.values)
            req = "**yes**" if c.required else ""
            out.append(f"| `{c.name}` | {req} | {kind} | {c.unit} | {c.description} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def kpis_markdown() -> str:
    """The KPI table of the README, from the registry (one row per public KPI), in English."""
    from .i18n import language

    with language("en"):
        return _kpis_markdown()


def _kpis_markdown() -> str:
    from .kpis.registry import CATEGORIES, SOURCES, public_kpis

    arrow = {"higher": "↑ higher", "lower": "↓ lower", "neutral": "– neither"}
    out = []
    for cat in CATEGORIES:
        kpis = [k for k in public_kpis() if k.category == cat]
        if not kpis:
            continue
        out.append(f"#### {cat.capitalize()}\n")
        out.append("| id | KPI | unit | better | interval | source | formula |")
        out.append("|---|---|---|---|---|---|---|")
        for k in kpis:
            out.append(
                f"| `{k.id}` | {k.label} | {k.unit} | {arrow[k.direction]} | "
                f"{k.interval or '–'} | {k.source} | {k.formula} |"
            )
        out.append("")
    out.append(
        "Sources (the articles in `shared/seeds/`): "
        + "; ".join(f"**{key}** {title}" for key, title in SOURCES.items())
        + "."
    )
    return "\n".join(out).rstrip() + "\n"


GENERATORS: dict[str, Callable[[], str]] = {"tables": tables_markdown, "kpis": kpis_markdown}

TABLE_NOTES = {
    "tickets": "Seven channels (email, phone, chat, web form, SMS, Twitter, Facebook) with "
    "weekday and hour-of-day seasonality, a holiday peak and a spring promotion, "
    "priorities, request types, complaints, 12 agents in 5 teams, reopens, an open "
    "backlog at the end, and customers who e-mail and then phone within 24 hours "
    "when the e-mail is not answered yet.",
    "calls": "Every phone ticket's answered call, plus abandoned calls (some under 5 s) "
    "and test calls (`other`); waits grow with the load of the hour.",
    "surveys": "CSAT (1–5), NPS (0–10) and CES (1–7, lower is better) sent after about "
    "half of the resolutions; about a quarter answered; comments in English, "
    "Portuguese, Spanish, Italian and Polish around recurring themes.",
    "costs": "Monthly cost lines by category (staff, tools, outsourcing, other) and "
    "channel, in EUR; staff costs equal staffed hours × hourly cost.",
    "finance": "Monthly revenue and active customers (counted from the customers table).",
    "customers": "Sign-ups since 2019 and churn dates; every customer id used elsewhere "
    "exists here.",
    "incidents": "Product failures with detection and restoration times; they cause "
    "spikes of technical-issue tickets.",
    "staffing": "Staffed hours and hourly cost per agent and month (March 2026 is missing "
    "on purpose).",
}


def data_readme(folder: Path | None = None) -> str:
    """``data/README.md``: the bundled sample, table by table, from the schema and the data."""
    from .load import load
    from .sample import PLANTED_PROBLEMS

    folder = folder or ROOT / "data" / "sample"
    wb = load(folder)
    lines = [
        "# Bundled sample data",
        "",
        "`data/sample/` is a realistic, fictional year of customer service of a Lisbon-based",
        "subscription retailer (November 2025 – October 2026, time zone Europe/Lisbon,",
        "amounts in EUR). It is generated, never edited by hand:",
        "",
        "```bash",
        "csmetrics sample --out data/sample --force      # seed 7, 12 months, scale 1",
        "```",
        "",
        "`csmetrics.sample` is the source of truth: a test regenerates the sample and",
        "checks that it equals these files, and that this page is current",
        "(`python -m csmetrics.docs` rewrites it). Larger samples for benchmarks:",
        "`csmetrics sample --out /tmp/big --scale 16.7` (about a million tickets).",
        "",
        "## Tables",
        "",
        "| table | rows | file | what it holds |",
        "|---|---:|---|---|",
    ]
    for name in TABLES:
        info = wb.quality.tables.get(name)
        rows = f"{info.rows:,}" if info else "–"
        file = f"`{Path(info.source).name}`" if info else "–"
        lines.append(f"| `{name}` | {rows} | {file} | {TABLE_NOTES.get(name, '')} |")
    lines += [
        "",
        "Every table has every canonical column; the columns, their kinds and meaning are",
        "in the README's *Data format* section. `csmetrics.yaml` beside the files sets the",
        "time zone, the Portuguese holiday calendar and business hours, thresholds, SLA",
        "targets by priority, KPI targets, the two peak periods and the CES scale.",
        "",
        "## Planted data-quality problems",
        "",
        "A few realistic problems are planted on purpose, so that the data-quality report",
        "has something to find (`csmetrics validate --data data/sample` lists them as",
        "warnings; the values concerned are left out of the measures they would distort):",
        "",
        "| problem | rows |",
        "|---|---:|",
    ]
    lines += [f"| `{k}` | {v} |" for k, v in PLANTED_PROBLEMS.items()]
    lines += ["", "What the validator reports on this folder:", "", "```"]
    lines += [p.render().replace(str(folder), "data/sample") for p in wb.quality.warnings]
    lines += ["```", ""]
    return "\n".join(lines)


def render_sections(text: str, generators: dict[str, Callable[[], str]] | None = None) -> str:
    """Replace every generated section of ``text`` with freshly generated content."""
    for name, gen in (generators or GENERATORS).items():
        pattern = re.compile(
            rf"(<!-- BEGIN {name} -->\n)(.*?)(<!-- END {name} -->)", flags=re.DOTALL
        )
        if not pattern.search(text):
            continue
        text = pattern.sub(lambda m, gen=gen: m.group(1) + gen() + m.group(3), text)
    return text


def main(argv: list[str] | None = None) -> int:
    """Rewrite README.md's generated sections and data/README.md."""
    argv = sys.argv[1:] if argv is None else argv
    readme = ROOT / "README.md"
    readme.write_text(render_sections(readme.read_text(encoding="utf-8")), encoding="utf-8")
    if (ROOT / "data" / "sample").is_dir():
        (ROOT / "data" / "README.md").write_text(data_readme(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
