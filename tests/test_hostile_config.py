"""Issue 13: hostile or careless input ends in a clear error (exit 2), never a traceback,
a write, or another file's content in a message.

A. data and settings that used to raise tracebacks; B. SQL sources and paths that could
act outside the data folder; C. YAML that exhausts memory or time.
"""

from __future__ import annotations

import io
import os
import sqlite3
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml

import csmetrics as cm
from csmetrics.cli import main
from csmetrics.config import (
    MAX_CONFIG_BYTES,
    Source,
    config_from_dict,
    load_config,
    read_query_problem,
)
from csmetrics.errors import ConfigError, DataError
from csmetrics.evaluate import checklist
from csmetrics.load import read_sql_source

NOW = pd.Timestamp("2026-11-23", tz="UTC")
TICKETS = "ticket_id,created_at,channel\nT1,2026-10-01 09:00,email\nT2,2026-10-02 10:00,chat\n"
CHECKLIST_YAML = Path(cm.__file__).with_name("checklist.yaml")


def _parquet(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf)
    return buf.getvalue()


def _validate(folder: Path, capsys) -> tuple[int, str]:
    """``csmetrics validate --data folder`` in-process: exit code and stderr."""
    code = main(["validate", "--data", str(folder)])
    return code, capsys.readouterr().err


def _fails(folder: Path, capsys, *expected: str) -> str:
    code, err = _validate(folder, capsys)
    assert code == 2, err
    assert err.startswith("error: "), err
    for text in expected:
        assert text in err, f"{text!r} not in {err!r}"
    return err


# ---------------------------------------------------------------------------------------
# A. Tracebacks that are now clear errors
# ---------------------------------------------------------------------------------------


def test_finance_period_written_as_a_word_names_the_row(make_folder, capsys):
    folder = make_folder(
        {"tickets.csv": TICKETS, "finance.csv": "period,revenue\nOct 2026,100\n2026-11,5\n"}
    )
    _fails(
        folder,
        capsys,
        "finance.csv",
        "column 'period'",
        "values that are not months (YYYY-MM)",
        "row 1: 'Oct 2026'",
    )


def test_costs_period_written_as_a_word_names_the_row(make_folder, capsys):
    folder = make_folder({"costs.csv": "period,amount\nOct 2026,100\n2026-11,5\n"})
    _fails(folder, capsys, "costs.csv", "column 'period'", "row 1: 'Oct 2026'")


def test_calls_with_a_bad_arrival_and_no_wait(make_folder, capsys):
    folder = make_folder(
        {
            "calls.csv": "call_id,arrived_at,outcome,answered_at\n"
            "C1,notadate,answered,2026-10-01 09:00\nC2,2026-10-01 09:00,answered,"
            "2026-10-01 09:01\n"
        }
    )
    err = _fails(
        folder,
        capsys,
        "calls.csv",
        "column 'arrived_at'",
        "1 unparseable timestamps",
        "row 1: 'notadate'",
    )
    assert "wait_s" not in err  # not derived from a column that could not be read


def test_staffing_key_repeated_with_a_blank_agent(make_folder, capsys):
    folder = make_folder(
        {"staffing.csv": "period,agent_id,staffed_hours\n2026-10,A1,10\n2026-10,,5\n2026-10,,6\n"}
    )
    _fails(
        folder,
        capsys,
        "staffing.csv",
        "column 'agent_id': 2 empty value(s) in a required column (e.g. row 2; row 3)",
        "duplicate rows for the key (period, agent_id)",
        "row 2: '2026-10 / (empty)'",
    )


def test_month_column_mixing_time_zones(make_folder, capsys):
    folder = make_folder(
        {
            "costs.csv": "period,amount\n2026-10-01T00:00+01:00,1\n2026-10-01T00:00+05:00,2\n"
            "2026-10-02T00:00+01:00,3\n"
        }
    )
    _fails(
        folder,
        capsys,
        "costs.csv",
        "column 'period'",
        "mixes time-zone offsets",
        "write the months as YYYY-MM",
        "row 1: '2026-10-01T00:00+01:00'",
        "row 2: '2026-10-01T00:00+05:00'",
    )


