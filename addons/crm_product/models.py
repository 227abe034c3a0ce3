"""The product of a contract line (``crm.contract.line`` extended, never copied).

A line with a product takes the product's name as its description, its unit and its sales
price for whatever the line leaves out or empty, on creation and when its product changes.
Lines without a product stay free text, as in the CRM alone. The CRM computes the line amount
(quantity × unit price, Decimal) and the contract amount (the sum of the lines).
"""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import fields
from core.i18n import _l


def product_values(env: Any, product_id: int) -> dict[str, Any]:
    """Description, unit and unit price a line takes from the product (read as the user)."""
    products = env["product.product"]
    row = products.read([product_id], ["list_price", "uom_id"])[0]
    return {"name": products.display_names([product_id])[product_id],
            "uom": row["uom_id"][1] if row["uom_id"] else False,
            "price_unit": row["list_price"]}


def _fill(env: Any, vals: dict[str, Any]) -> None:
    """Fill what ``vals`` leaves out or empty from its product."""
    if not vals.get("product_id"):
        return
    for name, value in product_values(env, vals["product_id"]).items():
        if vals.get(name) in (None, "", False):
            vals[name] = value


class ContractLineProduct:
    _inherit = "crm.contract.line"

    product_id: Mapped[Optional[int]] = fields.Many2one("product.product", _l("Product"),
                                                        ondelete="RESTRICT")

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            _fill(env, vals)
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        if vals.get("product_id") and vals["product_id"] != self.product_id:
            vals = dict(vals)
            _fill(self.env, vals)
        super().write(vals)


MODELS = [ContractLineProduct]
