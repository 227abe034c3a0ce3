"""Background and scheduled jobs on Huey (see ``docs/platform.md``).

* :class:`CronJob` declares a periodic job (``register_jobs`` hook); installing the addon stores
  it as an ``ir.cron`` record that administrators may pause, reschedule or run now.
* :func:`enqueue` runs a function later, in a worker, in its own transaction, as a user (record
  rules apply); the job is a ``queue.job`` record, retried with back-off, its failure recorded.
* :func:`progress` lets a long job report how far it is; the user follows it at
  ``/web/jobs/<id>`` and finds the result link there.

The queue is Huey: SQLite storage in the instance folder by default, Redis when
``KANGYI_QUEUE_URL=redis://…``, and ``immediate`` (run at commit, in-process) for tests.
``kangyi worker`` runs the consumer and the scheduler.
"""

from __future__ import annotations

from .declare import CronJob, jobs_of
from .queue import JobQueue, enqueue, init_app, progress, queue_of

__all__ = ["CronJob", "jobs_of", "JobQueue", "enqueue", "progress", "queue_of", "init_app"]
