"""Hypothesis-generated data folders through ``csmetrics validate``: every canonical
table as random bytes, as CSV, JSON lines and Parquet with near-valid and hostile
values, and random ``csmetrics.yaml`` settings. The outcome is an exit code (0, 1 on
warnings with ``--strict``, 2 with an ``error:`` message), never another exception.

The strategies are shared with ``benchmarks/fuzz_validate.py``, which runs them for as
long as asked. The number of examples comes from the profile (``tests/conftest.py``):
``HYPOTHESIS_PROFILE=long pytest tests/test_fuzz_validate.py`` for a thorough run.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from hypothesis import given
from hypothesis import strategies as st

from csmetrics.cli import main
from csmetrics.config import Thresholds
from csmetrics.schema import TABLES

NOW = "2026-11-23"
EXTENSIONS = (".csv", ".tsv", ".csv.gz", ".jsonl", ".json", ".parquet", ".xlsx", ".txt")

#: Values of each kind of column: valid ones in several forms, and hostile ones.
CELLS: dict[str, list[str]] = {
    "id": ["T1", "T2", "C1", "00012", "1", "1.0", "-0", "x y", "1e309", "NA", "T1 "],
    "timestamp": [
        "2026-10-01 09:00",
        "2026-10-02T10:30:00",
        "2026-10-01T09:00+01:00",
        "2026-10-01T09:00Z",
        "2026-10-03 09:00 +0530",
        "03/11/2026 09:15",
        "25/11/2026",
        "11/25/2026",
        "2026/11/03",
        "3.11.26 09:15",
        "Nov 3, 2026 9:15 AM",
        "2026-03-29 01:30",
        "2026-10-25 01:30",
        "2026-13-45",
        "0001-01-01",
        "9999-12-31 23:59",
        "1677-09-21",
        "2262-04-12",
        "99999-01-01",
        "1700000000",
        "2026-10-01 24:00",
        "yesterday",
        "NaT",
    ],
    "month": [
        "2026-10",
        "2026-09",
        "10/2026",
        "2026-10-01",
        "2026-10-31T23:30-05:00",
        "2026-10-01T00:00+01:00",
        "2026-10-01 00:00",
        "Oct 2026",
        "2026-13",
        "0000-01",
        "2026-1",
    ],
    "float": [
        "1",
        "1.5",
        "1,5",
        "2,884",
        "1.234,5",
        "1,234.5",
        "1 234",
        "0:02:30",
        "12:99:99",
        "-3",
        "inf",
        "-Infinity",
        "nan",
        "1e309",
        "1E20",
        "9" * 25,
        "1,2,3",
        "0x10",
        "€5",
    ],
    "bool": ["yes", "no", "1", "0", "true", "FALSE", "sim", "nie", "maybe", "2"],
    "label": ["email", "Email", "Web Form", "phone", "chat", "high", "normal", "tier 1", "-"],
    "text": ["Billing", "Lisbon", "  spaced  ", "=cmd|' /C calc'!A0", "<b>x</b>", "ação"],
}
CELLS["int"] = [*CELLS["float"], "3", "0", "-1"]


def _kind_cells(table: str, column: str) -> list[str]:
    names = TABLES[table].names
    if column not in names:
        return CELLS["text"]
    spec = TABLES[table].column(column)
    if spec.kind == "enum":
        return [*spec.values, spec.values[0].upper(), "other ", "unknown"]
    if spec.name == "metric" and table == "monthly_metrics":
        return ["calls_offered", "asa_s", "csat_score", "nps", "not_a_kpi"]
    return CELLS[spec.kind]


@st.composite
def cell(draw, table: str, column: str) -> str:
    """One hostile cell: a value of the column's kind in an odd form, or anything."""
    return draw(
        st.one_of(
            st.sampled_from(_kind_cells(table, column)),
            st.sampled_from(["", "NA", "null", "-", " "]),
            st.text(max_size=8),
            st.integers(-(10**6), 10**6).map(str),
        )
    )


#: Forms of a clean timestamp column (one per column, as an export would write it).
STAMP_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S+01:00",
    "%Y-%m-%dT%H:%M:%SZ",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M",
    "%Y/%m/%d",
]


