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
    """The KPI table of the README, from the registry (one row per public KPI)."""
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
    """Rewrite README.md's generated sections; ``--check`` only reports staleness."""
    argv = sys.argv[1:] if argv is None else argv
    readme = ROOT / "README.md"
    current = readme.read_text(encoding="utf-8")
    fresh = render_sections(current)
    if "--check" in argv:
        if fresh != current:
            print("README.md is stale: run `python -m csmetrics.docs`", file=sys.stderr)
            return 1
        return 0
    readme.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
