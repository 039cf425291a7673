"""Hostile data: text from the data files never becomes markup or a spreadsheet formula.

Payloads are planted in survey comments (every score band), agent ids, team names,
request categories, a channel name, queue names, survey ticket ids and the data
folder's own name; the whole report is run on that folder and every page is checked.
"""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from csmetrics import schema
from csmetrics.display import neutralise_formula, safe_csv_frame, table
from csmetrics.markup import prose
from csmetrics.report import SECTIONS
from csmetrics.sample import generate, sample_config

from .conftest import (
    REPORT_PERIOD,
    build_once,
    parse_page,
    shared_path,
    shared_report,
)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_LINK = "[click](javascript:alert(1))"
#: Raw forms that must never reach a page. Labels such as the channel are lower-cased on
#: loading, with spaces and "/" turned into "_": "<script>alert(1)<_script>" is caught by
#: the first form, and the last one is the image payload as a label.
RAW = ("<script>alert", "<img src=x onerror", "<img_src=x_onerror")
FORMULAS = {
    "team": "=cmd|' /C calc'!A0",
    "category": "+1+1",
    "agent_id": "-2+3",
    "other_team": "@SUM(A1)",
    "other_category": '=HYPERLINK("http://x","y")',
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A link whose scheme hides behind a character reference (a tab inside "javascript"),
#: Markdown images that would fetch from outside when the page opens, and raw HTML that
#: would: none may become an element.
TAB_LINK = "[x](java&#x09;script:alert(1))"
MD_IMAGE = "![x](http://127.0.0.1:9/leak-md.png)"
RAW_IMAGE = '<img src="http://127.0.0.1:9/leak-raw.png">'
STYLE = "<style>@import 'http://127.0.0.1:9/leak.css';</style>"
#: Every payload planted somewhere in the hostile data folder.
PAYLOADS = (SCRIPT, IMG, JS_LINK, TAB_LINK, MD_IMAGE, RAW_IMAGE, STYLE)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


# ---------------------------------------------------------------------------------------
# Unit tests: the display helpers
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        '=HYPERLINK("http://x","y")',
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "=cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "-",
    ],
)
def test_neutralise_formula_prefixes_formula_text_with_a_quote(payload):
    assert neutralise_formula(payload) == "'" + payload


@pytest.mark.parametrize("value", ["Billing", "", "a=b", "1+1", " =1", "'=already", "x-1"])
def test_neutralise_formula_leaves_plain_text(value):
    assert neutralise_formula(value) == value


@pytest.mark.parametrize("value", [-3, -2.5, 0, 7, None, True, np.float64(-1.25), np.int64(-4)])
def test_neutralise_formula_leaves_non_text_values(value):
    assert neutralise_formula(value) is value


def test_safe_csv_frame_neutralises_text_cells_only():
    df = pd.DataFrame(
        {
            "team": ["=cmd|' /C calc'!A0", "Lisbon", "@SUM(A1)", None],
            "note": pd.array(["+1+1", "fine", "-2+3", pd.NA], dtype="string"),
            "label": pd.Series(['=HYPERLINK("http://x","y")', "ok", "-", "x"], dtype="str"),
            "change": [-178.0, 3.5, -0.25, np.nan],
            "n": [-3, 0, 5, -1],
            "mixed": ["-7", -7, "=1", 2.5],
        }
    )
    before = df.copy()
    out = safe_csv_frame(df)
    pd.testing.assert_frame_equal(df, before)  # the input is not modified
    assert out["team"].tolist()[:3] == ["'=cmd|' /C calc'!A0", "Lisbon", "'@SUM(A1)"]
    assert pd.isna(out["team"].iloc[3])
    assert out["note"].tolist()[:3] == ["'+1+1", "fine", "'-2+3"]
    assert out["label"].tolist() == ['\'=HYPERLINK("http://x","y")', "ok", "'-", "x"]
    # numbers stay numbers, negative ones included
    assert out["change"].dtype == np.float64 and out["n"].dtype == np.int64
    assert out["change"].tolist()[:3] == [-178.0, 3.5, -0.25]
    assert out["n"].tolist() == [-3, 0, 5, -1]
    assert out["mixed"].tolist() == ["'-7", -7, "'=1", 2.5]
    rows = list(csv.reader(io.StringIO(out.to_csv(index=False))))
    assert rows[1][:2] == ["'=cmd|' /C calc'!A0", "'+1+1"]
    assert rows[1][3:5] == ["-178.0", "-3"]


