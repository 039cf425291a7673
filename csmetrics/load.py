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
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .config import CONFIG_FILENAME, Config, Source, TableMapping, load_config
from .errors import ConfigError, CsmetricsError, DataError
from .i18n import N_
from .parsers import (
    NULL_MARKERS,
    FormatError,
    parse_booleans,
    parse_ids,
    parse_months,
    parse_numbers,
    parse_timestamps,
)
from .quality import (
    Problem,
    QualityReport,
    TableInfo,
    example_rows,
    run_checks,
    without_values,
)
from .schema import TABLES, ColumnSpec, pandera_schema

READERS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".csv.gz": "csv",
    ".parquet": "parquet", ".pq": "parquet",
    ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
}  # fmt: skip


@dataclass
class Workbook:
    """The canonical tables of one data folder, with its configuration and quality report.

    Attributes
    ----------
    tables : dict of DataFrame
        Canonical tables by name; absent optional tables are not keys.
    config : Config
        Settings read from ``csmetrics.yaml`` (or defaults).
    quality : QualityReport
        What was read and every problem found.
    flags : dict of DataFrame
        Per table, boolean columns marking values left out of measures.
    """

    tables: dict[str, pd.DataFrame]
    config: Config
    quality: QualityReport
    flags: dict[str, pd.DataFrame] = field(default_factory=dict)
    folder: Path | None = None

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __contains__(self, name: object) -> bool:
        return name in self.tables

    def usable(self, name: str) -> pd.DataFrame:
        """Table ``name`` with the values flagged by quality warnings set to missing.

        A ticket "resolved before it was created" keeps its row (it still counts as
        created) but loses its ``resolved_at``, so it is left out of resolution times
        only. Use :meth:`excluded_counts` to report how many values were left out.
        """
        df = self.tables[name].copy()
        flag = self.flags.get(name)
        if flag is None or flag.empty:
            return df
        for col in flag.columns:
            if flag[col].any():
                df.loc[flag[col].to_numpy(), col] = None
        return df

    def excluded_counts(self, name: str) -> dict[str, int]:
        """How many values of each column of table ``name`` are left out of measures."""
        flag = self.flags.get(name)
        if flag is None:
            return {}
        return {c: int(flag[c].sum()) for c in flag.columns if flag[c].any()}


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
    if encoding:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise DataError(f"cannot be read as {encoding}: {exc}", file=str(path)) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        snippet = raw[max(0, exc.start - 20) : exc.start + 10]
        raise DataError(
            f"unreadable encoding: byte 0x{raw[exc.start]:02x} at line {line} is not UTF-8 "
            f"(near {snippet!r}); save the file as UTF-8 or set "
            f"columns.<table>.encoding in {CONFIG_FILENAME} (e.g. cp1252)",
            file=str(path),
        ) from None


def _read_csv(path: Path, encoding: str | None) -> pd.DataFrame:
    raw = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        import gzip

        try:
            raw = gzip.decompress(raw)
        except OSError as exc:
            raise DataError(f"not a gzip file: {exc}", file=str(path)) from None
    if b"\x00" in raw[:4096] and not raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise DataError("wrong file type: binary content in a text file", file=str(path))
    text = _decode(path, raw, encoding)
    if not text.strip():
        raise DataError("empty file: no header and no rows", file=str(path))
    sample = text[:65536]
    try:
        delimiter = csv.Sniffer().sniff(sample.split("\n", 1)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    _check_csv_shape(text, delimiter, path)
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            na_values=[""],
            keep_default_na=False,
            skipinitialspace=True,
        )
    except pd.errors.ParserError as exc:
        raise DataError(f"malformed CSV: {exc}".strip(), file=str(path)) from None
    except pd.errors.EmptyDataError:
        raise DataError("empty file: no header and no rows", file=str(path)) from None


