"""Receipts, inspections and returns of purchase orders.

* An approved order gets a receipt (supplier → the main warehouse's stock) for what is still to
  receive, valued at the order's prices; the keeper validates what arrived, the rest stays in a
  backorder.
* A done receipt gets an inspection; the inspector confirms accepted and rejected quantities, and
  the rejected goods leave again in a return to the supplier, which the keeper validates.
* Each order line's ``qty_received`` is what its done receipts brought less what inspections
  rejected, recomputed by GROUP BY queries when a receipt, an inspection or a return is done;
  ``qty_returned`` is what went back; the order's progress follows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select

from core.errors import UserError
from core.i18n import _

OPEN = ("draft", "confirmed", "assigned")
ZERO = Decimal(0)


def _goods(product: Any) -> bool:
    return product.type != "service"


def _type(env: Any, code: str) -> Any:
    warehouse = env.ref_id("stock.warehouse_main", raise_if_not_found=False)
    if warehouse is None:
        return None
    found = env.sudo()["stock.picking.type"].search([("warehouse_id", "=", warehouse),
                                                     ("code", "=", code)], limit=1)
    return found[0] if found else None


def moved_quantities(env: Any, line_ids: list[int]) -> dict[int, tuple[Decimal, Decimal]]:
    """``{order line: (received, returned)}``: received is what done receipts brought less what
    confirmed inspections rejected (rejected goods wait for their return, they do not count),
    returned is what done returns took back; two GROUP BY queries."""
    move, picking = env.registry["stock.move"], env.registry["stock.picking"]
    returned = case((picking.is_purchase_return.is_(True), move.product_uom_qty), else_=0)
    received = case((picking.is_purchase_return.is_(True), 0), else_=move.product_uom_qty)
    rows = env.session.execute(select(move.purchase_line_id, func.sum(received),
                                      func.sum(returned))
                               .join(picking, picking.id == move.picking_id)
                               .where(move.purchase_line_id.in_(line_ids), move.state == "done")
                               .group_by(move.purchase_line_id))
    line, inspection = (env.registry["purchase.inspection.line"],
                        env.registry["purchase.inspection"])
    rejected = dict(env.session.execute(
        select(line.purchase_line_id, func.sum(line.qty_rejected))
        .join(inspection, inspection.id == line.inspection_id)
        .where(line.purchase_line_id.in_(line_ids), inspection.state == "done")
        .group_by(line.purchase_line_id)).all())
    result = {i: (ZERO, ZERO) for i in line_ids}
    for line_id, got, back in rows:
        result[line_id] = (Decimal(str(got or 0)) - Decimal(str(rejected.get(line_id) or 0)),
                           Decimal(str(back or 0)))
    return result


def _order_lines(env: Any, order_id: int, lock: bool = False) -> list[Any]:
    line = env.registry["purchase.order.line"]
    query = select(line).where(line.order_id == order_id).order_by(line.id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return list(env.session.scalars(query))


def refresh_received(env: Any, order: Any) -> None:
    """The lines' received and returned quantities, then the order's progress."""
    lines = _order_lines(env, order.id)
    moved = moved_quantities(env, [line.id for line in lines])
    for line in lines:
        line.qty_received, line.qty_returned = moved[line.id]
    order.refresh_progress()


def _open_on_receipts(env: Any, order_id: int, exclude: int | None = None) -> dict[int, Decimal]:
    move, picking = env.registry["stock.move"], env.registry["stock.picking"]
    query = (select(move.purchase_line_id, func.sum(move.product_uom_qty))
             .join(picking, picking.id == move.picking_id)
             .where(picking.purchase_id == order_id, picking.is_purchase_return.is_(False),
                    move.state.in_(("draft", "confirmed", "partially_available", "assigned")))
             .group_by(move.purchase_line_id))
    if exclude is not None:
        query = query.where(picking.id != exclude)
    return {k: Decimal(str(v or 0)) for k, v in env.session.execute(query)}


def sync_receipt(env: Any, order: Any) -> int | None:
    """A receipt for each goods line's quantity not received and not on an open receipt."""
    ptype = _type(env, "incoming")
    if ptype is None:
        return None
    refresh_received(env, order)
    waiting = _open_on_receipts(env, order.id)
    moves = []
    for line in _order_lines(env, order.id):
        left = Decimal(line.product_qty) - Decimal(line.qty_received) - waiting.get(line.id, ZERO)
        if left > 0 and _goods(line.product):
            moves.append((0, 0, {"product_id": line.product_id, "product_uom_qty": left,
                                 "product_uom": line.product_uom, "name": line.name,
                                 "price_unit": line.price_unit, "purchase_line_id": line.id}))
    if not moves:
        return None
    pickings = env["stock.picking"]
    picking_id = pickings.create({"picking_type_id": ptype, "partner_id": order.partner_id,
                                  "origin": order.name, "move_ids": moves})
    picking = pickings.browse_unchecked([picking_id])[0]
    picking.purchase_id = order.id
    pickings.call("action_confirm", [picking_id])
    return picking_id


