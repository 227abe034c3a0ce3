"""Bad input gets a clear 4xx, never a 500 (issue 17, item 10), through the web UI, REST,
XML-RPC and JSON-RPC; and the server-side items 11 (catalogs compiled by workers at once),
12 (XML-RPC body limit on chunked bodies), 13 (uninstall dry-run counts) and 14 (posting a
message needs write access)."""

from __future__ import annotations

import http.client
import json
import threading
import xmlrpc.client

import pytest

from core.errors import AccessError, ValidationError

from .api_live import DEMO_PASSWORD, live  # noqa: F401


def _admin_client(live):  # noqa: F811
    client = live.app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(live.admin_uid)
        session["_fresh"] = True
    return client


@pytest.fixture
def order(live):  # noqa: F811
    with live.runtime.env() as env:
        return env["kt.sale"].create({"name": "SO-bad"})


def test_web_routes_answer_4xx_to_bad_input(live, order):  # noqa: F811
    client = _admin_client(live)
    for path in (f"/web/kt.sale/{2**31}", f"/web/kt.sale/{2**63}", f"/web/kt.sale/{10**30}",
                 f"/web/res.partner?page={10**30}", f"/web/res.partner?page={10**30}&groupby=city",
                 "/web/res.partner?domain=" + json.dumps([["id", "in", list(range(70_000))]]),
                 "/web/res.partner?q=%00", "/web/res.partner/name_search?q=%00"):
        response = client.get(path)
        assert 400 <= response.status_code < 500 or response.status_code == 200, (
            path, response.status_code)
        assert response.status_code != 500
    page = client.get(f"/web/kt.sale/{2**31}")
    assert page.status_code == 404 and b"<html" in page.data.lower()


