"""What one running app holds: its engine, the addons it can see, and the current registry.

The registry follows the database: each request reads the registry signature (one primary-key
read, or none within ``REGISTRY_CHECK_SECONDS`` of the last read) and rebuilds the registry when
another process installed or removed addons. No state that other workers need lives here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from . import db
from .addons import AddonInfo, discover_addons
from .caching import read_signatures
from .env import Environment
from .errors import AddonError
from .i18n import _
from .lifecycle import AddonManager, build_registry
from .registry import Registry

__all__ = ["Runtime"]


class Runtime:
    """Engine, available addons and the registry of one app (or one CLI command)."""

    def __init__(self, engine: Engine, addons_path: Any = None,
                 check_seconds: float = 0.0) -> None:
        self.engine = engine
        self.available: dict[str, AddonInfo] = discover_addons(addons_path)
        self.manager = AddonManager(engine, self.available)
        self.check_seconds = check_seconds
        self._lock = threading.Lock()
        self._registry: Registry | None = None
        self._signature: int | None = None
        self._checked_at = 0.0
        self.rebuilds = 0

    def rediscover(self, addons_path: Any = None) -> None:
        """Look for addons again (a package was pip-installed while running)."""
        self.available = discover_addons(addons_path)
        self.manager.available = dict(self.available)

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
                    self._registry = build_registry(self.available, installed)
                    self._signature = signature
                    self.rebuilds += 1
        return self._registry

    @contextmanager
    def env(self, uid: int | None = None, context: dict[str, Any] | None = None,
            su: bool | None = None) -> Iterator[Environment]:
        """An environment in its own session, committed on success, rolled back on error."""
        session = Session(self.engine, expire_on_commit=False)
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
