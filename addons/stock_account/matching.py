"""Matching (钩稽) shipments to invoices and the month-end cost of sales (SA-003 step 6).

The cost accountant matches a done shipment to the customer's transit location (a ``stock.move``
into a transit location) with a line of the customer's posted invoice for the same product. The
matches (``account.cost.match``) made together make the sales outbound (销售出库单): one transfer
per invoice out of the transit location to the customer, a move of the matched quantity per
match, valued at cost. The month-end cost of sales voucher (月底结转销售成本) then moves the cost
of the month's matches from 1406 发出商品 to 6401 主营业务成本; closing the period books it if
nobody did before.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped

from addons.accounting.models.chart import money
from core import UserError, ValidationError, fields
from core.i18n import _, _l
from core.models import model_method

MATCH_STATES = [("unmatched", _l("Not matched")), ("partial", _l("Partly matched")),
                ("matched", _l("Matched"))]
COST = "accounting.group_cost"


def match_state(done: Decimal, total: Decimal) -> str:
    if done <= 0:
        return "unmatched"
    return "matched" if done >= total else "partial"


class CostMatch:
    _name = "account.cost.match"
    _description = _l("Shipment to invoice match (钩稽)")
    _order = "date desc, id desc"
    _rec_name = "id"

    invoice_line_id: Mapped[int] = fields.Many2one("account.move.line", _l("Invoice line"),
                                                   required=True, ondelete="RESTRICT")
    stock_move_id: Mapped[int] = fields.Many2one("stock.move", _l("Shipment to transit"),
                                                 required=True, ondelete="RESTRICT")
    quantity: Mapped[Decimal] = fields.Decimal(_l("Quantity"), digits=(16, 4), required=True)
    date: Mapped[Optional[dt.date]] = fields.Date(_l("Date"), readonly=True)
    partner_id: Mapped[Optional[int]] = fields.Many2one("res.partner", _l("Customer"),
                                                        readonly=True)
    product_id: Mapped[Optional[int]] = fields.Many2one("product.product", _l("Product"),
                                                        readonly=True)
    invoice_id: Mapped[Optional[int]] = fields.Many2one("account.move", _l("Invoice"),
                                                        readonly=True)
    outbound_picking_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.picking", _l("Sales outbound"), readonly=True)
    cost: Mapped[Optional[Decimal]] = fields.Monetary(_l("Matched cost"), readonly=True)
    cogs_move_id: Mapped[Optional[int]] = fields.Many2one(
        "account.move", _l("Cost of sales voucher"), readonly=True)

    @classmethod
    def create(cls, env, vals_list):  # noqa: ANN001, ANN206
        lines, moves = env.registry["account.move.line"], env.registry["stock.move"]
        for vals in vals_list:
            extra = set(vals) - {"invoice_line_id", "stock_move_id", "quantity"}
            if extra:
                raise ValidationError(_("%(fields)s of a match are set by the system.",
                                      fields=", ".join(sorted(extra))))
        kept = (env.sudo()["account.move.line"].browse_unchecked(  # one query each
            list({vals["invoice_line_id"] for vals in vals_list})),
            env.sudo()["stock.move"].browse_unchecked(
                list({vals["stock_move_id"] for vals in vals_list})))
        for vals in vals_list:  # in order: each match counts in what is left for the next
            vals.update(_take(env.session.get(lines, vals["invoice_line_id"]),
                              env.session.get(moves, vals["stock_move_id"]),
                              Decimal(vals.get("quantity") or 0)))
        records = super().create(env, vals_list)
        _make_outbounds(env, records)
        del kept
        return records

    def write(self, vals: dict[str, Any]) -> None:
        raise UserError(_("A match cannot change; the goods already left the transit "
                          "location."))

    def unlink(self) -> None:
        raise UserError(_("A match cannot be deleted; the goods already left the transit "
                          "location. Return them with a transfer instead."))

    @model_method
    @classmethod
    def auto_match(cls, env, invoice_ids=None):  # noqa: ANN001, ANN206
        """Match every open line of the posted customer invoices (all, or ``invoice_ids``) with
        the customer's open shipments of the same product, oldest first. Returns the match ids."""
        env["account.cost.match"]._check_ids([], "create")
        line_cls = env.registry["account.move.line"]
        query = select(line_cls).where(
            line_cls.display_type == "product", line_cls.parent_state == "posted",
            line_cls.product_id.is_not(None), line_cls.match_state != "matched")
        if invoice_ids:
            query = query.where(line_cls.move_id.in_([int(i) for i in invoice_ids]))
        lines = [line for line in env.session.scalars(query.order_by(line_cls.date, line_cls.id))
                 if line.move.move_type == "out_invoice"]
        shipments = open_shipments_of(env, {(line.partner_id, line.product_id)
                                            for line in lines})
        taken: dict[int, Decimal] = {}
        vals_list = []
        for line in lines:
            need = Decimal(line.quantity or 0) - Decimal(line.qty_matched or 0)
            for shipment_id, left in shipments.get((line.partner_id, line.product_id), []):
                left -= taken.get(shipment_id, Decimal(0))
                if need <= 0:
                    break
                if left <= 0:
                    continue
                quantity = min(need, left)
                vals_list.append({"invoice_line_id": line.id, "stock_move_id": shipment_id,
                                  "quantity": quantity})
                taken[shipment_id] = taken.get(shipment_id, Decimal(0)) + quantity
                need -= quantity
        return env["account.cost.match"].create(vals_list) if vals_list else []


