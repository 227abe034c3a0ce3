"""The workflow engine on a real database: serial and N-of-M approvals, thresholds as data,
reject with a reason, withdraw, self-approval, guarded state field, conditions, the inbox."""

from __future__ import annotations

import pytest

from core import workflow_engine as engine
from core.errors import AccessError, UserError, ValidationError
from core.testing import statements
from core.workflow import Step, Transition, Workflow
from tests.conftest import PG_URL
from tests.workflow_fixtures import approval_setup, as_user, make_people, new_order, state_of


@pytest.fixture
def approval_env(runtime):
    yield from approval_setup(runtime)


def history(env, oid):
    return [(r["decision"], r["step"], r["from_state"], r["to_state"])
            for r in env.sudo()["workflow.history"].search_read(
                [("res_model", "=", "kt.order"), ("res_id", "=", oid)],
                ["decision", "step", "from_state", "to_state"], order="id")]


def test_serial_steps_then_two_of_three_directors(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk, "60000")
    orders = as_user(env, people.clerk)["kt.order"]
    assert orders.call("action_submit", [oid]) == "to_approve"
    assert state_of(env, oid) == "to_approve"
    assert engine.inbox_count(as_user(env, people.manager)) == 1
    assert [engine.inbox_count(as_user(env, d)) for d in people.directors] == [0, 0, 0]

    # the API door: approving needs read access only (directors cannot write orders)
    assert as_user(env, people.manager)["kt.order"].call("workflow_approve", [oid]) == (
        "to_approve")
    assert engine.inbox_count(as_user(env, people.manager)) == 0
    assert [engine.inbox_count(as_user(env, d)) for d in people.directors] == [1, 1, 1]
    first, second, third = people.directors
    as_user(env, first)["kt.order"].call("workflow_approve", [oid], comment="fine")
    assert state_of(env, oid) == "to_approve"  # one of the two approvals
    assert engine.inbox_count(as_user(env, first)) == 0
    with pytest.raises(AccessError, match="not among the approvers"):
        engine.approve(as_user(env, first), "kt.order", oid)  # no second vote
    assert engine.approve(as_user(env, second), "kt.order", oid) == "approved"
    assert engine.inbox_count(as_user(env, third)) == 0
    assert history(env, oid) == [
        ("submit", "manager", "draft", "to_approve"),
        ("approve", "manager", "to_approve", "to_approve"),
        ("approve", "directors", "to_approve", "to_approve"),
        ("approve", "directors", "to_approve", "to_approve"),
        ("transition", None, "to_approve", "approved"),
    ]
    rows = env.sudo()["workflow.history"].search_read([("res_id", "=", oid)],
                                                     ["user_id", "comment", "date"], order="id")
    assert rows[2]["user_id"][0] == first and rows[2]["comment"] == "fine" and rows[2]["date"]


def test_threshold_is_data_an_admin_edits(approval_env):
    env, people = approval_env
    small = new_order(env, people.clerk, "1000")
    engine.take_transition(as_user(env, people.clerk), "kt.order", small, "submit")
    assert engine.approve(as_user(env, people.manager), "kt.order", small) == "approved"

    step = env.ref("kt_approval.workflow_step_kt_order_submit_directors")
    assert step.threshold == 50000 and step.required == 2
    env["workflow.step"].write([step.id], {"threshold": 500, "required": 1})
    other = new_order(env, people.clerk, "1000")
    engine.take_transition(as_user(env, people.clerk), "kt.order", other, "submit")
    engine.approve(as_user(env, people.manager), "kt.order", other)
    assert state_of(env, other) == "to_approve"  # now the directors must approve too
    assert engine.approve(as_user(env, people.directors[2]), "kt.order", other) == "approved"


def test_steps_are_seeded_as_noupdate_data(approval_env):
    env, _people = approval_env
    steps = env["workflow.step"].search_read([("res_model", "=", "kt.order")],
                                             ["transition", "name", "group_id", "resolver"])
    assert {(s["transition"], s["name"]) for s in steps} == {
        ("submit", "manager"), ("submit", "directors"), ("quick", "manager"),
        ("review", "reviewer")}
    director = next(s for s in steps if s["name"] == "directors")
    assert director["group_id"][0] == env.ref_id("kt_approval.group_director")


