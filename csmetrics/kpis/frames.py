"""Backends: prepared tables as pandas frames or DuckDB relations, through narwhals.

Rules that keep the code backend-agnostic: timestamps are epoch seconds (``prepare``
did that), flags are floats cast in ``with_columns`` before any ``agg`` (DuckDB has
no ``mean(BOOLEAN)``), and KPI code uses element-wise expressions and aggregations
only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import narwhals.stable.v2 as nw
import pandas as pd

from ..errors import CsmetricsError
from .base import KPI, Backend, PreparedData

#: The group value of rows whose group column is missing.
MISSING_GROUP = "(missing)"


class Frames:
    """Prepared tables as native frames of one backend, wrapped by narwhals on demand.

    DuckDB relations are made once per prepared table (through Arrow, so that pandas'
    NaN becomes SQL NULL) and cached on the :class:`~csmetrics.prepare.Prepared` object,
    in one connection opened with the ``engine:`` settings of ``csmetrics.yaml``
    (``memory_limit``, ``temp_directory``, ``threads``).
    """

    def __init__(self, prepared: PreparedData, backend: Backend = "pandas") -> None:
        if backend not in ("pandas", "duckdb"):
            raise CsmetricsError(f"unknown backend {backend!r}: use pandas or duckdb")
        self.prepared = prepared
        self.backend = backend

    def columns(self, name: str) -> list[str]:
        """Columns of prepared table ``name``."""
        return list(self.prepared.tables[name].columns)

    def _connection(self) -> Any:
        """The DuckDB connection of the prepared data, opened with the engine's settings
        on first use."""
        if "duckdb_con" not in self.prepared.cache:
            import duckdb

            settings = self.prepared.config.engine.duckdb_settings()
            self.prepared.cache["duckdb_con"] = duckdb.connect(config=settings)
        return self.prepared.cache["duckdb_con"]

    def _duckdb(self, name: str) -> Any:
        cache = self.prepared.cache.setdefault("duckdb", {})
        if name not in cache:
            import pyarrow as pa

            arrow = pa.Table.from_pandas(self.prepared.tables[name], preserve_index=False)
            cache[name] = (self._connection().from_arrow(arrow), arrow)
        return cache[name][0]

    def frame(self, name: str, columns: Sequence[str] | None = None) -> nw.LazyFrame:
        """Table ``name`` as a narwhals LazyFrame, narrowed to ``columns`` if given."""
        if self.backend == "duckdb":
            lf = nw.from_native(self._duckdb(name))
            return lf.select(*columns) if columns else lf
        df = self.prepared.tables[name]
        return nw.from_native(df[list(columns)] if columns else df).lazy()

    def small_frame(self, df: pd.DataFrame) -> nw.LazyFrame:
        """A small table made in Python (a few rows per group) as a LazyFrame of this
        backend, to join with its tables."""
        if self.backend == "duckdb":
            import pyarrow as pa

            arrow = pa.Table.from_pandas(df, preserve_index=False)
            return nw.from_native(self._connection().from_arrow(arrow))
        return nw.from_native(df).lazy()


def kpi_columns(kpi: KPI, groups: Sequence[str], available: Iterable[str]) -> list[str]:
    """The prepared columns a KPI reads (so that queries carry no other column)."""
    have = set(available)
    cols = [*groups]
    if kpi.basis:
        cols.append(kpi.basis)
    cols += list(kpi.needs)
    if kpi.value and kpi.derive is None:
        cols.append(kpi.value)
    if kpi.share_of:
        cols.append(kpi.share_of)
    if kpi.excluded and f"x_{kpi.excluded}" in have:
        cols.append(f"x_{kpi.excluded}")
    return [c for c in dict.fromkeys(cols) if c in have]


def collect(lf: nw.LazyFrame) -> pd.DataFrame:
    """Run a lazy query and return its result as a pandas frame."""
    return lf.collect().to_pandas()


def fill_groups(lf: nw.LazyFrame, groups: list[str]) -> nw.LazyFrame:
    """Group columns as text, a missing value as :data:`MISSING_GROUP`."""
    if not groups:
        return lf
    return lf.with_columns(*[nw.col(g).cast(nw.String).fill_null(MISSING_GROUP) for g in groups])
