"""Field access in every clause and record rules along every domain path, through every door:
REST, XML-RPC, JSON-RPC, the web client's call_kw, the web list's domain and its CSV export
(issue 17, items 1 and 3)."""

import json
import urllib.error
import urllib.parse
import urllib.request
import xmlrpc.client

import pytest

from core.errors import AccessError

from .api_live import DEMO_PASSWORD, live  # noqa: F401


def rest(live, path, key, method="GET", body=None):  # noqa: F811
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(live.url + path, data=data, method=method, headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def web_client(live):  # noqa: F811
    client = live.app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(live.demo_uid)
        session["_fresh"] = True
    return client


def call_kw(client, model, method, args, kwargs=None):
    reply = client.post("/web/dataset/call_kw", json={"params": {
        "model": model, "method": method, "args": args, "kwargs": kwargs or {}}})
    return reply.get_json()


def test_password_hashes_stay_out_of_every_clause(live):  # noqa: F811
    key = live.key(live.demo_uid)
    for path in ("/api/v1/res.users/read_group?groupby=login,password&lazy=false",
                 "/api/v1/res.users/read_group?groupby=password",
                 "/api/v1/res.users/read_group?groupby=login&fields=h:max(password)",
                 "/api/v1/res.users?order=password",
                 '/api/v1/res.users?domain=[["password","=like","scrypt%"]]'):
        status, body = rest(live, path, key)
        assert status in (400, 403, 422), (path, status, body)
        assert "scrypt" not in body and "$" not in body, path
    models = xmlrpc.client.ServerProxy(f"{live.url}/xmlrpc/2/object")
    args = (live.db, live.demo_uid, DEMO_PASSWORD, "res.users")
    for method, call_args, kwargs in (
            ("read_group", [[], ["login"], ["login", "password"]], {"lazy": False}),
            ("search", [[]], {"order": "password"}),
            ("search_read", [[]], {"fields": ["login"], "order": "password desc"})):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            models.execute_kw(*args, method, call_args, kwargs)
        assert "scrypt" not in fault.value.faultString
    reply = live.jsonrpc("/jsonrpc", {"service": "object", "method": "execute_kw", "args": [
        *args, "read_group", [[], ["login"], ["password"]], {}]})
    assert "error" in reply and "scrypt" not in json.dumps(reply)
    reply = call_kw(web_client(live), "res.users", "read_group", [[], ["login"], ["password"]])
    assert "error" in reply and "scrypt" not in json.dumps(reply)


@pytest.fixture
def hidden_customer(live):  # noqa: F811
    """A partner the demo user may not read (a rule hides it), linked by the superuser to an
    order of the demo user: the order is readable, the customer's e-mail is not."""
    with live.runtime.env() as env:
        env["ir.rule"].create({
            "name": "Users do not see secret partners", "model": "res.partner",
            "domain_force": "[('name', 'not ilike', 'secret')]",
            "groups": [(6, 0, [env.ref_id("base.group_user")])]})
        secret = env["res.partner"].create({"name": "Secret customer",
                                            "email": "hidden@rival.example"})
        public = env["res.partner"].create({"name": "Known customer"})
        order = env["kt.sale"].create({"name": "SO-path", "partner_id": secret})
    return secret, public, order


def test_domain_paths_follow_the_rules_of_the_models_they_cross(live, hidden_customer):  # noqa: F811
    secret, _public, order = hidden_customer
    probe = [["partner_id.email", "=like", "hidden%"]]
    with live.runtime.env() as env:
        demo = env(uid=live.demo_uid, su=False)
        assert demo["kt.sale"].search([]) == [order]  # the order itself is visible
        assert demo["kt.sale"].search(probe) == []
        assert demo["kt.sale"].search([["partner_id", "any", [["email", "like", "rival"]]]]) == []
        assert demo["kt.sale"].search([["partner_id", "ilike", "secret"]]) == []
        assert env["kt.sale"].search(probe) == [order]  # the superuser crosses every path

    key = live.key(live.demo_uid)
    query = urllib.parse.quote(json.dumps(probe))
    status, body = rest(live, f"/api/v1/kt.sale?domain={query}", key)
    assert status == 200 and json.loads(body)["data"] == [], body
    status, body = rest(live, "/api/v1/kt.sale/search", key, "POST", {"domain": probe})
    assert status == 200 and json.loads(body)["data"] == [], body

    models = xmlrpc.client.ServerProxy(f"{live.url}/xmlrpc/2/object")
    args = (live.db, live.demo_uid, DEMO_PASSWORD, "kt.sale")
    assert models.execute_kw(*args, "search", [probe]) == []
    assert models.execute_kw(*args, "search_count", [probe]) == 0
    reply = live.jsonrpc("/jsonrpc", {"service": "object", "method": "execute_kw", "args": [
        *args, "search_read", [probe], {"fields": ["name"]}]})
    assert reply["result"] == []

    client = web_client(live)
    assert call_kw(client, "kt.sale", "search_count", [probe])["result"] == 0
    page = client.get(f"/web/kt.sale?domain={query}")
    assert page.status_code == 200 and b"SO-path" not in page.data
    assert b"SO-path" in client.get("/web/kt.sale").data
    token = client.get("/web/kt.sale").get_data(as_text=True).split(
        'name="csrf_token"')[1].split('value="')[1].split('"')[0]
    export = client.post("/web/kt.sale/bulk", data={
        "action": "csv", "csrf_token": token,
        "query": urllib.parse.urlencode({"domain": json.dumps(probe)})})
    assert export.status_code == 200 and "SO-path" not in export.get_data(as_text=True)


def test_many2one_to_an_unreadable_record_is_refused(live, hidden_customer):  # noqa: F811
    secret, public, order = hidden_customer
    with live.runtime.env() as env:
        demo = env(uid=live.demo_uid, su=False)
        with pytest.raises(AccessError):
            demo["kt.sale"].create({"name": "SO-link", "partner_id": secret})
        own = demo["kt.sale"].create({"name": "SO-own", "partner_id": public})
        with pytest.raises(AccessError):
            demo["kt.sale"].write([own], {"partner_id": secret})
        demo["kt.sale"].write([order], {"name": "SO-path renamed"})  # unchanged link: fine
    key = live.key(live.demo_uid)
    status, body = rest(live, f"/api/v1/kt.sale/{own}", key, "PATCH", {"partner_id": secret})
    assert status == 403, body
    models = xmlrpc.client.ServerProxy(f"{live.url}/xmlrpc/2/object")
    with pytest.raises(xmlrpc.client.Fault):
        models.execute_kw(live.db, live.demo_uid, DEMO_PASSWORD, "kt.sale", "create",
                          [{"name": "SO-rpc", "partner_id": secret}])
    with live.runtime.env() as env:
        assert env["kt.sale"].read([own], ["partner_id"])[0]["partner_id"][0] == public
        assert not env["kt.sale"].search([("name", "in", ["SO-link", "SO-rpc"])])
