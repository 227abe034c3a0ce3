"""The shipped addons' scheduled jobs, run through the scheduler's code: replenishment work for
reorder rules below their minimum (stock_replenish hook, else a to-do for stock managers) and
contract expiry / collection-plan and return-visit reminders (crm)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.jobs import queue_of
from core.jobs.runner import run_cron
from core.plugins import hookimpl


@pytest.fixture(scope="module")
def erp(tmp_path_factory):
    from core import db
    from core.runtime import Runtime
    from core.testing import fresh_database_url

    runtime = Runtime(db.create_engine(fresh_database_url(tmp_path_factory.mktemp("jobs"))))
    runtime.manager.init_database()
    runtime.manager.install(["stock", "crm"], demo=True)
    yield runtime
    runtime.engine.dispose()


def run(runtime, code):
    with runtime.env() as env:
        cron_id = env["ir.cron"].search([("code", "=", code)])[0]
        queue = queue_of(env)
    run_cron(queue, cron_id)
    with runtime.env() as env:
        return env["ir.cron"].read([cron_id], ["state", "last_error"])[0]


def below_minimum_rule(runtime):
    with runtime.env() as env:
        manager = env["res.users"].create({"login": "stockboss", "name": "Stock boss",
                                           "groups_id": [(6, 0, [env.ref_id(
                                               "stock.group_manager")])]})
        product = env["product.product"].search([], limit=1)[0]
        warehouse = env["stock.warehouse"].search([], limit=1)[0]
        rule = env["stock.warehouse.orderpoint"].create({
            "product_id": product, "warehouse_id": warehouse,
            "product_min_qty": Decimal("100000"), "product_max_qty": Decimal("200000")})
        assert env["stock.warehouse.orderpoint"].read([rule], ["below_min"])[0]["below_min"]
    return manager, rule


def test_replenishment_plans_a_todo_for_stock_managers_once(erp):
    manager, rule = below_minimum_rule(erp)
    result = run(erp, "stock.job_replenish")
    assert (result["state"], result["last_error"]) == ("done", None)
    run(erp, "stock.job_replenish")  # the next day: still one open to-do per rule
    with erp.env() as env:
        todos = env["mail.activity"].search_read(
            [("res_model", "=", "stock.warehouse.orderpoint"), ("res_id", "=", rule),
             ("user_id", "=", manager)], ["summary", "done"])
        assert len(todos) == 1 and "Replenish" in todos[0]["summary"]


def test_hook_stock_replenish(erp):
    answered = []

    class Purchase:  # what the purchase addon does: a purchase request instead of a to-do
        @hookimpl
        def stock_replenish(self, env, orderpoint):
            answered.append(orderpoint["qty_to_order"])
            return True

    with erp.env() as env:
        pm = env.registry.pm
        rule_ids = env["stock.warehouse.orderpoint"].search([("below_min", "=", True)])
        before = env["mail.activity"].search_count([("res_model", "=",
                                                     "stock.warehouse.orderpoint")])
    plugin = Purchase()
    pm.register(plugin)
    try:
        _manager, _rule = below_minimum_rule_again(erp)
        run(erp, "stock.job_replenish")
    finally:
        pm.unregister(plugin)
    assert len(answered) == len(rule_ids) + 1 and all(q > 0 for q in answered)
    with erp.env() as env:
        assert env["mail.activity"].search_count([("res_model", "=",
                                                   "stock.warehouse.orderpoint")]) == before


def below_minimum_rule_again(runtime):
    with runtime.env() as env:
        product = env["product.product"].search([], order="id desc", limit=1)[0]
        warehouse = env["stock.warehouse"].search([], limit=1)[0]
        if env["stock.warehouse.orderpoint"].search([("product_id", "=", product)]):
            return None, None
        rule = env["stock.warehouse.orderpoint"].create({
            "product_id": product, "warehouse_id": warehouse,
            "product_min_qty": Decimal("100000"), "product_max_qty": Decimal("100000")})
    return None, rule


def test_contract_expiry_and_collection_reminders(erp):
    today = dt.date.today()
    with erp.env() as env:
        contract = env["crm.contract"].search([], limit=1)[0]
        owner = env["crm.contract"].read([contract], ["user_id"])[0]["user_id"][0]
        env["res.users"].write([owner], {"lang": "zh_CN"})
        env.session.execute(env.registry["crm.contract"].__table__.update().where(
            env.registry["crm.contract"].id == contract).values(
            state="active", date_end=today + dt.timedelta(days=10)))
        instalments = env["crm.contract.installment"].search(
            [("contract_id", "=", contract), ("state", "in", ["open", "partial"])])
        assert instalments
        env.session.execute(env.registry["crm.contract.installment"].__table__.update().where(
            env.registry["crm.contract.installment"].id == instalments[0]).values(
            date_due=today + dt.timedelta(days=3)))
    assert run(erp, "crm.job_contract_reminders")["state"] == "done"
    with erp.env() as env:
        notes = env["mail.notification"].search_read([("user_id", "=", owner)], ["title", "url"])
        url = f"/web/crm.contract/{contract}"
        ours = [n["title"] for n in notes if n["url"] == url]
        name = env["crm.contract"].read([contract], ["name"])[0]["name"]
    # in the salesperson's language, saying what is due
    assert f"提醒：合同 {name} 将于 {today + dt.timedelta(days=10)} 到期" in ours, ours
    assert any(t.startswith(f"提醒：{today + dt.timedelta(days=3)} 应回款 ") and name in t
               for t in ours), ours


def test_return_visit_reminders_go_to_the_agent(erp):
    today = dt.date.today()
    with erp.env() as env:
        agent = env["res.users"].create({"login": "agent.visit", "name": "Agent Visit",
                                         "lang": "zh_CN",
                                         "groups_id": [(6, 0, [env.ref_id("crm.group_service")])]})
        partner = env["res.partner"].search([("is_company", "=", True)], limit=1)[0]
        visits = env["crm.visit"]
        due = visits.create({"name": "季度回访", "partner_id": partner, "user_id": agent,
                             "planned_date": today - dt.timedelta(days=1)})
        later = visits.create({"name": "年度回访", "partner_id": partner, "user_id": agent,
                               "planned_date": today + dt.timedelta(days=5)})
    assert run(erp, "crm.job_visit_reminders")["state"] == "done"
    with erp.env() as env:
        notes = {n["url"]: n for n in env["mail.notification"].search_read(
            [("user_id", "=", agent)], ["url", "title", "body"])}
        customer = env["res.partner"].read([partner], ["name"])[0]["name"]
    assert f"/web/crm.visit/{due}" in notes and f"/web/crm.visit/{later}" not in notes
    note = notes[f"/web/crm.visit/{due}"]
    assert note["title"] == f"提醒：{customer} 的回访应于 {today - dt.timedelta(days=1)} 完成"
    assert "季度回访：请致电或拜访客户并记录结果。" in note["body"]
