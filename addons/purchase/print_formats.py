"""Print formats of purchase: the request for quotation (询价单) and the purchase order
(采购订单) sent to the supplier."""

from __future__ import annotations

from typing import Any

from core.i18n import _, _l
from core.reports import Report, Table


def _order_title(env: Any, record_id: int, document: dict[str, Any]) -> dict[str, Any]:
    state = env["purchase.order"].read([record_id], ["state"])[0]["state"]
    document["title"] = (_("Request for quotation") if state in ("draft", "sent")
                         else _("Purchase order"))
    return document


REPORTS = [
    Report("purchase.report_purchaseorder", "purchase.report_purchaseorder",
           _l("Request for quotation / Purchase order"), "purchase.order",
           header=("partner_id", "partner_ref", "date_order", "date_planned", "user_id",
                   "payment_term_days"),
           tables=(Table("order_line", ("product_id", "name", "product_qty", "product_uom",
                                        "price_unit", "vat_rate", "price_subtotal",
                                        "price_total")),),
           totals=("amount_untaxed", "amount_tax", "amount_total"), amount_words="amount_total",
           notes="notes", signatures=(_l("Supplier (signature and seal)"), _l("Buyer")),
           values=_order_title),
]
