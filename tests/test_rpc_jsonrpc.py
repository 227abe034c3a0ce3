"""JSON-RPC at ``/jsonrpc`` and the web-session routes, against a live server: Odoo's envelope,
error objects with HTTP 200 and a complete ``data``, and the cookie-based routes' CSRF defences."""

import http.cookiejar
import json
import urllib.error
import urllib.request

from .api_live import ADMIN_PASSWORD, DEMO_PASSWORD, live  # noqa: F401


def call(live, service, method, *args):  # noqa: F811
    return live.jsonrpc("/jsonrpc", {"service": service, "method": method, "args": list(args)})


def execute_kw(live, *args):  # noqa: F811
    return call(live, "object", "execute_kw", live.db, live.demo_uid, DEMO_PASSWORD, *args)


def test_envelope_and_services(live):  # noqa: F811
    reply = call(live, "common", "version")
    assert reply["jsonrpc"] == "2.0" and reply["id"] == 7
    assert reply["result"]["server_version"] == "17.0"
    assert call(live, "db", "list")["result"] == [live.db]
    assert call(live, "common", "login", live.db, "demo", DEMO_PASSWORD)["result"] == live.demo_uid
    assert call(live, "common", "login", live.db, "demo", "nope")["result"] is False
    assert live.jsonrpc("/web/webclient/version_info", {})["result"]["server_version"] == "17.0"
    assert live.jsonrpc("/web/database/list", {})["result"] == [live.db]
    pid = execute_kw(live, "res.partner", "create", [{"name": "JSON"}])["result"]
    rows = execute_kw(live, "res.partner", "read", [[pid], ["name", "email"]])["result"]
    assert rows == [{"id": pid, "name": "JSON", "email": False}]  # Odoo's False, not null


def error_of(reply):
    error = reply["error"]
    assert error["code"] == 200 and error["message"] == "Odoo Server Error"
    data = error["data"]
    assert set(data) == {"name", "message", "arguments", "context", "debug"}
    assert data["arguments"] == [data["message"]] and data["debug"] == ""
    return data


def test_errors_are_distinguishable(live):  # noqa: F811
    access = error_of(execute_kw(live, "ir.model.access", "search", [[]]))
    assert access["name"] == "odoo.exceptions.AccessError"
    assert "ir.model.access" in access["message"]
    validation = error_of(execute_kw(live, "res.partner", "create", [{"email": "no@name"}]))
    assert validation["name"] == "odoo.exceptions.ValidationError"
    assert "Name" in validation["message"]
    missing = error_of(execute_kw(live, "res.partner", "write", [[99999], {"name": "x"}]))
    assert missing["name"] == "odoo.exceptions.MissingError"
    unknown = error_of(execute_kw(live, "x.nothing", "search", [[]]))
    assert unknown["name"] == "odoo.exceptions.UserError"
    assert unknown["message"] == "Object x.nothing doesn't exist"
    denied = error_of(call(live, "object", "execute_kw", live.db, live.demo_uid, "bad",
                           "res.partner", "search", [[]]))
    assert denied["name"] == "odoo.exceptions.AccessDenied"
    private = error_of(execute_kw(live, "res.partner", "_check_ids", [[1], "read"]))
    assert private["name"] == "odoo.exceptions.AccessError"
    assert error_of(execute_kw(live, "res.partner", "frobnicate", [[1]]))["name"] == (
        "builtins.AttributeError")
    assert error_of(call(live, "nothing", "list"))["name"] == "builtins.TypeError"
    assert error_of(live.jsonrpc("/jsonrpc", {"service": "object", "method": "execute_kw",
                                              "args": "not a list"}))["name"]


