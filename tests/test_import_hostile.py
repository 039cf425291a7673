"""Hostile input to the import presets (issue 13).

Each test feeds a preset a file that once gave a traceback, a wrong line number, a row
that vanished unreported, a cut-off record kept as data, or a rejected-rows CSV that a
spreadsheet could run as formulas. Expected values were computed by hand from the lines
written here; the comments say how.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import csmetrics
from csmetrics.errors import DataError
from csmetrics.importers import run_import

from .conftest import DATASETS, needs_shared, run_cli

NYC = DATASETS / "nyc-311-service-requests" / "311_Service_Requests_sample.csv"

KAGGLE_HEADER = (
    "Ticket ID,Customer Name,Customer Email,Customer Age,Customer Gender,Product Purchased,"
    "Date of Purchase,Ticket Type,Ticket Subject,Ticket Description,Ticket Status,"
    "Resolution,Ticket Priority,Ticket Channel,First Response Time,Time to Resolution,"
    "Customer Satisfaction Rating"
)
#: The columns the kaggle preset maps, in file order (not name, e-mail, age, gender...).
KAGGLE_SHOWN = [
    "Ticket ID", "Ticket Type", "Ticket Subject", "Ticket Status", "Ticket Priority",
    "Ticket Channel", "First Response Time", "Time to Resolution",
    "Customer Satisfaction Rating",
]  # fmt: skip
SF_HEADER = (
    "Month,Inbound Calls,Average Speed of Answer in Secs,Abandoned Calls,"
    "Call Abandonment Rate,In-person visits"
)
NHS_HEADER = "Comment ID,Trust,Respondent ID,Date,FFT categorical answer,FFT answer"
NYC_HEADER = (
    "Unique Key,Created Date,Closed Date,Agency,Complaint Type,Status,Open Data Channel Type"
)
BANK_HEADER = (
    "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\t"
    "q_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver"
)


def kaggle_row(i: int, subject: str = "Setup", status: str = "Closed", **kw: str) -> str:
    """One Kaggle ticket line: closed at 12:00, first response 10:00 on 1 June 2023."""
    v = {
        "name": "Ann Lee",
        "email": "ann@example.com",
        "type": "Technical issue",
        "priority": "High",
        "channel": "Email",
        "first": "2023-06-01 10:00:00",
        "res": "2023-06-01 12:00:00",
        "rating": "4",
    } | kw
    return (
        f"{i},{v['name']},{v['email']},30,Female,GoPro,2021-01-01,{v['type']},{subject},"
        f"desc,{status},done,{v['priority']},{v['channel']},{v['first']},{v['res']},"
        f"{v['rating']}"
    )


def zendesk_row(i: int, kind: str = "Incident", created: str = "2026-04-01 09:00") -> str:
    return f"{i},Login,solved,Mail,{kind},{created},2026-04-01 12:00"


def freshdesk_row(i: int, kind: str = "Incident", created: str = "2026-04-01 09:00:00") -> str:
    return f"{i},Login,Closed,Medium,Email,{kind},{created},2026-04-01 12:00:00"


def nyc_row(i: int) -> str:
    return f"{i},05/01/2022 12:00:03 AM,05/01/2022 01:00:03 AM,NYPD,Noise,Closed,ONLINE"


def nhs_row(i: int, answer: str = "Good") -> str:
    return f"A {i} - Q1,NHFT,A {i},01/02/2022,1,{answer}"


def bank_row(i: int) -> str:
    return (
        f"AA0101\t{i}\t0\t0\tPS\t990101\t0:00:31\t0:00:36\t5\t0:00:36\t0:03:09\t153\tAGENT\t"
        "0:03:09\t0:06:06\t177\tMICHAL"
    )


#: preset → (file name, header, one good line, delimiter)
PRESETS = {
    "kaggle-tickets": ("tickets.csv", KAGGLE_HEADER, kaggle_row, ","),
    "zendesk": ("export.csv", "Id,Subject,Status,Via,Ticket type,Created at,Solved at",
                zendesk_row, ","),
    "freshdesk": ("tickets.csv", "Ticket ID,Subject,Status,Priority,Source,Type,Created time,"
                  "Resolved time", freshdesk_row, ","),
    "nyc-311": ("311.csv", NYC_HEADER, nyc_row, ","),
    "nhs-fft": ("fft.csv", NHS_HEADER, nhs_row, ","),
    "monthly-metrics": ("metrics.csv", "Month,Inbound Calls,Abandoned Calls",
                        lambda i: f"2024-0{i},100,5", ","),
    "technion-bank": ("january.txt", BANK_HEADER, bank_row, "\t"),
}  # fmt: skip
#: preset → the table its rejected rows go to
TABLE = {
    "kaggle-tickets": "tickets",
    "zendesk": "tickets",
    "freshdesk": "tickets",
    "nyc-311": "tickets",
    "nhs-fft": "surveys",
    "monthly-metrics": "monthly_metrics",
    "technion-bank": "calls",
}


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    src = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    src.write_bytes(content)
    return src


def rejected(out: Path, table: str) -> pd.DataFrame:
    """``rejected/<table>.csv`` exactly as written (text, empty cells as '')."""
    return pd.read_csv(out / "rejected" / f"{table}.csv", dtype=str, keep_default_na=False)


def steps(result, kind: str) -> list:
    return [s for s in result.steps if s.kind == kind]


# ---------------------------------------------------------------------------------------
# 1. A monthly-metrics file with a header and no data rows
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [SF_HEADER + "\n", SF_HEADER + "\r\n", SF_HEADER, "\ufeff" + SF_HEADER + "\n\n\n"],
    ids=["lf", "crlf", "no-line-break", "bom-and-blank-lines"],
)
def test_monthly_header_only_is_a_clear_error(tmp_path, content):
    # it used to fail deep in the rate check (str + float on empty columns)
    src = write(tmp_path, "metrics.csv", content)
    with pytest.raises(DataError, match="no data rows") as exc:
        run_import("monthly-metrics", [src], tmp_path / "out")
    assert exc.value.file == str(src)
    assert "the file has only its header line (Month, Inbound Calls" in str(exc.value)
    assert not (tmp_path / "out").exists()


def test_monthly_header_only_exits_2_on_the_command_line(tmp_path):
    src = write(tmp_path, "metrics.csv", SF_HEADER + "\n")
    proc = run_cli(
        "import", "--preset", "monthly-metrics", src, "--out", tmp_path / "out", timeout=120
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "no data rows" in proc.stderr


def test_monthly_with_every_line_rejected_is_a_clear_error(tmp_path):
    # line 2 has no month, line 3 only delimiters: nothing usable, and no traceback
    src = write(tmp_path, "metrics.csv", f"{SF_HEADER}\nSmarch 2024,1,2,3,4,5\n,,,,,\n")
    with pytest.raises(DataError, match="no month with a usable value") as exc:
        run_import("monthly-metrics", [src], tmp_path / "out")
    assert exc.value.file == str(src)


# ---------------------------------------------------------------------------------------
# 2. A bare carriage return inside a field (kaggle, zendesk, freshdesk)
# ---------------------------------------------------------------------------------------

#: preset → (a line whose category field is ``value``, the category column's name)
CR_PRESETS = {
    "kaggle-tickets": lambda i, value: kaggle_row(i, type=value),
    "zendesk": lambda i, value: zendesk_row(i, kind=value),
    "freshdesk": lambda i, value: freshdesk_row(i, kind=value),
}


@pytest.mark.parametrize("preset", list(CR_PRESETS))
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr-only"])
def test_quoted_carriage_return_loads_as_text(tmp_path, preset, newline):
    name, header, _, _ = PRESETS[preset]
    row = CR_PRESETS[preset]
    lines = [header, row(1, "Incident"), row(2, '"Inci\rdent"'), row(3, '"two\r\nlines"')]
    src = write(tmp_path, name, newline.join(lines) + newline)
    result = run_import(preset, [src], tmp_path / "out")
    assert result.rows["tickets"] == 3
    t = csmetrics.load(tmp_path / "out")["tickets"].set_index("ticket_id")
    # the quoted CR is text of the field, and so is the quoted CRLF
    assert t.loc["2", "category"] == "Inci\rdent"
    assert t.loc["3", "category"] == "two\r\nlines"


@pytest.mark.parametrize("preset", list(CR_PRESETS))
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_unquoted_carriage_return_is_an_error_naming_the_line(tmp_path, preset, newline):
    name, header, _, _ = PRESETS[preset]
    row = CR_PRESETS[preset]
    # header line 1, records on lines 2, 3 (the stray CR) and 4
    lines = [header, row(1, "Incident"), row(2, "Inci\rdent"), row(3, "Incident")]
    src = write(tmp_path, name, newline.join(lines) + newline)
    with pytest.raises(DataError, match=r"carriage return \(\\r\) inside an unquoted field") as e:
        run_import(preset, [src], tmp_path / "out")
    assert e.value.file == str(src)
    assert "at line 3" in e.value.message
    # the example shows line 3 as it is, cut to 80 characters (79 and '…')
    shown = row(2, "Inci\rdent")
    shown = shown if len(shown) <= 80 else shown[:79] + "…"
    assert e.value.rows == [f"line 3: {shown!r}"]


@pytest.mark.parametrize("preset", list(CR_PRESETS))
def test_cr_only_file_rejects_with_the_right_lines(tmp_path, preset):
    # an old Mac file: lines broken by CR only; line 3 holds an unreadable creation time
    name, header, _, _ = PRESETS[preset]
    rows = {
        "kaggle-tickets": [kaggle_row(1), kaggle_row(2, first="never"), kaggle_row(3)],
        "zendesk": [zendesk_row(1), zendesk_row(2, created="never"), zendesk_row(3)],
        "freshdesk": [freshdesk_row(1), freshdesk_row(2, created="never"), freshdesk_row(3)],
    }[preset]
    src = write(tmp_path, name, "\r".join([header, *rows]) + "\r")
    result = run_import(preset, [src], tmp_path / "out")
    assert result.rows["tickets"] == 2
    rej = rejected(tmp_path / "out", "tickets")
    assert rej["source_line"].tolist() == ["3"]


# ---------------------------------------------------------------------------------------
# 3. Errors in the nhs-fft and monthly-metrics presets name the file's line
# ---------------------------------------------------------------------------------------


def test_monthly_non_utf8_byte_names_the_line_not_a_chunk_offset(tmp_path):
    # line k (k >= 2) is month k - 2 after 2000-01; the notes pad the file past 8 KiB,
    # so that an offset inside a decoding chunk would differ from the file's position.
    # Line 300 is month 298 = 2024-11 (298 = 24 * 12 + 10), its note 'caf\xe9' (Latin-1).
    lines = [b"Month,Inbound Calls,Abandoned Calls,Notes"]
    for k in range(2, 320):
        month = f"{2000 + (k - 2) // 12}-{(k - 2) % 12 + 1:02d}".encode()
        note = b"caf\xe9" if k == 300 else b"x" * 40
        lines.append(month + b",100,5," + note)
    src = write(tmp_path, "metrics.csv", b"\r\n".join(lines) + b"\r\n")
    with pytest.raises(DataError) as exc:
        run_import("monthly-metrics", [src], tmp_path / "out")
    # "2024-11,100,5,caf" is 17 characters: the bad byte is column 18
    assert exc.value.file == str(src)
    assert "byte 0xe9 at line 300, column 18" in exc.value.message
    assert exc.value.rows == ["line 300: '2024-11,100,5,caf\ufffd'"]
    assert "byte 1" not in str(exc.value).split("line 300")[0].replace("byte 0xe9", "")


def test_nhs_non_utf8_byte_names_the_line(tmp_path):
    # row i is on line i + 1; line 14 is respondent A 13, whose answer has a cp1252 byte.
    # "A 13 - Q1,NHFT,A 13,01/02/2022,1,Good caf" is 41 characters: column 42.
    rows = [nhs_row(i) if i != 13 else nhs_row(13, "Good caf\x00") for i in range(1, 40)]
    text = "\n".join([NHS_HEADER, *rows]) + "\n"
    src = write(tmp_path, "fft.csv", text.encode("utf-8").replace(b"\x00", b"\xe9"))
    with pytest.raises(DataError) as exc:
        run_import("nhs-fft", [src], tmp_path / "out")
    assert exc.value.file == str(src)
    assert "byte 0xe9 at line 14, column 42" in exc.value.message
    assert exc.value.rows == ["line 14: 'A 13 - Q1,NHFT,A 13,01/02/2022,1,Good caf\ufffd'"]


def test_nhs_malformed_quote_at_the_end_names_the_line(tmp_path):
    # the record of line 4 opens a quote that never closes: the file is cut off
    text = "\n".join([NHS_HEADER, nhs_row(1), nhs_row(2), 'A 3 - Q1,NHFT,A 3,01/02/2022,1,"Go'])
    src = write(tmp_path, "fft.csv", text)
    with pytest.raises(DataError, match="ends inside a quoted field") as exc:
        run_import("nhs-fft", [src], tmp_path / "out")
    assert "line 4" in exc.value.message
    assert exc.value.rows == ["line 4: 'A 3 - Q1,NHFT,A 3,01/02/2022,1,\"Go'"]


# ---------------------------------------------------------------------------------------
# 4. Lines holding only delimiters are rejected and reported, never dropped
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("preset", list(PRESETS))
def test_delimiter_only_lines_are_reported(tmp_path, preset):
    name, header, row, d = PRESETS[preset]
    width = header.count(d) + 1
    # line 3: as many delimiters as the header; line 5: fewer; line 7: spaces too
    lines = [header, row(1), d * (width - 1), row(2), d * 2, row(3), f" {d} {d}"]
    src = write(tmp_path, name, "\n".join(lines) + "\n")
    out = tmp_path / "out"
    result = run_import(preset, [src], out)
    # every good line is imported: 3 tickets, 3 surveys, 3 calls or 3 months × 3 KPIs
    assert sum(result.rows.values()) == (9 if preset == "monthly-metrics" else 3) + (
        3 if preset == "kaggle-tickets" else 0  # one csat survey per closed ticket
    )
    rej = rejected(out, TABLE[preset])
    assert rej["source_line"].tolist() == ["3", "5", "7"]
    if preset == "technion-bank":  # tabs only: reported as blank lines, as before
        assert set(rej["reason"]) == {"january.txt: blank line"}
    else:
        assert set(rej["reason"]) == {
            "empty record: only delimiters (or spaces), no value at all"
            if TABLE[preset] != "monthly_metrics"
            else "empty line: only delimiters (or spaces), no value at all"
        }
    text = result.render_text()
    assert re.search(r"\[rejected\] \w+: .*\(3 rows\); e\.g\. line 3; line 5; line 7", text)


def test_blank_lines_are_counted_in_a_note(tmp_path):
    src = write(tmp_path, "311.csv", "\n".join([NYC_HEADER, nyc_row(1), "", "", nyc_row(2)]))
    result = run_import("nyc-311", [src], tmp_path / "out")
    assert result.rows == {"tickets": 2}
    assert any("2 blank line(s) skipped" in s.text for s in steps(result, "note"))


# ---------------------------------------------------------------------------------------
# 5. NYC 311: a record cut off at the end of the file is never kept as data
# ---------------------------------------------------------------------------------------


def _nyc_head(n: int) -> tuple[str, list[str]]:
    """The header and the first ``n`` records of the shared NYC sample (one line each)."""
    text = NYC.read_text(encoding="utf-8")
    lines = text.split("\n")
    return lines[0], lines[1 : n + 1]


@needs_shared()
def test_nyc_record_cut_after_a_delimiter_is_rejected(tmp_path):
    header, rows = _nyc_head(4)
    # line 5 cut right before its quoted Location: still 41 fields, Location empty while
    # Latitude and Longitude are set, and no line break after it
    last = rows[3]
    cut = last[: last.rindex(',"(') + 1]
    assert cut.count(",") == header.count(",")
    src = write(tmp_path, "311.csv", "\n".join([header, *rows[:3], cut]))
    out = tmp_path / "out"
    result = run_import("nyc-311", [src], out)
    assert result.rows == {"tickets": 3}
    rej = rejected(out, "tickets")
    assert rej["source_line"].tolist() == ["5"]
    assert rej["Unique Key"].tolist() == [last.split(",")[0]]
    assert "seems cut off" in rej["reason"].item()
    assert "Location '' does not match Latitude and Longitude" in rej["reason"].item()
    # the request is not among the tickets, open or otherwise
    t = csmetrics.load(out)["tickets"]
    assert last.split(",")[0] not in set(t["ticket_id"])


@needs_shared()
def test_nyc_complete_last_record_without_a_line_break_is_kept(tmp_path):
    header, rows = _nyc_head(4)
    src = write(tmp_path, "311.csv", "\n".join([header, *rows]))
    result = run_import("nyc-311", [src], tmp_path / "out")
    assert result.rows == {"tickets": 4}
    assert any(
        "does not end with a line break: its last record (line 5) was checked" in s.text
        for s in steps(result, "note")
    )


@needs_shared()
@pytest.mark.parametrize("where", ["mid-row", "inside-location"])
def test_nyc_record_cut_mid_row_is_an_error(tmp_path, where):
    header, rows = _nyc_head(4)
    last = rows[3]
    cut = last[:60] if where == "mid-row" else last[: last.rindex(",") - 5]
    src = write(tmp_path, "311.csv", "\n".join([header, *rows[:3], cut]))
    with pytest.raises(DataError) as exc:
        run_import("nyc-311", [src], tmp_path / "out")
    assert exc.value.file == str(src)
    if where == "mid-row":
        # 60 characters of the record hold its first fields only
        n = len(cut.split(","))
        assert f"its last record (line 5) has {n} of the header's 41 fields" in str(exc.value)
        assert "seems cut off" in str(exc.value)
    else:
        assert "ends inside a quoted field opened in the record of line 5" in str(exc.value)


def test_nyc_custom_layout_cut_inside_the_last_field_is_rejected(tmp_path):
    # a custom export without the location columns, cut in the middle of 'ONLINE'
    src = write(tmp_path, "311.csv", "\n".join([NYC_HEADER, nyc_row(1), nyc_row(2)[:-3]]))
    result = run_import("nyc-311", [src], tmp_path / "out")
    assert result.rows == {"tickets": 1}
    rej = rejected(tmp_path / "out", "tickets")
    assert rej["source_line"].tolist() == ["3"]
    assert (
        "'Open Data Channel Type' 'ONL' is the beginning of a longer value" in rej["reason"].item()
    )


# ---------------------------------------------------------------------------------------
# 6. rejected/*.csv: no formulas, and only the columns that explain the rejection
# ---------------------------------------------------------------------------------------


def test_kaggle_rejected_rows_are_formula_safe_and_carry_no_personal_data(tmp_path):
    lines = [
        KAGGLE_HEADER,
        # kept: the subject starts with '=' and stays as it is in the canonical table
        kaggle_row(1, subject="=1+1"),
        # rejected (Open, no timestamp): every mapped text cell is a would-be formula
        kaggle_row(
            2,
            subject='"=HYPERLINK(""http://x"",""y"")"',
            status="Open",
            name="=Evil Name",
            email="evil@example.com",
            type="+cmd",
            priority="-1",
            channel="@SUM(A1)",
            first="",
            res="",
            rating="",
        ),
        kaggle_row(3, subject='"\tTabbed"', status="Open", first="", res="", rating=""),
        kaggle_row(4, subject='"\rReturned"', status="Open", first="", res="", rating=""),
    ]
    src = write(tmp_path, "tickets.csv", "\n".join(lines) + "\n")
    out = tmp_path / "out"
    result = run_import("kaggle-tickets", [src], out)
    assert result.rows == {"tickets": 1, "surveys": 1}
    rej = rejected(out, "tickets")
    assert rej.columns.tolist() == ["source_line", "reason", *KAGGLE_SHOWN]
    assert rej["source_line"].tolist() == ["3", "4", "5"]
    first = rej.iloc[0]
    assert first["Ticket Subject"] == '\'=HYPERLINK("http://x","y")'
    assert (first["Ticket Type"], first["Ticket Priority"], first["Ticket Channel"]) == (
        "'+cmd",
        "'-1",
        "'@SUM(A1)",
    )
    assert rej["Ticket Subject"].tolist()[1:] == ["'\tTabbed", "'\rReturned"]
    written = (out / "rejected" / "tickets.csv").read_text(encoding="utf-8")
    assert "example.com" not in written and "Evil" not in written and "Female" not in written
    # canonical data are Parquet and keep the value as it is
    t = csmetrics.load(out)["tickets"]
    assert t["subject"].tolist() == ["=1+1"]


def test_zendesk_and_freshdesk_rejected_rows_leave_out_names_and_emails(tmp_path):
    zd = write(
        tmp_path,
        "export.csv",
        "Id,Requester,Requester email,Requester id,Status,Created at\n"
        "1,Ann Lee,ann@example.com,77,open,2026-04-01 09:00\n"
        "2,=Bob,bob@example.com,78,open,never\n",
    )
    run_import("zendesk", [zd], tmp_path / "zd")
    rej = rejected(tmp_path / "zd", "tickets")
    assert rej.columns.tolist() == ["source_line", "reason", "Id", "Requester id", "Status",
                                    "Created at"]  # fmt: skip
    assert rej.values.tolist() == [["3", "unparseable date in 'Created at'", "2", "78", "open",
                                    "never"]]  # fmt: skip
    fd = write(
        tmp_path,
        "tickets.csv",
        "Ticket ID,Full name,Email,Status,Created time\n"
        "1,Ann Lee,ann@example.com,Open,2026-04-01 09:00:00\n"
        "1,Bob,bob@example.com,Open,2026-04-01 10:00:00\n",
    )
    run_import("freshdesk", [fd], tmp_path / "fd")
    rej = rejected(tmp_path / "fd", "tickets")
    assert rej.columns.tolist() == ["source_line", "reason", "Ticket ID", "Status",
                                    "Created time", "first_kept_line"]  # fmt: skip
    assert rej[["source_line", "Ticket ID", "first_kept_line"]].values.tolist() == [["3", "1", "2"]]


def test_nhs_and_monthly_rejected_rows_keep_the_mapped_columns(tmp_path):
    nhs = write(
        tmp_path,
        "fft.csv",
        f"{NHS_HEADER},Person identifiable info?,Staff\n"
        f"{nhs_row(1)},0,1\n"
        "A 2 - Q1,NHFT,,01/02/2022,1,=cmd,1,0\n",
    )
    run_import("nhs-fft", [nhs], tmp_path / "nhs")
    rej = rejected(tmp_path / "nhs", "surveys")
    assert rej.columns.tolist() == [
        "source_line", "reason", *NHS_HEADER.split(","), "source_file",
    ]  # fmt: skip
    assert rej["FFT answer"].tolist() == ["'=cmd"] and rej["source_line"].tolist() == ["3"]
    monthly = write(
        tmp_path,
        "metrics.csv",
        f"{SF_HEADER}\nApr 2024,100,20,5,4.8,33\nSmarch 2024,-1,2,3,4,=1+1\n@x,1\n",
    )
    run_import("monthly-metrics", [monthly], tmp_path / "monthly")
    rej = rejected(tmp_path / "monthly", "monthly_metrics")
    # line 4 does not fit the header; line 3 has no month (In-person visits not shown)
    assert "In-person visits" not in rej.columns
    by_line = rej.set_index("source_line")
    assert by_line.loc["3", "Inbound Calls"] == "'-1"
    assert by_line.loc["4", "record"] == "'@x,1"
    assert "=1+1" not in (tmp_path / "monthly" / "rejected" / "monthly_metrics.csv").read_text(
        encoding="utf-8"
    )


# ---------------------------------------------------------------------------------------
# 7. Found by tests/test_fuzz_import.py
# ---------------------------------------------------------------------------------------


def test_zendesk_via_with_no_known_value_imports(tmp_path):
    # every Via value is unknown, so the mapped channel column was all empty, became
    # pyarrow's null type and could not take the lower-cased labels: now 'open' stays text
    src = write(tmp_path, "export.csv", "Id,Status,Via,Created at\n1,Open,Open,2026-04-01 09:00\n")
    run_import("zendesk", [src], tmp_path / "out")
    t = csmetrics.load(tmp_path / "out")["tickets"]
    assert t["channel"].tolist() == ["open"]


def test_freshdesk_duration_beyond_a_century_is_unreadable_not_a_crash(tmp_path):
    # 2.6e243 hours (and 'inf') overflowed created_at + duration; they are now repaired
    # (left empty), while 1.5 hours still gives 09:00 + 1:30 = 10:30
    src = write(
        tmp_path,
        "tickets.csv",
        "Ticket ID,Status,Created time,First response time (in hrs)\n"
        "1,Open,2026-04-01 09:00:00,2.5788317813268606e+243\n"
        "2,Open,2026-04-01 09:00:00,inf\n"
        "3,Open,2026-04-01 09:00:00,1.5\n",
    )
    result = run_import("freshdesk", [src], tmp_path / "out")
    t = csmetrics.load(tmp_path / "out")["tickets"].set_index("ticket_id")
    assert t["first_response_at"].isna().tolist() == [True, True, False]
    assert t.loc["3", "first_response_at"] == pd.Timestamp("2026-04-01 10:30", tz="UTC")
    repaired = [s for s in steps(result, "repaired") if "unreadable" in s.text]
    assert [(s.count, s.examples[:2]) for s in repaired] == [
        (2, ["line 2: '2.5788317813268606e+243'", "line 3: 'inf'"])
    ]


def test_pwc_speed_of_answer_beyond_a_century_is_unreadable_not_a_crash(tmp_path):
    # 1e12 s (31,700 years) and inf overflowed arrived_at + speed: left empty, counted
    src = tmp_path / "calls.xlsx"
    pd.DataFrame(
        {
            "Call Id": ["ID1", "ID2", "ID3"],
            "Date": ["2021-01-01"] * 3,
            "Time": ["09:00:00"] * 3,
            "Answered (Y/N)": ["Y"] * 3,
            "Speed of answer in seconds": [1e12, float("inf"), 20],
        }
    ).to_excel(src, index=False)
    result = run_import("pwc-callcenter", [src], tmp_path / "out")
    calls = csmetrics.load(tmp_path / "out")["calls"].set_index("call_id")
    assert calls["wait_s"].isna().tolist() == [True, True, False]
    assert calls.loc["ID3", "answered_at"] == pd.Timestamp("2021-01-01 09:00:20", tz="UTC")
    (step,) = [s for s in steps(result, "repaired") if "not a number of seconds" in s.text]
    assert step.count == 2 and step.examples == ["line 2: 1000000000000", "line 3: 'inf'"]


def test_bank_header_naming_a_column_twice_is_a_clear_error(tmp_path):
    """It ended in an AttributeError (a traceback) before."""
    src = write(tmp_path, "january.txt", f"{BANK_HEADER}\tcall_id\n{bank_row(1)}\t7\n")
    with pytest.raises(DataError, match=r"'call_id' more than once") as err:
        run_import("technion-bank", [src], tmp_path / "out")
    assert "january.txt" in str(err.value)
