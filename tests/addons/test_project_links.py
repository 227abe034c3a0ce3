"""Projects with CRM, sales and purchase: the glue addons ``project_crm`` and ``project_sales``
link initiation requests and projects to their opportunity, contract and sales orders (both
ways on the forms: smart buttons), and the project's profitability (invoiced revenue,
timesheet, claim and purchase costs, margin) on its form and on the analysis page — on known
data, through the model service and the Flask test client."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

from core import workflow_engine as engine
from core.errors import ValidationError
from core.testing import AddonTestCase
from tests.addons.projects_org import Org, build_org, initiation_values
from tests.web_helpers import client_for, make_user

ADDONS = ("projects", "crm", "sales", "purchase")


class TestProjectCrmStructure(AddonTestCase):
    addon = "project_crm"


class TestProjectSalesStructure(AddonTestCase):
    addon = "project_sales"


@pytest.fixture(name="org")
def org_fixture(make_app: Any) -> Org:
    org = build_org(make_app(DATABASE_NAME="kangyi_project_links"), ADDONS)
    make_user(org.app, "crmuser", ["crm.group_user"], lang="zh_CN")
    for login, group in (("assistant", "sales.group_assistant"),
                         ("smanager", "sales.group_director"),
                         ("buyer", "purchase.group_user"), ("pboss", "purchase.group_manager")):
        make_user(org.app, login, [group])
    with org.env() as env:
        for login in ("crmuser", "assistant", "smanager", "buyer", "pboss"):
            org.users[login] = env["res.users"].search([("login", "=", login)])[0]
    return org


def _approved_initiation(org: Org, **changes: Any) -> int:
    with org.env("wang") as env:
        record = env["project.initiation"].create(initiation_values(org, **changes))
        env["project.initiation"].call("action_submit", [record])
    for login in ("li", "he", "zhang"):
        with org.env(login) as env:
            engine.approve(env, "project.initiation", record, comment="同意")
    return record


def _project_of(org: Org, initiation: int) -> int:
    with org.env() as env:
        return env["project.project"].search([("initiation_id", "=", initiation)])[0]


def _lead_and_contract(org: Org, partner: int | None = None) -> tuple[int, int]:
    with org.env() as env:
        lead = env["crm.lead"].create({"name": "医院监护联网商机", "type": "opportunity",
                                       "partner_id": partner or org.partner,
                                       "user_id": org.users["crmuser"]})
        contract = env["crm.contract"].create({"title": "监护联网合同",
                                               "partner_id": partner or org.partner,
                                               "lead_id": lead})
    return lead, contract


def test_glue_addons_install_with_their_addons(org: Org) -> None:
    states = org.runtime.manager.states()
    assert all(states[name]["state"] == "installed"
               for name in ("project_crm", "project_sales", "project_purchase"))


def test_opportunity_contract_and_orders_both_ways(org: Org) -> None:
    lead, contract = _lead_and_contract(org)
    with org.env() as env:
        stranger = env["res.partner"].create({"name": "宁波眼科医院", "is_company": True})
    other_lead, other_contract = _lead_and_contract(org, stranger)
    with org.env("wang") as env, pytest.raises(ValidationError, match="another customer"):
        env["project.initiation"].create(initiation_values(org, opportunity_id=other_lead))
    initiation = _approved_initiation(org, opportunity_id=lead)
    project = _project_of(org, initiation)
    with org.env("zhou") as env:  # the project came with the initiation's opportunity
        assert env["project.project"].read([project], ["opportunity_id"])[0][
            "opportunity_id"][0] == lead
        with pytest.raises(ValidationError, match="another customer"):
            env["project.project"].write([project], {"contract_id": other_contract})
        env["project.project"].write([project], {"contract_id": contract})
        contract_number = env["crm.contract"].read([contract], ["name"])[0]["name"]
    with org.env() as env:
        product = env["product.product"].create({"name": "监护网关", "list_price": "20000"})
    with org.env("assistant") as env:  # the assistant reads every project to name it
        assert project in env["project.project"].search([])
        with pytest.raises(ValidationError, match="another customer"):
            env["sale.order"].create({"partner_id": stranger, "project_id": project})
        order = env["sale.order"].create({
            "partner_id": org.partner, "project_id": project,
            "order_line": [(0, 0, {"product_id": product, "product_uom_qty": "2"})]})

    office = client_for(org.app, "zhou")  # 项目管理部, in Chinese
    page = office.get(f"/web/project.project/{project}").get_data(as_text=True)
    assert "商机" in page and "医院监护联网商机" in page and contract_number in page
    assert 'data-section="profitability"' in page
    assert _smart(page) == []  # 项目管理部 reads no sales orders
    seller = client_for(org.app, "wang")  # the applicant manages the project
    page = seller.get(f"/web/project.initiation/{initiation}").get_data(as_text=True)
    assert _smart(page) == [f"/web/project.project/{project}"] and "医院监护联网商机" in page
    assistant = client_for(org.app, "assistant")
    page = assistant.get(f"/web/sale.order/{order}").get_data(as_text=True)
    assert "医院信息化集成" in page  # the order names its project, and opens it
    assert f"/web/project.project/{project}" in _smart(page)
    page = assistant.get(f"/web/project.project/{project}").get_data(as_text=True)
    assert _smart(page) == [f"/web/sale.order/{order}"] and "Sales orders" in page
    crm = client_for(org.app, "crmuser")  # the opportunity's salesperson (no project post)
    assert _smart(crm.get(f"/web/crm.lead/{lead}").get_data(as_text=True)) == []
    page = office.get(f"/web/crm.lead/{lead}").get_data(as_text=True)
    assert sorted(_smart(page)) == [f"/web/project.initiation/{initiation}",
                                    f"/web/project.project/{project}"]
    page = office.get(f"/web/crm.contract/{contract}").get_data(as_text=True)
    assert f"/web/project.project/{project}" in _smart(page)
    page = office.get(f"/web/crm.contract/{other_contract}").get_data(as_text=True)
    assert f"/web/project.project/{project}" not in _smart(page)


def _smart(page: str) -> list[str]:
    """The addresses of a form's smart buttons (related documents)."""
    return re.findall(r'<a class="smart" href="([^"]+)"', page)


