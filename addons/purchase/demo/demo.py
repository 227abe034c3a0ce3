"""Demo data: the purchase team of 康怡, its suppliers with their price lists, and requests,
a comparison sheet and orders at every stage, entered as the users of each post.

Deterministic: fixed names, dates and quantities, on the demo products (their costs match the
supplier prices, so the stock demo's valuation stays plausible). Users log in with the password
``demo12345``.
"""

from __future__ import annotations

import datetime as dt

PASSWORD = "demo12345"

USERS = [
    ("user_requester", "chenjing", "陈静", "purchase.group_requester", "生产部"),
    ("user_buyer", "sunli", "孙丽", "purchase.group_user", "采购部"),
    ("user_manager", "zhougang", "周刚", "purchase.group_manager", "采购部"),
    ("user_general_manager", "gm.liu", "刘建国", "purchase.group_general_manager", "总经办"),
]
#: hr's demo user who is the same person, when hr's demo was loaded first (it takes the group)
SAME_PERSON = {"user_general_manager": "hr.user_gm"}

SUPPLIERS = [
    ("partner_yuyue", "江苏鱼跃医疗设备股份有限公司", "丹阳", "91321100608781100A", "a", 60,
     "中国工商银行丹阳支行", "1105 0204 0900 0123 456"),
    ("partner_omron", "欧姆龙(大连)有限公司", "大连", "91210200604800123B", "a", 45,
     "中国银行大连开发区支行", "2908 1234 5678 9012"),
    ("partner_cofoe", "可孚医疗科技股份有限公司", "长沙", "91430100MA4L12345C", "b", 30,
     "招商银行长沙分行", "7319 0888 1234 5678"),
    ("partner_winner", "稳健医疗用品股份有限公司", "深圳", "91440300618880456D", "b", 30,
     "中国建设银行深圳分行", "4425 0100 0026 0000 1234"),
]

# supplier, product, price, minimum quantity, lead time (days)
PRICES = [
    ("partner_yuyue", "product_bp100", "168.50", 0, 10),
    ("partner_yuyue", "product_bp100", "162.00", 100, 10),
    ("partner_omron", "product_bp100", "171.00", 0, 7),
    ("partner_cofoe", "product_bp100", "165.00", 0, 14),
    ("partner_yuyue", "product_ox05", "2150.00", 0, 15),
    ("partner_cofoe", "product_th20", "62.00", 0, 7),
    ("partner_cofoe", "product_gl30", "121.30", 0, 7),
    ("partner_yuyue", "product_wc01", "736.00", 0, 20),
    ("partner_winner", "product_mk50", "14.20", 0, 5),
    ("partner_winner", "product_gl30s", "31.50", 0, 5),
]


def load(loader):
    env = loader.env
    company = env.ref_id("base.main_company")
    users = {}
    for xmlid, login, name, group, _department in USERS:
        same = env.ref(SAME_PERSON[xmlid], raise_if_not_found=False) \
            if xmlid in SAME_PERSON else None
        if same is not None:
            env["res.users"].write([same.id], {"groups_id": [(4, loader.resolve(group))]})
            users[xmlid] = same.id
            continue
        users[xmlid] = loader.record(f"purchase.{xmlid}", "res.users", {
            "login": login, "name": name, "password": PASSWORD, "lang": "zh_CN",
            "company_id": company, "groups_id": [(6, 0, [loader.resolve(group)])]})
    partners = {}
    for xmlid, name, city, vat, rating, days, bank, account in SUPPLIERS:
        partners[xmlid] = loader.record(f"purchase.{xmlid}", "res.partner", {
            "name": name, "city": city, "vat": vat, "is_company": True,
            "supplier_rating": rating, "supplier_payment_term_days": days,
            "supplier_bank_name": bank, "supplier_bank_account": account})
    for n, (partner, product, price, min_qty, delay) in enumerate(PRICES, 1):
        loader.record(f"purchase.supplierinfo_{n}", "product.supplierinfo", {
            "partner_id": partners[partner], "product_id": loader.resolve(f"product.{product}"),
            "price": price, "min_qty": min_qty, "delay": delay})

    requester, buyer, manager, boss = (users["user_requester"], users["user_buyer"],
                                       users["user_manager"], users["user_general_manager"])

    def as_user(uid):
        return env(uid=uid, su=False)

    def product(code):
        return loader.resolve(f"product.{code}")

    # a request approved by the manager, sourced through a comparison of three suppliers
    request = loader.record("purchase.request_bp", "purchase.request", {
        "requested_by": requester, "department": "生产部", "date_start": dt.date(2026, 10, 8),
        "description": "四季度血压计备货", "line_ids": [
            (0, 0, {"product_id": product("product_bp100"), "product_qty": 150,
                    "date_required": dt.date(2026, 10, 30), "reason": "十一月促销备货"})]})
    as_user(requester)["purchase.request"].call("action_submit", [request])
    as_user(manager)["purchase.request"].call("workflow_approve", [request])
    env["purchase.request"].write([request], {"assigned_to": buyer})
    sheet = as_user(buyer)["purchase.request"].call("action_create_comparison", [request])
    as_user(buyer)["purchase.comparison"].write([sheet], {"supplier_ids": [(6, 0, [
        partners["partner_yuyue"], partners["partner_omron"], partners["partner_cofoe"]])]})
    as_user(buyer)["purchase.comparison"].call("action_send_rfqs", [sheet])
    quotes = env["purchase.order"].search_read([("comparison_id", "=", sheet)],
                                               ["partner_id"])
    yuyue = next(q["id"] for q in quotes if q["partner_id"][0] == partners["partner_yuyue"])
    as_user(buyer)["purchase.comparison"].call("action_choose", [sheet], yuyue,
                                               "批量价最低，交期十天，付款期六十天")
    as_user(buyer)["purchase.order"].call("action_submit", [yuyue])
    as_user(manager)["purchase.order"].call("workflow_approve", [yuyue])

    # orders by hand: one above the general manager's amount, one waiting, one draft
    def order(xmlid, partner, day, lines):
        return loader.record(f"purchase.{xmlid}", "purchase.order", {
            "partner_id": partners[partner], "user_id": buyer,
            "date_order": dt.date(2026, 10, day), "date_planned": dt.date(2026, 10, day + 10),
            "order_line": [(0, 0, {"product_id": product(code), "product_qty": qty})
                           for code, qty in lines]})

    big = order("order_oxygen", "partner_yuyue", 12, [("product_ox05", 30),
                                                      ("product_wc01", 20)])
    as_user(buyer)["purchase.order"].call("action_submit", [big])
    as_user(manager)["purchase.order"].call("workflow_approve", [big])
    as_user(boss)["purchase.order"].call("workflow_approve", [big])
    masks = order("order_masks", "partner_winner", 15, [("product_mk50", 500),
                                                        ("product_gl30s", 200)])
    as_user(buyer)["purchase.order"].call("action_submit", [masks])
    order("order_draft", "partner_cofoe", 20, [("product_th20", 100), ("product_gl30", 40)])