def cancel_open_receipts(env: Any, order: Any) -> None:
    """Cancel the order's receipts not done yet (amended or cancelled orders)."""
    picking = env.registry["stock.picking"]
    ids = list(env.session.scalars(select(picking.id).where(
        picking.purchase_id == order.id, picking.state.in_(OPEN),
        picking.is_purchase_return.is_(False))))
    for picking_id in ids:
        env["stock.picking"].call("action_cancel", [picking_id])


def check_open_quantities(env: Any, picking: Any) -> None:
    """Refuse a receipt taking more than its lines still wait for (see the model)."""
    lines = {line.id: line for line in _order_lines(env, picking.purchase_id, lock=True)}
    moved = moved_quantities(env, list(lines))
    taking: dict[int, Decimal] = {}
    for move in picking.active_moves():
        if move.purchase_line_id:
            taking[move.purchase_line_id] = taking.get(move.purchase_line_id, ZERO) + Decimal(
                move.quantity if move.quantity is not None else move.product_uom_qty)
    for line_id, qty in taking.items():
        left = Decimal(lines[line_id].product_qty) - moved[line_id][0]
        if qty > left:
            raise UserError(_("%(line)s: %(qty)s cannot be received, only %(left)s are still "
                              "expected.", line=lines[line_id].display_name,
                              qty=f"{qty.normalize():f}", left=f"{max(left, ZERO).normalize():f}"))


def receipt_done(env: Any, picking: Any) -> None:
    """A receipt or a return of an order is done: quantities, progress, and the inspection."""
    order = env.session.get(env.registry["purchase.order"], picking.purchase_id)
    refresh_received(env, order)
    if picking.is_purchase_return:
        return
    move = env.registry["stock.move"]
    lines = [(0, 0, {"move_id": m.id, "purchase_line_id": m.purchase_line_id,
                     "product_id": m.product_id, "qty_received": m.product_uom_qty,
                     "qty_accepted": m.product_uom_qty})
             for m in env.session.scalars(select(move).where(
                 move.picking_id == picking.id, move.state == "done",
                 move.purchase_line_id.is_not(None)).order_by(move.id))]
    if lines:
        inspections = env["purchase.inspection"]
        inspection_id = inspections.create({"picking_id": picking.id, "line_ids": lines})
        inspection = inspections.browse_unchecked([inspection_id])[0]
        inspection.name, inspection.purchase_id = picking.name, order.id
        inspection.partner_id = order.partner_id


def return_rejected(env: Any, inspection: Any) -> int | None:
    """A return to the supplier of the rejected quantities, marked to do for the keeper."""
    rejected = [line for line in inspection.lines() if Decimal(line.qty_rejected or 0) > 0]
    ptype = _type(env, "outgoing")
    if not rejected or ptype is None:
        return None
    receipt = inspection.picking
    moves = [(0, 0, {"product_id": line.product_id, "product_uom_qty": line.qty_rejected,
                     "purchase_line_id": line.purchase_line_id,
                     "name": line.reject_reason}) for line in rejected]
    pickings = env["stock.picking"]
    picking_id = pickings.create({
        "picking_type_id": ptype, "partner_id": receipt.partner_id,
        "location_id": receipt.location_dest_id,
        "location_dest_id": receipt.location_id, "origin": receipt.name,
        "note": "; ".join(line.reject_reason for line in rejected), "move_ids": moves})
    picking = pickings.browse_unchecked([picking_id])[0]
    picking.purchase_id, picking.is_purchase_return = receipt.purchase_id, True
    pickings.call("action_confirm", [picking_id])
    refresh_received(env, env.session.get(env.registry["purchase.order"], receipt.purchase_id))
    return picking_id