def _employee(org: Org, login: str) -> int:
    with org.env() as env:
        return env["hr.employee"].search([("user_id", "=", org.users[login])])[0]


def _call(org: Org, login: str, model: str, method: str, record: int, *args: Any) -> Any:
    with org.env(login) as env:
        return env[model].call(method, [record], *args)


def _costs_and_revenue(org: Org, project: int) -> None:
    """Known data: 8 h of 孙工 (150/h) and 2 h of 王芳 (100/h), an approved presales claim of
    1 500 and travel claim of 800, an approved purchase of 4 000 untaxed, a sales order of
    2 × 20 000 of which one is delivered and invoiced."""
    today = dt.date.today()
    with org.env("zhou") as env:
        env["project.project"].write([project], {"member_ids": [(4, org.users["sun"])]})
    with org.env("sun") as env:
        env["account.analytic.line"].create({"project_id": project, "unit_amount": "8",
                                             "date": today.isoformat(), "name": "安装"})
    with org.env("wang") as env:
        env["account.analytic.line"].create({"project_id": project, "unit_amount": "2",
                                             "date": today.isoformat(), "name": "售前交流"})
    for login, category, amount, manager in (("wang", "presales", "1500", "li"),
                                             ("sun", "travel", "800", "zhao"),
                                             ("sun", "other", "99", None)):
        with org.env(login) as env:
            claim = env["hr.expense"].create({"name": category, "project_id": project,
                                              "category": category, "total_amount": amount})
        if manager:  # the third claim stays a draft: no cost
            _call(org, login, "hr.expense", "action_submit", claim)
            for approver in (manager, "lin"):
                with org.env(approver) as env:
                    engine.approve(env, "hr.expense", claim, comment="同意")
    with org.env() as env:
        supplier = env["res.partner"].create({"name": "海康威视", "is_company": True})
        camera = env["product.product"].create({"name": "网络摄像机", "standard_price": "800"})
        gateway = env["product.product"].create({"name": "监护网关", "list_price": "20000"})
    with org.env("buyer") as env:
        purchase = env["purchase.order"].create({
            "partner_id": supplier, "project_id": project,
            "order_line": [(0, 0, {"product_id": camera, "product_qty": "5",
                                   "price_unit": "800"})]})
        env["purchase.order"].call("action_submit", [purchase])
    _call(org, "pboss", "purchase.order", "workflow_approve", purchase)
    with org.env("assistant") as env:
        order = env["sale.order"].create({
            "partner_id": org.partner, "project_id": project,
            "order_line": [(0, 0, {"product_id": gateway, "product_uom_qty": "2",
                                   "price_unit": "20000"})]})
        env["sale.order"].call("action_submit", [order])
    _call(org, "smanager", "sale.order", "workflow_approve", order)
    notice = _call(org, "assistant", "sale.order", "action_create_delivery_notice", order)
    with org.env("assistant") as env:
        line = env["sale.delivery.notice.line"].search([("notice_id", "=", notice)])[0]
        env["sale.delivery.notice.line"].write([line], {"product_uom_qty": "1"})
    for action in ("action_approve", "action_ship"):
        _call(org, "assistant", "sale.delivery.notice", action, notice)
    invoice = _call(org, "assistant", "sale.order", "action_create_invoice_notice", order)
    for action in ("action_review", "action_send"):
        _call(org, "assistant", "sale.invoice.notice", action, invoice)
    _call(org, "assistant", "sale.invoice.notice", "action_invoice", invoice, "04410001",
          today.isoformat())