def test_safe_csv_frame_neutralises_categorical_text():
    df = pd.DataFrame({"team": pd.Categorical(["=1+1", "Porto", "=1+1"]), "v": [-1.0, 2.0, 3.0]})
    out = safe_csv_frame(df)
    assert out["team"].tolist() == ["'=1+1", "Porto", "'=1+1"]
    assert out["v"].tolist() == [-1.0, 2.0, 3.0]


def test_table_escapes_cells_headers_and_caption():
    df = pd.DataFrame({IMG: [SCRIPT], "team": [JS_LINK]}, index=[SCRIPT])
    page = table(df, caption=IMG, index=True).data
    assert "<script" not in page and "<img" not in page
    assert page.count(_esc(SCRIPT)) == 2 and page.count(_esc(IMG)) == 2
    assert "href" not in page


PROSE_PAYLOADS = (
    JS_LINK,
    "[x](java&#x09;script:alert(1))",
    "[x]( JavaScript:alert(1))",
    "![x](http://host/x.png)",
    "![x](data:text/html,<b>x</b>)",
    "<a href=x>y</a>",
    "**bold** _it_ `code`",
    "[r]: javascript:alert(1)",
    "http://host/autolink <http://host/x>",
)


@pytest.mark.parametrize("value", PROSE_PAYLOADS)
def test_prose_inserts_data_as_text_never_as_markdown(value):
    line = prose("- **Improve cost per contact.** worst team: {team} ({n}).", team=value, n=2)
    rendered = str(line)
    # no element but the project's own list and emphasis
    assert set(re.findall(r"<(\w+)", rendered)) == {"ul", "li", "strong"}, rendered
    assert not re.search(r"<[^>]*\b(href|src)\s*=", rendered), rendered
    # shown as exactly the characters it is
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)).count(value) == 1, rendered


def test_prose_keeps_the_projects_own_markdown_and_markup():
    from csmetrics.markup import Markup

    link = Markup("<a href='evaluation.html'>Evaluation</a>")
    out = prose("[ok](#x) **{n}** {link}", n="<b>", link=link).html(inline=True)
    assert out == '<a href="#x">ok</a> <strong>&lt;b&gt;</strong> ' + str(link)


# ---------------------------------------------------------------------------------------
# End to end: a report on hostile data
# ---------------------------------------------------------------------------------------


def _hostile_tables() -> dict[str, pd.DataFrame]:
    t = generate(scale=0.05, months=2)
    tk, sv, st, calls, costs = (t[n] for n in ("tickets", "surveys", "staffing", "calls", "costs"))
    teams = {
        "Porto Tier 1": f"Porto {SCRIPT}",
        "Lisbon Tier 2": f"Lisbon {IMG}",
        "Lisbon Tier 1": JS_LINK,
        "Social & Messaging": FORMULAS["team"],
        "Porto Billing & Returns": FORMULAS["other_team"],
    }
    for df in (tk, st, costs):
        assert set(teams) <= set(df["team"].dropna())
        df["team"] = df["team"].replace(teams)
    agents = {"A007": f"A007{SCRIPT}", "A008": f"A008 {IMG}", "A009": JS_LINK,
              "A010": FORMULAS["agent_id"]}  # fmt: skip
    for df in (tk, st, calls):
        df["agent_id"] = df["agent_id"].replace(agents)
    categories = {
        "Billing": f"Billing {SCRIPT}",
        "Delivery": f"Delivery {IMG}",
        "Cancellation": JS_LINK,
        "Returns & refunds": FORMULAS["category"],
        "Order change": FORMULAS["other_category"],
    }
    assert set(categories) <= set(tk["category"].dropna())
    tk["category"] = tk["category"].replace(categories)
    for df in (tk, sv, costs):  # a channel
        df["channel"] = df["channel"].astype(object).replace({"chat": SCRIPT})
    # every comment starts with a payload, so every score band shows some
    commented = sv.index[sv["comment"].notna()]
    for i, payload in enumerate((SCRIPT, IMG, JS_LINK)):
        rows = commented[i::3]
        sv.loc[rows, "comment"] = payload + " " + sv.loc[rows, "comment"]
    # surveys about tickets that do not exist: the data-quality section lists them
    sv["ticket_id"] = sv["ticket_id"].astype(object)
    sv.loc[sv.index[-3:], "ticket_id"] = [SCRIPT, IMG, JS_LINK]
    calls["queue"] = calls["queue"].replace({calls["queue"].iloc[0]: f"queue {IMG}"})
    # the payloads that Markdown would have turned into links and outside images
    tk["category"] = tk["category"].replace(
        {"Account access": MD_IMAGE, "Product question": TAB_LINK}
    )
    for df in (tk, sv, costs):  # a second channel
        df["channel"] = df["channel"].astype(object).replace({"twitter": MD_IMAGE})
    # a few rows of every other free-text column
    tk["priority"] = tk["priority"].astype(object)
    tk.loc[tk.index[:6], "priority"] = RAW_IMAGE
    tk["customer_id"] = tk["customer_id"].astype(object)
    tk.loc[tk.index[:4], "customer_id"] = [SCRIPT, IMG, TAB_LINK, MD_IMAGE]
    calls["queue"] = calls["queue"].replace({calls["queue"].iloc[-1]: STYLE})
    t["customers"]["segment"] = t["customers"]["segment"].astype(object)
    t["customers"].loc[t["customers"].index[::2], "segment"] = MD_IMAGE
    t["incidents"]["product"] = [SCRIPT, IMG, TAB_LINK, MD_IMAGE][: len(t["incidents"])]
    return t


