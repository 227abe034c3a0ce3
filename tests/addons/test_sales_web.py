"""The sales addon in the web UI (Flask test client): menus, lists, forms, buttons, its pages,
in Chinese."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from tests.web_helpers import client_for, make_user


@pytest.fixture
def app(make_app):
    app = make_app()
    app.extensions["kangyi"].manager.install(["sales"])
    make_user(app, "fang", ["sales.group_assistant"], lang="zh_CN")
    make_user(app, "qiang", ["sales.group_manager"], lang="zh_CN")
    make_user(app, "clerk", ["base.group_user"])
    with app.extensions["kangyi"].env() as env:
        customer = env["res.partner"].create({"name": "上海康宁医疗器械有限公司", "city": "上海"})
        product = env["product.product"].create({"name": "电子血压计", "default_code": "BP100",
                                                 "list_price": "299"})
    app.config["TEST_IDS"] = {"customer": customer, "product": product}
    return app


def _uid(app, login):
    with app.extensions["kangyi"].env() as env:
        return env["res.users"].search([("login", "=", login)])[0]


def _approved_order(app):
    ids = app.config["TEST_IDS"]
    runtime = app.extensions["kangyi"]
    with runtime.env(uid=_uid(app, "fang"), su=False) as env:
        order = env["sale.order"].create({"partner_id": ids["customer"], "order_line": [
            (0, 0, {"product_id": ids["product"], "product_uom_qty": "10"})]})
        env["sale.order"].call("action_submit", [order])
    with runtime.env(uid=_uid(app, "qiang"), su=False) as env:
        env["sale.order"].call("workflow_approve", [order])
    return order


def test_menus_lists_and_forms_in_chinese(app):
    client = client_for(app, "fang")
    home = client.get("/").get_data(as_text=True)
    assert "销售" in home
    order = _approved_order(app)
    page = client.get("/web/sale.order").get_data(as_text=True)
    assert "报价单和订单" in page or "销售订单" in page
    assert "上海康宁医疗器械有限公司" in page and "3,378.70" in page
    form = client.get(f"/web/sale.order/{order}").get_data(as_text=True)
    assert "创建发货通知单" in form and "电子血压计" in form
    assert client.get("/web/sale.order?filter=to_deliver").status_code == 200
    assert client.get("/web/sale.order.line?groupby=categ_id").status_code in (200, 403)
    # a user outside sales sees no sales menu and may not open orders
    other = client_for(app, "clerk")
    assert "/web/sale.order" not in other.get("/").get_data(as_text=True)
    assert other.get("/web/sale.order").status_code == 403


def test_header_button_creates_a_delivery_notice(app):
    from tests.web_helpers import csrf

    order = _approved_order(app)
    client = client_for(app, "fang")
    token = csrf(client, f"/web/sale.order/{order}")
    response = client.post(f"/web/sale.order/{order}/call/action_create_delivery_notice",
                           data={"csrf_token": token})
    assert response.status_code == 302
    with app.extensions["kangyi"].env() as env:
        assert env["sale.delivery.notice"].search_count([("order_id", "=", order)]) == 1


def test_print_page_renders_the_order_with_a_print_stylesheet(app):
    order = _approved_order(app)
    client = client_for(app, "fang")
    listing = client.get("/web/page/sales/print").get_data(as_text=True)
    assert f"/web/page/sales/order/{order}/print" in listing
    page = client.get(f"/web/page/sales/order/{order}/print")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "销售订单" in html and "上海康宁医疗器械有限公司" in html
    assert "@media print" in html and "WenQuanYi Zen Hei" in html and "@page" in html
    assert "3,378.70" in html and html.count("data-line") == 1
    # record rules apply: another assistant cannot print it
    make_user(app, "min", ["sales.group_assistant"])
    assert client_for(app, "min").get(f"/web/page/sales/order/{order}/print").status_code == 403


def test_overdue_collections_page(app):
    order = _approved_order(app)
    runtime = app.extensions["kangyi"]
    fang = _uid(app, "fang")
    with runtime.env(uid=fang, su=False) as env:
        notice = env["sale.order"].call("action_create_delivery_notice", [order])
        env["sale.delivery.notice"].call("action_approve", [notice])
        env["sale.delivery.notice"].call("action_ship", [notice])
        invoice = env["sale.order"].call("action_create_invoice_notice", [order])
        env["sale.invoice.notice"].call("action_review", [invoice])
        env["sale.invoice.notice"].call("action_send", [invoice])
        old = (dt.date.today() - dt.timedelta(days=45)).isoformat()
        env["sale.invoice.notice"].call("action_invoice", [invoice], "0001", old)
    page = client_for(app, "qiang").get("/web/page/sales/overdue").get_data(as_text=True)
    assert f'data-order="{order}"' in page and "3,378.70" in page
    assert ">15<" in page  # 45 days ago with a 30-day term
    # the daily job reminds the salesperson (the order's user) of it
    from core.jobs import queue_of
    from core.jobs.runner import run_cron

    def notes():
        with runtime.env() as env:
            return env["mail.notification"].search_read(
                [("url", "=", f"/web/sale.order/{order}")], ["user_id", "title", "body"])

    before = {n["id"] for n in notes()}
    with runtime.env() as env:
        cron = env["ir.cron"].search([("code", "=", "sales.job_overdue_reminders")])[0]
        queue = queue_of(env)
    run_cron(queue, cron)
    new = [n for n in notes() if n["id"] not in before]
    assert [n["user_id"][0] for n in new] == [fang]
    assert new[0]["title"].startswith("提醒：逾期回款：") and "3,378.70" in new[0]["title"]
    assert "已逾期 15 天" in new[0]["body"]  # in her language


def test_the_order_form_lists_its_notices(app):
    order = _approved_order(app)
    client = client_for(app, "fang")
    with app.extensions["kangyi"].env(uid=_uid(app, "fang"), su=False) as env:
        notice = env["sale.order"].call("action_create_delivery_notice", [order])
        name = env["sale.delivery.notice"].read([notice], ["name"])[0]["name"]
    form = client.get(f"/web/sale.order/{order}").get_data(as_text=True)
    assert name in form and "发货通知单" in form


def test_choosing_a_product_fills_the_line_by_the_saves_rules(app):
    """Onchange: the form posts itself with the line's product; the server answers the unit,
    price and VAT its save would give (a dry run, rolled back: nothing is created)."""
    from tests.web_helpers import csrf

    ids = app.config["TEST_IDS"]
    client = client_for(app, "fang")
    page = client.get("/web/sale.order/new").get_data(as_text=True)
    assert 'data-onchange="order_line.product_id order_line.product_uom"' in page
    token = csrf(client, "/web/sale.order/new")
    form = {"csrf_token": token, "partner_id": str(ids["customer"]), "partner_id_display": "x",
            "order_line-1000-product_id": str(ids["product"]),
            "order_line-1000-product_id_display": "电子血压计",
            "order_line-1000-product_uom_qty": "2", "order_line-1000-price_unit": "",
            "__onchange": "order_line-1000-product_id", "__record_id": ""}
    with app.extensions["kangyi"].env() as env:
        before = env["sale.order"].search_count([])
    answer = client.post("/web/sale.order/onchange", data=form).get_json()["values"]
    assert answer["price_unit"] == "299.0000" and answer["product_uom"][1]
    assert answer["vat_rate"] is not None and "product_uom_qty" not in answer
    order = _approved_order(app)  # the save's own values agree
    with app.extensions["kangyi"].env() as env:
        assert env["sale.order"].search_count([]) == before + 1
        line = env["sale.order.line"].search_read([("order_id", "=", order)],
                                                  ["price_unit", "product_uom", "vat_rate"])[0]
    assert Decimal(answer["price_unit"]) == line["price_unit"]
    assert answer["product_uom"] == list(line["product_uom"])
    assert Decimal(answer["vat_rate"]) == line["vat_rate"]
    typed = client.post("/web/sale.order/onchange", data={
        **form, "order_line-1000-price_unit": "250", "__touched": "order_line-1000-price_unit"})
    assert Decimal(typed.get_json()["values"]["price_unit"]) == 250  # what the user typed stays
    assert client.post("/web/sale.order/onchange", data={
        **form, "__onchange": "order_line-1000-name"}).status_code == 400


def test_rest_and_xmlrpc_refuse_the_frozen_fields_of_an_approved_order_in_chinese(app):
    """The approval freezes the customer (``edit_states``): the REST API and XML-RPC refuse it
    with the form's rule and a Chinese message; the note, editable in every state, still saves."""
    from xmlrpc import client as xmlrpc_client

    from core.api.apikeys import generate_key
    from tests.web_helpers import xmlrpc

    order = _approved_order(app)
    runtime, fang = app.extensions["kangyi"], _uid(app, "fang")
    with runtime.env() as env:
        other = env["res.partner"].create({"name": "杭州仁和大药房连锁有限公司"})
        key = generate_key(env, fang, "tests")
    client = app.test_client()
    auth, url = {"Authorization": f"Bearer {key}"}, f"/api/v1/sale.order/{order}"
    refused = client.patch(url, json={"partner_id": other, "note": "x"}, headers=auth)
    assert refused.status_code == 422
    assert "客户已不能修改" in refused.get_json()["error"]["message"]
    assert client.patch(url, json={"note": "送货前电话联系"}, headers=auth).status_code == 200
    database = xmlrpc(client, "db", "list")[0]
    with pytest.raises(xmlrpc_client.Fault, match="客户已不能修改"):
        xmlrpc(client, "object", "execute_kw", database, fang, key, "sale.order", "write",
               [[order], {"partner_id": other}])
    assert xmlrpc(client, "object", "execute_kw", database, fang, key, "sale.order", "write",
                  [[order], {"note": "加急", "client_order_ref": "PO-778"}]) is True
    with runtime.env() as env:
        row = env["sale.order"].read([order], ["partner_id", "note", "client_order_ref"])[0]
    assert (row["partner_id"][0], row["note"], row["client_order_ref"]) == (
        app.config["TEST_IDS"]["customer"], "加急", "PO-778")


