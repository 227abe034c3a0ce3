"""The sale_crm glue: installed with sales and crm; contract on orders, quotations from
opportunities, collections as contract receipts, orders on the customer 360° page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import ValidationError
from core.integrity import engine_env
from core.testing import AddonTestCase


class TestSaleCrmStructure(AddonTestCase):
    addon = "sale_crm"


@pytest.fixture
def both(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["sales"])
    runtime.manager.install(["crm"])  # the glue follows by itself
    with runtime.env() as env:
        assert env["sale.order"].fields.get("contract_id") is not None
        users = {}
        for login, group in (("fang", "sales.group_assistant"), ("qiang", "sales.group_manager")):
            users[login] = env["res.users"].create({
                "login": login, "name": login, "groups_id": [(6, 0, [env.ref_id(group)])]})
        customer = env["res.partner"].create({"name": "成都佳和医院"})
        other = env["res.partner"].create({"name": "别家医院"})
        product = env["product.product"].create({"name": "折叠轮椅", "list_price": "1000"})
        contract = env["crm.contract"].create({
            "title": "轮椅采购合同", "partner_id": customer, "line_ids": [
                (0, 0, {"name": "折叠轮椅", "quantity": "10", "price_unit": "1130"})],
            "installment_ids": [
                (0, 0, {"date_due": dt.date(2026, 12, 1), "amount": "5000"}),
                (0, 0, {"date_due": dt.date(2027, 1, 1), "amount": "6300"})]})
        engine_env(env)["crm.contract"].write([contract], {"state": "approved"})
    return runtime, users, customer, other, product, contract


def test_orders_come_from_signed_contracts_and_pay_their_instalments(both):
    runtime, users, customer, other, product, contract = both
    with runtime.env(uid=users["fang"], su=False) as env:
        order = env["sale.order"].create({"contract_id": contract, "partner_id": customer,
                                          "order_line": [
            (0, 0, {"product_id": product, "product_uom_qty": "10"})]})
        row = env["sale.order"].read([order], ["partner_id", "client_order_ref"])[0]
        assert row["partner_id"][0] == customer
        assert row["client_order_ref"] == env["crm.contract"].read([contract],
                                                                   ["name"])[0]["name"]
        with pytest.raises(ValidationError, match="another customer"):
            env["sale.order"].create({"contract_id": contract, "partner_id": other})
        env["sale.order"].call("action_submit", [order])
    with runtime.env(uid=users["qiang"], su=False) as env:
        env["sale.order"].call("workflow_approve", [order])
    with runtime.env(uid=users["fang"], su=False) as env:
        collection = env["sale.collection"].create({
            "partner_id": customer, "amount": "6000", "reference": "TX-1",
            "allocation_ids": [(0, 0, {"order_id": order, "amount": "6000"})]})
        env["sale.collection"].call("action_post", [collection])
    with runtime.env() as env:
        receipts = env["crm.contract.payment"].search_read([("contract_id", "=", contract)],
                                                           ["amount", "origin"])
        assert [r["amount"] for r in receipts] == [Decimal("6000.00")]
        instalments = env["crm.contract.installment"].search_read(
            [("contract_id", "=", contract)], ["amount_received", "state"], order="date_due")
        assert [(i["amount_received"], i["state"]) for i in instalments] == [
            (Decimal("5000.00"), "paid"), (Decimal("1000.00"), "partial")]
    with runtime.env(uid=users["qiang"], su=False) as env:
        env["sale.collection"].call("action_cancel", [collection])
    with runtime.env() as env:
        assert env["crm.contract.payment"].search_count([("contract_id", "=", contract)]) == 0


def test_quotation_from_an_opportunity_and_the_360_section(both):
    runtime, users, customer, _other, product, _contract = both
    from addons.sale_crm.hooks import crm_partner_sections

    with runtime.env() as env:
        lead = env["crm.lead"].create({"name": "养老院轮椅项目", "partner_id": customer})
        quotation = env["crm.lead"].call("action_new_quotation", [lead])
        row = env["sale.order"].read([quotation], ["partner_id", "opportunity_id", "state"])[0]
        assert (row["partner_id"][0], row["opportunity_id"][0], row["state"]) == (
            customer, lead, "draft")
        env["sale.order.line"].create({"order_id": quotation, "product_id": product})
        sections = crm_partner_sections(env=env, partner_id=customer)
        assert sections[0]["rows"][0][2] == "1,130.00"
    with runtime.env(uid=users["fang"], su=False) as env:  # not the assistant's order
        assert crm_partner_sections(env=env, partner_id=customer)[0]["rows"] == []
