"""The report in a real browser: headless Chromium, from the command line.

Every page of the bundled sample's report is opened from disk in one Chromium (driven by
Playwright): the rendered DOM is checked (scorecard rows, section titles), a screenshot
is saved under ``test-artifacts/screenshots/`` and must not be blank, and the browser
must report no console error, no failed request and no request for a file that is not
in the report.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from csmetrics.kpis import public_kpis
from csmetrics.report import SECTIONS

from .conftest import ROOT, build_once, scorecard_rows

pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CONSOLE_PROBLEM = re.compile(r"error|uncaught|failed|not allowed|refused", re.I)


def _find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


def _install_chromium() -> dict:
    """Install Chromium with apt-get (as root); what was tried, for the skip reason."""
    tried = "not running as root with apt-get"
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        steps = (["apt-get", "install", "-y", "chromium"], ["apt-get", "update"],
                 ["apt-get", "install", "-y", "chromium"])  # fmt: skip
        for step in steps:
            proc = subprocess.run(step, capture_output=True, text=True, env=env, timeout=900)
            tried = f"`{' '.join(step)}` exited {proc.returncode}: {proc.stderr.strip()[-300:]}"
            if step[1] == "install" and proc.returncode == 0:
                break
    return {"tried": tried}


@pytest.fixture(scope="module")
def chromium(tmp_path_factory) -> str:
    """Path of Chromium; installed with apt-get when missing and possible, else skip.

    The install runs once per session under a lock (:func:`build_once`): the two
    pytest-xdist workers would otherwise run apt-get at once, and the second one fail
    on apt's own lock.
    """
    found = _find_chromium()
    if found:
        return found
    tried = build_once(tmp_path_factory, "chromium-install", lambda _: _install_chromium())
    found = _find_chromium()
    if found:
        return found
    pytest.skip(f"headless Chromium is not installed and could not be installed ({tried['tried']})")


@pytest.fixture(scope="module")
def browser(chromium):
    """One headless Chromium for the module's pages (Playwright drives the machine's)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield b
        b.close()


def _open(browser, page: Path) -> tuple[object, dict]:
    """``page`` opened at 1200×2000, with what the browser logged while loading it."""
    tab = browser.new_page(viewport={"width": 1200, "height": 2000})
    seen: dict[str, list] = {"console": [], "requests": [], "failed": []}
    tab.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}"))
    tab.on("pageerror", lambda e: seen["console"].append(f"uncaught: {e}"))
    tab.on("request", lambda r: seen["requests"].append(r.url))
    tab.on("requestfailed", lambda r: seen["failed"].append(f"{r.url} {r.failure}"))
    tab.goto(page.resolve().as_uri(), wait_until="load")
    return tab, seen


def _check_log(seen: dict, out: Path, page: Path) -> None:
    """No console error, and every file the page asked for exists inside the report."""
    bad = [line for line in seen["console"] if CONSOLE_PROBLEM.search(line)]
    assert not bad, bad
    requested = seen["requests"]
    assert page.resolve().as_uri() in requested, "the page itself was not loaded"
    for url in requested:
        if url.startswith("data:"):
            continue
        path = Path(unquote(urlsplit(url).path))
        assert path.is_file(), f"{page.name} requested a missing file: {url}"
        assert path.is_relative_to(out.resolve()), f"{page.name} reached outside: {url}"
    assert not seen["failed"], seen["failed"]


def _screenshot(tab, seen: dict, out: Path, page: Path) -> Path:
    from PIL import Image, ImageStat

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{page.stem}.png"
    shot.unlink(missing_ok=True)
    tab.screenshot(path=str(shot))
    _check_log(seen, out, page)
    with Image.open(shot) as img:
        assert img.size == (1200, 2000)
        grey = img.convert("L")
        variance = ImageStat.Stat(grey).var[0]
        ink = sum(grey.histogram()[:200]) / (grey.width * grey.height)
    assert variance > 100, f"{shot} looks blank (variance {variance:.1f})"
    assert ink > 0.01, f"{shot} has almost nothing drawn ({ink:.2%} dark pixels)"
    return shot


def _dom(tab, seen: dict, out: Path, page: Path) -> str:
    _check_log(seen, out, page)
    return tab.content()


def test_index_renders_the_scorecard(browser, sample_report):
    assert sample_report.code == 0, sample_report.stderr
    page = sample_report.out / "index.html"
    tab, seen = _open(browser, page)
    dom = _dom(tab, seen, sample_report.out, page)
    assert "<h1>Customer-service report · October 2026</h1>" in dom
    table = re.search(r'<table id="scorecard">(.*?)</table>', dom, flags=re.DOTALL)
    assert table, "no scorecard table in the rendered page"
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1).split("<tbody>", 1)[1], re.DOTALL)
    # every headline KPI, and every KPI the evaluation judges or a recommendation cites
    shown = scorecard_rows(sample_report.out)
    assert len(rows) == len(shown) >= 10
    # a sparkline for every KPI measured month by month (twelve months of history)
    assert sum("<svg" in row for row in rows) >= sum(k.headline for k in public_kpis())
    for name, title, _ in SECTIONS:
        assert f'<a href="{name}.html">{title}</a>' in dom, name
    _screenshot(tab, seen, sample_report.out, page)
    tab.close()


@pytest.mark.parametrize("name,title", [(n, t) for n, t, _ in SECTIONS])
def test_section_renders(browser, sample_report, name, title):
    page = sample_report.out / f"{name}.html"
    tab, seen = _open(browser, page)
    dom = _dom(tab, seen, sample_report.out, page)
    h1 = re.findall(r"<h1[^>]*>(.*?)</h1>", dom, flags=re.DOTALL)
    assert len(h1) == 1 and f"{title} · October 2026" in h1[0], h1
    assert len(re.findall(r"<h2[^>]*>", dom)) >= 2
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', dom)) >= 1
    assert '<a class="csm-back" href="index.html">' in dom
    _screenshot(tab, seen, sample_report.out, page)
    tab.close()
