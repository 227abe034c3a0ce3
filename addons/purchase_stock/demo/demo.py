"""Demo: the keeper receives part of the compared blood-pressure monitors, the inspector rejects
two with a reason, and the return waits for the keeper; of the large oxygen order the twenty
wheelchairs arrive first (the concentrators stay in a backorder) and pass inspection.
Deterministic."""

from __future__ import annotations

from typing import Any


def _receive(env: Any, order_id: int, keeper: int, quantities: dict[int, int] | None) -> Any:
    """The keeper validates the order's open receipt, ``quantities`` per product (all of it when
    None; products not named stay in a backorder); the receipt's id, or None."""
    picking = env["stock.picking"].search([("purchase_id", "=", order_id),
                                           ("state", "not in", ("done", "cancel"))], limit=1)
    if not picking:  # the demo may load before the installation hook made the receipts
        made = env["purchase.order"].call("action_create_receipt", [order_id])
        picking = [made] if made else []
    if not picking:
        return None
    as_keeper = env(uid=keeper, su=False)
    for move in as_keeper["stock.move"].search_read([("picking_id", "=", picking[0])],
                                                    ["product_id", "product_uom_qty"]):
        qty = move["product_uom_qty"] if quantities is None else \
            quantities.get(move["product_id"][0], 0)
        as_keeper["stock.move"].write([move["id"]], {"quantity": qty})
    as_keeper["stock.picking"].call("button_validate", [picking[0]])
    return picking[0]


def _inspect(env: Any, picking: int, inspector: int, rejected: tuple[int, str] | None) -> None:
    """The inspector confirms the receipt's inspection, rejecting ``(quantity, reason)`` of its
    first line."""
    as_inspector = env(uid=inspector, su=False)
    inspection = as_inspector["purchase.inspection"].search([("picking_id", "=", picking)])
    if not inspection:
        return
    if rejected:
        line = as_inspector["purchase.inspection.line"].search(
            [("inspection_id", "=", inspection[0])], limit=1)
        as_inspector["purchase.inspection.line"].write(
            line, {"qty_rejected": rejected[0], "reject_reason": rejected[1]})
    as_inspector["purchase.inspection"].call("action_confirm", inspection)


def load(loader):
    env = loader.env
    orders = env["purchase.order"].search_read([("origin", "like", "CMP"),
                                                ("state", "=", "purchase")], ["id"], limit=1)
    if not orders or not loader.resolve("purchase.request_bp"):
        return
    keeper = env.ref("stock.demo_keeper", raise_if_not_found=False)
    inspector = env.ref("stock.demo_inspector", raise_if_not_found=False)
    if keeper is None or inspector is None:
        return
    picking = _receive(env, orders[0]["id"], keeper.id,
                       {loader.resolve("product.product_bp100"): 100})
    if picking:
        _inspect(env, picking, inspector.id, (2, "外包装破损，袖带漏气"))
    oxygen = env.ref("purchase.order_oxygen", raise_if_not_found=False)
    if oxygen is None or oxygen.state != "purchase":
        return
    picking = _receive(env, oxygen.id, keeper.id, {loader.resolve("product.product_wc01"): 20})
    if picking:
        _inspect(env, picking, inspector.id, None)
