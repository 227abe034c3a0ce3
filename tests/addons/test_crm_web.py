"""The CRM's pages in a real Flask app: addon pages (the register_pages hook), the customer
360° page, work lists, segmentation with SVG charts and CSV, and the import wizard."""

from __future__ import annotations

import base64
import re

import pytest

from tests.web_helpers import client_for, count_queries, csrf, make_user


@pytest.fixture
def crm_app(make_app):
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["crm"])
    ids = {"li": make_user(app, "li", ["crm.group_user"]),
           "wang": make_user(app, "wang", ["crm.group_user"]),
           "zhao": make_user(app, "zhao", ["crm.group_service"]),
           "chen": make_user(app, "chen", ["crm.group_manager"])}
    with runtime.env() as env:
        ids["li_customer"] = env["res.partner"].create({
            "name": "上海华东精密机械有限公司", "is_company": True, "user_id": ids["li"],
            "industry_id": env.ref_id("crm.industry_manufacturing"), "region": "east"})
        ids["wang_customer"] = env["res.partner"].create({
            "name": "广州粤海贸易有限公司", "is_company": True, "user_id": ids["wang"]})
        env["crm.followup"].create({"summary": "电话沟通采购需求", "partner_id": ids["li_customer"],
                                    "user_id": ids["li"], "method": "phone",
                                    "next_date": "2020-01-01", "next_step": "发送报价单"})
    return app, ids


def test_hook_register_pages(crm_app):
    """Pages come with the addon and go with it; methods and groups are enforced."""
    app, _ids = crm_app
    li = client_for(app, "li")
    assert li.get("/web/page/crm/segmentation").status_code == 200
    assert li.get("/web/page/crm/nowhere").status_code == 404
    assert li.post("/web/page/crm/segmentation", data={
        "csrf_token": csrf(li, "/web/page/crm/customers")}).status_code == 405
    assert app.test_client().get("/web/page/crm/segmentation").status_code == 302  # login
    app.extensions["kangyi"].manager.uninstall(["crm"])
    assert li.get("/web/page/crm/segmentation").status_code in (302, 404)


def test_customer_360_respects_record_rules(crm_app):
    app, ids = crm_app
    li = client_for(app, "li")
    page = li.get(f"/web/page/crm/customers/{ids['li_customer']}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "上海华东精密机械有限公司" in text and "电话沟通采购需求" in text and "制造业" in text
    assert li.get(f"/web/page/crm/customers/{ids['wang_customer']}").status_code == 403
    found = li.get("/web/page/crm/customers?q=公司").get_data(as_text=True)
    assert "上海华东" in found and "广州粤海" not in found
    chen = client_for(app, "chen")
    assert chen.get(f"/web/page/crm/customers/{ids['wang_customer']}").status_code == 200


def test_followup_work_lists(crm_app):
    app, ids = crm_app
    li = client_for(app, "li")
    overdue = li.get("/web/page/crm/followups/overdue").get_data(as_text=True)
    assert "电话沟通采购需求" in overdue
    mine = li.get("/web/page/crm/followups/mine").get_data(as_text=True)
    assert "电话沟通采购需求" in mine
    wang = client_for(app, "wang")
    assert "电话沟通采购需求" not in wang.get("/web/page/crm/followups/overdue").get_data(
        as_text=True)
    assert li.get("/web/page/crm/followups/other").status_code == 404


def test_segmentation_page_and_export(crm_app):
    app, _ids = crm_app
    chen = client_for(app, "chen")
    page = chen.get("/web/page/crm/segmentation?by=region")
    text = page.get_data(as_text=True)
    charts = text.count("<svg") - text.count('<svg class="icon"')  # not the top bar's icons
    assert page.status_code == 200 and charts == 3 and "East China" in text
    export = chen.get("/web/page/crm/segmentation?by=industry&export=csv")
    assert export.mimetype == "text/csv" and "制造业" in export.get_data(as_text=True)
    bad = chen.get("/web/page/crm/segmentation?from=yesterday")
    assert bad.status_code == 422 and "not a date" in bad.get_data(as_text=True)


def test_import_wizard_previews_and_imports_all_or_nothing(crm_app):
    app, _ids = crm_app
    li = client_for(app, "li")
    token = csrf(li, "/web/res.partner/import")
    bad = "name,region\n甲公司,east\n乙公司,mars\n".encode()
    response = li.post("/web/res.partner/import", data={
        "csrf_token": token, "action": "import", "filename": "c.csv",
        "content": base64.b64encode(bad).decode()})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "mars" in text and "row-error" in text
    with app.extensions["kangyi"].env() as env:
        assert env["res.partner"].search([("name", "=", "甲公司")]) == []
    good = "name,region,phone\n甲公司,east,021-1\n".encode()
    import io

    preview = li.post("/web/res.partner/import", data={
        "csrf_token": token, "action": "preview", "file": (io.BytesIO(good), "c.csv")},
        content_type="multipart/form-data")
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "甲公司" in text
    content = re.search(r'name="content" value="([^"]+)"', text).group(1)
    done = li.post("/web/res.partner/import", data={"csrf_token": token, "action": "import",
                                                 "filename": "c.csv", "content": content})
    assert done.status_code == 302
    with app.extensions["kangyi"].env() as env:
        assert len(env["res.partner"].search([("name", "=", "甲公司")])) == 1


def test_customer_360_runs_a_bounded_number_of_queries(crm_app):
    """Ten or forty follow-ups and contracts: the page runs the same number of statements."""
    app, ids = crm_app
    runtime = app.extensions["kangyi"]
    chen = client_for(app, "chen")
    url = f"/web/page/crm/customers/{ids['li_customer']}"
    counts = []
    for extra in (10, 30):
        with runtime.env() as env:
            env["crm.followup"].create([{"summary": f"第{n}次跟进", "method": "phone",
                                         "partner_id": ids["li_customer"],
                                         "user_id": ids["li"]} for n in range(extra)])
            env["crm.contract"].create([{"title": f"合同{n}", "partner_id": ids["li_customer"],
                                         "user_id": ids["li"]} for n in range(extra)])
        chen.get(url)  # warm the registry and menus
        with count_queries(runtime.engine) as statements:
            assert chen.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] and counts[0] < 80


