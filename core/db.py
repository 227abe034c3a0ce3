"""Database engines and the core's own bookkeeping tables.

The bookkeeping tables exist in every database whatever the installed addons:
``ir_module_module`` (addon states and installed versions), ``ir_model_data`` (external ids of
records loaded from data files and hooks) and ``ir_registry`` (the registry signature that tells
every worker when the set of installed addons changed).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    event,
    inspect,
    select,
    update,
)
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.sql.compiler import InsertmanyvaluesSentinelOpts

from .models import utcnow

__all__ = [
    "SYSTEM_METADATA",
    "modules_table",
    "model_data_table",
    "registry_table",
    "create_engine",
    "READ_ONLY",
    "is_initialised",
    "read_signature",
    "bump_signature",
    "addon_states",
    "wrote",
]

SYSTEM_METADATA = MetaData()

modules_table = Table(
    "ir_module_module",
    SYSTEM_METADATA,
    Column("id", Integer, primary_key=True),
    Column("name", String(128), nullable=False, unique=True),
    Column("state", String(16), nullable=False, default="uninstalled"),
    Column("latest_version", String(32)),
    Column("demo", Boolean, nullable=False, default=False),
    Column("write_date", DateTime, default=utcnow, onupdate=utcnow),
)

model_data_table = Table(
    "ir_model_data",
    SYSTEM_METADATA,
    Column("id", Integer, primary_key=True),
    Column("module", String(128), nullable=False),
    Column("name", String(256), nullable=False),
    Column("model", String(128), nullable=False),
    Column("res_id", Integer, nullable=False),
    Column("noupdate", Boolean, nullable=False, default=False),
    UniqueConstraint("module", "name", name="ir_model_data_module_name_uniq"),
)

registry_table = Table(
    "ir_registry",
    SYSTEM_METADATA,
    Column("id", Integer, primary_key=True),
    Column("signature", Integer, nullable=False, default=1),
)

#: states of an addon in a database (Odoo's)
STATES = ("uninstalled", "to install", "installed", "to upgrade", "to remove")


#: execution option of a connection whose transactions only read (a web GET) or that is nested
#: in another of its thread (core.runtime): SQLite then
#: begins them deferred, so readers do not queue behind writers
READ_ONLY = "kangyi_read_only"


#: ``connection.info`` key: the transaction in which the connection wrote (or locked rows)
_WROTE = "kangyi_wrote"
_READS = ("SELECT", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "PRAGMA")


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    transaction = conn.get_transaction()
    if transaction is None or conn.info.get(_WROTE) is transaction:
        return
    if statement.lstrip()[:9].upper().startswith(_READS) and "FOR UPDATE" not in statement:
        return
    conn.info[_WROTE] = transaction


def wrote(conn: Connection) -> bool:
    """Has ``conn``'s current transaction written anything (or locked rows) so far?"""
    transaction = conn.get_transaction()
    return transaction is not None and conn.info.get(_WROTE) is transaction


def create_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets real transactions (DDL included) and foreign keys."""
    sa_url = make_url(url)
    if sa_url.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {}).setdefault("timeout", 30)
        engine = sa_create_engine(sa_url, **kwargs)
        # the ORM inserts the records of one flush with one multi-row INSERT … RETURNING id
        # when it can tell which id went to which row; SQLAlchemy does not assume that on
        # SQLite (RETURNING gives its rows in no set order) and sends one INSERT per row. But
        # SQLite numbers the rows of one INSERT in the order of its VALUES (each new rowid is
        # the largest so far plus one, AUTOINCREMENT or not), so the ids sorted are in the
        # rows' order, which is what this sentinel tells SQLAlchemy (PostgreSQL's serial ids
        # are matched the same way)
        engine.dialect.insertmanyvalues_implicit_sentinel = (
            InsertmanyvaluesSentinelOpts.AUTOINCREMENT)
        file_db = sa_url.database not in (None, "", ":memory:")

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
            cursor = dbapi_connection.cursor()
            if file_db:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA case_sensitive_like=ON")  # LIKE as on PostgreSQL
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Connection) -> None:
            # writers queue at BEGIN (busy timeout above) instead of failing at their first
            # write: in WAL mode a deferred transaction that read before another committed
            # cannot start writing ("database is locked" at once, no waiting)
            read_only = conn.get_execution_options().get(READ_ONLY, False)
            conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    if sa_url.get_backend_name() == "postgresql" and sa_url.drivername == "postgresql":
        sa_url = sa_url.set(drivername="postgresql+psycopg")
    kwargs.setdefault("pool_pre_ping", True)
    return sa_create_engine(sa_url, **kwargs)


def is_initialised(conn: Connection) -> bool:
    """True when ``kangyi init`` has run on this database."""
    return inspect(conn).has_table("ir_registry")


def read_signature(conn: Connection) -> int:
    """The current registry signature (one primary-key read)."""
    return conn.execute(
        select(registry_table.c.signature).where(registry_table.c.id == 1)
    ).scalar_one()


def bump_signature(conn: Connection) -> int:
    """Tell every worker that the installed addons changed; returns the new signature."""
    conn.execute(
        update(registry_table)
        .where(registry_table.c.id == 1)
        .values(signature=registry_table.c.signature + 1)
    )
    return read_signature(conn)


def addon_states(conn: Connection) -> dict[str, dict[str, Any]]:
    """``{name: {"state", "latest_version", "demo"}}`` for every addon the database knows."""
    rows = conn.execute(
        select(
            modules_table.c.name,
            modules_table.c.state,
            modules_table.c.latest_version,
            modules_table.c.demo,
        )
    )
    return {
        r.name: {"state": r.state, "latest_version": r.latest_version, "demo": r.demo} for r in rows
    }


def is_initialised_cached(conn: Connection, holder: Any) -> bool:
    """:func:`is_initialised`, remembered on ``holder`` once true (it never becomes false)."""
    if getattr(holder, "_initialised", False):
        return True
    holder._initialised = is_initialised(conn)
    return holder._initialised
