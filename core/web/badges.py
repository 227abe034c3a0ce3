"""The counters of the top bar (approvals waiting, unread notifications), read in one statement.

Each counter registers a function of the environment returning a scalar SQL expression (a
``COUNT`` built through the model service, so access rights and record rules apply) or None
(nothing to count: 0). The first counter a page shows runs every registered one in a single
``SELECT``; the others come from that row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g
from flask_login import current_user
from sqlalchemy import select

from ..env import Environment

__all__ = ["register", "count", "preset"]

_SOURCES: dict[str, Callable[[Environment], Any]] = {}


def register(name: str, source: Callable[[Environment], Any]) -> None:
    """Count ``name`` with ``source(env)``: a scalar SQL expression, or None for 0."""
    _SOURCES[name] = source


def _counts() -> dict[str, int]:
    counts: dict[str, int] | None = g.get("kangyi_badges")
    if counts is None:
        counts = g.kangyi_badges = dict(g.get("kangyi_badges_known", {}))
        env = getattr(g, "env", None)
        if env is not None and env.uid is not None and current_user.is_authenticated:
            queries = {name: source(env) for name, source in _SOURCES.items()
                       if name not in counts}
            live = {name: query for name, query in queries.items() if query is not None}
            counts.update(dict.fromkeys(queries, 0))
            if live:
                row = env.session.execute(select(*(
                    query.label(name) for name, query in live.items()))).one()
                counts.update((name, int(value or 0))
                              for name, value in zip(live, row, strict=True))
    return counts


def count(name: str) -> int:
    """The counter ``name`` for the current user (0 when logged out)."""
    return _counts().get(name, 0)


def preset(name: str, value: int) -> None:
    """The page has just counted ``name`` itself: the top bar shows that, not a new count."""
    g.setdefault("kangyi_badges_known", {})[name] = value
    counts = g.get("kangyi_badges")
    if counts is not None:
        counts[name] = value