def _check_header(names: list[str], path: Path) -> None:
    """No column name repeats in a header (blank names aside): the second ``created_at``
    would otherwise be renamed ``created_at.1`` and ignored."""
    seen: dict[str, int] = {}
    for i, name in enumerate(names, start=1):
        if name and name in seen:
            raise DataError(
                f"the header names column {name!r} twice (columns {seen[name]} and {i}); "
                "rename or remove one",
                file=str(path),
                column=name,
            )
        seen.setdefault(name, i)


def _check_csv_shape(text: str, delimiter: str, path: Path) -> None:
    """Every record has as many fields as the header (:func:`_check_header` too).

    A short record would be padded with blanks and a long one would shift its values,
    so both are errors naming the rows.
    """
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, skipinitialspace=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return
    _check_header([h.strip() for h in header], path)
    width = len(header)
    bad: list[str] = []
    n_bad = 0
    try:
        records = (r for r in reader if len(r) > 1 or (r and r[0].strip()))
        for row_no, record in enumerate(records, start=1):
            if len(record) != width:
                n_bad += 1
                if len(bad) < 5:
                    bad.append(f"row {row_no}: {len(record)} field(s)")
    except csv.Error as exc:
        raise DataError(f"malformed CSV: {exc}", file=str(path)) from None
    if n_bad:
        raise DataError(
            f"malformed CSV: {n_bad:,} row(s) with a different number of fields than "
            f"the header's {width} "
            f"(a short row would be padded with blanks, a long one would shift its values); "
            f"check the separator {delimiter!r} and quoting in those rows",
            file=str(path),
            rows=bad,
        )


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


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, links followed, lies inside ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def source_path(written: str, folder: Path | None, key: str, cfg: Config) -> tuple[Path, bool]:
    """The file a setting names (``sources.<table>.file``, ``.duckdb``, a SQLite URL's
    file), and whether it lies inside the data folder.

    A relative path is read in the data folder and must stay there: ``..`` or a link
    leading out of it is a :class:`~csmetrics.errors.ConfigError`. A file elsewhere is
    read only when its path is written as an absolute path.
    """
    path = Path(written)
    if folder is None:
        return path, False
    if path.is_absolute():
        return path, _inside(path, folder)
    full = folder / path
    if not _inside(full, folder):
        raise ConfigError(
            f"{cfg.path or CONFIG_FILENAME}: {key}: {written!r} leads outside the data folder "
            f"{folder} (through '..' or a link); a relative path must stay inside the data "
            "folder (write the absolute path of a file kept elsewhere)"
        )
    return full, True


#: How DuckDB opens a source file: read-only, and no file but the database itself (no
#: ``COPY ... TO``, ``read_csv``, ``ATTACH``, extensions), settings locked.
DUCKDB_CONFIG = {
    "enable_external_access": False,
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "lock_configuration": True,
}


def _sqlite_engine(src: Source, url: Any, base: Path | None, cfg: Config, key: str):
    """An engine on the SQLite file of ``url``, opened read-only; the file must exist
    (SQLite would create an empty database)."""
    import sqlite3
    import urllib.parse

    import sqlalchemy as sa

    if url.get_driver_name() not in ("pysqlite", "sqlite"):
        raise ConfigError(
            f"{cfg.path or CONFIG_FILENAME}: {key}: SQLite through the "
            f"{url.get_driver_name()!r} driver is not supported; write sqlite:///path/file.db"
        )
    database = (url.database or "").removeprefix("file:")
    if database in ("", ":memory:"):
        raise ConfigError(
            f"{cfg.path or CONFIG_FILENAME}: {key}: the SQLite URL names no database file "
            "(write sqlite:///file.db for a file in the data folder)"
        )
    path, _ = source_path(database, base, key, cfg)
    if not path.is_file():
        raise DataError("SQLite database file not found", file=str(path))
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    return sa.create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    )


