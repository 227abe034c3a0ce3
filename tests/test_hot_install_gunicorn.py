"""An addon pip-installed into a running gunicorn with two worker processes: the ``kangyi``
command installs it and every worker serves its pages at once, then uninstalls it and every
worker answers 404, with no restart. gunicorn's access log names the process that answered each
request, so the test knows both workers did."""

from __future__ import annotations

import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.test_hot_install import ROOT, kangyi, pip_install, pip_uninstall
from tests.test_hot_install import site as site  # noqa: F401  (the fixture)
from tests.web_helpers import CSRF

WORKERS = 2


class Browser:
    """A logged-in HTTP client (cookies, CSRF) that opens a new connection per request."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def log_in(self, login: str, password: str) -> None:
        token = CSRF.search(self.get("/web/login")[1]).group(1)
        data = urllib.parse.urlencode({"login": login, "password": password,
                                       "csrf_token": token}).encode()
        with self.opener.open(self.base + "/web/login", data=data, timeout=60) as response:
            assert response.status == 200 and "/web/login" not in response.url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def gunicorn(make_app: Any, database_url: str, site: Path, tmp_path: Path
             ) -> Iterator[tuple[Any, str, Path]]:
    """(the test's app on the same database, the base URL, the access log) of a gunicorn with
    two workers whose import path holds the (still empty) ``site`` folder."""
    app = make_app()
    app.extensions["kangyi"].engine.dispose()
    port, log = _free_port(), tmp_path / "access.log"
    env = {**os.environ, "KANGYI_DATABASE_URL": database_url, "KANGYI_SECRET_KEY": "test",
           "KANGYI_INSTANCE": str(tmp_path / "instance"), "KANGYI_ADDONS_PATH": "",
           "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)])}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s %(U)s",
         "core.app:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "/web/login", timeout=5).close()
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("gunicorn did not start")
        yield app, base, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def answers(browser: Browser, log: Path, path: str) -> dict[str, set[int]]:
    """Request ``path`` until both workers have answered it: process id → statuses (of the
    requests made here only). Requests go four at a time: a sync worker serves one at once, so
    the others reach the other worker (one by one, the same worker may take them all)."""
    before = len(log.read_text().splitlines())
    seen: dict[str, set[int]] = {}
    with ThreadPoolExecutor(4) as pool:
        for _ in range(30):
            list(pool.map(browser.get, [path] * 4))
            seen = {}
            for line in log.read_text().splitlines()[before:]:
                pid, status, url = line.split(" ", 2)
                if url == path:
                    seen.setdefault(pid, set()).add(int(status))
            if len(seen) >= WORKERS:
                break
    assert len(seen) == WORKERS, f"only {sorted(seen)} answered {path}"
    return seen


def test_pip_install_then_cli_install_reaches_both_gunicorn_workers(gunicorn, database_url,
                                                                     site):
    app, base, log = gunicorn
    browser = Browser(base)
    browser.log_in("admin", "admin1234")
    assert set(map(frozenset, answers(browser, log, "/").values())) == {frozenset({200})}

    pip_install(site, "kt_hot")  # into the running server's import path
    kangyi(database_url, site, "addons", "install", "kt_hot")
    with app.extensions["kangyi"].env() as env:
        env["res.users"].write([env.ref_id("base.user_admin")],
                               {"groups_id": [(4, env.ref_id("kt_hot.group_kettle"))]})
        env["kt.kettle"].create({"name": "Copper", "litres": 2})
    app.extensions["kangyi"].engine.dispose()
    served = answers(browser, log, "/web/kt.kettle")
    assert all(statuses == {200} for statuses in served.values()), served
    assert "Copper" in browser.get("/web/kt.kettle")[1]

    kangyi(database_url, site, "addons", "uninstall", "kt_hot")
    pip_uninstall(site, "kt_hot")
    gone = answers(browser, log, "/web/kt.kettle")
    assert all(statuses == {404} for statuses in gone.values()), gone
    assert browser.get("/")[0] == 200
