"""Periodic jobs as addons declare them (``register_jobs``), and their schedules."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from croniter import croniter

from ..errors import AddonError, ValidationError
from ..i18n import _

if TYPE_CHECKING:
    from ..registry import Registry

__all__ = ["CronJob", "jobs_of", "next_call", "check_cron_expression", "INTERVAL_TYPES"]

INTERVAL_TYPES = ("minutes", "hours", "days", "weeks", "months")


@dataclasses.dataclass(frozen=True)
class CronJob:
    """A periodic job of an addon.

    :param id: external id of its ``ir.cron`` record, ``addon.name``
    :param name: what administrators see (an ``_l`` string)
    :param function: ``function(env)``, called in its own transaction as ``user``
    :param interval: ``(number, unit)``, unit one of minutes, hours, days, weeks, months
    :param cron: a cron expression (``"0 8 * * 1-5"``), used instead of ``interval``
    :param user: external id of the user it runs as (their record rules apply)
    :param active: whether it runs once installed (administrators can pause it)
    """

    id: str
    name: Any
    function: Callable[..., Any]
    interval: tuple[int, str] = (1, "days")
    cron: str | None = None
    user: str = "base.user_admin"
    active: bool = True

    def __post_init__(self) -> None:
        if self.interval[1] not in INTERVAL_TYPES or int(self.interval[0]) < 1:
            raise AddonError(_("The job %(job)s has an invalid interval %(interval)s.",
                               job=self.id, interval=self.interval))
        if self.cron:
            check_cron_expression(self.cron)


def jobs_of(registry: Registry) -> dict[str, CronJob]:
    """The periodic jobs of the installed addons by id; a duplicate id names both addons."""

    def collect() -> dict[str, CronJob]:
        jobs: dict[str, CronJob] = {}
        owner: dict[str, str] = {}
        for addon, declared in registry.call("register_jobs"):
            for job in declared:
                if job.id in jobs:
                    raise AddonError(_("The job %(job)s is declared by both %(a)s and %(b)s.",
                                       job=job.id, a=owner[job.id], b=addon))
                jobs[job.id], owner[job.id] = job, addon
        return jobs

    return registry.derived("kangyi.jobs", collect)


def check_cron_expression(expression: str) -> str:
    """``expression`` if it is a valid five-field cron expression, else a ValidationError."""
    if len(expression.split()) != 5 or not croniter.is_valid(expression):
        raise ValidationError(_("%(expr)s is not a cron expression (five fields: minute hour "
                                "day month weekday).", expr=expression), field="cron_expression")
    return expression


def _add(when: dt.datetime, number: int, unit: str) -> dt.datetime:
    if unit == "months":
        month = when.month - 1 + number
        year, month = when.year + month // 12, month % 12 + 1
        days_in = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        return when.replace(year=year, month=month, day=min(when.day, days_in))
    return when + dt.timedelta(**{unit: number})


def next_call(previous: dt.datetime | None, now: dt.datetime, number: int, unit: str,
              expression: str | None) -> dt.datetime:
    """The first run after ``now``: on the cron expression, else ``previous`` plus whole
    intervals (missed runs are skipped, the rhythm kept)."""
    if expression:
        return croniter(expression, now).get_next(dt.datetime)
    when = previous or now
    step = max(int(number or 1), 1)
    while when <= now:
        when = _add(when, step, unit or "days")
    return when