def test_month_column_with_one_offset_still_loads(make_folder):
    folder = make_folder({"costs.csv": "period,amount\n2026-10-01T00:00+01:00,1\n"})
    assert cm.load(folder, now=NOW)["costs"]["period"].tolist() == ["2026-10"]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("peak_periods: 5\n", "csmetrics.yaml: peak_periods: expected a list, got 5"),
        (
            "calendar:\n  country: [PT]\n",
            "csmetrics.yaml: calendar.country: expected a country code such as PT",
        ),
        (
            "columns:\n  tickets:\n    formats: {created_at: '%Q'}\n",
            "csmetrics.yaml: columns.tickets.formats.created_at: not a valid strftime format "
            "('Q' is a bad directive",
        ),
        (
            "columns:\n  tickets:\n    formats: {created_at: '%Y %Y'}\n",
            "columns.tickets.formats.created_at: not a valid strftime format",
        ),
        (
            "columns:\n  tickets:\n    rename: [Ticket, ticket_id]\n",
            "csmetrics.yaml: columns.tickets.rename: expected a mapping, got ['Ticket', ",
        ),
        (
            "columns:\n  tickets:\n    units: {handle_time_s: [min]}\n",
            "columns.tickets.units.handle_time_s: unknown unit ['min']",
        ),
        (
            "columns:\n  tickets:\n    constants: {channel: [email, chat]}\n",
            "columns.tickets.constants.channel: expected a single value",
        ),
        (
            "columns:\n  tickets:\n    values: {status: Solved}\n",
            "columns.tickets.values.status: expected a mapping",
        ),
        ("columns:\n  tickets:\n    encoding: 5\n", "columns.tickets.encoding: expected a text"),
        (
            "columns:\n  tickets:\n    encoding: rot13\n",
            "columns.tickets.encoding: unknown text encoding 'rot13'",
        ),
        ("columns:\n  tickets:\n    sheet: [1]\n", "columns.tickets.sheet: expected a sheet"),
        ("calendar:\n  closed_days: '2025-12-24'\n", "calendar.closed_days: expected a list"),
        ("calendar:\n  subdivision: CA\n", "calendar.subdivision: a subdivision needs"),
        ("timezone: [UTC]\n", "timezone: unknown time zone ['UTC']"),
        ("sources:\n  tickets: {file: [a.csv]}\n", "sources.tickets.file: expected a text"),
        ("- timezone: UTC\n", "csmetrics.yaml: expected a mapping of settings"),
        (
            "thresholds: {max_ticket_duration_days: 1.0e+300}\n",
            "thresholds.max_ticket_duration_days: expected a number above 0 and at most 36500",
        ),
    ],
)
def test_settings_of_the_wrong_shape_are_config_errors(config, expected, make_folder, capsys):
    folder = make_folder({"tickets.csv": TICKETS, "csmetrics.yaml": config})
    _fails(folder, capsys, expected)


def test_format_with_offsets_reads_instants(make_folder):
    folder = make_folder(
        {
            "tickets.csv": "ticket_id,created_at,channel\nT1,2026-10-01 09:00+0100,email\n"
            "T2,2026-10-01 09:00+0500,chat\n",
            "csmetrics.yaml": "columns:\n  tickets:\n    formats: "
            "{created_at: '%Y-%m-%d %H:%M%z'}\n",
        }
    )
    got = cm.load(folder, now=NOW)["tickets"]["created_at"]
    assert got.dt.strftime("%H:%M").tolist() == ["08:00", "04:00"]  # UTC


def test_parquet_float_id_of_inf(make_folder, capsys):
    df = pd.DataFrame(
        {
            "call_id": [1.0, float("inf")],
            "arrived_at": ["2026-10-01 09:00", "2026-10-02 09:00"],
            "outcome": ["answered", "answered"],
        }
    )
    folder = make_folder({"calls.parquet": _parquet(df)})
    _fails(
        folder,
        capsys,
        "calls.parquet",
        "column 'call_id'",
        "cannot be exact ids",
        "row 2: 'inf'",
    )


def test_parquet_float_ids_that_are_whole_numbers_load(make_folder):
    df = pd.DataFrame(
        {"call_id": [1.0, 2.0], "arrived_at": ["2026-10-01"] * 2, "outcome": ["other"] * 2}
    )
    folder = make_folder({"calls.parquet": _parquet(df)})
    assert cm.load(folder, now=NOW)["calls"]["call_id"].tolist() == ["1", "2"]