@st.composite
def clean_column(draw, table: str, column: str, n: int) -> list[str]:
    """``n`` valid values of a column, written one way (ids unique)."""
    names = TABLES[table].names
    if column not in names:
        return [draw(st.sampled_from(CELLS["text"])) for _ in range(n)]
    spec = TABLES[table].column(column)
    kind = spec.kind
    if kind == "id":
        prefix = draw(st.sampled_from(["T", "C", "", "00"]))
        if column in TABLES[table].key and len(TABLES[table].key) == 1:
            return [f"{prefix}{i + 1}" for i in range(n)]
        return [f"{prefix}{draw(st.integers(1, 4))}" for _ in range(n)]
    if kind == "timestamp":
        fmt = draw(st.sampled_from(STAMP_FORMATS))
        moments = st.datetimes(dt.datetime(2025, 10, 1), dt.datetime(2026, 12, 31))
        return [draw(moments).strftime(fmt) for _ in range(n)]
    if kind == "month":
        months = [f"2026-{m:02d}" for m in range(1, 13)]
        if len(TABLES[table].key) > 1 or TABLES[table].key == ("period",):
            start = draw(st.integers(0, 11))
            return [months[(start + i) % 12] for i in range(n)]  # key: one row per month
        return [draw(st.sampled_from(months)) for _ in range(n)]
    if kind in ("float", "int"):
        top = 10 if kind == "int" else 5000
        return [str(draw(st.integers(0, top))) for _ in range(n)]
    if kind == "bool":
        return [draw(st.sampled_from(["yes", "no", "true", "false", "1", "0"])) for _ in range(n)]
    if kind == "enum":
        return [draw(st.sampled_from(spec.values)) for _ in range(n)]
    if column == "metric" and table == "monthly_metrics":
        kpis = ["calls_offered", "asa_s", "csat_score", "nps", "tickets_created"]
        return [kpis[i % len(kpis)] for i in range(n)]  # unique with the period
    return [draw(st.sampled_from(CELLS[kind])) for _ in range(n)]


@st.composite
def header(draw, table: str) -> list[str]:
    """Column names: the required ones (usually), some optional ones, some noise."""
    spec = TABLES[table]
    optional = [c for c in spec.names if c not in spec.required]
    cols = list(spec.required) if draw(st.integers(0, 9)) else []
    cols += draw(st.lists(st.sampled_from(optional), max_size=5, unique=True)) if optional else []
    if draw(st.integers(0, 4)) == 0:
        cols += draw(st.lists(st.sampled_from(["", "x", "Ticket ID", "extra col"]), max_size=1))
    if draw(st.integers(0, 19)) == 0 and cols:
        cols.append(draw(st.sampled_from(cols)))  # a repeated name
    return draw(st.permutations(cols)) if cols else [draw(st.sampled_from(spec.names))]


@st.composite
def table_rows(draw, table: str) -> tuple[list[str], list[list[str]]]:
    """A header and 0-8 rows: clean values of each column, with (usually) a few hostile
    cells put in, now and then a row of the wrong width."""
    cols = draw(header(table))
    n = draw(st.integers(0, 8))
    columns = [draw(clean_column(table, c, n)) for c in cols]
    rows = [[col[i] for col in columns] for i in range(n)]
    noise = draw(st.sampled_from([0, 0, 1, 2, 8]))
    for _ in range(noise if rows and cols else 0):
        r, c = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(cols) - 1))
        rows[r][c] = draw(cell(table, cols[c]))
    if rows and draw(st.integers(0, 14)) == 0:
        rows[draw(st.integers(0, len(rows) - 1))].append("surplus")
    return cols, rows


def _csv_bytes(cols: list[str], rows: list[list[str]], sep: str, encoding: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep)
    writer.writerow(cols)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


def _frame(cols: list[str], rows: list[list[str]]) -> pd.DataFrame:
    width = len(cols)
    fixed = [(r + [""] * width)[:width] for r in rows]
    names = [c if c else f"col{i}" for i, c in enumerate(cols)]
    unique = [n if names.index(n) == i else f"{n}_{i}" for i, n in enumerate(names)]
    return pd.DataFrame(fixed, columns=unique, dtype=object)


