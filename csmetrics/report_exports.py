"""What a report run exports besides its pages, and the numbers of its scorecard.

``kpis.csv`` and ``kpis.json`` hold every public KPI of the period (:func:`kpi_exports`);
the scorecard shows the headline KPIs, those the evaluation judges against a target and
those its recommendations cite (:func:`scorecard_kpis`, :func:`cited_kpis`), each with
its months as periods of their own (:func:`scorecard_numbers`). The evaluation notebook
writes ``evaluation.json`` into the run's work folder (:func:`read_evaluation`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .io import json_text
from .periods import Period

if TYPE_CHECKING:
    from .load import Workbook
    from .prepare import Prepared

#: KPIs the recommendations may cite besides the judged ones (their trends are computed
#: with the scorecard's, so that every cited KPI has its sparkline).
ACTION_KPIS = ("cost_per_resolution", "fcr_rate", "tickets_created", "service_level",
               "cost_per_contact", "csat_score")  # fmt: skip

#: Columns of ``kpis.csv`` and of each record of ``kpis.json``, in order.
EXPORT_COLUMNS = [
    "kpi",
    "label",
    "category",
    "unit",
    "better",
    "value",
    "ci_low",
    "ci_high",
    "n",
    "low_sample",
    "excluded",
    "available",
    "note",
    "target",
    "target_source",
    "status",
    "previous",
    "change",
    "period",
    "compared_with",
]


def kpi_exports(prepared: Prepared, period: Period, work: Path) -> pd.DataFrame:
    """Write ``kpis.csv`` and ``kpis.json`` (every public KPI of the period) into ``work``.

    Parameters
    ----------
    prepared : Prepared
        The prepared data.
    period : Period
        The report's period.
    work : Path
        The folder to write into.

    Returns
    -------
    DataFrame
        The headline frame (value, interval, target, status, change) they hold
        (:func:`csmetrics.summary.headline`).
    """
    from .display import safe_csv_frame
    from .kpis import public_kpis
    from .summary import headline

    ids = [k.id for k in public_kpis() if k.kind != "share"]
    df = headline(prepared, period, ids)
    cols = EXPORT_COLUMNS
    safe_csv_frame(df[cols]).to_csv(work / "kpis.csv", index=False)
    records = df[cols].astype(object).where(df[cols].notna(), None).to_dict(orient="records")
    payload = {
        "period": period.label,
        "compared_with": df["compared_with"].iloc[0] if len(df) else None,
        "currency": prepared.config.currency,
        "kpis": records,
    }
    (work / "kpis.json").write_text(json_text(payload, indent=2), encoding="utf-8")
    return df


def scorecard_kpis(df: pd.DataFrame, judged: set[str], cited: set[str] = frozenset()) -> list[str]:
    """The KPIs of the scorecard, in registry order (the order of ``df``): every headline
    KPI, every KPI the evaluation judges against a target (``judged``) and every KPI a
    recommendation cites (``cited``), each once.

    Examples
    --------
    >>> df = pd.DataFrame({"kpi": ["tickets_created", "repeat_contact_rate", "mttd_h"]})
    >>> scorecard_kpis(df, {"mttd_h"})
    ['tickets_created', 'mttd_h']
    """
    from .kpis import get

    wanted = set(judged) | set(cited)
    return [k for k in dict.fromkeys(df["kpi"]) if get(k).headline or k in wanted]


def scorecard_numbers(
    wb: Workbook, prepared: Prepared, period: Period, work: Path
) -> tuple[pd.DataFrame, set[str], pd.DataFrame]:
    """The KPI exports (:func:`kpi_exports`, written into ``work``) and the scorecard's
    numbers.

    Returns
    -------
    tuple
        The headline frame; the KPIs the evaluation judges against a target; and the
        12 months ending with the period of every KPI the scorecard may show (headline,
        judged, and those recommendations may cite: :data:`ACTION_KPIS`), each month
        measured as a period of its own, as the value and its change are
        (:func:`csmetrics.analysis.monthly_series`; none for the period ``all``).
    """
    from .analysis import monthly_series
    from .evaluate import targets_in_force
    from .kpis.memo import reusing_results

    with reusing_results(prepared):  # the series' last two months are the headline's
        head = kpi_exports(prepared, period, work)
        judged = set(targets_in_force(wb.config))
        ids = scorecard_kpis(head, judged, set(ACTION_KPIS))
        trends = (
            monthly_series(prepared, ids, period)
            if period.kind != "all"
            else pd.DataFrame(columns=["kpi", "value"])
        )
    return head, judged, trends


def read_evaluation(work: Path) -> dict | None:
    """The ``evaluation.json`` the evaluation notebook wrote (None when it did not)."""
    path = work / "evaluation.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def cited_kpis(evaluation: dict | None) -> set[str]:
    """The KPI ids the recommendations of ``evaluation.json`` cite in their evidence.

    Examples
    --------
    >>> cited_kpis({"recommendations": [{"evidence": [{"kpi": "fcr_rate"}, {"theme": "x"}]}]})
    {'fcr_rate'}
    """
    from .kpis import public_kpis

    known = {k.id for k in public_kpis()}
    return {
        e["kpi"]
        for r in (evaluation or {}).get("recommendations", [])
        for e in r.get("evidence", [])
        if isinstance(e, dict) and e.get("kpi") in known
    }