def _take(line: Any, shipment: Any, qty: Decimal) -> dict[str, Any]:
    """Check that ``qty`` of the invoice line ``line`` may be matched with ``shipment`` and
    count it as matched on both; the match's own values (customer, product, invoice, date)."""
    if line is None or shipment is None:
        raise ValidationError(_("The invoice line or the shipment does not exist."))
    invoice = line.move
    if qty <= 0:
        raise ValidationError(_("A matched quantity must be positive."), field="quantity")
    if invoice.move_type != "out_invoice" or invoice.state != "posted" or \
            line.display_type != "product":
        raise UserError(_("Match shipments with lines of posted customer invoices."))
    transit = shipment.location_dest
    if shipment.state != "done" or transit.usage != "transit":
        raise UserError(_("Only done shipments into a transit location can be matched."))
    if line.product_id != shipment.product_id:
        raise UserError(_("The invoice line and the shipment are not the same product."))
    customer = shipment.partner_id or transit.partner_id
    if customer != invoice.partner_id:
        raise UserError(_("The invoice and the shipment are not for the same customer."))
    left_line = Decimal(line.quantity or 0) - Decimal(line.qty_matched or 0)
    left_move = Decimal(shipment.product_uom_qty or 0) - Decimal(shipment.qty_matched or 0)
    if qty > left_line or qty > left_move:
        raise UserError(_("Only %(line)s of the invoice line and %(move)s of the shipment "
                          "are left to match.", line=left_line, move=left_move))
    line.qty_matched = Decimal(line.qty_matched or 0) + qty
    shipment.qty_matched = Decimal(shipment.qty_matched or 0) + qty
    line.match_state = match_state(line.qty_matched, Decimal(line.quantity or 0))
    shipment.match_state = match_state(shipment.qty_matched,
                                       Decimal(shipment.product_uom_qty or 0))
    return {"partner_id": customer, "product_id": line.product_id, "invoice_id": invoice.id,
            "date": invoice.date}