def _typed(values: pd.Series, draw) -> pd.Series:
    """A column as Parquet would store it from another tool: numbers, booleans, dates,
    durations, decimals, binary, lists, floats with inf and NaN, or text."""
    how = draw(
        st.sampled_from(
            ["text", "text", "float", "int", "bool", "datetime", "aware", "date", "duration",
             "decimal", "binary", "list", "category", "mixed"]
        )
    )  # fmt: skip
    n = len(values)
    if how == "float":
        return pd.to_numeric(values, errors="coerce").astype(float)
    if how == "int":
        ints = draw(st.lists(st.integers(-(2**40), 2**40), min_size=n, max_size=n))
        return pd.Series(ints, dtype="int64")
    if how == "bool":
        return pd.Series([draw(st.booleans()) for _ in values], dtype=bool)
    if how in ("datetime", "aware", "date"):
        stamps = [draw(st.datetimes(dt.datetime(1, 1, 1), dt.datetime(9999, 1, 1))) for _ in values]
        if how == "date":
            return pd.Series([s.date() for s in stamps], dtype=object)
        out = pd.Series(pd.to_datetime(stamps), dtype="datetime64[us]")
        return out.dt.tz_localize("Asia/Kolkata") if how == "aware" else out
    if how == "duration":
        seconds = draw(st.lists(st.integers(-(10**6), 10**9), min_size=n, max_size=n))
        return pd.Series(pd.to_timedelta(seconds, unit="s"))
    if how == "decimal":
        import decimal

        return pd.Series([decimal.Decimal(draw(st.integers(-999, 999))) / 7 for _ in values])
    if how == "binary":
        return pd.Series([str(v).encode("utf-8") for v in values], dtype=object)
    if how == "list":
        return pd.Series([[str(v)] for v in values], dtype=object)
    if how == "category":
        return values.astype("category")
    if how == "mixed":
        pool = st.one_of(
            st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5), st.none()
        )
        return pd.Series([draw(pool) for _ in values], dtype=object).astype(str)
    return values


@st.composite
def table_file(draw, table: str | None = None) -> tuple[str, bytes]:
    """One table file: name and content (CSV, TSV, JSON lines, JSON, Parquet, or bytes)."""
    table = table or draw(st.sampled_from(list(TABLES)))
    forms = ["csv", "csv", "csv", "tsv", "jsonl", "json", "parquet", "parquet", "xlsx", "bytes"]
    form = draw(st.sampled_from(forms))
    if form == "bytes":
        ext = draw(st.sampled_from(EXTENSIONS))
        return table + ext, draw(st.binary(max_size=300))
    cols, rows = draw(table_rows(table))
    if form in ("csv", "tsv"):
        sep = "\t" if form == "tsv" else draw(st.sampled_from([",", ";", "|"]))
        encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-16", "cp1252"]))
        return f"{table}.{form}", _csv_bytes(cols, rows, sep, encoding)
    df = _frame(cols, rows)
    if form == "xlsx":
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # a cell cannot hold them

        df = df.map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
        df.columns = [ILLEGAL_CHARACTERS_RE.sub("", c) for c in df.columns]
        buf = io.BytesIO()
        df.to_excel(buf, index=False)
        return f"{table}.xlsx", buf.getvalue()
    if form == "parquet":
        for c in df.columns:
            df[c] = _typed(df[c], draw)
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        return f"{table}.parquet", buf.getvalue()
    records = df.to_dict(orient="records")
    if records and draw(st.booleans()):  # JSON values of other types: numbers, lists, null
        row = draw(st.integers(0, len(records) - 1))
        key = draw(st.sampled_from(list(records[row])))
        records[row][key] = draw(JSON_VALUES)
    if form == "jsonl":
        text = "\n".join(json.dumps(r, default=str) for r in records)
    else:
        text = json.dumps(records, default=str)
    return f"{table}.{form}", text.encode("utf-8")


JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**70), 2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=6),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=6,
)

# ---------------------------------------------------------------------------------------
# csmetrics.yaml
# ---------------------------------------------------------------------------------------

