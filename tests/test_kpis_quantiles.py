"""Quantile KPIs measured by the backend (csmetrics.kpis.quantiles): the same numbers as
the pandas reduction, computed by hand, and only a few rows per group come back."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import csmetrics as cm
from csmetrics.kpis import compute, quantiles
from csmetrics.kpis.quantiles import quantile_ranks
from csmetrics.stats import quantile_interval

NOW = pd.Timestamp("2026-11-02", tz="UTC")


@pytest.mark.parametrize(
    ("n", "q", "ranks"),
    [
        (1, 0.5, (1, 1)),
        (4, 0.5, (1, 4)),  # Bin(4, .5): P(X<=0) = .0625 >= .025; P(X<=3) = .9375 < .975
        (10, 0.9, (7, 10)),  # Bin(10, .9): P(X<=6) = .0128, P(X<=7) = .0702
        (100, 0.5, (40, 61)),
    ],
)
def test_interval_ranks_by_hand(n, q, ranks):
    assert quantile_ranks(n, q) == ranks
    values = np.arange(1.0, n + 1)
    assert quantile_interval(values, q) == tuple(float(r) for r in ranks)


def _prepared() -> cm.Prepared:
    """First responses after 1, 2, 2 and 5 hours by e-mail, 3 hours by chat, none yet by
    phone; one e-mail ticket of September is outside the period."""
    created = ["2026-10-01 09:00", "2026-10-02 09:00", "2026-10-03 09:00", "2026-10-04 09:00",
               "2026-10-05 09:00", "2026-10-06 09:00", "2026-09-10 09:00"]  # fmt: skip
    first = ["2026-10-01 10:00", "2026-10-02 11:00", "2026-10-03 11:00", "2026-10-04 14:00",
             "2026-10-05 12:00", None, "2026-09-10 19:00"]  # fmt: skip
    tickets = pd.DataFrame(
        {
            "ticket_id": [f"T{i}" for i in range(1, 8)],
            "created_at": created,
            "channel": ["email", "email", "email", "email", "chat", "phone", "email"],
            "first_response_at": first,
        }
    )
    wb = cm.from_frames({"tickets": tickets}, {"timezone": "UTC"}, now=NOW)
    return cm.prepare(wb)


def _frt(backend: str, by: tuple[str, ...] = ()) -> pd.DataFrame:
    res = compute(_prepared(), "2026-10", by=by, kpis=["frt_median_h"], backend=backend)
    return res.reset_index(drop=True)


@pytest.mark.parametrize("backend", ["pandas", "duckdb"])
def test_median_and_its_interval_by_hand(backend):
    # 1, 2, 2, 3, 5 hours: median 2; n = 5 -> ranks 1 and 5 (Bin(5, .5): .03125 >= .025)
    r = _frt(backend).iloc[0]
    assert (r["value"], r["n"], r["ci_low"], r["ci_high"]) == (2.0, 5, 1.0, 5.0)
    by = _frt(backend, ("channel",)).set_index("channel")
    assert by.loc["email", ["value", "n", "ci_low", "ci_high"]].tolist() == [2.0, 4, 1.0, 5.0]
    assert by.loc["chat", ["value", "n", "ci_low", "ci_high"]].tolist() == [3.0, 1, 3.0, 3.0]
    phone = by.loc["phone"]  # a ticket in the period, no first response: no value, n 0
    assert phone["n"] == 0 and np.isnan(phone["value"]) and np.isnan(phone["ci_low"])
    assert by.index.tolist() == ["chat", "email", "phone"]


def test_duckdb_gives_the_records_pandas_gives():
    for by in ((), ("channel",)):
        pd.testing.assert_frame_equal(_frt("duckdb", by), _frt("pandas", by), check_dtype=False)


def _random_tickets(rng, n: int, **columns) -> cm.Prepared:
    """``n`` tickets of October 2026 answered within a day, prepared; ``columns``: name →
    function of ``n`` giving the column."""
    created = pd.Timestamp("2026-10-01", tz="UTC") + pd.to_timedelta(
        rng.integers(0, 29 * 86400, n), unit="s"
    )
    tickets = pd.DataFrame(
        {
            "ticket_id": [f"T{i}" for i in range(n)],
            "created_at": created,
            **{name: make(n) for name, make in columns.items()},
            "first_response_at": created + pd.to_timedelta(rng.integers(60, 86400, n), unit="s"),
        }
    )
    return cm.prepare(cm.from_frames({"tickets": tickets}, {"timezone": "UTC"}, now=NOW))


def test_only_a_few_rows_per_group_come_back(monkeypatch):
    """10,000 first responses in two channels: what DuckDB returns is one summary row per
    channel and one row of its order statistics, never the values."""
    rng = np.random.default_rng(7)
    p = _random_tickets(
        rng, 10_000, channel=lambda n: np.where(rng.random(n) < 0.3, "chat", "email")
    )
    sizes = []
    real = quantiles.collect

    def spy(lf):
        out = real(lf)
        sizes.append(len(out))
        return out

    monkeypatch.setattr(quantiles, "collect", spy)
    got = compute(p, "2026-10", by=["channel"], kpis=["frt_median_h", "frt_p90_h"],
                  backend="duckdb")  # fmt: skip
    assert sizes and max(sizes) <= 4, sizes
    expected = compute(p, "2026-10", by=["channel"], kpis=["frt_median_h", "frt_p90_h"])
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_dtype=False)


@pytest.mark.parametrize("backend", ["pandas", "duckdb"])
def test_ranked_order_statistics_equal_duckdbs_positions(backend):
    """The generic path (rank within each group, joined with the wanted ranks) and
    DuckDB's ``quantile_disc`` positions pick the same values, ties included."""
    from csmetrics.kpis.frames import Frames, fill_groups

    values = pd.DataFrame(
        {"g": ["a"] * 6 + ["b"] * 3 + [None], "v": [5.0, 1, 3, 3, np.nan, 9, 2, 2, 7, 4]}
    )
    p = _prepared()
    frames = Frames(p, "duckdb")
    lf_duck = fill_groups(frames.small_frame(values), ["g"])
    lf = lf_duck if backend == "duckdb" else fill_groups(Frames(p).small_frame(values), ["g"])
    lf = lf.with_columns(v=quantiles._finite("v"))
    wanted = {("a",): (5, (1, 2, 3, 4, 5)), ("b",): (3, (1, 2, 3)), ("(missing)",): (1, (1,))}
    ranked = quantiles._ranked_order_statistics(Frames(p, backend), lf, "v", ["g"], wanted)
    assert ranked == {("a", 1): 1.0, ("a", 2): 3.0, ("a", 3): 3.0, ("a", 4): 5.0,
                      ("a", 5): 9.0, ("b", 1): 2.0, ("b", 2): 2.0, ("b", 3): 7.0,
                      ("(missing)", 1): 4.0}  # fmt: skip
    lf_duck = lf_duck.with_columns(v=quantiles._finite("v"))
    by_key = quantiles._positions(wanted)
    assert quantiles._duckdb_order_statistics(lf_duck, "v", ["g"], by_key) == ranked


