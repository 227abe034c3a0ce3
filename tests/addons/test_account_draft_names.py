"""A draft move without a number ("/") is named by its kind and id, "草稿发票 (* 12)", in
references, on records and in its form's title; a posted one by its number."""

from __future__ import annotations

import pytest
from test_account_helpers import invoice, partner, voucher

from tests.web_helpers import client_for


@pytest.fixture
def app(make_app):
    app = make_app()
    app.extensions["kangyi"].manager.install(["accounting"])
    return app


def test_drafts_are_named_by_kind_and_id_in_both_languages(app):
    runtime = app.extensions["kangyi"]
    with runtime.env() as env:
        customer = partner(env)
        drafts = {kind: invoice(env, customer, [(1, 100, None)], move_type=kind, post=False)
                  for kind in ("out_invoice", "out_refund", "in_invoice", "in_refund")}
        drafts["entry"] = voucher(env, [("1001", 10, 0), ("6602", 0, 10)], post=False)
        posted = invoice(env, customer, [(1, 100, None)])
    expected = {"zh_CN": {"out_invoice": "草稿发票", "out_refund": "草稿销售红字发票",
                          "in_invoice": "草稿账单", "in_refund": "草稿采购红字发票",
                          "entry": "草稿凭证"},
                "en": {"out_invoice": "Draft invoice", "out_refund": "Draft credit note",
                       "in_invoice": "Draft bill", "in_refund": "Draft vendor credit note",
                       "entry": "Draft entry"}}
    for lang, kinds in expected.items():
        with app.app_context(), runtime.env(context={"lang": lang}) as env:
            moves = env["account.move"]
            names = moves.display_names([*drafts.values(), posted])
            number = moves.read([posted], ["name"])[0]["name"]
            assert number != "/" and names[posted] == number
            for kind, move in drafts.items():
                assert names[move] == f"{kinds[kind]} (* {move})"
                record = env.session.get(env.registry["account.move"], move)
                assert record.display_name == names[move]
            line = env["account.move.line"].search([("move_id", "=", drafts["in_invoice"])])[0]
            assert env["account.move.line"].read([line], ["move_id"])[0]["move_id"] == (
                drafts["in_invoice"], f"{kinds['in_invoice']} (* {drafts['in_invoice']})")


def test_a_draft_form_is_titled_by_its_kind_and_id(app):
    runtime = app.extensions["kangyi"]
    with runtime.env() as env:
        move = invoice(env, partner(env), [(1, 100, None)], post=False)
        env["res.users"].write([env.ref_id("base.user_admin")], {"lang": "zh_CN"})
    html = client_for(app, "admin", "admin1234").get(f"/web/account.move/{move}").get_data(
        as_text=True)
    assert f"<span>草稿发票 (* {move})</span>" in html
