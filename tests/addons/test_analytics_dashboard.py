"""Dashboards (tiles, charts, short lists contributed through register_analyses by the
kt_analytics fixture) and saved views (ir.filters) per user, group and default, within rights."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

from addons.analytics import web as analytics_web
from addons.analytics.dashboards import tile_figures
from addons.analytics.declare import Tile, catalog_of
from tests.addons.test_analytics_pivot import _env, app  # noqa: F401  (the fixture)
from tests.web_helpers import client_for, csrf, make_user

FEB = dt.date(2026, 2, 15)


def test_hook_register_analyses(app, monkeypatch):  # noqa: F811
    """The fixture addon's analyses, tile and dashboard appear; figures follow ann's rules."""
    monkeypatch.setattr(analytics_web, "today", lambda: FEB)
    with _env(app, "ann") as env:
        catalog = catalog_of(env.registry)
        assert {"kt_analytics.orders", "kt_analytics.orders_chart"} <= set(catalog.analyses)
        assert "sale.order" not in {a.model for a in catalog.analyses.values()}  # no sales
        figures = tile_figures(env, catalog.tiles["kt_analytics.tile_amount"], FEB)
        assert (figures["value"], figures["previous"]) == (Decimal("300.00"), Decimal("100.00"))
        assert len(figures["spark"]) == 6
        assert tile_figures(env, Tile("t", "t", "kt.order"), FEB)["value"] == 3
    ann = client_for(app, "ann")
    page = ann.get("/web/page/analytics/dashboard")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Order desk" in text and "300.00" in text and "+200.0%" in text
    assert "Margin" not in text  # a tile of the managers' group
    assert re.search(r"<td><a [^>]*>A1</a></td>", text)  # the draft orders' short list
    data = json.loads(re.search(r"data-chart-data>(.*?)</script>", text, re.S).group(1))
    assert sum(p["value"] for p in data["series"][0]["points"]) == 400.0
    tile = re.search(r'class="kpi-link" href="([^"]+)"', text).group(1).replace("&amp;", "&")
    pivot = ann.get(tile).get_data(as_text=True)
    assert "date_from=2026-02-01" in tile and "300.00" in pivot and "1,000.00" not in pivot
    assert ann.get("/web/page/analytics/dashboard/analytics.dashboard_general").status_code == 403


def _save(client, **values):
    form = {"csrf_token": csrf(client, "/web/kt.order/pivot"), "kind": "pivot",
            "args": json.dumps({"row": ["partner_id"], "measure": ["amount:sum"]}), "domain": "",
            **values}
    return client.post("/web/page/analytics/views/kt.order", data=form)


def test_saved_views_per_user_group_and_default(app):  # noqa: F811
    make_user(app, "gm", ["kt_web.group_manager", "analytics.group_general_manager"])
    ann, bob, gm = client_for(app, "ann"), client_for(app, "bob"), client_for(app, "gm")
    assert _save(ann, name="Mine by customer", is_default="1").status_code == 302
    assert _save(ann, name="Everyone's", share="all").status_code == 302  # refused: flash
    assert _save(gm, name="Team view", share="all").status_code == 302
    with _env(app, "ann") as env:
        names = {f["name"] for f in env["ir.filters"].search_read([], ["name"])}
    assert names == {"Mine by customer", "Team view"}
    with _env(app, "bob") as env:
        assert {f["name"] for f in env["ir.filters"].search_read([], ["name"])} == {"Team view"}
    # the default view opens when the address names no analysis: ann's grouping by customer
    page = ann.get("/web/kt.order/pivot").get_data(as_text=True)
    assert 'value="partner_id" selected' in page and "Mine by customer" in page
    other = bob.get("/web/kt.order/pivot").get_data(as_text=True)
    assert 'value="partner_id" selected' not in other
    with _env(app, "bob") as env:
        shared = env["ir.filters"].search([("name", "=", "Team view")])
        try:
            env["ir.filters"].write(shared, {"name": "hijacked"})
        except Exception as exc:  # noqa: BLE001
            assert "ir.filters" in str(exc) or "rule" in str(exc).lower()
        else:
            raise AssertionError("bob changed a shared view")


def test_shipped_analyses_and_dashboards_open(make_app):
    """Every analysis shipped for sales, CRM, stock and accounting opens (pivot or chart), and
    the general manager's dashboard gathers the areas' tiles."""
    full = make_app()
    full.extensions["kangyi"].manager.install(["sales", "crm", "stock", "accounting",
                                               "analytics"])
    make_user(full, "gm", ["analytics.group_general_manager", "sales.group_director",
                           "crm.group_manager", "stock.group_manager", "accounting.group_chief"])
    gm = client_for(full, "gm")
    with full.extensions["kangyi"].env() as env:
        catalog = catalog_of(env.registry)
        with full.test_request_context():
            from addons.analytics.dashboards import analysis_url

            urls = [analysis_url(a) for a in catalog.analyses.values()]
    assert len(urls) >= 15
    for url in urls:
        response = gm.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[-800:])
    home = gm.get("/web/page/analytics/dashboard").get_data(as_text=True)
    for name in ("Orders", "Stock value", "Receivables open"):
        assert name in home
    for board in ("analytics.dashboard_sales", "analytics.dashboard_stock",
                  "analytics.dashboard_finance"):
        assert gm.get(f"/web/page/analytics/dashboard/{board}").status_code == 200
    # the CRM's segmentation opens as a generic pivot of customers
    segmentation = gm.get("/web/page/crm/segmentation?by=region").get_data(as_text=True)
    link = re.search(r'href="(/web/res\.partner/pivot[^"]+)"', segmentation).group(1)
    assert "row=region" in link
    assert gm.get(link.replace("&amp;", "&")).status_code == 200


def test_purchase_production_hr_and_projects_contribute_analyses_and_dashboards(make_app):
    """Purchase, production, hr and projects each bring their analyses (every one opens); the
    purchasing and production managers get a dashboard of their own, in Chinese, and not each
    other's; a dashboard whose addon is missing is not offered."""
    full = make_app()
    runtime = full.extensions["kangyi"]
    runtime.manager.install(["analytics", "hr"])
    make_user(full, "gm0", ["analytics.group_general_manager"], lang="zh_CN")
    boards = client_for(full, "gm0").get("/web/page/analytics/dashboard").get_data(as_text=True)
    assert "采购主管" not in boards and "生产经理" not in boards  # purchase, production absent
    runtime.manager.install(["purchase", "production", "projects"])
    make_user(full, "buyer", ["purchase.group_manager"], lang="zh_CN")
    make_user(full, "plant", ["production.group_manager"], lang="zh_CN")
    make_user(full, "gm", ["analytics.group_general_manager", "purchase.group_manager",
                           "production.group_manager", "hr.group_manager",
                           "projects.group_general_manager"], lang="zh_CN")
    with runtime.env() as env:
        catalog = catalog_of(env.registry)
        ours = [a for key, a in catalog.analyses.items() if key.split(".")[1].startswith(
            ("purchase_", "production_", "hr_", "project_"))]
        with full.test_request_context():
            from addons.analytics.dashboards import analysis_url

            urls = [analysis_url(a) for a in ours]
    assert len(urls) == 14
    gm = client_for(full, "gm")
    for url in urls:
        response = gm.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[-800:])
    buyer = client_for(full, "buyer").get("/web/page/analytics/dashboard").get_data(
        as_text=True)
    assert "采购订单" in buyer and "待审批的采购订单" in buyer and "生产经理" not in buyer
    plant = client_for(full, "plant").get("/web/page/analytics/dashboard").get_data(
        as_text=True)
    assert "已完工订单" in plant and "逾期的生产订单" in plant and "采购主管" not in plant
    for board in ("analytics.dashboard_purchase", "analytics.dashboard_production"):
        assert gm.get(f"/web/page/analytics/dashboard/{board}").status_code == 200
    home = gm.get("/web/page/analytics/dashboard").get_data(as_text=True)
    assert "项目工时" in home and "采购金额" in home  # the areas' tiles on the GM's dashboard