def read_sql_source(
    src: Source, base: Path | None, cfg: Config | None = None, table: str = ""
) -> pd.DataFrame:
    """Run the query (or read the table) of a SQL source: SQLAlchemy URL or DuckDB file.

    A DuckDB file is opened read-only with no access to other files
    (:data:`DUCKDB_CONFIG`); a SQLite file read-only, and it must exist. ``table`` is
    quoted as a name (each dot-separated part). The query itself was checked when the
    settings were read: one statement that only reads.
    """
    import sqlalchemy as sa

    from .config import quoted_table_name

    cfg = cfg or Config()
    key = f"sources.{table or '<table>'}"
    try:
        if src.duckdb:
            import duckdb

            db, _ = source_path(src.duckdb, base, f"{key}.duckdb", cfg)
            if not db.is_file():
                raise DataError("DuckDB file not found", file=str(db))
            target = src.query or f"SELECT * FROM {quoted_table_name(src.table or '')}"
            with duckdb.connect(str(db), read_only=True, config=DUCKDB_CONFIG) as con:
                return con.execute(target).df()
        try:
            url = sa.engine.make_url(src.url or "")
        except (sa.exc.ArgumentError, ValueError) as exc:
            raise ConfigError(
                f"{cfg.path or CONFIG_FILENAME}: {key}.url: not a database URL ({exc})"
            ) from None
        if url.get_backend_name() == "sqlite":
            engine = _sqlite_engine(src, url, base, cfg, f"{key}.url")
        else:
            engine = sa.create_engine(url)
        try:
            if src.query:
                target = src.query
            else:
                quote = engine.dialect.identifier_preparer.quote_identifier
                target = "SELECT * FROM " + ".".join(quote(p) for p in (src.table or "").split("."))
            with engine.connect() as con:
                return pd.read_sql(sa.text(target), con)
        finally:
            engine.dispose()
    except CsmetricsError:
        raise
    except Exception as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"SQL source failed: {first}", file=src.describe()) from None


# ---------------------------------------------------------------------------------------
# Mapping and parsing columns
# ---------------------------------------------------------------------------------------


def _normalise_name(name: object) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(name).strip().lower()).strip("_")


def map_columns(df: pd.DataFrame, table: str, mapping: TableMapping, file: str) -> pd.DataFrame:
    """Rename source columns to canonical names and add constant columns.

    Columns listed in ``mapping.rename`` are renamed; other columns whose normalised
    name (lower case, punctuation as ``_``) equals a canonical name are matched too.
    """
    canon = set(TABLES[table].names)
    lookup = {str(k).strip(): v for k, v in mapping.rename.items()}
    missing_src = [k for k in lookup if k not in {str(c).strip() for c in df.columns}]
    if missing_src:
        raise DataError(
            f"columns.{table}.rename names source column(s) not in the file: "
            f"{', '.join(map(repr, missing_src))}; the file has {_list_cols(df.columns)}",
            file=file,
        )
    new = []
    for col in df.columns:
        key = str(col).strip()
        if key in lookup:
            new.append(lookup[key])
        elif _normalise_name(key) in canon:
            new.append(_normalise_name(key))
        else:
            new.append(key)
    dupes = sorted({c for c in new if new.count(c) > 1})
    if dupes:
        raise DataError(
            f"several source columns map to the same column(s) {', '.join(map(repr, dupes))}",
            file=file,
        )
    out = df.copy()
    out.columns = new
    for col, value in mapping.constants.items():
        out[col] = value
    return out


def _list_cols(cols: Any, limit: int = 12) -> str:
    names = [repr(str(c)) for c in cols]
    return ", ".join(names[:limit]) + (", ..." if len(names) > limit else "")


def _on_uniques(values: pd.Series, transform) -> pd.Series:
    """Apply a string transform to the distinct values only, then map back (labels and
    categories repeat a lot, so this is much faster than transforming every row)."""
    text = values.astype(pd.StringDtype(na_value=np.nan))
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    if len(uniques) == 0:
        return text
    done = transform(pd.Series(uniques, dtype=text.dtype))
    done = done.where(done != "")
    out = done.to_numpy(object)[np.where(codes >= 0, codes, 0)]
    out[codes < 0] = np.nan
    return pd.Series(out, index=values.index, dtype=text.dtype)


