"""Access rights, record rules and field groups, enforced by the model service for every door."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import AccessError
from core.export import export_table


@pytest.fixture
def orders(runtime):
    """kt_web installed; ``ann`` (order user), ``max`` (manager), ``bob`` (no group); orders."""
    runtime.manager.install(["kt_web"])
    with runtime.env() as env:
        def user(login, groups):
            return env["res.users"].create({"login": login, "name": login, "groups_id": [
                (6, 0, [env.ref_id(g) for g in groups])]})

        uids = {"ann": user("ann", ["kt_web.group_user"]),
                "max": user("max", ["kt_web.group_manager"]),
                "bob": user("bob", ["base.group_user"])}
        for i, owner in enumerate(["max", "ann", "ann"]):
            env["kt.order"].create({"name": f"SO{i}", "user_id": uids[owner],
                                    "state": "draft" if i else "sale",
                                    "amount": Decimal("10.00"), "margin": Decimal("2.50")})
    return runtime, uids


def as_user(env, uid):
    return env(uid=uid, su=False)


def test_model_access_is_denied_by_default_and_names_model_and_operation(orders):
    runtime, uids = orders
    with runtime.env() as env:
        bob = as_user(env, uids["bob"])
        for call in (lambda: bob["kt.order"].search([]),
                     lambda: bob["kt.order"].search_count([]),
                     lambda: bob["kt.order"].read_group([], ["amount"], "state"),
                     lambda: bob["kt.order"].fields_get()):
            with pytest.raises(AccessError, match="read records of kt.order"):
                call()
        with pytest.raises(AccessError, match="create records of kt.order"):
            bob["kt.order"].create({"name": "x"})
        assert not bob.access.allowed("kt.order", "read")


def test_access_is_additive_through_implied_groups(orders):
    runtime, uids = orders
    with runtime.env() as env:
        manager = as_user(env, uids["max"])
        assert {"kt_web.group_manager", "kt_web.group_user", "base.group_user"} <= set(
            manager.access.group_xmlids)
        assert manager.access.allowed("res.partner", "write")  # from base.group_user, implied
        assert not manager.access.allowed("res.users", "write")


def test_group_rules_or_together_and_apply_to_every_read(orders):
    runtime, uids = orders
    with runtime.env() as env:
        ann, manager = as_user(env, uids["ann"]), as_user(env, uids["max"])
        assert ann["kt.order"].search_count([]) == 2
        assert manager["kt.order"].search_count([]) == 3  # "All orders" OR "Own orders"
        groups = ann["kt.order"].read_group([], ["amount"], "state")
        assert [(g["state"], g["state_count"], g["amount"]) for g in groups] == [
            ("draft", 2, Decimal("20.00"))]
        header, rows = export_table(ann["kt.order"], ["name", "amount"])
        assert header == ["Reference", "Amount"] and [r[0] for r in rows] == ["SO1", "SO2"]
        theirs = env["kt.order"].search([("name", "=", "SO0")])
        with pytest.raises(AccessError, match="Own orders"):
            ann["kt.order"].read(theirs, ["name"])
        with pytest.raises(AccessError, match="Own orders"):
            export_table(ann["kt.order"], ["name"], ids=theirs)
        with pytest.raises(AccessError, match="modify these kt.order records"):
            ann["kt.order"].write(theirs, {"note": "x"})
        with pytest.raises(AccessError):
            ann["kt.order"].unlink(theirs)
        with pytest.raises(AccessError):  # creating a record the rules would hide
            ann["kt.order"].create({"name": "SO9", "user_id": uids["max"]})


def test_global_rules_and_together_with_group_rules(orders):
    runtime, uids = orders
    with runtime.env() as env:
        env["ir.rule"].create({"name": "No confirmed orders", "model": "kt.order",
                               "domain_force": "[('state', '!=', 'sale')]"})
        ann, manager = as_user(env, uids["ann"]), as_user(env, uids["max"])
        assert manager["kt.order"].search_count([]) == 2  # global AND (group OR group)
        assert ann["kt.order"].search_count([]) == 2
        env["ir.rule"].create({"name": "Only SO1", "model": "kt.order",
                               "domain_force": "[('name', '=', 'SO1')]"})
        fresh = as_user(env, uids["max"])
        assert fresh["kt.order"].search_read([], ["name"]) == [
            {"id": fresh["kt.order"].search([])[0], "name": "SO1"}]
        assert env["kt.order"].search_count([]) == 3  # the superuser bypasses rules


def test_field_groups_hide_and_protect_fields(orders):
    runtime, uids = orders
    with runtime.env() as env:
        ann, manager = as_user(env, uids["ann"]), as_user(env, uids["max"])
        assert "margin" not in ann["kt.order"].fields_get()
        assert "margin" in manager["kt.order"].fields_get()
        mine = ann["kt.order"].search([])
        assert "margin" not in ann["kt.order"].read(mine)[0]
        assert ann["kt.order"].read(mine, ["name", "margin"])[0].keys() == {"id", "name"}
        groups = ann["kt.order"].read_group([], ["amount", "margin"], "state")
        assert "margin" not in groups[0]
        header, _rows = export_table(ann["kt.order"], ["name", "margin"])
        assert header == ["Reference"]
        with pytest.raises(AccessError, match="change the field margin"):
            ann["kt.order"].write(mine, {"margin": "1"})
        with pytest.raises(AccessError, match="use the field margin"):
            ann["kt.order"].search([("margin", ">", 0)])
        manager["kt.order"].write(mine[:1], {"margin": "3"})
        assert manager["kt.order"].read(mine[:1], ["margin"])[0]["margin"] == Decimal("3.00")


def test_admin_group_has_every_right(orders):
    runtime, uids = orders
    from core.users import ensure_admin

    with runtime.env() as env:
        admin = as_user(env, ensure_admin(env, "admin1234"))
        assert admin.access.is_admin and admin["kt.order"].search_count([]) == 3
        assert "margin" not in admin["kt.order"].fields_get()  # field groups still apply


def test_group_names_are_the_translated_names_users_know(make_app):
    from flask_babel import force_locale

    from core.security import group_names

    app = make_app()
    with app.test_request_context("/"), force_locale("zh_CN"), \
            app.extensions["kangyi"].env() as env:
        assert group_names(env, ["base.group_user", "base.group_system"]) == "内部用户, 管理员"
        assert group_names(env, ["nowhere.group_gone"]) == "nowhere.group_gone"
