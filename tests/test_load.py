"""Loading valid input: parsing, time zones, mappings, formats, warnings and exclusions."""

from __future__ import annotations

import sqlite3

import duckdb
import numpy as np
import pandas as pd
import pytest

import csmetrics as cm
from csmetrics.load import parse_booleans, parse_months, parse_numbers, parse_timestamps
from csmetrics.schema import TABLES, dtype_for

NOW = pd.Timestamp("2026-11-23 12:00", tz="UTC")


def test_naive_timestamps_are_localised_and_offsets_converted():
    s = pd.Series(["2026-10-25 01:30", "2026-10-01T10:00:00Z", "2026-03-29 01:30", None, ""])
    out = parse_timestamps(s, "Europe/Lisbon")
    assert str(out.dtype) == "datetime64[us, Europe/Lisbon]"
    # 25 Oct 2026 01:30 is ambiguous in Lisbon (clocks go back at 02:00): read as standard
    # time (WET, +00:00); 29 Mar 01:30 does not exist (clocks jump 01:00 -> 02:00).
    assert out[0].utcoffset() == pd.Timedelta(0)
    assert out[1] == pd.Timestamp("2026-10-01 11:00", tz="Europe/Lisbon")
    assert out[2] == pd.Timestamp("2026-03-29 02:00", tz="Europe/Lisbon")
    assert out[3] is pd.NaT and out[4] is pd.NaT


def test_explicit_format_and_dayfirst():
    s = pd.Series(["03/04/2026 10:00", "13/04/2026 11:30"])
    fmt = parse_timestamps(s, "UTC", fmt="%d/%m/%Y %H:%M")
    assert fmt.dt.month.tolist() == [4, 4]
    assert fmt.dt.day.tolist() == [3, 13]


def test_epoch_seconds():
    out = parse_timestamps(pd.Series([0, 86400]), "UTC", fmt="epoch_s")
    assert out.tolist() == [
        pd.Timestamp("1970-01-01", tz="UTC"),
        pd.Timestamp("1970-01-02", tz="UTC"),
    ]


def test_numbers_decimal_comma_clock_and_units():
    # one decimal mark per column: a decimal comma here (proven by "1,5")...
    s = pd.Series(["1,5", "1.234,5", "0:02:30", "02:30", "-0:00:10", None])
    secs = parse_numbers(s, is_duration=True)
    assert secs[:5].tolist() == [1.5, 1234.5, 150.0, 150.0, -10.0]
    assert np.isnan(secs[5])
    # ... a decimal point there (proven by "2.25"), where "1,234" groups thousands
    assert parse_numbers(pd.Series(["2.25", "1,234"])).tolist() == [2.25, 1234.0]
    assert parse_numbers(pd.Series(["2"]), unit="min").tolist() == [120.0]
    assert parse_numbers(pd.Series([1500]), unit="ms").tolist() == [1.5]


def test_booleans_and_months():
    b = parse_booleans(pd.Series(["Yes", "n", "1", "FALSE", "maybe", None]))
    assert b.tolist()[:4] == [True, False, True, False]
    assert b.isna().tolist()[4:] == [True, True]
    m = parse_months(pd.Series(["2026-10", "2026-09-15", "3/2026", None]), "UTC")
    assert m.tolist()[:3] == ["2026-10", "2026-09", "2026-03"]
    assert pd.isna(m[3])


def test_canonical_dtypes_after_load(make_folder):
    folder = make_folder(
        {
            "tickets.csv": "Ticket ID;Created;Channel;Reopens;Complaint;Handle\n"
            "007;01/10/2026 09:00;Web Form;1;Y;0:05:00\n",
            "csmetrics.yaml": (
                "timezone: Europe/Warsaw\n"
                "columns:\n  tickets:\n"
                "    rename: {Ticket ID: ticket_id, Created: created_at, Complaint: is_complaint,"
                " Handle: handle_time_s}\n"
                "    formats: {created_at: '%d/%m/%Y %H:%M'}\n"
                "    values: {is_complaint: {Y: true, N: false}}\n"
                "    constants: {priority: normal}\n"
            ),
        }
    )
    wb = cm.load(folder, now=NOW)
    t = wb["tickets"]
    for col in t.columns:
        assert t[col].dtype == dtype_for(TABLES["tickets"].column(col), "Europe/Warsaw"), col
    row = t.iloc[0]
    assert row.ticket_id == "007"  # leading zeros kept
    assert row.created_at == pd.Timestamp("2026-10-01 09:00", tz="Europe/Warsaw")
    assert row.channel == "web_form"
    assert row.is_complaint is True or bool(row.is_complaint)
    assert row.handle_time_s == 300.0
    assert row.priority == "normal"
    assert wb.quality.tables["tickets"].missing_optional[:2] == ["customer_id", "first_response_at"]