def _label(values: pd.Series) -> pd.Series:
    return _on_uniques(
        values, lambda t: t.str.strip().str.lower().str.replace(r"[\s\-/]+", "_", regex=True)
    )


def _text(values: pd.Series) -> pd.Series:
    return _on_uniques(values, lambda t: t.str.strip())


def _present(values: pd.Series) -> pd.Series:
    """Values that are there: not missing and, for text, not blank."""
    present = values.notna()
    if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
        present &= (values.astype("string").str.strip() != "").fillna(False)
    return present


#: What :func:`pandas.api.types.infer_dtype` says of a column holding single values only.
_SINGLE_VALUES = {
    "string", "empty", "integer", "floating", "mixed-integer-float", "decimal", "boolean",
    "datetime64", "datetime", "date", "timedelta64", "timedelta", "time", "period",
    "integer-na", "categorical",
}  # fmt: skip
_NOT_SINGLE = (list, tuple, set, dict, bytes, bytearray, np.ndarray)


def _check_single_values(raw: pd.Series, spec: ColumnSpec, file: str) -> None:
    """A canonical column holds single values: a list or mapping (JSON, Parquet) or
    binary data would otherwise be read as its text form, ``"[1, 2]"`` or ``"b'x'"``.

    Raises
    ------
    DataError
        Naming the rows with such values.
    """
    if raw.dtype != object or pd.api.types.infer_dtype(raw, skipna=True) in _SINGLE_VALUES:
        return
    bad = raw.map(lambda v: isinstance(v, _NOT_SINGLE)).astype(bool)
    if bad.any():
        kinds = sorted({type(v).__name__ for v in raw[bad]})
        binary = "; store binary data as UTF-8 text" if {"bytes", "bytearray"} & set(kinds) else ""
        raise DataError(
            f"{int(bad.sum()):,} value(s) that are not single values ({', '.join(kinds)}): "
            f"a cell holds one text, number, date or true/false{binary}",
            file=file,
            column=spec.name,
            rows=example_rows(bad, raw),
        )


