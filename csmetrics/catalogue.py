"""The message catalogues: extract every user-visible message, update the ``.po`` files,
check that each language translates all of them.

Messages come from five places:

* the package's Python code: ``_("…")``, ``N_("…")``, ``ngettext("…", "…", n)``;
* the notebooks' code cells (the same calls, and the title given to ``open_section``);
* the report notebooks' markdown cells, each cell one message (its stripped text);
* the KPI registry: each KPI's label and formula;
* the evaluation checklist (``checklist.yaml``): each question.

``python -m csmetrics.catalogue update`` writes ``csmetrics/locale/csmetrics.pot`` and
merges it into each language's ``.po`` (new messages empty, changed ones marked fuzzy,
removed ones dropped); ``python -m csmetrics.catalogue check`` lists every message a
language lacks (empty, fuzzy, or with other ``{placeholders}`` than the English) and
exits 1 if there is one. ``make i18n`` runs both.
"""

from __future__ import annotations

import ast
import io
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_python
from babel.messages.pofile import read_po, write_po

from .i18n import DOMAIN, LANGUAGES, LOCALE_DIR, catalogue_path, markdown_message

PACKAGE = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2), "open_section": (1,)}
COMMENT_TAGS = ("Translators:",)
#: Notebooks whose markdown is not part of the report (run interactively, in English).
INTERACTIVE_NOTEBOOKS = {"explore"}
#: Package modules with no report text (generators of sample data, the catalogue itself).
SKIP_MODULES = {"sample", "catalogue.py", "docs.py"}  # top-level modules and packages
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


@dataclass(frozen=True)
class Message:
    """One message: its English text (a ``(singular, plural)`` pair for plural forms)."""

    id: str | tuple[str, str]
    location: tuple[str, int]
    comment: str = ""


def _ast_messages(source: bytes, where: str) -> Iterable[Message]:
    """Messages of ``_()``/``N_()``/``ngettext()`` calls found in the syntax tree, including
    calls inside f-strings (which Babel's tokenizer does not see before Python 3.12)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        spec = KEYWORDS.get(node.func.id, "none")
        if spec == "none" or not node.args:
            continue
        texts = [a.value if isinstance(a, ast.Constant) else None for a in node.args[:2]]
        if spec == (1, 2):
            if len(texts) == 2 and all(isinstance(t, str) for t in texts):
                yield Message((texts[0], texts[1]), (where, node.lineno))
        elif isinstance(texts[0], str) and texts[0]:
            yield Message(texts[0], (where, node.lineno))


def _python_messages(source: bytes, where: str) -> Iterable[Message]:
    """Babel's extraction (with ``# Translators:`` comments), completed by the syntax tree."""
    found = list(_babel_messages(source, where))
    seen = {m.id for m in found}
    found += [m for m in _ast_messages(source, where) if m.id not in seen]
    return found


def _babel_messages(source: bytes, where: str) -> Iterable[Message]:
    for lineno, func, args, comments in extract_python(
        io.BytesIO(source), KEYWORDS.keys(), COMMENT_TAGS, {}
    ):
        spec = KEYWORDS[func]
        args = args if isinstance(args, tuple) else (args,)
        if spec == (1, 2):
            if len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
                yield Message((args[0], args[1]), (where, lineno), " ".join(comments))
            continue
        text = args[0] if args else None
        if isinstance(text, str) and text:
            yield Message(text, (where, lineno), " ".join(comments))


def notebooks_folder() -> Path:
    """The notebooks of the report (the checkout's ``notebooks/``)."""
    from .report import notebooks_dir

    return notebooks_dir()


def extract() -> list[Message]:
    """Every user-visible message of the package, notebooks, registry and checklist."""
    import nbformat

    from .evaluate import default_checklist
    from .kpis.registry import CATALOGUE

    out: list[Message] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.relative_to(PACKAGE).parts[0] in SKIP_MODULES:
            continue
        rel = path.relative_to(PACKAGE.parent).as_posix()
        out += _python_messages(path.read_bytes(), rel)
    folder = notebooks_folder()
    for nb_path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        rel = f"notebooks/{nb_path.name}"
        for i, cell in enumerate(nb.cells, 1):
            if cell.cell_type == "code":
                out += _python_messages(cell.source.encode("utf-8"), f"{rel}#cell{i}")
            elif cell.cell_type == "markdown" and nb_path.stem not in INTERACTIVE_NOTEBOOKS:
                text = markdown_message(cell.source)
                if text:
                    out.append(Message(text, (f"{rel}#cell{i}", 1), "Markdown (a notebook cell)"))
    for k in CATALOGUE:
        where = ("csmetrics/kpis/registry.py", 1)
        out.append(Message(k.label_en, where, f"KPI label ({k.id})"))
        out.append(Message(k.formula_en, where, f"KPI formula ({k.id}): keep column names"))
    for q in default_checklist():
        out.append(
            Message(q["question"], ("csmetrics/checklist.yaml", 1), f"checklist ({q['id']})")
        )
    return out


