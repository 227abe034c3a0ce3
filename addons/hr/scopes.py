"""The data scopes of posts (the core's ``data_scope`` hook) and the approvers the org chart
names (``resolve_approvers``).

A user's scopes come from their employee record: for each model, the widest scope of their
posts' scope lines; own department and department tree are the users of the employees in those
departments. Computed once per user and change of the org chart, shared by the requests of a
process (a change counter over the hr tables it reads, as the security caches do).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.caching import ChangeCounter, RegistryCache, shared
from core.security import SCOPE_ALL

#: bumped by every transaction writing the org chart tables the scopes are read from
ORG_CHANGES = ChangeCounter(19, ("hr_employee", "hr_department", "hr_job_scope",
                                 "hr_employee_job_rel"))
_CACHE: RegistryCache[Any] = RegistryCache(1024)
_WIDTH = {"own": 0, "department": 1, "department_tree": 2, "all": 3}


def data_scope(env: Any, model: str) -> Any:
    if env.uid is None or "hr.employee" not in env.registry:
        return None
    return shared(env, ORG_CHANGES, _CACHE, ("scopes", env.uid),
                  lambda: _read_scopes(env.sudo())).get(model)


def _read_scopes(env: Any) -> dict[str, Any]:
    """``{model: user ids | SCOPE_ALL}`` of the user's posts (models without a scope absent)."""
    employees = env["hr.employee"].search_read(
        [("user_id", "=", env.uid), ("state", "!=", "resigned")],
        ["department_id", "job_id", "job_ids"])
    jobs = {j for e in employees for j in e["job_ids"]} | {
        e["job_id"][0] for e in employees if e["job_id"]}
    if not jobs:
        return {}
    widest: dict[str, str] = {}
    for line in env["hr.job.scope"].search_read([("job_id", "in", sorted(jobs))],
                                                ["model", "scope"]):
        known = widest.get(line["model"])
        if known is None or _WIDTH[line["scope"]] > _WIDTH[known]:
            widest[line["model"]] = line["scope"]
    departments = [e["department_id"][0] for e in employees if e["department_id"]]
    result: dict[str, Any] = {}
    for model, scope in widest.items():
        if scope == "all":
            result[model] = SCOPE_ALL
        elif scope == "own" or not departments:
            result[model] = [env.uid]
        else:
            operator = "child_of" if scope == "department_tree" else "in"
            result[model] = _department_users(env, [("department_id", operator, departments)])
    return result


def _department_users(env: Any, domain: list[Any]) -> list[int]:
    employee = env.registry["hr.employee"]
    ids = env["hr.employee"].search(domain)
    return sorted(u for u in env.session.scalars(
        select(employee.user_id).where(employee.id.in_(ids), employee.user_id.is_not(None))))


# -- approvers --------------------------------------------------------------------------------


def resolve_approvers(env: Any, record: Any, step: str) -> list[int] | None:
    """``department_manager``: the manager of the requester's department (the parent
    department's when the requester manages it); ``general_manager``: the manager of the top
    department of the requester's tree."""
    if step not in ("department_manager", "general_manager") or "hr.employee" not in env.registry:
        return None
    employee_id = _requester(env, record)
    if employee_id is None:
        return []
    employees, departments = env.sudo()["hr.employee"], env.sudo()["hr.department"]
    me = employees.read([employee_id], ["department_id", "parent_id"])[0]
    chain = _department_chain(departments, me["department_id"][0] if me["department_id"]
                              else None)
    managers = [d["manager_id"][0] for d in chain if d["manager_id"]]
    if step == "general_manager":
        top = chain[-1]["manager_id"] if chain else None
        return _users(employees, [top[0]]) if top else []
    for manager in managers:
        if manager != employee_id:
            return _users(employees, [manager])
    if me["parent_id"]:
        return _users(employees, [me["parent_id"][0]])
    return []


def _requester(env: Any, record: Any) -> int | None:
    """The employee a document concerns (its ``employee_id``), else its creator's."""
    if "employee_id" in record.__fields__ and record.employee_id:
        return record.employee_id
    employee = env.registry["hr.employee"]
    return env.session.scalar(select(employee.id).where(employee.user_id == record.create_uid)
                              .limit(1))


def _department_chain(departments: Any, department_id: int | None) -> list[dict[str, Any]]:
    chain: list[dict[str, Any]] = []
    while department_id and len(chain) < 50:
        row = departments.read([department_id], ["manager_id", "parent_id"])[0]
        chain.append(row)
        department_id = row["parent_id"][0] if row["parent_id"] else None
    return chain


def _users(employees: Any, ids: list[int]) -> list[int]:
    return [r["user_id"][0] for r in employees.read(ids, ["user_id"]) if r["user_id"]]
