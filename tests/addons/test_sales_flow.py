"""The sales side of SA-003 after approval: delivery notices, invoicing notices, collections,
order progress, cancelling and locking — with sales alone, and with addons implementing its
hooks the way stock and accounting will."""

from __future__ import annotations

import datetime as dt
import textwrap
from decimal import Decimal

import pytest

from core import db
from core.errors import AccessError, UserError, ValidationError
from core.runtime import Runtime
from core.testing import statements
from tests.addons.test_sales import Sales, _user, sales_fixture  # noqa: F401  (fixture)

D = Decimal


def _notice_lines(sales: Sales, model: str, notice: int) -> list[dict]:
    with sales.env() as env:
        line_model = f"{model}.line"
        return env[line_model].search_read([("notice_id", "=", notice)], [])


def _ship(sales: Sales, order: int, quantities: list[str] | None = None) -> int:
    notice = sales.call(sales.assistant, "sale.order", "action_create_delivery_notice", order)
    if quantities is not None:
        with sales.env(sales.assistant) as env:
            for line, qty in zip(_notice_lines(sales, "sale.delivery.notice", notice),
                                 quantities, strict=True):
                env["sale.delivery.notice.line"].write([line["id"]], {"product_uom_qty": qty})
    assert sales.call(sales.assistant, "sale.delivery.notice", "action_approve",
                      notice) == "approved"
    assert sales.call(sales.assistant, "sale.delivery.notice", "action_ship", notice) == "done"
    return notice


def _invoice(sales: Sales, order: int, number: str = "04410001",
             day: str = "2026-11-02") -> int:
    notice = sales.call(sales.assistant, "sale.order", "action_create_invoice_notice", order)
    for action in ("action_review", "action_send"):
        sales.call(sales.assistant, "sale.invoice.notice", action, notice)
    assert sales.call(sales.assistant, "sale.invoice.notice", "action_invoice", notice, number,
                      day) == "invoiced"
    return notice


def _progress(sales: Sales, order: int) -> dict:
    return sales.read("sale.order", order, "state", "delivery_status", "invoice_status",
                      "delivered_percent", "invoiced_percent", "collected_percent",
                      "amount_total", "amount_delivered", "amount_invoiced",
                      "amount_collected", "amount_due", "payment_due_date")


def _line_qty(sales: Sales, order: int) -> list[tuple]:
    with sales.env() as env:
        return [(r["qty_delivered"], r["qty_invoiced"], r["qty_to_invoice"])
                for r in env["sale.order.line"].search_read(
                    [("order_id", "=", order)], ["qty_delivered", "qty_invoiced",
                                                 "qty_to_invoice"])]


def test_only_approved_orders_are_delivered_or_invoiced(sales):
    order = sales.order(sales.assistant, [(sales.bp, "10", None)])
    with pytest.raises(UserError, match="not possible"):
        sales.call(sales.assistant, "sale.order", "action_create_delivery_notice", order)
    with pytest.raises(UserError, match="not possible"):
        sales.call(sales.assistant, "sale.order", "action_create_invoice_notice", order)
    with sales.env(sales.assistant) as env:
        line = env["sale.order"].read([order], ["order_line"])[0]["order_line"][0]
        with pytest.raises(UserError, match="not possible"):
            env["sale.delivery.notice"].create({"order_id": order, "line_ids": [
                (0, 0, {"order_line_id": line, "product_uom_qty": "1"})]})
        assert env["sale.delivery.notice"].search_count([]) == 0


