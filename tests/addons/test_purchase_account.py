"""purchase_account: vendor bills from orders and receipts, three-way matching with tolerances,
postings on the PRC chart (1402/1405, 22210101 input VAT, 2202), month-end 暂估入库 and its
reversal, supplier payments with partial and full write-off, order progress, payables aging and
statements, and property tests that every voucher balances and the ledger agrees with the
documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from addons.purchase_account.accruals import book_accruals, last_month_end
from core.errors import AccessError, UserError
from core.testing import AddonTestCase
from tests.addons.test_purchase import Purchase, purchase_setup
from tests.addons.test_purchase_stock import receipts, receive, run_job

PAYABLE = ("purchase_account.group_payable",)


class TestPurchaseAccountStructure(AddonTestCase):
    addon = "purchase_account"


def _setup(runtime: Any) -> Purchase:
    return purchase_setup(runtime, {"keeper": ("stock.group_keeper",),
                                    "inspector": ("stock.group_inspector",),
                                    "payable": PAYABLE,
                                    "chief": ("accounting.group_chief",)})


@pytest.fixture(name="p2p")
def p2p_fixture(make_runtime: Any) -> Purchase:
    """purchase, stock and accounting: the glue (purchase_stock, purchase_account,
    stock_account) installs itself."""
    runtime = make_runtime()
    runtime.manager.install(["purchase", "stock", "accounting"])
    return _setup(runtime)


def balances(p2p: Purchase, *codes: str) -> dict[str, Decimal]:
    """Debit − credit of posted items per account code."""
    with p2p.env() as env:
        groups = env["account.move.line"].read_group(
            [("parent_state", "=", "posted"), ("account_id.code", "in", list(codes))],
            ["balance:sum"], ["account_id"], lazy=False)
        codes_of = {a["id"]: a["code"] for a in env["account.account"].search_read(
            [("code", "in", list(codes))], ["code"])}
    result = dict.fromkeys(codes, Decimal(0))
    for group in groups:
        result[codes_of[group["account_id"][0]]] = Decimal(str(group["balance"] or 0))
    return result


def post(p2p: Purchase, bill: int, uid: int | None = None) -> None:
    p2p.call(uid or p2p.payable, "account.move", "action_post", bill)


def all_balanced(p2p: Purchase) -> None:
    with p2p.env() as env:
        for group in env["account.move.line"].read_group(
                [("parent_state", "=", "posted")], ["debit:sum", "credit:sum"], ["move_id"],
                lazy=False):
            assert Decimal(str(group["debit"])) == Decimal(str(group["credit"])), group


def test_bill_after_receipt_clears_goods_in_transit(p2p):
    order = p2p.approved_order([(p2p.bp, "10", "100")])
    receive(p2p, receipts(p2p, order)[0]["id"])
    assert balances(p2p, "1405", "1402") == {"1405": Decimal("1000.00"),
                                              "1402": Decimal("-1000.00")}
    bill = p2p.call(p2p.payable, "purchase.order", "action_create_bill", order)
    post(p2p, bill)
    got = balances(p2p, "1405", "1402", "22210101", "2202")
    assert got == {"1405": Decimal("1000.00"), "1402": Decimal("0.00"),
                   "22210101": Decimal("130.00"), "2202": Decimal("-1130.00")}
    with p2p.env() as env:
        move = env["account.move"].read([bill], ["move_type", "match_state", "purchase_id",
                                                 "invoice_date_due", "date"])[0]
        lines = env["account.move.line"].search_read([("move_id", "=", bill),
                                                      ("purchase_line_id", "!=", False)],
                                                     ["purchase_line_id"])
    assert move["move_type"] == "in_invoice" and move["match_state"] == "matched"
    assert move["invoice_date_due"] == move["date"] + dt.timedelta(days=60)
    assert len(lines) == 1
    head = p2p.read("purchase.order", order, "billed_percent", "invoice_status")
    assert head["billed_percent"] == Decimal("100.00") and head["invoice_status"] == "invoiced"
    all_balanced(p2p)


def test_bill_before_arrival_stays_in_transit(p2p):
    order = p2p.approved_order([(p2p.bp, "10", "100")])
    bill = p2p.call(p2p.payable, "purchase.order", "action_create_advance_bill", order)
    with pytest.raises(UserError):  # nothing received: the three-way match holds it
        post(p2p, bill)
    with p2p.env(p2p.payable) as env:
        assert env["account.move"].call("action_check_match", [bill]) == "mismatch"
    with pytest.raises(AccessError):  # only a purchase manager accepts
        p2p.call(p2p.payable, "account.move", "action_accept_mismatch", bill)
    with p2p.env(p2p.manager) as env:
        env["account.move"].write([bill], {"match_accept_reason": "预付货款，货在途"})
    p2p.call(p2p.manager, "account.move", "action_accept_mismatch", bill)
    post(p2p, bill)
    assert balances(p2p, "1402", "1405", "2202") == {
        "1402": Decimal("1000.00"), "1405": Decimal("0.00"), "2202": Decimal("-1130.00")}
    receive(p2p, receipts(p2p, order)[0]["id"])  # the goods arrive: 1402 is cleared
    assert balances(p2p, "1402", "1405") == {"1402": Decimal("0.00"),
                                              "1405": Decimal("1000.00")}
    all_balanced(p2p)


def test_bills_from_each_receipt(p2p):
    """A bill from one receipt takes that receipt's quantities not billed yet; a receipt not
    done is refused clearly."""
    order = p2p.approved_order([(p2p.bp, "10", "100")])
    first = receipts(p2p, order)[0]["id"]
    receive(p2p, first, {p2p.bp: "6"})
    backorder = receipts(p2p, order)[1]["id"]
    with pytest.raises(UserError, match="done receipt"):
        p2p.call(p2p.payable, "purchase.order", "action_bill_receipt", order, backorder)
    receive(p2p, backorder)
    quantities = []
    for picking in (backorder, first):
        bill = p2p.call(p2p.payable, "purchase.order", "action_bill_receipt", order, picking)
        with p2p.env() as env:
            quantities += [line["quantity"] for line in env["account.move.line"].search_read(
                [("move_id", "=", bill), ("purchase_line_id", "!=", False)], ["quantity"])]
        post(p2p, bill)
    assert quantities == [Decimal("4"), Decimal("6")]
    with pytest.raises(UserError, match="nothing left to bill"):
        p2p.call(p2p.payable, "purchase.order", "action_bill_receipt", order, first)
    assert p2p.read("purchase.order", order, "billed_percent")["billed_percent"] == 100
    assert balances(p2p, "1402", "2202") == {"1402": Decimal("0.00"),
                                              "2202": Decimal("-1130.00")}
    all_balanced(p2p)


def test_price_tolerance(p2p):
    order = p2p.approved_order([(p2p.bp, "10", "100")])
    receive(p2p, receipts(p2p, order)[0]["id"])
    bill = p2p.call(p2p.payable, "purchase.order", "action_create_bill", order)
    with p2p.env(p2p.payable) as env:
        line = env["account.move.line"].search([("move_id", "=", bill),
                                                ("purchase_line_id", "!=", False)])[0]
        env["account.move.line"].write([line], {"price_unit": "101.50"})  # within 2 %
    post(p2p, bill)
    second = p2p.approved_order([(p2p.bp, "10", "100")])
    receive(p2p, receipts(p2p, second)[0]["id"])
    bill2 = p2p.call(p2p.payable, "purchase.order", "action_create_bill", second)
    with p2p.env(p2p.payable) as env:
        line = env["account.move.line"].search([("move_id", "=", bill2),
                                                ("purchase_line_id", "!=", False)])[0]
        env["account.move.line"].write([line], {"price_unit": "103"})  # 3 % above
    with pytest.raises(UserError):
        post(p2p, bill2)
    with p2p.env() as env:  # the administrator widens the tolerance to 5 %
        env["res.company"].write([env.ref_id("base.main_company")],
                                 {"purchase_price_tolerance": "5"})
    post(p2p, bill2)


def test_quantity_billed_beyond_received_is_held(p2p):
    order = p2p.approved_order([(p2p.bp, "10", "100")])
    receive(p2p, receipts(p2p, order)[0]["id"], {p2p.bp: "6"})
    bill = p2p.call(p2p.payable, "purchase.order", "action_create_bill", order)
    with p2p.env() as env:
        line = env["account.move.line"].search_read([("move_id", "=", bill),
                                                     ("purchase_line_id", "!=", False)],
                                                    ["quantity"])[0]
    assert line["quantity"] == Decimal("6")
    with p2p.env(p2p.payable) as env:
        env["account.move.line"].write([line["id"]], {"quantity": "8"})
    with pytest.raises(UserError):
        post(p2p, bill)
    with p2p.env(p2p.manager) as env:
        env["account.move"].write([bill], {"match_accept_reason": "供应商已发货"})
    p2p.call(p2p.manager, "account.move", "action_accept_mismatch", bill)
    with p2p.env(p2p.payable) as env:  # changing the amount after acceptance holds it again
        env["account.move.line"].write([line["id"]], {"quantity": "9"})
    with pytest.raises(UserError):
        post(p2p, bill)


def test_month_end_accrual_and_reversal(p2p):
    order = p2p.approved_order([(p2p.bp, "10", "100"), (p2p.mask, "100", "10")])
    receive(p2p, receipts(p2p, order)[0]["id"], {p2p.mask: "50"})
    month_end = dt.date.today().replace(day=28)
    with p2p.env() as env:
        accrual = env["purchase.accrual"].read([book_accruals(env, month_end)],
                                               ["amount", "move_id", "reversal_id"])[0]
        again = book_accruals(env, month_end)
        moves = env["account.move"].read([accrual["move_id"][0], accrual["reversal_id"][0]],
                                         ["date", "state"])
    assert again is None  # once per month
    assert accrual["amount"] == Decimal("1500.00")  # 10 × 100 + 50 × 10, VAT excluded
    assert [m["date"] for m in moves] == [month_end, month_end + dt.timedelta(days=1)]
    assert {m["state"] for m in moves} == {"posted"}
    # after the reversal the accrual nets out; the receipt's 1402 credit is all that is left
    assert balances(p2p, "1402", "2202") == {"1402": Decimal("-1500.00"),
                                              "2202": Decimal("0.00")}
    all_balanced(p2p)


def test_accruals_are_booked_by_the_monthly_job(p2p):
    """The scheduled job books the month just ended (China time) on the 1st, once, and its
    reversal on that day; it is scheduled for 00:05 China time on the 1st. What was received
    and billed counts as of the month's end: goods received on its last day and billed after
    it are booked, goods received after it are not."""
    from core.models import utcnow

    china_today = (utcnow() + dt.timedelta(hours=8)).date()
    month_end = china_today.replace(day=1) - dt.timedelta(days=1)
    order = p2p.approved_order([(p2p.bp, "4", "100")])
    receive(p2p, receipts(p2p, order)[0]["id"])
    with p2p.env() as env:  # it arrived at 23:00 China time on the month's last day
        move = env.registry["stock.move"]
        env.session.execute(update(move).where(move.purchase_line_id.is_not(None)).values(
            date=dt.datetime.combine(month_end, dt.time(15))))
    # billed after the month's end: still 暂估 at the month's end
    post(p2p, p2p.call(p2p.payable, "purchase.order", "action_create_bill", order))
    # received after the month's end (today): not in it
    receive(p2p, receipts(p2p, p2p.approved_order([(p2p.bp, "3", "100")]))[0]["id"])
    assert last_month_end(dt.date(2027, 3, 1)) == dt.date(2027, 2, 28)
    assert last_month_end(dt.date(2026, 12, 31)) == dt.date(2026, 11, 30)
    for _run in range(2):  # the second run finds the month booked
        cron = run_job(p2p, "purchase_account.job_accruals")
    with p2p.env() as env:
        job = env["ir.cron"].read([cron], ["cron_expression", "nextcall"])[0]
        accruals = env["purchase.accrual"].search_read([], ["date", "amount", "move_id",
                                                            "reversal_id"])
        moves = env["account.move"].read([accruals[0]["move_id"][0],
                                          accruals[0]["reversal_id"][0]], ["date", "state"])
    assert job["cron_expression"] == "5 16 L * *"
    assert (job["nextcall"] + dt.timedelta(hours=8)).day == 1  # 00:05 on the 1st, China time
    assert [(a["date"], a["amount"]) for a in accruals] == [(month_end, Decimal("400.00"))]
    assert [(m["date"], m["state"]) for m in moves] == [
        (month_end, "posted"), (month_end + dt.timedelta(days=1), "posted")]
    all_balanced(p2p)


def test_payments_write_off_bills_partially_then_fully(p2p):
    order = p2p.approved_order([(p2p.bp, "10", "100")])
    receive(p2p, receipts(p2p, order)[0]["id"])
    bill = p2p.call(p2p.payable, "purchase.order", "action_create_bill", order)
    post(p2p, bill)
    with p2p.env() as env:
        bank = env.ref_id("accounting.journal_bank")
    p2p.call(p2p.payable, "account.move", "action_register_payment", bill, bank, "500")
    head = p2p.read("purchase.order", order, "amount_paid", "paid_percent")
    assert head["amount_paid"] == Decimal("500.00") and head["paid_percent"] == Decimal("44.25")
    assert p2p.read("account.move", bill, "payment_state")["payment_state"] == "partial"
    p2p.call(p2p.payable, "account.move", "action_register_payment", bill, bank)
    head = p2p.read("purchase.order", order, "amount_paid", "paid_percent")
    assert head["paid_percent"] == Decimal("100.00")
    assert balances(p2p, "2202", "1002") == {"2202": Decimal("0.00"),
                                              "1002": Decimal("-1130.00")}
    from addons.purchase_account.reports import payables_aging, supplier_statement

    with p2p.env(p2p.payable) as env:
        statement = supplier_statement(env, p2p.supplier, dt.date(2000, 1, 1),
                                       dt.date.today() + dt.timedelta(days=1))
        aging = payables_aging(env, dt.date.today())
    assert (statement["billed"], statement["paid"], statement["closing"]) == (
        Decimal("1130.00"), Decimal("1130.00"), Decimal("0.00"))
    assert aging["total"] == Decimal("0")


def test_missing_purchase_tax_is_a_clear_error(p2p):
    with p2p.env() as env:
        env["account.tax"].write([env.ref_id("accounting.tax_purchase_13")], {"active": False})
    order = p2p.approved_order([(p2p.bp, "1", "100")])
    receive(p2p, receipts(p2p, order)[0]["id"])
    with pytest.raises(UserError, match="No active purchase tax of 13"):
        p2p.call(p2p.payable, "purchase.order", "action_create_bill", order)
    with p2p.env() as env:  # nothing half-made
        assert env["account.move"].search_count([("purchase_id", "=", order)]) == 0


def test_payables_aging_buckets(p2p):
    order = p2p.approved_order([(p2p.bp, "10", "100")])
    receive(p2p, receipts(p2p, order)[0]["id"])
    bill = p2p.call(p2p.payable, "purchase.order", "action_create_bill", order)
    post(p2p, bill)
    from addons.purchase_account.reports import payables_aging

    with p2p.env(p2p.payable) as env:
        now = payables_aging(env, dt.date.today())
        later = payables_aging(env, dt.date.today() + dt.timedelta(days=160))  # due in 60
    assert now["totals"]["not_due"] == Decimal("1130.00")
    assert later["totals"]["over_90"] == Decimal("1130.00")
    assert later["rows"][0]["partner"] == "江苏鱼跃医疗"


def test_buyer_sees_only_the_bills_of_own_orders(p2p):
    mine = p2p.approved_order([(p2p.bp, "1", "100")])
    other = p2p.approved_order([(p2p.bp, "1", "100")], uid=p2p.buyer2)
    for order in (mine, other):
        receive(p2p, receipts(p2p, order)[0]["id"])
        p2p.call(p2p.payable, "purchase.order", "action_create_bill", order)
    with p2p.env(p2p.buyer) as env:
        bills = env["account.move"].search_read([], ["purchase_id"])
    assert [b["purchase_id"][0] for b in bills] == [mine]
    with p2p.env() as env:  # a buyer who is also an accountant is not limited by it
        env["res.users"].write([p2p.buyer], {"groups_id": [
            (4, env.ref_id("purchase_account.group_payable"))]})
    with p2p.env(p2p.buyer) as env:
        assert len(env["account.move"].search([])) >= 2
        bank = env.ref_id("accounting.journal_bank")
        bill = env["account.move"].search([("purchase_id", "=", other)])[0]
        env["account.move"].call("action_post", [bill])
        env["account.move"].call("action_register_payment", [bill], bank)


@settings(max_examples=5, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(1, 40), st.integers(0, 100), st.integers(0, 100),
                          st.integers(0, 100)), min_size=1, max_size=3))
def test_ledger_agrees_with_the_documents(p2p, cases):
    """Random orders, receipts (a share of each), bills (a share of what arrived) and payments
    (a share of each bill): every voucher balances, stock value on 1405 moves by the received
    value, 1402 by what was billed less what was received, and 2202 by the bills less the
    payments (the database is shared by the examples: changes are compared)."""
    with p2p.env() as env:
        bank = env.ref_id("accounting.journal_bank")
    start = balances(p2p, "1405", "1402", "2202")
    received = billed = bills_total = paid = Decimal(0)
    for qty, got_share, bill_share, pay_share in cases:
        order = p2p.approved_order([(p2p.mask, str(qty), "10.5")])
        got = qty * got_share // 100
        if got:
            receive(p2p, receipts(p2p, order)[0]["id"], {p2p.mask: str(got)})
            received += Decimal(got) * Decimal("10.5")
        bill_qty = got * bill_share // 100
        if not bill_qty:
            continue
        bill = p2p.call(p2p.payable, "purchase.order", "action_create_bill", order)
        with p2p.env(p2p.payable) as env:
            line = env["account.move.line"].search([("move_id", "=", bill),
                                                    ("purchase_line_id", "!=", False)])[0]
            env["account.move.line"].write([line], {"quantity": str(bill_qty)})
        post(p2p, bill)
        total = p2p.read("account.move", bill, "amount_total")["amount_total"]
        billed += (Decimal(bill_qty) * Decimal("10.5")).quantize(Decimal("0.01"))
        bills_total += total
        amount = (total * pay_share / 100).quantize(Decimal("0.01"))
        if amount > 0:
            p2p.call(p2p.payable, "account.move", "action_register_payment", bill, bank,
                     str(amount))
            paid += amount
        assert p2p.read("purchase.order", order, "amount_paid")["amount_paid"] == amount
    end = balances(p2p, "1405", "1402", "2202")
    assert end["1405"] - start["1405"] == received
    assert end["1402"] - start["1402"] == billed - received
    assert start["2202"] - end["2202"] == bills_total - paid
    all_balanced(p2p)


def test_demo_shows_bills_payments_a_held_bill_and_payables(make_runtime):
    """The demo (purchase, stock, accounting): 许会计 billed the 98 monitors kept of the compared
    order (100 received, 2 rejected), posted on 5 November and paid 10,000.00 of it; billed the
    20 wheelchairs of the oxygen order that arrived and paid them in full; the invoice of the 30
    concentrators still on their way, at 2,200.00 against 2,150.00 ordered, waits for the
    purchase manager (周刚), who finds it under his menu and accepts it."""
    from addons.purchase_account.reports import payables_aging, supplier_statement
    from core.menus import menus_of

    runtime = make_runtime()
    runtime.manager.install(["purchase", "stock", "accounting"], demo=True)
    with runtime.env() as env:
        bills = env["account.move"].search_read(
            [("move_type", "=", "in_invoice")],
            ["state", "date", "amount_total", "amount_residual", "payment_state", "purchase_id",
             "partner_id", "match_state", "match_note"], order="date, id")
        cmp_order, oxygen = (env["purchase.order"].read([b["purchase_id"][0]], [
            "origin", "paid_percent", "billed_percent", "received_percent", "order_line"])[0]
            for b in bills[:2])
        line = env["purchase.order.line"].read(cmp_order["order_line"], [
            "qty_received", "qty_invoiced", "price_total", "product_qty"])[0]
        payments = env["account.payment"].search_read(
            [("partner_type", "=", "supplier")], ["amount", "state", "date"], order="date")
        backorders = env["stock.picking"].search_count([("purchase_id", "=", oxygen["id"]),
                                                        ("state", "not in", ("done", "cancel"))])
        payable = env.ref_id("purchase_account.demo_payable")
        manager = env.ref_id("purchase.user_manager")
    first, wheelchairs, held = bills
    assert cmp_order["origin"].startswith("CMP")
    assert (first["state"], first["date"], first["payment_state"]) == (
        "posted", dt.date(2026, 11, 5), "partial")
    assert line["qty_received"] == line["qty_invoiced"] == Decimal(98)
    assert first["amount_total"] == (line["price_total"] * 98 / line["product_qty"]).quantize(
        Decimal("0.01"))
    assert (wheelchairs["state"], wheelchairs["payment_state"], wheelchairs["amount_total"],
            wheelchairs["amount_residual"]) == ("posted", "paid", Decimal("16633.60"), 0)
    assert [(p["amount"], p["state"], p["date"]) for p in payments] == [
        (Decimal("10000.00"), "posted", dt.date(2026, 11, 20)),
        (Decimal("16633.60"), "posted", dt.date(2026, 11, 25))]
    assert first["amount_residual"] == first["amount_total"] - Decimal("10000.00")
    assert Decimal(0) < cmp_order["paid_percent"] < Decimal(100)
    assert backorders == 1 and Decimal(0) < oxygen["received_percent"] < Decimal(100)
    assert (held["state"], held["match_state"], held["purchase_id"]) == (
        "draft", "mismatch", wheelchairs["purchase_id"])
    assert "2200" in held["match_note"] and "2150" in held["match_note"]
    with runtime.env(uid=payable, su=False) as env:  # the payables accountant sees them due
        aging = payables_aging(env, dt.date(2026, 12, 7))
        statement = supplier_statement(env, first["partner_id"][0], dt.date(2026, 11, 1),
                                       dt.date(2026, 11, 30))
        for group in env["account.move.line"].read_group(
                [("parent_state", "=", "posted")], ["debit:sum", "credit:sum"], ["move_id"],
                lazy=False):
            assert Decimal(str(group["debit"])) == Decimal(str(group["credit"])), group
    assert aging["total"] == first["amount_residual"]
    assert (statement["billed"], statement["paid"], statement["closing"]) == (
        first["amount_total"] + wheelchairs["amount_total"], Decimal("26633.60"),
        first["amount_residual"])
    with runtime.env(uid=manager, su=False) as env:  # 周刚 finds it and accepts it
        menu = menus_of(env.registry).for_user(env).get("purchase_account.menu_bills_held")
        waiting = env["account.move"].search([("match_state", "=", "mismatch")])
        env["account.move"].write(waiting, {"match_accept_reason": "钢瓶涨价，供应商已来函"})
        assert env["account.move"].call("action_accept_mismatch", waiting) == "accepted"
    assert menu is not None and "mismatch" in menu.target and waiting == [held["id"]]


def test_orders_receipts_and_bills_lead_to_each_other(make_app):
    """Smart buttons: a purchase order counts its receipts and its vendor bills and opens
    them, each leads back to the order."""
    import re

    from tests.web_helpers import client_for

    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["purchase", "stock", "accounting"])
    p2p = _setup(runtime)
    orders, bills, pickings = [], [], []
    for uid in (p2p.buyer, p2p.buyer2):
        order = p2p.approved_order([(p2p.bp, "1", "100")], uid=uid)
        picking = receipts(p2p, order)[0]["id"]
        receive(p2p, picking)
        bills.append(p2p.call(p2p.payable, "purchase.order", "action_create_bill", order))
        orders.append(order)
        pickings.append(picking)
    with p2p.env() as env:
        env["res.users"].write([p2p.buyer], {"password": "password123", "lang": "zh_CN"})
    buyer = client_for(app, "buyer")

    def smart(url):
        html = buyer.get(url).get_data(as_text=True)
        nav = re.search(r'<nav class="smart-buttons".*?</nav>', html, re.S)
        return dict(re.findall(r'<a class="smart" href="([^"]+)"><span class="smart-count">'
                               r'(\d+)</span>', nav.group(0))) if nav else {}
    order_url = f"/web/purchase.order/{orders[0]}"
    assert smart(order_url) == {f"/web/stock.picking/{pickings[0]}": "1",
                                f"/web/account.move/{bills[0]}": "1"}
    for back in (f"/web/stock.picking/{pickings[0]}", f"/web/account.move/{bills[0]}"):
        assert smart(back) == {order_url: "1"}, back
