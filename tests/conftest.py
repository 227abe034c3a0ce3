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
from core.testing import DatabaseTemplates, reset_postgres

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


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseTemplates]:
    """Initialised databases, made once and copied into each test's database."""
    made = DatabaseTemplates(tmp_path_factory.mktemp("templates"))
    yield made
    made.close()


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
def make_runtime(database_url: str, templates: DatabaseTemplates) -> Iterator[Any]:
    """``make_runtime(addons_path=…)`` → a Runtime on the test database (disposed after)."""
    runtimes: list[Runtime] = []

    def make(addons_path: str | list[str] = FIXTURE_ADDONS, init: bool = True) -> Runtime:
        if init and not runtimes:
            templates.restore(database_url, _key(addons_path, False),
                              _initialise(addons_path, admin=False))
        runtime = Runtime(db.create_engine(database_url), addons_path)
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
def make_app(database_url: str, tmp_path: Path, templates: DatabaseTemplates) -> Iterator[Any]:
    """``make_app(**config)`` → a Flask app on the test database (initialised, admin user)."""
    from core.app import create_app

    apps: list[Any] = []

    def make(init: bool = True, **config: Any) -> Any:
        settings = {
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test",
            "ADDONS_PATH": FIXTURE_ADDONS,
            "TESTING": True,
            **config,
        }
        if init and not apps:
            addons_path = settings["ADDONS_PATH"]
            templates.restore(database_url, _key(addons_path, True),
                              _initialise(addons_path, admin=True))
        app = create_app(settings)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["kangyi"].engine.dispose()
