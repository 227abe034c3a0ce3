"""Demo: the payables accountant 许会计 bills what arrived of the compared blood-pressure
monitors (with purchase_stock's demo: the receipt less the two rejected; without it: what was
ordered), posts the bill on 5 November and pays 10,000.00 of it on 20 November, so payables,
their aging and the supplier statement have something to show. Deterministic."""

from __future__ import annotations

import datetime as dt

PASSWORD = "demo12345"


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
    bill = accountant["purchase.order"].call("action_create_bill", [orders[0]["id"]])
    accountant["account.move"].write([bill], {"date": dt.date(2026, 11, 5)})
    accountant["account.move"].call("action_post", [bill])
    accountant["account.move"].call("action_register_payment", [bill],
                                    env.ref_id("accounting.journal_bank"), "10000.00",
                                    dt.date(2026, 11, 20).isoformat())
