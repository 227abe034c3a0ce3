"""Helpers for the web tests: log in through the real login form, make users, install kt_web."""

from __future__ import annotations

import re
from typing import Any
from xmlrpc import client as xmlrpc_client

import pytest

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf(client: Any, url: str = "/web/login") -> str:
    """The CSRF token of the form at ``url``."""
    match = CSRF.search(client.get(url).get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def login(client: Any, user: str, password: str) -> None:
    response = client.post("/web/login", data={"login": user, "password": password,
                                               "csrf_token": csrf(client)})
    assert response.status_code == 302, response.get_data(as_text=True)


def make_user(app: Any, login_name: str, groups: list[str], lang: str = "en",
              password: str = "password123") -> int:
    """A user in ``groups`` (external ids), created as the superuser."""
    with app.extensions["kangyi"].env() as env:
        return env["res.users"].create({
            "login": login_name, "name": login_name.title(), "password": password, "lang": lang,
            "groups_id": [(6, 0, [env.ref_id(g) for g in groups])]})


def client_for(app: Any, login_name: str, password: str = "password123") -> Any:
    client = app.test_client()
    login(client, login_name, password)
    return client


@pytest.fixture
def web_app(make_app: Any) -> Any:
    """An app with kt_web installed, an order user ``ann``, a manager ``max`` and an admin."""
    app = make_app()
    app.extensions["kangyi"].manager.install(["kt_web"])
    make_user(app, "ann", ["kt_web.group_user"])
    make_user(app, "max", ["kt_web.group_manager"])
    return app


def count_queries(engine: Any) -> Any:
    """A context manager counting the SQL statements run on ``engine``."""
    from core.testing import statements

    return statements(engine)


def xmlrpc(client: Any, service: str, method: str, *params: Any) -> Any:
    """One XML-RPC call through the test client; a fault is raised as ``xmlrpc_client.Fault``."""
    body = xmlrpc_client.dumps(params, method)
    response = client.post(f"/xmlrpc/2/{service}", data=body, content_type="text/xml")
    assert response.status_code == 200
    return xmlrpc_client.loads(response.data)[0][0]


def rpc_login(client: Any, login: str, password: str) -> tuple[str, int]:
    """``(database, uid)`` for ``execute_kw`` calls."""
    database = xmlrpc(client, "db", "list")[0]
    return database, xmlrpc(client, "common", "authenticate", database, login, password, {})
