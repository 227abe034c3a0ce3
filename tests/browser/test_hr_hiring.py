"""HR in a real browser, in Chinese, by clicks: an HR officer hires a person into the post
销售助理; the person logs in and finds the sales app; their leave request is approved by their
department manager."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, open_page, pick, serving, shot
from tests.web_helpers import make_user


@pytest.fixture
def hr_server(make_app: Any) -> Iterator[str]:
    app = make_app()
    app.extensions["kangyi"].manager.install(["hr", "sales"])
    officer = make_user(app, "zhouting", ["hr.group_officer"], lang="zh_CN")
    manager = make_user(app, "liqiang", ["sales.group_manager"], lang="zh_CN")
    with app.extensions["kangyi"].env() as env:
        marketing = env["hr.department"].create({"name": "市场部"})
        env["hr.job"].create({"name": "销售助理", "department_id": marketing, "group_ids": [
            (6, 0, [env.ref_id("sales.group_assistant")])]})
        boss = env["hr.employee"].create({"name": "李强", "user_id": manager,
                                          "department_id": marketing, "state": "regular"})
        env["hr.department"].write([marketing], {"manager_id": boss})
        env["hr.employee"].create({"name": "周婷", "user_id": officer, "state": "regular"})
        env.session.commit()
    with serving(app) as base_url:
        yield base_url


@pytest.fixture
def hr_page(browser: Any, hr_server: str) -> Iterator[Any]:
    context, page = open_page(browser, hr_server, locale="zh-CN")
    yield page
    context.close()


def log_out(page: Any) -> None:
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="退出").click()


def open_app(page: Any, name: str) -> None:
    page.get_by_role("navigation", name=re.compile("应用")).get_by_role("link", name=name).click()


def menu(page: Any, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).first.click()


def test_hire_into_sales_assistant_log_in_and_leave_approved(hr_page):
    page = hr_page
    # 1. the HR officer hires 陈晨 into 销售助理 and creates her user
    log_in(page, "zhouting")
    open_app(page, "人事")
    menu(page, "员工通讯录")
    page.get_by_role("link", name="新建").click()
    page.get_by_label("工号", exact=True).fill("KY0188")
    page.get_by_label("员工姓名", exact=True).fill("陈晨")
    pick(page, "部门", "市场", "市场部")
    pick(page, "主岗位", "销售", "销售助理")
    pick(page, "岗位", "销售", "销售助理")
    page.get_by_label("入职日期", exact=True).fill("2026-03-02")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    page.get_by_role("button", name="创建用户").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("初始密码")
    password = re.search(r"初始密码：(\w+)", status.inner_text()).group(1)
    expect(page.locator("#granted_group_ids")).to_contain_text("销售助理")
    shot(page, "hr-hired")
    log_out(page)
    # 2. she logs in and finds the sales app; she asks for two days of sick leave
    log_in(page, "KY0188", password)
    expect(page.get_by_role("navigation", name=re.compile("应用")).get_by_role(
        "link", name="销售")).to_be_visible()
    open_app(page, "人事")
    menu(page, "请假申请")
    page.get_by_role("link", name="新建").click()
    pick(page, "假期类型", "病", "病假")
    page.get_by_label("从", exact=True).fill("2026-03-05")
    page.get_by_label("至", exact=True).fill("2026-03-06")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存")
    expect(page.locator("#number_of_days")).to_contain_text("2")
    page.locator("button[data-transition=confirm]").click()
    expect(page.locator("#state")).to_contain_text("待审批")
    # on her phone she checks in
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, "人事")
    page.locator(".sidemenu summary").click()  # folded on a phone
    menu(page, "上下班打卡")
    page.get_by_role("button", name="上班打卡").click()
    expect(page.get_by_role("status")).to_contain_text("上班打卡成功")
    expect(page.get_by_role("button", name="下班打卡")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "hr-phone-check-in")
    page.set_viewport_size({"width": 1366, "height": 768})
    log_out(page)
    # 3. her department manager approves it from the approvals inbox
    log_in(page, "liqiang")
    page.locator(".approvals-counter").click()
    page.get_by_role("button", name="批准").first.click()
    expect(page.get_by_role("status").first).to_be_visible()
    open_app(page, "人事")
    menu(page, "请假申请")
    expect(page.locator("table.list tbody")).to_contain_text("陈晨")
    expect(page.locator("table.list tbody")).to_contain_text("已审核")
    shot(page, "hr-leave-approved")
