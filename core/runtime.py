"""What one running app holds: its engine, the addons it can see, and the current registry.

The registry follows the database: each request reads the registry signature (one primary-key
read, or none within ``REGISTRY_CHECK_SECONDS`` of the last read) and rebuilds the registry when
another process installed or removed addons. When the database names an addon this process has
not seen (pip-installed after it started, then installed by the CLI or another worker), the addons
are discovered again first. No state that other workers need lives here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from . import db
from .addons import AddonInfo, discover_addons, refresh_import_paths
from .caching import read_signatures
from .env import Environment
from .errors import AddonError, AddonUnavailable
from .i18n import _
from .lifecycle import AddonManager, build_registry
from .registry import Registry

__all__ = ["Runtime"]


class Runtime:
    """Engine, available addons and the registry of one app (or one CLI command)."""

    def __init__(self, engine: Engine, addons_path: Any = None,
                 check_seconds: float = 0.0) -> None:
        self.engine = engine
        self.addons_path = addons_path
        self.available: dict[str, AddonInfo] = discover_addons(addons_path)
        #: called with the new ``available`` after each :meth:`rediscover` (the app's templates
        #: and translations follow them)
        self.on_rediscover: list[Callable[[dict[str, AddonInfo]], None]] = []
        self.manager = AddonManager(engine, self.available)
        self.check_seconds = check_seconds
        self._lock = threading.Lock()
        self._registry: Registry | None = None
        self._signature: int | None = None
        self._checked_at = 0.0
        self.rebuilds = 0
        self._open_envs = threading.local()  # how many of env() this thread has open
        from .jobs.queue import remember_runtime  # jobs find the runtime of their engine

        remember_runtime(self)

    def rediscover(self) -> dict[str, AddonInfo]:
        """Look for addons again (a package was pip-installed or an addon folder added while
        running); returns the addons now available."""
        refresh_import_paths()
        available = discover_addons(self.addons_path)
        self.available = available
        self.manager.available = dict(available)
        for listener in self.on_rediscover:
            listener(available)
        return available

    @property
    def registry(self) -> Registry | None:
        """The registry built last (None before the first request or command)."""
        return self._registry

    def registry_for(self, session: Session) -> Registry:
        """The registry matching the database's signature, rebuilt if it changed."""
        now = time.monotonic()
        if self._registry is not None and now - self._checked_at < self.check_seconds:
            return self._registry
        conn = session.connection()
        if not db.is_initialised_cached(conn, self):
            raise AddonError(_("The database is not initialised: run `kangyi init` first."))
        signature = read_signatures(conn)  # change counters (security) in the same read
        self._checked_at = now
        if signature != self._signature or self._registry is None:
            with self._lock:
                if signature != self._signature or self._registry is None:
                    installed = [n for n, s in db.addon_states(conn).items()
                                 if s["state"] == "installed"]
                    if not set(installed) <= set(self.available):
                        self._require_available(installed)
                    self._registry = build_registry(self.available, installed)
                    self._signature = signature
                    self.rebuilds += 1
        return self._registry

    def _require_available(self, installed: list[str]) -> None:
        """Discover again an addon the database has installed and this process has not seen."""
        missing = sorted(set(installed) - set(self.rediscover()))
        if missing:
            raise AddonUnavailable(_("The addons %(names)s are installed in the database but not "
                               "available on this server: install their packages here too.",
                               names=", ".join(missing)))

    @contextmanager
    def env(self, uid: int | None = None, context: dict[str, Any] | None = None,
            su: bool | None = None, read_only: bool = False) -> Iterator[Environment]:
        """An environment in its own session, committed on success, rolled back on error.

        On SQLite a ``read_only`` environment begins deferred, without the write lock, and so
        does one opened while this thread holds another one open: the outer one may hold the
        write lock the nested one would wait for.
        """
        depth = getattr(self._open_envs, "depth", 0)
        session = Session(self.engine, expire_on_commit=False)
        if depth or read_only:
            session.connection(execution_options={db.READ_ONLY: True})
        self._open_envs.depth = depth + 1
        try:
            registry = self.registry_for(session)
            from .env import SUPERUSER_ID

            env = Environment(registry, session, SUPERUSER_ID if uid is None else uid,
                              context, su)
            yield env
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
            self._open_envs.depth = depth

    def env_open_in_thread(self) -> bool:
        """Does this thread hold an :meth:`env` open (a test, a command calling the web)?"""
        return getattr(self._open_envs, "depth", 0) > 0
