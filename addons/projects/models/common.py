"""Helpers shared by the project documents: numbers, the acting user's employee, guards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from core.errors import ValidationError
from core.i18n import _


def today() -> dt.date:
    return dt.date.today()


def next_number(env: Any, code: str) -> str:
    """The next number of the sequence ``code`` (numbering is not the user's right)."""
    return env.sudo()["ir.sequence"].next_by_code(code)


def employee_of(env: Any, user_id: int | None) -> Any:
    """The active employee record of ``user_id`` (the ORM object), or None."""
    if not user_id:
        return None
    employee = env.registry["hr.employee"]
    return env.session.scalar(select(employee).where(
        employee.user_id == user_id, employee.active.is_(True),
        employee.state != "resigned").limit(1))


def own_employee(env: Any) -> int | None:
    """The acting user's employee id (default of timesheets and expense claims)."""
    employee = employee_of(env, env.uid)
    return employee.id if employee is not None else None


def frozen(record: Any, vals: dict[str, Any], editable_states: tuple[str, ...],
           allowed: tuple[str, ...] = ()) -> None:
    """Refuse changes to a document no longer in ``editable_states`` (except ``allowed``)."""
    changed = {name for name, value in vals.items()
               if not hasattr(record, name) or getattr(record, name) != value}
    if record.state not in editable_states and changed - {"state", *allowed}:
        raise ValidationError(_("%(name)s is no longer a draft and cannot change.",
                                name=record.display_name))
