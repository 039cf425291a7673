"""Make docs/explorer.png, the README's screenshot of the explorer in JupyterLab.

Needs JupyterLab (``pip install -e .[lab]``), Playwright's Python package
(``pip install playwright``; no browser download: it drives the system Chromium,
Debian package ``chromium``). Run from the repository root:

    .venv/bin/python tools/explorer_screenshot.py

It starts JupyterLab on a free local port with the app exposed to the page, opens
``notebooks/explore.ipynb``, runs every cell, waits for the widgets, scrolls to the
explorer and saves a screenshot. Nothing is sent anywhere but 127.0.0.1.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    from playwright.sync_api import sync_playwright

    port = free_port()
    lab = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            "--ServerApp.token=",
            "--ServerApp.password=",
            "--LabApp.expose_app_in_browser=True",
            "--allow-root",
            f"--ServerApp.root_dir={ROOT / 'notebooks'}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(8)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1500})
            page.goto(f"http://127.0.0.1:{port}/lab/tree/explore.ipynb")
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            time.sleep(5)
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_selector(".widget-dropdown", timeout=120_000)
            time.sleep(8)
            page.evaluate("window.jupyterapp.commands.execute('notebook:move-cursor-down')")
            widget = page.locator(".jp-OutputArea-output .widget-vbox").first
            widget.scroll_into_view_if_needed()
            time.sleep(3)
            out = ROOT / "docs" / "explorer.png"
            out.parent.mkdir(exist_ok=True)
            widget.screenshot(path=str(out))
            browser.close()
        print(f"wrote {out}")
        return 0
    finally:
        lab.terminate()
        lab.wait(timeout=20)


if __name__ == "__main__":
    sys.exit(main())
