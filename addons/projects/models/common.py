"""Helpers shared by the project documents: the acting user's employee, guards (numbers and
today come from :mod:`core.documents`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.documents import next_number, today
from core.errors import ValidationError
from core.i18n import _

__all__ = ["next_number", "today", "employee_of", "own_employee", "frozen", "check_editable",
           "approved_initiation", "project_of"]


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


def check_editable(record: Any, vals: dict[str, Any],
                   editable: dict[str, tuple[str | None, tuple[str, ...]]]) -> None:
    """Refuse changes outside what ``editable[state] = (group, fields)`` allows: the fields
    (``"*"``: every field) to the members of the group (None: to whoever may write)."""
    changed = {name for name, value in vals.items()
               if not hasattr(record, name) or getattr(record, name) != value} - {"state"}
    group, allowed = editable.get(record.state, (None, ()))
    if changed and group and not record.env.access.has_group(group):
        allowed = ()
    if changed and "*" not in allowed and changed - set(allowed):
        raise ValidationError(_("%(name)s cannot change these fields now: %(fields)s.",
                                name=record.display_name, fields=", ".join(
                                    str(record.__fields__[f].label) for f in sorted(
                                        changed - set(allowed)) if f in record.__fields__)))


def approved_initiation(env: Any, initiation_id: Any) -> Any:
    """The approved initiation request ``initiation_id`` (ORM object) or a clear refusal."""
    initiation = env.session.get(env.registry["project.initiation"], initiation_id) \
        if initiation_id else None
    if initiation is None or initiation.state != "approved":
        raise ValidationError(_("Choose an approved initiation request."),
                              field="initiation_id")
    return initiation


def project_of(env: Any, initiation_id: int) -> int | None:
    """The project created from an initiation request, if any."""
    project = env.registry["project.project"]
    return env.session.scalar(select(project.id).where(
        project.initiation_id == initiation_id).order_by(project.id).limit(1))
