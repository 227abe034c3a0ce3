"""Scheduled jobs of stock: replenishment work for the reorder rules below their minimum."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.activity import schedule
from core.i18n import _, _l
from core.jobs import CronJob
from core.workflow_engine import group_members

from .security import MANAGER

RULE = "stock.warehouse.orderpoint"


def replenish(env: Any) -> int:
    """Each rule below its minimum goes to ``stock_replenish`` (a purchase request when purchase
    is installed); unanswered, a to-do for the stock managers (one open to-do per rule)."""
    rules = env[RULE].search_read([("below_min", "=", True)], [
        "name", "product_id", "warehouse_id", "qty_on_hand", "qty_to_order"])
    if not rules:
        return 0
    su = env.sudo()
    planned = {a["res_id"] for a in su["mail.activity"].search_read(
        [("res_model", "=", RULE), ("res_id", "in", [r["id"] for r in rules]),
         ("done", "=", False)], ["res_id"])}
    managers = sorted(group_members(su, su.ref_id(MANAGER)))
    made = 0
    for rule in rules:
        if env.registry.pm.hook.stock_replenish(env=env, orderpoint=rule):
            continue
        if rule["id"] in planned or not managers:
            continue
        for uid in managers:
            schedule(su, RULE, rule["id"], _("Replenish %(rule)s: order %(qty)s",
                                             rule=rule["name"], qty=rule["qty_to_order"]),
                     dt.date.today(), user_id=uid)
            made += 1
    return made


JOBS = [CronJob("stock.job_replenish", _l("Replenishment of reorder rules"), replenish,
                cron="0 6 * * *")]