def test_partial_deliveries_roll_up_to_the_order(sales):
    order = sales.approved_order([(sales.bp, "10", None), (sales.mask, "100", None)])
    assert _progress(sales, order)["delivery_status"] == "no"
    first = _ship(sales, order, ["4", "100"])
    assert _line_qty(sales, order) == [(D("4.000"), D("0.000"), D("4.000")),
                                       (D("100.000"), D("0.000"), D("100.000"))]
    progress = _progress(sales, order)
    assert progress["delivery_status"] == "partial"
    # 4 of 10 monitors (1 351.48 of 3 378.70) plus all masks (3 955.00) of 7 333.70
    assert progress["amount_delivered"] == D("5306.48")
    assert progress["delivered_percent"] == D("72.36")
    # a second notice only offers what is left; more than that is refused
    second = sales.call(sales.assistant, "sale.order", "action_create_delivery_notice", order)
    lines = _notice_lines(sales, "sale.delivery.notice", second)
    assert [r["product_uom_qty"] for r in lines] == [D("6.000")]
    with sales.env(sales.assistant) as env:
        with pytest.raises(ValidationError, match="more than the 6.000 left"):
            env["sale.delivery.notice.line"].write([lines[0]["id"]], {"product_uom_qty": "7"})
    sales.call(sales.assistant, "sale.delivery.notice", "action_approve", second)
    with sales.env(sales.assistant) as env:
        with pytest.raises(ValidationError, match="no longer a draft"):
            env["sale.delivery.notice.line"].write([lines[0]["id"]], {"product_uom_qty": "1"})
    sales.call(sales.assistant, "sale.delivery.notice", "action_ship", second)
    assert _progress(sales, order)["delivery_status"] == "full"
    assert _progress(sales, order)["delivered_percent"] == D("100.00")
    with pytest.raises(UserError, match="already on a delivery notice"):
        sales.call(sales.assistant, "sale.order", "action_create_delivery_notice", order)
    assert sales.read("sale.delivery.notice", first, "date_done")["date_done"] is not None


def test_the_lines_of_a_notice_are_checked_together_in_one_query(sales):
    """The quantity check of notice lines is a batch constraint: one query for all the lines
    a create makes, each line still checked against the others (two on one order line)."""
    order = sales.approved_order([(sales.bp, "10", None), (sales.mask, "100", None)])
    with sales.env(sales.assistant) as env:
        monitors, masks = env["sale.order"].read([order], ["order_line"])[0]["order_line"]
        with pytest.raises(ValidationError, match="6.000 is more than the 5.000 left"):
            env["sale.delivery.notice"].create({"order_id": order, "line_ids": [
                (0, 0, {"order_line_id": monitors, "product_uom_qty": "6"}),
                (0, 0, {"order_line_id": monitors, "product_uom_qty": "5"})]})
        with statements(sales.runtime.engine) as seen:
            notice = env["sale.delivery.notice"].create({"order_id": order, "line_ids": [
                (0, 0, {"order_line_id": monitors, "product_uom_qty": "6"}),
                (0, 0, {"order_line_id": monitors, "product_uom_qty": "4"}),
                (0, 0, {"order_line_id": masks, "product_uom_qty": "100"})]})
        sums = [s for s in seen if "sum(sale_delivery_notice_line.product_uom_qty)" in s]
        assert len(sums) == 1, sums
    assert [r["product_uom_qty"] for r in _notice_lines(sales, "sale.delivery.notice",
                                                        notice)] == [D("6"), D("4"), D("100")]


def test_cancelled_notice_gives_its_quantities_back(sales):
    order = sales.approved_order([(sales.bp, "10", None)])
    notice = sales.call(sales.assistant, "sale.order", "action_create_delivery_notice", order)
    sales.call(sales.assistant, "sale.delivery.notice", "action_approve", notice)
    sales.call(sales.assistant, "sale.delivery.notice", "action_cancel", notice)
    again = sales.call(sales.assistant, "sale.order", "action_create_delivery_notice", order)
    assert _notice_lines(sales, "sale.delivery.notice", again)[0]["product_uom_qty"] == D("10")
    assert _line_qty(sales, order) == [(D("0.000"), D("0.000"), D("0.000"))]


