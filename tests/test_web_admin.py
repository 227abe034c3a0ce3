"""Apps page (install/upgrade/uninstall with a dry-run plan), explain access, preferences."""

from __future__ import annotations

import re

from tests import web_helpers
from tests.web_helpers import client_for, csrf, login

web_app = web_helpers.web_app  # the shared fixture


def test_apps_page_installs_after_showing_the_plan(make_app):
    app = make_app()
    admin = client_for(app, "admin", "admin1234")
    html = admin.get("/web/apps").get_data(as_text=True)
    assert re.search(r'data-addon="kt_web">.*?Not installed', html, re.S)
    assert re.search(r'data-addon="base">.*?Installed', html, re.S)
    plan = admin.get("/web/apps/kt_web/install").get_data(as_text=True)
    assert "create table kt_order" in plan and "Nothing has been changed yet" in plan
    assert admin.get("/web/kt.order").status_code == 404  # the dry run changed nothing
    done = admin.post("/web/apps/kt_web/install", data={"csrf_token": csrf(admin, "/web/apps")})
    assert done.status_code == 302
    # the very next request runs on the new registry: the app's menu and list are there
    home = admin.get("/").get_data(as_text=True)
    assert 'href="/web/kt.order?menu=kt_web.menu_orders"' in home
    assert admin.get("/web/kt.order").status_code == 200
    uninstall_plan = admin.get("/web/apps/kt_web/uninstall").get_data(as_text=True)
    assert "drop table kt_order (0 rows)" in uninstall_plan
    admin.post("/web/apps/kt_web/uninstall", data={"csrf_token": csrf(admin, "/web/apps")})
    assert admin.get("/web/kt.order").status_code == 404
    assert 'href="/web/kt.order?' not in admin.get("/").get_data(as_text=True)


def test_apps_operations_are_for_admins_and_errors_are_flashed(web_app):
    ann = client_for(web_app, "ann")
    html = ann.get("/web/apps").get_data(as_text=True)
    assert "kt_web" in html and "/web/apps/kt_web/uninstall" not in html
    assert ann.get("/web/apps/kt_web_ext/install").status_code == 403
    token = csrf(ann, "/web/apps")
    assert ann.post("/web/apps/kt_web_ext/install", data={"csrf_token": token}).status_code == 403
    admin = client_for(web_app, "admin", "admin1234")
    refused = admin.get("/web/apps/base/uninstall", follow_redirects=True)
    assert "essential and cannot be uninstalled" in refused.get_data(as_text=True)
    assert admin.get("/web/apps/nope/install").status_code == 404


def test_explain_access_names_rights_and_rules(web_app):
    with web_app.extensions["kangyi"].env() as env:
        ann = env["res.users"].search([("login", "=", "ann")])[0]
        mx = env["res.users"].search([("login", "=", "max")])[0]
        theirs = env["kt.order"].create({"name": "SO2", "user_id": mx})
        mine = env["kt.order"].create({"name": "SO1", "user_id": ann})
    admin = client_for(web_app, "admin", "admin1234")
    html = admin.get(f"/web/admin/explain?user={ann}&model=kt.order&record={theirs}").get_data(
        as_text=True)
    read = re.search(r'data-operation="read">(.*?)</section>', html, re.S).group(1)
    assert "denied" in read and "None of the group record rules includes this record" in read
    assert "kt_web.access_kt_order_user (Order users)" in read
    assert re.search(r"<td>Own orders</td><td>group</td>.*?<td>no</td>", read, re.S)
    html = admin.get(f"/web/admin/explain?user={ann}&model=kt.order&record={mine}").get_data(
        as_text=True)
    assert "allowed" in re.search(r'data-operation="write">(.*?)</section>', html, re.S).group(1)
    html = admin.get(f"/web/admin/explain?user={ann}&model=res.users").get_data(as_text=True)
    write = re.search(r'data-operation="write">(.*?)</section>', html, re.S).group(1)
    assert "No access right of the user&#39;s groups grants this operation." in write
    assert client_for(web_app, "ann").get("/web/admin/explain").status_code == 403


def test_preferences_language_and_password(web_app):
    client = client_for(web_app, "ann")
    token = csrf(client, "/web/preferences")
    client.post("/web/preferences", data={"csrf_token": token, "lang-lang": "zh_CN"})
    html = client.get("/web/kt.order").get_data(as_text=True)
    assert '<html lang="zh-CN">' in html and "搜索" in html and "订单" in html
    assert "订单看板" in html  # a menu name only the addon's own catalog translates
    wrong = client.post("/web/preferences", data={
        "csrf_token": token, "pw-old_password": "nope", "pw-new_password": "new-secret-1",
        "pw-confirm": "new-secret-1"})
    assert wrong.status_code == 422 and "当前密码错误" in wrong.get_data(as_text=True)
    differ = client.post("/web/preferences", data={
        "csrf_token": token, "pw-old_password": "password123",
        "pw-new_password": "new-secret-1", "pw-confirm": "other"})
    assert differ.status_code == 422
    changed = client.post("/web/preferences", data={
        "csrf_token": token, "pw-old_password": "password123",
        "pw-new_password": "new-secret-1", "pw-confirm": "new-secret-1"})
    assert changed.status_code == 302
    fresh = web_app.test_client()
    login(fresh, "ann", "new-secret-1")
    switched = fresh.post("/web/lang", data={"csrf_token": csrf(fresh, "/"), "lang": "en",
                                             "next": "/web/kt.order"})
    assert switched.headers["Location"] == "/web/kt.order"
    assert "Search" in fresh.get("/web/kt.order").get_data(as_text=True)


def test_preferences_lead_to_the_api_keys_page(web_app):
    client = client_for(web_app, "ann")
    html = client.get("/web/preferences").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" data-apikeys-link>', html)
    assert link and link.group(1) == "/web/preferences/apikeys"
    assert client.get(link.group(1)).status_code == 200


def test_language_defaults_to_the_browser_before_login(make_app):
    client = make_app().test_client()
    html = client.get("/web/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(
        as_text=True)
    assert "登录" in html
    assert "Log in" in client.get("/web/login").get_data(as_text=True)
