"""Significance tests and control-chart limits of ``csmetrics.stats`` against references.

Every p-value is checked against scipy or statsmodels computed here, every interval and
limit against a hand computation; edge cases return NaN (or 1.0 where documented), never
raise. Hypothesis checks the properties that hold for any input: p-values lie in [0, 1]
and a two-sided test does not depend on which sample comes first.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats as sstats
from statsmodels.stats.proportion import proportions_ztest

from csmetrics.stats import (
    Z95,
    laney_p_chart_limits,
    mann_whitney,
    nps_difference,
    nps_interval,
    p_chart_limits,
    poisson_rate_test,
    two_proportion_test,
    wilson_interval,
    xmr_limits,
)

from .conftest import examples

try:  # statsmodels >= 0.14
    from statsmodels.stats.rates import test_poisson_2indep as poisson_2indep
except ImportError:  # pragma: no cover - older statsmodels
    poisson_2indep = None

PROPERTY = settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


# ---------------------------------------------------------------------------------------
# Two proportions
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("s1", "n1", "s2", "n2"),
    [
        (45, 100, 30, 100),
        (627, 1000, 653, 1000),
        (3209, 5117, 3458, 5295),  # FCR of the sample, October against September
        (5, 12, 9, 14),
        (0, 50, 7, 60),
        (40, 40, 35, 41),
        (1, 3, 200, 210),
    ],
)
def test_two_proportion_test_matches_statsmodels(s1, n1, s2, n2):
    _, expected = proportions_ztest([s1, s2], [n1, n2], alternative="two-sided")
    assert two_proportion_test(s1, n1, s2, n2) == pytest.approx(expected, rel=1e-9, abs=1e-15)


def test_two_proportion_test_hand_value():
    # pooled p = 0.375, se = sqrt(0.375 · 0.625 · (1/100 + 1/100)), z = 0.15 / se = 2.19
    se = math.sqrt(0.375 * 0.625 * 0.02)
    assert two_proportion_test(45, 100, 30, 100) == pytest.approx(
        2 * sstats.norm.sf(0.15 / se), rel=1e-12
    )
    assert round(two_proportion_test(45, 100, 30, 100), 4) == 0.0285


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0, 0, 5, 10), "nan"),  # nothing observed on one side
        ((5, 10, 0, 0), "nan"),
        ((0, 0, 0, 0), "nan"),
        ((3, -1, 2, 10), "nan"),
        ((10, 10, 20, 20), 1.0),  # all successes on both sides: no difference to test
        ((0, 10, 0, 20), 1.0),  # no success at all
    ],
)
def test_two_proportion_test_edge_cases(args, expected):
    p = two_proportion_test(*args)
    if expected == "nan":
        assert math.isnan(p)
    else:
        assert p == expected


def test_two_proportion_test_all_successes_against_none_is_significant():
    p = two_proportion_test(30, 30, 0, 30)
    _, expected = proportions_ztest([30, 0], [30, 30])
    assert p == pytest.approx(expected) and p < 1e-10


# ---------------------------------------------------------------------------------------
# Mann–Whitney U
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(("nx", "ny"), [(5, 7), (40, 55), (400, 380)])
def test_mann_whitney_matches_scipy(seed, nx, ny):
    rng = np.random.default_rng(seed)
    x = rng.lognormal(1.0, 0.8, nx)
    y = rng.lognormal(1.2, 0.8, ny)
    expected = sstats.mannwhitneyu(x, y, alternative="two-sided").pvalue
    assert mann_whitney(x, y) == pytest.approx(expected, rel=1e-12)


def test_mann_whitney_with_ties_matches_scipy():
    x = np.array([1, 2, 2, 3, 3, 3, 4, 5, 5, 5], dtype=float)  # scores on a 1-5 scale
    y = np.array([2, 3, 3, 4, 4, 4, 5, 5, 5, 5, 5], dtype=float)
    expected = sstats.mannwhitneyu(x, y, alternative="two-sided").pvalue
    assert mann_whitney(x, y) == pytest.approx(expected, rel=1e-12)


def test_mann_whitney_leaves_out_missing_values():
    x = np.array([1.0, np.nan, 3.0, 4.0, 8.0, np.nan])
    y = np.array([2.0, 5.0, 6.0, 7.0, np.nan, 9.0])
    expected = sstats.mannwhitneyu([1, 3, 4, 8], [2, 5, 6, 7, 9], alternative="two-sided").pvalue
    assert mann_whitney(x, y) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("x", "y"),
    [([], [1.0, 2.0]), ([1.0, 2.0], []), ([], []), ([np.nan], [1.0, 2.0])],
)
def test_mann_whitney_empty_side_is_nan(x, y):
    assert math.isnan(mann_whitney(np.array(x), np.array(y)))


def test_mann_whitney_identical_constant_samples_give_one():
    assert mann_whitney(np.full(20, 3.0), np.full(15, 3.0)) == 1.0


# ---------------------------------------------------------------------------------------
# Poisson rates (counts per day)
# ---------------------------------------------------------------------------------------

POISSON_CASES = [
    (10, 31, 25, 30),
    (0, 31, 5, 30),
    (565, 31, 593, 30),  # complaints of the sample, October against September
    (5117, 31, 5295, 30),
    (3, 1, 3, 1),
    (7, 28, 0, 31),
]


@pytest.mark.parametrize(("k1", "t1", "k2", "t2"), POISSON_CASES)
def test_poisson_rate_test_matches_binomtest(k1, t1, k2, t2):
    expected = sstats.binomtest(k1, k1 + k2, t1 / (t1 + t2)).pvalue
    assert poisson_rate_test(k1, t1, k2, t2) == pytest.approx(expected, rel=1e-12)


@pytest.mark.skipif(poisson_2indep is None, reason="statsmodels.stats.rates not available")
@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # its ratio when k2 = 0
@pytest.mark.parametrize(("k1", "t1", "k2", "t2"), POISSON_CASES)
def test_poisson_rate_test_matches_statsmodels_exact_conditional(k1, t1, k2, t2):
    expected = poisson_2indep(k1, t1, k2, t2, method="exact-cond").pvalue
    assert poisson_rate_test(k1, t1, k2, t2) == pytest.approx(expected, rel=1e-9)


def test_poisson_rate_test_rounds_counts():
    assert poisson_rate_test(10.4, 31, 24.6, 30) == poisson_rate_test(10, 31, 25, 30)


@pytest.mark.parametrize("args", [(0, 31, 0, 30), (5, 0, 3, 30), (5, 31, 3, 0), (5, -1, 3, 30)])
def test_poisson_rate_test_edge_cases_are_nan(args):
    assert math.isnan(poisson_rate_test(*args))


# ---------------------------------------------------------------------------------------
# NPS
# ---------------------------------------------------------------------------------------


def test_nps_difference_hand_computation():
    # first: 50 promoters, 20 detractors of 100 → NPS 30, v = 0.5 + 0.2 − 0.3² = 0.61
    # second: 40 and 30 of 100 → NPS 10, v = 0.4 + 0.3 − 0.1² = 0.69
    diff, lo, hi = nps_difference(50, 20, 100, 40, 30, 100)
    half = Z95 * 100 * math.sqrt(0.61 / 100 + 0.69 / 100)
    assert diff == pytest.approx(20.0)
    assert (lo, hi) == pytest.approx((20.0 - half, 20.0 + half))
    assert half == pytest.approx(22.347, abs=1e-3)


def test_nps_difference_unequal_samples():
    diff, lo, hi = nps_difference(120, 30, 200, 10, 25, 50)
    a, b, c, d = 0.6, 0.15, 0.2, 0.5
    var = (a + b - (a - b) ** 2) / 200 + (c + d - (c - d) ** 2) / 50
    assert diff == pytest.approx(100 * ((a - b) - (c - d)))
    assert hi - lo == pytest.approx(2 * Z95 * 100 * math.sqrt(var))


def test_nps_difference_agrees_with_nps_interval_when_second_sample_is_huge():
    # with an (almost) exact second sample, the difference's interval is the first's
    diff, lo, hi = nps_difference(50, 20, 100, 5_000_000, 2_000_000, 10_000_000)
    a_lo, a_hi = nps_interval(50, 20, 100)
    assert diff == pytest.approx(0.0, abs=1e-9)
    assert hi - lo == pytest.approx(a_hi - a_lo, rel=1e-3)


@pytest.mark.parametrize("args", [(0, 0, 0, 5, 2, 10), (5, 2, 10, 0, 0, 0), (0, 0, 0, 0, 0, 0)])
def test_nps_difference_without_answers_is_nan(args):
    assert all(math.isnan(x) for x in nps_difference(*args))


def test_nps_difference_all_promoters_has_zero_width():
    diff, lo, hi = nps_difference(10, 0, 10, 20, 0, 20)
    assert (diff, lo, hi) == (0.0, 0.0, 0.0)


# ---------------------------------------------------------------------------------------
# Intervals used in the evidence
# ---------------------------------------------------------------------------------------


def test_wilson_interval_hand_value_and_edges():
    # p = 0.8, n = 10: centre (0.8 + z²/20)/(1 + z²/10), half z·sqrt(0.016 + z²/400)/(1 + z²/10)
    z = Z95
    denom = 1 + z * z / 10
    centre = (0.8 + z * z / 20) / denom
    half = z * math.sqrt(0.8 * 0.2 / 10 + z * z / 400) / denom
    assert wilson_interval(8, 10) == pytest.approx((centre - half, centre + half))
    assert all(math.isnan(x) for x in wilson_interval(0, 0))
    assert wilson_interval(0, 7)[0] == 0.0
    assert wilson_interval(7, 7)[1] == 1.0


def test_nps_interval_hand_value_and_edges():
    half = Z95 * 100 * math.sqrt((0.5 + 0.2 - 0.3**2) / 100)
    assert nps_interval(50, 20, 100) == pytest.approx((30 - half, 30 + half))
    assert nps_interval(100, 0, 100) == (100.0, 100.0)
    assert all(math.isnan(x) for x in nps_interval(0, 0, 0))


# ---------------------------------------------------------------------------------------
# Control charts
# ---------------------------------------------------------------------------------------


def test_xmr_limits_hand_computed():
    values = [10.0, 12.0, 11.0, 15.0, 13.0]
    # mean 12.2; moving ranges 2, 1, 4, 2 → mean 2.25; limits 12.2 ± 2.66 · 2.25 = ± 5.985
    lcl, centre, ucl = xmr_limits(np.array(values))
    assert centre == pytest.approx(12.2)
    assert lcl == pytest.approx(12.2 - 5.985)
    assert ucl == pytest.approx(12.2 + 5.985)


def test_xmr_limits_ignore_missing_values():
    assert xmr_limits(np.array([10.0, np.nan, 12.0, 11.0, 15.0, 13.0])) == pytest.approx(
        xmr_limits(np.array([10.0, 12.0, 11.0, 15.0, 13.0]))
    )


@pytest.mark.parametrize("values", [[], [5.0], [np.nan, 5.0], [np.nan]])
def test_xmr_limits_too_few_points_are_nan(values):
    assert all(math.isnan(x) for x in xmr_limits(np.array(values, dtype=float)))


def test_xmr_limits_constant_series_collapse_on_the_centre():
    assert xmr_limits(np.full(6, 4.0)) == (4.0, 4.0, 4.0)


def test_p_chart_limits_hand_computed():
    s = np.array([10.0, 20.0, 30.0])
    n = np.array([100.0, 200.0, 100.0])
    lcl, centre, ucl = p_chart_limits(s, n)
    # p̄ = 60 / 400 = 0.15; σᵢ = sqrt(0.15 · 0.85 / nᵢ)
    assert centre == pytest.approx(0.15)
    s100, s200 = math.sqrt(0.1275 / 100), math.sqrt(0.1275 / 200)
    assert ucl == pytest.approx([0.15 + 3 * s100, 0.15 + 3 * s200, 0.15 + 3 * s100])
    assert lcl == pytest.approx([0.15 - 3 * s100, 0.15 - 3 * s200, 0.15 - 3 * s100])


def test_p_chart_limits_are_clipped_to_zero_and_one():
    lcl, centre, ucl = p_chart_limits(np.array([1.0, 0.0, 1.0]), np.array([10.0, 10.0, 10.0]))
    assert centre == pytest.approx(2 / 30)
    assert np.all(lcl == 0.0)  # 0.067 − 3 · 0.079 < 0
    lcl, _, ucl = p_chart_limits(np.array([9.0, 10.0, 10.0]), np.array([10.0, 10.0, 10.0]))
    assert np.all(ucl == 1.0)


def test_p_chart_limits_without_observations_are_nan():
    lcl, centre, ucl = p_chart_limits(np.array([0.0, 0.0]), np.array([0.0, 0.0]))
    assert math.isnan(centre) and np.isnan(lcl).all() and np.isnan(ucl).all()
    lcl, centre, ucl = p_chart_limits(np.array([]), np.array([]))
    assert math.isnan(centre) and len(lcl) == 0 and len(ucl) == 0


def test_p_chart_limits_month_without_observations_does_not_raise():
    lcl, centre, ucl = p_chart_limits(np.array([10.0, 0.0, 12.0]), np.array([100.0, 0.0, 100.0]))
    assert centre == pytest.approx(0.11)
    # a month with n = 0 has no information: its limits span everything
    assert (lcl[1], ucl[1]) == (0.0, 1.0)
    assert np.isfinite(lcl).all() and np.isfinite(ucl).all()


def test_laney_limits_widen_the_p_chart_by_sigma_z():
    s = np.array([50.0, 62.0, 48.0, 66.0, 55.0, 60.0])
    n = np.full(6, 1000.0)
    pbar = s.sum() / n.sum()
    sigma = math.sqrt(pbar * (1 - pbar) / 1000)
    z = (s / n - pbar) / sigma
    sigma_z = np.abs(np.diff(z)).mean() / 1.128
    assert sigma_z > 1  # over-dispersed: the plain p-chart would be too narrow
    lcl, centre, ucl = laney_p_chart_limits(s, n)
    assert centre == pytest.approx(pbar)
    assert ucl == pytest.approx(np.full(6, pbar + 3 * sigma * sigma_z))
    assert lcl == pytest.approx(np.full(6, max(pbar - 3 * sigma * sigma_z, 0.0)))


def test_p_chart_limits_from_a_baseline():
    s = np.array([10.0, 20.0, 30.0, 90.0])
    n = np.array([100.0, 200.0, 100.0, 100.0])
    base = np.array([True, True, True, False])  # the last point is left out of p̄
    lcl, centre, ucl = p_chart_limits(s, n, base)
    assert centre == pytest.approx(0.15)
    s100 = math.sqrt(0.1275 / 100)
    assert ucl[3] == pytest.approx(0.15 + 3 * s100) and lcl[3] == pytest.approx(0.15 - 3 * s100)
    full = p_chart_limits(s[:3], n[:3])
    assert ucl[:3] == pytest.approx(full[2]) and lcl[:3] == pytest.approx(full[0])


def test_laney_limits_from_a_baseline():
    s = np.array([50.0, 62.0, 48.0, 66.0, 55.0, 60.0, 300.0])
    n = np.full(7, 1000.0)
    base = np.arange(7) < 6
    lcl, centre, ucl = laney_p_chart_limits(s, n, base)
    want = laney_p_chart_limits(s[:6], n[:6])
    assert centre == pytest.approx(want[1])
    assert ucl == pytest.approx(np.full(7, want[2][0]))
    assert lcl == pytest.approx(np.full(7, want[0][0]))
    assert laney_p_chart_limits(s, n, np.ones(7, bool))[2] == pytest.approx(
        laney_p_chart_limits(s, n)[2]
    )


def test_laney_limits_keep_the_p_chart_without_over_dispersion():
    s = np.array([50.0, 51.0, 50.0, 49.0, 50.0])
    n = np.full(5, 1000.0)
    for got, want in zip(laney_p_chart_limits(s, n), p_chart_limits(s, n), strict=True):
        assert got == pytest.approx(want)


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------


@st.composite
def two_proportions(draw):
    n1 = draw(st.integers(0, 5000))
    n2 = draw(st.integers(0, 5000))
    return draw(st.integers(0, n1)), n1, draw(st.integers(0, n2)), n2


samples = st.lists(
    st.one_of(
        st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
        st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0]),  # many ties, as survey scores have
        st.just(math.nan),
    ),
    max_size=60,
)


def _in_unit_interval_or_nan(p: float) -> bool:
    return math.isnan(p) or 0.0 <= p <= 1.0


@PROPERTY
@given(two_proportions())
def test_two_proportion_p_value_in_unit_interval_and_symmetric(args):
    s1, n1, s2, n2 = args
    p = two_proportion_test(s1, n1, s2, n2)
    assert _in_unit_interval_or_nan(p)
    assert math.isnan(p) == (min(n1, n2) == 0)
    swapped = two_proportion_test(s2, n2, s1, n1)
    assert (math.isnan(p) and math.isnan(swapped)) or swapped == pytest.approx(p, abs=1e-12)


@PROPERTY
@given(samples, samples)
def test_mann_whitney_p_value_in_unit_interval_and_symmetric(x, y):
    x, y = np.array(x, dtype=float), np.array(y, dtype=float)
    p = mann_whitney(x, y)
    assert _in_unit_interval_or_nan(p)
    empty = np.isnan(x).all() or np.isnan(y).all()  # also true for an empty list
    assert math.isnan(p) == empty
    swapped = mann_whitney(y, x)
    assert (math.isnan(p) and math.isnan(swapped)) or swapped == pytest.approx(p, abs=1e-12)


@PROPERTY
@given(
    st.integers(0, 20_000),
    st.floats(0.5, 400),
    st.integers(0, 20_000),
    st.floats(0.5, 400),
)
def test_poisson_rate_p_value_in_unit_interval_and_symmetric(k1, t1, k2, t2):
    p = poisson_rate_test(k1, t1, k2, t2)
    assert _in_unit_interval_or_nan(p)
    assert math.isnan(p) == (k1 + k2 == 0)
    swapped = poisson_rate_test(k2, t2, k1, t1)
    assert (math.isnan(p) and math.isnan(swapped)) or swapped == pytest.approx(
        p, rel=1e-6, abs=1e-12
    )


@st.composite
def nps_samples(draw):
    n = draw(st.integers(0, 3000))
    p = draw(st.integers(0, n))
    return p, draw(st.integers(0, n - p)), n


@PROPERTY
@given(nps_samples(), nps_samples())
def test_nps_difference_is_antisymmetric(a, b):
    diff, lo, hi = nps_difference(*a, *b)
    back, blo, bhi = nps_difference(*b, *a)
    if min(a[2], b[2]) == 0:
        assert math.isnan(diff) and math.isnan(back)
        return
    assert -200 <= diff <= 200 and lo <= diff <= hi
    assert back == pytest.approx(-diff, abs=1e-9)
    assert (blo, bhi) == pytest.approx((-hi, -lo), abs=1e-9)
