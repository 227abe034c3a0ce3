"""A small 康怡 org for the projects tests: departments, posts granting the projects groups,
people, the initiation rights of the source document and the company's project settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

PASSWORD = "password123"

#: login: (name, department, post, manages the department, hourly cost)
PEOPLE = {
    "gm": ("刘建国", "gm", "总经理", True, "300"),
    "wang": ("王芳", "marketing", "销售", False, "100"),
    "wu": ("吴军", "marketing", "销售", False, "100"),
    "li": ("李强", "marketing", "部门经理", True, "180"),
    "zhang": ("张伟", "marketing", "销售总监", False, "250"),
    "sun": ("孙工", "tech", "实施工程师", False, "150"),
    "zhao": ("赵工", "tech", "技术团队负责人", True, "200"),
    "bd": ("马丽", "bd", "商务专员", True, "90"),
    "lin": ("林芳", "finance", "项目会计", True, "130"),
    "he": ("何静", "finance", "成本总监", False, "260"),
    "zhou": ("周敏", "project", "项目专员", True, "160"),
}
#: post: groups it grants
POSTS = {"总经理": ("projects.group_general_manager",), "销售": ("projects.group_user",),
         "部门经理": ("projects.group_user",), "销售总监": ("projects.group_sales_director",),
         "实施工程师": ("projects.group_tech",), "技术团队负责人": ("projects.group_tech_lead",),
         "商务专员": (), "项目会计": ("projects.group_cost_accountant",),
         "成本总监": ("projects.group_cost_director",), "项目专员": ("projects.group_manager",)}
DEPARTMENTS = {"gm": "总经办", "marketing": "市场部", "tech": "技术服务部", "bd": "商务拓展部",
               "finance": "财务部", "project": "项目管理部"}


@dataclasses.dataclass
class Org:
    app: Any
    runtime: Any
    users: dict[str, int]
    departments: dict[str, int]
    partner: int

    def env(self, login: str | None = None) -> Any:
        if login is None:
            return self.runtime.env()
        return self.runtime.env(uid=self.users[login], su=False)


def build_org(app: Any, addons: tuple[str, ...] = ("projects",)) -> Org:
    runtime = app.extensions["kangyi"]
    runtime.manager.install(list(addons))
    with runtime.env() as env:
        departments = {"gm": env["hr.department"].create({"name": DEPARTMENTS["gm"]})}
        for key, name in DEPARTMENTS.items():
            if key != "gm":
                departments[key] = env["hr.department"].create(
                    {"name": name, "parent_id": departments["gm"]})
        jobs = {name: env["hr.job"].create({
            "name": name, "group_ids": [(6, 0, [env.ref_id(g) for g in groups])]})
            for name, groups in POSTS.items()}
        base = env.ref_id("base.group_user")
        users = {}
        for login, (name, department, post, manages, cost) in PEOPLE.items():
            users[login] = env["res.users"].create({
                "login": login, "name": name, "password": PASSWORD, "lang": "zh_CN",
                "groups_id": [(6, 0, [base])]})
            employee = env["hr.employee"].create({
                "name": name, "user_id": users[login], "department_id": departments[department],
                "job_id": jobs[post], "job_ids": [(6, 0, [jobs[post]])],
                "hourly_cost": cost, "state": "regular"})
            if manages:
                env["hr.department"].write([departments[department]], {"manager_id": employee})
        rules = env["project.initiator.rule"]
        rules.create({"department_id": departments["gm"]})
        rules.create({"department_id": departments["marketing"],
                      "job_ids": [(6, 0, [jobs["销售"], jobs["部门经理"], jobs["销售总监"]])]})
        rules.create({"department_id": departments["tech"],
                      "job_ids": [(6, 0, [jobs["技术团队负责人"]])]})
        env["res.company"].write([env.ref_id("base.main_company")], {
            "project_special_amount": "1000000",
            "project_archive_department_id": departments["bd"],
            "project_finance_department_id": departments["finance"]})
        partner = env["res.partner"].create({"name": "杭州市第一人民医院", "is_company": True})
    return Org(app, runtime, users, departments, partner)


def initiation_values(org: Org, **changes: Any) -> dict[str, Any]:
    return {"project_name": "医院信息化集成", "partner_id": org.partner,
            "street": "杭州市上城区解放路 261 号", "contact_name": "王主任",
            "description": "监护设备联网与数据采集", "expected_amount": "500000",
            "funding": "secured", "success_rate": 70,
            "date_signing": (dt.date.today() + dt.timedelta(days=60)).isoformat(),
            "presales_budget": "20000", **changes}
