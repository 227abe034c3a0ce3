"""Multiply a data set with set-based Core copies: one ``INSERT … SELECT`` per table and copy.

A data set made through the model service since a :class:`~benchmarks.replay.Snapshot` holds,
in every business table, the rows with ids above the snapshot's start. Copy ``k`` writes them
again with their ids shifted past the table's current end; a foreign key into a copied range is
shifted by its target's offset (a contact follows its company, a voucher line its voucher), one
outside it (the reference data made before the snapshot) is kept. Unique codes and the declared
document numbers get a ``~b<k>`` suffix. Rows of many2many tables that touch a copied range are
copied with both sides shifted. The database does the work: no row travels through Python, so a
copy of a year costs seconds, not the hours the service would take.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Engine, Table, and_, case, func, insert, select, text
from sqlalchemy.schema import sort_tables

from .replay import composite_keys, is_text, unique_text

__all__ = ["copy_rows"]


def copy_rows(engine: Engine, start: dict[str, int], tables: list[Table],
              numbers: dict[str, list[str]], copies: int) -> int:
    """Write the rows above ``start`` (per table name) ``copies - 1`` more times; the rows
    written. ``numbers``: per table, more text columns to suffix (document numbers)."""
    with engine.begin() as conn:
        ends = {t.name: conn.scalar(select(func.max(t.c.id))) or 0 for t in tables}
    ranges = {name: (start.get(name, 0), end) for name, end in ends.items()
              if end > start.get(name, 0)}
    copied = [t for t in sort_tables(tables) if t.name in ranges]
    for table in copied:
        _refuse_fixed_keys(table, ranges)
    relations = _relation_tables(tables, ranges)
    before = _count(engine, copied + relations)
    for serial in range(1, copies):
        with engine.begin() as conn:
            offsets = {t.name: (conn.scalar(select(func.max(t.c.id))) or 0) - ranges[t.name][0]
                       for t in copied}
            suffix = f"~b{serial}"
            for table in copied:
                _copy_table(conn, table, ranges, offsets, numbers, suffix)
            for table in relations:
                _copy_relation(conn, table, ranges, offsets)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in copied:  # the next service insert takes the id after the copies
                conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, 'id'), "
                                  f'(SELECT max(id) FROM "{table.name}"))'), {"t": table.name})
    with engine.begin() as conn:
        # the planner's statistics after a bulk load, as autovacuum would gather them later:
        # without them PostgreSQL took 500,000 moves for a few hundred and chose plans that
        # scanned them all for each invoice matched
        conn.execute(text("ANALYZE"))
    return _count(engine, copied + relations) - before


def _count(engine: Engine, tables: list[Table]) -> int:
    with engine.connect() as conn:
        return sum(conn.scalar(select(func.count()).select_from(t)) for t in tables)


def _shifted(column: Column, ranges: dict[str, tuple[int, int]],
             offsets: dict[str, int]) -> object:
    """``column`` as its copy sees it: shifted when it points into a copied range."""
    for key in column.foreign_keys:
        target = key.column.table.name
        if target in offsets:
            low, high = ranges[target]
            return case((and_(column > low, column <= high), column + offsets[target]),
                        else_=column)
    return column


def _copy_table(conn: Connection, table: Table, ranges: dict[str, tuple[int, int]],
                offsets: dict[str, int], numbers: dict[str, list[str]], suffix: str) -> None:
    low, high = ranges[table.name]
    suffixed = unique_text(table) | set(numbers.get(table.name, ()))
    values = []
    for column in table.columns:
        if column.name == "id":
            values.append(column + offsets[table.name])
        elif column.name in suffixed:
            values.append(column + suffix)
        else:
            values.append(_shifted(column, ranges, offsets))
    query = select(*values).where(table.c.id > low, table.c.id <= high).order_by(table.c.id)
    conn.execute(insert(table).from_select(list(table.columns), query))


def _copy_relation(conn: Connection, table: Table, ranges: dict[str, tuple[int, int]],
                   offsets: dict[str, int]) -> None:
    touched = []
    for column in table.columns:
        for key in column.foreign_keys:
            if key.column.table.name in ranges:
                low, high = ranges[key.column.table.name]
                touched.append(and_(column > low, column <= high))
    query = select(*(_shifted(c, ranges, offsets) for c in table.columns)).where(
        touched[0] if len(touched) == 1 else touched[0] | touched[1])
    conn.execute(insert(table).from_select(list(table.columns), query))


def _relation_tables(tables: list[Table], ranges: dict[str, tuple[int, int]]) -> list[Table]:
    """The many2many tables between business tables with a copied side."""
    names = {t.name for t in tables}
    out = []
    for table in tables[0].metadata.sorted_tables if tables else []:
        targets = {k.column.table.name for c in table.columns for k in c.foreign_keys}
        if "id" not in table.c and targets and targets <= names and targets & set(ranges):
            out.append(table)
    return out


def _refuse_fixed_keys(table: Table, ranges: dict[str, tuple[int, int]]) -> None:
    """A copy must not repeat a composite unique key: one of its columns must follow a copy."""
    key = composite_keys(table)
    if key and not any(is_text(table.c[name]) or any(
            k.column.table.name in ranges for k in table.c[name].foreign_keys) for name in key):
        raise ValueError(f"{table.name}: its unique key {key} would repeat in a copy")
