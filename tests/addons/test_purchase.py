"""The purchase addon: structure, supplier prices, requests approved by the department manager,
comparison sheets, approval routing with the general manager's threshold, amendments, record
rules, analysis.

The ``purchase`` fixture (a database with purchase installed, a user per post, suppliers and
products) is imported by the other ``test_purchase_*`` modules.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from addons.product.amounts import line_amounts, percent
from core.errors import AccessError, UserError, ValidationError
from core.testing import AddonTestCase


class TestPurchaseStructure(AddonTestCase):
    addon = "purchase"


@dataclasses.dataclass
class Purchase:
    """A database with purchase (and ``addons``) installed: a user per post, suppliers and
    products."""

    runtime: Any
    users: dict[str, int]
    supplier: int
    supplier2: int
    supplier3: int
    bp: int  # blood-pressure monitor, cost 168.50, 13 % VAT
    mask: int

    def __getattr__(self, name: str) -> int:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)

    def env(self, uid: int | None = None) -> Any:
        return self.runtime.env() if uid is None else self.runtime.env(uid=uid, su=False)

    def call(self, uid: int | None, model: str, method: str, ids: Any, *args: Any,
             **kwargs: Any) -> Any:
        with self.env(uid) as env:
            return env[model].call(method, [ids] if isinstance(ids, int) else ids, *args,
                                   **kwargs)

    def read(self, model: str, record_id: int, *names: str) -> dict[str, Any]:
        with self.env() as env:
            return env[model].read([record_id], list(names))[0]

    def order(self, lines: list[tuple[int, str, str | None]], uid: int | None = None,
              **vals: Any) -> int:
        with self.env(uid or self.buyer) as env:
            return env["purchase.order"].create({
                "partner_id": vals.pop("partner_id", self.supplier), **vals,
                "order_line": [(0, 0, {"product_id": p, "product_qty": q,
                                       **({"price_unit": price} if price is not None else {})})
                               for p, q, price in lines]})

    def approved_order(self, lines: list[tuple[int, str, str | None]], uid: int | None = None,
                       **vals: Any) -> int:
        order = self.order(lines, uid=uid, **vals)
        self.call(uid or self.buyer, "purchase.order", "action_submit", order)
        self.call(self.manager, "purchase.order", "workflow_approve", order)
        if self.read("purchase.order", order, "state")["state"] == "to_approve":
            self.call(self.general_manager, "purchase.order", "workflow_approve", order)
        return order


def make_user(env: Any, login: str, *groups: str) -> int:
    return env["res.users"].create({"login": login, "name": login.title(), "groups_id": [
        (6, 0, [env.ref_id(g) for g in groups])]})


def purchase_setup(runtime: Any, extra_users: dict[str, tuple[str, ...]] | None = None
                   ) -> Purchase:
    """Users, suppliers and products in a database where purchase is installed."""
    with runtime.env() as env:
        users = {name: make_user(env, name, f"purchase.group_{post}") for name, post in (
            ("requester", "requester"), ("buyer", "user"), ("buyer2", "user"),
            ("manager", "manager"), ("general_manager", "general_manager"))}
        for name, groups in (extra_users or {}).items():
            users[name] = make_user(env, name, *groups)
        partners = env["res.partner"]
        supplier = partners.create({"name": "江苏鱼跃医疗", "is_company": True,
                                    "supplier_payment_term_days": 60, "vat": "91321100X"})
        supplier2 = partners.create({"name": "欧姆龙大连", "is_company": True})
        supplier3 = partners.create({"name": "可孚医疗", "is_company": True})
        products = env["product.product"]
        bp = products.create({"name": "电子血压计", "default_code": "BP100", "list_price": "299",
                              "standard_price": "168.50"})
        mask = products.create({"name": "医用口罩", "type": "consu", "list_price": "35",
                                "standard_price": "14.20"})
        env["product.supplierinfo"].create([
            {"partner_id": supplier, "product_id": bp, "price": "168.50", "delay": 10},
            {"partner_id": supplier, "product_id": bp, "price": "162.00", "min_qty": "100"},
            {"partner_id": supplier2, "product_id": bp, "price": "171.00", "delay": 5}])
    return Purchase(runtime, users, supplier, supplier2, supplier3, bp, mask)


@pytest.fixture(name="purchase")
def purchase_fixture(make_runtime: Any) -> Purchase:
    runtime = make_runtime()
    runtime.manager.install(["purchase"])
    return purchase_setup(runtime)


# -- amounts ---------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=Decimal("99999.9999"), places=4)
qty = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("9999"), places=3)


@given(qty, money, st.sampled_from([Decimal(0), Decimal(6), Decimal(9), Decimal(13)]))
def test_line_total_is_untaxed_plus_vat(quantity, price, vat):
    amounts = line_amounts(quantity, price, vat_rate=vat)
    assert amounts.total == amounts.subtotal + amounts.tax
    assert amounts.subtotal == (quantity * price).quantize(Decimal("0.01"),
                                                           rounding="ROUND_HALF_UP")


def test_percent_is_capped():
    assert percent(150, 100) == Decimal("100.00")
    assert percent(1, 0) == Decimal("0.00")
    assert percent(1, 3) == Decimal("33.33")


# -- supplier prices and orders ----------------------------------------------------------------


def test_line_takes_the_supplier_price_for_the_quantity(purchase):
    order = purchase.order([(purchase.bp, "10", None), (purchase.bp, "120", None)])
    with purchase.env() as env:
        lines = env["purchase.order.line"].search_read(
            [("order_id", "=", order)], ["price_unit", "vat_rate", "price_total", "date_planned"],
            order="id")
        head = env["purchase.order"].read([order], ["amount_untaxed", "amount_tax",
                                                    "amount_total", "name",
                                                    "payment_term_days"])[0]
    assert [line["price_unit"] for line in lines] == [Decimal("168.5"), Decimal("162")]
    assert head["amount_untaxed"] == Decimal("21125.00")  # 1685 + 19440
    assert head["amount_tax"] == Decimal("2746.25")
    assert head["amount_total"] == Decimal("23871.25")
    assert head["name"].startswith("PO")
    assert head["payment_term_days"] == 60  # from the supplier


def test_blocked_supplier_is_refused(purchase):
    with purchase.env() as env:
        env["res.partner"].write([purchase.supplier3], {"supplier_rating": "d"})
    with pytest.raises(ValidationError):
        purchase.order([(purchase.bp, "1", "10")], partner_id=purchase.supplier3)


def test_bad_line_values_are_refused_and_nothing_is_kept(purchase):
    with pytest.raises(ValidationError):
        purchase.order([(purchase.bp, "-1", "10")])
    with pytest.raises(ValidationError):
        purchase.order([(purchase.bp, "1", "-10")])
    with purchase.env() as env:
        assert env["purchase.order"].search_count([]) == 0


# -- approvals ---------------------------------------------------------------------------------


def test_manager_alone_approves_below_the_threshold(purchase):
    order = purchase.order([(purchase.bp, "10", "100")])  # 1,130.00
    purchase.call(purchase.buyer, "purchase.order", "action_submit", order)
    assert purchase.read("purchase.order", order, "state")["state"] == "to_approve"
    purchase.call(purchase.manager, "purchase.order", "workflow_approve", order)
    got = purchase.read("purchase.order", order, "state", "date_approve")
    assert got["state"] == "purchase" and got["date_approve"]  # no general manager's step


def test_general_manager_approves_above_the_editable_threshold(purchase):
    order = purchase.order([(purchase.bp, "400", "150")])  # 67,800.00 > 50,000
    purchase.call(purchase.buyer, "purchase.order", "action_submit", order)
    purchase.call(purchase.manager, "purchase.order", "workflow_approve", order)
    assert purchase.read("purchase.order", order, "state")["state"] == "to_approve"
    purchase.call(purchase.general_manager, "purchase.order", "workflow_approve", order)
    assert purchase.read("purchase.order", order, "state")["state"] == "purchase"
    # the administrator raises the amount: the same order size needs the manager only
    with purchase.env() as env:
        step = env.ref_id("purchase.workflow_step_purchase_order_submit_general_manager")
        env["workflow.step"].write([step], {"threshold": "100000"})
    second = purchase.order([(purchase.bp, "400", "150")])
    purchase.call(purchase.buyer, "purchase.order", "action_submit", second)
    purchase.call(purchase.manager, "purchase.order", "workflow_approve", second)
    assert purchase.read("purchase.order", second, "state")["state"] == "purchase"


def test_buyer_cannot_approve_and_state_is_not_writable(purchase):
    order = purchase.order([(purchase.bp, "1", "100")])
    purchase.call(purchase.buyer, "purchase.order", "action_submit", order)
    with pytest.raises(AccessError):
        purchase.call(purchase.buyer2, "purchase.order", "workflow_approve", order)
    with pytest.raises((AccessError, ValidationError)):
        with purchase.env(purchase.manager) as env:
            env["purchase.order"].write([order], {"state": "purchase"})


def test_amendment_keeps_number_and_history(purchase):
    order = purchase.approved_order([(purchase.bp, "10", "100")])
    name = purchase.read("purchase.order", order, "name")["name"]
    with pytest.raises(ValidationError):  # approved lines change only through an amendment
        with purchase.env(purchase.buyer) as env:
            line = env["purchase.order.line"].search([("order_id", "=", order)])[0]
            env["purchase.order.line"].write([line], {"product_qty": "20"})
    with pytest.raises(ValidationError):  # an amendment needs a reason
        purchase.call(purchase.buyer, "purchase.order", "action_amend", order)
    purchase.call(purchase.buyer, "purchase.order", "action_amend", order, "供应商涨价")
    with purchase.env(purchase.buyer) as env:
        line = env["purchase.order.line"].search([("order_id", "=", order)])[0]
        env["purchase.order.line"].write([line], {"product_qty": "20", "price_unit": "105"})
    purchase.call(purchase.buyer, "purchase.order", "action_submit", order)
    purchase.call(purchase.manager, "purchase.order", "workflow_approve", order)
    got = purchase.read("purchase.order", order, "name", "revision", "amount_total", "state")
    assert (got["name"], got["revision"], got["state"]) == (name, 1, "purchase")
    assert got["amount_total"] == Decimal("2373.00")
    with purchase.env(purchase.buyer) as env:
        revisions = env["purchase.order.revision"].search_read(
            [("order_id", "=", order)], ["revision", "reason", "amount_total", "lines_snapshot"])
    assert len(revisions) == 1
    assert revisions[0]["reason"] == "供应商涨价"
    assert revisions[0]["amount_total"] == Decimal("1130.00")
    assert '"qty": "10.000"' in revisions[0]["lines_snapshot"]
    with pytest.raises((AccessError, UserError)):  # amendments are the order's alone
        with purchase.env(purchase.buyer) as env:
            env["purchase.order.revision"].create({"order_id": order, "reason": "x"})


def test_cancel_needs_a_reason(purchase):
    order = purchase.order([(purchase.bp, "1", "100")])
    with pytest.raises(ValidationError):
        purchase.call(purchase.buyer, "purchase.order", "action_cancel", order)
    purchase.call(purchase.buyer, "purchase.order", "action_cancel", order, "重复下单")
    assert purchase.read("purchase.order", order, "state")["state"] == "cancel"


# -- requests and comparison -------------------------------------------------------------------


def _request(purchase, qty="150"):
    with purchase.env(purchase.requester) as env:
        return env["purchase.request"].create({"department": "生产部", "line_ids": [
            (0, 0, {"product_id": purchase.bp, "product_qty": qty, "reason": "备货"})]})


def test_request_is_approved_by_the_manager_and_sourced_by_comparison(purchase):
    request = _request(purchase)
    purchase.call(purchase.requester, "purchase.request", "action_submit", request)
    with pytest.raises(AccessError):  # the requester does not approve their own request
        purchase.call(purchase.requester, "purchase.request", "workflow_approve", request)
    purchase.call(purchase.manager, "purchase.request", "workflow_approve", request)
    assert purchase.read("purchase.request", request, "state")["state"] == "approved"
    # an unassigned approved request is visible to buyers, who pick it up
    sheet = purchase.call(purchase.buyer, "purchase.request", "action_create_comparison",
                          request)
    with purchase.env(purchase.buyer) as env:
        env["purchase.comparison"].write([sheet], {"supplier_ids": [
            (6, 0, [purchase.supplier, purchase.supplier2, purchase.supplier3])]})
    rfqs = purchase.call(purchase.buyer, "purchase.comparison", "action_send_rfqs", sheet)
    assert len(rfqs) == 3
    with purchase.env(purchase.buyer) as env:
        table = env["purchase.comparison"].browse_unchecked([sheet])[0].table()
        env["purchase.order.line"].write(
            env["purchase.order.line"].search([("order_id", "=", rfqs[2])]),
            {"price_unit": "160"})  # the third supplier's quotation
    assert [row["amount_untaxed"] for row in table] == sorted(r["amount_untaxed"] for r in table)
    with pytest.raises(ValidationError):  # the choice needs its reason
        purchase.call(purchase.buyer, "purchase.comparison", "action_choose", sheet, rfqs[0])
    purchase.call(purchase.buyer, "purchase.comparison", "action_choose", sheet, rfqs[2],
                  "价格最低")
    got = purchase.read("purchase.comparison", sheet, "state", "winner_partner_id", "reason")
    assert got["state"] == "done" and got["winner_partner_id"][0] == purchase.supplier3
    assert got["reason"] == "价格最低"
    states = {o: purchase.read("purchase.order", o, "state", "winner_reason") for o in rfqs}
    assert [states[o]["state"] for o in rfqs] == ["cancel", "cancel", "draft"]
    assert states[rfqs[2]]["winner_reason"] == "价格最低"
    line = purchase.read("purchase.request", request, "line_ids", "state")
    assert line["state"] == "done"
    req_line = purchase.read("purchase.request.line", line["line_ids"][0], "qty_ordered")
    assert req_line["qty_ordered"] == Decimal("150")


def test_request_to_order_directly_and_create_from_needs(purchase):
    request = _request(purchase, "30")
    purchase.call(purchase.requester, "purchase.request", "action_submit", request)
    purchase.call(purchase.manager, "purchase.request", "workflow_approve", request)
    order = purchase.call(purchase.buyer, "purchase.request", "action_create_order", request,
                          purchase.supplier)
    got = purchase.read("purchase.order", order, "origin", "amount_untaxed")
    assert got["amount_untaxed"] == Decimal("5055.00")  # 30 × 168.50
    with pytest.raises(UserError):  # everything is ordered
        purchase.call(purchase.buyer, "purchase.request", "action_create_order", request,
                      purchase.supplier)
    with purchase.env() as env:
        made = env["purchase.request"].create_from_needs(
            [{"product_id": purchase.bp, "product_qty": "5"},
             {"product_id": purchase.mask, "product_qty": "100", "reason": "低于最低库存"}])
        again = env["purchase.request"].create_from_needs(
            [{"product_id": purchase.mask, "product_qty": "100"}])
        got = env["purchase.request"].read([made], ["state", "origin", "line_ids"])[0]
    assert again is None  # already on an open request
    assert got["state"] == "to_approve" and got["origin"] == "reorder"
    assert len(got["line_ids"]) == 2


# -- record rules ------------------------------------------------------------------------------


def test_buyer_sees_own_orders_and_lines_managers_all(purchase):
    mine = purchase.order([(purchase.bp, "1", "100")])
    other = purchase.order([(purchase.bp, "2", "100")], uid=purchase.buyer2)
    with purchase.env(purchase.buyer) as env:
        assert env["purchase.order"].search([]) == [mine]
        lines = env["purchase.order.line"].search_read([], ["order_id"])
        assert {line["order_id"][0] for line in lines} == {mine}
        with pytest.raises(AccessError):
            env["purchase.order"].read([other], ["name"])
    with purchase.env(purchase.manager) as env:
        assert set(env["purchase.order"].search([])) == {mine, other}
    with purchase.env(purchase.requester) as env:
        with pytest.raises(AccessError):
            env["purchase.order"].search([])


def test_analysis_groups_in_sql_with_price_trends(purchase):
    import datetime as dt

    from addons.purchase.analysis import price_trends, purchases_by

    purchase.approved_order([(purchase.bp, "10", "100")], date_order=dt.date(2026, 9, 3))
    purchase.approved_order([(purchase.bp, "10", "110")], date_order=dt.date(2026, 10, 3))
    purchase.order([(purchase.bp, "10", "999")], date_order=dt.date(2026, 10, 5))  # not approved
    with purchase.env(purchase.manager) as env:
        by_month = purchases_by(env, "date_order:month", dt.date(2026, 1, 1),
                                dt.date(2026, 12, 31))
        trends = price_trends(env, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert [(r["label"], r["amount"]) for r in by_month] == [
        ("2026-09", Decimal("1000.00")), ("2026-10", Decimal("1100.00"))]
    assert [r["change"] for r in trends] == [None, Decimal("10.00")]
