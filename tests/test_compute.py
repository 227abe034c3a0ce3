"""Computed and related fields (fixture addon ``kt_compute``): stored ones recomputed through every
door in one batch per flush, the others computed on read; searchable, sortable and groupable when
stored; read-only everywhere; described by fields_get; checked when the registry is built."""

from __future__ import annotations

import re
import xmlrpc.client
from decimal import Decimal

import pytest

from core.addons import discover_addons
from core.api.apikeys import generate_key
from core.errors import AddonError, DomainError, ValidationError
from core.lifecycle import build_registry
from tests.conftest import FIXTURE_ADDONS
from tests.web_helpers import client_for, count_queries, csrf, make_user


def _lines(*specs):
    return [(0, 0, {"name": f"l{i}", "quantity": q, "price_unit": p, "tax_rate": t})
            for i, (q, p, t) in enumerate(specs)]


@pytest.fixture
def rt(make_runtime):
    runtime = make_runtime()
    with runtime.env() as env:  # a partner older than the addon's computed column
        env["res.partner"].create({"name": "early bird"})
    runtime.manager.install(["kt_compute"])
    return runtime


def test_stored_fields_follow_lines_through_create_write_move_and_unlink(rt):
    with rt.env() as env:
        invoices, lines = env["kt.invoice"], env["kt.invoice.line"]
        first = invoices.create({"name": "A", "line_ids": _lines((2, 10, 10), (1, 5, 0))})
        assert invoices.read(first, ["amount_untaxed", "amount_total", "large"])[0] == {
            "id": first, "amount_untaxed": Decimal("25.00"), "amount_total": Decimal("27.00"),
            "large": False}
        a, b = lines.search([("invoice_id", "=", first)])
        lines.write(a, {"quantity": 200})  # a line's input → its subtotal → the total → large
        assert invoices.read(first, ["amount_total", "large"])[0]["large"] is True
        assert invoices.read(first, ["amount_total"])[0]["amount_total"] == Decimal("2205.00")
        second = invoices.create({"name": "B"})
        lines.write(b, {"invoice_id": second})  # moved: both invoices change
        totals = {r["id"]: r["amount_total"] for r in invoices.read([first, second],
                                                                    ["amount_total"])}
        assert totals == {first: Decimal("2200.00"), second: Decimal("5.00")}
        lines.unlink(a)
        assert invoices.read(first, ["amount_total", "large"])[0]["large"] is False
        invoices.write(second, {"line_ids": [(0, 0, {"name": "c", "quantity": 1,
                                                     "price_unit": 1})]})
        assert invoices.read(second, ["amount_total"])[0]["amount_total"] == Decimal("6.00")


def test_related_fields_follow_many2one_paths(rt):
    with rt.env() as env:
        east = env["kt.region"].create({"name": "East", "code": "E"})
        west = env["kt.region"].create({"name": "West", "code": "W"})
        partner = env["res.partner"].create({"name": "Acme", "kt_region_id": east})
        invoice = env["kt.invoice"].create({"name": "A", "partner_id": partner,
                                            "line_ids": _lines((1, 1, 0))})
        line = env["kt.invoice"].read(invoice, ["line_ids"])[0]["line_ids"][0]
        assert env["kt.invoice.line"].read(line, ["partner_id"])[0]["partner_id"] == (
            partner, "Acme")
        env["res.partner"].write(partner, {"kt_region_id": west})  # two steps away
        env["kt.region"].write(west, {"code": "WW"})
        assert env["kt.invoice"].read(invoice, ["region_id", "region_code"])[0] == {
            "id": invoice, "region_id": (west, "West"), "region_code": "WW"}
        other = env["res.partner"].create({"name": "Bolt"})
        env["kt.invoice"].write(invoice, {"partner_id": other})
        assert env["kt.invoice.line"].read(line, ["partner_id"])[0]["partner_id"] == (
            other, "Bolt")
        assert env["kt.invoice"].read(invoice, ["region_id"])[0]["region_id"] is None