def test_reject_needs_a_reason_and_returns_to_declared_state(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk)
    engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "submit")
    with pytest.raises(ValidationError, match="needs a reason"):
        engine.reject(as_user(env, people.manager), "kt.order", oid, "  ")
    assert state_of(env, oid) == "to_approve"
    assert engine.reject(as_user(env, people.manager), "kt.order", oid, "price too low") == (
        "draft")
    last = env.sudo()["workflow.history"].search_read([("res_id", "=", oid)],
                                                      ["decision", "comment"], order="id desc",
                                                      limit=1)[0]
    assert (last["decision"], last["comment"]) == ("reject", "price too low")
    assert engine.inbox_count(as_user(env, people.manager)) == 0
    # submitted again after the fix
    assert engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "submit") == (
        "to_approve")


def test_withdraw_only_by_requester_before_first_approval(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk, "90000")
    engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "submit")
    with pytest.raises(AccessError, match="Only the requester"):
        engine.withdraw(as_user(env, people.clerk2), "kt.order", oid)
    assert engine.withdraw(as_user(env, people.clerk), "kt.order", oid) == "draft"
    assert engine.inbox_count(as_user(env, people.manager)) == 0

    engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "submit")
    engine.approve(as_user(env, people.manager), "kt.order", oid)
    with pytest.raises(UserError, match="already approved in part"):
        engine.withdraw(as_user(env, people.clerk), "kt.order", oid)


def test_self_approval_refused_unless_allowed(approval_env):
    env, people = approval_env
    oid = new_order(env, people.boss)
    engine.take_transition(as_user(env, people.boss), "kt.order", oid, "submit")
    with pytest.raises(AccessError, match="your own request"):
        engine.approve(as_user(env, people.boss), "kt.order", oid)
    assert engine.inbox_count(as_user(env, people.boss)) == 0
    assert engine.inbox_count(as_user(env, people.manager)) == 1

    quick = new_order(env, people.boss)
    engine.take_transition(as_user(env, people.boss), "kt.order", quick, "quick")
    assert engine.inbox_count(as_user(env, people.boss)) == 1
    assert engine.approve(as_user(env, people.boss), "kt.order", quick) == "approved"


def test_step_without_possible_approver_is_refused_up_front(approval_env):
    env, people = approval_env
    oid = new_order(env, people.boss)
    env["res.users"].write([people.manager], {"active": False})
    with pytest.raises(UserError, match="Nobody can approve"):
        engine.take_transition(as_user(env, people.boss), "kt.order", oid, "submit")
    assert state_of(env, oid) == "draft"


def test_state_field_is_not_writable_through_any_door(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk)
    for door in (as_user(env, people.clerk), env):  # a user, and the superuser
        with pytest.raises(ValidationError, match="changes only through its workflow"):
            door["kt.order"].write([oid], {"state": "approved"})
        with pytest.raises(ValidationError, match="changes only through its workflow"):
            door["kt.order"].create({"amount_total": 5, "state": "done"})
        with pytest.raises(ValidationError, match="start in the state draft"):
            door.with_context(default_state="done")["kt.order"].create({"amount_total": 5})
    assert state_of(env, oid) == "draft"
    assert env["kt.order"].create({"amount_total": 5, "state": "draft"})  # the initial state
    assert env["kt.order"].fields_get(["state"])["state"]["readonly"] is True  # forms show it so


def test_history_and_requests_are_engine_only(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk)
    engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "submit")
    hid = env["workflow.history"].search([("res_id", "=", oid)])[0]
    rid = env["workflow.request"].search([("res_id", "=", oid)])[0]
    with pytest.raises(AccessError, match="kept by the system"):
        env["workflow.history"].write([hid], {"comment": "forged"})
    with pytest.raises(AccessError, match="kept by the system"):
        env["workflow.history"].unlink([hid])
    with pytest.raises(AccessError, match="kept by the system"):
        env["workflow.history"].create({"res_model": "kt.order", "res_id": oid,
                                         "transition": "submit", "decision": "approve"})
    with pytest.raises(AccessError, match="kept by the system"):
        env["workflow.request"].write([rid], {"state": "approved"})
    with pytest.raises(AccessError):  # a plain user cannot even read them directly
        as_user(env, people.clerk)["workflow.history"].search([])


