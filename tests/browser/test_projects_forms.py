"""The other two forms of the source document in a real browser, in Chinese, by clicks, post
by post (1366×768), on an initiation request approved beforehand (its own chain is walked in
test_projects_flow.py):

* 售前支持工作协调单: the salesperson (市场部) files it → her 部门经理 signs from the inbox →
  技术服务部 names the presales lead → the 技术团队负责人 approves from the inbox → the lead records
  the work and submits it to 项目管理部 → 项目管理部 records the evaluation;
* 提前开工审批单: the salesperson fills it → the 分管销售总监 reviews from the inbox → 项目管理部
  fills the implementation arrangement → the 技术团队负责人 and the 总经理 approve from the inbox,
  and the project is in progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from core import workflow_engine as engine
from tests.addons.projects_org import Org, build_org, initiation_values
from tests.browser.conftest import Post, serving, shot

DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture
def forms_server(make_app: Any) -> Iterator[tuple[str, Org, str]]:
    org = build_org(make_app())
    with org.env("wang") as env:
        initiation = env["project.initiation"].create(initiation_values(org))
        env["project.initiation"].call("action_submit", [initiation])
    for login in ("li", "he", "zhang"):
        with org.env(login) as env:
            engine.approve(env, "project.initiation", initiation)
    with org.env() as env:
        number = env["project.initiation"].read([initiation], ["name", "state"])[0]
    assert number["state"] == "approved"
    with serving(org.app) as base_url:
        yield base_url, org, number["name"]


def _approve_from_inbox(browser: Any, base_url: str, login: str, document: str,
                        step: str) -> None:
    with Post(browser, base_url, login, DESKTOP) as post:
        post.page.locator(".approvals-counter").click()
        main = post.page.get_by_role("main")
        expect(main).to_contain_text(document)
        expect(main).to_contain_text(step)
        post.page.get_by_role("button", name="批准").first.click()
        post.ok()


def _open(post: Post, entry: str) -> None:
    post.menu("项目管理", entry)
    post.open_first()


def test_presales_support_request_by_the_posts(browser, forms_server):
    base_url, org, number = forms_server
    with Post(browser, base_url, "wang", DESKTOP) as post:  # 1. the salesperson files it
        page = post.page
        post.menu("项目管理", "售前支持工作协调单")
        page.locator("main").get_by_role("link", name="新建", exact=True).click()
        post.choose("initiation_id", "XM", number)
        page.get_by_label("售前支持需求", exact=True).fill("方案设计与现场演示")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        post.transition("submit")
    _approve_from_inbox(browser, base_url, "li", "售前支持工作协调单", "部门经理签字")
    with Post(browser, base_url, "sun", DESKTOP) as post:  # 3. 技术服务部 names the lead
        page = post.page
        _open(post, "售前支持工作协调单")
        expect(page.locator("#state")).to_contain_text("技术服务部")
        post.choose("lead_id", "孙", "孙工")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        post.transition("assign")
    _approve_from_inbox(browser, base_url, "zhao", "售前支持工作协调单", "技术团队负责人批准")
    with Post(browser, base_url, "sun", DESKTOP) as post:  # 5. the lead records the work
        page = post.page
        _open(post, "售前支持工作协调单")
        expect(page.locator("#state")).to_contain_text("售前进行中")
        lines = page.locator("fieldset.lines").first
        lines.get_by_role("button", name="添加一行").click()
        row = lines.locator("tbody tr.line").last
        row.locator("td[data-col=date] input.date-input").fill(dt.date.today().isoformat())
        row.locator("td[data-col=name] input").fill("现场演示")
        row.locator("td[data-col=hours] input").fill("6")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        expect(page.locator("#hours_total")).to_contain_text("6")
        post.transition("finish")
        expect(page.locator("#state")).to_contain_text("待评估")
    with Post(browser, base_url, "zhou", DESKTOP) as post:  # 6. 项目管理部 evaluates
        page = post.page
        _open(post, "售前支持工作协调单")
        page.get_by_label("评估分数（0–100）", exact=True).fill("90")
        page.get_by_label("评估意见", exact=True).fill("方案完整，演示顺利")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        post.transition("evaluate")
        expect(page.locator("#state")).to_contain_text("已评估")
        shot(page, "projects-presales-evaluated")
    with org.env() as env:
        [request] = env["project.presales.request"].search_read(
            [], ["state", "lead_id", "hours_total", "evaluation_score", "evaluator_id"])
    assert (request["state"], request["lead_id"][0], str(request["hours_total"]),
            request["evaluation_score"], request["evaluator_id"][0]) == (
        "done", org.users["sun"], "6.00", 90, org.users["zhou"])


def test_early_start_approval_by_the_posts(browser, forms_server):
    base_url, org, number = forms_server
    start = dt.date.today() + dt.timedelta(days=7)
    with Post(browser, base_url, "wang", DESKTOP) as post:  # 1. the sales lead fills it
        page = post.page
        post.menu("项目管理", "提前开工审批单")
        page.locator("main").get_by_role("link", name="新建", exact=True).click()
        post.choose("initiation_id", "XM", number)
        page.get_by_label("提前开工原因", exact=True).fill("医院要求年底前完成机房改造")
        page.get_by_label("计划开工", exact=True).fill(start.isoformat())
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        post.transition("submit")
    _approve_from_inbox(browser, base_url, "zhang", "提前开工审批单", "分管销售总监审核")
    with Post(browser, base_url, "zhou", DESKTOP) as post:  # 3. 项目管理部 arranges it
        page = post.page
        _open(post, "提前开工审批单")
        page.get_by_label("项目实施安排", exact=True).fill("孙工带两名工程师驻场实施")
        post.choose("implementation_user_id", "孙", "孙工")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已保存")
        post.transition("arrange")
    _approve_from_inbox(browser, base_url, "zhao", "提前开工审批单", "技术团队负责人审批")
    _approve_from_inbox(browser, base_url, "gm", "提前开工审批单", "总经理批准")
    with Post(browser, base_url, "wang", DESKTOP) as post:
        page = post.page
        _open(post, "提前开工审批单")
        expect(page.locator("#state")).to_contain_text("已审核")
        shot(page, "projects-early-start-approved")
    with org.env() as env:
        [project] = env["project.project"].search_read([], ["state", "user_id", "date_start"])
    assert (project["state"], project["user_id"][0], project["date_start"]) == (
        "in_progress", org.users["sun"], start)
