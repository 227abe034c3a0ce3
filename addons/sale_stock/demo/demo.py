"""SA-003 on the sales demo orders, done by the right posts: the rest of order 03 (half
delivered by hand before the warehouse glue existed) gets a notice and a transfer that the
keeper approved (一审) and that waits for the inspector (二审); quotation 01 is approved,
noticed, approved twice and sits in the customer's transit location (发出商品). Skipped when
the sales or stock demo data are missing."""

from __future__ import annotations


def load(loader):
    env = loader.env
    refs = {}
    for xmlid in ("sales.order_01", "sales.order_03", "sales.user_assistant",
                  "sales.user_manager", "stock.demo_keeper", "stock.demo_inspector"):
        record = env.ref(xmlid, raise_if_not_found=False)
        if record is None:
            return
        refs[xmlid.split(".")[1]] = record.id

    def as_user(key):
        return env(uid=refs[key], su=False)

    def notice_and_transfer(order_id):
        assistant = as_user("user_assistant")
        notice = assistant["sale.order"].call("action_create_delivery_notice", [order_id])
        assistant["sale.delivery.notice"].call("action_approve", [notice])
        picking = env["stock.picking"].search([("delivery_notice_id", "=", notice)])[0]
        as_user("demo_keeper")["stock.picking"].call("action_first_approval", [picking],
                                                     comment="已出库")
        return picking

    notice_and_transfer(refs["order_03"])  # waits for the inspector
    order = refs["order_01"]
    if env["sale.order"].read([order], ["state"])[0]["state"] == "draft":
        as_user("user_assistant")["sale.order"].call("action_submit", [order])
        as_user("user_manager")["sale.order"].call("workflow_approve", [order])
    picking = notice_and_transfer(order)
    as_user("demo_inspector")["stock.picking"].call("action_second_approval", [picking],
                                                    comment="检验合格")