def _make_outbounds(env: Any, matches: list[Any]) -> None:
    """The sales outbounds (销售出库单) of ``matches``: one transfer out of each transit location
    per invoice, a move per match, validated together; each match gets its move's cost."""
    groups: dict[tuple[int, int], list[Any]] = {}
    for match in matches:
        groups.setdefault((match.stock_move.location_dest_id, match.invoice_id), []).append(match)
    if not groups:
        return
    ptype, warehouse = env.registry["stock.picking.type"], env.registry["stock.warehouse"]
    type_id = env.session.scalar(select(ptype.id).join(
        warehouse, warehouse.id == ptype.warehouse_id).where(
        warehouse.is_transit.is_(True), ptype.code == "outgoing").order_by(ptype.id))
    if type_id is None:
        raise UserError(_("The transit warehouse has no outgoing operation type."))
    pickings, move_cls = env.sudo()["stock.picking"], env.registry["stock.move"]
    for (transit, _invoice), group in groups.items():
        first = group[0]
        picking = pickings.create({
            "picking_type_id": type_id, "partner_id": first.partner_id, "location_id": transit,
            "origin": first.invoice.name, "move_ids": [(0, 0, {
                "product_id": m.product_id, "product_uom_qty": m.quantity,
                "product_uom": m.stock_move.product_uom, "cost_match_id": m.id}) for m in group]})
        pickings.call("button_validate", [picking])
        costs = {match_id: value for match_id, value in env.session.execute(select(
            move_cls.cost_match_id, move_cls.value).where(move_cls.picking_id == picking))}
        for match in group:
            match.outbound_picking_id = picking
            match.cost = money(costs.get(match.id))


def open_shipments(env: Any, partner_id: int, product_id: int) -> list[tuple[int, Decimal]]:
    """``(stock.move id, quantity left to match)`` of a customer's done shipments to transit."""
    return open_shipments_of(env, {(partner_id, product_id)}).get((partner_id, product_id), [])


def open_shipments_of(env: Any, keys: set[tuple[int, int]]
                      ) -> dict[tuple[int, int], list[tuple[int, Decimal]]]:
    """:func:`open_shipments` of every ``(customer, product)`` of ``keys``, oldest first, in one
    query."""
    if not keys:
        return {}
    move_cls, location_cls = env.registry["stock.move"], env.registry["stock.location"]
    customer = func.coalesce(move_cls.partner_id, location_cls.partner_id)
    rows = env.session.execute(
        select(move_cls.id, move_cls.product_uom_qty, move_cls.qty_matched,
               customer.label("customer"), move_cls.product_id)
        .join(location_cls, location_cls.id == move_cls.location_dest_id)
        .where(location_cls.usage == "transit", move_cls.state == "done",
               move_cls.product_id.in_({product for _partner, product in keys}),
               move_cls.match_state != "matched",
               customer.in_({partner for partner, _product in keys}))
        .order_by(move_cls.date, move_cls.id))
    result: dict[tuple[int, int], list[tuple[int, Decimal]]] = {}
    for row in rows:
        key = (row.customer, row.product_id)
        if key in keys:
            result.setdefault(key, []).append(
                (row.id, Decimal(row.product_uom_qty or 0) - Decimal(row.qty_matched or 0)))
    return result


def book_cost_of_sales(env: Any, day: dt.date) -> int | None:
    """The cost of sales voucher of the matches dated up to ``day`` not yet booked: Dr 6401 /
    Cr 1406 per customer and product. Returns its id, or None when nothing is left."""
    match_cls = env.registry["account.cost.match"]
    matches = list(env.session.scalars(select(match_cls).where(
        match_cls.cogs_move_id.is_(None), match_cls.date <= day).order_by(match_cls.id)))
    totals: dict[tuple[Any, Any], Decimal] = {}
    for match in matches:
        key = (match.partner_id, match.product_id)
        totals[key] = totals.get(key, Decimal(0)) + money(match.cost)
    lines = []
    for (partner, product), amount in totals.items():
        if not amount:
            continue
        label = _("Cost of sales")
        for code, side in (("6401", "debit"), ("1406", "credit")):
            lines.append((0, 0, {"account_id": env.ref_id(f"accounting.account_{code}"),
                                 "partner_id": partner or False, "product_id": product,
                                 "name": label, side: amount}))
    if not matches:
        return None
    voucher_id = None
    if lines:
        vouchers = env.sudo()["account.move"]
        voucher_id = vouchers.create({
            "journal_id": env.ref_id("accounting.journal_stock"), "date": day,
            "ref": _("Month-end cost of sales up to %(date)s", date=day.isoformat()),
            "line_ids": lines})
        vouchers.call("action_post", [voucher_id])
    for match in matches:
        match.cogs_move_id = voucher_id
    env.session.flush()
    return voucher_id