def _write_folder(tables: dict[str, pd.DataFrame], folder: Path) -> Path:
    """Parquet files (timestamps in UTC) and the sample's csmetrics.yaml, as write_sample."""
    folder.mkdir(parents=True)
    for name, df in tables.items():
        df = df.copy()
        for c in schema.TABLES[name].columns:
            if c.kind == "timestamp":
                df[c.name] = df[c.name].dt.tz_convert("UTC").dt.as_unit("us")
        df.to_parquet(folder / f"{name}.parquet", index=False)
    cfg = sample_config(months=2)
    # a peak period's name and a checklist question written by someone else
    cfg["peak_periods"] = [
        {"name": f"{MD_IMAGE} {SCRIPT}", "start": "2026-10-05", "end": "2026-10-09"}
    ]
    cfg["checklist"] = {
        "questions": [
            {
                "id": "hostile",
                "category": "effectiveness",
                "question": f"{TAB_LINK} {RAW_IMAGE} {STYLE}?",
                "kpis": ["fcr_rate"],
                "judge": {"rule": "target", "kpi": "fcr_rate", "target": 0.5},
            }
        ]
    }
    config = yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True)
    (folder / "csmetrics.yaml").write_text(config, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def hostile_folder(tmp_path_factory) -> Path:
    """The hostile data folder (once per session); its own name is a payload too: it is
    shown on the index and in the data-quality section."""

    def build(folder: Path) -> dict:
        _write_folder(_hostile_tables(), folder / IMG)
        return {}

    build_once(tmp_path_factory, "hostile-data", build)
    return shared_path(tmp_path_factory, "hostile-data") / IMG


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory, hostile_folder):
    run = shared_report(tmp_path_factory, "hostile-report", hostile_folder)
    assert run.code == 0, run.stderr
    return run


def _pages(run) -> dict[str, str]:
    names = ["index", *(name for name, _, _ in SECTIONS)]
    return {n: (run.out / f"{n}.html").read_text(encoding="utf-8") for n in names}


def test_the_payloads_survive_loading(hostile_folder):
    """The planted values reach the tables the report reads (or the test proves nothing)."""
    import csmetrics as cm

    wb = cm.load(hostile_folder)
    tickets = wb.tables["tickets"]
    assert {f"Porto {SCRIPT}", f"Lisbon {IMG}", JS_LINK} <= set(tickets["team"].dropna())
    assert {f"A007{SCRIPT}", f"A008 {IMG}", JS_LINK} <= set(tickets["agent_id"].dropna())
    assert {f"Billing {SCRIPT}", f"Delivery {IMG}"} <= set(tickets["category"].dropna())
    assert "<script>alert(1)<_script>" in set(tickets["channel"].dropna())
    assert wb.tables["surveys"]["comment"].dropna().str.startswith(("<script", "<img", "[")).all()


def test_every_section_runs_on_hostile_data(hostile_report):
    for _, title, _ in SECTIONS:
        assert f"] {title}: ok" in hostile_report.stderr, title


