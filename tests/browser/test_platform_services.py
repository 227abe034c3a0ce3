"""Platform services in a real browser, in Chinese, from the login page by clicks only: a big
export made by a real worker process, followed on its progress page (the bar moved by the
page's script) and downloaded from its result link; the notification bell with an approval
waiting; a sales order printed as a PDF and sent by e-mail to a real SMTP server."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from core.reports import rmb_upper
from tests.browser.conftest import Post, serving, shot
from tests.test_jobs_worker import start_worker
from tests.test_mail import set_server, smtp  # noqa: F401 (the SMTP server fixture)
from tests.web_helpers import make_user

DESKTOP = {"width": 1366, "height": 768}
SIZES = {"desktop": DESKTOP, "phone": {"width": 390, "height": 844}}
CUSTOMERS = 60


@pytest.fixture
def export_server(make_app: Any, tmp_path: Any) -> Iterator[tuple[str, Any, str]]:
    queue_url = f"sqlite:///{tmp_path / 'queue.db'}"
    app = make_app(QUEUE_URL=queue_url, EXPORT_JOB_ROWS=20)
    app.extensions["kangyi"].manager.install(["sales"])
    make_user(app, "fang", ["sales.group_assistant"], lang="zh_CN")
    with app.extensions["kangyi"].env() as env:
        env["res.partner"].create([{"name": f"客户{i:03d}", "city": "上海", "is_company": True}
                                   for i in range(CUSTOMERS)])
    with serving(app) as base_url:
        yield base_url, app, queue_url


def test_big_export_runs_in_a_worker_and_downloads_from_its_page(browser, export_server,
                                                                 database_url, tmp_path):
    base_url, app, queue_url = export_server
    with Post(browser, base_url, "fang", DESKTOP) as post:
        page = post.page
        post.menu("销售", "客户")
        page.get_by_role("button", name="导出 CSV").click()
        # more rows than EXPORT_JOB_ROWS: the job's page, waiting for a worker
        expect(page.locator("h1")).to_contain_text("导出")
        expect(page.locator("[data-job-state]")).to_have_text("待处理")
        shot(page, "export-job-pending")
        with (tmp_path / "worker.log").open("w") as log:
            worker = start_worker(database_url, queue_url, tmp_path / "instance", log)
            try:  # the page's script follows the job and shows the link when it is done
                expect(page.locator("[data-job-result]")).to_be_visible()
            finally:
                worker.terminate()
                worker.wait(timeout=20)
        expect(page.locator("progress")).to_have_attribute("value", "100")
        expect(page.locator("[data-job-state]")).to_have_text("已完成")
        shot(page, "export-job-done")
        with page.expect_download() as download:
            page.locator("[data-job-result]").click()
        data = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    assert rows[0][0] == "名称", rows[0]
    names = sorted(r[0] for r in rows[1:] if r[0].startswith("客户"))
    assert names == [f"客户{i:03d}" for i in range(CUSTOMERS)]


@pytest.fixture
def sales_server(make_app: Any, smtp: Any) -> Iterator[tuple[str, Any]]:  # noqa: F811
    """Sales with the demo's posts 王芳 (assistant) and 李强 (manager, with an address); an
    order of 王芳's submitted for approval (as her 提交 button does), so 李强 has it waiting."""
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["sales"])
    set_server(runtime, smtp.port)
    assistant = make_user(app, "wangfang", ["sales.group_assistant"], lang="zh_CN")
    manager = make_user(app, "liqiang", ["sales.group_manager"], lang="zh_CN")
    with runtime.env() as env:
        env["res.users"].write([assistant], {"name": "王芳"})
        env["res.users"].write([manager], {"name": "李强", "email": "liqiang@kangyi.test"})
        partner = env["res.partner"].create({"name": "上海康宁医疗器械有限公司", "is_company": True,
                                             "email": "buyer@kangning.test"})
        product = env["product.product"].create({"name": "电子血压计", "list_price": "299"})
    with app.app_context(), runtime.env(uid=assistant) as env:
        order = env["sale.order"].create({"partner_id": partner, "order_line": [
            (0, 0, {"product_id": product, "product_uom_qty": 10})]})
        app.order_name = env["sale.order"].display_names([order])[order]
        app.order_total = env["sale.order"].read([order], ["amount_total"])[0]["amount_total"]
        assert env["sale.order"].call("action_submit", [order]) == "to_approve"
    with serving(app) as base_url:
        yield base_url, app


