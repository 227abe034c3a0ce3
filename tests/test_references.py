"""Reference fields (``fields.Reference``, stored ``"model,id"``): pages show the record's name
as a link when the user may open it, its name only when not, never the stored text; a list
names a page of references in a fixed number of queries; writes refuse references to what does
not exist or what the user may not read."""

from __future__ import annotations

import re

import pytest

from core.errors import AccessError, ValidationError
from tests.web_helpers import client_for, count_queries, make_user


@pytest.fixture
def ref_app(make_app):
    app = make_app()
    app.extensions["kangyi"].manager.install(["kt_reference"])
    ann = make_user(app, "ann", ["kt_web.group_user"], lang="zh_CN")
    bob = make_user(app, "bob", ["kt_web.group_user"])
    with app.extensions["kangyi"].env() as env:
        orders = env["kt.order"]
        app.ids = {"own": orders.create({"name": "SO-ANN", "user_id": ann}),
                   "other": orders.create({"name": "SO-BOB", "user_id": bob}),
                   "partner": env["res.partner"].create({"name": "Acme"}), "ann": ann}
    return app


def _notes(app, count, target):
    with app.extensions["kangyi"].env() as env:
        return env["kt.ref.note"].create([{"name": f"N{i:03d}", "target": target,
                                           "source": target} for i in range(count)])


def test_pages_show_the_name_linked_only_when_the_user_may_open_it(ref_app):
    ids = ref_app.ids
    own, other = (_notes(ref_app, 1, f"kt.order,{ids[k]}")[0] for k in ("own", "other"))
    with ref_app.extensions["kangyi"].env() as env:
        deleted = env["kt.order"].create({"name": "SO-GONE", "user_id": ids["ann"]})
    gone = _notes(ref_app, 1, f"kt.order,{deleted}")[0]
    with ref_app.extensions["kangyi"].env() as env:
        env["kt.order"].unlink([deleted])
    client = client_for(ref_app, "ann")
    page = client.get("/web/kt.ref.note")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'href="/web/kt.order/{ids["own"]}">SO-ANN</a>' in html
    assert "SO-BOB" in html and f'/web/kt.order/{ids["other"]}' not in html
    assert "kt.order," not in html
    assert re.search(rf"订单 #{deleted}\b", html)  # the kind of record, in the user's language
    form = client.get(f"/web/kt.ref.note/{own}").get_data(as_text=True)
    assert f'href="/web/kt.order/{ids["own"]}">SO-ANN</a>' in form and "kt.order," not in form
    hidden = client.get(f"/web/kt.ref.note/{other}")
    assert hidden.status_code == 200
    text = hidden.get_data(as_text=True)
    assert "SO-BOB" in text and f'/web/kt.order/{ids["other"]}"' not in text
    assert client.get(f"/web/kt.ref.note/{gone}").status_code == 200


def test_a_list_names_its_references_in_a_fixed_number_of_queries(ref_app):
    client = client_for(ref_app, "ann")
    engine = ref_app.extensions["kangyi"].engine
    _notes(ref_app, 3, f"kt.order,{ref_app.ids['own']}")
    client.get("/web/kt.ref.note")
    with count_queries(engine) as few:
        client.get("/web/kt.ref.note")
    with ref_app.extensions["kangyi"].env() as env:
        more = env["kt.order"].create([{"name": f"SO{i}", "user_id": ref_app.ids["ann"]}
                                       for i in range(30)])
    for order in more:
        _notes(ref_app, 1, f"kt.order,{order}")
    _notes(ref_app, 5, f"res.partner,{ref_app.ids['partner']}")
    with count_queries(engine) as many:
        html = client.get("/web/kt.ref.note").get_data(as_text=True)
    assert html.count('href="/web/kt.order/') == 2 * 33  # two reference columns
    assert len(many) <= len(few) + 2, many  # one more target model: its names and its rule


def test_writes_refuse_references_to_what_is_missing_or_hidden(ref_app):
    ids = ref_app.ids
    runtime = ref_app.extensions["kangyi"]
    with runtime.env(uid=ids["ann"], su=False) as env:
        notes = env["kt.ref.note"]
        note = notes.create({"name": "N", "target": ("kt.order", ids["own"])})
        assert notes.read([note], ["target"])[0]["target"] == f"kt.order,{ids['own']}"
        notes.write([note], {"target": f" res.partner , {ids['partner']}"})
        assert notes.read([note], ["target"])[0]["target"] == f"res.partner,{ids['partner']}"
        with pytest.raises(AccessError):
            notes.write([note], {"target": f"kt.order,{ids['other']}"})
        for bad in ("kt.order,999999", "kt.order", "kt.order,x", "res.users,1", "kt.nope,1"):
            with pytest.raises(ValidationError):
                notes.write([note], {"target": bad})
        with pytest.raises(ValidationError):
            notes.create({"name": "M", "source": "kt.nope,1"})
        notes.write([note], {"target": False})
        assert notes.read([note], ["target"])[0]["target"] is None
    with runtime.env() as env:  # the superuser may name any existing record
        env["kt.ref.note"].write([note], {"target": f"kt.order,{ids['other']}"})


