"""Groups, access rights and rules shared across requests under the security change counter:
read once, and seen to change when any process (another runtime here) writes them."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from core.errors import AccessError
from core.security import SECURITY_CHANGES

from .test_security_access import as_user, orders  # noqa: F401 - the fixture

SECURITY_TABLES = ("res_groups", "ir_model_access", "ir_rule", "ir_model_data")


def _statements(runtime, work):
    """The SQL ``work(env)`` runs in a fresh environment (after the registry check)."""
    seen: list[str] = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    with runtime.env() as env:
        event.listen(runtime.engine, "before_cursor_execute", listener)
        try:
            work(env)
        finally:
            event.remove(runtime.engine, "before_cursor_execute", listener)
    return seen


def _counter(runtime):
    with runtime.engine.connect() as conn:
        return SECURITY_CHANGES.value(conn)


def test_the_watched_tables_are_those_of_the_security_models(runtime):
    with runtime.env() as env:
        registry = env.registry
    fields = {("res.groups", "users"), ("res.groups", "implied_ids"), ("ir.rule", "groups")}
    expected = {registry[m].__table__.name for m in ("res.groups", "ir.model.access", "ir.rule")}
    expected |= {registry[m].__fields__[f].relation for m, f in fields}
    assert expected | {"ir_model_data"} == SECURITY_CHANGES.tables
    assert SECURITY_CHANGES.deletes == {registry["res.users"].__table__.name}


def test_groups_rights_and_rules_are_read_once_across_requests(orders):  # noqa: F811
    runtime, uids = orders

    def count(env):
        assert as_user(env, uids["ann"])["kt.order"].search_count([]) == 2

    first = _statements(runtime, count)
    assert any("ir_rule" in s for s in first)
    again = _statements(runtime, count)
    assert not [s for s in again if any(t in s for t in SECURITY_TABLES + ("res_groups_",))]
    assert len(again) == 1  # the count alone (the rules in its WHERE)


def test_another_process_changing_groups_rights_or_rules_is_seen(orders, make_runtime):  # noqa: F811
    runtime, uids = orders
    other = make_runtime()  # a second worker: its own engine, registry and caches
    with runtime.env() as env:
        assert as_user(env, uids["ann"])["kt.order"].search_count([]) == 2
    with other.env() as env:
        env["ir.rule"].write(env["ir.rule"].search([("name", "=", "Own orders")]),
                             {"active": False})
    with runtime.env() as env:
        assert as_user(env, uids["ann"])["kt.order"].search_count([]) == 3
    with other.env() as env:
        env["res.users"].write([uids["ann"]], {"groups_id": [(6, 0, [
            env.ref_id("base.group_user")])]})
    with runtime.env() as env, pytest.raises(AccessError):
        as_user(env, uids["ann"])["kt.order"].search_count([])
    with other.env() as env:
        env["ir.model.access"].create({"name": "all read", "model": "kt.order",
                                       "group_id": env.ref_id("base.group_user"),
                                       "perm_read": True})
    with runtime.env() as env:
        assert as_user(env, uids["ann"])["kt.order"].search_count([]) == 3


def test_a_rolled_back_change_is_neither_shared_nor_kept(orders):  # noqa: F811
    runtime, uids = orders
    before = _counter(runtime)
    with pytest.raises(RuntimeError), runtime.env() as env:
        env["res.users"].write([uids["ann"]], {"groups_id": [(5, 0, 0)]})
        ann = as_user(env, uids["ann"])
        assert not ann.access.allowed("kt.order", "read")  # its own change, not shared
        raise RuntimeError("roll back")
    assert _counter(runtime) == before
    with runtime.env() as env:
        assert as_user(env, uids["ann"]).access.allowed("kt.order", "read")


def test_security_writes_bump_the_counter_and_other_writes_do_not(orders):  # noqa: F811
    runtime, uids = orders
    before = _counter(runtime)
    with runtime.env() as env:
        savepoint = env.session.begin_nested()
        env["res.users"].write([uids["bob"]], {"groups_id": [(5, 0, 0)]})
        savepoint.rollback()  # its bump goes with it
    assert _counter(runtime) == before
    with runtime.env() as env:
        env.session.execute(text("UPDATE ir_rule SET name = name"))  # raw SQL too
    assert _counter(runtime) == before + 1
    with runtime.env() as env:
        env["res.partner"].create({"name": "not security"})
        env["res.users"].write([uids["bob"]], {"name": "Bob"})
    assert _counter(runtime) == before + 1
    with runtime.env() as env:
        env["res.users"].unlink([uids["bob"]])  # the id may be reused: cached groups must go
    assert _counter(runtime) > before + 1


def test_a_worker_sees_a_group_change_of_another_at_its_next_request(make_app, make_runtime):
    from tests.web_helpers import client_for, make_user

    app = make_app()
    app.extensions["kangyi"].manager.install(["kt_web"])
    uid = make_user(app, "ann", ["kt_web.group_user"])
    client = client_for(app, "ann")
    assert client.get("/web/kt.order").status_code == 200
    app.extensions["kangyi"].check_seconds = 60  # REGISTRY_CHECK_SECONDS: the counter read alone
    assert client.get("/web/kt.order").status_code == 200  # from the cache
    with make_runtime().env() as env:  # another worker
        env["res.users"].write([uid], {"groups_id": [(6, 0, [env.ref_id("base.group_user")])]})
    assert client.get("/web/kt.order").status_code == 403
