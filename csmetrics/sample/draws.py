"""Random draws and column dicts shared by the tables of the sample.

The generator keeps a table as a dict of equally long NumPy arrays (one per column)
until it builds the final frame; :func:`_concat` and :func:`_take` stack and reorder
such dicts.
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _lognormal(rng: np.random.Generator, median: Any, sigma: float, n: int) -> np.ndarray:
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(n))


def _pick(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of a (n, k) probability matrix (rows need not be normalised)."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return np.minimum((u[:, None] >= cum).sum(axis=1), probs.shape[1] - 1)


def _choice_weights(rng: np.random.Generator, weights: np.ndarray, n: int) -> np.ndarray:
    cw = np.cumsum(weights)
    return np.minimum(np.searchsorted(cw, rng.random(n) * cw[-1], side="right"), len(cw) - 1)


def _concat(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _take(d: dict[str, np.ndarray], idx: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[idx] for k, v in d.items()}