def test_malformed_bodies_get_error_objects(live):  # noqa: F811
    for body, content_type in ((b"{not json", "application/json"), (b"[1, 2]", "application/json"),
                               (b'{"params": {}}', "text/plain")):
        request = urllib.request.Request(f"{live.url}/jsonrpc", data=body,
                                         headers={"Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            reply = json.load(response)
        assert reply["error"]["data"]["name"] == "builtins.TypeError"


class Browser:
    """A cookie-keeping JSON client, as a web page's script would be."""

    def __init__(self, live):  # noqa: F811
        self.live = live
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def post(self, path, params, headers=None):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": 1})
        request = urllib.request.Request(self.live.url + path, data=body.encode(), headers={
            "Content-Type": "application/json", **(headers or {})})
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)


def test_web_session_routes(live):  # noqa: F811
    browser = Browser(live)
    status, reply = browser.post("/web/session/get_session_info", {})
    assert status == 200 and reply["error"]["code"] == 100
    assert reply["error"]["data"]["name"] == "odoo.http.SessionExpiredException"
    status, reply = browser.post("/web/session/authenticate",
                                 {"db": live.db, "login": "demo", "password": "wrong"})
    assert reply["error"]["data"]["name"] == "odoo.exceptions.AccessDenied"
    key = live.key(live.demo_uid)
    status, reply = browser.post("/web/session/authenticate",
                                 {"db": live.db, "login": "demo", "password": key})
    assert "error" in reply  # API keys are for scripts, not for web sessions
    status, reply = browser.post("/web/session/authenticate",
                                 {"db": live.db, "login": "demo", "password": DEMO_PASSWORD})
    info = reply["result"]
    assert info["uid"] == live.demo_uid and info["user_context"]["uid"] == live.demo_uid
    assert info["db"] == live.db and info["is_admin"] is False
    assert browser.post("/web/session/get_session_info", {})[1]["result"]["username"] == "demo"

    pid = browser.post("/web/dataset/call_kw/res.partner/create", {
        "model": "res.partner", "method": "create", "args": [{"name": "From the web"}],
        "kwargs": {"context": {"lang": "en_US"}}})[1]["result"]
    assert browser.post("/web/dataset/call_kw", {
        "model": "res.partner", "method": "search_read", "args": [[["id", "=", pid]], ["name"]],
        "kwargs": {}})[1]["result"] == [{"id": pid, "name": "From the web"}]
    denied = browser.post("/web/dataset/call_kw", {
        "model": "res.users", "method": "write", "args": [[live.admin_uid], {"name": "x"}],
        "kwargs": {}})[1]
    assert denied["error"]["data"]["name"] == "odoo.exceptions.AccessError"

    # another site's page cannot use the session: its Origin is refused
    status, reply = browser.post("/web/dataset/call_kw", {
        "model": "res.partner", "method": "unlink", "args": [[pid]], "kwargs": {}},
        headers={"Origin": "https://evil.example"})
    assert status == 400
    request = urllib.request.Request(f"{live.url}/web/dataset/call_kw", data=json.dumps({
        "params": {"model": "res.partner", "method": "unlink", "args": [[pid]], "kwargs": {}}
    }).encode(), headers={"Content-Type": "text/plain"})  # a "simple" cross-site request
    with browser.opener.open(request, timeout=10) as response:
        assert "error" in json.load(response)
    assert browser.post("/web/dataset/call_kw", {
        "model": "res.partner", "method": "search_count", "args": [[["id", "=", pid]]],
        "kwargs": {}})[1]["result"] == 1

    assert browser.post("/web/session/destroy", {})[1]["result"] is None
    status, reply = browser.post("/web/dataset/call_kw", {
        "model": "res.partner", "method": "search", "args": [[]], "kwargs": {}})
    assert reply["error"]["code"] == 100


def test_admin_session_info(live):  # noqa: F811
    browser = Browser(live)
    info = browser.post("/web/session/authenticate",
                        {"db": live.db, "login": "admin", "password": ADMIN_PASSWORD})[1]["result"]
    assert info["is_admin"] is True and info["uid"] == live.admin_uid
    assert browser.post("/web/session/authenticate", {
        "db": "elsewhere", "login": "admin", "password": ADMIN_PASSWORD})[1]["error"]
