"""Recurring themes in survey comments, in the comments' own languages.

A light, dependency-free approach that works offline: lower-case word tokens, stop
words removed for English, Portuguese, Spanish, Italian and Polish, then the words and
two-word phrases that recur most, per language and score band. The language of each
comment is the one whose stop words (and marker letters and words) it uses most.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable

import pandas as pd

from . import i18n
from .i18n import N_

# fmt: off
STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("""a about after again all also am an and any are as at be because been
        before being but by can could did do does doing don't for from had has have having
        he her here him his how i i'm if in into is it it's its just me more most my no not
        of on once only or other our out over so some such than that the their them then
        there these they this to too under until up very was we were what when where which
        while who why will with would you your yes get got still""".split()),
    "pt": frozenset("""a ao aos as até com como da das de dela dele do dos e é ela ele em
        entre era essa esse esta está estão eu foi for foram há isso isto já lhe mais mas
        me mesmo meu minha muito na nas não nem no nos nós num numa o os ou para pela pelo
        por porque que quando se sem ser seu sua são só também te tem ter teu um uma vocês
        você fui ainda estou""".split()),
    "es": frozenset("""a al algo como con de del desde donde el ella ellos en entre era es
        esa ese esta este está están fue ha hay la las le les lo los me mi muy más nada ni
        no nos o para pero por porque que se sin sobre su sus también te tengo tiene todo
        un una uno y ya yo he sido estoy todavía""".split()),
    "it": frozenset("""a ad al alla alle anche che ci come con da dal dalla dei del della di
        e è ed era gli ha hanno ho i il in io la le lei lo loro lui ma mi mia mio molto ne
        nel nella non o per più questo questa quando se si sia sono su sul sulla ti tra un
        una uno stato ancora""".split()),
    "pl": frozenset("""a aby ale bardzo bez być był była było co czy dla do go i ich ja jak
        jako jego jej jest już ma mi mnie mój na nad nie nic o od po pod przez przy się
        so ta tak też to tu ty w we z za że żeby jestem mam są jeszcze""".split()),
}
#: Letters and common service words that point to one language (for detection only).
MARKERS: dict[str, tuple[frozenset[str], str]] = {
    "en": (frozenset("thanks thank great quick resolved waited support helpful".split()), ""),
    "pt": (frozenset("""obrigado obrigada atendimento rapidamente resolvido demoraram imenso
                     reembolso encomenda tive ligar vezes chegou semanas""".split()), "ãõçê"),
    "es": (frozenset("""gracias rápido atención resuelto reembolso pedido tuve llamar veces
                     llegó tardaron semanas""".split()), "ñ¿¡"),
    "it": (frozenset("""grazie assistenza risolto rimborso ordine subito volte chiamare
                     arrivato settimane""".split()), "ìò"),
    "pl": (frozenset("""dziękuję szybko obsługa zwrot zamówienie musiałem razy dzwonić
                     tygodnie""".split()), "ąćęłńśźż"),
}
# fmt: on
LANGUAGES = tuple(STOP_WORDS)
_SHARED = Counter(w for stops in STOP_WORDS.values() for w in stops)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens of ``text`` (letters of any alphabet, no digits).

    Examples
    --------
    >>> tokens("Czekałem 3 dni na odpowiedź!")
    ['czekałem', 'dni', 'na', 'odpowiedź']
    """
    return _WORD.findall(str(text).lower())


def detect_language(text: str) -> str:
    """The language whose stop words the text uses most (``"unknown"`` if none).

    Examples
    --------
    >>> detect_language("O atendimento foi muito rápido e eficiente")
    'pt'
    >>> detect_language("Ho dovuto chiamare tre volte per avere una risposta")
    'it'
    """
    words = tokens(text)
    if not words:
        return "unknown"
    lower = str(text).lower()
    scores = {}
    for lang, stops in STOP_WORDS.items():
        marker_words, letters = MARKERS[lang]
        score = sum(1 / _SHARED[w] for w in words if w in stops)
        score += sum(1.0 for w in words if w in marker_words)
        score += sum(0.5 for ch in lower if ch in letters)
        scores[lang] = score
    best = max(scores.values())
    if best == 0:
        return "unknown"
    winners = [lang for lang, s in scores.items() if s == best]
    return winners[0]


def language_label(code: str, *, lang: str | None = None) -> str:
    """A language of :func:`detect_language` as shown to people, in ``lang`` (default:
    the current language): ``pt`` → ``Portuguese``; ``unknown`` translated.

    Examples
    --------
    >>> language_label("pt"), language_label("unknown"), language_label("pt", lang="it")
    ('Portuguese', 'unknown', 'portoghese')
    """
    if code == "unknown":
        # Translators: the language of a comment could not be recognised
        return i18n.translate(N_("unknown"), lang)
    return i18n.language_name(code, lang=lang)


def content_words(text: str, lang: str) -> list[str]:
    """Tokens without the stop words of ``lang`` (and of English, often mixed in)."""
    stops = STOP_WORDS.get(lang, frozenset()) | STOP_WORDS["en"]
    return [w for w in tokens(text) if w not in stops and len(w) > 2]


def terms(texts: Iterable[str], lang: str) -> Counter:
    """Words and two-word phrases of the texts, counted once per comment."""
    counts: Counter = Counter()
    for text in texts:
        words = content_words(text, lang)
        found = set(words) | {f"{a} {b}" for a, b in itertools.pairwise(words)}
        counts.update(found)
    return counts


def themes(
    comments: pd.DataFrame, top: int = 5, min_count: int = 3, group: str = "band"
) -> pd.DataFrame:
    """The terms that recur most per language and group (e.g. score band).

    Parameters
    ----------
    comments : DataFrame
        Columns ``comment`` and ``group`` (default ``band``).

    Returns
    -------
    DataFrame
        ``language, <group>, term, comments, share`` where ``comments`` counts the
        comments using the term and ``share`` divides by the comments of that language
        and group. A phrase shadows its words when it is as frequent.
    """
    df = comments[comments["comment"].notna()].copy()
    if df.empty:
        return pd.DataFrame(columns=["language", group, "term", "comments", "share"])
    df["language"] = df["comment"].map(detect_language)
    rows = []
    for (lang, g), part in df.groupby(["language", group]):
        counts = terms(part["comment"], lang)
        phrases = {t: c for t, c in counts.items() if " " in t and c >= min_count}
        covered = {w for p, c in phrases.items() for w in p.split() if counts[w] <= c}
        # most used first, ties by the term itself (never by the order of a set)
        ranked = sorted(
            ((t, c) for t, c in counts.items() if c >= min_count and t not in covered),
            key=lambda tc: (-tc[1], tc[0]),
        )
        for term, c in ranked[:top]:
            rows.append(
                {"language": lang, group: g, "term": term, "comments": c, "share": c / len(part)}
            )
    return pd.DataFrame(rows, columns=["language", group, "term", "comments", "share"])
