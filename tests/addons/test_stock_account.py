"""stock_account: valuation vouchers for stock moves, matching (钩稽) shipments to invoices, the
month-end cost of sales, and the invariant 1406 发出商品 = value of the goods in transit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from test_account_helpers import balance, make_user

from addons.accounting import reports
from addons.stock_account.valuation import transit_value
from core.errors import AccessError, UserError
from core.testing import AddonTestCase

D = Decimal


class TestStockAccountStructure(AddonTestCase):
    addon = "stock_account"


def _setup(runtime):
    with runtime.env() as env:
        ids = {
            "keeper": make_user(env, "keeper", "stock.group_keeper"),
            "inspector": make_user(env, "inspector", "stock.group_inspector"),
            "cost": make_user(env, "cost", "accounting.group_cost"),
            "clerk": make_user(env, "clerk", "accounting.group_invoicing"),
            "chief": make_user(env, "chief", "accounting.group_chief"),
            "oxygen": env["product.product"].create({"name": "家用制氧机", "type": "product",
                                                      "standard_price": D("2150")}),
            "monitor": env["product.product"].create({"name": "电子血压计", "type": "product",
                                                       "standard_price": D("120")}),
            "hualian": env["res.partner"].create({"name": "上海华联医药贸易有限公司",
                                                  "is_company": True}),
            "kangtai": env["res.partner"].create({"name": "北京康泰医疗器械有限公司",
                                                  "is_company": True}),
        }
        warehouse = env.ref("stock.warehouse_main")
        ids["stock"] = warehouse.lot_stock_id
        ids["ship"] = env["stock.picking.type"].create({
            "name": "发出商品调拨 (test)", "code": "internal", "sequence_code": "TT",
            "warehouse_id": warehouse.id, "default_location_src_id": ids["stock"],
            "to_customer_transit": True, "two_step_approval": True})
        incoming = env["stock.picking.type"].search([("code", "=", "incoming")], limit=1)[0]
        for product, qty, price in ((ids["oxygen"], 20, "2150"), (ids["monitor"], 100, "120")):
            picking = env["stock.picking"].create({"picking_type_id": incoming, "move_ids": [
                (0, 0, {"product_id": product, "product_uom_qty": D(qty),
                        "price_unit": D(price)})]})
            env["stock.picking"].call("button_validate", [picking])
    runtime.ids = ids
    return runtime


@pytest.fixture
def books(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["stock"])
    runtime.manager.install(["accounting"])  # stock_account installs itself
    return _setup(runtime)


def _ship(runtime, customer, lines, approvals=True):
    """A transfer to the customer's transit location, with 一审 and 二审."""
    ids = runtime.ids
    with runtime.env(uid=ids["keeper"]) as env:
        picking = env["stock.picking"].create({
            "picking_type_id": ids["ship"], "partner_id": customer, "move_ids": [
                (0, 0, {"product_id": product, "product_uom_qty": D(qty)})
                for product, qty in lines]})
        env["stock.picking"].call("action_first_approval", [picking])
    with runtime.env(uid=ids["inspector"]) as env:
        assert env["stock.picking"].call("action_second_approval", [picking]) == "done"
    return picking


def _invoice(runtime, customer, lines, post=True):
    ids = runtime.ids
    with runtime.env(uid=ids["clerk"]) as env:
        move = env["account.move"].create({
            "move_type": "out_invoice", "journal_id": env.ref_id("accounting.journal_sale"),
            "partner_id": customer, "line_ids": [
                (0, 0, {"display_type": "product", "product_id": product, "name": "货品",
                        "quantity": qty, "price_unit": price,
                        "tax_ids": [(6, 0, [env.ref_id("accounting.tax_sale_13")])]})
                for product, qty, price in lines]})
        if post:
            env["account.move"].call("action_post", [move])
    return move


def test_receipts_and_shipments_book_their_values(books):
    ids = books.ids
    with books.env() as env:
        assert balance(env, "1405") == D("55000.00")  # 20 × 2150 + 100 × 120
        assert balance(env, "1402") == D("-55000.00")
    _ship(books, ids["hualian"], [(ids["oxygen"], 4), (ids["monitor"], 10)])
    with books.env() as env:
        assert balance(env, "1406", ids["hualian"]) == D("9800.00")  # 4 × 2150 + 10 × 120
        assert balance(env, "1405") == D("45200.00")
        assert balance(env, "1406") == transit_value(env)
        voucher = env["account.move"].search_read([("ref", "like", "WH/TT/")],
                                                  ["journal_id", "state", "amount_total"])[0]
        assert voucher["state"] == "posted" and voucher["amount_total"] == D("9800.00")
        move = env["stock.move"].search_read([("reference", "like", "WH/TT/")],
                                             ["account_move_id"])[0]
        assert move["account_move_id"][0] == voucher["id"]


