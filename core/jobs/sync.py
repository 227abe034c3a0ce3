"""Storing the periodic jobs an addon declares as ``ir.cron`` records, by external id."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import AddonError
from ..models import utcnow
from ..translate import msgid
from .declare import next_call

if TYPE_CHECKING:
    from ..data import DataLoader

__all__ = ["sync_jobs"]


def sync_jobs(loader: DataLoader, jobs: list[Any]) -> None:
    """Create the ``ir.cron`` of each new job; an upgrade refreshes only its name, so the
    schedule, the user and the active flag keep what administrators set."""
    for job in jobs:
        try:
            loader.resolve(job.id)
        except AddonError:
            pass
        else:
            loader.record(job.id, "ir.cron", {"name": str(msgid(job.name))})
            continue
        try:
            user_id: Any = loader.resolve(job.user)
        except AddonError:  # e.g. base.user_admin before `kangyi init` creates it
            user_id = False
        number, unit = job.interval
        loader.record(job.id, "ir.cron", {
            "name": str(msgid(job.name)), "code": job.id, "active": job.active,
            "interval_number": number, "interval_type": unit,
            "cron_expression": job.cron or False, "user_id": user_id, "state": "idle",
            "nextcall": next_call(None, utcnow(), number, unit, job.cron)})
