"""The sales addon's own pages: printable quotations and orders, the overdue collections list.

Everything is read through ``g.env`` (the logged-in user's model service), so record rules decide
what each user sees, exactly as in the generic views and the APIs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from flask import g, render_template, request

from core.i18n import _
from core.pages import Page

PAGE_SIZE = 80
ORDER_FIELDS = ["name", "partner_id", "user_id", "date_order", "commitment_date",
                "client_order_ref", "payment_term_days", "note", "state", "amount_untaxed",
                "amount_tax", "amount_total", "company_id", "order_line"]
LINE_FIELDS = ["name", "product_id", "product_uom_qty", "product_uom", "price_unit", "discount",
               "vat_rate", "price_subtotal", "price_tax", "price_total"]
LIST_FIELDS = ["name", "partner_id", "date_order", "amount_total", "state"]
OVERDUE_FIELDS = ["name", "partner_id", "user_id", "payment_due_date", "amount_invoiced",
                  "amount_collected", "amount_due"]


def _page() -> int:
    try:
        return max(int(request.args.get("page", 1)), 1)
    except ValueError:
        return 1


def print_list_view() -> Any:
    """The user's quotations and orders, searchable by number or customer, to print."""
    orders = g.env["sale.order"]
    query = (request.args.get("q") or "").strip()
    domain: list[Any] = ["|", ("name", "ilike", query), ("partner_id.name", "ilike", query)] \
        if query else []
    page = _page()
    rows = orders.search_read(domain, LIST_FIELDS, offset=(page - 1) * PAGE_SIZE,
                              limit=PAGE_SIZE)
    total = orders.search_count(domain)
    return render_template("sales/print_list.html", title=_("Print quotations and orders"),
                           rows=rows, fields=LIST_FIELDS, infos=orders.fields, q=query,
                           page=page, pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1))


def order_print_view(order_id: int) -> Any:
    """A quotation (报价单) or sales order (销售订单) laid out for printing on A4."""
    env = g.env
    order = env["sale.order"].read([order_id], ORDER_FIELDS)[0]
    lines = env["sale.order.line"].read(order["order_line"], LINE_FIELDS)
    partner_id = order["partner_id"][0]
    partner = env["res.partner"].sudo().read([partner_id], ["name", "street", "city", "phone",
                                                            "vat"])[0]
    company = None
    if order["company_id"]:
        company = env["res.company"].sudo().read([order["company_id"][0]], ["name", "vat"])[0]
    is_quotation = order["state"] in ("draft", "to_approve", "cancel")
    return render_template(
        "sales/order_print.html", order=order, lines=lines, partner=partner, company=company,
        title=_("Quotation") if is_quotation else _("Sales order"),
        infos=env["sale.order"].fields, line_infos=env["sale.order.line"].fields,
        printed=dt.date.today())


def overdue_view() -> Any:
    """Orders whose oldest uncollected invoice is past its due date (逾期回款)."""
    orders = g.env["sale.order"]
    today = dt.date.today()
    domain = [("amount_due", ">", 0), ("payment_due_date", "<", today.isoformat())]
    page = _page()
    rows = orders.search_read(domain, OVERDUE_FIELDS, offset=(page - 1) * PAGE_SIZE,
                              limit=PAGE_SIZE, order="payment_due_date asc")
    for row in rows:
        row["days_late"] = (today - row["payment_due_date"]).days
    groups = orders.read_group(domain, ["amount_due"], ["state"])  # one SQL GROUP BY
    total = sum((Decimal(str(group["amount_due"] or 0)) for group in groups), Decimal("0.00"))
    return render_template("sales/overdue.html", title=_("Overdue collections"), rows=rows,
                           fields=OVERDUE_FIELDS, infos=orders.fields, total=total, page=page)


PAGES = [
    Page("sales.print_list", "print", print_list_view),
    Page("sales.order_print", "order/<int:order_id>/print", order_print_view),
    Page("sales.overdue", "overdue", overdue_view),
]
