"""What follows an approved initiation request: the project is created and the archive
(商务拓展部) and finance (财务部) departments named in the company's settings are told — a to-do
for the department's manager (file the original; record the presales budget) and a
notification to each member."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from core.activity import schedule
from core.i18n import _
from core.mail import notify

from .models.settings import company_of


def initiation_approved(env: Any, initiation: Any) -> int:
    """Create the project of ``initiation`` and tell the departments; returns the project id."""
    su = env.sudo()
    project_id = su["project.project"].create({
        "name": initiation.project_name, "code": initiation.name,
        "partner_id": initiation.partner_id, "user_id": initiation.user_id,
        "initiation_id": initiation.id, "budget_presales": initiation.presales_budget,
        "budget": initiation.presales_budget, "date_start": dt.date.today()})
    company = company_of(env, initiation)
    if company is not None:
        url = f"/web/project.initiation/{initiation.id}"
        for department_id, summary, details in (
                (company.project_archive_department_id,
                 _("File the original of %(name)s", name=initiation.name),
                 _("Initiation request %(name)s (%(project)s) was approved: file the signed "
                   "original in the project archive.", name=initiation.name,
                   project=initiation.project_name)),
                (company.project_finance_department_id,
                 _("Record the presales budget of %(name)s", name=initiation.name),
                 _("Initiation request %(name)s (%(project)s) was approved with presales "
                   "expenses of %(amount)s: keep the copy as the basis of its expense record.",
                   name=initiation.name, project=initiation.project_name,
                   amount=initiation.presales_budget))):
            if department_id:
                _tell_department(su, department_id, initiation, summary, details, url)
    return project_id


def _tell_department(env: Any, department_id: int, initiation: Any, summary: str,
                     details: str, url: str) -> None:
    employee = env.registry["hr.employee"]
    members = list(env.session.scalars(select(employee.user_id).where(
        employee.department_id == department_id, employee.active.is_(True),
        employee.user_id.is_not(None))))
    department = env["hr.department"].read([department_id], ["manager_id"])[0]
    manager = department["manager_id"] and env["hr.employee"].read(
        [department["manager_id"][0]], ["user_id"])[0]["user_id"]
    assignee = manager[0] if manager else (sorted(members)[0] if members else None)
    if assignee:
        schedule(env, "project.initiation", initiation.id, summary,
                 dt.date.today() + dt.timedelta(days=3), user_id=assignee, note=details)
    if members:
        notify(env, members, "reminder", {"subject": summary, "details": details}, url=url)
