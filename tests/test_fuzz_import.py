"""Hypothesis-generated exports for every import preset (issue 13).

Each preset gets random bytes, and CSV (or, for ``pwc-callcenter``, Excel) files built
from its own expected columns: a random subset of them in random order, with cells that
are dates in the formats of the presets, numbers, labels the presets map, empty cells,
quotes, CR/LF inside fields, delimiter-only and blank lines, a last line cut off, a
byte-order mark, non-UTF-8 bytes. The outcome must be a finished import or a
:class:`~csmetrics.errors.CsmetricsError` with a message: never any other exception.

When the import succeeds, ``rejected/*.csv`` must hold no cell a spreadsheet would run
as a formula.

The number of examples comes from the Hypothesis profile (tests/conftest.py): "ci" by
default, ``HYPOTHESIS_PROFILE=long`` for a thorough run.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from csmetrics.display import FORMULA_PREFIXES
from csmetrics.errors import CsmetricsError
from csmetrics.importers import run_import

#: preset → (file name, delimiter, the columns its exports have or the preset looks for)
PRESETS: dict[str, tuple[str, str, list[str]]] = {
    "kaggle-tickets": ("customer_support_tickets.csv", ",", [
        "Ticket ID", "Customer Name", "Customer Email", "Customer Age", "Customer Gender",
        "Product Purchased", "Date of Purchase", "Ticket Type", "Ticket Subject",
        "Ticket Description", "Ticket Status", "Resolution", "Ticket Priority",
        "Ticket Channel", "First Response Time", "Time to Resolution",
        "Customer Satisfaction Rating",
    ]),
    "zendesk": ("export.csv", ",", [
        "Id", "Requester", "Requester id", "Requester email", "Subject", "Status", "Priority",
        "Via", "Ticket type", "Created at", "Updated at", "Solved at", "Group", "Assignee",
        "Satisfaction Score", "Reopens", "Replies", "First reply time in minutes",
        "Full resolution time in minutes",
    ]),
    "freshdesk": ("tickets.csv", ",", [
        "Ticket ID", "Subject", "Status", "Priority", "Source", "Type", "Agent", "Group",
        "Created time", "Resolved time", "Closed time", "Last update time",
        "Initial response time", "Time tracked", "First response time (in hrs)",
        "Agent interactions", "Survey results", "Full name", "Contact ID", "Email",
    ]),
    "nyc-311": ("311_Service_Requests.csv", ",", [
        "Unique Key", "Created Date", "Closed Date", "Agency", "Complaint Type", "Status",
        "Resolution Action Updated Date", "Open Data Channel Type", "Latitude", "Longitude",
        "Location",
    ]),
    "nhs-fft": ("fft.csv", ",", [
        "Comment ID", "Trust", "Respondent ID", "Date", "FFT question", "FFT answer",
        "FFT categorical answer", "Service type 1", "Service type 2",
        "Person identifiable info?", "Comment sentiment", "Staff", "Access",
    ]),
    "monthly-metrics": ("metrics.csv", ",", [
        "Month", "Inbound Calls", "Average Speed of Answer in Secs", "Abandoned Calls",
        "Call Abandonment Rate", "In-person visits", "Calls Offered", "ASA (min)",
    ]),
    "technion-bank": ("january.txt", "\t", [
        "vru+line", "call_id", "customer_id", "priority", "type", "date", "vru_entry",
        "vru_exit", "vru_time", "q_start", "q_exit", "q_time", "outcome", "ser_start",
        "ser_exit", "ser_time", "server",
    ]),
    "pwc-callcenter": ("01 Call-Center-Dataset.xlsx", "", [
        "Call Id", "Agent", "Date", "Time", "Topic", "Answered (Y/N)", "Resolved",
        "Speed of answer in seconds", "AvgTalkDuration", "Satisfaction rating",
    ]),
}  # fmt: skip

DATES = st.datetimes(
    min_value=pd.Timestamp("1998-01-01").to_pydatetime(),
    max_value=pd.Timestamp("2031-12-31").to_pydatetime(),
)
DATE_FORMATS = [
    "%Y-%m-%d %H:%M:%S",  # kaggle, freshdesk
    "%Y-%m-%d %H:%M",  # zendesk
    "%m/%d/%Y %I:%M:%S %p",  # nyc-311
    "%d/%m/%Y",  # nhs-fft
    "%m/%d/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%z",
    "%b %Y",  # monthly
    "%Y-%m",
    "%y%m%d",  # technion date
    "%H:%M:%S",  # technion and pwc times
    "%Y-%m-%d",
]
LABELS = [
    "Open", "Closed", "Pending Customer Response", "solved", "closed", "new", "hold",
    "pending", "Resolved", "Waiting on Customer", "In Progress", "Assigned", "Cancel",
    "Email", "Phone", "Chat", "Social media", "Mail", "Web Form", "Voicemail", "PHONE",
    "ONLINE", "MOBILE", "Portal", "Good", "Bad", "Offered", "Not Offered", "Awesome",
    "Just Okay", "Not Good", "Extremely Happy", "Unhappy", "AGENT", "HANG", "PHANTOM",
    "NO_SERVER", "PS", "NE", "Y", "N", "YES", "no", "Did not answer", "Unknown", "NEAS 111",
    "NEAS 111 12", "A 1", "NHFT", "High", "Low", "Urgent", "critical", "x@example.com",
    "(40.1, -73.9)", "=1+1", "+cmd", "-", "@SUM(A1)", "NA", "NULL", "nan", "None",
]  # fmt: skip
NUMBERS = st.one_of(
    st.integers(-5, 40),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 5, 6, 7, 100, 1e309, -0.0, 3.5, 86400]),
).map(lambda v: str(v))
FIELD_TEXT = st.text(
    alphabet=st.sampled_from(list("ab Z09,;\t|\"'\r\n:/-.%é\u00a0\ufeff")), max_size=10
)
CELLS = st.one_of(
    st.tuples(DATES, st.sampled_from(DATE_FORMATS)).map(lambda d: d[0].strftime(d[1])),
    st.sampled_from(LABELS),
    NUMBERS,
    st.sampled_from(["", "", " ", '"', '""', "0:02:23", "1.5", "01:30", "12:00:00 AM", "1,5"]),
    FIELD_TEXT,
)
LINE_BREAKS = st.sampled_from(["\n", "\n", "\r\n", "\r"])
YEAR_1999 = st.datetimes(
    min_value=pd.Timestamp("1999-01-01").to_pydatetime(),
    max_value=pd.Timestamp("1999-12-31 23:59:59").to_pydatetime(),
)
RECENT = st.datetimes(
    min_value=pd.Timestamp("2020-01-01").to_pydatetime(),
    max_value=pd.Timestamp("2026-12-31").to_pydatetime(),
)


def _stamp(
    *formats: str, dates: st.SearchStrategy = RECENT, blank: bool = True
) -> st.SearchStrategy[str]:
    """Dates written in one of ``formats`` (often empty, when ``blank``)."""
    written = st.tuples(dates, st.sampled_from(formats)).map(lambda d: d[0].strftime(d[1]))
    return st.one_of(written, written, written, st.just("")) if blank else written


def _ints(lo: int, hi: int) -> st.SearchStrategy[str]:
    return st.integers(lo, hi).map(str)


def _of(*values: object) -> st.SearchStrategy[str]:
    return st.sampled_from([str(v) for v in values])


#: Values an exporter would write, per column (the other columns get CELLS only).
PLAUSIBLE: dict[str, st.SearchStrategy[str]] = {
    # kaggle-tickets
    "Ticket ID": _ints(1, 12),
    "Customer Email": _of("a@example.com", "b@example.com", "", "A@Example.com "),
    "Ticket Status": _of("Open", "Closed", "Pending Customer Response", "Resolved", "Pending",
                         "Waiting on Customer"),
    "Ticket Priority": _of("Low", "Medium", "High", "Critical", ""),
    "Ticket Channel": _of("Email", "Phone", "Chat", "Social media", ""),
    "First Response Time": _stamp("%Y-%m-%d %H:%M:%S"),
    "Time to Resolution": _stamp("%Y-%m-%d %H:%M:%S"),
    "Customer Satisfaction Rating": _of(1, 2, 3, 4, 5, "", "4.0", 0, 6),
    # zendesk
    "Id": _ints(100, 110),
    "Status": _of("new", "open", "pending", "hold", "solved", "closed", "Open", "Closed",
                  "Resolved", "Pending", "In Progress", "Assigned", "Cancel", ""),
    "Via": _of("Mail", "Web Form", "Phone call (inbound)", "Chat", "API", "Twitter", ""),
    "Created at": _stamp("%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M"),
    "Updated at": _stamp("%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M"),
    "Solved at": _stamp("%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"),
    "Satisfaction Score": _of("Good", "Bad", "Offered", "Not Offered", "Unoffered", ""),
    "Requester id": _ints(1, 5),
    "Reopens": _ints(0, 3),
    "Replies": _ints(0, 5),
    "First reply time in minutes": _of(5, 30, "90.5", "", "-3"),
    "Full resolution time in minutes": _of(60, 600, "", "1e9"),
    # freshdesk
    "Created time": _stamp("%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M:%S"),
    "Resolved time": _stamp("%Y-%m-%d %H:%M:%S", "%d-%m-%Y %H:%M:%S"),
    "Closed time": _stamp("%Y-%m-%d %H:%M:%S"),
    "Last update time": _stamp("%Y-%m-%d %H:%M:%S"),
    "Initial response time": _stamp("%Y-%m-%d %H:%M:%S"),
    "Time tracked": _of("00:20", "01:30", "", "0:45:10", "x"),
    "First response time (in hrs)": _of("1.5", "01:30:00", "", "0", "-1"),
    "Agent interactions": _ints(0, 4),
    "Survey results": _of("Awesome", "Just Okay", "Not Good", "Extremely Happy", "Neutral",
                          "3", "", "7"),
    "Source": _of("Email", "Portal", "Phone", "Chat", "Feedback Widget", ""),
    "Contact ID": _ints(7000, 7003),
    # nyc-311
    "Unique Key": _ints(54000000, 54000009),
    "Created Date": _stamp("%m/%d/%Y %I:%M:%S %p"),
    "Closed Date": _stamp("%m/%d/%Y %I:%M:%S %p"),
    "Resolution Action Updated Date": _stamp("%m/%d/%Y %I:%M:%S %p"),
    "Open Data Channel Type": _of("PHONE", "ONLINE", "MOBILE", "UNKNOWN", "OTHER", ""),
    "Agency": _of("NYPD", "DSNY", "DOT", ""),
    "Latitude": _of("40.83065331987539", "40.6", ""),
    "Longitude": _of("-73.92308231033165", "-73.9", ""),
    "Location": _of("(40.83065331987539, -73.92308231033165)", "(40.6, -73.9)", ""),
    # nhs-fft
    "Comment ID": st.tuples(st.integers(1, 6), st.integers(1, 2)).map(
        lambda t: f"NEAS 111 {t[0]} - Q{t[1]}"
    ),
    "Respondent ID": _of("NEAS 111 1", "NEAS 111 2", "NEAS PTS 3", "NHFT 4", "NHFT 5", ""),
    "Date": _stamp("%d/%m/%Y", "%m/%d/%Y", "%Y-%m-%d"),
    "FFT categorical answer": _of(1, 2, 3, 4, 5, 6, 7, "", 9),
    "FFT answer": _of("Good", "Did not answer", "", "=1+1", "Very \"kind\"\nstaff"),
    "Trust": _of("NEAS", "NHFT"),
    "Service type 1": _of("111", "Unknown", "Mental\u00a0health", ""),
    "Staff": _of(0, 1, ""),
    "Access": _of(0, 1, ""),
    # monthly-metrics
    "Month": _stamp("%b %Y", "%B %Y", "%Y-%m", "%m/%Y"),
    "Inbound Calls": _of(3036, 2784, 0, "", "1,234", "-5", "n/a"),
    "Average Speed of Answer in Secs": _of(95, 61, "", "1.5"),
    "Abandoned Calls": _of(298, 148, 0, "", "n/a"),
    "Call Abandonment Rate": _of("8.7", "5", "0", "", "150", "8.7%"),
    "Calls Offered": _of(3334, 2932, ""),
    "ASA (min)": _of("1.5", "0.5", ""),
    # technion-bank
    "vru+line": _of("AA0101", "AA0102", "BB0105", ""),
    "call_id": _ints(33116, 33120),
    "customer_id": _ints(0, 99999),
    "priority": _of(0, 1, 2),
    "type": _of("PS", "PE", "IN", "NE", "NW", "TT", "XX"),
    "date": _stamp("%y%m%d", dates=YEAR_1999, blank=False),
    "vru_entry": _stamp("%-H:%M:%S", dates=YEAR_1999, blank=False),
    "vru_exit": _stamp("%-H:%M:%S", dates=YEAR_1999, blank=False),
    "vru_time": _ints(0, 30),
    "q_start": _of("0:00:00", "0:00:36", "23:59:50", "13:05:00"),
    "q_exit": _of("0:00:00", "0:03:09", "0:00:10", "13:06:00"),
    "q_time": _ints(0, 200),
    "outcome": _of("AGENT", "HANG", "PHANTOM", "XFER"),
    "ser_start": _of("0:00:00", "0:03:09", "13:06:00"),
    "ser_exit": _of("0:00:00", "0:06:06", "13:09:00"),
    "ser_time": _ints(0, 400),
    "server": _of("MICHAL", "NO_SERVER", "TOVA"),
}  # fmt: skip


def cell(column: str) -> st.SearchStrategy[str]:
    """A cell of ``column``: mostly a plausible value, sometimes anything."""
    if column in PLAUSIBLE:
        plausible = PLAUSIBLE[column]
        return st.integers(0, 19).flatmap(lambda k: CELLS if k == 0 else plausible)
    return CELLS


def _quote(cell: str, delimiter: str, style: str) -> str:
    """A cell as written by an exporter: quoted when needed, always, or carelessly."""
    needs = any(ch in cell for ch in (delimiter or ",", '"', "\r", "\n"))
    if style == "all" or (style == "minimal" and needs):
        return '"' + cell.replace('"', '""') + '"'
    return cell  # "none": as it is (stray quotes, CR and delimiters included)


@st.composite
def csv_exports(draw, preset: str) -> bytes:
    """A text export for ``preset``: header subset, cells, odd lines and bytes."""
    _, delimiter, expected = PRESETS[preset]
    if draw(st.integers(0, 3)):  # most often every expected column, shuffled
        header = list(draw(st.permutations(expected)))
    else:
        header = draw(st.lists(st.sampled_from(expected), max_size=len(expected), unique=True))
    if draw(st.integers(0, 4)) == 0:  # an unknown, blank or repeated column name
        header += draw(st.lists(st.sampled_from(["", "extra", "Id", "Notes"]), max_size=2))
    style = draw(st.sampled_from(["minimal"] * 4 + ["all", "none"]))
    lines = [delimiter.join(_quote(h, delimiter, style) for h in header)]
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["row"] * 12 + ["delims", "blank", "spaces", "ragged"]))
        if kind == "row":
            cells = [draw(cell(h)) for h in header]
        elif kind == "ragged":
            cells = draw(st.lists(CELLS, max_size=len(header) + 2))
        elif kind == "delims":
            cells = [""] * draw(st.integers(1, len(header) + 1))
        else:
            cells = [" " if kind == "spaces" else ""]
        lines.append(delimiter.join(_quote(c, delimiter, style) for c in cells))
    brk = draw(LINE_BREAKS)
    text = brk.join(lines) + (brk if draw(st.booleans()) else "")
    encoding = draw(st.sampled_from(["utf-8"] * 12 + ["utf-8-sig", "utf-16", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.integers(0, 5)) == 0 and data:  # a file cut off somewhere
        data = data[: draw(st.integers(0, len(data)))]
    if draw(st.integers(0, 9)) == 0:  # a stray non-UTF-8 byte
        at = draw(st.integers(0, len(data)))
        data = data[:at] + bytes([draw(st.integers(0x80, 0xFF))]) + data[at:]
    return data


@st.composite
def excel_exports(draw) -> bytes:
    """A workbook for ``pwc-callcenter``: header subset and cells of mixed types."""
    _, _, expected = PRESETS["pwc-callcenter"]
    header = list(draw(st.permutations(expected)))
    if not draw(st.booleans()):
        header = header[: draw(st.integers(0, len(header)))]
    anything = st.one_of(
        CELLS,
        DATES,
        DATES.map(lambda d: d.time()),
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
        st.integers(-(10**6), 10**6),
        st.none(),
    )
    plausible = {
        "Call Id": st.integers(1, 8).map(lambda i: f"ID{i:04d}"),
        "Agent": _of("Diane", "Becky", ""),
        "Date": st.one_of(RECENT.map(lambda d: d.date()), _stamp("%Y-%m-%d")),
        "Time": st.one_of(RECENT.map(lambda d: d.time()), _stamp("%H:%M:%S")),
        "Topic": _of("Streaming", "Technical Support"),
        "Answered (Y/N)": _of("Y", "N", "y", "maybe"),
        "Resolved": _of("Y", "N", ""),
        "Speed of answer in seconds": st.one_of(st.integers(-5, 130), st.none()),
        "AvgTalkDuration": st.one_of(RECENT.map(lambda d: d.time()), _of("0:02:23", "x")),
        "Satisfaction rating": st.one_of(st.integers(0, 6), st.none()),
    }
    rows = draw(
        st.lists(
            st.tuples(*(st.one_of(plausible[h], plausible[h], anything) for h in header)),
            max_size=6,
        )
    )
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame = frame.map(lambda v: v.replace("\x00", "") if isinstance(v, str) else v)
    buf = io.BytesIO()
    frame.to_excel(buf, index=False)
    return buf.getvalue()


def exports(preset: str) -> st.SearchStrategy[bytes]:
    """Random bytes or a plausible export for ``preset``."""
    plausible = excel_exports() if preset == "pwc-callcenter" else csv_exports(preset)
    return st.one_of(st.binary(max_size=300), plausible, plausible, plausible)


def check_import(preset: str, content: bytes, dayfirst: bool | None) -> None:
    """Import ``content``: a finished import or a CsmetricsError, nothing else."""
    name = PRESETS[preset][0]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / name
        src.write_bytes(content)
        out = Path(tmp) / "out"
        try:
            result = run_import(preset, [src], out, dayfirst=dayfirst)
        except CsmetricsError as exc:
            assert str(exc).strip()  # a message, never empty
            event(
                f"{type(exc).__name__}: {str(exc).split(': ')[1][:30] if ': ' in str(exc) else ''}"
            )
            return
        event("imported")
        assert (out / "import_report.txt").is_file()
        for path in result.rejected_files.values():
            rejected = pd.read_csv(path, dtype=str, keep_default_na=False)
            for col in rejected.columns:
                cells = rejected[col]
                # a number such as -1 is no formula; text starting with = + - @ TAB CR is
                number = pd.to_numeric(cells, errors="coerce").notna()
                risky = cells.str.startswith(FORMULA_PREFIXES) & ~number
                assert not risky.any(), (path.name, col, cells[risky].tolist())


@pytest.mark.parametrize("preset", list(PRESETS))
@given(data=st.data())
def test_import_outcome_is_a_folder_or_a_csmetrics_error(preset, data):
    content = data.draw(exports(preset), label="content")
    dayfirst = data.draw(st.sampled_from([None, None, True, False]), label="dayfirst")
    check_import(preset, content, dayfirst)