def coerce_column(
    raw: pd.Series, spec: ColumnSpec, cfg: Config, mapping: TableMapping, table: str, file: str
) -> pd.Series:
    """Parse one source column into its canonical dtype.

    Raises
    ------
    DataError
        Values that cannot be parsed, or enum values outside the allowed set.
    """
    _check_single_values(raw, spec, file)
    values = raw
    if spec.name in mapping.values:
        vmap = {str(k): v for k, v in mapping.values[spec.name].items()}
        as_text = values.astype("string").str.strip()
        hit = as_text.isin(list(vmap)).fillna(False).astype(bool)
        if hit.any():
            values = values.astype(object).copy()
            values[hit] = as_text[hit].map(vmap)
    present = _present(values)
    kind = spec.kind
    try:
        if kind == "timestamp":
            out = parse_timestamps(
                values, cfg.timezone, mapping.formats.get(spec.name), mapping.dayfirst
            )
        elif kind in ("float", "int"):
            out = parse_numbers(
                values,
                mapping.units.get(spec.name),
                is_duration=spec.name.endswith("_s"),
                decimal=mapping.decimal,
            )
        elif kind == "month":
            out = parse_months(values, cfg.timezone)
    except FormatError as exc:
        raise _format_error(exc, table, spec.name, file) from None
    if kind == "timestamp":
        what = "unparseable timestamps"
        hint = f"; set columns.{table}.formats.{spec.name} in {CONFIG_FILENAME}"
    elif kind in ("float", "int"):
        what, hint = "values that are not numbers", ""
        infinite = out.notna() & ~np.isfinite(out.to_numpy(float, na_value=np.nan))
        if kind == "float" and infinite.any():  # counts say "whole numbers expected" below
            raise DataError(
                f"{int(infinite.sum()):,} non-finite number(s) (inf): a measurement must be "
                "a finite number; leave the cell empty if the value is unknown",
                file=file,
                column=spec.name,
                rows=example_rows(infinite, raw),
            )
        if kind == "int":
            # infinite, or too large to count exactly (1E20): no whole number either
            frac = out.notna() & ((out != np.floor(out)) | ~np.isfinite(out) | (out.abs() > 2**53))
            if frac.any():
                raise DataError(
                    "whole numbers expected",
                    file=file,
                    column=spec.name,
                    rows=example_rows(frac, raw),
                )
            out = out.astype("Int64")
    elif kind == "bool":
        out = parse_booleans(values)
        what, hint = "values that are not true/false (or yes/no, 1/0)", ""
    elif kind == "month":
        what, hint = "values that are not months (YYYY-MM)", ""
    elif kind == "enum":
        out = _label(values)
        bad = out.notna() & ~out.isin(spec.values)
        if bad.any():
            found = sorted(out[bad].unique().tolist())[:8]
            raise DataError(
                f"unknown value(s) {', '.join(map(repr, found))}; allowed: "
                f"{', '.join(spec.values)} (map others with columns.{table}.values."
                f"{spec.name} in {CONFIG_FILENAME})",
                file=file,
                column=spec.name,
                rows=example_rows(bad, raw),
            )
        return out
    elif kind == "id":
        if pd.api.types.is_float_dtype(values.dtype):
            nums = values.to_numpy(float, na_value=np.nan)
            inexact = ~np.isnan(nums) & (~np.isfinite(nums) | (np.abs(nums) > 2**53))
            if inexact.any():
                raise DataError(
                    f"{int(inexact.sum()):,} id(s) stored as floating-point numbers that "
                    "cannot be exact ids (infinite, or beyond 2^53 where floats skip whole "
                    "numbers); store the ids as text or as whole numbers",
                    file=file,
                    column=spec.name,
                    rows=example_rows(inexact, raw),
                )
        return parse_ids(values)
    elif kind == "label":
        return _label(values)
    else:
        return _text(values)
    bad = present & out.isna()
    if bad.any():
        raise DataError(
            f"{int(bad.sum()):,} {what}{hint}",
            file=file,
            column=spec.name,
            rows=example_rows(bad, raw),
        )
    return out


# ---------------------------------------------------------------------------------------
# One table, then the whole folder
# ---------------------------------------------------------------------------------------


_FORMAT_HINTS = {
    "month": "write the months as YYYY-MM (2026-10)",
    "formats": "fix columns.{table}.formats.{column} in " + CONFIG_FILENAME,
    "dayfirst": "set columns.{table}.dayfirst: true (03/11/2026 is 3 November) or false "
    "(11 March), or columns.{table}.formats.{column}, in " + CONFIG_FILENAME,
    "decimal": 'set columns.{table}.decimal: "," (2,884 is two point eight) or "." '
    "(two thousand eight hundred), in " + CONFIG_FILENAME,
}


def _format_error(exc: FormatError, table: str, column: str, file: str) -> DataError:
    """A :class:`~csmetrics.parsers.FormatError` as a DataError naming where and the fix."""
    hint = _FORMAT_HINTS[exc.setting].format(table=table, column=column)
    return DataError(
        f"{exc.message}; {hint}",
        file=file,
        column=column,
        rows=[f"row {i + 1}: {v!r}" for i, v in exc.examples],
    )


