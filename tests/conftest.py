"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DATASETS = SHARED / "datasets"
SAMPLE = ROOT / "data" / "sample"


def write_files(folder: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{name: text or bytes}`` into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def make_folder(tmp_path):
    """Factory: ``make_folder({"tickets.csv": "..."})`` returns a data folder."""
    counter = {"n": 0}

    def make(files: dict[str, str | bytes]) -> Path:
        counter["n"] += 1
        return write_files(tmp_path / f"data{counter['n']}", files)

    return make


def needs_shared() -> pytest.MarkDecorator:
    """Skip marker for tests that read ../shared/datasets."""
    return pytest.mark.skipif(
        not DATASETS.is_dir(),
        reason=f"public data sets not present at {DATASETS} (they live beside the checkout)",
    )
