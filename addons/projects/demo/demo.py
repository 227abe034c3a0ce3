"""Demo data: the posts of the source document get the projects groups, the initiation rights of
the source document (总经办; sales staff of 市场部 and 客户服务部; 技术服务部 from supervisor up),
the company's project settings, a small project team of projects' own (password ``demo12345``)
and integration projects in several stages. Departments and posts come from hr's demo."""

from __future__ import annotations

import datetime as dt

COST_DIRECTOR, COST_ACCOUNTANT = "projects.group_cost_director", "projects.group_cost_accountant"
GENERAL_MANAGER, MEMBER = "projects.group_general_manager", "projects.group_user"
OFFICE, SALES_DIRECTOR = "projects.group_manager", "projects.group_sales_director"
TECH, TECH_LEAD = "projects.group_tech", "projects.group_tech_lead"

PASSWORD = "demo12345"

#: hr's posts and the projects groups they grant besides their own
GRANTS = {"hr.job_gm": GENERAL_MANAGER, "hr.job_cost_director": COST_DIRECTOR,
          "hr.job_sales_director": SALES_DIRECTOR, "hr.job_tech_lead": TECH_LEAD,
          "hr.job_sales_assistant": MEMBER, "hr.job_sales_manager": MEMBER}
#: posts projects adds: xmlid, name, department, group
POSTS = [("job_tech_supervisor", "技术主管", "hr.dep_tech", TECH),
         ("job_engineer", "实施工程师", "hr.dep_tech", MEMBER),
         ("job_project_officer", "项目专员", "hr.dep_project", OFFICE),
         ("job_project_accountant", "项目会计", "hr.dep_finance", COST_ACCOUNTANT)]
#: initiation rights: department, posts (empty: every post)
RIGHTS = [("hr.dep_gm", ()),
          ("hr.dep_marketing", ("hr.job_sales_assistant", "hr.job_sales_manager",
                                "hr.job_sales_director")),
          ("hr.dep_service", ("hr.job_service", "hr.job_crm_manager")),
          ("hr.dep_tech", ("projects.job_tech_supervisor", "hr.job_tech_lead"))]
#: xmlid, login, name, 工号, department, posts, manages the department, hourly cost
PEOPLE = [
    ("qian", "xm.qian", "钱程", "KY0801", "hr.dep_marketing", ("hr.job_sales_assistant",),
     False, "120"),
    ("zhao", "xm.zhao", "赵工", "KY0802", "hr.dep_tech", ("hr.job_tech_lead",), True, "200"),
    ("sun", "xm.sun", "孙工", "KY0803", "hr.dep_tech", ("projects.job_engineer",), False,
     "150"),
    ("zhou", "xm.zhou", "周敏", "KY0804", "hr.dep_project", ("projects.job_project_officer",),
     True, "160"),
    ("lin", "xm.lin", "林芳", "KY0805", "hr.dep_finance", ("projects.job_project_accountant",),
     False, "130"),
    ("he", "xm.he", "何芸", "KY0806", "hr.dep_finance", ("hr.job_cost_director",), False, "300"),
    ("zhang", "xm.zhang", "张建华", "KY0807", "hr.dep_marketing", ("hr.job_sales_director",),
     False, "300"),
]
#: initiation requests moved along their chain by the demo: index, approvals given
WALKS = [(0, 4), (1, 1)]
#: project name, customer, amount, presales budget, success rate, special
INITIATIONS = [
    ("杭州市第一人民医院信息化集成项目", "杭州市第一人民医院", "2800000", "60000", 70, True),
    ("宁波康复中心远程监护系统", "宁波康复中心", "650000", "15000", 50, False),
    ("绍兴社区卫生服务站设备联网", "绍兴社区卫生服务中心", "380000", "8000", 60, False),
]


