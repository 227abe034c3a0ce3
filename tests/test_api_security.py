"""One door: a record rule that hides a partner in the UI hides it from REST, XML-RPC, JSON-RPC
and the web client's call_kw too; and API keys are stored hashed, shown once, owned, revocable."""

import hashlib
import json
import re
import urllib.error
import urllib.request
import xmlrpc.client

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from core.api.apikeys import generate_key, key_owner
from core.errors import AccessError

from .api_live import DEMO_PASSWORD, live  # noqa: F401


def rest_get(live, path, key):  # noqa: F811
    request = urllib.request.Request(live.url + path, headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_record_rule_applies_to_every_door(live):  # noqa: F811
    with live.runtime.env() as env:
        visible = env["res.partner"].create({"name": "Visible partner"})
        secret = env["res.partner"].create({"name": "Secret partner"})
        env["ir.rule"].create({
            "name": "Users do not see secret partners", "model": "res.partner",
            "domain_force": "[('name', 'not ilike', 'secret')]",
            "groups": [(6, 0, [env.ref_id("base.group_user")])]})
    with live.runtime.env() as env:
        assert env(uid=live.demo_uid, su=False)["res.partner"].search([]) == [visible]
        assert sorted(env["res.partner"].search([])) == [visible, secret]  # superuser

    # the web UI (cookie session): the list page and the web client's call_kw
    client = live.app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(live.demo_uid)
        session["_fresh"] = True
    page = client.get("/web/res.partner")
    assert page.status_code == 200
    assert b"Visible partner" in page.data and b"Secret partner" not in page.data
    browser_reply = client.post("/web/dataset/call_kw", json={"params": {
        "model": "res.partner", "method": "search_read", "args": [[], ["name"]], "kwargs": {}}})
    assert [r["id"] for r in browser_reply.get_json()["result"]] == [visible]

    # REST
    key = live.key(live.demo_uid)
    status, body = rest_get(live, "/api/v1/res.partner", key)
    assert status == 200 and [r["id"] for r in body["data"]] == [visible]
    assert body["meta"]["total"] == 1
    status, body = rest_get(live, f"/api/v1/res.partner/{secret}", key)
    assert status == 403 and "Users do not see secret partners" in body["error"]["message"]

    # XML-RPC
    models = xmlrpc.client.ServerProxy(f"{live.url}/xmlrpc/2/object")
    args = (live.db, live.demo_uid, DEMO_PASSWORD, "res.partner")
    assert models.execute_kw(*args, "search", [[]]) == [visible]
    assert models.execute_kw(*args, "search_count", [[["name", "ilike", "partner"]]]) == 1
    with pytest.raises(xmlrpc.client.Fault) as fault:
        models.execute_kw(*args, "read", [[secret], ["name"]])
    assert fault.value.faultCode == 4
    with pytest.raises(xmlrpc.client.Fault):
        models.execute_kw(*args, "write", [[secret], {"name": "Renamed"}])

    # JSON-RPC
    reply = live.jsonrpc("/jsonrpc", {"service": "object", "method": "execute_kw", "args": [
        *args, "search_read", [[]], {"fields": ["name"]}]})
    assert reply["result"] == [{"id": visible, "name": "Visible partner"}]
    reply = live.jsonrpc("/jsonrpc", {"service": "object", "method": "execute_kw", "args": [
        *args, "name_get", [[secret]]]})
    assert reply["error"]["data"]["name"] == "odoo.exceptions.AccessError"


def test_api_keys_are_hashed_owned_and_revocable(live):  # noqa: F811
    key = live.key(live.demo_uid, "sync script")
    assert len(key) == 40
    with live.runtime.env() as env:
        keys = env.registry["res.users.apikeys"]
        stored = env.session.execute(select(keys.key_prefix, keys.key_hash)).one()
        assert stored.key_prefix == key[:8] and key not in stored.key_hash
        assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
        assert key_owner(env, key) == live.demo_uid
        assert key_owner(env, key[:-1] + ("0" if key[-1] != "0" else "1")) is None
        demo = env(uid=live.demo_uid, su=False)
        assert "key_hash" not in demo["res.users.apikeys"].fields_get()
        [row] = demo["res.users.apikeys"].search_read([], ["name", "user_id", "key_prefix"])
        assert row["name"] == "sync script" and row["user_id"][0] == live.demo_uid
        with pytest.raises(AccessError):
            generate_key(demo, live.admin_uid, "not mine")
        with pytest.raises(AccessError):
            demo["res.users.apikeys"].create({"name": "x", "user_id": live.demo_uid,
                                              "key_prefix": "12345678"})
    admin_key = live.key(live.admin_uid, "admin's")
    with live.runtime.env() as env:
        demo = env(uid=live.demo_uid, su=False)
        assert demo["res.users.apikeys"].search_count([]) == 1  # not the admin's key
        admin = env(uid=live.admin_uid, su=False)
        assert admin["res.users.apikeys"].search_count([]) == 2

    assert rest_get(live, "/api/v1/res.partner", key)[0] == 200
    assert rest_get(live, "/api/v1/res.partner", admin_key)[0] == 200
    with live.runtime.env() as env:  # the user revokes their key
        demo = env(uid=live.demo_uid, su=False)
        demo["res.users.apikeys"].unlink(demo["res.users.apikeys"].search([]))
    status, body = rest_get(live, "/api/v1/res.partner", key)
    assert status == 401 and body["error"]["details"]["name"] == "AccessDenied"
    with live.runtime.env() as env:  # an archived user's keys stop working
        env["res.users"].write([live.admin_uid], {"active": False})
    assert rest_get(live, "/api/v1/res.partner", admin_key)[0] == 401


def test_cli_apikey_commands(live, database_url):  # noqa: F811
    from core.cli import main

    from .conftest import FIXTURE_ADDONS

    runner = CliRunner(env={"KANGYI_ADDONS_PATH": FIXTURE_ADDONS})
    result = runner.invoke(main, ["--database", database_url, "apikey", "create", "demo",
                                  "--name", "warehouse sync"])
    assert result.exit_code == 0, result.output
    key = result.output.strip()
    assert len(key) == 40
    status, body = rest_get(live, "/api/v1/res.partner?limit=1", key)
    assert status == 200 and body["meta"]["limit"] == 1
    listed = runner.invoke(main, ["--database", database_url, "apikey", "list", "demo"])
    assert listed.exit_code == 0 and "warehouse sync" in listed.output
    assert key[:8] in listed.output and key not in listed.output
    key_id = listed.output.split()[0]
    revoked = runner.invoke(main, ["--database", database_url, "apikey", "revoke", key_id])
    assert revoked.exit_code == 0, revoked.output
    assert rest_get(live, "/api/v1/res.partner", key)[0] == 401
    unknown = runner.invoke(main, ["--database", database_url, "apikey", "create", "ghost",
                                   "--name", "x"])
    assert unknown.exit_code != 0 and "ghost" in unknown.output and "Traceback" not in (
        unknown.output)


def test_preferences_page_creates_and_revokes_keys(live):  # noqa: F811
    client = live.app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(live.demo_uid)
        session["_fresh"] = True
    page = client.get("/web/preferences/apikeys")
    assert page.status_code == 200 and b"You have no API keys." in page.data
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page.data).group(1)
    assert client.post("/web/preferences/apikeys", data={"name": "no token"}).status_code == 400
    created = client.post("/web/preferences/apikeys",
                          data={"name": "report script", "csrf_token": token.decode()})
    assert created.status_code == 200
    key = re.search(rb'<code class="api-key">([0-9a-f]{40})</code>', created.data).group(1)
    assert rest_get(live, "/api/v1/res.partner", key.decode())[0] == 200
    listing = client.get("/web/preferences/apikeys").data
    assert b"report script" in listing and key not in listing and key[:8] in listing
    with live.runtime.env() as env:
        [key_id] = env["res.users.apikeys"].search([("user_id", "=", live.demo_uid)])
    revoked = client.post(f"/web/preferences/apikeys/{key_id}/revoke",
                          data={"csrf_token": token.decode()})
    assert revoked.status_code == 302
    assert rest_get(live, "/api/v1/res.partner", key.decode())[0] == 401
