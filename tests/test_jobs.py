"""Background and scheduled jobs (core/jobs): run for real, in Huey's immediate mode.

Immediate mode runs a job in-process when the submitting transaction commits, through the same
task code a worker runs; ``test_jobs_worker.py`` starts real worker processes.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.errors import AccessError, ValidationError
from core.jobs import JobQueue, enqueue, jobs_of, queue_of
from core.jobs.runner import tick
from core.models import utcnow
from tests.web_helpers import client_for, csrf, login, make_user


@pytest.fixture
def jobs_runtime(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["kt_jobs"])
    return runtime


def cron(env, code):
    rows = env["ir.cron"].search_read([("code", "=", code), ("active", "in", [True, False])], [
        "name", "active", "state", "lastcall", "nextcall", "last_error", "duration",
        "interval_number", "interval_type", "cron_expression", "user_id"])
    return rows[0]


def make_due(runtime, code):
    with runtime.env() as env:
        env["ir.cron"].write([cron(env, code)["id"]],
                             {"nextcall": utcnow() - dt.timedelta(minutes=5)})


def test_hook_register_jobs(jobs_runtime):
    with jobs_runtime.env() as env:
        assert set(jobs_of(env.registry)) == {"kt_jobs.job_count", "kt_jobs.job_fail"}
        count = cron(env, "kt_jobs.job_count")
        assert (count["interval_number"], count["interval_type"]) == (2, "hours")
        assert count["active"] and count["state"] == "idle"
        assert utcnow() < count["nextcall"] <= utcnow() + dt.timedelta(hours=2)
        nightly = cron(env, "kt_jobs.job_fail")
        assert nightly["cron_expression"] == "0 3 * * *"
        assert (nightly["nextcall"].hour, nightly["nextcall"].minute) == (3, 0)
        # an administrator's schedule survives an upgrade of the addon
        env["ir.cron"].write([count["id"]], {"interval_number": 5, "active": False})
    jobs_runtime.manager.upgrade(["kt_jobs"])
    with jobs_runtime.env() as env:
        count = cron(env, "kt_jobs.job_count")
        assert (count["interval_number"], count["active"]) == (5, False)
    jobs_runtime.manager.uninstall(["kt_jobs"])
    with jobs_runtime.env() as env:
        assert not env["ir.cron"].search([("code", "ilike", "kt_jobs.")])


def test_due_job_runs_once_and_moves_on(jobs_runtime):
    make_due(jobs_runtime, "kt_jobs.job_count")
    queue = queue_of_runtime(jobs_runtime)
    claimed = tick(queue)
    assert len(claimed) == 1
    assert tick(queue) == []  # claimed: not run again before its next call
    with jobs_runtime.env() as env:
        row = cron(env, "kt_jobs.job_count")
        assert row["state"] == "done" and row["last_error"] is None
        assert row["lastcall"] is not None and row["duration"] is not None
        assert row["nextcall"] > utcnow()
        assert env["kt.thing"].search_count([("name", "ilike", "counted ")]) == 1


def queue_of_runtime(runtime, **options):
    if options:
        return JobQueue(runtime, "immediate", **options)
    with runtime.env() as env:
        return queue_of(env)


def test_paused_job_does_not_run_and_resumes(jobs_runtime):
    make_due(jobs_runtime, "kt_jobs.job_count")
    with jobs_runtime.env() as env:
        env["ir.cron"].call("action_pause", [cron(env, "kt_jobs.job_count")["id"]])
    assert tick(queue_of_runtime(jobs_runtime)) == []
    with jobs_runtime.env() as env:
        cron_id = cron(env, "kt_jobs.job_count")["id"]
        env["ir.cron"].call("action_resume", [cron_id])
        row = cron(env, "kt_jobs.job_count")
        assert row["active"] and row["nextcall"] > utcnow()


def test_failure_is_retried_with_back_off_then_recorded(jobs_runtime):
    queue = queue_of_runtime(jobs_runtime, retries=2, retry_delay=30)
    make_due(jobs_runtime, "kt_jobs.job_fail")
    tick(queue)
    with jobs_runtime.env() as env:
        row = cron(env, "kt_jobs.job_fail")
        assert row["state"] == "retrying" and "boom" in row["last_error"]
        assert env["kt.thing"].search_count([("name", "=", "never kept")]) == 0  # rolled back
    scheduled = queue.huey.scheduled()
    assert len(scheduled) == 1 and scheduled[0].retries == 1
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert now + dt.timedelta(seconds=25) < scheduled[0].eta < now + dt.timedelta(seconds=35)
    # the retry runs (as the consumer would once its time comes) and fails again: longer delay
    queue.huey.storage.flush_schedule()
    retry = scheduled[0]
    retry.eta = None
    queue.huey.execute(retry)
    again = queue.huey.scheduled()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    assert len(again) == 1  # 30 s, then 60 s: back-off
    assert now + dt.timedelta(seconds=55) < again[0].eta < now + dt.timedelta(seconds=65)
    queue.huey.storage.flush_schedule()
    last = again[0]
    last.eta = None
    queue.huey.execute(last)  # no retry left: recorded as failed
    assert queue.huey.scheduled() == []
    with jobs_runtime.env() as env:
        row = cron(env, "kt_jobs.job_fail")
        assert row["state"] == "failed" and "ValueError: boom" in row["last_error"]


def test_enqueued_job_runs_as_its_user_with_record_rules(jobs_runtime):
    with jobs_runtime.env() as env:
        env["kt.thing"].create({"name": "secret"})
        uid = env["res.users"].create({"login": "u", "name": "U", "groups_id": [
            (6, 0, [env.ref_id("kt_alpha.group_thing")])]})
        visible_to_admin = env["kt.thing"].search_count([])
        job_id = enqueue(env(uid=uid), "kt_jobs.hooks:count_visible", "seen",
                         name="Count for U")
        assert env["queue.job"].read([job_id], ["state"])[0]["state"] == "pending"
    with jobs_runtime.env() as env:
        job = env["queue.job"].read([job_id], ["state", "attempts", "user_id", "error"])[0]
        assert (job["state"], job["attempts"], job["user_id"][0]) == ("done", 1, uid)
        names = [r["name"] for r in env["kt.thing"].search_read([("name", "ilike", "seen ")],
                                                                ["name"])]
        assert names == [f"seen {visible_to_admin - 1} by {uid}"]  # the secret one is hidden


def test_rolled_back_transaction_queues_nothing(jobs_runtime):
    with pytest.raises(RuntimeError):
        with jobs_runtime.env() as env:
            enqueue(env, "kt_jobs.hooks:count_visible", "ghost")
            raise RuntimeError("rolled back")
    with jobs_runtime.env() as env:
        assert env["kt.thing"].search_count([("name", "ilike", "ghost ")]) == 0
        assert env["queue.job"].search_count([]) == 0


def test_a_job_enqueued_inside_an_installation_runs_once_it_committed(make_runtime):
    """Demo data (or any hook) enqueuing a job inside an installation, whose sessions run in
    the addon manager's transaction: the job is queued when that transaction commits, and
    nothing is when the installation is rolled back (nor later, by another installation on
    the same pooled connection)."""
    from core.errors import AddonError

    runtime = make_runtime()
    with pytest.raises(AddonError):  # kt_jobs' demo enqueues, then kt_jobs_broken fails
        runtime.manager.install(["kt_jobs_broken"], demo=True)
    with runtime.env() as env:
        assert "queue.job" in env.registry and env["queue.job"].search_count([]) == 0
    runtime.manager.install(["kt_alpha"], demo=True)  # no stale work from the failure
    with runtime.env() as env:
        assert env["queue.job"].search_count([]) == 0
    runtime.manager.install(["kt_jobs"], demo=True)
    with runtime.env() as env:
        jobs = env["queue.job"].search_read([], ["name", "state", "error"])
        made = env["kt.thing"].search_read([("name", "ilike", "installed ")], ["name"])
    assert [(j["name"], j["state"], j["error"]) for j in jobs] == [
        ("count at install", "done", None)]
    assert len(made) == 1


def test_failed_one_off_job_is_recorded_and_its_work_rolled_back(jobs_runtime):
    queue_of_runtime(jobs_runtime)  # the default queue (3 retries)…
    with jobs_runtime.env() as env:
        JobQueue(jobs_runtime, "immediate", retries=0)  # …replaced by one without retries
        job_id = enqueue(env, "kt_jobs.hooks:fail", "disk full")
    with jobs_runtime.env() as env:
        job = env["queue.job"].read([job_id], ["state", "error", "date_done"])[0]
        assert job["state"] == "failed" and "disk full" in job["error"] and job["date_done"]
        assert env["kt.thing"].search_count([("name", "=", "never kept")]) == 0


def test_long_job_reports_progress_and_result(jobs_runtime):
    with jobs_runtime.env() as env:
        job_id = enqueue(env, "kt_jobs.hooks:long_action", 4)
    with jobs_runtime.env() as env:
        job = env["queue.job"].read([job_id], ["state", "result_url", "result_name"])[0]
        assert job == {"id": job_id, "state": "done", "result_url": "/web/result/42",
                       "result_name": "result.csv"}
        assert queue_of(env).get_progress(job_id) == {"done": 4, "total": 4, "percent": 100,
                                                      "message": "step 4"}


def test_schedule_is_validated(jobs_runtime):
    with jobs_runtime.env() as env:
        cron_id = cron(env, "kt_jobs.job_count")["id"]
        with pytest.raises(ValidationError):
            env["ir.cron"].write([cron_id], {"cron_expression": "every day"})
        env["ir.cron"].write([cron_id], {"cron_expression": "*/15 * * * *"})


def test_only_administrators_read_scheduled_jobs(jobs_runtime):
    with jobs_runtime.env() as env:
        uid = env["res.users"].create({"login": "u", "name": "U", "groups_id": [
            (6, 0, [env.ref_id("base.group_user")])]})
        with pytest.raises(AccessError):
            env(uid=uid)["ir.cron"].search_read([], ["name"])
        with pytest.raises(AccessError):  # history: no door writes it
            env["queue.job"].create({"name": "x", "function": "os:system"})


def test_scheduled_jobs_over_rpc_and_in_settings(make_app):
    app = make_app()
    app.extensions["kangyi"].manager.install(["kt_jobs"])
    make_user(app, "clerk", ["base.group_user"])
    admin = app.test_client()
    login(admin, "admin", "admin1234")

    def rpc(client, login_name, password, *call):
        def post(service, method, args):
            body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
                "service": service, "method": method, "args": args}}
            return client.post("/jsonrpc", json=body).get_json()

        database = post("db", "list", [])["result"][0]
        return post("object", "execute_kw", [database, login_name, password, *call])

    with app.extensions["kangyi"].env() as env:
        admin_uid = env.ref_id("base.user_admin")
        clerk_uid = env["res.users"].search([("login", "=", "clerk")])[0]
    reply = rpc(app.test_client(), admin_uid, "admin1234", "ir.cron", "search_read",
                [[["code", "=", "kt_jobs.job_count"]]], {"fields": ["name", "nextcall", "state"]})
    assert reply["result"][0]["name"] == "Count things", reply
    reply = rpc(app.test_client(), clerk_uid, "password123", "ir.cron", "search_read", [[]])
    assert "error" in reply

    page = admin.get("/web/ir.cron")
    assert page.status_code == 200 and "Count things" in page.get_data(as_text=True)
    with app.extensions["kangyi"].env() as env:
        cron_id = cron(env, "kt_jobs.job_count")["id"]
    token = csrf(admin, f"/web/ir.cron/{cron_id}")
    response = admin.post(f"/web/ir.cron/{cron_id}/call/action_run_now",
                          data={"csrf_token": token})
    assert response.status_code in (200, 302), response.get_data(as_text=True)
    with app.extensions["kangyi"].env() as env:
        row = cron(env, "kt_jobs.job_count")
        assert row["state"] == "done" and row["lastcall"] is not None
    # Pause only while it runs on schedule, Resume only while paused (Button(when=...))
    form = admin.get(f"/web/ir.cron/{cron_id}").get_data(as_text=True)
    assert "/call/action_pause" in form and "/call/action_resume" not in form
    admin.post(f"/web/ir.cron/{cron_id}/call/action_pause", data={"csrf_token": token})
    form = admin.get(f"/web/ir.cron/{cron_id}").get_data(as_text=True)
    assert "/call/action_pause" not in form and "/call/action_resume" in form
    again = admin.post(f"/web/ir.cron/{cron_id}/call/action_pause", data={"csrf_token": token},
                       follow_redirects=True).get_data(as_text=True)
    assert "This action is not available in the record" in again
    with app.extensions["kangyi"].env() as env:
        assert env["ir.cron"].search_count([("id", "=", cron_id),
                                            ("active", "=", False)]) == 1
    clerk = client_for(app, "clerk")
    assert clerk.get("/web/ir.cron").status_code == 403
    assert json.loads(json.dumps(row, default=str))  # plain values


def test_progress_page_of_a_long_job(make_app):
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["kt_jobs"])
    make_user(app, "other", ["base.group_user"])
    with runtime.env() as env:
        job_id = enqueue(env(uid=env.ref_id("base.user_admin")), "kt_jobs.hooks:long_action", 3,
                         name="Export things")
    admin = app.test_client()
    login(admin, "admin", "admin1234")
    page = admin.get(f"/web/jobs/{job_id}").get_data(as_text=True)
    assert "Export things" in page and 'value="100"' in page and "/web/result/42" in page
    data = admin.get(f"/web/jobs/{job_id}?format=json").get_json()
    assert data["job"]["state"] == "done" and data["progress"]["message"] == "step 3"
    assert client_for(app, "other").get(f"/web/jobs/{job_id}").status_code in (403, 404)


def test_one_setting_chooses_the_queue_default_in_the_instance_folder(tmp_path, monkeypatch):
    """``KANGYI_QUEUE_URL`` (or ``QUEUE_URL``, which wins) picks the queue; unset, an SQLite
    file ``queue.db`` beside the database in the instance folder."""
    from core.jobs.queue import queue_url

    monkeypatch.delenv("KANGYI_QUEUE_URL", raising=False)
    monkeypatch.setenv("KANGYI_INSTANCE", str(tmp_path / "site"))
    assert queue_url() == f"sqlite:///{tmp_path / 'site' / 'queue.db'}"
    assert queue_url({"INSTANCE_PATH": str(tmp_path / "other")}) == \
        f"sqlite:///{tmp_path / 'other' / 'queue.db'}"
    monkeypatch.setenv("KANGYI_QUEUE_URL", "redis://127.0.0.1:6379/0")
    assert queue_url() == "redis://127.0.0.1:6379/0"
    assert queue_url({"QUEUE_URL": "immediate"}) == "immediate"
