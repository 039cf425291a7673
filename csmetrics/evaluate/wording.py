"""The pieces of sentences the evaluation writes: KPI values, changes, targets, missing
data and breakdowns, in the report's language.

Every function returns plain text; the notebook inserts it as text, never as Markdown
(:mod:`csmetrics.evaluate.render`).
"""

from __future__ import annotations

import math

from .. import i18n
from ..i18n import N_, _, ngettext
from ..summary import format_change, format_value, negligible
from .model import Evidence

#: Columns a KPI is broken down by, as named inside sentences (other columns: their name).
SEGMENT_NAMES = {
    # Translators: a breakdown, as in "the weakest channel" or "worst channel: email"
    "channel": N_("channel"),
    # Translators: a breakdown, as in "the weakest team" or "worst team: Porto Tier 1"
    "team": N_("team"),
    # Translators: a breakdown by request type, as in "worst category: Billing"
    "category": N_("category"),
    # Translators: a breakdown by ticket priority, as in "the weakest priority, urgent"
    "priority": N_("priority"),
    # Translators: a breakdown by queue, as in "the weakest queue"
    "queue": N_("queue"),
}


def _segment(column: str) -> str:
    """The name of a breakdown column for a sentence (``channel``, ``canal``...)."""
    return _(SEGMENT_NAMES[column]) if column in SEGMENT_NAMES else str(column)


def _lc(label: str) -> str:
    """Lower-case a label's first letter for use inside a sentence, keeping acronyms and
    proper names (``CSAT …``, ``Net Promoter Score``: a later word is capitalised too).

    >>> _lc("First response time, median"), _lc("Net Promoter Score"), _lc("CSAT mean")
    ('first response time, median', 'Net Promoter Score', 'CSAT mean')
    """
    words = label.split()
    if len(label) > 1 and label[1].isupper():
        return label
    if len(words) > 1 and words[1][:1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _fmt(ev: Evidence, cur: str) -> str:
    """The evidence's value in its unit (``62.7%``, ``€8.57``)."""
    return format_value(ev.value, ev.unit, cur)


def _target_clause(main: Evidence, source: str, cur: str) -> str:
    """``against a target of 4.00 h`` (with ``(a common benchmark; set your own target)``
    when the target is the checklist's benchmark)."""
    target = format_value(main.target, main.unit, cur)
    if source == "benchmark":
        # Translators: part of an answer, after a KPI's value
        return _("against a target of {target} (a common benchmark; set your own target)").format(
            target=target
        )
    # Translators: part of an answer, after a KPI's value
    return _("against a target of {target}").format(target=target)


def _no_data(ev: Evidence) -> str:
    """``No data: <label> <why>.``"""
    # Translators: {why} says what is missing, e.g. "needs table calls"
    return _("No data: {label} {why}.").format(label=_lc(ev.label), why=ev.note)


def _change_clause(ev: Evidence) -> str:
    """``, up 2.1 pp from 2026-09 (significant)`` (empty without a change)."""
    c = ev.previous
    if c is None or math.isnan(c.change):
        return ""
    if negligible(c.change, ev.unit):
        # Translators: appended to a sentence about a KPI; {period} is the earlier period
        return ", " + _("unchanged since {period}").format(period=i18n.period(c.period))
    fmt = {
        "change": format_change(abs(c.change), ev.unit).lstrip("+"),
        "period": i18n.period(c.period),
    }
    if c.change > 0:
        clause = {
            # Translators: appended to a sentence about a KPI: the change from an earlier
            # period and whether it is significant; {change} is a size without sign (2.1 pp)
            True: _("up {change} from {period} (significant)"),
            False: _("up {change} from {period} (not significant)"),
            None: _("up {change} from {period} (not tested)"),
        }[c.significant]
    else:
        clause = {
            True: _("down {change} from {period} (significant)"),
            False: _("down {change} from {period} (not significant)"),
            None: _("down {change} from {period} (not tested)"),
        }[c.significant]
    return ", " + clause.format(**fmt)


def _no_data_by(label: str, by: str) -> str:
    """``No data: <label> by <column> is not available.``"""
    # Translators: e.g. "No data: first-contact resolution by team is not available."
    return _("No data: {label} by {by} is not available.").format(label=_lc(label), by=_segment(by))


def _n_comments(n: float) -> str:
    """``12 comments`` in the current language."""
    return ngettext("{n} comment", "{n} comments", n).format(n=i18n.number(n))


def _g(x: float, digits: int = 2) -> str:
    """``x`` with ``digits`` significant digits (a p-value: ``0.012``, ``3.1e-05``) and the
    locale's decimal separator."""
    return f"{x:.{digits}g}".replace(".", i18n.decimal_separator())


def _signed_percent(share: float, decimals: int = 0) -> str:
    """A signed percentage (``+12%``, ``-3%``) in the locale's style."""
    if share is None or math.isnan(share):
        return "–"
    return ("+" if share >= 0 else "") + i18n.percent(share, decimals)
