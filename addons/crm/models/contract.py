"""Contracts (合同) with product lines, an approval workflow and a collection plan (回款计划).

The number comes from the ``crm.contract`` sequence. Totals are stored computed fields (Decimal
sums of the lines and receipts), so lists and the segmentation aggregate in SQL. Receipts
(``crm.contract.payment``, 回款记录) are allocated to the instalments by due date, also a computed
field; other addons (sales, accounting) record theirs the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped

from core import depends, fields
from core.errors import UserError, ValidationError
from core.i18n import _, _l
from core.models import constrains
from core.money import money
from core.sequence import next_by_code
from core.workflow import Step, Transition, Workflow

from .visit import plan_from_rules

STATES = [("draft", _l("Draft")), ("to_approve", _l("Waiting for approval")),
          ("approved", _l("Approved")), ("active", _l("In force")), ("expired", _l("Expired")),
          ("terminated", _l("Terminated"))]
INSTALMENT_STATES = [("open", _l("Open")), ("partial", _l("Partly received")),
                     ("paid", _l("Received"))]
PAYMENT_METHODS = [("bank", _l("Bank transfer")), ("cash", _l("Cash")), ("cheque", _l("Cheque")),
                   ("acceptance", _l("Bank acceptance bill")), ("other", _l("Other"))]
ZERO = Decimal("0.00")


class Contract:
    _name = "crm.contract"
    _description = _l("Contract")
    _order = "date_signed desc, id desc"

    name: Mapped[Optional[str]] = fields.Char(_l("Number"), size=64, readonly=True, index=True)
    title: Mapped[str] = fields.Char(_l("Title"), required=True)
    partner_id: Mapped[int] = fields.Many2one("res.partner", _l("Customer"), required=True,
                                              ondelete="RESTRICT", edit_states="draft")
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Salesperson"),
                                                     default=lambda env: env.uid)
    lead_id: Mapped[Optional[int]] = fields.Many2one("crm.lead", _l("Opportunity"))
    state: Mapped[str] = fields.Selection(STATES, _l("Status"), default="draft", index=True,
                                          tracking=True)
    terms: Mapped[Optional[str]] = fields.Text(_l("Main terms"), edit_states="draft")
    date_start: Mapped[Optional[dt.date]] = fields.Date(_l("Start date"), edit_states="draft")
    date_end: Mapped[Optional[dt.date]] = fields.Date(_l("End date"), edit_states="draft")
    signer: Mapped[Optional[str]] = fields.Char(_l("Signed by (customer)"))
    signer_user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Signed by (us)"))
    date_signed: Mapped[Optional[dt.date]] = fields.Date(_l("Signing date"), index=True)
    line_ids = fields.One2many("crm.contract.line", "contract_id", _l("Product lines"),
                               edit_states="draft")
    installment_ids = fields.One2many("crm.contract.installment", "contract_id",
                                      _l("Collection plan"))
    payment_ids = fields.One2many("crm.contract.payment", "contract_id",
                                 _l("Payments received"))
    amount_total: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Amount"), compute="_compute_amounts", store=True, tracking=True)
    amount_received: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Received"), compute="_compute_amounts", store=True)
    amount_due: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Outstanding"), compute="_compute_amounts", store=True)

    _workflow = Workflow(transitions=(
        Transition("submit", "draft", "approved", _l("Submit for approval"),
                   condition=[("amount_total", ">", 0)], pending_state="to_approve",
                   reject_to="draft",
                   approvals=(Step("manager", _l("CRM manager"), group="crm.group_manager"),)),
        Transition("activate", "approved", "active", _l("Put in force")),
        Transition("expire", "active", "expired", _l("Mark expired")),
        Transition("terminate", ("approved", "active"), "terminated", _l("Terminate"),
                   groups=("crm.group_manager",)),
    ))

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            if not vals.get("name"):
                vals["name"] = next_by_code(env.sudo(), "crm.contract")
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        locked = {"partner_id", "date_start", "date_end", "terms"} & set(vals)
        if locked and self.state not in ("draft",) and not self.env.su:
            raise UserError(_("%(name)s is no longer a draft: its customer, dates and terms are "
                              "fixed.", name=self.name))
        before = self.state
        super().write(vals)
        if vals.get("state") == "active" and before != "active":
            self._put_in_force()

    @constrains("date_start", "date_end")
    def _check_dates(self) -> None:
        if self.date_start and self.date_end and self.date_end < self.date_start:
            raise ValidationError(_("A contract cannot end before it starts."), field="date_end")

    def _put_in_force(self) -> None:
        """The contract came into force (by whatever door the workflow was driven): the customer
        becomes active and the return visits its rules ask for are planned."""
        partner = self.env.session.get(self.env.registry["res.partner"], self.partner_id)
        if partner is not None and partner.customer_status in (None, "prospect", "dormant"):
            partner.customer_status = "active"
        plan_from_rules(self.env, "contract_start", self.partner_id,
                        self.date_start or dt.date.today(), contract_id=self.id,
                        reference=self.name or "")

    @depends("line_ids.price_subtotal", "payment_ids.amount")
    def _compute_amounts(self) -> None:
        """Total from the lines, received from the receipts."""
        self.amount_total = money(sum((line.price_subtotal or 0 for line in self.line_ids), ZERO))
        self.amount_received = money(sum((p.amount or 0 for p in self.payment_ids), ZERO))
        self.amount_due = self.amount_total - self.amount_received


def _check_draft(env: Any, contract_ids: set[int]) -> None:
    """Products of a contract change only while it is a draft (approval fixed the amount)."""
    contracts = env.registry["crm.contract"]
    for contract in env.session.scalars(select(contracts).where(contracts.id.in_(contract_ids))):
        if contract.state != "draft" and not env.su:
            raise UserError(_("%(name)s is no longer a draft: its products are fixed.",
                              name=contract.name))


class ContractLine:
    _name = "crm.contract.line"
    _rules_from = "contract_id"
    _description = _l("Contract line")
    _order = "contract_id, sequence, id"

    contract_id: Mapped[int] = fields.Many2one("crm.contract", _l("Contract"), required=True,
                                               ondelete="CASCADE")
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    name: Mapped[Optional[str]] = fields.Char(_l("Product / description"))
    quantity: Mapped[Optional[Decimal]] = fields.Decimal(_l("Quantity"), digits=(16, 3),
                                                         default=Decimal("1"))
    uom: Mapped[Optional[str]] = fields.Char(_l("Unit"), size=32)
    price_unit: Mapped[Optional[Decimal]] = fields.Monetary(_l("Unit price"), digits=(16, 4))
    price_subtotal: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Line amount"), compute="_compute_subtotal", store=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        _check_draft(env, {v.get("contract_id") for v in vals_list})
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        _check_draft(self.env, {self.contract_id, vals.get("contract_id") or self.contract_id})
        super().write(vals)

    def unlink(self) -> None:
        _check_draft(self.env, {self.contract_id})
        super().unlink()

    @depends("quantity", "price_unit")
    def _compute_subtotal(self) -> None:
        self.price_subtotal = money(Decimal(self.quantity or 0) * Decimal(self.price_unit or 0))

    @constrains("name")
    def _check_name(self) -> None:
        """A description is needed (the product glue fills it from the product when empty)."""
        if not (self.name or "").strip():
            raise ValidationError(_("Each contract line needs a description."), field="name")

    @constrains("quantity", "price_unit")
    def _check_amounts(self) -> None:
        if (self.quantity or 0) < 0 or (self.price_unit or 0) < 0:
            raise ValidationError(_("Quantities and prices of a contract cannot be negative."))


class Installment:
    _name = "crm.contract.installment"
    _rules_from = "contract_id"
    _description = _l("Collection instalment")
    _order = "contract_id, date_due, id"
    _rec_name = "date_due"

    contract_id: Mapped[int] = fields.Many2one("crm.contract", _l("Contract"), required=True,
                                               ondelete="CASCADE")
    partner_id: Mapped[Optional[int]] = fields.Many2one(
        "res.partner", _l("Customer"), related="contract_id.partner_id", store=True)
    date_due: Mapped[dt.date] = fields.Date(_l("Due date"), required=True, index=True)
    amount: Mapped[Decimal] = fields.Monetary(_l("Amount due"), required=True)
    amount_received: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Received"), compute="_compute_received", store=True)
    state: Mapped[str] = fields.Selection(INSTALMENT_STATES, _l("Status"),
                                          compute="_compute_received", store=True, index=True)
    note: Mapped[Optional[str]] = fields.Char(_l("Note"))

    @depends("contract_id.amount_received", "contract_id.installment_ids.amount",
             "contract_id.installment_ids.date_due")
    def _compute_received(self) -> None:
        """The contract's receipts go to its instalments by due date, the earliest first."""
        contract = self.env.session.get(type(self).__models__["crm.contract"], self.contract_id)
        left = money(contract.amount_received) if contract is not None else ZERO
        plan = contract.installment_ids if contract is not None else []
        for row in sorted(plan, key=lambda r: (r.date_due, r.id)):
            share = min(left, money(row.amount))
            left -= share
            if row.id == self.id:
                break
        else:
            share = ZERO
        self.amount_received = share
        self.state = ("paid" if share >= money(self.amount) else
                      "partial" if share > ZERO else "open")

    @constrains("amount")
    def _check_amount(self) -> None:
        if self.amount is None or self.amount <= 0:
            raise ValidationError(_("An instalment must be a positive amount."), field="amount")
        instalment = type(self)
        planned = self.env.session.scalar(select(func.sum(instalment.amount)).where(
            instalment.contract_id == self.contract_id))
        contract = self.env.session.get(self.env.registry["crm.contract"], self.contract_id)
        if contract is not None and money(planned) > money(contract.amount_total):
            raise ValidationError(_("The collection plan of %(name)s (%(planned)s) exceeds the "
                                    "contract amount (%(total)s).", name=contract.name,
                                    planned=money(planned), total=money(contract.amount_total)),
                                  field="amount")


