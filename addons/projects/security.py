"""Groups (posts of the source document), access rights and record rules of projects.

Everyone files and follows their own initiation requests; department managers read those of
their department (three levels up the tree); 项目管理部, 财务部, the cost director, the sales
director and the general manager read all. hr's posts may widen or narrow this per model through
data scopes (``_scope_fields``). Lines (milestones, tasks) take their project's rules.
"""

from __future__ import annotations

from core.i18n import _l
from core.security import FULL, Group, Rule, grant

from .groups import (
    COST_ACCOUNTANT,
    COST_DIRECTOR,
    FINANCE,
    GENERAL_MANAGER,
    MEMBER,
    OFFICE,
    SALES_DIRECTOR,
    TECH,
    TECH_LEAD,
    USER,
)

CATEGORY = _l("Projects")

GROUPS = [
    Group(MEMBER, _l("Project member (项目成员)"), CATEGORY, implied=(USER,),
          comment=_l("Works on tasks, records timesheets and expense claims.")),
    Group(TECH, _l("Technical service (技术服务部)"), CATEGORY, implied=(MEMBER,),
          comment=_l("Receives presales support requests and names the presales lead.")),
    Group(TECH_LEAD, _l("Technical team lead (技术团队负责人)"), CATEGORY, implied=(TECH,),
          comment=_l("Approves presales leads and early-start arrangements.")),
    Group(OFFICE, _l("Project office (项目管理部)"), CATEGORY, implied=(MEMBER,),
          comment=_l("Sees every project document, evaluates presales support, arranges early "
                     "starts, manages projects and the initiation rights.")),
    Group(FINANCE, _l("Project finance (财务部)"), CATEGORY, implied=(MEMBER,),
          comment=_l("Sees every project document and the monthly project costs.")),
    Group(COST_ACCOUNTANT, _l("Project cost accountant (项目会计)"), CATEGORY,
          implied=(FINANCE,),
          comment=_l("Saves and sends the monthly project costs (and sends a month again).")),
    Group(COST_DIRECTOR, _l("Cost director (成本总监)"), CATEGORY, implied=(COST_ACCOUNTANT,),
          comment=_l("Approves the presales expenses of initiation requests.")),
    Group(SALES_DIRECTOR, _l("Sales director in charge (分管销售总监)"), CATEGORY,
          implied=(MEMBER,),
          comment=_l("Approves initiation requests and reviews early starts.")),
    Group(GENERAL_MANAGER, _l("General manager (总经理)"), CATEGORY,
          implied=(OFFICE, COST_DIRECTOR, SALES_DIRECTOR),
          comment=_l("Approves special projects and early starts.")),
]

#: groups that read every project document
READ_ALL = (OFFICE, FINANCE, COST_DIRECTOR, SALES_DIRECTOR, GENERAL_MANAGER, TECH_LEAD)
_DOCS = ["project.initiation", "project.presales.request", "project.early.start"]
_PROJECT = ["project.project", "project.milestone", "project.task"]
_CONFIG = ["project.initiator.rule", "project.task.type"]
_OWN = dict(read=True, write=True, create=True, unlink=True)

ACCESS = [
    *grant("projects", [*_DOCS, *_CONFIG, *_PROJECT, "project.presales.activity"], USER,
           "everyone"),
    *grant("projects", _DOCS, USER, "everyone_own", **_OWN),
    *grant("projects", ["project.task", "project.milestone"], MEMBER, write=True, create=True),
    *grant("projects", ["project.project"], MEMBER, "member_write", read=False, write=True),
    *grant("projects", [*_PROJECT, *_CONFIG], OFFICE, **FULL),
    *grant("projects", ["project.presales.request", "project.presales.activity"], TECH,
           write=True, create=True, unlink=True),
    *grant("projects", ["project.presales.request", "project.early.start"], OFFICE, "office",
           write=True),
    *grant("projects", ["account.analytic.line", "hr.expense"], MEMBER, **FULL),
    *grant("projects", ["account.analytic.line"], OFFICE, "office", **FULL),
    *(access for group in (OFFICE, FINANCE, SALES_DIRECTOR, TECH_LEAD)
      for access in grant("projects", ["project.cost.month"], group)),
]

