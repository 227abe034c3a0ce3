"""HR pages: the org chart, check in/out, the monthly attendance summary, the clock CSV import
and leave balances. Everything reads through ``g.env``, so rules and field groups apply."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import flash, g, redirect, render_template, request

from core.errors import KangyiError
from core.i18n import _
from core.pages import Page

from . import attendance
from .balances import balances
from .models.leave import own_employee
from .security import OFFICER


def org_chart_view() -> Any:
    """Departments as a tree with their manager, posts and people (expandable, printable)."""
    env = g.env
    departments = env["hr.department"].search_read([], ["name", "parent_id", "manager_id"])
    people = env["hr.employee"].search_read(
        [], ["name", "department_id", "job_id", "work_phone", "registration_number"],
        order="name")
    members: dict[int | None, list[dict[str, Any]]] = {}
    for person in people:
        members.setdefault(person["department_id"][0] if person["department_id"] else None,
                           []).append(person)
    children: dict[int | None, list[dict[str, Any]]] = {}
    known = {d["id"] for d in departments}
    for department in departments:
        parent = department["parent_id"][0] if department["parent_id"] else None
        children.setdefault(parent if parent in known else None, []).append(department)
    return render_template("hr/org_chart.html", title=_("Org chart"), children=children,
                           members=members, unassigned=members.get(None, []))


def punch_view() -> Any:
    """Check in or out (one big button, phone width), and today's punches."""
    env = g.env
    if request.method == "POST":
        try:
            done = attendance.punch(env)
        except KangyiError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Checked in.") if done == "in" else _("Checked out."), "success")
        return redirect(request.path)
    employee_id = own_employee(env)
    current = attendance.open_attendance(env, employee_id) if employee_id else None
    recent = env["hr.attendance"].search_read(
        [("employee_id", "=", employee_id)], ["check_in", "check_out"], limit=10) \
        if employee_id else []
    return render_template("hr/punch.html", title=_("Check in / out"), employee_id=employee_id,
                           current=current, recent=recent,
                           infos=env["hr.attendance"].fields)


def summary_view() -> Any:
    """Days present, late, early leave and absent per employee for a month."""
    today = dt.date.today()
    month = request.args.get("month", f"{today.year}-{today.month:02d}")
    try:
        year, number = (int(p) for p in month.split("-"))
        dt.date(year, number, 1)
    except ValueError:
        flash(_("Choose a month as YYYY-MM."), "error")
        year, number = today.year, today.month
    rows = attendance.monthly_summary(g.env, year, number)
    return render_template("hr/summary.html", title=_("Monthly attendance"), rows=rows,
                           month=f"{year}-{number:02d}")


def import_view() -> Any:
    """Upload a clock device's CSV (工号, check in, check out)."""
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(_("Choose a CSV file."), "error")
        else:
            try:
                count = attendance.import_clock_csv(g.env, upload.read())
            except (KangyiError, UnicodeDecodeError) as exc:
                g.env.session.rollback()
                flash(str(exc) if isinstance(exc, KangyiError)
                      else _("The file is not UTF-8 or GB18030 text."), "error")
            else:
                flash(_("%(count)s attendances imported.", count=count), "success")
        return redirect(request.path)
    return render_template("hr/import.html", title=_("Import clock data"))


def balances_view() -> Any:
    """Allocated, taken and remaining days per leave type: the user's own, or for HR everyone's."""
    env = g.env
    year = request.args.get("year", "")
    year_number = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 \
        else dt.date.today().year
    domain: list[Any] = [] if env.access.has_group(OFFICER) else [
        ("id", "=", own_employee(env) or 0)]
    employees = env["hr.employee"].search_read(domain, ["name", "department_id"], limit=500)
    names = {e["id"]: e["name"] for e in employees}
    table = balances(env, list(names), year_number)
    types = env["hr.leave.type"].display_names({t for _e, t in table})
    rows = [{"employee": names[e], "type": types.get(t, ""), **values}
            for (e, t), values in sorted(table.items())]
    return render_template("hr/balances.html", title=_("Leave balances"), rows=rows,
                           year=year_number)


PAGES = [
    Page("hr.org_chart", "org-chart", org_chart_view),
    Page("hr.attendance", "attendance", punch_view, methods=("GET", "POST")),
    Page("hr.attendance_summary", "attendance/summary", summary_view, groups=(OFFICER,)),
    Page("hr.attendance_import", "attendance/import", import_view, methods=("GET", "POST"),
         groups=(OFFICER,)),
    Page("hr.balances", "balances", balances_view),
]
