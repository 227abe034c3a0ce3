"""Three-way matching (三单匹配) of a vendor bill: ordered, received and billed quantities and
the billed price against the order's, within the company's tolerances.

A bill line linked to a purchase order line (``purchase_line_id``) must not bring the line's
billed quantity (posted bills and this one) above what was received (above what was ordered
when receipts are not tracked, i.e. without purchase_stock) by more than the quantity tolerance,
and its unit price must not differ from the order's by more than the price tolerance. A mismatch
blocks posting until a purchase manager accepts it (with a reason); changing the bill's amount
afterwards needs a new acceptance.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from core.i18n import _

HUNDRED = Decimal(100)
DEFAULT_QTY_TOLERANCE, DEFAULT_PRICE_TOLERANCE = Decimal(0), Decimal(2)


def receipts_tracked(env: Any) -> bool:
    """Are received quantities kept (purchase_stock installed)?"""
    return "purchase.inspection" in env.registry


def billed_elsewhere(env: Any, line_ids: list[int], exclude_move: int) -> dict[int, Decimal]:
    """Quantities of posted vendor bills (less credit notes) per order line, ``exclude_move``
    left out, in one GROUP BY."""
    ml, move = env.registry["account.move.line"], env.registry["account.move"]
    signed = func.sum(func.coalesce(ml.quantity, 0) * func.coalesce(
        _refund_sign(move), 1))
    rows = env.session.execute(select(ml.purchase_line_id, signed).join(
        move, move.id == ml.move_id).where(
        ml.purchase_line_id.in_(line_ids), move.state == "posted", move.id != exclude_move,
        move.move_type.in_(("in_invoice", "in_refund"))).group_by(ml.purchase_line_id))
    return {k: Decimal(str(v or 0)) for k, v in rows}


def _refund_sign(move: Any) -> Any:
    from sqlalchemy import case

    return case((move.move_type == "in_refund", -1), else_=1)


def mismatches(env: Any, bill: Any) -> list[str]:
    """What does not match on ``bill`` (empty: it matches)."""
    company = env.sudo()["res.company"].browse_unchecked([env.ref_id("base.main_company")])[0]
    # companies created before the addon have no value yet: the fields' defaults apply
    qty_tol = Decimal(company.purchase_qty_tolerance if company.purchase_qty_tolerance
                      is not None else DEFAULT_QTY_TOLERANCE)
    price_tol = Decimal(company.purchase_price_tolerance if company.purchase_price_tolerance
                        is not None else DEFAULT_PRICE_TOLERANCE)
    ml = env.registry["account.move.line"]
    lines = [line for line in env.session.scalars(select(ml).where(
        ml.move_id == bill.id, ml.display_type == "product").order_by(ml.id))
        if line.purchase_line_id]
    if not lines:
        return []
    order_lines = {line.purchase_line_id: line.purchase_line for line in lines}
    before = billed_elsewhere(env, list(order_lines), bill.id)
    tracked = receipts_tracked(env)
    sign = -1 if bill.move_type == "in_refund" else 1
    billing: dict[int, Decimal] = {}
    problems = []
    for line in lines:
        billing[line.purchase_line_id] = billing.get(line.purchase_line_id, Decimal(0)) + \
            sign * Decimal(line.quantity or 0)
        po_line = order_lines[line.purchase_line_id]
        ordered_price = Decimal(po_line.price_unit or 0)
        price = Decimal(line.price_unit or 0)
        if abs(price - ordered_price) > ordered_price * price_tol / HUNDRED:
            problems.append(_("%(line)s: billed at %(price)s, ordered at %(ordered)s.",
                              line=po_line.display_name, price=f"{price.normalize():f}",
                              ordered=f"{ordered_price.normalize():f}"))
    for line_id, qty in billing.items():
        po_line = order_lines[line_id]
        total = before.get(line_id, Decimal(0)) + qty
        ceiling = Decimal(po_line.qty_received if tracked and po_line.product.type != "service"
                          else po_line.product_qty)
        if total > ceiling * (1 + qty_tol / HUNDRED):
            problems.append(_("%(line)s: %(billed)s billed, only %(ceiling)s %(what)s.",
                              line=po_line.display_name, billed=f"{total.normalize():f}",
                              ceiling=f"{ceiling.normalize():f}",
                              what=_("received") if tracked else _("ordered")))
    return problems
