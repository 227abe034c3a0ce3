"""Counting working days on a calendar: Monday to Friday, less public holidays, plus the
adjusted working days (调休上班) that fall on weekends. One query per count."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select


def day_kinds(env: Any, calendar_id: int, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """``{date: 'holiday' | 'workday'}`` for the calendar's special days between the dates."""
    leaves = env.registry["resource.calendar.leaves"]
    rows = env.session.execute(select(leaves.kind, leaves.date_from, leaves.date_to).where(
        leaves.calendar_id == calendar_id, leaves.date_from <= end, leaves.date_to >= start))
    kinds: dict[dt.date, str] = {}
    for kind, first, last in rows:
        day = max(first, start)
        while day <= min(last, end):
            kinds[day] = kind
            day += dt.timedelta(days=1)
    return kinds


def working_days(env: Any, calendar_id: int | None, start: dt.date, end: dt.date) -> list[dt.date]:
    """The working days from ``start`` to ``end`` (both included)."""
    kinds = day_kinds(env, calendar_id, start, end) if calendar_id else {}
    days, day = [], start
    while day <= end:
        kind = kinds.get(day)
        if kind == "workday" or (kind is None and day.weekday() < 5):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def company_calendar(env: Any) -> int | None:
    """The working calendar the company uses (the first one)."""
    calendar = env.registry["resource.calendar"]
    return env.session.scalar(select(calendar.id).order_by(calendar.id).limit(1))
