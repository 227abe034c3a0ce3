"""The projects addon: structure (alone with hr, demo included), who may initiate by department
and post, the initiation approval chain with the special-project condition, the project and the
departments' to-dos on approval, record rules; presales and early-start chains; timesheets and
the monthly cost statistics on known data; the pages through the Flask test client."""

from __future__ import annotations

from core.testing import AddonTestCase


class TestProjectsStructure(AddonTestCase):
    addon = "projects"


import datetime as dt  # noqa: E402
from decimal import Decimal  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

from core import workflow_engine as engine  # noqa: E402
from core.errors import AccessError, UserError  # noqa: E402
from tests.addons.projects_org import Org, build_org, initiation_values  # noqa: E402
from tests.web_helpers import client_for, csrf  # noqa: E402


@pytest.fixture(name="org")
def org_fixture(make_app: Any) -> Org:
    return build_org(make_app(DATABASE_NAME="kangyi_projects_test"))


def _initiate(org: Org, login: str, **changes: Any) -> int:
    with org.env(login) as env:
        return env["project.initiation"].create(initiation_values(org, **changes))


def _approve_all(org: Org, model: str, record_id: int, logins: tuple[str, ...]) -> None:
    for login in logins:
        with org.env(login) as env:
            engine.approve(env, model, record_id, comment="同意")


def _state(org: Org, model: str, record_id: int) -> str:
    with org.env() as env:
        return env[model].read([record_id], ["state"])[0]["state"]


def test_who_may_initiate_by_department_and_post(org: Org) -> None:
    for login in ("wang", "li", "zhang", "zhao", "gm"):  # sales staff, tech lead, 总经办
        assert _initiate(org, login)
    for login in ("sun", "bd", "lin"):  # engineer below supervisor, 商务拓展部, 财务部
        with pytest.raises(UserError, match="may not initiate"), org.env(login) as env:
            env["project.initiation"].create(initiation_values(org))
    with org.env() as env:
        assert env["project.initiation"].search_count([]) == 5
        numbers = [r["name"] for r in env["project.initiation"].search_read([], ["name"])]
    assert len(set(numbers)) == 5 and all(n.startswith("XM") for n in numbers)


def test_the_approval_chain_with_and_without_the_general_manager(org: Org) -> None:
    plain = _initiate(org, "wang")
    special = _initiate(org, "wang", is_special=True, project_name="专网改造")
    large = _initiate(org, "wang", expected_amount="1200000", project_name="大项目")
    for record in (plain, special, large):
        with org.env("wang") as env:
            env["project.initiation"].call("action_submit", [record])
        with org.env("zhang") as env, pytest.raises(AccessError):  # not the director's turn
            engine.approve(env, "project.initiation", record)
        _approve_all(org, "project.initiation", record, ("li", "he", "zhang"))
    assert _state(org, "project.initiation", plain) == "approved"
    for record in (special, large):  # flagged, and above the company's amount
        assert _state(org, "project.initiation", record) == "to_approve"
        _approve_all(org, "project.initiation", record, ("gm",))
        assert _state(org, "project.initiation", record) == "approved"
    with org.env() as env:
        projects = env["project.project"].search_read(
            [("initiation_id", "=", plain)], ["name", "budget_presales", "user_id", "state"])
        assert [(p["name"], p["budget_presales"], p["user_id"][0]) for p in projects] == [
            ("医院信息化集成", Decimal("20000.00"), org.users["wang"])]
        todos = env["mail.activity"].search_read(
            [("res_model", "=", "project.initiation"), ("res_id", "=", plain)],
            ["user_id", "summary"])
        assert sorted(t["user_id"][0] for t in todos) == sorted([org.users["bd"],
                                                                 org.users["lin"]])
        notes = env["mail.notification"].search_count([("user_id", "in", [
            org.users["bd"], org.users["lin"], org.users["he"]])])
        assert notes >= 6  # bd and lin per approved request (he: also a finance member)
        history = env["workflow.history"].search_read(
            [("res_model", "=", "project.initiation"), ("res_id", "=", special)],
            ["step", "decision"])
        assert [h["step"] for h in history if h["decision"] == "approve"] == [
            "department_manager", "cost_director", "sales_director", "general_manager"]
    _the_departments_get_the_signed_pdf(org, special)


