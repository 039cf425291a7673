"""Canonical frames from the generator's arrays: ids, labels, schema dtypes, row order.

:func:`_frame` turns a dict of columns (integer codes, UTC microseconds, Arrow strings)
into a table of :mod:`csmetrics.schema` with the dtypes of
:func:`csmetrics.schema.dtype_for`, and checks them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema
from .model import _STR, TIMEZONE


def _width(prefix_width: int, total: int) -> int:
    return max(prefix_width, len(str(max(total, 1))))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded ``numbers + 1``; negative numbers give nulls."""
    numbers = np.asarray(numbers, dtype=np.int64)
    digits = pc.utf8_lpad(pa.array(numbers + 1).cast(pa.string()), width, "0")
    ids = pc.binary_join_element_wise(prefix, digits, "")
    return pc.if_else(pa.array(numbers < 0), pa.nulls(len(numbers), pa.string()), ids)


def _labels(names: tuple[str, ...], codes: np.ndarray) -> pa.Array:
    codes = np.asarray(codes, dtype=np.int64)
    return pa.array(list(names), type=pa.string()).take(pa.array(codes, mask=codes < 0))


def _column(kind: str, values: Any, tz: str) -> Any:
    if kind == "timestamp":
        us = np.asarray(values, dtype=np.int64)
        return pd.DatetimeIndex(us.view("M8[us]")).tz_localize("UTC").tz_convert(tz)
    if kind in ("id", "label", "text", "enum", "month"):
        if isinstance(values, pa.ChunkedArray | pa.Array):
            return pd.array(values, dtype=_STR)
        return pd.array(np.asarray(values, dtype=object), dtype=_STR)
    if kind == "float":
        return np.asarray(values, dtype=np.float64)
    if kind == "int":
        return pd.array(np.asarray(values, dtype=np.int64), dtype="Int64")
    if kind == "bool":
        if isinstance(values, tuple):
            data, mask = values
            return pd.arrays.BooleanArray(np.asarray(data, bool), np.asarray(mask, bool))
        return pd.array(np.asarray(values, dtype=bool), dtype="boolean")
    raise ValueError(kind)  # pragma: no cover


def _frame(name: str, cols: dict[str, Any], tz: str = TIMEZONE) -> pd.DataFrame:
    """A canonical table: every schema column, in schema order, with its dtype."""
    spec = schema.TABLES[name]
    data = {c.name: _column(c.kind, cols[c.name], tz) for c in spec.columns}
    df = pd.DataFrame(data)
    for c in spec.columns:
        expected = schema.dtype_for(c, tz)
        if df[c.name].dtype != expected:  # pragma: no cover - a bug in this module
            raise TypeError(f"{name}.{c.name}: {df[c.name].dtype} instead of {expected}")
    return df


def _sorted(df: pd.DataFrame, name: str) -> pd.DataFrame:
    spec = schema.TABLES[name]
    by = [spec.time_column, *[k for k in spec.key if k != spec.time_column]]
    return df.sort_values(by, kind="stable", ignore_index=True)