def test_the_quantile_is_numpys_float_bit_for_bit():
    """From its two order statistics, interpolated as NumPy does: the same float as
    ``numpy.quantile`` (DuckDB's ``quantile_cont`` differs in the last bit for about one
    p90 in twenty)."""
    rng = np.random.default_rng(3)
    for n in [*range(1, 60), 97, 1000]:
        for q in (0.5, 0.9, 0.1, 0.75, float(rng.random())):
            for values in (rng.random(n) * 1e4, rng.integers(0, 86400, n) / 3600):
                x = np.sort(values)
                below, above, weight = quantiles.linear_ranks(n, q)
                got = quantiles.linear_quantile(x[below - 1], x[above - 1], weight)
                assert got == float(np.quantile(values, q)), (n, q)


def test_many_groups_number_their_values_and_agree_bit_for_bit():
    """Past MAX_POSITIONS positions, each group's values are numbered (linear in the
    groups) instead of asking every group for every group's positions."""
    rng = np.random.default_rng(11)
    p = _random_tickets(
        rng, 4_000, channel=lambda n: "email",
        agent_id=lambda n: [f"A{i:03d}" for i in rng.integers(0, 300, n)],
    )  # fmt: skip
    kpis = ["frt_median_h", "frt_p90_h"]
    got = compute(p, "2026-10", by=["agent_id"], kpis=kpis, backend="duckdb")
    expected = compute(p, "2026-10", by=["agent_id"], kpis=kpis)
    assert got["agent_id"].nunique() == 300
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_dtype=False)
