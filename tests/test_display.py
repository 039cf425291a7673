"""Tables formatted by unit through one formatter; monthly series measured like the value.

Expected texts are written out by hand from the numbers in each test (English locale
unless said otherwise).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pandas as pd
import pytest

import csmetrics as cm
from csmetrics.analysis import monthly_series, series_months
from csmetrics.display import (
    counts_observations,
    format_value,
    formatted,
    labelled,
    shown_n,
    table,
)
from csmetrics.i18n import language
from csmetrics.kpis import REGISTRY
from csmetrics.summary import headline

# ---------------------------------------------------------------------------------------
# The formatter
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.197, "share", "19.7%"),
        (0.68, "share", "68.0%"),
        (5117.0, "tickets", "5,117"),
        (5117.0, "count", "5,117"),
        (404.69788, "tickets", "405"),  # tickets per 1,000 customers: whole tickets
        (12644.0, "customers", "12,644"),
        (0.387778, "h", "0.39 h"),
        (157.689, "h", "158 h"),
        (377.657, "s", "378 s"),
        (12.852, "s", "12.85 s"),
        (54600.59, "currency", "€54,600.59"),
        (8.0139, "agents", "8.0"),
        (4.161836, "score", "4.16"),
        (42.857143, "points", "42.86"),
        (3.038987, "tickets/h", "3.04"),
        (float("nan"), "share", "–"),
        (None, "h", "–"),
    ],
)
def test_format_value_writes_each_unit(value, unit, text):
    assert format_value(value, unit, "EUR") == text


def test_format_value_of_changes_is_signed():
    assert format_value(0.003, "share", change=True) == "+0.3 pp"
    assert format_value(-0.026335, "share", change=True) == "-2.6 pp"
    assert format_value(101.9, "currency", "EUR", change=True) == "+€101.90"
    assert format_value(-0.3, "currency", "EUR", change=True) == "-€0.30"
    assert format_value(27.0, "tickets", change=True) == "+27"
    assert format_value(-1.5, "h", change=True) == "-1.50 h"


def test_format_value_follows_the_language():
    with language("pl"):
        # Polish: comma decimals, a (non-breaking) space between thousands
        assert format_value(0.197, "share") == "19,7%"
        assert format_value(5117.0, "tickets").replace("\xa0", " ") == "5 117"
        assert format_value(0.387778, "h") == "0,39 h"
    with language("it"):
        assert format_value(54600.59, "currency", "EUR").replace("\xa0", " ") == "54.600,59 €"


def test_n_is_shown_only_where_it_counts_observations():
    # ratios over counts (contacts, resolutions, customers) count observations
    for kpi in ("cost_per_contact", "cost_per_resolution", "arpu", "tickets_per_1000_customers"):
        assert counts_observations(kpi), kpi
    # ratios over money or hours do not
    for kpi in ("cost_to_revenue", "occupancy", "tickets_resolved_per_staffed_hour"):
        assert not counts_observations(kpi), kpi
    assert shown_n("cost_per_contact", 6369.0) == "6,369"
    assert shown_n("cost_to_revenue", 392078.34) == ""
    assert shown_n("fcr_rate", float("nan")) == ""


# ---------------------------------------------------------------------------------------
# Tables as the section notebooks build them (hand-built frames)
# ---------------------------------------------------------------------------------------


def _cells(html: str) -> list[list[str]]:
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        for row in re.findall(r"<tr.*?</tr>", html, re.S)
    ]


def test_channel_share_table_shows_percentages_and_whole_counts():
    # channels notebook: KPI records of channel_share, value renamed to share
    mix = pd.DataFrame(
        {
            "channel": ["chat", "email"],
            "share": [0.197186, 0.313074],
            "n": [5117.0, 5117.0],
            "ci_low": [0.186507, 0.300519],
            "ci_high": [0.208308, 0.325924],
        }
    )
    html = table(labelled(mix, units={"ci_low": "share", "ci_high": "share"})).data
    assert _cells(html) == [
        ["channel", "share", "n", "95% interval, low", "95% interval, high"],
        ["chat", "19.7%", "5,117", "18.7%", "20.8%"],
        ["email", "31.3%", "5,117", "30.1%", "32.6%"],
    ]


def test_wide_kpi_table_takes_each_column_unit_from_the_registry():
    # channels notebook: KPIs by channel, one column per KPI id
    wide = pd.DataFrame(
        {
            "channel": ["chat", "phone"],
            "cost_per_contact": [7.913, 6.7712],
            "fcr_rate": [0.677, 0.68],
            "frt_median_h": [0.0238, 9.2361],
            "aht_s": [377.66, float("nan")],
            "tickets_created": [1009.0, 1252.0],
        }
    )
    html = table(labelled(wide)).data
    assert _cells(html) == [
        ["channel", "Cost per contact", "First-contact resolution",
         "First response time, median", "Average handle time", "Tickets created"],
        ["chat", "€7.91", "67.7%", "0.02 h", "378 s", "1,009"],
        ["phone", "€6.77", "68.0%", "9.24 h", "–", "1,252"],
    ]  # fmt: skip


def test_kpi_records_take_the_unit_of_their_row_and_hide_meaningless_n():
    # explorer table view and notebook tables of compute() records
    rec = pd.DataFrame(
        {
            "kpi": ["cost_to_revenue", "cost_per_contact", "frt_median_h"],
            "value": [0.139259, 8.572867, 0.387778],
            "unit": ["share", "currency", "h"],
            "n": [392078.34, 6369.0, 4956.0],
            "ci_low": [float("nan"), float("nan"), 0.36],
            "ci_high": [float("nan"), float("nan"), 0.4125],
        }
    )
    out = formatted(rec, currency="EUR")
    assert out["value"].tolist() == ["13.9%", "€8.57", "0.39 h"]
    assert out["n"].tolist() == ["", "6,369", "4,956"]
    assert out["ci_low"].tolist() == ["–", "–", "0.36 h"]
    assert out["ci_high"].tolist() == ["–", "–", "0.41 h"]
    # without a unit column, the unit comes from the row's KPI
    out = formatted(rec.drop(columns="unit"), currency="EUR")
    assert out["value"].tolist() == ["13.9%", "€8.57", "0.39 h"]


def test_analysis_tables_are_formatted_by_their_columns():
    paths = pd.DataFrame(
        {"from": ["email", "web_form"], "to": ["phone", "chat"], "tickets": [39, 3],
         "share of switches": [39 / 73, 3 / 73]}
    )  # fmt: skip
    assert _cells(table(labelled(paths)).data)[1:] == [
        ["email", "phone", "39", "53.4%"],
        ["web_form", "chat", "3", "4.1%"],
    ]
    peaks = pd.DataFrame(
        {"period type": ["peak", "regular"], "service_level": [0.605, 0.8172],
         "tickets_per_day": [220.0, 154.62]}
    )  # fmt: skip
    assert _cells(table(labelled(peaks)).data)[1:] == [
        ["peak", "60.5%", "220.0"],
        ["regular", "81.7%", "154.6"],
    ]


def test_text_from_the_data_is_never_formatted_or_markup():
    df = pd.DataFrame({"channel": ["<b>0.197</b>"], "fcr_rate": [0.5]})
    html = table(labelled(df)).data
    assert "&lt;b&gt;0.197&lt;/b&gt;" in html and "<b>" not in html
    assert "50.0%" in html


# ---------------------------------------------------------------------------------------
# Monthly series: each month as of its own end, like the value and its change
# ---------------------------------------------------------------------------------------

CFG = {"timezone": "Europe/Lisbon", "as_of": "2026-10-31T23:59"}


def two_month_tickets() -> pd.DataFrame:
    """Tickets of September and October 2026 (Lisbon time; as-of 2026-10-31 23:59).

    September: s1, s2 resolved in September, s3 resolved on 3 October, s4 never.
    October: o1, o2 resolved in October; o3, o4, o5 still open.
    """
    return pd.DataFrame(
        {
            "ticket_id": ["s1", "s2", "s3", "s4", "o1", "o2", "o3", "o4", "o5"],
            "created_at": ["2026-09-02 10:00", "2026-09-03 10:00", "2026-09-20 10:00",
                           "2026-09-25 10:00", "2026-10-02 10:00", "2026-10-05 10:00",
                           "2026-10-10 10:00", "2026-10-20 10:00", "2026-10-29 10:00"],
            "resolved_at": ["2026-09-02 12:00", "2026-09-04 10:00", "2026-10-03 10:00", None,
                            "2026-10-03 10:00", "2026-10-06 10:00", None, None, None],
            "channel": ["email", "chat", "email", "chat", "email", "email", "chat", "chat",
                        "email"],
        }
    )  # fmt: skip


@pytest.fixture(scope="module")
def two_months():
    """:func:`two_month_tickets`, prepared."""
    return cm.prepare(cm.from_frames({"tickets": two_month_tickets()}, CFG))


def test_series_months_end_with_the_period():
    p = cm.prepare(cm.from_frames({"tickets": pd.DataFrame(
        {"ticket_id": ["a"], "created_at": ["2026-10-02 10:00"], "channel": ["email"]}
    )}, CFG))  # fmt: skip
    assert series_months(p, "2026-10", 3) == ["2026-08", "2026-09", "2026-10"]
    assert series_months(p, "2026-Q3", None) == ["2026-07", "2026-08", "2026-09"]
    assert series_months(p, "2026", 2) == ["2026-11", "2026-12"]
    assert series_months(p, "all", 2) == ["2026-09", "2026-10"]  # up to the as-of month


def test_each_month_is_measured_as_of_its_own_end(two_months):
    kpis = ["unresolved_rate", "backlog_open", "tickets_created"]
    s = monthly_series(two_months, kpis, "2026-10", months=2)
    got = {k: part.set_index("month")["value"].to_dict() for k, part in s.groupby("kpi")}
    # September at its own end: s3 and s4 open -> 2/4; October: o3, o4, o5 open -> 3/5
    # (September judged at the end of October would give 1/4: s3 resolved by then)
    assert got["unresolved_rate"] == {"2026-09": 0.5, "2026-10": 0.6}
    # open at the end of September: s3, s4; at the end of October: s4, o3, o4, o5
    assert got["backlog_open"] == {"2026-09": 2.0, "2026-10": 4.0}
    assert got["tickets_created"] == {"2026-09": 4.0, "2026-10": 5.0}


def test_last_point_is_the_shown_value_and_the_change_their_difference(two_months):
    kpis = ["unresolved_rate", "backlog_open", "tickets_created"]
    series = monthly_series(two_months, kpis, "2026-10", months=12)
    head = headline(two_months, "2026-10", kpis).set_index("kpi")
    for kpi in kpis:
        points = series[series["kpi"] == kpi].sort_values("month")["value"].tolist()
        assert len(points) == 2  # the ten months before the data have no observations
        assert points[-1] == head.loc[kpi, "value"], kpi
        assert points[-1] - points[-2] == head.loc[kpi, "change"], kpi
    assert head.loc["unresolved_rate", "change"] == pytest.approx(0.1)  # 0.6 - 0.5
    assert head.loc["backlog_open", "change"] == 2.0  # 4 - 2


def test_months_without_observations_are_left_out_not_zero(two_months):
    s = monthly_series(two_months, ["tickets_created", "backlog_open"], "2026-10", months=4)
    # July and August come before the first ticket: no point, rather than a count of 0
    assert s[["kpi", "month", "value"]].values.tolist() == [
        ["backlog_open", "2026-09", 2.0],
        ["backlog_open", "2026-10", 4.0],
        ["tickets_created", "2026-09", 4.0],
        ["tickets_created", "2026-10", 5.0],
    ]
    # numbers stay numbers, though the engine types a month without rows of a share by
    # group (no group, no record) as text
    s = monthly_series(two_months, ["channel_share"], "2026-10", months=4)
    assert s[["month", "channel", "value"]].values.tolist() == [
        ["2026-09", "chat", 0.5],  # s2, s4 of 4
        ["2026-09", "email", 0.5],  # s1, s3
        ["2026-10", "chat", 0.4],  # o3, o4 of 5
        ["2026-10", "email", 0.6],  # o1, o2, o5
    ]
    assert s["value"].dtype == float and s["n"].dtype == float and s["ci_low"].dtype == float
    assert s["available"].dtype == bool and s["low_sample"].dtype == bool


def test_series_by_group_and_order(two_months):
    s = monthly_series(two_months, ["tickets_created"], "2026-10", months=2, by=["channel"])
    assert s[["month", "channel", "value"]].values.tolist() == [
        ["2026-09", "chat", 2.0],
        ["2026-09", "email", 2.0],
        ["2026-10", "chat", 2.0],
        ["2026-10", "email", 3.0],
    ]


# ---------------------------------------------------------------------------------------
# The report: no section table prints a raw ratio or a fractional count
# ---------------------------------------------------------------------------------------

#: A bare fraction (a ratio shown without % or unit), e.g. 0.197, 0.68.
RAW_RATIO = re.compile(r"^0[.,]\d+$")
#: A number with three decimals or more (no unit is shown so), e.g. 5,117.000 or 0.197.
THREE_DECIMALS = re.compile(r"^[+-]?\d{1,3}(,\d{3})*\.\d{3,}$")
#: A whole count, optionally marked low sample.
WHOLE = re.compile(r"^\d{1,3}(,\d{3})*( \(low\))?$")
#: Columns holding text from the data (left as written).
DATA_COLUMNS = {"examples", "comment", "term", "message", "answer", "evidence", "question"}
#: Units of the package's own share columns (other headers are KPI labels or counts).
SHARE_HEADERS = {"share", "share of switches", "95% interval, low", "95% interval, high"}
COUNT_HEADERS = {"n", "tickets", "rows", "count", "comments", "values left out",
                 "rows in period", "rows in all"}  # fmt: skip
COUNT_UNITS = {"tickets", "calls", "customers"}


class _Tables(HTMLParser):
    """Every <table> of a page as a header row and body rows of cell texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


