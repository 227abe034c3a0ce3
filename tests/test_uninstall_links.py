"""Uninstalling an addon removes every link to what it removes, and ids are never handed out
again: a user left in a removed addon's group must not inherit the next addon's group."""

from __future__ import annotations

from xmlrpc import client as xmlrpc_client

import pytest
from sqlalchemy import func, select

from tests.web_helpers import make_user, rpc_login, xmlrpc


def test_a_member_of_a_removed_group_gains_nothing_from_the_next_install(make_app):
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["kt_alpha"])
    eve = make_user(app, "eve", ["base.group_user", "kt_alpha.group_thing"])
    with runtime.env() as env:
        removed = env.ref_id("kt_alpha.group_thing")
    runtime.manager.uninstall(["kt_alpha"])
    runtime.manager.install(["product"])

    with runtime.env() as env:
        members = env.registry.metadata.tables["res_groups_users_rel"]
        left = env.session.scalar(select(func.count()).select_from(members)
                                  .where(members.c.gid == removed))
        assert left == 0  # the link went with the group, on SQLite too
        assert env.ref_id("product.group_manager") > removed  # its id is not handed out again
        assert not env(uid=eve, su=False).access.has_group("product.group_manager")
    client = app.test_client()
    database, uid = rpc_login(client, "eve", "password123")
    with pytest.raises(xmlrpc_client.Fault) as refused:
        xmlrpc(client, "object", "execute_kw", database, uid, "password123",
               "product.category", "create", [{"name": "Escalated"}])
    assert "product.category" in refused.value.faultString or "access" in \
        refused.value.faultString.lower()


def test_ids_stay_used_through_a_table_rebuild(runtime):
    runtime.manager.install(["kt_beta"])  # adds a column to res.partner
    with runtime.env() as env:
        last = env["res.partner"].create({"name": "Deleted before the rebuild"})
        env["res.partner"].unlink([last])
    runtime.manager.uninstall(["kt_beta"])  # SQLite rebuilds res_partner without the column
    with runtime.env() as env:
        assert env["res.partner"].create({"name": "After"}) > last
