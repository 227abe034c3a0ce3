"""The CRM cycle of the source documents in a real browser, in Chinese, each post from the login
page by clicks only: a salesperson creates a customer, logs a follow-up from the customer's 360°
page, draws up a contract and submits it, and opens an opportunity from the pipeline board (its
stage gives the probability); customer service finds its return visits in its menu, plans and
records one; the CRM manager approves the contract from the approvals inbox."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Post, log_in, open_page, pick, serving, shot
from tests.web_helpers import make_user


@pytest.fixture
def crm_server(make_app: Any) -> Iterator[tuple[str, Any]]:
    app = make_app()
    app.extensions["kangyi"].manager.install(["crm"])
    make_user(app, "li", ["crm.group_user"], lang="zh_CN")
    make_user(app, "zhao", ["crm.group_service"], lang="zh_CN")
    make_user(app, "chen", ["crm.group_manager"], lang="zh_CN")
    with serving(app) as base_url:
        yield base_url, app


@pytest.fixture
def crm_page(browser: Any, crm_server: tuple[str, Any]) -> Iterator[Any]:
    context, page = open_page(browser, crm_server[0], locale="zh-CN")
    yield page
    context.close()


# labels the core's catalog and the CRM's share (whichever catalog answers first)
APPROVED = re.compile(r"已(审核|批准|审批)")
WAITING = re.compile(r"(待|等待)(审核|审批)")


SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", list(SIZES))
def test_crm_cycle_in_chinese_by_clicks(browser, crm_server, size):
    base_url, app = crm_server
    viewport = SIZES[size]
    with Post(browser, base_url, "li", viewport) as post:
        page = post.page
        # 1. the salesperson creates a customer from CRM's customer list
        post.menu("客户关系", "客户")
        page.locator("main").get_by_role("link", name="新建", exact=True).click()
        page.get_by_label("名称", exact=True).fill("杭州云启信息技术有限公司")
        page.get_by_label("是公司").check()
        page.get_by_label("电话", exact=True).fill("0571-88886666")
        pick(page, "行业", "信息", "信息技术")
        page.get_by_label("地区", exact=True).select_option(label="华东")
        page.get_by_label("职业", exact=True).fill("软件开发")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        partner_id = int(re.search(r"/web/res.partner/(\d+)", page.url).group(1))
        post.button("查重")  # 查重 says what it found
        expect(page.get_by_role("status")).to_contain_text("未发现重复")
        shot(page, f"crm-customer-{size}")
        # 2. …and logs a follow-up from the customer's 360° page
        post.menu("客户关系", "客户全景")
        post.open("杭州云启信息技术有限公司")
        expect(page.get_by_role("heading", name="杭州云启信息技术有限公司")).to_be_visible()
        page.get_by_role("link", name="登记跟进").click()
        page.get_by_label("主题", exact=True).fill("电话沟通采购需求")
        page.get_by_label("跟进方式", exact=True).select_option(label="电话")
        page.get_by_label("沟通内容", exact=True).fill("客户计划升级 ERP，需要报价。")
        page.get_by_label("跟进结果", exact=True).select_option(label="要求报价")
        page.get_by_label("下一步", exact=True).fill("发送报价单")
        page.get_by_label("下次跟进日期", exact=True).fill("2030-01-15")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        post.menu("客户关系", "客户全景")
        post.open("杭州云启信息技术有限公司")
        expect(page.locator("#followups-title")).to_contain_text("(1)")
        expect(page.get_by_role("main")).to_contain_text("电话沟通采购需求")
        # 3. …then draws up a contract with two product lines and submits it for approval
        page.get_by_role("link", name="新建合同").click()
        page.get_by_label("合同名称", exact=True).fill("ERP 软件实施合同")
        page.get_by_label("签订日期", exact=True).fill("2026-06-01")
        page.get_by_label("开始日期", exact=True).fill("2026-06-05")
        page.get_by_label("结束日期", exact=True).fill("2027-06-04")
        page.get_by_label("客户签署人", exact=True).fill("沈晓峰")
        lines = page.locator("fieldset.lines").first
        for name, quantity, price in (("ERP 软件许可", "1", "48000"), ("实施服务", "10", "2400")):
            lines.get_by_role("button", name="添加一行").click()
            row = lines.locator("tbody tr.line").last
            row.locator("td[data-col=name] input:not([type=hidden])").fill(name)
            row.locator("td[data-col=quantity] input").fill(quantity)
            row.locator("td[data-col=price_unit] input").fill(price)
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        expect(page.locator("#amount_total")).to_contain_text("72,000.00")
        post.transition("submit")
        expect(page.locator("#state")).to_have_text(WAITING)
        # 4. …and opens an opportunity from the pipeline board: the stage gives the probability
        post.menu("客户关系", "销售漏斗")
        page.locator("main").get_by_role("link", name="新建", exact=True).click()
        page.get_by_label("商机", exact=True).fill("云启二期扩容")
        pick(page, "阶段", "方案", "方案报价")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        expect(page.locator("#probability")).to_have_value(re.compile(r"^50"))
    with Post(browser, base_url, "zhao", viewport) as post:
        page = post.page
        # 5. customer service plans a return visit from its menu and records it
        post.menu("客户关系", "客户回访")
        page.locator("main").get_by_role("link", name="新建", exact=True).click()
        page.get_by_label("主题", exact=True).fill("签约回访")
        pick(page, "客户", "云启", "杭州云启信息技术有限公司")
        page.get_by_label("计划日期", exact=True).fill("2026-06-10")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        page.get_by_label("满意度", exact=True).select_option(label="5 - 非常满意")
        page.get_by_label("反馈", exact=True).fill("沟通顺畅，期待实施。")
        page.get_by_role("button", name="保存").click()
        page.get_by_role("button", name="登记回访").click()
        expect(page.get_by_role("status")).to_contain_text("完成")
        expect(page.locator("#state")).to_contain_text("已完成")
        shot(page, f"crm-visit-done-{size}")
    with Post(browser, base_url, "chen", viewport) as post:
        # 6. the CRM manager approves the contract from the approvals inbox
        post.menu("待办", "待我审批")
        row = post.page.locator("table.approvals tbody tr").first  # the only request
        row.get_by_role("button", name="批准").click()
        post.ok()
        post.menu("客户关系", "合同")
        post.open_first()  # the only contract
        expect(post.page.locator("#state")).to_have_text(APPROVED)
        shot(post.page, f"crm-contract-approved-{size}")
    # what the browser did is in the database
    with app.extensions["kangyi"].env() as env:
        customer = env["res.partner"].read([partner_id], ["user_id", "industry_id"])[0]
        assert customer["user_id"][1] == "Li" and customer["industry_id"][1] == "信息技术"
        followup = env["crm.followup"].search_read([("partner_id", "=", partner_id)],
                                                   ["result", "activity_id"])
        assert followup[0]["result"] == "quotation" and followup[0]["activity_id"]
        visit = env["crm.visit"].search_read([("partner_id", "=", partner_id)],
                                             ["state", "satisfaction"])
        assert [(v["state"], v["satisfaction"]) for v in visit] == [("done", "5")]
        contract = env["crm.contract"].search_read([("partner_id", "=", partner_id)],
                                                   ["state", "amount_total"])
        assert [(c["state"], str(c["amount_total"])) for c in contract] == [
            ("approved", "72000.00")]
        lead = env["crm.lead"].search_read([("name", "=", "云启二期扩容")], ["probability"])
        assert [str(x["probability"]) for x in lead] == ["50.00"]


def test_import_customers_and_the_pipeline_board_in_chinese(crm_page, crm_server):
    """The generic import from the customer list (a bad row blocks everything, its line and
    column named), then the pipeline board with every stage, the lost one folded."""
    page = crm_page
    log_in(page, "li")
    page.locator("nav.apps-nav").get_by_role("link", name="客户关系", exact=True).click()
    page.locator("nav.sidemenu").get_by_role("link", name="导入客户", exact=True).click()
    bad = "名称,地区,电话\n宁波海天贸易有限公司,华东,0574-1\n苏州恒信电子有限公司,火星,0512-2\n"
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "客户.csv", "mimeType": "text/csv", "buffer": bad.encode("utf-8")}])
    page.get_by_role("button", name="预览").click()
    expect(page.get_by_role("alert")).to_contain_text("1 个问题")
    expect(page.locator("tr.row-error")).to_contain_text("地区")
    expect(page.locator("tr.row-error")).to_contain_text("火星")
    shot(page, "crm-import-errors")
    good = bad.replace("火星", "华东")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "客户.csv", "mimeType": "text/csv", "buffer": good.encode("utf-8")}])
    page.get_by_role("button", name="预览").click()
    expect(page.locator("tr.row-error")).to_have_count(0)
    page.get_by_role("button", name="导入", exact=True).click()
    page.wait_for_url("**/web/res.partner")
    expect(page.get_by_role("status")).to_contain_text("新建 2 条记录")
    with crm_server[1].extensions["kangyi"].env() as env:
        rows = env["res.partner"].search_read([("region", "=", "east")], ["name", "user_id"])
        assert sorted(r["name"] for r in rows) == ["宁波海天贸易有限公司", "苏州恒信电子有限公司"]
        assert {r["user_id"][1] for r in rows} == {"Li"}  # a salesperson's imports are theirs
        env["crm.lead"].create({"name": "海天注塑机改造", "user_id": rows[0]["user_id"][0],
                                "stage_id": env.ref_id("crm.stage_proposal")})
    page.locator("nav.sidemenu").get_by_role("link", name="销售漏斗", exact=True).click()
    columns = page.locator("section.kanban-col")
    expect(columns).to_have_count(6)
    expect(columns.first).to_have_attribute("aria-label", "新线索")
    expect(page.locator("section.kanban-col.folded")).to_have_attribute("aria-label", "输单")
    expect(page.locator("section[aria-label=方案报价]")).to_contain_text("海天注塑机改造")
    shot(page, "crm-pipeline")
