"""The hand-written SQLAlchemy Core baseline of a write benchmark, derived from what Kangyi wrote.

Around each stage of a flow, :class:`Snapshot` records the business rows (every model table but
the chatter and attachment tables, which only the framework writes): the rows a stage inserted
and the columns it changed on existing rows. :class:`Replay` then writes the same rows with plain
Core statements, one transaction per business document as the service did: an ``INSERT`` per
table (``executemany`` for the lines of one document), an ``UPDATE`` per changed row. Tables are
written in foreign-key order (a row that points at another row of its own table after it), so
foreign keys and updates follow the copies the replay made; unique text columns, and the document
numbers named in ``numbers``, get a suffix. So the baseline does only the necessary inserts and
updates, whatever the addons' business logic is.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

from sqlalchemy import Connection, Engine, Table, UniqueConstraint, func, insert, select, update
from sqlalchemy.schema import sort_tables

from core.registry import Registry

__all__ = ["business_tables", "Snapshot", "StageDiff", "Replay"]

#: tables only the framework writes (chatter, tracking, attachments): not part of the baseline
FRAMEWORK_PREFIXES = ("mail_", "ir_attachment")
#: suffixes that keep copied unique codes unique, across every replay of the process
_SERIAL = itertools.count(1)
#: tables small enough to snapshot whole (sequences, approval steps…)
SMALL = 2_000


def business_tables(registry: Registry) -> list[Table]:
    """The tables of every model except the framework's own bookkeeping."""
    tables = {m.__table__.name: m.__table__ for m in registry.models.values()}
    return [t for name, t in sorted(tables.items()) if not name.startswith(FRAMEWORK_PREFIXES)]


@dataclasses.dataclass
class StageDiff:
    """What one stage wrote: new rows and changed columns, by table, in id order."""

    inserted: dict[str, list[dict[str, Any]]]
    updated: dict[str, list[tuple[int, dict[str, Any]]]]

    def statements(self) -> int:
        return sum(len(v) for v in self.inserted.values()) + sum(
            len(v) for v in self.updated.values())


class Snapshot:
    """The business rows written since the snapshot began (plus every row of small tables)."""

    def __init__(self, engine: Engine, tables: list[Table]) -> None:
        self.engine = engine
        self.tables = tables
        with engine.connect() as conn:
            self.start = {t.name: conn.scalar(select(func.max(t.c.id))) or 0 for t in tables}
            self.small = {t.name for t in tables
                          if conn.scalar(select(func.count()).select_from(t)) <= SMALL}
        self.rows = self._read()

    def _read(self) -> dict[str, dict[int, dict[str, Any]]]:
        out: dict[str, dict[int, dict[str, Any]]] = {}
        with self.engine.connect() as conn:
            for t in self.tables:
                query = select(t) if t.name in self.small else select(t).where(
                    t.c.id > self.start[t.name])
                out[t.name] = {r.id: dict(r._mapping) for r in conn.execute(query)}
        return out

    def diff(self) -> StageDiff:
        """The rows inserted and the columns updated since the last call."""
        now = self._read()
        inserted, updated = {}, {}
        for name, rows in now.items():
            before = self.rows[name]
            new = [rows[i] for i in sorted(rows) if i not in before]
            changed = []
            for rid in sorted(set(rows) & set(before)):
                delta = {k: v for k, v in rows[rid].items() if before[rid].get(k) != v}
                if delta:
                    changed.append((rid, delta))
            if new:
                inserted[name] = new
            if changed:
                updated[name] = changed
        self.rows = now
        return StageDiff(inserted, updated)


