"""Vendor bills (``account.move``, ``in_invoice``) from purchase orders and receipts, and the
billed and paid figures they give the orders.

Bill lines carry the order line (``purchase_line_id``), its price and the purchase VAT of its
rate (进项税额, account 22210101 of the chart), and post to:

* 1402 在途物资 when stock valuation is on (stock_account with purchase_stock): receipts were
  booked Dr 1405 / Cr 1402, so the bill clears 1402; a bill before the goods arrive leaves a
  debit on 1402 (goods in transit) until the receipt credits it;
* otherwise 1405 库存商品 for goods already received and 1402 for goods billed before arrival;
  services to 6602 管理费用.

Posting credits 2202 应付账款 with the total (accounting's posting); the orders' billed and paid
figures are recomputed from posted bills by GROUP BY queries.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from addons.accounting.vat import vat_tax_ids
from core.errors import UserError
from core.i18n import _

from .matching import billed_elsewhere, receipts_tracked

ZERO = Decimal(0)


def stock_valued(env: Any) -> bool:
    """Are receipts booked to the ledger (stock_account and purchase_stock installed)?"""
    return "account.cost.match" in env.registry and receipts_tracked(env)


def _account(env: Any, code: str) -> int:
    return env.ref_id(f"accounting.account_{code}")


def _receipt_quantities(env: Any, picking_id: int, order_id: int) -> dict[int, Decimal]:
    move, picking = env.registry["stock.move"], env.registry["stock.picking"]
    row = env.session.get(picking, picking_id)
    if row is None or row.purchase_id != order_id or row.state != "done" or \
            row.is_purchase_return:
        raise UserError(_("Choose a done receipt of this order."))
    return {k: Decimal(str(v or 0)) for k, v in env.session.execute(
        select(move.purchase_line_id, func.sum(move.product_uom_qty)).where(
            move.picking_id == picking_id, move.state == "done").group_by(
            move.purchase_line_id))}


def create_bill(env: Any, order: Any, received: bool = True, picking_id: int | None = None
                ) -> int:
    """A draft vendor bill of ``order``: received and not billed (``received``), everything
    ordered and not billed (advance bill), or one receipt's quantities (``picking_id``)."""
    if order.state not in ("purchase", "done"):
        raise UserError(_("Only an approved purchase order is billed."))
    sudo = env.sudo()
    line_cls = env.registry["purchase.order.line"]
    lines = list(env.session.scalars(select(line_cls).where(
        line_cls.order_id == order.id).order_by(line_cls.sequence, line_cls.id)))
    billed = billed_elsewhere(env, [line.id for line in lines], exclude_move=0)
    tracked = receipts_tracked(env)
    from_receipt = _receipt_quantities(env, picking_id, order.id) if picking_id else None
    valued = stock_valued(env)
    values = []
    for line in lines:
        goods = line.product.type != "service"
        done = billed.get(line.id, ZERO)
        got = Decimal(line.qty_received or 0) if tracked and goods else Decimal(line.product_qty)
        ceiling = got if received else Decimal(line.product_qty)
        qty = ceiling - done
        if from_receipt is not None:
            qty = min(qty, from_receipt.get(line.id, ZERO))
        if qty <= 0:
            continue
        if not goods:
            account = "6602"
        elif valued:
            account = "1402"
        else:
            account = "1405" if done + qty <= got and tracked else "1402"
        values.append((0, 0, {"name": line.name or line.product.display_name,
                              "display_type": "product", "quantity": qty,
                              "price_unit": line.price_unit, "purchase_line_id": line.id,
                              "account_id": _account(env, account),
                              "tax_ids": [(6, 0, vat_tax_ids(env, "purchase", line.vat_rate))]}))
    if not values:
        raise UserError(_("%(order)s has nothing left to bill.", order=order.display_name))
    journal = env.ref_id("accounting.journal_purchase")
    partner = order.partner
    moves = sudo["account.move"]
    bill_id = moves.create({"move_type": "in_invoice", "journal_id": journal,
                            "partner_id": order.partner_id, "origin": order.name,
                            "ref": order.partner_ref or order.name, "line_ids": values})
    bill = moves.browse_unchecked([bill_id])[0]
    bill.purchase_id = order.id
    if partner.supplier_payment_term_days:
        import datetime as dt

        bill.invoice_date_due = bill.date + dt.timedelta(days=partner.supplier_payment_term_days)
    if "product_id" in env.registry["account.move.line"].__fields__:  # stock_account's column
        ml = env.registry["account.move.line"]
        for row in env.session.scalars(select(ml).where(ml.move_id == bill_id)):
            if row.purchase_line_id:
                row.product_id = row.purchase_line.product_id
    return bill_id


def refresh_orders(env: Any, order_ids: set[int]) -> None:
    """Billed quantities of the orders' lines and their paid amounts, from posted bills."""
    order_ids = {o for o in order_ids if o}
    if not order_ids:
        return
    line_cls, move = env.registry["purchase.order.line"], env.registry["account.move"]
    env.session.flush()
    lines = list(env.session.scalars(select(line_cls).where(line_cls.order_id.in_(order_ids))))
    billed = billed_elsewhere(env, [line.id for line in lines], exclude_move=0)
    for line in lines:
        line.qty_invoiced = billed.get(line.id, ZERO)
    paid = dict(env.session.execute(select(
        move.purchase_id, func.sum(move.amount_total - move.amount_residual)).where(
        move.purchase_id.in_(order_ids), move.state == "posted",
        move.move_type == "in_invoice").group_by(move.purchase_id)).all())
    order_cls = env.registry["purchase.order"]
    for order in env.session.scalars(select(order_cls).where(order_cls.id.in_(order_ids))):
        order.refresh_progress(paid=Decimal(str(paid.get(order.id) or 0)))


def refresh_orders_of_moves(env: Any, move_ids: set[int]) -> None:
    move = env.registry["account.move"]
    refresh_orders(env, set(env.session.scalars(select(move.purchase_id).where(
        move.id.in_(move_ids), move.purchase_id.is_not(None)))))
