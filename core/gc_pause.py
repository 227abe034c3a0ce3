"""Pause Python's cyclic garbage collector while a call builds many small objects.

A report of tens of thousands of groups allocates hundreds of thousands of dicts, lists and
tuples, none of them in a cycle; each allocation burst triggers collections, and the oldest
generation's walks the whole heap (the registry, SQLAlchemy's mappers), so the collector took
more time than the query and the grouping together (the year's order totals by month ×
customer on PostgreSQL: 2.0 s, 0.56 s with the collector paused). Reference counting still
frees everything at once; the collector resumes when the last paused call ends, in any thread.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

__all__ = ["gc_paused", "pausing_gc"]

F = TypeVar("F", bound=Callable[..., Any])

_lock = threading.Lock()
_paused = 0  # calls inside gc_paused() now, in every thread
_resume = False  # whether the collector was on when the first of them began


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection while the block runs (nested and concurrent blocks included)."""
    global _paused, _resume
    with _lock:
        if _paused == 0:
            _resume = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _resume:
                gc.enable()


def pausing_gc(function: F) -> F:
    """Decorator: run ``function`` inside :func:`gc_paused`."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with gc_paused():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
