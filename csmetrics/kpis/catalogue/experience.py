"""The experience KPIs: surveys (CSAT, NPS, CES, response rate) and customers (retention,
churn).

Survey answers count by their answer in the period, the response rate by the sending;
customers by whether they were customers at the period's start and end.
"""

from __future__ import annotations

from ..base import ANSWERED, KPI
from ..custom import churn, customer_flags, customer_sums, nps_counts, nps_score, retention

EXPERIENCE: tuple[KPI, ...] = (
    KPI(
        id="csat_score",
        label_en="CSAT (share satisfied)",
        category="experience",
        unit="share",
        direction="higher",
        source="001; 003; 004",
        formula_en="CSAT answers of 4 or 5 (1–5 scale) / CSAT answers, answered in the period",
        table="surveys",
        kind="rate",
        basis=ANSWERED,
        value="csat_good",
        excluded="score",
        headline=True,
        interval="Wilson",
    ),
    KPI(
        id="csat_mean",
        label_en="CSAT mean score",
        category="experience",
        unit="score",
        direction="higher",
        source="001; 003; 004",
        formula_en="mean CSAT score (1–5)",
        table="surveys",
        kind="mean",
        basis=ANSWERED,
        value="csat",
        excluded="score",
        interval="t",
    ),
    KPI(
        id="nps",
        label_en="Net Promoter Score",
        category="experience",
        unit="points",
        direction="higher",
        source="001; 003",
        formula_en="% promoters (9–10) − % detractors (0–6) of NPS answers",
        table="surveys",
        kind="custom",
        basis=ANSWERED,
        needs=("promoter", "detractor"),
        excluded="score",
        aggs=nps_counts,
        finish=nps_score,
        headline=True,
        interval="NPS variance",
    ),
    KPI(
        id="ces_mean",
        label_en="Customer Effort Score, mean",
        category="experience",
        unit="score",
        direction="lower",
        source="003; 002",
        formula_en=(
            "mean CES (scale from ces.min–ces.max; lower is better unless configured otherwise)"
        ),
        table="surveys",
        kind="mean",
        basis=ANSWERED,
        value="ces",
        excluded="score",
        headline=True,
        interval="t",
    ),
    KPI(
        id="survey_response_rate",
        label_en="Survey response rate",
        category="experience",
        unit="share",
        direction="higher",
        source="003; 004",
        formula_en="surveys answered / surveys sent, by sending date",
        table="surveys",
        kind="rate",
        basis="sent_ts",
        value="responded",
        interval="Wilson",
    ),
    KPI(
        id="retention_rate",
        label_en="Customer retention rate",
        category="experience",
        unit="share",
        direction="higher",
        source="001; 004",
        formula_en=(
            "(customers at end − customers acquired) / customers at start; a customer acquired and "
            "lost in the period lowers it, so retention = 1 − churn − acquired and lost / "
            "customers at start"
        ),
        table="customers",
        kind="custom",
        needs=("since_ts", "until_ts"),
        derive=customer_flags,
        aggs=customer_sums,
        finish=retention,
        headline=True,
        interval="Wilson",
    ),
    KPI(
        id="churn_rate",
        label_en="Customer churn rate",
        category="experience",
        unit="share",
        direction="lower",
        source="001; 004",
        formula_en=(
            "customers at the start who left during the period / customers at start (customers "
            "acquired and lost in the period are not counted)"
        ),
        table="customers",
        kind="custom",
        needs=("since_ts", "until_ts"),
        derive=customer_flags,
        aggs=customer_sums,
        finish=churn,
        interval="Wilson",
    ),
)
