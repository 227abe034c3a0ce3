"""The generic list view: search, filters, sort, pages, group-by, bulk actions, query count."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from tests import web_helpers
from tests.web_helpers import client_for, count_queries, csrf, make_user

web_app = web_helpers.web_app  # the shared fixture


def _orders(app, count, user="ann", **extra):
    with app.extensions["kangyi"].env() as env:
        uid = env["res.users"].search([("login", "=", user)])[0]
        partner = env["res.partner"].create({"name": "Acme"})
        return env["kt.order"].create([
            {"name": f"SO{i:04d}", "user_id": uid, "partner_id": partner,
             "amount": Decimal("10.25"), "state": "draft" if i % 2 else "sale", **extra}
            for i in range(count)])


def _row_names(html):
    return re.findall(r'href="/web/kt.order/\d+">(SO\d+)</a>', html)


def test_list_paginates_80_rows_with_bounded_queries(web_app):
    client = client_for(web_app, "ann")
    engine = web_app.extensions["kangyi"].engine
    _orders(web_app, 10)
    client.get("/web/kt.order")
    with count_queries(engine) as few:
        html = client.get("/web/kt.order").get_data(as_text=True)
    assert len(_row_names(html)) == 10
    _orders(web_app, 190)
    with count_queries(engine) as many:
        page = client.get("/web/kt.order")
    html = page.get_data(as_text=True)
    assert len(_row_names(html)) == 80
    assert "1–80 of 200" in html
    assert len(many) == len(few) <= 25, many
    last = client.get("/web/kt.order?page=3").get_data(as_text=True)
    assert len(_row_names(last)) == 40 and "161–200 of 200" in last


def test_search_filters_and_sort(web_app):
    client = client_for(web_app, "ann")
    _orders(web_app, 5)
    html = client.get("/web/kt.order?q=SO0003").get_data(as_text=True)
    assert _row_names(html) == ["SO0003"]
    html = client.get("/web/kt.order?q=acme").get_data(as_text=True)  # through partner_id
    assert len(_row_names(html)) == 5
    html = client.get("/web/kt.order?filter=draft").get_data(as_text=True)
    assert _row_names(html) == ["SO0001", "SO0003"]
    html = client.get("/web/kt.order?order=name+desc").get_data(as_text=True)
    assert _row_names(html) == ["SO0004", "SO0003", "SO0002", "SO0001", "SO0000"]
    bad = client.get("/web/kt.order?order=password")
    assert bad.status_code == 422 and "cannot be sorted" in bad.get_data(as_text=True)


def test_group_by_counts_and_sums(web_app):
    client = client_for(web_app, "ann")
    _orders(web_app, 5)
    html = client.get("/web/kt.order?groupby=state").get_data(as_text=True)
    rows = re.findall(r'<td><a href="([^"]+)">([^<]+)</a></td>\s*<td class="num">(\d+)</td>\s*'
                      r'<td class="num">([^<]+)</td>', html)
    assert [(label, count, total) for _h, label, count, total in rows] == [
        ("Draft", "2", "20.50"), ("Confirmed", "3", "30.75")]
    drill = client.get(rows[0][0].replace("&amp;", "&").replace("&#34;", '"'))
    assert _row_names(drill.get_data(as_text=True)) == ["SO0001", "SO0003"]


def test_groups_are_paginated_with_a_total_and_bounded_queries(web_app):
    client = client_for(web_app, "ann")
    engine = web_app.extensions["kangyi"].engine
    with web_app.extensions["kangyi"].env() as env:
        uid = env["res.users"].search([("login", "=", "ann")])[0]
        partners = env["res.partner"].create([{"name": f"P{i:02d}"} for i in range(5)])
        env["kt.order"].create([{"name": f"SO{i:04d}", "user_id": uid, "partner_id": p,
                                 "amount": Decimal("1.50")} for i, p in enumerate(partners)])
    web_app.config["LIST_PAGE_SIZE"] = 2
    try:
        client.get("/web/kt.order?groupby=partner_id")
        with count_queries(engine) as first_page:
            html = client.get("/web/kt.order?groupby=partner_id").get_data(as_text=True)
        assert re.findall(r'<td><a href="[^"]+">(P\d+)</a></td>', html) == ["P00", "P01"]
        assert re.search(r'<td class="num total">5</td>', html)  # every record, not the page
        assert "Groups 1–2" in html and 'rel="next"' in html and 'rel="prev"' not in html
        with count_queries(engine) as last_page:
            html = client.get("/web/kt.order?groupby=partner_id&page=3").get_data(as_text=True)
        assert re.findall(r'<td><a href="[^"]+">(P\d+)</a></td>', html) == ["P04"]
        assert 'rel="prev"' in html and 'rel="next"' not in html
        assert len(first_page) == len(last_page)
    finally:
        web_app.config["LIST_PAGE_SIZE"] = 80


def test_list_cells_are_formatted_per_column(web_app):
    client = client_for(web_app, "ann")
    _orders(web_app, 2, margin=Decimal("3.10"))
    html = client.get("/web/kt.order?order=name").get_data(as_text=True)
    assert 'aria-label="Select SO0000"' in html
    assert re.search(r'<td class="num">10.25</td>', html)  # monetary: the field's 2 decimals
    assert re.search(r'<td class="">Draft</td>', html)
    assert re.search(r'<td class="">Acme</td>', html)


def test_record_rules_apply_to_list_count_group_and_export(web_app):
    _orders(web_app, 3, user="ann")
    _orders(web_app, 2, user="max")
    ann, manager = client_for(web_app, "ann"), client_for(web_app, "max")
    assert "1–3 of 3" in ann.get("/web/kt.order").get_data(as_text=True)
    assert "1–5 of 5" in manager.get("/web/kt.order").get_data(as_text=True)
    grouped = ann.get("/web/kt.order?groupby=state").get_data(as_text=True)
    assert re.findall(r'<td class="num">(\d+)</td>', grouped) == ["1", "2"]
    token = csrf(ann, "/web/kt.order")
    exported = ann.post("/web/kt.order/bulk", data={"action": "csv", "csrf_token": token})
    lines = exported.get_data().decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 4  # header + ann's three orders


def test_field_groups_hide_columns_in_list_and_export(web_app):
    _orders(web_app, 1, user="max", margin=Decimal("3.10"))
    manager, ann = client_for(web_app, "max"), client_for(web_app, "ann")
    assert "Margin" in manager.get("/web/kt.order").get_data(as_text=True)
    with web_app.extensions["kangyi"].env() as env:
        uid = env["res.users"].search([("login", "=", "ann")])[0]
        env["kt.order"].write(env["kt.order"].search([]), {"user_id": uid})
    html = ann.get("/web/kt.order").get_data(as_text=True)
    assert "SO0000" in html and "Margin" not in html
    token = csrf(ann, "/web/kt.order")
    data = ann.post("/web/kt.order/bulk", data={"action": "csv", "csrf_token": token})
    header = data.get_data().decode("utf-8-sig").splitlines()[0]
    assert header == "Reference,Customer,Order date,Status,Amount"
    assert ann.get("/web/kt.order?groupby=state").status_code == 200


def test_bulk_delete_and_exports(web_app):
    ids = _orders(web_app, 3)
    client = client_for(web_app, "ann")
    token = csrf(client, "/web/kt.order")
    response = client.post("/web/kt.order/bulk", data={
        "action": "xlsx", "ids": [str(ids[0]), str(ids[2])], "csrf_token": token})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.get_data())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Reference", "Customer", "Order date", "Status", "Amount"]
    assert [v[0] for v in values[1:]] == ["SO0000", "SO0002"]
    assert Decimal(str(values[1][4])) == Decimal("10.25")
    csv_body = client.post("/web/kt.order/bulk", data={
        "action": "csv", "ids": [str(ids[1])], "csrf_token": token}).get_data().decode("utf-8-sig")
    assert csv_body.splitlines()[1] == "SO0001,Acme,,Draft,10.25"
    deleted = client.post("/web/kt.order/bulk", data={
        "action": "delete", "ids": [str(ids[0]), str(ids[1])], "csrf_token": token})
    assert deleted.status_code == 302
    assert _row_names(client.get("/web/kt.order").get_data(as_text=True)) == ["SO0002"]


def test_bulk_without_csrf_token_is_refused(web_app):
    ids = _orders(web_app, 1)
    client = client_for(web_app, "ann")
    response = client.post("/web/kt.order/bulk", data={"action": "delete", "ids": [str(ids[0])]})
    assert response.status_code == 400
    assert _row_names(client.get("/web/kt.order").get_data(as_text=True)) == ["SO0000"]


def test_no_access_gives_a_clean_translated_403(web_app):
    make_user(web_app, "nobody", ["base.group_user"])
    make_user(web_app, "wu", ["base.group_user"], lang="zh_CN")
    response = client_for(web_app, "nobody").get("/web/kt.order")
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "You are not allowed to read records of kt.order" in html
    assert "Access denied" in html and "Traceback" not in html
    chinese = client_for(web_app, "wu").get("/web/kt.order")
    assert chinese.status_code == 403
    assert "拒绝访问" in chinese.get_data(as_text=True)
    assert client_for(web_app, "nobody").get("/web/no.such.model").status_code == 404


def test_name_search_endpoint(web_app):
    _orders(web_app, 1)
    client = client_for(web_app, "ann")
    assert client.get("/web/res.partner/name_search?q=ac").get_json()[0][1] == "Acme"
    assert client.get("/web/kt.tag/name_search?q=x").get_json() == []


def test_group_rows_load_on_expand(web_app):
    client = client_for(web_app, "ann")
    _orders(web_app, 5)
    html = client.get("/web/kt.order?groupby=state").get_data(as_text=True)
    urls = re.findall(r'class="group-expand"[^>]*data-rows="([^"]+)"', html)
    assert len(urls) == 2 and "SO0001" not in html  # the rows are not in the grouped page
    fragment = client.get(urls[0].replace("&amp;", "&").replace("&#34;", '"'))
    rows = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in rows
    assert _row_names(rows) == ["SO0001", "SO0003"]  # the draft group's rows only


def _unescape(url):
    return url.replace("&amp;", "&").replace("&#34;", '"')


def test_group_by_several_levels_with_subtotals_and_pages(web_app):
    """Status › customer: each level's count and sums are those of its records, the total of
    every record is in the footer, a level's groups load below their group (a page at a
    time), and the last level's rows are those of both groups."""
    with web_app.extensions["kangyi"].env() as env:
        uid = env["res.users"].search([("login", "=", "ann")])[0]
        partners = env["res.partner"].create([{"name": "Acme"}, {"name": "Bolt"}])
        env["kt.order"].create([
            {"name": f"SO{i:04d}", "user_id": uid, "partner_id": partners[i % 3 // 2],
             "amount": Decimal(i) + Decimal("0.25"), "state": "draft" if i % 2 else "sale"}
            for i in range(9)])
        records = env["kt.order"].search_read([], ["partner_id", "state", "amount", "name"])
    client = client_for(web_app, "ann")
    html = client.get("/web/kt.order?groupby=state&groupby=partner_id").get_data(as_text=True)
    assert 'id="groupby-1"' in html and "Then by" in html and "Status › Customer" in html
    top = re.findall(r'<tr>\s*<td><a href="[^"]+">([^<]+)</a></td>\s*<td class="num">(\d+)</td>'
                     r'\s*<td class="num">([^<]+)</td>\s*<td class="expand"><button[^>]*'
                     r'data-groups="([^"]+)"', html)
    labels = {"draft": "Draft", "sale": "Confirmed"}
    expected = {labels[s]: [r for r in records if r["state"] == s] for s in labels}
    assert [(label, int(count), Decimal(total)) for label, count, total, _u in top] == [
        (label, len(rows), sum(r["amount"] for r in rows)) for label, rows in expected.items()]
    footer = re.search(r"<tfoot>.*?</tfoot>", html, re.S).group(0)
    assert "<td class=\"num total\">9</td>" in footer
    assert f'<td class="num total">{sum(r["amount"] for r in records)}</td>' in footer
    below = client.get(_unescape(top[0][3]))  # the draft orders by customer
    assert below.status_code == 200 and "<html" not in below.get_data(as_text=True)
    second = re.findall(r'<tr class="level-1">\s*<td><a href="[^"]+">([^<]+)</a></td>\s*'
                        r'<td class="num">(\d+)</td>\s*<td class="num">([^<]+)</td>\s*'
                        r'<td class="expand"><button[^>]*data-rows="([^"]+)"',
                        below.get_data(as_text=True))
    drafts = expected["Draft"]
    assert [(name, int(count), Decimal(total)) for name, count, total, _u in second] == [
        (name, len(rows), sum(r["amount"] for r in rows)) for name in ("Acme", "Bolt")
        if (rows := [r for r in drafts if r["partner_id"][1] == name])]
    rows = client.get(_unescape(second[1][3])).get_data(as_text=True)
    assert sorted(_row_names(rows)) == sorted(
        r["name"] for r in drafts if r["partner_id"][1] == "Bolt")
    web_app.config["LIST_PAGE_SIZE"] = 1
    try:  # a level's groups a page at a time: its "More groups" loads the next
        first = client.get(_unescape(top[0][3])).get_data(as_text=True)
        assert re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>', first) == ["Acme"]
        more = re.search(r'class="group-more" data-groups="([^"]+)"', first).group(1)
        rest = client.get(_unescape(more)).get_data(as_text=True)
        assert re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>', rest) == ["Bolt"]
        assert "group-more" not in rest
    finally:
        web_app.config["LIST_PAGE_SIZE"] = 80