def test_matching_and_month_end_cost_of_sales(books):
    ids = books.ids
    _ship(books, ids["hualian"], [(ids["oxygen"], 5)])
    _ship(books, ids["hualian"], [(ids["oxygen"], 3)])
    invoice = _invoice(books, ids["hualian"], [(ids["oxygen"], 6, "3200")])
    with books.env(uid=ids["cost"]) as env:
        made = env["account.move"].call("action_match_shipments", [invoice])
        assert len(made) == 2  # 5 from the first shipment, 1 from the second
        matches = env["account.cost.match"].search_read([], ["quantity", "cost",
                                                             "outbound_picking_id"], order="id")
        assert [(m["quantity"], m["cost"]) for m in matches] == [
            (D("5"), D("10750.00")), (D("1"), D("2150.00"))]
        # one sales outbound for the run, a done move per match
        outbound = {m["outbound_picking_id"][0] for m in matches}
        assert len(outbound) == 1
        out = env["stock.move"].search_read([("picking_id", "in", list(outbound))],
                                            ["cost_match_id", "state"], order="id")
        assert [(o["cost_match_id"][0], o["state"]) for o in out] == [
            (m["id"], "done") for m in matches]
        lines = env["account.move.line"].search_read(
            [("move_id", "=", invoice), ("display_type", "=", "product")],
            ["qty_matched", "match_state"])
        assert lines[0]["match_state"] == "matched"
        shipments = env["stock.move"].search_read(
            [("location_dest_id.usage", "=", "transit")], ["qty_matched", "match_state"],
            order="id")
        assert [s["match_state"] for s in shipments] == ["matched", "partial"]
        # matched goods left the transit location; their cost waits for the month end
        assert transit_value(env) == D("4300.00")
        assert balance(env, "1406") == D("17200.00")
        with pytest.raises(UserError, match="left to match"):
            env["account.cost.match"].create({"invoice_line_id": lines[0]["id"],
                                              "stock_move_id": shipments[1]["id"],
                                              "quantity": 1})
    period = _period(books)
    with books.env(uid=ids["cost"]) as env:
        voucher = env["account.period"].call("action_book_cost_of_sales", [period])
        assert voucher and balance(env, "6401") == D("12900.00")
        assert balance(env, "1406") == transit_value(env) == D("4300.00")
        assert env["account.period"].call("action_book_cost_of_sales", [period]) is None
        pl = reports.profit_and_loss(env, dt.date(2000, 1, 1), dt.date(2100, 1, 1))
        assert pl["gross_profit"] == D("19200.00") - D("12900.00")


def _period(runtime):
    with runtime.env() as env:
        today = dt.date.today()
        return env["account.period"].search([("date_from", "<=", today),
                                             ("date_to", ">=", today)])[0]


def test_closing_the_period_books_the_cost_of_sales(books):
    ids = books.ids
    _ship(books, ids["kangtai"], [(ids["monitor"], 30)])
    invoice = _invoice(books, ids["kangtai"], [(ids["monitor"], 30, "199")])
    with books.env(uid=ids["cost"]) as env:
        env["account.cost.match"].auto_match([invoice])
    with books.env(uid=ids["chief"]) as env:
        env["account.period"].call("action_close", [_period(books)])
        assert balance(env, "1406") == transit_value(env) == 0
        # the month's cost of sales was booked, then profit and loss went to 4103
        assert balance(env, "6401") == 0
        assert balance(env, "4103") == -(D("5970.00") - D("3600.00"))


def test_matching_rules(books):
    ids = books.ids
    _ship(books, ids["hualian"], [(ids["oxygen"], 2)])
    other = _invoice(books, ids["kangtai"], [(ids["oxygen"], 2, "3000")])
    draft = _invoice(books, ids["hualian"], [(ids["oxygen"], 2, "3000")], post=False)
    wrong_product = _invoice(books, ids["hualian"], [(ids["monitor"], 2, "200")])
    with books.env(uid=ids["cost"]) as env:
        shipment = env["stock.move"].search([("location_dest_id.usage", "=", "transit")])[0]

        def line_of(move):
            return env["account.move.line"].search([("move_id", "=", move),
                                                    ("display_type", "=", "product")])[0]

        for move, message in ((other, "same customer"), (draft, "posted customer invoices"),
                              (wrong_product, "same product")):
            with pytest.raises(UserError, match=message):
                env["account.cost.match"].create({"invoice_line_id": line_of(move),
                                                  "stock_move_id": shipment, "quantity": 1})
        assert env["account.cost.match"].search_count([]) == 0
    with books.env(uid=ids["clerk"]) as env, pytest.raises(AccessError):
        env["account.cost.match"].create({"invoice_line_id": 1, "stock_move_id": shipment,
                                          "quantity": 1})