def test_invoicing_notices_take_delivered_quantities_not_yet_invoiced(sales):
    order = sales.approved_order([(sales.bp, "10", None), (sales.service, "2", None)])
    # the service counts as delivered on approval: it can be invoiced before any shipment
    _ship(sales, order, ["4"])
    notice = sales.call(sales.assistant, "sale.order", "action_create_invoice_notice", order)
    lines = _notice_lines(sales, "sale.invoice.notice", notice)
    assert [(r["quantity"], r["price_subtotal"], r["price_tax"]) for r in lines] == [
        (D("4.000"), D("1196.00"), D("155.48")), (D("2.000"), D("300.00"), D("18.00"))]
    head = sales.read("sale.invoice.notice", notice, "amount_untaxed", "amount_tax",
                      "amount_total", "partner_vat", "state")
    assert (head["amount_untaxed"], head["amount_tax"], head["amount_total"]) == (
        D("1496.00"), D("173.48"), D("1669.48"))
    assert head["partner_vat"] == "91310000MA1FL0000X"
    with sales.env(sales.assistant) as env:
        with pytest.raises(ValidationError, match="more than the 4.000 delivered"):
            env["sale.invoice.notice.line"].write([lines[0]["id"]], {"quantity": "5"})
        env["sale.invoice.notice.line"].write([lines[0]["id"]], {"quantity": "3"})
    assert _line_qty(sales, order)[0] == (D("4.000"), D("3.000"), D("1.000"))
    assert _progress(sales, order)["invoice_status"] == "to invoice"
    for action in ("action_review", "action_send"):
        sales.call(sales.assistant, "sale.invoice.notice", action, notice)
    with pytest.raises(ValidationError, match="number"):
        sales.call(sales.assistant, "sale.invoice.notice", "action_invoice", notice, "")
    with sales.env(sales.assistant) as env:  # finance's number typed on the form, then recorded
        env["sale.invoice.notice"].write([notice], {"invoice_number": "04410001",
                                                    "invoice_date": "2026-11-02"})
        with pytest.raises(ValidationError, match="no longer a draft"):
            env["sale.invoice.notice"].write([notice], {"invoice_type": "normal"})
    assert sales.call(sales.assistant, "sale.invoice.notice", "workflow_action", notice,
                      "invoice") == "invoiced"
    billed = sales.read("sale.invoice.notice", notice, "date_due", "amount_total")
    assert billed["date_due"] == dt.date(2026, 12, 2)  # 30 days' payment term
    progress = _progress(sales, order)
    assert progress["amount_invoiced"] == billed["amount_total"] == progress["amount_due"]
    assert progress["payment_due_date"] == dt.date(2026, 12, 2)
    second = sales.call(sales.assistant, "sale.order", "action_create_invoice_notice", order)
    assert [r["quantity"] for r in _notice_lines(sales, "sale.invoice.notice", second)] == [
        D("1.000")]
    for action in ("action_review", "action_send"):  # invoiced twice: earliest due date first
        sales.call(sales.assistant, "sale.invoice.notice", action, second)
    with sales.env(sales.assistant) as env:
        env["sale.invoice.notice"].write([second], {"invoice_number": "04410002",
                                                    "invoice_date": "2026-10-01"})
    sales.call(sales.assistant, "sale.invoice.notice", "workflow_action", second, "invoice")
    other = sales.read("sale.invoice.notice", second, "date_due", "amount_total")
    progress = _progress(sales, order)
    assert progress["amount_invoiced"] == billed["amount_total"] + other["amount_total"]
    assert progress["payment_due_date"] == other["date_due"] == dt.date(2026, 10, 31)


def test_notice_amounts_follow_their_lines_without_addon_code(sales):
    """A notice's line amounts and totals are stored computed fields: a quantity changed on the
    ORM record (no ``write``, no addon hook) or a line deleted updates them before the next
    read of the same transaction."""
    order = sales.approved_order([(sales.bp, "10", None), (sales.service, "2", None)])
    _ship(sales, order)
    notice = sales.call(sales.assistant, "sale.order", "action_create_invoice_notice", order)
    with sales.env() as env:
        first, second = env["sale.invoice.notice.line"].browse_unchecked(
            env["sale.invoice.notice.line"].search([("notice_id", "=", notice)]))
        first.quantity = D("1")
        assert env["sale.invoice.notice.line"].read([first.id], ["price_subtotal"])[0][
            "price_subtotal"] == D("299.00")
        assert env["sale.invoice.notice"].read([notice], ["amount_untaxed", "amount_tax",
                                                          "amount_total"])[0] == {
            "id": notice, "amount_untaxed": D("599.00"), "amount_tax": D("56.87"),
            "amount_total": D("655.87")}
        env.session.delete(second)
        assert env["sale.invoice.notice"].read([notice], ["amount_total"])[0][
            "amount_total"] == D("337.87")


