"""Uncertainty and queueing formulas used by the KPIs.

All functions are small, vectorised where it matters, and deterministic (no
random bootstrap), so the same data always gives the same report.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special, stats

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


def mean_interval(mean: float, sd: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Normal-approximation interval ``mean ± t·sd/sqrt(n)`` (Student t for small n)."""
    if not n or n < 2 or math.isnan(sd):
        return (math.nan, math.nan)
    crit = stats.t.ppf(0.975, n - 1) if n < 200 else z
    half = crit * sd / math.sqrt(n)
    return (mean - half, mean + half)


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
    lo = int(stats.binom.ppf((1 - conf) / 2, n, q))
    hi = int(stats.binom.ppf((1 + conf) / 2, n, q)) + 1
    return (float(x[max(lo - 1, 0)]), float(x[min(hi - 1, n - 1)]))


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
        top = stats.poisson.pmf(n, a) * n / (n - a)
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