# -- property: 1406 equals the value of the goods in transit ---------------------------------

steps = st.lists(st.one_of(
    st.tuples(st.just("ship"), st.sampled_from(["hualian", "kangtai"]),
              st.sampled_from(["oxygen", "monitor"]), st.integers(1, 4)),
    st.tuples(st.just("invoice"), st.sampled_from(["hualian", "kangtai"]),
              st.sampled_from(["oxygen", "monitor"]), st.integers(1, 4)),
    st.tuples(st.just("match")),
    st.tuples(st.just("book")),
), min_size=1, max_size=8)


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def shared_books(tmp_path_factory):
    import os

    from core import db
    from core.runtime import Runtime
    from core.testing import reset_postgres

    url = os.environ.get("KANGYI_TEST_DATABASE_URL", "")
    if url:
        reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('stock_account') / 'kangyi.db'}"
    runtime = Runtime(db.create_engine(url))
    runtime.manager.init_database()
    runtime.manager.install(["stock", "accounting"])
    yield _setup(runtime)
    runtime.engine.dispose()


def _do(env, ids, step):
    if step[0] == "ship":
        picking = env["stock.picking"].create({
            "picking_type_id": ids["ship"], "partner_id": ids[step[1]], "move_ids": [
                (0, 0, {"product_id": ids[step[2]], "product_uom_qty": D(step[3])})]})
        env["stock.picking"].call("action_first_approval", [picking])
        env["stock.picking"].call("action_second_approval", [picking])
    elif step[0] == "invoice":
        move = env["account.move"].create({
            "move_type": "out_invoice", "journal_id": env.ref_id("accounting.journal_sale"),
            "partner_id": ids[step[1]], "line_ids": [
                (0, 0, {"display_type": "product", "product_id": ids[step[2]],
                        "name": "x", "quantity": step[3], "price_unit": 500})]})
        env["account.move"].call("action_post", [move])
    elif step[0] == "match":
        env["account.cost.match"].auto_match()
    else:
        from addons.stock_account.matching import book_cost_of_sales

        book_cost_of_sales(env, dt.date.today())


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sequence=steps)
def test_1406_equals_goods_in_transit(shared_books, sequence):
    try:
        with shared_books.env() as env:
            for step in sequence:
                _do(env, shared_books.ids, step)
            match = env.registry["account.cost.match"]
            unbooked = D(str(env.session.scalar(select(func.coalesce(func.sum(match.cost), 0))
                                                .where(match.cogs_move_id.is_(None))))).quantize(
                D("0.01"))
            assert balance(env, "1406") == transit_value(env) + unbooked
            _do(env, shared_books.ids, ("book",))
            assert balance(env, "1406") == transit_value(env)
            tb = reports.trial_balance(env, dt.date(2000, 1, 1), dt.date(2100, 1, 1))
            assert tb["difference"] == 0
            raise _Rollback
    except _Rollback:
        pass


def test_month_end_reminder_names_unmatched_shipments(books):
    """stock_account adds the shipments not yet matched (钩稽) to accounting's month-end
    reminder, through the account_period_reminders hook, in each recipient's language."""
    from addons.accounting.jobs import month_end_reminders
    from addons.accounting.models.period import month_end

    ids = books.ids
    with books.env() as env:
        env["res.users"].write([ids["cost"]], {"lang": "zh_CN"})
    _ship(books, ids["hualian"], [(ids["oxygen"], 5)])
    _ship(books, ids["kangtai"], [(ids["monitor"], 10)])
    last_days = month_end(dt.date.today())

    def bodies(uid):
        with books.env() as env:
            return [n["body"] for n in env["mail.notification"].search_read(
                [("user_id", "=", uid)], ["body"], order="id desc", limit=1)]

    with books.env() as env:
        assert month_end_reminders(env, last_days) >= 1
    assert "2 shipments to customers are not matched with invoices yet" in bodies(
        ids["chief"])[0]
    assert "有 2 张发货尚未与发票钩稽" in bodies(ids["cost"])[0]
    invoice = _invoice(books, ids["hualian"], [(ids["oxygen"], 5, "3200")])
    with books.env(uid=ids["cost"]) as env:
        env["account.cost.match"].auto_match([invoice])
    with books.env() as env:
        month_end_reminders(env, last_days)
    assert "1 shipments to customers" in bodies(ids["chief"])[0]
