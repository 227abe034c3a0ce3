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
    by the writing transaction just before it commits, so it commits or rolls back with the
    change. A transaction bumps all the counters it owes there, in the order of their rows:
    bumped at each first write instead, two transactions writing the same two kinds of tables
    in opposite orders (a REST delete of a group: external ids, then security) each held one
    counter row and waited for the other's, a deadlock on PostgreSQL. Writes are seen
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
        _owed(conn).add(self.row)
        conn.info[self._key] = (conn.get_transaction(), None)


#: the change counters declared in this process, by ``ir_registry`` row
_COUNTERS: dict[int, ChangeCounter] = {}
#: ``connection.info`` key: the counters its transaction owes a bump (:class:`_Owed`)
_OWED = "kangyi_counters_owed"


class _Owed:
    """The counter rows a transaction wrote tables of, in write order, with the position in
    that list where each open savepoint began: a savepoint rolled back drops what it added."""

    __slots__ = ("transaction", "rows", "marks")

    def __init__(self, transaction: Any) -> None:
        self.transaction = transaction
        self.rows: list[int] = []
        self.marks: list[int] = []

    def add(self, row: int) -> None:
        if row not in self.rows[self.marks[-1] if self.marks else 0:]:
            self.rows.append(row)


def _owed(conn: Connection) -> _Owed:
    transaction = conn.get_transaction()
    owed = conn.info.get(_OWED)
    if owed is None or owed.transaction is not transaction:
        owed = conn.info[_OWED] = _Owed(transaction)
    return owed


@event.listens_for(Engine, "savepoint")
def _savepoint(conn: Connection, _name: Any) -> None:
    owed = _owed(conn)
    owed.marks.append(len(owed.rows))


@event.listens_for(Engine, "release_savepoint")
def _release_savepoint(conn: Connection, _name: Any, _context: Any) -> None:
    owed = _owed(conn)
    if owed.marks:
        owed.marks.pop()


@event.listens_for(Engine, "rollback_savepoint")
def _rollback_savepoint(conn: Connection, _name: Any, _context: Any) -> None:
    owed = _owed(conn)
    if owed.marks:
        del owed.rows[owed.marks.pop():]


@event.listens_for(Engine, "commit")
def _bump_owed(conn: Connection) -> None:
    """Bump the counters the committing transaction owes, in the order of their rows (one
    order for every transaction: none waits for a row another holds while holding one it
    wants)."""
    owed = conn.info.pop(_OWED, None)
    if owed is not None and owed.transaction is conn.get_transaction():
        for row in sorted(set(owed.rows)):
            _bump(conn, row)


@event.listens_for(Engine, "rollback")
def _forget_owed(conn: Connection) -> None:
    conn.info.pop(_OWED, None)


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
