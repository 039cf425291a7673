"""The channel KPIs: the channel mix and channel switching (tickets created in the period)."""

from __future__ import annotations

from ..base import CREATED, KPI

CHANNELS: tuple[KPI, ...] = (
    KPI(
        id="channel_share",
        label_en="Channel mix (share of tickets)",
        category="channels",
        unit="share",
        direction="neutral",
        source="002",
        formula_en="tickets created on the channel / tickets created",
        table="tickets",
        kind="share",
        basis=CREATED,
        needs=("channel",),
        share_of="channel",
        interval="Wilson",
    ),
    KPI(
        id="channel_switch_rate",
        label_en="Channel switching",
        category="channels",
        unit="share",
        direction="lower",
        source="002",
        formula_en=(
            "tickets followed, within the switch window and before their first response, by any "
            "contact of the same customer on another channel / tickets with a known customer"
        ),
        table="tickets",
        kind="rate",
        basis=CREATED,
        value="switched",
        interval="Wilson",
    ),
)