def _null_markers(
    values: pd.Series, spec: ColumnSpec, mapping: TableMapping, table: str, file: str
) -> tuple[pd.Series, Problem | None]:
    """Set the documented null markers (``NA``, ``NULL``, ``-``...) of a column to missing.

    Returns the column and, when some were found, a counted problem: a warning in text
    columns (where ``NA`` could have been a value), a note in typed ones.
    """
    if not (values.dtype == object or isinstance(values.dtype, pd.StringDtype)):
        return values, None
    markers = list(NULL_MARKERS if mapping.na_values is None else mapping.na_values)
    hit = values.astype("string").str.strip().isin(markers).fillna(False).astype(bool)
    if not hit.any():
        return values, None
    found = sorted(values[hit].astype(str).str.strip().unique().tolist())
    n = int(hit.sum())
    severity = "warning" if spec.kind in ("id", "label", "text", "enum") else "info"
    problem = Problem(
        table,
        "null_markers",
        severity,  # type: ignore[arg-type]
        f"{n:,} value(s) read as missing: {', '.join(map(repr, found))} (null markers; set "
        f"columns.{table}.na_values in {CONFIG_FILENAME} to change the list)",
        count=n,
        column=spec.name,
        file=file,
        rows=example_rows(hit, values),
        template=N_(
            "{n} value(s) read as missing: {markers} (null markers; set "
            "columns.{table}.na_values in csmetrics.yaml to change the list)"
        ),
        args={"n": n, "markers": ", ".join(map(repr, found)), "table": table},
    )
    return values.mask(hit), problem


def canonical_table(
    raw: pd.DataFrame, table: str, cfg: Config, source: str, mapping: TableMapping | None = None
) -> tuple[pd.DataFrame, TableInfo]:
    """Turn a raw frame into canonical table ``table``.

    Every parse problem of every column is collected and raised together in one
    :class:`DataError`, so a user fixes a file in one pass.
    """
    mapping = mapping or cfg.columns.get(table) or TableMapping()
    spec = TABLES[table]
    df = map_columns(raw, table, mapping, source).reset_index(drop=True)
    missing = [c for c in spec.required if c not in df.columns]
    if missing:
        hints = []
        for m in missing:
            close = difflib.get_close_matches(m, [str(c) for c in df.columns], n=1, cutoff=0.5)
            if close:
                hints.append(f"{m!r} (is it {close[0]!r}?)")
            else:
                hints.append(repr(m))
        raise DataError(
            f"missing required column(s) {', '.join(hints)}; the file has "
            f"{_list_cols(df.columns)} (map names with columns.{table}.rename in "
            f"{CONFIG_FILENAME})",
            file=source,
        )
    problems: list[DataError] = []
    out = {}
    notes = []
    found: list[Problem] = []
    for col in spec.columns:
        if col.name not in df.columns:
            continue
        values, marked = _null_markers(df[col.name], col, mapping, table, source)
        if marked is not None:
            found.append(marked)
        try:
            out[col.name] = coerce_column(values, col, cfg, mapping, table, source)
        except DataError as exc:
            problems.append(exc)
    canon = pd.DataFrame(out, index=df.index)
    # a column that could not be read is absent from canon (its problem is reported):
    # nothing below derives from it or checks it
    derive = table == "calls" and "wait_s" not in df.columns and "answered_at" in df.columns
    if derive and {"answered_at", "arrived_at"} <= set(canon.columns):
        canon["wait_s"] = (canon["answered_at"] - canon["arrived_at"]).dt.total_seconds()
        notes.append("wait_s derived from answered_at - arrived_at")
    null_required = [c for c in spec.required if c in canon and canon[c].isna().any()]
    for c in null_required:
        mask = canon[c].isna()
        problems.append(
            DataError(
                f"{int(mask.sum()):,} empty value(s) in a required column",
                file=source,
                column=c,
                rows=example_rows(mask),
            )
        )
    for key in [spec.key[0]] if len(spec.key) == 1 and spec.key[0] in canon else []:
        dup = canon[key].duplicated(keep=False) & canon[key].notna()
        if dup.any():
            n_ids = canon.loc[dup, key].nunique()
            problems.append(
                DataError(
                    f"duplicate ids: {n_ids:,} id(s) appear more than once "
                    f"({int(dup.sum()):,} rows)",
                    file=source,
                    column=key,
                    rows=example_rows(dup, canon[key]),
                )
            )
    key_cols = [c for c in spec.key if c in canon]
    # the key of a table whose key column is absent or unreadable is the columns present
    # (a monthly metric without channel is one value per period and metric)
    if len(spec.key) > 1 and all(c in canon or c not in df.columns for c in spec.key):
        dup = canon.duplicated(key_cols, keep=False)
        if dup.any():
            labels = (
                canon[key_cols]
                .astype(object)
                .apply(lambda col: col.map(lambda v: "(empty)" if pd.isna(v) else str(v)))
                .agg(" / ".join, axis=1)
            )
            problems.append(
                DataError(
                    f"duplicate rows for the key ({', '.join(key_cols)})",
                    file=source,
                    column=" + ".join(key_cols),
                    rows=example_rows(dup, labels),
                )
            )
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise DataError(f"{source}: {len(problems)} problems", problems=problems)
    extras = [c for c in df.columns if c not in spec.names]
    for c in extras:
        canon[c] = df[c]
    canon = canon[[c for c in spec.names if c in canon] + extras]
    _validate_with_pandera(canon, table, cfg, source)
    info = TableInfo(
        name=table,
        source=source,
        rows=len(canon),
        columns=[c for c in spec.names if c in canon],
        missing_optional=[c for c in spec.names if c not in canon],
        extra_columns=[str(c) for c in extras],
        notes=notes,
        problems=found,
    )
    return canon, info


