"""Accounting reports: figures by SQL aggregation, drill-down to the items behind each figure,
export, and the menus and lists of the web UI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from urllib.parse import unquote

import pytest
from test_account_helpers import DAY, account, invoice, make_user, partner, receipt, voucher

from addons.accounting import reports
from core.errors import AccessError
from tests.web_helpers import client_for, count_queries


@pytest.fixture
def books(make_runtime):
    """October opening balances, November sales, costs, receipts."""
    runtime = make_runtime()
    runtime.manager.install(["accounting"])
    with runtime.env() as env:
        runtime.hualian = partner(env, "上海华联医药贸易有限公司")
        runtime.kangtai = partner(env, "北京康泰医疗器械有限公司")
        voucher(env, [("1002", 500000, 0), ("4001", 0, 500000)], day=dt.date(2026, 10, 8))
        runtime.inv1 = invoice(env, runtime.hualian, [(10, 1000, "tax_sale_13")],
                               day=dt.date(2026, 11, 3), due=dt.date(2026, 9, 15))
        runtime.inv2 = invoice(env, runtime.kangtai, [(5, 2000, "tax_sale_13")],
                               day=dt.date(2026, 11, 5), due=dt.date(2026, 12, 5))
        voucher(env, [("6401", 8000, 0), ("1405", 0, 8000)])
        voucher(env, [("6602", 1500, 0), ("1002", 0, 1500)])
        receipt(env, runtime.hualian, "5000.00", [runtime.inv1])
    return runtime


def _items_behind(env, domain):
    rows = env["account.move.line"].search_read(domain, ["debit", "credit", "balance"])
    return (sum((r["debit"] for r in rows), Decimal(0)),
            sum((r["credit"] for r in rows), Decimal(0)))


def test_trial_balance_figures_and_drill_down(books):
    with books.env() as env:
        tb = reports.trial_balance(env, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        assert tb["difference"] == 0
        by_code = {row["code"]: row for row in tb["rows"]}
        assert by_code["1002"]["opening_debit"] == Decimal("500000.00")
        assert by_code["1002"]["debit"] == Decimal("5000.00")
        assert by_code["1002"]["credit"] == Decimal("1500.00")
        assert by_code["1002"]["closing_debit"] == Decimal("503500.00")
        assert by_code["6001"]["credit"] == Decimal("20000.00")
        assert by_code["4001"]["opening_credit"] == Decimal("500000.00")
        assert by_code["4001"]["debit"] == 0
        for row in tb["rows"]:
            assert _items_behind(env, row["domain"]) == (row["debit"], row["credit"])
        assert tb["totals"]["debit"] == tb["totals"]["credit"] == Decimal("37100.00")


def test_general_ledger_has_a_running_balance_and_pages(books):
    with books.env() as env:
        ledger = reports.general_ledger(env, account(env, "1122"), dt.date(2026, 11, 1),
                                        dt.date(2026, 11, 30))
        assert ledger["opening"] == 0 and ledger["total"] == 3
        assert [line["running_balance"] for line in ledger["lines"]] == [
            Decimal("11300.00"), Decimal("22600.00"), Decimal("17600.00")]
        page2 = reports.general_ledger(env, account(env, "1122"), dt.date(2026, 11, 1),
                                       dt.date(2026, 11, 30), offset=2, limit=1)
        assert page2["opening"] == Decimal("22600.00")
        assert page2["lines"][0]["running_balance"] == Decimal("17600.00")


def test_account_balances_by_partner(books):
    with books.env() as env:
        rows = reports.account_balances(env, dt.date(2026, 11, 30), [account(env, "1122")])
        by_partner = {row["partner"]: row["balance"] for row in rows}
        assert by_partner == {"上海华联医药贸易有限公司": Decimal("6300.00"),
                              "北京康泰医疗器械有限公司": Decimal("11300.00")}
        for row in rows:
            assert env["account.move.line"].search_count(row["domain"]) >= 1


def test_receivables_aging_buckets(books):
    with books.env() as env:
        aging = reports.receivables_aging(env, dt.date(2026, 11, 30))
        rows = {row["partner"]: row for row in aging["rows"]}
        hualian = rows["上海华联医药贸易有限公司"]
        assert hualian["buckets"]["61_90"]["amount"] == Decimal("6300.00")  # due 15 Sept
        assert rows["北京康泰医疗器械有限公司"]["buckets"]["not_due"]["amount"] == Decimal(
            "11300.00")
        assert aging["total"] == Decimal("17600.00")
        ids = env["account.move.line"].search(hualian["buckets"]["61_90"]["domain"])
        assert len(ids) == 1


def test_receivables_aging_at_an_earlier_date_counts_later_write_offs_as_open(books):
    """The receipt of 10 November wrote 5,000 off the first invoice: aging as of 9 November
    shows that invoice whole, and the receipt itself (not yet received) nowhere."""
    with books.env() as env:
        aging = reports.receivables_aging(env, DAY - dt.timedelta(days=1))
        rows = {row["partner"]: row for row in aging["rows"]}
        hualian = rows["上海华联医药贸易有限公司"]["buckets"]
        assert {key: bucket["amount"] for key, bucket in hualian.items()} == {
            "31_60": Decimal("11300.00")}  # due 15 Sept: 55 days late on 9 Nov
        assert aging["total"] == Decimal("22600.00")
        assert reports.receivables_aging(env, DAY)["total"] == Decimal("17600.00")


def _open_behind(env, domain):
    return sum((r["amount_residual"] for r in env["account.move.line"].search_read(
        domain, ["amount_residual"])), Decimal(0))


def test_receivables_aging_figures_equal_the_items_at_every_bucket_edge(books):
    """Items due on each edge of each bucket fall in the bucket the days overdue say, and
    every figure equals the open amount of the items its drill-down shows; a user whose record
    rule hides a customer's items sees neither the customer nor its amounts."""
    as_of = dt.date(2026, 11, 30)
    late_days = (0, 1, 30, 31, 60, 61, 90, 91, -5)
    with books.env() as env:
        edges = partner(env, "杭州边界医药有限公司")
        for n, late in enumerate(late_days, start=1):
            invoice(env, edges, [(1, n, None)], day=dt.date(2026, 11, 20),
                    due=as_of - dt.timedelta(days=late))
        aging = reports.receivables_aging(env, as_of)
        rows = {row["partner_id"]: row for row in aging["rows"]}
        expected: dict[str, Decimal] = {}
        for n, late in enumerate(late_days, start=1):
            key = reports._bucket(as_of, as_of - dt.timedelta(days=late))
            expected[key] = expected.get(key, Decimal(0)) + n
        assert {k: b["amount"] for k, b in rows[edges]["buckets"].items()} == expected
        assert expected == {"not_due": 1 + 9, "1_30": 2 + 3, "31_60": 4 + 5, "61_90": 6 + 7,
                            "over_90": 8}
        for row in aging["rows"]:
            for key, bucket in row["buckets"].items():
                assert _open_behind(env, bucket["domain"]) == bucket["amount"], (row, key)
        assert aging["total"] == sum(aging["totals"].values()) == sum(
            (row["total"] for row in aging["rows"]), Decimal(0))
        clerk = make_user(env, "clerk", "accounting.group_chief")
        env["ir.rule"].create({"name": "Only Hualian's items", "model": "account.move.line",
                               "domain_force": f"[('partner_id', '=', {books.hualian})]"})
    with books.env(uid=clerk) as env:
        seen = reports.receivables_aging(env, as_of)
    assert [row["partner_id"] for row in seen["rows"]] == [books.hualian]
    assert seen["rows"][0] == rows[books.hualian]
    assert seen["total"] == rows[books.hualian]["total"]


