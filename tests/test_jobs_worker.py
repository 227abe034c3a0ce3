"""Real ``kangyi worker`` processes: the consumer and scheduler on SQLite storage and on Redis."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time

import pytest

from core.jobs import JobQueue, enqueue
from core.models import utcnow
from tests.conftest import FIXTURE_ADDONS

REDIS_URL = os.environ.get("KANGYI_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


def redis_or_skip(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis server at {url}")


def start_worker(database_url, queue_url, instance, log, **environ):
    env = {**os.environ, "KANGYI_DATABASE_URL": database_url, "KANGYI_QUEUE_URL": queue_url,
           "KANGYI_ADDONS_PATH": FIXTURE_ADDONS, "KANGYI_INSTANCE": str(instance), **environ}
    return subprocess.Popen([sys.executable, "-c", "from core.cli import main; main()",
                             "worker"], env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def stop(processes, logs=()):
    """Stop worker (or server) processes with SIGTERM (killed after 20 s), close their logs."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for log in logs:
        log.close()


def wait_for(check, timeout=45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


@pytest.mark.parametrize("storage", ["sqlite", "redis"])
def test_worker_processes_run_jobs_once(make_runtime, database_url, tmp_path, storage):
    if storage == "redis":
        redis_or_skip(REDIS_URL)
        # two job workers share the broker (on PostgreSQL: SQLite has one writer at a time)
        queue_url, workers = REDIS_URL, 1 if database_url.startswith("sqlite") else 2
    else:
        queue_url, workers = f"sqlite:///{tmp_path / 'queue.db'}", 1
    runtime = make_runtime()
    runtime.manager.install(["kt_jobs"])
    queue = JobQueue(runtime, queue_url)
    queue.huey.flush()
    with runtime.env() as env:
        env["kt.thing"].create({"name": "secret"})
        cron_id = env["ir.cron"].search([("code", "=", "kt_jobs.job_count")])[0]
        env["ir.cron"].write([cron_id], {"nextcall": utcnow() - dt.timedelta(minutes=1)})
        job_ids = [enqueue(env, "kt_jobs.hooks:count_visible", f"job{i}") for i in range(6)]
        failing = enqueue(env, "kt_jobs.hooks:fail", "no retry left")
    logs = [(tmp_path / f"worker{n}.log").open("w") for n in range(workers)]
    processes = [start_worker(database_url, queue_url, tmp_path, log) for log in logs]
    try:
        def finished():
            with runtime.env() as env:
                jobs = env["queue.job"].read(job_ids, ["state"])
                cron = env["ir.cron"].read([cron_id], ["state"])[0]
                return all(j["state"] == "done" for j in jobs) and cron["state"] == "done"

        assert wait_for(finished), [(p.poll(), (tmp_path / f"worker{n}.log").read_text())
                                    for n, p in enumerate(processes)]
        with runtime.env() as env:
            attempts = {j["attempts"] for j in env["queue.job"].read(job_ids, ["attempts"])}
            assert attempts == {1}  # each job ran once, whichever worker took it
            names = env["kt.thing"].search_read([("name", "ilike", "job")], ["name"])
            assert len(names) == 6
            assert env["kt.thing"].search_count([("name", "ilike", "counted ")]) == 1
            cron = env["ir.cron"].read([cron_id], ["lastcall", "nextcall", "duration"])[0]
            assert cron["lastcall"] and cron["nextcall"] > utcnow() and cron["duration"] >= 0
            failed = env["queue.job"].read([failing], ["state", "error"])[0]
            assert failed["state"] in ("retrying", "failed") and "no retry left" in failed["error"]
    finally:
        stop(processes, logs)
        if storage == "redis":
            queue.huey.flush()


def test_worker_process_makes_a_big_export_for_its_user(make_app, database_url, tmp_path):
    """A long user action in a real worker: the worker renders the export in a request of the
    user (her language, her record rules) and keeps the file in the shared file store."""
    import re

    from tests.web_helpers import client_for, csrf, make_user

    queue_url = f"sqlite:///{tmp_path / 'queue.db'}"
    app = make_app(QUEUE_URL=queue_url, EXPORT_JOB_ROWS=2)
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["kt_web"])
    make_user(app, "ann", ["kt_web.group_user"], lang="zh_CN")
    make_user(app, "max", ["kt_web.group_user"])
    with runtime.env() as env:
        users = dict((u["login"], u["id"]) for u in env["res.users"].search_read(
            [("login", "in", ["ann", "max"])], ["login"]))
        env["kt.order"].create([{"name": f"{login}{i}", "user_id": uid}
                                for login, uid in users.items() for i in range(3)])
    ann = client_for(app, "ann")
    response = ann.post("/web/kt.order/bulk", data={"action": "csv",
                                                    "csrf_token": csrf(ann, "/web/kt.order")})
    job_url = response.headers["Location"]
    assert 'data-job-state="pending"' in ann.get(job_url).get_data(as_text=True)
    with (tmp_path / "worker.log").open("w") as log:
        process = start_worker(database_url, queue_url, tmp_path / "instance", log)
        try:
            assert wait_for(lambda: ann.get(job_url + "?format=json").get_json()["job"][
                "state"] == "done"), (tmp_path / "worker.log").read_text()
        finally:
            process.terminate()
            process.wait(timeout=20)
    link = re.search(r'data-job-result href="([^"]+)"', ann.get(job_url).get_data(as_text=True))
    download = ann.get(link.group(1))
    lines = download.get_data().decode("utf-8-sig").splitlines()
    download.close()
    assert lines[0].startswith("编号,") and sorted(lines[1:]) == [
        f"ann{i},,,草稿,"for i in range(3)], lines


def test_worker_threads_share_the_database_safely(make_runtime, database_url, tmp_path):
    """``KANGYI_WORKER_THREADS=3``: three jobs at a time in one worker. On SQLite their write
    transactions queue at ``BEGIN IMMEDIATE`` (30 s busy timeout), so each job runs once and
    none fails with "database is locked"."""
    queue_url = f"sqlite:///{tmp_path / 'queue.db'}"
    runtime = make_runtime()
    runtime.manager.install(["kt_jobs"])
    JobQueue(runtime, queue_url).huey.flush()
    with runtime.env() as env:
        # each holds its write transaction 0.3 s: the threads contend for SQLite's one writer
        job_ids = [enqueue(env, "kt_jobs.hooks:slow_count", f"thread{i}", 0.3)
                   for i in range(12)]
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        process = start_worker(database_url, queue_url, tmp_path, log,
                               KANGYI_WORKER_THREADS="3")
        try:
            def finished():
                with runtime.env() as env:
                    states = {j["state"] for j in env["queue.job"].read(job_ids, ["state"])}
                    return states == {"done"} or "failed" in states or "retrying" in states

            assert wait_for(finished), log_path.read_text()
        finally:
            process.terminate()
            process.wait(timeout=20)
    with runtime.env() as env:
        jobs = env["queue.job"].read(job_ids, ["state", "attempts", "error"])
        assert {(j["state"], j["attempts"]) for j in jobs} == {("done", 1)}, jobs
        assert env["kt.thing"].search_count([("name", "ilike", "thread")]) == 12
    assert "consumer started with 3 thread" in log_path.read_text()