def _validate_with_pandera(df: pd.DataFrame, table: str, cfg: Config, source: str) -> None:
    """Last gate: the canonical dtypes, nullability, keys and enums, checked by pandera."""
    import pandera.errors as pe

    schema = pandera_schema(table, cfg.timezone, df.columns)
    try:
        schema.validate(df, lazy=True)
    except pe.SchemaErrors as exc:
        cases = exc.failure_cases
        problems = []
        for (column, check), grp in cases.groupby(["column", "check"], dropna=False, sort=False):
            idx = [i for i in grp["index"].tolist() if i is not None and i == i][:5]
            rows = [
                f"row {int(i) + 1}: {v!r}" for i, v in zip(idx, grp["failure_case"], strict=False)
            ]
            problems.append(DataError(f"fails {check}", file=source, column=str(column), rows=rows))
        raise DataError(f"{source}: schema validation failed", problems=problems) from None


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


def _sql_source_outside(src: Source, folder: Path | None, cfg: Config, table: str) -> bool:
    """Whether a SQL source reads a database file outside the data folder."""
    if src.duckdb:
        return not source_path(src.duckdb, folder, f"sources.{table}.duckdb", cfg)[1]
    import sqlalchemy as sa

    try:
        url = sa.engine.make_url(src.url or "")
    except (sa.exc.ArgumentError, ValueError):
        return False  # read_sql_source reports it
    if url.get_backend_name() != "sqlite" or not url.database:
        return False
    database = url.database.removeprefix("file:")
    return not source_path(database, folder, f"sources.{table}.url", cfg)[1]


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
    if src is not None and (src.url or src.duckdb):
        outside = _sql_source_outside(src, folder, cfg, table)
        source = src.describe()
        what = "the query or table of the SQL source returned no rows"
    else:
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
                f"several files for the {table} table: {', '.join(p.name for p in files)}; "
                "keep one",
                file=str(folder),
            )
        source = str(files[0])
        outside = folder is not None and not _inside(files[0], folder)
        what = "the file has a header but no rows"
    try:
        if src is not None and (src.url or src.duckdb):
            raw = read_sql_source(src, folder, cfg, table)
        else:
            raw = read_source_file(files[0], mapping)
        if len(raw.columns) == 0:
            raise DataError("empty file: no header and no rows", file=source)
        if len(raw) == 0:
            raise DataError(
                f"no data rows: {what}; add the rows, or remove the {table} table's "
                "source (an optional table is left out by having no file)",
                file=source,
            )
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
    return _finish_workbook(tables, cfg, report, now, folder)


