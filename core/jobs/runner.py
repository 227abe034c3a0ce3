"""What a worker does: run a ``queue.job`` or an ``ir.cron``, each in its own transaction as
its user, and record the outcome (state, duration, error) in a transaction of its own; and the
minute tick that claims due ``ir.cron`` records (an UPDATE on the old ``nextcall``, so with
several workers each due run is claimed once)."""

from __future__ import annotations

import importlib
import json
import logging
import time
import traceback
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select, update

from ..env import SUPERUSER_ID
from ..errors import KangyiError
from ..i18n import _
from ..models import utcnow
from .context import user_request
from .declare import jobs_of, next_call
from .results import ResultFile, result_file

if TYPE_CHECKING:
    from .queue import JobQueue

__all__ = ["run_job", "run_cron", "tick", "resolve"]

log = logging.getLogger("kangyi.jobs")


def resolve(path: str) -> Callable[..., Any]:
    """The function named ``"module:qualname"``."""
    module, _sep, name = path.partition(":")
    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, KangyiError):
        return exc.message
    lines = traceback.format_exception(exc)
    return "".join(lines)[-4000:]


def _update(queue: JobQueue, model: str, record_id: int, **values: Any) -> None:
    """Write ``values`` on a job record in a transaction of its own (no audit trail)."""
    with queue.runtime.env() as env:
        table = env.registry[model].__table__
        env.session.execute(update(table).where(table.c.id == record_id).values(**values))


def _user_context(env: Any, uid: int) -> dict[str, Any]:
    users = env.registry["res.users"]
    lang = env.session.scalar(select(users.lang).where(users.id == uid))
    return {"lang": lang or "en"}


def _app(queue: JobQueue) -> Any:
    """The Flask app jobs render with: the worker's, else the one whose request submitted the
    job (immediate mode); None for a bare runtime (a CLI command, a unit test)."""
    if queue.app is not None:
        return queue.app
    from flask import current_app, has_app_context

    if has_app_context() and current_app.extensions.get("kangyi") is queue.runtime:
        return current_app._get_current_object()  # type: ignore[attr-defined]
    return None


def _execute(queue: JobQueue, uid: int, call: Callable[[Any], Any],
             context: dict[str, Any], read_only: bool = False) -> tuple[Any, float]:
    """Run ``call(env)`` as ``uid`` (in a Flask request of that user when there is an app);
    a :class:`ResultFile` it returns is kept in a transaction of its own, after its own."""
    start = time.monotonic()
    with queue.runtime.env() as env:
        context = {**_user_context(env, uid), **context}
    app = _app(queue)
    with queue.runtime.env(uid=uid, context=context, read_only=read_only) as env:
        if app is None:
            result = call(env)
        else:
            with user_request(app, env):
                result = call(env)
    if isinstance(result, ResultFile):
        with queue.runtime.env(uid=uid, context=context) as env:
            result = result_file(env, result.filename, result.data, result.mimetype)
    return result, time.monotonic() - start


def _seconds(value: float) -> Decimal:
    return Decimal(str(round(value, 3)))


def run_job(queue: JobQueue, job_id: int, task: Any = None) -> None:
    """Run the ``queue.job`` ``job_id`` (skipped if its transaction never committed)."""
    with queue.runtime.env() as env:
        job = env.session.get(env.registry["queue.job"], job_id)
        if job is None or job.state == "done":
            return
        job.state, job.date_started = "started", utcnow()
        job.attempts = (job.attempts or 0) + 1
        path, uid, arguments = job.function, job.user_id or SUPERUSER_ID, job.arguments
    start = time.monotonic()
    try:
        function = resolve(path)
        payload = json.loads(arguments or "{}")
        result, elapsed = _execute(queue, uid, lambda env: function(
            env, *payload.get("args", []), **payload.get("kwargs", {})), {"job_id": job_id},
            read_only=getattr(function, "reads_only", False))
    except Exception as exc:
        final = task is None or not task.retries
        _update(queue, "queue.job", job_id, state="failed" if final else "retrying",
                error=_error_text(exc), duration=_seconds(time.monotonic() - start),
                date_done=utcnow() if final else None)
        if not final:
            raise  # Huey queues it again after its back-off delay
        log.warning("Job %s (%s) failed: %s", job_id, path, exc)
        return
    values: dict[str, Any] = {"state": "done", "error": None, "date_done": utcnow(),
                              "duration": _seconds(elapsed)}
    if isinstance(result, dict):  # a long action's result link
        values.update(result_url=result.get("url"), result_name=result.get("name"))
    _update(queue, "queue.job", job_id, **values)


def run_cron(queue: JobQueue, cron_id: int, task: Any = None) -> None:
    """Run the ``ir.cron`` ``cron_id`` once, as its user."""
    with queue.runtime.env() as env:
        cron = env.session.get(env.registry["ir.cron"], cron_id)
        if cron is None:
            return
        code, job = cron.code, jobs_of(env.registry).get(cron.code)
        uid = cron.user_id or SUPERUSER_ID
        cron.state = "running"
    start, now = time.monotonic(), utcnow()
    try:
        if job is None:
            raise KangyiError(_("No installed addon declares the job %(job)s.", job=code))
        _result, elapsed = _execute(queue, uid, job.function, {"cron_id": cron_id})
    except Exception as exc:
        final = task is None or not task.retries
        _update(queue, "ir.cron", cron_id, state="failed" if final else "retrying",
                last_error=_error_text(exc), lastcall=now,
                duration=_seconds(time.monotonic() - start))
        if not final:
            raise
        log.warning("Scheduled job %s failed: %s", cron_id, exc)
        return
    _update(queue, "ir.cron", cron_id, state="done", last_error=None, lastcall=now,
            duration=_seconds(elapsed))


def tick(queue: JobQueue) -> list[int]:
    """Claim the active ``ir.cron`` records that are due, move their ``nextcall`` on and queue
    one run of each; returns the ids claimed by this call."""
    now = utcnow()
    claimed: list[int] = []
    try:
        with queue.runtime.env() as env:
            table = env.registry["ir.cron"].__table__
            c = table.c
            due = env.session.execute(
                select(c.id, c.nextcall, c.interval_number, c.interval_type, c.cron_expression)
                .where(c.active.is_(True), or_(c.nextcall.is_(None), c.nextcall <= now))
                .order_by(c.nextcall)).all()
            for row in due:
                following = next_call(row.nextcall, now, row.interval_number or 1,
                                      row.interval_type or "days", row.cron_expression)
                same = c.nextcall.is_(None) if row.nextcall is None else c.nextcall == row.nextcall
                result = env.session.execute(update(table).where(c.id == row.id, same)
                                             .values(nextcall=following, state="queued"))
                if result.rowcount == 1:
                    claimed.append(row.id)
                    queue.submit_cron(env, row.id)
    except KangyiError as exc:  # e.g. the database is not initialised yet
        log.warning("Scheduler tick skipped: %s", exc.message)
    return claimed