def test_collections_are_allocated_to_orders(sales):
    first = sales.approved_order([(sales.bp, "10", None)])  # 3 378.70
    second = sales.approved_order([(sales.mask, "100", None)])  # 3 955.00
    for order in (first, second):
        _ship(sales, order)
        _invoice(sales, order)
    with sales.env(sales.assistant) as env:
        collection = env["sale.collection"].create({
            "partner_id": sales.customer, "amount": "5000", "payment_method": "bank",
            "bank_account": "6222 0000 1111", "reference": "TX-88",
            "allocation_ids": [(0, 0, {"order_id": first, "amount": "3378.70"})]})
        row = env["sale.collection"].read([collection], ["amount_allocated",
                                                         "amount_unallocated", "name"])[0]
        assert (row["amount_allocated"], row["amount_unallocated"]) == (D("3378.70"),
                                                                        D("1621.30"))
        assert row["name"].startswith("HK")
    assert sales.call(sales.assistant, "sale.collection", "action_auto_allocate",
                      collection) == D("0.00")
    with sales.env() as env:
        allocations = env["sale.collection.allocation"].search_read(
            [("collection_id", "=", collection)], ["order_id", "amount"])
    assert [(a["order_id"][0], a["amount"]) for a in allocations] == [
        (first, D("3378.70")), (second, D("1621.30"))]
    assert sales.call(sales.assistant, "sale.collection", "action_post", collection) == "posted"
    done, part = _progress(sales, first), _progress(sales, second)
    assert (done["collected_percent"], done["amount_due"], done["state"]) == (
        D("100.00"), D("0.00"), "done")  # delivered, invoiced and paid: locked
    assert (part["collected_percent"], part["amount_due"]) == (D("40.99"), D("2333.70"))
    with sales.env(sales.assistant) as env:
        with pytest.raises(ValidationError, match="in the state Locked"):
            env["sale.order"].write([first], {"note": "x"})
        with pytest.raises(ValidationError, match="confirmed"):
            env["sale.collection"].write([collection], {"amount": "1"})
    # cancelling the collection (managers only) reopens the order
    with pytest.raises(AccessError):
        sales.call(sales.assistant, "sale.collection", "action_cancel", collection)
    sales.call(sales.manager, "sale.collection", "action_cancel", collection)
    assert _progress(sales, first)["state"] == "sale"
    assert _progress(sales, first)["amount_due"] == D("3378.70")


def test_collections_cannot_overpay_nor_cross_customers(sales):
    order = sales.approved_order([(sales.bp, "1", None)])  # 337.87
    other = sales.approved_order([(sales.bp, "1", None)], partner_id=sales.other_customer)
    quotation = sales.order(sales.assistant, [(sales.bp, "1", None)])
    with sales.env(sales.assistant) as env:
        too_much = env["sale.collection"].create({
            "partner_id": sales.customer, "amount": "500",
            "allocation_ids": [(0, 0, {"order_id": order, "amount": "400"})]})
        wrong = env["sale.collection"].create({
            "partner_id": sales.customer, "amount": "500",
            "allocation_ids": [(0, 0, {"order_id": other, "amount": "100"})]})
        draft = env["sale.collection"].create({
            "partner_id": sales.customer, "amount": "50",
            "allocation_ids": [(0, 0, {"order_id": quotation, "amount": "50"})]})
        over = env["sale.collection"].create({
            "partner_id": sales.customer, "amount": "50",
            "allocation_ids": [(0, 0, {"order_id": order, "amount": "60"})]})
        with pytest.raises(ValidationError, match="positive"):
            env["sale.collection.allocation"].create({"collection_id": draft,
                                                      "order_id": order, "amount": "0"})
    with pytest.raises(ValidationError, match="only 337.87 left"):
        sales.call(sales.assistant, "sale.collection", "action_post", too_much)
    with pytest.raises(ValidationError, match="another customer"):
        sales.call(sales.assistant, "sale.collection", "action_post", wrong)
    with pytest.raises(UserError, match="not possible"):
        sales.call(sales.assistant, "sale.collection", "action_post", draft)
    with pytest.raises(ValidationError, match="more than its amount"):
        sales.call(sales.assistant, "sale.collection", "action_post", over)
    assert sales.read("sale.collection", too_much, "state")["state"] == "draft"
    assert _progress(sales, order)["amount_collected"] == D("0.00")


