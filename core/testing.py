"""Test helpers for addon authors: a fresh database and structural checks every addon gets.

Subclass :class:`AddonTestCase` in an addon's tests and name the addon::

    class TestCrmStructure(AddonTestCase):
        addon = "crm"

pytest then runs every ``test_*`` check below against a real database (SQLite in a temporary
folder, or PostgreSQL when ``KANGYI_TEST_DATABASE_URL`` names one) with the addon installed.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import tempfile
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask_babel import LazyString
from sqlalchemy import event, inspect, make_url, text
from sqlalchemy.orm import Session

from . import db
from .env import Environment
from .registry import Registry
from .runtime import Runtime

__all__ = ["AddonTestCase", "DatabaseTemplates", "InstallSnapshots", "RegistryReuse",
           "due_now", "fresh_database_url", "reset_postgres", "statements", "flushes"]


@contextmanager
def statements(engine: Any, into: list[str] | None = None) -> Iterator[list[str]]:
    """The SQL statements ``engine`` sends meanwhile, appended to ``into`` (a new list by
    default) and yielded: exact counts for statement budgets. An ``executemany`` (one round
    trip) counts once, a multi-row ``INSERT … VALUES`` too."""
    seen: list[str] = [] if into is None else into

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@contextmanager
def flushes(into: list[None] | None = None) -> Iterator[list[None]]:
    """One entry per ORM flush that wrote something meanwhile, in any session."""
    seen: list[None] = [] if into is None else into

    def record(_session: Session, _context: Any) -> None:
        seen.append(None)

    event.listen(Session, "after_flush", record)
    try:
        yield seen
    finally:
        event.remove(Session, "after_flush", record)


def due_now(env: Environment, codes: list[str]) -> list[int]:
    """Make the scheduled jobs ``codes`` due and no other: the next scheduler tick runs those
    alone, whatever the clock (a test database copied from a template made minutes earlier
    would otherwise find a job of 01:00 due at 01:02). Returns their ``ir.cron`` ids."""
    import datetime as dt

    from sqlalchemy import update

    from .models import utcnow

    crons = env["ir.cron"].search([("code", "in", codes)])
    cls, now = env.registry["ir.cron"], utcnow()
    env.session.execute(update(cls).where(cls.id.not_in(crons), cls.nextcall <= now + dt.timedelta(
        hours=1)).values(nextcall=now + dt.timedelta(days=1)))
    env["ir.cron"].write(crons, {"nextcall": now - dt.timedelta(minutes=5)})
    return crons


def reset_postgres(url: str) -> None:
    """Drop and recreate the ``public`` schema of the PostgreSQL database at ``url``."""
    engine = db.create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def fresh_database_url(folder: Path) -> str:
    """An empty database: the PostgreSQL test database (reset) or a new SQLite file."""
    url = os.environ.get("KANGYI_TEST_DATABASE_URL", "")
    if url:
        reset_postgres(url)
        return url
    return f"sqlite:///{folder / 'kangyi.db'}"


class DatabaseTemplates:
    """Databases made once per test session and copied into each test's database.

    Initialising a database (essential addons, their data, an admin) costs about a second and
    installing sales, stock and accounting several; a copy costs a few milliseconds: an SQLite
    file copied with the backup API, or a PostgreSQL ``CREATE DATABASE … TEMPLATE``. Each
    template is named by a key that must say everything its content depends on (addons path,
    admin, the addons installed and in which order…). PostgreSQL templates are databases named
    ``<test database>_tpl<n>``; :meth:`close` drops them.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[Hashable, str] = {}
        self._numbers = itertools.count()

    def __contains__(self, key: Hashable) -> bool:
        return key in self._made

    def restore(self, url: str, key: Hashable,
                make: Callable[[str], None] | None = None) -> None:
        """Replace the database at ``url`` by a copy of template ``key`` (made by
        ``make(template_url)`` on first use)."""
        template = self._made.get(key)
        if template is None:
            assert make is not None, f"no template {key!r}"
            template = self._new(url)
            make(template)
            self._made[key] = template
        self._copy(template, url)

    def save(self, url: str, key: Hashable) -> bool:
        """Keep a copy of the database at ``url`` as template ``key``; False when the
        database is in use elsewhere (PostgreSQL copies only a database nobody is connected
        to)."""
        from sqlalchemy.exc import DBAPIError

        template = self._new(url)
        try:
            self._copy(url, template)
        except DBAPIError:
            return False
        self._made[key] = template
        return True

    def close(self) -> None:
        """Drop the PostgreSQL templates (SQLite ones go with the folder)."""
        for template in self._made.values():
            self._drop(template)
        self._made.clear()

    def _new(self, url: str) -> str:
        """The URL of a new, empty template database beside ``url``."""
        parsed, number = make_url(url), next(self._numbers)
        if parsed.get_backend_name() == "sqlite":
            return f"sqlite:///{self.folder / f'template{number}.db'}"
        name = f"{parsed.database}_tpl{number}"
        with self._maintenance(url) as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        return parsed.set(database=name).render_as_string(hide_password=False)

    def _copy(self, source: str, target: str) -> None:
        parsed = make_url(target)
        if parsed.get_backend_name() == "sqlite":
            with sqlite3.connect(make_url(source).database or "") as origin, \
                    sqlite3.connect(parsed.database or "") as copy:
                origin.backup(copy)
            return
        with self._maintenance(target) as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{parsed.database}" '
                              f'TEMPLATE "{make_url(source).database}"'))

    def _drop(self, url: str) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() != "sqlite":
            with self._maintenance(url) as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))

    @staticmethod
    def _maintenance(url: str) -> Any:
        """A connection (autocommit) to the server's ``postgres`` database."""
        engine = db.create_engine(make_url(url).set(database="postgres")
                                  .render_as_string(hide_password=False))
        return _disposing(engine)