def test_rest_refuses_a_line_of_a_product_that_does_not_exist_without_a_server_error(app):
    """A line's product is read to fill unit and VAT before its INSERT; an id that names no
    product is refused like any broken link (found by the API fuzz test: it answered 500)."""
    from core.api.apikeys import generate_key

    ids, runtime = app.config["TEST_IDS"], app.extensions["kangyi"]
    with runtime.env() as env:
        key = generate_key(env, _uid(app, "fang"), "tests")
    client = app.test_client()
    auth = {"Authorization": f"Bearer {key}"}
    order = client.post("/api/v1/sale.order", json={"partner_id": ids["customer"]}, headers=auth)
    assert order.status_code == 201
    line = {"order_id": order.get_json()["data"]["id"], "product_uom_qty": 1}
    for values in ({"product_id": 999999}, {}, {"product_id": ids["product"], "order_id": 999999}):
        refused = client.post("/api/v1/sale.order.line", json={**line, **values}, headers=auth)
        assert 400 <= refused.status_code < 500, refused.get_data(as_text=True)
    with runtime.env() as env:
        assert env["sale.order.line"].search_count([("order_id", "=", line["order_id"])]) == 0
    good = client.post("/api/v1/sale.order.line", json={**line, "product_id": ids["product"]},
                       headers=auth)
    assert good.status_code == 201, good.get_data(as_text=True)
    line_id = good.get_json()["data"]["id"]
    patched = client.patch(f"/api/v1/sale.order.line/{line_id}",
                           json={"product_id": 999999}, headers=auth)
    assert 400 <= patched.status_code < 500, patched.get_data(as_text=True)