def test_tracked_computed_fields_leave_a_history_line_when_they_change(rt):
    with rt.env() as env:
        invoice = env["kt.invoice"].create({"name": "A", "line_ids": _lines((1, 5, 0))})
        line = env["kt.invoice"].read(invoice, ["line_ids"])[0]["line_ids"][0]
        env["kt.invoice.line"].write(line, {"quantity": 3})
        rows = env["mail.tracking"].search_read(
            [("res_model", "=", "kt.invoice"), ("res_id", "=", invoice),
             ("field", "=", "amount_total")], ["old_value", "new_value"])
    assert len(rows) == 1  # the change, not the first computation
    assert "5" in rows[0]["old_value"] and "15" in rows[0]["new_value"]


def test_fields_computed_on_read_and_new_columns_filled_at_install(rt):
    with rt.env() as env:
        invoice = env["kt.invoice"].create({"name": "A", "line_ids": _lines((1, 1, 0),
                                                                             (1, 2, 0))})
        assert env["kt.invoice"].search_read([("id", "=", invoice)], ["line_count"]) == [
            {"id": invoice, "line_count": 2}]
        record = env["kt.invoice"].browse(invoice)[0]
        assert record.line_count == 2 and record.amount_total == Decimal("3.00")
        early = env["res.partner"].search_read([("name", "=", "early bird")], ["kt_upper_name"])
        assert early[0]["kt_upper_name"] == "EARLY BIRD"


def test_stored_fields_search_sort_and_group(rt):
    with rt.env() as env:
        east = env["kt.region"].create({"name": "East"})
        partner = env["res.partner"].create({"name": "Acme", "kt_region_id": east})
        small = env["kt.invoice"].create({"name": "S", "line_ids": _lines((1, 10, 0))})
        big = env["kt.invoice"].create({"name": "B", "partner_id": partner,
                                        "line_ids": _lines((3, 1000, 0))})
        invoices = env["kt.invoice"]
        assert invoices.search([("amount_total", ">", 100)]) == [big]
        assert invoices.search([("region_id.name", "=", "East")]) == [big]
        assert invoices.search([], order="amount_total desc") == [big, small]
        groups = invoices.read_group([], ["amount_total:sum"], ["large"])
        assert {(g["large"], g["amount_total"]) for g in groups} == {
            (False, Decimal("10.00")), (True, Decimal("3000.00"))}
        with pytest.raises(DomainError, match="cannot be searched"):
            invoices.search([("line_count", ">", 1)])
        with pytest.raises(ValidationError):
            invoices.search([], order="line_count")
        with pytest.raises(ValidationError):
            invoices.read_group([], ["amount_total"], ["line_count"])


def test_computed_fields_are_read_only_and_described(rt):
    with rt.env() as env:
        invoices = env["kt.invoice"]
        invoice = invoices.create({"name": "A", "line_ids": _lines((1, 5, 0))})
        with pytest.raises(ValidationError, match="Total of kt.invoice is computed"):
            invoices.write(invoice, {"amount_total": 99})
        with pytest.raises(ValidationError, match="is computed"):
            invoices.create({"name": "B", "amount_total": 5})
        with pytest.raises(ValidationError, match="is computed"):
            invoices.write(invoice, {"region_id": env["kt.region"].create({"name": "X"})})
        invoices.write(invoice, {"name": "A2", "amount_total": 5.0})  # sent back as read: kept
        described = invoices.fields_get(["amount_total", "region_id", "line_count", "name"])
    assert described["amount_total"]["readonly"] and described["amount_total"]["store"]
    assert described["amount_total"]["depends"] == ["line_ids.subtotal", "line_ids.tax"]
    assert described["region_id"]["related"] == "partner_id.kt_region_id"
    assert described["region_id"]["store"] and described["region_id"]["readonly"]
    line_count = described["line_count"]
    assert (line_count["store"], line_count["searchable"], line_count["sortable"]) == (
        False, False, False)
    assert "depends" not in described["name"] and not described["name"]["readonly"]


