"""Glue between sales and accounting (SA-003 steps 5 and 7).

* An invoicing notice sent to finance becomes a draft customer invoice (``account.move``,
  ``out_invoice``) with the notice's lines and VAT; when the invoicing clerk posts it, the notice
  is marked invoiced with the invoice's number and date.
* A confirmed payment collection (回款) becomes a posted receipt (``account.payment``) that writes
  off (核销) the open invoices of the orders it was allocated to, oldest first.
* A receipt the receivables accountant posts in accounting and writes off against invoices of
  sales orders becomes a confirmed collection allocated to those orders (their collected
  progress follows), linked to the receipt: one payment is one pair, whichever post enters it.
  Confirming a collection for money accounting already holds claims that receipt instead of
  posting a second one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped

from addons.accounting.vat import vat_tax_ids
from core import UserError, fields
from core.i18n import _, _l
from core.plugins import hookimpl
from core.views import Related, ViewExtension


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
            taxes[line.vat_rate] = vat_tax_ids(env, "sale", line.vat_rate)
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
    if env.ref_id("accounting.journal_sale", raise_if_not_found=False) is None:
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


def _same_money(env: Any, partner_id: int, amount: Any, day: Any) -> Any:
    """The posted customer receipts of ``partner_id`` for ``amount`` on ``day``."""
    payment = env.registry["account.payment"]
    return select(payment).where(
        payment.partner_id == partner_id, payment.amount == amount, payment.date == day,
        payment.payment_type == "inbound", payment.partner_type == "customer",
        payment.state == "posted").order_by(payment.id)


def _held_elsewhere(env: Any, partner_id: int, amount: Any, day: Any, collection_id: int,
                    payment_id: int = 0, orders: Any = ()) -> None:
    """Refuse a second entry of money a receipt of another collection already holds.

    The same amount from the same customer on the same day is the same money when this entry
    names no order (nothing tells them apart) or names an order the other collection covers;
    a payment for other orders is another payment.
    """
    payment = env.registry["account.payment"]
    alloc = env.registry["sale.collection.allocation"]
    query = _same_money(env, partner_id, amount, day).where(
        payment.collection_id.is_not(None), payment.collection_id != collection_id,
        payment.id != payment_id)
    if orders:
        query = query.where(select(alloc.id).where(
            alloc.collection_id == payment.collection_id,
            alloc.order_id.in_(sorted(orders))).exists())
    held = env.session.scalar(query.limit(1))
    if held is not None:
        other = env.session.get(env.registry["sale.collection"], held.collection_id)
        raise UserError(_("This money is already recorded: receipt %(receipt)s (collection "
                          "%(collection)s) holds %(amount)s from this customer on %(date)s. "
                          "Write that one off instead of entering the payment again.",
                          receipt=held.name, collection=other.name, amount=amount, date=day))


@hookimpl
def collection_recorded(env: Any, collection_id: int) -> str | None:
    """Post a receipt for the collection and write it off against its orders' invoices, or
    link the receipt accounting already posted for that money."""
    if env.ref_id("accounting.journal_bank", raise_if_not_found=False) is None:
        return None  # accounting's data is not loaded yet (same installation)
    sudo = env.sudo()
    collection = sudo["sale.collection"].browse_unchecked([collection_id])[0]
    payment_cls = env.registry["account.payment"]
    linked = env.session.scalar(select(payment_cls.id).where(
        payment_cls.collection_id == collection.id).limit(1))
    if linked is not None:  # made from a receipt accounting posted
        return f"account.payment,{linked}"
    _held_elsewhere(env, collection.partner_id, collection.amount, collection.date,
                    collection.id, orders=_allocated_by_order(env, collection.id))
    free = env.session.scalar(_same_money(env, collection.partner_id, collection.amount,
                                          collection.date).where(
        payment_cls.collection_id.is_(None)).limit(1))
    if free is not None:  # accounting holds this money already: one receipt, now linked
        free.collection_id = collection.id
        invoices = _open_invoices(env, collection)
        if invoices and Decimal(free.amount_unapplied or 0) > 0:
            free.apply_to(invoices)
        return f"account.payment,{free.id}"
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


def _applied_by_order(env: Any, payment: Any) -> dict[int, Decimal]:
    """What ``payment`` wrote off against the invoices of each sales order."""
    partial, line, move = (env.registry["account.partial.reconcile"],
                           env.registry["account.move.line"], env.registry["account.move"])
    counterpart = payment.counterpart_line().id
    rows = env.session.execute(
        select(move.sale_order_id, func.sum(partial.amount))
        .join(line, line.id == partial.debit_move_id).join(move, move.id == line.move_id)
        .where(partial.credit_move_id == counterpart, move.sale_order_id.is_not(None))
        .group_by(move.sale_order_id))
    return {order_id: Decimal(str(total)) for order_id, total in rows}


def _allocated_by_order(env: Any, collection_id: int) -> dict[int, Decimal]:
    alloc = env.registry["sale.collection.allocation"]
    rows = env.session.execute(select(alloc.order_id, func.sum(alloc.amount)).where(
        alloc.collection_id == collection_id).group_by(alloc.order_id))
    return {order_id: Decimal(str(total)) for order_id, total in rows}


def _collection_from_receipt(env: Any, payment: Any, applied: dict[int, Decimal]) -> None:
    """A confirmed collection standing for a receipt accounting posted, allocated to the orders
    whose invoices it wrote off."""
    from core.workflow_engine import take_transition

    sudo = env.sudo()
    cash = payment.journal.type == "cash"
    collection_id = sudo["sale.collection"].create({
        "partner_id": payment.partner_id, "amount": payment.amount, "date": payment.date,
        "payment_method": "cash" if cash else "bank", "handler_id": env.uid,
        "reference": payment.ref or payment.name,
        "note": _("Recorded in accounting as %(receipt)s.", receipt=payment.name),
        "allocation_ids": [(0, 0, {"order_id": order_id, "amount": amount})
                           for order_id, amount in sorted(applied.items())]})
    payment.collection_id = collection_id
    take_transition(sudo, "sale.collection", collection_id, "post")


def _receipt_reached_orders(env: Any, payment: Any) -> None:
    """Make what a customer receipt wrote off count as collected on the sales orders."""
    if payment.payment_type != "inbound" or payment.partner_type != "customer":
        return
    applied = _applied_by_order(env, payment)
    if not payment.collection_id:
        _held_elsewhere(env, payment.partner_id, payment.amount, payment.date, 0, payment.id,
                        orders=applied)
        if applied:
            _collection_from_receipt(env, payment, applied)
        return
    collection = env.sudo()["sale.collection"].browse_unchecked([payment.collection_id])[0]
    if collection.state != "posted":
        return  # the collection is being confirmed: its own allocations count
    allocated = _allocated_by_order(env, collection.id)
    for order_id, amount in sorted(applied.items()):
        more = min(amount - allocated.get(order_id, Decimal(0)),
                   Decimal(collection.amount_unallocated or 0))
        if more > 0:
            collection._add_recorded_allocation(order_id, more)


@hookimpl
def account_payment_posted(env: Any, payment: Any) -> None:
    _receipt_reached_orders(env, payment)


@hookimpl
def account_payment_reconciled(env: Any, payment: Any) -> None:
    _receipt_reached_orders(env, payment)


@hookimpl
def register_models() -> list[type]:
    return [InvoiceFromNotice, ReceiptFromCollection]


@hookimpl
def register_views() -> list:
    return [
        ViewExtension("account.move", "form", add=("invoice_notice_id", "sale_order_id"),
                      after="origin",
                      related=(Related("sale_order_id"), Related("invoice_notice_id"))),
        ViewExtension("account.payment", "form", add=("collection_id",), after="origin",
                      related=(Related("collection_id"),)),
        ViewExtension("sale.order", "form", related=(
            Related("sale_order_id", _l("Customer invoices"), model="account.move"),)),
        ViewExtension("sale.invoice.notice", "form", related=(
            Related("invoice_notice_id", _l("Customer invoices"), model="account.move"),)),
        ViewExtension("sale.collection", "form", related=(
            Related("collection_id", model="account.payment"),)),
    ]