def test_json_lists_and_mappings_are_not_read_as_text(make_folder, capsys):
    folder = make_folder(
        {
            "tickets.jsonl": '{"ticket_id": "T1", "created_at": "2026-10-01", "channel": [1, 2]}\n'
            '{"ticket_id": {"a": 1}, "created_at": "2026-10-01", "channel": "email"}\n'
        }
    )
    _fails(
        folder,
        capsys,
        "column 'channel': 1 value(s) that are not single values (list)",
        "row 1: '[1, 2]'",
        "column 'ticket_id': 1 value(s) that are not single values (dict)",
    )


def test_parquet_binary_text_is_not_read_as_its_repr(make_folder, capsys):
    df = pd.DataFrame({"ticket_id": ["T1"], "created_at": ["2026-10-01"], "channel": [b"email"]})
    folder = make_folder({"tickets.parquet": _parquet(df)})
    _fails(folder, capsys, "column 'channel'", "(bytes)", "store binary data as UTF-8 text")


def test_month_of_the_year_zero_is_not_a_month(make_folder, capsys):
    folder = make_folder({"costs.csv": "period,amount\n0000-01,1\n2026-10,2\n"})
    _fails(folder, capsys, "column 'period'", "not months", "row 1: '0000-01'")


@pytest.mark.parametrize(
    "files",
    [
        {"tickets.csv": "ticket_id,created_at,channel\n"},
        {"tickets.csv": TICKETS, "calls.csv": "call_id,arrived_at,outcome\n\n"},
        {"tickets.parquet": _parquet(pd.DataFrame(columns=["ticket_id", "created_at", "channel"]))},
    ],
    ids=["tickets_csv", "optional_calls_csv", "tickets_parquet"],
)
def test_table_with_a_header_and_no_rows_is_an_error(files, make_folder, capsys):
    folder = make_folder(files)
    name = next(n for n, c in files.items() if n != "tickets.csv" or c != TICKETS)
    _fails(folder, capsys, f"{name}: no data rows", "an optional table is left out")


def test_sql_source_with_no_rows_is_an_error(make_folder, capsys):
    folder = make_folder({"tickets.csv": TICKETS})
    con = duckdb.connect(str(folder / "acd.duckdb"))
    con.execute("create table calls (call_id text, arrived_at text, outcome text)")
    con.close()
    (folder / "csmetrics.yaml").write_text(
        "sources:\n  calls: {duckdb: acd.duckdb, table: calls}\n", encoding="utf-8"
    )
    _fails(folder, capsys, "no data rows: the query or table of the SQL source returned no rows")


# ---------------------------------------------------------------------------------------
# B. SQL sources and paths
# ---------------------------------------------------------------------------------------


def _duckdb_calls(path: Path, name: str = "calls") -> None:
    con = duckdb.connect(str(path))
    quoted = '"' + name.replace('"', '""') + '"'
    con.execute(
        f"create table {quoted} as select 'C1' as call_id, "
        "'2026-10-01 09:00' as arrived_at, 'answered' as outcome"
    )
    con.close()


def _sqlite_calls(path: Path, name: str = "calls") -> None:
    con = sqlite3.connect(path)
    quoted = '"' + name.replace('"', '""') + '"'
    con.execute(f"create table {quoted} (call_id text, arrived_at text, outcome text)")
    con.execute(f"insert into {quoted} values ('C1', '2026-10-01 09:00', 'answered')")
    con.commit()
    con.close()


@pytest.mark.parametrize("name", ['my "calls"', "calls; drop table calls", "Call Log"])
def test_table_names_are_quoted_as_names(name, make_folder):
    folder = make_folder({"tickets.csv": TICKETS})
    _duckdb_calls(folder / "acd.duckdb", name)
    _sqlite_calls(folder / "acd.db", name)
    for source in ({"duckdb": "acd.duckdb"}, {"url": "sqlite:///acd.db"}):
        text = yaml.safe_dump({"sources": {"calls": {**source, "table": name}}})
        (folder / "csmetrics.yaml").write_text(text, encoding="utf-8")
        assert cm.load(folder, now=NOW)["calls"]["call_id"].tolist() == ["C1"], source


