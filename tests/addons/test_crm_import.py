"""Importing customers from CSV and XLSX through the core importer: the CRM's columns, its
duplicate warnings, all or nothing, and the salesperson's record rules."""

from __future__ import annotations

import io

import pytest
from flask_babel import force_locale
from openpyxl import Workbook

from core.errors import AccessError, ValidationError
from core.importing import Issue, import_records


@pytest.fixture
def crm(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["crm"])
    return runtime


GOOD = ("名称,Is a company,电话,Industry,region,Customer level,Tags,birth_date\n"
        "上海华东精密机械有限公司,是,021-66668888,制造业,East China,A,\"重点,华东\",\n"
        "刘洋,否,13800001111,,east,C,,1992-03-15\n").encode("utf-8-sig")


def import_customers(env, filename, data, dry_run=True):
    return import_records(env, "res.partner", filename, data, dry_run=dry_run)


def _names(env):
    return {r["name"] for r in env["res.partner"].search_read([], ["name"])}


def test_preview_then_import_csv(make_app):
    """Column titles may be field names or labels in English or Chinese."""
    app = make_app()
    crm = app.extensions["kangyi"]
    crm.manager.install(["crm"])
    with app.test_request_context(), force_locale("zh_CN"), crm.env() as env:
        env["crm.tag"].create([{"name": "重点"}, {"name": "华东"}])
        before = _names(env)
        preview = import_customers(env, "customers.csv", GOOD, dry_run=True)
        assert preview.ok and len(preview.created) == 2
        assert preview.fields[:3] == ["name", "is_company", "phone"]
        assert _names(env) == before
        done = import_customers(env, "customers.csv", GOOD, dry_run=False)
        assert done.ok
        rows = env["res.partner"].read(done.created, ["name", "is_company", "industry_id",
                                                      "region", "level_id", "tag_ids",
                                                      "birth_date"])
        assert rows[0]["industry_id"][1] == "制造业" and rows[0]["region"] == "east"
        assert rows[0]["level_id"][1] == "A" and len(rows[0]["tag_ids"]) == 2
        assert rows[1]["is_company"] is False and str(rows[1]["birth_date"]) == "1992-03-15"
        again = import_customers(env, "customers.csv", GOOD, dry_run=True)
        assert again.ok and any("名称相同" in w.message for w in again.warnings)


def test_a_bad_row_imports_nothing_and_is_reported(crm):
    data = ("name,region,level_id,phone\n"
            "甲公司,east,A,1\n"
            "乙公司,mars,A,2\n"
            ",east,B,3\n"
            "丁公司,east,Z,4\n").encode()
    with crm.env() as env:
        before = _names(env)
        result = import_customers(env, "c.csv", data, dry_run=False)
        assert not result.ok and result.created == []
        assert [(i.line, i.column) for i in result.errors] == [
            (3, "region"), (4, "name"), (5, "level_id")]
        assert "mars" in result.errors[0].message
        assert result.errors[1].message == "Name is required."
        assert "Z" in result.errors[2].message
        assert _names(env) == before


def test_xlsx_and_unknown_columns(crm):
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "Profession", "birth_date"])
    sheet.append(["王磊", "工程师", __import__("datetime").datetime(1978, 4, 1)])
    buffer = io.BytesIO()
    book.save(buffer)
    with crm.env() as env:
        result = import_customers(env, "c.xlsx", buffer.getvalue(), dry_run=False)
        assert result.ok
        row = env["res.partner"].read(result.created, ["profession", "birth_date"])[0]
        assert row["profession"] == "工程师" and str(row["birth_date"]) == "1978-04-01"
        bad = import_customers(env, "c.csv", b"name,shoe size\nx,42\n", dry_run=False)
        assert bad.errors == [Issue(1, "shoe size", "The column shoe size matches no field.")]
        with pytest.raises(ValidationError):
            import_customers(env, "c.txt", b"name\nx\n")


def test_salesperson_cannot_import_customers_for_someone_else(crm):
    with crm.env() as env:
        li = env["res.users"].create({"login": "li", "name": "李娜", "groups_id": [
            (6, 0, [env.ref_id("crm.group_user")])]})
        env["res.users"].create({"login": "wang", "name": "王强", "groups_id": [
            (6, 0, [env.ref_id("crm.group_user")])]})
    data = "name,user_id\n我的客户,李娜\n别人的客户,王强\n".encode()
    with crm.env(uid=li) as env:
        result = import_customers(env, "c.csv", data, dry_run=False)
        assert [i.line for i in result.errors] == [3]
        assert env["res.partner"].search([("name", "=", "我的客户")]) == []
    with crm.env() as env:
        outsider = env["res.users"].create({"login": "guest", "name": "访客"})
    with crm.env(uid=outsider) as env, pytest.raises(AccessError):
        import_customers(env, "c.csv", "name\n某客户\n".encode())
