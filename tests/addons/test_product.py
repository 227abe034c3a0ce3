"""The product addon: units of measure and conversions, the category tree, products, import."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from core.errors import AccessError, UserError, ValidationError
from core.importing import import_records
from core.testing import AddonTestCase


class TestProductStructure(AddonTestCase):
    addon = "product"


@pytest.fixture
def product_runtime(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["product"])
    return runtime


def _user(env, login, groups):
    return env["res.users"].create({
        "login": login, "name": login.title(),
        "groups_id": [(6, 0, [env.ref_id(g) for g in groups])]})


def test_uom_conversion_within_a_category(product_runtime):
    with product_runtime.env() as env:
        unit, dozen = env.ref("product.uom_unit"), env.ref("product.uom_dozen")
        kg, gram = env.ref("product.uom_kgm"), env.ref("product.uom_gram")
        assert dozen.compute_quantity_to(Decimal("2.5"), unit) == Decimal("30.00")
        assert unit.compute_quantity_to(Decimal("18"), dozen) == Decimal("1.50")
        assert gram.compute_quantity_to(Decimal("1234.5"), kg) == Decimal("1.235")  # half up
        assert kg.compute_quantity_to(1, gram) == Decimal("1000.00")
        assert dozen.compute_price_to(Decimal("120"), unit) == Decimal("10")
        with pytest.raises(UserError, match="different categories"):
            unit.compute_quantity_to(1, kg)
        # the public method, as the APIs reach it
        assert env["uom.uom"].call("compute_quantity", [dozen.id], "3", unit.id) == "36.00"
        with pytest.raises(ValidationError, match="not a quantity"):
            env["uom.uom"].call("compute_quantity", [dozen.id], "three", unit.id)


def test_uom_reference_rules(product_runtime):
    with product_runtime.env() as env:
        categ = env["uom.category"].create({"name": "Packaging"})
        env["uom.uom"].create({"name": "Pallet place", "category_id": categ})
        with pytest.raises(ValidationError, match="already has a reference"):
            env["uom.uom"].create({"name": "Other", "category_id": categ})
        with pytest.raises(ValidationError, match="ratio of 1"):
            env["uom.uom"].create({"name": "Odd", "category_id": categ, "ratio": "2",
                                   "uom_type": "reference", "active": False})
        with pytest.raises(ValidationError, match="ratio is"):
            env["uom.uom"].create({"name": "Half", "category_id": categ, "ratio": "0.5",
                                   "uom_type": "bigger"})
        with pytest.raises(ValidationError, match="positive"):
            env["uom.uom"].create({"name": "Zero", "category_id": categ, "ratio": "0",
                                   "uom_type": "smaller"})
        assert env["uom.uom"].search_count([("category_id", "=", categ)]) == 1


def test_category_tree_names_follow_renames_and_moves(product_runtime):
    with product_runtime.env() as env:
        categs = env["product.category"]
        root = env.ref_id("product.product_category_all")
        devices = categs.create({"name": "医疗器械", "parent_id": root})
        home = categs.create({"name": "家用", "parent_id": devices})
        leaf = categs.create({"name": "血压计", "parent_id": home})
        assert categs.read([leaf], ["complete_name"])[0]["complete_name"] == \
            "全部 / 医疗器械 / 家用 / 血压计"
        categs.write([devices], {"name": "器械"})
        assert categs.read([leaf], ["complete_name"])[0]["complete_name"] == \
            "全部 / 器械 / 家用 / 血压计"
        categs.write([home], {"parent_id": root})
        assert categs.read([leaf], ["complete_name"])[0]["complete_name"] == "全部 / 家用 / 血压计"
        with pytest.raises(ValidationError, match="own ancestor"):
            categs.write([home], {"parent_id": leaf})
        assert categs.read([home], ["parent_id"])[0]["parent_id"][0] == root  # nothing half-saved
        assert categs.name_search("家用 / 血压")[0][0] == leaf


def test_product_defaults_codes_and_prices(product_runtime):
    with product_runtime.env() as env:
        products = env["product.product"]
        pid = products.create({"name": "电子血压计", "default_code": "BP-1",
                               "list_price": "299.005"})
        row = products.read([pid], ["uom_id", "categ_id", "type", "vat_rate", "list_price"])[0]
        assert row["uom_id"][0] == env.ref_id("product.uom_unit")
        assert row["categ_id"][0] == env.ref_id("product.product_category_all")
        assert (row["type"], row["vat_rate"]) == ("product", Decimal("13.00"))
        assert row["list_price"] == Decimal("299.01")  # ROUND_HALF_UP at 2 decimals
        assert products.browse([pid])[0].display_name == "[BP-1] 电子血压计"
        with pytest.raises(ValidationError, match="BP-1 is already used by the product 电子血压计"):
            products.create({"name": "Copy", "default_code": "BP-1"})
        other = products.create({"name": "Other", "barcode": "6923456010000"})
        with pytest.raises(ValidationError, match="already used"):
            products.write([pid], {"barcode": "6923456010000"})
        products.write([other], {"barcode": "6923456010000", "name": "Other 2"})  # itself: fine
        products.create({"name": "No code A", "default_code": ""})
        products.create({"name": "No code B", "default_code": ""})  # blank codes do not clash
        with pytest.raises(ValidationError, match="negative"):
            products.create({"name": "Bad", "list_price": "-1"})
        with pytest.raises(ValidationError, match="between 0 and 100"):
            products.create({"name": "Bad", "vat_rate": "130"})
        with pytest.raises(ValidationError, match="allowed"):
            products.create({"name": "Bad", "type": "kit"})
        ids = products.search(["|", ("default_code", "ilike", "bp"), ("name", "ilike", "血压")])
        assert ids == [pid]
        products.write([pid], {"active": False})
        assert products.search([("default_code", "=", "BP-1")]) == []


def test_users_read_products_managers_maintain_them(product_runtime):
    with product_runtime.env() as env:
        clerk = _user(env, "clerk", ["base.group_user"])
        manager = _user(env, "pm", ["product.group_manager"])
    with product_runtime.env(uid=clerk) as env:
        assert env["product.product"].search_count([]) == 0
        assert env["uom.uom"].search_count([]) > 5
        with pytest.raises(AccessError, match="product.product"):
            env["product.product"].create({"name": "Nope"})
    with product_runtime.env(uid=manager) as env:
        assert env["product.product"].create({"name": "Yes"})


def _xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def import_products(env, filename, data):
    """The core importer on products: all or nothing, rows matched by internal reference."""
    result = import_records(env, "product.product", filename, data, dry_run=False)
    return result


def test_import_csv_then_xlsx_updates_by_code(product_runtime):
    csv_data = ("default_code,name,categ_id,uom_id,list_price,vat_rate,type\n"
                "KY-1,电子血压计,全部,件,299.00,13,product\n"
                "KY-2,上门安装,全部,小时,150,6,service\n").encode("utf-8-sig")
    with product_runtime.env() as env:
        first = import_products(env, "products.csv", csv_data)
        assert first.ok and len(first.created) == 2 and first.updated == []
        env["product.product"].write(first.created[:1], {"active": False})
        xlsx = _xlsx([["Internal reference", "Name", "Sales price"],
                      ["KY-1", "电子血压计 II", 319.9], ["KY-3", "额温枪", 129]])
        second = import_products(env, "products.xlsx", xlsx)  # KY-1 archived: still matched
        assert second.ok and second.updated == first.created[:1] and len(second.created) == 1
        rows = env.with_context(active_test=False)["product.product"].search_read(
            [], ["default_code", "name", "list_price", "uom_id", "active"],
            order="default_code")
        assert [(r["default_code"], r["name"], r["list_price"]) for r in rows] == [
            ("KY-1", "电子血压计 II", Decimal("319.90")), ("KY-2", "上门安装", Decimal("150.00")),
            ("KY-3", "额温枪", Decimal("129.00"))]
        assert rows[1]["uom_id"][0] == env.ref_id("product.uom_hour")
        assert rows[2]["active"] is True  # an empty cell keeps the default


def test_import_is_all_or_nothing(product_runtime):
    bad = "default_code,name,uom_id\nKY-9,Good row,件\nKY-10,Bad row,Parsecs\n".encode()
    with product_runtime.env() as env:
        result = import_products(env, "p.csv", bad)
        assert [(i.line, i.column) for i in result.errors] == [(3, "uom_id")]
        assert "Parsecs" in result.errors[0].message and result.created == []
        assert env["product.product"].search_count([]) == 0
        unknown = import_products(env, "p.csv", b"code,name\n1,x\n")
        assert [(i.line, i.column) for i in unknown.errors] == [(1, "code")]
        with pytest.raises(ValidationError, match=r"\.csv or \.xlsx"):
            import_products(env, "p.pdf", b"%PDF")
        with pytest.raises(ValidationError, match="XLSX"):
            import_products(env, "p.xlsx", b"not a zip")
        with pytest.raises(ValidationError, match="UTF-8"):
            import_products(env, "p.csv", "name\n电子".encode("gbk"))


def test_import_page_for_product_managers(make_app):
    from tests.web_helpers import client_for, csrf, make_user

    app = make_app()
    app.extensions["kangyi"].manager.install(["product"])
    make_user(app, "pm", ["product.group_manager"], lang="zh_CN")
    make_user(app, "clerk", ["base.group_user"])
    assert client_for(app, "clerk").get("/web/product.product/import").status_code == 403
    client = client_for(app, "pm")
    assert "/web/product.product/import" in client.get("/web/product.product").get_data(
        as_text=True)
    token = csrf(client, "/web/product.product/import")
    good = "default_code,name,list_price\nKY-1,电子血压计,299\n".encode()
    response = client.post("/web/product.product/import", data={
        "csrf_token": token, "action": "import", "file": (io.BytesIO(good), "p.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    bad = b"default_code,name,uom_id\nKY-2,x,Parsecs\n"
    response = client.post("/web/product.product/import", data={
        "csrf_token": token, "action": "import", "file": (io.BytesIO(bad), "p.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 422 and "Parsecs" in response.get_data(as_text=True)
    with app.extensions["kangyi"].env() as env:
        assert env["product.product"].search_read([], ["default_code"]) == [
            {"id": 1, "default_code": "KY-1"}]


def test_a_refused_duplicate_leaves_the_session_usable(product_runtime):
    """The database's unique index answers a clean error, and the next operation works."""
    with product_runtime.env() as env:
        env["uom.category"].create({"name": "Packaging"})
        with pytest.raises(ValidationError, match="integrity"):
            env["uom.category"].create({"name": "Packaging"})
        assert env["uom.category"].create({"name": "Pallets"})
        assert env["uom.category"].search_count([("name", "in", ("Packaging", "Pallets"))]) == 2


def test_product_picker_matches_name_code_or_barcode(product_runtime):
    with product_runtime.env() as env:
        products = env["product.product"]
        oxygen = products.create({"name": "家用制氧机", "default_code": "YY-9F",
                                  "barcode": "6901234567892"})
        cuff = products.create({"name": "血压计袖带 YY", "default_code": "XY-01"})
        assert [i for i, _n in products.name_search("制氧")] == [oxygen]
        assert [i for i, _n in products.name_search("yy-9")] == [oxygen]  # code, any case
        assert [i for i, _n in products.name_search("69012345")] == [oxygen]  # barcode
        assert sorted(i for i, _n in products.name_search("YY")) == sorted([oxygen, cuff])
        assert [i for i, _n in products.name_search("YY", operator="not ilike")] == []
        assert [i for i, _n in products.name_search("制氧", operator="not ilike")] == [cuff]
        assert [i for i, _n in products.name_search("YY", args=[("id", "!=", oxygen)])] == [cuff]
        # other models keep matching their name alone
        assert env["product.category"].name_search("YY-9F") == []
