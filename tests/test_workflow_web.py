"""The approvals inbox, record buttons, bulk transitions, the panel and activities over HTTP."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from core import activity
from tests.web_helpers import client_for, csrf, make_user


@pytest.fixture
def app(make_app):
    app = make_app()
    app.extensions["kangyi"].manager.install(["kt_approval"])
    make_user(app, "clerk", ["kt_approval.group_clerk"])
    make_user(app, "manager", ["kt_approval.group_manager"])
    make_user(app, "viewer", ["base.group_user"])
    return app


def orders(app, *amounts):
    with app.extensions["kangyi"].env() as env:
        clerk = env["res.users"].search([("login", "=", "clerk")])[0]
        return [env(uid=clerk, su=False)["kt.order"].create({"amount_total": a})
                for a in amounts]


def state(app, oid):
    with app.extensions["kangyi"].env() as env:
        return env["kt.order"].read([oid], ["state"])[0]["state"]


def submit(client, oid, name="submit"):
    token = csrf(client, f"/web/record/kt.order/{oid}/panel")
    return client.post(f"/web/workflow/kt.order/{oid}/transition/{name}",
                       data={"csrf_token": token, "next": "/web/approvals"})


def test_submit_then_approve_and_reject_from_the_inbox(app):
    first, second = orders(app, 100, 200)
    clerk, manager = client_for(app, "clerk"), client_for(app, "manager")
    assert submit(clerk, first).status_code == 302
    assert submit(clerk, second).status_code == 302
    assert state(app, first) == "to_approve"

    page = manager.get("/web/approvals").get_data(as_text=True)
    assert page.count('data-request="') == 2 and "Submit" in page and "Clerk" in page
    assert 'data-approvals-count>2<' in page  # the top-bar counter
    assert manager.get("/web/approvals/count").json == {"count": 2}
    requests = [int(r) for r in re.findall(r'data-request="(\d+)"', page)]
    token = csrf(manager, "/web/approvals")

    response = manager.post(f"/web/approvals/{requests[0]}/reject",
                            data={"csrf_token": token, "reason": ""})
    assert response.status_code == 302
    assert "needs a reason" in manager.get("/web/approvals").get_data(as_text=True)
    assert state(app, second) == "to_approve"  # the newest comes first: second
    manager.post(f"/web/approvals/{requests[0]}/reject",
                 data={"csrf_token": token, "reason": "wrong customer"})
    manager.post(f"/web/approvals/{requests[1]}/approve",
                 data={"csrf_token": token, "comment": "ok"})
    assert (state(app, first), state(app, second)) == ("approved", "draft")
    assert manager.get("/web/approvals/count").json == {"count": 0}
    # without the CSRF token nothing happens
    assert manager.post(f"/web/approvals/{requests[0]}/approve").status_code == 400


def test_inbox_refuses_what_is_not_yours(app):
    (oid,) = orders(app, 100)
    clerk, viewer = client_for(app, "clerk"), client_for(app, "viewer")
    submit(clerk, oid)
    with app.extensions["kangyi"].env() as env:
        request_id = env["workflow.request"].search([("res_id", "=", oid)])[0]
    token = csrf(clerk, "/web/approvals")
    clerk.post(f"/web/approvals/{request_id}/approve", data={"csrf_token": token})
    assert state(app, oid) == "to_approve"  # the requester cannot approve
    assert "your own request" in clerk.get("/web/approvals").get_data(as_text=True)
    response = viewer.post(f"/web/approvals/{request_id}/approve",
                           data={"csrf_token": csrf(viewer, "/web/approvals")})
    assert response.status_code == 302 and state(app, oid) == "to_approve"


def test_panel_shows_buttons_history_and_withdraw(app):
    (oid,) = orders(app, 100)
    clerk = client_for(app, "clerk")
    page = clerk.get(f"/web/record/kt.order/{oid}/panel").get_data(as_text=True)
    assert 'data-transition="submit"' in page and 'data-transition="done"' not in page
    submit(clerk, oid)
    page = clerk.get(f"/web/record/kt.order/{oid}/panel").get_data(as_text=True)
    assert "Submitted for approval" in page and "Draft → To approve" in page
    token = csrf(clerk, f"/web/record/kt.order/{oid}/panel")
    clerk.post(f"/web/workflow/kt.order/{oid}/withdraw", data={"csrf_token": token})
    assert state(app, oid) == "draft"
    viewer = client_for(app, "viewer")
    assert viewer.get(f"/web/record/kt.order/{oid}/panel").status_code == 403


def test_bulk_transition_runs_each_record_on_its_own(app):
    draft, other, third = orders(app, 100, 200, 300)
    clerk = client_for(app, "clerk")
    submit(clerk, other)
    listing = clerk.get("/web/kt.order").get_data(as_text=True)
    assert 'data-bulk-transition="cancel"' in listing and 'data-bulk-transition="done"' in listing
    token = csrf(clerk, "/web/approvals")
    response = clerk.post("/web/workflow/kt.order/bulk/cancel",
                          data={"csrf_token": token, "ids": [draft, other, third],
                                "back": "/web/kt.order?x=1"})
    assert response.headers["Location"] == "/web/kt.order?x=1"  # the list's own back link
    # the refused record does not undo the others; it keeps nothing of its attempt
    assert [state(app, i) for i in (draft, other, third)] == ["cancel", "to_approve", "cancel"]
    page = clerk.get("/web/kt.order").get_data(as_text=True)
    assert "2 of 3 records done." in page
    with app.extensions["kangyi"].env() as env:
        name = env["kt.order"].read([other], ["name"])[0]["name"]
        # the transition's callbacks ran for this door too
        assert env["kt.order"].read([draft], ["trail"])[0]["trail"] == (
            "before-cancel:draft:;after-cancel:cancel:;")
        assert env["workflow.history"].search_count(
            [("res_id", "=", other), ("transition", "=", "cancel")]) == 0
    assert f"{name}: {name} is waiting for approval" in page
    # a user without the transition's group: every record refused, nothing moved
    manager = client_for(app, "manager")
    (fresh,) = orders(app, 50)
    manager.post("/web/workflow/kt.order/bulk/done",
                 data={"csrf_token": csrf(manager, "/web/approvals"), "ids": [fresh]})
    assert state(app, fresh) == "draft"
    page = manager.get("/web/approvals").get_data(as_text=True)
    assert "0 of 1 records done." in page and "Only Clerks may" in page
    assert "kt_approval.group_clerk" not in page  # the group's name, not its external id


def test_bulk_refusals_are_translated(app):
    (oid,) = orders(app, 100)
    submit(client_for(app, "clerk"), oid)
    make_user(app, "clerk_zh", ["kt_approval.group_clerk"], lang="zh_CN")
    clerk = client_for(app, "clerk_zh")
    clerk.post("/web/workflow/kt.order/bulk/cancel",
               data={"csrf_token": csrf(clerk, "/web/approvals"), "ids": [oid]})
    page = clerk.get("/web/approvals").get_data(as_text=True)
    assert "0 of 1" not in page and "请先批准、驳回或撤回该申请" in page


def test_form_header_shows_the_workflow_buttons(app):
    (oid,) = orders(app, 100)
    clerk, manager = client_for(app, "clerk"), client_for(app, "manager")
    page = clerk.get(f"/web/kt.order/{oid}").get_data(as_text=True)
    head, _sep, rest = page.partition('<div class="record-layout">')
    assert 'data-transition="submit"' in head and 'data-transition="cancel"' in head
    assert 'data-transition="done"' not in head  # wrong state
    assert "data-transition=" not in rest  # the panel does not repeat them
    token = csrf(clerk, f"/web/kt.order/{oid}")
    response = clerk.post(f"/web/workflow/kt.order/{oid}/transition/submit",
                          data={"csrf_token": token, "next": f"/web/kt.order/{oid}?x=1"})
    assert response.headers["Location"] == f"/web/kt.order/{oid}?x=1"
    head = clerk.get(f"/web/kt.order/{oid}").get_data(as_text=True).partition(
        '<div class="record-layout">')[0]
    assert 'data-workflow="withdraw"' in head and 'data-workflow="approve"' not in head
    head = manager.get(f"/web/kt.order/{oid}").get_data(as_text=True).partition(
        '<div class="record-layout">')[0]
    assert 'data-workflow="approve"' in head and 'data-workflow="reject"' in head
    assert 'name="reason" required' in head and 'data-workflow="withdraw"' not in head
    token = csrf(manager, f"/web/kt.order/{oid}")
    manager.post(f"/web/workflow/kt.order/{oid}/reject", data={"csrf_token": token,
                                                               "reason": " "})
    assert state(app, oid) == "to_approve"
    assert "needs a reason" in manager.get(f"/web/kt.order/{oid}").get_data(as_text=True)
    manager.post(f"/web/workflow/kt.order/{oid}/reject", data={"csrf_token": token,
                                                               "reason": "too dear"})
    assert state(app, oid) == "draft"


def test_messages_and_activities_pages(app):
    (oid,) = orders(app, 100)
    clerk = client_for(app, "clerk")
    token = csrf(clerk, f"/web/record/kt.order/{oid}/panel")
    clerk.post(f"/web/chatter/kt.order/{oid}/post", data={"csrf_token": token,
                                                          "body": "客户来电", "internal": "1"})
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    clerk.post(f"/web/activities/kt.order/{oid}/schedule",
               data={"csrf_token": token, "summary": "Call back", "date_deadline": yesterday,
                     "activity_type": "call"})
    page = clerk.get(f"/web/record/kt.order/{oid}/panel").get_data(as_text=True)
    assert "客户来电" in page and "Call back" in page
    overdue = clerk.get("/web/activities?filter=overdue").get_data(as_text=True)
    assert "Call back" in overdue and "overdue" in overdue
    with app.extensions["kangyi"].env() as env:
        aid = env["mail.activity"].search([])[0]
        assert activity.activity_status(dt.date.today()) == "today"
    clerk.post(f"/web/activities/{aid}/done", data={"csrf_token": token})
    assert "No activities." in clerk.get("/web/activities").get_data(as_text=True)
    viewer = client_for(app, "viewer")
    viewer.post(f"/web/chatter/kt.order/{oid}/post",
                data={"csrf_token": csrf(viewer, "/web/activities"), "body": "spam"})
    with app.extensions["kangyi"].env() as env:
        assert env["mail.message"].search_count([("body", "=", "spam")]) == 0


def test_admin_edits_the_threshold_in_the_generic_form(app):
    from tests.web_helpers import login

    admin = app.test_client()
    login(admin, "admin", "admin1234")
    with app.extensions["kangyi"].env() as env:
        step = env.ref_id("kt_approval.workflow_step_kt_order_submit_directors")
        group = env.ref_id("kt_approval.group_director")
    assert "Approval steps" in admin.get("/web/workflow.step").get_data(as_text=True)
    response = admin.post(f"/web/workflow.step/{step}", data={
        "csrf_token": csrf(admin, f"/web/workflow.step/{step}"), "name": "directors",
        "label": "Directors", "res_model": "kt.order", "transition": "submit", "sequence": "20",
        "group_id": str(group), "required": "1", "threshold_field": "amount_total",
        "threshold": "150", "active": "y"})
    assert response.status_code == 302
    (oid,) = orders(app, 200)  # above the new threshold: the directors must approve too
    make_user(app, "director", ["kt_approval.group_director"])
    submit(client_for(app, "clerk"), oid)
    manager = client_for(app, "manager")
    page = manager.get("/web/approvals").get_data(as_text=True)
    request_id = re.search(r'data-request="(\d+)"', page).group(1)
    manager.post(f"/web/approvals/{request_id}/approve",
                 data={"csrf_token": csrf(manager, "/web/approvals")})
    assert state(app, oid) == "to_approve"
    assert client_for(app, "director").get("/web/approvals/count").json == {"count": 1}


def test_activity_pages(app):
    (oid,) = orders(app, 100)
    with app.extensions["kangyi"].env() as env:
        clerk = env["res.users"].search([("login", "=", "clerk")])[0]
        overdue = (dt.date.today() - dt.timedelta(days=1)).isoformat()
        env(uid=clerk, su=False)["mail.activity"].create([
            {"res_model": "kt.order", "res_id": oid, "summary": f"Task {i}",
             "date_deadline": overdue, "user_id": clerk} for i in range(45)])
    client = client_for(app, "clerk")
    first = client.get("/web/activities?filter=overdue").get_data(as_text=True)
    assert "Page 1 of 2" in first and first.count("Mark done") == 40
    assert 'href="/web/activities?page=2&amp;filter=overdue"' in first
    second = client.get("/web/activities?page=2&filter=overdue").get_data(as_text=True)
    assert second.count("Mark done") == 5 and "Previous" in second


def test_the_panel_checks_the_record_once_and_still_refuses(app):
    """The form's panels (timeline, files, activities) share one access check and no name
    read; a record a rule hides stays closed to the panel page, its files and its form."""
    from tests.web_helpers import count_queries

    small, large = orders(app, 100, 5000)
    clerk = client_for(app, "clerk")
    token = csrf(clerk, f"/web/record/kt.order/{large}/panel")
    clerk.post(f"/web/attachments/kt.order/{large}/upload", content_type="multipart/form-data",
               data={"csrf_token": token, "file": (io.BytesIO(b"terms"), "terms.txt")})
    clerk.get(f"/web/kt.order/{small}")
    with count_queries(app.extensions["kangyi"].engine) as statements:
        assert clerk.get(f"/web/kt.order/{small}").status_code == 200
    flat = [" ".join(s.split()) for s in statements]
    assert not [s for s in flat if s.startswith("SELECT kt_order.id, kt_order.name FROM")]
    checks = [s for s in flat if s.startswith("SELECT kt_order.id FROM")]
    assert len(checks) <= 5, checks  # write, read, unlink, the buttons, the panel (once)
    with app.extensions["kangyi"].env() as env:
        env["ir.rule"].create({"name": "Small orders", "model": "kt.order",
                               "domain_force": "[('amount_total', '<', 1000)]"})
        (aid,) = env["ir.attachment"].search([("res_id", "=", large)])
    assert clerk.get(f"/web/record/kt.order/{small}/panel").status_code == 200
    assert clerk.get(f"/web/record/kt.order/{large}/panel").status_code == 403
    assert clerk.get(f"/web/kt.order/{large}").status_code == 403
    assert clerk.get(f"/web/attachments/{aid}").status_code == 403
    assert clerk.get("/web/record/kt.order/999999/panel").status_code == 404
    clerk.post(f"/web/chatter/kt.order/{large}/post", data={"csrf_token": token, "body": "x"})
    with app.extensions["kangyi"].env() as env:
        assert env["mail.message"].search_count([("res_id", "=", large)]) == 0


def test_requesting_an_approval_says_so_rather_than_done(app):
    (oid,) = orders(app, 100)
    clerk = client_for(app, "clerk")
    submit(clerk, oid)
    page = clerk.get("/web/approvals").get_data(as_text=True)
    assert "Sent for approval." in page and "Done." not in page
    submit(clerk, oid, "cancel")  # refused while pending; nothing claims it was done
    cancel = orders(app, 5)[0]
    submit(clerk, cancel, "cancel")
    assert " is now " in clerk.get("/web/approvals").get_data(as_text=True)  # says the state
