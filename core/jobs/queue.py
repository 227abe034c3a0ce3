"""The Huey queue of one database: submitting work after commit, the tasks a worker runs.

One :class:`JobQueue` per engine (so per app and per CLI command). Work is handed to Huey only
once the submitting transaction commits (a rolled-back request queues nothing) — for work
submitted inside an installation, whose sessions run in the transaction of the addon manager's
connection, once that transaction commits (:func:`submit_pending`); the worker runs
three tasks: ``kangyi.job`` (a ``queue.job``), ``kangyi.cron`` (one run of an ``ir.cron``) and
the periodic ``kangyi.tick`` (every minute: claim the due ``ir.cron`` records and queue them).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from huey import Huey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

from .. import config as settings
from ..env import SUPERUSER_ID
from ..errors import KangyiError
from ..i18n import _

if TYPE_CHECKING:
    from flask import Flask

    from ..env import Environment
    from ..runtime import Runtime

__all__ = ["JobQueue", "queue_url", "queue_of", "enqueue", "progress", "init_app",
           "remember_runtime", "take_pending", "submit_pending"]

log = logging.getLogger("kangyi.jobs")

#: engine → the runtime built on it, and the queue attached to it
_RUNTIMES: weakref.WeakKeyDictionary[Engine, Runtime] = weakref.WeakKeyDictionary()
_QUEUES: weakref.WeakKeyDictionary[Engine, JobQueue] = weakref.WeakKeyDictionary()
#: session.info key of the work to hand to Huey once the session commits
_PENDING = "kangyi_jobs_pending"

RETRIES, RETRY_DELAY, RETRY_BACKOFF = 3, 30, 2.0


def queue_url(config: dict[str, Any] | None = None) -> str:
    """``QUEUE_URL`` / ``KANGYI_QUEUE_URL``: ``redis://…``, ``sqlite:///path``, ``immediate``;
    default ``queue.db`` (SQLite) in the instance folder."""
    url = (config or {}).get("QUEUE_URL") or os.environ.get("KANGYI_QUEUE_URL")
    return url or f"sqlite:///{settings.instance_path(config) / 'queue.db'}"


def _make_huey(url: str, database: str) -> Huey:
    # one queue name per database, so several databases may share a Redis server
    name = "kangyi-" + hashlib.sha1(database.encode()).hexdigest()[:10]
    if url == "immediate":
        return Huey(name, immediate=True, results=False)
    parsed = urlparse(url)
    if parsed.scheme in ("redis", "rediss", "unix"):
        return RedisHuey(name, url=url, results=False)
    if parsed.scheme == "sqlite":
        path = Path(url[len("sqlite:///"):])
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), results=False)
    raise KangyiError(_("Unknown queue URL %(url)s: use redis://…, sqlite:///… or immediate.",
                        url=url))


def remember_runtime(runtime: Runtime) -> None:
    """Let business code find the runtime of its session's engine (to run jobs with it)."""
    _RUNTIMES[runtime.engine] = runtime


class JobQueue:
    """Huey for one database: submits work after commit, and runs it in a worker."""

    def __init__(self, runtime: Runtime, url: str | None = None,
                 retries: int = RETRIES, retry_delay: float = RETRY_DELAY) -> None:
        from . import runner

        self.runtime = runtime
        #: the Flask app whose requests jobs render in (set by :func:`init_app`)
        self.app: Flask | None = None
        self.url = url or queue_url()
        database = runtime.engine.url.render_as_string(hide_password=True)
        self.huey = _make_huey(self.url, database)
        options = {"retries": retries, "retry_delay": retry_delay,
                   "retry_backoff": RETRY_BACKOFF, "context": True}
        self.job_task = self.huey.task(name="kangyi.job", **options)(
            lambda job_id, task=None: runner.run_job(self, job_id, task))
        self.cron_task = self.huey.task(name="kangyi.cron", **options)(
            lambda cron_id, task=None: runner.run_cron(self, cron_id, task))
        self.tick_task = self.huey.periodic_task(crontab(), name="kangyi.tick")(
            lambda: runner.tick(self))
        _QUEUES[runtime.engine] = self

    # -- submitting, once the transaction commits ------------------------------------------------

    def later(self, session: Session, task: Callable[..., Any], *args: Any) -> None:
        """Hand ``task(*args)`` to Huey when ``session`` commits (dropped on rollback); a
        session bound to a connection (an installation's) waits for that connection's
        transaction instead: its owner hands the work over (:func:`submit_pending`)."""
        bind = session.get_bind()
        if isinstance(bind, Connection):
            bind.info.setdefault(_PENDING, []).append((task, args))
            return
        if _PENDING not in session.info:
            session.info[_PENDING] = []
            event.listen(session, "after_commit", self._flush)
            event.listen(session, "after_soft_rollback", self._drop)
        session.info[_PENDING].append((task, args))

    def _flush(self, session: Session) -> None:
        if session.get_nested_transaction() is not None:
            return  # a savepoint was released: wait for the transaction itself
        pending, session.info[_PENDING] = session.info.get(_PENDING, []), []
        submit_pending(pending)

    def _drop(self, session: Session, previous: Any) -> None:
        if previous.parent is None:  # the transaction itself, not a savepoint
            session.info[_PENDING] = []

    def submit_cron(self, env: Environment, cron_id: int) -> None:
        """Queue one run of the ``ir.cron`` ``cron_id`` after ``env``'s transaction commits."""
        self.later(env.session, self.cron_task, cron_id)

    # -- progress, kept in the queue's storage (not in the job's open transaction) ---------------

    def set_progress(self, job_id: int, value: dict[str, Any]) -> None:
        self.huey.put(f"progress:{job_id}", value)

    def get_progress(self, job_id: int) -> dict[str, Any] | None:
        return self.huey.get(f"progress:{job_id}", peek=True)


