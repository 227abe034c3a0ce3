"""Reorder rules (min/max per product and warehouse) and the low-stock list.

Each rule stores the warehouse's on-hand quantity of its product (internal locations), refreshed
in the transaction of every move that changes it, so "below minimum" is a stored field that
lists filter and group on in SQL.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped

from core import constrains, fields
from core.errors import ValidationError
from core.i18n import _, _l
from core.models import model_method


class Orderpoint:
    _name = "stock.warehouse.orderpoint"
    _description = _l("Reorder rule")
    _order = "warehouse_id, product_id"

    name: Mapped[Optional[str]] = fields.Char(_l("Description"), readonly=True)
    product_id: Mapped[int] = fields.Many2one("product.product", _l("Product"), required=True,
                                              ondelete="CASCADE")
    warehouse_id: Mapped[int] = fields.Many2one("stock.warehouse", _l("Warehouse"),
                                                required=True, ondelete="CASCADE")
    product_min_qty: Mapped[Decimal] = fields.Decimal(_l("Minimum quantity"), digits=(16, 4),
                                                      required=True, default=Decimal(0))
    product_max_qty: Mapped[Decimal] = fields.Decimal(_l("Maximum quantity"), digits=(16, 4),
                                                      required=True, default=Decimal(0))
    qty_on_hand: Mapped[Optional[Decimal]] = fields.Decimal(_l("On hand"), digits=(16, 4),
                                                            readonly=True, default=Decimal(0))
    qty_to_order: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("To order"), digits=(16, 4), readonly=True, default=Decimal(0),
        help=_l("Up to the maximum when the stock is below the minimum."))
    below_min: Mapped[bool] = fields.Boolean(_l("Below minimum"), readonly=True)
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        records = super().create(env, vals_list)
        for record in records:
            record._set_name()
        refresh_orderpoints(env, {r.product_id for r in records})
        return records

    def write(self, vals: dict[str, Any]) -> None:
        super().write(vals)
        if {"product_id", "warehouse_id"} & set(vals):
            self._set_name()
        refresh_orderpoints(self.env, {self.product_id})

    def _set_name(self) -> None:
        """``[code] product @ warehouse code``, the rule's display name."""
        self.env.session.flush()
        self.name = f"{self.product.display_name} @ {self.warehouse.code}"[:255]

    @constrains("product_min_qty", "product_max_qty")
    def _check_bounds(self) -> None:
        """0 ≤ minimum ≤ maximum."""
        low, high = Decimal(self.product_min_qty or 0), Decimal(self.product_max_qty or 0)
        if low < 0 or high < low:
            raise ValidationError(_("A reorder rule needs 0 ≤ minimum ≤ maximum."),
                                  field="product_max_qty")

    @model_method
    @classmethod
    def low_stock(cls, env: Any, warehouse_id: int | None = None) -> list[dict[str, Any]]:
        """The reorder rules below their minimum (the user's readable ones), with what to
        order."""
        domain: list[Any] = [("below_min", "=", True)]
        if warehouse_id:
            domain.append(("warehouse_id", "=", int(warehouse_id)))
        return env["stock.warehouse.orderpoint"].search_read(
            domain, ["product_id", "warehouse_id", "product_min_qty", "product_max_qty",
                     "qty_on_hand", "qty_to_order"])


def refresh_orderpoints(env: Any, product_ids: set[int]) -> None:
    """Recompute the stored on-hand figures of the rules of ``product_ids`` (one GROUP BY)."""
    rule_cls = env.registry["stock.warehouse.orderpoint"]
    session = env.session
    rules = list(session.scalars(select(rule_cls).where(rule_cls.product_id.in_(product_ids))))
    if not rules:
        return
    quant = env.registry["stock.quant"]
    on_hand = {(p, w): Decimal(q) for p, w, q in session.execute(
        select(quant.product_id, quant.warehouse_id, func.sum(quant.quantity)).where(
            quant.product_id.in_(product_ids), quant.usage == "internal")
        .group_by(quant.product_id, quant.warehouse_id))}
    for rule in rules:
        qty = on_hand.get((rule.product_id, rule.warehouse_id), Decimal(0))
        low, high = Decimal(rule.product_min_qty or 0), Decimal(rule.product_max_qty or 0)
        rule.qty_on_hand = qty
        rule.below_min = qty < low
        rule.qty_to_order = max(high - qty, Decimal(0)) if qty < low else Decimal(0)
    session.flush()


ORDERPOINT_MODELS = [Orderpoint]
