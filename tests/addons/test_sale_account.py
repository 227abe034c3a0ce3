"""sale_account: invoicing notices become customer invoices, posting marks the notice invoiced,
collections become receipts that write off the orders' invoices (SA-003 steps 4, 5 and 7)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_account_helpers import balance, make_user

from core.errors import UserError, ValidationError
from core.testing import AddonTestCase
from core.workflow_engine import buttons as available_buttons
from core.workflow_engine import take_transition
from tests.addons.test_sales import Sales, sales  # noqa: F401  (fixture)
from tests.addons.test_sales_flow import _ship

D = Decimal


class TestSaleAccountStructure(AddonTestCase):
    addon = "sale_account"


@pytest.fixture
def books(sales):  # noqa: F811
    """Sales with accounting installed afterwards: the glue installs itself."""
    sales.runtime.manager.install(["accounting"])
    with sales.env() as env:
        assert "invoice_notice_id" in env["account.move"].fields  # the glue is installed
        sales.clerk = make_user(env, "clerk", "accounting.group_invoicing")
        sales.receivable = make_user(env, "ar", "accounting.group_receivable")
    return sales


def _send_notice(books: Sales, order: int) -> int:
    notice = books.call(books.assistant, "sale.order", "action_create_invoice_notice", order)
    for action in ("action_review", "action_send"):
        books.call(books.assistant, "sale.invoice.notice", action, notice)
    return notice


def _invoice_of(books: Sales, notice: int) -> int:
    ref = books.read("sale.invoice.notice", notice, "invoice_ref")["invoice_ref"]
    model, _sep, move_id = ref.partition(",")
    assert model == "account.move"
    return int(move_id)


def test_notice_becomes_invoice_and_posting_marks_it_invoiced(books):
    order = books.approved_order([(books.bp, "10", None), (books.service, "2", None)])
    _ship(books, order)
    notice = _send_notice(books, order)
    move = _invoice_of(books, notice)
    data = books.read("account.move", move, "move_type", "state", "partner_id", "origin",
                      "amount_untaxed", "amount_tax", "amount_total", "sale_order_id")
    totals = books.read("sale.invoice.notice", notice, "amount_untaxed", "amount_tax",
                        "amount_total", "name", "state")
    assert data["move_type"] == "out_invoice" and data["state"] == "draft"
    assert data["partner_id"][0] == books.customer and data["origin"] == totals["name"]
    assert data["sale_order_id"][0] == order
    # 10 × 299 at 13 % and 2 h × 150 at 6 %: the same figures as the notice
    assert (data["amount_untaxed"], data["amount_tax"], data["amount_total"]) == (
        totals["amount_untaxed"], totals["amount_tax"], totals["amount_total"]) == (
        D("3290.00"), D("406.70"), D("3696.70"))
    assert totals["state"] == "sent"
    with books.env(books.clerk) as env:
        env["account.move"].call("action_post", [move])
    posted = books.read("account.move", move, "name", "date")
    notice_now = books.read("sale.invoice.notice", notice, "state", "invoice_number")
    assert notice_now == {"id": notice, "state": "invoiced", "invoice_number": posted["name"]}
    with books.env() as env:
        assert balance(env, "1122", books.customer) == D("3696.70")
        assert balance(env, "22210107") == D("-406.70")
    progress = books.read("sale.order", order, "invoice_status", "amount_invoiced")
    assert progress["amount_invoiced"] == D("3696.70")


def test_collection_becomes_receipt_that_writes_off_invoices(books):
    first = books.approved_order([(books.bp, "10", None)])  # 3 378.70
    second = books.approved_order([(books.mask, "100", None)])  # 3 955.00
    moves = []
    for order in (first, second):
        _ship(books, order)
        move = _invoice_of(books, _send_notice(books, order))
        with books.env(books.clerk) as env:
            env["account.move"].call("action_post", [move])
        moves.append(move)
    with books.env(books.assistant) as env:
        collection = env["sale.collection"].create({
            "partner_id": books.customer, "amount": "5000", "payment_method": "bank",
            "reference": "TX-88", "allocation_ids": [
                (0, 0, {"order_id": first, "amount": "3378.70"}),
                (0, 0, {"order_id": second, "amount": "1621.30"})]})
    assert books.call(books.assistant, "sale.collection", "action_post", collection) == "posted"
    ref = books.read("sale.collection", collection, "receipt_ref")["receipt_ref"]
    payment = int(ref.split(",")[1])
    pay = books.read("account.payment", payment, "state", "amount", "amount_unapplied",
                     "collection_id", "journal_id")
    assert pay["state"] == "posted" and pay["amount"] == D("5000.00")
    assert pay["amount_unapplied"] == 0 and pay["collection_id"][0] == collection
    one, two = (books.read("account.move", m, "payment_state", "amount_residual")
                for m in moves)
    assert one["payment_state"] == "paid" and one["amount_residual"] == 0
    assert two["payment_state"] == "partial" and two["amount_residual"] == D("2333.70")
    with books.env() as env:
        assert balance(env, "1122", books.customer) == D("2333.70")
        assert balance(env, "1002") == D("5000.00")


def test_collection_before_invoicing_stays_open_for_the_receivables_accountant(books):
    order = books.approved_order([(books.bp, "1", None)])  # 337.87
    with books.env(books.assistant) as env:
        collection = env["sale.collection"].create({
            "partner_id": books.customer, "amount": "337.87", "payment_method": "cash",
            "allocation_ids": [(0, 0, {"order_id": order, "amount": "337.87"})]})
    books.call(books.assistant, "sale.collection", "action_post", collection)
    payment = int(books.read("sale.collection", collection, "receipt_ref")["receipt_ref"]
                  .split(",")[1])
    assert books.read("account.payment", payment, "amount_unapplied")["amount_unapplied"] == D(
        "337.87")
    _ship(books, order)
    move = _invoice_of(books, _send_notice(books, order))
    with books.env(books.clerk) as env:
        env["account.move"].call("action_post", [move])
    with books.env(books.receivable) as env:
        env["account.payment"].call("action_reconcile", [payment], [move])
    assert books.read("account.move", move, "payment_state")["payment_state"] == "paid"


def test_missing_tax_rate_is_a_clear_error(books):
    with books.env() as env:
        env["account.tax"].write([env.ref_id("accounting.tax_sale_13")], {"active": False})
    order = books.approved_order([(books.bp, "1", None)])
    _ship(books, order)
    notice = books.call(books.assistant, "sale.order", "action_create_invoice_notice", order)
    books.call(books.assistant, "sale.invoice.notice", "action_review", notice)
    with pytest.raises(UserError, match="No active sales tax of 13"):
        books.call(books.assistant, "sale.invoice.notice", "action_send", notice)
    assert books.read("sale.invoice.notice", notice, "state")["state"] == "reviewed"


def _posted_invoice(books: Sales, lines: list) -> tuple[int, int, int]:
    """An approved, shipped order and its posted invoice: (order, notice, invoice)."""
    order = books.approved_order(lines)
    _ship(books, order)
    notice = _send_notice(books, order)
    move = _invoice_of(books, notice)
    with books.env(books.clerk) as env:
        env["account.move"].call("action_post", [move])
    return order, notice, move


def _receipt(books: Sales, amount: str, invoices: list[int]) -> int:
    """The receivables accountant posts a bank receipt (收付款单, 记账并核销)."""
    with books.env(books.receivable) as env:
        payment = env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": books.customer, "amount": amount,
            "journal_id": env.ref_id("accounting.journal_bank"), "ref": "BANK-1",
            "invoice_ids": [(6, 0, invoices)]})
        env["account.payment"].call("action_post", [payment])
    return payment


def _collection(books: Sales, amount: str, order: int | None = None) -> int:
    with books.env(books.assistant) as env:
        return env["sale.collection"].create({
            "partner_id": books.customer, "amount": amount, "payment_method": "bank",
            "allocation_ids": [(0, 0, {"order_id": order, "amount": amount})] if order else []})


def _receipts(books: Sales) -> list[dict]:
    with books.env() as env:
        return env["account.payment"].search_read([("state", "=", "posted")],
                                                  ["collection_id", "amount"])


def test_hook_account_payment_posted(books):
    """A receipt posted in accounting against the invoice reaches the sales order."""
    order, _notice, move = _posted_invoice(books, [(books.bp, "10", None)])  # 3 378.70
    payment = _receipt(books, "3378.70", [move])
    progress = books.read("sale.order", order, "collected_percent", "amount_collected", "state")
    assert progress["amount_collected"] == D("3378.70") and progress["collected_percent"] == 100
    assert progress["state"] == "done"  # delivered, invoiced and collected: locked
    collection = books.read("account.payment", payment, "collection_id")["collection_id"][0]
    linked = books.read("sale.collection", collection, "state", "amount", "receipt_ref")
    assert linked["state"] == "posted" and linked["amount"] == D("3378.70")
    assert linked["receipt_ref"] == f"account.payment,{payment}"
    # the sales assistant then records the same money under 销售 › 回款: refused, one receipt
    second = _collection(books, "3378.70")
    with pytest.raises(UserError, match="already recorded"):
        books.call(books.assistant, "sale.collection", "action_post", second)
    with pytest.raises(ValidationError, match="left to collect"):
        books.call(books.assistant, "sale.collection", "action_post",
                   _collection(books, "3378.70", order))
    assert books.read("sale.collection", second, "state")["state"] == "draft"
    assert [(r["id"], r["collection_id"][0]) for r in _receipts(books)] == [
        (payment, collection)]


def test_collection_first_then_accounting_cannot_post_the_money_again(books):
    order, _notice, move = _posted_invoice(books, [(books.bp, "10", None)])
    collection = _collection(books, "3378.70", order)
    books.call(books.assistant, "sale.collection", "action_post", collection)
    assert books.read("sale.order", order, "collected_percent")["collected_percent"] == 100
    assert books.read("account.move", move, "payment_state")["payment_state"] == "paid"
    with pytest.raises(UserError, match="already recorded"):
        _receipt(books, "3378.70", [])
    with pytest.raises(UserError, match="nothing left to write off"):
        _receipt(books, "3378.70", [move])
    assert len(_receipts(books)) == 1


def test_collection_claims_the_receipt_accounting_posted_unmatched(books):
    order, _notice, move = _posted_invoice(books, [(books.bp, "10", None)])
    payment = _receipt(books, "3378.70", [])  # posted, not yet written off: no sales order
    assert books.read("account.payment", payment, "collection_id")["collection_id"] is None
    collection = _collection(books, "3378.70", order)
    books.call(books.assistant, "sale.collection", "action_post", collection)
    assert books.read("sale.collection", collection, "receipt_ref")["receipt_ref"] == (
        f"account.payment,{payment}")
    assert books.read("account.move", move, "payment_state")["payment_state"] == "paid"
    assert books.read("sale.order", order, "collected_percent")["collected_percent"] == 100
    assert len(_receipts(books)) == 1


def test_hook_account_payment_reconciled(books):
    """A later write-off in accounting reaches the sales order too."""
    order, _notice, move = _posted_invoice(books, [(books.bp, "10", None)])
    payment = _receipt(books, "5000", [])
    with books.env(books.receivable) as env:
        env["account.payment"].call("action_reconcile", [payment], [move])
    progress = books.read("sale.order", order, "amount_collected", "collected_percent")
    assert progress == {"id": order, "amount_collected": D("3378.70"), "collected_percent": 100}
    collection = books.read("account.payment", payment, "collection_id")["collection_id"][0]
    assert books.read("sale.collection", collection, "amount_unallocated")[
        "amount_unallocated"] == D("1621.30")


def test_invoice_recorded_by_hand_is_refused_once_accounting_owns_it(books):
    order = books.approved_order([(books.bp, "1", None)])
    _ship(books, order)
    notice = _send_notice(books, order)
    with pytest.raises(UserError, match="in accounting"):
        books.call(books.assistant, "sale.invoice.notice", "action_invoice", notice, "123", None)
    with books.env(books.assistant) as env:
        with pytest.raises(UserError, match="in accounting"):
            env["sale.invoice.notice"].write([notice], {"invoice_number": "04410001"})
        with pytest.raises(UserError):
            take_transition(env, "sale.invoice.notice", notice, "invoice")
        assert "invoice" not in [b.name for b in available_buttons(
            env, "sale.invoice.notice", notice)]
    assert books.read("sale.invoice.notice", notice, "state", "invoice_number") == {
        "id": notice, "state": "sent", "invoice_number": None}


def test_same_amount_for_another_order_on_the_same_day_is_another_payment(books):
    """Two orders of one customer paid with equal amounts on one day are two payments."""
    first, _notice, _move = _posted_invoice(books, [(books.bp, "10", None)])
    second, _notice, _move = _posted_invoice(books, [(books.bp, "10", None)])
    for order in (first, second):
        collection = _collection(books, "3378.70", order)
        books.call(books.assistant, "sale.collection", "action_post", collection)
        assert books.read("sale.order", order, "collected_percent")["collected_percent"] == 100
    assert sorted(r["amount"] for r in _receipts(books)) == [D("3378.70"), D("3378.70")]
