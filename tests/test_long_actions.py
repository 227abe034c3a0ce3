"""Long user actions as background jobs (``core.web.background``): list exports above
``EXPORT_JOB_ROWS``, imports above ``IMPORT_JOB_ROWS``, run for real through the queue
(immediate mode: the job runs when the request commits, through the worker's code), as the
user: record rules, field groups and the user's language apply; the result file is an
attachment of the job, which only its user (and administrators) may download."""

from __future__ import annotations

import io
import re
import threading
from decimal import Decimal

from openpyxl import load_workbook

from tests.web_helpers import client_for, csrf, login, make_user


def _app(make_app, **config):
    app = make_app(**config)
    app.extensions["kangyi"].manager.install(["kt_web"])
    make_user(app, "ann", ["kt_web.group_user"], lang="zh_CN")
    make_user(app, "max", ["kt_web.group_manager"])
    return app


def _orders(app, count, user):
    with app.extensions["kangyi"].env() as env:
        uid = env["res.users"].search([("login", "=", user)])[0]
        partner = env["res.partner"].create({"name": "Acme"})
        env["kt.order"].create([{"name": f"{user}{i:04d}", "user_id": uid, "partner_id": partner,
                                 "amount": Decimal("10.25"), "margin": Decimal("1.50")}
                                for i in range(count)])


