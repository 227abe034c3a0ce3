"""Odoo's XML-RPC API driven with Python's ``xmlrpc.client``, as Odoo's documentation shows it,
against a live server."""

import urllib.request
import xmlrpc.client

import pytest

from .api_live import ADMIN_PASSWORD, DEMO_PASSWORD, live  # noqa: F401


def proxies(live):  # noqa: F811
    common = xmlrpc.client.ServerProxy(f"{live.url}/xmlrpc/2/common")
    models = xmlrpc.client.ServerProxy(f"{live.url}/xmlrpc/2/object")
    return common, models


def test_version_and_databases(live):  # noqa: F811
    common, _models = proxies(live)
    version = common.version()
    assert version["server_version"] == "17.0"
    assert version["server_version_info"][:2] == [17, 0]
    assert version["server_serie"] == "17.0" and version["protocol_version"] == 1
    assert version["kangyi_version"]
    db = xmlrpc.client.ServerProxy(f"{live.url}/xmlrpc/2/db")
    assert db.list() == [live.db]
    assert db.server_version() == "17.0"
    with pytest.raises(xmlrpc.client.Fault) as fault:
        db.drop("admin", live.db)
    assert fault.value.faultCode == 3


def test_authenticate(live):  # noqa: F811
    common, _models = proxies(live)
    assert common.authenticate(live.db, "admin", ADMIN_PASSWORD, {}) == live.admin_uid
    assert common.login(live.db, "demo", DEMO_PASSWORD) == live.demo_uid
    assert common.authenticate(live.db, "admin", "wrong password", {}) is False
    assert common.login(live.db, "nobody", "x") is False
    key = live.key(live.demo_uid)
    assert common.login(live.db, "demo", key) == live.demo_uid
    assert common.login(live.db, "admin", key) is False  # someone else's key
    with pytest.raises(xmlrpc.client.Fault) as fault:
        common.login("other_db", "admin", ADMIN_PASSWORD)
    assert fault.value.faultCode == 3 and "other_db" in fault.value.faultString


def test_partner_scenario(live):  # noqa: F811
    """The documented scenario: fields_get, create, search (ilike, |), read, search_read, write,
    unlink, search_count, name_search."""
    _common, models = proxies(live)
    db, uid, pw = live.db, live.demo_uid, DEMO_PASSWORD

    def call(method, args, kwargs=None):
        return models.execute_kw(db, uid, pw, "res.partner", method, args, kwargs or {})

    fields = call("fields_get", [], {"attributes": ["string", "help", "type"]})
    assert fields["name"] == {"string": "Name", "help": "", "type": "char"}
    assert fields["parent_id"]["type"] == "many2one"
    assert "password" not in models.execute_kw(db, uid, pw, "res.users", "fields_get", [])

    acme = call("create", [{"name": "ACME Corp", "is_company": True, "city": "Shanghai"}])
    assert isinstance(acme, int)
    ids = call("create", [[{"name": "Beta Ltd", "is_company": True},
                           {"name": "Gamma", "email": "g@example.com", "parent_id": acme}]])
    beta, gamma = ids
    assert call("search", [[["name", "ilike", "acme"]]]) == [acme]
    assert call("search", [["|", ["name", "ilike", "beta"], ["email", "=", "g@example.com"]]],
                {"order": "name desc"}) == [gamma, beta]
    assert call("search_count", [[["is_company", "=", True]]]) == 2
    # odoo-client-lib style: offset, limit, order as positional arguments, False for "none"
    assert call("search", [[], 1, 1, "name asc"]) == [beta]
    assert call("search", [[], 0, False, False]) == sorted([acme, beta, gamma], key=lambda i: {
        acme: "ACME Corp", beta: "Beta Ltd", gamma: "Gamma"}[i])

    [row] = call("read", [[gamma]], {"fields": ["name", "parent_id", "city", "create_date"]})
    assert row["id"] == gamma and row["parent_id"] == [acme, "ACME Corp"]
    assert row["city"] is False  # never None on XML-RPC
    assert isinstance(row["create_date"], str) and len(row["create_date"]) == 19
    assert call("read", [gamma, ["name"]]) == [{"id": gamma, "name": "Gamma"}]

    rows = call("search_read", [[["is_company", "=", True]]],
                {"fields": ["name"], "limit": 1, "offset": 1, "order": "name asc"})
    assert rows == [{"id": beta, "name": "Beta Ltd"}]

    assert call("write", [[acme], {"name": "ACME Group"}]) is True
    assert call("name_search", ["group"], {"limit": 10}) == [[acme, "ACME Group"]]
    assert call("unlink", [[beta]]) is True
    assert call("search", [[["id", "=", beta]]]) == []