def test_all_formats_give_the_same_table(make_folder, tmp_path):
    df = pd.DataFrame(
        {
            "ticket_id": ["T1", "T2"],
            "created_at": ["2026-10-01 09:00", "2026-10-02 10:30"],
            "channel": ["email", "chat"],
            "reopens": [0, 2],
        }
    )
    expected = cm.load(make_folder({"tickets.csv": df.to_csv(index=False)}), now=NOW)["tickets"]
    for ext in ("parquet", "xlsx", "jsonl", "json"):
        folder = tmp_path / f"fmt_{ext}"
        folder.mkdir()
        path = folder / f"tickets.{ext}"
        if ext == "parquet":
            df.to_parquet(path)
        elif ext == "xlsx":
            df.to_excel(path, index=False)
        elif ext == "jsonl":
            df.to_json(path, orient="records", lines=True)
        else:
            df.to_json(path, orient="records")
        got = cm.load(folder, now=NOW)["tickets"]
        pd.testing.assert_frame_equal(got, expected, check_dtype=True, obj=ext)


def test_sql_sources_sqlite_and_duckdb(make_folder):
    folder = make_folder({})
    con = sqlite3.connect(folder / "acd.db")
    con.execute("create table acd (id text, ts text, result text, wait real)")
    con.executemany(
        "insert into acd values (?,?,?,?)",
        [
            ("C1", "2026-10-01 09:00:00", "answered", 12.0),
            ("C2", "2026-10-01 09:05:00", "abandoned", 40.0),
        ],
    )
    con.commit()
    con.close()
    db = duckdb.connect(str(folder / "cx.duckdb"))
    db.execute(
        "create table t as select 'T1' as ticket_id, "
        "timestamp '2026-10-01 08:00' as created_at, 'email' as channel"
    )
    db.close()
    (folder / "csmetrics.yaml").write_text(
        "sources:\n"
        f"  calls: {{url: 'sqlite:///{folder / 'acd.db'}', query: "
        "'select id as call_id, ts as arrived_at, result as outcome, wait as wait_s from acd'}\n"
        "  tickets: {duckdb: cx.duckdb, table: t}\n"
    )
    wb = cm.load(folder, now=NOW)
    assert wb["calls"]["outcome"].tolist() == ["answered", "abandoned"]
    assert wb["calls"]["wait_s"].tolist() == [12.0, 40.0]
    assert wb["tickets"]["ticket_id"].tolist() == ["T1"]
    assert "acd.db" in wb.quality.tables["calls"].source


def test_wait_derived_from_answered_at(make_folder):
    wb = cm.load(
        make_folder(
            {
                "calls.csv": "call_id,arrived_at,outcome,answered_at\n"
                "C1,2026-10-01 09:00:00,answered,2026-10-01 09:00:25\n"
            }
        ),
        now=NOW,
    )
    assert wb["calls"]["wait_s"].tolist() == [25.0]
    assert "wait_s derived" in wb.quality.tables["calls"].notes[0]


def test_extra_columns_are_kept_and_reported(make_folder):
    wb = cm.load(
        make_folder(
            {"tickets.csv": "ticket_id,created_at,channel,region\nT1,2026-10-01,email,north\n"}
        ),
        now=NOW,
    )
    assert wb["tickets"]["region"].tolist() == ["north"]
    assert wb.quality.tables["tickets"].extra_columns == ["region"]