LABEL_UNITS = {k.label_en: k.unit for k in REGISTRY.values()}
#: KPIs whose n is a sum of money or hours, not a number of observations (hand-picked).
NO_COUNT_N = {"Cost to revenue", "Occupancy", "Tickets resolved per staffed hour"}


def _check_unit(cell: str, unit: str | None, where: tuple) -> None:
    """A cell written in its unit: %, h, s, the currency, whole counts."""
    if unit is None or cell in ("", "–", "not available"):
        return
    cell = cell.removesuffix(" (benchmark)")
    if unit == "share":
        assert re.fullmatch(r"-?[\d,]+\.\d%", cell), where
    elif unit in ("h", "s"):
        assert re.fullmatch(rf"-?[\d,]+(\.\d\d)? {unit}", cell), where
    elif unit == "currency":
        assert re.fullmatch(r"-?€[\d,]+\.\d\d", cell), where
    elif unit in COUNT_UNITS or unit == "count":
        assert WHOLE.match(cell), where


@pytest.mark.slow
def test_report_tables_print_no_raw_ratio_or_fractional_count(sample_report):
    assert sample_report.code == 0, sample_report.stderr
    checked = 0
    for page in sorted(sample_report.out.glob("*.html")):
        parser = _Tables()
        parser.feed(page.read_text(encoding="utf-8"))
        for rows in parser.tables:
            header = rows[0] if rows else []
            for row in rows[1:]:
                cells = dict(zip(header, row, strict=False))
                # tables of KPIs (one per row): the value and target in the row's unit
                row_unit = LABEL_UNITS.get(cells.get("KPI", ""))
                for col, cell in cells.items():
                    where = (page.name, col, cell)
                    checked += 1
                    if col in DATA_COLUMNS:
                        continue
                    if col in ("value", "target"):
                        unit = row_unit
                    elif col in SHARE_HEADERS:
                        unit = "share"
                    elif col in COUNT_HEADERS:
                        unit = "count"
                    else:  # a column per KPI (tables by channel or team), or other text
                        unit = LABEL_UNITS.get(col)
                    # a fraction below 1 is fine only as a number of its own unit (0.35
                    # tickets per staffed hour), never for a share or an unknown column
                    if unit in (None, "share"):
                        assert not RAW_RATIO.match(cell), where
                    assert not THREE_DECIMALS.match(cell), where
                    _check_unit(cell, unit, where)
                    if col == "n" and cells.get("KPI") in NO_COUNT_N:
                        assert cell == "", where  # e.g. cost to revenue: n = revenue
    assert checked > 500  # the report's tables were read


def test_bars_of_equal_value_are_ordered_by_name():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from csmetrics import plots

    records = pd.DataFrame(
        {
            "kpi": ["fcr_rate"] * 4,
            "channel": ["sms", "email", "chat", "phone"],
            "value": [0.5, 0.7, 0.5, 0.5],
            "ci_low": [float("nan")] * 4,
            "ci_high": [float("nan")] * 4,
            "low_sample": [False] * 4,
            "available": [True] * 4,
        }
    )
    for rows in (records, records.iloc[::-1]):  # whatever order the records come in
        ax = plots.kpi_by_group(rows, "fcr_rate", "channel")
        assert [t.get_text() for t in ax.get_yticklabels()] == ["email", "chat", "phone", "sms"]
        plt.close(ax.figure)
