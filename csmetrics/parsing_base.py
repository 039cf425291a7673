"""What every parser shares: the null markers and true/false words, the errors a column's
format raises, and the Arrow helpers that test a column's text in C++ rather than row by
row in Python.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: Text read as a missing value (documented in the README); everything else is a value.
NULL_MARKERS = ("NA", "N/A", "n/a", "NULL", "null", "None", "none", "NaN", "nan", "NaT", "-")
TRUE_WORDS = {"true", "t", "yes", "y", "1", "1.0", "sim", "si", "sì", "tak", "x"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "0.0", "não", "nao", "nie"}


class FormatError(ValueError):
    """A column's values cannot be read one way; carries example values.

    Parameters
    ----------
    message : str
        What is wrong, in plain language.
    examples : list of (int, str)
        Positions (0-based) and values of example rows.
    setting : str
        The ``columns.<table>.<setting>`` key that resolves the problem.
    """

    def __init__(self, message: str, examples: list[tuple[int, str]], setting: str) -> None:
        self.message = message
        self.examples = examples
        self.setting = setting
        super().__init__(message)


class AmbiguousFormat(FormatError):
    """Every value allows two readings and no setting says which one is meant."""


class MixedFormat(FormatError):
    """Some values prove one reading and others the opposite one."""


def _examples(
    text: pd.Series | pa.Array, positions: list[int], limit: int = 3
) -> list[tuple[int, str]]:
    if isinstance(text, pd.Series):
        return [(int(i), str(text.iloc[i])) for i in positions[:limit]]
    return [(int(i), str(text[int(i)].as_py())) for i in positions[:limit]]


def _arrow_text(values: pd.Series) -> pa.StringArray:
    """A column as Arrow text, trimmed, with blanks as nulls (Arrow's kernels are vectorised
    and run in C++, where pandas' string methods loop in Python)."""
    text = values if isinstance(values.dtype, pd.StringDtype) else values.astype("string")
    arr = pa.array(text.array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    arr = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(arr, ""), pa.nulls(len(arr), pa.string()), arr)


def _mask(arr: pa.Array) -> np.ndarray:
    """An Arrow boolean array as a NumPy mask (null is False)."""
    return pc.fill_null(arr, False).to_numpy(zero_copy_only=False).astype(bool)


def _matches(arr: pa.Array, pattern: str) -> np.ndarray:
    return _mask(pc.match_substring_regex(arr, pattern))
