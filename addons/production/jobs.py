"""The scheduled material requirements planning run."""

from __future__ import annotations

from core.i18n import _l
from core.jobs import CronJob

from .mrp import scheduled_run

# 05:00 China time, before the planners start (the scheduler's expressions are in UTC)
JOBS = [CronJob("production.job_mrp", _l("Material requirements planning"), scheduled_run,
                cron="0 21 * * *")]
