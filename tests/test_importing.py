"""The core importer (``core.importing``) and its page ``/web/<model>/import``: columns by name
or label, a preview that keeps nothing, all or nothing with a report naming each bad row and
column, access rights and record rules through the model service."""

from __future__ import annotations

import io
import re

import pytest
from flask_babel import force_locale
from openpyxl import Workbook

from core.errors import AccessError, ValidationError
from core.importing import Issue, import_records
from tests.web_helpers import client_for, csrf, make_user

GOOD = ("Name,is_company,Related company,phone,City\n"
        "上海华东精密机械有限公司,是,,021-66668888,上海\n"
        "周建国,否,上海华东精密机械有限公司,13800001111,\n").encode("utf-8-sig")


def _names(env):
    return sorted(r["name"] for r in env["res.partner"].search_read([], ["name"]))


def _user(runtime, login, groups=("base.group_user",)):
    with runtime.env() as env:
        return env["res.users"].create({"login": login, "name": login.title(), "groups_id": [
            (6, 0, [env.ref_id(g) for g in groups])]})


def test_preview_keeps_nothing_then_import_creates_every_row(runtime):
    with runtime.env() as env:
        before = _names(env)
        preview = import_records(env, "res.partner", "p.csv", GOOD)
        assert preview.ok and len(preview.created) == 2
        assert preview.fields == ["name", "is_company", "parent_id", "phone", "city"]
        assert _names(env) == before
        done = import_records(env, "res.partner", "p.csv", GOOD, dry_run=False)
        assert done.ok and not done.dry_run
        company, person = env["res.partner"].read(done.created, ["is_company", "parent_id",
                                                                 "city"])
        assert company["is_company"] is True and company["city"] == "上海"
        assert person["parent_id"][0] == company["id"]  # an earlier row is found by name
        assert person["is_company"] is False and person["city"] is None  # empty: the default


def test_a_bad_row_imports_nothing_and_the_report_names_row_and_column(runtime):
    data = ("name,is_company,parent_id,email\n"
            "甲公司,是,,a@example.com\n"
            "乙公司,maybe,,b@example.com\n"
            ",否,,c@example.com\n"
            "丁公司,否,无此公司,d@example.com\n").encode()
    with runtime.env() as env:
        before = _names(env)
        result = import_records(env, "res.partner", "p.csv", data, dry_run=False)
        assert not result.ok and result.created == []
        assert [(i.line, i.column) for i in result.errors] == [
            (3, "is_company"), (4, "name"), (5, "parent_id")]
        assert "maybe" in result.errors[0].message
        assert result.errors[1].message == "Name is required."
        assert "无此公司" in result.errors[2].message
        assert _names(env) == before


def test_header_errors_and_file_kinds(runtime):
    book = Workbook()
    book.active.append(["name", "Phone"])
    book.active.append(["王磊", 13900001111])
    xlsx = io.BytesIO()
    book.save(xlsx)
    with runtime.env() as env:
        result = import_records(env, "res.partner", "p.xlsx", xlsx.getvalue(), dry_run=False)
        assert result.ok
        assert env["res.partner"].read(result.created, ["phone"])[0]["phone"] == "13900001111"
        bad = import_records(env, "res.partner", "p.csv", b"name,shoe size,Name\nx,42,y\n")
        assert bad.errors == [Issue(1, "shoe size", "The column shoe size matches no field."),
                              Issue(1, "Name", "Two columns set Name.")]
        assert bad.created == []
        for name, data, message in (("p.txt", b"name\nx\n", r"\.csv or \.xlsx"),
                                    ("p.xlsx", b"not a zip", "XLSX"),
                                    ("p.csv", "name\n电子".encode("gbk"), "UTF-8"),
                                    ("p.csv", b"", "empty")):
            with pytest.raises(ValidationError, match=message):
                import_records(env, "res.partner", name, data)


def test_labels_in_the_users_language(make_app):
    app = make_app()
    runtime = app.extensions["kangyi"]
    with app.test_request_context(), force_locale("zh_CN"), runtime.env() as env:
        zh = "名称,电话\n某公司,010-1\n".encode()
        result = import_records(env, "res.partner", "p.csv", zh)
        assert result.ok and result.fields == ["name", "phone"]


def test_access_rights_and_record_rules_apply(runtime):
    clerk = _user(runtime, "clerk")
    outsider = _user(runtime, "outsider", ())
    with runtime.env() as env:
        env["ir.rule"].create({"name": "Not in Nowhere", "model": "res.partner",
                               "domain_force": "[('city', '!=', 'Nowhere')]",
                               "perm_read": False, "perm_unlink": False})
    data = "name,city\n甲,上海\n乙,Nowhere\n".encode()
    with runtime.env(uid=clerk, su=False) as env:
        result = import_records(env, "res.partner", "p.csv", data, dry_run=False)
        assert [(i.line, i.column) for i in result.errors] == [(3, "")]
        assert env["res.partner"].search([("name", "=", "甲")]) == []
    with runtime.env(uid=outsider, su=False) as env, pytest.raises(AccessError):
        import_records(env, "res.partner", "p.csv", b"name\nx\n")


def test_import_page_from_the_list_toolbar(make_app):
    app = make_app()
    make_user(app, "clerk", ["base.group_user"])
    clerk = client_for(app, "clerk")
    assert "/web/res.partner/import" in clerk.get("/web/res.partner").get_data(as_text=True)
    assert "/web/res.users/import" not in clerk.get("/web/res.users").get_data(as_text=True)
    assert clerk.get("/web/res.users/import").status_code == 403
    page = clerk.get("/web/res.partner/import").get_data(as_text=True)
    assert "<code>name</code>" in page and "phone" in page
    token = csrf(clerk, "/web/res.partner/import")
    bad = "name,is_company\n甲公司,是\n乙公司,maybe\n".encode()
    response = clerk.post("/web/res.partner/import", data={
        "csrf_token": token, "action": "import", "file": (io.BytesIO(bad), "p.csv")},
        content_type="multipart/form-data")
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "row-error" in text
    assert 'data-line="3" data-column="is_company"' in text
    good = "name,phone\n甲公司,021-1\n".encode()
    preview = clerk.post("/web/res.partner/import", data={
        "csrf_token": token, "action": "preview", "file": (io.BytesIO(good), "p.csv")},
        content_type="multipart/form-data")
    assert preview.status_code == 200
    content = re.search(r'name="content" value="([^"]+)"', preview.get_data(as_text=True))
    with app.extensions["kangyi"].env() as env:
        assert env["res.partner"].search([("name", "=", "甲公司")]) == []
    done = clerk.post("/web/res.partner/import", data={
        "csrf_token": token, "action": "import", "filename": "p.csv",
        "content": content.group(1)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/web/res.partner")
    with app.extensions["kangyi"].env() as env:
        assert len(env["res.partner"].search([("name", "=", "甲公司")])) == 1
    missing = clerk.post("/web/res.partner/import", data={"csrf_token": token,
                                                          "action": "preview"})
    assert missing.status_code == 422 and "Choose a file" in missing.get_data(as_text=True)
