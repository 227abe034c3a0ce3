"""The model service checks record rules after create and write without re-reading rows it
just wrote (found by the order-to-cash benchmark), and still refuses what the rules forbid."""

from __future__ import annotations

import re
from typing import Any

import pytest

from core.errors import AccessError
from core.runtime import Runtime
from core.testing import statements

_EXISTS = re.compile(r"SELECT res_partner\.id\s+FROM res_partner\s+WHERE res_partner\.id IN",
                     re.IGNORECASE)


def _user(runtime: Runtime) -> int:
    with runtime.env() as env:
        uid = env["res.users"].create({"login": "clerk", "name": "Clerk",
                                       "groups_id": [(6, 0, [env.ref_id("base.group_user")])]})
    assert isinstance(uid, int)
    return uid


def test_create_and_write_do_not_reread_their_rows(runtime: Runtime) -> None:
    uid = _user(runtime)
    with runtime.env(uid=uid, su=False) as env:
        partners = env["res.partner"]
        partners.search([], limit=1)  # access rights loaded before counting
        with statements(runtime.engine) as seen:
            pid = partners.create({"name": "Acme", "city": "上海"})
        assert not [s for s in seen if _EXISTS.search(s)], seen
        with statements(runtime.engine) as seen:
            partners.write([pid], {"city": "北京"})
        assert len([s for s in seen if _EXISTS.search(s)]) <= 1, seen  # none: in the session
        assert partners.read([pid], ["city"])[0]["city"] == "北京"


_ROW = re.compile(r"SELECT res_partner\.id, res_partner\.\w+, .*FROM res_partner", re.S)


def test_the_next_call_of_a_transaction_finds_the_rows_an_earlier_call_loaded(
        runtime: Runtime) -> None:
    """Rows loaded or inserted by one service call stay in the session till the transaction
    ends (a notice created, then approved): the next call does not read them again; the next
    transaction does."""
    import gc

    uid = _user(runtime)
    with runtime.env(uid=uid, su=False) as env:
        partners = env["res.partner"]
        pid = partners.create({"name": "Acme", "city": "上海"})
        gc.collect()
        with statements(runtime.engine) as seen:
            partners.write([pid], {"city": "北京"})
            partners.write([pid], {"city": "杭州"})
        assert not [s for s in seen if _ROW.search(s)], seen
    with runtime.env(uid=uid, su=False) as env:
        gc.collect()
        with statements(runtime.engine) as seen:
            env["res.partner"].write([pid], {"city": "上海"})
        assert [s for s in seen if _ROW.search(s)], seen


def test_rules_still_refuse_after_create_and_write(runtime: Runtime) -> None:
    uid = _user(runtime)
    with runtime.env() as env:
        env["ir.rule"].create({"name": "Not in Nowhere", "model": "res.partner",
                               "domain_force": "[('city', '!=', 'Nowhere')]",
                               "perm_read": False, "perm_unlink": False})
    with runtime.env(uid=uid, su=False) as env:
        partners = env["res.partner"]
        pid = partners.create({"name": "Acme", "city": "上海"})
        with pytest.raises(AccessError):
            partners.create({"name": "Ghost", "city": "Nowhere"})
        with pytest.raises(AccessError):
            partners.write([pid], {"city": "Nowhere"})
        assert partners.read([pid], ["city"])[0]["city"] == "上海"  # nothing half-saved
        assert not partners.search([("name", "=", "Ghost")])


def test_fields_get_descriptions_follow_the_language_and_stay_private(make_app: Any) -> None:
    """Descriptions are built once per field and language; callers get their own copies."""
    from core.values import _describe

    app = make_app()
    runtime = app.extensions["kangyi"]
    labels = {}
    for header in ("en", "zh-CN", "en"):
        with app.test_request_context(headers={"Accept-Language": header}), \
                runtime.env() as env:
            first = env["res.users"].fields_get()
            again = env["res.users"].fields_get()
            assert first == again
            info = env["res.users"].fields["lang"]
            assert first["lang"] == _describe(info)  # the cached copy is the real description
            first["lang"]["selection"].append(["xx", "changed"])
            first["login"]["string"] = "changed"
            assert env["res.users"].fields_get()["login"]["string"] != "changed"
            assert ["xx", "changed"] not in env["res.users"].fields_get()["lang"]["selection"]
            labels.setdefault(header, first["groups_id"]["string"])
    assert labels["en"] == "Groups" and labels["zh-CN"] != "Groups"


def test_records_created_together_go_in_one_insert_and_get_their_own_ids(
        runtime: Runtime) -> None:
    """One multi-row INSERT … RETURNING for a batch, on SQLite too (one INSERT per row before),
    and each record gets the id of its own row (a gap left by a deleted record included)."""
    with runtime.env() as env:
        partners = env["res.partner"]
        first = partners.create([{"name": f"Old {i}"} for i in range(3)])
        partners.unlink([first[1]])
        rows = [{"name": f"New {i}", "city": f"City {i}", "ref": f"R{i}"} for i in range(5)]
        with statements(runtime.engine) as seen:
            ids = partners.create(rows)
        inserts = [s for s in seen if s.startswith("INSERT INTO res_partner ")]
        assert len(inserts) == 1, inserts
        assert ids == sorted(ids) and len(set(ids)) == 5
        read = {r["id"]: r for r in partners.read(ids, ["name", "city", "ref"])}
        assert [(read[i]["name"], read[i]["city"], read[i]["ref"]) for i in ids] == [
            (r["name"], r["city"], r["ref"]) for r in rows]
