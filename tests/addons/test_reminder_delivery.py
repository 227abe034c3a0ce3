"""A scheduled reminder end to end: a real ``kangyi worker`` process claims the due month-end
job of accounting, which notifies the accountants in the app and, through the queue, by e-mail
to a real SMTP server the test starts (aiosmtpd), in the recipient's language."""

from __future__ import annotations

import datetime as dt

from test_account_helpers import make_user, voucher

from core.models import utcnow
from tests.test_jobs_worker import start_worker, wait_for
from tests.test_mail import set_server, smtp  # noqa: F401 (the SMTP server fixture)


def test_worker_delivers_the_month_end_reminder_in_app_and_by_email(
        make_runtime, database_url, tmp_path, smtp):  # noqa: F811
    runtime = make_runtime()
    runtime.manager.install(["accounting"])
    set_server(runtime, smtp.port)
    last_month = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    with runtime.env() as env:
        chief = make_user(env, "chief", "accounting.group_chief")
        env["res.users"].write([chief], {"lang": "zh_CN", "email": "chief@kangyi.test"})
        voucher(env, [("1002", 1, 0), ("6001", 0, 1)], day=last_month)  # opens the periods
        voucher(env, [("1002", 2, 0), ("6001", 0, 2)], day=last_month, post=False)
        cron = env["ir.cron"].search([("code", "=", "accounting.job_month_end_reminders")])[0]
        env["ir.cron"].write([cron], {"nextcall": utcnow() - dt.timedelta(minutes=1)})
    queue_url = f"sqlite:///{tmp_path / 'queue.db'}"
    with (tmp_path / "worker.log").open("w") as log:
        worker = start_worker(database_url, queue_url, tmp_path / "instance", log)
        try:
            assert wait_for(lambda: smtp.to("chief@kangyi.test")), (
                tmp_path / "worker.log").read_text()
        finally:
            worker.terminate()
            worker.wait(timeout=20)
    # last month's period (in a month's last three days, this month's too)
    [mail] = [m for m in smtp.to("chief@kangyi.test") if "该期间还有 1 张凭证未过账" in
              m.get_content()]
    assert mail["Subject"].startswith("提醒：")
    with runtime.env() as env:
        notes = env["mail.notification"].search_read([("user_id", "=", chief)],
                                                      ["title", "body", "url"])
        assert any(n["title"] == mail["Subject"] and "/web/account.period/" in n["url"]
                   for n in notes), notes
        assert env["ir.cron"].read([cron], ["state"])[0]["state"] == "done"
        assert {m["state"] for m in env["mail.mail"].search_read([], ["state"])} == {"sent"}