#: Anything a YAML file can hold, for a setting written wrongly.
WILD = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**6), 10**6),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=10),
        st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
        st.sampled_from(["", "UTC", "email", "2026-10-01", "09:00-17:00", "min", "%d/%m/%Y"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(st.text(max_size=6), st.integers(0, 9)), inner, max_size=3),
    ),
    max_leaves=8,
)
TABLE_NAMES = st.sampled_from([*TABLES, "ticket"])


def _maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """Usually ``strategy``, sometimes a wild value in its place."""
    return st.one_of(strategy, strategy, strategy, WILD)


def _column_names(table: str) -> st.SearchStrategy:
    return st.sampled_from([*TABLES.get(table, TABLES["tickets"]).names, "nope", "Ticket ID"])


@st.composite
def table_mapping(draw, table: str) -> dict:
    """``columns.<table>``: a few of its settings, near valid."""
    cols = _column_names(table)
    options = {
        "rename": st.dictionaries(st.sampled_from(["Ticket ID", "x", "", "id"]), cols, max_size=2),
        "formats": st.dictionaries(
            cols,
            st.sampled_from(
                ["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M%z", "epoch_s", "epoch_ms", "%Y", "%Q", "%"]
            ),
            max_size=2,
        ),
        "values": st.dictionaries(
            cols, st.dictionaries(st.text(max_size=5), WILD, max_size=2), max_size=2
        ),
        "constants": st.dictionaries(cols, WILD, max_size=2),
        "units": st.dictionaries(cols, st.sampled_from(["ms", "s", "min", "h", "d", "x"])),
        "dayfirst": st.booleans(),
        "decimal": st.sampled_from([".", ",", ";"]),
        "na_values": st.lists(st.sampled_from(["NA", "-", "", "x"]), max_size=3),
        "sheet": st.one_of(st.integers(-1, 3), st.text(max_size=5)),
        "encoding": st.sampled_from(["utf-8", "cp1252", "latin-1", "utf-16", "rot13", "nope"]),
        "nonsense": WILD,
    }
    keys = draw(st.lists(st.sampled_from(list(options)), max_size=3, unique=True))
    return {k: draw(_maybe(options[k])) for k in keys}


@st.composite
def question(draw) -> dict:
    """A checklist question: usually valid, with one or two fields replaced by anything."""
    rule = draw(st.sampled_from(["target", "trend", "group_extreme", "group_spread", "x"]))
    judge = {"rule": rule, "kpi": draw(st.sampled_from(["fcr_rate", "csat_score", "nope"]))}
    if rule in ("group_extreme", "group_spread"):
        judge["by"] = draw(st.sampled_from(["channel", "team", "nope"]))
    for key in draw(st.lists(st.sampled_from(["target", "ratio", "margin", "share"]))):
        judge[key] = draw(st.floats(allow_nan=True, allow_infinity=True))
    q = {
        "id": draw(st.sampled_from(["mine", "first_response", "chat_speed"])),
        "category": draw(st.sampled_from(["effectiveness", "cost", "experience", "speed"])),
        "question": draw(st.sampled_from(["Is it fast?", "x" * 500, "x" * 501, ""])),
        "kpis": draw(st.lists(st.sampled_from(["fcr_rate", "frt_median_h", "nope"]), max_size=2)),
        "judge": judge,
    }
    for key in draw(st.lists(st.sampled_from([*q, "polarity", "note"]), max_size=2)):
        q[key] = draw(st.one_of(WILD, st.sampled_from(["positive", "open", None])))
    if draw(st.booleans()):
        key = draw(st.sampled_from(list(judge)))
        judge[key] = draw(WILD)
    return q