def test_groups_and_conditions_of_transitions(approval_env):
    env, people = approval_env
    zero = new_order(env, people.clerk, "0")
    engine.take_transition(as_user(env, people.clerk), "kt.order", zero, "quick")
    engine.approve(as_user(env, people.manager), "kt.order", zero)
    with pytest.raises(AccessError, match="Only Clerks may"):
        engine.take_transition(as_user(env, people.manager), "kt.order", zero, "done")
    with pytest.raises(UserError, match="does not meet the condition"):
        engine.take_transition(as_user(env, people.clerk), "kt.order", zero, "done")
    with pytest.raises(UserError, match="not possible while"):
        engine.take_transition(as_user(env, people.clerk), "kt.order", zero, "submit")
    with pytest.raises(UserError, match="has no transition"):
        engine.take_transition(as_user(env, people.clerk), "kt.order", zero, "fly")
    paid = new_order(env, people.clerk, "10")
    engine.take_transition(as_user(env, people.clerk), "kt.order", paid, "quick")
    engine.approve(as_user(env, people.manager), "kt.order", paid)
    assert as_user(env, people.clerk)["kt.order"].call("action_done", [paid]) == "done"
    # an outsider cannot even read the order
    with pytest.raises(AccessError):
        engine.take_transition(as_user(env, people.outsider), "kt.order", paid, "cancel")


def test_pending_request_blocks_other_transitions(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk)
    engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "quick")
    assert state_of(env, oid) == "draft"  # no pending_state: waits where it was
    with pytest.raises(UserError, match="waiting for approval"):
        engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "cancel")


def test_requests_are_read_once_per_decision_and_not_for_records_new_in_the_transaction(
        approval_env, runtime):
    env, people = approval_env
    oid = new_order(env, people.clerk, "60000")
    reads = lambda seen: [s for s in seen if s.startswith("SELECT") and (  # noqa: E731
        "workflow_request" in s or "workflow_history" in s)]
    with statements(runtime.engine) as seen:  # inserted by this transaction: nothing to read
        assert engine.take_transition(as_user(env, people.clerk), "kt.order", oid,
                                      "submit") == "to_approve"
    assert reads(seen) == [], seen
    with pytest.raises(UserError, match="waiting for approval"):  # found in the session
        engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "cancel")
    env.session.commit()  # another transaction: the request is read (and still blocks)
    with pytest.raises(UserError, match="waiting for approval"):
        engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "cancel")
    for approver in (people.manager, people.directors[0], people.directors[1]):
        with statements(runtime.engine) as seen:  # request, approvers, approvals: one query
            state = engine.approve(as_user(env, approver), "kt.order", oid)
        assert len(reads(seen)) == 1, reads(seen)
    assert state == "approved"


def test_buttons_show_only_what_the_user_may_do(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk)
    names = [b.name for b in engine.buttons(as_user(env, people.clerk), "kt.order", oid)]
    assert names == ["submit", "quick", "review", "cancel"]
    assert [b.name for b in engine.buttons(as_user(env, people.directors[0]), "kt.order",
                                           oid)] == []  # read-only users
    engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "submit")
    assert [b.kind for b in engine.buttons(as_user(env, people.clerk), "kt.order", oid)] == [
        "withdraw"]
    manager_buttons = engine.buttons(as_user(env, people.manager), "kt.order", oid)
    assert [(b.kind, b.needs_reason) for b in manager_buttons] == [
        ("approve", False), ("reject", True)]
    # bulk actions of a list: by groups and write access only
    assert [n for n, _l in engine.bulk_transitions(as_user(env, people.clerk), "kt.order")] == [
        "submit", "quick", "review", "done", "cancel"]
    assert [n for n, _l in engine.bulk_transitions(as_user(env, people.manager),
                                                   "kt.order")] == [
        "submit", "quick", "review", "cancel"]
    assert engine.bulk_transitions(as_user(env, people.directors[0]), "kt.order") == []


def test_inbox_lists_waiting_documents(approval_env):
    env, people = approval_env
    ids = [new_order(env, people.clerk, str(100 + i)) for i in range(3)]
    for oid in ids:
        engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "submit")
    rows = engine.inbox(as_user(env, people.manager), limit=2)
    assert [r["res_id"] for r in rows] == [ids[2], ids[1]]
    assert rows[0]["transition_label"] == "Submit" and rows[0]["model_label"] == "Order"
    assert rows[0]["requester_id"][0] == people.clerk
    assert rows[0]["res_name"].startswith("KT")
    assert engine.inbox_count(as_user(env, people.manager)) == 3


def test_deleting_a_record_cancels_its_request(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk)
    engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "submit")
    as_user(env, people.clerk)["kt.order"].unlink([oid])
    assert engine.inbox_count(as_user(env, people.manager)) == 0


