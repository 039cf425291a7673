"""The report in a real browser: headless Chromium, from the command line.

Every page of the bundled sample's report is opened from disk: the rendered DOM is
checked (scorecard rows, section titles), a screenshot is saved under
``test-artifacts/screenshots/`` and must not be blank, and Chromium's log must show no
console error and no request for a file of the report that is not there.
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

from .conftest import ROOT, scorecard_rows

pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
    # one verbose line per file the page requests ("FileURLLoader::Start: file:///...")
    "--vmodule=file_url_loader_factory=1",
]
CONSOLE_PROBLEM = re.compile(r"error|uncaught|failed|not allowed|refused", re.I)


def _find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


@pytest.fixture(scope="module")
def chromium() -> str:
    """Path of Chromium; installed with apt-get when missing and possible, else skip."""
    found = _find_chromium()
    if found:
        return found
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
        found = _find_chromium()
        if found:
            return found
    pytest.skip(f"headless Chromium is not installed and could not be installed ({tried})")


def _browse(chromium: str, profile: Path, page: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def _check_log(log: str, out: Path, page: Path) -> None:
    """No console error, and every file the page asked for exists inside the report."""
    console = [line for line in log.splitlines() if ":CONSOLE" in line]
    bad = [line for line in console if CONSOLE_PROBLEM.search(line)]
    assert not bad, bad
    requested = re.findall(r"FileURLLoader::Start: (\S+)", log)
    assert page.resolve().as_uri() in requested, "the page itself was not loaded"
    for url in requested:
        path = Path(unquote(urlsplit(url).path))
        assert path.is_file(), f"{page.name} requested a missing file: {url}"
        assert path.is_relative_to(out.resolve()), f"{page.name} reached outside: {url}"
    assert "net::ERR_" not in log, [line for line in log.splitlines() if "net::ERR_" in line]


def _screenshot(chromium: str, profile: Path, out: Path, page: Path) -> Path:
    from PIL import Image, ImageStat

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{page.stem}.png"
    shot.unlink(missing_ok=True)
    proc = _browse(chromium, profile, page, f"--screenshot={shot}", "--window-size=1200,2000")
    assert proc.returncode == 0, proc.stderr[-2000:]
    _check_log(proc.stderr, out, page)
    with Image.open(shot) as img:
        assert img.size == (1200, 2000)
        grey = img.convert("L")
        variance = ImageStat.Stat(grey).var[0]
        ink = sum(grey.histogram()[:200]) / (grey.width * grey.height)
    # a blank (white or single-colour) page has no variance and no dark pixels
    assert variance > 100, f"{shot} looks blank (variance {variance:.1f})"
    assert ink > 0.01, f"{shot} has almost nothing drawn ({ink:.2%} dark pixels)"
    return shot


def _dom(chromium: str, profile: Path, out: Path, page: Path) -> str:
    proc = _browse(chromium, profile, page, "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    _check_log(proc.stderr, out, page)
    return proc.stdout


def test_index_renders_the_scorecard(chromium, sample_report, tmp_path):
    assert sample_report.code == 0, sample_report.stderr
    page = sample_report.out / "index.html"
    dom = _dom(chromium, tmp_path / "profile", sample_report.out, page)
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
    _screenshot(chromium, tmp_path / "profile", sample_report.out, page)


@pytest.mark.parametrize("name,title", [(n, t) for n, t, _ in SECTIONS])
def test_section_renders(chromium, sample_report, tmp_path, name, title):
    page = sample_report.out / f"{name}.html"
    dom = _dom(chromium, tmp_path / "profile", sample_report.out, page)
    h1 = re.findall(r"<h1[^>]*>(.*?)</h1>", dom, flags=re.DOTALL)
    assert len(h1) == 1 and f"{title} · October 2026" in h1[0], h1
    assert len(re.findall(r"<h2[^>]*>", dom)) >= 2
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', dom)) >= 1
    assert '<a class="csm-back" href="index.html">' in dom
    _screenshot(chromium, tmp_path / "profile", sample_report.out, page)
