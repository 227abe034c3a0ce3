"""The records pointing at a parent through a many2one (a move's lines, a transfer's moves),
read once per transaction instead of at each step of a posting or a transfer.

:func:`children` keeps the rows it read on the session, per (model, many2one) and parent,
until something could change which rows a parent has: a flush that deletes such a row or
changes its many2one (or one of the ``membership`` fields the caller groups them by), an SQL
statement writing their table, a savepoint rolled back or the end of the transaction. A
parent inserted meanwhile starts with none and the rows a flush inserts join their parent's
list. While such a change is pending and not yet flushed the rows are read from the database
as before (which flushes it first). Filter the list in Python (a state, a kind): the rows are
the session's own, with their pending values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

__all__ = ["children"]

#: ``session.info`` key: ``{(table, many2one): _Lists}``
_KEY = "kangyi.children"
#: ``(table, many2one)`` → ``(model, membership)`` of the lists ever asked for: a parent a flush
#: inserts starts an empty list even before any was read in its transaction
_WATCHED: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}


class _Lists:
    """The lists read for one (model, many2one): ``{parent id: [rows in id order]}``."""

    def __init__(self, cls: Any, inverse: str, membership: tuple[str, ...]) -> None:
        self.cls = cls
        self.inverse = inverse
        self.names = (inverse, *membership)
        parent = cls.__fields__[inverse].comodel
        self.parent_table = cls.__models__[parent].__tablename__
        self.rows: dict[int, list[Any]] = {}

    def pending_change(self, session: Session) -> bool:
        """Does the session hold an unflushed change to which rows a parent has?"""
        cls = self.cls
        if any(isinstance(obj, cls) for obj in (*session.new, *session.deleted)):
            return True
        return any(isinstance(obj, cls) and any(n in inspect(obj).committed_state
                                                 for n in self.names)
                   for obj in session.dirty)


def children(env: Any, model: str, inverse: str, parent_id: int,
             membership: tuple[str, ...] = ()) -> list[Any]:
    """The records of ``model`` whose many2one ``inverse`` is ``parent_id`` (ORM records, in id
    order), without access checks: for trusted code, as ``browse_unchecked``."""
    session = env.session
    cls = env.registry[model]
    key = (cls.__tablename__, inverse)
    _WATCHED[key] = (model, membership)
    lists = _lists(session, cls, key)
    if parent_id in lists.rows and not lists.pending_change(session):
        return list(lists.rows[parent_id])
    rows = list(session.scalars(select(cls).where(getattr(cls, inverse) == parent_id)
                                .order_by(cls.id)))
    if not lists.pending_change(session):  # (a flush above may have dropped the lists)
        _lists(session, cls, key).rows[parent_id] = rows
    return list(rows)


def _lists(session: Session, cls: Any, key: tuple[str, str]) -> _Lists:
    held = session.info.setdefault(_KEY, {})
    lists = held.get(key)
    if lists is None or lists.cls is not cls:
        lists = held[key] = _Lists(cls, key[1], _WATCHED[key][1])
    return lists


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_KEY, None)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    """New parents start with no rows and new rows join their parent's list; anything else that
    changes which rows a parent has drops the lists of that model."""
    if not _WATCHED or not (session.new or session.deleted or session.dirty):
        return
    env = session.info.get("env")
    held = session.info.get(_KEY) or {}
    for key, (model, _membership) in list(_WATCHED.items()):
        lists = held.get(key)
        if lists is None:
            if env is None or model not in env.registry:
                continue
            lists = _Lists(env.registry[model], key[1], _membership)
        cls, inverse = lists.cls, lists.inverse
        if any(isinstance(o, cls) for o in session.deleted) or any(
                isinstance(o, cls) and any(n in inspect(o).committed_state for n in lists.names)
                for o in session.dirty):
            held.pop(key, None)
            continue
        for obj in session.new:
            if getattr(obj, "__tablename__", None) == lists.parent_table:
                lists.rows[obj.id] = []
        joined = set()
        for obj in session.new:
            if isinstance(obj, cls):
                known = lists.rows.get(getattr(obj, inverse))
                if known is not None:
                    known.append(obj)
                    joined.add(getattr(obj, inverse))
        for parent_id in joined:
            lists.rows[parent_id].sort(key=lambda row: row.id)
        if lists.rows and key not in held:
            held = session.info.setdefault(_KEY, held)
            held[key] = lists


@event.listens_for(Session, "do_orm_execute")
def _after_sql(state: ORMExecuteState) -> None:
    held = state.session.info.get(_KEY)
    if not held or not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    if table is None:
        _forget(state.session)
        return
    for key in [k for k in held if k[0] == table]:
        del held[key]


@event.listens_for(Session, "after_transaction_end")
def _after_transaction(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the transaction ended (a savepoint released keeps them)
        _forget(session)


event.listen(Session, "after_soft_rollback", _forget)  # a savepoint rolled back too
