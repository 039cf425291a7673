"""The cost KPIs: staffing, costs, revenue and customers.

Staffing, costs and finance count by month (``period_month``); the Erlang C estimate
reads the calls. Cost per contact counts contacts by one rule,
:data:`csmetrics.prepare.CONTACTS_DOC`: a phone ticket and the answered call it came
from are one contact. The sections are in registry order
(:mod:`csmetrics.kpis.registry` puts them together).
"""

from __future__ import annotations

from ..base import ARRIVED, KPI, MONTH, Ratio
from ..staffing import agents_staffed, erlang_agents, staffed_sums

STAFFED_HOURS: tuple[KPI, ...] = (
    KPI(
        id="staffed_hours",
        label_en="Staffed hours",
        category="cost",
        unit="h",
        direction="neutral",
        source="001",
        formula_en="sum of staffed_hours in the period's months",
        table="staffing",
        kind="sum",
        basis=MONTH,
        value="staffed_hours",
    ),
)

STAFFING: tuple[KPI, ...] = (
    KPI(
        id="agents_staffed",
        label_en="Agents staffed (average per open hour)",
        category="cost",
        unit="agents",
        direction="neutral",
        source="000; 001",
        formula_en="staffed hours / business hours of the period",
        table="staffing",
        kind="custom",
        basis=MONTH,
        needs=("staffed_hours",),
        aggs=staffed_sums,
        finish=agents_staffed,
    ),
    KPI(
        id="erlang_agents_required",
        label_en="Agents required (Erlang C)",
        category="cost",
        unit="agents",
        direction="neutral",
        source="000; 001",
        formula_en=(
            "mean over business hours of the fewest agents meeting the service-level target for "
            "the hour's calls averaged over the times that weekday-hour occurs in the period, and "
            "the period's AHT (Erlang C)"
        ),
        table="calls",
        kind="values",
        basis=ARRIVED,
        needs=("arrived_ts", "handle_s", "weekday", "hour", "offered"),
        reduce=erlang_agents,
    ),
)

COSTS: tuple[KPI, ...] = (
    KPI(
        id="total_cost",
        label_en="Total cost",
        category="cost",
        unit="currency",
        direction="lower",
        source="003; 000",
        formula_en="sum of cost amounts in the period's months",
        table="costs",
        kind="sum",
        basis=MONTH,
        value="amount",
        excluded="amount",
        headline=True,
    ),
    KPI(
        id="cost_per_contact",
        label_en="Cost per contact",
        category="cost",
        unit="currency",
        direction="lower",
        source="003",
        formula_en=(
            "total_cost / contacts (tickets created + answered calls without a ticket: a phone "
            "ticket and the call it came from are one contact)"
        ),
        table="costs",
        kind="ratio",
        ratio=Ratio(
            numerator=("total_cost",), denominator=("tickets_created", "calls_answered_own_contact")
        ),
        headline=True,
    ),
    KPI(
        id="cost_per_resolution",
        label_en="Cost per resolution",
        category="cost",
        unit="currency",
        direction="lower",
        source="003",
        formula_en="total_cost / tickets resolved",
        table="costs",
        kind="ratio",
        ratio=Ratio(numerator=("total_cost",), denominator=("tickets_resolved",)),
        headline=True,
    ),
    KPI(
        id="revenue",
        label_en="Revenue",
        category="cost",
        unit="currency",
        direction="higher",
        source="003",
        formula_en="sum of revenue in the period's months",
        table="finance",
        kind="sum",
        basis=MONTH,
        value="revenue",
    ),
    KPI(
        id="active_customers",
        label_en="Active customers",
        category="cost",
        unit="customers",
        direction="higher",
        source="002",
        formula_en="mean of active_customers over the period's months",
        table="finance",
        kind="mean",
        basis=MONTH,
        value="active_customers",
    ),
    KPI(
        id="cost_to_revenue",
        label_en="Cost to revenue",
        category="cost",
        unit="share",
        direction="lower",
        source="003",
        formula_en="total_cost / revenue",
        table="costs",
        kind="ratio",
        ratio=Ratio(numerator=("total_cost",), denominator=("revenue",)),
        headline=True,
    ),
    KPI(
        id="arpu",
        label_en="Average revenue per user",
        category="cost",
        unit="currency",
        direction="higher",
        source="002",
        formula_en="revenue / active_customers (per period)",
        table="finance",
        kind="ratio",
        ratio=Ratio(numerator=("revenue",), denominator=("active_customers",)),
    ),
)
