"""The shape of the package: small modules, short functions, imports that run one way.

These are the limits the code is held to (issue 14): no module of ``csmetrics/`` over
600 lines, no function over 60 lines (from its ``def`` to its last line, docstring
included), and no import circle between the package's modules, counting imports made
inside functions and the package ``__init__`` each import runs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "csmetrics"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60


def _modules() -> dict[str, Path]:
    """``{dotted name: path}`` of every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _imported(module: str, path: Path, tree: ast.AST, known: dict[str, Path]) -> set[str]:
    """The package modules ``module`` imports anywhere in its code, with the package
    ``__init__`` modules such an import runs (``csmetrics`` itself left out, and the
    packages ``module`` lies in: they are imported before it)."""
    base = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            root = base[: len(base) - node.level + 1] if node.level else []
            stem = ".".join([*root, *([node.module] if node.module else [])])
            names.update(
                f"{stem}.{a.name}" if f"{stem}.{a.name}" in known else stem for a in node.names
            )
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    own = {".".join(module.split(".")[:i]) for i in range(1, module.count(".") + 1)}
    out: set[str] = set()
    for name in names:
        parts = name.split(".")
        if parts[0] != "csmetrics":
            continue
        for i in range(2, len(parts) + 1):  # the module and each package on its way
            candidate = ".".join(parts[:i])
            # a package the module itself lies in is already being imported
            if candidate in known and candidate != module and candidate not in own:
                out.add(candidate)
    return out


def _import_graph() -> dict[str, set[str]]:
    known = _modules()
    return {
        m: _imported(m, p, ast.parse(p.read_text(encoding="utf-8")), known)
        for m, p in known.items()
    }


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_checker_finds_a_circle_and_a_package_init():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    known = {
        "csmetrics.x": Path("x.py"),
        "csmetrics.k": Path("k/__init__.py"),
        "csmetrics.k.e": Path("k/e.py"),
    }
    tree = ast.parse("def f():\n    from .k.e import thing\n")
    assert _imported("csmetrics.x", Path("x.py"), tree, known) == {"csmetrics.k", "csmetrics.k.e"}


def test_no_import_circle():
    graph = _import_graph()
    circles = _circles(graph)
    detail = [" / ".join(f"{m} -> {sorted(graph[m] & set(c))}" for m in c) for c in circles]
    assert not circles, "import circles:\n" + "\n".join(detail)


def test_no_module_over_600_lines():
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def _long_functions() -> dict[str, int]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {node.name}"
                    out[where] = lines
    return out


def test_no_function_over_60_lines():
    long = _long_functions()
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines: {long}"


@pytest.mark.parametrize(
    "name", ["load", "prepare", "compute", "evaluate", "run_report", "Period", "kpis"]
)
def test_public_api_names(name):
    import csmetrics

    assert name in csmetrics.__all__
    assert getattr(csmetrics, name) is not None


@pytest.mark.parametrize("name", ["load", "prepare", "compute", "evaluate", "run_report"])
def test_public_functions_have_numpydoc_sections(name):
    import csmetrics

    doc = getattr(csmetrics, name).__doc__
    for section in ("Parameters\n    ----------", "Returns\n    -------", "Examples\n    --------"):
        assert section in doc, (name, section.split()[0])


def test_notebooks_import_names_and_never_call_dunder_import():
    notebooks = sorted((PACKAGE.parent / "notebooks").glob("*.ipynb"))
    assert notebooks
    offenders = [nb.name for nb in notebooks if "__import__(" in nb.read_text(encoding="utf-8")]
    assert not offenders


#: The steps of the README's "Architecture" section: a module imports only modules of
#: its own step or of the steps above it.
LAYERS = [
    ["errors", "registry", "i18n", "markup", "periods"],
    ["schema", "io", "calendar", "stats", "text"],
    ["kpis"],
    ["config_model", "config_values", "config_sections", "sqltext", "config"],
    ["csvfile", "csvlines", "parsing_base", "parsing_numbers", "parsers", "sources"],
    ["coerce", "canonical", "problems", "quality_checks", "quality", "workbook", "load"],
    ["contacts", "prepare"],
    ["display", "plots", "analysis", "summary", "checklist"],
    ["evaluate"],
    ["explore", "handoff", "notebook"],
    ["report_results", "report_exports", "report_folder", "report_processes",
     "report_kernel", "pages", "report"],
    ["cli", "importers", "sample", "catalogue", "docs", "__main__"],
]  # fmt: skip


def test_imports_follow_the_architecture_steps_of_the_readme():
    step = {name: i for i, names in enumerate(LAYERS) for name in names}
    graph = _import_graph()
    unplaced = sorted({m.split(".")[1] for m in graph if m != "csmetrics"} - set(step))
    assert not unplaced, f"modules missing from LAYERS and the README: {unplaced}"
    upward = [
        f"{m} -> {d}"
        for m, deps in sorted(graph.items())
        if m != "csmetrics"
        for d in sorted(deps)
        if step[d.split(".")[1]] > step[m.split(".")[1]]
    ]
    assert not upward, "imports against the data flow:\n" + "\n".join(upward)
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    for name in set(step) - {"__main__"}:
        assert f"`{name}" in section, name


def test_api_functions_shadow_their_modules_but_the_modules_still_import():
    import csmetrics
    from csmetrics.evaluate import model, recommend

    assert callable(csmetrics.evaluate) and callable(csmetrics.load)
    assert model.Evaluation and recommend.get_rule
