"""Uncertainty and queueing formulas used by the KPIs.

All functions are small, vectorised where it matters, and deterministic (no
random bootstrap), so the same data always gives the same report.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

# scipy.stats (0.5 s to import) is imported by the two significance tests that need it;
# the KPI intervals use the functions scipy.stats itself calls (scipy.special)

Z95 = 1.959963984540054
LOW_SAMPLE = 30


def wilson_interval(successes: float, n: float, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval for a proportion ``successes / n``.

    Formula: ``(p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)``.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(8, 10)]
    [0.4902, 0.9433]
    >>> wilson_interval(0, 0)
    (nan, nan)
    >>> wilson_interval(0, 3)[0], wilson_interval(3, 3)[1]
    (0.0, 1.0)
    """
    if not n or n <= 0 or math.isnan(n):
        return (math.nan, math.nan)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # at p = 0 (or 1) the bound is exactly 0 (or 1); rounding must not put it past p
    lo = 0.0 if successes <= 0 else max(0.0, centre - half)
    hi = 1.0 if successes >= n else min(1.0, centre + half)
    return (lo, hi)


def nps_interval(
    promoters: float, detractors: float, n: float, z: float = Z95
) -> tuple[float, float]:
    """95% interval of NPS (in points, -100..100).

    Formula: ``NPS ± z·100·sqrt((p + d - (p - d)²) / n)`` with ``p``, ``d`` the shares of
    promoters and detractors, clipped to [-100, 100].

    Examples
    --------
    >>> [round(x, 2) for x in nps_interval(50, 20, 100)]
    [14.69, 45.31]
    """
    if not n or n <= 0:
        return (math.nan, math.nan)
    p, d = promoters / n, detractors / n
    nps = 100 * (p - d)
    half = z * 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)
    return (max(-100.0, nps - half), min(100.0, nps + half))


def mean_interval(
    mean: float, sd: float, n: float, z: float = Z95, floor: float | None = None
) -> tuple[float, float]:
    """Interval ``mean ± t·sd/sqrt(n)`` (Student t below 200 observations, else normal).

    ``floor`` is the smallest value the quantity can take (0 for a duration): a lower end
    below it, which a few skewed observations give, is raised to it.

    Examples
    --------
    >>> [round(float(x), 3) for x in mean_interval(1.0, 0.7071068, 2, floor=0.0)]
    [0.0, 7.353]
    """
    if not n or n < 2 or math.isnan(sd):
        return (math.nan, math.nan)
    crit = special.stdtrit(n - 1, 0.975) if n < 200 else z  # t.ppf(0.975, n - 1)
    half = crit * sd / math.sqrt(n)
    low = mean - half if floor is None else max(mean - half, floor)
    return (float(low), float(mean + half))


def exponential_mean_interval(mean: float, n: float, conf: float = 0.95) -> tuple[float, float]:
    """Exact interval for the mean of ``n`` exponential gaps (the MTBF of a constant
    failure rate): ``2·n·mean / χ²((1 ± conf)/2, 2n)``, always positive.

    Examples
    --------
    >>> [round(x, 2) for x in exponential_mean_interval(865 / 3, 3)]
    [119.73, 1398.16]
    """
    if not n or n < 1 or math.isnan(mean):
        return (math.nan, math.nan)
    total = 2 * n * mean
    return (
        float(total / _chi2_quantile((1 + conf) / 2, 2 * n)),
        float(total / _chi2_quantile((1 - conf) / 2, 2 * n)),
    )


def _chi2_quantile(prob: float, df: float) -> float:
    """``scipy.stats.chi2.ppf(prob, df)``, as scipy computes it: ``2·P⁻¹(df/2, prob)``."""
    return float(2 * special.gammaincinv(df / 2, prob))


#: The ufunc ``scipy.stats.binom.ppf`` calls (private to scipy, hence the fallback below)
_BINOM_PPF = getattr(getattr(special, "_ufuncs", None), "_binom_ppf", None)