def test_an_injected_table_name_is_not_run(make_folder, capsys):
    folder = make_folder({"tickets.csv": TICKETS})
    _duckdb_calls(folder / "acd.duckdb")
    (folder / "csmetrics.yaml").write_text(
        "sources:\n  calls: {duckdb: acd.duckdb, table: 'calls\"; DROP TABLE calls; --'}\n",
        encoding="utf-8",
    )
    _fails(folder, capsys, "SQL source failed", "does not exist")
    with duckdb.connect(str(folder / "acd.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from calls").fetchone() == (1,)


def test_a_table_name_needs_each_part(make_folder, capsys):
    folder = make_folder({"tickets.csv": TICKETS})
    (folder / "csmetrics.yaml").write_text(
        "sources:\n  calls: {duckdb: acd.duckdb, table: 'main..calls'}\n", encoding="utf-8"
    )
    _fails(folder, capsys, "sources.calls.table: expected a table name, or schema.table")


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("COPY (SELECT 42) TO '{out}'", "it starts with COPY"),
        ("SELECT * FROM calls; COPY (SELECT 42) TO '{out}'", "more than one statement"),
        ("ATTACH '{out}' AS x", "it starts with ATTACH"),
        ("WITH d AS (DELETE FROM calls RETURNING *) SELECT * FROM d", "it uses DELETE"),
        ("SELECT * INTO copy_of_calls FROM calls", "it uses INTO"),
        ("SELECT 'a\\'; DROP TABLE calls; --'", "more than one statement"),
        ("/* unclosed SELECT * FROM calls", "comment is not closed"),
        ("-- only a comment", "it starts with nothing"),
    ],
)
def test_query_must_be_one_read_statement(query, problem, make_folder, capsys, tmp_path):
    out = tmp_path / "written.csv"
    folder = make_folder({"tickets.csv": TICKETS})
    _duckdb_calls(folder / "acd.duckdb")
    text = yaml.safe_dump(
        {"sources": {"calls": {"duckdb": "acd.duckdb", "query": query.format(out=out)}}}
    )
    (folder / "csmetrics.yaml").write_text(text, encoding="utf-8")
    _fails(folder, capsys, "sources.calls.query: expected one statement that only reads", problem)
    assert not out.exists()


@pytest.mark.parametrize(
    "query",
    [
        "select * from calls",
        "-- the calls\n/* all of them */ SELECT * FROM calls WHERE outcome <> 'a;b' ;",
        "WITH c AS (SELECT * FROM calls) SELECT * FROM c",
        "(SELECT * FROM calls)",
        "FROM calls",
        'SELECT "call_id", arrived_at, outcome FROM calls -- updated daily',
    ],
)
def test_read_queries_are_accepted(query, make_folder):
    assert read_query_problem(query) is None
    folder = make_folder({"tickets.csv": TICKETS})
    _duckdb_calls(folder / "acd.duckdb")
    text = yaml.safe_dump({"sources": {"calls": {"duckdb": "acd.duckdb", "query": query}}})
    (folder / "csmetrics.yaml").write_text(text, encoding="utf-8")
    assert cm.load(folder, now=NOW)["calls"]["call_id"].tolist() == ["C1"]


@pytest.mark.parametrize(
    "query",
    [
        "COPY (SELECT 42 AS x) TO '{out}'",
        "SELECT * FROM read_csv('{secret}')",
        "SELECT * FROM '{secret}'",
        "ATTACH '{out}' AS other",
        "INSTALL httpfs",
    ],
)
def test_duckdb_cannot_touch_other_files_even_past_the_settings(query, tmp_path):
    """The query check is the first gate; DuckDB itself is opened read-only with no
    access to any file but the database (a Source built in code skips the check)."""
    _duckdb_calls(tmp_path / "acd.duckdb")
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n", encoding="utf-8")
    out = tmp_path / "written.csv"
    src = Source(duckdb="acd.duckdb", query=query.format(out=out, secret=secret))
    with pytest.raises(DataError) as info:
        read_sql_source(src, tmp_path)
    assert "hunter2" not in str(info.value)
    assert not out.exists()
    with duckdb.connect(str(tmp_path / "acd.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from calls").fetchone() == (1,)


def test_sqlite_is_opened_read_only(tmp_path):
    _sqlite_calls(tmp_path / "acd.db")
    src = Source(url="sqlite:///acd.db", query="DELETE FROM calls")
    with pytest.raises(DataError, match="SQL source failed"):
        read_sql_source(src, tmp_path)
    with sqlite3.connect(tmp_path / "acd.db") as con:
        assert con.execute("select count(*) from calls").fetchone() == (1,)


@pytest.mark.parametrize("url", ["sqlite:///missing.db", "sqlite:///{folder}/missing.db"])
def test_sqlite_url_to_a_missing_file_is_an_error_and_creates_nothing(url, make_folder, capsys):
    folder = make_folder({"tickets.csv": TICKETS})
    (folder / "csmetrics.yaml").write_text(
        f"sources:\n  calls: {{url: '{url.format(folder=folder)}', table: calls}}\n",
        encoding="utf-8",
    )
    _fails(folder, capsys, "missing.db: SQLite database file not found")
    assert not (folder / "missing.db").exists()
    assert not Path("missing.db").exists()


def test_sqlite_url_without_a_file_is_an_error(make_folder, capsys):
    folder = make_folder({"tickets.csv": TICKETS})
    (folder / "csmetrics.yaml").write_text(
        "sources:\n  calls: {url: 'sqlite://', table: calls}\n", encoding="utf-8"
    )
    _fails(folder, capsys, "sources.calls.url: the SQLite URL names no database file")


def test_relative_sqlite_url_is_read_in_the_data_folder(make_folder):
    folder = make_folder({"tickets.csv": TICKETS})
    _sqlite_calls(folder / "acd.db")
    (folder / "csmetrics.yaml").write_text(
        "sources:\n  calls: {url: 'sqlite:///acd.db', table: calls}\n", encoding="utf-8"
    )
    assert cm.load(folder, now=NOW)["calls"]["call_id"].tolist() == ["C1"]


def _outside(tmp_path: Path) -> Path:
    """A tickets file outside the data folder whose header and rows are secrets."""
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "tickets.csv").write_text("secret_header,token\nhunter2,abc\n", encoding="utf-8")
    return other / "tickets.csv"