WARNING_CASES = [
    # (files, table, kind, column, count, affected column)
    (
        {
            "tickets.csv": "ticket_id,created_at,channel,resolved_at\n"
            "T1,2026-10-02,email,2026-10-01\nT2,2026-10-02,email,2026-10-03\n"
        },
        "tickets",
        "resolved_before_created",
        "resolved_at",
        1,
        "resolved_at",
    ),
    (
        {
            "tickets.csv": "ticket_id,created_at,channel,first_response_at\n"
            "T1,2026-10-02 10:00,email,2026-10-02 09:00\n"
        },
        "tickets",
        "first_response_before_created",
        "first_response_at",
        1,
        "first_response_at",
    ),
    (
        {
            "calls.csv": "call_id,arrived_at,outcome,wait_s,talk_s\n"
            "C1,2026-10-01,answered,-5,60\nC2,2026-10-01,answered,5,60\n"
        },
        "calls",
        "negative_value",
        "wait_s",
        1,
        "wait_s",
    ),
    (
        {
            "calls.csv": "call_id,arrived_at,outcome,wait_s,talk_s\n"
            "C1,2026-10-01,answered,5,108000\n"
        },
        "calls",
        "absurd_duration",
        "talk_s",
        1,
        "talk_s",
    ),
    (
        {
            "surveys.csv": "survey_id,metric,sent_at,score\nS1,csat,2026-10-01,6\n"
            "S2,nps,2026-10-01,11\nS3,nps,2026-10-01,0\nS4,ces,2026-10-01,8\n"
        },
        "surveys",
        "score_out_of_scale",
        "score",
        3,
        "score",
    ),
    (
        {
            "tickets.csv": "ticket_id,created_at,channel\nT1,2026-10-01,email\n",
            "surveys.csv": "survey_id,metric,sent_at,score,ticket_id\nS1,csat,2026-10-02,5,T1\n"
            "S2,csat,2026-10-02,4,T9\n",
        },
        "surveys",
        "unknown_ticket",
        "ticket_id",
        1,
        "ticket_id",
    ),
    (
        {"tickets.csv": "ticket_id,created_at,channel\nT1,2026-10-01,email\nT2,2036-10-01,email\n"},
        "tickets",
        "future_timestamp",
        "created_at",
        1,
        "created_at",
    ),
    (
        {
            "incidents.csv": "incident_id,started_at,detected_at\n"
            "I1,2026-10-01 10:00,2026-10-01 09:00\n"
        },
        "incidents",
        "detected_before_started",
        "detected_at",
        1,
        "detected_at",
    ),
    (
        {"costs.csv": "period,amount,currency\n2026-10,100,EUR\n2026-10,50,USD\n"},
        "costs",
        "other_currency",
        "currency",
        1,
        "amount",
    ),
]


@pytest.mark.parametrize(
    ("files", "table", "kind", "column", "count", "affects"),
    WARNING_CASES,
    ids=[c[2] + "-" + c[3] for c in WARNING_CASES],
)
def test_warning_masks_only_the_affected_column(
    files, table, kind, column, count, affects, make_folder
):
    wb = cm.load(make_folder(files), now=NOW)
    found = [p for p in wb.quality.warnings if p.kind == kind and p.column == column]
    assert len(found) == 1, wb.quality.render_text()
    assert found[0].count == count
    assert found[0].rows and found[0].rows[0].startswith("row ")
    assert wb.excluded_counts(table) == {affects: count}
    usable, raw = wb.usable(table), wb[table]
    assert len(usable) == len(raw)  # no row is dropped
    assert int(usable[affects].isna().sum() - raw[affects].isna().sum()) == count
    others = [c for c in raw.columns if c != affects]
    pd.testing.assert_frame_equal(usable[others], raw[others])


def test_months_without_data(make_folder):
    wb = cm.load(
        make_folder(
            {
                "tickets.csv": "ticket_id,created_at,channel\n"
                "T1,2026-06-10,email\nT2,2026-09-01,email\n"
            }
        ),
        now=NOW,
    )
    gap = [p for p in wb.quality.warnings if p.kind == "months_without_data"]
    assert gap and gap[0].rows == ["2026-07", "2026-08"]


def test_validate_exit_zero_with_warnings_and_strict(make_folder, capsys):
    from csmetrics.cli import main

    folder = make_folder(
        {
            "tickets.csv": "ticket_id,created_at,channel,resolved_at\n"
            "T1,2026-10-02,email,2026-10-01\n"
        }
    )
    assert main(["validate", "--data", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "resolved before it was created (1 row); e.g. row 1" in out
    assert main(["validate", "--data", str(folder), "--strict"]) == 1
