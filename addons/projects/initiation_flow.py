"""What follows an approved initiation request: the project is created and, in a job after the
approval commits, the archive (商务拓展部) and finance (财务部) departments named in the
company's settings are told — a to-do for the department's manager (file the original; record
the presales budget) and a notification to each member, both carrying the signed request as a
PDF (``projects.report_initiation``) in the manager's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, select

from core.activity import schedule
from core.i18n import _
from core.jobs import enqueue
from core.mail import notify
from core.reports.render import printing, render_pdf

from .models.settings import company_of

REPORT = "projects.report_initiation"


def initiation_approved(env: Any, initiation: Any) -> int:
    """Create the project of ``initiation`` and have the departments told; returns the
    project id."""
    project_id = env.sudo()["project.project"].create({
        "name": initiation.project_name, "code": initiation.name,
        "partner_id": initiation.partner_id, "user_id": initiation.user_id,
        "initiation_id": initiation.id, "budget_presales": initiation.presales_budget,
        "budget": initiation.presales_budget, "date_start": dt.date.today()})
    company = company_of(env, initiation)
    if company is None or not (company.project_archive_department_id
                               or company.project_finance_department_id):
        return project_id
    if isinstance(env.session.get_bind(), Engine):
        enqueue(env, tell_departments, initiation.id,
                name=_("%(name)s to 商务拓展部 and 财务部", name=initiation.name))
    else:  # inside an installation (demo data): told at once, without laying out PDFs
        tell_departments(env, initiation.id, pdf=False)
    return project_id


def tell_departments(env: Any, initiation_id: int, pdf: bool = True) -> int:
    """The job: each department's to-do and notifications with the PDF (``pdf``); returns how
    many departments were told."""
    su = env.sudo()
    initiation = su.session.get(su.registry["project.initiation"], initiation_id)
    company = company_of(su, initiation)
    told = 0
    for department_id, texts in ((company.project_archive_department_id, _archive_texts),
                                 (company.project_finance_department_id, _finance_texts)):
        if department_id:
            told += _tell_department(su, department_id, initiation, texts, pdf)
    return told


def _archive_texts(initiation: Any) -> tuple[str, str]:
    return (_("File the original of %(name)s", name=initiation.name),
            _("Initiation request %(name)s (%(project)s) was approved: file the signed "
              "original in the project archive.", name=initiation.name,
              project=initiation.project_name))


def _finance_texts(initiation: Any) -> tuple[str, str]:
    return (_("Record the presales budget of %(name)s", name=initiation.name),
            _("Initiation request %(name)s (%(project)s) was approved with presales expenses "
              "of %(amount)s: keep the copy as the basis of its expense record.",
              name=initiation.name, project=initiation.project_name,
              amount=initiation.presales_budget))


def _tell_department(env: Any, department_id: int, initiation: Any, texts: Any,
                     pdf: bool) -> int:
    employee = env.registry["hr.employee"]
    members = sorted(env.session.scalars(select(employee.user_id).where(
        employee.department_id == department_id, employee.active.is_(True),
        employee.user_id.is_not(None))))
    department = env["hr.department"].read([department_id], ["manager_id"])[0]
    manager = department["manager_id"] and env["hr.employee"].read(
        [department["manager_id"][0]], ["user_id"])[0]["user_id"]
    assignee = manager[0] if manager else (members[0] if members else None)
    if assignee is None:
        return 0
    lang = env["res.users"].read([assignee], ["lang"])[0]["lang"] or "en"
    with printing(env, lang):  # the texts and the document in the manager's language
        summary, details = texts(initiation)
        files = [(f"{initiation.name}.pdf", render_pdf(env, REPORT, [initiation.id]),
                  "application/pdf")] if pdf else []
        schedule(env, "project.initiation", initiation.id, summary,
                 dt.date.today() + dt.timedelta(days=3), user_id=assignee, note=details,
                 files=files)
        if members:
            notify(env, members, "reminder", {"subject": summary, "details": details},
                   url=f"/web/project.initiation/{initiation.id}", files=files)
    return 1