@pytest.mark.parametrize(
    "setting",
    [
        "sources:\n  tickets: {file: ../elsewhere/tickets.csv}\n",
        "sources:\n  tickets: ../elsewhere/tickets.csv\n",
        "sources:\n  tickets: {file: link.csv}\n",
        "sources:\n  tickets: {duckdb: ../elsewhere/x.duckdb, table: t}\n",
        "sources:\n  tickets: {url: 'sqlite:///../elsewhere/x.db', table: t}\n",
    ],
)
def test_relative_paths_must_stay_in_the_data_folder(setting, tmp_path, capsys):
    secret = _outside(tmp_path)
    folder = tmp_path / "data"
    folder.mkdir()
    os.symlink(secret, folder / "link.csv")
    (folder / "csmetrics.yaml").write_text(setting, encoding="utf-8")
    err = _fails(folder, capsys, "leads outside the data folder", "write the absolute path")
    assert "hunter2" not in err and "secret_header" not in err


def test_an_absolute_path_elsewhere_is_read_but_its_content_never_shown(tmp_path, capsys):
    secret = _outside(tmp_path)
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "csmetrics.yaml").write_text(
        f"sources:\n  tickets: {{file: '{secret}'}}\n", encoding="utf-8"
    )
    err = _fails(folder, capsys, str(secret), "outside the data folder", "do not show")
    assert "hunter2" not in err and "secret_header" not in err and "token" not in err


def test_a_link_to_a_file_elsewhere_shows_no_values(tmp_path, capsys):
    secret = _outside(tmp_path)
    folder = tmp_path / "data"
    folder.mkdir()
    os.symlink(secret, folder / "tickets.csv")
    err = _fails(folder, capsys, "outside the data folder")
    assert "hunter2" not in err and "secret_header" not in err
    # loaded: warnings name rows, not values
    secret.write_text(
        "ticket_id,created_at,channel,status\nT1,2026-10-01,email,NA\nT2,2099-01-01,chat,open\n",
        encoding="utf-8",
    )
    wb = cm.load(folder, now=NOW)
    rows = [r for p in wb.quality.problems if p.table == "tickets" for r in p.rows]
    assert rows and all(":" not in r for r in rows)
    assert wb.quality.tables["tickets"].values_shown is False


def test_a_file_in_the_data_folder_still_shows_its_values(make_folder, capsys):
    folder = make_folder({"tickets.csv": "ticket_id,created_at,channel\nT1,soon,email\n"})
    _fails(folder, capsys, "row 1: 'soon'")


# ---------------------------------------------------------------------------------------
# C. YAML resource exhaustion and the checklist
# ---------------------------------------------------------------------------------------

LAUGHS = "\n".join(
    ["checklist:", "  questions:", '    - a: &a ["lol","lol","lol","lol","lol","lol","lol"]']
    + [
        f"      {c}: &{c} [{', '.join(['*' + p] * 9)}]"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    ]
)