def test_context_is_accepted_everywhere(live):  # noqa: F811
    _common, models = proxies(live)
    ctx = {"context": {"lang": "en_US", "tz": "Asia/Shanghai", "uid": live.demo_uid}}
    args = (live.db, live.demo_uid, DEMO_PASSWORD, "res.partner")
    pid = models.execute_kw(*args, "create", [{"name": "Ctx"}], ctx)
    assert models.execute_kw(*args, "search", [[["id", "=", pid]]], ctx) == [pid]
    assert models.execute_kw(*args, "read", [[pid], ["name"]], ctx)[0]["name"] == "Ctx"
    assert models.execute_kw(*args, "write", [[pid], {"name": "Ctx2"}], ctx) is True
    assert models.execute_kw(*args, "search_count", [[]], ctx) >= 1
    assert models.execute_kw(*args, "fields_get", [], {**ctx, "attributes": ["type"]})
    assert models.execute_kw(*args, "check_access_rights", ["write"], ctx) is True
    assert models.execute_kw(*args, "unlink", [[pid]], ctx) is True
    context = models.execute_kw(live.db, live.demo_uid, DEMO_PASSWORD, "res.users",
                                "context_get", [])
    assert context["uid"] == live.demo_uid and context["lang"] == "en"


def test_execute_positional(live):  # noqa: F811
    _common, models = proxies(live)
    pid = models.execute(live.db, live.admin_uid, ADMIN_PASSWORD, "res.partner", "create",
                         {"name": "Positional"})
    rows = models.execute(live.db, live.admin_uid, ADMIN_PASSWORD, "res.partner", "read", [pid],
                          ["name"])
    assert rows == [{"id": pid, "name": "Positional"}]


def test_order_with_lines_in_one_call(live):  # noqa: F811
    """x2many command tuples: an order and its lines created in one call, then edited."""
    _common, models = proxies(live)

    def call(model, method, args, kwargs=None):
        return models.execute_kw(live.db, live.demo_uid, DEMO_PASSWORD, model, method, args,
                                 kwargs or {})

    red, blue, green = (call("kt.sale.tag", "create", [{"name": n}])
                        for n in ("red", "blue", "green"))
    customer = call("res.partner", "create", [{"name": "Customer"}])
    order = call("kt.sale", "create", [{
        "name": "SO001", "partner_id": customer, "date_order": "2026-11-27",
        "line_ids": [(0, 0, {"name": "Widget", "qty": 2, "price_unit": 10.5}),
                     (0, 0, {"name": "Gadget", "qty": 1, "price_unit": 4})],
        "tag_ids": [(6, 0, [red, blue])]}])
    [row] = call("kt.sale", "read", [[order], ["line_ids", "tag_ids", "date_order", "state"]])
    assert len(row["line_ids"]) == 2 and row["tag_ids"] == [red, blue]
    assert row["date_order"] == "2026-11-27" and row["state"] == "draft"
    widget, gadget = row["line_ids"]
    assert call("kt.sale", "write", [[order], {
        "line_ids": [(1, widget, {"qty": 3}), (2, gadget, 0),
                     (0, 0, {"name": "Extra", "price_unit": 1})],
        "tag_ids": [(3, red, 0), (4, green, 0)]}]) is True
    lines = call("kt.sale.line", "search_read", [[["order_id", "=", order]]],
                 {"fields": ["name", "qty"], "order": "id"})
    assert [(r["name"], r["qty"]) for r in lines] == [("Widget", 3.0), ("Extra", 1.0)]
    assert call("kt.sale", "read", [[order], ["tag_ids"]])[0]["tag_ids"] == [blue, green]

    assert call("kt.sale", "action_confirm", [[order]]) is True
    [row] = call("kt.sale", "read", [[order], ["state", "amount_total"]])
    assert row == {"id": order, "state": "sale", "amount_total": 32.5}
    with pytest.raises(xmlrpc.client.Fault) as fault:
        call("kt.sale", "action_confirm", [[order]])
    assert fault.value.faultCode == 2 and "Only quotations" in fault.value.faultString

    assert call("kt.sale", "write", [[order], {"tag_ids": [(5,)]}]) is True
    assert call("kt.sale", "read", [[order], ["tag_ids"]])[0]["tag_ids"] == []
    with pytest.raises(xmlrpc.client.Fault) as fault:  # nothing half-saved
        call("kt.sale", "create", [{"name": "SO002", "line_ids": [(0, 0, {"qty": 1})]}])
    assert fault.value.faultCode == 2
    assert call("kt.sale", "search", [[["name", "=", "SO002"]]]) == []
    assert call("kt.sale.line", "search_count", [[]]) == 2


