"""Production analyses: output by product and month, actual against standard cost, orders by
state; the production manager's dashboard (生产经理). Quantities are summed in each product's
own unit (``qty_produced_product_uom``): orders in boxes and in pieces add up; a chart over
every product counts orders, since kilograms and pieces do not add."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.i18n import _l

from ..declare import Analysis, ShortList, post_dashboard

ORDER = "mrp.production"
DONE = (("state", "=", "done"),)


def _late(today: dt.date) -> list[Any]:
    return [("date_deadline", "<", today.isoformat()),
            ("state", "not in", ("done", "cancel"))]


ITEMS = [
    Analysis("analytics.production_output", _l("Output by product and month"), ORDER,
             rows=("product_id",), cols=("date_planned_start:month",),
             measures=("qty_produced_product_uom:sum", "__count"), domain=DONE,
             date_field="date_planned_start", period="this_year"),
    Analysis("analytics.production_costs", _l("Production cost against standard"), ORDER,
             rows=("product_id",), cols=("date_planned_start:quarter",),
             measures=("cost_total:sum", "cost_standard:sum", "cost_variance:sum"),
             domain=DONE),
    Analysis("analytics.production_by_state", _l("Manufacturing orders by state"), ORDER,
             rows=("state",), measures=("__count",), kind="graph", chart="pie"),
    Analysis("analytics.production_by_month", _l("Manufacturing orders by month"), ORDER,
             rows=("date_planned_start:month",), cols=("state",), measures=("__count",),
             kind="graph", chart="stacked"),
    *post_dashboard(
        "analytics.dashboard_production", _l("Production manager"), ORDER,
        date_field="date_planned_start", domain=DONE,
        tiles=(("analytics.tile_production_done", _l("Orders finished"), "__count",
                "analytics.production_output"),
               ("analytics.tile_production_variance", _l("Cost variance"), "cost_variance:sum",
                "analytics.production_costs")),
        charts=("analytics.production_by_month", "analytics.production_by_state"),
        lists=(ShortList("analytics.list_production_late", _l("Late manufacturing orders"),
                         ORDER, ("name", "product_id", "date_deadline", "state"), _late,
                         order="date_deadline"),)),
]
