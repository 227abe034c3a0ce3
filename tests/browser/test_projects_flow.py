"""The system-integration project process in a real browser, in Chinese, by clicks, post by
post from their own home page (1366×768): the salesperson (销售, 市场部) files a special
initiation request (立项书) and submits it; the department manager (部门经理), the cost director
(成本总监), the sales director in charge (分管销售总监) and the general manager (总经理) approve
it from their approvals inbox; the salesperson then records a timesheet at phone width
(390×844) on the project the approval created, 财务部 finds it in the monthly project costs
and drills down to the entry, and the cost director sees it in the project profitability
analysis and on the project's form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.addons.projects_org import Org, build_org
from tests.browser.conftest import Post, serving, shot

DESKTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}


@pytest.fixture
def projects_server(make_app: Any) -> Iterator[tuple[str, Org]]:
    org = build_org(make_app())
    with serving(org.app) as base_url:
        yield base_url, org


def _approve_from_inbox(browser: Any, base_url: str, login: str, step: str) -> None:
    with Post(browser, base_url, login, DESKTOP) as post:
        post.page.locator(".approvals-counter").click()
        expect(post.page.get_by_role("main")).to_contain_text("系统集成类项目立项书")
        expect(post.page.get_by_role("main")).to_contain_text(step)
        post.page.get_by_role("button", name="批准").first.click()
        post.ok()


def test_initiation_to_monthly_costs_by_the_posts(browser, projects_server):
    base_url, org = projects_server
    with Post(browser, base_url, "wang", DESKTOP) as post:  # 1. the salesperson files it
        page = post.page
        post.menu("项目管理", "立项书")
        page.locator("main").get_by_role("link", name="新建", exact=True).click()
        page.get_by_label("项目名称", exact=True).fill("医院信息化集成")
        page.get_by_label("客户单位名称", exact=True).fill("人民医院")
        page.get_by_role("option", name="杭州市第一人民医院").click()
        page.get_by_label("单位地址", exact=True).fill("杭州市上城区解放路 261 号")
        page.get_by_label("主要联系人", exact=True).fill("王主任")
        page.get_by_label("项目功能简介", exact=True).fill("监护设备联网与数据采集")
        page.get_by_label("项目预计合同金额", exact=True).fill("800000")
        page.get_by_label("客户项目资金情况", exact=True).select_option(label="资金已落实")
        page.get_by_label("项目预计成功率（%）", exact=True).fill("70")
        page.get_by_label("项目预计合同签订时间", exact=True).fill(
            (dt.date.today() + dt.timedelta(days=60)).isoformat())
        page.get_by_label("预计售前费用", exact=True).fill("20000")
        page.get_by_label("特殊项目", exact=True).check()
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        expect(page.locator("#name")).to_contain_text("XM")
        post.transition("submit")
        expect(page.locator("#state")).to_contain_text("待审批")
        shot(page, "projects-initiation-submitted")
    for login, step in (("li", "部门经理审核"), ("he", "成本总监审批售前费用"),
                        ("zhang", "分管销售总监批准立项"), ("gm", "总经理审批（特殊项目）")):
        _approve_from_inbox(browser, base_url, login, step)  # 2. the chain, GM for special
    with Post(browser, base_url, "wang", PHONE, is_mobile=True, has_touch=True) as post:
        page = post.page  # 3. approved; a timesheet on the new project, at phone width
        post.menu("项目管理", "立项书")
        post.open_first()
        expect(page.locator("#state")).to_contain_text("已审核")  # approved
        post.menu("项目管理", "工时")
        page.locator("main").get_by_role("link", name="新建", exact=True).click()
        page.get_by_label("项目", exact=True).fill("医院")
        page.get_by_role("option", name="医院信息化集成").click()
        page.get_by_label("描述", exact=True).fill("需求调研")
        page.get_by_label("工时", exact=True).fill("6")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shot(page, "projects-timesheet-phone")
    with Post(browser, base_url, "lin", DESKTOP) as post:  # 4. 财务部's monthly costs
        page = post.page
        post.menu("项目管理", "项目月度费用统计")
        table = page.locator("#project-costs")
        expect(table).to_contain_text("医院信息化集成")
        expect(table).to_contain_text("600.00")  # 6 h × ¥100
        shot(page, "projects-monthly-costs")
        table.get_by_role("link", name="6", exact=True).click()  # the hours: their entries
        expect(page.locator("main table tbody")).to_contain_text("需求调研")
    with Post(browser, base_url, "he", DESKTOP) as post:  # 5. the cost director's analysis
        page = post.page
        post.menu("项目管理", "项目盈利分析")
        table = page.locator("#project-profitability")
        expect(table).to_contain_text("医院信息化集成")
        expect(table).to_contain_text("-600.00")  # nothing invoiced yet: the margin
        shot(page, "projects-profitability")
        table.get_by_role("link", name="医院信息化集成").click()  # the project's own panel
        section = page.locator('[data-section="profitability"]')
        expect(section).to_contain_text("工时成本")
        expect(section).to_contain_text("-600.00")
        shot(page, "projects-profitability-form")
    with org.env() as env:
        project = env["project.project"].search_read([], ["name", "budget_presales"])
        line = env["account.analytic.line"].search_read([], ["unit_amount", "amount"])
    assert [(p["name"], p["budget_presales"]) for p in project] == [
        ("医院信息化集成", Decimal("20000.00"))]
    assert [(x["unit_amount"], x["amount"]) for x in line] == [(Decimal("6.00"),
                                                                 Decimal("-600.00"))]
