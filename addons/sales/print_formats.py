"""Print formats of sales: quotation/order, delivery notice (发货通知单), invoicing notice
(开票通知单)."""

from __future__ import annotations

from typing import Any

from core.i18n import _, _l
from core.reports import Report, Table


def _order_title(env: Any, record_id: int, document: dict[str, Any]) -> dict[str, Any]:
    state = env["sale.order"].read([record_id], ["state"])[0]["state"]
    document["title"] = _("Quotation") if state in ("draft", "sent") else _("Sales order")
    return document


REPORTS = [
    Report("sales.report_saleorder", "sales.report_saleorder", _l("Quotation / Order"),
           "sale.order",
           header=("partner_id", "date_order", "commitment_date", "client_order_ref", "user_id",
                   "payment_term_days"),
           tables=(Table("order_line", ("product_id", "name", "product_uom_qty", "product_uom",
                                        "price_unit", "discount", "price_subtotal",
                                        "price_total")),),
           totals=("amount_untaxed", "amount_tax", "amount_total"), amount_words="amount_total",
           notes="note", signatures=(_l("Customer (signature and seal)"), _l("Salesperson")),
           values=_order_title),
    Report("sales.report_delivery_notice", "sales.report_delivery_notice", _l("Delivery notice"),
           "sale.delivery.notice",
           header=("order_id", "partner_id", "scheduled_date", "date_done", "user_id",
                   "shipping_ref", "delivery_address"),
           tables=(Table("line_ids", ("product_id", "product_uom_qty", "product_uom"),
                         sums=("product_uom_qty",)),),
           notes="note", signatures=(_l("Prepared by"), _l("Warehouse keeper"),
                                     _l("Received by"))),
    Report("sales.report_invoice_notice", "sales.report_invoice_notice", _l("Invoicing notice"),
           "sale.invoice.notice",
           header=("order_id", "partner_id", "partner_vat", "date", "invoice_type", "user_id"),
           tables=(Table("line_ids", ("product_id", "name", "quantity", "price_unit",
                                      "price_subtotal", "price_tax", "price_total")),),
           totals=("amount_untaxed", "amount_tax", "amount_total"), amount_words="amount_total",
           notes="note", signatures=(_l("Prepared by"), _l("Invoicing clerk"))),
]
