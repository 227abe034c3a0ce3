"""What the base addon registers for jobs: access rights, rules, menus and views of ``ir.cron``
and ``queue.job``."""

from __future__ import annotations

from ..i18n import _l
from ..menus import MenuItem
from ..security import Access, Rule
from ..views import Button, Field, Filter, FormView, ListView

_ADMIN = ("base.group_system",)

JOB_ACCESS = [
    Access("base.access_ir_cron_admin", "ir.cron", "base.group_system", write=True),
    Access("base.access_queue_job_user", "queue.job", "base.group_user"),
]

JOB_RULES = [
    Rule("base.rule_queue_job_own", _l("Own background jobs"), "queue.job",
         "[('user_id', '=', uid)]", groups=("base.group_user",)),
    Rule("base.rule_queue_job_admin", _l("All background jobs"), "queue.job", "[(1, '=', 1)]",
         groups=_ADMIN),
]

JOB_MENUS = [
    MenuItem("base.menu_cron", _l("Scheduled jobs"), "base.menu_settings", 35,
             model="ir.cron", groups=_ADMIN),
    MenuItem("base.menu_queue_jobs", _l("Background jobs"), "base.menu_technical", 60,
             model="queue.job", groups=_ADMIN),
]

JOB_VIEWS = [
    ListView("ir.cron", (Field("name", translate=True), "active", "interval_number",
                         "interval_type", "cron_expression", "lastcall", "nextcall", "state",
                         "duration", "last_error", "user_id"),
             search=("name", "code"), group_by=("state", "active"),
             filters=(Filter("failed", _l("Failed"), (("state", "=", "failed"),)),
                      Filter("paused", _l("Paused"), (("active", "=", False),)))),
    FormView("ir.cron", (Field("name", translate=True, readonly=True), "code", "active",
                         "interval_number", "interval_type", "cron_expression", "nextcall",
                         "user_id", "lastcall", "state", "duration",
                         Field("last_error", widget="textarea", readonly=True)),
             buttons=(Button("action_run_now", _l("Run now"), primary=True),
                      Button("action_pause", _l("Pause"), when=(("active", True),)),
                      Button("action_resume", _l("Resume"), when=(("active", False),)))),
    ListView("queue.job", ("name", "user_id", "state", "attempts", "date_started", "date_done",
                           "duration", "error"),
             search=("name", "function"), group_by=("state", "user_id")),
]
