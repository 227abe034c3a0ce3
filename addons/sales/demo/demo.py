"""Demo data: the sales team of 康怡, its customers, a price list and orders at every stage.

Deterministic: fixed names, dates and quantities. The orders go through the real flow (submit,
approve, deliver, invoice, collect) as the users of each post, so the demo shows what the
documents look like at each step. Users log in with the password ``demo12345``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from core.users import admin_joins

PASSWORD = "demo12345"

USERS = [
    ("user_assistant", "wangfang", "王芳", "sales.group_assistant"),
    ("user_assistant2", "huangli", "黄丽", "sales.group_assistant"),
    ("user_manager", "liqiang", "李强", "sales.group_manager"),
    ("user_director", "zhangwei", "张伟", "sales.group_director"),
]

CUSTOMERS = [
    ("partner_kangning", "上海康宁医疗器械有限公司", "上海", "浦东新区张江路 88 号",
     "91310115MA1K3A2B7Q", "021-5080 1234"),
    ("partner_renhe", "杭州仁和大药房连锁有限公司", "杭州", "西湖区文三路 259 号",
     "91330106MA2CFX1N5D", "0571-8888 6666"),
    ("partner_yikang", "广州怡康养老服务有限公司", "广州", "天河区天河北路 233 号",
     "91440101MA5AT9QW3L", "020-3866 7788"),
    ("partner_jiahe", "成都佳和医院", "成都", "武侯区人民南路四段 12 号",
     "12510100450000123X", "028-8555 0101"),
    ("partner_beifang", "北京北方康复器材贸易有限公司", "北京", "朝阳区建国路 93 号",
     "91110105MA01B2C3D4", "010-6500 2020"),
]


def _ref(loader, xmlid):
    return loader.resolve(xmlid)


def load(loader):
    env = loader.env
    company = env.ref_id("base.main_company")
    users = {}
    for xmlid, login, name, group in USERS:
        users[xmlid] = loader.record(f"sales.{xmlid}", "res.users", {
            "login": login, "name": name, "password": PASSWORD, "lang": "zh_CN",
            "company_id": company, "groups_id": [(6, 0, [_ref(loader, group)])]})
    admin_joins(env, "sales.group_director")
    partners = {}
    for xmlid, name, city, street, vat, phone in CUSTOMERS:
        partners[xmlid] = loader.record(f"sales.{xmlid}", "res.partner", {
            "name": name, "city": city, "street": street, "vat": vat, "phone": phone,
            "is_company": True})
    dealer = loader.record("sales.pricelist_dealer", "sale.pricelist", {
        "name": "经销商价格表", "item_ids": [
            (0, 0, {"applied_on": "category",
                    "categ_id": _ref(loader, "product.categ_home"),
                    "compute_price": "percentage", "percent_price": "8"}),
            (0, 0, {"applied_on": "product", "product_id": _ref(loader, "product.product_ox05"),
                    "min_quantity": "20", "compute_price": "fixed", "fixed_price": "3350"})]})
    env["res.partner"].write([partners["partner_renhe"], partners["partner_beifang"]],
                             {"property_product_pricelist": dealer})

    assistant, manager, director = (users["user_assistant"], users["user_manager"],
                                    users["user_director"])

    def as_user(uid):
        return env(uid=uid, su=False)

    def order(xmlid, partner, day, lines, salesperson=assistant, **extra):
        return loader.record(f"sales.{xmlid}", "sale.order", {
            "partner_id": partners[partner], "user_id": salesperson,
            "date_order": dt.date(2026, 10, day), "commitment_date": dt.date(2026, 11, day),
            **extra,
            "order_line": [(0, 0, {"product_id": _ref(loader, f"product.{product}"),
                                   "product_uom_qty": qty}) for product, qty in lines]})

    def approve(order_id):
        as_user(assistant)["sale.order"].call("action_submit", [order_id])
        as_user(manager)["sale.order"].call("workflow_approve", [order_id])
        if env["sale.order"].read([order_id], ["state"])[0]["state"] == "to_approve":
            as_user(director)["sale.order"].call("workflow_approve", [order_id])

    def deliver(order_id, fraction=None):
        clerk = as_user(assistant)
        notice = clerk["sale.order"].call("action_create_delivery_notice", [order_id])
        if fraction is not None:
            for line in clerk["sale.delivery.notice.line"].search_read(
                    [("notice_id", "=", notice)], ["product_uom_qty"]):
                clerk["sale.delivery.notice.line"].write(
                    [line["id"]], {"product_uom_qty": str(line["product_uom_qty"] * fraction)})
        clerk["sale.delivery.notice"].call("action_approve", [notice])
        clerk["sale.delivery.notice"].call("action_ship", [notice])

    def invoice(order_id, number, day):
        clerk = as_user(assistant)
        notice = clerk["sale.order"].call("action_create_invoice_notice", [order_id])
        clerk["sale.invoice.notice"].call("action_review", [notice])
        clerk["sale.invoice.notice"].call("action_send", [notice])
        ref = env["sale.invoice.notice"].read([notice], ["invoice_ref"])[0]["invoice_ref"]
        if ref:  # accounting made the invoice (sale_account): finance posts it
            move_id = int(ref.split(",")[1])
            env["account.move"].write([move_id], {"date": dt.date(2026, 11, day)})
            env["account.move"].call("action_post", [move_id])
            return
        clerk["sale.invoice.notice"].call("action_invoice", [notice], number,
                                          dt.date(2026, 11, day).isoformat())

    def collect(xmlid, partner, amount, day, method="bank"):
        collection = loader.record(f"sales.{xmlid}", "sale.collection", {
            "partner_id": partners[partner], "amount": amount, "payment_method": method,
            "date": dt.date(2026, 11, day), "handler_id": assistant,
            "bank_account": "工商银行 1001 2345 6789 0000 123", "reference": f"HK-{xmlid[-2:]}"})
        clerk = as_user(assistant)
        clerk["sale.collection"].call("action_auto_allocate", [collection])
        clerk["sale.collection"].call("action_post", [collection])

    # a quotation still being prepared
    order("order_01", "partner_jiahe", 20, [("product_wc01", "6"), ("product_wk02", "10")],
          note="报价有效期 30 天")
    # submitted, waiting for the sales manager
    submitted = order("order_02", "partner_yikang", 18,
                      [("product_ox05", "4"), ("product_nb10", "12"), ("product_sv01", "8")])
    as_user(assistant)["sale.order"].call("action_submit", [submitted])
    # approved, half delivered, nothing invoiced yet
    half = order("order_03", "partner_renhe", 12, [("product_bp100", "200"),
                                                   ("product_th20", "100")])
    approve(half)
    deliver(half, fraction=Decimal("0.5"))
    # delivered and invoiced, paid in part
    billed = order("order_04", "partner_kangning", 8, [("product_gl30", "50"),
                                                       ("product_gl30s", "200")])
    approve(billed)
    deliver(billed)
    invoice(billed, "04419823", 5)
    collect("collection_01", "partner_kangning", "10000.00", 12)
    # a large order: director approval, delivered, invoiced and paid in full → locked
    large = order("order_05", "partner_beifang", 3, [("product_ox05", "60"),
                                                     ("product_wc01", "20")])
    approve(large)
    deliver(large)
    invoice(large, "04419801", 2)
    total = env["sale.order"].read([large], ["amount_total"])[0]["amount_total"]
    collect("collection_02", "partner_beifang", str(total), 20)
    # a cancelled quotation
    cancelled = order("order_06", "partner_yikang", 1, [("product_mk50", "100")])
    as_user(assistant)["sale.order"].call("action_cancel", [cancelled], "客户改为线上采购")
