"""Writing canonical tables and their configuration as a data folder.

Shared by the sample generator and the importers, so that every folder the project
writes reads back identically.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from . import schema

_STR = pd.StringDtype(na_value=np.nan)


def _iso(ts: pd.Series) -> pd.Series:
    """ISO-8601 text with the UTC offset (``2026-03-01T10:00:00+00:00``); NaT stays empty."""
    nat = ts.isna().to_numpy()
    local = ts.dt.tz_localize(None).to_numpy().astype("M8[s]")
    utc = ts.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("M8[s]")
    text = np.datetime_as_string(local, unit="s").astype(object)
    offset = np.where(nat, 0, (local - utc).astype(np.int64) // 60)
    values, inverse = np.unique(offset, return_inverse=True)
    labels = np.array(
        [f"{'+' if m >= 0 else '-'}{abs(m) // 60:02d}:{abs(m) % 60:02d}" for m in values],
        dtype=object,
    )
    joined = pc.binary_join_element_wise(pa.array(text), pa.array(labels[inverse]), "")
    joined = pc.if_else(pa.array(nat), pa.nulls(len(ts), pa.string()), joined)
    return pd.Series(pd.array(joined, dtype=_STR), index=ts.index)


def write_tables(
    tables: dict[str, pd.DataFrame], out: str | Path, fmt: str = "parquet"
) -> dict[str, Path]:
    """Write canonical tables as ``<out>/<table>.parquet`` (or ``.csv``).

    Timestamps are written in UTC with microsecond precision in Parquet, or as ISO-8601
    text with their offset in CSV. Extra (non-canonical) columns are kept.
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"fmt must be 'parquet' or 'csv', got {fmt!r}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name, df in tables.items():
        df = df.copy()
        for c in schema.TABLES[name].columns:
            if c.kind == "timestamp" and c.name in df:
                utc = df[c.name].dt.tz_convert("UTC").dt.as_unit("us")
                df[c.name] = utc if fmt == "parquet" else _iso(df[c.name])
        path = folder / f"{name}.{fmt}"
        if fmt == "parquet":
            df.to_parquet(path, index=False)
        else:
            df.to_csv(path, index=False)
        paths[name] = path
    return paths


def write_config(config: dict, out: str | Path) -> Path:
    """Write ``<out>/csmetrics.yaml`` from its dict form."""
    path = Path(out) / "csmetrics.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _finite(value: object) -> object:
    """``value`` with every non-finite float (NaN, ±inf) replaced by ``None``."""
    if isinstance(value, float | np.floating):
        return float(value) if np.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def json_text(payload: object, **kwargs: object) -> str:
    """Standard JSON: a number that is not finite is written ``null``, never the bare
    ``NaN``/``Infinity`` that JSON readers reject.

    Examples
    --------
    >>> json_text({"value": float("inf"), "n": [1.5, float("nan")]})
    '{"value": null, "n": [1.5, null]}'
    """
    kwargs.setdefault("default", str)
    return json.dumps(_finite(payload), allow_nan=False, **kwargs)  # type: ignore[arg-type]
