"""Data scopes (the ``data_scope`` hook): a post's scope replaces a model's group rules,
through every door of the model service; without an answer the rules behave as before."""

from __future__ import annotations

import pytest

from core.errors import AccessError
from core.export import export_table


@pytest.fixture
def notes(runtime):
    runtime.manager.install(["kt_scope"])
    with runtime.env() as env:
        group = env.ref_id("kt_scope.group_note")
        users = [env["res.users"].create({"login": f"u{i}", "name": f"U{i}",
                                          "groups_id": [(6, 0, [group])]}) for i in range(3)]
        for uid in users:
            for kind in ("plain", "secret"):
                env["kt.note"].create({"name": f"{uid}-{kind}", "user_id": uid, "kind": kind})
        env.session.commit()
    return runtime, users


def _names(runtime, uid):
    with runtime.env(uid=uid, su=False) as env:
        return sorted(r["name"] for r in env["kt.note"].search_read([], ["name"]))


def _set_scope(runtime, uid, users):
    with runtime.env() as env:
        env["kt.scope"].create({"user_id": uid, "model": "kt.note", "users": users})
        env.session.commit()


def test_hook_data_scope(notes):
    runtime, (a, b, c) = notes
    assert _names(runtime, a) == [f"{a}-plain"]  # no answer: the group rule (own)
    _set_scope(runtime, a, str(b))
    assert _names(runtime, a) == [f"{a}-plain", f"{b}-plain"]  # the user is always in
    _set_scope(runtime, b, "all")
    assert _names(runtime, b) == [f"{u}-plain" for u in sorted((a, b, c))]  # global rule stays
    assert _names(runtime, c) == [f"{c}-plain"]


def test_scope_applies_to_counts_groups_writes_and_exports(notes):
    runtime, (a, b, c) = notes
    _set_scope(runtime, a, f"{a},{b}")
    with runtime.env(uid=a, su=False) as env:
        notes_ = env["kt.note"]
        assert notes_.search_count([]) == 2
        groups = notes_.read_group([], ["user_id"], ["user_id"])
        assert sorted(g["user_id"][0] for g in groups) == sorted((a, b))
        theirs = notes_.search([("user_id", "=", b)])
        notes_.write(theirs, {"name": "edited"})  # the scope is the write rule too
        other = env.sudo()["kt.note"].search([("user_id", "=", c), ("kind", "=", "plain")])
        with pytest.raises(AccessError, match="data scope"):
            notes_.write(other, {"name": "nope"})
        with pytest.raises(AccessError):
            notes_.read(other, ["name"])
        header, body = export_table(notes_, ["name"])
        assert len(body) == 2
