"""The generic form view: create, edit, lines, tags, inline errors, read-only, buttons."""

from __future__ import annotations

import re
from decimal import Decimal

from tests import web_helpers
from tests.web_helpers import client_for, csrf, make_user

web_app = web_helpers.web_app  # the shared fixture


def _env(app):
    return app.extensions["kangyi"].env()


def _uid(env, login):
    return env["res.users"].search([("login", "=", login)])[0]


def test_create_edit_and_delete_a_partner(make_app):
    app = make_app()
    client = client_for(app, "admin", "admin1234")
    token = csrf(client, "/web/res.partner/new")
    created = client.post("/web/res.partner/new", data={
        "csrf_token": token, "name": "Acme Ltd", "email": "info@acme.test", "is_company": "y",
        "city": "Hangzhou", "parent_id": "", "parent_id_display": ""})
    assert created.status_code == 302, created.get_data(as_text=True)
    record_id = int(created.headers["Location"].rsplit("/", 1)[1])
    with _env(app) as env:
        row = env["res.partner"].read([record_id], ["name", "email", "is_company", "city"])[0]
    assert row == {"id": record_id, "name": "Acme Ltd", "email": "info@acme.test",
                   "is_company": True, "city": "Hangzhou"}
    page = client.get(f"/web/res.partner/{record_id}").get_data(as_text=True)
    assert 'value="Acme Ltd"' in page and "Saved." in page
    client.post(f"/web/res.partner/{record_id}", data={
        "csrf_token": token, "name": "Acme Group", "email": "", "city": "Shanghai"})
    with _env(app) as env:
        row = env["res.partner"].read([record_id], ["name", "email", "is_company", "city"])[0]
    assert (row["name"], row["email"], row["is_company"], row["city"]) == (
        "Acme Group", None, False, "Shanghai")
    deleted = client.post(f"/web/res.partner/{record_id}/delete", data={"csrf_token": token})
    assert deleted.status_code == 302
    assert client.get(f"/web/res.partner/{record_id}").status_code == 404


