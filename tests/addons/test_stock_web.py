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


def test_transfer_and_count_forms_save_without_their_sequence_name(make_app):
    """``name`` is required and read-only (a sequence sets it): the form never validates it as
    input; a done transfer shows every field read-only and offers no Save."""
    from tests.addons.test_stock import picking_type
    from tests.web_helpers import csrf

    app, product = _app(make_app)
    keeper = client_for(app, "keeper")
    with app.extensions["kangyi"].env() as env:
        incoming = picking_type(env, "incoming")
        stock = env.ref("stock.warehouse_main").lot_stock_id
    response = keeper.post("/web/stock.picking/new", data={
        "csrf_token": csrf(keeper, "/web/stock.picking/new"), "picking_type_id": str(incoming),
        "picking_type_id_display": "x", "move_ids-0-product_id": str(product),
        "move_ids-0-product_id_display": "血糖仪套装", "move_ids-0-product_uom_qty": "3"})
    assert response.status_code == 302, response.get_data(as_text=True)
    picking = int(response.headers["Location"].rstrip("/").split("/")[-1])
    with app.extensions["kangyi"].env() as env:
        places = env["stock.picking"].read([picking], ["location_id", "location_dest_id"])[0]
    edited = keeper.post(f"/web/stock.picking/{picking}", data={
        "csrf_token": csrf(keeper, f"/web/stock.picking/{picking}"), "note": "门口卸货",
        "picking_type_id": str(incoming), "picking_type_id_display": "x",
        **{f"{key}{suffix}": str(places[key][0]) for key in ("location_id", "location_dest_id")
           for suffix in ("", "_display")}})
    assert edited.status_code == 302, edited.get_data(as_text=True)
    count = keeper.post("/web/stock.inventory/new", data={
        "csrf_token": csrf(keeper, "/web/stock.inventory/new"), "location_id": str(stock),
        "location_id_display": "x"})
    assert count.status_code == 302, count.get_data(as_text=True)
    with app.extensions["kangyi"].env() as env:
        saved = env["stock.picking"].read([picking], ["name", "note"])[0]
        assert saved["name"] not in ("", "/") and saved["note"] == "门口卸货"
        done = env["stock.picking"].search([("state", "=", "done")])[0]
    page = keeper.get(f"/web/stock.picking/{done}").get_data(as_text=True)
    assert 'id="note" name="note"' not in page and 'class="primary">保存<' not in page
    assert '<span class="ro" id="note"' in page


def test_second_approval_waits_in_the_inspectors_inbox(make_app):
    """二审 is a step done by a post (Transition(inbox=True)): transfers waiting for it count in
    the inspector's approvals counter and are listed, one click from the inbox."""
    from tests.addons.test_stock import customer, transfer

    app, product = _app(make_app)
    make_user(app, "inspector", ["stock.group_inspector"], lang="zh_CN")
    with app.extensions["kangyi"].env() as env:
        ptype = env["stock.picking.type"].search([("to_customer_transit", "=", True)])[0]
        picking = transfer(env, "internal", [(product, 1)], picking_type_id=ptype,
                           partner_id=customer(env, "杭州某医院"))
        env["stock.picking"].call("action_first_approval", [picking])
    inspector = client_for(app, "inspector")
    assert inspector.get("/web/approvals/count").get_json() == {"count": 1}
    inbox = inspector.get("/web/approvals").get_data(as_text=True)
    assert "二审" in inbox and "/web/stock.picking?domain=" in inbox
    link = inbox.split('<ul class="waiting-steps">')[1].split('href="')[1].split('"')[0]
    listed = inspector.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert f"/web/stock.picking/{picking}" in listed
    assert client_for(app, "keeper").get("/web/approvals/count").get_json() == {"count": 0}


def test_hook_work_waiting(make_app):
    """The home page lists the work waiting for the user's posts: the keeper's transfers
    ready (stock's work_waiting), the inspector's 二审 (an inbox step), with counts and links."""
    from tests.addons.test_stock import customer, transfer

    app, product = _app(make_app)
    make_user(app, "inspector", ["stock.group_inspector"], lang="zh_CN")
    keeper = client_for(app, "keeper")
    assert "work-waiting" not in keeper.get("/").get_data(as_text=True)
    with app.extensions["kangyi"].env() as env:
        ptype = env["stock.picking.type"].search([("to_customer_transit", "=", True)])[0]
        picking = transfer(env, "internal", [(product, 1)], picking_type_id=ptype,
                           partner_id=customer(env, "杭州某医院"))
        env["stock.picking"].call("action_confirm", [picking])
        env["stock.picking"].call("action_assign", [picking])
        assert env["stock.picking"].read([picking], ["state"])[0]["state"] == "assigned"
    home = keeper.get("/").get_data(as_text=True)
    assert 'href="/web/stock.picking?filter=ready"><span class="badge">1</span>' in home
    assert "/web/stock.picking/" + str(picking) in keeper.get(
        "/web/stock.picking?filter=ready").get_data(as_text=True)
    with app.extensions["kangyi"].env() as env:
        env["stock.picking"].call("action_first_approval", [picking])
    home = client_for(app, "inspector").get("/").get_data(as_text=True)
    assert "work-waiting" in home and "二审" in home
    assert "filter=ready" not in home  # not the inspector's work
