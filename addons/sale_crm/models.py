"""The contract and opportunity of a sales order."""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import constrains, fields
from core.errors import ValidationError
from core.i18n import _, _l

SIGNED = ("approved", "active")


class SaleOrderCrm:
    """SA-003 step 1: the assistant enters the order from the signed contract."""

    _inherit = "sale.order"

    contract_id: Mapped[Optional[int]] = fields.Many2one("crm.contract", _l("Contract"),
                                                         ondelete="RESTRICT")
    opportunity_id: Mapped[Optional[int]] = fields.Many2one("crm.lead", _l("Opportunity"))

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        contracts = env.registry["crm.contract"]
        for vals in vals_list:
            contract = env.session.get(contracts, vals.get("contract_id")) if vals.get(
                "contract_id") else None
            if contract is not None and not vals.get("client_order_ref"):
                vals["client_order_ref"] = contract.name
        return super().create(env, vals_list)

    @constrains("contract_id", "partner_id")
    def _check_contract(self) -> None:
        """The contract is the customer's and signed (approved or in force)."""
        if not self.contract_id:
            return
        contract = self.env.session.get(self.env.registry["crm.contract"], self.contract_id)
        if contract.partner_id != self.partner_id:
            raise ValidationError(_("The contract %(contract)s is another customer's.",
                                    contract=contract.name), field="contract_id")
        if contract.state not in SIGNED and self.state == "draft":
            raise ValidationError(_("The contract %(contract)s is not signed and approved yet.",
                                  contract=contract.name), field="contract_id")


MODELS = [SaleOrderCrm]