def test_hook_resolve_approvers(approval_env):
    env, people = approval_env
    oid = new_order(env, people.clerk, reviewer_id=people.directors[1])
    engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "review")
    assert engine.inbox_count(as_user(env, people.directors[1])) == 1
    assert engine.inbox_count(as_user(env, people.directors[0])) == 0
    assert engine.approve(as_user(env, people.directors[1]), "kt.order", oid) == "reviewed"
    nobody = new_order(env, people.clerk)  # no reviewer: the hook resolves nobody
    with pytest.raises(UserError, match="Nobody can approve"):
        engine.take_transition(as_user(env, people.clerk), "kt.order", nobody, "review")


def test_declarations_are_checked():
    with pytest.raises(Exception, match="needs a group or a resolver"):
        Step("x")
    with pytest.raises(Exception, match="twice"):
        Workflow(transitions=(Transition("a", "x", "y"), Transition("a", "y", "x")))

    class Fake:
        _name = "kt.fake"
        __fields__: dict = {}

    with pytest.raises(Exception, match="needs a selection field"):
        Workflow(transitions=(Transition("a", "x", "y"),)).validate(Fake)


def test_steps_deleted_by_an_admin_stay_deleted_new_ones_are_seeded(approval_env):
    from sqlalchemy import delete

    from core.db import model_data_table

    env, people = approval_env
    name = "workflow_step_kt_order_submit_directors"
    env["workflow.step"].unlink([env.ref_id(f"kt_approval.{name}")])
    big = new_order(env, people.clerk, "90000")
    engine.take_transition(as_user(env, people.clerk), "kt.order", big, "submit")
    assert engine.approve(as_user(env, people.manager), "kt.order", big) == "approved"

    # as if the directors' step came with an upgrade: no record and no external id yet
    env.session.execute(delete(model_data_table).where(model_data_table.c.name == name))
    other = new_order(env, people.clerk, "90000")
    engine.take_transition(as_user(env, people.clerk), "kt.order", other, "submit")
    assert engine.approve(as_user(env, people.manager), "kt.order", other) == "to_approve"
    assert env.ref(f"kt_approval.{name}").required == 2


@pytest.mark.skipif(not PG_URL, reason="two overlapping write transactions need PostgreSQL; "
                    "SQLite runs one writer at a time")
def test_two_directors_approving_at_once_both_count(runtime):
    import threading

    runtime.manager.install(["kt_approval"])
    with runtime.env() as env:
        people = make_people(env)
        oid = new_order(env, people.clerk, "80000")
        engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "submit")
        engine.approve(as_user(env, people.manager), "kt.order", oid)
    first_voted, outcome = threading.Event(), []

    def second_director() -> None:
        first_voted.wait()
        with runtime.env(uid=people.directors[1], su=False) as env:
            outcome.append(engine.approve(env, "kt.order", oid))

    thread = threading.Thread(target=second_director)
    thread.start()
    with runtime.env(uid=people.directors[0], su=False) as env:
        assert engine.approve(env, "kt.order", oid) == "to_approve"
        first_voted.set()
        thread.join(0.5)
        assert thread.is_alive()  # waits for the first vote's transaction
    thread.join(10)
    assert outcome == ["approved"]
    with runtime.env() as env:
        assert state_of(env, oid) == "approved"


def test_uninstalling_an_addon_empties_its_inbox_and_activities(approval_env, runtime):
    import datetime as dt

    from core import activity

    env, people = approval_env
    oid = new_order(env, people.clerk)
    engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "submit")
    activity.schedule(as_user(env, people.clerk), "kt.order", oid, "Call", dt.date.today())
    env.session.commit()
    runtime.manager.uninstall(["kt_approval"])
    with runtime.env() as fresh:
        assert engine.inbox_count(as_user(fresh, people.manager)) == 0
        assert fresh["mail.activity"].search_count([]) == 0
        assert fresh["workflow.history"].search_count([("res_model", "=", "kt.order")]) == 1