def test_api_answers_4xx_to_bad_input(live, order):  # noqa: F811
    key = live.key(live.demo_uid)

    def rest(method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        connection.request(method, path, body=data, headers={
            "Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        response = connection.getresponse()
        status, text = response.status, response.read().decode()
        connection.close()
        return status, text

    deep = b"[" * 100_000 + b"]" * 100_000
    cases = [
        ("GET", f"/api/v1/kt.sale/{2**31}", None, 404),
        ("GET", f"/api/v1/kt.sale/{2**63}", None, 404),
        ("POST", "/api/v1/kt.sale/search", {"domain": [["id", "in", list(range(200_000))]]},
         None),
        ("POST", "/api/v1/kt.sale", {"name": "NUL\x00byte"}, 422),
        ("POST", "/api/v1/kt.sale", b'{"name": "lone \\ud800 surrogate"}', 422),
        ("POST", "/api/v1/kt.sale", deep, None),
        ("POST", "/api/v1/kt.sale/search", {"domain": [["name", "=", "a\x00"]]}, None),
        ("POST", "/api/v1/kt.sale/search", {"domain": [["name", "like", "\ud800"]]}, None),
        ("POST", "/api/v1/kt.sale", {"name": "big", "line_ids": [[0, 0, {
            "name": "x", "qty": "1000", "price_unit": "999999999999"}]],
            "amount_total": "99999999999999999"}, 422),
    ]
    for method, path, body, expected in cases:
        status, text = rest(method, path, body)
        assert 400 <= status < 500, (path, status, text[:300])
        assert expected is None or status == expected, (path, status, text[:300])
    # the same through the RPC doors
    models = xmlrpc.client.ServerProxy(f"{live.url}/xmlrpc/2/object")
    args = (live.db, live.demo_uid, DEMO_PASSWORD, "kt.sale")
    for method, call_args, kwargs in (
            ("name_search", ["SO"], {"limit": -5}),
            ("search", [[["id", "in", list(range(70_000))]]], {}),
            ("create", [{"name": "x\x00y"}], {})):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            models.execute_kw(*args, method, call_args, kwargs)
        assert "unexpected" not in fault.value.faultString.lower(), (method, fault.value)
    for method, call_args, kwargs in (  # integers XML-RPC cannot carry
            ("name_search", ["SO"], {"limit": -5}),
            ("search", [[]], {"offset": 10**30}),
            ("search", [[]], {"limit": 2**63}),
            ("read", [[2**31]], {}),
            ("read", [[2**63]], {})):
        reply = live.jsonrpc("/jsonrpc", {"service": "object", "method": "execute_kw", "args": [
            *args, method, call_args, kwargs]})
        assert "error" in reply and "unexpected" not in json.dumps(reply).lower(), reply
    request = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
    request.request("POST", "/jsonrpc", body=deep, headers={"Content-Type": "application/json"})
    response = request.getresponse()
    status, text = response.status, response.read()[:300]
    request.close()
    assert status < 500, text


def test_totals_that_overflow_their_column_are_refused(live):  # noqa: F811
    with live.runtime.env() as env:
        demo = env(uid=live.demo_uid, su=False)
        order_id = demo["kt.sale"].create({"name": "SO-big", "line_ids": [
            (0, 0, {"name": "x", "qty": "1000", "price_unit": "999999999999"})]})
        with pytest.raises(ValidationError, match="too large"):
            demo["kt.sale"].call("action_confirm", [order_id])  # 10^15: NUMERIC(16, 2) overflows
        assert demo["kt.sale"].read([order_id], ["state"])[0]["state"] == "draft"


def test_catalogs_compile_once_per_worker_at_the_same_time(tmp_path):
    from core.translations import translation_directories

    barrier, errors = threading.Barrier(8), []

    def boot() -> None:
        barrier.wait(10)
        try:
            for _round in range(3):
                translation_directories(tmp_path)
                for mo in tmp_path.rglob("*.mo"):  # a new file makes the next round compile
                    mo.touch()
                    mo.chmod(0o644)
                    import os

                    os.utime(mo, (0, 0))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=boot) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    from babel.messages.mofile import read_mo

    compiled = list(tmp_path.rglob("messages.mo"))
    assert compiled and not list(tmp_path.rglob("*.tmp"))
    for mo in compiled:
        with mo.open("rb") as handle:
            assert len(read_mo(handle)) > 0


def test_xmlrpc_body_limit_holds_for_chunked_bodies(live, monkeypatch):  # noqa: F811
    from core.api import xmlrpc as xmlrpc_door

    monkeypatch.setattr(xmlrpc_door, "MAX_BODY", 64 * 1024)
    call = xmlrpc.client.dumps((), "version").encode()
    padded = call.replace(b"<methodCall>", b"<methodCall>" + b" " * (200 * 1024))

    def chunks():
        for start in range(0, len(padded), 8192):
            yield padded[start:start + 8192]

    connection = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
    connection.request("POST", "/xmlrpc/2/common", body=chunks(), encode_chunked=True,
                       headers={"Content-Type": "text/xml"})
    reply = connection.getresponse().read()
    connection.close()
    assert b"too large" in reply, reply[:300]
    small = http.client.HTTPConnection("127.0.0.1", live.port, timeout=30)
    small.request("POST", "/xmlrpc/2/common", body=iter([call]), encode_chunked=True,
                  headers={"Content-Type": "text/xml"})
    answer = small.getresponse().read()
    small.close()
    assert b"server_version" in answer


def test_uninstall_dry_run_counts_values_of_dropped_columns(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["kt_beta"])
    with runtime.env() as env:
        env["res.partner"].create([{"name": f"P{i}", "beta_level": i + 1} for i in range(3)])
        env["res.partner"].create({"name": "no level"})
    plan = runtime.manager.uninstall(["kt_beta"], dry_run=True)
    assert plan.rows_deleted["res_partner.beta_level"] == 3
    assert any("res_partner.beta_level (3 values)" in line for line in plan.lines()), plan.lines()


def test_posting_a_message_needs_write_access(live):  # noqa: F811
    with live.runtime.env() as env:
        company = env.ref_id("base.main_company")
        admin = live.admin_uid
        own = env["res.partner"].create({"name": "Writable"})
        env["kt.sale"].create({"name": "SO-msg"})
        demo = env(uid=live.demo_uid, su=False)
        assert demo["res.company"].read([company], ["name"])  # readable …
        for model, rid in (("res.company", company), ("res.users", admin)):
            with pytest.raises(AccessError):
                demo[model].call("message_post", [rid], "spam")
        assert demo["res.partner"].call("message_post", [own], "hello")  # … writable: fine
    models = xmlrpc.client.ServerProxy(f"{live.url}/xmlrpc/2/object")
    with pytest.raises(xmlrpc.client.Fault):
        models.execute_kw(live.db, live.demo_uid, DEMO_PASSWORD, "res.company", "message_post",
                          [[company], "spam"])
    with live.runtime.env() as env:
        assert env["mail.message"].search_count([("body", "=", "spam")]) == 0
