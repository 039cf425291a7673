"""Read a data folder (files or SQL sources) into validated canonical tables.

``load(folder)`` finds one file per table (``tickets.csv``, ``calls.parquet``,
``surveys.xlsx``, ``costs.jsonl``...), or the source ``csmetrics.yaml`` names,
maps and parses the columns, validates them with pandera and runs the quality
checks. It returns a :class:`Workbook`. Problems that make a table unusable raise
:class:`~csmetrics.errors.DataError` naming the file, the column and example rows;
softer problems are reported as warnings and only mask the values they would corrupt.

A table file with a header and no rows is an error (an optional table is left out by
having no file). Messages about a file outside the data folder (an absolute path in
``sources``, or a link to a file elsewhere) never show its content: neither its header
nor its values.

This module reads the files and assembles the folder; the rest of the data side lives in
:mod:`csmetrics.sources` (paths kept in the folder, SQL sources), :mod:`csmetrics.coerce`
(column mapping and parsing), :mod:`csmetrics.canonical` (one table's rules) and
:mod:`csmetrics.workbook` (:class:`Workbook`, :func:`from_frames`, the default period).
Their public names are importable from here too.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from . import csvfile
from .canonical import canonical_table
from .coerce import coerce_column, map_columns
from .config import CONFIG_FILENAME, Config, Source, TableMapping, load_config
from .errors import CsmetricsError, DataError
from .parsers import (
    parse_booleans,
    parse_months,
    parse_numbers,
    parse_timestamps,
)
from .problems import QualityReport, TableInfo
from .schema import TABLES
from .sources import DUCKDB_CONFIG, inside_folder, read_sql_source, source_path, sql_source_outside
from .workbook import Workbook, default_period, finish_workbook, from_frames

__all__ = [
    "DUCKDB_CONFIG",
    "READERS",
    "CsmetricsError",
    "DataError",
    "Workbook",
    "canonical_table",
    "coerce_column",
    "default_data_dir",
    "default_period",
    "find_table_files",
    "from_frames",
    "load",
    "map_columns",
    "parse_booleans",
    "parse_months",
    "parse_numbers",
    "parse_timestamps",
    "read_source_file",
    "read_sql_source",
    "source_path",
]

READERS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".csv.gz": "csv",
    ".parquet": "parquet", ".pq": "parquet",
    ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
}  # fmt: skip


# ---------------------------------------------------------------------------------------
# Reading raw files
# ---------------------------------------------------------------------------------------


def _suffix(path: Path) -> str:
    name = path.name.lower()
    return ".csv.gz" if name.endswith(".csv.gz") else path.suffix.lower()


def find_table_files(folder: Path) -> dict[str, list[Path]]:
    """Files in ``folder`` whose name (without extension) is a canonical table name."""
    found: dict[str, list[Path]] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith("."):
            continue
        stem = path.name[: -len(_suffix(path))] if _suffix(path) else path.name
        if stem.lower() in TABLES:
            found.setdefault(stem.lower(), []).append(path)
    return found


def _decode(path: Path, raw: bytes, encoding: str | None) -> str:
    """A table file's bytes as text (:func:`csmetrics.csvfile.decode_table`)."""
    return csvfile.decode_table(path, raw, encoding)


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    """A CSV table file as text columns (:func:`csmetrics.csvfile.read_table`)."""
    return csvfile.read_table(path, encoding)


def _check_header(names: list[str], path: Path) -> None:
    """No column name repeats in a header (:func:`csmetrics.csvfile.check_header`)."""
    csvfile.check_header(path, names)


def _check_csv_shape(text: str, delimiter: str, path: Path) -> None:
    """Every record has as many fields as the header (:func:`csmetrics.csvfile.check_shape`)."""
    csvfile.check_shape(text, delimiter, path)