def take_pending(conn: Connection) -> list[tuple[Callable[..., Any], tuple[Any, ...]]]:
    """The work submitted inside ``conn``'s transaction, taken off the connection (whose
    ``info`` outlives it in the pool): submit it once the transaction committed, drop it
    otherwise."""
    return conn.info.pop(_PENDING, [])


def submit_pending(pending: list[tuple[Callable[..., Any], tuple[Any, ...]]]) -> None:
    """Hand to Huey the work :func:`take_pending` took, once its transaction committed."""
    for task, args in pending:
        try:
            task(*args)
        except Exception:  # the queue is down: the work stays recorded as pending
            log.exception("Could not queue %s%r", task, args)


def queue_of(env: Environment) -> JobQueue:
    """The queue of ``env``'s database (made from the settings on first use)."""
    engine = env.session.get_bind()
    if isinstance(engine, Connection):  # inside an installation
        engine = engine.engine
    queue = _QUEUES.get(engine)  # type: ignore[arg-type]
    if queue is None:
        runtime = _RUNTIMES.get(engine)  # type: ignore[arg-type]
        if runtime is None:
            from ..runtime import Runtime

            runtime = Runtime(engine)  # type: ignore[arg-type]
        queue = JobQueue(runtime)
    return queue


def _function_path(function: Callable[..., Any] | str) -> str:
    if isinstance(function, str):
        return function
    if "<" in function.__qualname__:
        raise KangyiError(_("A job runs a module-level function, not %(name)s.",
                            name=function.__qualname__))
    return f"{function.__module__}:{function.__qualname__}"


def enqueue(env: Environment, function: Callable[..., Any] | str, *args: Any,
            name: str | None = None, user_id: int | None = None, **kwargs: Any) -> int:
    """Run ``function(env, *args, **kwargs)`` in a worker once this transaction commits.

    The function is a module-level function (or its ``"module:name"``); arguments must be JSON
    values. It runs in its own transaction as ``user_id`` (default: the acting user), so that
    user's access rights and record rules apply; a failure is retried with back-off, then
    recorded on the ``queue.job`` record whose id is returned.
    """
    path = _function_path(function)
    cls = env.registry["queue.job"]
    job = cls(name=str(name or path), function=path, state="pending", attempts=0,
              arguments=json.dumps({"args": list(args), "kwargs": kwargs}),
              user_id=user_id or env.uid or SUPERUSER_ID)
    env.session.add(job)
    env.session.flush()
    queue_of(env).later(env.session, queue_of(env).job_task, job.id)
    return job.id


def progress(env: Environment, done: int, total: int | None = None,
             message: str | None = None) -> None:
    """Report how far the running job is (``done`` of ``total``); a no-op outside a job."""
    job_id = env.context.get("job_id")
    if job_id:
        percent = min(100, int(done * 100 / total)) if total else None
        queue_of(env).set_progress(job_id, {"done": done, "total": total, "percent": percent,
                                            "message": message})


def init_app(app: Flask) -> JobQueue:
    """The app's queue, from its ``QUEUE_URL`` setting."""
    from .web import init_app as init_web

    init_web(app)
    runtime = app.extensions["kangyi"]
    queue = JobQueue(runtime, queue_url(app.config | {"INSTANCE_PATH": app.instance_path}))
    queue.app = app
    app.extensions["kangyi.queue"] = queue
    return queue