def test_transition_callbacks_run_and_can_refuse(approval_env):
    env, people = approval_env
    clerk = as_user(env, people.clerk)

    def trail(oid):
        return env.sudo()["kt.order"].read([oid], ["trail"])[0]["trail"]

    oid = new_order(env, people.clerk, "100")
    assert engine.take_transition(clerk, "kt.order", oid, "cancel", comment="dup",
                                  why="test") == "cancel"
    assert trail(oid) == "before-cancel:draft:dup;after-cancel:cancel:test;"
    # through the API door (ModelService.call → action_cancel): the same callbacks
    other = new_order(env, people.clerk, "100")
    clerk["kt.order"].call("action_cancel", [other])
    assert trail(other) == "before-cancel:draft:;after-cancel:cancel:;"
    # a refusal before the move, and one after it: nothing of the transition is kept
    for note, message in (("keep", "kept"), ("undo", "Undone")):
        oid = new_order(env, people.clerk, "100", note=note)
        with pytest.raises(UserError, match=message):
            with env.session.begin_nested():
                engine.take_transition(clerk, "kt.order", oid, "cancel")
        assert state_of(env, oid) == "draft" and trail(oid) is None
        assert env.sudo()["workflow.history"].search_count([("res_id", "=", oid)]) == 0
    # with approvals, _after_ runs when the last approval moves the record, as the approver
    oid = new_order(env, people.clerk, "100")
    engine.take_transition(clerk, "kt.order", oid, "submit")
    assert trail(oid) is None
    engine.approve(as_user(env, people.manager), "kt.order", oid)
    assert trail(oid) == f"after-submit:True:{people.manager};"


def test_record_attached_models_share_one_fragment(runtime):
    """mail.message, mail.tracking, mail.activity, ir.attachment, workflow.request and
    workflow.history get res_model / res_id (/ res_name) and their defaults from one place."""
    with runtime.env() as env:
        registry = env.registry
    expected = {  # model: (res_name kept, engine only, order, first fields in view order)
        "mail.message": (True, True, "id desc", ["res_model", "res_id", "res_name",
                                                 "message_type"]),
        "mail.tracking": (False, True, "id desc", ["res_model", "res_id", "kind"]),
        "mail.activity": (True, False, "date_deadline, id", ["res_model", "res_id", "res_name",
                                                             "activity_type"]),
        "ir.attachment": (False, True, "id desc", ["name", "res_model", "res_id", "mimetype"]),
        "workflow.request": (True, True, "id desc", ["res_model", "res_id", "res_name",
                                                     "transition"]),
        "workflow.history": (False, True, "id", ["res_model", "res_id", "request_id"]),
    }
    for model, (named, engine_only, order, first) in expected.items():
        cls = registry[model]
        own = [n for n in cls.__fields__ if n not in (
            "id", "create_date", "write_date", "create_uid", "write_uid")]
        assert own[:len(first)] == first, model
        assert ("res_name" in cls.__fields__) is named, model
        assert bool(getattr(cls, "_engine_only", False)) is engine_only, model
        assert cls._order == order, model
        res_model = cls.__fields__["res_model"]
        assert (res_model.size, res_model.required, res_model.model) == (128, True, model)
        assert cls.__table__.c.res_id.index and not cls.__table__.c.res_id.nullable
    # each model has its own field objects (the registry names them after their model)
    assert registry["mail.message"].__fields__["res_id"] is not registry[
        "mail.tracking"].__fields__["res_id"]


def test_steps_edited_in_another_transaction_apply_at_once(runtime):
    runtime.manager.install(["kt_approval"])
    with runtime.env() as env:
        people = make_people(env)
    for threshold, state in (("50000", "approved"), ("500", "to_approve")):
        with runtime.env() as env:
            step = env.ref_id("kt_approval.workflow_step_kt_order_submit_directors")
            env["workflow.step"].write([step], {"threshold": threshold, "required": 1})
        with runtime.env() as env:  # the steps as cached by the first round are stale now
            oid = new_order(env, people.clerk, "1000")
            engine.take_transition(as_user(env, people.clerk), "kt.order", oid, "submit")
        with runtime.env() as env:
            assert engine.approve(as_user(env, people.manager), "kt.order", oid) == state


def test_group_members_follow_implications_transitively_and_stop_at_cycles(runtime):
    with runtime.env() as env:
        groups = env["res.groups"]
        base = groups.create({"name": "Base"})
        middle = groups.create({"name": "Middle", "implied_ids": [(6, 0, [base])]})
        top = groups.create({"name": "Top", "implied_ids": [(6, 0, [middle])]})
        groups.write([base], {"implied_ids": [(6, 0, [top])]})  # a cycle
        users = env["res.users"]
        member, boss, gone = (users.create({"login": n, "name": n, "groups_id": [(6, 0, [g])]})
                              for n, g in (("member", base), ("boss", top), ("gone", middle)))
        users.write([gone], {"active": False})
        assert engine.group_members(env, base) == {member, boss}
        assert engine.group_members(env, top) == {member, boss}