def test_the_form_chooses_the_kind_of_record_and_the_record(ref_app):
    """An editable reference is a choice of the kind of record and a search for the record,
    named (never the stored text); a record the user may not read is refused, translated,
    and nothing is saved."""
    from tests.web_helpers import csrf

    ids = ref_app.ids
    note = _notes(ref_app, 1, f"kt.order,{ids['own']}")[0]
    client = client_for(ref_app, "ann")
    url = f"/web/kt.ref.note/{note}"
    page = client.get(url).get_data(as_text=True)
    assert 'name="target_model"' in page and 'value="SO-ANN"' in page
    assert re.search(r'<option value="kt.order" data-url="[^"]+" selected>', page)
    assert "kt.order," not in page
    token = csrf(client, url)
    saved = client.post(url, data={"csrf_token": token, "name": "N", "target_model": "res.partner",
                                   "target": str(ids["partner"]), "target_display": "Acme"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    refused = client.post(url, data={"csrf_token": token, "name": "N2",
                                     "target_model": "kt.order", "target": str(ids["other"]),
                                     "target_display": "SO-BOB"})
    assert refused.status_code in (400, 403, 422), refused.status_code
    assert "记录规则" in refused.get_data(as_text=True)
    odd = client.post(url, data={"csrf_token": token, "name": "N3", "target_model": "res.users",
                                 "target": "1", "target_display": "x"})
    assert odd.status_code == 422 and "请从列表中选择" in odd.get_data(as_text=True)
    cleared = client.post(url, data={"csrf_token": token, "name": "N4", "target_model":
                                     "kt.order", "target": str(ids["own"]), "target_display": ""})
    assert cleared.status_code == 302
    with ref_app.extensions["kangyi"].env() as env:
        assert env["kt.ref.note"].read([note], ["name", "target"])[0] == {
            "id": note, "name": "N4", "target": None}


def test_exports_name_the_referenced_records(ref_app):
    from core.export import export_table

    ids = ref_app.ids
    for key in ("own", "other"):
        _notes(ref_app, 1, f"kt.order,{ids[key]}")
    with ref_app.extensions["kangyi"].env(uid=ids["ann"], su=False) as env:
        header, body = export_table(env["kt.ref.note"], ["name", "target"])
    assert [row[1] for row in body] == ["SO-ANN", "SO-BOB"]


def test_smart_buttons_count_what_the_user_may_read_both_ways(ref_app):
    """An order's form counts its tasks (a path from another model) and its lines (its own
    one2many), in one statement, only the tasks the user may read; one task opens its form,
    several their list; a task's form leads back to its order (its many2one)."""
    ids = ref_app.ids
    runtime = ref_app.extensions["kangyi"]
    with runtime.env() as env:
        env["kt.order"].write([ids["own"]], {"line_ids": [(0, 0, {"name": "A"}),
                                                          (0, 0, {"name": "B"})]})
        tasks = env["kt.ref.task"]
        mine = tasks.create({"name": "T1", "order_id": ids["own"], "user_id": ids["ann"]})
        tasks.create({"name": "T2", "order_id": ids["own"]})  # nobody's: hidden from ann
        tasks.create({"name": "T3", "user_id": ids["ann"], "audit_order_id": ids["own"]})
    client = client_for(ref_app, "ann")
    with count_queries(runtime.engine) as sql:
        form = client.get(f"/web/kt.order/{ids['own']}").get_data(as_text=True)
    smart = re.search(r'<nav class="smart-buttons".*?</nav>', form, re.S).group(0)
    assert re.search(rf'href="/web/kt.ref.task/{mine}"><span class="smart-count">1</span> '
                     r'<span class="smart-label">任务</span>', smart), smart
    assert re.search(r'href="/web/kt.order.line\?domain=[^"]+"><span class="smart-count">2'
                     r'</span>', smart), smart
    assert "Audits" not in smart  # a path through a field of the managers' only: no button
    counting = [s for s in sql if "kt_ref_task" in s]
    assert len(counting) == 1 and "UNION ALL" in counting[0], counting
    lines = client.get(re.search(r'href="(/web/kt.order.line\?domain=[^"]+)"', smart)
                       .group(1))
    assert lines.status_code == 200
    assert re.findall(r"<td[^>]*><a [^>]*>(A|B)</a>", lines.get_data(as_text=True)) == ["A", "B"]
    back = client.get(f"/web/kt.ref.task/{mine}").get_data(as_text=True)
    assert f'href="/web/kt.order/{ids["own"]}"><span class="smart-count">1</span>' in back
    with runtime.env() as env:  # an order ann may not read: no way back to it
        env["kt.ref.task"].write([mine], {"order_id": ids["other"]})
    back = client.get(f"/web/kt.ref.task/{mine}").get_data(as_text=True)
    assert "smart-buttons" not in back
    other = client_for(ref_app, "bob").get(f"/web/kt.order/{ids['own']}")
    assert other.status_code in (403, 404)  # bob reads neither the order nor its tasks


def test_a_smart_button_leading_nowhere_stops_the_install(make_runtime):
    from core.errors import AddonError

    runtime = make_runtime()
    with pytest.raises(AddonError, match="smart button on name of kt.leaf"):
        runtime.manager.install(["kt_badrelated"])
    assert runtime.manager.states().get("kt_badrelated", {}).get("state") != "installed"


def test_a_reader_of_the_document_but_not_its_lines_opens_its_form(ref_app):
    """A user who may read an order but not its lines (a keeper and a sales order) gets the
    form without the line table, not a 403 (a smart button leads such users there)."""
    make_user(ref_app, "rita", ["kt_reference.group_reader"])
    with ref_app.extensions["kangyi"].env() as env:
        env["kt.order"].write([ref_app.ids["own"]], {"line_ids": [(0, 0, {"name": "A"})]})
    page = client_for(ref_app, "rita").get(f"/web/kt.order/{ref_app.ids['own']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "SO-ANN" in html and 'class="lines' not in html
