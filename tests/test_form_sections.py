"""Sections under a form (the ``form_sections`` hook, ``core.sections``): any addon lists what
it links to a record, read with the user's rights (record rules), formatted as lists are, rows
opening their records; forms of other models are left alone."""

from __future__ import annotations

import re

from core.plugins import hookimpl
from core.sections import FormSection, records_section
from tests import web_helpers
from tests.web_helpers import client_for

web_app = web_helpers.web_app  # the shared fixture


class Sections:
    """A plugin answering for kt.order: every order the user may read, and a fixed table."""

    @hookimpl
    def form_sections(self, env, model, record_id):
        if model != "kt.order":
            return None
        orders = records_section(env, "orders", "Orders", "kt.order",
                                 [("id", "!=", record_id)], ("name", "amount", "state"))
        fixed = FormSection("totals", "Totals", ("What", "Amount"), (("Paid", "1.00"),),
                            numeric=(1,), footer=("Sum", "1.00"))
        return [s for s in (orders, fixed) if s is not None]


def test_sections_list_what_the_user_may_read(web_app):
    runtime = web_app.extensions["kangyi"]
    ann, boss = client_for(web_app, "ann"), client_for(web_app, "max")
    with runtime.env() as env:
        uids = {u["login"]: u["id"] for u in env["res.users"].search_read(
            [("login", "in", ["ann", "max"])], ["login"])}
        orders = env["kt.order"]
        mine = orders.create({"name": "SO-ANN-1", "user_id": uids["ann"], "amount": "1234.5"})
        other = orders.create({"name": "SO-ANN-2", "user_id": uids["ann"], "amount": "7"})
        hidden = orders.create({"name": "SO-MAX-1", "user_id": uids["max"], "amount": "9"})
        tag = env["kt.tag"].create({"name": "VIP"})
    runtime.registry.pm.register(Sections(), name="kt_sections")
    page = ann.get(f"/web/kt.order/{mine}").get_data(as_text=True)
    section = re.search(r'<section class="form-section" data-section="orders".*?</section>', page,
                        re.S).group(0)
    assert f'href="/web/kt.order/{other}">SO-ANN-2</a>' in section
    assert "SO-MAX-1" not in section and "SO-ANN-1" not in section  # rules; not itself
    assert re.search(r'<td class="num">7\.00</td>', section)  # money as lists show it
    totals = re.search(r'data-section="totals".*?</section>', page, re.S).group(0)
    assert '<th scope="row">Sum</th><td class="num">1.00</td>' in totals
    page = boss.get(f"/web/kt.order/{mine}").get_data(as_text=True)
    assert f"/web/kt.order/{hidden}" in page  # the manager reads every order
    assert "form-section" not in ann.get(f"/web/kt.tag/{tag}").get_data(as_text=True)
    assert "form-section" not in ann.get("/web/kt.order/new").get_data(as_text=True)