def _figure(text):
    """A tile's shown value as a number (``1,234.50`` → 1234.50)."""
    return Decimal(text.replace(",", "").strip())


def _expected(env, model, domain, measure):
    """The sum (or count) of ``measure`` over the records of ``domain``, read as records."""
    field = measure.partition(":")[0]
    if field == "__count":
        return Decimal(env[model].search_count(domain))
    return sum((Decimal(r[field] or 0) for r in env[model].search_read(domain, [field])),
               Decimal(0))


def test_sales_stock_and_finance_dashboards_in_chinese_on_generated_data(make_app, monkeypatch):
    """The sales director's, warehouse manager's and finance manager's dashboards over the
    generated data set, in Chinese: each tile shows the sum (or count) of the records it stands
    for in the dashboard's month, and each chart's points add up to its records' total — both
    read back from the records with the user's rights, not written down."""
    from core.demo_data import generate

    full = make_app()
    runtime = full.extensions["kangyi"]
    runtime.manager.install(["sales", "stock", "accounting", "analytics"])
    posts = {"director": ("sales.group_director", "analytics.dashboard_sales"),
             "keeper": ("stock.group_manager", "analytics.dashboard_stock"),
             "chief": ("accounting.group_chief", "analytics.dashboard_finance")}
    users = {login: make_user(full, login, [group], lang="zh_CN")
             for login, (group, _board) in posts.items()}
    approvers = [make_user(full, "manager", ["sales.group_manager"]), users["director"]]
    with runtime.env() as env:
        generate(env, "tiny", seed=7, commit=env.session.commit)  # draft orders over a year
        drafts = env["sale.order"].search([], order="id")[::3]  # a third of them approved
        env["sale.order"].call("action_submit", drafts)
    for approver in approvers:  # the manager's review, then the director's for large ones
        with runtime.env(uid=approver, su=False) as env:
            for order in env["sale.order"].search([("id", "in", drafts),
                                                   ("state", "=", "to_approve")]):
                env["sale.order"].call("workflow_approve", [order])
    with runtime.env() as env:
        latest = max(o["date_order"] for o in env["sale.order"].search_read(
            [("state", "in", ("sale", "done"))], ["date_order"]))  # a month with sales
    today = latest if isinstance(latest, dt.date) and not isinstance(
        latest, dt.datetime) else latest.date()
    monkeypatch.setattr(analytics_web, "today", lambda: today)
    month, following = today.replace(day=1), (today.replace(day=1) + dt.timedelta(days=32))
    following = following.replace(day=1)
    for login, (_group, board_id) in posts.items():
        uid = users[login]
        page = client_for(full, login).get(f"/web/page/analytics/dashboard/{board_id}")
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and 'lang="zh-CN"' in text, (login, text[-600:])
        tiles = re.findall(r'<h2>([^<]+)</h2>\s*<p class="kpi-value">([^<]+)</p>', text)
        charts = [json.loads(data) for data in re.findall(
            r"data-chart-data>(.*?)</script>", text, re.S)]
        with runtime.env(uid=uid, su=False) as env:
            catalog = catalog_of(env.registry)
            board = catalog.dashboards[board_id]  # its items of installed addons (no CRM)
            board_tiles = [t for t in board.tiles if t in catalog.tiles]
            board_charts = [c for c in board.charts if c in catalog.analyses]
            assert len(tiles) == len(board_tiles) and len(charts) == len(board_charts), login
            shown = []
            for tile_id, (name, value) in zip(board_tiles, tiles, strict=True):
                tile = catalog.tiles[tile_id]
                assert re.search("[\u4e00-\u9fff]", name), (login, name)  # worded in Chinese
                domain = list(tile.domain)
                if tile.date_field:
                    domain += [(tile.date_field, ">=", month.isoformat()),
                               (tile.date_field, "<", following.isoformat())]
                expected = _expected(env, tile.model, domain, tile.measure)
                assert _figure(value) == expected, (login, tile_id, value, expected)
                assert ("." in value) == (tile.measure != "__count"), value  # 0.00, not 0
                shown.append(expected)
            assert any(shown), (login, tiles)  # the month has figures: not all zero
            for chart_id, data in zip(board_charts, charts, strict=True):
                analysis = catalog.analyses[chart_id]
                assert not analysis.period and re.search("[\u4e00-\u9fff]", data["measure"])
                total = sum(p["value"] for s in data["series"] for p in s["points"])
                expected = _expected(env, analysis.model, list(analysis.domain),
                                     analysis.measures[0])
                assert abs(Decimal(str(total)) - expected) < Decimal("0.01"), (
                    login, chart_id, total, expected)
