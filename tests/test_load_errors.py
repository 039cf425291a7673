"""Bad input: each case must stop with exit code 2 and a message naming the file,
the column and example rows."""

from __future__ import annotations

import io
import sqlite3

import pandas as pd
import pytest

from csmetrics.cli import main

TICKETS_OK = "ticket_id,created_at,channel\nT1,2026-10-01 09:00,email\nT2,2026-10-02 10:00,phone\n"


def _parquet_bytes(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf)
    return buf.getvalue()


def _sqlite_db(path) -> None:
    con = sqlite3.connect(path)
    con.execute("create table other (x int)")
    con.commit()
    con.close()


# (case id, files, expected substrings in the error message)
CASES = [
    (
        "missing_required_column",
        {"tickets.csv": "ticket_id,channel,created\nT1,email,2026-10-01\n"},
        ["tickets.csv", "missing required column(s) 'created_at'", "is it 'created'?"],
    ),
    (
        "unparseable_timestamp",
        {
            "tickets.csv": "ticket_id,created_at,channel\nT1,2026-10-01 09:00,email\n"
            "T2,2026-13-45 10:00,email\nT3,yesterday,chat\n"
        },
        [
            "tickets.csv",
            "column 'created_at'",
            "2 unparseable timestamps",
            "row 2: '2026-13-45 10:00'",
            "row 3: 'yesterday'",
        ],
    ),
    (
        "duplicate_ids",
        {
            "tickets.csv": "ticket_id,created_at,channel\nT1,2026-10-01,email\n"
            "T2,2026-10-01,email\nT1,2026-10-02,chat\n"
        },
        ["tickets.csv", "column 'ticket_id'", "duplicate ids", "row 1: 'T1'", "row 3: 'T1'"],
    ),
    (
        "unknown_enum_value",
        {
            "calls.csv": "call_id,arrived_at,outcome\nC1,2026-10-01 09:00,answered\n"
            "C2,2026-10-01 09:05,Hung up\n"
        },
        [
            "calls.csv",
            "column 'outcome'",
            "unknown value(s) 'hung_up'",
            "allowed: answered, abandoned, other",
            "row 2: 'Hung up'",
        ],
    ),
    (
        "wrong_file_extension",
        {"tickets.pdf": "%PDF-1.4 not a table"},
        ["tickets.pdf", "wrong file type '.pdf'"],
    ),
    (
        "parquet_that_is_csv",
        {"tickets.parquet": TICKETS_OK},
        ["tickets.parquet", "wrong file type or corrupt parquet file"],
    ),
    (
        "excel_that_is_text",
        {"surveys.xlsx": "survey_id,metric,sent_at\n"},
        ["surveys.xlsx", "wrong file type or corrupt excel file"],
    ),
    ("empty_file", {"tickets.csv": ""}, ["tickets.csv", "empty file"]),
    (
        "unreadable_encoding",
        {
            "tickets.csv": "ticket_id,created_at,channel\nT1,2026-10-01,email\nT2,2026-10-01,"
            "Jo\xe3o\n".encode("cp1252")
        },
        ["tickets.csv", "unreadable encoding", "byte 0xe3 at line 3", "encoding"],
    ),
    (
        "binary_content",
        {"tickets.csv": b"\x00\x01\x02\x03binary\x00\x00"},
        ["tickets.csv", "binary content"],
    ),
    (
        "not_a_number",
        {
            "calls.csv": "call_id,arrived_at,outcome,wait_s\nC1,2026-10-01 09:00,answered,12\n"
            "C2,2026-10-01 09:01,answered,twelve\n"
        },
        ["calls.csv", "column 'wait_s'", "values that are not numbers", "row 2: 'twelve'"],
    ),
    (
        "not_a_boolean",
        {
            "tickets.csv": "ticket_id,created_at,channel,is_complaint\nT1,2026-10-01,email,yes\n"
            "T2,2026-10-01,email,maybe\n"
        },
        ["tickets.csv", "column 'is_complaint'", "not true/false", "row 2: 'maybe'"],
    ),
    (
        "empty_required_value",
        {"tickets.csv": "ticket_id,created_at,channel\nT1,2026-10-01,email\nT2,,email\n"},
        ["tickets.csv", "column 'created_at'", "empty value(s) in a required column", "row 2"],
    ),
    (
        "fractional_count",
        {"tickets.csv": "ticket_id,created_at,channel,reopens\nT1,2026-10-01,email,1.5\n"},
        ["tickets.csv", "column 'reopens'", "whole numbers expected", "row 1: '1.5'"],
    ),
    (
        "count_too_large_or_infinite",  # found by the CSV fuzzer: crashed the Int64 cast
        {
            "tickets.csv": "ticket_id,created_at,channel,reopens\nT1,2026-10-01,email,1E20\n"
            "T2,2026-10-01,email,1E309\nT3,2026-10-01,email,2\n"
        },
        [
            "tickets.csv",
            "column 'reopens'",
            "whole numbers expected",
            "row 1: '1E20'",
            "row 2: '1E309'",
        ],
    ),
    (
        "bad_month",
        {"costs.csv": "period,amount\n2026-10,100\nOctober 2026,200\n"},
        ["costs.csv", "column 'period'", "not months", "row 2: 'October 2026'"],
    ),
    (
        "duplicate_composite_key",
        {"staffing.csv": "period,agent_id,staffed_hours\n2026-10,A1,150\n2026-10,A1,10\n"},
        ["staffing.csv", "duplicate rows for the key (period, agent_id)", "row 1: '2026-10 / A1'"],
    ),
    (
        "two_files_for_one_table",
        {"tickets.csv": TICKETS_OK, "tickets.jsonl": '{"ticket_id": "T1"}\n'},
        ["several files for the tickets table", "tickets.csv", "tickets.jsonl"],
    ),
    ("no_table_files", {"notes.txt": "hello"}, ["no table files found"]),
    (
        "ragged_csv",
        {
            "tickets.csv": "ticket_id,created_at,channel\nT1,2026-10-01,email\n"
            '"T2,2026-10-01,email\n'
        },
        ["tickets.csv", "malformed CSV"],
    ),
    (
        "broken_json_lines",
        {"incidents.jsonl": '{"incident_id": "I1", "started_at": "2026-10-01"}\n{broken\n'},
        ["incidents.jsonl", "wrong file type or corrupt jsonl file"],
    ),
    (
        "invalid_yaml",
        {"tickets.csv": TICKETS_OK, "csmetrics.yaml": "timezone: [Europe/Lisbon\n"},
        ["csmetrics.yaml", "not valid YAML", "line 2"],
    ),
    (
        "unknown_setting",
        {"tickets.csv": TICKETS_OK, "csmetrics.yaml": "timzone: Europe/Lisbon\n"},
        ["csmetrics.yaml", "timzone", "unknown setting; did you mean 'timezone'?"],
    ),
    (
        "unknown_time_zone",
        {"tickets.csv": TICKETS_OK, "csmetrics.yaml": "timezone: Europe/Lisboa\n"},
        ["csmetrics.yaml", "unknown time zone 'Europe/Lisboa'"],
    ),
    (
        "rename_of_absent_column",
        {
            "tickets.csv": TICKETS_OK,
            "csmetrics.yaml": "columns:\n  tickets:\n    rename: {Opened: created_at}\n",
        },
        ["tickets.csv", "rename names source column(s) not in the file: 'Opened'"],
    ),
    (
        "mapping_to_unknown_column",
        {
            "tickets.csv": TICKETS_OK,
            "csmetrics.yaml": "columns:\n  tickets:\n    rename: {channel: chanel}\n",
        },
        [
            "csmetrics.yaml",
            "'chanel' is not a column of the tickets table",
            "did you mean 'channel'",
        ],
    ),
    (
        "bad_business_hours",
        {
            "tickets.csv": TICKETS_OK,
            "csmetrics.yaml": "calendar:\n  business_hours: {mon: '18:00-09:00'}\n",
        },
        ["calendar.business_hours.mon", "end after the start", "18:00-09:00"],
    ),
]


