"""Glue between sales and accounting (SA-003 steps 5 and 7).

* An invoicing notice sent to finance becomes a draft customer invoice (``account.move``,
  ``out_invoice``) with the notice's lines and VAT; when the invoicing clerk posts it, the notice
  is marked invoiced with the invoice's number and date.
* A confirmed payment collection (回款) becomes a posted receipt (``account.payment``) that writes
  off (核销) the open invoices of the orders it was allocated to, oldest first.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import UserError, fields
from core.i18n import _, _l
from core.plugins import hookimpl
from core.views import ViewExtension


class InvoiceFromNotice:
    _inherit = "account.move"

    invoice_notice_id: Mapped[Optional[int]] = fields.Many2one(
        "sale.invoice.notice", _l("Invoicing notice"), readonly=True, ondelete="RESTRICT")
    sale_order_id: Mapped[Optional[int]] = fields.Many2one("sale.order", _l("Sales order"),
                                                           readonly=True)


class ReceiptFromCollection:
    _inherit = "account.payment"

    collection_id: Mapped[Optional[int]] = fields.Many2one(
        "sale.collection", _l("Payment collection"), readonly=True, ondelete="RESTRICT")


def _sale_tax(env: Any, rate: Any) -> list[int]:
    """The active tax-excluded sales tax of ``rate`` % (none for a missing rate)."""
    if rate in (None, False):
        return []
    tax = env.registry["account.tax"]
    found = env.session.scalar(select(tax.id).where(
        tax.type_tax_use == "sale", tax.amount == Decimal(str(rate)),
        tax.price_include.is_(False), tax.active.is_(True)).order_by(tax.id).limit(1))
    if found is None:
        raise UserError(_("No active sales tax of %(rate)s %% exists in accounting; create it "
                          "before sending the notice.", rate=rate))
    return [found]


def create_invoice(env: Any, notice_id: int) -> int:
    """A draft customer invoice with the lines of the invoicing notice ``notice_id``."""
    sudo = env.sudo()
    notice = sudo["sale.invoice.notice"].browse_unchecked([notice_id])[0]
    line_cls = env.registry["sale.invoice.notice.line"]
    move_line_fields = sudo["account.move.line"].fields
    lines, taxes = [], {}
    for line in env.session.scalars(select(line_cls).where(line_cls.notice_id == notice.id)
                                    .order_by(line_cls.id)):
        if line.vat_rate not in taxes:  # one look-up per rate, not per line
            taxes[line.vat_rate] = _sale_tax(env, line.vat_rate)
        vals = {"display_type": "product", "name": line.name or "", "quantity": line.quantity,
                "price_unit": line.price_unit or 0, "discount": line.discount or 0,
                "tax_ids": [(6, 0, taxes[line.vat_rate])]}
        if "product_id" in move_line_fields:  # added by stock_account when stock is installed
            vals["product_id"] = line.product_id
        lines.append((0, 0, vals))
    order = notice.order
    return sudo["account.move"].create({
        "move_type": "out_invoice", "journal_id": env.ref_id("accounting.journal_sale"),
        "partner_id": notice.partner_id, "date": notice.date,
        "invoice_date_due": notice.date_due or False, "origin": notice.name,
        "ref": f"{order.name} / {notice.name}", "line_ids": lines})


@hookimpl
def invoicing_notice_sent(env: Any, notice_id: int) -> str | None:
    if env.ref("accounting.journal_sale", raise_if_not_found=False) is None:
        return None  # accounting's data is not loaded yet (same installation): by hand
    move_id = create_invoice(env, notice_id)
    notice = env.sudo()["sale.invoice.notice"].browse_unchecked([notice_id])[0]
    move = env.sudo()["account.move"].browse_unchecked([move_id])[0]
    move.invoice_notice_id, move.sale_order_id = notice_id, notice.order_id
    return f"account.move,{move_id}"


@hookimpl
def account_move_posted(env: Any, move: Any) -> None:
    """Posting the invoice made from a notice marks the notice invoiced."""
    if move.move_type != "out_invoice" or not move.invoice_notice_id:
        return
    notice = env.sudo()["sale.invoice.notice"].browse_unchecked([move.invoice_notice_id])[0]
    if notice.state == "sent":
        notice._mark_invoiced(move.name, move.date, f"account.move,{move.id}")


def _open_invoices(env: Any, collection: Any) -> list[int]:
    alloc = env.registry["sale.collection.allocation"]
    move = env.registry["account.move"]
    orders = select(alloc.order_id).where(alloc.collection_id == collection.id)
    return list(env.session.scalars(select(move.id).where(
        move.sale_order_id.in_(orders), move.partner_id == collection.partner_id,
        move.move_type == "out_invoice", move.state == "posted",
        move.payment_state.in_(("not_paid", "partial"))).order_by(
            move.invoice_date_due, move.date, move.id)))


@hookimpl
def collection_recorded(env: Any, collection_id: int) -> str | None:
    """Post a receipt for the collection and write it off against its orders' invoices."""
    if env.ref("accounting.journal_bank", raise_if_not_found=False) is None:
        return None  # accounting's data is not loaded yet (same installation)
    sudo = env.sudo()
    collection = sudo["sale.collection"].browse_unchecked([collection_id])[0]
    journal = "accounting.journal_cash" if collection.payment_method == "cash" else \
        "accounting.journal_bank"
    payments = sudo["account.payment"]
    payment_id = payments.create({
        "payment_type": "inbound", "partner_type": "customer",
        "partner_id": collection.partner_id, "amount": collection.amount,
        "date": collection.date, "journal_id": env.ref_id(journal),
        "ref": collection.reference or collection.name, "origin": collection.name,
        "invoice_ids": [(6, 0, _open_invoices(env, collection))]})
    payments.browse_unchecked([payment_id])[0].collection_id = collection_id
    payments.call("action_post", [payment_id])
    return f"account.payment,{payment_id}"


@hookimpl
def register_models() -> list[type]:
    return [InvoiceFromNotice, ReceiptFromCollection]


@hookimpl
def register_views() -> list:
    return [
        ViewExtension("account.move", "form", add=("invoice_notice_id", "sale_order_id"),
                      after="origin"),
        ViewExtension("account.payment", "form", add=("collection_id",), after="origin"),
    ]
