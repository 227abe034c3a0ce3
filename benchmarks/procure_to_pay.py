"""The procure-to-pay flow of section 1, beside order-to-cash: purchase order entry, approval,
receipt (保管员), inspection (检验员), vendor bill with three-way matching and posting, payment with
write-off (应付会计). Stages whose addons are not installed are skipped, as in order-to-cash; the
Core baseline replays the same rows (:mod:`benchmarks.replay`)."""

from __future__ import annotations

from decimal import Decimal

from core.env import Environment

from .order_to_cash import Flow, Stage


def _doc(flow: Flow, kind: str, i: int) -> int:
    return flow.docs[kind][-flow.size + i]


def _enter_order(env: Environment, flow: Flow, i: int) -> None:
    """The buyer enters the purchase order (3 lines) by hand."""
    suppliers, products = flow.master["customers"], flow.master["products"]
    lines = [(0, 0, {"product_id": products[(i * flow.lines + k) % len(products)],
                     "product_qty": Decimal(k % 5 + 1), "price_unit": Decimal("60.00")})
             for k in range(flow.lines)]
    flow.docs.setdefault("purchase", []).append(env["purchase.order"].create(
        {"partner_id": suppliers[i % len(suppliers)], "order_line": lines}))


def _submit(env: Environment, flow: Flow, i: int) -> None:
    env["purchase.order"].call("action_submit", [_doc(flow, "purchase", i)])


def _approve(env: Environment, flow: Flow, i: int) -> None:
    """The purchase manager approves (another user); with stock, the receipt is made."""
    env["purchase.order"].call("workflow_approve", [_doc(flow, "purchase", i)])


def _receive(env: Environment, flow: Flow, i: int) -> None:
    """The keeper validates the receipt in full."""
    picking = env["stock.picking"].search([("purchase_id", "=", _doc(flow, "purchase", i)),
                                           ("state", "not in", ("done", "cancel"))], limit=1)
    env["stock.picking"].call("button_validate", picking)


def _inspect(env: Environment, flow: Flow, i: int) -> None:
    """The inspector confirms the inspection (everything accepted)."""
    found = env["purchase.inspection"].search([("purchase_id", "=", _doc(flow, "purchase", i)),
                                               ("state", "=", "draft")], limit=1)
    env["purchase.inspection"].call("action_confirm", found)


def _bill(env: Environment, flow: Flow, i: int) -> None:
    """The payables accountant bills the received goods and posts (three-way match)."""
    bill = env["purchase.order"].call("action_create_bill", [_doc(flow, "purchase", i)])
    env["account.move"].call("action_post", [bill])
    flow.docs.setdefault("bill", []).append(bill)


def _pay(env: Environment, flow: Flow, i: int) -> None:
    """…and pays the bill in full, written off against it (核销)."""
    journal = env["account.journal"].search([("type", "=", "bank")], limit=1)[0]
    env["account.move"].call("action_register_payment", [_doc(flow, "bill", i)], journal)


PROCURE_TO_PAY = Flow("procure-to-pay", "orders", [
    Stage("purchase order entry (3 lines)", ("purchase.order", "product.product"), _enter_order),
    Stage("submit", ("purchase.order",), _submit),
    Stage("approval", ("purchase.order",), _approve, actor=1),
    Stage("receipt", ("purchase.inspection",), _receive, actor=3),
    Stage("inspection", ("purchase.inspection",), _inspect, actor=4),
    Stage("vendor bill + three-way match + posting", ("purchase.accrual",), _bill, actor=2),
    Stage("payment + write-off", ("purchase.accrual",), _pay, actor=2),
])
