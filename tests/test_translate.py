"""``translate=True`` fields: stored in English, shown in the reader's language through the
catalogs, by the model service (read, display names, searches), the web pages and the APIs;
a form saved in Chinese keeps the English source."""

from __future__ import annotations

import html
import re

import pytest

from core import fields
from core.translate import translate
from core.translations import CORE_DIR, extract, translatable_fields
from tests.web_helpers import client_for, csrf

INPUT = re.compile(r'<input\b[^>]*\bname="([^"]+)"[^>]*>')
VALUE = re.compile(r'\bvalue="([^"]*)"')
SELECT = re.compile(r'<select\b[^>]*\bname="([^"]+)"[^>]*>(.*?)</select>', re.S)
SELECTED = re.compile(r'<option\b[^>]*\bvalue="([^"]*)"[^>]*\bselected')


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.extensions["kangyi"].env() as env:
        env["res.users"].write([env.ref_id("base.user_admin")], {"lang": "zh_CN"})
    return app


def _env(app, lang):
    runtime = app.extensions["kangyi"]

    class Scope:
        def __enter__(self):
            self.ctx = app.app_context()
            self.ctx.push()
            self.scope = runtime.env(context={"lang": lang})
            return self.scope.__enter__()

        def __exit__(self, *exc):
            try:
                return self.scope.__exit__(*exc)
            finally:
                self.ctx.pop()

    return Scope()


def _shown_form(page: str) -> dict[str, str]:
    """The inputs of a form page as the browser would post them untouched."""
    data = {}
    for tag in INPUT.finditer(page):
        if 'type="submit"' in tag.group(0) or (
                'type="checkbox"' in tag.group(0) and "checked" not in tag.group(0)):
            continue
        value = VALUE.search(tag.group(0))
        data[tag.group(1)] = html.unescape(value.group(1)) if value else ""
    for name, options in SELECT.findall(page):
        chosen = SELECTED.search(options)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_the_service_reads_searches_and_names_in_the_users_language(app):
    with _env(app, "zh_CN") as env:
        company = env.ref_id("base.main_company")
        admin = env.ref_id("base.user_admin")
        assert env["res.company"].read([company], ["name"])[0]["name"] == "我的公司"
        assert env["res.users"].read([admin], ["name", "company_id"])[0] == {
            "id": admin, "name": "管理员", "company_id": (company, "我的公司")}
        assert env["res.company"].name_search("我的") == [(company, "我的公司")]
        assert env["res.company"].search([("name", "ilike", "公司")]) == [company]
        assert env["res.company"].search([("name", "=", "我的公司")]) == [company]
        assert env["res.company"].search([("name", "not ilike", "公司")]) == []
        assert env["res.company"].search([("name", "ilike", "My Comp")]) == [company]
        assert env["res.company"].browse(company)[0].display_name == "我的公司"
        system = env["res.groups"].search_read([("name", "=", "管理员")], ["name"])
        assert [g["name"] for g in system] == ["管理员"]
    with _env(app, "en") as env:
        assert env["res.company"].read([company], ["name"])[0]["name"] == "My Company"
        assert env["res.company"].name_search("我的") == []
        assert env["res.users"].display_names([admin]) == {admin: "Administrator"}


def test_writing_the_translation_keeps_the_source_and_a_new_name_replaces_it(app):
    with _env(app, "zh_CN") as env:
        company = env.ref_id("base.main_company")
        env["res.company"].write([company], {"name": "我的公司"})  # unchanged, as shown
        assert env.session.get(env.registry["res.company"], company).name == "My Company"
        env["res.company"].write([company], {"name": "康怡医疗"})  # renamed
    with _env(app, "en") as env:
        assert env["res.company"].read([company], ["name"])[0]["name"] == "康怡医疗"


