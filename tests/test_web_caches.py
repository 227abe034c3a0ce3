"""Caches of the web layer never leak across users' groups, languages or addon installs."""

from __future__ import annotations

from decimal import Decimal

from tests import web_helpers
from tests.web_helpers import client_for, make_user

web_app = web_helpers.web_app  # the shared fixture


def _order(app, user="ann"):
    with app.extensions["kangyi"].env() as env:
        uid = env["res.users"].search([("login", "=", user)])[0]
        return env["kt.order"].create({"name": "SO1", "user_id": uid, "amount": Decimal("2"),
                                       "margin": Decimal("1.25")})


def test_form_class_cache_follows_groups(web_app):
    order = _order(web_app)
    manager, ann = client_for(web_app, "max"), client_for(web_app, "ann")
    for _round in range(2):  # each user's page after the other's has been cached
        assert 'name="margin"' in manager.get(f"/web/kt.order/{order}").get_data(as_text=True)
        assert 'name="margin"' not in ann.get(f"/web/kt.order/{order}").get_data(as_text=True)


def test_form_and_list_caches_follow_the_language(web_app):
    order = _order(web_app)
    make_user(web_app, "wu", ["kt_web.group_manager"], lang="zh_CN")
    chinese, english = client_for(web_app, "wu"), client_for(web_app, "max")
    for _round in range(2):
        zh = chinese.get(f"/web/kt.order/{order}").get_data(as_text=True)
        en = english.get(f"/web/kt.order/{order}").get_data(as_text=True)
        assert ">草稿</option>" in zh and ">Draft</option>" not in zh
        assert ">Draft</option>" in en and ">草稿</option>" not in en
        zh_list = chinese.get("/web/kt.order").get_data(as_text=True)
        en_list = english.get("/web/kt.order").get_data(as_text=True)
        assert "草稿" in zh_list and "Draft</td>" not in zh_list
        assert "Draft</td>" in en_list


def test_form_class_cache_does_not_survive_an_addon_install(web_app):
    order = _order(web_app)
    client = client_for(web_app, "max")
    assert 'id="note"' in client.get(f"/web/kt.order/{order}").get_data(as_text=True)
    web_app.extensions["kangyi"].manager.install(["kt_web_ext"])  # hides the note in the form
    assert 'id="note"' not in client.get(f"/web/kt.order/{order}").get_data(as_text=True)


def test_menus_follow_groups_and_access_rights_at_the_next_request(web_app):
    """The menus' HTML is cached per groups and language: a group given, or a right taken
    from a group, shows in the menus of the next page."""
    ann = client_for(web_app, "ann")
    manager_only = 'href="/web/kt.tag?menu=kt_web.menu_tags"'

    def side_menu(client):
        page = client.get("/web/kt.order?menu=kt_web.menu_orders").get_data(as_text=True)
        return page[page.index('class="sidemenu"'):page.index('id="content"')]

    assert manager_only in side_menu(client_for(web_app, "max"))
    assert manager_only not in side_menu(ann)
    with web_app.extensions["kangyi"].env() as env:
        ann_id = env["res.users"].search([("login", "=", "ann")])[0]
        env["res.users"].write([ann_id], {"groups_id": [(4, env.ref_id("kt_web.group_manager"))]})
    assert manager_only in side_menu(ann)
    with web_app.extensions["kangyi"].env() as env:
        rights = env["ir.model.access"].search([("model", "=", "kt.tag")])
        env["ir.model.access"].write(rights, {"perm_read": False})
    assert manager_only not in side_menu(ann)
    assert 'href="/web/kt.order?menu=kt_web.menu_orders"' in side_menu(ann)
