"""Bringing the database schema in line with a registry (Alembic operations underneath)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    Table,
    delete,
    func,
    inspect,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy import column as sql_column
from sqlalchemy import table as sql_table

from .errors import AddonError
from .i18n import _

if TYPE_CHECKING:
    from alembic.operations import Operations

__all__ = ["SchemaChanges", "additions", "removals", "apply_additions", "apply_removals",
           "operations", "settle_foreign_keys"]


@dataclasses.dataclass
class SchemaChanges:
    """Tables and columns to create or drop; ``rows`` counts rows lost with dropped tables
    (by table name) and values lost with dropped columns (by ``table.column``)."""

    tables: list[str] = dataclasses.field(default_factory=list)
    columns: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    rows: dict[str, int] = dataclasses.field(default_factory=dict)


def operations(conn: Connection) -> Operations:
    """Alembic operations on ``conn`` (Alembic is imported here: serving pages never needs it,
    and importing it costs a worker's start a noticeable part of a second)."""
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    return Operations(MigrationContext.configure(conn))


def _existing(conn: Connection) -> dict[str, set[str]]:
    inspector = inspect(conn)
    return {t: {c["name"] for c in inspector.get_columns(t)} for t in inspector.get_table_names()}


def additions(conn: Connection, metadata: MetaData) -> SchemaChanges:
    """What ``metadata`` has that the database lacks."""
    existing = _existing(conn)
    changes = SchemaChanges()
    for table in metadata.sorted_tables:
        if table.name not in existing:
            changes.tables.append(table.name)
            continue
        changes.columns += [(table.name, c.name) for c in table.columns
                            if c.name not in existing[table.name]]
    return changes


def removals(conn: Connection, old: MetaData, new: MetaData) -> SchemaChanges:
    """What ``old`` has and ``new`` does not, among what the database has; with row counts."""
    existing = _existing(conn)
    changes = SchemaChanges()
    for table in reversed(old.sorted_tables):
        if table.name not in existing:
            continue
        if table.name not in new.tables:
            changes.tables.append(table.name)
            changes.rows[table.name] = conn.scalar(select(func.count()).select_from(table)) or 0
            continue
        kept = new.tables[table.name].columns
        for column in table.columns:
            if column.name not in kept and column.name in existing[table.name]:
                changes.columns.append((table.name, column.name))
                changes.rows[f"{table.name}.{column.name}"] = conn.scalar(
                    select(func.count()).select_from(table).where(column.is_not(None))) or 0
    return changes


def apply_additions(conn: Connection, metadata: MetaData, changes: SchemaChanges) -> None:
    tables = [metadata.tables[name] for name in changes.tables]
    metadata.create_all(conn, tables=tables)
    op = operations(conn)
    for table_name, column_name in changes.columns:
        table = metadata.tables[table_name]
        column: Column = table.columns[column_name]
        new_column = column._copy()
        new_column.index = None  # Alembic would create it too; created once, named, below
        fill_later = not column.nullable and column.server_default is None
        if fill_later:  # existing rows have no value yet: add nullable, fill, then tighten
            new_column.nullable = True
        op.add_column(table_name, new_column)
        if column.index:
            op.create_index(f"ix_{table_name}_{column_name}", table_name, [column_name])
        if fill_later:
            _fill_and_tighten(conn, op, table, column)


def _fill_and_tighten(conn: Connection, op: Operations, table: Table, column: Column) -> None:
    """Give existing rows the column's scalar default, then make it NOT NULL where possible."""
    default = column.default
    if default is not None and getattr(default, "is_scalar", False):
        conn.execute(update(table).values({column.name: default.arg}))
    nulls = conn.scalar(select(func.count()).select_from(table).where(column.is_(None)))
    if not nulls and conn.dialect.name != "sqlite":  # SQLite cannot tighten in place
        op.alter_column(table.name, column.name, nullable=False, existing_type=column.type)


def apply_removals(conn: Connection, old: MetaData, changes: SchemaChanges) -> None:
    op = operations(conn)
    by_table: dict[str, list[str]] = {}
    for table_name, column_name in changes.columns:
        by_table.setdefault(table_name, []).append(column_name)
    for table_name, columns in by_table.items():
        if conn.dialect.name == "sqlite":
            # the rebuilt table would re-create indexes naming the dropped columns: drop them first
            for index in inspect(conn).get_indexes(table_name):
                if set(index["column_names"]) & set(columns):
                    op.drop_index(index["name"], table_name=table_name)
            high_water = _sqlite_sequence(conn, table_name)
            with op.batch_alter_table(table_name, recreate="always",
                                      table_kwargs={"sqlite_autoincrement": True}) as batch:
                for column_name in columns:
                    batch.drop_column(column_name)
            if high_water:  # ids of rows deleted before the rebuild stay used
                conn.execute(text("UPDATE sqlite_sequence SET seq = max(seq, :n) WHERE name = :t"),
                             {"n": high_water, "t": table_name})
        else:
            for column_name in columns:
                op.drop_column(table_name, column_name)
    drop: Iterable[Table] = [old.tables[name] for name in changes.tables]
    old.drop_all(conn, tables=list(drop))


def _sqlite_sequence(conn: Connection, table_name: str) -> int:
    """The highest id SQLite ever gave in ``table_name`` (AUTOINCREMENT tables)."""
    if not inspect(conn).has_table("sqlite_sequence"):
        return 0
    return conn.scalar(text("SELECT seq FROM sqlite_sequence WHERE name = :t"),
                       {"t": table_name}) or 0


def settle_foreign_keys(conn: Connection) -> None:
    """Apply each foreign key's ``ON DELETE`` to rows left pointing at deleted rows.

    SQLite runs addon operations with foreign keys off (tables are rebuilt), so the deletes of an
    uninstall or an upgrade cascade nothing there; PostgreSQL applied the same actions at each
    delete. Cascades are followed to the end; a key that restricts deletes fails the operation.
    """
    if conn.dialect.name != "sqlite":
        return
    while orphans := conn.execute(text(
            'SELECT "table", rowid, parent, fkid FROM pragma_foreign_key_check()')).all():
        keys: dict[tuple[str, int], tuple[str, str]] = {}
        for child, rowid, parent, fkid in orphans:
            if (child, fkid) not in keys:
                column, action = conn.execute(text(
                    'SELECT "from", on_delete FROM pragma_foreign_key_list(:t) WHERE id = :k'),
                    {"t": child, "k": fkid}).first()
                keys[(child, fkid)] = (column, action.upper())
            column, action = keys[(child, fkid)]
            target = sql_table(child, sql_column(column))
            where = literal_column("rowid") == rowid
            if action == "CASCADE":
                conn.execute(delete(target).where(where))
            elif action == "SET NULL":
                conn.execute(update(target).where(where).values({column: None}))
            else:
                raise AddonError(_("Rows of %(table)s still refer to deleted rows of %(parent)s.",
                                   table=child, parent=parent))
