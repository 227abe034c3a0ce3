"""The CRM addon: customer profile, record rules through every door, follow-ups and activities,
return visits and complaints, the pipeline, contracts with approval and collection plans."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import inspect

from addons.crm.models.partner import age_band
from core.errors import AccessError, UserError, ValidationError
from core.plugins import hookimpl
from core.testing import AddonTestCase


class TestCrmStructure(AddonTestCase):
    addon = "crm"


@pytest.fixture
def crm(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["crm"])
    return runtime


def make_user(env, login, *groups):
    return env["res.users"].create({
        "login": login, "name": login.title(),
        "groups_id": [(6, 0, [env.ref_id(g) for g in groups])]})


@pytest.fixture
def people(crm):
    """Two salespeople, a customer-service agent and a CRM manager, with one customer each."""
    with crm.env() as env:
        ids = {
            "li": make_user(env, "li", "crm.group_user"),
            "wang": make_user(env, "wang", "crm.group_user"),
            "zhao": make_user(env, "zhao", "crm.group_service"),
            "chen": make_user(env, "chen", "crm.group_manager"),
        }
        ids["li_customer"] = env["res.partner"].create({
            "name": "上海华东精密机械有限公司", "is_company": True, "user_id": ids["li"],
            "phone": "021-66668888", "vat": "91310000123456789X"})
        ids["wang_customer"] = env["res.partner"].create({
            "name": "广州粤海贸易有限公司", "is_company": True, "user_id": ids["wang"]})
    return ids


def test_profile_fields_and_contacts_follow_their_company(crm, people):
    with crm.env() as env:
        industry = env.ref_id("crm.industry_manufacturing")
        env["res.partner"].write([people["li_customer"]], {
            "industry_id": industry, "region": "east", "province": "上海",
            "level_id": env.ref_id("crm.level_a"), "source": "exhibition",
            "customer_status": "active", "tag_ids": [(0, 0, {"name": "重点"})]})
        contact = env["res.partner"].create({"name": "周建国", "parent_id": people["li_customer"],
                                             "function": "采购经理",
                                             "birth_date": "1980-05-20"})
        row = env["res.partner"].read([contact], ["user_id", "function"])[0]
        assert row["user_id"][0] == people["li"]
        env["res.partner"].write([people["li_customer"]], {"user_id": people["wang"]})
        assert env["res.partner"].read([contact], ["user_id"])[0]["user_id"][0] == people["wang"]
        with pytest.raises(ValidationError):
            env["res.partner"].write([contact], {"customer_status": "vip"})


def test_age_bands():
    today = dt.date(2026, 6, 1)
    assert age_band(None, today) is None
    assert age_band(dt.date(1996, 6, 2), today) == "under_30"  # 29 until tomorrow
    assert age_band(dt.date(1996, 6, 1), today) == "30_39"
    assert age_band(dt.date(1980, 1, 1), today) == "40_49"
    assert age_band(dt.date(1966, 6, 1), today) == "60_plus"


def test_duplicate_warning_on_name_phone_or_tax_id(crm, people):
    with crm.env() as env:
        other = env["res.partner"].create({"name": "华东精密（重复录入）", "phone": "021-66668888",
                                           "user_id": people["li"]})
        found = env["res.partner"].call("action_find_duplicates", [other])
        assert [d["id"] for d in found] == [people["li_customer"]]
        assert found[0]["reasons"] == ["same phone"]
        with pytest.raises(ValidationError, match="Possible duplicates: 上海华东"):
            env["res.partner"].call("action_check_duplicates", [other])
        said = env["res.partner"].call("action_check_duplicates", [people["wang_customer"]])
        assert said["message"].startswith("No duplicates found")
        third = env["res.partner"].create({"name": "上海华东精密机械有限公司"})
        reasons = env["res.partner"].call("action_find_duplicates", [third])
        assert {d["id"] for d in reasons} == {people["li_customer"]}


def test_salesperson_cannot_reach_another_salespersons_customer(crm, people):
    with crm.env() as env:
        env["crm.followup"].create({"summary": "电话沟通", "partner_id": people["wang_customer"],
                                    "user_id": people["wang"], "method": "phone"})
    theirs = people["wang_customer"]
    with crm.env(uid=people["li"]) as env:
        partners = env["res.partner"]
        assert theirs not in partners.search([])
        assert partners.search_count([("id", "=", theirs)]) == 0
        assert theirs not in [i for i, _n in partners.name_search("广州")]
        groups = partners.read_group([], ["id:count"], ["user_id"])
        assert all(g["user_id"] is False or g["user_id"][0] == people["li"] for g in groups)
        with pytest.raises(AccessError):
            partners.read([theirs], ["name"])
        with pytest.raises(AccessError):
            partners.write([theirs], {"phone": "1"})
        with pytest.raises(AccessError):
            partners.call("action_find_duplicates", [theirs])
        with pytest.raises(AccessError):
            partners.create({"name": "抢客户", "user_id": people["wang"]})
        assert env["crm.followup"].search([]) == []
        with pytest.raises(AccessError):
            env["crm.followup"].create({"summary": "x", "partner_id": theirs,
                                        "user_id": people["wang"], "method": "phone"})
        # their own customer is fully theirs
        assert people["li_customer"] in partners.search([])
    with crm.env(uid=people["chen"]) as env:
        assert {people["li_customer"], theirs} <= set(env["res.partner"].search([]))
    with crm.env(uid=people["zhao"]) as env:
        assert theirs in env["res.partner"].search([])
        with pytest.raises(AccessError):
            env["crm.contract"].create({"title": "x", "partner_id": theirs})


def test_followup_plans_an_activity_and_the_next_one_closes_it(crm, people):
    customer = people["li_customer"]
    with crm.env(uid=people["li"]) as env:
        first = env["crm.followup"].create({
            "summary": "电话沟通采购需求", "partner_id": customer, "method": "phone",
            "result": "interested", "description": "需要报价", "next_step": "发送报价单",
            "next_date": "2026-06-10", "date": "2026-06-01 09:30:00"})
        activity_id = env["crm.followup"].read([first], ["activity_id"])[0]["activity_id"][0]
        activity = env["mail.activity"].read([activity_id], ["user_id", "date_deadline",
                                                             "summary", "done", "res_model"])[0]
        assert activity["user_id"][0] == people["li"]
        assert activity["date_deadline"] == dt.date(2026, 6, 10)
        assert (activity["summary"], activity["res_model"]) == ("发送报价单", "crm.followup")
        overdue = [("next_done", "=", False), ("next_date", "<", "2026-06-11")]
        assert env["crm.followup"].search(overdue) == [first]
        env["crm.followup"].create({"summary": "发送报价单", "partner_id": customer,
                                    "method": "wechat", "result": "quotation",
                                    "date": "2026-06-09 10:00:00"})
        assert env["crm.followup"].search(overdue) == []
        assert env["mail.activity"].read([activity_id], ["done"])[0]["done"] is True


def test_complaint_on_a_return_visit_opens_a_followup_for_the_salesperson(crm, people):
    customer = people["li_customer"]
    with crm.env(uid=people["zhao"]) as env:
        visit = env["crm.visit"].create({"name": "交付后回访", "partner_id": customer,
                                         "planned_date": "2026-06-05"})
        with pytest.raises(ValidationError, match="satisfaction"):
            env["crm.visit"].call("action_done", [visit])
        followup_id = env["crm.visit"].call("action_done", [visit], "2", "安装延误", True)
        row = env["crm.visit"].read([visit], ["state", "complaint_state", "followup_ids"])[0]
        assert (row["state"], row["complaint_state"]) == ("done", "open")
        assert row["followup_ids"] == [followup_id]
    with crm.env(uid=people["li"]) as env:
        todo = env["crm.followup"].search([("state", "=", "todo"), ("is_complaint", "=", True)])
        assert todo == [followup_id]
        activity = env["mail.activity"].search([("res_model", "=", "crm.followup"),
                                                ("res_id", "=", followup_id)])
        assert len(activity) == 1
        with pytest.raises(UserError, match="result"):
            env["crm.followup"].call("action_done", [followup_id])
        env["crm.followup"].call("action_done", [followup_id], "resolved", "已派工程师处理")
        assert env["crm.visit"].read([visit], ["complaint_state"])[0]["complaint_state"] == "closed"
        assert env["mail.activity"].read(activity, ["done"])[0]["done"] is True
    with crm.env(uid=people["wang"]) as env:
        assert env["crm.visit"].search([]) == []
        planned = env["crm.visit"].create({"name": "售后回访", "partner_id":
                                           people["wang_customer"]})
        # a salesperson's visit goes to customer service (zhao has fewer planned visits)
        assert env["crm.visit"].read([planned], ["user_id"])[0]["user_id"][0] == people["zhao"]


def test_pipeline_stages_won_lost_and_conversion(crm, people, request):
    won_calls = []

    class Listener:
        @hookimpl
        def crm_lead_won(self, env, lead_id):
            won_calls.append(lead_id)

    with crm.env(uid=people["li"]) as env:
        listener = Listener()
        env.registry.pm.register(listener, name="test_listener")
        request.addfinalizer(lambda: env.registry.pm.unregister(listener))
        leads = env["crm.lead"]
        lead = leads.create({"name": "官网咨询", "partner_name": "杭州云启信息技术有限公司",
                             "contact_name": "沈晓峰", "phone": "0571-88886666",
                             "expected_revenue": "120000"})
        row = leads.read([lead], ["stage_id", "probability", "type"])[0]
        assert row["stage_id"][0] == env.ref_id("crm.stage_new")
        assert row["probability"] == Decimal("10.00")
        partner_id = leads.call("action_convert", [lead])
        partner = env["res.partner"].read([partner_id], ["name", "user_id", "child_ids"])[0]
        assert partner["name"] == "杭州云启信息技术有限公司"
        assert partner["user_id"][0] == people["li"] and len(partner["child_ids"]) == 1
        leads.write([lead], {"stage_id": env.ref_id("crm.stage_negotiation")})
        assert leads.read([lead], ["probability"])[0]["probability"] == Decimal("70.00")
        with pytest.raises(UserError, match="Sales"):
            leads.call("action_new_quotation", [lead])
        leads.call("action_set_won", [lead])
        leads.call("action_set_won", [lead])  # already won: the hook is not fired twice
        assert won_calls == [lead]
        row = leads.read([lead], ["probability", "date_closed", "type"])[0]
        assert row["probability"] == Decimal("100.00") and row["date_closed"]
        other = leads.create({"name": "竞标项目", "partner_id": partner_id})
        with pytest.raises(UserError, match="lost"):
            leads.call("action_set_lost", [other])
        leads.call("action_set_lost", [other], env.ref_id("crm.lost_price"))
        assert leads.search([("id", "=", other)]) == []
        lost = env.with_context(active_test=False)["crm.lead"]
        assert lost.read([other], ["stage_id"])[0]["stage_id"][0] == env.ref_id("crm.stage_lost")


def _contract(env, partner_id, **extra):
    return env["crm.contract"].create({
        "title": "数控机床销售合同", "partner_id": partner_id, "date_signed": "2026-06-01",
        "date_start": "2026-06-05", "date_end": "2027-06-04", "signer": "周建国",
        "line_ids": [(0, 0, {"name": "数控机床 CK6150", "quantity": "2", "uom": "台",
                             "price_unit": "128000.005"}),
                     (0, 0, {"name": "实施服务", "quantity": "3", "price_unit": "2400"})],
        **extra})


def test_contract_number_amounts_and_approval(crm, people):
    customer = people["li_customer"]
    with crm.env(uid=people["li"]) as env:
        contracts = env["crm.contract"]
        cid = _contract(env, customer)
        row = contracts.read([cid], ["name", "amount_total", "state", "amount_due"])[0]
        assert row["name"] == f"HT{dt.date.today().year}-00001"
        assert row["amount_total"] == Decimal("263200.01")  # 2 × 128000.005 → 256000.01
        assert row["state"] == "draft"
        with pytest.raises(ValidationError):
            contracts.write([cid], {"state": "active"})
        contracts.call("action_submit", [cid])
        assert contracts.read([cid], ["state"])[0]["state"] == "to_approve"
        with pytest.raises(AccessError):
            contracts.call("workflow_approve", [cid])
    with crm.env(uid=people["chen"]) as env:
        env["crm.contract"].call("workflow_approve", [cid], "同意")
        assert env["crm.contract"].read([cid], ["state"])[0]["state"] == "approved"
    with crm.env(uid=people["li"]) as env:
        with pytest.raises(UserError, match="draft"):
            env["crm.contract.line"].create({"contract_id": cid, "name": "赠品",
                                             "price_unit": "1"})
        env["crm.contract"].call("action_activate", [cid])
        assert env["crm.contract"].read([cid], ["state"])[0]["state"] == "active"
        visits = env["crm.visit"].search_read([("contract_id", "=", cid)],
                                              ["planned_date", "origin"])
        assert [(v["planned_date"], v["origin"]) for v in visits] == [
            (dt.date(2026, 6, 12), "rule")]
        assert env["res.partner"].read([customer], ["customer_status"])[0][
            "customer_status"] == "active"


def test_rejected_contract_returns_to_draft(crm, people):
    with crm.env(uid=people["li"]) as env:
        cid = _contract(env, people["li_customer"])
        env["crm.contract"].call("action_submit", [cid])
    with crm.env(uid=people["chen"]) as env:
        env["crm.contract"].call("workflow_reject", [cid], "价格需复核")
        assert env["crm.contract"].read([cid], ["state"])[0]["state"] == "draft"


def test_collection_plan_and_receipts(crm, people):
    with crm.env(uid=people["li"]) as env:
        cid = _contract(env, people["li_customer"])
        plan = env["crm.contract.installment"]
        first = plan.create({"contract_id": cid, "date_due": "2026-06-30", "amount": "80000"})
        second = plan.create({"contract_id": cid, "date_due": "2026-09-30",
                              "amount": "183200.01"})
        with pytest.raises(ValidationError, match="exceeds"):
            plan.create({"contract_id": cid, "date_due": "2026-12-31", "amount": "0.01"})
        with pytest.raises(UserError, match="approved"):
            env["crm.contract.payment"].create({"contract_id": cid, "amount": "100"})
    with crm.env() as env:
        from core.integrity import engine_env

        engine_env(env)["crm.contract"].write([cid], {"state": "active"})
    with crm.env(uid=people["li"]) as env:
        payments, plan = env["crm.contract.payment"], env["crm.contract.installment"]
        pay = payments.create({"contract_id": cid, "date": "2026-06-28", "amount": "50000",
                               "method": "bank"})
        payments.create({"contract_id": cid, "date": "2026-07-15", "amount": "40000.5"})
        rows = plan.read([first, second], ["amount_received", "state", "partner_id"])
        assert [(r["amount_received"], r["state"]) for r in rows] == [
            (Decimal("80000.00"), "paid"), (Decimal("10000.50"), "partial")]
        assert rows[0]["partner_id"][0] == people["li_customer"]
        contract = env["crm.contract"].read([cid], ["amount_received", "amount_due"])[0]
        assert contract["amount_received"] == Decimal("90000.50")
        assert contract["amount_due"] == Decimal("173199.51")
        overdue = plan.search([("state", "!=", "paid"), ("date_due", "<", "2026-10-01")])
        assert overdue == [second]
        with pytest.raises(AccessError):
            payments.unlink([pay])
    with crm.env(uid=people["chen"]) as env:
        env["crm.contract.payment"].unlink([pay])
        assert env["crm.contract.installment"].read([first], ["state"])[0]["state"] == "partial"
    with crm.env(uid=people["wang"]) as env:
        assert env["crm.contract.installment"].search([]) == []
        assert env["crm.contract.payment"].search([]) == []


def test_uninstall_keeps_the_core_partners(crm, people):
    crm.manager.uninstall(["crm"])
    with crm.env() as env:
        names = {r["name"] for r in env["res.partner"].search_read([], ["name"])}
        assert {"上海华东精密机械有限公司", "广州粤海贸易有限公司"} <= names
        assert "crm.lead" not in env.registry
    with crm.engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("res_partner")}
        assert "industry_id" not in columns and "name" in columns


def test_stage_change_fills_the_probability_a_form_sends_back(crm, people):
    """A form sends every field: the probability comes back empty or unchanged with a new
    stage, and the stage's probability applies; one the user typed is kept."""
    with crm.env(uid=people["li"]) as env:
        leads = env["crm.lead"]
        lead = leads.create({"name": "设备更新", "probability": ""})
        assert leads.read([lead], ["probability"])[0]["probability"] == Decimal("10.00")
        leads.write([lead], {"stage_id": env.ref_id("crm.stage_proposal"), "probability": ""})
        assert leads.read([lead], ["probability"])[0]["probability"] == Decimal("50.00")
        leads.write([lead], {"stage_id": env.ref_id("crm.stage_negotiation"),
                             "probability": "50.00"})
        assert leads.read([lead], ["probability"])[0]["probability"] == Decimal("70.00")
        leads.write([lead], {"stage_id": env.ref_id("crm.stage_qualified"),
                             "probability": "45"})
        assert leads.read([lead], ["probability"])[0]["probability"] == Decimal("45.00")
