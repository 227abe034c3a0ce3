"""Audit trail, chatter timeline and activities, with access following the record."""

from __future__ import annotations

import datetime as dt

import pytest

from core import activity, audit
from core import workflow_engine as engine
from core.errors import AccessError, ValidationError
from tests.workflow_fixtures import approval_setup, as_user, new_order


@pytest.fixture
def approval_env(runtime):
    yield from approval_setup(runtime)


def trackings(env, oid):
    return [(t["kind"], t["field"], t["old_value"], t["new_value"])
            for t in env["mail.tracking"].search_read(
                [("res_model", "=", "kt.order"), ("res_id", "=", oid)],
                ["kind", "field", "old_value", "new_value"], order="id")]


def test_tracked_changes_with_old_and_new_values(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk, "10")
    clerk = as_user(env, people.clerk)
    clerk["kt.order"].write([oid], {"amount_total": "12.5", "reviewer_id": people.manager,
                                    "note": "hello"})
    clerk["kt.order"].write([oid], {"note": "hello"})  # unchanged: nothing recorded
    engine.take_transition(clerk, "kt.order", oid, "cancel")
    assert trackings(env, oid) == [
        ("create", None, None, None),
        ("write", "amount_total", "10.00", "12.50"),
        ("write", "reviewer_id", None, "Manager"),
        ("write", "note", None, "hello"),
        ("write", "state", "Draft", "Cancelled"),
    ]
    rows = env["mail.tracking"].search_read([("res_id", "=", oid)], ["user_id", "date"])
    assert {r["user_id"][0] for r in rows} == {people.clerk} and all(r["date"] for r in rows)
    name = env["kt.order"].read([oid], ["name"])[0]["name"]
    clerk["kt.order"].unlink([oid])
    assert trackings(env, oid)[-1] == ("unlink", None, name, None)


def test_untracked_models_leave_no_trace(approval_env):
    env, _people = approval_env
    pid = env["res.partner"].create({"name": "Acme"})
    env["res.partner"].write([pid], {"name": "Acme Ltd"})
    assert env["mail.tracking"].search_count([("res_model", "=", "res.partner")]) == 0


def test_history_is_append_only(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk)
    audit.post_message(as_user(env, people.clerk), "kt.order", oid, "hi")
    tid = env["mail.tracking"].search([("res_id", "=", oid)])[0]
    mid = env["mail.message"].search([("res_id", "=", oid)])[0]
    for model, rid in (("mail.tracking", tid), ("mail.message", mid)):
        with pytest.raises(AccessError, match="kept by the system"):
            env[model].write([rid], {"res_id": 999})
        with pytest.raises(AccessError, match="kept by the system"):
            env[model].unlink([rid])
    with pytest.raises(AccessError, match="kept by the system"):
        env["mail.message"].create({"res_model": "kt.order", "res_id": oid, "body": "forged"})


def test_timeline_merges_messages_changes_and_workflow_steps(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk, "70")
    clerk = as_user(env, people.clerk)
    audit.post_message(clerk, "kt.order", oid, "Customer called")
    clerk["kt.order"].call("message_post", [oid], body="check stock", internal=True)
    engine.take_transition(clerk, "kt.order", oid, "submit", comment="please")
    engine.reject(as_user(env, people.manager), "kt.order", oid, "too cheap")
    entries = audit.timeline(as_user(env, people.manager), "kt.order", oid)
    kinds = [e["kind"] for e in entries]
    assert kinds[:2] == ["workflow", "tracking"]  # the rejection and its state change
    assert entries[0]["decision"] == "reject" and entries[0]["comment"] == "too cheap"
    assert entries[0]["author"] == "Manager" and entries[0]["to_state"] == "Draft"
    assert {"comment", "note", "tracking", "workflow"} == set(kinds)
    note = next(e for e in entries if e["kind"] == "note")
    assert note["body"] == "check stock" and note["author"] == "Clerk"
    state_change = next(e for e in entries if e["kind"] == "tracking" and e["changes"])
    assert state_change["changes"][0]["field"] == "Status"


def test_chatter_follows_record_access(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk)
    outsider = as_user(env, people.outsider)
    with pytest.raises(AccessError):
        audit.timeline(outsider, "kt.order", oid)
    with pytest.raises(AccessError):
        audit.post_message(outsider, "kt.order", oid, "let me in")
    with pytest.raises(AccessError):
        outsider["mail.message"].search([])
    with pytest.raises(ValidationError, match="cannot be empty"):
        audit.post_message(as_user(env, people.clerk), "kt.order", oid, "   ")


def test_activities_mine_overdue_and_done(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk)
    clerk, manager = as_user(env, people.clerk), as_user(env, people.manager)
    today = dt.date.today()
    late = activity.schedule(clerk, "kt.order", oid, "Call the customer",
                             today - dt.timedelta(days=2), activity_type="call")
    activity.schedule(clerk, "kt.order", oid, "Send the contract", today + dt.timedelta(days=3),
                      user_id=people.manager, note="with stamp")
    mine, total = activity.my_activities(clerk)
    assert total == 1 and mine[0]["summary"] == "Call the customer"
    assert mine[0]["status"] == "overdue" and mine[0]["res_name"].startswith("KT")
    assert activity.my_activities(clerk, overdue=True)[1] == 1
    assert activity.my_activities(manager)[0][0]["summary"] == "Send the contract"
    assert activity.my_activities(manager, overdue=True)[1] == 0
    assert len(activity.activities_of(manager, "kt.order", oid)) == 2
    # another clerk neither sees nor closes someone else's activity
    other = as_user(env, people.clerk2)
    assert other["mail.activity"].search_count([]) == 0
    with pytest.raises(AccessError):
        activity.mark_done(other, late)
    activity.mark_done(clerk, late, "no answer")
    assert activity.my_activities(clerk)[1] == 0
    notes = [e for e in audit.timeline(clerk, "kt.order", oid) if e["kind"] == "note"]
    assert notes[0]["body"] == "Activity done: Call the customer\nno answer"


def test_activities_only_on_readable_records(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk)
    with pytest.raises(AccessError):
        activity.schedule(as_user(env, people.outsider), "kt.order", oid, "Spy",
                          dt.date.today())
    with pytest.raises(AccessError):
        activity.activities_of(as_user(env, people.outsider), "kt.order", oid)
    activity.schedule(as_user(env, people.clerk), "kt.order", oid, "Follow up",
                      dt.date.today())
    as_user(env, people.clerk)["kt.order"].unlink([oid])  # activities go with the record
    assert env["mail.activity"].search_count([("res_id", "=", oid)]) == 0
