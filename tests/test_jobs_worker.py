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


def start_worker(database_url, queue_url, instance, log):
    env = {**os.environ, "KANGYI_DATABASE_URL": database_url, "KANGYI_QUEUE_URL": queue_url,
           "KANGYI_ADDONS_PATH": FIXTURE_ADDONS, "KANGYI_INSTANCE": str(instance)}
    return subprocess.Popen([sys.executable, "-c", "from core.cli import main; main()",
                             "worker"], env=env,
                            stdout=log, stderr=subprocess.STDOUT)


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
        if storage == "redis":
            queue.huey.flush()
