"""SA-003 end to end with sales, stock and accounting installed (all glue addons on): order,
approval, delivery notice, transfer to transit with 一审/二审 (Dr 1406 / Cr 1405), invoicing
notice → customer invoice posted by the invoicing clerk, matching (钩稽) and month-end cost of
sales (Dr 6401 / Cr 1406), collection → receipt written off against the invoice; every figure
of the reports traced back to the documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from test_account_helpers import balance, make_user

from addons.accounting import reports
from addons.stock_account.valuation import transit_value
from tests.addons.test_sale_stock import _approved_notice, _approved_order, _picking_of
from tests.addons.test_stock import make_product, on_hand, receive

D = Decimal


@pytest.fixture
def company(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["sales", "stock", "accounting"])
    with runtime.env() as env:
        installed = set(runtime.manager.installed(env.session.connection()))
        assert {"sale_account", "stock_account", "sale_stock"} <= installed
        ids = {
            "assistant": make_user(env, "assistant", "sales.group_assistant"),
            "manager": make_user(env, "manager", "sales.group_manager"),
            "keeper": make_user(env, "keeper", "stock.group_keeper"),
            "inspector": make_user(env, "inspector", "stock.group_inspector"),
            "clerk": make_user(env, "clerk", "accounting.group_invoicing"),
            "cost": make_user(env, "cost", "accounting.group_cost"),
            "ar": make_user(env, "ar", "accounting.group_receivable"),
            "chief": make_user(env, "chief", "accounting.group_chief"),
            "customer": env["res.partner"].create({"name": "杭州仁和大药房连锁有限公司",
                                                   "is_company": True}),
            "oxygen": make_product(env, "家用制氧机 (5L)", "2150", code="KY-OX05"),
            "chair": make_product(env, "折叠轮椅", "736", code="KY-WC01"),
        }
        env["product.product"].write([ids["oxygen"]], {"list_price": D("3680")})
        env["product.product"].write([ids["chair"]], {"list_price": D("1280")})
        receive(env, ids["oxygen"], 20, "2150")
        receive(env, ids["chair"], 10, "736")
    runtime.ids = ids
    return runtime


def test_sa003_from_order_to_written_off_receipt(company):
    ids = company.ids
    today = dt.date.today()
    # steps 1-3: order, approval, delivery notice, transfer to transit with two approvals
    order = _approved_order(company, [("oxygen", "4"), ("chair", "2")])
    notice, _ref = _approved_notice(company, order)
    with company.env(uid=ids["keeper"]) as env:
        [picking] = _picking_of(env, notice)
        env["stock.picking"].call("action_first_approval", [picking])
    with company.env(uid=ids["inspector"]) as env:
        assert env["stock.picking"].call("action_second_approval", [picking]) == "done"
    with company.env() as env:
        shipped = D("8600.00") + D("1472.00")
        assert balance(env, "1406", ids["customer"]) == shipped == transit_value(env)
        assert balance(env, "1405") == D("43000.00") + D("7360.00") - shipped
    # step 4: the sales assistant sends an invoicing notice for 3 concentrators and 2 chairs
    with company.env(uid=ids["assistant"]) as env:
        inote = env["sale.order"].call("action_create_invoice_notice", [order])
        for line in env["sale.invoice.notice.line"].search_read([("notice_id", "=", inote)],
                                                                ["product_id"]):
            if line["product_id"][0] == ids["oxygen"]:
                env["sale.invoice.notice.line"].write([line["id"]], {"quantity": D(3)})
        env["sale.invoice.notice"].call("action_review", [inote])
        env["sale.invoice.notice"].call("action_send", [inote])
        ref = env["sale.invoice.notice"].read([inote], ["invoice_ref"])[0]["invoice_ref"]
    invoice = int(ref.split(",")[1])
    # step 5: the invoicing clerk issues (posts) the invoice; the notice is invoiced
    with company.env(uid=ids["clerk"]) as env:
        env["account.move"].call("action_post", [invoice])
        inv = env["account.move"].read([invoice], ["name", "amount_total", "payment_state"])[0]
    untaxed = 3 * D("3680") + 2 * D("1280")  # 13 600
    assert inv["amount_total"] == untaxed * D("1.13") and inv["payment_state"] == "not_paid"
    with company.env() as env:
        assert env["sale.invoice.notice"].read([inote], ["state"])[0]["state"] == "invoiced"
        # the goods wait in transit for the cost accountant's matching
        assert on_hand(env, ids["oxygen"], env["stock.location"].search(
            [("usage", "=", "transit")])[0])[0] == D(4)
    # step 6: matching (钩稽) makes the sales outbound; month end books the cost of sales
    with company.env(uid=ids["cost"]) as env:
        matches = env["account.move"].call("action_match_shipments", [invoice])
        assert len(matches) == 2
        cost = D("6450.00") + D("1472.00")
        assert transit_value(env) == D("2150.00")
        period = env["account.period"].search([("date_from", "<=", today),
                                               ("date_to", ">=", today)])[0]
        env["account.period"].call("action_book_cost_of_sales", [period])
        assert balance(env, "6401") == cost
        assert balance(env, "1406") == transit_value(env) == D("2150.00")
    # step 7: the collection becomes a receipt that writes off the invoice
    with company.env(uid=ids["assistant"]) as env:
        collection = env["sale.collection"].create({
            "partner_id": ids["customer"], "amount": "10000.00",
            "payment_method": "bank", "reference": "电汇 88",
            "allocation_ids": [(0, 0, {"order_id": order, "amount": "10000.00"})]})
        env["sale.collection"].call("action_post", [collection])
    with company.env(uid=ids["ar"]) as env:
        inv = env["account.move"].read([invoice], ["payment_state", "amount_residual"])[0]
        assert inv["payment_state"] == "partial"
        assert inv["amount_residual"] == untaxed * D("1.13") - D("10000.00")
    # every figure of the reports traced back: the trial balance's lines sum to the items
    first = today.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    with company.env(uid=ids["chief"]) as env:
        tb = reports.trial_balance(env, first, last)  # cost of sales is dated the month end
        assert tb["difference"] == 0
        rows = {row["code"]: row for row in tb["rows"]}
        for code in ("1406", "6401", "1122", "6001", "22210107", "1002"):
            items = env["account.move.line"].search_read(rows[code]["domain"],
                                                         ["debit", "credit", "move_id"])
            assert sum((i["debit"] for i in items), D(0)) == rows[code]["debit"]
            assert sum((i["credit"] for i in items), D(0)) == rows[code]["credit"]
        pl = reports.profit_and_loss(env, first, last)
        assert pl["gross_profit"] == untaxed - cost
        assert reports.balance_sheet(env, last)["difference"] == 0
        env["account.period"].call("action_close", [period])
        assert balance(env, "4103") == -(untaxed - cost)
