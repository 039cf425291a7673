"""Read a data folder (files or SQL sources) into validated canonical tables.

``load(folder)`` finds one file per table (``tickets.csv``, ``calls.parquet``,
``surveys.xlsx``, ``costs.jsonl``...), or the source ``csmetrics.yaml`` names,
maps and parses the columns, validates them with pandera and runs the quality
checks. It returns a :class:`Workbook`. Problems that make a table unusable raise
:class:`~csmetrics.errors.DataError` naming the file, the column and example rows;
softer problems are reported as warnings and only mask the values they would corrupt.
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

from .config import CONFIG_FILENAME, UNITS_TO_SECONDS, Config, Source, TableMapping, load_config
from .errors import CsmetricsError, DataError
from .i18n import N_
from .quality import Problem, QualityReport, TableInfo, example_rows, run_checks
from .schema import TABLES, ColumnSpec, pandera_schema

READERS = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".csv.gz": "csv",
    ".parquet": "parquet", ".pq": "parquet",
    ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
}  # fmt: skip
NA_VALUES = ["", "NA", "N/A", "n/a", "NULL", "null", "None", "none", "NaN", "nan", "NaT", "-"]
TRUE_WORDS = {"true", "t", "yes", "y", "1", "1.0", "sim", "si", "sì", "tak", "x"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "0.0", "não", "nao", "nie"}
_OFFSET_RE = r"(?:Z|[+-]\d{2}:?\d{2})$"
_DURATION_RE = r"^-?\d+:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?$"


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
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            na_values=NA_VALUES,
            keep_default_na=False,
            skipinitialspace=True,
        )
    except pd.errors.ParserError as exc:
        raise DataError(f"malformed CSV: {exc}".strip(), file=str(path)) from None
    except pd.errors.EmptyDataError:
        raise DataError("empty file: no header and no rows", file=str(path)) from None


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
            sheet = mapping.sheet if mapping.sheet is not None else 0
            return pd.read_excel(path, sheet_name=sheet, dtype=object)
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


def read_sql_source(src: Source, base: Path | None) -> pd.DataFrame:
    """Run the query (or read the table) of a SQL source: SQLAlchemy URL or DuckDB file."""
    target = src.query or f'SELECT * FROM "{src.table}"'
    try:
        if src.duckdb:
            import duckdb

            db = Path(src.duckdb)
            if base is not None and not db.is_absolute():
                db = base / db
            if not db.exists():
                raise DataError("DuckDB file not found", file=str(db))
            with duckdb.connect(str(db), read_only=True) as con:
                return con.execute(target).df()
        import sqlalchemy as sa

        engine = sa.create_engine(src.url)
        try:
            with engine.connect() as con:
                return pd.read_sql(sa.text(target), con)
        finally:
            engine.dispose()
    except DataError:
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


def parse_timestamps(
    values: pd.Series, tz: str, fmt: str | None = None, dayfirst: bool = False
) -> pd.Series:
    """Parse a column into timezone-aware ``datetime64[us, tz]``.

    Values with an offset (``...+01:00``, ``...Z``) are converted to ``tz``; naive
    values are localised to ``tz`` (a time skipped by a DST change moves forward; an
    ambiguous one is read as standard time). ``fmt`` is a ``strftime`` format, or
    ``"epoch_s"``/``"epoch_ms"`` for Unix times. Unparseable values become ``NaT``.

    Examples
    --------
    >>> parse_timestamps(pd.Series(["2026-03-29 01:30", "2026-01-05T10:00Z"]),
    ...                  "Europe/Lisbon").dt.strftime("%H:%M %Z").tolist()
    ['02:00 WEST', '10:00 WET']
    """
    dtype = pd.DatetimeTZDtype("us", tz)
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert(tz).astype(dtype)
    if pd.api.types.is_datetime64_dtype(values.dtype):
        return _localise(values, tz).astype(dtype)
    if fmt in ("epoch_s", "epoch_ms"):
        nums = pd.to_numeric(values, errors="coerce")
        unit = "s" if fmt == "epoch_s" else "ms"
        return pd.to_datetime(nums, unit=unit, utc=True).dt.tz_convert(tz).astype(dtype)
    text = values.astype("string").str.strip()
    out = pd.Series(pd.NaT, index=values.index, dtype=dtype)
    present = text.notna() & (text != "")
    if not present.any():
        return out
    if fmt:
        parsed = pd.to_datetime(text[present], format=fmt, errors="coerce")
        parsed = _to_tz(parsed, tz)
        out.loc[present] = parsed.astype(dtype)
        return out
    aware = present & text.str.contains(_OFFSET_RE, regex=True, na=False)
    naive = present & ~aware
    if aware.any():
        parsed = pd.to_datetime(text[aware], utc=True, errors="coerce", format="ISO8601")
        retry = parsed.isna()
        if retry.any():
            parsed[retry] = pd.to_datetime(
                text[aware][retry], utc=True, errors="coerce", format="mixed", dayfirst=dayfirst
            )
        out.loc[aware] = parsed.dt.tz_convert(tz).astype(dtype)
    if naive.any():
        sub = text[naive]
        parsed = pd.to_datetime(sub, errors="coerce", format="ISO8601")
        if dayfirst or parsed.isna().any():
            retry = parsed.isna() | dayfirst
            parsed = parsed.astype("datetime64[us]")
            parsed[retry] = pd.to_datetime(
                sub[retry], errors="coerce", format="mixed", dayfirst=dayfirst
            ).astype("datetime64[us]")
        out.loc[naive] = _localise(parsed, tz).astype(dtype)
    return out


def _to_tz(parsed: pd.Series, tz: str) -> pd.Series:
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        return parsed.dt.tz_convert(tz)
    return _localise(parsed, tz)


def _localise(naive: pd.Series, tz: str) -> pd.Series:
    naive = naive.astype("datetime64[us]")
    ambiguous = np.zeros(len(naive), dtype=bool)
    return naive.dt.tz_localize(tz, ambiguous=ambiguous, nonexistent="shift_forward")


def parse_numbers(
    values: pd.Series, unit: str | None = None, is_duration: bool = False
) -> pd.Series:
    """Parse numbers (``1.5``, ``1,5``, ``1 234``), and ``[h]:mm:ss`` for durations.

    ``unit`` converts plain numbers to seconds (``ms``, ``s``, ``min``, ``h``, ``d``);
    clock values (``0:02:30``) are seconds already. Unparseable values become NaN.

    Examples
    --------
    >>> parse_numbers(pd.Series(["1,5", "0:02:30", None]), unit="min", is_duration=True).tolist()
    [90.0, 150.0, nan]
    """
    factor = UNITS_TO_SECONDS[unit] if unit else 1.0
    if pd.api.types.is_timedelta64_dtype(values.dtype):
        return values.dt.total_seconds()
    if pd.api.types.is_bool_dtype(values.dtype) or pd.api.types.is_numeric_dtype(values.dtype):
        return values.astype(float) * factor
    text = values.astype("string").str.strip()
    nums = pd.to_numeric(text, errors="coerce").astype(float)
    bad = nums.isna() & text.notna() & (text != "")
    if bad.any():
        fixed = text[bad].str.replace(r"[\s\u00a0']", "", regex=True)
        comma = fixed.str.fullmatch(r"-?\d+(?:\.\d{3})*,\d+").fillna(False).astype(bool)
        fixed = fixed.where(
            ~comma, fixed.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        )
        nums[bad] = pd.to_numeric(fixed, errors="coerce").astype(float)
    nums = nums * factor
    if is_duration:
        clock = nums.isna() & text.str.fullmatch(_DURATION_RE).fillna(False).astype(bool)
        if clock.any():
            nums[clock] = _clock_seconds(text[clock])
    return nums


def _clock_seconds(text: pd.Series) -> pd.Series:
    """``"1:02:03"`` → 3723.0, ``"02:03"`` → 123.0 (minutes:seconds), sign kept."""
    sign = np.where(text.str.startswith("-"), -1.0, 1.0)
    parts = text.str.lstrip("-").str.split(":", expand=True).astype(float)
    if parts.shape[1] == 2:
        parts.insert(0, "h", 0.0)
    parts = parts.fillna(0.0).to_numpy()
    three = text.str.count(":").to_numpy() == 2
    secs = np.where(
        three, parts[:, 0] * 3600 + parts[:, 1] * 60 + parts[:, 2], parts[:, 0] * 60 + parts[:, 1]
    )
    return pd.Series(secs * sign, index=text.index)


def parse_booleans(values: pd.Series) -> pd.Series:
    """Parse ``true/false``, ``yes/no``, ``y/n``, ``1/0`` (any case) into nullable booleans.

    Unknown words become ``<NA>`` (the caller reports them).
    """
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean")
    text = values.astype("string").str.strip().str.lower()
    out = pd.Series(pd.NA, index=values.index, dtype="boolean")
    out[text.isin(TRUE_WORDS).fillna(False).astype(bool)] = True
    out[text.isin(FALSE_WORDS).fillna(False).astype(bool)] = False
    return out


def parse_months(values: pd.Series, tz: str) -> pd.Series:
    """Parse months (``2026-10``, ``2026-10-01``, dates, ``10/2026``) into ``"YYYY-MM"``."""
    str_dtype = pd.StringDtype(na_value=np.nan)
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.strftime("%Y-%m").astype(str_dtype)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.dt.strftime("%Y-%m").astype(str_dtype)
    text = values.astype("string").str.strip()
    out = pd.Series(np.nan, index=values.index, dtype=str_dtype)
    ym = text.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").fillna(False).astype(bool)
    out[ym] = text[ym]
    my = text.str.fullmatch(r"(0?[1-9]|1[0-2])[/.-]\d{4}").fillna(False).astype(bool)
    if my.any():
        parts = text[my].str.split(r"[/.-]", regex=True)
        out[my] = parts.map(lambda p: f"{int(p[1]):04d}-{int(p[0]):02d}")
    rest = ~ym & ~my & text.notna() & (text != "")
    if rest.any():
        parsed = pd.to_datetime(text[rest], errors="coerce", format="ISO8601")
        out[rest] = parsed.dt.strftime("%Y-%m")
    return out


def parse_ids(values: pd.Series) -> pd.Series:
    """Ids as strings; whole numbers read as floats (``123.0``) lose the ``.0``."""
    str_dtype = pd.StringDtype(na_value=np.nan)
    if pd.api.types.is_float_dtype(values.dtype):
        whole = values.notna() & (values == np.floor(values))
        text = values.astype(object)
        text[whole] = values[whole].astype("int64").astype(str)
        return text.astype(str_dtype).where(values.notna())
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype(str_dtype)
    text = values.astype(str_dtype).str.strip()
    return text.where(text != "")


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


def coerce_column(
    raw: pd.Series, spec: ColumnSpec, cfg: Config, mapping: TableMapping, table: str, file: str
) -> pd.Series:
    """Parse one source column into its canonical dtype.

    Raises
    ------
    DataError
        Values that cannot be parsed, or enum values outside the allowed set.
    """
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
    if kind == "timestamp":
        out = parse_timestamps(
            values, cfg.timezone, mapping.formats.get(spec.name), mapping.dayfirst
        )
        what = "unparseable timestamps"
        hint = f"; set columns.{table}.formats.{spec.name} in {CONFIG_FILENAME}"
    elif kind in ("float", "int"):
        out = parse_numbers(
            values, mapping.units.get(spec.name), is_duration=spec.name.endswith("_s")
        )
        what, hint = "values that are not numbers", ""
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
        out = parse_months(values, cfg.timezone)
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
    for col in spec.columns:
        if col.name not in df.columns:
            continue
        try:
            out[col.name] = coerce_column(df[col.name], col, cfg, mapping, table, source)
        except DataError as exc:
            problems.append(exc)
    canon = pd.DataFrame(out, index=df.index)
    if table == "calls" and "wait_s" not in canon and "answered_at" in canon:
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
    for key in [spec.key[0]] if len(spec.key) == 1 else []:
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
    if len(spec.key) > 1:
        dup = canon.duplicated(key_cols, keep=False)
        if dup.any():
            labels = canon[key_cols].astype(str).agg(" / ".join, axis=1)
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


def _load_one(
    table: str, folder: Path | None, files: list[Path], cfg: Config
) -> tuple[pd.DataFrame, TableInfo] | None:
    mapping = cfg.columns.get(table) or TableMapping()
    src = cfg.sources.get(table)
    if src is not None and (src.url or src.duckdb):
        raw = read_sql_source(src, folder)
        return canonical_table(raw, table, cfg, src.describe(), mapping)
    if src is not None and src.file:
        path = Path(src.file)
        if folder is not None and not path.is_absolute():
            path = folder / path
        if not path.exists():
            raise DataError(f"file named in sources.{table} not found", file=str(path))
        files = [path]
    if not files:
        return None
    if len(files) > 1:
        raise DataError(
            f"several files for the {table} table: {', '.join(p.name for p in files)}; keep one",
            file=str(folder),
        )
    raw = read_source_file(files[0], mapping)
    return canonical_table(raw, table, cfg, str(files[0]), mapping)


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
    return Workbook(tables=tables, config=cfg, quality=report, flags=flags, folder=folder)


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