def load(loader):
    env = loader.env
    ref = env.ref_id
    for post, group in GRANTS.items():
        job = env.ref(post, raise_if_not_found=False)
        if job is not None:
            env["hr.job"].write([job.id], {"group_ids": [(4, ref(group))]})
    for xmlid, name, department, group in POSTS:
        loader.record(f"projects.{xmlid}", "hr.job", {
            "name": name, "department_id": ref(department), "group_ids": [(6, 0, [ref(group)])]})
    for n, (department, posts) in enumerate(RIGHTS):
        loader.record(f"projects.initiator_rule_{n}", "project.initiator.rule", {
            "department_id": ref(department), "include_children": False,
            "job_ids": [(6, 0, [ref(p) for p in posts])]})
    env["res.company"].write([ref("base.main_company")], {
        "project_archive_department_id": ref("hr.dep_bd"),
        "project_finance_department_id": ref("hr.dep_finance")})
    people = {}
    for key, login, name, number, department, posts, manages, cost in PEOPLE:
        user = loader.record(f"projects.user_{key}", "res.users", {
            "login": login, "name": name, "password": PASSWORD, "lang": "zh_CN",
            "company_id": ref("base.main_company"),
            "groups_id": [(6, 0, [ref("base.group_user")])]})
        employee = loader.record(f"projects.employee_{key}", "hr.employee", {
            "name": name, "registration_number": number, "user_id": user,
            "department_id": ref(department), "job_id": ref(posts[0]),
            "job_ids": [(6, 0, [ref(p) for p in posts])], "state": "regular",
            "entry_date": dt.date(2024, 3, 1), "hourly_cost": cost})
        if manages:
            env["hr.department"].write([ref(department)], {"manager_id": employee})
        people[key] = user
    _documents(loader, people)


def _documents(loader, people):
    env = loader.env
    ref = env.ref_id
    today = dt.date.today()
    for n, (project, customer, amount, budget, rate, special) in enumerate(INITIATIONS):
        partner = loader.record(f"projects.partner_{n}", "res.partner", {
            "name": customer, "is_company": True, "city": "浙江"})
        loader.record(f"projects.initiation_{n}", "project.initiation", {
            "project_name": project, "user_id": people["qian"], "partner_id": partner,
            "street": "浙江省" + customer, "contact_name": "王主任",
            "contact_phone": "0571-8700 0000",
            "description": "医疗设备联网、数据采集与院内系统集成。",
            "expected_amount": amount, "funding": "secured", "success_rate": rate,
            "date_signing": today + dt.timedelta(days=60), "presales_budget": budget,
            "is_special": special})
    for index, approvals in WALKS:
        _walk(env, people["qian"], ref(f"projects.initiation_{index}"), approvals)
    project = loader.record("projects.project_demo", "project.project", {
        "name": "嘉兴养老院呼叫系统", "code": "XM-DEMO", "user_id": people["zhou"],
        "partner_id": ref("projects.partner_2"), "member_ids": [(6, 0, [people["sun"],
                                                                        people["zhao"]])],
        "state": "in_progress", "date_start": today.replace(day=1), "budget": "50000",
        "budget_presales": "5000"})
    for n, (name, stage) in enumerate((("现场勘察", "projects.task_type_done"),
                                       ("设备安装调试", "projects.task_type_progress"),
                                       ("用户培训", "projects.task_type_new"))):
        loader.record(f"projects.task_demo_{n}", "project.task", {
            "name": name, "project_id": project, "stage_id": ref(stage),
            "user_ids": [(6, 0, [people["sun"]])], "planned_hours": "16"})
    first = today.replace(day=1)
    for n, (day, hours, what) in enumerate(((0, "8", "现场勘察"), (1, "6", "设备安装"),
                                            (2, "4", "联调"))):
        loader.record(f"projects.timesheet_demo_{n}", "account.analytic.line", {
            "project_id": project, "employee_id": ref("projects.employee_sun"),
            "task_id": ref(f"projects.task_demo_{min(n, 1)}"), "unit_amount": hours,
            "date": first + dt.timedelta(days=day), "name": what})
    loader.record("projects.expense_demo", "hr.expense", {
        "name": "嘉兴现场差旅", "employee_id": ref("projects.employee_sun"), "project_id": project,
        "category": "travel", "total_amount": "680", "date": first})


def _walk(env, requester, record, approvals):
    """Submit an initiation request as its salesperson and give ``approvals`` approvals, each
    by the first user its current step waits for."""
    from core import workflow_engine as engine

    model = "project.initiation"
    engine.take_transition(env(uid=requester, su=False), model, record, "submit")
    for _step in range(approvals):
        pending = env["workflow.request"].search_read(
            [("res_model", "=", model), ("res_id", "=", record), ("state", "=", "pending")],
            ["approver_ids"])
        if not pending or not pending[0]["approver_ids"]:
            return
        engine.approve(env(uid=pending[0]["approver_ids"][0], su=False), model, record,
                       comment="同意")
