"""Demo data: the departments of 康怡, the posts of the source documents with their groups and
data scopes, and employees who are the demo users of the other addons (linked by external id;
people of addons not installed are left out). Users hr creates log in with ``demo12345``, like
the other addons' demo users."""

from __future__ import annotations

import datetime as dt

PASSWORD = "demo12345"

# xmlid, name, parent
DEPARTMENTS = [
    ("dep_gm", "总经办", None), ("dep_marketing", "市场部", "dep_gm"),
    ("dep_service", "客户服务部", "dep_gm"), ("dep_tech", "技术服务部", "dep_gm"),
    ("dep_bd", "商务拓展部", "dep_gm"), ("dep_project", "项目管理部", "dep_gm"),
    ("dep_finance", "财务部", "dep_gm"), ("dep_production", "生产部", "dep_gm"),
    ("dep_purchase", "采购部", "dep_gm"), ("dep_warehouse", "仓储部", "dep_gm"),
    ("dep_hr", "人事部", "dep_gm"),
]

# xmlid, name, department, groups granted (those of addons not installed are skipped),
# data scopes {model: scope}
POSTS = [
    ("job_gm", "总经理", "dep_gm", ("sales.group_director", "hr.group_manager",
                                    "purchase.group_general_manager"),
     {"sale.order": "all", "hr.leave": "all", "hr.attendance": "all"}),
    ("job_dept_manager", "部门经理", None, (), {"hr.leave": "department_tree",
                                                "hr.attendance": "department_tree"}),
    ("job_sales_assistant", "销售助理", "dep_marketing", ("sales.group_assistant",),
     {"sale.order": "own"}),
    ("job_sales_manager", "销售主管", "dep_marketing", ("sales.group_manager",),
     {"sale.order": "department_tree", "sale.order.line": "department_tree",
      "sale.delivery.notice": "department_tree", "sale.invoice.notice": "department_tree",
      "sale.collection": "department_tree"}),
    ("job_sales_director", "销售总监", "dep_marketing", ("sales.group_director",),
     {"sale.order": "all"}),
    ("job_salesperson", "业务员", "dep_bd", ("crm.group_user",), {}),
    ("job_service", "客服专员", "dep_service", ("crm.group_service",), {}),
    ("job_crm_manager", "客户经理", "dep_service", ("crm.group_manager",), {}),
    ("job_keeper", "保管员", "dep_warehouse", ("stock.group_keeper",), {}),
    ("job_inspector", "发货检验员", "dep_warehouse", ("stock.group_inspector",), {}),
    ("job_stock_manager", "仓库主管", "dep_warehouse", ("stock.group_manager",), {}),
    ("job_invoicing", "开票员", "dep_finance", ("accounting.group_invoicing",), {}),
    ("job_cost", "材料成本会计", "dep_finance", ("accounting.group_cost",), {}),
    ("job_receivable", "往来会计", "dep_finance", ("accounting.group_receivable",), {}),
    ("job_cost_director", "成本总监", "dep_finance", ("accounting.group_chief",), {}),
    ("job_tech_lead", "技术团队负责人", "dep_tech", (), {}),
    ("job_hr_officer", "人事专员", "dep_hr", ("hr.group_officer",), {}),
    ("job_requester", "请购人", None, ("purchase.group_requester",), {}),
    ("job_buyer", "采购员", "dep_purchase", ("purchase.group_user",), {}),
    ("job_purchase_manager", "采购主管", "dep_purchase", ("purchase.group_manager",), {}),
    ("job_receiving_inspector", "来料检验员", "dep_warehouse", ("stock.group_inspector",), {}),
    ("job_payable", "应付会计", "dep_finance", ("purchase_account.group_payable",), {}),
    ("job_planner", "生产计划员", "dep_production", ("production.group_planner",), {}),
    ("job_workshop", "车间主任", "dep_production", ("production.group_workshop",), {}),
    ("job_quality", "质检员", "dep_production", ("production.group_quality",), {}),
    ("job_production_manager", "生产经理", "dep_production", ("production.group_manager",), {}),
]

