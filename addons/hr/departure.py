"""Resignation (离职): the last working day, a hand-over checklist, and the user deactivated on
that day. :func:`deactivate_departed` is the daily job; it is idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.audit import post_message
from core.errors import UserError
from core.i18n import _, _l

#: the hand-over tasks every departure starts with (HR adds or removes lines)
CHECKLIST = (_l("Hand over work in progress and documents"),
             _l("Return equipment, keys and badge"),
             _l("Settle expenses and advances"),
             _l("Transfer customers and open documents to a colleague"))


def start_departure(env: Any, employee: Any, date: str | None, reason: str | None) -> None:
    """Record the last working day (given, or already on the employee), open the checklist and
    deactivate the user at once when that day is past."""
    su = env.sudo()
    values = su["hr.employee"].read([employee.id], ["departure_date", "state"])[0]
    if values["state"] == "resigned":
        raise UserError(_("%(name)s has already left.", name=employee.name))
    last_day = dt.date.fromisoformat(date) if date else values["departure_date"]
    if last_day is None:
        raise UserError(_("Set the last working day first."))
    vals: dict[str, Any] = {"departure_date": last_day}
    if reason:
        vals["departure_reason"] = reason
    su["hr.employee"].write([employee.id], vals)
    items = su["hr.departure.item"]
    if not items.search_count([("employee_id", "=", employee.id)]):
        items.create([{"employee_id": employee.id, "name": str(task), "sequence": n}
                      for n, task in enumerate(CHECKLIST, 1)])
    post_message(su, "hr.employee", employee.id,
                 _("Departure planned; last working day %(date)s.", date=last_day.isoformat()),
                 internal=True)
    if last_day < dt.date.today():
        deactivate_departed(env)


def deactivate_departed(env: Any, today: dt.date | None = None) -> list[int]:
    """Employees whose last working day is ``today`` or past (the job runs in the evening):
    status resigned, user archived (they can no longer log in), posts' groups taken back."""
    today = today or dt.date.today()
    su = env.sudo()
    due = su["hr.employee"].search([("departure_date", "<=", today.isoformat()),
                                    ("state", "!=", "resigned")])
    for employee in su["hr.employee"].read(due, ["user_id", "name"]):
        su["hr.employee"].write([employee["id"]], {"state": "resigned"})
        if employee["user_id"]:
            su["res.users"].write([employee["user_id"][0]], {"active": False})
        post_message(su, "hr.employee", employee["id"],
                     _("Left the company; the user is deactivated."), internal=True)
    return due
