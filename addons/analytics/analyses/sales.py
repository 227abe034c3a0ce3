"""Sales analyses: by customer, product line, region, salesperson and period (year on year)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.i18n import _l

from ..declare import Analysis, Dashboard, ShortList, Tile

SOLD = (("state", "in", ("sale", "done")),)
LINE = "sale.order.line"


def _overdue(today: dt.date) -> list[Any]:
    return [("amount_due", ">", 0), ("payment_due_date", "<", today.isoformat()),
            ("state", "in", ("sale", "done"))]


ITEMS = [
    Analysis("analytics.sales_by_customer", _l("Sales by customer"), LINE,
             rows=("order_partner_id",), cols=("date_order:quarter",),
             measures=("price_subtotal:sum",), domain=SOLD),
    Analysis("analytics.sales_by_product_line", _l("Sales by product line"), LINE,
             rows=("categ_id", "product_id"), cols=("date_order:month",),
             measures=("price_subtotal:sum", "product_uom_qty:sum"), domain=SOLD,
             date_field="date_order", period="this_year"),
    Analysis("analytics.sales_by_region", _l("Sales by region"), LINE, rows=("region",),
             measures=("price_subtotal:sum",), domain=SOLD, kind="graph", chart="pie"),
    Analysis("analytics.sales_by_salesperson", _l("Sales by salesperson"), LINE,
             rows=("salesman_id",), cols=("date_order:year",),
             measures=("price_subtotal:sum", "__count"), domain=SOLD),
    Analysis("analytics.sales_year_on_year", _l("Sales year on year"), "sale.order",
             rows=("date_order:month",), measures=("amount_total:sum", "__count"),
             domain=SOLD, date_field="date_order", period="this_year", compare="last_year"),
    Analysis("analytics.sales_by_month", _l("Sales by month"), "sale.order",
             rows=("date_order:month",), cols=("state",), measures=("amount_total:sum",),
             kind="graph", chart="stacked"),
    Analysis("analytics.sales_orders", _l("Orders this month"), "sale.order",
             rows=("partner_id",), cols=("state",), measures=("amount_total:sum", "__count"),
             date_field="date_order", period="this_month", compare="previous"),
    Tile("analytics.tile_sales_orders", _l("Orders"), "sale.order",
         date_field="date_order", analysis="analytics.sales_orders"),
    Tile("analytics.tile_sales_amount", _l("Order value"), "sale.order",
         measure="amount_total:sum", date_field="date_order", domain=SOLD,
         analysis="analytics.sales_orders"),
    Tile("analytics.tile_sales_due", _l("Amount due"), "sale.order", measure="amount_due:sum",
         domain=SOLD, analysis="analytics.sales_orders"),
    Tile("analytics.tile_sales_collected", _l("Collections"), "sale.collection",
         measure="amount:sum", date_field="date", domain=(("state", "!=", "cancel"),)),
    ShortList("analytics.list_overdue", _l("Overdue collections"), "sale.order",
              ("name", "partner_id", "payment_due_date", "amount_due"), _overdue,
              order="payment_due_date"),
    Dashboard("analytics.dashboard_general",
              _l("General manager"), tiles=("analytics.tile_sales_orders",
                                            "analytics.tile_sales_amount",
                                            "analytics.tile_sales_due"),
              charts=("analytics.sales_by_month",), lists=("analytics.list_overdue",)),
    Dashboard("analytics.dashboard_sales", _l("Sales director"),
              tiles=("analytics.tile_sales_orders", "analytics.tile_sales_amount",
                     "analytics.tile_sales_due", "analytics.tile_sales_collected"),
              charts=("analytics.sales_by_month", "analytics.sales_by_region"),
              lists=("analytics.list_overdue",)),
]
