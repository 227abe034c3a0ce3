"""Groups, access rights and record rules of HR.

* every internal user (``base.group_user``) reads the org chart and the directory (personal
  fields are HR's only), requests their own leave and punches their own attendance;
  department managers and direct managers see their people's leave and attendance;
* ``hr.group_officer`` (人事专员): employees, contracts, transfers, allocations, calendars,
  attendance of everyone;
* ``hr.group_manager`` (人事经理): also departments, posts and their groups and data scopes.
"""

from __future__ import annotations

from core.i18n import _l
from core.security import FULL, Access, Group, Rule, grant

USER, OFFICER, MANAGER = "base.group_user", "hr.group_officer", "hr.group_manager"
CATEGORY = _l("Human Resources")

GROUPS = [
    Group(OFFICER, _l("HR officer (人事专员)"), CATEGORY, implied=(USER,),
          comment=_l("Hires, keeps employee records and contracts, approves leave above the "
                     "department manager's days, maintains the calendar.")),
    Group(MANAGER, _l("HR manager (人事经理)"), CATEGORY, implied=(OFFICER,),
          comment=_l("Also sets up departments and posts: the groups and data scopes each post "
                     "gives.")),
]

_ORG = ["hr.department", "hr.job", "hr.job.scope"]
_PEOPLE = ["hr.employee", "hr.contract", "hr.employee.transfer", "hr.departure.item",
           "hr.leave.allocation", "resource.calendar", "resource.calendar.leaves",
           "hr.leave.type"]
_SELF = dict(read=True, write=True, create=True)

ACCESS: list[Access] = [
    *grant("hr", [*_ORG, "hr.employee", "hr.leave.type", "resource.calendar",
                  "resource.calendar.leaves", "hr.leave.allocation"], USER, "everyone"),
    *grant("hr", ["hr.leave", "hr.attendance"], USER, "everyone", **_SELF),
    *grant("hr", ["hr.employee.transfer"], USER, "everyone"),
    *grant("hr", [*_PEOPLE, "hr.leave", "hr.attendance"], OFFICER, **FULL),
    *grant("hr", _ORG, MANAGER, **FULL),
]

_MINE = "[('employee_id.user_id', '=', user.id)]"
#: one's own, one's direct reports', and those of the departments one manages, three levels
#: down (deeper trees: give the manager's post a department-tree data scope on the model)
_MANAGED = ["employee_id.department_id" + ".parent_id" * depth + ".manager_id.user_id"
            for depth in range(3)]
_MY_PEOPLE = str(["|"] * (len(_MANAGED) + 1) + [
    ("employee_id.user_id", "=", "USER"), ("employee_id.parent_id.user_id", "=", "USER"),
    *((path, "=", "USER") for path in _MANAGED)]).replace("'USER'", "user.id")
_ALL = "[(1, '=', 1)]"


_READ = dict(read=True, write=False, create=False, unlink=False)
_CHANGE = dict(read=False, write=True, create=True, unlink=True)


def _rules() -> list[Rule]:
    rules = [
        Rule("hr.rule_hr_leave_read", _l("HR: own leave and that of one's people"), "hr.leave",
             _MY_PEOPLE, groups=(USER,), **_READ),
        Rule("hr.rule_hr_leave_change", _l("HR: own leave requests not yet decided"),
             "hr.leave", "[('employee_id.user_id', '=', user.id), "
                         "('state', 'in', ['draft', 'refuse', 'cancel'])]",
             groups=(USER,), **_CHANGE),
        Rule("hr.rule_hr_attendance_read", _l("HR: own attendance and that of one's people"),
             "hr.attendance", _MY_PEOPLE, groups=(USER,), **_READ),
        Rule("hr.rule_hr_attendance_change", _l("HR: own attendance"), "hr.attendance", _MINE,
             groups=(USER,), **_CHANGE),
        Rule("hr.rule_hr_leave_allocation_own", _l("HR: own allocations"),
             "hr.leave.allocation", _MINE, groups=(USER,)),
        Rule("hr.rule_hr_employee_transfer_own", _l("HR: own transfers and those of one's "
                                                    "people"),
             "hr.employee.transfer", _MY_PEOPLE, groups=(USER,)),
    ]
    for model in ("hr.leave", "hr.attendance", "hr.leave.allocation", "hr.employee.transfer"):
        rules.append(Rule(f"hr.rule_{model.replace('.', '_')}_all",
                          _l("HR: everything (HR officers)"), model, _ALL, groups=(OFFICER,)))
    return rules


RULES = _rules()
