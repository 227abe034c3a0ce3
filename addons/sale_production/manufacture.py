"""Manufacturing orders from a sales order (按单生产): the 生产计划员 makes, for an approved
order's make-to-order products, the orders it still needs — what it ordered less what the
orders made for it made or are making, as material planning nets it — without waiting for a
planning run; each is submitted to the 车间主任."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select

from addons.production.mrp import mto_need
from core import public
from core.errors import AccessError, UserError
from core.i18n import _

PLANNER = "production.group_planner"


def to_make(env: Any, order: Any) -> list[dict[str, Any]]:
    """``[{"product_id", "product_qty", "date_deadline"}]`` the order's make-to-order products
    still need (in the products' units)."""
    from .hooks import sales_demand

    rows = sales_demand(env, [order.id])
    product, mo = env.registry["product.product"], env.registry["mrp.production"]
    made_to_order = set(env.session.scalars(select(product.id).where(
        product.id.in_([r["product_id"] for r in rows]), product.produce_to_order.is_(True))))
    covered = {pid: Decimal(qty or 0) for pid, qty in env.session.execute(select(
        mo.product_id, func.sum(case((mo.state == "done", mo.qty_produced_product_uom),
                                     else_=mo.product_uom_qty))).where(
        mo.origin == order.name, mo.state != "cancel").group_by(mo.product_id))}
    needs = []
    for row in rows:
        if row["product_id"] in made_to_order:
            qty = mto_need(row["qty"], row["ordered"], covered.get(row["product_id"],
                                                                  Decimal(0)))
            if qty > 0:
                needs.append({"product_id": row["product_id"], "product_qty": qty,
                              "date_deadline": row["date"]})
    return needs


class SaleOrder:
    _inherit = "sale.order"

    @public
    def action_manufacture(self) -> str:
        """The planner's button: the manufacturing orders this approved order still needs,
        submitted for approval."""
        env = self.env
        if not env.access.has_group(PLANNER):
            raise AccessError(_("Only the production planner makes manufacturing orders from "
                                "a sales order."))
        if self.state != "sale":
            raise UserError(_("%(name)s is not an approved order.", name=self.name))
        needs = to_make(env, self)
        if not needs:
            raise UserError(_("%(name)s needs no manufacturing order: its make-to-order "
                              "products are made or being made.", name=self.name))
        productions, names = env["mrp.production"], []
        for values in needs:
            production_id = productions.create({**values, "origin": self.name})
            productions.call("action_confirm", [production_id])
            names.append(productions.read([production_id], ["name"])[0]["name"])
        return _("Submitted to the workshop manager: %(names)s.", names=", ".join(names))

    action_manufacture.__kangyi_check__ = "read"  # type: ignore[attr-defined]