def test_profit_and_loss_and_balance_sheet(books):
    with books.env() as env:
        pl = reports.profit_and_loss(env, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        assert pl["sections"]["revenue"]["total"] == Decimal("20000.00")
        assert pl["sections"]["cost_of_revenue"]["total"] == Decimal("8000.00")
        assert pl["sections"]["expenses"]["total"] == Decimal("1500.00")
        assert pl["gross_profit"] == Decimal("12000.00")
        assert pl["net_profit"] == Decimal("10500.00")
        bs = reports.balance_sheet(env, dt.date(2026, 11, 30))
        assert bs["difference"] == 0
        assert bs["unallocated_earnings"] == Decimal("10500.00")
        assets = {row["code"]: row["amount"] for row in bs["sections"]["assets"]["rows"]}
        assert assets["1405"] == Decimal("-8000.00") and assets["1122"] == Decimal("17600.00")
        liabilities = {r["code"]: r["amount"] for r in bs["sections"]["liabilities"]["rows"]}
        assert liabilities["22210107"] == Decimal("2600.00")


def test_report_export_csv(books):
    with books.env() as env:
        tb = reports.trial_balance(env, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        data = reports.to_csv(["Code", "Account", "Debit", "Credit"], tb["rows"],
                              ["code", "name", "debit", "credit"])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Code", "Account", "Debit", "Credit"]
    assert ["6001", "主营业务收入", "0.00", "20000.00"] in rows


def test_reports_respect_access_rights(books):
    with books.env() as env:
        plain = make_user(env, "plain", "base.group_user")
    with books.env(uid=plain) as env, pytest.raises(AccessError):
        reports.trial_balance(env, DAY, DAY)


def test_web_drill_down_and_export(make_app):
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["accounting"])
    with runtime.env() as env:
        make_user(env, "chief", "accounting.group_chief")
        customer = partner(env)
        invoice(env, customer, [(3, 100, "tax_sale_13")])
        for _ in range(5):
            voucher(env, [("6602", 10, 0), ("1002", 0, 10)])
        tb = reports.trial_balance(env, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    client = client_for(app, "chief")
    home = client.get("/").get_data(as_text=True)
    assert "Accounting" in home
    row = next(r for r in tb["rows"] if r["code"] == "1122")
    page = client.get(row["url"])
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "SAL/2026/11/0001" in text and "GEN/2026/11/0001" not in text
    # the grouped list is the balances-by-account report: one GROUP BY, fixed query count
    grouped = "/web/account.move.line?groupby=account_id&domain=" + json.dumps(
        [["parent_state", "=", "posted"]])
    with count_queries(runtime.engine) as few:
        assert client.get(grouped).status_code == 200
    with runtime.env() as env:
        for _ in range(20):
            voucher(env, [("6602", 10, 0), ("1002", 0, 10)])
    with count_queries(runtime.engine) as many:
        assert client.get(grouped).status_code == 200
    assert len(many) == len(few)
    csrf = client.get(unquote(row["url"]))
    assert csrf.status_code == 200
    exported = client.post("/web/account.move.line/bulk", data={
        "action": "csv", "query": row["url"].split("?", 1)[1],
        "csrf_token": _csrf(csrf.get_data(as_text=True))})
    assert exported.status_code == 200
    assert "339.00" in exported.get_data(as_text=True)


def _csrf(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_report_pages_link_figures_to_items_and_export(make_app):
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["accounting"])
    today = dt.date.today()
    with runtime.env() as env:
        make_user(env, "chief", "accounting.group_chief")
        make_user(env, "plain", "base.group_user")
        customer = partner(env)
        inv = invoice(env, customer, [(3, 100, "tax_sale_13")], day=today, due=today)
        receipt(env, customer, "100.00", [inv], day=today)
        voucher(env, [("6602", 10, 0), ("1002", 0, 10)], day=today)
        ar = account(env, "1122")
    client = client_for(app, "chief")
    # the side menu of the accounting app lists every report
    menu = client.get("/web/page/accounting/trial-balance").get_data(as_text=True)
    for slug in ("ledger", "balances", "aging", "profit-loss", "balance-sheet"):
        assert f"/web/page/accounting/{slug}" in menu
    for slug, figures in (("trial-balance", ["339.00", "100.00", "Accounts receivable"]),
                          (f"ledger?account={ar}", ["339.00", "239.00"]),
                          ("balances", ["239.00"]), ("aging", ["239.00", "Not due"]),
                          ("profit-loss", ["300.00", "290.00"]),
                          ("balance-sheet", ["Assets", "Liabilities"])):
        page = client.get(f"/web/page/accounting/{slug}")
        assert page.status_code == 200, slug
        text = page.get_data(as_text=True)
        for figure in figures:
            assert figure in text, (slug, figure)
        assert "/web/account.move" in text or slug in ("balance-sheet",), slug
    # a figure's link opens exactly the items behind it
    text = client.get("/web/page/accounting/trial-balance").get_data(as_text=True)
    assert "/web/account.move.line?domain=" in text
    # a slow report: its CSV is made by a background job, downloaded from the job's page
    exported = client.get("/web/page/accounting/trial-balance?export=csv")
    assert exported.status_code == 302 and "/web/jobs/" in exported.headers["Location"]
    job = client.get(exported.headers["Location"]).get_data(as_text=True)
    assert "Download Trial balance" in job and 'data-job-state="done"' in job, job
    link = re.search(r'data-job-result href="([^"]+)"', job).group(1)
    download = client.get(link)
    assert download.status_code == 200 and download.mimetype == "text/csv"
    body = download.get_data().decode("utf-8-sig")
    download.close()
    assert "1122 Accounts receivable" in body and "339.00" in body
    other = client_for(app, "plain").get(link)
    assert other.status_code in (403, 404)
    other.close()
    bad = client.get("/web/page/accounting/balances?date=31-12-2026")
    assert bad.status_code == 422 and "not a date" in bad.get_data(as_text=True)
    assert client_for(app, "plain").get("/web/page/accounting/trial-balance").status_code == 403


def test_drill_urls_by_partner_equal_drill_url_of_the_whole_domain():
    from addons.accounting.reports import drill_url, drill_urls_by_partner

    for base in ([], [("parent_state", "=", "posted"), ("date_maturity", "<", "2026-12-01")]):
        urls = drill_urls_by_partner(base)
        for pid in (7, 12345, False):
            assert urls(pid) == drill_url([*base, ("partner_id", "=", pid)])
