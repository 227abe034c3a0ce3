"""The stock and cost work behind each transition of a manufacturing order: its workflow
callbacks (run by the engine whichever door took the transition; see ``docs/workflows.md``).

Components are issued by a material issue (领料单) created at the approval; they are consumed when
they reach the production location. The inspection (完工入库) receives the finished goods and the
by-products at the order's actual cost — the components' value issued, less the surplus returned
(退料), plus the work centres' labour and overhead for the hours worked — so that the production
cost account (5001) of every finished order nets to zero.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import case, func, select

from addons.stock.models import operations
from core import public
from core.errors import AccessError, UserError, ValidationError
from core.i18n import _
from core.models import utcnow
from core.workflow import TransitionContext

from ..explosion import BomIndex, money, standard_unit_cost
from ..security import WORKSHOP
from ..units import to_product_unit

ZERO = Decimal(0)
HUNDRED = Decimal(100)
PRICE = Decimal("0.0001")


def _fmt(qty: Any) -> str:
    return f"{Decimal(qty).normalize():f}"


class ProductionFlow:
    """The transition callbacks and stock helpers of ``mrp.production``."""

    # -- transitions ---------------------------------------------------------------------------

    def _before_confirm(self: Any, ctx: TransitionContext) -> None:
        if not self.bom_id:
            raise UserError(_("%(product)s has no bill of materials: create one before "
                              "submitting %(name)s.", product=self.product.display_name,
                              name=self.name))
        if not self.picking_type_id:
            raise UserError(_("%(name)s needs a material issue type.", name=self.name))

    def _after_confirm(self: Any, ctx: TransitionContext) -> None:
        """Approved by the 车间主任: the material issue (领料单) goes to the keeper."""
        self._issue_components(Decimal(self.product_qty))

    def _before_produce(self: Any, ctx: TransitionContext) -> None:
        self._check_components(self._qty_to_produce())

    def _after_produce(self: Any, ctx: TransitionContext) -> None:
        """The finished goods and by-products wait for the inspection, as moves to do."""
        qty = self._qty_to_produce()
        bom = BomIndex(self.env).load_bom(self.bom_id)
        lines = [(self.product_id, qty, self.product_uom_id)] + [
            (p, q, None) for p, q, _s in bom.byproduct_qtys(self._in_product_unit(qty))]
        self.env.sudo()["stock.move"].create([{
            "product_id": product, "product_uom_qty": amount, "production_id": self.id,
            **({"product_uom": unit} if unit else {}),
            "location_id": self.production_location_id,
            "location_dest_id": self.location_dest_id, "warehouse_id": self.warehouse_id,
            "reference": self.name, "origin": self.origin or self.name,
        } for product, amount, unit in lines])

    def _before_refuse(self: Any, ctx: TransitionContext) -> None:
        if not (ctx.comment or "").strip():
            raise ValidationError(_("A refusal needs a reason."), field="reason")

    def _after_refuse(self: Any, ctx: TransitionContext) -> None:
        """Back to the workshop: the finished moves waiting for inspection go."""
        for move in self._open_finished_moves():
            move.state = "cancel"

    def _before_inspect(self: Any, ctx: TransitionContext) -> None:
        if self.qty_scrap and not (self.scrap_reason or "").strip():
            raise ValidationError(_("Scrapping %(qty)s of %(name)s needs a reason.",
                                    qty=_fmt(self.qty_scrap), name=self.name),
                                  field="scrap_reason")

    def _after_inspect(self: Any, ctx: TransitionContext) -> None:
        """完工入库: consume, return the surplus, receive at actual cost, split the rest off."""
        self._complete()

    def _after_cancel(self: Any, ctx: TransitionContext) -> None:
        """Open issues are cancelled and whatever was issued goes back to stock (退料)."""
        self._cancel_open_issues()
        self._return_surplus({})
        for move in self._open_finished_moves():
            move.state = "cancel"

    # -- buttons -------------------------------------------------------------------------------

    @public
    def action_return_material(self: Any) -> int:
        """退料 by hand: a return transfer (production location → the components' stock) of
        what was issued beyond what the quantity to produce needs (enter a smaller quantity
        producing first to produce less), at its issue cost; the 保管员 validates it, as the
        material issue. Returns the transfer's id."""
        if not self.env.access.has_group(WORKSHOP):
            raise AccessError(_("Only the workshop manager returns material."))
        if self.state not in ("confirmed", "progress"):
            raise UserError(_("Material is returned from %(name)s while it is approved or in "
                              "progress.", name=self.name))
        picking = self.env.registry["stock.picking"]
        if self.env.session.scalar(select(picking.id).where(
                picking.production_id == self.id,
                picking.location_id == self.production_location_id,
                picking.state.in_(("draft", "confirmed", "assigned"))).limit(1)):
            raise UserError(_("%(name)s already has a return waiting for the keeper.",
                              name=self.name))
        moves = self._surplus_moves(self.components_needed(self._qty_to_produce()))
        if not moves:
            raise UserError(_("Nothing was issued to %(name)s beyond what %(qty)s needs.",
                              name=self.name, qty=_fmt(self._qty_to_produce())))
        env = self.env.sudo()
        picking_id = env["stock.picking"].create({
            "picking_type_id": self.picking_type_id, "origin": self.name,
            "location_id": self.production_location_id,
            "location_dest_id": self.location_src_id, "production_id": self.id,
            "move_ids": [(0, 0, move) for move in moves]})
        env["stock.picking"].call("action_confirm", [picking_id])
        return picking_id

    # -- public helpers ------------------------------------------------------------------------

    def _qty_to_produce(self: Any) -> Decimal:
        return Decimal(self.qty_producing if self.qty_producing else self.product_qty)

    def _in_product_unit(self: Any, qty: Any) -> Decimal:
        """``qty`` of the order's unit in the product's own unit."""
        return Decimal(qty) * to_product_unit(self)

    def components_needed(self: Any, qty: Any) -> dict[int, Decimal]:
        """``{component: quantity}`` (in the components' units) that ``qty`` of this order's
        product (in the order's unit) takes."""
        index = BomIndex(self.env)
        return index.components(index.load_bom(self.bom_id), self._in_product_unit(qty))

    def issued(self: Any) -> dict[int, list[Decimal]]:
        """``{component: [quantity, value]}`` issued to this order and not returned (one
        GROUP BY over its done moves)."""
        move = self.env.registry["stock.move"]
        sign = case((move.location_dest_id == self.production_location_id, 1), else_=-1)
        rows = self.env.session.execute(select(
            move.product_id, func.sum(sign * move.product_qty), func.sum(sign * move.value))
            .where(move.raw_material_production_id == self.id, move.state == "done")
            .group_by(move.product_id))
        return {p: [Decimal(q or 0), Decimal(v or 0)] for p, q, v in rows}

    # -- stock work ----------------------------------------------------------------------------

    def _issue_components(self: Any, qty: Decimal) -> int:
        """The material issue (领料单) of ``qty``'s components, confirmed and reserved."""
        env = self.env.sudo()
        needs = self.components_needed(qty)
        picking_id = env["stock.picking"].create({
            "picking_type_id": self.picking_type_id, "origin": self.name,
            "location_id": self.location_src_id,
            "location_dest_id": self.production_location_id, "production_id": self.id,
            "move_ids": [(0, 0, {"product_id": product, "product_uom_qty": amount,
                                 "raw_material_production_id": self.id})
                         for product, amount in sorted(needs.items())]})
        env["stock.picking"].call("action_confirm", [picking_id])
        return picking_id

    def _check_components(self: Any, qty: Decimal) -> None:
        """Refuse to produce ``qty`` unless its components were issued."""
        issued = self.issued()
        short = [(p, need, issued.get(p, [ZERO])[0]) for p, need in
                 sorted(self.components_needed(qty).items())
                 if issued.get(p, [ZERO])[0] < need]
        if short:
            names = self.env.sudo()["product.product"].display_names([p for p, *_r in short])
            detail = "; ".join(_("%(product)s: %(need)s needed, %(have)s issued",
                                 product=names[p], need=_fmt(need), have=_fmt(have))
                               for p, need, have in short)
            raise UserError(_("Components of %(name)s are missing for %(qty)s: %(detail)s. "
                              "The keeper issues them first.", name=self.name,
                              qty=_fmt(qty), detail=detail))

    def _open_finished_moves(self: Any) -> list[Any]:
        move = self.env.registry["stock.move"]
        return list(self.env.session.scalars(select(move).where(
            move.production_id == self.id, move.state.not_in(("done", "cancel")))
            .order_by(move.id)))

    def _cancel_open_issues(self: Any) -> None:
        picking = self.env.registry["stock.picking"]
        open_ids = list(self.env.session.scalars(select(picking.id).where(
            picking.production_id == self.id, picking.state.in_(
                ("draft", "confirmed", "assigned")))))
        for picking_id in open_ids:
            self.env.sudo()["stock.picking"].call("action_cancel", [picking_id])

    def _return_surplus(self: Any, needed: dict[int, Decimal]) -> Decimal:
        """Return (退料) what was issued beyond ``needed``, each at its issue cost; returns
        the value returned."""
        moves = self._surplus_moves(needed)
        if not moves:
            return ZERO
        env = self.env.sudo()
        records = env.registry["stock.move"]
        ids = env["stock.move"].create(moves)
        done = list(env.session.scalars(select(records).where(records.id.in_(ids))))
        operations.done(env, done)
        return sum((Decimal(m.value or 0) for m in done), ZERO)

    def _surplus_moves(self: Any, needed: dict[int, Decimal]) -> list[dict[str, Any]]:
        """Move values returning what was issued beyond ``needed``, at the issue cost."""
        moves = []
        for product, (qty, value) in sorted(self.issued().items()):
            surplus = qty - needed.get(product, ZERO)
            if surplus <= 0:
                continue
            unit = (value / qty).quantize(PRICE, rounding=ROUND_HALF_UP) if qty else ZERO
            moves.append({"product_id": product, "product_uom_qty": surplus,
                          "price_unit": unit, "raw_material_production_id": self.id,
                          "location_id": self.production_location_id,
                          "location_dest_id": self.location_src_id,
                          "warehouse_id": self.warehouse_id, "reference": self.name,
                          "origin": self.name, "name": _("Return (退料) %(name)s",
                                                          name=self.name)})
        return moves

    # -- completion ----------------------------------------------------------------------------

    def _complete(self: Any) -> None:
        env = self.env
        qty = self._qty_to_produce()
        self._check_components(qty)
        self._cancel_open_issues()
        index = BomIndex(env)
        bom = index.load_bom(self.bom_id)
        self._return_surplus(index.components(bom, self._in_product_unit(qty)))
        material = money(sum((v for _q, v in self.issued().values()), ZERO))
        labour, overhead = self._conversion_costs(bom, qty)
        total = material + labour + overhead
        good = qty - Decimal(self.qty_scrap or 0)
        self._scrap(good)
        received, main_value = self._receive(bom, good, total)
        overhead += received - total  # the cents the unit costs' rounding left over
        rest = Decimal(self.product_qty) - qty
        self.cost_material, self.cost_labour, self.cost_overhead = material, labour, overhead
        self.cost_total = received
        self.cost_unit = (main_value / good).quantize(PRICE, rounding=ROUND_HALF_UP)
        self.cost_standard = money(standard_unit_cost(env, self.bom_id)
                                   * self._in_product_unit(good))
        self.cost_variance = main_value - self.cost_standard
        self.qty_produced = good
        self.product_qty = qty
        self.date_finished = utcnow()
        env.session.flush()
        if rest > 0:
            self._create_backorder(rest)
        env.registry.pm.hook.mrp_production_done(env=env, production=self)

    def _conversion_costs(self: Any, bom: Any, qty: Decimal) -> tuple[Decimal, Decimal]:
        """Labour and overhead of the work centres for ``qty``: the routing's hours, scaled to
        the hours worked when the workshop entered them."""
        hours = bom.operation_hours(self._in_product_unit(qty))
        expected = sum((h for _op, h in hours), ZERO)
        ratio = Decimal(self.duration) / expected if self.duration is not None and expected \
            else Decimal(1)
        labour = money(sum((h * op.costs_hour for op, h in hours), ZERO) * ratio)
        overhead = money(sum((h * op.overhead_hour for op, h in hours), ZERO) * ratio)
        if self.duration is None:
            self.duration = expected
        return labour, overhead

    def _scrap(self: Any, good: Decimal) -> None:
        """The scrapped units leave the finished move for the scrap location (at no value: the
        good units carry the cost), with the inspector's reason."""
        scrap = Decimal(self.qty_scrap or 0)
        if scrap <= 0:
            return
        main = [m for m in self._open_finished_moves() if m.product_id == self.product_id][0]
        main.product_uom_qty = good
        main.product_qty = main.to_product_uom(good)
        env = self.env.sudo()
        move_id = env["stock.move"].create({
            "product_id": self.product_id, "product_uom_qty": scrap, "price_unit": ZERO,
            "product_uom": self.product_uom_id,
            "location_id": self.production_location_id,
            "location_dest_id": env.ref_id("stock.stock_location_inventory"),
            "warehouse_id": self.warehouse_id, "reference": self.name, "origin": self.name,
            "name": _("Scrap (报废) %(name)s: %(reason)s", name=self.name,
                      reason=self.scrap_reason)})
        operations.done(env, [env.session.get(env.registry["stock.move"], move_id)])

    def _receive(self: Any, bom: Any, qty: Decimal, total: Decimal) -> tuple[Decimal, Decimal]:
        """Receive the finished moves at actual cost (by-products at their share); returns the
        value received and the main product's part of it."""
        moves = self._open_finished_moves()
        if not moves:
            raise UserError(_("%(name)s has no finished goods to receive.", name=self.name))
        shares = {p: share for p, _q, share in bom.byproducts}
        main_share = HUNDRED - bom.byproduct_share()
        for move in moves:
            share = main_share if move.product_id == self.product_id else shares.get(
                move.product_id, ZERO)
            amount = Decimal(move.product_uom_qty)
            move.price_unit = (total * share / HUNDRED / amount).quantize(
                PRICE, rounding=ROUND_HALF_UP) if amount else ZERO
        operations.done(self.env.sudo(), moves)
        main = sum((Decimal(m.value or 0) for m in moves if m.product_id == self.product_id),
                   ZERO)
        return sum((Decimal(m.value or 0) for m in moves), ZERO), main

    def _backorder_values(self: Any, rest: Decimal) -> dict[str, Any]:
        """The backorder of a partial production (glue addons add their links)."""
        return {"product_id": self.product_id, "product_qty": rest, "bom_id": self.bom_id,
                "product_uom_id": self.product_uom_id,
                "picking_type_id": self.picking_type_id, "origin": self.origin,
                "user_id": self.user_id, "date_planned_start": self.date_planned_start,
                "date_deadline": self.date_deadline}

    def _create_backorder(self: Any, rest: Decimal) -> int:
        """The rest of a partial production: already approved, so confirmed at once with its own
        material issue."""
        from core.integrity import engine_env

        env = self.env.sudo()
        backorder_id = env["mrp.production"].create(self._backorder_values(rest))
        engine_env(self.env)["mrp.production"].write([backorder_id], {
            "state": "confirmed", "backorder_of_id": self.id})
        backorder = env.session.get(env.registry["mrp.production"], backorder_id)
        backorder._issue_components(rest)
        return backorder_id
