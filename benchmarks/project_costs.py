"""The system-integration project flow of the projects addon (issue 22), beside order-to-cash
and procure-to-pay: the salesperson files and submits the initiation request (立项书), the
department manager, cost director and sales director approve (the project is created), an
engineer records three timesheets and an expense claim, which the manager and finance approve.
The Core baseline replays the same rows (:mod:`benchmarks.replay`); the monthly cost report is
timed against its bare SQL in the reports section (:data:`COST_REPORT`).

The benchmark users hold every group; the first time the flow runs it gives actors 0, 1 and 3
employee records in one department managed by actor 1, and an initiation right for it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, case, func, select

from core.env import Environment

from .order_to_cash import Flow, Stage

DEPARTMENT = "基准测试项目部"


def _doc(flow: Flow, kind: str, i: int) -> int:
    return flow.docs[kind][-flow.size + i]


def ensure_org(env: Environment, uids: list[int]) -> None:
    """One department managed by ``uids[1]`` holding ``uids[0]`` and ``uids[3]``, with an
    initiation right; idempotent (the benchmark's own set-up, not a measured action)."""
    su = env.sudo()
    if su["hr.department"].search_count([("name", "=", DEPARTMENT)]):
        return
    department = su["hr.department"].create({"name": DEPARTMENT})
    employees = {}
    for actor in (0, 1, 3):
        uid = uids[actor % len(uids)]
        if uid in employees or su["hr.employee"].search_count([("user_id", "=", uid)]):
            continue
        employees[uid] = su["hr.employee"].create({
            "name": f"Bench employee {actor}", "user_id": uid, "department_id": department,
            "hourly_cost": Decimal("150"), "state": "regular"})
    manager = su["hr.employee"].search([("user_id", "=", uids[1 % len(uids)])])[0]
    su["hr.department"].write([department], {"manager_id": manager})
    su["project.initiator.rule"].create({"department_id": department})
    env.session.flush()


def _enter_initiation(env: Environment, flow: Flow, i: int) -> None:
    """The salesperson files the initiation request with its full content."""
    ensure_org(env, flow.master["uids"])
    customers = flow.master["customers"]
    flow.docs.setdefault("initiation", []).append(env["project.initiation"].create({
        "project_name": f"集成项目 {i}", "partner_id": customers[i % len(customers)],
        "street": "杭州市滨江区江南大道 588 号", "contact_name": "王主任",
        "description": "设备联网与数据采集", "expected_amount": Decimal("500000"),
        "funding": "secured", "success_rate": 60,
        "date_signing": dt.date.today() + dt.timedelta(days=60),
        "presales_budget": Decimal("20000")}))


def _submit(env: Environment, flow: Flow, i: int) -> None:
    env["project.initiation"].call("action_submit", [_doc(flow, "initiation", i)])


def _approve(env: Environment, flow: Flow, i: int) -> None:
    """部门经理, 成本总监 and 分管销售总监 approve in turn (one user holding the three posts);
    the last approval creates the project."""
    for _step in range(3):
        env["project.initiation"].call("workflow_approve", [_doc(flow, "initiation", i)])
    project = env["project.project"].search([("initiation_id", "=",
                                              _doc(flow, "initiation", i))], limit=1)
    flow.docs.setdefault("project", []).append(project[0])


def _timesheets(env: Environment, flow: Flow, i: int) -> None:
    """The engineer records three days on the project."""
    first = dt.date.today().replace(day=1)
    env["account.analytic.line"].create([
        {"project_id": _doc(flow, "project", i), "date": first + dt.timedelta(days=day),
         "unit_amount": Decimal(h), "name": "安装调试"}
        for day, h in ((0, "8"), (1, "6"), (2, "4"))])


def _claim(env: Environment, flow: Flow, i: int) -> None:
    """…and claims a travel expense on it, submitted at once."""
    claim = env["hr.expense"].create({
        "name": "现场差旅", "project_id": _doc(flow, "project", i), "category": "travel",
        "total_amount": Decimal("680.00"), "date": dt.date.today().replace(day=1)})
    env["hr.expense"].call("action_submit", [claim])
    flow.docs.setdefault("claim", []).append(claim)


def _approve_claim(env: Environment, flow: Flow, i: int) -> None:
    """The department manager and finance approve the claim (one user, both posts)."""
    for _step in range(2):
        env["hr.expense"].call("workflow_approve", [_doc(flow, "claim", i)])


PROJECT_COSTS = Flow("project initiation to costs", "projects", [
    Stage("initiation request entry", ("project.initiation",), _enter_initiation),
    Stage("submit", ("project.initiation",), _submit),
    Stage("three approvals + project", ("project.initiation",), _approve, actor=1),
    Stage("timesheets (3 days)", ("account.analytic.line",), _timesheets, actor=3),
    Stage("expense claim + submit", ("hr.expense",), _claim, actor=3),
    Stage("claim approvals", ("hr.expense",), _approve_claim, actor=1),
])


# -- the monthly cost report against its bare SQL (reports section) ---------------------------


def cost_report(env: Environment) -> Any:
    from addons.projects.costs import monthly_costs

    today = dt.date.today()
    return monthly_costs(env, today.year, today.month)


def cost_report_sql(env: Environment, conn: Connection) -> Any:
    """The same figures by hand: timesheets and approved claims per project, the month's and
    to date, with the project's name and budget (two GROUP BY and one read of projects)."""
    from addons.projects.costs import month_bounds

    today = dt.date.today()
    start, end = month_bounds(today.year, today.month)
    line = env.registry["account.analytic.line"].__table__
    claim = env.registry["hr.expense"].__table__
    project = env.registry["project.project"].__table__
    in_month = line.c.date.between(start, end)
    hours = conn.execute(
        select(line.c.project_id, func.sum(case((in_month, line.c.unit_amount), else_=0)),
               func.sum(case((in_month, line.c.amount), else_=0)), func.sum(line.c.amount))
        .where(line.c.date <= end).group_by(line.c.project_id)).all()
    claim_month = claim.c.date.between(start, end)
    presales = claim.c.category == "presales"
    claims = conn.execute(
        select(claim.c.project_id,
               func.sum(case((claim_month & presales, claim.c.total_amount), else_=0)),
               func.sum(case((claim_month & ~presales, claim.c.total_amount), else_=0)),
               func.sum(claim.c.total_amount),
               func.sum(case((presales, claim.c.total_amount), else_=0)))
        .where(claim.c.date <= end, claim.c.state == "approved")
        .group_by(claim.c.project_id)).all()
    ids = {row[0] for row in hours} | {row[0] for row in claims}
    projects = conn.execute(select(project.c.id, project.c.name, project.c.code,
                                   project.c.budget, project.c.budget_presales)
                            .where(project.c.id.in_(ids))).all()
    return hours, claims, projects


COST_REPORT = ("project costs by project (month, to date)", ("account.analytic.line",),
               cost_report, cost_report_sql)
