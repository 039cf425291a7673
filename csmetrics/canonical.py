"""One canonical table from one raw frame: columns mapped and parsed, then the table's
rules (required columns filled, ids unique, keys unique) and pandera's schema checked.

Every problem of every column is collected and raised together, so that a user fixes a
file in one pass.
"""

from __future__ import annotations

import difflib

import pandas as pd

from .coerce import coerce_column, list_columns, map_columns, null_markers
from .config_model import CONFIG_FILENAME, Config, TableMapping
from .errors import DataError
from .problems import Problem, TableInfo, example_rows
from .schema import TABLES, TableSpec, pandera_schema


def canonical_table(
    raw: pd.DataFrame, table: str, cfg: Config, source: str, mapping: TableMapping | None = None
) -> tuple[pd.DataFrame, TableInfo]:
    """Turn a raw frame into canonical table ``table``.

    Every parse problem of every column is collected and raised together in one
    :class:`DataError`, so a user fixes a file in one pass.

    Parameters
    ----------
    raw : DataFrame
        The table as read (source column names, values as text or as the format typed).
    table : str
        Canonical table name (:data:`csmetrics.schema.TABLES`).
    cfg : Config
        Settings (time zone, ``columns.<table>`` mapping).
    source : str
        The file or source, named in messages.
    mapping : TableMapping, optional
        Overrides ``cfg.columns[table]``.

    Returns
    -------
    canon : DataFrame
        Canonical columns in schema order, then the extra source columns.
    info : TableInfo
        What was read, with the notes and counted problems (null markers).

    Raises
    ------
    DataError
        A required column is missing or empty, values cannot be parsed, ids or keys repeat,
        or the schema check fails.
    """
    mapping = mapping or cfg.columns.get(table) or TableMapping()
    spec = TABLES[table]
    df = map_columns(raw, table, mapping, source).reset_index(drop=True)
    _check_required_present(df, spec, table, source)
    canon, found, problems = _parse_columns(df, spec, cfg, mapping, table, source)
    # a column that could not be read is absent from canon (its problem is reported):
    # nothing below derives from it or checks it
    notes = _derive_columns(canon, df, table)
    problems += _empty_required(canon, spec, source)
    problems += _duplicate_ids(canon, spec, source)
    problems += _duplicate_keys(canon, df, spec, source)
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise DataError(f"{source}: {len(problems)} problems", problems=problems)
    extras = [c for c in df.columns if c not in spec.names]
    for c in extras:
        canon[c] = df[c]
    canon = canon[[c for c in spec.names if c in canon] + extras]
    _validate_with_pandera(canon, table, cfg, source)
    return canon, _table_info(canon, spec, source, extras, notes, found)


def _table_info(
    canon: pd.DataFrame,
    spec: TableSpec,
    source: str,
    extras: list,
    notes: list[str],
    found: list[Problem],
) -> TableInfo:
    """What was read of the table, for the quality report."""
    return TableInfo(
        name=spec.name,
        source=source,
        rows=len(canon),
        columns=[c for c in spec.names if c in canon],
        missing_optional=[c for c in spec.names if c not in canon],
        extra_columns=[str(c) for c in extras],
        notes=notes,
        problems=found,
    )


def _check_required_present(df: pd.DataFrame, spec: TableSpec, table: str, source: str) -> None:
    """Raise a DataError naming the required columns the mapped frame lacks."""
    missing = [c for c in spec.required if c not in df.columns]
    if not missing:
        return
    hints = []
    for m in missing:
        close = difflib.get_close_matches(m, [str(c) for c in df.columns], n=1, cutoff=0.5)
        if close:
            hints.append(f"{m!r} (is it {close[0]!r}?)")
        else:
            hints.append(repr(m))
    raise DataError(
        f"missing required column(s) {', '.join(hints)}; the file has "
        f"{list_columns(df.columns)} (map names with columns.{table}.rename in "
        f"{CONFIG_FILENAME})",
        file=source,
    )


