"""The stock pages and views through the real web app: the ledger with its running balance,
the stock value with goods in transit, the on-hand list, menus by post, Chinese labels."""

from __future__ import annotations

from decimal import Decimal

from tests.addons.test_stock import customer, deliver, make_product, receive, transfer
from tests.web_helpers import client_for, make_user


def _app(make_app):
    app = make_app()
    app.extensions["kangyi"].manager.install(["stock"])
    make_user(app, "keeper", ["stock.group_keeper"], lang="zh_CN")
    make_user(app, "clerk", ["base.group_user"])
    with app.extensions["kangyi"].env() as env:
        product = make_product(env, "血糖仪套装", "0", code="KY-GL30")
        receive(env, product, 10, "121.30")
        deliver(env, product, 4)
        ptype = env["stock.picking.type"].search([("to_customer_transit", "=", True)])[0]
        env["stock.picking.type"].write([ptype], {"require_origin": False})
        picking = transfer(env, "internal", [(product, 2)], picking_type_id=ptype,
                           partner_id=customer(env))
        keeper_id = env["res.users"].search([("login", "=", "keeper")])[0]
        env(uid=keeper_id)["stock.picking"].call("action_first_approval", [picking])
        env["stock.picking"].call("action_second_approval", [picking])
    return app, product


def test_ledger_page_shows_the_running_balance(make_app):
    app, product = _app(make_app)
    client = client_for(app, "keeper")
    html = client.get(f"/web/page/stock/ledger?product_id={product}").get_data(as_text=True)
    assert "库存台账" in html or "Stock ledger" in html
    balances = [part.split("<")[0] for part in html.split("data-balance>")[1:]]
    assert balances == ["10", "6"]  # the move to transit stays in the company's stock
    assert client.get("/web/page/stock/ledger").status_code == 200  # the form alone


def test_value_page_includes_goods_in_transit(make_app):
    app, _product = _app(make_app)
    client = client_for(app, "clerk")
    html = client.get("/web/page/stock/value?groupby=usage").get_data(as_text=True)
    assert "Transit location" in html and "Internal location" in html
    total = html.split("data-total>")[1].split("<")[0]
    assert Decimal(total) == Decimal("727.80")  # 6 × 121.30 (4 in stock, 2 in transit)
    assert client.get("/web/page/stock/value?groupby=name").status_code in (400, 422)


def test_on_hand_list_and_menus_by_post(make_app):
    app, _product = _app(make_app)
    keeper = client_for(app, "keeper")
    html = keeper.get("/web/stock.quant").get_data(as_text=True)
    assert "现有库存" in html and "FC/" in html
    assert "调拨单" in keeper.get("/web/stock.picking").get_data(as_text=True)
    types = keeper.get("/web/stock.picking.type").get_data(as_text=True)
    assert "仓库调拨单（发出商品）" in types  # data names shown through the catalog
    clerk = client_for(app, "clerk")
    assert clerk.get("/web/stock.quant").status_code == 200
    assert "/web/stock.warehouse" not in clerk.get("/").get_data(as_text=True)  # config: managers


def test_workflow_buttons_of_the_web_ui_do_the_stock_work(make_app):
    """The generic workflow buttons (not the picking's own methods) take 一审 and 二审: the
    reservation, the refusal of the wrong post and the moves happen all the same."""
    from tests.web_helpers import csrf

    app, product = _app(make_app)
    make_user(app, "inspector", ["stock.group_inspector"])
    runtime = app.extensions["kangyi"]
    with runtime.env() as env:
        ptype = env["stock.picking.type"].search([("to_customer_transit", "=", True)])[0]
        picking = transfer(env, "internal", [(product, 3)], picking_type_id=ptype,
                           partner_id=customer(env, "成都佳和医院"))
        stock = env.ref("stock.warehouse_main").lot_stock_id

    def post(client, transition):
        token = csrf(client, f"/web/stock.picking/{picking}")
        return client.post(f"/web/workflow/stock.picking/{picking}/transition/{transition}",
                           data={"csrf_token": token})

    def state_and_reserved():
        with runtime.env() as env:
            quant = env["stock.quant"].search_read([("product_id", "=", product),
                                                    ("location_id", "=", stock)],
                                                   ["reserved_quantity", "quantity"])[0]
            return (env["stock.picking"].read([picking], ["state"])[0]["state"],
                    quant["reserved_quantity"], quant["quantity"])

    keeper, inspector = client_for(app, "keeper"), client_for(app, "inspector")
    post(keeper, "first_approval")
    assert state_and_reserved() == ("approved", Decimal(3), Decimal(4))
    post(keeper, "second_approval")  # refused: not an inspector
    assert state_and_reserved() == ("approved", Decimal(3), Decimal(4))
    post(inspector, "second_approval")
    assert state_and_reserved() == ("done", Decimal(0), Decimal(1))
