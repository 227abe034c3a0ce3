"""Purchase analyses: approved purchases by supplier, product, buyer and month; the purchasing
manager's dashboard (采购主管)."""

from __future__ import annotations

from core.i18n import _l

from ..declare import Analysis, Dashboard, ShortList, post_dashboard

BOUGHT = (("state", "in", ("purchase", "done")),)
LINE, ORDER = "purchase.order.line", "purchase.order"
MANAGER = "purchase.group_manager"

ITEMS = [
    Analysis("analytics.purchase_by_supplier", _l("Purchases by supplier"), LINE,
             rows=("partner_id",), cols=("date_order:quarter",),
             measures=("price_subtotal:sum",), domain=BOUGHT),
    Analysis("analytics.purchase_by_product", _l("Purchases by product"), LINE,
             rows=("product_id",), cols=("date_order:month",),
             measures=("price_subtotal:sum", "product_qty:sum"), domain=BOUGHT,
             date_field="date_order", period="this_year"),
    Analysis("analytics.purchase_by_buyer", _l("Purchase orders by buyer"), ORDER,
             rows=("user_id",), cols=("state",), measures=("amount_total:sum", "__count"),
             date_field="date_order", period="this_month", compare="previous"),
    Analysis("analytics.purchase_by_month", _l("Purchases by month"), ORDER,
             rows=("date_order:month",), cols=("receipt_status",),
             measures=("amount_total:sum",), domain=BOUGHT, kind="graph", chart="stacked"),
    *post_dashboard(
        "analytics.dashboard_purchase", _l("Purchasing manager"), ORDER,
        date_field="date_order", domain=BOUGHT,
        tiles=(("analytics.tile_purchase_orders", _l("Purchase orders"), "__count",
                "analytics.purchase_by_buyer"),
               ("analytics.tile_purchase_amount", _l("Purchase value"), "amount_total:sum",
                "analytics.purchase_by_buyer")),
        charts=("analytics.purchase_by_month",),
        lists=(ShortList("analytics.list_purchase_to_approve", _l("Purchase orders to approve"),
                         ORDER, ("name", "partner_id", "date_order", "amount_total"),
                         (("state", "=", "to_approve"),), order="date_order"),)),
    Dashboard("analytics.dashboard_general", _l("General manager"),
              tiles=("analytics.tile_purchase_amount",)),
]
