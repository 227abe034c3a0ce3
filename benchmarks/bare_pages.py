"""The approvals inbox and the customer 360° page, and their bare baselines.

Each bare page reads the same tables as the Kangyi page with one hand-written Core query per
table (names of many2one columns joined in), without access checks, menus or the top bar: the
requests waiting for the user and the COUNT of each inbox step; the customer's profile and the
sections the CRM, sales, stock and accounting show on the 360° page.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, or_, select

from core.domain import compile_domain
from core.env import Environment
from core.workflow_engine import _inbox_transitions

from .baseline_app import BareBlock, BarePage

__all__ = ["submit_orders", "inbox_page", "customer_page"]

ASSISTANT = "bench.assistant"


def submit_orders(admin: Environment, approver: int, count: int) -> bool:
    """``count`` orders of one line, submitted by a sales assistant, waiting for ``approver``
    (a sales manager); False when there is no product or customer to order."""
    products = admin["product.product"].search([], limit=1)
    customers = admin["res.partner"].search([("is_company", "=", True)], limit=1)
    if not products or not customers:
        return False
    found = admin["res.users"].search([("login", "=", ASSISTANT)])
    uid = found[0] if found else admin["res.users"].create({
        "login": ASSISTANT, "name": "Bench assistant",
        "groups_id": [(6, 0, [admin.ref_id("sales.group_assistant")])]})
    assistant = admin(uid=uid, su=False)
    for _i in range(count):
        order = assistant["sale.order"].create({"partner_id": customers[0], "order_line": [
            (0, 0, {"product_id": products[0], "product_uom_qty": Decimal(1),
                    "price_unit": Decimal("100")})]})
        assistant["sale.order"].call("action_submit", [order])
    admin.session.commit()
    return True


def _fields(env: Environment, model: str, names: list[str]
            ) -> list[tuple[str, str, Table | None, str | None]]:
    from .pages import _columns

    fields = env[model].fields
    return _columns(env, model, [n for n in names if n in fields])


def _table(env: Environment, model: str) -> Table:
    return env.registry[model].__table__


def inbox_page(env: Environment, uid: int) -> BarePage:
    """The requests waiting for ``uid`` (a page of 40, counted) and each inbox step's COUNT."""
    rel = env.registry["workflow.request"].metadata.tables["workflow_request_approver_rel"]
    blocks = [BareBlock(
        "Documents to approve", _table(env, "workflow.request"),
        _fields(env, "workflow.request", ["res_model", "res_name", "transition", "step_id",
                                          "requester_id", "create_date"]),
        lambda t, user: t.c.id.in_(select(rel.c.request_id).where(rel.c.user_id == user))
        & (t.c.state == "pending"), limit=40, count=True)]
    for _model, cls, transition, domain in _inbox_transitions(env):
        where = compile_domain(cls, domain)
        blocks.append(BareBlock(str(transition.label or transition.name), cls.__table__, [],
                                lambda _t, _user, w=where: w, limit=0, count=True))
    return BarePage("inbox", "Approvals", blocks)


def customer_page(env: Environment) -> BarePage:
    """The customer's profile and the sections of the 360° page, 20 rows each."""
    partner = _table(env, "res.partner")

    def own(t: Table, pid: int) -> Any:
        return t.c.partner_id == pid

    def tree(t: Table, pid: int) -> Any:  # the customer and its contacts
        return t.c.partner_id.in_(select(partner.c.id).where(
            or_(partner.c.id == pid, partner.c.parent_id == pid)))

    today = dt.date.today()
    sections: list[tuple[str, str, list[str], Any, tuple[str, ...]]] = [
        ("Profile", "res.partner", ["name", "is_company", "parent_id", "function", "phone",
                                    "mobile", "email", "vat", "industry_id", "region",
                                    "province", "city", "profession", "birth_date",
                                    "level_id", "source", "user_id", "customer_status"],
         lambda t, pid: t.c.id == pid, ("id",)),
        ("Contacts", "res.partner", ["name", "function", "phone", "mobile", "email"],
         lambda t, pid: (t.c.parent_id == pid) & t.c.active.is_(True), ("name", "id")),
        ("Follow-ups", "crm.followup", ["date", "method", "summary", "result", "next_date",
                                        "user_id", "state"], own, ("-date", "-id")),
        ("Return visits", "crm.visit", ["planned_date", "name", "state", "satisfaction",
                                        "complaint_state", "user_id"], own,
         ("-planned_date", "-id")),
        ("Opportunities", "crm.lead", ["name", "stage_id", "probability", "expected_revenue",
                                       "date_deadline", "active"], own, ("-priority", "-id")),
        ("Contracts", "crm.contract", ["name", "title", "date_signed", "amount_total",
                                       "amount_received", "amount_due", "state"], own,
         ("-date_signed", "-id")),
        ("Overdue instalments", "crm.contract.installment",
         ["contract_id", "date_due", "amount", "amount_received"],
         lambda t, pid: own(t, pid) & (t.c.state != "paid") & (t.c.date_due < today), ("id",)),
        ("Sales orders", "sale.order", ["name", "date_order", "amount_total",
                                        "delivered_percent", "invoiced_percent",
                                        "collected_percent", "amount_due", "state"], own,
         ("-date_order", "-id")),
        ("Deliveries", "stock.picking", ["name", "origin", "scheduled_date", "date_done",
                                         "location_dest_id", "state"], tree, ("-id",)),
        ("Invoices", "account.move", ["name", "date", "move_type", "invoice_date_due",
                                      "amount_total", "amount_residual", "payment_state",
                                      "state"],
         lambda t, pid: tree(t, pid) & t.c.move_type.in_(["out_invoice", "out_refund"]),
         ("-id",)),
        ("Customer receipts", "account.payment", ["name", "date", "amount",
                                                  "amount_unapplied", "journal_id", "ref",
                                                  "state"],
         lambda t, pid: tree(t, pid) & (t.c.payment_type == "inbound"), ("-id",)),
    ]
    blocks = [BareBlock(title, _table(env, model), _fields(env, model, names), where, order)
              for title, model, names, where, order in sections if model in env]
    if "account.move.line" in env:
        account = _table(env, "account.account")
        blocks.append(BareBlock(
            "Open balance", _table(env, "account.move.line"), [],
            lambda t, pid: tree(t, pid) & (t.c.parent_state == "posted") & t.c.account_id.in_(
                select(account.c.id).where(account.c.account_type == "asset_receivable")),
            limit=0, total_of="balance"))
    return BarePage("customer", "Customer 360°", blocks)
