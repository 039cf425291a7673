"""The hostile report in a real browser: no script runs, nothing leaves the machine.

The report of ``test_report_safety``'s hostile data folder (payloads in agent, team,
category, channel, priority, queue, product, segment, customer and ticket ids, comments,
a peak period's name, a checklist question and the folder's own name) is opened page by
page in headless Chromium driven by Playwright, which sees every dialog, every request
and every console message. A page passes when no dialog opened, the browser requested
nothing but the page itself, the Content-Security-Policy was never needed (no violation
reported: no element came from the data), and the DOM holds no script, frame, form,
event handler, outside image or link that the project did not write.

The checker itself is tested on a page that does each of those things (it must fail it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from csmetrics.report import SECTIONS

from .test_browser import chromium  # noqa: F401  (the fixture: finds or installs Chromium)
from .test_report_safety import PAYLOADS, hostile_folder, hostile_report  # noqa: F401

pytestmark = pytest.mark.slow

PAGES = ["index", *(name for name, _, _ in SECTIONS)]
#: Links the project writes: its own pages and exports, and anchors inside a page.
OWN_LINKS = {f"{n}.html" for n in PAGES} | {"kpis.csv", "kpis.json", "evaluation.json"}
#: Elements no page of the report has: each could run script or fetch from outside.
FORBIDDEN = "script, iframe, frame, object, embed, link, base, form, meta[http-equiv=refresh]"

_DOM_PROBLEMS = f"""() => {{
  const out = [];
  for (const el of document.querySelectorAll({FORBIDDEN!r}))
    out.push('element ' + el.tagName);
  for (const el of document.querySelectorAll('*'))
    for (const a of el.attributes)
      if (a.name.startsWith('on')) out.push('handler ' + el.tagName + ' ' + a.name);
  for (const el of document.querySelectorAll('[src], [srcset], [poster], [background]'))
    for (const name of ['src', 'srcset', 'poster', 'background']) {{
      const v = el.getAttribute(name);
      if (v !== null && !v.startsWith('data:image/')) out.push('source ' + v);
    }}
  const hrefs = [...document.querySelectorAll('[href], [xlink\\\\:href]')]
    .map(el => el.getAttribute('href') ?? el.getAttribute('xlink:href'));
  return {{problems: out, hrefs: hrefs}};
}}"""


@pytest.fixture(scope="module")
def browser(chromium):  # noqa: F811
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield b
        b.close()


def _visit(browser, path: Path) -> dict:
    """Open ``path``; what the browser saw: dialogs, requests, console, DOM problems."""
    page = browser.new_page()
    seen: dict[str, list] = {"dialogs": [], "requests": [], "console": []}
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("console", lambda m: seen["console"].append(m.text))
    uri = path.resolve().as_uri()
    page.goto(uri, wait_until="load")
    # move over and click on every text node's element: a handler would fire now
    page.mouse.move(10, 10)
    page.mouse.move(600, 1200, steps=8)
    page.wait_for_timeout(150)
    found = page.evaluate(_DOM_PROBLEMS)
    seen["text"] = page.inner_text("body")
    seen["csp"] = page.eval_on_selector_all(
        "meta[http-equiv='Content-Security-Policy']", "els => els.map(e => e.content)"
    )
    page.close()
    seen["requests"] = [u for u in seen["requests"] if u != uri]
    seen["problems"] = found["problems"]
    seen["foreign_links"] = [
        h for h in found["hrefs"] if h.split("#")[0] not in OWN_LINKS and not h.startswith("#")
    ]
    return seen


def _verdict(seen: dict) -> list[str]:
    problems = [f"dialog {m!r}" for m in seen["dialogs"]]
    problems += [f"request {u}" for u in seen["requests"]]
    problems += [f"console {m!r}" for m in seen["console"] if "Content Security" in m]
    problems += seen["problems"] + [f"link {h}" for h in seen["foreign_links"]]
    if not any("script-src" in c or "default-src 'none'" in c for c in seen["csp"]):
        problems.append("no Content-Security-Policy")
    return problems


@pytest.mark.parametrize("name", PAGES)
def test_no_dialog_no_request_no_markup_from_data(browser, hostile_report, name):  # noqa: F811
    seen = _visit(browser, hostile_report.out / f"{name}.html")
    assert _verdict(seen) == []


def test_every_payload_reached_a_page_as_text(browser, hostile_report):  # noqa: F811
    text = "\n".join(_visit(browser, hostile_report.out / f"{n}.html")["text"] for n in PAGES)
    assert [p for p in PAYLOADS if p not in text] == []


def test_the_checker_fails_a_page_that_acts(browser, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        "<html><body><script>alert('s')</script><img src=x onerror=\"alert('e')\">"
        "<img src='http://127.0.0.1:9/leak.png'><a href='javascript:alert(1)'>x</a>"
        "<iframe src='about:blank'></iframe></body></html>",
        encoding="utf-8",
    )
    problems = _verdict(_visit(browser, page))
    assert "dialog 's'" in problems and "dialog 'e'" in problems
    assert "request http://127.0.0.1:9/leak.png" in problems
    assert "link javascript:alert(1)" in problems and "element IFRAME" in problems
    assert any(p.startswith("handler IMG onerror") for p in problems)
    assert "no Content-Security-Policy" in problems