def _the_departments_get_the_signed_pdf(org: Org, initiation: int) -> None:
    """商务拓展部's manager (who may not open the request itself) downloads the approved 立项书
    from her to-do and her notification: a PDF in Chinese signed by the four posts."""
    import io

    from pypdf import PdfReader

    with org.env() as env:
        number = env["project.initiation"].read([initiation], ["name"])[0]["name"]
    bd = client_for(org.app, "bd")
    assert bd.get(f"/web/project.initiation/{initiation}").status_code in (403, 404)
    todos = bd.get("/web/activities").get_data(as_text=True)
    assert f"将 {number} 原件存档" in todos  # in her language, though a job wrote it
    row = todos.split(f"{number}.pdf", 1)[0].rsplit('<a class="attachment" href="', 1)[1]
    with bd.get(row.split('"', 1)[0]) as pdf:
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        data = pdf.data
    text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
                   .split())
    for word in ("系统集成类项目立项书", number, "专网改造", "杭州市第一人民医院", "贰万元整",
                 "李强", "何静", "张伟", "刘建国"):  # the four approvers sign
        assert word in text, (word, text[:300])
    notes = bd.get("/web/notifications").get_data(as_text=True)
    assert f"{number}.pdf" in notes
    other = client_for(org.app, "wang")  # the file goes with the to-do, not to anyone
    assert other.get(row.split('"', 1)[0]).status_code in (403, 404)


def test_bad_values_and_frozen_requests(org: Org) -> None:
    from core.errors import ValidationError

    with org.env("wang") as env, pytest.raises(ValidationError, match="success rate"):
        env["project.initiation"].create(initiation_values(org, success_rate=120))
    with org.env("wang") as env, pytest.raises(ValidationError):
        env["project.initiation"].create(initiation_values(org, contact_name=False))
    record = _initiate(org, "wang")
    with org.env("wang") as env:
        env["project.initiation"].call("action_submit", [record])
    with org.env("wang") as env, pytest.raises(ValidationError, match="can no longer be changed"):
        env["project.initiation"].write([record], {"expected_amount": "1"})


def test_record_rules_own_department_and_all(org: Org) -> None:
    mine, theirs = _initiate(org, "wang"), _initiate(org, "wu")
    visible = {}
    for login in ("wang", "li", "lin", "zhou", "sun", "bd"):
        with org.env(login) as env:
            visible[login] = set(env["project.initiation"].search([]))
    assert visible["wang"] == {mine}
    assert visible["li"] == visible["lin"] == visible["zhou"] == {mine, theirs}
    assert visible["sun"] == visible["bd"] == set()
    with org.env("li") as env, pytest.raises(AccessError):  # the manager reads, not edits
        env["project.initiation"].write([mine], {"contact_name": "别人"})