@st.composite
def settings(draw) -> dict:
    """A ``csmetrics.yaml`` mapping: a few top-level settings, each near valid or wild."""
    options = {
        "timezone": st.sampled_from(
            ["UTC", "Europe/Lisbon", "America/St_Johns", "Pacific/Chatham", "Mars/Base", ""]
        ),
        "currency": st.sampled_from(["EUR", "USD", "XXX", "eur"]),
        "lang": st.sampled_from(["en", "pt", "pt_BR", "pl", "xx", "pt_XX"]),
        "as_of": st.sampled_from(["2026-10-31T23:59", "2026-10-31", "soon"]),
        "calendar": st.fixed_dictionaries(
            {},
            optional={
                "country": st.sampled_from(["PT", "US", "XX", "pt"]),
                "subdivision": st.sampled_from(["CA", "11", "zz"]),
                "business_hours": st.dictionaries(
                    st.sampled_from(["mon", "sat", "sun", "fri"]),
                    st.sampled_from(["09:00-17:00", "closed", "18:00-09:00", "00:00-24:00"]),
                ),
                "closed_days": st.lists(st.sampled_from(["2026-10-05", "2026-02-30"]), max_size=2),
            },
        ),
        "thresholds": st.dictionaries(
            st.sampled_from([f.name for f in dataclasses.fields(Thresholds)] + ["x"]),
            st.floats(allow_nan=True, allow_infinity=True),
            max_size=2,
        ),
        "sla_first_response_h": st.dictionaries(
            st.sampled_from(["high", "normal", "urgent"]), st.floats(-1, 48), max_size=2
        ),
        "targets": st.dictionaries(
            st.sampled_from(["fcr_rate", "nps", "frt_median_h", "fcr_rat"]),
            st.floats(-200, 200),
            max_size=2,
        ),
        "peak_periods": st.lists(
            st.fixed_dictionaries(
                {
                    "name": st.text(max_size=8),
                    "start": st.sampled_from(["2026-10-01", "2026-10-10", "x"]),
                    "end": st.sampled_from(["2026-10-05", "2026-10-31"]),
                }
            ),
            max_size=2,
        ),
        "ces": st.fixed_dictionaries(
            {}, optional={"min": st.integers(0, 7), "max": st.integers(0, 7)}
        ),
        "sources": st.dictionaries(
            TABLE_NAMES,
            st.one_of(
                st.sampled_from(["tickets.csv", "../x.csv", "/nonexistent/x.csv", "sub/x.csv"]),
                st.fixed_dictionaries(
                    {
                        "url": st.sampled_from(["sqlite:///db.sqlite", "sqlite://", "nope://x"]),
                        "query": st.sampled_from(["select * from t", "drop table t", "select 1;"]),
                    }
                ),
                st.fixed_dictionaries(
                    {"duckdb": st.sampled_from(["x.duckdb", "../x.duckdb"]), "table": WILD}
                ),
            ),
            max_size=1,
        ),
        "columns": TABLE_NAMES.flatmap(
            lambda t: st.fixed_dictionaries({t: _maybe(table_mapping(t))})
        ),
        "checklist": st.fixed_dictionaries(
            {}, optional={"replace": st.booleans(), "questions": st.lists(question(), max_size=2)}
        ),
        "unknown_key": WILD,
    }
    keys = draw(st.lists(st.sampled_from(list(options)), max_size=4, unique=True))
    return {k: draw(_maybe(options[k])) for k in keys}


@st.composite
def config_file(draw) -> bytes:
    """``csmetrics.yaml`` as bytes: usually dumped settings, sometimes text or bytes."""
    how = draw(st.sampled_from(["settings", "settings", "settings", "text", "bytes"]))
    if how == "bytes":
        return draw(st.binary(max_size=200))
    if how == "text":
        pool = st.sampled_from(["a: 1\n", "- x\n", "&a [*a]\n", "{", "timezone: UTC\n", "\t"])
        return "".join(draw(st.lists(st.one_of(pool, st.text(max_size=6)), max_size=6))).encode()
    return yaml.safe_dump(draw(settings()), allow_unicode=True).encode("utf-8")


