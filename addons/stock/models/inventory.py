"""Inventory counts (盘点): a count sheet per location, approved by a stock manager.

The keeper starts a count (lines filled from the quants of the location and its sub-locations),
enters the counted quantities and asks for validation; a stock manager approves it through the
workflow engine, and the differences (counted minus on hand at that moment) are posted as moves
to or from the inventory-loss location.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from core import constrains, depends, fields, public
from core.errors import UserError, ValidationError
from core.i18n import _, _l
from core.models import utcnow
from core.workflow import Step, Transition, Workflow

from . import operations
from .picking import KEEPERS
from .quant import lock_quants

INVENTORY_STATES = [
    ("draft", _l("Draft")),
    ("in_progress", _l("Counting")),
    ("to_approve", _l("Waiting for approval")),
    ("done", _l("Validated")),
    ("cancel", _l("Cancelled")),
]


class Inventory:
    _name = "stock.inventory"
    _description = _l("Inventory count")
    _order = "date desc, id desc"

    name: Mapped[str] = fields.Char(_l("Reference"), required=True, default="/", readonly=True)
    location_id: Mapped[int] = fields.Many2one("stock.location", _l("Counted location"),
                                               required=True, ondelete="RESTRICT")
    warehouse_id: Mapped[Optional[int]] = fields.Many2one("stock.warehouse", _l("Warehouse"),
                                                          readonly=True)
    date: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Count date"),
                                                          default=lambda env: utcnow())
    state: Mapped[str] = fields.Selection(INVENTORY_STATES, _l("Status"), default="draft",
                                          index=True)
    line_ids = fields.One2many("stock.inventory.line", "inventory_id", _l("Counted products"))
    note: Mapped[Optional[str]] = fields.Text(_l("Notes"))

    _workflow = Workflow(transitions=(
        Transition("start", "draft", "in_progress", _l("Start counting"), groups=KEEPERS),
        Transition("validate", "in_progress", "done", _l("Validate count"), groups=KEEPERS,
                   pending_state="to_approve", reject_to="in_progress",
                   approvals=(Step("manager", _l("Stock manager"),
                                   group="stock.group_manager"),)),
        Transition("cancel", ("draft", "in_progress"), "cancel", _l("Cancel"), groups=KEEPERS),
    ))

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        locations = env.registry["stock.location"]
        for vals in vals_list:
            location = env.session.get(locations, vals.get("location_id"))
            if location is None or location.usage != "internal":
                raise ValidationError(_("Counts are made in internal locations."),
                                      field="location_id")
            vals["warehouse_id"] = location.warehouse_id
            if vals.get("name") in (None, "", "/"):
                try:
                    vals["name"] = env.sudo()["ir.sequence"].next_by_code("stock.inventory")
                except UserError:
                    vals["name"] = f"PD/{location.complete_name}"
        return super().create(env, vals_list)

    # The work of each transition runs in its workflow callbacks, whichever door (these
    # methods, the web UI's workflow buttons, RPC, REST) took it.

    def _after_start(self, ctx: Any) -> None:
        self._fill_lines()

    def _before_validate(self, ctx: Any) -> None:
        if not self._lines():
            raise UserError(_("%(name)s has no counted line.", name=self.name))

    def _after_validate(self, ctx: Any) -> None:
        """The stock manager approved: the differences are posted."""
        self._post_differences()

    @public
    def action_start(self) -> str:
        """Start counting: one line per product held in the location or below it."""
        return self.workflow_action("start")

    def _fill_lines(self) -> None:
        quant = self.env.registry["stock.quant"]
        location = self.env.registry["stock.location"]
        below = select(location.id).where(
            (location.id == self.location_id)
            | location.complete_name.startswith(f"{self.location.complete_name}/"),
            location.usage == "internal")
        rows = self.env.session.execute(select(quant.product_id, quant.location_id,
                                               quant.quantity).where(
            quant.location_id.in_(below), quant.quantity != 0).order_by(quant.location_id,
                                                                        quant.product_id))
        known = {(line.product_id, line.location_id) for line in self._lines()}
        lines = [{"inventory_id": self.id, "product_id": p, "location_id": loc,
                  "theoretical_qty": qty, "product_qty": qty}
                 for p, loc, qty in rows if (p, loc) not in known]
        if lines:
            self.env.sudo()["stock.inventory.line"].create(lines)

    @public
    def action_validate(self, comment: str | None = None) -> str:
        """Ask a stock manager to approve the count."""
        return self.workflow_action("validate", comment=comment)

    def _lines(self) -> list[Any]:
        line = self.env.registry["stock.inventory.line"]
        return list(self.env.session.scalars(select(line).where(
            line.inventory_id == self.id).order_by(line.id)))

    def _post_differences(self) -> None:
        """Counted minus on hand now, for each line, moved to or from inventory loss."""
        env = self.env.sudo()
        loss = env.ref_id("stock.stock_location_inventory")
        lines = self._lines()
        quants = lock_quants(env, {(ln.product_id, ln.location_id) for ln in lines})
        vals_list = []
        for line in lines:
            on_hand = Decimal(quants[(line.product_id, line.location_id)].quantity or 0)
            diff = Decimal(line.product_qty or 0) - on_hand
            line.theoretical_qty = on_hand
            line.difference_qty = diff
            if diff == 0:
                continue
            source, dest = (loss, line.location_id) if diff > 0 else (line.location_id, loss)
            vals_list.append({"product_id": line.product_id, "product_uom_qty": abs(diff),
                              "location_id": source, "location_dest_id": dest,
                              "reference": self.name, "origin": self.name,
                              "warehouse_id": self.warehouse_id,
                              "name": _("Count %(name)s", name=self.name)})
        if vals_list:
            ids = env["stock.move"].create(vals_list)
            from .move import moves_of

            operations.done(env, moves_of(env, ids))


class InventoryLine:
    _name = "stock.inventory.line"
    _rules_from = "inventory_id"
    _description = _l("Inventory count line")
    _order = "inventory_id, location_id, product_id, id"
    _rec_name = "product_id"

    inventory_id: Mapped[int] = fields.Many2one("stock.inventory", _l("Stock count"), required=True,
                                                ondelete="CASCADE")
    product_id: Mapped[int] = fields.Many2one("product.product", _l("Product"), required=True,
                                              ondelete="RESTRICT")
    location_id: Mapped[Optional[int]] = fields.Many2one("stock.location", _l("Location"),
                                                         ondelete="RESTRICT")
    theoretical_qty: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("On hand"), digits=(16, 4), readonly=True, default=Decimal(0))
    product_qty: Mapped[Optional[Decimal]] = fields.Decimal(_l("Counted quantity"),
                                                            digits=(16, 4))
    difference_qty: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Difference"), digits=(16, 4), compute="_compute_difference", store=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        inventories = env.registry["stock.inventory"]
        for vals in vals_list:
            inventory = env.session.get(inventories, vals.get("inventory_id"))
            if inventory is not None:
                _check_open(inventory)
                vals.setdefault("location_id", inventory.location_id)
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        _check_open(self.inventory)
        super().write(vals)

    @depends("product_qty", "theoretical_qty")
    def _compute_difference(self) -> None:
        self.difference_qty = Decimal(self.product_qty or 0) - Decimal(self.theoretical_qty or 0)

    @constrains("product_qty")
    def _check_counted(self) -> None:
        """A counted quantity is not negative."""
        if self.product_qty is not None and self.product_qty < 0:
            raise ValidationError(_("A counted quantity cannot be negative."),
                                  field="product_qty")


def _check_open(inventory: Any) -> None:
    if inventory.state not in ("draft", "in_progress"):
        raise UserError(_("The count %(name)s is no longer open for changes.",
                          name=inventory.name))


INVENTORY_MODELS = [Inventory, InventoryLine]