def test_web_form_submit_and_approve_through_the_client(org: Org) -> None:
    web = client_for(org.app, "wang")
    page = web.get("/web/project.initiation/new")
    assert page.status_code == 200 and "立项" in page.get_data(as_text=True)
    values = {k: str(v) for k, v in initiation_values(org).items()}
    values["date"] = dt.date.today().isoformat()
    bad = web.post("/web/project.initiation/new", data={
        **values, "success_rate": "150", "csrf_token": csrf(web, "/web/project.initiation/new")})
    assert bad.status_code in (200, 400, 422) and "0" in bad.get_data(as_text=True)
    created = web.post("/web/project.initiation/new", data={
        **values, "csrf_token": csrf(web, "/web/project.initiation/new")})
    assert created.status_code == 302
    record = int(created.headers["Location"].rstrip("/").split("/")[-1])
    token = csrf(web, f"/web/project.initiation/{record}")
    sent = web.post(f"/web/workflow/project.initiation/{record}/transition/submit",
                    data={"csrf_token": token})
    assert sent.status_code == 302
    assert _state(org, "project.initiation", record) == "to_approve"
    manager = client_for(org.app, "li")
    token = csrf(manager, f"/web/project.initiation/{record}")
    manager.post(f"/web/workflow/project.initiation/{record}/approve",
                 data={"csrf_token": token, "comment": "同意"})
    with org.env() as env:
        request = env["workflow.request"].search_read(
            [("res_model", "=", "project.initiation"), ("res_id", "=", record)], ["state"])
        steps = env["workflow.history"].search_read(
            [("res_model", "=", "project.initiation"), ("res_id", "=", record),
             ("decision", "=", "approve")], ["step"])
    assert request[0]["state"] == "pending" and [s["step"] for s in steps] == [
        "department_manager"]


def _approved_initiation(org: Org) -> int:
    record = _initiate(org, "wang")
    with org.env("wang") as env:
        env["project.initiation"].call("action_submit", [record])
    _approve_all(org, "project.initiation", record, ("li", "he", "zhang"))
    return record


def test_presales_support_chain_and_evaluation(org: Org) -> None:
    from core.errors import ValidationError

    draft = _initiate(org, "wang")
    with org.env("wang") as env, pytest.raises(ValidationError, match="approved initiation"):
        env["project.presales.request"].create({"initiation_id": draft, "requirement": "方案"})
    initiation = _approved_initiation(org)
    model = "project.presales.request"
    with org.env("wang") as env:
        request = env[model].create({"initiation_id": initiation,
                                     "requirement": "现场勘察与技术方案编写"})
        env[model].call("action_submit", [request])
    _approve_all(org, model, request, ("li",))  # the department manager signs
    assert _state(org, model, request) == "submitted"
    waiting = client_for(org.app, "sun").get("/").get_data(as_text=True)  # sun's home page
    assert "/web/project.presales.request?filter=submitted" in waiting
    with org.env("sun") as env:  # 技术服务部 names the lead and proposes
        env[model].write([request], {"lead_id": org.users["sun"],
                                     "team_ids": [(6, 0, [org.users["zhao"]])]})
        env[model].call("action_assign", [request])
    assert _state(org, model, request) == "to_approve"
    _approve_all(org, model, request, ("zhao",))
    assert _state(org, model, request) == "in_progress"
    with org.env("wang") as env, pytest.raises((ValidationError, AccessError)):
        env["project.presales.activity"].create({"request_id": request, "name": "x",
                                                 "hours": "1"})
    with org.env("sun") as env:
        env["project.presales.activity"].create([
            {"request_id": request, "name": "现场勘察", "hours": "3.5"},
            {"request_id": request, "name": "技术方案", "hours": "4"}])
    with org.env("wang") as env, pytest.raises(AccessError):
        env[model].call("action_finish", [request])
    with org.env("sun") as env:
        env[model].call("action_finish", [request])
    with org.env("zhou") as env, pytest.raises(ValidationError, match="0 to 100"):
        env[model].write([request], {"evaluation_score": 150})
    with org.env("zhou") as env:
        env[model].write([request], {"evaluation_score": 85, "evaluation_comment": "方案完整"})
        env[model].call("action_evaluate", [request])
        done = env[model].read([request], ["state", "hours_total", "evaluator_id",
                                           "project_id"])[0]
    assert done["state"] == "done" and done["hours_total"] == Decimal("7.50")
    assert done["evaluator_id"][0] == org.users["zhou"] and done["project_id"]


