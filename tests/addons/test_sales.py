"""The sales addon: structure, amounts and rounding (property tests), pricing, approvals.

The fixtures here (a database with sales installed, the four sales posts and a customer) are
imported by the other ``test_sales_*`` modules.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addons.product.amounts import document_amounts, line_amounts, percent
from core.errors import AccessError, UserError, ValidationError
from core.testing import AddonTestCase


class TestSalesStructure(AddonTestCase):
    addon = "sales"


@dataclasses.dataclass
class Sales:
    """A database with sales installed: users of each post, a customer and products."""

    runtime: Any
    admin: int
    assistant: int
    assistant2: int
    manager: int
    manager2: int
    director: int
    customer: int
    other_customer: int
    bp: int  # blood-pressure monitor, 299.00, 13 % VAT, unit 件
    mask: int  # consumable, 35.00
    service: int  # installation service, 150.00 per hour, 6 % VAT

    def env(self, uid: int | None = None) -> Any:
        """An environment of ``uid`` acting as a normal user (superuser when None)."""
        if uid is None:
            return self.runtime.env()
        return _UserEnv(self.runtime, uid)

    def order(self, uid: int, lines: list[tuple[int, str, str | None]], **vals: Any) -> int:
        """A quotation of ``uid`` with ``(product, qty, price)`` lines."""
        with self.env(uid) as env:
            return env["sale.order"].create({
                "partner_id": vals.pop("partner_id", self.customer), **vals,
                "order_line": [(0, 0, {"product_id": p, "product_uom_qty": q,
                                       **({"price_unit": price} if price is not None else {})})
                               for p, q, price in lines]})

    def call(self, uid: int, model: str, method: str, ids: Any, *args: Any) -> Any:
        with self.env(uid) as env:
            return env[model].call(method, [ids] if isinstance(ids, int) else ids, *args)

    def read(self, model: str, record_id: int, *names: str) -> dict[str, Any]:
        with self.env() as env:
            return env[model].read([record_id], list(names))[0]

    def approved_order(self, lines: list[tuple[int, str, str | None]], **vals: Any) -> int:
        order = self.order(self.assistant, lines, **vals)
        self.call(self.assistant, "sale.order", "action_submit", order)
        self.call(self.manager, "sale.order", "workflow_approve", order)
        if self.read("sale.order", order, "state")["state"] == "to_approve":
            self.call(self.director, "sale.order", "workflow_approve", order)
        return order


class _UserEnv:
    def __init__(self, runtime: Any, uid: int) -> None:
        self.runtime, self.uid = runtime, uid

    def __enter__(self) -> Any:
        self._cm = self.runtime.env(uid=self.uid, su=False)
        return self._cm.__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self._cm.__exit__(*exc)


def _user(env: Any, login: str, group: str) -> int:
    return env["res.users"].create({"login": login, "name": login.title(),
                                    "groups_id": [(6, 0, [env.ref_id(group)])]})


@pytest.fixture(name="sales")
def sales_fixture(make_runtime: Any) -> Sales:
    """Other modules import this (``from tests.addons.test_sales import sales_fixture``) to get
    the ``sales`` fixture."""
    runtime = make_runtime()
    runtime.manager.install(["sales"])
    with runtime.env() as env:
        admin = env["res.users"].create({"login": "boss", "name": "Boss", "groups_id": [
            (6, 0, [env.ref_id("base.group_system")])]})
        users = {name: _user(env, name, f"sales.group_{post}") for name, post in (
            ("assistant", "assistant"), ("assistant2", "assistant"), ("manager", "manager"),
            ("manager2", "manager"), ("director", "director"))}
        customer = env["res.partner"].create({"name": "上海康宁医疗器械有限公司", "city": "上海",
                                              "is_company": True, "vat": "91310000MA1FL0000X"})
        other = env["res.partner"].create({"name": "杭州仁和药房连锁", "city": "杭州",
                                           "is_company": True})
        products = env["product.product"]
        bp = products.create({"name": "电子血压计", "default_code": "BP100", "list_price": "299"})
        mask = products.create({"name": "医用口罩", "type": "consu", "list_price": "35"})
        service = products.create({"name": "上门安装", "type": "service", "list_price": "150",
                                   "vat_rate": "6", "uom_id": env.ref_id("product.uom_hour")})
    return Sales(runtime, admin, customer=customer, other_customer=other, bp=bp, mask=mask,
                 service=service, **users)


#: the fixture under its old import name (``from tests.addons.test_sales import sales``)
sales = sales_fixture


# -- amounts and rounding --------------------------------------------------------------------

quantities = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("10000"), places=3)
prices = st.decimals(min_value=Decimal("0"), max_value=Decimal("100000"), places=4)
discounts = st.decimals(min_value=Decimal("0"), max_value=Decimal("100"), places=2)
vat_rates = st.sampled_from([Decimal("0"), Decimal("3"), Decimal("6"), Decimal("9"),
                             Decimal("13"), Decimal("16.5")])
line_values = st.tuples(quantities, prices, discounts, vat_rates)


def _reference(qty: Decimal, price: Decimal, discount: Decimal, rate: Decimal) -> tuple:
    """The rule written out independently: subtotal and tax rounded half-up per line."""
    cent = Decimal("0.01")
    subtotal = (qty * price * (100 - discount) / 100).quantize(cent, ROUND_HALF_UP)
    tax = (subtotal * rate / 100).quantize(cent, ROUND_HALF_UP)
    return subtotal, tax


@settings(deadline=None, max_examples=300)
@given(st.lists(line_values, min_size=1, max_size=8))
def test_total_is_untaxed_plus_tax_for_any_lines(lines):
    amounts = [line_amounts(*values) for values in lines]
    total = document_amounts(amounts)
    assert total.total == total.subtotal + total.tax
    for values, amount in zip(lines, amounts, strict=True):
        assert (amount.subtotal, amount.tax) == _reference(*values)
        assert amount.total == amount.subtotal + amount.tax
        assert amount.subtotal.as_tuple().exponent == -2 and amount.tax.as_tuple().exponent == -2
    assert total.subtotal == sum(a.subtotal for a in amounts)


def test_rounding_is_half_up_at_the_cent():
    assert line_amounts("1", "0.125", 0, 0).subtotal == Decimal("0.13")
    assert line_amounts("3", "33.335", "0", "13") == (Decimal("100.01"), Decimal("13.00"),
                                                      Decimal("113.01"))
    assert line_amounts("1", "10.05", "50", "13").subtotal == Decimal("5.03")  # 5.025 → 5.03
    assert percent("1", "3") == Decimal("33.33") and percent(5, 0) == 0
    assert percent(150, 100) == Decimal("100.00")


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(line_values, min_size=1, max_size=5))
def test_stored_order_totals_for_any_lines(sales, lines):
    """Through the model service and the database: stored totals add up exactly."""
    with sales.env() as env:
        order = env["sale.order"].create({"partner_id": sales.customer, "order_line": [
            (0, 0, {"product_id": sales.bp, "product_uom_qty": str(q), "price_unit": str(p),
                    "discount": str(d), "vat_rate": str(r)}) for q, p, d, r in lines]})
        row = env["sale.order"].read([order], ["amount_untaxed", "amount_tax", "amount_total",
                                               "order_line"])[0]
        stored = env["sale.order.line"].read(row["order_line"], ["price_subtotal", "price_tax",
                                                                 "price_total"])
        expected = [_reference(*values) for values in lines]
        assert [(r["price_subtotal"], r["price_tax"]) for r in stored] == expected
        assert row["amount_total"] == row["amount_untaxed"] + row["amount_tax"]
        assert row["amount_untaxed"] == sum(s for s, _t in expected)
        assert row["amount_tax"] == sum(t for _s, t in expected)
        env["sale.order"].unlink([order])


def test_lines_take_unit_vat_and_price_from_the_product(sales):
    with sales.env() as env:
        dozen = env.ref_id("product.uom_dozen")
        order = env["sale.order"].create({"partner_id": sales.customer, "order_line": [
            (0, 0, {"product_id": sales.bp, "product_uom_qty": "2"}),
            (0, 0, {"product_id": sales.bp, "product_uom_qty": "1", "product_uom": dozen}),
            (0, 0, {"product_id": sales.service, "product_uom_qty": "1.5"})]})
        lines = env["sale.order.line"].search_read([("order_id", "=", order)], [
            "price_unit", "vat_rate", "product_uom", "name", "price_subtotal", "price_tax"])
        assert [(r["price_unit"], r["vat_rate"]) for r in lines] == [
            (Decimal("299.0000"), Decimal("13.00")), (Decimal("3588.0000"), Decimal("13.00")),
            (Decimal("150.0000"), Decimal("6.00"))]
        assert lines[1]["product_uom"][0] == dozen and lines[0]["name"] == "[BP100] 电子血压计"
        assert lines[2]["price_tax"] == Decimal("13.50")
        order_row = env["sale.order"].read([order], ["amount_untaxed", "amount_total", "name",
                                                     "region", "state"])[0]
        assert order_row["amount_untaxed"] == Decimal("598.00") + Decimal("3588.00") + \
            Decimal("225.00")
        assert order_row["name"].startswith("SO") and order_row["region"] == "上海"
        with pytest.raises(ValidationError, match="cannot measure"):
            env["sale.order.line"].create({"order_id": order, "product_id": sales.bp,
                                           "product_uom": env.ref_id("product.uom_kgm")})
        with pytest.raises(ValidationError, match="must be positive"):
            env["sale.order.line"].create({"order_id": order, "product_id": sales.bp,
                                           "product_uom_qty": "0"})
        with pytest.raises(ValidationError, match="discount"):
            env["sale.order.line"].create({"order_id": order, "product_id": sales.bp,
                                           "discount": "120"})
        with pytest.raises(ValidationError, match="computed"):
            env["sale.order"].write([order], {"amount_total": "1"})
        with pytest.raises(ValidationError, match="computed"):
            env["sale.order.line"].write(lines[0]["id"], {"qty_delivered": "2"})
        assert env["sale.order"].read([order], ["amount_untaxed"])[0]["amount_untaxed"] == \
            order_row["amount_untaxed"]  # nothing half-saved
        env["sale.order.line"].write(lines[0]["id"], {"product_uom_qty": "3", "discount": "10"})
        env["sale.order.line"].unlink([lines[2]["id"]])
        assert env["sale.order"].read([order], ["amount_untaxed"])[0]["amount_untaxed"] == \
            Decimal("807.30") + Decimal("3588.00")


def test_price_lists_apply_by_product_category_and_quantity(sales):
    with sales.env() as env:
        home = env["product.category"].create({"name": "家用"})
        env["product.product"].write([sales.bp], {"categ_id": home})
        pricelist = env["sale.pricelist"].create({"name": "经销商价", "item_ids": [
            (0, 0, {"applied_on": "global", "compute_price": "percentage",
                    "percent_price": "5"}),
            (0, 0, {"applied_on": "category", "categ_id": home, "compute_price": "percentage",
                    "percent_price": "10"}),
            (0, 0, {"applied_on": "product", "product_id": sales.bp, "min_quantity": "100",
                    "compute_price": "fixed", "fixed_price": "250"})]})
        env["res.partner"].write([sales.customer], {"property_product_pricelist": pricelist})
        order = env["sale.order"].create({"partner_id": sales.customer, "order_line": [
            (0, 0, {"product_id": sales.bp, "product_uom_qty": "10"}),
            (0, 0, {"product_id": sales.bp, "product_uom_qty": "100"}),
            (0, 0, {"product_id": sales.mask, "product_uom_qty": "10"})]})
        prices = [r["price_unit"] for r in env["sale.order.line"].search_read(
            [("order_id", "=", order)], ["price_unit"])]
        assert prices == [Decimal("269.1000"), Decimal("250.0000"), Decimal("33.2500")]
        assert env["sale.order"].read([order], ["pricelist_id"])[0]["pricelist_id"][0] == \
            pricelist
        with pytest.raises(ValidationError, match="needs a product"):
            env["sale.pricelist.item"].create({"pricelist_id": pricelist})


# -- approvals -------------------------------------------------------------------------------


def test_assistant_submits_manager_approves(sales):
    order = sales.order(sales.assistant, [(sales.bp, "10", None)])
    assert sales.call(sales.assistant, "sale.order", "action_submit", order) == "to_approve"
    with pytest.raises(AccessError, match="own request"):
        sales.call(sales.assistant, "sale.order", "workflow_approve", order)
    with pytest.raises(AccessError):
        sales.call(sales.assistant2, "sale.order", "workflow_approve", order)  # not even seen
    # submitted by a manager for the assistant: the assistant sees it but is no approver
    theirs = sales.order(sales.manager, [(sales.bp, "1", None)], user_id=sales.assistant)
    sales.call(sales.manager, "sale.order", "action_submit", theirs)
    with pytest.raises(AccessError, match="not among the approvers"):
        sales.call(sales.assistant, "sale.order", "workflow_approve", theirs)
    with sales.env(sales.assistant) as env:
        with pytest.raises(ValidationError, match="workflow"):
            env["sale.order"].write([order], {"state": "sale"})
    assert sales.call(sales.manager, "sale.order", "workflow_approve", order) == "sale"
    row = sales.read("sale.order", order, "state", "date_approve")
    assert row["state"] == "sale" and row["date_approve"] is not None
    with sales.env(sales.assistant) as env:
        with pytest.raises(ValidationError, match="cannot change"):
            env["sale.order.line"].create({"order_id": order, "product_id": sales.mask})
        with pytest.raises(ValidationError, match="Customer can no longer be changed"):
            env["sale.order"].write([order], {"partner_id": sales.other_customer})
        env["sale.order"].write([order], {"note": "送货前电话联系"})  # notes stay editable


def test_above_the_threshold_the_director_approves_too(sales):
    big = sales.order(sales.assistant, [(sales.bp, "700", None)])  # 236 509.00 with VAT
    sales.call(sales.assistant, "sale.order", "action_submit", big)
    assert sales.call(sales.manager, "sale.order", "workflow_approve", big) == "to_approve"
    with pytest.raises(AccessError):
        sales.call(sales.manager2, "sale.order", "workflow_approve", big)
    assert sales.call(sales.director, "sale.order", "workflow_approve", big) == "sale"
    with sales.env() as env:
        history = env["workflow.history"].search_read(
            [("res_model", "=", "sale.order"), ("res_id", "=", big),
             ("decision", "=", "approve")], ["step", "user_id"], order="id")
    assert [(h["step"], h["user_id"][0]) for h in history] == [
        ("manager", sales.manager), ("director", sales.director)]


def test_the_threshold_is_data_an_admin_edits(sales):
    with sales.env(sales.admin) as env:
        step = env["workflow.step"].search([("res_model", "=", "sale.order"),
                                            ("name", "=", "director")])
        assert env["workflow.step"].read(step, ["threshold"])[0]["threshold"] == \
            Decimal("200000.00")
        env["workflow.step"].write(step, {"threshold": "1000"})
    order = sales.order(sales.assistant, [(sales.bp, "10", None)])  # 3 378.70
    sales.call(sales.assistant, "sale.order", "action_submit", order)
    assert sales.call(sales.manager, "sale.order", "workflow_approve", order) == "to_approve"
    assert sales.call(sales.director, "sale.order", "workflow_approve", order) == "sale"
    with sales.env(sales.manager) as env:
        with pytest.raises(AccessError):
            env["workflow.step"].write(step, {"threshold": "1"})


def test_rejected_order_goes_back_to_draft_with_the_reason(sales):
    order = sales.order(sales.assistant, [(sales.bp, "10", None)])
    sales.call(sales.assistant, "sale.order", "action_submit", order)
    with pytest.raises(ValidationError, match="reason"):
        sales.call(sales.manager, "sale.order", "workflow_reject", order, "  ")
    assert sales.call(sales.manager, "sale.order", "workflow_reject", order,
                      "单价低于最低折扣") == "draft"
    with sales.env() as env:
        rejection = env["workflow.history"].search_read(
            [("res_model", "=", "sale.order"), ("res_id", "=", order),
             ("decision", "=", "reject")], ["comment", "user_id"])
    assert rejection[0]["comment"] == "单价低于最低折扣"
    assert rejection[0]["user_id"][0] == sales.manager
    with sales.env(sales.assistant) as env:  # back in draft: editable, submit again
        line = env["sale.order"].read([order], ["order_line"])[0]["order_line"][0]
        env["sale.order.line"].write(line, {"price_unit": "310"})
    assert sales.call(sales.assistant, "sale.order", "action_submit", order) == "to_approve"


def test_cannot_submit_an_empty_order_nor_approve_ones_own(sales):
    empty = sales.order(sales.assistant, [])
    with pytest.raises(UserError, match="at least one line"):
        sales.call(sales.assistant, "sale.order", "action_submit", empty)
    own = sales.order(sales.manager, [(sales.bp, "1", None)])
    sales.call(sales.manager, "sale.order", "action_submit", own)
    with pytest.raises(AccessError, match="own request"):
        sales.call(sales.manager, "sale.order", "workflow_approve", own)
    assert sales.call(sales.manager2, "sale.order", "workflow_approve", own) == "sale"


def test_assistants_see_their_own_orders_managers_all(sales):
    mine = sales.order(sales.assistant, [(sales.bp, "1", None)])
    theirs = sales.order(sales.assistant2, [(sales.bp, "2", None)])
    for_me = sales.order(sales.manager, [(sales.bp, "3", None)], user_id=sales.assistant)
    with sales.env(sales.assistant) as env:
        assert sorted(env["sale.order"].search([])) == sorted([mine, for_me])
        assert env["sale.order.line"].search_count([]) == 2
        with pytest.raises(AccessError, match="record rules"):
            env["sale.order"].read([theirs], ["name"])
        with pytest.raises(AccessError):
            env["sale.order"].write([theirs], {"note": "x"})
    with sales.env(sales.manager) as env:
        assert sorted(env["sale.order"].search([])) == sorted([mine, theirs, for_me])
        groups = env["sale.order"].read_group([], ["amount_total"], ["user_id"])
        assert len(groups) == 2
    with sales.env(sales.assistant) as env:
        with pytest.raises(AccessError):
            env["sale.pricelist"].create({"name": "x"})


def test_forms_posting_unchanged_lines_back_after_approval(sales):
    """The generic form posts every line (read-only columns included) with each save."""
    order = sales.approved_order([(sales.bp, "2", None)])
    with sales.env(sales.assistant) as env:
        line = env["sale.order.line"].read(
            env["sale.order"].read([order], ["order_line"])[0]["order_line"],
            ["product_id", "product_uom_qty", "price_unit", "discount", "vat_rate",
             "price_subtotal", "qty_delivered"])[0]
        values = {k: (v[0] if isinstance(v, tuple) else v) for k, v in line.items() if k != "id"}
        env["sale.order"].write([order], {"note": "加急", "order_line": [(1, line["id"], values)]})
        with pytest.raises(ValidationError, match="Order lines can no longer be changed"):
            env["sale.order"].write([order], {"order_line": [
                (1, line["id"], {**values, "product_uom_qty": "3"})]})
    assert sales.read("sale.order", order, "note")["note"] == "加急"