@pytest.mark.parametrize("name", ["index", *(name for name, _, _ in SECTIONS)])
def test_payloads_appear_only_escaped(hostile_report, name):
    page = _pages(hostile_report)[name]
    for raw in RAW:
        assert raw.lower() not in page.lower(), raw
    parsed = parse_page(page)
    # no element from the data: no script, no event handler, no script URL
    handlers = re.findall(r"<[a-z][^>]*\son[a-z]+\s*=", page, flags=re.I)
    assert not handlers, handlers[:3]
    for tag, attr, url in parsed.urls:
        assert not re.match(r"\s*(javascript|vbscript|data:text)", url, re.I), (tag, attr, url)
    assert "alert(1)" not in "".join(re.findall(r"<[^>]*>", page)), "payload inside a tag"


#: Where each payload must be visible (escaped), proving it reached the page at all.
EXPECTED = {
    "index": [_esc(IMG)],  # the data folder's name
    "data_quality": [_esc(IMG), _esc(SCRIPT)],  # folder name; unknown survey ticket ids
    "effectiveness": [_esc(f"Porto {SCRIPT}"), _esc(f"Lisbon {IMG}")],  # teams
    "channels": [
        _esc("<script>alert(1)<_script>"),  # the channel
        _esc(f"Billing {SCRIPT}"),
        _esc(f"Delivery {IMG}"),
    ],
    "customer_experience": [_esc(SCRIPT), _esc(IMG)],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_payloads_are_shown_as_text(hostile_report, name):
    page = _pages(hostile_report)[name]
    for escaped in EXPECTED[name]:
        assert escaped in page, escaped


def test_comment_examples_of_every_band_are_escaped(hostile_report):
    page = _pages(hostile_report)["customer_experience"]
    examples = {}
    for row in re.findall(r"<tr>(.*?)</tr>", page, flags=re.DOTALL):
        cells = re.findall(r"<td>(.*?)</td>", row, flags=re.DOTALL)
        if len(cells) == 4 and cells[0] in ("unhappy", "middle", "happy"):
            examples.setdefault(cells[0], []).append(cells[3])
    assert set(examples) == {"unhappy", "middle", "happy"}
    for band, comments in examples.items():
        assert 1 <= len(comments) <= 3, band
        for comment in comments:
            assert comment.startswith((_esc(SCRIPT), _esc(IMG), _esc(JS_LINK))), comment


def test_link_syntax_from_data_stays_text(hostile_report):
    pages = _pages(hostile_report)
    shown = [n for n, p in pages.items() if JS_LINK in html.unescape(" ".join(parse_page(p).text))]
    assert "channels" in shown  # the category, in the table of request types
    for name, page in pages.items():
        assert not re.search(r"javascript:", " ".join(u for _, _, u in parse_page(page).urls)), name


def test_kpis_csv_of_the_report_has_no_formula_and_keeps_numbers(hostile_report):
    with open(hostile_report.out / "kpis.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    numeric = ("value", "ci_low", "ci_high", "n", "excluded", "target", "previous", "change")
    for row in rows:
        for col, cell in row.items():
            if col in numeric:
                assert cell == "" or float(cell) == float(cell), (col, cell)
            else:
                assert not cell.startswith(FORMULA_START), (col, cell)
    changes = [float(r["change"]) for r in rows if r["change"]]
    assert any(c < 0 for c in changes), "no negative change to check"


def test_kpis_command_csv_neutralises_formulas_from_the_data(hostile_folder, capsys):
    from csmetrics.cli import main

    by = ["--by", "team", "category", "agent_id"]
    kpis = ["--kpi", "tickets_created", "--kpi", "fcr_rate"]
    args = ["--period", REPORT_PERIOD, *by, *kpis, "--format", "csv"]
    assert main(["kpis", "--data", str(hostile_folder), *args]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {"team", "category", "agent_id", "value"} <= set(rows[0])
    teams = {r["team"] for r in rows}
    assert "'" + FORMULAS["team"] in teams and "'" + FORMULAS["other_team"] in teams
    assert "'" + FORMULAS["category"] in {r["category"] for r in rows}
    assert "'" + FORMULAS["other_category"] in {r["category"] for r in rows}
    assert "'" + FORMULAS["agent_id"] in {r["agent_id"] for r in rows}
    for row in rows:
        for col, cell in row.items():
            if col in ("value", "n", "ci_low", "ci_high", "excluded"):
                assert cell == "" or float(cell) == float(cell), (col, cell)
            else:
                assert not cell.startswith(FORMULA_START), (col, cell)
    # the HTML payloads are plain text in a CSV: kept as they are
    assert f"Porto {SCRIPT}" in teams
