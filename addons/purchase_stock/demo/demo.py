"""Demo: the keeper receives part of the compared blood-pressure monitors, the inspector rejects
two with a reason, and the return waits for the keeper. Deterministic."""

from __future__ import annotations


def load(loader):
    env = loader.env
    order = loader.resolve("purchase.request_bp")
    orders = env["purchase.order"].search_read([("origin", "like", "CMP"),
                                                ("state", "=", "purchase")], ["id"], limit=1)
    if not orders or not order:
        return
    keeper = env.ref("stock.demo_keeper", raise_if_not_found=False)
    inspector = env.ref("stock.demo_inspector", raise_if_not_found=False)
    if keeper is None or inspector is None:
        return
    picking = env["stock.picking"].search([("purchase_id", "=", orders[0]["id"]),
                                           ("state", "not in", ("done", "cancel"))], limit=1)
    if not picking:  # the demo may load before the installation hook made the receipts
        made = env["purchase.order"].call("action_create_receipt", [orders[0]["id"]])
        picking = [made] if made else []
    if not picking:
        return
    as_keeper = env(uid=keeper.id, su=False)
    for move in as_keeper["stock.move"].search_read([("picking_id", "=", picking[0])], ["id"]):
        as_keeper["stock.move"].write([move["id"]], {"quantity": 100})
    as_keeper["stock.picking"].call("button_validate", [picking[0]])
    as_inspector = env(uid=inspector.id, su=False)
    inspection = as_inspector["purchase.inspection"].search([("picking_id", "=", picking[0])])
    if inspection:
        line = as_inspector["purchase.inspection.line"].search(
            [("inspection_id", "=", inspection[0])], limit=1)
        as_inspector["purchase.inspection.line"].write(
            line, {"qty_rejected": 2, "reject_reason": "外包装破损，袖带漏气"})
        as_inspector["purchase.inspection"].call("action_confirm", inspection)