def test_recompute_is_one_batch_whatever_the_number_of_records(rt):
    """Statements of one write to every line and of one create with many lines do not grow
    with the number of records: one recompute per flush point, no query per record."""
    def counts(size):
        with rt.env() as env:
            invoices = env["kt.invoice"].create([{"name": f"I{i}", "line_ids": _lines((1, 2, 5))}
                                                 for i in range(size)])
            line_ids = env["kt.invoice.line"].search([("invoice_id", "in", invoices)])
            env.session.flush()
            env.session.expire_all()
            with count_queries(rt.engine) as statements:
                env["kt.invoice.line"].write(line_ids, {"price_unit": 3})
            # (the history of the tracked total is a row per invoice by nature)
            written = len([s for s in statements if "INSERT INTO mail_tracking" not in s])
            totals = env["kt.invoice"].read(invoices, ["amount_total"])
            assert {t["amount_total"] for t in totals} == {Decimal("3.15")}
            env.session.expire_all()
            with count_queries(rt.engine) as statements:
                env["kt.invoice"].write(invoices[0], {"line_ids": _lines(
                    *[(1, 1, 0)] * size)})
            created = [s for s in statements if not s.lstrip().upper().startswith("INSERT")]
            assert env["kt.invoice"].read(invoices[0], ["amount_total"])[0][
                "amount_total"] == Decimal(size) + Decimal("3.15")
        return written, len(created)

    small, large = counts(3), counts(30)
    assert small == large


def test_the_registry_refuses_wrong_declarations(rt):
    available = discover_addons(FIXTURE_ADDONS)
    classes = build_registry(available, ["base", "kt_compute"])
    invoice = classes["kt.invoice"]
    method = invoice.__fields__["amount_total"]
    original = method.compute
    try:
        method.compute = "_no_such_method"
        with pytest.raises(AddonError, match="_no_such_method, which the model does not have"):
            build_registry(available, ["base", "kt_compute"])
    finally:
        method.compute = original
    info = invoice.__fields__["large"]
    try:
        info.depends = ("line_ids.nothing",)
        with pytest.raises(AddonError, match="depends on line_ids.nothing"):
            build_registry(available, ["base", "kt_compute"])
        info.depends = ("large",)  # itself
        with pytest.raises(AddonError, match="cycle"):
            build_registry(available, ["base", "kt_compute"])
    finally:
        info.depends = ()


@pytest.fixture
def app(make_app):
    app = make_app(DATABASE_NAME="kangyi_test")
    app.extensions["kangyi"].manager.install(["kt_compute"])
    make_user(app, "ivy", ["kt_compute.group_user"])
    with app.extensions["kangyi"].env() as env:
        east = env["kt.region"].create({"name": "East"})
        west = env["kt.region"].create({"name": "West"})
        for name, region, price in (("Acme", east, 700), ("Bolt", east, 800),
                                    ("Cog", west, 5)):
            partner = env["res.partner"].create({"name": name, "kt_region_id": region})
            env["kt.invoice"].create({"name": f"INV-{name}", "partner_id": partner,
                                      "line_ids": _lines((2, price, 0))})
    return app