def test_pages_show_translations_and_saving_a_form_unchanged_keeps_the_source(app):
    client = client_for(app, "admin", "admin1234")
    with _env(app, "en") as env:
        company = env.ref_id("base.main_company")
    listing = client.get("/web/res.company").get_data(as_text=True)
    assert "我的公司" in listing and "My Company" not in listing
    page = client.get(f"/web/res.company/{company}").get_data(as_text=True)
    assert 'value="我的公司"' in page and "My Company" not in page
    users = client.get("/web/res.users").get_data(as_text=True)
    assert "管理员" in users and re.search(r'translate="no"><a href="[^"]+">admin</a>', users)
    data = _shown_form(page)
    data["csrf_token"] = csrf(client, f"/web/res.company/{company}")
    saved = client.post(f"/web/res.company/{company}", data=data)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    found = client.get("/web/res.company/name_search", query_string={"q": "我的"}).get_json()
    assert "我的公司" in str(found)
    with _env(app, "en") as env:
        assert env["res.company"].read([company], ["name"])[0]["name"] == "My Company"


def test_rest_and_rpc_answer_in_the_users_language(app):
    from core.api.apikeys import generate_key

    with _env(app, "en") as env:
        company = env.ref_id("base.main_company")
        key = generate_key(env, env.ref_id("base.user_admin"), "tests")
    client = app.test_client()
    auth = {"Authorization": f"Bearer {key}"}
    record = client.get(f"/api/v1/res.company/{company}?fields=name", headers=auth).get_json()
    assert record["data"]["name"] == "我的公司"
    database = client.post("/jsonrpc", json={"jsonrpc": "2.0", "method": "call", "params": {
        "service": "db", "method": "list", "args": []}}).get_json()["result"][0]

    def read(context):
        reply = client.post("/jsonrpc", json={"jsonrpc": "2.0", "method": "call", "params": {
            "service": "object", "method": "execute_kw", "args": [
                database, 2, "admin1234", "res.company", "read", [[company], ["name"]],
                {"context": context}]}}).get_json()
        return reply["result"][0]["name"]

    assert read({}) == "我的公司"  # the user's language
    assert read({"lang": "en_US"}) == "My Company"  # the call's context wins


def test_only_text_fields_translate_and_extraction_finds_shipped_values():
    with pytest.raises(TypeError):
        fields.Integer("Count", translate=True)
    from core.addons import discover_addons

    declared = translatable_fields(discover_addons())
    assert {"name"} <= declared["res.company"] and "name" in declared["stock.warehouse"]
    messages = {m.id for m in extract(CORE_DIR.parent)}
    assert {"My Company", "System", "Administrator"} <= messages  # CSV data, N_() in code
    assert translate({"Partners": "合作伙伴", "Vendors": "供应商"}, "Partners/Vendors") == \
        "合作伙伴/供应商"
    assert translate({"Receivables": "应收账款"}, "1122 Receivables") == "1122 应收账款"
    assert translate({}, "Anything") == "Anything"


def test_group_labels_and_unnamed_records_are_worded_for_the_reader(app):
    with _env(app, "zh_CN") as env:
        company = env.ref_id("base.main_company")
        groups = env["res.users"].read_group([], ["login"], ["company_id"])
        assert [g["company_id"] for g in groups] == [(company, "我的公司")]
        by_category = env["res.groups"].read_group([("category", "=", "Administration")],
                                                   ["name"], ["category"])
        assert [g["category"] for g in by_category] == ["管理"]
        tracking = env.registry["mail.tracking"].create(env, [{  # kept by the system
            "res_model": "res.partner", "res_id": 1, "kind": "create"}])[0].id
        assert env["mail.tracking"].display_names([tracking]) == {  # no name: kind and id
            tracking: f"跟踪的变更 #{tracking}"}
        record = env["mail.tracking"].browse_unchecked([tracking])[0]
        assert record.display_name == f"跟踪的变更 #{tracking}"  # was "mail.tracking,<id>"


def test_texts_written_outside_the_app_use_the_catalogs_on_disk():
    from core.mail.notify import render
    from core.translate import gettext_for

    subject, body = render("reminder", "zh_CN", {"subject": "Cron", "details": "", "url": "/x"})
    assert subject == "提醒：Cron" and body == "Cron\n\n打开：/x"
    assert gettext_for("zh_CN", "Receipts") == "入库单"
    assert gettext_for("en", "Receipts") == "Receipts"
