"""Demo data: customers, an opening voucher, a customer invoice and a partial receipt (Nov 2026)."""

from __future__ import annotations

import datetime as dt

DAY = dt.date(2026, 11, 2)

#: the accounting posts of SA-003 (steps 5 to 7) and the chief accountant
USERS = [
    ("demo_invoicing", "zhengli", "郑丽", "accounting.group_invoicing"),
    ("demo_cost", "wugang", "吴刚", "accounting.group_cost"),
    ("demo_receivable", "fengmin", "冯敏", "accounting.group_receivable"),
    ("demo_chief", "hejing", "何静", "accounting.group_chief"),
]


def _customer(env, name: str, city: str) -> int:  # noqa: ANN001
    """A customer found by name or created (customers are shared data: no external id, so
    uninstalling accounting leaves them, and the documents pointing at them, consistent)."""
    found = env["res.partner"].search([("name", "=", name)], limit=1)
    return found[0] if found else env["res.partner"].create(
        {"name": name, "is_company": True, "city": city})


def load(loader) -> None:  # noqa: ANN001
    env = loader.env
    for xmlid, login, name, group in USERS:
        loader.record(f"accounting.{xmlid}", "res.users", {
            "login": login, "name": name, "password": "demo12345", "lang": "zh_CN",
            "company_id": env.ref_id("base.main_company"),
            "groups_id": [(6, 0, [loader.resolve(group)])]})
    partner = _customer(env, "上海华联医药贸易有限公司", "上海")
    _customer(env, "北京康泰医疗器械有限公司", "北京")
    if env["account.move"].search_count([("ref", "=", "期初实收资本")]):
        return
    opening = loader.record("accounting.demo_opening", "account.move", {
        "journal_id": loader.resolve("accounting.journal_general"), "date": DAY,
        "ref": "期初实收资本", "line_ids": [
            (0, 0, {"account_id": loader.resolve("accounting.account_1002"),
                    "name": "股东投入", "debit": "1000000.00"}),
            (0, 0, {"account_id": loader.resolve("accounting.account_4001"),
                    "name": "股东投入", "credit": "1000000.00"})]})
    env["account.move"].call("action_post", [opening])
    invoice = loader.record("accounting.demo_invoice_1", "account.move", {
        "move_type": "out_invoice", "journal_id": loader.resolve("accounting.journal_sale"),
        "partner_id": partner, "date": DAY + dt.timedelta(days=3), "ref": "增值税专用发票 00012345",
        "line_ids": [(0, 0, {"display_type": "product", "name": "一次性输液器 (箱)",
                             "quantity": "20", "price_unit": "850.00",
                             "tax_ids": [(6, 0, [loader.resolve("accounting.tax_sale_13")])]})]})
    env["account.move"].call("action_post", [invoice])
    payment = loader.record("accounting.demo_receipt_1", "account.payment", {
        "payment_type": "inbound", "partner_type": "customer", "partner_id": partner,
        "amount": "10000.00", "date": DAY + dt.timedelta(days=10),
        "journal_id": loader.resolve("accounting.journal_bank"), "ref": "电汇 回款",
        "invoice_ids": [(6, 0, [invoice])]})
    env["account.payment"].call("action_post", [payment])