class InstallSnapshots:
    """Installs of addons into a test's database served from templates.

    ``attach(runtime, key)`` is called on a runtime just restored from template ``key``: from
    then on, while nothing but installs has written to its database, ``runtime.manager.install``
    (without demo data) restores a copy of the same install made earlier in the session, or
    installs and keeps a copy. The first other write (any statement but a read) ends it, and
    so does the function ``attach`` returns (call it when another engine opens the database).
    """

    #: statements that change nothing
    READS = ("SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SHOW",
             "SET", "WITH")

    def __init__(self, templates: DatabaseTemplates) -> None:
        self.templates = templates
        self._plans: dict[Hashable, Any] = {}

    def attach(self, runtime: Any, key: Hashable) -> Callable[[], None]:
        from sqlalchemy import event

        state: dict[str, Any] = {"key": key, "installing": False}
        url = runtime.engine.url.render_as_string(hide_password=False)
        install = runtime.manager.install

        def watch(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not state["installing"] and not statement.lstrip().upper().startswith(self.READS):
                state["key"] = None  # written to: no longer a known state

        def cached_install(names: list[str], demo: bool = False, dry_run: bool = False) -> Any:
            if state["key"] is None or demo or dry_run:
                return install(names, demo=demo, dry_run=dry_run)
            key = (state["key"], tuple(names))
            state["installing"] = True
            try:
                if key in self.templates:
                    runtime.engine.dispose()
                    self.templates.restore(url, key)
                    plan = self._plans[key]
                else:
                    plan = install(names)
                    runtime.engine.dispose()
                    if self.templates.save(url, key):
                        self._plans[key] = plan
                    else:
                        key = None
            finally:
                state["installing"] = False
            state["key"] = key
            return plan

        event.listen(runtime.engine, "before_cursor_execute", watch)
        runtime.manager.install = cached_install
        return lambda: state.update(key=None)


@contextmanager
def _disposing(engine: Any) -> Iterator[Any]:
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            yield conn
    finally:
        engine.dispose()


class RegistryReuse:
    """Registries built once per test session for each list of addons, instead of once per
    test and per install (composing the models of sales, stock and accounting takes seconds).

    A registry is only code: its models, hooks, menus and views. What it derived from one
    database (caches keyed by change counters) is dropped when another test takes it up, and a
    registry whose plugin manager a test changed (a spy registered) is built anew. Call
    :meth:`next_test` between tests; :meth:`wrap` returns a ``build_registry`` that reuses.
    """

    def __init__(self) -> None:
        self._built: dict[tuple[Any, ...], tuple[Registry, frozenset[str], int]] = {}
        self.generation = 0

    def next_test(self) -> None:
        self.generation += 1

    def wrap(self, build: Callable[..., Registry]) -> Callable[..., Registry]:
        from .graph import topological_order

        def build_registry(available: Any, installed: Any) -> Registry:
            order = topological_order(installed, available)
            key = tuple((name, str(available[name].path), available[name].version)
                        for name in order)
            found = self._built.get(key)
            if found is not None:
                registry, plugins, generation = found
                if self._plugins(registry) == plugins:
                    if generation != self.generation:
                        registry._derived.clear()
                        self._built[key] = (registry, plugins, self.generation)
                    return registry
            registry = build(available, installed)
            self._built[key] = (registry, self._plugins(registry), self.generation)
            return registry

        return build_registry

    @staticmethod
    def _plugins(registry: Registry) -> frozenset[str]:
        return frozenset(name for name, _plugin in registry.pm.list_name_plugin())


class AddonTestCase:
    """Structural checks over what one addon registers (Tryton's ``ModuleTestCase`` idea)."""

    #: technical name of the addon under test
    addon: str = ""
    #: extra addon folders (``KANGYI_ADDONS_PATH`` syntax), for addons outside ``addons/``
    addons_path: str | None = None
    #: load demo data during the install (demo data must load cleanly too)
    demo: bool = True

    @pytest.fixture(scope="class")
    @classmethod
    def installed(cls) -> Iterator[Runtime]:
        with tempfile.TemporaryDirectory() as folder:
            runtime = Runtime(db.create_engine(fresh_database_url(Path(folder))), cls.addons_path)
            runtime.manager.init_database()
            runtime.manager.install([cls.addon], demo=cls.demo)
            yield runtime
            runtime.engine.dispose()

    @pytest.fixture(scope="class")
    @classmethod
    def registry(cls, installed: Runtime) -> Registry:
        with installed.env() as env:
            return env.registry

    @staticmethod
    def user_env(env: Environment, login: str, *groups: str) -> Environment:
        """An environment acting as a new user ``login`` in ``groups`` (external ids), with
        that user's rights (``env(uid=…)`` gives one for an existing user)."""
        uid = env.sudo()["res.users"].create({
            "login": login, "name": login.title(),
            "groups_id": [(6, 0, [env.ref_id(group) for group in groups])]})
        return env(uid=uid, su=False)

    def own_models(self, registry: Registry) -> list[str]:
        return sorted(m for m, owner in registry.model_owner.items() if owner == self.addon)

    def test_manifest_is_complete(self, installed: Runtime) -> None:
        manifest = installed.available[self.addon].manifest
        assert manifest.name and manifest.summary and manifest.license
        for dep in manifest.depends:
            assert dep in installed.available, f"{self.addon} depends on unknown {dep}"

    def test_models_map_to_tables(self, installed: Runtime, registry: Registry) -> None:
        with installed.engine.connect() as conn:
            inspector = inspect(conn)
            for model in registry.models.values():
                if self.addon not in model.__addons__:
                    continue
                columns = {c["name"] for c in inspector.get_columns(model.__tablename__)}
                declared = {c.name for c in model.__table__.columns}
                assert declared <= columns, f"{model._name}: missing {declared - columns}"

    def test_models_have_access_rights(self, installed: Runtime, registry: Registry) -> None:
        with installed.env() as env:
            for model in self.own_models(registry):
                count = env["ir.model.access"].search_count([("model", "=", model)])
                assert count, f"{model} has no access right: nobody but admins can use it"

    def test_labels_are_translatable(self, registry: Registry) -> None:
        for model in registry.models.values():
            for info in model.__fields__.values():
                if info.addon == self.addon:
                    assert isinstance(info.string, LazyString), (
                        f"{model._name}.{info.name}: label must be a lazy translatable string")
                    for key, label in info.selection or ():
                        assert isinstance(label, LazyString), (
                            f"{model._name}.{info.name}: selection {key!r} label not translatable")
            if model.__addons__[0] == self.addon:
                assert isinstance(model._description, LazyString), (
                    f"{model._name}: _description must be a lazy translatable string")

    def test_hooks_are_declared(self, registry: Registry) -> None:
        registry.pm.check_pending()
        assert registry.pm.get_plugin(self.addon) is not None

    def test_reinstall_round_trip(self, installed: Runtime) -> None:
        """Uninstalling (with whatever depends on it) drops its tables; reinstalling works."""
        with installed.env() as env:
            tables = set(env.registry.tables_of(self.addon))
        installed.manager.uninstall([self.addon], cascade=True)
        with installed.engine.connect() as conn:
            assert not tables & set(inspect(conn).get_table_names())
        installed.manager.install([self.addon])