def test_web_form_shows_computed_values_and_saves_lines(app):
    client = client_for(app, "ivy")
    with app.extensions["kangyi"].env() as env:
        invoice = env["kt.invoice"].search([("name", "=", "INV-Acme")])[0]
        line = env["kt.invoice"].read(invoice, ["line_ids"])[0]["line_ids"][0]
    url = f"/web/kt.invoice/{invoice}"
    html = client.get(url).get_data(as_text=True)
    assert "1,400.00" in html and "Region code" in html
    saved = client.post(url, data={
        "csrf_token": csrf(client, url), "name": "INV-Acme",
        "line_ids-0-id": str(line), "line_ids-0-name": "l0", "line_ids-0-quantity": "3",
        "line_ids-0-price_unit": "700", "line_ids-0-subtotal": "1400.00"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert "2,100.00" in client.get(url).get_data(as_text=True)


def test_web_list_groups_by_stored_computed_fields(app):
    client = client_for(app, "ivy")
    html = client.get("/web/kt.invoice?groupby=region_id").get_data(as_text=True)
    rows = re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>\s*<td class="num">(\d+)</td>\s*'
                      r'<td class="num">([^<]+)</td>', html)
    assert rows == [("East", "2", "3,000.00"), ("West", "1", "10.00")]
    html = client.get("/web/kt.invoice?groupby=large").get_data(as_text=True)
    assert re.findall(r'<td class="num">(\d+)</td>', html)[:2] == ["1", "2"]


def test_rest_and_xmlrpc_read_computed_fields_and_refuse_writes(app):
    client = app.test_client()
    runtime = app.extensions["kangyi"]
    with runtime.env() as env:
        ivy = env["res.users"].search([("login", "=", "ivy")])[0]
        key = generate_key(env, ivy, "tests")
        invoice = env["kt.invoice"].search([("name", "=", "INV-Cog")])[0]
    auth = {"Authorization": f"Bearer {key}"}
    url = f"/api/v1/kt.invoice/{invoice}"
    data = client.get(url + "?fields=amount_total,line_count,region_code",
                      headers=auth).get_json()["data"]
    assert data == {"id": invoice, "amount_total": 10.0, "line_count": 1, "region_code": None}
    refused = client.patch(url, json={"amount_total": 1}, headers=auth)
    assert refused.status_code == 422
    assert "computed" in refused.get_json()["error"]["message"]

    def rpc(method, *args):
        body = xmlrpc.client.dumps(("kangyi_test", ivy, key, "kt.invoice", method, list(args)),
                                   "execute_kw")
        reply = client.post("/xmlrpc/2/object", data=body, content_type="text/xml")
        return xmlrpc.client.loads(reply.data)[0][0]

    assert rpc("read", [invoice], ["amount_total", "large"]) == [
        {"id": invoice, "amount_total": 10.0, "large": False}]
    with pytest.raises(xmlrpc.client.Fault, match="computed"):
        rpc("write", [invoice], {"amount_total": 3})


# -- inverse methods and computed x2many fields ----------------------------------------------


def test_writing_a_computed_field_calls_its_inverse(rt):
    """A stored computed field with ``inverse=`` written (or given at create) sets what it is
    computed from, and what depends on it follows; one computed on read likewise."""
    with rt.env() as env:
        invoices, lines = env["kt.invoice"], env["kt.invoice.line"]
        partner = env["res.partner"].create({"name": "Acme"})
        invoice = invoices.create({"name": "A", "partner_id": partner, "line_ids": [
            (0, 0, {"name": "a", "quantity": 4, "subtotal": 100})]})
        line = lines.search([("invoice_id", "=", invoice)])[0]
        assert lines.read(line, ["price_unit", "subtotal"])[0] == {
            "id": line, "price_unit": Decimal("25.00"), "subtotal": Decimal("100.00")}
        lines.write(line, {"subtotal": 2000})
        assert lines.read(line, ["price_unit"])[0]["price_unit"] == Decimal("500.00")
        assert invoices.read(invoice, ["amount_total", "large"])[0] == {
            "id": invoice, "amount_total": Decimal("2000.00"), "large": True}
        with pytest.raises(ValidationError, match="Give a quantity"):
            lines.create({"name": "b", "invoice_id": invoice, "subtotal": 5})
        assert lines.search_count([("invoice_id", "=", invoice)]) == 1  # nothing half-saved
        invoices.write(invoice, {"partner_name": "Acme Ltd"})
        assert env["res.partner"].read(partner, ["name"])[0]["name"] == "Acme Ltd"
        assert invoices.read(invoice, ["partner_name"])[0]["partner_name"] == "Acme Ltd"
        other = invoices.create({"name": "B", "partner_id": partner, "partner_name": "Acme 2"})
        assert invoices.read([invoice, other], ["partner_name"])[1]["partner_name"] == "Acme 2"
        # a value sent back unchanged does not call the inverse (a form saved whole)
        lines.write(line, {"quantity": 5, "subtotal": 2000})
        assert lines.read(line, ["subtotal"])[0]["subtotal"] == Decimal("2500.00")
        described = lines.fields_get(["subtotal"])["subtotal"]
        assert described["readonly"] is False and described["inverse"] is True


def test_computed_x2many_fields_are_read_by_every_reader(rt):
    with rt.env() as env:
        east = env["kt.region"].create({"name": "East"})
        acme, bolt, cog = env["res.partner"].create([
            {"name": n, "kt_region_id": east} for n in ("Acme", "Bolt", "Cog")])
        invoices = env["kt.invoice"]
        invoice = invoices.create({"name": "A", "partner_id": acme,
                                   "line_ids": _lines((1, 500, 0), (1, 5, 0), (2, 60, 0))})
        big, _small, mid = env["kt.invoice.line"].search([("invoice_id", "=", invoice)])
        row = invoices.read(invoice, ["large_line_ids", "neighbour_ids", "line_count"])[0]
        assert row == {"id": invoice, "large_line_ids": [big, mid],
                       "neighbour_ids": [bolt, cog], "line_count": 3}
        assert invoices.search_read([("id", "=", invoice)], ["large_line_ids"])[0][
            "large_line_ids"] == [big, mid]
        record = invoices.browse(invoice)[0]
        assert [line.id for line in record.large_line_ids] == [big, mid]
        with pytest.raises(DomainError, match="cannot be searched"):
            invoices.search([("neighbour_ids", "=", bolt)])
        with pytest.raises(ValidationError, match="is computed"):
            invoices.write(invoice, {"neighbour_ids": [(6, 0, [acme])]})
        invoices.write(invoice, {"name": "A2", "neighbour_ids": [bolt, cog]})  # as read: kept
        described = invoices.fields_get(["neighbour_ids"])["neighbour_ids"]
        assert (described["readonly"], described["searchable"], described["store"]) == (
            True, False, False)


def test_the_registry_refuses_a_missing_inverse_and_stored_paths_through_computed_x2many(rt):
    available = discover_addons(FIXTURE_ADDONS)
    classes = build_registry(available, ["base", "kt_compute"])
    subtotal = classes["kt.invoice.line"].__fields__["subtotal"]
    large = classes["kt.invoice"].__fields__["large"]
    try:
        subtotal.inverse = "_no_inverse"
        with pytest.raises(AddonError, match="_no_inverse, which the model does not have"):
            build_registry(available, ["base", "kt_compute"])
    finally:
        subtotal.inverse = "_inverse_subtotal"
    try:
        large.depends = ("large_line_ids.subtotal",)
        with pytest.raises(AddonError, match="through the computed field"):
            build_registry(available, ["base", "kt_compute"])
    finally:
        large.depends = ()
    with pytest.raises(TypeError):
        from core import fields

        fields.Char("x", inverse="_x")  # an inverse without a compute method


def test_web_form_writes_through_inverse_and_shows_computed_x2many_read_only(app):
    client = client_for(app, "ivy")
    with app.extensions["kangyi"].env() as env:
        invoice = env["kt.invoice"].search([("name", "=", "INV-Acme")])[0]
        line = env["kt.invoice"].read(invoice, ["line_ids"])[0]["line_ids"][0]
        acme, bolt = env["res.partner"].search([("name", "in", ("Acme", "Bolt"))])
    url = f"/web/kt.invoice/{invoice}"
    html = client.get(url).get_data(as_text=True)
    assert 'name="line_ids-0-subtotal"' in html  # editable: it has an inverse
    assert 'name="large_line_ids' not in html and 'name="neighbour_ids' not in html
    assert "Bolt" in html and "1,400.00" in html  # shown read-only
    form = {"csrf_token": csrf(client, url), "name": "INV-Acme", "partner_id": str(acme),
            "partner_name": "Acme", "line_ids-0-id": str(line), "line_ids-0-name": "l0",
            "line_ids-0-quantity": "2", "line_ids-0-price_unit": "700"}
    saved = client.post(url, data={**form, "line_ids-0-subtotal": "3000"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with app.extensions["kangyi"].env() as env:
        assert env["kt.invoice.line"].read(line, ["price_unit"])[0]["price_unit"] == 1500
    refused = client.post(url, data={**form, "csrf_token": csrf(client, url),
                                     "line_ids-0-quantity": "0", "line_ids-0-subtotal": "10"})
    assert refused.status_code == 422
    assert "Give a quantity before a subtotal." in refused.get_data(as_text=True)
    with app.extensions["kangyi"].env() as env:
        assert env["kt.invoice.line"].read(line, ["quantity"])[0]["quantity"] == 2
        assert bolt  # (the neighbour shown above)


def test_rest_and_xmlrpc_write_through_inverse_and_read_computed_x2many(app):
    client = app.test_client()
    with app.extensions["kangyi"].env() as env:
        ivy = env["res.users"].search([("login", "=", "ivy")])[0]
        key = generate_key(env, ivy, "tests")
        invoice = env["kt.invoice"].search([("name", "=", "INV-Bolt")])[0]
        line = env["kt.invoice"].read(invoice, ["line_ids"])[0]["line_ids"][0]
        acme = env["res.partner"].search([("name", "=", "Acme")])[0]
    auth = {"Authorization": f"Bearer {key}"}
    patched = client.patch(f"/api/v1/kt.invoice.line/{line}", json={"subtotal": 50},
                           headers=auth)
    assert patched.status_code == 200, patched.get_json()
    data = client.get(f"/api/v1/kt.invoice/{invoice}?fields=amount_total,large_line_ids,"
                      "neighbour_ids", headers=auth).get_json()["data"]
    assert data == {"id": invoice, "amount_total": 50.0, "large_line_ids": [],
                    "neighbour_ids": [acme]}

    def rpc(method, *args):
        body = xmlrpc.client.dumps(("kangyi_test", ivy, key, "kt.invoice.line", method,
                                    list(args)), "execute_kw")
        reply = client.post("/xmlrpc/2/object", data=body, content_type="text/xml")
        return xmlrpc.client.loads(reply.data)[0][0]

    assert rpc("write", [line], {"subtotal": 400}) is True
    assert rpc("read", [line], ["price_unit", "subtotal"]) == [
        {"id": line, "price_unit": 200.0, "subtotal": 400.0}]
    with pytest.raises(xmlrpc.client.Fault, match="Give a quantity"):
        rpc("create", {"name": "x", "invoice_id": invoice, "quantity": 0, "subtotal": 1})


def test_new_records_insert_their_related_values(rt):
    """A stored related field of a new record whose path is set is written by its INSERT, not
    by an UPDATE after it (one statement and one flush less per created batch); one without
    the link is computed after the flush as before."""
    with rt.env() as env:
        partner = env["res.partner"].create({"name": "Acme"})
        invoice = env["kt.invoice"].create({"name": "A", "partner_id": partner})
        env.session.flush()
        with count_queries(rt.engine) as statements:
            line = env["kt.invoice.line"].create({"name": "l", "invoice_id": invoice,
                                                  "quantity": 1, "price_unit": 2})
        updates = [s for s in statements
                   if s.lstrip().upper().startswith("UPDATE KT_INVOICE_LINE")]
        assert updates and not any("partner_id" in s for s in updates), statements
        assert env["kt.invoice.line"].read(line, ["partner_id", "subtotal"])[0] == {
            "id": line, "partner_id": (partner, "Acme"), "subtotal": Decimal("2.00")}
        orphan = env["kt.invoice.line"].create({"name": "o"})  # no path: computed after
        env["kt.invoice.line"].write(orphan, {"invoice_id": invoice})
        assert env["kt.invoice.line"].read(orphan, ["partner_id"])[0]["partner_id"][0] == partner


def test_related_values_follow_a_change_in_the_same_flush(rt):
    """A changed link of the record itself, or a changed field that other records copy through
    one many2one, sets those related fields before the flush: one flush writes all of it."""
    from sqlalchemy import event

    with rt.env() as env:
        east = env["kt.region"].create({"name": "East"})
        acme = env["res.partner"].create({"name": "Acme", "kt_region_id": east})
        bolt = env["res.partner"].create({"name": "Bolt"})
        invoice = env["kt.invoice"].create({"name": "A", "partner_id": acme,
                                            "line_ids": _lines((1, 1, 0), (2, 2, 0))})
        env.session.flush()
        flushes = []
        event.listen(env.session, "after_flush", lambda *_a: flushes.append(1))
        env["kt.invoice"].write(invoice, {"partner_id": bolt})
        assert len(flushes) == 1
        lines = env["kt.invoice.line"].search_read([("invoice_id", "=", invoice)],
                                                   ["partner_id"])
        assert {r["partner_id"][0] for r in lines} == {bolt}
        assert env["kt.invoice"].read(invoice, ["region_id"])[0]["region_id"] is None
        env["res.partner"].write(bolt, {"kt_region_id": east})  # two steps: after the flush
        assert env["kt.invoice"].read(invoice, ["region_id"])[0]["region_id"][0] == east


def test_local_fields_are_written_by_their_records_own_insert_and_update(rt):
    """A stored field computed from plain fields of its own record only (no path, no inverse,
    no tracking) is computed before the flush: the INSERT or the UPDATE writing the record
    writes it too, with no recompute round after it."""
    with rt.env() as env:
        partners = env["res.partner"]
        env.session.flush()
        with count_queries(rt.engine) as created:
            acme = partners.create({"name": "Acme"})
        with count_queries(rt.engine) as written:
            partners.write(acme, {"name": "Acme Ltd"})
            assert partners.read(acme, ["kt_upper_name"])[0]["kt_upper_name"] == "ACME LTD"
        record = partners.browse_unchecked([acme])[0]
        record.name = "Bolt"  # plain ORM code: the next flush computes it
        env.flush_all()
        assert record.kt_upper_name == "BOLT"
    updates = [s for s in created + written if re.match(r"\s*UPDATE res_partner\b", s, re.I)]
    assert len(updates) == 1 and "kt_upper_name" in updates[0], created + written


def test_lines_are_loaded_when_first_read_and_empty_values_cost_no_update(rt):
    """A compute batch loads a one2many or many2many path when the method first reads it, for
    all the records at once (a method returning early reads nothing); a new record's stored
    computed field that stays empty is written by no UPDATE."""
    from core.recompute import prefetched

    with rt.env() as env:
        ids = [env["kt.invoice"].create({"name": f"I{i}", "line_ids": _lines((1, 2, 0))})
               for i in range(3)]
        env.session.flush()
        env.session.expire_all()
        records = env["kt.invoice"].browse_unchecked(ids)
        node = env.registry.compute_graph.node_of("kt.invoice", "amount_total")
        with count_queries(rt.engine) as unread, prefetched(env, records, node.prefetch_paths()):
            pass
        with count_queries(rt.engine) as read, prefetched(env, records, node.prefetch_paths()):
            assert [len(r.line_ids) for r in records] == [1, 1, 1]
        assert not unread and len([s for s in read if "kt_invoice_line" in s]) == 1, read
        with count_queries(rt.engine) as created:
            env["kt.invoice"].create({"name": "no customer"})
        assert not [s for s in created if re.match(r"\s*UPDATE kt_invoice SET .*region_id", s,
                                                   re.I | re.S)], created


def test_deleting_a_record_forgets_the_held_records_its_deletion_cascades_to(rt):
    """Lines the session holds (a call loaded them) go with their invoice, deleted by the
    database's ``ON DELETE CASCADE``: nothing recomputes their related partner afterwards (it
    updated rows that were gone: StaleDataError)."""
    with rt.env() as env:
        partner = env["res.partner"].create({"name": "Acme"})
        invoice = env["kt.invoice"].create({"name": "A", "partner_id": partner,
                                            "line_ids": _lines((2, 10, 10), (1, 5, 0))})
        held = env["kt.invoice.line"].browse(
            env["kt.invoice.line"].search([("invoice_id", "=", invoice)]))
        assert len(held) == 2
        env["kt.invoice"].unlink([invoice])
        assert not env["kt.invoice.line"].search([("invoice_id", "=", invoice)])
        assert env["res.partner"].read([partner], ["name"])[0]["name"] == "Acme"


def test_related_paths_through_several_many2one_follow_in_the_same_flush(rt):
    """A stored related field through two many2one fields (a line's copy of its invoice's
    customer's region) is set by the flush writing any step of its path: right after a plain
    ``session.flush()`` of ORM changes, in that one flush, one query per step."""
    from sqlalchemy import event

    with rt.env() as env:
        east = env["kt.region"].create({"name": "East"})
        west = env["kt.region"].create({"name": "West"})
        acme = env["res.partner"].create({"name": "Acme", "kt_region_id": east})
        bolt = env["res.partner"].create({"name": "Bolt", "kt_region_id": west})
        invoice = env["kt.invoice"].create({"name": "A", "partner_id": acme,
                                            "line_ids": _lines((1, 1, 0), (2, 2, 0))})
        lines = env["kt.invoice.line"].browse_unchecked(
            env["kt.invoice.line"].search([("invoice_id", "=", invoice)]))
        assert {line.region_id for line in lines} == {east}
        flushes = []
        event.listen(env.session, "after_flush", lambda *_a: flushes.append(1))
        env["res.partner"].browse_unchecked([acme])[0].kt_region_id = west  # the far end
        env.session.flush()
        assert {line.region_id for line in lines} == {west} and len(flushes) == 1
        env["kt.invoice"].browse_unchecked([invoice])[0].partner_id = bolt  # the middle step
        env["res.partner"].browse_unchecked([bolt])[0].kt_region_id = east
        env.session.flush()
        assert {line.region_id for line in lines} == {east} and len(flushes) == 2
        assert {r["region_id"][0] for r in env["kt.invoice.line"].search_read(
            [("invoice_id", "=", invoice)], ["region_id"])} == {east}