class Replay:
    """Writes a stage's rows again with Core statements, ``documents`` transactions.

    :param numbers: per table, more text columns to suffix (document numbers that are unique
        by the business rules rather than by an index, e.g. ``{"account_move": ["name"]}``)
    """

    def __init__(self, engine: Engine, tables: list[Table],
                 numbers: dict[str, list[str]] | None = None) -> None:
        self.engine = engine
        self.tables = {t.name: t for t in tables}
        self.order = {t.name: i for i, t in enumerate(sort_tables(tables))}
        self.copies: dict[str, dict[int, int]] = {}  # table → service id → replay id
        self.unique_text = {name: sorted(unique_text(t) | set((numbers or {}).get(name, ())))
                            for name, t in self.tables.items()}
        self.keys = {name: composite_keys(t) for name, t in self.tables.items()}
        self.targets = {name: {c.name: fk.column.table.name for c in t.columns
                               for fk in c.foreign_keys} for name, t in self.tables.items()}

    def run(self, diff: StageDiff, documents: int) -> None:
        """Replay ``diff`` in ``documents`` transactions (one per document, as the service)."""
        chunks = max(documents, 1)
        for i in range(chunks):
            with self.engine.begin() as conn:
                for name in sorted(diff.inserted, key=self.order.__getitem__):
                    part = _chunk(diff.inserted[name], i, chunks)
                    for level in self._levels(name, part):
                        self._insert(conn, name, level)
                for name, changes in diff.updated.items():
                    for rid, values in _chunk(changes, i, chunks):
                        self._update(conn, name, rid, values)

    def _levels(self, name: str, rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
        """``rows`` in groups that point only at rows of earlier groups of their own table
        (companies before their contacts), so a copy's parent is known when it is written."""
        own = [c for c, target in self.targets[name].items() if target == name]
        ids = {r["id"] for r in rows}
        if not own or not any(r.get(c) in ids for r in rows for c in own):
            return [rows] if rows else []
        levels, written, pending = [], set(), rows
        while pending:
            level = [r for r in pending
                     if all(r.get(c) not in ids or r.get(c) in written for c in own)] or pending
            levels.append(level)
            written |= {r["id"] for r in level}
            pending = [r for r in pending if r["id"] not in written]
        return levels

    def _row(self, name: str, row: dict[str, Any]) -> dict[str, Any]:
        serial = next(_SERIAL)
        values = {k: v for k, v in row.items() if k != "id"}
        for column, target in self.targets[name].items():
            if values.get(column) is not None:
                values[column] = self.copies.get(target, {}).get(values[column], values[column])
        for column in self.unique_text[name]:
            if values.get(column) is not None:
                values[column] = f"{values[column]}~b{serial}"
        return values

    def _insert(self, conn: Connection, name: str, rows: list[dict[str, Any]]) -> None:
        table = self.tables[name]
        values = [self._row(name, r) for r in rows]
        if self.keys[name]:  # e.g. one quant per product and location: update, else insert
            self._upsert(conn, name, rows, values)
            return
        new_ids = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True),
                               values).scalars().all()
        mapping = self.copies.setdefault(name, {})
        for row, new_id in zip(rows, new_ids, strict=True):
            mapping[row["id"]] = new_id

    def _upsert(self, conn: Connection, name: str, rows: list[dict[str, Any]],
                values: list[dict[str, Any]]) -> None:
        table = self.tables[name]
        mapping = self.copies.setdefault(name, {})
        for row, vals in zip(rows, values, strict=True):
            key = self.keys[name]
            found = conn.scalar(select(table.c.id).where(*(table.c[k] == vals[k] for k in key)))
            if found is None:
                found = conn.execute(insert(table).returning(table.c.id), vals).scalar_one()
            else:
                conn.execute(update(table).where(table.c.id == found).values(vals))
            mapping[row["id"]] = found

    def _update(self, conn: Connection, name: str, rid: int, values: dict[str, Any]) -> None:
        table = self.tables[name]
        target = self.copies.get(name, {}).get(rid, rid)
        values = dict(values)
        for column, other in self.targets[name].items():
            if values.get(column) is not None:
                values[column] = self.copies.get(other, {}).get(values[column], values[column])
        for column in self.unique_text[name]:
            if values.get(column) is not None:
                values[column] = f"{values[column]}~b{next(_SERIAL)}"
        conn.execute(update(table).where(table.c.id == target).values(values))


def unique_text(table: Table) -> set[str]:
    """Text columns of any unique constraint or index: suffixed so that copies stay unique."""
    columns = [c for c in table.columns if c.unique]
    columns += [c for i in table.indexes if i.unique for c in i.columns]
    columns += [c for u in table.constraints if isinstance(u, UniqueConstraint) for c in u.columns]
    return {c.name for c in columns if is_text(c)}


def composite_keys(table: Table) -> list[str]:
    """The columns of the first unique constraint over several columns (none: [])."""
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and len(constraint.columns) > 1:
            return [c.name for c in constraint.columns]
    for index in table.indexes:
        if index.unique and len(index.columns) > 1:
            return [c.name for c in index.columns]
    return []


def _chunk(items: list[Any], index: int, chunks: int) -> list[Any]:
    size, extra = divmod(len(items), chunks)
    start = index * size + min(index, extra)
    return items[start:start + size + (1 if index < extra else 0)]


def is_text(column: Any) -> bool:
    try:
        return column.type.python_type is str
    except NotImplementedError:
        return False
