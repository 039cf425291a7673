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

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from . import ImportContext, Preset, register
from ._csvtext import read_records, reject_odd_records

TABLE = "surveys"
TIMEZONE = "Europe/London"

#: Source columns the preset needs, by role.
REQUIRED = {
    "respondent": "Respondent ID",
    "rating": "FFT categorical answer",
    "date": "Date",
    "answer": "FFT answer",
}
#: Source columns used when present.
OPTIONAL = {
    "comment_id": "Comment ID",
    "trust": "Trust",
    "service": "Service type 1",
    "sub_service": "Service type 2",
    "question": "FFT question",
}
#: Source columns deliberately not imported (what the report says about them).
NOT_IMPORTED = {
    "Person identifiable info?": "a flag for the labellers",
    "Comment sentiment": "the labeller's sentiment per comment, not the respondent's answer",
}
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
SERIES_CHANNEL = {"NEAS 111": "phone", "NEAS PTS": "in_person", "NEAS S&C": "in_person"}
NEIGHBOURS = 10
_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _norm(name: str) -> str:
    """Header name compared loosely: case, non-breaking and repeated spaces ignored."""
    return " ".join(str(name).replace("\xa0", " ").split()).casefold()


def _header_name(name: str) -> str:
    """A header name with non-breaking and repeated spaces made one space."""
    return " ".join(name.replace("\xa0", " ").split())


def _read(path: Path, ctx: ImportContext) -> pd.DataFrame:
    """The source as text, one row per record, with ``_line`` (first line of the record).

    Records that do not fit the header, and records holding only delimiters (``,,,``),
    are rejected with their line; blank lines are skipped and counted.

    Raises
    ------
    DataError
        An empty or unreadable file; the message names the line (e.g. of a byte that is
        not UTF-8).
    """
    rec = read_records(path, delimiter=",", normalise=_header_name)
    df = pd.DataFrame(rec.rows, columns=rec.header, dtype=object)
    df["_line"] = rec.lines
    df["_file"] = path.name
    reject_odd_records(ctx, TABLE, path, rec, "record")
    return df


def _columns(df: pd.DataFrame, path: Path) -> dict[str, str]:
    """Map roles to the file's own column names; DataError when a required one is absent."""
    by_norm = {_norm(c): c for c in df.columns if not c.startswith("_")}
    found, missing = {}, []
    for role, name in {**REQUIRED, **OPTIONAL}.items():
        if _norm(name) in by_norm:
            found[role] = by_norm[_norm(name)]
        elif role in REQUIRED:
            missing.append(name)
    if missing:
        cols = ", ".join(repr(c) for c in list(by_norm.values())[:12])
        raise DataError(
            f"not an NHS FFT comment export: missing column(s) "
            f"{', '.join(repr(m) for m in missing)}; the file has {cols}",
            file=str(path),
            column=missing[0],
        )
    return found


def _label_columns(df: pd.DataFrame, used: set[str]) -> list[str]:
    """The one-hot framework label columns: only 0, 1 or blank, after the known columns."""
    skip = used | {c for c in df.columns if _norm(c) in {_norm(n) for n in NOT_IMPORTED}}
    out = []
    for c in df.columns:
        if c.startswith("_") or c in skip:
            continue
        values = set(df[c].str.strip().unique())
        if values <= {"", "0", "1"}:
            out.append(c)
    return out


