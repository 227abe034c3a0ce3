"""Test helpers for addon authors: a fresh database and structural checks every addon gets.

Subclass :class:`AddonTestCase` in an addon's tests and name the addon::

    class TestCrmStructure(AddonTestCase):
        addon = "crm"

pytest then runs every ``test_*`` check below against a real database (SQLite in a temporary
folder, or PostgreSQL when ``KANGYI_TEST_DATABASE_URL`` names one) with the addon installed.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask_babel import LazyString
from sqlalchemy import inspect, make_url, text

from . import db
from .env import Environment
from .registry import Registry
from .runtime import Runtime

__all__ = ["AddonTestCase", "DatabaseTemplates", "fresh_database_url", "reset_postgres"]


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
    """Initialised databases made once per test session, copied into each test's database.

    Initialising a database (essential addons, their data, an admin) costs about a second; a
    copy costs a few milliseconds: an SQLite file copied with the backup API, or a PostgreSQL
    ``CREATE DATABASE … TEMPLATE``. Each template is made by ``make(url)`` on its first use
    and named by a key that must say everything it depends on (addons path, admin…).
    PostgreSQL templates are databases named ``<test database>_tpl<n>``; :meth:`close` drops
    them.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[Hashable, str] = {}

    def restore(self, url: str, key: Hashable, make: Callable[[str], None]) -> None:
        """Replace the database at ``url`` by a copy of template ``key``."""
        template = self._made.get(key)
        if template is None:
            template = self._made[key] = self._template_url(url, len(self._made))
            make(template)
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            with sqlite3.connect(make_url(template).database or "") as source, \
                    sqlite3.connect(parsed.database or "") as target:
                source.backup(target)
            return
        with self._maintenance(url) as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{parsed.database}" '
                              f'TEMPLATE "{make_url(template).database}"'))

    def close(self) -> None:
        """Drop the PostgreSQL templates (SQLite ones go with the folder)."""
        for template in self._made.values():
            parsed = make_url(template)
            if parsed.get_backend_name() != "sqlite":
                with self._maintenance(template) as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" '
                                      f'WITH (FORCE)'))
        self._made.clear()

    def _template_url(self, url: str, number: int) -> str:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            return f"sqlite:///{self.folder / f'template{number}.db'}"
        name = f"{parsed.database}_tpl{number}"
        with self._maintenance(url) as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        return parsed.set(database=name).render_as_string(hide_password=False)

    @staticmethod
    def _maintenance(url: str) -> Any:
        """A connection (autocommit) to the server's ``postgres`` database."""
        engine = db.create_engine(make_url(url).set(database="postgres")
                                  .render_as_string(hide_password=False))
        return _disposing(engine)


@contextmanager
def _disposing(engine: Any) -> Iterator[Any]:
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            yield conn
    finally:
        engine.dispose()


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