def test_accounting_documents_show_as_named_links_not_references(app):
    """The accounting invoice of a notice and the receipt of a collection (reference fields)
    read as the documents' names, linked for users who may open them; the refusal to record
    an invoice by hand names the invoice (it printed "account.move,12")."""
    from core.errors import UserError

    runtime = app.extensions["kangyi"]
    runtime.manager.install(["accounting"])
    make_user(app, "kuaiji", ["accounting.group_invoicing", "sales.group_manager"],
              lang="zh_CN")
    order = _approved_order(app)
    with runtime.env(uid=_uid(app, "fang"), su=False) as env:
        shipping = env["sale.order"].call("action_create_delivery_notice", [order])
        for action in ("action_approve", "action_ship"):
            env["sale.delivery.notice"].call(action, [shipping])
        notice = env["sale.order"].call("action_create_invoice_notice", [order])
        for action in ("action_review", "action_send"):
            env["sale.invoice.notice"].call(action, [notice])
        collection = env["sale.collection"].create({
            "partner_id": app.config["TEST_IDS"]["customer"], "amount": "100",
            "payment_method": "bank",
            "allocation_ids": [(0, 0, {"order_id": order, "amount": "100"})]})
        env["sale.collection"].call("action_post", [collection])
        with pytest.raises(UserError) as refused:
            env["sale.invoice.notice"].call("action_invoice", [notice], "04410001")
    with runtime.env() as env:
        move = int(env["sale.invoice.notice"].read([notice], ["invoice_ref"])[0]["invoice_ref"]
                   .split(",")[1])
        move_name = env["account.move"].display_names([move])[move]
        payment = int(env["sale.collection"].read([collection], ["receipt_ref"])[0]["receipt_ref"]
                      .split(",")[1])
        payment_name = env["account.payment"].display_names([payment])[payment]
    assert "account.move," not in str(refused.value) and move_name in str(refused.value)
    with app.app_context(), runtime.env(context={"lang": "zh_CN"}) as env:  # as pages show it
        move_name = env["account.move"].display_names([move])[move]  # a draft: 草稿发票 (* id)
    fang = client_for(app, "fang")
    for url, name, target in ((f"/web/sale.invoice.notice/{notice}", move_name,
                               f"/web/account.move/{move}"),
                              (f"/web/sale.collection/{collection}", payment_name,
                               f"/web/account.payment/{payment}")):
        page = fang.get(url)
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and "account.move," not in html
        assert "account.payment," not in html and name in html
        assert f'href="{target}"' not in html  # sales may not open accounting's documents
    invoice_form = client_for(app, "kuaiji").get(f"/web/sale.invoice.notice/{notice}")
    assert f'href="/web/account.move/{move}">{move_name}</a>' in invoice_form.get_data(
        as_text=True)
    listing = fang.get("/web/sale.collection").get_data(as_text=True)
    assert "account.payment," not in listing
    # smart buttons, both ways: the order and its notices, transfers, collection, invoice
    kuaiji = client_for(app, "kuaiji")
    with runtime.env() as env:
        picking = env["stock.picking"].search([("sale_id", "=", order)]) \
            if "stock.picking" in env.registry else []

    def smart(client, url):
        html = client.get(url).get_data(as_text=True)
        nav = re.search(r'<nav class="smart-buttons".*?</nav>', html, re.S)
        return dict(re.findall(r'<a class="smart" href="([^"]+)"><span class="smart-count">'
                               r'(\d+)</span>', nav.group(0))) if nav else {}
    order_url = f"/web/sale.order/{order}"
    assert smart(kuaiji, order_url) == {
        f"/web/sale.delivery.notice/{shipping}": "1", f"/web/sale.invoice.notice/{notice}": "1",
        f"/web/sale.collection/{collection}": "1", f"/web/account.move/{move}": "1",
        **{f"/web/stock.picking/{p}": "1" for p in picking}}
    assert f"/web/account.move/{move}" not in smart(fang, order_url)  # no accounting rights
    for back in (f"/web/sale.delivery.notice/{shipping}", f"/web/sale.invoice.notice/{notice}",
                 f"/web/sale.collection/{collection}", f"/web/account.move/{move}"):
        assert smart(kuaiji, back).get(order_url) == "1", back
    assert smart(kuaiji, f"/web/account.move/{move}").get(
        f"/web/sale.invoice.notice/{notice}") == "1"
    assert smart(kuaiji, f"/web/sale.invoice.notice/{notice}").get(
        f"/web/account.move/{move}") == "1"
