"""Bounded caches that live and die with a registry, and change counters that tell every
process when what it cached from some tables is stale.

What a page needs that depends only on the registry (installed addons), the user's groups and the
language — generated form classes, for instance — is kept in a :class:`RegistryCache`: one
least-recently-used mapping per registry, so an addon install (a new registry) starts empty and
the old registry's entries go with it, and a size bound keeps a worker's memory flat whatever
the number of users, groups and languages it serves. Keys must name everything the value
depends on (never a user id alone when the value depends on groups, never omit the language).

What depends on rows another process may change (groups, access rights, rules) adds a
:class:`ChangeCounter`'s value to its key: read with the registry signature, in the same query.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from importlib import import_module
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Delete, Engine, TextClause, event, insert, select, update
from sqlalchemy.sql.dml import UpdateBase

from . import db

__all__ = ["RegistryCache", "ChangeCounter", "read_signatures", "shared"]

V = TypeVar("V")


class RegistryCache(Generic[V]):
    """Per-registry LRU caches of at most ``maxsize`` entries each."""

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self._lock = threading.Lock()

    def get(self, registry: Any, key: Hashable, make: Callable[[], V],
            keep: Callable[[], bool] | None = None) -> V:
        """The value for ``key`` in ``registry``'s cache, made by ``make()`` when missing (and
        kept only if ``keep()``, asked after making, says the key still holds)."""
        with self._lock:
            cache = registry.derived(self, OrderedDict)
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
        value = make()  # outside the lock: making may be slow; a race makes it twice, harmless
        if keep is not None and not keep():
            return value
        with self._lock:
            cache[key] = value
            while len(cache) > self.maxsize:
                cache.popitem(last=False)
        return value

    def size(self, registry: Any) -> int:
        return len(registry.derived(self, OrderedDict))


class ChangeCounter:
    """A counter that every transaction writing one of ``tables`` bumps, so every process (each
    gunicorn worker) sees with one primary-key read that what it cached from them is stale.

    The counter is row ``row`` of ``ir_registry`` (row 1 is the registry signature), bumped
    inside the writing transaction, so it commits or rolls back with the change. Writes are seen
    by an engine event on every SQLAlchemy statement (ORM flushes, Core, ``text()``), in every
    process that imports the module declaring the counter; a change made outside Kangyi (psql)
    needs a bump by hand: ``UPDATE ir_registry SET signature = signature + 1 WHERE id = <row>``.
    ``deletes`` are tables watched for deletions only (a deleted user's id may be reused).
    """

    def __init__(self, row: int, tables: Iterable[str], deletes: Iterable[str] = ()) -> None:
        self.row = row
        self.tables = frozenset(tables)
        self.deletes = frozenset(deletes)
        self._key = f"kangyi_counter_{row}"
        self._bumped = f"kangyi_counter_{row}_bumped"
        event.listen(Engine, "before_execute", self._before_execute)
        _COUNTERS[row] = self

    def value(self, conn: Connection) -> int | None:
        """The counter as ``conn``'s transaction sees it (read once per transaction); None once
        this transaction has written the tables: what it derives from them is its own."""
        memo = conn.info.get(self._key)
        if memo is None or memo[0] is not conn.get_transaction():
            value = conn.scalar(select(db.registry_table.c.signature)
                                .where(db.registry_table.c.id == self.row)) or 0
            memo = conn.info[self._key] = (conn.get_transaction(), value)  # begun by the read
        return memo[1]

    def remember(self, conn: Connection, value: int) -> None:
        """``value`` was read in ``conn``'s transaction (with the registry signature)."""
        memo = conn.info.get(self._key)
        transaction = conn.get_transaction()
        if memo is None or memo[0] is not transaction:  # never over a None of this transaction
            conn.info[self._key] = (transaction, value)

    def _writes(self, clause: Any) -> bool:
        if isinstance(clause, UpdateBase):
            name = getattr(getattr(clause, "table", None), "name", None)
            return name in self.tables or (isinstance(clause, Delete) and name in self.deletes)
        if isinstance(clause, TextClause):
            words = clause.text.lower().split()
            return bool(words) and words[0] in ("insert", "update", "delete") and any(
                name in self.tables or (words[0] == "delete" and name in self.deletes)
                for name in (w.strip('"();,') for w in words[1:4]))
        return False

    def _before_execute(self, conn: Connection, clause: Any, *_args: Any) -> None:
        if not self._writes(clause):
            return
        innermost = conn.get_nested_transaction() or conn.get_transaction()
        if innermost is None or conn.info.get(self._bumped) is not innermost:
            _bump(conn, self.row)  # once per (sub)transaction: a rolled-back savepoint's goes
            conn.info[self._bumped] = conn.get_nested_transaction() or conn.get_transaction()
        conn.info[self._key] = (conn.get_transaction(), None)


#: the change counters declared in this process, by ``ir_registry`` row
_COUNTERS: dict[int, ChangeCounter] = {}


def _bump(conn: Connection, row: int) -> None:
    table = db.registry_table
    dialect = conn.dialect.name
    if dialect in ("sqlite", "postgresql"):
        module = import_module(f"sqlalchemy.dialects.{dialect}")
        stmt = module.insert(table).values(id=row, signature=1)
        conn.execute(stmt.on_conflict_do_update(
            index_elements=[table.c.id], set_={"signature": table.c.signature + 1}))
        return
    done = conn.execute(update(table).where(table.c.id == row)
                        .values(signature=table.c.signature + 1))
    if not done.rowcount:
        conn.execute(insert(table).values(id=row, signature=1))


def read_signatures(conn: Connection) -> int:
    """The registry signature and, in the same query, every change counter (remembered for the
    transaction): one primary-key read per request for both."""
    table = db.registry_table
    rows = dict(conn.execute(select(table.c.id, table.c.signature)
                             .where(table.c.id.in_([1, *_COUNTERS]))).all())
    for row, counter in _COUNTERS.items():
        counter.remember(conn, rows.get(row, 0))
    return rows[1]


def shared(env: Any, counter: ChangeCounter, cache: RegistryCache[V], key: tuple[Any, ...],
           make: Callable[[], V]) -> V:
    """``make()``, or what it made for another request of ``env``'s registry under the same value
    of ``counter`` (not in a transaction that wrote the counter's tables: that is its own)."""
    session = env.session
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()  # as the query would: pending changes bump the counter
    conn = session.connection()
    value = counter.value(conn)
    if value is None:
        return make()
    return cache.get(env.registry, (*key, value), make, keep=lambda: counter.value(conn) == value)