def test_required_field_error_is_inline_and_keeps_input(make_app):
    app = make_app()
    client = client_for(app, "admin", "admin1234")
    token = csrf(client, "/web/res.partner/new")
    response = client.post("/web/res.partner/new", data={
        "csrf_token": token, "name": "", "email": "kept@example.test"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="name-error" role="alert"><li>This field is required', html)
    assert 'value="kept@example.test"' in html
    with _env(app) as env:
        assert env["res.partner"].search_count([("email", "=", "kept@example.test")]) == 0


def test_service_validation_error_is_attached_to_its_field(web_app):
    with _env(web_app) as env:
        ann = _uid(env, "ann")
    client = client_for(web_app, "ann")
    token = csrf(client, "/web/kt.order/new")
    response = client.post("/web/kt.order/new", data={
        "csrf_token": token, "name": "SO-neg", "priority": "-3", "amount": "12.30",
        "state": "draft", "user_id": str(ann), "user_id_display": "Ann"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'id="priority-error" role="alert"><li>The priority cannot be negative',
                     html)
    assert 'value="-3"' in html and 'value="SO-neg"' in html
    with _env(web_app) as env:
        assert env["kt.order"].search_count([]) == 0  # nothing half-saved


def test_lines_tags_and_many2one_are_saved_through_commands(web_app):
    with _env(web_app) as env:
        partner = env["res.partner"].create({"name": "Acme"})
        tags = env["kt.tag"].create([{"name": "hot"}, {"name": "new"}])
        ann = _uid(env, "ann")
    client = client_for(web_app, "ann")
    token = csrf(client, "/web/kt.order/new")
    created = client.post("/web/kt.order/new", data={
        "csrf_token": token, "name": "SO1", "partner_id": str(partner),
        "partner_id_display": "Acme", "user_id": str(ann), "user_id_display": "Ann",
        "state": "draft", "amount": "1234.50", "date_order": "2026-11-20",
        "tag_ids": [str(tags[0]), str(tags[1])],
        "line_ids-0-id": "", "line_ids-0-name": "Bolt", "line_ids-0-quantity": "3",
        "line_ids-0-price_unit": "0.10",
        "line_ids-1-id": "", "line_ids-1-name": "Nut", "line_ids-1-quantity": "2",
        "line_ids-1-price_unit": "0.05"})
    assert created.status_code == 302, created.get_data(as_text=True)
    order_id = int(created.headers["Location"].rsplit("/", 1)[1])
    with _env(web_app) as env:
        order = env["kt.order"].read([order_id])[0]
        lines = env["kt.order.line"].read(order["line_ids"], ["name", "quantity", "price_unit"])
    assert order["partner_id"] == (partner, "Acme") and order["amount"] == Decimal("1234.50")
    assert order["tag_ids"] == tags
    assert [(li["name"], li["quantity"], li["price_unit"]) for li in lines] == [
        ("Bolt", Decimal("3.000"), Decimal("0.10")), ("Nut", Decimal("2.000"), Decimal("0.05"))]
    page = client.get(f"/web/kt.order/{order_id}").get_data(as_text=True)
    assert 'value="Acme"' in page and re.search(f'value="{tags[0]}">hot', page)
    # keep the first line (edited), drop the second, add a third; drop one tag
    edited = client.post(f"/web/kt.order/{order_id}", data={
        "csrf_token": token, "name": "SO1", "partner_id": "", "partner_id_display": "",
        "user_id": str(ann), "user_id_display": "Ann", "state": "sale", "amount": "1234.50",
        "tag_ids": [str(tags[1])],
        "line_ids-0-id": str(lines[0]["id"]), "line_ids-0-name": "Bolt M8",
        "line_ids-0-quantity": "4", "line_ids-0-price_unit": "0.10",
        "line_ids-1003-id": "", "line_ids-1003-name": "Washer",
        "line_ids-1003-quantity": "10", "line_ids-1003-price_unit": "0.01"})
    assert edited.status_code == 302, edited.get_data(as_text=True)
    with _env(web_app) as env:
        order = env["kt.order"].read([order_id])[0]
        lines = env["kt.order.line"].read(order["line_ids"], ["name", "quantity"])
        assert env["kt.order.line"].search_count([]) == 2
    assert order["partner_id"] is None and order["state"] == "sale"
    assert order["tag_ids"] == [tags[1]]
    assert [(li["name"], li["quantity"]) for li in lines] == [
        ("Bolt M8", Decimal("4.000")), ("Washer", Decimal("10.000"))]


def test_form_is_read_only_without_write_access(web_app):
    make_user(web_app, "reader", ["base.group_user"])
    with _env(web_app) as env:
        admin = env.ref_id("base.user_admin")
    client = client_for(web_app, "reader")
    page = client.get(f"/web/res.users/{admin}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Read-only" in html and 'name="login"' not in html and "admin" in html
    token = csrf(client, "/web/res.partner")
    refused = client.post(f"/web/res.users/{admin}", data={"csrf_token": token, "name": "X"})
    assert refused.status_code == 403
    assert client.get("/web/res.users/new").status_code == 403


def test_read_only_many2one_links_to_its_record_only_when_the_user_may_open_it(web_app):
    """A read-only many2one is a link to its record when the user may open that record
    (access right and record rules), its name only otherwise."""
    make_user(web_app, "viewer", ["kt_web.group_viewer", "base.group_user"])
    with _env(web_app) as env:
        shown = env["res.partner"].create({"name": "Acme Ltd"})
        hidden = env["res.partner"].create({"name": "Hidden Co"})
        first = env["kt.order"].create({"name": "SO1", "partner_id": shown})
        second = env["kt.order"].create({"name": "SO2", "partner_id": hidden})
    client = client_for(web_app, "viewer")
    html = client.get(f"/web/kt.order/{first}").get_data(as_text=True)
    assert 'name="partner_id"' not in html
    assert f'<a class="many2one" href="/web/res.partner/{shown}">Acme Ltd</a>' in html
    assert client.get(f"/web/res.partner/{shown}").status_code == 200
    html = client.get(f"/web/kt.order/{second}").get_data(as_text=True)
    assert re.search(r'id="partner_id">\s*Hidden Co\s*</span>', html)
    assert f"/web/res.partner/{hidden}" not in html
    assert client.get(f"/web/res.partner/{hidden}").status_code in (403, 404)


def test_a_document_shows_the_lines_its_reader_may_read(web_app):
    """Record rules hiding some of a document's lines leave them out of its one2many (the
    form, and every reader of the field) instead of refusing the whole document."""
    make_user(web_app, "viewer", ["kt_web.group_viewer", "base.group_user"])
    with _env(web_app) as env:
        order = env["kt.order"].create({"name": "SO1", "line_ids": [
            (0, 0, {"name": "Open line", "quantity": 1}),
            (0, 0, {"name": "Secret line", "quantity": 2})]})
        assert len(env["kt.order"].read([order], ["line_ids"])[0]["line_ids"]) == 2
    client = client_for(web_app, "viewer")
    response = client.get(f"/web/kt.order/{order}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Open line" in html and "Secret line" not in html
    with _env(web_app) as env:
        as_viewer = env(uid=_uid(env, "viewer"), su=False)
        [line] = as_viewer["kt.order"].read([order], ["line_ids"])[0]["line_ids"]
        assert as_viewer["kt.order.line"].read([line], ["name"])[0]["name"] == "Open line"


def test_field_groups_remove_fields_from_forms(web_app):
    with _env(web_app) as env:
        order = env["kt.order"].create({"name": "SO1", "user_id": _uid(env, "ann"),
                                        "margin": Decimal("5")})
    manager, ann = client_for(web_app, "max"), client_for(web_app, "ann")
    assert 'name="margin"' in manager.get(f"/web/kt.order/{order}").get_data(as_text=True)
    html = ann.get(f"/web/kt.order/{order}").get_data(as_text=True)
    assert 'name="margin"' not in html and "Margin" not in html
    token = csrf(ann, "/web/kt.order")
    # a forged margin value is ignored: the generated form has no such field
    ann.post(f"/web/kt.order/{order}", data={"csrf_token": token, "name": "SO1",
                                             "state": "draft", "margin": "99"})
    with _env(web_app) as env:
        assert env["kt.order"].read([order], ["margin"])[0]["margin"] == Decimal("5.00")


def test_header_buttons_run_public_methods_for_their_groups(web_app, make_app):
    with _env(web_app) as env:
        order = env["kt.order"].create({"name": "SO1", "user_id": _uid(env, "ann")})
    client = client_for(web_app, "ann")
    page = client.get(f"/web/kt.order/{order}").get_data(as_text=True)
    assert f"/web/kt.order/{order}/call/action_confirm" in page
    token = csrf(client, f"/web/kt.order/{order}")
    done = client.post(f"/web/kt.order/{order}/call/action_confirm", data={"csrf_token": token})
    assert done.status_code == 302
    with _env(web_app) as env:
        assert env["kt.order"].read([order], ["state"])[0]["state"] == "sale"
    other = client.post(f"/web/kt.order/{order}/call/check_constraints",
                        data={"csrf_token": token})
    assert other.status_code == 403


def test_button_groups_and_other_users_records(web_app):
    web_app.extensions["kangyi"].manager.install(["kt_web_ext"])
    with _env(web_app) as env:
        mine = env["kt.order"].create({"name": "SO1", "user_id": _uid(env, "ann")})
        theirs = env["kt.order"].create({"name": "SO2", "user_id": _uid(env, "max")})
    ann, manager = client_for(web_app, "ann"), client_for(web_app, "max")
    assert "action_reset" not in ann.get(f"/web/kt.order/{mine}").get_data(as_text=True)
    assert "action_reset" in manager.get(f"/web/kt.order/{mine}").get_data(as_text=True)
    token = csrf(ann, "/web/kt.order")
    assert ann.post(f"/web/kt.order/{mine}/call/action_reset",
                    data={"csrf_token": token}).status_code == 403
    denied = ann.get(f"/web/kt.order/{theirs}")
    assert denied.status_code == 403 and "Own orders" in denied.get_data(as_text=True)


def test_new_form_uses_defaults_and_kanban_calendar_render(web_app):
    with _env(web_app) as env:
        env["kt.order"].create({"name": "SO7", "user_id": _uid(env, "ann"),
                                "date_order": "2026-11-05", "state": "sale"})
    client = client_for(web_app, "ann")
    page = client.get("/web/kt.order/new").get_data(as_text=True)
    assert re.search(r'<option selected value="draft">Draft</option>', page)
    board = client.get("/web/kt.order/kanban").get_data(as_text=True)
    assert re.search(r'aria-label="Confirmed"[^>]*>\s*<h2>Confirmed <small>\(1\)', board)
    month = client.get("/web/kt.order/calendar?month=2026-11").get_data(as_text=True)
    assert "SO7" in month
    assert "SO7" not in client.get("/web/kt.order/calendar?month=2026-10").get_data(as_text=True)


def _line_rows(html):
    """The lines' ``<tbody>``, whitespace between and inside tags folded."""
    body = re.search(r'<fieldset class="lines.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    body = re.sub(r"\s+", " ", body)
    return re.sub(r"\s*>\s*", ">", re.sub(r"\s*<", "<", body)).strip()


def test_lines_rendered_from_values_match_the_wtforms_lines(web_app, monkeypatch):
    from core.web import records

    with _env(web_app) as env:
        ann = _uid(env, "ann")
        order = env["kt.order"].create({"name": "SO<1>", "user_id": ann, "line_ids": [
            (0, 0, {"name": f"Bolt \"{i}\" & <nut>", "quantity": Decimal(i) / 3,
                    "price_unit": Decimal("0.10") if i % 2 else None}) for i in range(1, 6)]})
        for model in ("kt.order", "kt.order.line"):  # a reader: read-only lines
            env["ir.model.access"].create({"name": "read", "model": model, "perm_read": True,
                                           "group_id": env.ref_id("base.group_user")})
    make_user(web_app, "reader", ["base.group_user"])
    for login in ("ann", "reader"):
        client = client_for(web_app, login)
        ours = client.get(f"/web/kt.order/{order}").get_data(as_text=True)
        with monkeypatch.context() as patch:
            patch.setattr(records, "LINES_FROM_VALUES", False)
            theirs = client.get(f"/web/kt.order/{order}").get_data(as_text=True)
        assert ("Read-only" in ours) == (login == "reader")
        assert _line_rows(ours).count('<tr class="line">') == 5
        assert _line_rows(ours) == _line_rows(theirs)


def test_a_form_reads_only_what_it_shows(web_app):
    with _env(web_app) as env:
        order = env["kt.order"].create({"name": "SO1", "line_ids": [
            (0, 0, {"name": f"L{i}"}) for i in range(30)]})
    client = client_for(web_app, "admin", "admin1234")
    client.get(f"/web/kt.order/{order}")
    with web_helpers.count_queries(web_app.extensions["kangyi"].engine) as statements:
        assert client.get(f"/web/kt.order/{order}").status_code == 200
    assert not [s for s in statements if "res_groups" in s or "ir_rule" in s]
    assert not [s for s in statements if "res_users.password" in s]  # the user: 4 columns
    # a budget, whatever the number of lines (measured 18 on SQLite: the side panels check
    # the record once)
    assert len(statements) <= 19, statements


def test_an_archived_user_is_logged_out_at_the_next_request(web_app):
    client = client_for(web_app, "ann")
    assert client.get("/web/kt.order").status_code == 200
    with _env(web_app) as env:
        env["res.users"].write([_uid(env, "ann")], {"active": False})
    response = client.get("/web/kt.order")
    assert response.status_code == 302 and "/web/login" in response.headers["Location"]


def test_fields_and_buttons_follow_the_records_state(web_app):
    """A confirmed order shows its draft-only fields and lines read-only and no Confirm; the
    form sends and the save accepts only what may change now (the rest keeps its value, even
    if posted); a button of another state is refused with a message, nothing done."""
    with _env(web_app) as env:
        order = env["kt.order"].create({
            "name": "SO1", "user_id": _uid(env, "ann"), "date_order": "2026-11-05",
            "state": "sale", "line_ids": [(0, 0, {"name": "Pump", "quantity": "2"})]})
        ann = str(_uid(env, "ann"))
    client = client_for(web_app, "ann")
    page = client.get(f"/web/kt.order/{order}").get_data(as_text=True)
    assert '<span class="ro" id="date_order">' in page and 'name="date_order"' not in page
    assert 'name="line_ids-0-quantity"' not in page and "line-add" not in page
    assert "/call/action_confirm" not in page and 'name="note"' in page
    token = csrf(client, f"/web/kt.order/{order}")
    saved = client.post(f"/web/kt.order/{order}", data={
        "csrf_token": token, "name": "SO1", "state": "sale", "note": "Call first", "user_id": ann,
        "date_order": "not a date", "line_ids-0-name": ""})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    with _env(web_app) as env:
        row = env["kt.order"].read([order], ["note", "date_order", "line_ids"])[0]
        assert row["note"] == "Call first" and str(row["date_order"]) == "2026-11-05"
        assert len(row["line_ids"]) == 1
    refused = client.post(f"/web/kt.order/{order}/call/action_confirm",
                          data={"csrf_token": token}, follow_redirects=True)
    assert refused.status_code == 200
    assert "not available in the record&#39;s current state" in refused.get_data(as_text=True)
    draft = client.post(f"/web/kt.order/{order}", data={
        "csrf_token": token, "name": "SO1", "state": "draft", "user_id": ann})
    assert draft.status_code == 302
    done = client.post(f"/web/kt.order/{order}/call/action_confirm", data={"csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    assert "Confirm: done." in done


def test_kanban_cards_move_between_columns(web_app):
    """A card moves to another column by its "Move to" form (what drag and drop posts): the
    grouping field is written through the service; nothing moves without write access."""
    with _env(web_app) as env:
        order = env["kt.order"].create({"name": "SO1", "user_id": _uid(env, "ann")})
        theirs = env["kt.order"].create({"name": "SO2", "user_id": _uid(env, "max")})
    client = client_for(web_app, "ann")
    board = client.get("/web/kt.order/kanban").get_data(as_text=True)
    assert f'data-move="/web/kt.order/{order}/move"' in board and 'data-key="sale"' in board
    token = csrf(client, "/web/kt.order/kanban")
    moved = client.post(f"/web/kt.order/{order}/move", data={"csrf_token": token,
                                                             "group": "sale"})
    assert moved.status_code == 302
    refused = client.post(f"/web/kt.order/{theirs}/move", data={"csrf_token": token,
                                                                "group": "sale"})
    assert refused.status_code in (302, 403)
    with _env(web_app) as env:
        states = {r["id"]: r["state"] for r in env["kt.order"].read([order, theirs], ["state"])}
    assert states == {order: "sale", theirs: "draft"}