def _job_of(response):
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/web/jobs/(\d+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def _result_link(client, job_id):
    page = client.get(f"/web/jobs/{job_id}").get_data(as_text=True)
    assert 'data-job-state="done"' in page, page
    link = re.search(r'data-job-result href="([^"]+)"', page)
    assert link, page
    return link.group(1), page


def _download(client, url):
    """``(status, mimetype, bytes)`` of a file response, closed (send_file opens the file)."""
    response = client.get(url)
    try:
        return response.status_code, response.mimetype, response.get_data()
    finally:
        response.close()


def test_big_export_runs_as_a_job_of_its_user_and_links_its_file(make_app):
    app = _app(make_app, EXPORT_JOB_ROWS=3)
    _orders(app, 5, "ann")
    _orders(app, 2, "max")
    ann = client_for(app, "ann")
    token = csrf(ann, "/web/kt.order")
    job_id = _job_of(ann.post("/web/kt.order/bulk", data={
        "action": "csv", "query": "order=name desc", "csrf_token": token}))
    url, page = _result_link(ann, job_id)
    assert 'value="100"' in page and "kt_order.csv" in page and ">已完成<" in page
    data = ann.get(f"/web/jobs/{job_id}?format=json").get_json()
    assert data["job"]["state"] == "done" and data["job"]["state_label"] == "已完成"
    assert data["progress"]["percent"] == 100
    status, mimetype, data = _download(ann, url)
    assert status == 200 and mimetype == "text/csv"
    lines = data.decode("utf-8-sig").splitlines()
    # ann's language, her orders only (the record rule), no margin (a manager's field),
    # in the list's order
    assert lines[0] == "编号,客户,订单日期,状态,金额"
    assert [line.split(",")[0] for line in lines[1:]] == [f"ann{i:04d}" for i in (4, 3, 2, 1, 0)]
    # the file is the job's: another user cannot download it, nor see the job
    manager = client_for(app, "max")
    assert _download(manager, url)[0] in (403, 404)
    assert manager.get(f"/web/jobs/{job_id}").status_code in (403, 404)
    admin = app.test_client()
    login(admin, "admin", "admin1234")
    assert _download(admin, url)[0] == 200


def test_an_export_job_lets_others_save_while_it_reads(make_app, monkeypatch):
    """An export only reads: on SQLite it must not hold the write lock while it runs (a user's
    save would wait for the whole export); on PostgreSQL readers never block writers."""
    from core.jobs.queue import JobQueue

    app = _app(make_app, EXPORT_JOB_ROWS=3)
    _orders(app, 5, "ann")
    runtime = app.extensions["kangyi"]
    saved, in_time = threading.Event(), []

    def save_a_partner() -> None:
        with runtime.env() as env:
            env["res.partner"].create({"name": "Saved during the export"})
        saved.set()

    def progress_with_a_save_beside(queue, job_id, value):
        if not saved.is_set():  # the export is reading its rows: another user saves
            writer = threading.Thread(target=save_a_partner, daemon=True)
            writer.start()
            writer.join(5)
            in_time.append(saved.is_set())
        original(queue, job_id, value)

    original = JobQueue.set_progress
    monkeypatch.setattr(JobQueue, "set_progress", progress_with_a_save_beside)
    ann = client_for(app, "ann")
    job_id = _job_of(ann.post("/web/kt.order/bulk", data={
        "action": "csv", "query": "", "csrf_token": csrf(ann, "/web/kt.order")}))
    assert _result_link(ann, job_id)[0] and saved.wait(60)
    assert in_time == [True], "a save waited for the export to end"


def test_selected_rows_above_the_size_export_as_xlsx_in_a_job(make_app):
    app = _app(make_app, EXPORT_JOB_ROWS=3)
    _orders(app, 4, "max")
    with app.extensions["kangyi"].env() as env:
        ids = env["kt.order"].search([], order="name")
    manager = client_for(app, "max")
    token = csrf(manager, "/web/kt.order")
    job_id = _job_of(manager.post("/web/kt.order/bulk", data={
        "action": "xlsx", "ids": [str(i) for i in ids], "csrf_token": token}))
    url, _page = _result_link(manager, job_id)
    sheet = load_workbook(io.BytesIO(_download(manager, url)[2])).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Reference" and "Margin" in values[0] and len(values) == 5
    small = manager.post("/web/kt.order/bulk", data={  # at the size or below: at once
        "action": "csv", "ids": [str(i) for i in ids[:3]], "csrf_token": token})
    assert small.status_code == 200 and small.mimetype == "text/csv"


def test_big_import_runs_as_a_job_all_or_nothing(make_app):
    app = make_app(IMPORT_JOB_ROWS=2)
    make_user(app, "clerk", ["base.group_user"], lang="zh_CN")
    clerk = client_for(app, "clerk")
    token = csrf(clerk, "/web/res.partner/import")
    good = "名称,电话\n甲公司,021-1\n乙公司,021-2\n丙公司,021-3\n".encode()
    preview = clerk.post("/web/res.partner/import", data={
        "csrf_token": token, "action": "preview", "file": (io.BytesIO(good), "p.csv")},
        content_type="multipart/form-data")
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "import-preview" not in text  # columns only
    assert "后台" in text, text  # "imported in the background"
    with app.extensions["kangyi"].env() as env:
        assert env["res.partner"].search_count([("name", "like", "公司")]) == 0
    job_id = _job_of(clerk.post("/web/res.partner/import", data={
        "csrf_token": token, "action": "import", "file": (io.BytesIO(good), "p.csv")},
        content_type="multipart/form-data"))
    url, page = _result_link(clerk, job_id)
    assert url == "/web/res.partner" and "新建 3 条记录" in page
    with app.extensions["kangyi"].env() as env:
        assert env["res.partner"].search_count([("name", "like", "公司")]) == 3
    bad = "名称,是公司\n丁公司,是\n戊公司,也许\n己公司,否\n".encode()
    job_id = _job_of(clerk.post("/web/res.partner/import", data={
        "csrf_token": token, "action": "import", "file": (io.BytesIO(bad), "bad.csv")},
        content_type="multipart/form-data"))
    url, page = _result_link(clerk, job_id)
    status, _mimetype, data = _download(clerk, url)
    assert status == 200 and "1 个问题：未导入任何记录" in page
    lines = data.decode("utf-8-sig").splitlines()
    assert len(lines) == 2 and lines[1].startswith("3,"), lines
    with app.extensions["kangyi"].env() as env:  # nothing of the bad file was kept
        assert env["res.partner"].search_count([("name", "in", ["丁公司", "己公司"])]) == 0