def test_early_start_chain_starts_the_project(org: Org) -> None:
    from core.errors import ValidationError

    initiation = _approved_initiation(org)
    model = "project.early.start"
    with org.env("wang") as env:
        record = env[model].create({"initiation_id": initiation, "reason": "客户要求提前进场",
                                    "date_start_planned": dt.date.today().isoformat()})
        env[model].call("action_submit", [record])
    _approve_all(org, model, record, ("zhang",))
    assert _state(org, model, record) == "arrangement"
    with org.env("wang") as env, pytest.raises((ValidationError, AccessError)):
        env[model].write([record], {"arrangement": "自己安排"})
    with org.env("zhou") as env, pytest.raises(UserError, match="condition"):
        env[model].call("action_arrange", [record])  # no arrangement yet
    with org.env("zhou") as env:
        env[model].write([record], {"arrangement": "孙工带队，两周完成设备安装",
                                    "implementation_user_id": org.users["sun"]})
        env[model].call("action_arrange", [record])
    _approve_all(org, model, record, ("zhao",))
    assert _state(org, model, record) == "to_approve"
    _approve_all(org, model, record, ("gm",))
    assert _state(org, model, record) == "approved"
    with org.env() as env:
        project = env["project.project"].search_read([("initiation_id", "=", initiation)],
                                                     ["state", "user_id"])[0]
    assert project["state"] == "in_progress" and project["user_id"][0] == org.users["sun"]


def test_presales_and_early_start_share_the_request_header(org: Org) -> None:
    """Both follow an approved initiation with the same header (the InitiationFollowUp
    mixin): number from their own sequence, applicant, employee, department, date, project."""
    from core.errors import ValidationError

    initiation = _approved_initiation(org)
    header = ["name", "user_id", "employee_id", "department_id", "date", "project_id",
              "initiation_id"]
    with org.env("wang") as env:
        presales = env["project.presales.request"].create(
            {"initiation_id": initiation, "requirement": "需要方案演示"})
        early = env["project.early.start"].create(
            {"initiation_id": initiation, "reason": "客户要求提前进场",
             "date_start_planned": dt.date.today().isoformat()})
        rows = [env[model].read([record], header)[0] for model, record in (
            ("project.presales.request", presales), ("project.early.start", early))]
        project = env["project.project"].search([("initiation_id", "=", initiation)])[0]
    draft = _initiate(org, "wang")
    with org.env("wang") as env, pytest.raises(ValidationError, match="approved initiation"):
        env["project.early.start"].create({"initiation_id": draft, "reason": "未批准",
                                           "date_start_planned": dt.date.today()})
    employee = _employee(org, "wang")
    for row, prefix in zip(rows, ("SQ", "KG"), strict=True):
        assert row["name"].startswith(prefix)
        assert (row["user_id"][0], row["employee_id"][0], row["department_id"][0],
                row["date"], row["project_id"][0], row["initiation_id"][0]) == (
            org.users["wang"], employee, org.departments["marketing"], dt.date.today(),
            project, initiation)
    with org.env("wang") as env:
        env["project.early.start"].call("action_submit", [early])
        with pytest.raises(UserError, match="draft or cancelled"):
            env["project.early.start"].unlink([early])
        env["project.presales.request"].unlink([presales])


