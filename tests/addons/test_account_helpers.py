"""Shared helpers of the accounting tests (no tests here): users per post, vouchers, invoices,
payments, balances. Named test_account_* to stay among the accounting test files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

DAY = dt.date(2026, 11, 10)


def make_user(env: Any, login: str, *groups: str) -> int:
    return env["res.users"].create({
        "login": login, "name": login.title(), "password": "password123",
        "groups_id": [(6, 0, [env.ref_id(g) for g in groups])]})


def account(env: Any, code: str) -> int:
    return env.ref_id(f"accounting.account_{code}")


def partner(env: Any, name: str = "上海华联医药贸易有限公司") -> int:
    return env["res.partner"].create({"name": name, "is_company": True})


def voucher(env: Any, lines: list[tuple[str, Any, Any]], day: dt.date = DAY,
            journal: str = "general", post: bool = True, partner_id: int | None = None) -> int:
    """A journal voucher from ``(account code, debit, credit)`` triples."""
    move = env["account.move"].create({
        "journal_id": env.ref_id(f"accounting.journal_{journal}"), "date": day,
        "partner_id": partner_id or False,
        "line_ids": [(0, 0, {"account_id": account(env, code), "debit": debit or 0,
                             "credit": credit or 0, "name": "test"})
                     for code, debit, credit in lines]})
    if post:
        env["account.move"].call("action_post", [move])
    return move


def invoice(env: Any, partner_id: int, lines: list[tuple[Any, Any, str | None]],
            move_type: str = "out_invoice", day: dt.date = DAY, post: bool = True,
            due: dt.date | None = None) -> int:
    """An invoice from ``(quantity, unit price, tax xmlid or None)`` lines."""
    journal = "sale" if move_type.startswith("out") else "purchase"
    move = env["account.move"].create({
        "move_type": move_type, "journal_id": env.ref_id(f"accounting.journal_{journal}"),
        "partner_id": partner_id, "date": day, "invoice_date_due": due or False,
        "line_ids": [(0, 0, {"display_type": "product", "name": f"item {i}", "quantity": qty,
                             "price_unit": price,
                             "tax_ids": [(6, 0, [env.ref_id(f"accounting.{tax}")] if tax
                                          else [])]})
                     for i, (qty, price, tax) in enumerate(lines)]})
    if post:
        env["account.move"].call("action_post", [move])
    return move


def receipt(env: Any, partner_id: int, amount: Any, invoices: list[int] = (),
            day: dt.date = DAY, post: bool = True) -> int:
    payment = env["account.payment"].create({
        "payment_type": "inbound", "partner_type": "customer", "partner_id": partner_id,
        "amount": amount, "date": day, "journal_id": env.ref_id("accounting.journal_bank"),
        "invoice_ids": [(6, 0, list(invoices))]})
    if post:
        env["account.payment"].call("action_post", [payment])
    return payment


def balance(env: Any, code: str, partner_id: int | None = None) -> Decimal:
    domain = [("parent_state", "=", "posted"), ("account_id", "=", account(env, code))]
    if partner_id:
        domain.append(("partner_id", "=", partner_id))
    groups = env["account.move.line"].read_group(domain, ["balance:sum"], "account_id")
    return Decimal(str(groups[0]["balance"])).quantize(Decimal("0.01")) if groups else \
        Decimal("0.00")


def read(env: Any, model: str, record_id: int, *fields: str) -> dict[str, Any]:
    return env[model].read([record_id], list(fields))[0]