def template_catalogue(messages: Iterable[Message] | None = None) -> Catalog:
    """The ``.pot`` template built from :func:`extract`."""
    cat = Catalog(
        domain=DOMAIN,
        project="csmetrics",
        msgid_bugs_address="",
        copyright_holder="csmetrics",
        fuzzy=False,
    )
    for m in extract() if messages is None else messages:
        cat.add(m.id, locations=[m.location], auto_comments=[m.comment] if m.comment else [])
    return cat


def _header(cat: Catalog, what: str) -> None:
    from . import __version__

    cat.header_comment = (
        f"# {what} of csmetrics, the customer-service report.\n"
        "# Edit the msgstr lines with any PO editor; `make i18n` merges new messages\n"
        "# from the code (python -m csmetrics.catalogue update) and checks every language."
    )
    cat.project, cat.version = "csmetrics", __version__
    cat.msgid_bugs_address = ""
    cat.copyright_holder = "csmetrics"
    cat.last_translator = "csmetrics translators"
    cat.language_team = str(cat.locale or "LANGUAGE")


def _write(cat: Catalog, path: Path) -> None:
    # Babel flags any message with a "%" as python-format; ours use {placeholders}, and
    # the flag would make msgfmt --check demand "%" conversions in the translations
    for m in cat:
        m.flags.discard("python-format")
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, cat, width=96, sort_output=False, omit_header=False, include_lineno=False)
    path.write_bytes(buf.getvalue())


def _read(path: Path, lang: str) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def update() -> list[str]:
    """Write the template and merge it into every language's ``.po``; returns the paths."""
    template = template_catalogue()
    _header(template, "Messages (template)")
    _write(template, TEMPLATE)
    written = [str(TEMPLATE)]
    for lang in LANGUAGES:
        if lang == "en":
            continue
        path = catalogue_path(lang)
        if path.exists():
            cat = _read(path, lang)
        else:
            cat = Catalog(locale=lang, domain=DOMAIN, project="csmetrics", fuzzy=False)
        cat.update(template, update_header_comment=False)
        cat.obsolete.clear()
        _header(cat, f"{Locale.parse(lang).english_name} translation")
        _write(cat, path)
        written.append(str(path))
    return written


def _placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def check(langs: Iterable[str] | None = None, messages: list[Message] | None = None) -> list[str]:
    """Problems of the catalogues: each message a language lacks, or translates with other
    placeholders than the English. An empty list means every language is complete."""
    msgs = extract() if messages is None else messages
    problems = []
    for lang in langs or [x for x in LANGUAGES if x != "en"]:
        path = catalogue_path(lang)
        if not path.exists():
            problems.append(f"{lang}: no catalogue at {path}")
            continue
        cat = _read(path, lang)
        seen = set()
        for m in msgs:
            key = m.id[0] if isinstance(m.id, tuple) else m.id
            if key in seen:
                continue
            seen.add(key)
            short = key if len(key) < 70 else key[:67] + "..."
            entry = cat.get(key)
            if entry is None:
                problems.append(f"{lang}: missing {short!r} ({m.location[0]})")
                continue
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            if entry.fuzzy or not all(s for s in strings):
                state = "fuzzy" if entry.fuzzy else "untranslated"
                problems.append(f"{lang}: {state} {short!r} ({m.location[0]})")
                continue
            if isinstance(m.id, tuple) and len(strings) != cat.num_plurals:
                problems.append(
                    f"{lang}: {short!r} has {len(strings)} plural forms, {lang} needs "
                    f"{cat.num_plurals}"
                )
            wanted = _placeholders(key) | (
                _placeholders(m.id[1]) if isinstance(m.id, tuple) else set()
            )
            for s in strings:
                if _placeholders(s) != wanted:
                    problems.append(
                        f"{lang}: {short!r} placeholders {sorted(wanted)} but the translation "
                        f"has {sorted(_placeholders(s))}"
                    )
                    break
    return problems


def stale_template() -> list[str]:
    """Messages that differ between the committed ``.pot`` and the code (update needed)."""
    if not TEMPLATE.exists():
        return [f"{TEMPLATE} is missing"]
    committed = {m.id for m in _read(TEMPLATE, "en") if m.id}
    current = {m.id for m in template_catalogue() if m.id}
    return [f"not in the .pot: {m!r}" for m in current - committed] + [
        f"no longer in the code: {m!r}" for m in committed - current
    ]


def main(argv: list[str] | None = None) -> int:
    """``python -m csmetrics.catalogue update|check``."""
    argv = sys.argv[1:] if argv is None else argv
    what = argv[0] if argv else "check"
    if what == "update":
        for p in update():
            print(f"wrote {p}")
        return 0
    if what == "check":
        problems = stale_template() + check()
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s)" if problems else "all catalogues complete")
        return 1 if problems else 0
    print("usage: python -m csmetrics.catalogue update|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
