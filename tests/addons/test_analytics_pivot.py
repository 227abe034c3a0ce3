"""Pivot and graph of any model (kt.order of the kt_web fixture): figures on known data (levels,
totals, averages, period comparison), drill-down domains, XLSX layout, and the user's rights
(record rules, field groups) through every door: page, chart, export, REST and RPC read_group."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from addons.analytics import web as analytics_web
from addons.analytics.periods import compared_range, period_range
from addons.analytics.pivot import compute, parse_measures
from tests.web_helpers import client_for, make_user

ORDERS = [  # name, salesperson, partner, date, state, amount
    ("A1", "ann", "Acme", "2026-01-10", "draft", "100.00"),
    ("A2", "ann", "Acme", "2026-02-03", "sale", "250.50"),
    ("A3", "ann", "Beta", "2026-02-20", "sale", "49.50"),
    ("B1", "bob", "Acme", "2026-02-11", "sale", "1000.00"),
    ("B2", "bob", "Beta", "2025-02-11", "sale", "300.00"),
]


@pytest.fixture
def app(make_app):
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["kt_web", "analytics"])
    users = {name: make_user(app, name, ["kt_web.group_user"]) for name in ("ann", "bob")}
    users["max"] = make_user(app, "max", ["kt_web.group_manager"])
    with runtime.env() as env:
        partners = {n: env["res.partner"].create({"name": n}) for n in ("Acme", "Beta")}
        for name, user, partner, day, state, amount in ORDERS:
            env["kt.order"].create({"name": name, "user_id": users[user],
                                    "partner_id": partners[partner], "date_order": day,
                                    "state": state, "amount": amount, "margin": "1"})
    app.config["ANALYTICS_USERS"] = users
    return app


def _env(app, login):
    runtime = app.extensions["kangyi"]
    uid = app.config["ANALYTICS_USERS"][login]
    return runtime.env(uid=uid)


def test_two_levels_with_totals_and_average(app):
    with _env(app, "max") as env:
        svc = env["kt.order"]
        measures = parse_measures(svc, ["__count", "amount:sum", "amount:avg", "amount:max"])
        pivot = compute(svc, [], ["partner_id"], ["date_order:year", "state"], measures)
        acme = next(h for h in pivot.row_tree.children if h.label == "Acme")
        assert pivot.value((), ()) == [5, Decimal("1700.00"), Decimal("340.00"),
                                       Decimal("1000.00")]
        assert pivot.value(acme.key, ()) == [3, Decimal("1350.50"),
                                             Decimal("1350.50") / 3, Decimal("1000.00")]
        assert pivot.value(acme.key, ("2026",)) == [3, Decimal("1350.50"),
                                                    Decimal("1350.50") / 3, Decimal("1000.00")]
        assert pivot.value(acme.key, ("2026", "sale"))[:2] == [2, Decimal("1250.50")]
        assert pivot.value((), ("2025",))[:2] == [1, Decimal("300.00")]
        # column headers: each group after its children, the grand total last
        assert [c.key for c in pivot.col_headers()] == [
            ("2025", "sale"), ("2025",), ("2026", "draft"), ("2026", "sale"), ("2026",), ()]
        # a cell's records are found again by its drill-down domain
        domain = pivot.domain(acme.key, ("2026", "sale"))
        assert sorted(r["name"] for r in svc.search_read(domain, ["name"])) == ["A2", "B1"]


def test_record_rules_and_field_groups_apply(app):
    with _env(app, "ann") as env:
        svc = env["kt.order"]
        pivot = compute(svc, [], ["partner_id"], [], parse_measures(svc, ["amount:sum"]))
        assert pivot.value((), ()) == [Decimal("400.00")]  # ann's three orders only
        with pytest.raises(Exception, match="(?i)margin|access|not allowed"):
            compute(svc, [], ["partner_id"], [],
                    parse_measures(svc, ["margin:sum"]))


def test_period_comparison_and_week_grouping(app):
    start, end = period_range("custom", dt.date(2026, 3, 1), "2026-02-01", "2026-02-28")
    assert (start, end) == (dt.date(2026, 2, 1), dt.date(2026, 3, 1))
    assert compared_range(start, end, "previous") == (dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    assert compared_range(start, end, "last_year") == (dt.date(2025, 2, 1), dt.date(2025, 3, 1))
    assert period_range("this_quarter", dt.date(2026, 5, 9)) == (dt.date(2026, 4, 1),
                                                                 dt.date(2026, 7, 1))
    with _env(app, "max") as env:
        svc = env["kt.order"]
        week = compute(svc, [], ["date_order:week"], [], parse_measures(svc, []))
        # weeks keyed by their Monday on every database
        assert [h.key for h in week.row_tree.children][:2] == [("2025-02-10",), ("2026-01-05",)]
        quarter = compute(svc, [], ["date_order:quarter"], [], parse_measures(svc, []))
        assert [h.key for h in quarter.row_tree.children] == [("2025-Q1",), ("2026-Q1",)]
        assert quarter.value(("2026-Q1",), ()) == [4]
        this = [("date_order", ">=", "2026-02-01"), ("date_order", "<", "2026-03-01")]
        last = [("date_order", ">=", "2025-02-01"), ("date_order", "<", "2025-03-01")]
        pivot = compute(svc, this, ["partner_id"], [], parse_measures(svc, ["amount:sum"]),
                        compare_domain=last)
        beta = next(h for h in pivot.row_tree.children if h.label == "Beta")
        assert pivot.value(beta.key, ()) == [Decimal("49.50")]
        assert pivot.value(beta.key, (), previous=True) == [Decimal("300.00")]
        assert analytics_web.change(Decimal("49.50"), Decimal("300.00")) == "-83.5%"


def _domain_of(url):
    return json.loads(parse_qs(urlsplit(url).query)["domain"][0])


def test_pivot_page_drill_down_and_export(app, monkeypatch):
    monkeypatch.setattr(analytics_web, "today", lambda: dt.date(2026, 3, 15))
    ann = client_for(app, "ann")
    listing = ann.get("/web/kt.order?groupby=partner_id&menu=kt_web.menu_orders").get_data(
        as_text=True)
    pivot_link = re.search(r'href="(/web/kt.order/pivot[^"]*)"', listing).group(1)
    assert "groupby=partner_id" in pivot_link and "menu=kt_web.menu_orders" in pivot_link
    page = ann.get(pivot_link.replace("&amp;", "&") + "&measure=amount:sum&date_field="
                   "date_order&period=last_month&compare=last_year")
    text = page.get_data(as_text=True)
    assert page.status_code == 200, text
    assert "Acme" in text and "250.50" in text and "1,000.00" not in text  # bob's order hidden
    drill = re.search(r'<a href="([^"]+)">250.50</a>', text).group(1).replace("&amp;", "&")
    rows = ann.get(drill).get_data(as_text=True)
    assert ">A2<" in rows and ">A1<" not in rows and ">B1<" not in rows  # links of rows
    assert ("date_order", ">=", "2026-02-01") in [tuple(x) if isinstance(x, list) else x
                                                  for x in _domain_of(drill)]
    export = ann.get(pivot_link.replace("&amp;", "&") + "&measure=amount:sum&export=xlsx")
    assert export.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.data)).active
    cells = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row if c.value}
    assert cells[(1, 2)] == "Total" and cells[(2, 2)] == "Amount"
    assert ("Acme", Decimal("350.50")) in {(sheet.cell(r, 1).value, Decimal(str(sheet.cell(
        r, 2).value))) for r in range(3, 6) if sheet.cell(r, 2).value is not None}
    assert sheet.cell(3, 2).value == 400  # ann's total, her rules applied


def test_graph_page_and_rest_rpc_read_group(app):
    ann = client_for(app, "ann")
    page = ann.get("/web/kt.order/graph?row=partner_id&measure=amount:sum&chart=stacked")
    text = page.get_data(as_text=True)
    data = json.loads(re.search(r"data-chart-data>(.*?)</script>", text, re.S).group(1))
    assert data["chart"] == "stacked" and sorted(data["categories"]) == ["Acme", "Beta"]
    assert sum(p["value"] for p in data["series"][0]["points"]) == 400.0
    assert "echarts.min.js" in text
    script = ann.get(re.search(r'src="([^"]*echarts\.min\.js)"', text).group(1))
    assert script.status_code == 200 and b"echarts" in script.data[:2000]
    script.close()
    assert ann.get("/web/kt.order/pivot?row=state&measure=margin:sum").status_code == 403
    assert client_for(app, "max").get(
        "/web/kt.order/pivot?row=state&measure=margin:sum").status_code == 200
    rpc = ann.post("/web/dataset/call_kw", json={"jsonrpc": "2.0", "method": "call", "params": {
        "model": "kt.order", "method": "read_group", "args": [[], ["amount:sum"],
                                                               ["partner_id", "state"]],
        "kwargs": {"lazy": False}}})
    groups = rpc.get_json()["result"]
    assert sum(Decimal(str(g["amount"])) for g in groups) == Decimal("400.00")
    assert {g["__count"] for g in groups} == {1}
    from core.api.apikeys import generate_key

    with _env(app, "ann") as env:
        key = generate_key(env, app.config["ANALYTICS_USERS"]["ann"], "tests")
    rest = app.test_client().get(
        "/api/v1/kt.order/read_group?groupby=partner_id,date_order:quarter&fields=amount"
        "&lazy=false", headers={"Authorization": f"Bearer {key}"}).get_json()["data"]
    assert sum(Decimal(str(g["amount"])) for g in rest) == Decimal("400.00")
    assert sorted(g["date_order:quarter"] for g in rest) == ["2026-Q1", "2026-Q1"]


def test_column_groups_collapse_and_expand(app):
    """A column group collapses to its subtotal column (the page and its export), and expands
    again, as row groups do; other groups stay open."""
    max_ = client_for(app, "max")
    base = "/web/kt.order/pivot?row=partner_id&col=date_order:year&col=state&measure=amount:sum"
    text = max_.get(base).get_data(as_text=True)
    head = text.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert head.count('class="col-toggle"') == 2  # 2025 and 2026 may collapse
    assert "Draft" in head and "1,350.50" in text
    collapse = re.search(r'<a class="col-toggle" href="([^"]+)" aria-expanded="true" '
                         r'aria-label="Collapse">▾</a> 2026', head).group(1).replace("&amp;", "&")
    assert "fold=2026" in collapse
    folded = max_.get(collapse).get_data(as_text=True)
    head = folded.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert "Draft" not in head  # 2026's states are gone, 2025's stay
    assert head.count("Confirmed") == 1 and 'aria-expanded="false"' in head
    body = folded.split("<tbody>", 1)[1]
    acme = body.split("Acme", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r">([\d,.]+)</a>", acme) == ["1,350.50", "1,350.50"]  # 2026, total
    export = max_.get(collapse + "&export=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.data)).active
    assert "Draft" not in {c.value for row in sheet.iter_rows() for c in row}
    expand = re.search(r'<a class="col-toggle" href="([^"]+)" aria-expanded="false"',
                       head).group(1).replace("&amp;", "&")
    assert "fold=" not in expand
    assert "Draft" in max_.get(expand).get_data(as_text=True)


def test_list_levels_are_the_pivots_rows_and_back(app):
    """A list grouped on two levels opens a pivot with both as its rows, whose switch back to
    the list keeps both."""
    ann = client_for(app, "ann")
    listing = ann.get("/web/kt.order?groupby=state&groupby=partner_id").get_data(as_text=True)
    link = re.search(r'href="(/web/kt.order/pivot[^"]*)"', listing).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(link).query)["groupby"] == ["state", "partner_id"]
    pivot = ann.get(link).get_data(as_text=True)
    back = re.search(r'<a href="([^"]+)">List</a>', pivot).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(back).query)["groupby"] == ["state", "partner_id"]
