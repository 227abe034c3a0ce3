"""Shared fixtures: a fresh database per test (SQLite file, or PostgreSQL when
``KANGYI_TEST_DATABASE_URL`` names one), runtimes and apps over the fixture addons."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core import db
from core.runtime import Runtime
from core.testing import DatabaseTemplates, InstallSnapshots, RegistryReuse, reset_postgres

FIXTURE_ADDONS = str(Path(__file__).parent / "fixtures" / "addons")
PG_URL = os.environ.get("KANGYI_TEST_DATABASE_URL", "")
# jobs run in-process at commit (Huey's immediate mode) unless a test starts a real worker
os.environ["KANGYI_QUEUE_URL"] = "immediate"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A URL to an empty database, private to this test."""
    if PG_URL:
        reset_postgres(PG_URL)
        return PG_URL
    return f"sqlite:///{tmp_path / 'kangyi.db'}"


_REGISTRIES = RegistryReuse()


@pytest.fixture(scope="session", autouse=True)
def _reuse_registries() -> Iterator[None]:
    """Every test builds its registries through one session-wide :class:`RegistryReuse`."""
    from core import lifecycle, runtime

    original = lifecycle.build_registry
    lifecycle.build_registry = runtime.build_registry = _REGISTRIES.wrap(original)
    yield
    lifecycle.build_registry = runtime.build_registry = original


@pytest.fixture(autouse=True)
def _next_test() -> None:
    _REGISTRIES.next_test()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseTemplates]:
    """Initialised databases, made once and copied into each test's database."""
    made = DatabaseTemplates(tmp_path_factory.mktemp("templates"))
    yield made
    made.close()


class TestDatabase:
    """The test's database as the fixtures make it: copied from a template by the first
    runtime or app that asks for an initialised one, its installs served from snapshots while
    that runtime is the only one on it."""

    def __init__(self, url: str, templates: DatabaseTemplates) -> None:
        self.url, self.templates = url, templates
        self.opened = 0
        self.initialised = self.admin = False
        self._stop: list[Any] = []

    def prepare(self, addons_path: str | list[str], init: bool, admin: bool) -> tuple[Any, ...]:
        """Before a runtime opens the database: its template key if it restored one."""
        self.opened += 1
        for stop in self._stop:  # another engine on the database: no more restores under it
            stop()
        if not init:
            return ()
        if self.opened == 1:
            key = _key(addons_path, admin)
            self.templates.restore(self.url, key, _initialise(addons_path, admin=admin))
            self.initialised, self.admin = True, admin
            return key
        if not self.initialised or (admin and not self.admin):  # in place, as it is (idempotent)
            _initialise(addons_path, admin=admin)(self.url)
            self.initialised, self.admin = True, self.admin or admin
        return ()

    def follow(self, runtime: Runtime, key: tuple[Any, ...]) -> None:
        if key:
            self._stop.append(_SNAPSHOTS[0].attach(runtime, key))


_SNAPSHOTS: list[InstallSnapshots] = []


@pytest.fixture
def test_database(database_url: str, templates: DatabaseTemplates) -> TestDatabase:
    if not _SNAPSHOTS:
        _SNAPSHOTS.append(InstallSnapshots(templates))
    return TestDatabase(database_url, templates)


def _initialise(addons_path: str | list[str], admin: bool) -> Any:
    """``make(url)`` for a template: essential addons installed (and the admin's password)."""
    from core.users import ensure_admin

    def make(url: str) -> None:
        runtime = Runtime(db.create_engine(url), addons_path)
        runtime.manager.init_database()
        if admin:
            with runtime.env() as env:
                ensure_admin(env, "admin1234")
        runtime.engine.dispose()

    return make


def _key(addons_path: str | list[str], admin: bool) -> tuple[Any, ...]:
    paths = (addons_path,) if isinstance(addons_path, str) else tuple(addons_path)
    return paths, admin


@pytest.fixture
def make_runtime(test_database: TestDatabase) -> Iterator[Any]:
    """``make_runtime(addons_path=…)`` → a Runtime on the test database (disposed after)."""
    runtimes: list[Runtime] = []

    def make(addons_path: str | list[str] = FIXTURE_ADDONS, init: bool = True) -> Runtime:
        key = test_database.prepare(addons_path, init, admin=False)
        runtime = Runtime(db.create_engine(test_database.url), addons_path)
        test_database.follow(runtime, key)
        runtimes.append(runtime)
        return runtime

    yield make
    for runtime in runtimes:
        runtime.engine.dispose()


@pytest.fixture
def runtime(make_runtime: Any) -> Runtime:
    """An initialised database with only ``base`` installed."""
    return make_runtime()


@pytest.fixture
def make_app(test_database: TestDatabase, tmp_path: Path) -> Iterator[Any]:
    """``make_app(**config)`` → a Flask app on the test database (initialised, admin user)."""
    from core.app import create_app

    apps: list[Any] = []

    def make(init: bool = True, **config: Any) -> Any:
        settings = {
            "DATABASE_URL": test_database.url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test",
            "ADDONS_PATH": FIXTURE_ADDONS,
            "TESTING": True,
            **config,
        }
        key = test_database.prepare(settings["ADDONS_PATH"], init, admin=True)
        app = create_app(settings)
        test_database.follow(app.extensions["kangyi"], key)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["kangyi"].engine.dispose()