# xmlid, user's external id (or a login to create), name, 工号, department, posts, manager of
EMPLOYEES = [
    ("emp_gm", "hr.user_gm", "刘建国", "KY0001", "dep_gm", ("job_gm",), ("dep_gm",)),
    ("emp_hr", "hr.user_hr_officer", "周婷", "KY0002", "dep_hr",
     ("job_hr_officer", "job_dept_manager"), ("dep_hr",)),
    ("emp_sales_director", "sales.user_director", "张伟", "KY0101", "dep_marketing",
     ("job_sales_director", "job_dept_manager"), ()),
    ("emp_sales_manager", "sales.user_manager", "李强", "KY0102", "dep_marketing",
     ("job_sales_manager", "job_dept_manager"), ("dep_marketing",)),
    ("emp_sales_assistant", "sales.user_assistant", "王芳", "KY0103", "dep_marketing",
     ("job_sales_assistant",), ()),
    ("emp_sales_assistant2", "sales.user_assistant2", "黄丽", "KY0104", "dep_marketing",
     ("job_sales_assistant",), ()),
    ("emp_crm_li", "crm.demo_sales_li", "李娜", "KY0201", "dep_bd", ("job_salesperson",), ()),
    ("emp_crm_wang", "crm.demo_sales_wang", "王强", "KY0202", "dep_bd", ("job_salesperson",),
     ()),
    ("emp_crm_zhao", "crm.demo_service_zhao", "赵敏", "KY0301", "dep_service", ("job_service",),
     ()),
    ("emp_crm_chen", "crm.demo_manager_chen", "陈杰", "KY0302", "dep_service",
     ("job_crm_manager", "job_dept_manager"), ("dep_service",)),
    ("emp_keeper", "stock.demo_keeper", "刘保管", "KY0401", "dep_warehouse", ("job_keeper",),
     ()),
    ("emp_inspector", "stock.demo_inspector", "周检验", "KY0402", "dep_warehouse",
     ("job_inspector",), ()),
    ("emp_stock_manager", "stock.demo_stock_manager", "孙仓管", "KY0403", "dep_warehouse",
     ("job_stock_manager", "job_dept_manager"), ("dep_warehouse",)),
    ("emp_invoicing", "accounting.demo_invoicing", "郑丽", "KY0501", "dep_finance",
     ("job_invoicing",), ()),
    ("emp_cost", "accounting.demo_cost", "吴刚", "KY0502", "dep_finance", ("job_cost",), ()),
    ("emp_receivable", "accounting.demo_receivable", "冯敏", "KY0503", "dep_finance",
     ("job_receivable",), ()),
    ("emp_chief", "accounting.demo_chief", "何静", "KY0504", "dep_finance",
     ("job_cost_director", "job_dept_manager"), ("dep_finance",)),
    ("emp_requester", "purchase.user_requester", "陈静", "KY0601", "dep_production",
     ("job_requester",), ()),
    ("emp_buyer", "purchase.user_buyer", "孙丽", "KY0701", "dep_purchase", ("job_buyer",), ()),
    ("emp_purchase_manager", "purchase.user_manager", "周刚", "KY0702", "dep_purchase",
     ("job_purchase_manager", "job_dept_manager"), ("dep_purchase",)),
    ("emp_payable", "purchase_account.demo_payable", "许会计", "KY0505", "dep_finance",
     ("job_payable",), ()),
    ("emp_planner", "production.demo_planner", "陈计划", "KY0602", "dep_production",
     ("job_planner",), ()),
    ("emp_workshop", "production.demo_workshop", "吴主任", "KY0603", "dep_production",
     ("job_workshop", "job_dept_manager"), ("dep_production",)),
    ("emp_quality", "production.demo_quality", "郑质检", "KY0604", "dep_production",
     ("job_quality",), ()),
]

#: users hr itself brings (posts no other addon has a demo user for)
OWN_USERS = {"hr.user_gm": ("gm.liu", "刘建国"), "hr.user_hr_officer": ("hr.zhou", "周婷")}
#: another addon's demo user who is the same person as one of hr's own (hr's is not created)
SAME_PERSON = {"hr.user_gm": "purchase.user_general_manager"}


def _user(env, xmlid):
    """The user ``xmlid`` names, or the other addon's demo user who is the same person."""
    for candidate in (SAME_PERSON.get(xmlid), xmlid):
        user = env.ref(candidate, raise_if_not_found=False) if candidate else None
        if user is not None:
            return user
    return None


def load(loader):
    env = loader.env
    company = env.ref_id("base.main_company")
    for xmlid, (login, name) in OWN_USERS.items():
        if _user(env, xmlid) is not None:  # another addon's demo brings this person
            continue
        loader.record(xmlid, "res.users", {
            "login": login, "name": name, "password": PASSWORD, "lang": "zh_CN",
            "company_id": company, "groups_id": [(6, 0, [env.ref_id("base.group_user")])]})
    departments = {}
    for xmlid, name, parent in DEPARTMENTS:
        departments[xmlid] = loader.record(f"hr.{xmlid}", "hr.department", {
            "name": name, "parent_id": departments[parent] if parent else False})
    posts = {}
    for xmlid, name, department, groups, scopes in POSTS:
        granted = [g.id for g in (env.ref(x, raise_if_not_found=False) for x in groups) if g]
        posts[xmlid] = loader.record(f"hr.{xmlid}", "hr.job", {
            "name": name, "department_id": departments[department] if department else False,
            "group_ids": [(6, 0, granted)],
            "scope_ids": [(0, 0, {"model": model, "scope": scope})
                          for model, scope in scopes.items() if model in env.registry]})
    managers = {}
    for xmlid, user_xmlid, name, number, department, jobs, manages in EMPLOYEES:
        user = _user(env, user_xmlid)
        if user is None:
            continue
        employee = loader.record(f"hr.{xmlid}", "hr.employee", {
            "name": name, "registration_number": number, "user_id": user.id,
            "department_id": departments[department], "job_id": posts[jobs[0]],
            "job_ids": [(6, 0, [posts[j] for j in jobs])], "state": "regular",
            "entry_date": dt.date(2024, 3, 1), "work_phone": f"0571-8800 {number[-4:]}"})
        for department_xmlid in manages:
            managers[department_xmlid] = employee
    for department_xmlid, employee in managers.items():
        env["hr.department"].write([departments[department_xmlid]], {"manager_id": employee})
    year = dt.date.today().year
    annual = env.ref_id("hr.leave_annual")
    for employee in env["hr.employee"].search([]):  # five days of annual leave each
        loader.record(f"hr.allocation_{year}_{employee}", "hr.leave.allocation", {
            "employee_id": employee, "holiday_status_id": annual, "year": year,
            "number_of_days": "5"})
