"""Bounded caches that live and die with a registry.

What a page needs that depends only on the registry (installed addons), the user's groups and the
language — generated form classes, for instance — is kept in a :class:`RegistryCache`: one
least-recently-used mapping per registry, so an addon install (a new registry) starts empty and
the old registry's entries go with it, and a size bound keeps a worker's memory flat whatever
the number of users, groups and languages it serves. Keys must name everything the value
depends on (never a user id alone when the value depends on groups, never omit the language).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

__all__ = ["RegistryCache"]

V = TypeVar("V")


class RegistryCache(Generic[V]):
    """Per-registry LRU caches of at most ``maxsize`` entries each."""

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self._lock = threading.Lock()

    def get(self, registry: Any, key: Hashable, make: Callable[[], V]) -> V:
        """The value for ``key`` in ``registry``'s cache, made by ``make()`` when missing."""
        with self._lock:
            cache = registry.derived(self, OrderedDict)
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
        value = make()  # outside the lock: making may be slow; a race makes it twice, harmless
        with self._lock:
            cache[key] = value
            while len(cache) > self.maxsize:
                cache.popitem(last=False)
        return value

    def size(self, registry: Any) -> int:
        return len(registry.derived(self, OrderedDict))