def _parse_columns(
    df: pd.DataFrame, spec: TableSpec, cfg: Config, mapping: TableMapping, table: str, source: str
) -> tuple[pd.DataFrame, list[Problem], list[DataError]]:
    """Each canonical column present, parsed: the frame of those read, the counted
    problems (null markers) and the errors of the columns that could not be read."""
    problems: list[DataError] = []
    out = {}
    found: list[Problem] = []
    for col in spec.columns:
        if col.name not in df.columns:
            continue
        values, marked = null_markers(df[col.name], col, mapping, table, source)
        if marked is not None:
            found.append(marked)
        try:
            out[col.name] = coerce_column(values, col, cfg, mapping, table, source)
        except DataError as exc:
            problems.append(exc)
    return pd.DataFrame(out, index=df.index), found, problems


def _derive_columns(canon: pd.DataFrame, df: pd.DataFrame, table: str) -> list[str]:
    """Columns computed from others when the source lacks them (a call's ``wait_s``);
    returns the notes saying so."""
    derive = table == "calls" and "wait_s" not in df.columns and "answered_at" in df.columns
    if derive and {"answered_at", "arrived_at"} <= set(canon.columns):
        canon["wait_s"] = (canon["answered_at"] - canon["arrived_at"]).dt.total_seconds()
        return ["wait_s derived from answered_at - arrived_at"]
    return []


def _empty_required(canon: pd.DataFrame, spec: TableSpec, source: str) -> list[DataError]:
    """One error per required column with empty values."""
    out = []
    for c in [c for c in spec.required if c in canon and canon[c].isna().any()]:
        mask = canon[c].isna()
        out.append(
            DataError(
                f"{int(mask.sum()):,} empty value(s) in a required column",
                file=source,
                column=c,
                rows=example_rows(mask),
            )
        )
    return out


def _duplicate_ids(canon: pd.DataFrame, spec: TableSpec, source: str) -> list[DataError]:
    """An error when the id of a table keyed by one column repeats."""
    if len(spec.key) != 1 or spec.key[0] not in canon:
        return []
    key = spec.key[0]
    if canon[key].is_unique:  # the usual case: one hash pass, no row marked
        return []
    dup = canon[key].duplicated(keep=False) & canon[key].notna()
    if not dup.any():
        return []
    n_ids = canon.loc[dup, key].nunique()
    return [
        DataError(
            f"duplicate ids: {n_ids:,} id(s) appear more than once ({int(dup.sum()):,} rows)",
            file=source,
            column=key,
            rows=example_rows(dup, canon[key]),
        )
    ]


def _duplicate_keys(
    canon: pd.DataFrame, df: pd.DataFrame, spec: TableSpec, source: str
) -> list[DataError]:
    """An error when the key of a table keyed by several columns repeats.

    The key of a table whose key column is absent or unreadable is the columns present
    (a monthly metric without channel is one value per period and metric).
    """
    key_cols = [c for c in spec.key if c in canon]
    if len(spec.key) <= 1 or not all(c in canon or c not in df.columns for c in spec.key):
        return []
    dup = canon.duplicated(key_cols, keep=False)
    if not dup.any():
        return []
    labels = (
        canon[key_cols]
        .astype(object)
        .apply(lambda col: col.map(lambda v: "(empty)" if pd.isna(v) else str(v)))
        .agg(" / ".join, axis=1)
    )
    return [
        DataError(
            f"duplicate rows for the key ({', '.join(key_cols)})",
            file=source,
            column=" + ".join(key_cols),
            rows=example_rows(dup, labels),
        )
    ]


def _validate_with_pandera(df: pd.DataFrame, table: str, cfg: Config, source: str) -> None:
    """Last gate: the canonical dtypes, required columns and nullability, checked by
    pandera (:func:`csmetrics.schema.pandera_schema`)."""
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