def test_tasks_timesheets_claims_and_the_monthly_costs(org: Org) -> None:
    from addons.projects.costs import monthly_cost_job, monthly_costs
    from core.errors import ValidationError

    initiation = _approved_initiation(org)
    first = dt.date.today().replace(day=1)
    before = first - dt.timedelta(days=1)
    with org.env() as env:
        project = env["project.project"].search([("initiation_id", "=", initiation)])[0]
    with org.env("zhou") as env:  # 项目管理部 sets the budget and plans a task for 孙工
        env["project.project"].write([project], {"budget": "30000", "state": "in_progress"})
        task = env["project.task"].create({"name": "设备安装", "project_id": project,
                                           "user_ids": [(6, 0, [org.users["sun"]])]})
    lines = "account.analytic.line"
    with org.env("sun") as env:  # an assignee is a member: sees the project, records hours
        assert env["project.project"].search([]) == [project]
        env[lines].create([
            {"project_id": project, "task_id": task, "date": first.isoformat(),
             "unit_amount": "8", "name": "安装"},
            {"project_id": project, "date": (first + dt.timedelta(days=1)).isoformat(),
             "unit_amount": "4", "name": "调试"}])
        with pytest.raises(ValidationError, match="24"):
            env[lines].create({"project_id": project, "unit_amount": "25"})
        with pytest.raises(ValidationError, match="own hours"):
            env[lines].create({"project_id": project, "unit_amount": "1",
                               "employee_id": _employee(org, "wang")})
    with org.env("wang") as env:
        env[lines].create({"project_id": project, "date": before.isoformat(),
                           "unit_amount": "2", "name": "售前交流"})
    claims = [("wang", "presales", "1500", "li"), ("sun", "travel", "800", "zhao")]
    for login, category, amount, manager in claims:
        with org.env(login) as env:
            claim = env["hr.expense"].create({"name": category, "project_id": project,
                                              "category": category, "total_amount": amount,
                                              "date": first.isoformat()})
            env["hr.expense"].call("action_submit", [claim])
        _approve_all(org, "hr.expense", claim, (manager, "lin"))
    with org.env("sun") as env:  # a claim still in draft counts nothing
        env["hr.expense"].create({"name": "草稿", "project_id": project, "category": "other",
                                  "total_amount": "999", "date": first.isoformat()})
        assert len(env[lines].search([])) == 2  # own hours only
    with org.env("wang") as env:
        assert len(env[lines].search([])) == 3  # the project manager sees the project's hours
    with org.env("lin") as env:
        rows = monthly_costs(env, first.year, first.month)
    assert [(r["project_id"], r["hours"], r["timesheet_cost"], r["presales_cost"],
             r["expense_cost"], r["total"], r["actual_to_date"], r["budget"], r["remaining"])
            for r in rows] == [(project, Decimal("12.00"), Decimal("1800.00"),
                                Decimal("1500.00"), Decimal("800.00"), Decimal("4100.00"),
                                Decimal("4300.00"), Decimal("30000.00"), Decimal("25700.00"))]
    with org.env("sun") as env:  # the engineer sees only what his rules let him
        assert monthly_costs(env, first.year, first.month)[0]["timesheet_cost"] == \
            Decimal("1800.00")
    web = client_for(org.app, "lin")
    label = f"{first.year}-{first.month:02d}"
    page = web.get(f"/web/page/projects/costs?month={label}").get_data(as_text=True)
    assert "4,100.00" in page and "25,700.00" in page
    table = page.split('id="project-costs"', 1)[1]
    link = table.split('<a href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    entries = web.get(link).get_data(as_text=True)
    assert "安装" in entries and "调试" in entries and "售前交流" not in entries
    with org.env() as env:  # the general manager reads English, 何 Chinese
        env["res.users"].write([org.users["gm"]], {"lang": "en"})
        assert env["res.users"].read([org.users["he"]], ["lang"])[0]["lang"] == "zh_CN"
    sent = web.post("/web/page/projects/costs", data={
        "month": label, "csrf_token": csrf(web, f"/web/page/projects/costs?month={label}")})
    assert sent.status_code == 302
    with org.env() as env:
        stored = env["project.cost.month"].search_read([], ["total", "remaining"])
        assert [(s["total"], s["remaining"]) for s in stored] == [
            (Decimal("4100.00"), Decimal("25700.00"))]
        told = env["mail.notification"].search_read([("title", "ilike", label)],
                                                    ["user_id", "title"])
        assert {t["user_id"][0] for t in told} == {org.users["he"], org.users["gm"]}
        titles = {t["user_id"][0]: t["title"] for t in told}  # each in their language
        assert titles == {org.users["he"]: f"提醒：{label} 项目费用统计",
                          org.users["gm"]: f"Reminder: Project costs of {label}"}
        next_month = (first + dt.timedelta(days=32)).replace(day=1)
        assert monthly_cost_job(env, today=next_month) == 1  # the job reports the same month
        assert env["project.cost.month"].search_count([]) == 1
    _only_the_cost_accountant_sends_a_month(org, first, label)


def _only_the_cost_accountant_sends_a_month(org: Org, first: dt.date, label: str) -> None:
    """A 财务部 clerk (财务部's group, not 项目会计) sees the month but neither saves nor re-sends
    it: the stored rows stay, through the page and through the service."""
    from addons.projects.costs import report_month
    from tests.web_helpers import make_user

    make_user(org.app, "clerk", ["projects.group_finance"], lang="zh_CN")
    with org.env() as env:
        before = env["project.cost.month"].search_read([], ["id", "total"])
    clerk = client_for(org.app, "clerk")
    page = clerk.get(f"/web/page/projects/costs?month={label}").get_data(as_text=True)
    assert "4,100.00" in page and 'name="month"' not in page.split('id="project-costs"')[1]
    sent = clerk.post("/web/page/projects/costs", data={
        "month": label, "csrf_token": csrf(clerk, f"/web/page/projects/costs?month={label}")},
        follow_redirects=True)
    assert "只有项目会计或成本总监" in sent.get_data(as_text=True)
    with org.env("lin") as env:  # 项目会计 may
        assert len(report_month(env, first.year, first.month)) == 1
    with org.env() as env:
        after = env["project.cost.month"].search_read([], ["id", "total"])
    assert [r["total"] for r in after] == [r["total"] for r in before]
    clerk_id = org.users.setdefault("clerk", _user_id(org, "clerk"))
    with org.runtime.env(uid=clerk_id, su=False) as env, \
            pytest.raises(AccessError, match="cost accountant"):
        report_month(env, first.year, first.month)
    with org.env() as env:
        assert env["project.cost.month"].search_read([], ["id", "total"]) == after


def _user_id(org: Org, login: str) -> int:
    with org.env() as env:
        return env["res.users"].search([("login", "=", login)])[0]


def _employee(org: Org, login: str) -> int:
    with org.env() as env:
        return env["hr.employee"].search([("user_id", "=", org.users[login])])[0]


def test_purchases_charged_to_a_project_count_in_its_costs(make_app: Any) -> None:
    from addons.projects.costs import monthly_costs
    from tests.web_helpers import make_user

    org = build_org(make_app(DATABASE_NAME="kangyi_projects_po"), ("projects", "purchase"))
    make_user(org.app, "buyer", ["purchase.group_user"])
    make_user(org.app, "boss", ["purchase.group_manager"])
    initiation = _approved_initiation(org)
    assert org.runtime.manager.states()["project_purchase"]["state"] == "installed"
    with org.env() as env:
        project = env["project.project"].search([("initiation_id", "=", initiation)])[0]
        supplier = env["res.partner"].create({"name": "海康威视", "is_company": True})
        product = env["product.product"].create({"name": "网络摄像机", "standard_price": "800"})
        users = {u["login"]: u["id"] for u in env["res.users"].search_read(
            [("login", "in", ["buyer", "boss"])], ["login"])}
    with org.runtime.env(uid=users["buyer"], su=False) as env:
        order = env["purchase.order"].create({
            "partner_id": supplier, "project_id": project,
            "order_line": [(0, 0, {"product_id": product, "product_qty": "5",
                                   "price_unit": "800"})]})
        env["purchase.order"].call("action_submit", [order])
    with org.runtime.env(uid=users["boss"], su=False) as env:
        env["purchase.order"].call("workflow_approve", [order])
    today = dt.date.today()
    with org.env("lin") as env:  # 财务部 is no buyer, yet sees what was charged
        rows = monthly_costs(env, today.year, today.month)
    assert [(r["project_id"], r["purchase_cost"], r["total"]) for r in rows] == [
        (project, Decimal("4000.00"), Decimal("4000.00"))]
