"""The KPI catalogue, one module per category: :mod:`.effectiveness`, :mod:`.cost`,
:mod:`.experience`, :mod:`.channels`.

Each module holds its KPIs' definitions in sections (tuples of
:class:`~csmetrics.kpis.base.KPI`); :mod:`csmetrics.kpis.registry` puts the sections
together in registry order.
"""