def test_faults(live):  # noqa: F811
    _common, models = proxies(live)
    db, uid = live.db, live.demo_uid

    def fault_of(*args, password=DEMO_PASSWORD, user=uid):
        with pytest.raises(xmlrpc.client.Fault) as fault:
            models.execute_kw(db, user, password, *args)
        return fault.value

    assert fault_of("res.partner", "search", [[]], password="wrong").faultCode == 3
    assert fault_of("res.partner", "search", [[]], user=9999).faultCode == 3
    unknown = fault_of("x.nothing", "search", [[]])
    assert unknown.faultCode == 2 and unknown.faultString == "Object x.nothing doesn't exist"
    assert fault_of("res.partner", "_where", [[]]).faultCode == 4
    assert fault_of("res.partner", "__init__", []).faultCode == 4
    assert fault_of("kt.sale", "action_secret", [[1]]).faultCode == 4  # not @public
    assert fault_of("res.partner", "no_such_method", [[1]]).faultCode == 1
    denied = fault_of("ir.model.access", "search", [[]])
    assert denied.faultCode == 4 and "ir.model.access" in denied.faultString
    assert fault_of("res.users", "write", [[uid], {"name": "Me"}]).faultCode == 4
    assert fault_of("res.partner", "create", [{"name": False}]).faultCode == 2  # required
    assert fault_of("res.partner", "read", [[424242]]).faultCode == 2  # missing record
    assert fault_of("res.partner", "search", [[["nope", "=", 1]]]).faultCode == 2
    assert fault_of("res.partner", "search", [[]], {"limit": "ten"}).faultCode == 1
    assert fault_of("res.partner", "read", ["x"]).faultCode == 1
    with pytest.raises(xmlrpc.client.Fault) as fault:
        models.execute_kw("other_db", uid, DEMO_PASSWORD, "res.partner", "search", [[]])
    assert fault.value.faultCode == 3


def test_legacy_routes_use_string_fault_codes(live):  # noqa: F811
    common = xmlrpc.client.ServerProxy(f"{live.url}/xmlrpc/common")
    models = xmlrpc.client.ServerProxy(f"{live.url}/xmlrpc/object")
    uid = common.login(live.db, "demo", DEMO_PASSWORD)
    assert uid == live.demo_uid
    assert models.execute_kw(live.db, uid, DEMO_PASSWORD, "res.partner", "search", [[]]) == []
    with pytest.raises(xmlrpc.client.Fault) as fault:
        models.execute_kw(live.db, uid, DEMO_PASSWORD, "x.nothing", "search", [[]])
    assert fault.value.faultCode == "warning -- UserError\n\nObject x.nothing doesn't exist"
    with pytest.raises(xmlrpc.client.Fault) as fault:
        models.execute_kw(live.db, uid, "bad", "res.partner", "search", [[]])
    assert fault.value.faultCode == "AccessDenied"
    with pytest.raises(xmlrpc.client.Fault) as fault:
        models.execute_kw(live.db, uid, DEMO_PASSWORD, "ir.rule", "search", [[]])
    assert fault.value.faultCode.startswith("warning -- AccessError\n\n")


def test_answers_never_contain_nil(live):  # noqa: F811
    with live.runtime.env() as env:
        pid = env["res.partner"].create({"name": "Empty \x07bell"})
    body = xmlrpc.client.dumps((live.db, live.demo_uid, DEMO_PASSWORD, "res.partner", "read",
                                [[pid]]), "execute_kw")
    request = urllib.request.Request(f"{live.url}/xmlrpc/2/object", data=body.encode(),
                                     headers={"Content-Type": "text/xml"})
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
    assert "<nil" not in text and "<boolean>0</boolean>" in text
    assert "Empty bell" in text  # control characters cannot travel in XML