def test_menus_and_pipeline_board_per_group(crm_app):
    app, _ids = crm_app
    with app.extensions["kangyi"].env() as env:
        env["crm.lead"].create([{"name": "官网咨询"}, {
            "name": "方案已发", "stage_id": env.ref_id("crm.stage_proposal")}])
    chen, zhao = client_for(app, "chen"), client_for(app, "zhao")
    board = chen.get("/web/crm.lead/kanban").get_data(as_text=True)
    assert "新线索" in board and "方案报价" in board and "方案已发" in board
    columns = re.findall(r'<section class="kanban-col( folded)?" aria-label="([^"]+)"', board)
    # every stage in sequence, the empty ones too; the lost stage is folded (fold flag)
    assert [label for _f, label in columns] == ["新线索", "已确认", "方案报价", "谈判", "赢单",
                                                "输单"]
    assert [label for folded, label in columns if folded] == ["输单"]
    assert re.search(r'aria-label="谈判"[^>]*>\s*<h2>谈判 <small>\(0\)', board)
    with app.extensions["kangyi"].env() as env:
        env["crm.stage"].write([env.ref_id("crm.stage_negotiation")], {"sequence": 5})
        env["crm.stage"].write([env.ref_id("crm.stage_lost")], {"fold": False})
    board = chen.get("/web/crm.lead/kanban").get_data(as_text=True)
    columns = re.findall(r'<section class="kanban-col( folded)?" aria-label="([^"]+)"', board)
    assert columns[0] == ("", "谈判") and "data-folded" not in board
    assert "Configuration" in chen.get("/web/page/crm/segmentation").get_data(as_text=True)
    service_menu = zhao.get("/web/crm.visit").get_data(as_text=True)
    assert "Return visits" in service_menu and "Configuration" not in service_menu


def _link(html: str, label: str) -> str:
    """The href of the first link whose text is ``label``."""
    match = re.search(r'<a[^>]*href="([^"]+)"[^>]*>\s*' + re.escape(label) + r"\s*<", html)
    assert match, f"no link {label!r}"
    return match.group(1).replace("&amp;", "&")


def test_crm_app_is_reached_by_clicks(crm_app):
    """The CRM tile and top-bar entry open partners as CRM's customers: the CRM side menu shows
    (Contacts files the same model), and so do record pages reached from CRM's board."""
    app, ids = crm_app
    with app.extensions["kangyi"].env() as env:
        lead = env["crm.lead"].create({"name": "Lathe upgrade", "partner_id": ids["li_customer"],
                                       "user_id": ids["li"]})
    li = client_for(app, "li")
    home = li.get("/").get_data(as_text=True)
    customers = li.get(_link(home, "CRM")).get_data(as_text=True)
    assert 'aria-label="Menu of CRM"' in customers and "My follow-ups" in customers
    pipeline = li.get(_link(customers, "Pipeline")).get_data(as_text=True)
    assert f"/web/crm.lead/{lead}" in pipeline
    record = li.get(f"/web/crm.lead/{lead}").get_data(as_text=True)
    assert 'aria-label="Menu of CRM"' in record and "My follow-ups" in record
    partner = li.get(f"/web/res.partner/{ids['li_customer']}").get_data(as_text=True)
    assert 'aria-label="Menu of CRM"' in partner  # the app last clicked keeps its side menu
    contacts = li.get(_link(home, "Contacts")).get_data(as_text=True)
    assert 'aria-label="Menu of Contacts"' in contacts
    assert "<h1>Contacts</h1>" in contacts and "<h1>Customers</h1>" in customers  # plural


