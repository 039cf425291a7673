"""Import presets: foreign exports (help desks, ACD call logs, surveys) → a data folder.

``run_import("nyc-311", ["export.csv"], "data/nyc")`` converts the sources with the
preset, validates the result as canonical tables (the same loader every folder goes
through), and writes ``<out>/<table>.parquet``, ``<out>/csmetrics.yaml``,
``<out>/rejected/<table>.csv`` (every line left out, with its reason) and
``<out>/import_report.txt``. Nothing is lost silently: what was mapped, derived,
repaired and rejected is counted, with example lines.

``rejected/*.csv`` holds, besides ``source_line`` and ``reason``, only the source columns
the preset maps (no customer name or e-mail the import otherwise drops), and every text
cell that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or CR) is prefixed with a single quote (:func:`csmetrics.display.safe_csv_frame`).
The canonical tables are written as Parquet, not CSV, and keep their values as they are.

A preset is a function ``convert(sources, ctx) -> (frames, config)``; it records what it
does through the :class:`ImportContext` it receives. Presets register themselves with
:func:`register` in the modules of this package (:func:`get` finds one by name). Most
are stated as data, a :class:`~csmetrics.importers.spec.PresetSpec` whose column rules
a generic runner applies (:mod:`csmetrics.importers.spec`).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import CsmetricsError
from ..io import write_config, write_tables
from ..load import from_frames

MAX_EXAMPLES = 5


class ImportError_(CsmetricsError):
    """A source cannot be imported with the chosen preset."""


@dataclass
class Step:
    """One thing an import did: a mapping, a derivation, a repair or a rejection."""

    kind: str  # mapped | derived | repaired | rejected | note
    table: str
    text: str
    count: int = 0
    examples: list[str] = field(default_factory=list)

    def render(self) -> str:
        """One line for the import report."""
        n = f" ({self.count:,} rows)" if self.count else ""
        ex = f"; e.g. {'; '.join(self.examples)}" if self.examples else ""
        return f"  [{self.kind}] {self.table}: {self.text}{n}{ex}"


@dataclass
class ImportContext:
    """What a preset reports while converting, and the rejected rows it sets aside."""

    preset: str
    steps: list[Step] = field(default_factory=list)
    rejected: dict[str, list[pd.DataFrame]] = field(default_factory=dict)
    #: Order of numeric dates (``--dayfirst``/``--monthfirst``); None: proven by the export.
    dayfirst: bool | None = None

    def mapped(self, table: str, source: str, target: str) -> None:
        """A source column became a canonical column."""
        self.steps.append(Step("mapped", table, f"{source} → {target}"))

    def derived(self, table: str, text: str, count: int = 0) -> None:
        """A canonical column computed from others (e.g. a date and a time of day)."""
        self.steps.append(Step("derived", table, text, count))

    def note(self, table: str, text: str) -> None:
        """Anything else the user should know about the import."""
        self.steps.append(Step("note", table, text))

    def repaired(
        self,
        table: str,
        text: str,
        mask: pd.Series,
        examples: pd.Series | None = None,
        lines: pd.Series | None = None,
    ) -> None:
        """Rows changed to make them usable (the rows are kept). ``mask`` marks them."""
        n = int(mask.sum())
        if not n:
            return
        self.steps.append(Step("repaired", table, text, n, _examples(mask, examples, lines)))

    def reject(
        self, table: str, rows: pd.DataFrame, reason: str, lines: pd.Series | None = None
    ) -> None:
        """Rows left out of the import; written to ``rejected/<table>.csv`` with the reason."""
        if rows.empty:
            return
        out = rows.copy()
        out.insert(0, "reason", reason)
        out.insert(
            0,
            "source_line",
            lines.loc[rows.index].to_numpy() if lines is not None else rows.index.to_numpy() + 2,
        )
        self.rejected.setdefault(table, []).append(out)
        ex = [f"line {int(x)}" for x in out["source_line"].head(MAX_EXAMPLES)]
        self.steps.append(Step("rejected", table, reason, len(rows), ex))


def _examples(mask: pd.Series, values: pd.Series | None, lines: pd.Series | None) -> list[str]:
    idx = mask[mask].index[:MAX_EXAMPLES]
    out = []
    for i in idx:
        where = f"line {int(lines.loc[i])}" if lines is not None else f"row {i + 1}"
        out.append(f"{where}: {values.loc[i]!r}" if values is not None else where)
    return out


@dataclass(frozen=True)
class Preset:
    """A named conversion from one kind of foreign export."""

    name: str
    description: str
    sources: str
    convert: Callable[[list[Path], ImportContext], tuple[dict[str, pd.DataFrame], dict]]


PRESETS: dict[str, Preset] = {}


def register(preset: Preset) -> Preset:
    """Add a preset to the registry (called by the preset modules; see :func:`get`)."""
    PRESETS[preset.name] = preset
    return preset


def _load_presets() -> None:
    for mod in pkgutil.iter_modules(__path__):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}")


@dataclass
class ImportResult:
    """What an import wrote and did."""

    preset: str
    out: Path
    rows: dict[str, int]
    steps: list[Step]
    rejected_files: dict[str, Path]
    quality: str

    def render_text(self) -> str:
        """The import report printed by ``csmetrics import`` and saved beside the data."""
        lines = [f"Imported with preset {self.preset!r} into {self.out}", "", "Tables written:"]
        lines += [f"  {t:<10} {n:>10,} rows" for t, n in self.rows.items()]
        for kind, title in (
            ("mapped", "Mapped"),
            ("derived", "Derived"),
            ("repaired", "Repaired"),
            ("rejected", "Rejected (see rejected/)"),
            ("note", "Notes"),
        ):
            steps = [s for s in self.steps if s.kind == kind]
            if steps:
                lines += ["", f"{title}:"] + [s.render() for s in steps]
        lines += ["", "Data quality of the imported folder:", self.quality]
        return "\n".join(lines)


def get(name: str) -> Preset:
    """The preset registered as ``name``.

    Raises
    ------
    CsmetricsError
        No preset has that name (the message lists the presets).
    """
    _load_presets()
    if name not in PRESETS:
        raise ImportError_(f"unknown preset {name!r}; presets: {', '.join(sorted(PRESETS))}")
    return PRESETS[name]


def run_import(
    preset: str,
    sources: Sequence[str | Path],
    out: str | Path,
    force: bool = False,
    dayfirst: bool | None = None,
) -> ImportResult:
    """Convert foreign exports into a canonical data folder.

    Parameters
    ----------
    preset : str
        A name from :data:`PRESETS` (``csmetrics import --list``).
    sources : sequence of paths
        The export files (several for presets that combine files, e.g. monthly logs).
    out : path
        The data folder to write.
    force : bool
        Replace an existing data folder.
    dayfirst : bool, optional
        Whether numeric dates (``03/11/2026``) are day first; by default the export's
        values must prove the order (a day above 12), else the import stops.

    Returns
    -------
    ImportResult
        The tables written, every step, the rejected files and the quality report.

    Raises
    ------
    CsmetricsError
        Unknown preset, missing source, existing output without ``force``, or a source
        the preset cannot read (the message names the file, the column and lines).
    """
    chosen = get(preset)
    paths = [Path(s) for s in sources]
    out = Path(out)
    _check_paths(chosen, paths, out, force)
    ctx = ImportContext(preset, dayfirst=dayfirst)
    frames, config = chosen.convert(paths, ctx)
    wb = from_frames(frames, config)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    write_tables(wb.tables, out)
    write_config(config, out)
    rejected_files = _write_rejected(ctx, out)
    result = ImportResult(
        preset,
        out,
        {t: len(df) for t, df in wb.tables.items()},
        ctx.steps,
        rejected_files,
        wb.quality.render_text(),
    )
    _write_reports(result, paths)
    return result


def _check_paths(preset: Preset, paths: list[Path], out: Path, force: bool) -> None:
    """Errors for no source, a missing source, or an output folder in the way."""
    if not paths:
        raise ImportError_(
            f"preset {preset.name!r} needs at least one source file ({preset.sources})"
        )
    for p in paths:
        if not p.exists():
            raise ImportError_(f"{p}: source file not found")
    if out.exists() and any(out.iterdir()) and not force:
        raise ImportError_(f"{out} already holds files; use --force to replace them")


def _write_rejected(ctx: ImportContext, out: Path) -> dict[str, Path]:
    """``<out>/rejected/<table>.csv`` for every table with rejected rows."""
    rejected_files = {}
    if ctx.rejected:
        from ..display import safe_csv_frame  # IPython: only when there is something to write

        (out / "rejected").mkdir()
        for table, parts in ctx.rejected.items():
            path = out / "rejected" / f"{table}.csv"
            # opened in a spreadsheet: no cell may run as a formula (=, +, -, @, tab, CR);
            # CRLF line breaks, so that a cell holding a bare CR is quoted too
            safe_csv_frame(pd.concat(parts, ignore_index=True)).to_csv(
                path, index=False, lineterminator="\r\n"
            )
            rejected_files[table] = path
    return rejected_files


def _write_reports(result: ImportResult, paths: list[Path]) -> None:
    """``import_report.txt`` and ``import_report.json`` beside the data."""
    out = result.out
    (out / "import_report.txt").write_text(result.render_text(), encoding="utf-8")
    (out / "import_report.json").write_text(
        json.dumps(
            {
                "preset": result.preset,
                "sources": [str(p) for p in paths],
                "rows": result.rows,
                "steps": [s.__dict__ for s in result.steps],
                "rejected": {t: str(p) for t, p in result.rejected_files.items()},
            },
            indent=2,
            default=str,
        ),
        encoding="utf-8",
    )


def list_presets() -> list[Preset]:
    """Every registered preset, by name."""
    _load_presets()
    return [PRESETS[k] for k in sorted(PRESETS)]
