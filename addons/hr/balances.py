"""Leave balances: allocated days less requested (pending or approved) days, per employee and
leave type for a year, in two grouped queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select


def balances(env: Any, employee_ids: list[int], year: int) -> dict[tuple[int, int], dict]:
    """``{(employee, type): {"allocated", "taken", "left"}}`` (types with an allocation)."""
    allocation = env.registry["hr.leave.allocation"]
    leave = env.registry["hr.leave"]
    allocated = env.session.execute(
        select(allocation.employee_id, allocation.holiday_status_id,
               func.sum(allocation.number_of_days))
        .where(allocation.employee_id.in_(employee_ids), allocation.year == year)
        .group_by(allocation.employee_id, allocation.holiday_status_id)).all()
    taken = dict(((e, t), d) for e, t, d in env.session.execute(
        select(leave.employee_id, leave.holiday_status_id, func.sum(leave.number_of_days))
        .where(leave.employee_id.in_(employee_ids), leave.state.in_(("confirm", "validate")),
               leave.request_date_from >= dt.date(year, 1, 1),
               leave.request_date_from <= dt.date(year, 12, 31))
        .group_by(leave.employee_id, leave.holiday_status_id)))
    result = {}
    for employee_id, type_id, days in allocated:
        used = Decimal(str(taken.get((employee_id, type_id)) or 0))
        total = Decimal(str(days or 0))
        result[(employee_id, type_id)] = {"allocated": total, "taken": used,
                                          "left": total - used}
    return result


def remaining_days(env: Any, employee_id: int, type_id: int, year: int) -> Decimal:
    """Days of ``type_id`` still free for the employee in ``year`` (0 without allocation)."""
    row = balances(env, [employee_id], year).get((employee_id, type_id))
    return row["left"] if row else Decimal(0)
