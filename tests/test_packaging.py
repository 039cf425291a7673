"""The wheel users install with pip: it carries the notebooks, the templates, the
catalogues and the bundled sample, and runs without a clone of the repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """The wheel built from this checkout, and a folder it is installed into (no deps:
    they are this environment's)."""
    base = tmp_path_factory.mktemp("wheel")
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
             "-q", "-w", str(base), str(ROOT)]  # fmt: skip
    subprocess.run(build, check=True, capture_output=True, timeout=300)
    (wheel,) = base.glob("csmetrics-*.whl")
    target = base / "site"
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
               str(target), str(wheel)]  # fmt: skip
    subprocess.run(install, check=True, capture_output=True, timeout=300)
    return wheel, target


def test_wheel_ships_sample_notebooks_templates_and_catalogues(installed):
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for table in ("tickets", "calls", "surveys", "costs", "customers"):
        assert f"csmetrics/_sample/{table}.parquet" in names, table
    assert "csmetrics/_sample/csmetrics.yaml" in names
    for nb in ("evaluation", "effectiveness", "data_quality", "explore"):
        assert f"csmetrics/_notebooks/{nb}.ipynb" in names, nb
    assert "csmetrics/templates/pages/index.html.j2" in names
    assert "csmetrics/locale/pl/LC_MESSAGES/csmetrics.po" in names
    assert "csmetrics/sample/comments.yaml" in names
    assert "csmetrics/checklist.yaml" in names


def test_installed_wheel_finds_its_own_sample_outside_a_clone(installed, tmp_path):
    _, target = installed
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run(
        [sys.executable, "-m", "csmetrics", "validate", "--format", "json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    where = subprocess.run(
        [sys.executable, "-c", "import csmetrics; from csmetrics.load import default_data_dir as d;"
         "print(csmetrics.__file__); print(d())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=True,
    ).stdout.split()  # fmt: skip
    assert where[0] == str(target / "csmetrics" / "__init__.py")
    assert where[1] == str(target / "csmetrics" / "_sample")
    assert json.loads(proc.stdout)["tables"], proc.stdout[:500]