def _read_excel(path: Path, sheet: str | int | None) -> pd.DataFrame:
    """One sheet of a workbook: the configured one, or the only sheet that has data.

    A workbook with data on several sheets and no ``columns.<table>.sheet`` is an error
    (reading the first one would silently drop the others). The first row is the header;
    a name repeated in it is an error.
    """
    with pd.ExcelFile(path) as book:
        names = [str(n) for n in book.sheet_names]
        if sheet is None:
            with_data = [
                n
                for n in book.sheet_names
                if not pd.read_excel(book, sheet_name=n, header=None, nrows=2).empty
            ]
            if len(with_data) > 1:
                raise DataError(
                    f"the workbook has data on {len(with_data)} sheets "
                    f"({', '.join(map(repr, map(str, with_data)))}); set columns.<table>.sheet "
                    f"in {CONFIG_FILENAME} to the sheet to read",
                    file=str(path),
                )
            sheet = with_data[0] if with_data else 0
        elif sheet not in book.sheet_names and not isinstance(sheet, int):
            raise DataError(
                f"no sheet named {sheet!r}; the workbook has {', '.join(map(repr, names))}",
                file=str(path),
            )
        grid = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
    if grid.empty:
        return pd.DataFrame()
    header = [
        f"Unnamed: {i}" if pd.isna(v) or not str(v).strip() else str(v).strip()
        for i, v in enumerate(grid.iloc[0])
    ]
    _check_header(header, path)
    body = grid.iloc[1:].reset_index(drop=True)
    body.columns = header
    filled = np.flatnonzero(body.notna().any(axis=1).to_numpy())
    return body.iloc[: filled[-1] + 1 if len(filled) else 0]  # trailing blank rows


