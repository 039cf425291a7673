"""From source columns to canonical ones: names mapped, values parsed into their dtypes.

:func:`map_columns` renames the source columns (``columns.<table>.rename``, or a name
that normalises to a canonical one) and adds constants; :func:`null_markers` turns the
documented null markers into missing values; :func:`coerce_column` parses one column by
its kind (timestamp, number, month, true/false, enum, id, label, text), raising a
:class:`~csmetrics.errors.DataError` that names the rows it cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from .config_model import CONFIG_FILENAME, Config, TableMapping
from .errors import DataError
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
from .problems import Problem, example_rows
from .schema import TABLES, ColumnSpec


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
            f"{', '.join(map(repr, missing_src))}; the file has {list_columns(df.columns)}",
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


def list_columns(cols: Any, limit: int = 12) -> str:
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
    # mapped back in Arrow: no Python object per row (four times faster on labels)
    out = pa.array(done, from_pandas=True).take(pa.array(codes, mask=codes < 0))
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


@dataclass(frozen=True)
class _Column:
    """What a kind's parser needs besides the values: the column's spec, the settings,
    the table's mapping, and the source values (for the example rows of a message)."""

    spec: ColumnSpec
    cfg: Config
    mapping: TableMapping
    table: str
    file: str
    raw: pd.Series

    def error(self, message: str, mask: pd.Series) -> DataError:
        """A DataError naming this column and the rows of ``mask`` (source values)."""
        rows = example_rows(mask, self.raw)
        return DataError(message, file=self.file, column=self.spec.name, rows=rows)


def coerce_column(
    raw: pd.Series, spec: ColumnSpec, cfg: Config, mapping: TableMapping, table: str, file: str
) -> pd.Series:
    """Parse one source column into its canonical dtype.

    Parameters
    ----------
    raw : Series
        The source column, null markers already set to missing.
    spec : ColumnSpec
        The canonical column; its ``kind`` picks the parser.
    cfg, mapping : Config, TableMapping
        Settings: time zone, formats, units, value maps, date order, decimal mark.
    table, file : str
        Named in messages.

    Returns
    -------
    Series
        The parsed column.

    Raises
    ------
    DataError
        Values that cannot be parsed, or enum values outside the allowed set.
    """
    _check_single_values(raw, spec, file)
    column = _Column(spec, cfg, mapping, table, file, raw)
    return _PARSERS[spec.kind](_mapped_values(raw, spec, mapping), column)


def _mapped_values(raw: pd.Series, spec: ColumnSpec, mapping: TableMapping) -> pd.Series:
    """``raw`` with the values listed in ``columns.<table>.values.<column>`` replaced."""
    if spec.name not in mapping.values:
        return raw
    vmap = {str(k): v for k, v in mapping.values[spec.name].items()}
    as_text = raw.astype("string").str.strip()
    hit = as_text.isin(list(vmap)).fillna(False).astype(bool)
    if not hit.any():
        return raw
    values = raw.astype(object).copy()
    values[hit] = as_text[hit].map(vmap)
    return values


def _parsed(parse: Callable[[], pd.Series], column: _Column) -> pd.Series:
    """Run a parser, a :class:`~csmetrics.parsers.FormatError` becoming a DataError."""
    try:
        return parse()
    except FormatError as exc:
        raise _format_error(exc, column.table, column.spec.name, column.file) from None


def _all_read(out: pd.Series, present: pd.Series, column: _Column, what: str) -> pd.Series:
    """``out``, unless a value present in the source is missing from it."""
    bad = present & out.isna()
    if bad.any():
        raise column.error(f"{int(bad.sum()):,} {what}", bad)
    return out


def _timestamps(values: pd.Series, column: _Column) -> pd.Series:
    name, mapping = column.spec.name, column.mapping
    out = _parsed(
        lambda: parse_timestamps(
            values, column.cfg.timezone, mapping.formats.get(name), mapping.dayfirst
        ),
        column,
    )
    hint = f"; set columns.{column.table}.formats.{name} in {CONFIG_FILENAME}"
    return _all_read(out, _present(values), column, "unparseable timestamps" + hint)


def _numbers(values: pd.Series, column: _Column) -> pd.Series:
    name, kind = column.spec.name, column.spec.kind
    out = _parsed(
        lambda: parse_numbers(
            values,
            column.mapping.units.get(name),
            is_duration=name.endswith("_s"),
            decimal=column.mapping.decimal,
        ),
        column,
    )
    infinite = out.notna() & ~np.isfinite(out.to_numpy(float, na_value=np.nan))
    if kind == "float" and infinite.any():  # counts say "whole numbers expected" below
        raise column.error(
            f"{int(infinite.sum()):,} non-finite number(s) (inf): a measurement must be "
            "a finite number; leave the cell empty if the value is unknown",
            infinite,
        )
    if kind == "int":
        # infinite, or too large to count exactly (1E20): no whole number either
        frac = out.notna() & ((out != np.floor(out)) | ~np.isfinite(out) | (out.abs() > 2**53))
        if frac.any():
            raise column.error("whole numbers expected", frac)
        out = out.astype("Int64")
    return _all_read(out, _present(values), column, "values that are not numbers")


def _months(values: pd.Series, column: _Column) -> pd.Series:
    out = _parsed(lambda: parse_months(values, column.cfg.timezone), column)
    return _all_read(out, _present(values), column, "values that are not months (YYYY-MM)")


def _booleans(values: pd.Series, column: _Column) -> pd.Series:
    what = "values that are not true/false (or yes/no, 1/0)"
    return _all_read(parse_booleans(values), _present(values), column, what)


def _enum(values: pd.Series, column: _Column) -> pd.Series:
    spec, table = column.spec, column.table
    out = _label(values)
    bad = out.notna() & ~out.isin(spec.values)
    if bad.any():
        found = sorted(out[bad].unique().tolist())[:8]
        raise column.error(
            f"unknown value(s) {', '.join(map(repr, found))}; allowed: "
            f"{', '.join(spec.values)} (map others with columns.{table}.values."
            f"{spec.name} in {CONFIG_FILENAME})",
            bad,
        )
    return out


def _ids(values: pd.Series, column: _Column) -> pd.Series:
    if pd.api.types.is_float_dtype(values.dtype):
        nums = values.to_numpy(float, na_value=np.nan)
        inexact = ~np.isnan(nums) & (~np.isfinite(nums) | (np.abs(nums) > 2**53))
        if inexact.any():
            raise column.error(
                f"{int(inexact.sum()):,} id(s) stored as floating-point numbers that "
                "cannot be exact ids (infinite, or beyond 2^53 where floats skip whole "
                "numbers); store the ids as text or as whole numbers",
                inexact,
            )
    return parse_ids(values)


#: The parser of each column kind of :data:`csmetrics.schema.Kind`.
_PARSERS: dict[str, Callable[[pd.Series, _Column], pd.Series]] = {
    "timestamp": _timestamps,
    "float": _numbers,
    "int": _numbers,
    "month": _months,
    "bool": _booleans,
    "enum": _enum,
    "id": _ids,
    "label": lambda values, column: _label(values),
    "text": lambda values, column: _text(values),
}


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


def null_markers(
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