def test_cancel_only_before_delivery_and_with_a_reason(sales):
    order = sales.approved_order([(sales.bp, "10", None)])
    draft_notice = sales.call(sales.assistant, "sale.order", "action_create_delivery_notice",
                              order)
    with pytest.raises(ValidationError, match="needs a reason"):
        sales.call(sales.assistant, "sale.order", "workflow_action", order, "cancel")
    assert sales.call(sales.assistant, "sale.order", "action_cancel", order,
                      "客户取消订单") == "cancel"
    assert sales.read("sale.delivery.notice", draft_notice, "state")["state"] == "cancel"
    assert sales.read("sale.order", order, "cancel_reason")["cancel_reason"] == "客户取消订单"
    shipped = sales.approved_order([(sales.bp, "10", None)])
    _ship(sales, shipped, ["1"])
    with pytest.raises(UserError, match="cannot be cancelled"):
        sales.call(sales.assistant, "sale.order", "action_cancel", shipped, "太晚了")
    assert sales.read("sale.order", shipped, "state")["state"] == "sale"
    quotation = sales.order(sales.assistant, [(sales.bp, "1", None)])
    sales.call(sales.assistant, "sale.order", "action_cancel", quotation, "重复录入")
    with sales.env(sales.assistant) as env:
        with pytest.raises(UserError, match="Only quotations"):
            env["sale.order"].unlink([shipped])
        with pytest.raises(UserError, match="stays, cancelled"):
            env["sale.order"].unlink([order])
        env["sale.order"].unlink([quotation])  # a cancelled quotation can be deleted
        assert env["sale.order.line"].search_count([("order_id", "=", quotation)]) == 0


def test_assistants_see_only_their_notices_and_collections(sales):
    mine = sales.approved_order([(sales.bp, "2", None)])
    notice = sales.call(sales.assistant, "sale.order", "action_create_delivery_notice", mine)
    with sales.env(sales.assistant) as env:
        coll = env["sale.collection"].create({"partner_id": sales.customer, "amount": "10"})
    with sales.env(sales.assistant2) as env:
        assert env["sale.delivery.notice"].search([]) == []
        assert env["sale.collection"].search([]) == []
        with pytest.raises(AccessError):
            env["sale.delivery.notice"].read([notice], ["name"])
    with sales.env(sales.manager) as env:
        assert env["sale.delivery.notice"].search([]) == [notice]
        assert env["sale.collection"].search([]) == [coll]


# -- with addons implementing the hooks (the way stock and accounting will) ----------------

FAKE_ADDON = '''
from core.plugins import hookimpl

EVENTS = []


@hookimpl
def sale_order_approved(env, order_id):
    EVENTS.append(("approved", order_id))


@hookimpl
def delivery_notice_approved(env, notice_id):
    EVENTS.append(("transfer", notice_id))
    return "stock.picking,%s" % (100 + notice_id)


@hookimpl
def delivery_notice_shipped(env, notice_id):
    EVENTS.append(("shipped", notice_id))


@hookimpl
def invoicing_notice_sent(env, notice_id):
    EVENTS.append(("invoice", notice_id))
    return "account.move,%s" % (200 + notice_id)


@hookimpl
def collection_recorded(env, collection_id):
    EVENTS.append(("receipt", collection_id))
    return "account.payment,%s" % (300 + collection_id)
'''


@pytest.fixture
def with_glue(tmp_path, database_url):
    """sales plus ``kt_sale_glue``, an addon (written here) implementing every sales hook."""
    folder = tmp_path / "glue" / "kt_sale_glue"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    (folder / "__manifest__.py").write_text(repr({
        "name": "Sales glue (test)", "version": "1.0", "summary": "implements sales hooks",
        "license": "LGPL-3", "depends": ["sales"]}))
    (folder / "hooks.py").write_text(textwrap.dedent(FAKE_ADDON))
    runtime = Runtime(db.create_engine(database_url), str(tmp_path / "glue"))
    runtime.manager.init_database()
    runtime.manager.install(["kt_sale_glue"])
    with runtime.env() as env:
        users = {name: _user(env, name, f"sales.group_{post}") for name, post in (
            ("assistant", "assistant"), ("assistant2", "assistant"), ("manager", "manager"),
            ("manager2", "manager"), ("director", "director"))}
        customer = env["res.partner"].create({"name": "Glue customer"})
        bp = env["product.product"].create({"name": "BP", "list_price": "100"})
    yield Sales(runtime, 1, customer=customer, other_customer=customer, bp=bp, mask=bp,
                service=bp, **users)
    runtime.engine.dispose()