class Payment:
    _name = "crm.contract.payment"
    _rules_from = "contract_id"
    _description = _l("Payment received")
    _order = "date desc, id desc"
    _rec_name = "reference"

    contract_id: Mapped[int] = fields.Many2one("crm.contract", _l("Contract"), required=True,
                                               ondelete="CASCADE")
    partner_id: Mapped[Optional[int]] = fields.Many2one(
        "res.partner", _l("Customer"), related="contract_id.partner_id", store=True)
    date: Mapped[dt.date] = fields.Date(_l("Received on"), required=True, index=True,
                                        default=lambda env: dt.date.today())
    amount: Mapped[Decimal] = fields.Monetary(_l("Amount"), required=True)
    method: Mapped[str] = fields.Selection(PAYMENT_METHODS, _l("Method"), default="bank")
    handler_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Handled by"),
                                                        default=lambda env: env.uid)
    account: Mapped[Optional[str]] = fields.Char(_l("Bank account"), size=64)
    reference: Mapped[Optional[str]] = fields.Char(_l("Reference"))
    origin: Mapped[Optional[str]] = fields.Char(_l("Source document"), size=128)
    note: Mapped[Optional[str]] = fields.Text(_l("Note"))

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        contracts = env.registry["crm.contract"]
        for vals in vals_list:
            contract = env.session.get(contracts, vals.get("contract_id"))
            if contract is not None and contract.state not in ("approved", "active", "expired"):
                raise UserError(_("Receipts are recorded only on approved contracts; %(name)s "
                                  "is not.", name=contract.name))
        return super().create(env, vals_list)

    @constrains("amount")
    def _check_amount(self) -> None:
        if self.amount is None or self.amount <= 0:
            raise ValidationError(_("A receipt must be a positive amount."), field="amount")


CONTRACT_MODELS = [Contract, ContractLine, Installment, Payment]