def pdf_text(data: bytes) -> str:
    """The text of a PDF, without white space (pypdf, as tests/test_reports.py reads it)."""
    assert data.startswith(b"%PDF-")
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
                   .split())


@pytest.mark.parametrize("size", list(SIZES))
def test_bell_print_and_send_by_email(browser, sales_server, smtp, size):  # noqa: F811
    """李强 is told by e-mail and by the bell that 王芳's order waits for him, opens it from
    the bell, prints it (a PDF with the customer and the amount in Chinese) and sends it to the
    customer by e-mail (the PDF attached), which the order's timeline shows."""
    base_url, app = sales_server
    name = app.order_name
    [mail] = smtp.to("liqiang@kangyi.test")
    assert mail["Subject"] == f"{name} 等待您审批"
    with Post(browser, base_url, "liqiang", SIZES[size]) as post:
        page = post.page
        bell = page.get_by_role("link", name="通知")
        expect(bell.locator("[data-notifications-count]")).to_have_text("1")
        bell.click()
        expect(page.locator("h1")).to_have_text("通知")
        page.get_by_role("link", name=f"{name} 等待您审批").click()
        expect(page).to_have_url(re.compile(r"/web/sale\.order/\d+$"))
        expect(page.locator("main")).to_contain_text(name)
        shot(page, f"bell-opened-order-{size}")
        # print: the PDF opens in a new tab (chromium's viewer); its bytes, fetched again
        # with the same session
        with post.context.expect_event("response", lambda r: "/report/pdf/" in r.url) as answer:
            page.locator("a.print-button").filter(has_text="报价单").first.click()
        response = answer.value
        assert response.status == 200
        assert response.headers["content-type"] == "application/pdf"
        text = pdf_text(post.context.request.get(response.url).body())
        total = app.order_total  # 10 × 299 and 13 % VAT: 3,378.70
        words = [name, "上海康宁医疗器械有限公司", "电子血压计", f"{total:,.2f}", rmb_upper(total)]
        assert not [w for w in words if w not in text], text[:600]
        # send by e-mail: to the customer's address, logged on the order's timeline
        page.locator("button.send-by-email").filter(has_text="报价单").first.click()
        expect(page.locator(".flash-success")).to_contain_text("buyer@kangning.test")
        expect(page.locator("main")).to_contain_text("已通过电子邮件发送给 buyer@kangning.test")
        shot(page, f"order-sent-by-email-{size}")
    [sent] = smtp.to("buyer@kangning.test")
    assert name in sent["Subject"]
    [pdf] = list(sent.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert "上海康宁医疗器械有限公司" in pdf_text(pdf.get_content())


@pytest.fixture
def cron_server(make_app: Any) -> Iterator[tuple[str, Any]]:
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["stock"])
    with runtime.env() as env:
        env["res.users"].write([env.ref_id("base.user_admin")], {"lang": "zh_CN"})
    with serving(app) as base_url:
        yield base_url, app


def test_administrator_pauses_and_runs_a_scheduled_job(browser, cron_server):
    """Settings › 计划任务: the administrator pauses stock's replenishment job, finds it under
    the 已暂停 filter, resumes it and runs it now; its state and last run follow."""
    base_url, app = cron_server

    def cron() -> dict[str, Any]:
        with app.extensions["kangyi"].env() as env:
            return env["ir.cron"].search_read([("code", "=", "stock.job_replenish"),
                                               ("active", "in", [True, False])],
                                              ["active", "state", "lastcall"])[0]

    with Post(browser, base_url, "admin", DESKTOP, password="admin1234") as post:
        page = post.page
        post.menu("设置", "计划任务")
        post.open("按再订货规则补货")
        post.button("暂停")
        assert cron()["active"] is False
        post.menu("设置", "计划任务")
        page.get_by_label("已暂停").check()
        page.locator("form.searchbar").get_by_role("button", name="搜索").click()
        expect(page.locator("main table tbody tr")).to_have_count(1)
        post.open("按再订货规则补货")
        post.button("恢复")
        post.button("立即运行")
        expect(page.locator("#state")).to_have_text("成功")
        shot(page, "cron-run-now")
    row = cron()
    assert row["active"] is True and row["state"] == "done" and row["lastcall"] is not None