_READ = dict(read=True, write=False, create=False, unlink=False)
_CHANGE = dict(read=False, write=True, create=True, unlink=True)
_ALL = "[(1, '=', 1)]"
_MANAGED = ["department_id" + ".parent_id" * depth + ".manager_id.user_id" for depth in range(3)]
_MINE = "['|', ('user_id', '=', user.id), ('create_uid', '=', user.id)]"
_MINE_OR_MANAGED = str(["|"] * (len(_MANAGED) + 1) + [
    ("user_id", "=", "USER"), ("create_uid", "=", "USER"),
    *((path, "=", "USER") for path in _MANAGED)]).replace("'USER'", "user.id")
_PROJECT_MINE = ("['|', '|', ('user_id', '=', user.id), ('member_ids', 'in', [user.id]), "
                 "('create_uid', '=', user.id)]")


def _document_rules(model: str, changers: tuple[str, ...] = (),
                    readers: tuple[str, ...] = READ_ALL) -> list[Rule]:
    """Own and managed documents for everyone; ``readers`` read all, ``changers`` change all."""
    key = model.replace(".", "_")
    extra = [Rule(f"projects.rule_{key}_change_all", _l("Projects: every document (the posts "
                                                       "that handle it)"), model, _ALL,
                  groups=changers, **_CHANGE)] if changers else []
    return [*extra,
        Rule(f"projects.rule_{key}_read", _l("Projects: own documents and the department's "
                                            "one manages"), model, _MINE_OR_MANAGED,
             groups=(USER,), **_READ),
        Rule(f"projects.rule_{key}_change", _l("Projects: own documents"), model, _MINE,
             groups=(USER,), **_CHANGE),
        Rule(f"projects.rule_{key}_all", _l("Projects: every document (project office, "
                                           "finance, directors)"), model, _ALL,
             groups=readers, **_READ),
    ]


_MY_LINES = "[('user_id', '=', user.id)]"
_MY_CLAIMS = "[('employee_id.user_id', '=', user.id)]"
_CLAIMS_MANAGED = str(["|"] * len(_MANAGED) + [("employee_id.user_id", "=", "USER")] + [
    ("employee_id." + path, "=", "USER") for path in _MANAGED]).replace("'USER'", "user.id")


def _own_rules(model: str, mine: str, readable: str) -> list[Rule]:
    key = model.replace(".", "_")
    return [
        Rule(f"projects.rule_{key}_read", _l("Projects: own entries and those one manages"),
             model, readable, groups=(MEMBER,), **_READ),
        Rule(f"projects.rule_{key}_change", _l("Projects: own entries"), model, mine,
             groups=(MEMBER,), **_CHANGE),
        Rule(f"projects.rule_{key}_all", _l("Projects: every document (project office, "
                                           "finance, directors)"), model, _ALL,
             groups=READ_ALL, **_READ),
    ]


RULES = [
    *_own_rules("account.analytic.line", _MY_LINES,
                "['|', ('user_id', '=', user.id), ('project_id.user_id', '=', user.id)]"),
    Rule("projects.rule_account_analytic_line_office", _l("Projects: the project office "
                                                          "corrects every timesheet"),
         "account.analytic.line", _ALL, groups=(OFFICE,), **_CHANGE),
    *_own_rules("hr.expense", _MY_CLAIMS,
                _CLAIMS_MANAGED.replace("[", "['|', ('project_id.user_id', '=', user.id), ",
                                        1)),
    Rule("projects.rule_project_cost_month_all", _l("Projects: every document (project office, "
                                                    "finance, directors)"),
         "project.cost.month", _ALL, groups=READ_ALL, **_READ),
    *_document_rules("project.initiation"),
    *_document_rules("project.presales.request", (TECH, OFFICE), (*READ_ALL, TECH)),
    *_document_rules("project.early.start", (OFFICE,)),
    Rule("projects.rule_project_project_read", _l("Projects: projects one manages or works on"),
         "project.project", _PROJECT_MINE, groups=(USER,), **_READ),
    Rule("projects.rule_project_project_change", _l("Projects: projects one manages or works "
                                                   "on (their tasks)"),
         "project.project", "['|', ('user_id', '=', user.id), ('member_ids', 'in', [user.id])]",
         groups=(MEMBER,), **_CHANGE),
    Rule("projects.rule_project_project_all", _l("Projects: every project (project office, "
                                                 "finance, directors)"),
         "project.project", _ALL, groups=READ_ALL, **_READ),
    Rule("projects.rule_project_project_office", _l("Projects: the project office manages "
                                                    "every project"),
         "project.project", _ALL, groups=(OFFICE,), **_CHANGE),
]