@pytest.mark.parametrize(("case", "files", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_exits_2_with_message(case, files, expected, make_folder, capsys):
    folder = make_folder(files)
    code = main(["validate", "--data", str(folder)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("error: ")
    for text in expected:
        assert text in err, f"{case}: {text!r} not in {err!r}"


def test_sql_source_failure_names_the_source(make_folder, capsys):
    folder = make_folder({"tickets.csv": TICKETS_OK})
    _sqlite_db(folder / "acd.db")
    (folder / "csmetrics.yaml").write_text(
        f"sources:\n  calls: {{url: 'sqlite:///{folder / 'acd.db'}', table: calls}}\n"
    )
    assert main(["validate", "--data", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "acd.db" in err and "table calls" in err and "SQL source failed" in err
    assert "no such table" in err


def test_missing_folder(tmp_path, capsys):
    assert main(["validate", "--data", str(tmp_path / "nope")]) == 2
    assert "data folder not found" in capsys.readouterr().err


def test_several_problems_reported_together(make_folder, capsys):
    folder = make_folder(
        {
            "tickets.csv": "ticket_id,created_at,channel\nT1,2026-10-01,email\nT1,bad,email\n",
            "calls.csv": "call_id,arrived_at,outcome\nC1,2026-10-01,maybe\n",
        }
    )
    assert main(["validate", "--data", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "tickets.csv" in err and "calls.csv" in err
    assert "unparseable timestamps" in err and "unknown value(s) 'maybe'" in err


def test_parquet_with_wrong_types(make_folder, capsys):
    df = pd.DataFrame(
        {
            "ticket_id": [1, 2],
            "created_at": ["2026-10-01", "not a date"],
            "channel": ["email", "chat"],
        }
    )
    folder = make_folder({"tickets.parquet": _parquet_bytes(df)})
    assert main(["validate", "--data", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "tickets.parquet" in err and "row 2: 'not a date'" in err
