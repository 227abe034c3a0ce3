"""The CRM with inventory and accounting: return visits planned after deliveries (crm_stock) and
the customer 360° page showing orders, deliveries, invoices, receipts and the open balance only
when sales, stock and accounting are installed (crm_stock, crm_account, sale_crm)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from core.testing import AddonTestCase
from tests.addons.test_account_helpers import invoice, receipt
from tests.addons.test_stock import deliver, make_product, receive, transfer
from tests.web_helpers import client_for, make_user


class TestCrmStockStructure(AddonTestCase):
    addon = "crm_stock"


class TestCrmAccountStructure(AddonTestCase):
    addon = "crm_account"


@pytest.fixture
def crm_stock(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["crm", "stock"])
    return runtime


def _company_and_contact(env):
    company = env["res.partner"].create({"name": "杭州仁和大药房连锁有限公司", "is_company": True})
    contact = env["res.partner"].create({"name": "周建国", "parent_id": company})
    return company, contact


def _visits(env, partner_id):
    return env["crm.visit"].search_read([("partner_id", "=", partner_id)],
                                        ["planned_date", "origin", "name", "rule_id"])


def test_hook_stock_picking_done_plans_a_visit_3_days_after_a_delivery(crm_stock):
    """The rule "交付后3天回访" plans a visit for the customer 3 days after the delivery."""
    with crm_stock.env() as env:
        assert "crm_stock" in crm_stock.manager.installed(env.session.connection())
        company, contact = _company_and_contact(env)
        product = make_product(env, "电子血压计", "100")
        receive(env, product, 10, "100")
        assert _visits(env, company) == []  # a receipt is no delivery
        picking = transfer(env, "outgoing", [(product, 4)], partner_id=contact)
        env["stock.picking"].call("button_validate", [picking])
        done = env["stock.picking"].read([picking], ["name", "date_done"])[0]
        visits = _visits(env, company)  # the contact's company is the customer visited
        assert len(visits) == 1
        assert visits[0]["planned_date"] == done["date_done"].date() + dt.timedelta(days=3)
        assert visits[0]["origin"] == "rule" and done["name"] in visits[0]["name"]
        assert visits[0]["rule_id"][0] == env.ref_id("crm.rule_delivery_3")
        deliver(env, product, 1)  # a delivery without a customer plans nothing
        assert len(env["crm.visit"].search([])) == 1


def test_rules_decide_the_days_and_inactive_rules_plan_nothing(crm_stock):
    with crm_stock.env() as env:
        company, _contact = _company_and_contact(env)
        env["crm.visit.rule"].write([env.ref_id("crm.rule_delivery_3")], {"active": False})
        env["crm.visit.rule"].create({"name": "交付后10天回访", "trigger": "delivery",
                                      "days": 10})
        product = make_product(env, "血糖仪", "50")
        receive(env, product, 5, "50")
        picking = transfer(env, "outgoing", [(product, 2)], partner_id=company)
        env["stock.picking"].call("button_validate", [picking])
        day = env["stock.picking"].read([picking], ["date_done"])[0]["date_done"].date()
        assert [v["planned_date"] for v in _visits(env, company)] == [day + dt.timedelta(10)]


# -- the 360° page with and without the other addons -------------------------------------------


SECTIONS = re.compile(r'data-section="([^"]*)"')


def test_hook_crm_partner_sections_follow_the_installed_addons(make_app):
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["crm"])
    chen = make_user(app, "chen", ["crm.group_manager"])
    with runtime.env() as env:
        company, contact = _company_and_contact(env)
    url = f"/web/page/crm/customers/{company}"
    page = client_for(app, "chen").get(url).get_data(as_text=True)
    assert SECTIONS.findall(page) == []  # crm alone: no orders, deliveries, invoices, balance

    runtime.manager.install(["sales", "stock", "accounting"])
    li = make_user(app, "li", ["crm.group_user"])
    with runtime.env() as env:
        installed = set(runtime.manager.installed(env.session.connection()))
        assert {"sale_crm", "crm_stock", "crm_account"} <= installed
        env["res.users"].write([chen], {"groups_id": [(4, env.ref_id(g)) for g in (
            "sales.group_manager", "stock.group_keeper", "accounting.group_chief")]})
        env["sale.order"].create({"partner_id": company})
        product = make_product(env, "电子血压计", "100")
        receive(env, product, 10, "100")
        picking = transfer(env, "outgoing", [(product, 3)], partner_id=contact)
        env["stock.picking"].call("button_validate", [picking])
        delivery = env["stock.picking"].read([picking], ["name"])[0]["name"]
        bill = invoice(env, contact, [(1, 1000, "tax_sale_13")], day=dt.date.today())  # 1130
        receipt(env, company, "300", day=dt.date.today())  # not yet written off
        numbers = env["account.move"].read([bill], ["name"])[0]["name"]
    page = client_for(app, "chen").get(url).get_data(as_text=True)
    assert SECTIONS.findall(page) == ["orders", "deliveries", "invoices", "receipts", "balance"]
    assert "Sales orders" in page and delivery in page and numbers in page
    balance = re.search(r"data-total>([^<]+)<", page.split('data-section="balance"')[1])
    assert balance.group(1) == "830.00"  # 1,130 invoiced to the contact, 300 received
    # a salesperson without sales or accounting rights sees only what every employee may read
    # (transfers: stock's read right for all users)
    with runtime.env() as env:
        env["res.partner"].write([company], {"user_id": li})
    page = client_for(app, "li").get(url).get_data(as_text=True)
    assert SECTIONS.findall(page) == ["deliveries"] and "Sales orders" not in page

    runtime.manager.uninstall(["accounting"], cascade=True)
    page = client_for(app, "chen").get(url).get_data(as_text=True)
    assert SECTIONS.findall(page) == ["orders", "deliveries"]
