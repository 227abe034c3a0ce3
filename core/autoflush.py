"""Autoflush inside the model service: only when a statement reads what is pending.

SQLAlchemy flushes every pending change before every query. Inside a service call (a
transition, a posting, an order with its lines) that is one flush per query, each sending the
UPDATEs made since the last one: a record changed three times between queries is written three
times. While the outermost service call runs (:class:`core.service._Savepoint`), the session's
autoflush is :data:`SELECTIVE` instead, and a statement flushes first only when

* it writes (INSERT, UPDATE, DELETE: the order of the writes is kept), or its tables cannot be
  known (``text()``), or records are pending deletion; or
* it reads a table that the pending changes write (the rows of new and changed records, the
  link tables and one2many targets of the relations they changed).

Any other statement reads rows that the flush would not change, so it gives what it gave with
the flush first. ``session.no_autoflush`` blocks still flush nothing, and the service flushes
everything at the end of each call and before each search or read (``core.recompute``), as does
a commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.sql import visitors
from sqlalchemy.sql.dml import UpdateBase

__all__ = ["SELECTIVE", "selective", "restore"]


class _Selective:
    """The value of ``session.autoflush`` meaning "flush when a statement needs it": false for
    SQLAlchemy's own autoflush, told apart from ``False`` (a ``no_autoflush`` block)."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "SELECTIVE"


SELECTIVE: Any = _Selective()
#: statement cache key → names of the tables it reads (None: unknown, flush)
_TABLES: dict[Any, frozenset[str] | None] = {}
_TABLES_MAX = 4096


def selective(session: Session) -> Any:
    """Turn ``session``'s autoflush selective; returns the value to :func:`restore`."""
    previous = session.autoflush
    if previous is True:
        session.autoflush = SELECTIVE
        if not event.contains(session, "do_orm_execute", _before_execute):
            event.listen(session, "do_orm_execute", _before_execute)
    return previous


def restore(session: Session, previous: Any) -> None:
    session.autoflush = previous


def _before_execute(state: ORMExecuteState) -> None:
    session = state.session
    if session.autoflush is not SELECTIVE or session._flushing:  # noqa: SLF001
        return
    if not (session.new or session.dirty or session.deleted):
        return
    if session.deleted or _writes(state):
        session.flush()
        return
    tables = _tables_of(state.statement)
    if tables is None or not tables.isdisjoint(_pending_tables(session)):
        session.flush()


def _writes(state: ORMExecuteState) -> bool:
    return bool(state.is_insert or state.is_update or state.is_delete
                or isinstance(state.statement, UpdateBase))


def _tables_of(statement: Any) -> frozenset[str] | None:
    """The names of the tables ``statement`` reads (subqueries included), None if unknown."""
    key = statement._generate_cache_key()  # noqa: SLF001  (memoized: compiling reuses it)
    if key is not None:
        key = key.key
        found = _TABLES.get(key, False)
        if found is not False:
            return found  # type: ignore[return-value]
    names: set[str] = set()
    unknown = []

    def table(element: Any) -> None:
        names.add(element.name)

    def column(element: Any) -> None:
        owner = getattr(element, "table", None)
        if owner is not None and getattr(owner, "name", None):
            names.add(owner.name)

    visitors.traverse(statement, {}, {"table": table, "column": column,
                                      "textclause": unknown.append,
                                      "textual_select": unknown.append})
    result = None if unknown or not names else frozenset(names)
    if key is not None:
        if len(_TABLES) >= _TABLES_MAX:
            _TABLES.clear()
        _TABLES[key] = result
    return result


def _pending_tables(session: Session) -> set[str]:
    """Tables the next flush writes: those of new and changed records, and the link tables and
    targets of the relations whose value changed (a line added to an order's lines)."""
    names: set[str] = set()
    for obj in (*session.new, *session.dirty):
        state = inspect(obj)
        mapper = state.mapper
        names.update(t.name for t in mapper.tables)
        relations = mapper.relationships
        changed = state.dict if state.key is None else state.committed_state
        for key in changed:
            prop = relations.get(key)
            if prop is None:
                continue
            names.update(t.name for t in prop.mapper.tables)
            if prop.secondary is not None:
                names.add(prop.secondary.name)
    return names