def binom_quantile(prob: float, n: int, q: float) -> int:
    """The ``prob`` quantile of binomial(n, q): the smallest ``k`` with ``P(X ≤ k) ≥ prob``
    (``scipy.stats.binom.ppf`` for ``0 < prob < 1``).

    Examples
    --------
    >>> binom_quantile(0.025, 100, 0.5), binom_quantile(0.975, 100, 0.5)
    (40, 60)
    """
    if _BINOM_PPF is not None:  # Boost's quantile, exact where P(X ≤ k) = prob exactly
        return int(_BINOM_PPF(prob, n, q))
    k = min(max(math.ceil(float(special.bdtrik(prob, n, q))), 0), n)
    while k > 0 and special.bdtr(k - 1, n, q) >= prob:
        k -= 1
    while k < n and special.bdtr(k, n, q) < prob:
        k += 1
    return k


def quantile_interval(values: np.ndarray, q: float, conf: float = 0.95) -> tuple[float, float]:
    """Distribution-free interval for the ``q`` quantile from order statistics.

    The ranks are the binomial(n, q) quantiles at (1-conf)/2 and (1+conf)/2, so the
    interval holds with at least ``conf`` coverage whatever the distribution.

    Examples
    --------
    >>> quantile_interval(np.arange(1, 101, dtype=float), 0.5)
    (40.0, 61.0)
    """
    x = np.sort(np.asarray(values, dtype=float))
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        return (math.nan, math.nan)
    lo, hi = quantile_ranks(n, q, conf)
    return (float(x[lo - 1]), float(x[hi - 1]))


def quantile_ranks(n: int, q: float, conf: float = 0.95) -> tuple[int, int]:
    """The 1-based ranks of the order statistics that bound the ``q`` quantile of ``n``
    values with at least ``conf`` coverage (:func:`quantile_interval`; clamped to
    ``1..n``).

    Examples
    --------
    >>> quantile_ranks(100, 0.5)
    (40, 61)
    >>> quantile_ranks(1, 0.9)
    (1, 1)
    """
    lo = binom_quantile((1 - conf) / 2, n, q)
    hi = binom_quantile((1 + conf) / 2, n, q) + 1
    return max(lo, 1), min(hi, n)


def km_quantile(
    time: np.ndarray, event: np.ndarray, p: float = 0.5, tol: float = math.sqrt(2.2e-16)
) -> float:
    """The ``p`` quantile of a Kaplan–Meier curve, by R ``survival``'s convention.

    With ``S`` the Kaplan–Meier estimate, ``F = 1 − S`` jumps at each event time. The
    quantile is the first time ``F`` reaches ``p``; where ``F = p`` exactly (within
    ``tol``) over an interval, it is the midpoint of that interval, and when that flat
    runs to the end of the curve, the midpoint between its start and the last
    observed time (event or censoring). This is what ``quantile.survfit`` (and so
    ``print(survfit(...))``'s median) does in R, and without censoring it is the usual
    sample quantile: the median of 10, 20, 30, 40 is 25. NaN when ``F`` never reaches
    ``p`` (e.g. more than half of the observations censored before the median).

    Parameters
    ----------
    time : array of float
        Follow-up times (NaN left out).
    event : array of bool or 0/1
        1 where the time is an event, 0 where it is censored.
    p : float
        The probability (0.5: the median).

    Examples
    --------
    >>> km_quantile(np.array([10.0, 20, 30, 40]), np.array([1, 1, 1, 1]))
    25.0
    >>> km_quantile(np.array([10.0, 20, 30, 40]), np.array([1, 1, 0, 0]))  # flat to 40
    30.0
    """
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    keep = ~np.isnan(time)
    time, event = time[keep], event[keep]
    times, deaths = np.unique(time[event], return_counts=True)
    if times.size == 0:
        return math.nan
    at_risk = time.size - np.searchsorted(np.sort(time), times, side="left")
    x = np.concatenate([[0.0], times])
    f = np.concatenate([[0.0], 1.0 - np.cumprod(1.0 - deaths / at_risk)])
    first = np.flatnonzero(f + tol >= p)  # F reaches p (within tol)
    if first.size == 0:
        return math.nan
    if abs(p - f[-1]) < tol:  # the curve ends on a flat at p
        return float((x[first[0]] + time.max()) / 2)
    beyond = np.flatnonzero(f - tol >= p)  # F passes p
    return float((x[first[0]] + x[beyond[0]]) / 2)


