"""Sections under a form (the ``form_sections`` hook, ``core.sections``): any addon shows a table
of figures about a record, with links, numbers aligned and a totals row, to the users it
chooses; forms of other models, and new records, are left alone."""

from __future__ import annotations

import re

from core.plugins import hookimpl
from core.sections import FormSection
from tests import web_helpers
from tests.web_helpers import client_for

web_app = web_helpers.web_app  # the shared fixture


class Sections:
    """A plugin answering for kt.order: its amount and the other orders the user may read."""

    @hookimpl
    def form_sections(self, env, model, record_id):
        if model != "kt.order":
            return None
        orders = env["kt.order"].search_read([("id", "!=", record_id)], ["name", "amount"])
        return [FormSection("orders", "Other orders", ("Order", "Amount"),
                            tuple((o["name"], f"{o['amount']:,.2f}") for o in orders),
                            links=tuple(f"/web/kt.order/{o['id']}" for o in orders),
                            numeric=(1,),
                            footer=("Sum", f"{sum(o['amount'] for o in orders):,.2f}"))]


def test_hook_form_sections(web_app):
    runtime = web_app.extensions["kangyi"]
    ann, boss = client_for(web_app, "ann"), client_for(web_app, "max")
    with runtime.env() as env:
        uids = {u["login"]: u["id"] for u in env["res.users"].search_read(
            [("login", "in", ["ann", "max"])], ["login"])}
        orders = env["kt.order"]
        mine = orders.create({"name": "SO-ANN-1", "user_id": uids["ann"], "amount": "1234.5"})
        other = orders.create({"name": "SO-ANN-2", "user_id": uids["ann"], "amount": "1007"})
        hidden = orders.create({"name": "SO-MAX-1", "user_id": uids["max"], "amount": "9"})
        tag = env["kt.tag"].create({"name": "VIP"})
    runtime.registry.pm.register(Sections(), name="kt_sections")
    page = ann.get(f"/web/kt.order/{mine}").get_data(as_text=True)
    section = re.search(r'<section class="form-section" data-section="orders".*?</section>', page,
                        re.S).group(0)
    assert "<h2" in section and "Other orders" in section
    assert f'<td><a href="/web/kt.order/{other}">SO-ANN-2</a></td>' in section
    assert '<td class="num">1,007.00</td>' in section
    assert '<th scope="row">Sum</th><td class="num">1,007.00</td>' in section
    assert "SO-MAX-1" not in section  # read with ann's rules
    page = boss.get(f"/web/kt.order/{mine}").get_data(as_text=True)
    assert f"/web/kt.order/{hidden}" in page  # the manager reads every order
    assert "form-section" not in ann.get(f"/web/kt.tag/{tag}").get_data(as_text=True)
    assert "form-section" not in ann.get("/web/kt.order/new").get_data(as_text=True)
