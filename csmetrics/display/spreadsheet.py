"""Tables written for spreadsheets: text that a spreadsheet would run as a formula is
neutralised (CSV exports of the report and the explorer)."""

from __future__ import annotations

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with a single quote.

    Examples
    --------
    >>> neutralise_formula("=1+1"), neutralise_formula("@SUM(A1)"), neutralise_formula(-3)
    ("'=1+1", "'@SUM(A1)", -3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot run as spreadsheet formulas."""
    out = df.copy()
    for col in out.columns:
        dtype = out[col].dtype
        if isinstance(dtype, pd.CategoricalDtype):  # categories are text like any other
            out[col] = out[col].astype(object).map(neutralise_formula)
        elif pd.api.types.is_object_dtype(dtype) or str(dtype) in ("str", "string"):
            out[col] = out[col].map(neutralise_formula)
    return out
