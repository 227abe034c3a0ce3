"""The REST API under /api/v1 through a real Flask test client: CRUD, lists with domain and
pagination, actions, read_group, API-key authentication, the error shape and statuses, and the
OpenAPI document following the installed addons."""

import json

import pytest

from core.api.apikeys import generate_key

ADMIN_LOGIN = "admin"


@pytest.fixture
def api(make_app):
    """``(client, headers, demo_headers, app)`` with kt_order installed."""
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["kt_order"])
    with runtime.env() as env:
        admin = env.ref_id("base.user_admin")
        demo = env["res.users"].create({"login": "demo", "name": "Demo", "password": "demo1234",
                                        "groups_id": [(6, 0, [env.ref_id("base.group_user")])]})
        admin_key = generate_key(env, admin, "tests")
        demo_key = generate_key(env, demo, "tests")
    return (app.test_client(), {"Authorization": f"Bearer {admin_key}"},
            {"X-API-Key": demo_key}, app)


def error(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and body["error"]["code"] == status
    assert body["error"]["message"] and isinstance(body["error"]["details"], dict)
    return body["error"]


def test_crud(api):
    client, auth, _demo, _app = api
    created = client.post("/api/v1/res.partner", json={"name": "Acme", "city": "Suzhou"},
                          headers=auth)
    assert created.status_code == 201
    record = created.get_json()["data"]
    assert record["name"] == "Acme" and record["email"] is None and record["child_ids"] == []
    assert record["create_uid"]["display_name"] == "Administrator"
    assert created.headers["Location"].endswith(f"/api/v1/res.partner/{record['id']}")
    url = f"/api/v1/res.partner/{record['id']}"
    assert client.get(url + "?fields=name,city", headers=auth).get_json() == {
        "data": {"id": record["id"], "name": "Acme", "city": "Suzhou"}}
    updated = client.patch(url, json={"email": "hi@acme.example", "parent_id": None},
                           headers=auth)
    assert updated.status_code == 200 and updated.get_json()["data"]["email"] == "hi@acme.example"
    assert client.delete(url, headers=auth).status_code == 204
    assert error(client.get(url, headers=auth), 404)["details"]["name"] == "MissingError"


def test_list_search_and_pagination(api):
    client, auth, _demo, _app = api
    for name in ("Alpha", "Beta", "Gamma", "Delta", "Anchor"):
        client.post("/api/v1/res.partner", json={"name": name, "is_company": name < "C"},
                    headers=auth)
    domain = json.dumps(["|", ["name", "ilike", "a"], ["is_company", "=", True]])
    page = client.get(f"/api/v1/res.partner?domain={domain}&fields=name&limit=2&offset=1"
                      "&order=name desc", headers=auth).get_json()
    assert page["meta"] == {"total": 5, "offset": 1, "limit": 2, "count": 2}
    assert [r["name"] for r in page["data"]] == ["Delta", "Beta"]
    body = {"domain": [["name", "=ilike", "a%"]], "fields": ["name"], "order": "name"}
    found = client.post("/api/v1/res.partner/search", json=body, headers=auth).get_json()
    assert [r["name"] for r in found["data"]] == ["Alpha", "Anchor"]
    assert found["meta"]["total"] == 2 and found["meta"]["limit"] == 80


def test_actions_and_commands(api):
    client, auth, demo, _app = api
    order = client.post("/api/v1/kt.sale", headers=demo, json={
        "name": "SO1", "date_order": "2026-11-27",
        "line_ids": [[0, 0, {"name": "A", "qty": 1.5, "price_unit": 10}],
                     [0, 0, {"name": "B", "qty": 2, "price_unit": 0.25}]],
        "tag_ids": []}).get_json()["data"]
    assert len(order["line_ids"]) == 2 and order["state"] == "draft"
    assert order["date_order"] == "2026-11-27"
    confirm = client.post(f"/api/v1/kt.sale/{order['id']}/action_confirm", headers=demo)
    assert confirm.status_code == 200 and confirm.get_json() == {"result": True}
    again = client.post(f"/api/v1/kt.sale/{order['id']}/action_confirm", headers=demo)
    assert "Only quotations" in error(again, 409)["message"]
    read = client.get(f"/api/v1/kt.sale/{order['id']}?fields=state,amount_total", headers=demo)
    assert read.get_json()["data"] == {"id": order["id"], "state": "sale", "amount_total": 15.5}
    secret = client.post(f"/api/v1/kt.sale/{order['id']}/action_secret", headers=demo)
    assert error(secret, 403)["details"]["name"] == "AccessError"
    assert error(client.post(f"/api/v1/kt.sale/{order['id']}/_check_ids", headers=demo), 403)
    assert error(client.post(f"/api/v1/kt.sale/{order['id']}/nothing", headers=demo), 404)
    assert error(client.post(f"/api/v1/kt.sale/{order['id']}/unlink", headers=demo), 404)
    wrong_args = client.post(f"/api/v1/kt.sale/{order['id']}/action_confirm", headers=demo,
                             json={"args": [1, 2, 3]})
    assert error(wrong_args, 400)
    assert error(client.post("/api/v1/kt.sale/999/action_confirm", headers=demo), 404)


def test_read_group(api):
    client, auth, _demo, _app = api
    for name, state in (("A", "draft"), ("B", "draft"), ("C", "cancel")):
        client.post("/api/v1/kt.sale", json={"name": name, "state": state,
                                              "amount_total": 10}, headers=auth)
    groups = client.get("/api/v1/kt.sale/read_group?groupby=state&fields=amount_total"
                        "&orderby=state", headers=auth).get_json()["data"]
    assert [(g["state"], g["state_count"], g["amount_total"]) for g in groups] == [
        ("cancel", 1, 10.0), ("draft", 2, 20.0)]
    assert error(client.get("/api/v1/kt.sale/read_group", headers=auth), 400)
    assert error(client.get("/api/v1/kt.sale/read_group?groupby=nope", headers=auth), 422)


def test_authentication(api):
    client, _auth, _demo, _app = api
    assert "API key" in error(client.get("/api/v1/res.partner"), 401)["message"]
    assert error(client.get("/api/v1/res.partner", headers={"Authorization": "Bearer nope"}), 401)
    assert error(client.get("/api/v1/res.partner",
                            headers={"Authorization": "Bearer " + "0" * 40}), 401)
    # a session cookie is not a credential for the REST API
    with client.session_transaction() as session:
        session["_user_id"] = "2"
    assert error(client.get("/api/v1/res.partner"), 401)


def test_errors(api):
    client, auth, demo, _app = api
    assert error(client.get("/api/v1/x.nothing", headers=auth), 404)
    assert error(client.get("/api/v1/ir.model", headers=auth), 404)
    assert error(client.get("/api/v1/res.partner?domain=[oops", headers=auth), 400)
    assert error(client.get('/api/v1/res.partner?domain=[["nope","=",1]]', headers=auth), 400)
    assert error(client.get('/api/v1/res.partner?domain={"a":1}', headers=auth), 400)
    assert error(client.get("/api/v1/res.partner?limit=0", headers=auth), 400)
    assert error(client.get("/api/v1/res.partner?limit=abc", headers=auth), 400)
    assert error(client.get("/api/v1/res.partner?limit=5000", headers=auth), 400)
    assert error(client.get("/api/v1/res.partner?order=nope", headers=auth), 422)
    assert error(client.post("/api/v1/res.partner/search", data="[1]", headers=auth,
                             content_type="application/json"), 400)
    assert error(client.post("/api/v1/res.partner", data="{bad json", headers=auth,
                             content_type="application/json"), 400)
    missing = error(client.post("/api/v1/res.partner", json={"email": "x"}, headers=auth), 422)
    assert missing["details"]["name"] == "ValidationError"
    bad_choice = error(client.post("/api/v1/kt.sale", json={"name": "x", "state": "nope"},
                                   headers=auth), 422)
    assert bad_choice["details"]["field"] == "state"
    assert error(client.post("/api/v1/res.partner", json={"name": "x", "nope": 1},
                             headers=auth), 422)
    assert error(client.post("/api/v1/res.partner", json={"name": "x", "id": 5},
                             headers=auth), 422)
    denied = error(client.post("/api/v1/res.users", json={"login": "x", "name": "x"},
                               headers=demo), 403)
    assert "res.users" in denied["message"]
    assert error(client.get("/api/v1/ir.rule", headers=demo), 403)
    client.post("/api/v1/res.currency", json={"name": "EUR", "symbol": "E"}, headers=auth)
    duplicate = client.post("/api/v1/res.currency", json={"name": "EUR", "symbol": "E"},
                            headers=auth)
    assert error(duplicate, 409)
    assert client.get('/api/v1/res.currency?domain=[["name","=","EUR"]]',
                      headers=auth).get_json()["meta"]["total"] == 1  # nothing half-saved


def test_openapi_follows_the_registry(make_app):
    app = make_app()
    client = app.test_client()
    before = client.get("/api/v1/openapi.json").get_json()
    assert before["openapi"].startswith("3.")
    assert "/api/v1/res.partner" in before["paths"]
    assert "/api/v1/kt.sale" not in before["paths"]
    partner = before["components"]["schemas"]["res.partner.create"]
    assert partner["required"] == ["name"] and partner["properties"]["email"]["maxLength"] == 255
    assert "password" not in before["components"]["schemas"]["res.users"]["properties"]
    assert before["components"]["schemas"]["res.users.create"]["properties"]["password"][
        "writeOnly"] is True

    app.extensions["kangyi"].manager.install(["kt_order"])
    after = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/kt.sale/{id}/action_confirm" in after["paths"]
    assert "/api/v1/kt.sale/{id}/action_secret" not in after["paths"]
    order = after["components"]["schemas"]["kt.sale.create"]["properties"]
    assert order["state"]["enum"] == ["draft", "sale", "cancel", None]
    assert order["amount_total"]["type"] == "number"
    assert order["date_order"] == {"type": "string", "format": "date", "nullable": True}
    assert after["components"]["schemas"]["kt.sale"]["properties"]["partner_id"]["type"] == (
        "object")
    operations = [op for path in after["paths"].values() for op in path.values()
                  if isinstance(op, dict)]
    assert all({"400", "401", "403", "404", "409", "422"} <= set(op["responses"])
               for op in operations)


def test_list_queries_do_not_grow_with_the_page(api):
    """A page costs a fixed number of queries (no N+1), whatever its size."""
    from sqlalchemy import event

    client, auth, _demo, app = api
    with app.extensions["kangyi"].env() as env:
        company = env.ref_id("base.main_company")
        parent = env["res.partner"].create({"name": "Parent"})
        env["res.partner"].create([{"name": f"P{i:03}", "company_id": company,
                                    "parent_id": parent} for i in range(60)])
    engine = app.extensions["kangyi"].engine
    client.get("/api/v1/res.partner?limit=1", headers=auth)  # the process's security caches
    counts = []
    for limit in (5, 60):
        statements: list[str] = []
        listener = lambda *args, seen=statements: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            page = client.get(f"/api/v1/res.partner?limit={limit}&order=name", headers=auth)
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert page.status_code == 200 and len(page.get_json()["data"]) == limit
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
