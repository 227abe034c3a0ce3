"""Contract lines with products (crm_product): installed with crm and product, the product fills
the line's description, unit and price; free-text lines stay; the contract form shows the
product column; without the product addon the lines are free text only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.testing import AddonTestCase
from core.views import views_of
from tests.web_helpers import client_for, csrf, make_user

D = Decimal


class TestCrmProductStructure(AddonTestCase):
    addon = "crm_product"


@pytest.fixture
def crm_product(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["crm", "product"])
    return runtime


def _product(env, name, price):
    return env["product.product"].create({"name": name, "list_price": D(price),
                                          "uom_id": env.ref_id("product.uom_unit")})


def test_lines_take_name_unit_and_price_from_the_product(crm_product):
    with crm_product.env() as env:
        assert "crm_product" in crm_product.manager.installed(env.session.connection())
        machine = _product(env, "数控机床 CK6150", "128000")
        service = _product(env, "实施服务", "2400")
        partner = env["res.partner"].create({"name": "上海华东精密机械有限公司"})
        contract = env["crm.contract"].create({
            "title": "数控机床销售合同", "partner_id": partner, "line_ids": [
                (0, 0, {"product_id": machine, "quantity": "2"}),
                (0, 0, {"product_id": service, "quantity": "3", "price_unit": "2000",
                        "name": "实施服务（含培训）"}),
                (0, 0, {"name": "运费", "quantity": "1", "price_unit": "1500.50"})]})
        read = env["crm.contract"].read([contract], ["amount_total", "line_ids"])[0]
        lines = env["crm.contract.line"].read(read["line_ids"], [
            "product_id", "name", "uom", "price_unit", "price_subtotal"])
        unit = env["uom.uom"].read([env.ref_id("product.uom_unit")], ["name"])[0]["name"]
        assert [(r["name"], r["uom"], r["price_unit"], r["price_subtotal"]) for r in lines] == [
            ("数控机床 CK6150", unit, D("128000.0000"), D("256000.00")),
            ("实施服务（含培训）", unit, D("2000.0000"), D("6000.00")),  # given values win
            ("运费", None, D("1500.5000"), D("1500.50"))]  # a free-text line
        assert lines[2]["product_id"] is False or lines[2]["product_id"] is None
        assert read["amount_total"] == D("263500.50")
        # another product on a draft line: its price comes along, the total follows
        cheaper = _product(env, "数控机床 CK6136", "98000")
        env["crm.contract.line"].write([lines[0]["id"]], {"product_id": cheaper,
                                                          "name": False, "price_unit": None})
        line = env["crm.contract.line"].read([lines[0]["id"]], ["name", "price_subtotal"])[0]
        assert line["name"] == "数控机床 CK6136" and line["price_subtotal"] == D("196000.00")
        assert env["crm.contract"].read([contract], ["amount_total"])[0]["amount_total"] == \
            D("203500.50")


def test_the_contract_form_picks_products(make_app):
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["crm"])
    with runtime.env() as env:
        spec = views_of(env.registry).get("crm.contract", "form")
        lines = next(f for f in spec.fields if getattr(f, "name", f) == "line_ids")
        assert "product_id" not in lines.columns  # crm alone: free text
        assert "product_id" not in env.registry["crm.contract.line"].__fields__
    runtime.manager.install(["product"])
    li = make_user(app, "li", ["crm.group_user"])
    with runtime.env() as env:
        spec = views_of(env.registry).get("crm.contract", "form")
        lines = next(f for f in spec.fields if getattr(f, "name", f) == "line_ids")
        assert lines.columns[:2] == ("product_id", "name")
        machine = _product(env, "数控机床 CK6150", "128000")
        partner = env["res.partner"].create({"name": "上海华东精密机械有限公司", "user_id": li})
    client = client_for(app, "li")
    page = client.get("/web/crm.contract/new").get_data(as_text=True)
    assert 'name="line_ids-0-product_id"' in page or "line_ids-__prefix__-product_id" in page \
        or "product_id" in page
    created = client.post("/web/crm.contract/new", data={
        "csrf_token": csrf(client, "/web/crm.contract/new"), "title": "数控机床销售合同",
        "partner_id": str(partner), "partner_id_display": "上海华东精密机械有限公司",
        "line_ids-0-id": "", "line_ids-0-product_id": str(machine),
        "line_ids-0-product_id_display": "数控机床 CK6150", "line_ids-0-name": "数控机床",
        "line_ids-0-quantity": "2", "line_ids-0-uom": "", "line_ids-0-price_unit": ""})
    assert created.status_code == 302, created.get_data(as_text=True)
    contract_id = int(created.headers["Location"].rsplit("/", 1)[1])
    with runtime.env() as env:
        contract = env["crm.contract"].read([contract_id], ["amount_total", "line_ids"])[0]
        assert contract["amount_total"] == D("256000.00")  # the product's price, Decimal
