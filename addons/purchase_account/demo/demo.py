"""Demo: the payables accountant 许会计

* bills what arrived of the compared blood-pressure monitors (with purchase_stock's demo: the
  receipt less the two rejected; without it: what was ordered), posts the bill on 5 November and
  pays 10,000.00 of it on 20 November (written off in part);
* bills the twenty wheelchairs that arrived of the oxygen order, posts the bill on 10 November and
  pays it in full on 25 November (written off);
* enters the supplier's invoice for the thirty oxygen concentrators still on their way, at
  2,200.00 where the order says 2,150.00: the three-way match holds it until the purchase manager
  accepts the differences.

So payables, their aging, the supplier statement and the bills waiting for the manager have
something to show. Deterministic."""

from __future__ import annotations

import datetime as dt
from typing import Any

PASSWORD = "demo12345"


def _bill(accountant: Any, order: int, day: dt.date, advance: bool = False) -> int:
    bill = accountant["purchase.order"].call(
        "action_create_advance_bill" if advance else "action_create_bill", [order])
    accountant["account.move"].write([bill], {"date": day})
    return bill


def _pay(accountant: Any, bill: int, amount: str | None, day: dt.date) -> None:
    accountant["account.move"].call("action_register_payment", [bill],
                                    accountant.ref_id("accounting.journal_bank"), amount,
                                    day.isoformat())


def load(loader):
    env = loader.env
    payable = loader.record("purchase_account.demo_payable", "res.users", {
        "login": "payable.xu", "name": "许会计", "password": PASSWORD, "lang": "zh_CN",
        "company_id": env.ref_id("base.main_company"),
        "groups_id": [(6, 0, [env.ref_id("purchase_account.group_payable")])]})
    orders = env["purchase.order"].search_read([("origin", "like", "CMP"),
                                                ("state", "=", "purchase")], ["id"], limit=1)
    if not orders or env["account.move"].search_count([("purchase_id", "=", orders[0]["id"])]):
        return
    accountant = env(uid=payable, su=False)
    bill = _bill(accountant, orders[0]["id"], dt.date(2026, 11, 5))
    accountant["account.move"].call("action_post", [bill])
    _pay(accountant, bill, "10000.00", dt.date(2026, 11, 20))
    oxygen = env.ref("purchase.order_oxygen", raise_if_not_found=False)
    if oxygen is None or oxygen.state != "purchase" or not any(
            line["qty_received"] for line in env["purchase.order.line"].search_read(
                [("order_id", "=", oxygen.id)], ["qty_received"])):
        return
    bill = _bill(accountant, oxygen.id, dt.date(2026, 11, 10))
    accountant["account.move"].call("action_post", [bill])
    _pay(accountant, bill, None, dt.date(2026, 11, 25))
    held = _bill(accountant, oxygen.id, dt.date(2026, 11, 28), advance=True)
    lines = accountant["account.move.line"].search(
        [("move_id", "=", held), ("purchase_line_id", "!=", False)])
    accountant["account.move.line"].write(lines, {"price_unit": "2200.00"})
    accountant["account.move"].write([held], {"ref": "鱼跃发票 No. 04571128"})
    accountant["account.move"].call("action_check_match", [held])