def test_hooks_hand_the_flow_to_stock_and_accounting(with_glue):
    import importlib

    glue = with_glue
    events = importlib.import_module("kt_sale_glue.hooks").EVENTS
    events.clear()
    order = glue.approved_order([(glue.bp, "5", None)])
    assert events == [("approved", order)]
    notice = glue.call(glue.assistant, "sale.order", "action_create_delivery_notice", order)
    glue.call(glue.assistant, "sale.delivery.notice", "action_approve", notice)
    assert glue.read("sale.delivery.notice", notice, "shipping_ref")["shipping_ref"] == \
        f"stock.picking,{100 + notice}"
    with pytest.raises(UserError, match="warehouse"):
        glue.call(glue.assistant, "sale.delivery.notice", "action_ship", notice)
    with pytest.raises(UserError, match="warehouse"):  # nor through the generic workflow door
        glue.call(glue.assistant, "sale.delivery.notice", "workflow_action", notice, "ship")
    with glue.env() as env:  # the warehouse validates its transfer: 3 of 5 leave
        record = env["sale.delivery.notice"].browse([notice])[0]
        line = env["sale.delivery.notice.line"].search([("notice_id", "=", notice)])[0]
        assert record._ship({line: "3"}) == "done"
    assert events[-1] == ("shipped", notice)
    assert _line_qty(glue, order) == [(D("3.000"), D("0.000"), D("3.000"))]
    invoice = glue.call(glue.assistant, "sale.order", "action_create_invoice_notice", order)
    glue.call(glue.assistant, "sale.invoice.notice", "action_review", invoice)
    glue.call(glue.assistant, "sale.invoice.notice", "action_send", invoice)
    assert glue.read("sale.invoice.notice", invoice, "invoice_ref")["invoice_ref"] == \
        f"account.move,{200 + invoice}"
    with pytest.raises(UserError, match="in accounting"):
        glue.call(glue.assistant, "sale.invoice.notice", "action_invoice", invoice, "1")
    with glue.env() as env:  # accounting posts the invoice
        record = env["sale.invoice.notice"].browse([invoice])[0]
        assert record._mark_invoiced("04410009", "2026-11-03") == "invoiced"
    assert _progress(glue, order)["amount_invoiced"] == D("339.00")
    with glue.env(glue.assistant) as env:
        collection = env["sale.collection"].create({"partner_id": glue.customer,
                                                    "amount": "339"})
    glue.call(glue.assistant, "sale.collection", "action_auto_allocate", collection)
    glue.call(glue.assistant, "sale.collection", "action_post", collection)
    assert glue.read("sale.collection", collection, "receipt_ref")["receipt_ref"] == \
        f"account.payment,{300 + collection}"
    assert [e[0] for e in events] == ["approved", "transfer", "shipped", "invoice", "receipt"]


def test_analysis_groups_approved_sales_in_sql(sales):
    with sales.env() as env:
        env["product.product"].write([sales.mask], {
            "categ_id": env["product.category"].create({"name": "耗材"})})
    first = sales.approved_order([(sales.bp, "10", None), (sales.mask, "10", None)],
                                 date_order="2026-09-15")
    sales.approved_order([(sales.bp, "1", None)], partner_id=sales.other_customer,
                         date_order="2026-10-02")
    sales.order(sales.assistant, [(sales.bp, "99", None)])  # a quotation: not a sale
    with sales.env(sales.manager) as env:
        lines = env["sale.order.line"]
        approved = [("state", "in", ("sale", "done"))]
        by_month = lines.read_group(approved, ["price_subtotal"], ["date_order:month"])
        assert [g["price_subtotal"] for g in by_month] == [Decimal("3340.00"),
                                                           Decimal("299.00")]
        by_region = {g["region"]: g["price_subtotal"] for g in lines.read_group(
            approved, ["price_subtotal"], ["region"])}
        assert by_region == {"上海": Decimal("3340.00"), "杭州": Decimal("299.00")}
        by_categ = lines.read_group(approved, ["price_total"], ["categ_id"])
        assert sorted(g["price_total"] for g in by_categ) == [Decimal("395.50"),
                                                              Decimal("3716.57")]
        by_customer = lines.read_group(approved, ["price_subtotal"], ["order_partner_id"])
        assert len(by_customer) == 2
        assert lines.read_group(approved, ["price_subtotal"], ["salesman_id"])[0][
            "salesman_id"][0] == sales.assistant
    assert sales.read("sale.order", first, "date_order")["date_order"] == dt.date(2026, 9, 15)
