"""Input is never reinterpreted silently (issue 12, part 1).

Each case was built by hand: a date order, a decimal mark, a non-finite number, a typo in
the settings or a partial read that the loader used to take one way without a word.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from csmetrics.cli import main
from csmetrics.config import config_from_dict, load_config
from csmetrics.errors import ConfigError, DataError
from csmetrics.io import json_text
from csmetrics.load import from_frames, load
from csmetrics.parsers import AmbiguousFormat, MixedFormat, decide_decimal, parse_numbers

HEADER = "ticket_id;created_at;channel;status\n"


def _validate(folder, capsys) -> tuple[int, str]:
    code = main(["validate", "--data", str(folder)])
    out = capsys.readouterr()
    return code, out.err + out.out


# ---------------------------------------------------------------------------------------
# Order of day and month: one order per column
# ---------------------------------------------------------------------------------------


def test_day_first_proven_by_the_column_reads_every_row_day_first(make_folder, capsys):
    folder = make_folder(
        {"tickets.csv": HEADER + "T1;03/11/2026 09:15;email;open\nT2;25/11/2026 10:00;email;open\n"}
    )
    code, _ = _validate(folder, capsys)
    assert code == 0
    created = load(folder)["tickets"]["created_at"]
    # 3 November, not 11 March (today's row-by-row reading)
    assert created.dt.strftime("%Y-%m-%d %H:%M").tolist() == [
        "2026-11-03 09:15",
        "2026-11-25 10:00",
    ]


def test_ambiguous_column_stops_naming_file_column_examples_and_setting(make_folder, capsys):
    folder = make_folder(
        {"tickets.csv": HEADER + "T1;03/11/2026 09:15;email;open\nT2;04/10/2026;email;open\n"}
    )
    code, err = _validate(folder, capsys)
    assert code == 2
    for text in ("tickets.csv", "column 'created_at'", "03/11/2026 09:15", "dayfirst"):
        assert text in err, (text, err)


@pytest.mark.parametrize(("dayfirst", "expected"), [(True, "2026-11-03"), (False, "2026-03-11")])
def test_dayfirst_setting_decides_an_ambiguous_column(make_folder, dayfirst, expected):
    folder = make_folder(
        {
            "tickets.csv": HEADER + "T1;03/11/2026 09:15;email;open\n",
            "csmetrics.yaml": f"columns:\n  tickets:\n    dayfirst: {str(dayfirst).lower()}\n",
        }
    )
    assert load(folder)["tickets"]["created_at"].dt.strftime("%Y-%m-%d").tolist() == [expected]


def test_a_value_against_the_configured_order_is_an_error_not_a_reread(make_folder, capsys):
    folder = make_folder(
        {
            "tickets.csv": HEADER + "T1;03/11/2026;email;open\nT2;25/11/2026;email;open\n",
            "csmetrics.yaml": "columns:\n  tickets:\n    dayfirst: false\n",
        }
    )
    code, err = _validate(folder, capsys)
    assert code == 2
    assert "unparseable timestamps" in err and "25/11/2026" in err


def test_a_column_that_proves_both_orders_is_an_error(make_folder, capsys):
    folder = make_folder(
        {"tickets.csv": HEADER + "T1;25/11/2026;email;open\nT2;11/25/2026;email;open\n"}
    )
    code, err = _validate(folder, capsys)
    assert code == 2
    assert "mixes day-first dates and month-first dates" in err
    assert "25/11/2026" in err and "11/25/2026" in err


def test_iso_dates_and_equal_day_and_month_need_no_setting(make_folder):
    folder = make_folder(
        {"tickets.csv": HEADER + "T1;2026-11-03 09:15;email;open\nT2;05/05/2026;email;open\n"}
    )
    days = load(folder)["tickets"]["created_at"].dt.strftime("%Y-%m-%d").tolist()
    assert days == ["2026-11-03", "2026-05-05"]


# ---------------------------------------------------------------------------------------
# Decimal mark and thousands separator: one reading per column
# ---------------------------------------------------------------------------------------

COSTS = "period;category;amount\n"


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [
        (["2,884", "1.250,50"], [2.884, 1250.5]),  # a decimal comma, proven by 1.250,50
        (["2,884", "12.5"], [2884.0, 12.5]),  # a decimal point: 2,884 groups thousands
        (["2 884,5", "12"], [2884.5, 12.0]),  # a space groups thousands
        (["1.234.567", "0,5"], [1234567.0, 0.5]),
    ],
)
def test_decimal_mark_is_decided_for_the_column(make_folder, amounts, expected):
    rows = "".join(f"2026-10;staff;{a}\n" for a in amounts)
    folder = make_folder({"costs.csv": COSTS + rows})
    assert load(folder)["costs"]["amount"].tolist() == pytest.approx(expected)


def test_ambiguous_thousands_stops_with_the_decimal_setting(make_folder, capsys):
    folder = make_folder({"costs.csv": COSTS + "2026-10;staff;2,884\n2026-10;tools;1,250\n"})
    code, err = _validate(folder, capsys)
    assert code == 2
    for text in ("costs.csv", "column 'amount'", "2,884", "columns.costs.decimal"):
        assert text in err, (text, err)
    # the setting resolves it
    folder = make_folder(
        {
            "costs.csv": COSTS + "2026-10;staff;2,884\n",
            "csmetrics.yaml": 'columns:\n  costs:\n    decimal: ","\n',
        }
    )
    assert load(folder)["costs"]["amount"].tolist() == [2.884]


def test_mixed_decimal_marks_are_an_error():
    with pytest.raises(MixedFormat):
        decide_decimal(pd.Series(["1,5", "2.25"]), None)
    with pytest.raises(AmbiguousFormat):
        decide_decimal(pd.Series(["1.234"]), None)
    # a value that does not follow the configured mark is not a number (not re-read)
    assert np.isnan(parse_numbers(pd.Series(["1,5"]), decimal=".")[0])


# ---------------------------------------------------------------------------------------
# Non-finite numbers, settings out of range, typos
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["inf", "Infinity", "-inf"])
def test_non_finite_amount_is_an_error(make_folder, capsys, bad):
    folder = make_folder({"costs.csv": COSTS + f"2026-10;staff;{bad}\n"})
    code, err = _validate(folder, capsys)
    assert code == 2
    assert "non-finite" in err and "column 'amount'" in err


def test_non_finite_numbers_from_frames_are_errors():
    frame = pd.DataFrame({"period": ["2026-10"], "category": ["staff"], "amount": [np.inf]})
    with pytest.raises(DataError, match="non-finite"):
        from_frames({"costs": frame})


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"thresholds": {"service_level_s": float("nan")}}, "finite number"),
        ({"thresholds": {"service_level_s": -5}}, "above 0"),
        ({"thresholds": {"short_abandon_s": -1}}, "at least 0"),
        ({"targets": {"fcr_rat": 0.7}}, "did you mean 'fcr_rate'"),
        ({"targets": {"fcr_rate": 70}}, "between 0 and 1"),
        ({"targets": {"nps": 150}}, "between -100 and 100"),
        ({"sla_first_response_h": {"high": float("inf")}}, "finite number"),
        ({"currency": "<img src=x onerror=alert(1)>"}, "ISO 4217"),
        ({"columns": {"costs": {"decimal": ";"}}}, "columns.costs.decimal"),
    ],
)
def test_settings_out_of_range_or_unknown_are_errors(raw, message):
    with pytest.raises(ConfigError, match=message):
        config_from_dict(raw)


def test_duplicate_yaml_key_is_an_error(tmp_path):
    path = tmp_path / "csmetrics.yaml"
    path.write_text("targets:\n  fcr_rate: 0.7\n  fcr_rate: 0.8\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'fcr_rate' appears twice"):
        load_config(path)


def test_sla_priority_never_seen_in_the_data_is_an_error(make_folder, capsys):
    folder = make_folder(
        {
            "tickets.csv": "ticket_id,created_at,channel,priority\n"
            "T1,2026-10-01 09:00,email,high\nT2,2026-10-01 10:00,email,low\n",
            "csmetrics.yaml": "sla_first_response_h: {high: 4, hihg: 8}\n",
        }
    )
    code, err = _validate(folder, capsys)
    assert code == 2
    assert "'hihg'" in err and "did you mean 'high'" in err


def test_validate_checks_the_checklist(make_folder, capsys):
    folder = make_folder(
        {
            "tickets.csv": "ticket_id,created_at,channel\nT1,2026-10-01 09:00,email\n",
            "csmetrics.yaml": "checklist:\n  questions:\n    - {id: q1, category: effectiveness, "
            "question: 'Fast?', judge: {rule: no_such_rule, kpi: frt_median_h}}\n",
        }
    )
    code, err = _validate(folder, capsys)
    assert code == 2
    assert "q1" in err and "judge.rule" in err


# ---------------------------------------------------------------------------------------
# Partial reads
# ---------------------------------------------------------------------------------------


def test_short_csv_row_is_an_error_not_padded(make_folder, capsys):
    folder = make_folder(
        {"tickets.csv": "ticket_id,created_at,channel,status\nT1,2026-10-01,email\n"}
    )
    code, err = _validate(folder, capsys)
    assert code == 2
    assert "row 1: 3 field(s)" in err and "header's 4" in err


def test_repeated_header_is_an_error(make_folder, capsys):
    folder = make_folder(
        {"tickets.csv": "ticket_id,created_at,channel,created_at\nT1,2026-10-01,email,2026-09-01\n"}
    )
    code, err = _validate(folder, capsys)
    assert code == 2
    assert "'created_at' twice" in err


def test_excel_with_data_on_two_sheets_needs_the_sheet_setting(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    first = pd.DataFrame({"ticket_id": ["T1"], "created_at": ["2026-10-01"], "channel": ["email"]})
    second = first.assign(ticket_id=["T2"])
    with pd.ExcelWriter(folder / "tickets.xlsx") as xl:
        first.to_excel(xl, sheet_name="October", index=False)
        second.to_excel(xl, sheet_name="November", index=False)
        pd.DataFrame().to_excel(xl, sheet_name="Empty", index=False)
    code, err = _validate(folder, capsys)
    assert code == 2
    assert "'October', 'November'" in err and "columns.<table>.sheet" in err
    (folder / "csmetrics.yaml").write_text("columns:\n  tickets:\n    sheet: November\n")
    assert load(folder)["tickets"]["ticket_id"].tolist() == ["T2"]


def test_null_markers_in_text_columns_are_counted_warnings(make_folder):
    folder = make_folder(
        {
            "tickets.csv": "ticket_id,created_at,channel,team,customer_id\n"
            "T1,2026-10-01 09:00,email,NA,C1\nT2,2026-10-01 10:00,email,-,-\n"
            "T3,2026-10-01 11:00,email,Sales,None\n"
        }
    )
    wb = load(folder)
    assert wb["tickets"]["team"].isna().tolist() == [True, True, False]
    assert wb["tickets"]["customer_id"].isna().tolist() == [False, True, True]
    found = {(p.column, p.count, p.severity) for p in wb.quality.problems}
    assert ("team", 2, "warning") in found
    assert ("customer_id", 2, "warning") in found


def test_na_values_setting_keeps_a_marker_as_text(make_folder):
    folder = make_folder(
        {
            "tickets.csv": "ticket_id,created_at,channel,team\nT1,2026-10-01 09:00,email,NA\n",
            "csmetrics.yaml": "columns:\n  tickets:\n    na_values: []\n",
        }
    )
    wb = load(folder)
    assert wb["tickets"]["team"].tolist() == ["NA"]
    assert not [p for p in wb.quality.problems if p.kind == "null_markers"]


def test_json_exports_never_hold_bare_infinity_or_nan():
    text = json_text({"kpis": [{"value": float("inf"), "n": np.float64("nan")}]})
    assert json.loads(text, parse_constant=lambda c: pytest.fail(f"bare {c}")) == {
        "kpis": [{"value": None, "n": None}]
    }
