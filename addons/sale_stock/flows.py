"""The SA-003 flow across sales and stock.

* Step 3: an approved delivery notice gets a draft transfer from the sales warehouse to the
  customer's transit location (发出商品); the keeper gives it the first approval (一审), the
  inspector the second (二审). Only a transfer whose notice is approved and whose order is
  approved passes the first approval.
* When every transfer of a notice is done (or cancelled), the notice is shipped with the
  quantities that really left.
* Steps 5-6: when an invoicing notice is invoiced, the invoiced quantities move from the
  customer's transit location to the customer (consumption, where cost of sales is recognised),
  unless stock_account is installed: then the cost accountant's matching (钩稽) does it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select


def sales_warehouse(env: Any) -> int | None:
    """The id of the warehouse shipping sales orders; None until the glue's data is loaded."""
    return env.ref_id("sale_stock.warehouse_sales", raise_if_not_found=False)


def _goods(env: Any, product_id: int | None) -> bool:
    product = env.session.get(env.registry["product.product"], product_id) if product_id else None
    return product is not None and product.type != "service"


def create_transfer(env: Any, notice_id: int) -> str | None:
    """The draft transfer to the customer's transit location for an approved notice; returns
    its number (None when the glue is inactive or the notice carries no goods)."""
    warehouse = sales_warehouse(env)
    if warehouse is None:
        return None
    registry = env.registry
    notice = env.session.get(registry["sale.delivery.notice"], notice_id)
    types = env["stock.picking.type"].search([("warehouse_id", "=", warehouse),
                                              ("to_customer_transit", "=", True),
                                              ("require_origin", "=", True)], limit=1)
    if not types:
        return None
    line_cls = registry["sale.delivery.notice.line"]
    notice_lines = list(env.session.scalars(select(line_cls).where(
        line_cls.notice_id == notice.id).order_by(line_cls.id)))
    products = env.sudo()["product.product"].browse_unchecked(  # in one query, kept meanwhile
        list({line.product_id for line in notice_lines if line.product_id}))
    lines = [(0, 0, {"product_id": line.product_id, "product_uom_qty": line.product_uom_qty,
                     "product_uom": line.product_uom, "sale_line_id": line.order_line_id,
                     "notice_line_id": line.id})
             for line in notice_lines if _goods(env, line.product_id)]
    del products
    if not lines:
        return None
    order = notice.order
    picking_id = env["stock.picking"].create({
        "picking_type_id": types[0], "partner_id": notice.partner_id,
        "origin": f"{order.name} / {notice.name}", "sale_id": order.id,
        "delivery_notice_id": notice.id, "move_ids": lines})
    return env["stock.picking"].read([picking_id], ["name"])[0]["name"]


def origin_approved(env: Any, picking: Any) -> bool | None:
    """True when the transfer's delivery notice and sales order are approved; None when the
    transfer does not come from sales."""
    if not picking.delivery_notice_id:
        return None
    registry = env.registry
    notice = env.session.get(registry["sale.delivery.notice"], picking.delivery_notice_id)
    order = env.session.get(registry["sale.order"], notice.order_id)
    return notice.state == "approved" and order.state in ("sale", "done")


def ship_notice_when_complete(env: Any, notice_id: int) -> None:
    """Ship the notice once none of its transfers is open, with the quantities done."""
    registry = env.registry
    picking, move = registry["stock.picking"], registry["stock.move"]
    notice = env.session.get(registry["sale.delivery.notice"], notice_id)
    if notice is None or notice.state != "approved":
        return
    states = set(env.session.scalars(select(picking.state).where(
        picking.delivery_notice_id == notice_id)))
    if not states or states - {"done", "cancel"}:
        return
    shipped = dict(env.session.execute(
        select(move.notice_line_id, func.sum(move.product_uom_qty)).join(
            picking, picking.id == move.picking_id).where(
            picking.delivery_notice_id == notice_id, move.state == "done",
            move.notice_line_id.is_not(None)).group_by(move.notice_line_id)).all())
    line_cls = registry["sale.delivery.notice.line"]
    quantities = {line.id: Decimal(str(shipped.get(line.id) or 0))
                  for line in env.session.scalars(select(line_cls).where(
                      line_cls.notice_id == notice_id)) if _goods(env, line.product_id)}
    notice._ship(quantities)


def consume_invoiced(env: Any, notice_id: int) -> int | None:
    """Move the invoiced goods from the customer's transit location to the customer; returns
    the transfer's id (None when nothing of it is in transit).

    With stock_account installed the cost accountant does this instead, when matching (钩稽)
    shipments to the posted invoice (``account.cost.match`` makes the sales outbound), as SA-003
    step 6 says; the goods then wait in transit for that match.
    """
    if sales_warehouse(env) is None or "account.cost.match" in env.registry:
        return None
    registry = env.registry
    notice = env.session.get(registry["sale.invoice.notice"], notice_id)
    location = registry["stock.location"]
    transit = env.session.scalar(select(location.id).where(
        location.usage == "transit", location.partner_id == notice.partner_id))
    ptype = _transit_out_type(env)
    if transit is None or ptype is None:
        return None
    quant = registry["stock.quant"]
    available = dict(env.session.execute(select(quant.product_id, quant.quantity).where(
        quant.location_id == transit)).all())
    line_cls = registry["sale.invoice.notice.line"]
    wanted: dict[int, Decimal] = {}
    for line in env.session.scalars(select(line_cls).where(line_cls.notice_id == notice_id)):
        if _goods(env, line.product_id):
            qty = _in_product_unit(env, line.product_id, line.product_uom, line.quantity)
            wanted[line.product_id] = wanted.get(line.product_id, Decimal(0)) + qty
    moves = []
    for product_id, qty in wanted.items():
        take = min(qty, Decimal(available.get(product_id) or 0))
        if take > 0:
            moves.append((0, 0, {"product_id": product_id, "product_uom_qty": take}))
    if not moves:
        return None
    picking_id = env["stock.picking"].create({
        "picking_type_id": ptype, "partner_id": notice.partner_id, "location_id": transit,
        "origin": f"{notice.order.name} / {notice.name}", "sale_id": notice.order_id,
        "invoice_notice_id": notice.id, "move_ids": moves})
    env["stock.picking"].call("button_validate", [picking_id])
    return picking_id


def _transit_out_type(env: Any) -> int | None:
    found = env["stock.picking.type"].search([
        ("warehouse_id.is_transit", "=", True), ("code", "=", "outgoing")], limit=1)
    return found[0] if found else None


def _in_product_unit(env: Any, product_id: int, uom_id: int | None, qty: Any) -> Decimal:
    uom_cls = env.registry["uom.uom"]
    product = env.session.get(env.registry["product.product"], product_id)
    if not uom_id or uom_id == product.uom_id:
        return Decimal(str(qty))
    return env.session.get(uom_cls, uom_id).compute_quantity_to(
        Decimal(str(qty)), env.session.get(uom_cls, product.uom_id), round_result=False)