def test_profitability_on_known_data(org: Org) -> None:
    from addons.projects.profitability import profitability
    from core.testing import statements

    project = _project_of(org, _approved_initiation(org))
    _costs_and_revenue(org, project)
    empty = _project_of(org, _approved_initiation(org, project_name="门诊自助机"))
    with org.env("zhou") as env:
        rows = {r["id"]: r for r in profitability(env)}
    row = rows[project]
    assert [(i["key"], i["amount"], i["expected"]) for i in row["revenues"]] == [
        ("invoiced", Decimal("20000.00"), False), ("to_invoice", Decimal("20000.00"), True)]
    assert sorted((i["key"], i["amount"]) for i in row["costs"]) == [
        ("other", Decimal("800.00")), ("presales", Decimal("1500.00")),
        ("purchases", Decimal("4000.00")), ("timesheets", Decimal("1400.00"))]
    assert (row["revenue"], row["cost"], row["margin"], row["margin_rate"], row["expected"]) == (
        Decimal("20000.00"), Decimal("7700.00"), Decimal("12300.00"), Decimal("61.5"),
        Decimal("20000.00"))
    assert (rows[empty]["revenue"], rows[empty]["cost"], rows[empty]["margin_rate"]) == (
        Decimal("0.00"), Decimal("0.00"), None)
    with org.env("zhou") as env:  # a fixed number of statements, whatever the projects
        with statements(env.session.get_bind()) as counted:
            profitability(env)
    # the projects (search, read, names of customers and managers), then one GROUP BY per
    # source: timesheets, claims, invoiced and ordered sales, purchases
    assert len(counted) <= 9, counted
    with org.env("wu") as env:  # a salesperson reads no other's project
        assert profitability(env) == []

    office = client_for(org.app, "zhou")
    menu = office.get("/web/project.project").get_data(as_text=True)  # the side menu
    assert "/web/page/projects/profitability" in menu
    page = office.get("/web/page/projects/profitability").get_data(as_text=True)
    assert "项目盈利" in page and "12,300.00" in page and "61.5" in page
    assert "4,000.00" in page and "1,400.00" in page
    form = office.get(f"/web/project.project/{project}").get_data(as_text=True)
    assert 'data-section="profitability"' in form and "12,300.00 (61.5%)" in form
    assert "-4,000.00" in form and "20,000.00" in form
    seller = client_for(org.app, "wu")  # a project member without a finance post
    assert seller.get("/web/page/projects/profitability").status_code == 403
    manager = client_for(org.app, "wang")  # the project's manager reads its own
    form = manager.get(f"/web/project.project/{project}").get_data(as_text=True)
    assert 'data-section="profitability"' in form
    with org.env("zhou") as env:
        env["project.project"].write([project], {"user_id": org.users["zhou"]})
    form = manager.get(f"/web/project.project/{project}").get_data(as_text=True)
    assert 'data-section="profitability"' not in form


def test_signed_contract_and_its_orders_find_the_project(org: Org) -> None:
    """Once the contract of the project's opportunity is signed, the project names it; an order
    entered from that contract, or a quotation made from the opportunity, names the project."""
    make_user(org.app, "crmboss", ["crm.group_manager", "sales.group_assistant"])
    lead, _unused = _lead_and_contract(org)
    project = _project_of(org, _approved_initiation(org, opportunity_id=lead))
    with org.env() as env:
        boss = env["res.users"].search([("login", "=", "crmboss")])[0]
    with org.env("crmuser") as env:  # the salesperson enters the signed contract
        contract = env["crm.contract"].create({
            "title": "监护联网合同（签订）", "partner_id": org.partner, "lead_id": lead,
            "line_ids": [(0, 0, {"name": "监护网关", "quantity": "2", "price_unit": "20000"})]})
        env["crm.contract"].call("action_submit", [contract])
    with org.env() as env:
        assert env["project.project"].read([project], ["contract_id"])[0]["contract_id"] is None
    with org.runtime.env(uid=boss, su=False) as env:
        engine.approve(env, "crm.contract", contract, comment="同意")
    with org.env() as env:
        assert env["crm.contract"].read([contract], ["state"])[0]["state"] == "approved"
        assert env["project.project"].read([project], ["contract_id"])[0][
            "contract_id"][0] == contract
    with org.runtime.env(uid=boss, su=False) as env:
        order = env["sale.order"].create({"partner_id": org.partner, "contract_id": contract})
        quotation = env["crm.lead"].call("action_new_quotation", [lead])
    with org.env() as env:
        assert env["sale.order"].read([order], ["project_id"])[0]["project_id"][0] == project
        assert env["sale.order"].read([quotation], ["project_id"])[0][
            "project_id"][0] == project