def test_check_duplicates_says_what_it_found(crm_app):
    app, ids = crm_app
    chen = client_for(app, "chen")
    with app.extensions["kangyi"].env() as env:
        twin = env["res.partner"].create({"name": "上海华东精密机械有限公司", "is_company": True})
    for partner, said in ((ids["wang_customer"], "No duplicates found"),
                          (twin, "Possible duplicates: 上海华东精密机械有限公司")):
        token = csrf(chen, f"/web/res.partner/{partner}")
        page = chen.post(f"/web/res.partner/{partner}/call/action_check_duplicates",
                         data={"csrf_token": token}, follow_redirects=True)
        text = page.get_data(as_text=True)
        assert said in text and "Done." not in text


def test_pipeline_board_offers_new_to_those_who_may_create(crm_app):
    app, _ids = crm_app
    board = client_for(app, "li").get("/web/crm.lead/kanban").get_data(as_text=True)
    assert 'href="/web/crm.lead/new"' in board
    board = client_for(app, "zhao").get("/web/crm.lead/kanban").get_data(as_text=True)
    assert 'href="/web/crm.lead/new"' not in board


def test_new_quotation_shows_to_those_who_may_create_orders(crm_app):
    """A button needing access the user lacks (or a model not installed) is not offered:
    a salesperson of the CRM alone would get a 403 from "New quotation"."""
    app, ids = crm_app
    with app.extensions["kangyi"].env() as env:
        lead = env["crm.lead"].create({"name": "Lathe upgrade", "partner_id": ids["li_customer"],
                                       "user_id": ids["li"]})
    page = f"/web/crm.lead/{lead}"
    assert "action_new_quotation" not in client_for(app, "li").get(page).get_data(as_text=True)
    app.extensions["kangyi"].manager.install(["sale_crm"])
    assert "action_new_quotation" not in client_for(app, "li").get(page).get_data(as_text=True)
    make_user(app, "fang", ["crm.group_user", "sales.group_assistant"])
    with app.extensions["kangyi"].env() as env:
        fang_id = env["res.users"].search([("login", "=", "fang")])[0]
        env["crm.lead"].write([lead], {"user_id": fang_id})
        # the customer too: a quotation may name only a customer its salesperson may read
        env["res.partner"].write([ids["li_customer"]], {"user_id": fang_id})
    fang = client_for(app, "fang")
    assert "action_new_quotation" in fang.get(page).get_data(as_text=True)
    opened = fang.post(f"{page}/call/action_new_quotation", data={"csrf_token": csrf(fang, page)})
    assert opened.status_code == 302 and "/web/sale.order/" in opened.headers["Location"]


def test_stage_change_fills_the_probability_live(crm_app):
    """Onchange on a record's own field: the stage's probability comes back from a dry run of
    the write (rolled back), on an existing lead and on a new one."""
    app, ids = crm_app
    with app.extensions["kangyi"].env() as env:
        lead = env["crm.lead"].create({"name": "Lathe upgrade", "partner_id": ids["li_customer"],
                                       "user_id": ids["li"]})
        proposal = env.ref_id("crm.stage_proposal")
    li = client_for(app, "li")
    page = li.get(f"/web/crm.lead/{lead}").get_data(as_text=True)
    assert 'data-onchange="stage_id"' in page
    form = {"csrf_token": csrf(li, f"/web/crm.lead/{lead}"), "name": "Lathe upgrade",
            "stage_id": str(proposal), "probability": "10", "__onchange": "stage_id"}
    answer = li.post("/web/crm.lead/onchange", data={**form, "__record_id": str(lead)})
    assert answer.get_json() == {"values": {"probability": "50"}}
    new = li.post("/web/crm.lead/onchange", data={**form, "__record_id": ""}).get_json()
    assert new == {"values": {"probability": "50"}}
    with app.extensions["kangyi"].env() as env:
        assert env["crm.lead"].read([lead], ["stage_id", "probability"])[0]["stage_id"][0] \
            != proposal
        assert env["crm.lead"].search_count([]) == 1