def test_bad_requests_are_faults_not_pages(live):  # noqa: F811
    for payload in (b"not xml at all", b"<?xml version='1.0'?><methodCall></methodCall>"):
        request = urllib.request.Request(f"{live.url}/xmlrpc/2/object", data=payload,
                                         headers={"Content-Type": "text/xml"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            text = response.read().decode()
        assert "<fault>" in text
    common = xmlrpc.client.ServerProxy(f"{live.url}/xmlrpc/2/common")
    with pytest.raises(xmlrpc.client.Fault):
        common.no_such_method()
    with pytest.raises(xmlrpc.client.Fault):
        common.login("only one argument")
    nowhere = xmlrpc.client.ServerProxy(f"{live.url}/xmlrpc/2/nowhere")
    with pytest.raises(xmlrpc.client.Fault):
        nowhere.list()


def test_ir_model_is_readable(live):  # noqa: F811
    _common, models = proxies(live)

    def call(user, password, model, method, args, kwargs=None):
        return models.execute_kw(live.db, user, password, model, method, args, kwargs or {})

    demo = (live.demo_uid, DEMO_PASSWORD)
    [order] = call(*demo, "ir.model", "search_read", [[["model", "=", "kt.sale"]]],
                   {"fields": ["model", "name", "modules"]})
    assert order["name"] == "Order" and order["modules"] == "kt_order"
    assert call(*demo, "ir.model", "search", [[["model", "=", "ir.model.access"]]]) == []
    assert call(live.admin_uid, ADMIN_PASSWORD, "ir.model", "search_count",
                [[["model", "=", "ir.model.access"]]]) == 1
    fields = call(*demo, "ir.model.fields", "search_read",
                  [["&", ["model", "=", "kt.sale"], "|", ["ttype", "=", "one2many"],
                    ["name", "=like", "partner%"]]],
                  {"fields": ["name", "ttype", "relation", "model_id"], "order": "name"})
    assert [(f["name"], f["ttype"], f["relation"]) for f in fields] == [
        ("line_ids", "one2many", "kt.sale.line"), ("partner_id", "many2one", "res.partner")]
    assert fields[0]["model_id"] == [order["id"], "kt.sale"]
    assert call(*demo, "ir.model.fields", "search_count",
                [[["model", "=", "res.users"], ["name", "=", "password"]]]) == 0
    with pytest.raises(xmlrpc.client.Fault) as fault:
        call(*demo, "ir.model", "unlink", [[order["id"]]])
    assert fault.value.faultCode == 4


def test_password_is_checked_on_every_call(live):  # noqa: F811
    _common, models = proxies(live)
    args = (live.db, live.demo_uid)
    assert models.execute_kw(*args, DEMO_PASSWORD, "res.partner", "search_count", [[]]) == 0
    with live.runtime.env() as env:  # the password changes: the old one stops working at once
        env["res.users"].write([live.demo_uid], {"password": "a new secret"})
    with pytest.raises(xmlrpc.client.Fault) as fault:
        models.execute_kw(*args, DEMO_PASSWORD, "res.partner", "search_count", [[]])
    assert fault.value.faultCode == 3
    assert models.execute_kw(*args, "a new secret", "res.partner", "search_count", [[]]) == 0
    with live.runtime.env() as env:  # an archived user is refused too
        env["res.users"].write([live.demo_uid], {"active": False})
    with pytest.raises(xmlrpc.client.Fault) as fault:
        models.execute_kw(*args, "a new secret", "res.partner", "search_count", [[]])
    assert fault.value.faultCode == 3


def test_database_name(make_app, database_url):
    from core.api.rpc import database_name

    app = make_app()
    with app.app_context():
        expected = database_url.rsplit("/", 1)[-1]
        assert database_name() == (expected[:-3] if expected.endswith(".db") else expected)
    named = make_app(DATABASE_NAME="erp_prod")
    with named.app_context():
        assert database_name() == "erp_prod"


def test_password_guessing_is_throttled(live):  # noqa: F811
    common, models = proxies(live)
    for _attempt in range(5):
        assert common.login(live.db, "demo", "guess") is False
    with pytest.raises(xmlrpc.client.Fault) as fault:  # even the right password, for a while
        common.login(live.db, "demo", DEMO_PASSWORD)
    assert fault.value.faultCode == 3 and "Too many" in fault.value.faultString
    assert common.login(live.db, "admin", ADMIN_PASSWORD) == live.admin_uid  # others unaffected
    for _attempt in range(5):
        with pytest.raises(xmlrpc.client.Fault):
            models.execute_kw(live.db, live.admin_uid, "guess", "res.partner", "search", [[]])
    with pytest.raises(xmlrpc.client.Fault) as fault:
        models.execute_kw(live.db, live.admin_uid, ADMIN_PASSWORD, "res.partner", "search", [[]])
    assert "Too many" in fault.value.faultString