@st.composite
def sql_source(draw, table: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A table served by a DuckDB or SQLite file of the folder: the files (the database
    as a frame, written by :func:`run_validate`) and its ``sources`` setting."""
    cols, rows = draw(table_rows(table))
    df = _frame(cols, rows)
    kind = draw(st.sampled_from(["duckdb", "sqlite"]))
    name = f"store.{kind}"
    setting: dict[str, Any] = {"duckdb": name} if kind == "duckdb" else {"url": f"sqlite:///{name}"}
    how = draw(st.sampled_from(["table", "query", "other"]))
    if how == "table":
        setting["table"] = draw(st.sampled_from(["t", "T", 'we"ird', "main.t", "nope"]))
    elif how == "query":
        setting["query"] = draw(
            st.sampled_from(
                ["select * from t", "SELECT * FROM t WHERE 1 = 1;", "select * from t limit 0"]
            )
        )
    else:
        setting["query"] = draw(st.text(max_size=20))
    return {name: df}, {table: setting}


@st.composite
def data_folder(draw) -> dict[str, Any]:
    """The files of a data folder: 1-3 tables (one now and then in a database), and a
    csmetrics.yaml now and then."""
    tables = draw(st.lists(st.sampled_from(list(TABLES)), min_size=1, max_size=3, unique=True))
    files: dict[str, Any] = dict(draw(table_file(t)) for t in tables[1:])
    if draw(st.integers(0, 5)) == 0:
        db, sources = draw(sql_source(tables[0]))
        files.update(db)
        text = yaml.safe_dump({"sources": sources}, allow_unicode=True)
        files["csmetrics.yaml"] = text.encode("utf-8")
        return files
    files.update([draw(table_file(tables[0]))])
    if draw(st.integers(0, 2)) == 0:
        files["csmetrics.yaml"] = draw(config_file())
    return files


def _write_database(path: Path, df: pd.DataFrame) -> None:
    if path.suffix == ".duckdb":
        import duckdb

        with duckdb.connect(str(path)) as con:
            con.register("frame", df)
            con.execute("create table t as select * from frame")
        return
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as con:
        df.to_sql("t", con, index=False)
        con.commit()


# ---------------------------------------------------------------------------------------
# The code path of `csmetrics validate`
# ---------------------------------------------------------------------------------------


def run_validate(files: dict[str, Any], *options: str) -> int:
    """Write ``files`` in a temporary folder and run ``csmetrics validate`` on it in this
    process. Returns the exit code; any exception but the project's own escapes.

    A file's content is bytes, or a DataFrame for a database file (table ``t``).
    """
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in files.items():
            if isinstance(content, pd.DataFrame):
                _write_database(Path(tmp) / name, content)
            else:
                (Path(tmp) / name).write_bytes(content)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["validate", "--data", tmp, *options])
    assert code in (0, 1, 2), (code, err.getvalue())
    if code == 2:
        message = err.getvalue()
        assert message.startswith("error: ") and len(message) > len("error: \n"), message
    else:
        assert out.getvalue().strip()
    return code


OPTIONS = st.sampled_from([(), ("--format", "json"), ("--strict",)])
TICKETS_OK = b"ticket_id,created_at,channel,status,priority\nT1,2026-10-01 09:00,email,open,high\n"


@st.composite
def mapped_table(draw) -> dict[str, bytes]:
    """One table file with ``columns.<table>`` settings for the same table."""
    table = draw(st.sampled_from(list(TABLES)))
    name, content = draw(table_file(table))
    text = yaml.safe_dump({"columns": {table: draw(table_mapping(table))}}, allow_unicode=True)
    return {name: content, "csmetrics.yaml": text.encode("utf-8")}


@given(table_file(), OPTIONS)
def test_one_table_file(file, options):
    name, content = file
    run_validate({name: content}, *options)


@given(data_folder(), OPTIONS)
def test_data_folder(files, options):
    run_validate(files, *options)


@given(config_file())
def test_settings(config):
    run_validate({"tickets.csv": TICKETS_OK, "csmetrics.yaml": config})


@given(mapped_table())
def test_column_settings_with_their_table(files):
    run_validate(files)


#: The strategies above, by name, for ``benchmarks/fuzz_validate.py``.
STRATEGIES = {
    "one_table_file": st.tuples(table_file(), OPTIONS).map(lambda x: ({x[0][0]: x[0][1]}, x[1])),
    "data_folder": st.tuples(data_folder(), OPTIONS),
    "settings": config_file().map(lambda c: ({"tickets.csv": TICKETS_OK, "csmetrics.yaml": c}, ())),
    "column_settings": mapped_table().map(lambda f: (f, ())),
}
