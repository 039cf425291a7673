"""Preset ``nhs-fft``: NHS Friends and Family Test (FFT) comment exports → ``surveys``.

The source (e.g. ``v6framework_230831.csv`` of the NHS "pxtextmining" project) has one row
per free-text *comment*; a respondent who answered two questions has two rows that repeat
the same rating and date. The preset writes one survey per respondent.

Mapping rules
-------------
``Respondent ID`` → ``survey_id``
    Rows are grouped by respondent; each group becomes one survey. The number of comment
    rows merged is reported, and kept in the extra column ``n_comments``.
``FFT categorical answer`` → ``score``
    The FFT rating is reversed (1 = very good … 5 = very poor); ``score = 6 − rating``
    puts it on the csat 1–5 scale where 5 is best (``metric`` is ``csat``). Code 6
    ("don't know") and code 7 (undocumented, taken as "not answered") and a blank rating
    keep the survey with an empty score (not answered); the raw code stays in the extra
    column ``fft_rating``. Any other value rejects the row. A respondent whose rows carry
    different ratings is rejected as a whole.
``Date`` → ``sent_at`` (and ``answered_at`` when there is a score)
    Dates are ``d/m/yyyy`` or ``m/d/yyyy``; a part above 12 decides the order. An
    ambiguous date (both parts ≤ 12 and different) is read day-first in a series
    (the respondent id without its number: ``NEAS 111``, ``NHFT`` …) that has no
    unambiguous month-first date. In a series that has some, respondent numbers run in
    date order, so the ambiguous date takes the reading closer to the median date of the
    ten nearest-numbered unambiguous responses of the series (ties: day-first). A
    respondent's survey date is its earliest comment date. The date is midnight in
    Europe/London (the file has no time of day).
``FFT answer`` → ``comment``
    The respondent's comment texts, in file order, joined by a blank line. Blank answers
    and the placeholder "Did not answer" are left out of the text (counted).
``Respondent ID`` series → ``channel``
    ``NEAS 111`` (the NHS 111 telephone service) → ``phone``; ``NEAS PTS`` (patient
    transport) and ``NEAS S&C`` (ambulance "See and Convey") → ``in_person``; other series
    (NHFT care services, whose delivery mode the file does not give) → empty.
Extra columns
    ``trust`` (``Trust``), ``service`` (``Service type 1``, non-breaking spaces and
    doubled spaces normalised, ``Unknown`` → empty), ``sub_service`` (``Service type 2``),
    ``fft_rating`` (the raw code), ``n_comments``, ``comment_ids`` (``Comment ID`` values),
    ``topics`` (the framework labels set to 1 on any of the respondent's comments) and
    ``source_lines`` (the file lines merged).

Not imported: ``Person identifiable info?`` and ``Comment sentiment`` (per comment; the
labeller's judgement, not the respondent's answer). Rows without a respondent id or with
an unreadable date are rejected to ``rejected/surveys.csv`` with their line, and so are
records that do not fit the header or hold only delimiters (``,,,``); the rejected rows
show the mapped columns only (not the labels or flags). A byte that is not UTF-8 stops
the import with the line it is on.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import ImportContext, Preset, register
from ._nhs_fft_dates import NEIGHBOURS, parse_dates, report_dates
from ._nhs_fft_read import NOT_IMPORTED, OPTIONAL, REQUIRED, TABLE, Comments, read_comments
from ._nhs_fft_read import norm as _norm
from ._nhs_fft_surveys import (
    EXTRAS,
    NO_SCORE,
    PLACEHOLDER_ANSWERS,
    RATING_LABELS,
    TIMEZONE,
    Merged,
    comment_rows,
    merge_by_respondent,
    rating_summary,
    score_surveys,
)

__all__ = [
    "NEIGHBOURS",
    "NOT_IMPORTED",
    "NO_SCORE",
    "OPTIONAL",
    "PLACEHOLDER_ANSWERS",
    "RATING_LABELS",
    "REQUIRED",
    "SERIES_CHANNEL",
    "TABLE",
    "TIMEZONE",
    "convert",
    "parse_dates",
    "rating_summary",
]

SERIES_CHANNEL = {"NEAS 111": "phone", "NEAS PTS": "in_person", "NEAS S&C": "in_person"}


def convert(paths: list[Path], ctx: ImportContext) -> tuple[dict[str, pd.DataFrame], dict]:
    """Convert FFT comment exports into one ``surveys`` row per respondent.

    Parameters
    ----------
    paths : list of Path
        One or more FFT comment CSV files (same layout; respondents are merged across them).
    ctx : ImportContext
        Receives every mapping, derivation, repair and rejection.

    Returns
    -------
    frames : dict
        ``{"surveys": DataFrame}`` in canonical column names (plus the extra columns listed
        in the module docstring).
    config : dict
        ``csmetrics.yaml`` content: time zone Europe/London, currency GBP.

    Raises
    ------
    DataError
        A file lacks ``Respondent ID``, ``FFT categorical answer``, ``Date`` or ``FFT answer``.
    """
    comments = read_comments(paths, ctx)
    respondent, code, valid, dates = _check_rows(ctx, comments)
    keep, cols = comments.keep, comments.cols
    text, lines = comments.get("date")[keep], comments.lines[keep]
    report_dates(ctx, cols["date"], text, dates.loc[keep], lines)
    group, label_cols = comment_rows(ctx, comments, respondent, code.where(valid), dates)
    merged = merge_by_respondent(ctx, group, cols)
    _report_merge(ctx, comments, merged)
    score_surveys(ctx, merged, cols["rating"])
    _channels(ctx, merged.out)
    _report_columns(ctx, comments, merged, label_cols)
    out = merged.out
    columns = [
        "survey_id",
        "metric",
        "sent_at",
        "score",
        "answered_at",
        "channel",
        "comment",
        *[c for c in EXTRAS if c in out],
        "fft_rating",
        "n_comments",
        *[c for c in ("comment_ids", "topics") if c in out],
        "source_lines",
    ]
    surveys = out[columns].reset_index(drop=True)
    config = {"timezone": TIMEZONE, "currency": "GBP", "lang": "en"}
    return {TABLE: surveys}, config


def _check_rows(
    ctx: ImportContext, comments: Comments
) -> tuple[pd.Series, pd.Series, pd.Series, pd.DataFrame]:
    """Reject the comment rows without a respondent, repeated, with an invalid rating or
    date, or whose respondent has several ratings (in this order).

    Returns the respondent ids, the FFT codes, the mask of valid codes and the dates
    (:func:`~csmetrics.importers._nhs_fft_dates.parse_dates`) of every row.
    """
    respondent = comments.get("respondent").str.replace("\xa0", " ").str.strip()
    reason = "no Respondent ID: the comment cannot be tied to a survey"
    comments.reject(ctx, respondent == "", reason)
    if "comment_id" in comments.cols:
        cid = comments.get("comment_id").str.strip()
        dup = cid.ne("") & cid.duplicated() & comments.keep
        reason = "duplicate Comment ID: the same comment row appears again in the source"
        comments.reject(ctx, dup, reason)
    rating_text = comments.get("rating").str.strip()
    code = pd.to_numeric(rating_text, errors="coerce")
    valid = code.isin(list(RATING_LABELS))
    comments.reject(
        ctx,
        (rating_text != "") & ~valid,
        "FFT rating is not a code 1-7 (1 very good … 5 very poor, 6 don't know, 7 undocumented)",
    )
    series = respondent.str.replace(r"\s*\d+$", "", regex=True)
    number = pd.to_numeric(respondent.str.extract(r"(\d+)$")[0], errors="coerce")
    dates = parse_dates(comments.get("date"), series, number)
    reason = "unreadable Date (expected d/m/yyyy or m/d/yyyy)"
    comments.reject(ctx, dates["how"].eq("unreadable"), reason)
    rated = comments.keep & valid
    n_codes = code[rated].groupby(respondent[rated]).nunique()
    conflicting = respondent.isin(n_codes[n_codes > 1].index) & comments.keep
    reason = "the respondent's rows carry different FFT ratings: no single score"
    comments.reject(ctx, conflicting, reason)
    return respondent, code, valid, dates


def _report_merge(ctx: ImportContext, comments: Comments, merged: Merged) -> None:
    """Report the survey per respondent: rows merged, and respondents with several dates."""
    n_comments, out = merged.n_comments, merged.out
    several = n_comments > 1
    ctx.mapped(TABLE, comments.cols["respondent"], "survey_id")
    ctx.derived(
        TABLE,
        f"one survey per {comments.cols['respondent']}: {int(comments.keep.sum()):,} comment "
        f"rows merged into {len(out):,} surveys ({int(several.sum()):,} respondents had "
        f"several comment rows; {int(n_comments[several].sum() - several.sum()):,} rows "
        "folded into another row's survey); their comment texts are joined by a blank line",
        len(out),
    )
    ctx.repaired(
        TABLE,
        "respondents whose comment rows carry different dates: the earliest is the survey date",
        merged.n_dates > 1,
        out["survey_id"],
        merged.first_line,
    )


def _channels(ctx: ImportContext, out: pd.DataFrame) -> None:
    """``channel`` from the respondent series (:data:`SERIES_CHANNEL`), counted."""
    channel = out["survey_id"].str.replace(r"\s*\d+$", "", regex=True).map(SERIES_CHANNEL)
    out["channel"] = channel
    counts = channel.fillna("(empty)").value_counts()
    ctx.derived(
        TABLE,
        "channel from the respondent series: NEAS 111 → phone, NEAS PTS / NEAS S&C → "
        "in_person, others empty (" + ", ".join(f"{k}: {v:,}" for k, v in counts.items()) + ")",
        int(channel.notna().sum()),
    )


def _report_columns(
    ctx: ImportContext, comments: Comments, merged: Merged, label_cols: list[str]
) -> None:
    """Report the comment and extra columns (``service`` 'Unknown' made empty), the
    topics, the columns not imported and the ratings."""
    cols, out = comments.cols, merged.out
    ctx.mapped(TABLE, cols["answer"], "comment (placeholders left out, texts joined)")
    for role in EXTRAS:
        if role in cols:
            ctx.mapped(TABLE, cols[role], f"{role} (extra column)")
    if "service" in out:
        unknown = out["service"].eq("Unknown").fillna(False).astype(bool)
        text = "service 'Unknown' → empty"
        ctx.repaired(TABLE, text, unknown, out["survey_id"], merged.first_line)
        out.loc[unknown, "service"] = np.nan
    if label_cols:
        ctx.derived(
            TABLE,
            f"topics: the {len(label_cols)} one-hot framework label columns set to 1 on any "
            "of the respondent's comments, joined by '; '",
            int(out["topics"].notna().sum()),
        )
    for c in comments.raw.columns:
        why = [v for k, v in NOT_IMPORTED.items() if _norm(k) == _norm(c)]
        if why:
            ctx.note(TABLE, f"column {c!r} not imported: {why[0]}")
    if "question" in cols:
        ctx.note(
            TABLE,
            f"column {cols['question']!r} not imported: the question wording would repeat "
            "in every comment text",
        )
    ctx.note(TABLE, rating_summary(merged.code))


register(
    Preset(
        name="nhs-fft",
        description="NHS Friends and Family Test comment export → surveys (csat = 6 − rating, "
        "one survey per respondent)",
        sources="FFT comment CSV(s) with Respondent ID, FFT categorical answer, Date, FFT answer",
        convert=convert,
    )
)
