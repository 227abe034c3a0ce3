"""A move's lines read once per transaction instead of at each step of a posting or write-off.

Posting an invoice, applying a payment and refreshing what is left to pay each read the lines of
the same vouchers again (``Move.lines()``). The lines read are kept on the session, per move,
until something could change which lines a move has: a flush that deletes journal items or
moves one to another move or kind, an SQL statement writing the journal items' table, or the end
(commit, rollback, savepoint) of a transaction. A move inserted meanwhile starts with no lines
and the lines a flush inserts join their move's list. While a change is pending and not yet
flushed the lines are read from the database as before, which flushes it first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session

__all__ = ["move_lines"]

#: ``session.info`` key: ``{move id: [lines in id order]}``
_LINES = "accounting.move_lines"
_TABLE = "account_move_line"
#: the line fields deciding which lines a move has, and of which kind
_MEMBERSHIP = ("move_id", "display_type")


def move_lines(env: Any, move_id: int) -> list[Any]:
    """The lines of move ``move_id`` (ORM records, in id order)."""
    session = env.session
    line_cls = env.registry["account.move.line"]
    cache = session.info.get(_LINES)
    if cache is not None and move_id in cache and not _pending_change(session, line_cls):
        return list(cache[move_id])
    lines = list(session.scalars(select(line_cls).where(line_cls.move_id == move_id)
                                 .order_by(line_cls.id)))
    if not _pending_change(session, line_cls):  # (a flush above may have emptied the cache)
        session.info.setdefault(_LINES, {})[move_id] = lines
    return list(lines)


def _pending_change(session: Session, line_cls: Any = None) -> bool:
    """Does the session hold an unflushed change to which lines a move has (journal items
    new, deleted, or given another move or kind)?"""
    for obj in (*session.new, *session.deleted):
        if _is_line(obj, line_cls):
            return True
    for obj in session.dirty:
        if _is_line(obj, line_cls):
            committed = inspect(obj).committed_state
            if any(name in committed for name in _MEMBERSHIP):
                return True
    return False


def _is_line(obj: Any, line_cls: Any) -> bool:
    if line_cls is not None:
        return isinstance(obj, line_cls)
    return getattr(obj, "__tablename__", None) == _TABLE


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_LINES, None)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    """New moves start with no lines and new lines join their move's list; anything else that
    changes which lines a move has drops the lists (the session's lists are still those
    before the flush, the new rows have their ids)."""
    cache = session.info.get(_LINES)
    if cache is None and not any(getattr(o, "__tablename__", None) == "account_move"
                                 for o in session.new):
        return
    cache = session.info.setdefault(_LINES, {})
    if session.deleted and any(_is_line(o, None) for o in session.deleted) or any(
            _is_line(o, None) and any(name in inspect(o).committed_state
                                      for name in _MEMBERSHIP) for o in session.dirty):
        _forget(session)
        return
    new_lines = [o for o in session.new if _is_line(o, None)]
    for obj in session.new:
        if getattr(obj, "__tablename__", None) == "account_move":
            cache[obj.id] = []
    for line in new_lines:
        known = cache.get(line.move_id)
        if known is not None:
            known.append(line)
    for move_id in {line.move_id for line in new_lines}:
        if move_id in cache:
            cache[move_id].sort(key=lambda line: line.id)


@event.listens_for(Session, "do_orm_execute")
def _after_sql(state: ORMExecuteState) -> None:
    if _LINES not in state.session.info or not (state.is_insert or state.is_update
                                                 or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", _TABLE) == _TABLE:
        _forget(state.session)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction(session: Session, transaction: Any) -> None:
    if transaction.nested or transaction.parent is None:  # not a flush's own subtransaction
        _forget(session)


event.listen(Session, "after_soft_rollback", _forget)
