"""The report-level tests of one report run on one pytest-xdist worker (``make test``
runs ``--dist loadgroup``; ``conftest.report_group`` names the groups): a worker that
needs a report another worker is building waits for it, with a core idle."""

from __future__ import annotations

import os

import pytest


@pytest.mark.xdist_group(name="probe")
def test_a_grouped_test_reaches_xdist_with_its_group(request):
    if not os.environ.get("PYTEST_XDIST_WORKER") or request.config.getvalue("dist") != "no":
        pytest.skip("only an xdist worker shows whether the group reached the scheduler")
    if not request.config.getvalue("loadgroup"):
        pytest.skip("not run with --dist loadgroup")
    # pytest-xdist sends a test's group to the scheduler as a suffix of its node id
    assert request.node.nodeid.endswith("@probe"), (
        f"{request.node.nodeid}: the xdist_group mark did not reach the scheduler "
        "(pytest-dev/pytest-xdist#1386 with pytest 9.2): pin pytest below 9.2"
    )
