"""The workflow through the REST and JSON-RPC doors: actions callable, state never writable,
rejections need a reason, stale saves conflict."""

from __future__ import annotations

import pytest

from core.api.apikeys import generate_key
from core.api.rpc import database_name
from tests.web_helpers import make_user


@pytest.fixture
def api(make_app):
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["kt_approval"])
    users = {login: make_user(app, login, groups) for login, groups in (
        ("clerk", ["kt_approval.group_clerk"]), ("manager", ["kt_approval.group_manager"]))}
    with runtime.env() as env:
        keys = {login: generate_key(env, uid, "test") for login, uid in users.items()}
    client = app.test_client()

    def call(login, method, url, headers=None, **json):
        return client.open(url, method=method, json=json or None,
                           headers={"Authorization": f"Bearer {keys[login]}", **(headers or {})})

    return call


def test_rest_door(api):
    created = api("clerk", "POST", "/api/v1/kt.order", amount_total=100)
    assert created.status_code in (200, 201), created.get_data(as_text=True)
    oid = created.json["data"]["id"]
    forged = api("clerk", "PATCH", f"/api/v1/kt.order/{oid}", state="approved")
    assert forged.status_code == 422 and "workflow" in forged.json["error"]["message"]
    submitted = api("clerk", "POST", f"/api/v1/kt.order/{oid}/action_submit")
    assert submitted.status_code == 200, submitted.get_data(as_text=True)
    refused = api("manager", "POST", f"/api/v1/kt.order/{oid}/workflow_reject",
                  kwargs={"reason": ""})
    assert refused.status_code == 422
    approved = api("manager", "POST", f"/api/v1/kt.order/{oid}/workflow_approve",
                   kwargs={"comment": "ok"})
    assert approved.status_code == 200, approved.get_data(as_text=True)
    record = api("clerk", "GET", f"/api/v1/kt.order/{oid}").json["data"]
    assert record["state"] == "approved"
    history = api("clerk", "GET", "/api/v1/workflow.history")
    assert history.status_code == 403  # history is read through the record's timeline only


def test_json_rpc_door(api, make_app):
    client = make_app().test_client()  # the same database

    with client.application.app_context():
        db = database_name()

    def execute_kw(model, method, args, kwargs=None):
        reply = client.post("/jsonrpc", json={"jsonrpc": "2.0", "method": "call", "id": 1,
                                              "params": {"service": "object",
                                                         "method": "execute_kw",
                                                         "args": [db, clerk, "password123", model,
                                                                  method, args, kwargs or {}]}})
        return reply.json

    with client.application.extensions["kangyi"].env() as env:
        clerk = env["res.users"].search([("login", "=", "clerk")])[0]
    oid = execute_kw("kt.order", "create", [{"amount_total": 5}])["result"]
    forged = execute_kw("kt.order", "write", [[oid], {"state": "done"}])
    assert forged["error"]["data"]["name"] == "odoo.exceptions.ValidationError"
    assert execute_kw("kt.order", "action_cancel", [[oid]])["result"] == "cancel"
    stale = execute_kw("kt.order", "write", [[oid], {"note": "late"}], {"context": {
        "__last_update": {f"kt.order,{oid}": "2000-01-01 00:00:00"}}})
    assert "changed this record" in stale["error"]["data"]["message"]


def test_rest_if_match(api):
    oid = api("clerk", "POST", "/api/v1/kt.order", amount_total=100, note="first").json[
        "data"]["id"]
    read = api("clerk", "GET", f"/api/v1/kt.order/{oid}")
    etag = read.headers["ETag"]
    assert etag.startswith('"') and len(etag) > 20  # the write_date, microseconds included
    assert api("manager", "GET", f"/api/v1/kt.order/{oid}?fields=note").headers["ETag"] == etag
    saved = api("clerk", "PATCH", f"/api/v1/kt.order/{oid}", headers={"If-Match": etag},
                note="mine")
    assert saved.status_code == 200 and saved.headers["ETag"] != etag
    stale = api("manager", "PUT", f"/api/v1/kt.order/{oid}", headers={"If-Match": etag},
                note="theirs")
    assert stale.status_code == 412, stale.get_data(as_text=True)
    error = stale.json["error"]
    assert error["code"] == 412 and "changed this record" in error["message"]
    assert "Note: first → mine" in error["message"]
    assert error["details"]["current"]["note"] == "mine"
    assert api("clerk", "GET", f"/api/v1/kt.order/{oid}").json["data"]["note"] == "mine"
    fresh = api("manager", "PUT", f"/api/v1/kt.order/{oid}",
                headers={"If-Match": saved.headers["ETag"]}, note="theirs")
    assert fresh.status_code == 200 and fresh.json["data"]["note"] == "theirs"
    # no If-Match (or *): not checked; a malformed one is a clear 422
    assert api("clerk", "PATCH", f"/api/v1/kt.order/{oid}", note="blind").status_code == 200
    assert api("clerk", "PATCH", f"/api/v1/kt.order/{oid}", headers={"If-Match": "*"},
               note="any").status_code == 200
    bad = api("clerk", "PATCH", f"/api/v1/kt.order/{oid}", headers={"If-Match": '"x"'},
              note="bad")
    assert bad.status_code == 422 and "last-update" in bad.json["error"]["message"]
