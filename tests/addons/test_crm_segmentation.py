"""Segmentation figures on known data: SQL GROUP BY through the user's record rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from addons.crm.segmentation import bar_chart_svg, segment, to_csv, totals
from core.errors import AccessError
from core.integrity import engine_env

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def data(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["crm"])
    with runtime.env() as env:
        def user(login):
            return env["res.users"].create({"login": login, "name": login, "groups_id": [
                (6, 0, [env.ref_id("crm.group_user")])]})

        li, wang = user("li"), user("wang")
        it, food = env.ref_id("crm.industry_it"), env.ref_id("crm.industry_food")
        partners = env["res.partner"]
        a = partners.create({"name": "A", "industry_id": it, "region": "east", "user_id": li,
                             "profession": "工程师", "birth_date": "1990-01-01"})
        b = partners.create({"name": "B", "industry_id": it, "region": "south", "user_id": wang,
                             "profession": "教师", "birth_date": "1996-06-02"})
        c = partners.create({"name": "C", "industry_id": food, "region": "east", "user_id": li,
                             "profession": "工程师", "birth_date": "1960-12-31"})
        partners.create({"name": "D", "region": "east", "user_id": li})
        partners.create({"name": "A 的联系人", "parent_id": a})  # contacts are not customers
        engine = engine_env(env)

        def contract(partner, signed, amount, state="active", received=()):
            cid = env["crm.contract"].create({
                "title": "t", "partner_id": partner, "date_signed": signed,
                "line_ids": [(0, 0, {"name": "x", "price_unit": amount})]})
            engine["crm.contract"].write([cid], {"state": state})
            for day, value in received:
                env["crm.contract.payment"].create({"contract_id": cid, "date": day,
                                                    "amount": value})
            return cid

        contract(a, "2026-01-10", "1000.10", received=[("2026-02-01", "500"),
                                                       ("2026-07-01", "100")])
        contract(a, "2026-03-01", "2000", state="expired")
        contract(b, "2026-02-15", "3000.55", received=[("2026-03-01", "3000.55")])
        contract(c, "2025-12-20", "400", received=[("2026-01-05", "400")])
        env["crm.contract"].create({"title": "draft", "partner_id": c,
                                    "date_signed": "2026-02-01",
                                    "line_ids": [(0, 0, {"name": "x", "price_unit": "99999"})]})
    return runtime, li, wang


def _by_key(rows):
    return {r.key: (r.customers, r.contracts, r.contract_value, r.received) for r in rows}


def test_by_industry_for_a_period(data):
    runtime, _li, _wang = data
    with runtime.env() as env:
        it, food = env.ref_id("crm.industry_it"), env.ref_id("crm.industry_food")
        rows = segment(env, "industry", dt.date(2026, 1, 1), dt.date(2026, 6, 30), today=TODAY)
        assert _by_key(rows) == {
            it: (2, 3, Decimal("6000.65"), Decimal("3500.55")),
            food: (1, 0, Decimal("0.00"), Decimal("400.00")),
            None: (1, 0, Decimal("0.00"), Decimal("0.00")),
        }
        assert [r.label for r in rows] == ["信息技术", "食品饮料", "Not set"]
        total = totals(rows)
        assert (total.customers, total.contract_value) == (4, Decimal("6000.65"))


def test_by_region_profession_and_age_band(data):
    runtime, _li, _wang = data
    with runtime.env() as env:
        region = _by_key(segment(env, "region", today=TODAY))
        assert region["east"] == (3, 3, Decimal("3400.10"), Decimal("1000.00"))
        assert region["south"] == (1, 1, Decimal("3000.55"), Decimal("3000.55"))
        profession = _by_key(segment(env, "profession", today=TODAY))
        assert profession["工程师"][:3] == (2, 3, Decimal("3400.10"))
        ages = _by_key(segment(env, "age_band", today=TODAY))
        # born 1996-06-02: 29 on 2026-06-01; 1990: 36; 1960-12-31: 65
        assert ages["under_30"][:2] == (1, 1)
        assert ages["30_39"][:3] == (1, 2, Decimal("3000.10"))
        assert ages["60_plus"][0] == 1
        assert ages[None][0] == 1


def test_salesperson_sees_only_own_customers_figures(data):
    runtime, li, wang = data
    with runtime.env(uid=li) as env:
        rows = _by_key(segment(env, "region", today=TODAY))
        assert set(rows) == {"east"}
        assert rows["east"] == (3, 3, Decimal("3400.10"), Decimal("1000.00"))
    with runtime.env() as env:
        only_wang = _by_key(segment(env, "region", user_id=wang, today=TODAY))
        assert set(only_wang) == {"south"}


def test_no_figures_without_read_access(data):
    runtime, _li, _wang = data
    with runtime.env() as env:
        clerk = env["res.users"].create({"login": "clerk", "name": "clerk", "groups_id": [
            (6, 0, [env.ref_id("base.group_user")])]})
    with runtime.env(uid=clerk) as env, pytest.raises(AccessError, match="crm.contract"):
        segment(env, "region", today=TODAY)


def test_export_and_chart(data):
    runtime, _li, _wang = data
    with runtime.env() as env:
        rows = segment(env, "region", today=TODAY)
        text = to_csv(rows, "region")
        assert text.startswith("\ufeff") and "6400.65" in text.splitlines()[-1]
        svg = bar_chart_svg(rows, "contract_value", "Contract value <by region>")
        assert svg.startswith("<svg") and svg.count("<rect") == len(rows)
        assert "&lt;by region&gt;" in svg