def test_billion_laughs_is_refused_at_once(make_folder, capsys):
    assert len(LAUGHS) < 1200
    folder = make_folder({"tickets.csv": TICKETS, "csmetrics.yaml": LAUGHS})
    start = time.perf_counter()
    _fails(folder, capsys, "csmetrics.yaml", "line 3", "aliases and anchors", "not allowed")
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    "text",
    ["base: &b {timezone: UTC}\n", "calendar: {country: PT}\n<<: *x\n", "timezone: *zone\n"],
)
def test_any_anchor_or_alias_is_refused(text, tmp_path):
    (tmp_path / "csmetrics.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="aliases and anchors"):
        load_config(tmp_path / "csmetrics.yaml")


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    path = tmp_path / "csmetrics.yaml"
    path.write_text("# padding\n" * (MAX_CONFIG_BYTES // 10 + 1) + "timezone: UTC\n")
    with pytest.raises(ConfigError, match=r"larger than 1 MB; a settings file is a few kilobytes"):
        load_config(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("checklist: " + "[" * 5000 + "]" * 5000 + "\n", "nested more than 20 deep"),
        ("as_of: 2026-13-45\n", "not valid YAML: a value cannot be read"),
        ("timezone: " + "9" * 5000 + "\n", "not valid YAML: a value cannot be read"),
        ("timezone: UTC\ntimezone: UTC\n", "appears twice"),
    ],
)
def test_yaml_that_breaks_the_parser_is_a_config_error(text, message, tmp_path):
    (tmp_path / "csmetrics.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path / "csmetrics.yaml")


QUESTION = {
    "id": "chat_speed",
    "category": "effectiveness",
    "question": "Is chat answered within two minutes?",
    "kpis": ["frt_median_h"],
    "judge": {"rule": "target", "kpi": "frt_median_h", "target": 0.033},
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"question": [["lol"] * 9] * 9}, r"questions\[0\] \('chat_speed'\)\.question: expected a"),
        ({"question": "x" * 501}, r"\.question: at most 500 characters, got 501"),
        ({"id": ["a"]}, r"questions\[0\]\.id: expected a text"),
        ({"category": {"a": 1}}, r"\.category: expected a text"),
        ({"kpis": "frt_median_h"}, r"\.kpis: expected a list"),
        ({"kpis": None}, r"\.kpis: expected a list of KPI ids, got None"),
        (
            {"judge": {"rule": "group_extreme", "kpi": "fcr_rate", "ratio": None}},
            r"\.judge\.ratio: expected a number, got None",
        ),
        ({"kpis": [["frt_median_h"]]}, r"\.kpis\[0\]: expected a text"),
        ({"judge": {"rule": "target", "kpi": ["a"] * 9}}, r"\.judge\.kpi: expected a text"),
        ({"judge": {"rule": "target", "target": "high"}}, r"\.judge\.target: expected a number"),
        ({"judge": {"rule": "target", "when": "always"}}, r"\.judge\.when: unknown setting"),
        ({"note": "mine"}, r"questions\[0\] \('chat_speed'\)\.note: unknown setting"),
    ],
)
def test_checklist_fields_are_bounded_texts(change, message):
    with pytest.raises(ConfigError, match=message):
        config_from_dict({"checklist": {"questions": [{**QUESTION, **change}]}})


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"questions": {"id": "x"}}, r"checklist\.questions: expected a list"),
        ({"replace": "yes"}, r"checklist\.replace: expected true or false"),
        ({"questions": ["just a text"]}, r"checklist\.questions\[0\]: expected a mapping"),
    ],
)
def test_checklist_section_shape(section, message):
    with pytest.raises(ConfigError, match=message):
        config_from_dict({"checklist": section})


def test_the_package_checklist_passes_the_settings_checks():
    """Every question of csmetrics/checklist.yaml, written in csmetrics.yaml, is valid."""
    questions = yaml.safe_load(CHECKLIST_YAML.read_text(encoding="utf-8"))["questions"]
    cfg = config_from_dict({"checklist": {"replace": True, "questions": questions}})
    assert [q["id"] for q in checklist(cfg)] == [q["id"] for q in questions]


@pytest.mark.parametrize("period", ["0000", "0000-01", "9999-Q4"])
def test_a_period_outside_the_calendar_is_a_clear_error(period, make_folder, capsys):
    folder = make_folder({"tickets.csv": TICKETS})
    code = main(["kpis", "--data", str(folder), "--period", period])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"period {period!r} out of range: the years run from 1 to 9998" in err