def parse_dates(text: pd.Series, series: pd.Series, number: pd.Series) -> pd.DataFrame:
    """Read ``d/m/yyyy`` and ``m/d/yyyy`` dates, resolving ambiguous ones per series.

    Parameters
    ----------
    text : Series of str
        The raw dates.
    series : Series of str
        The respondent series (respondent id without its number).
    number : Series of float
        The respondent number (NaN when the id has none).

    Returns
    -------
    DataFrame
        ``date`` (naive ``datetime64``, NaT when unreadable) and ``how``: ``day_first``,
        ``month_first``, ``same`` (day = month), ``iso``, ``ambiguous_day_first``
        (series without month-first dates), ``resolved_day_first`` /
        ``resolved_month_first`` (by neighbours) or ``unreadable``.
    """
    t = text.fillna("").astype(str).str.strip()
    parts = t.str.extract(_DATE_RE).astype(float)
    a, b, y = parts[0], parts[1], parts[2]
    iso = t.str.extract(_ISO_RE).astype(float)

    def build(year, month, day):
        ok = month.between(1, 12) & day.between(1, 31) & year.notna()
        frame = pd.DataFrame(
            {"year": year.where(ok, 2000), "month": month.where(ok, 1), "day": day.where(ok, 1)}
        )
        return pd.to_datetime(frame, errors="coerce").where(ok)

    dmy, mdy = build(y, b, a), build(y, a, b)
    iso_date = build(iso[0], iso[1], iso[2])
    how = pd.Series("unreadable", index=t.index, dtype=object)
    date = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    same = dmy.notna() & (a == b)
    only_d = dmy.notna() & mdy.isna()
    only_m = mdy.notna() & dmy.isna()
    amb = dmy.notna() & mdy.notna() & ~same
    for mask, value, label in (
        (same, dmy, "same"),
        (only_d, dmy, "day_first"),
        (only_m, mdy, "month_first"),
        (iso_date.notna(), iso_date, "iso"),
    ):
        date[mask] = value[mask]
        how[mask] = label
    mixed = set(series[only_m].unique())
    plain = amb & ~series.isin(mixed)
    date[plain] = dmy[plain]
    how[plain] = "ambiguous_day_first"
    known = date.notna() & ~amb
    for s in mixed:
        todo = amb & (series == s)
        ref = known & (series == s) & number.notna()
        if not todo.any():
            continue
        if not ref.any():  # nothing to compare with: day-first, like the other series
            date[todo] = dmy[todo]
            how[todo] = "ambiguous_day_first"
            continue
        ref_num = number[ref].to_numpy(float)
        ref_day = date[ref].to_numpy("datetime64[D]").astype(float)
        for i in todo[todo].index:
            if np.isnan(number[i]):
                date[i], how[i] = dmy[i], "ambiguous_day_first"
                continue
            near = np.argsort(np.abs(ref_num - number[i]), kind="stable")[:NEIGHBOURS]
            centre = float(np.median(ref_day[near]))
            d_day = np.datetime64(dmy[i], "D").astype(float)
            m_day = np.datetime64(mdy[i], "D").astype(float)
            if abs(m_day - centre) < abs(d_day - centre):
                date[i], how[i] = mdy[i], "resolved_month_first"
            else:
                date[i], how[i] = dmy[i], "resolved_day_first"
    return pd.DataFrame({"date": date, "how": how})


