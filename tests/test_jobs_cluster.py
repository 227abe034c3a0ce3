"""The production shape of issue 18: PostgreSQL, Redis, gunicorn with two web workers and two
``kangyi worker`` processes, all separate processes. Two users each ask for several big exports
at once through the web; every export is queued by whichever web worker answered, run once by
whichever job worker took it, as its user (record rules, language), and downloaded from its
job's page; both web workers queue exports and both job workers run them (gunicorn's access log
and the workers' logs say which). Needs ``KANGYI_TEST_DATABASE_URL`` (PostgreSQL) and a Redis
server."""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_ADDONS, PG_URL
from tests.test_hot_install_gunicorn import Browser
from tests.test_jobs_worker import REDIS_URL, redis_or_skip, start_worker, stop, wait_for
from tests.web_helpers import CSRF, make_user

ROOT = Path(__file__).resolve().parent.parent
EXPORTS = 3  # per user and round
ROUNDS = 5  # at most


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post(browser: Browser, path: str, fields: dict[str, str]) -> str:
    """POST a form (with the CSRF token of the list page); the path it redirects to."""
    import urllib.parse

    token = CSRF.search(browser.get("/web/kt.order")[1]).group(1)
    data = urllib.parse.urlencode({**fields, "csrf_token": token}).encode()
    with browser.opener.open(browser.base + path, data=data, timeout=60) as response:
        return urllib.parse.urlsplit(response.url).path


@pytest.mark.skipif(not PG_URL, reason="the production shape runs on PostgreSQL")
def test_exports_through_two_web_and_two_job_workers(make_app, database_url, tmp_path):
    redis_or_skip(REDIS_URL)
    app = make_app(QUEUE_URL=REDIS_URL)
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["kt_web"])
    make_user(app, "ann", ["kt_web.group_user"], lang="zh_CN")
    make_user(app, "max", ["kt_web.group_manager"])
    app.extensions["kangyi.queue"].huey.flush()
    with runtime.env() as env:
        users = {u["login"]: u["id"] for u in env["res.users"].search_read(
            [("login", "in", ["ann", "max"])], ["login"])}
        env["kt.order"].create([{"name": f"{login}{i:03d}", "user_id": uid}
                                for login, count in (("ann", 12), ("max", 8))
                                for uid in [users[login]] for i in range(count)])
    runtime.engine.dispose()
    instance, port = tmp_path / "instance", _free_port()
    environ = {**os.environ, "KANGYI_DATABASE_URL": database_url, "KANGYI_QUEUE_URL": REDIS_URL,
               "KANGYI_SECRET_KEY": "test", "KANGYI_INSTANCE": str(instance),
               "KANGYI_ADDONS_PATH": FIXTURE_ADDONS, "KANGYI_EXPORT_JOB_ROWS": "5"}
    access = tmp_path / "access.log"
    logs = [(tmp_path / f"worker{n}.log").open("w") for n in range(2)]
    processes = [subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--access-logfile", str(access), "--access-logformat", "%(p)s %(s)s %(U)s",
         "core.app:create_app()"], cwd=ROOT, env=environ, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)]
    processes += [start_worker(database_url, REDIS_URL, instance, log) for log in logs]
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(lambda: _up(base), timeout=90), "gunicorn did not start"

        def exports(login: str) -> list[list[list[str]]]:
            browser = Browser(base)
            browser.log_in(login, "password123")
            with ThreadPoolExecutor(EXPORTS) as pool:  # all at once
                jobs = list(pool.map(lambda _n: _post(browser, "/web/kt.order/bulk",
                                                      {"action": "csv"}), range(EXPORTS)))
            files = []
            for job in jobs:
                assert re.search(r"/web/jobs/\d+$", job), job
                assert wait_for(lambda job=job: '"state":"done"' in browser.get(
                    job + "?format=json")[1].replace(" ", "")), browser.get(job)[1]
                link = re.search(r'data-job-result href="([^"]+)"', browser.get(job)[1])
                status, body = browser.get(link.group(1))
                assert status == 200
                files.append(list(csv.reader(io.StringIO(body.lstrip("\ufeff")))))
            return files

        # both consumers wait on the broker before the first export (else the first one up
        # could take every job); then rounds of both users' exports at once, until both web
        # workers have queued exports and both job workers have run them (one round nearly
        # always; more only on a loaded machine)
        assert wait_for(lambda: all("Huey consumer started" in (tmp_path / f"worker{n}.log")
                                    .read_text() for n in range(2)), timeout=90)
        rounds: list[list[list[list[list[str]]]]] = []
        while len(rounds) < ROUNDS and not (len(answered(access)) == 2 and ran(tmp_path) == [0, 1]):
            with ThreadPoolExecutor(2) as pool:
                rounds.append(list(pool.map(exports, ["ann", "max"])))
    finally:
        stop(processes, logs)
    print(f"rounds: {len(rounds)}; web workers answering exports: {answered(access)}; "
          f"job workers that ran jobs: {ran(tmp_path)}")
    assert len(answered(access)) == 2, access.read_text()
    assert ran(tmp_path) == [0, 1]
    for ann, max_ in rounds:
        for rows in ann:  # her language, her orders only
            assert rows[0][0] == "编号" and sorted(r[0] for r in rows[1:]) == [
                f"ann{i:03d}" for i in range(12)]
        for rows in max_:  # a manager sees every order
            assert rows[0][0] == "Reference" and len(rows) == 21
    runtime = make_app(init=False).extensions["kangyi"]
    with runtime.env() as env:
        jobs = env["queue.job"].search_read([], ["state", "attempts"])
        assert len(jobs) == len(rounds) * 2 * EXPORTS and {
            (j["state"], j["attempts"]) for j in jobs} == {("done", 1)}  # each ran once


def answered(access: Path) -> set[str]:
    """The pids of the gunicorn workers that answered an export (the access log's first field)."""
    return {line.split()[0] for line in access.read_text().splitlines()
            if "/web/kt.order/bulk" in line}


def ran(folder: Path) -> list[int]:
    """The job workers (their numbers) whose log shows a job run."""
    return [n for n in range(2) if "kangyi.job" in (folder / f"worker{n}.log").read_text()]


def _up(base: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(base + "/web/login", timeout=5) as response:
            return response.status == 200
    except OSError:
        time.sleep(0.5)
        return False
