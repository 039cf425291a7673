"""One survey per respondent from NHS FFT comment rows (preset ``nhs-fft``).

:func:`comment_rows` gathers what each kept comment row contributes (rating, date,
comment text, extra columns, framework labels); :func:`merge_by_respondent` folds them
into one survey per respondent (first values, joined texts, earliest date);
:func:`score_surveys` turns the FFT code into a csat score and dates the surveys.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import ImportContext
from ._nhs_fft_read import TABLE, Comments, label_columns

TIMEZONE = "Europe/London"
RATING_LABELS = {
    1: "very good",
    2: "good",
    3: "neither good nor poor",
    4: "poor",
    5: "very poor",
    6: "don't know",
    7: "undocumented, taken as not answered",
}
#: FFT codes that are no rating: the survey is kept with an empty score.
NO_SCORE = (6, 7)
PLACEHOLDER_ANSWERS = frozenset({"", "did not answer"})
#: Extra columns carried from the comment rows (the first value of a respondent's rows).
EXTRAS = ("trust", "service", "sub_service")


@dataclass
class Merged:
    """The surveys of the respondents, with what the report needs per survey.

    ``out`` is the survey table so far; ``code`` the FFT code, ``first_line`` the first
    source line, ``first_date`` the earliest comment date and ``n_dates`` the number of
    distinct dates of each survey; ``n_comments`` the comment rows merged into each.
    """

    out: pd.DataFrame
    code: pd.Series
    first_line: pd.Series
    first_date: pd.Series
    n_dates: pd.Series
    n_comments: np.ndarray


def comment_rows(
    ctx: ImportContext,
    comments: Comments,
    respondent: pd.Series,
    code: pd.Series,
    dates: pd.DataFrame,
) -> tuple[pd.DataFrame, list[str]]:
    """The kept comment rows, one column per thing a survey takes from them.

    Placeholder texts ("Did not answer", blank) are left out of the comment (counted).
    Returns the rows and the framework label columns found.
    """
    keep, cols = comments.keep, comments.cols
    rows, r_lines = comments.raw[keep], comments.lines[keep]
    answer = comments.get("answer")[keep].str.strip()
    placeholder = answer.str.casefold().isin(PLACEHOLDER_ANSWERS)
    ctx.repaired(
        TABLE,
        "blank or 'Did not answer' comment texts left out of the comment (the rows still "
        "count for their respondent)",
        placeholder,
        comments.get("answer")[keep],
        r_lines,
    )
    label_cols = label_columns(comments.raw, {f"_src_{k}" for k in cols})
    group = pd.DataFrame(
        {
            "respondent": respondent[keep],
            "code": code[keep],
            "date": dates.loc[keep, "date"],
            "answer": answer.where(~placeholder),
            "line": r_lines.astype(int).astype(str),
            "_line_int": r_lines.astype(int),
            "file": rows["_file"],
        }
    )
    if "comment_id" in cols:
        group["comment_id"] = comments.get("comment_id")[keep].str.strip().replace("", np.nan)
    for role in EXTRAS:
        if role in cols:
            v = comments.get(role)[keep].str.replace("\xa0", " ").str.split().str.join(" ")
            group[role] = v.replace("", np.nan)
    if label_cols:
        flags = np.column_stack([rows[c].str.strip().eq("1").to_numpy() for c in label_cols])
        group["topics"] = [[label_cols[j] for j in np.flatnonzero(f)] for f in flags]
    if group["file"].nunique() > 1:
        group["line"] = group["file"] + ":" + group["line"]
    return group, label_cols


def _join_texts(group: pd.DataFrame, out: pd.DataFrame) -> None:
    """Add the joined comment texts, comment ids, source lines and topics to ``out``
    (file order within each respondent), in one pass over the rows."""
    texts: dict[str, list[str]] = {}
    ids: dict[str, list[str]] = {}
    where: dict[str, list[str]] = {}
    topics: dict[str, dict[str, None]] = {}
    has_ids, has_topics = "comment_id" in group, "topics" in group
    for rec in group.to_dict("records"):
        r = rec["respondent"]
        if isinstance(rec["answer"], str) and rec["answer"]:
            texts.setdefault(r, []).append(rec["answer"])
        if has_ids and isinstance(rec["comment_id"], str):
            ids.setdefault(r, []).append(rec["comment_id"])
        where.setdefault(r, []).append(rec["line"])
        if has_topics:
            topics.setdefault(r, {}).update(dict.fromkeys(rec["topics"]))
    sid = out["survey_id"]
    out["comment"] = [("\n\n".join(texts[r]) if r in texts else np.nan) for r in sid]
    if has_ids:
        out["comment_ids"] = ["; ".join(ids.get(r, [])) for r in sid]
    out["source_lines"] = ["; ".join(where[r]) for r in sid]
    if has_topics:
        out["topics"] = [("; ".join(topics[r]) if topics[r] else np.nan) for r in sid]


def merge_by_respondent(ctx: ImportContext, group: pd.DataFrame, cols: dict[str, str]) -> Merged:
    """One survey per respondent: first values, joined texts, counts of what differs.

    Parameters
    ----------
    ctx : ImportContext
        Receives a note per extra column whose values differ within respondents.
    group : DataFrame
        :func:`comment_rows`.
    cols : dict
        Role → the file's column name.

    Returns
    -------
    Merged
    """
    g = group.groupby("respondent", sort=False)
    first = g.first()  # first non-null value of each column, per respondent
    out = pd.DataFrame({"survey_id": first.index.to_numpy()})
    n_comments = g.size().to_numpy()
    code = pd.Series(first["code"].to_numpy(float), index=out.index)
    merged = Merged(
        out,
        code,
        first_line=pd.Series(g["_line_int"].min().to_numpy(), index=out.index),
        first_date=pd.Series(g["date"].min().to_numpy(), index=out.index),
        n_dates=pd.Series(g["date"].nunique().to_numpy(), index=out.index),
        n_comments=n_comments,
    )
    out["n_comments"] = pd.array(n_comments, dtype="Int64")
    out["fft_rating"] = code.astype("Int64")
    _join_texts(group, out)
    for role in EXTRAS:
        if role in group:
            out[role] = first[role].to_numpy()
            n_distinct = g[role].nunique().to_numpy()
            if (n_distinct > 1).any():
                ctx.note(
                    TABLE,
                    f"{int((n_distinct > 1).sum()):,} respondents have comment rows with "
                    f"different {cols[role]!r} values; the first is kept",
                )
    return merged


def score_surveys(ctx: ImportContext, merged: Merged, rating_column: str) -> None:
    """Add ``metric``, ``score`` (6 − FFT code 1-5), ``sent_at`` and ``answered_at``.

    Codes 6 and 7 and blank ratings keep the survey with an empty score (counted). The
    date is the respondent's earliest comment date, midnight Europe/London.
    """
    out, code_r, label = merged.out, merged.code, merged.out["survey_id"]
    out["metric"] = "csat"
    ctx.derived(TABLE, "metric = 'csat' (the FFT overall rating)", len(out))
    out["score"] = (6 - code_r.where(code_r.between(1, 5))).astype(float)
    ctx.mapped(
        TABLE,
        rating_column,
        "score = 6 − rating (FFT 1 very good … 5 very poor → csat 5 … 1); raw code kept "
        "in fft_rating",
    )
    for c in NO_SCORE:
        ctx.repaired(
            TABLE,
            f"surveys with FFT code {c} ({RATING_LABELS[c]}): kept with an empty score "
            "(not answered), so outside csat",
            code_r.eq(c),
            label,
            merged.first_line,
        )
    ctx.repaired(
        TABLE,
        "surveys with a blank FFT rating: kept with an empty score (not answered)",
        code_r.isna(),
        label,
        merged.first_line,
    )
    when = pd.to_datetime(merged.first_date).dt.tz_localize(TIMEZONE)
    out["sent_at"] = when
    out["answered_at"] = when.where(out["score"].notna())
    ctx.derived(
        TABLE,
        "answered_at = sent_at for rated surveys (empty for codes 6, 7 and blank ratings)",
        int(out["score"].notna().sum()),
    )


def rating_summary(code: pd.Series) -> str:
    """One line: surveys per FFT code and the share rated good or very good (codes 1-2).

    >>> rating_summary(pd.Series([1.0, 2.0, 4.0, None]))[:45]
    'surveys by FFT rating: 1 (very good): 1, 2 (g'
    """
    dist = code.value_counts()
    parts = [f"{int(k)} ({RATING_LABELS[int(k)]}): {int(dist[k]):,}" for k in sorted(dist.index)]
    blank = int(code.isna().sum())
    if blank:
        parts.append(f"blank: {blank:,}")
    rated = int(code.between(1, 5).sum())
    good = int(code.isin([1, 2]).sum())
    share = f"{good / rated:.1%}" if rated else "–"
    return (
        "surveys by FFT rating: "
        + ", ".join(parts)
        + f"; good or very good (csat 4-5): {good:,} of {rated:,} rated = {share}"
    )
