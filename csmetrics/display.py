"""Safe display helpers for notebooks: every value from the data is HTML-escaped.

pandas' ``Styler`` does not escape cell text by default, so the notebooks show tables
through :func:`table`, which always does.
"""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import HTML, Markdown


def table(
    df: pd.DataFrame, caption: str | None = None, index: bool = False, float_format: str = "{:,.2f}"
) -> HTML:
    """An HTML table of ``df`` with every cell and header escaped.

    Examples
    --------
    >>> "<script>" in table(pd.DataFrame({"a": ["<script>"]})).data
    False
    """
    if df is None or df.empty:
        return HTML("<p><em>Nothing to show.</em></p>")
    body = df.to_html(
        index=index,
        escape=True,
        border=0,
        na_rep="–",
        float_format=float_format.format,
        classes="csm-table",
    )
    cap = f"<p><strong>{html.escape(caption)}</strong></p>" if caption else ""
    return HTML(cap + body)


#: A Markdown link (inline ``](...)`` or a reference definition ``[x]: ...``) whose
#: target is a script or data URL. HTML-escaping a value from the data does not touch
#: ``[x](javascript:...)``, and the Markdown renderer would make it a live link.
_UNSAFE_LINK = re.compile(
    r"(?P<open>\]\(|^[ ]{0,3}\[[^\]\n]*\]:)(?=\s*<?\s*(?:javascript|vbscript|data|file)\s*:)",
    re.IGNORECASE | re.MULTILINE,
)


def markdown(text: str) -> Markdown:
    """Markdown written by the package (values from data must already be escaped).

    Link syntax pointing to a ``javascript:``, ``vbscript:``, ``data:`` or ``file:`` URL
    (which only data can bring) is shown as plain text rather than made a link.

    Examples
    --------
    >>> markdown("worst team: [x](javascript:alert(1))").data
    'worst team: [x]\\\\(javascript:alert(1))'
    """
    return Markdown(_UNSAFE_LINK.sub(_defuse_link, text))


def _defuse_link(match: re.Match) -> str:
    opening = match.group("open")
    # "](" -> "]\(" ; "[x]:" -> "[x]\:": no longer Markdown link syntax
    return opening[:-1] + "\\" + opening[-1]


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
