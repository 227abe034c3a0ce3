"""Statement budget of the analysis pages: a two-level pivot, its chart, its XLSX export and a
dashboard run a fixed number of SQL statements whatever the number of records and groups (one
grouped query per pivot, one per tile), counted exactly by an SQL event hook. Budgets are counts,
never timings: lower them when a fix lands, raise them only with a reason."""

from __future__ import annotations

import datetime as dt

from addons.analytics import web as analytics_web
from tests.addons.test_analytics_pivot import app  # noqa: F401  (the fixture)
from tests.web_helpers import client_for, count_queries

PIVOT = ("/web/kt.order/pivot?row=partner_id&row=state&col=date_order:month"
         "&measure=amount:sum&measure=amount:avg&measure=__count")
#: measured on SQLite (7, 7, 4, 11): the request's session, user and registry signature, the
#: one grouped query, the saved views; the dashboard: one query per tile (3), its chart, its
#: short list, the pinned views
BUDGETS = {PIVOT: 7, PIVOT.replace("/pivot", "/graph"): 7, PIVOT + "&export=xlsx": 4,
           "/web/page/analytics/dashboard": 11}


def _counts(app, client):  # noqa: F811
    engine = app.extensions["kangyi"].engine
    counts = {}
    for url in BUDGETS:
        client.get(url)  # warm the caches of the request (menus, views, translations)
        with count_queries(engine) as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(statements)
    return counts


def test_analysis_pages_run_a_fixed_number_of_statements(app, monkeypatch):  # noqa: F811
    monkeypatch.setattr(analytics_web, "today", lambda: dt.date(2026, 2, 15))
    ann = client_for(app, "ann")
    before = _counts(app, ann)
    runtime = app.extensions["kangyi"]
    with runtime.env() as env:  # ten times the data, over more customers and months
        uid = app.config["ANALYTICS_USERS"]["ann"]
        partners = [env["res.partner"].create({"name": f"Customer {k}"}) for k in range(12)]
        for k in range(60):
            env["kt.order"].create({"name": f"N{k}", "user_id": uid,
                                    "partner_id": partners[k % 12],
                                    "date_order": f"2026-{k % 12 + 1:02d}-0{k % 9 + 1}",
                                    "state": ("draft", "sale")[k % 2], "amount": "10.00"})
    after = _counts(app, ann)
    assert after == before
    for url, count in after.items():
        assert count <= BUDGETS[url], (url, count)
