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
from core.testing import reset_postgres

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


@pytest.fixture
def make_runtime(database_url: str) -> Iterator[Any]:
    """``make_runtime(addons_path=…)`` → a Runtime on the test database (disposed after)."""
    runtimes: list[Runtime] = []

    def make(addons_path: str | list[str] = FIXTURE_ADDONS, init: bool = True) -> Runtime:
        runtime = Runtime(db.create_engine(database_url), addons_path)
        if init and not runtimes:
            runtime.manager.init_database()
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
def make_app(database_url: str, tmp_path: Path) -> Iterator[Any]:
    """``make_app(**config)`` → a Flask app on the test database (initialised, admin user)."""
    from core.app import create_app
    from core.users import ensure_admin

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
        app = create_app(settings)
        runtime = app.extensions["kangyi"]
        if init and not apps:
            runtime.manager.init_database()
            with runtime.env() as env:
                ensure_admin(env, "admin1234")
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["kangyi"].engine.dispose()
