"""One throttle for every login door: failed attempts per (login, address), shared by all workers.

Every credential check goes through :func:`core.users.check_credentials` (passwords: the login
form, ``/web/session/authenticate``, RPC ``authenticate`` and each RPC call's password) or
:func:`core.api.apikeys.key_owner` (API keys), and both ask :func:`guard` first and report to
:func:`record`. After ``LOGIN_ATTEMPTS`` failures within ``LOGIN_WINDOW_SECONDS`` the pair is
refused (:class:`TooManyAttempts`, HTTP 429), right password or not, until the window ends.

The counters live where every worker sees them: in Redis through the `limits` library when
``LOGIN_THROTTLE_STORAGE`` names one (``redis://127.0.0.1:6379/1``), else in the database table
``ir_login_attempt``, written in the request's transaction and committed at once (the attempt
counts even though the request then fails).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Float, Integer, String, Table, delete, select, update
from sqlalchemy.exc import IntegrityError

from .db import SYSTEM_METADATA
from .errors import AccessError
from .i18n import _

if TYPE_CHECKING:
    from .env import Environment

__all__ = ["TooManyAttempts", "guard", "record", "attempts_table"]

attempts_table = Table(
    "ir_login_attempt",
    SYSTEM_METADATA,
    Column("key", String(400), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("window_start", Float, nullable=False),
)


class TooManyAttempts(AccessError):
    """Too many failed logins lately for this login from this address (Odoo's AccessDenied
    for RPC clients: fault code 3)."""

    odoo_name = "odoo.exceptions.AccessDenied"
    http_status = 429


def _settings() -> tuple[int, float, str, str]:
    """``(attempts, window seconds, storage URI, address)`` from the current app, if any."""
    from flask import current_app, has_request_context, request

    from .config import DEFAULTS

    if not has_request_context():  # a command line or a test: the defaults, no address
        return DEFAULTS["LOGIN_ATTEMPTS"], DEFAULTS["LOGIN_WINDOW_SECONDS"], "", "local"
    config = current_app.config
    return (int(config["LOGIN_ATTEMPTS"]), float(config["LOGIN_WINDOW_SECONDS"]),
            config.get("LOGIN_THROTTLE_STORAGE") or "", request.remote_addr or "")


def _key(who: str, address: str) -> str:
    """The counter's key: what a text column takes (no NUL, bounded length)."""
    return f"{who.replace(chr(0), '')[:200]}\x1f{address[:100]}"


def guard(env: Environment, who: str) -> int:
    """Refuse (:class:`TooManyAttempts`) when ``who`` failed too often from this address;
    else the failures counted so far (pass them to :func:`record`)."""
    limit, window, uri, address = _settings()
    key = _key(who, address)
    if uri:
        limiter, item = _limiter(uri, limit, window)
        failures = 0 if limiter.test(item, key) else limit
    else:
        failures = _db_failures(env, key, window)
    if failures >= limit:
        raise TooManyAttempts(_("Too many failed attempts; wait a few minutes and try again."))
    return failures


def record(env: Environment, who: str, success: bool, failures: int = 1) -> None:
    """Count a failure of ``who`` from this address, or forget its ``failures`` (as
    :func:`guard` counted them) after a success."""
    limit, window, uri, address = _settings()
    key = _key(who, address)
    if uri:
        limiter, item = _limiter(uri, limit, window)
        if success:
            limiter.clear(item, key)
        else:
            limiter.hit(item, key)
        return
    if success:
        if failures:  # nothing to forget: no statement (every API call passes here)
            env.session.execute(delete(attempts_table).where(attempts_table.c.key == key))
        return
    _db_fail(env, key, window)


_LIMITERS: dict[tuple[str, int, float], Any] = {}


def _limiter(uri: str, limit: int, window: float) -> Any:
    """A `limits` fixed-window limiter on the storage at ``uri`` (one per process)."""
    cached = _LIMITERS.get((uri, limit, window))
    if cached is None:
        from limits import RateLimitItemPerSecond
        from limits.storage import storage_from_string
        from limits.strategies import FixedWindowRateLimiter

        limiter = FixedWindowRateLimiter(storage_from_string(uri))
        cached = _LIMITERS[(uri, limit, window)] = (
            limiter, RateLimitItemPerSecond(limit, max(1, int(window)), namespace="kangyi-login"))
    return cached


def _db_failures(env: Environment, key: str, window: float) -> int:
    """Failures of ``key`` in the current window (0 when it ended)."""
    _ensure_table(env)
    row = env.session.execute(select(attempts_table.c.failures, attempts_table.c.window_start)
                              .where(attempts_table.c.key == key)).first()
    if row is None or row.window_start < time.time() - window:
        return 0
    return int(row.failures)


def _db_fail(env: Environment, key: str, window: float) -> None:
    """One more failure, committed now (the request will be rolled back)."""
    session, now = env.session, time.time()
    table = attempts_table
    changed = session.execute(
        update(table).where(table.c.key == key, table.c.window_start >= now - window)
        .values(failures=table.c.failures + 1)).rowcount
    if not changed:
        session.execute(delete(table).where(table.c.key == key))
        try:
            with session.begin_nested():
                session.execute(table.insert().values(key=key, failures=1, window_start=now))
        except IntegrityError:  # another worker inserted it meanwhile
            session.execute(update(table).where(table.c.key == key)
                            .values(failures=table.c.failures + 1))
    session.commit()


def _ensure_table(env: Environment) -> None:
    """Databases initialised before the table existed get it on first use."""
    bind = env.session.get_bind()
    if getattr(bind, "_kangyi_attempts", False):
        return
    attempts_table.create(env.session.connection(), checkfirst=True)
    bind._kangyi_attempts = True  # type: ignore[attr-defined]