def erlang_c(agents: np.ndarray | int, traffic: float) -> np.ndarray:
    """Probability that a call waits (Erlang C) with ``agents`` servers and ``traffic`` Erlangs.

    Formula: ``C = (A^N/N! · N/(N-A)) / (Σ_{k<N} A^k/k! + A^N/N! · N/(N-A))``, computed
    with the regularised incomplete gamma function for numerical stability
    (``Σ_{k<N} e^-A A^k/k! = Q(N, A)``). Equals 1 when ``N ≤ A``.
    """
    n = np.asarray(agents, dtype=float)
    a = float(traffic)
    if a <= 0:
        return np.zeros_like(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmf = np.exp(special.xlogy(n, a) - special.gammaln(n + 1) - a)  # Poisson(a) at n
        top = pmf * n / (n - a)
        bottom = special.gammaincc(n, a) + top
        c = np.where(n > a, top / bottom, 1.0)
    return np.clip(c, 0.0, 1.0)


def erlang_service_level(
    agents: np.ndarray | int, traffic: float, aht_s: float, target_s: float
) -> np.ndarray:
    """Share of calls answered within ``target_s`` seconds (Erlang C).

    Formula: ``SL = 1 - C(N, A) · exp(-(N - A) · T / AHT)``.
    """
    n = np.asarray(agents, dtype=float)
    c = erlang_c(n, traffic)
    with np.errstate(over="ignore"):
        sl = 1.0 - c * np.exp(-(n - traffic) * target_s / aht_s)
    return np.where(n > traffic, sl, 0.0)


def erlang_agents_required(
    calls: float,
    interval_s: float,
    aht_s: float,
    target_sl: float,
    target_s: float,
    max_agents: int = 10_000,
) -> int:
    """Fewest agents that answer ``target_sl`` of calls within ``target_s`` seconds.

    ``calls`` arrive in an interval of ``interval_s`` seconds with average handle time
    ``aht_s``; traffic ``A = calls · AHT / interval``.

    Examples
    --------
    >>> erlang_agents_required(calls=100, interval_s=1800, aht_s=180, target_sl=0.8,
    ...                        target_s=20)   # the classic published example
    14
    """
    if calls <= 0 or aht_s <= 0:
        return 0
    traffic = calls * aht_s / interval_s
    start = max(math.floor(traffic) + 1, 1)
    candidates = np.arange(start, max(start + 200, int(traffic * 2) + 10))
    sl = erlang_service_level(candidates, traffic, aht_s, target_s)
    ok = np.flatnonzero(sl >= target_sl)
    if ok.size:
        return int(candidates[ok[0]])
    return min(int(candidates[-1]), max_agents)


def low_sample(n: float) -> bool:
    """True when a result rests on fewer than 30 observations."""
    return bool(n < LOW_SAMPLE)


# ---------------------------------------------------------------------------------------
# Significance of a change between two periods
# ---------------------------------------------------------------------------------------


def two_proportion_test(s1: float, n1: float, s2: float, n2: float) -> float:
    """Two-sided p-value of the two-proportion z-test (pooled), as statsmodels computes it.

    Examples
    --------
    >>> round(two_proportion_test(45, 100, 30, 100), 4)
    0.0285
    """
    if min(n1, n2) <= 0:
        return math.nan
    pooled = (s1 + s2) / (n1 + n2)
    if pooled in (0.0, 1.0):
        return 1.0
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    z = (s1 / n1 - s2 / n2) / se
    return float(2 * special.ndtr(-abs(z)))  # 2·(1 − Φ(|z|))


def mann_whitney(x: np.ndarray, y: np.ndarray) -> float:
    """Two-sided p-value of the Mann–Whitney U test (scipy; NaN when a side is empty)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    if x.size == 0 or y.size == 0:
        return math.nan
    if np.all(x == x[0]) and np.all(y == x[0]):
        return 1.0
    from scipy import stats

    return float(stats.mannwhitneyu(x, y, alternative="two-sided").pvalue)


def nps_difference(
    p1: float, d1: float, n1: float, p2: float, d2: float, n2: float, z: float = Z95
) -> tuple[float, float, float]:
    """NPS difference (points, first minus second) with its 95% interval.

    Formula: ``Δ ± z·100·sqrt(v1/n1 + v2/n2)`` with ``v = p + d − (p − d)²`` of shares.

    Examples
    --------
    >>> [round(x, 2) for x in nps_difference(50, 20, 100, 40, 30, 100)]
    [20.0, -2.35, 42.35]
    """
    if min(n1, n2) <= 0:
        return (math.nan, math.nan, math.nan)
    a, b = p1 / n1, d1 / n1
    c, d = p2 / n2, d2 / n2
    diff = 100 * ((a - b) - (c - d))
    var = (a + b - (a - b) ** 2) / n1 + (c + d - (c - d) ** 2) / n2
    half = z * 100 * math.sqrt(max(var, 0.0))
    return (diff, diff - half, diff + half)


def poisson_rate_test(k1: float, t1: float, k2: float, t2: float) -> float:
    """Two-sided p-value that two counts come from the same rate per unit of exposure.

    Conditional exact test: given ``k1 + k2`` events, ``k1`` is binomial with
    probability ``t1 / (t1 + t2)`` under equal rates (e.g. tickets per day).
    """
    k1, k2 = round(k1), round(k2)
    if k1 + k2 == 0 or t1 <= 0 or t2 <= 0:
        return math.nan
    from scipy import stats

    return float(stats.binomtest(k1, k1 + k2, t1 / (t1 + t2)).pvalue)


# ---------------------------------------------------------------------------------------
# Control charts
# ---------------------------------------------------------------------------------------


def xmr_limits(values: np.ndarray) -> tuple[float, float, float]:
    """Centre and natural process limits of an XmR chart: ``mean ± 2.66 · mean(|ΔX|)``."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size < 2:
        return (math.nan, math.nan, math.nan)
    centre = float(x.mean())
    mr = float(np.abs(np.diff(x)).mean())
    return (centre - 2.66 * mr, centre, centre + 2.66 * mr)


def p_chart_limits(
    successes: np.ndarray, n: np.ndarray, baseline: np.ndarray | None = None
) -> tuple[np.ndarray, float, np.ndarray]:
    """p-chart: centre ``p̄ = Σx/Σn`` and per-point limits ``p̄ ± 3·sqrt(p̄(1−p̄)/nᵢ)``.

    ``baseline`` (a boolean mask) restricts the points ``p̄`` is estimated from (e.g.
    leaving out special causes); the limits are still given for every point.
    """
    s = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    ok = n > 0
    if baseline is not None:
        ok &= np.asarray(baseline, dtype=bool)
    if not ok.any():
        nan = np.full(len(n), np.nan)
        return (nan, math.nan, nan)
    pbar = float(s[ok].sum() / n[ok].sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        half = 3 * np.sqrt(pbar * (1 - pbar) / n)
    return (np.clip(pbar - half, 0, 1), pbar, np.clip(pbar + half, 0, 1))


def laney_p_chart_limits(
    successes: np.ndarray, n: np.ndarray, baseline: np.ndarray | None = None
) -> tuple[np.ndarray, float, np.ndarray]:
    """Laney p′-chart: p-chart limits widened by the between-period variation.

    With large samples (hundreds of calls a month) a plain p-chart flags almost every
    month, because real processes vary more than binomial noise. Laney's correction:
    ``zᵢ = (pᵢ − p̄)/σᵢ``, ``σ_z = mean(|Δz|)/1.128``, limits ``p̄ ± 3·σᵢ·σ_z``. When the
    data are not over-dispersed (σ_z ≤ 1) the plain p-chart is kept. ``baseline`` (a
    boolean mask) restricts the points ``p̄`` and ``σ_z`` are estimated from.
    """
    s = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    lcl, pbar, ucl = p_chart_limits(s, n, baseline)
    ok = n > 0
    if baseline is not None:
        ok &= np.asarray(baseline, dtype=bool)
    if ok.sum() < 3 or math.isnan(pbar) or pbar in (0.0, 1.0):
        return lcl, pbar, ucl
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma = np.sqrt(pbar * (1 - pbar) / n)
        z = (s / n - pbar) / sigma
    sigma_z = float(np.abs(np.diff(z[ok])).mean() / 1.128)
    if sigma_z <= 1:
        return lcl, pbar, ucl
    half = 3 * sigma * sigma_z
    return (np.clip(pbar - half, 0, 1), pbar, np.clip(pbar + half, 0, 1))
