"""Attendance work: check in/out for the acting user, a clock device's CSV, and the monthly
summary per employee (days present, late, early leave, absent) aggregated in SQL."""

from __future__ import annotations

import calendar as cal
import csv
import datetime as dt
import io
from typing import Any

from sqlalchemy import case, func, select

from core.errors import UserError, ValidationError
from core.i18n import _

from .models.attendance import local_zone
from .models.leave import own_employee
from .workdays import company_calendar, working_days

#: minutes of grace after the start of work before a check in counts as late
GRACE_MINUTES = 0


def open_attendance(env: Any, employee_id: int) -> dict[str, Any] | None:
    rows = env["hr.attendance"].search_read(
        [("employee_id", "=", employee_id), ("check_out", "=", False)], ["check_in"],
        limit=1, order="check_in desc")
    return rows[0] if rows else None


def punch(env: Any, now: dt.datetime | None = None) -> str:
    """Check the acting user in, or out when they are checked in. Returns ``in`` or ``out``."""
    employee_id = own_employee(env)
    if employee_id is None:
        raise UserError(_("Your user is not linked to an employee."))
    now = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None, microsecond=0)
    current = open_attendance(env, employee_id)
    if current:
        env["hr.attendance"].write([current["id"]], {"check_out": now})
        return "out"
    env["hr.attendance"].create({"employee_id": employee_id, "check_in": now})
    return "in"


def import_clock_csv(env: Any, data: bytes) -> int:
    """Rows ``工号/registration_number, check_in, check_out`` (local times, ``YYYY-MM-DD HH:MM``)
    from a clock device; all rows or none. Returns the number of attendances created."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="strict")
    reader = csv.reader(io.StringIO(text))
    rows = [r for r in reader if any(cell.strip() for cell in r)]
    if rows and not _is_time(rows[0][1] if len(rows[0]) > 1 else ""):
        rows = rows[1:]  # a header
    numbers = {r[0].strip() for r in rows}
    employees = {e["registration_number"]: e["id"] for e in env["hr.employee"].search_read(
        [("registration_number", "in", sorted(numbers))], ["registration_number"])}
    zone = local_zone(env)
    values = []
    for line, row in enumerate(rows, 1):
        if len(row) < 2 or row[0].strip() not in employees:
            raise ValidationError(_("Line %(line)s: unknown employee number %(number)r.",
                                    line=line, number=row[0].strip() if row else ""))
        try:
            times = [_utc(cell.strip(), zone) if cell.strip() else None for cell in row[1:3]]
        except ValueError:
            raise ValidationError(_("Line %(line)s: times read YYYY-MM-DD HH:MM.",
                                    line=line)) from None
        values.append({"employee_id": employees[row[0].strip()], "check_in": times[0],
                       "check_out": times[1] if len(times) > 1 else None})
    if values:
        env["hr.attendance"].create(values)
    return len(values)


def _is_time(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text.strip())
        return True
    except ValueError:
        return False


def _utc(text: str, zone: Any) -> dt.datetime:
    local = dt.datetime.fromisoformat(text).replace(tzinfo=zone)
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def monthly_summary(env: Any, year: int, month: int, today: dt.date | None = None,
                    domain: list[Any] | None = None) -> list[dict[str, Any]]:
    """Per employee the user may read (``domain`` narrows): days present, late, early leave
    and absent (working days up to today not present and not on approved leave)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, cal.monthrange(year, month)[1])
    today = today or dt.date.today()
    employees = env["hr.employee"].search_read(domain or [], ["name", "registration_number",
                                                              "department_id"])
    ids = [e["id"] for e in employees]
    calendar_id = company_calendar(env)
    hours = env.sudo()["resource.calendar"].read([calendar_id], ["hour_from", "hour_to"])[0] \
        if calendar_id else {"hour_from": 9, "hour_to": 18}
    start = int(hours["hour_from"] * 60) + GRACE_MINUTES
    end = int(hours["hour_to"] * 60)
    attendance = env.registry["hr.attendance"]
    per_day = (select(attendance.employee_id.label("employee_id"),
                      func.min(attendance.check_in_minute).label("first_in"),
                      func.max(attendance.check_out_minute).label("last_out"))
               .where(attendance.employee_id.in_(ids), attendance.day >= first,
                      attendance.day <= last)
               .group_by(attendance.employee_id, attendance.day).subquery())
    rows = env.session.execute(select(
        per_day.c.employee_id, func.count(),
        func.sum(case((per_day.c.first_in > start, 1), else_=0)),
        func.sum(case((per_day.c.last_out < end, 1), else_=0)))
        .group_by(per_day.c.employee_id))
    counts = {r[0]: (r[1], r[2] or 0, r[3] or 0) for r in rows}
    workdays = set(working_days(env, calendar_id, first, min(last, today))) \
        if first <= today else set()
    present_days = _present_days(env, ids, first, last)
    on_leave = _leave_days(env, ids, first, last, workdays)
    result = []
    for employee in employees:
        present, late, early = counts.get(employee["id"], (0, 0, 0))
        absent = len(workdays - present_days.get(employee["id"], set())
                     - on_leave.get(employee["id"], set()))
        result.append({**employee, "present": present, "late": late, "early": early,
                       "absent": absent,
                       "leave": len(on_leave.get(employee["id"], set()))})
    return result


def _present_days(env: Any, ids: list[int], first: dt.date, last: dt.date
                  ) -> dict[int, set[dt.date]]:
    attendance = env.registry["hr.attendance"]
    days: dict[int, set[dt.date]] = {}
    for employee_id, day in env.session.execute(
            select(attendance.employee_id, attendance.day).distinct().where(
                attendance.employee_id.in_(ids), attendance.day >= first,
                attendance.day <= last)):
        days.setdefault(employee_id, set()).add(day)
    return days


def _leave_days(env: Any, ids: list[int], first: dt.date, last: dt.date,
                workdays: set[dt.date]) -> dict[int, set[dt.date]]:
    leave = env.registry["hr.leave"]
    days: dict[int, set[dt.date]] = {}
    for employee_id, start, end in env.session.execute(
            select(leave.employee_id, leave.request_date_from, leave.request_date_to).where(
                leave.employee_id.in_(ids), leave.state == "validate",
                leave.request_date_from <= last, leave.request_date_to >= first)):
        day = max(start, first)
        while day <= min(end, last):
            if day in workdays:
                days.setdefault(employee_id, set()).add(day)
            day += dt.timedelta(days=1)
    return days