def _finish_workbook(
    tables: dict[str, pd.DataFrame],
    cfg: Config,
    report: QualityReport,
    now: pd.Timestamp | None,
    folder: Path | None,
) -> Workbook:
    """Quality checks and the final :class:`Workbook`, shared by every way of loading."""
    _check_sla_priorities(tables, cfg)
    for name, df in tables.items():
        if df.empty:
            report.problems.append(
                Problem(
                    name,
                    "no_rows",
                    "warning",
                    N_("the file has a header but no rows"),
                    file=report.tables[name].source,
                )
            )
    for info in report.tables.values():
        report.problems.extend(info.problems)
    files = {n: i.source for n, i in report.tables.items()}
    problems, flags = run_checks(tables, cfg, files, now=now)
    report.problems.extend(problems)
    report.missing_tables = [t for t in TABLES if t not in tables]
    for name in report.missing_tables:
        report.problems.append(
            Problem(
                name,
                "table_absent",
                "info",
                N_("no file for this optional table; its KPIs are not available"),
            )
        )
    hidden = {n for n, info in report.tables.items() if not info.values_shown}
    for problem in report.problems:
        if problem.table in hidden:
            problem.rows = without_values(problem.rows)
    return Workbook(tables=tables, config=cfg, quality=report, flags=flags, folder=folder)


def _check_sla_priorities(tables: dict[str, pd.DataFrame], cfg: Config) -> None:
    """Every priority named in ``sla_first_response_h`` occurs in the tickets (a typo
    would leave that priority's tickets without a target, silently)."""
    tickets = tables.get("tickets")
    if not cfg.sla_first_response_h or tickets is None or "priority" not in tickets:
        return
    seen = sorted(tickets["priority"].dropna().astype(str).unique().tolist())
    unknown = [p for p in cfg.sla_first_response_h if p not in seen]
    if unknown:
        from .errors import ConfigError

        hints = []
        for p in unknown:
            close = difflib.get_close_matches(p, seen, n=1)
            hints.append(f"{p!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise ConfigError(
            f"{cfg.path or CONFIG_FILENAME}: sla_first_response_h: priority "
            f"{', '.join(hints)} never occurs in the tickets; their priorities are "
            f"{', '.join(map(repr, seen[:12]))}"
        )


def from_frames(
    frames: dict[str, pd.DataFrame],
    config: Config | dict | None = None,
    *,
    now: pd.Timestamp | None = None,
) -> Workbook:
    """Build a :class:`Workbook` from DataFrames already in memory.

    Each frame goes through the same mapping, parsing, validation and quality checks as
    a file would. ``config`` is a :class:`Config` or the dict form of ``csmetrics.yaml``.

    Examples
    --------
    >>> wb = from_frames({"tickets": pd.DataFrame({
    ...     "ticket_id": ["T1"], "created_at": ["2026-10-01 09:00"], "channel": ["email"]})})
    >>> str(wb["tickets"]["created_at"].dtype)
    'datetime64[us, UTC]'
    """
    from .config import config_from_dict

    cfg = config if isinstance(config, Config) else config_from_dict(config or {})
    unknown = [n for n in frames if n not in TABLES]
    if unknown:
        raise DataError(f"unknown table(s) {', '.join(unknown)}; tables: {', '.join(TABLES)}")
    report = QualityReport()
    tables: dict[str, pd.DataFrame] = {}
    errors: list[DataError] = []
    for name, raw in frames.items():
        try:
            tables[name], report.tables[name] = canonical_table(
                raw, name, cfg, f"<{name} frame>", cfg.columns.get(name)
            )
        except DataError as exc:
            errors.append(exc)
    if errors:
        flat = [p for e in errors for p in (e.problems or [e])]
        raise flat[0] if len(flat) == 1 else DataError(f"{len(flat)} problems", problems=flat)
    return _finish_workbook(tables, cfg, report, now, None)


def default_data_dir() -> Path:
    """The bundled sample: ``data/sample`` in the repository checkout."""
    return Path(__file__).resolve().parent.parent / "data" / "sample"


__all__ = [
    "CsmetricsError",
    "DataError",
    "Workbook",
    "canonical_table",
    "from_frames",
    "load",
    "parse_timestamps",
]
