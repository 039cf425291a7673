"""Survey comments in five languages, built from the phrases of ``comments.yaml``.

The phrases (three per language and theme) are data, not code: they live in the
package data file ``comments.yaml``, read once with :mod:`importlib.resources` (so it
also works from an installed wheel or zip). A comment is one phrase of its first theme,
followed by one of its second theme for mixed scores ("nice, but ...").
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from .model import LANGUAGES, THEMES

#: The package data file with the phrases, by language and theme.
TEMPLATES_FILE = "comments.yaml"


@functools.cache
def templates() -> dict[str, dict[str, tuple[str, ...]]]:
    """The comment phrases, ``{language: {theme: (phrase, phrase, phrase)}}``.

    Read from ``comments.yaml`` once per process; treat the result as read-only.

    Returns
    -------
    dict of str to dict of str to tuple of str
        Every language of :data:`LANGUAGES`, every theme of :data:`THEMES`, three
        phrases each.

    Examples
    --------
    >>> templates()["en"]["quick_resolution"][0]
    'Problem solved quickly, thank you!'
    >>> sorted(templates()) == sorted(LANGUAGES)
    True
    """
    text = resources.files(__package__).joinpath(TEMPLATES_FILE).read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return {lang: {theme: tuple(p) for theme, p in themes.items()} for lang, themes in raw.items()}


def _comments(sv: dict[str, np.ndarray]) -> pa.Array:
    """The comment of each survey (null without one), from its language, themes and
    phrase numbers."""
    phrases = templates()
    flat = np.array(
        [phrases[lang][theme][k] for lang in LANGUAGES for theme in THEMES for k in range(3)],
        dtype=object,
    )
    table = pa.array(flat, type=pa.string())
    stride_lang, stride_theme = len(THEMES) * 3, 3
    idx1 = sv["lang"] * stride_lang + sv["theme1"] * stride_theme + sv["phrase1"]
    idx2 = sv["lang"] * stride_lang + np.maximum(sv["theme2"], 0) * stride_theme + sv["phrase2"]
    part1 = table.take(pa.array(idx1, mask=~sv["has_comment"]))
    part2 = table.take(pa.array(idx2, mask=~sv["has_comment"] | (sv["theme2"] < 0)))
    # (null_handling="skip" drops all-null rows in pyarrow 26, so build the tail first)
    tail = pc.fill_null(pc.binary_join_element_wise(" ", part2, ""), "")
    return pc.binary_join_element_wise(part1, tail, "")
