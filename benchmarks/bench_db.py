"""The benchmark database and the clients that talk to it.

:func:`prepare` empties the database (an SQLite file in the work folder, or the ``public``
schema of the PostgreSQL database given with ``--database``), initialises it, installs every
addon this checkout has (timing each install), and creates the benchmark users. The helpers
below log a Flask test client or an HTTP session in, the way a browser does (CSRF token from the
login form, then the signed session cookie), and serve an app on 127.0.0.1 in a thread.
"""

from __future__ import annotations

import dataclasses
import html.parser
import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from flask import Flask
from sqlalchemy import Engine, text
from werkzeug.serving import make_server

from core import db
from core.errors import KangyiError
from core.graph import topological_order
from core.runtime import Runtime
from core.testing import reset_postgres
from core.users import ensure_admin

from .measure import median_seconds

__all__ = ["Bench", "prepare", "login_client", "serve", "HttpUser", "form_fields",
           "ADMIN_PASSWORD", "USER_PASSWORD"]

ADMIN_PASSWORD = "admin1234"
USER_PASSWORD = "bench-pass-1"
SECRET_KEY = "kangyi-benchmarks"


@dataclasses.dataclass
class Bench:
    """The benchmark database: its URL, engine, runtime and installed addons."""

    url: str
    workdir: Path
    engine: Engine
    runtime: Runtime
    installed: list[str]
    install_seconds: dict[str, float]
    failed: dict[str, str]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def settings(self) -> dict[str, Any]:
        """The Flask config of every app the benchmarks build on this database."""
        return {"DATABASE_URL": self.url, "INSTANCE_PATH": str(self.workdir / "instance"),
                "SECRET_KEY": SECRET_KEY, "WTF_CSRF_TIME_LIMIT": None,
                "LOGIN_ATTEMPTS": 10_000}

    def app(self) -> Flask:
        from core.app import create_app

        return create_app(self.settings())

    def database_bytes(self) -> int:
        """The size of the database on disk."""
        from core.db import READ_ONLY  # deferred BEGIN: a checkpoint fails under a write lock

        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            if self.dialect == "sqlite":
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                pages = conn.exec_driver_sql("PRAGMA page_count").scalar() or 0
                size = conn.exec_driver_sql("PRAGMA page_size").scalar() or 0
                return int(pages) * int(size)
            return int(conn.scalar(text("select pg_database_size(current_database())")) or 0)


def prepare(url: str | None, workdir: Path, runs: int) -> Bench:
    """An empty database with every addon installed; per-addon install times (median of
    ``runs`` install/uninstall cycles, each addon on top of its dependencies)."""
    workdir.mkdir(parents=True, exist_ok=True)
    if url is None:
        path = workdir / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    elif url.startswith("postgresql"):
        reset_postgres(url)
    else:
        raise KangyiError(f"Unsupported database URL for the benchmarks: {url}")
    engine = db.create_engine(url)
    runtime = Runtime(engine)
    runtime.manager.init_database()
    order = [n for n in topological_order(runtime.available, runtime.available) if n != "base"]
    installed, seconds, failed = ["base"], {}, {}
    for name in order:
        deps = runtime.available[name].manifest.depends
        if any(d in failed for d in deps):
            failed[name] = "a dependency failed to install"
            continue
        if runtime.manager.states().get(name, {}).get("state") == "installed":
            installed.append(name)  # a glue addon, auto-installed with the addons it joins
            continue
        try:
            seconds[name] = _install_time(runtime, name, runs)
            installed.append(name)
        except KangyiError as exc:
            failed[name] = exc.message
    with runtime.env() as env:
        ensure_admin(env, ADMIN_PASSWORD)
    return Bench(url, workdir, engine, runtime, installed, seconds, failed)


def _install_time(runtime: Runtime, name: str, runs: int) -> float:
    """Install ``name``; repeat uninstall + install to take the median (ends installed)."""
    manager = runtime.manager

    def reset() -> None:
        if manager.states().get(name, {}).get("state") == "installed":
            manager.uninstall([name], cascade=True)

    return median_seconds(lambda: manager.install([name]), runs, setup=reset, warmup=0)


def create_users(bench: Bench, count: int) -> list[tuple[str, int]]:
    """``count`` users (``bench01``…) holding every group, each with a partner to edit."""
    users = []
    with bench.runtime.env() as env:
        group_ids = env["res.groups"].search([])  # every post: the user may open every page
        for i in range(1, count + 1):
            login = f"bench{i:02d}"
            uid = env["res.users"].create({"login": login, "name": f"Bench user {i}",
                                           "password": USER_PASSWORD,
                                           "groups_id": [(6, 0, group_ids)]})
            partner = env["res.partner"].create({"name": f"Bench partner {i}", "city": "上海"})
            assert isinstance(uid, int) and isinstance(partner, int)
            users.append((login, partner))
    return users


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(page: str) -> str:
    found = _CSRF.search(page)
    if found is None:
        raise RuntimeError("no CSRF token in the page")
    return found.group(1)


def login_client(app: Flask, login: str, password: str) -> Any:
    """A Flask test client logged in as ``login``."""
    client = app.test_client()
    token = csrf_token(client.get("/web/login").get_data(as_text=True))
    response = client.post("/web/login", data={"login": login, "password": password,
                                                "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"login of {login} failed: {response.status_code}")
    return client


class HttpUser:
    """A logged-in user over real HTTP (keep-alive connection, session cookie)."""

    def __init__(self, base_url: str, login: str, password: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()
        token = csrf_token(self.get("/web/login").text)
        response = self.http.post(base_url + "/web/login", allow_redirects=False,
                                  data={"login": login, "password": password,
                                        "csrf_token": token})
        if response.status_code != 302:
            raise RuntimeError(f"login of {login} failed: {response.status_code}")

    def get(self, path: str) -> requests.Response:
        response = self.http.get(self.base_url + path, allow_redirects=False)
        if response.status_code >= 400:
            raise RuntimeError(f"GET {path}: {response.status_code}")
        return response

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def close(self) -> None:
        self.http.close()


class _FormReader(html.parser.HTMLParser):
    """The fields a browser would submit from the first ``<form>`` with a CSRF token."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value", "y" if a.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
            self.fields.append((name, ""))
        elif tag == "option" and self._select and "selected" in a:
            self.fields[-1] = (self._select, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None


_FORM_TAG = re.compile(r"<form\b[^>]*>", re.IGNORECASE)


def form_fields(page: str) -> list[tuple[str, str]]:
    """The ``(name, value)`` pairs of the record form in ``page`` (the form whose class says
    ``record``, else the one with the most fields), CSRF token included."""
    best: list[tuple[str, str]] = []
    for tag in _FORM_TAG.finditer(page):
        reader = _FormReader()
        reader.feed(page[tag.start():page.find("</form>", tag.end())])
        if re.search(r'class="[^"]*\brecord\b', tag.group(0)):
            best = reader.fields
            break
        if len(reader.fields) > len(best):
            best = reader.fields
    if "csrf_token" not in [n for n, _v in best]:
        raise RuntimeError("the form has no CSRF token")
    return best


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (a free port) in a thread; yields its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    """Block until something accepts connections on 127.0.0.1:``port``."""
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")