def read_source_file(path: Path, mapping: TableMapping | None = None) -> pd.DataFrame:
    """Read one file into a raw DataFrame (no mapping or parsing yet).

    Raises
    ------
    DataError
        Unknown extension, wrong content for the extension, empty file, bad encoding.
    """
    mapping = mapping or TableMapping()
    kind = READERS.get(_suffix(path))
    if kind is None:
        raise DataError(
            f"wrong file type {path.suffix!r}: use one of {', '.join(sorted(READERS))}",
            file=str(path),
        )
    if path.stat().st_size == 0:
        raise DataError("empty file (0 bytes)", file=str(path))
    try:
        if kind == "csv":
            return _read_csv(path, mapping.encoding)
        if kind == "parquet":
            return pd.read_parquet(path)
        if kind == "excel":
            return _read_excel(path, mapping.sheet)
        if kind == "jsonl":
            text = _decode(path, path.read_bytes(), None)
            return pd.read_json(io.StringIO(text), lines=True, dtype=False)
        text = _decode(path, path.read_bytes(), None)
        stripped = text.lstrip()
        lines = not stripped.startswith("[")
        return pd.read_json(io.StringIO(text), lines=lines, dtype=False)
    except DataError:
        raise
    except ImportError as exc:
        raise DataError(f"cannot read this format here: {exc}", file=str(path)) from None
    except (ValueError, OSError, KeyError, TypeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(
            f"wrong file type or corrupt {kind} file: {first}", file=str(path)
        ) from None
    except Exception as exc:  # pyarrow, openpyxl and zipfile raise their own types
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(
            f"wrong file type or corrupt {kind} file: {first}", file=str(path)
        ) from None


def _withheld(exc: DataError, table: str, source: str) -> DataError:
    """``exc`` without the file's content (values, header names), for a file outside the
    data folder: only the number of problems and the canonical columns concerned."""
    flat = exc.problems or [exc]
    names = TABLES[table].names
    cols = sorted({p.column for p in flat if p.column in names}, key=names.index)
    where = f" (column(s) {', '.join(cols)})" if cols else ""
    return DataError(
        f"cannot be read as the {table} table: {len(flat)} problem(s){where}; the file lies "
        "outside the data folder (or is a link to a file there), so messages do not show "
        "its content (copy it into the data folder to see the rows and values concerned)",
        file=source,
    )


def _sql_source(src: Source | None) -> bool:
    return src is not None and bool(src.url or src.duckdb)


def _table_file(table: str, folder: Path | None, files: list[Path], cfg: Config) -> Path | None:
    """The one file of ``table``: named in ``sources.<table>.file`` or found in the folder
    (``None``: no file, the table is left out)."""
    src = cfg.sources.get(table)
    if src is not None and src.file:
        path, _ = source_path(src.file, folder, f"sources.{table}.file", cfg)
        if not path.is_file():
            raise DataError(
                f"file named in sources.{table} "
                + ("is not a file" if path.exists() else "not found"),
                file=str(path),
            )
        files = [path]
    if not files:
        return None
    if len(files) > 1:
        raise DataError(
            f"several files for the {table} table: {', '.join(p.name for p in files)}; keep one",
            file=str(folder),
        )
    return files[0]


def _check_not_empty(raw: pd.DataFrame, table: str, source: str, what: str) -> None:
    """A table source with no header, or a header and no rows, is an error."""
    if len(raw.columns) == 0:
        raise DataError("empty file: no header and no rows", file=source)
    if len(raw) == 0:
        raise DataError(
            f"no data rows: {what}; add the rows, or remove the {table} table's "
            "source (an optional table is left out by having no file)",
            file=source,
        )


def _load_one(
    table: str, folder: Path | None, files: list[Path], cfg: Config
) -> tuple[pd.DataFrame, TableInfo] | None:
    """Read and check one table, or ``None`` when the folder has no file for it.

    A table with a header and no rows is an error: an optional table is left out by
    having no file. A file outside the data folder (an absolute path in ``sources``, or a
    link in the folder to a file elsewhere) is read, but messages about it withhold its
    content (:func:`_withheld`) and its warnings show row numbers only.
    """
    mapping = cfg.columns.get(table) or TableMapping()
    src = cfg.sources.get(table)
    if _sql_source(src):
        outside = sql_source_outside(src, folder, cfg, table)
        source = src.describe()
        what = "the query or table of the SQL source returned no rows"
    else:
        path = _table_file(table, folder, files, cfg)
        if path is None:
            return None
        source = str(path)
        outside = folder is not None and not inside_folder(path, folder)
        what = "the file has a header but no rows"
    try:
        if _sql_source(src):
            raw = read_sql_source(src, folder, cfg, table)
        else:
            raw = read_source_file(path, mapping)
        _check_not_empty(raw, table, source, what)
        canon, info = canonical_table(raw, table, cfg, source, mapping)
    except DataError as exc:
        if outside:
            raise _withheld(exc, table, source) from None
        raise
    info.values_shown = not outside
    return canon, info


def load(
    folder: str | Path | None = None,
    config: str | Path | Config | None = None,
    *,
    now: pd.Timestamp | None = None,
) -> Workbook:
    """Load a data folder into a :class:`Workbook`.

    Parameters
    ----------
    folder : path, optional
        Folder with one file per table (and optionally ``csmetrics.yaml``). Defaults to
        the bundled sample.
    config : path or Config, optional
        Settings; by default ``<folder>/csmetrics.yaml`` if present.
    now : Timestamp, optional
        Reference for the "future timestamp" check (default: the current time).

    Returns
    -------
    Workbook
        The canonical tables, the settings, the quality report and the flags.

    Raises
    ------
    DataError
        A table cannot be loaded; the message names every file, column and example row.
    ConfigError
        The configuration is invalid.

    Examples
    --------
    >>> wb = load("data/sample")                     # doctest: +SKIP
    >>> wb["tickets"].shape, wb.quality.warnings[0].kind   # doctest: +SKIP
    """
    folder = Path(folder) if folder is not None else default_data_dir()
    if not folder.exists():
        raise DataError("data folder not found", file=str(folder))
    if not folder.is_dir():
        raise DataError(
            "not a folder (give the folder that holds the table files)", file=str(folder)
        )
    if isinstance(config, Config):
        cfg = config
    else:
        cfg = load_config(Path(config) if config is not None else folder / CONFIG_FILENAME)
    tables, report = _load_tables(folder, cfg)
    return finish_workbook(tables, cfg, report, now, folder)


def _load_tables(folder: Path, cfg: Config) -> tuple[dict[str, pd.DataFrame], QualityReport]:
    """Every table of the folder, in schema order; the problems of all tables are raised
    together."""
    found = find_table_files(folder)
    report = QualityReport()
    tables: dict[str, pd.DataFrame] = {}
    errors: list[DataError] = []
    for table in TABLES:
        try:
            result = _load_one(table, folder, found.get(table, []), cfg)
        except DataError as exc:
            errors.append(exc)
            continue
        if result is None:
            report.missing_tables.append(table)
            continue
        tables[table], report.tables[table] = result
    if errors:
        flat = [p for e in errors for p in (e.problems or [e])]
        if len(flat) == 1:
            raise flat[0]
        raise DataError(f"{len(flat)} problems in {folder}", problems=flat)
    if not tables:
        raise DataError(
            f"no table files found; expected files named like tickets.csv, calls.parquet, "
            f"surveys.xlsx (tables: {', '.join(TABLES)})",
            file=str(folder),
        )
    return tables, report


def default_data_dir() -> Path:
    """The bundled sample: ``data/sample`` of the repository checkout, else the copy an
    installed wheel ships inside the package (``csmetrics/_sample``).

    Examples
    --------
    >>> (default_data_dir() / "tickets.parquet").is_file()
    True
    """
    here = Path(__file__).resolve().parent
    checkout = here.parent / "data" / "sample"
    return checkout if checkout.is_dir() else here / "_sample"