def rating_summary(code: pd.Series) -> str:
    """One line: surveys per FFT code and the share rated good or very good (codes 1-2)."""
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
    frames, cols = [], None
    for path in paths:
        df = _read(path, ctx)
        c = _columns(df, path)
        if cols is not None and set(c) != set(cols):
            raise DataError(
                "the files do not have the same FFT columns", file=str(path), column=None
            )
        cols = c
        frames.append(df.rename(columns={v: f"_src_{k}" for k, v in c.items()}))
    assert cols is not None
    raw = pd.concat(frames, ignore_index=True)
    # rejected rows show the columns the import maps (not the labels, flags or others)
    src = raw[[c for c in raw.columns if c.startswith("_src_")] + ["_file"]].rename(
        columns={**{f"_src_{k}": v for k, v in cols.items()}, "_file": "source_file"}
    )
    lines = raw["_line"]
    n_rows = len(raw)
    ctx.note(TABLE, f"read {n_rows:,} comment rows from {', '.join(p.name for p in paths)}")

    def get(role: str) -> pd.Series:
        return raw[f"_src_{role}"].fillna("").astype(str) if role in cols else None

    keep = pd.Series(True, index=raw.index)

    def reject(mask: pd.Series, reason: str) -> None:
        mask = mask & keep
        if mask.any():
            ctx.reject(TABLE, src[mask], reason, lines)
            keep[mask] = False

    # --- respondent -------------------------------------------------------------------
    respondent = get("respondent").str.replace("\xa0", " ").str.strip()
    reject(respondent == "", "no Respondent ID: the comment cannot be tied to a survey")
    if "comment_id" in cols:
        cid = get("comment_id").str.strip()
        dup = cid.ne("") & cid.duplicated() & keep
        reject(dup, "duplicate Comment ID: the same comment row appears again in the source")

    # --- rating ---------------------------------------------------------------------------
    rating_text = get("rating").str.strip()
    code = pd.to_numeric(rating_text, errors="coerce")
    valid = code.isin(list(RATING_LABELS))
    reject(
        (rating_text != "") & ~valid,
        "FFT rating is not a code 1-7 (1 very good … 5 very poor, 6 don't know, 7 undocumented)",
    )

    # --- dates ----------------------------------------------------------------------------
    series = respondent.str.replace(r"\s*\d+$", "", regex=True)
    number = pd.to_numeric(respondent.str.extract(r"(\d+)$")[0], errors="coerce")
    dates = parse_dates(get("date"), series, number)
    reject(dates["how"].eq("unreadable"), "unreadable Date (expected d/m/yyyy or m/d/yyyy)")

    # --- one rating per respondent --------------------------------------------------------
    rated = keep & valid
    n_codes = code[rated].groupby(respondent[rated]).nunique()
    conflicting = respondent.isin(n_codes[n_codes > 1].index) & keep
    reject(conflicting, "the respondent's rows carry different FFT ratings: no single score")

    rows = raw[keep]
    r_resp = respondent[keep]
    r_code = code[keep].where(valid[keep])
    r_date = dates.loc[keep, "date"]
    how = dates.loc[keep, "how"]
    r_lines = lines[keep]
    date_text = get("date")[keep]

    # --- report what the date reading did (comment rows) ---------------------------------
    resolved = dates.loc[keep, "date"].dt.strftime("%Y-%m-%d")
    ex = date_text + " → " + resolved
    ctx.mapped(TABLE, cols["date"], "sent_at (midnight Europe/London; answered_at when rated)")
    ctx.repaired(
        TABLE,
        "comment rows with a month-first date (second part above 12), read as m/d/yyyy",
        how.eq("month_first"),
        ex,
        r_lines,
    )
    ctx.repaired(
        TABLE,
        "comment rows with an ambiguous date in a series that has month-first dates, read "
        "month-first because that reading is closer to the respondents numbered next to it",
        how.eq("resolved_month_first"),
        ex,
        r_lines,
    )
    ctx.repaired(
        TABLE,
        "comment rows with an ambiguous date in a series that has month-first dates, read "
        "day-first because that reading is closer to the respondents numbered next to it",
        how.eq("resolved_day_first"),
        ex,
        r_lines,
    )
    ctx.repaired(
        TABLE,
        "comment rows with an ambiguous date (both parts ≤ 12) in a series without any "
        "month-first date, read day-first",
        how.eq("ambiguous_day_first"),
        ex,
        r_lines,
    )

    # --- group the comment rows by respondent ---------------------------------------------
    answer = get("answer")[keep].str.strip()
    placeholder = answer.str.casefold().isin(PLACEHOLDER_ANSWERS)
    ctx.repaired(
        TABLE,
        "blank or 'Did not answer' comment texts left out of the comment (the rows still "
        "count for their respondent)",
        placeholder,
        get("answer")[keep],
        r_lines,
    )
    label_cols = _label_columns(raw, {f"_src_{k}" for k in cols})
    group = pd.DataFrame(
        {
            "respondent": r_resp,
            "code": r_code,
            "date": r_date,
            "answer": answer.where(~placeholder),
            "line": r_lines.astype(int).astype(str),
            "_line_int": r_lines.astype(int),
            "file": rows["_file"],
        }
    )
    if "comment_id" in cols:
        group["comment_id"] = get("comment_id")[keep].str.strip().replace("", np.nan)
    for role in ("trust", "service", "sub_service"):
        if role in cols:
            v = get(role)[keep].str.replace("\xa0", " ").str.split().str.join(" ")
            group[role] = v.replace("", np.nan)
    if label_cols:
        flags = np.column_stack([rows[c].str.strip().eq("1").to_numpy() for c in label_cols])
        group["topics"] = [[label_cols[j] for j in np.flatnonzero(f)] for f in flags]
    multi_file = group["file"].nunique() > 1
    if multi_file:
        group["line"] = group["file"] + ":" + group["line"]

    g = group.groupby("respondent", sort=False)
    first = g.first()  # first non-null value of each column, per respondent
    out = pd.DataFrame({"survey_id": first.index.to_numpy()})
    n_comments = g.size().to_numpy()
    code_r = pd.Series(first["code"].to_numpy(float), index=out.index)
    first_line = pd.Series(g["_line_int"].min().to_numpy(), index=out.index)
    first_date = pd.Series(g["date"].min().to_numpy(), index=out.index)
    n_dates = pd.Series(g["date"].nunique().to_numpy(), index=out.index)
    out["n_comments"] = pd.array(n_comments, dtype="Int64")
    out["fft_rating"] = code_r.astype("Int64")

    # text aggregates in one pass (file order within each respondent)
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
    for role in ("trust", "service", "sub_service"):
        if role in group:
            out[role] = first[role].to_numpy()
            n_distinct = g[role].nunique().to_numpy()
            if (n_distinct > 1).any():
                ctx.note(
                    TABLE,
                    f"{int((n_distinct > 1).sum()):,} respondents have comment rows with "
                    f"different {cols[role]!r} values; the first is kept",
                )
    merged = n_comments > 1
    ctx.mapped(TABLE, cols["respondent"], "survey_id")
    ctx.derived(
        TABLE,
        f"one survey per {cols['respondent']}: {int(keep.sum()):,} comment rows merged into "
        f"{len(out):,} surveys ({int(merged.sum()):,} respondents had several comment rows; "
        f"{int(n_comments[merged].sum() - merged.sum()):,} rows folded into another row's "
        "survey); their comment texts are joined by a blank line",
        len(out),
    )
    label = out["survey_id"]
    ctx.repaired(
        TABLE,
        "respondents whose comment rows carry different dates: the earliest is the survey date",
        n_dates > 1,
        label,
        first_line,
    )

    # --- scores ---------------------------------------------------------------------------
    out["metric"] = "csat"
    ctx.derived(TABLE, "metric = 'csat' (the FFT overall rating)", len(out))
    out["score"] = (6 - code_r.where(code_r.between(1, 5))).astype(float)
    ctx.mapped(
        TABLE,
        cols["rating"],
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
            first_line,
        )
    ctx.repaired(
        TABLE,
        "surveys with a blank FFT rating: kept with an empty score (not answered)",
        code_r.isna(),
        label,
        first_line,
    )
    when = pd.to_datetime(first_date).dt.tz_localize(TIMEZONE)
    out["sent_at"] = when
    out["answered_at"] = when.where(out["score"].notna())
    ctx.derived(
        TABLE,
        "answered_at = sent_at for rated surveys (empty for codes 6, 7 and blank ratings)",
        int(out["score"].notna().sum()),
    )
    channel = out["survey_id"].str.replace(r"\s*\d+$", "", regex=True).map(SERIES_CHANNEL)
    out["channel"] = channel
    counts = channel.fillna("(empty)").value_counts()
    ctx.derived(
        TABLE,
        "channel from the respondent series: NEAS 111 → phone, NEAS PTS / NEAS S&C → "
        "in_person, others empty (" + ", ".join(f"{k}: {v:,}" for k, v in counts.items()) + ")",
        int(channel.notna().sum()),
    )
    ctx.mapped(TABLE, cols["answer"], "comment (placeholders left out, texts joined)")
    for role in ("trust", "service", "sub_service"):
        if role in cols:
            ctx.mapped(TABLE, cols[role], f"{role} (extra column)")
    if "service" in out:
        unknown = out["service"].eq("Unknown").fillna(False).astype(bool)
        ctx.repaired(TABLE, "service 'Unknown' → empty", unknown, label, first_line)
        out.loc[unknown, "service"] = np.nan
    if label_cols:
        ctx.derived(
            TABLE,
            f"topics: the {len(label_cols)} one-hot framework label columns set to 1 on any "
            "of the respondent's comments, joined by '; '",
            int(out["topics"].notna().sum()),
        )
    for c in raw.columns:
        why = [v for k, v in NOT_IMPORTED.items() if _norm(k) == _norm(c)]
        if why:
            ctx.note(TABLE, f"column {c!r} not imported: {why[0]}")
    if "question" in cols:
        ctx.note(
            TABLE,
            f"column {cols['question']!r} not imported: the question wording would repeat "
            "in every comment text",
        )
    ctx.note(TABLE, rating_summary(code_r))
    columns = [
        "survey_id",
        "metric",
        "sent_at",
        "score",
        "answered_at",
        "channel",
        "comment",
        *[c for c in ("trust", "service", "sub_service") if c in out],
        "fft_rating",
        "n_comments",
        *[c for c in ("comment_ids", "topics") if c in out],
        "source_lines",
    ]
    surveys = out[columns].reset_index(drop=True)
    config = {"timezone": TIMEZONE, "currency": "GBP", "lang": "en"}
    return {TABLE: surveys}, config


register(
    Preset(
        name="nhs-fft",
        description="NHS Friends and Family Test comment export → surveys (csat = 6 − rating, "
        "one survey per respondent)",
        sources="FFT comment CSV(s) with Respondent ID, FFT categorical answer, Date, FFT answer",
        convert=convert,
    )
)
