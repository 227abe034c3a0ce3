"""The approvals inbox, record buttons, bulk transitions, the panel and activities over HTTP."""

from __future__ import annotations

import datetime as dt
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


def test_bulk_transition_is_all_or_nothing(app):
    draft, other = orders(app, 100, 200)
    clerk = client_for(app, "clerk")
    submit(clerk, other)
    token = csrf(clerk, "/web/approvals")
    clerk.post("/web/workflow/kt.order/bulk/cancel",
               data={"csrf_token": token, "ids": [draft, other]})
    assert (state(app, draft), state(app, other)) == ("draft", "to_approve")
    response = clerk.post("/web/workflow/kt.order/bulk/cancel",
                          data={"csrf_token": token, "ids": [draft], "back": "/web/kt.order?x=1"})
    assert state(app, draft) == "cancel"
    assert response.headers["Location"] == "/web/kt.order?x=1"  # the list's own back link


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
