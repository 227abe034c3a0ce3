"""Odoo's own client libraries, unmodified, against a live Kangyi: OdooRPC (JSON-RPC) and
odoo-client-lib (XML-RPC on the legacy routes, and JSON-RPC)."""

import xmlrpc.client

import odoolib
import odoorpc
import pytest
from odoolib.tools import AuthenticationError, JsonRPCException

from .api_live import ADMIN_PASSWORD, DEMO_PASSWORD, live  # noqa: F401


def test_odoorpc_scenario(live):  # noqa: F811
    odoo = odoorpc.ODOO("127.0.0.1", port=live.port, timeout=10)
    assert odoo.version == "17.0"
    assert odoo.db.list() == [live.db]
    odoo.login(live.db, "demo", DEMO_PASSWORD)
    assert odoo.env.uid == live.demo_uid and odoo.env.context["uid"] == live.demo_uid
    assert "res.partner" in odoo.env and "x.nothing" not in odoo.env

    Partner = odoo.env["res.partner"]
    fields = Partner.fields_get(attributes=["type", "string"])
    assert fields["email"] == {"type": "char", "string": "Email"}
    acme = Partner.create({"name": "Acme Shanghai", "city": "Shanghai"})
    other = Partner.create({"name": "Other", "email": "acme@example.com"})
    assert Partner.search([("name", "ilike", "acme")]) == [acme]
    assert sorted(Partner.search(["|", ("name", "ilike", "acme"),
                                  ("email", "ilike", "acme")])) == [acme, other]
    rows = Partner.search_read([("name", "ilike", "acme")], ["name"], limit=1, offset=0,
                               order="name asc")
    assert rows == [{"id": acme, "name": "Acme Shanghai"}]

    record = Partner.browse(acme)  # reads every field fields_get announced
    assert record.name == "Acme Shanghai" and record.city == "Shanghai"
    assert not record.parent_id  # an empty recordset
    record.email = "sales@acme.example"  # a write through the record proxy
    assert Partner.read([acme], ["email"])[0]["email"] == "sales@acme.example"
    record.unlink()
    assert Partner.search_count([("id", "=", acme)]) == 0

    order = odoo.env["kt.sale"].create({"name": "SO-RPC", "line_ids": [
        (0, 0, {"name": "Line", "qty": 3, "price_unit": 2})]})
    odoo.env["kt.sale"].browse(order).action_confirm()
    assert odoo.env["kt.sale"].read([order], ["state", "amount_total"])[0] == {
        "id": order, "state": "sale", "amount_total": 6.0}


def test_odoorpc_errors(live):  # noqa: F811
    odoo = odoorpc.ODOO("127.0.0.1", port=live.port, timeout=10)
    with pytest.raises(odoorpc.error.RPCError, match="Wrong login ID or password"):
        odoo.login(live.db, "demo", "wrong password")
    odoo.login(live.db, "demo", DEMO_PASSWORD)
    with pytest.raises(odoorpc.error.RPCError) as error:
        odoo.execute_kw("ir.rule", "search", [[]])
    assert error.value.info["data"]["name"] == "odoo.exceptions.AccessError"
    with pytest.raises(odoorpc.error.RPCError) as error:
        odoo.execute_kw("x.nothing", "search", [[]])
    assert "x.nothing" in str(error.value)
    with pytest.raises(odoorpc.error.RPCError) as error:
        odoo.execute_kw("res.partner", "create", [{"email": "no name"}])
    assert error.value.info["data"]["name"] == "odoo.exceptions.ValidationError"


@pytest.mark.parametrize("protocol", ["xmlrpc", "jsonrpc"])
def test_odoolib_scenario(live, protocol):  # noqa: F811
    connection = odoolib.get_connection(hostname="127.0.0.1", protocol=protocol, port=live.port,
                                        database=live.db, login="demo", password=DEMO_PASSWORD)
    connection.check_login()
    assert connection.user_id == live.demo_uid
    assert connection.get_user_context()["uid"] == live.demo_uid
    partners = connection.get_model("res.partner")
    assert partners.fields_get([], ["type"])["name"] == {"type": "char"}
    first = partners.create({"name": "Lib Acme", "is_company": True})
    second = partners.create({"name": "Lib Beta"})
    assert partners.search([("name", "ilike", "lib acme")]) == [first]
    # search_read is emulated by the library: search(domain, offset, limit, order) then read
    rows = partners.search_read([("name", "ilike", "lib")], ["name"], offset=1, limit=1,
                                order="name asc")
    assert rows == [{"id": second, "name": "Lib Beta"}]
    assert partners.read(first, ["name"]) == {"id": first, "name": "Lib Acme"}  # one int, one dict
    assert partners.write([second], {"name": "Lib Gamma"}) is True
    assert partners.read([second], ["name"])[0]["name"] == "Lib Gamma"
    assert partners.unlink([first, second]) is True
    assert partners.search_count([("name", "ilike", "lib")]) == 0
    assert connection.get_service("db").list() == [live.db]
    assert connection.get_service("common").version()["server_version"] == "17.0"


def test_odoolib_errors(live):  # noqa: F811
    wrong = odoolib.get_connection(hostname="127.0.0.1", protocol="xmlrpc", port=live.port,
                                   database=live.db, login="demo", password="wrong password")
    with pytest.raises(AuthenticationError):
        wrong.check_login()
    connection = odoolib.get_connection(hostname="127.0.0.1", protocol="xmlrpc", port=live.port,
                                        database=live.db, login="admin", password=ADMIN_PASSWORD)
    with pytest.raises(xmlrpc.client.Fault) as fault:
        connection.get_model("x.nothing").search([])
    assert "doesn't exist" in fault.value.faultString
    json_connection = odoolib.get_connection(
        hostname="127.0.0.1", protocol="jsonrpc", port=live.port, database=live.db,
        login="demo", password=DEMO_PASSWORD)
    with pytest.raises(JsonRPCException) as error:
        json_connection.get_model("res.users").write([live.admin_uid], {"name": "Hacked"})
    assert error.value.error["data"]["name"] == "odoo.exceptions.AccessError"
