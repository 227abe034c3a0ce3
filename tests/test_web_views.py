"""Menus and views contributed by addons: composition, extension, ordering, filtering, errors."""

from __future__ import annotations

import pytest

from core.errors import AddonError
from core.lifecycle import build_registry
from core.menus import menus_of
from core.views import ListView, as_field, views_of
from tests import web_helpers
from tests.web_helpers import make_user

web_app = web_helpers.web_app  # the shared fixture


def test_hook_register_menus(web_app):
    runtime = web_app.extensions["kangyi"]
    with runtime.env() as env:
        tree = menus_of(env.registry)
        assert tree.owner["kt_web.menu_orders"] == "kt_web"
        assert [m.id for m in tree.children["kt_web.menu_root"]] == [
            "kt_web.menu_orders", "kt_web.menu_board", "kt_web.menu_tags"]
        apps = [m.id for m in tree.children[None]]
        assert apps.index("kt_web.menu_root") < apps.index("base.menu_contacts")
        ann = env["res.users"].search([("login", "=", "ann")])[0]
        mx = env["res.users"].search([("login", "=", "max")])[0]
        ann_menus = tree.for_user(env(uid=ann, su=False))
        max_menus = tree.for_user(env(uid=mx, su=False))
        # groups filter: only managers see tags; settings are for administrators only
        assert [m.id for m in ann_menus.children("kt_web.menu_root")] == [
            "kt_web.menu_orders", "kt_web.menu_board"]
        assert "kt_web.menu_tags" in [m.id for m in max_menus.children("kt_web.menu_root")]
        assert "base.menu_settings" not in [m.id for m in ann_menus.apps()]
        assert ann_menus.first_target(tree.items["kt_web.menu_root"]) == "/web/kt.order"
        assert ann_menus.find("/web/kt.order/12").id == "kt_web.menu_orders"
        assert ann_menus.find("/web/kt.order/kanban").id == "kt_web.menu_board"


def test_a_page_two_addons_file_in_one_application_shows_once(web_app):
    """kt_web files the tags under Orders for managers, kt_web_ext for everyone: a manager sees
    kt_web's item only, a user the other one."""
    runtime = web_app.extensions["kangyi"]
    runtime.manager.install(["kt_web_ext"])
    with runtime.env() as env:
        tree = menus_of(env.registry)
        users = {login: env["res.users"].search([("login", "=", login)])[0]
                 for login in ("ann", "max")}
        shown = {login: [m.id for m in tree.for_user(env(uid=uid, su=False))
                         .children("kt_web.menu_root")] for login, uid in users.items()}
    assert shown["max"] == ["kt_web.menu_orders", "kt_web.menu_board", "kt_web.menu_tags"]
    assert shown["ann"] == ["kt_web.menu_orders", "kt_web.menu_board",
                            "kt_web_ext.menu_tags_all"]


def test_shipped_applications_file_a_label_for_one_page():
    """Within an application of the shipped addons, items with the same label open the same
    page, so a user allowed both sees it once (purchase_account's vendor bills were a second
    "采购发票" in accounting's menu, opening the same list by another address)."""
    from collections import defaultdict

    from core.addons import discover_addons

    available = discover_addons([])
    tree = menus_of(build_registry(available, list(available)))
    pages: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item in tree.items.values():
        app = item
        while app.parent is not None:
            app = tree.items[app.parent]
        if item.target:
            pages[(app.id, str(item.name))].add(item.target)
    assert {key: targets for key, targets in pages.items() if len(targets) > 1} == {}


def test_menus_hide_models_without_read_access(web_app):
    make_user(web_app, "nobody", [])
    with web_app.extensions["kangyi"].env() as env:
        uid = env["res.users"].search([("login", "=", "nobody")])[0]
        menus = menus_of(env.registry).for_user(env(uid=uid, su=False))
        # no group at all: no access to partners or orders, so no application is left
        assert menus.apps() == []


def test_duplicate_menu_id_names_both_addons(runtime):
    with pytest.raises(AddonError, match="base.menu_contacts.*base.*kt_web_dup"):
        build_registry(runtime.available, ["base", "kt_web_dup"])


def test_installing_an_addon_with_a_duplicate_menu_is_refused_and_rolled_back(runtime):
    with pytest.raises(AddonError, match="base.menu_contacts.*kt_web_dup"):
        runtime.manager.install(["kt_web_dup"])
    assert "kt_web_dup" not in runtime.manager.states()
    with runtime.env() as env:
        assert "kt_web_dup" not in env.registry.order


def test_menus_and_views_are_cached_per_registry(runtime):
    first = build_registry(runtime.available, ["base", "kt_web"])
    second = build_registry(runtime.available, ["base", "kt_web", "kt_web_ext"])
    assert menus_of(first) is menus_of(first)
    assert views_of(first) is views_of(first)
    assert views_of(first) is not views_of(second)
    assert "kt_web_ext.menu_tags_all" in menus_of(second).items
    assert "kt_web_ext.menu_tags_all" not in menus_of(first).items


def test_hook_register_views(runtime):
    base_views = views_of(build_registry(runtime.available, ["base", "kt_web"]))
    extended = views_of(build_registry(runtime.available, ["base", "kt_web", "kt_web_ext"]))
    columns = [as_field(c).name for c in base_views.get("kt.order", "list").columns]
    assert columns == ["name", "partner_id", "date_order", "state", "amount", "margin"]
    spec = extended.get("kt.order", "list")
    # inserted after partner_id, date_order hidden, a filter added by the dependent addon
    assert [as_field(c).name for c in spec.columns] == [
        "name", "partner_id", "priority", "state", "amount", "margin"]
    assert [f.name for f in spec.filters] == ["draft", "urgent", "confirmed"]
    form = extended.get("kt.order", "form")
    assert "note" not in [as_field(f).name for f in form.fields]
    assert [b.method for b in form.buttons] == ["action_confirm", "action_reset"]
    assert extended.kinds("kt.order") == ["list", "form", "kanban", "calendar"]


def test_models_without_views_get_generated_ones(runtime):
    views = views_of(build_registry(runtime.available, ["base", "kt_web"]))
    tag_list = views.get("kt.tag", "list")
    assert isinstance(tag_list, ListView) and tag_list.columns == ("name",)
    assert [as_field(f).name for f in views.get("kt.tag", "form").fields] == ["name"]
    assert views.get("kt.tag", "kanban") is None


def test_view_naming_unknown_field_is_an_error(runtime):
    from core.plugins import hookimpl
    from core.views import Views

    registry = build_registry(runtime.available, ["base", "kt_web"])
    plugin = type("P", (), {"register_views": staticmethod(hookimpl(
        lambda: [ListView("kt.tag", ("name", "colour"))]))})
    registry.pm.register(plugin, name="kt_broken_views")
    registry.order.append("kt_broken_views")
    with pytest.raises(AddonError, match="unknown fields: colour"):
        Views(registry)


def test_a_registry_and_what_is_derived_from_it_are_freed_together(runtime):
    import gc
    import weakref

    from core.caching import RegistryCache
    from core.pages import pages_of

    cache: RegistryCache[object] = RegistryCache(4)
    registry = build_registry(runtime.available, ["base", "kt_web"])
    pages_of(registry)
    cache.get(registry, "order", lambda r=registry: r["kt.order"])  # a value referring back
    assert views_of(registry) is views_of(registry) and cache.size(registry) == 1
    gone = weakref.ref(registry)
    del registry
    gc.collect()
    assert gone() is None, "a module-level cache keeps every registry alive"
