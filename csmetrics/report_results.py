"""What a report consists of and what became of it: its sections (:data:`SECTIONS`,
the notebooks in reading order) and the outcome of a run (:class:`ReportResult`, one
:class:`SectionResult` per notebook, with its progress line :func:`outcome`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .i18n import N_

#: Notebooks of the report, in reading order: (file stem, title, one-line description);
#: title and description are English messages, shown translated.
SECTIONS: list[tuple[str, str, str]] = [
    (
        "evaluation",
        N_("Evaluation summary"),
        N_("The checklist answered with evidence, patterns, what repeats, where to improve, "
           "cost against value, and ranked recommendations."),
    ),
    ("effectiveness", N_("Effectiveness"),
     N_("Response and resolution times, first-contact resolution, backlog, SLA, calls, teams "
        "and agents, product reliability.")),
    ("operational_cost", N_("Operational cost"),
     N_("Cost per contact and per resolution, by channel and category, against revenue; "
        "staffing against demand (Erlang C).")),
    ("customer_experience", N_("Customer experience"),
     N_("CSAT, NPS, effort, survey response, retention and churn, and what customers write.")),
    ("channels", N_("Channels and journeys"),
     N_("Channel mix and requests by channel, peak against regular periods, channel "
        "switching.")),
    ("data_quality", N_("Data quality"),
     N_("What was read, what is wrong with it, and what was left out of which measure.")),
]  # fmt: skip


@dataclass
class SectionResult:
    """Outcome of one notebook (``attempts``: how often its kernel was started)."""

    name: str
    title: str
    ok: bool
    seconds: float
    error: str = ""
    attempts: int = 1


@dataclass
class ReportResult:
    """Outcome of a report run."""

    out: Path
    period: str
    sections: list[SectionResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every notebook ran without error."""
        return all(s.ok for s in self.sections)


def outcome(r: SectionResult) -> str:
    """A section's progress line (after ``[i/n]``).

    Examples
    --------
    >>> outcome(SectionResult("x", "X", False, 1.25, "ValueError: no", attempts=2))
    'X: FAILED: ValueError: no (1.2 s, kernel started 2 times)'
    """
    started = f", kernel started {r.attempts} times" if r.attempts > 1 else ""
    state = "ok" if r.ok else f"FAILED: {r.error}"
    return f"{r.title}: {state} ({r.seconds:.1f} s{started})"
