"""Quotations and sales orders (``sale.order``), approved as in SA-003 step 1.

The sales assistant (销售助理) enters the order and submits it; the sales manager (销售主管)
approves or rejects it with a reason; above an amount the sales director (销售总监) approves too.
The approval chain is a :class:`core.workflow.Workflow`, so its steps are ``workflow.step`` records
an administrator edits (approver group, threshold). Lines live in :mod:`.order_line`; the order's
amounts are computed fields summing them; quantities and amounts delivered, invoiced and
collected roll up through :mod:`.progress`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Mapped

from addons.product.taxed import TaxedDocument, has_amount
from core import fields, public
from core.base.models import user_company
from core.errors import UserError, ValidationError
from core.i18n import _, _l
from core.workflow import Step, Transition, Workflow

from .common import (
    changed_values,
    next_number,
    refuse_computed,
    require_state,
    today,
)

ASSISTANT = "sales.group_assistant"
MANAGER = "sales.group_manager"
DIRECTOR = "sales.group_director"
#: default amount (CNY, tax included) above which the sales director approves too; the
#: ``workflow.step`` record seeded from it is what an administrator edits
DIRECTOR_THRESHOLD = Decimal("200000")

ORDER_STATES = [
    ("draft", _l("Quotation")),
    ("to_approve", _l("Waiting for approval")),
    ("sale", _l("Sales order")),
    ("done", _l("Locked")),
    ("cancel", _l("Cancelled")),
]
DELIVERY_STATUS = [("no", _l("Not delivered")), ("partial", _l("Partially delivered")),
                   ("full", _l("Fully delivered"))]
INVOICE_STATUS = [("no", _l("Nothing to invoice")), ("to invoice", _l("To invoice")),
                  ("invoiced", _l("Fully invoiced"))]

#: fields the approval freezes (lines are frozen by the line model)
FROZEN_AFTER_DRAFT = ("partner_id", "pricelist_id", "date_order", "payment_term_days",
                      "user_id", "company_id")
#: the states in which the fields above (and the lines) may change: forms show them read-only
DRAFT = ("draft",)
COMPUTED = ("amount_delivered",
            "amount_invoiced", "amount_collected", "amount_due", "delivered_percent",
            "invoiced_percent", "collected_percent", "delivery_status", "invoice_status",
            "payment_due_date", "date_approve")


ORDER_WORKFLOW = Workflow(transitions=(
    Transition("submit", "draft", "sale", _l("Submit for approval"), groups=(ASSISTANT,),
               condition=has_amount, pending_state="to_approve", reject_to="draft",
               approvals=(
                   Step("manager", _l("Sales manager review (销售主管审核)"), group=MANAGER),
                   Step("director", _l("Sales director approval (销售总监审批)"),
                        group=DIRECTOR, threshold_field="amount_total",
                        threshold=DIRECTOR_THRESHOLD),
               )),
    Transition("cancel", ("draft", "sale"), "cancel", _l("Cancel"), groups=(ASSISTANT,)),
    Transition("lock", "sale", "done", _l("Lock"), groups=(MANAGER,)),
    Transition("unlock", "done", "sale", _l("Unlock"), groups=(MANAGER,)),
    Transition("reset", "cancel", "draft", _l("Back to quotation"), groups=(ASSISTANT,)),
))


class PartnerSales:
    """The customer's price list."""

    _inherit = "res.partner"

    property_product_pricelist: Mapped[Optional[int]] = fields.Many2one(
        "sale.pricelist", _l("Price list"))


class SaleOrder(TaxedDocument):
    _name = "sale.order"
    #: the users owning a document, for the data scopes of posts (hr)
    _scope_fields = ("user_id", "create_uid")
    _description = _l("Sales order")
    _order = "date_order desc, id desc"
    _edit_states = ("draft", "to_approve", "sale")  # locked and cancelled orders do not change
    _unlink_states = ("draft", "cancel")
    _workflow = ORDER_WORKFLOW

    name: Mapped[Optional[str]] = fields.Char(_l("Order number"), size=64, index=True,
                                              readonly=True)
    partner_id: Mapped[int] = fields.Many2one("res.partner", _l("Customer"), required=True,
                                              ondelete="RESTRICT", edit_states=DRAFT)
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Salesperson"),
                                                     default=lambda env: env.uid,
                                                     edit_states=DRAFT)
    company_id: Mapped[Optional[int]] = fields.Many2one("res.company", _l("Company"),
                                                        default=user_company,
                                                        edit_states=DRAFT)
    date_order: Mapped[dt.date] = fields.Date(_l("Order date"), required=True, index=True,
                                              default=lambda env: today(), edit_states=DRAFT)
    commitment_date: Mapped[Optional[dt.date]] = fields.Date(_l("Delivery date"))
    client_order_ref: Mapped[Optional[str]] = fields.Char(_l("Customer reference"), size=128)
    pricelist_id: Mapped[Optional[int]] = fields.Many2one("sale.pricelist", _l("Price list"),
                                                          edit_states=DRAFT)
    payment_term_days: Mapped[Optional[int]] = fields.Integer(
        _l("Payment term (days)"), default=30, edit_states=DRAFT,
        help=_l("Days the customer has to pay an invoice."))
    region: Mapped[Optional[str]] = fields.Char(_l("Region"), size=128, index=True)
    note: Mapped[Optional[str]] = fields.Text(_l("Terms and notes"))
    order_line = fields.One2many("sale.order.line", "order_id", _l("Order lines"),
                                 edit_states=DRAFT)
    state: Mapped[str] = fields.Selection(ORDER_STATES, _l("Status"), default="draft",
                                          readonly=True, index=True, tracking=True)
    date_approve: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Approved on"),
                                                                   readonly=True)
    cancel_reason: Mapped[Optional[str]] = fields.Text(
        _l("Cancellation reason"), help=_l("Needed to cancel the order."))
    delivery_status: Mapped[str] = fields.Selection(DELIVERY_STATUS, _l("Delivery status"),
                                                    default="no", readonly=True, index=True)
    invoice_status: Mapped[str] = fields.Selection(INVOICE_STATUS, _l("Invoice status"),
                                                   default="no", readonly=True, index=True)
    amount_delivered: Mapped[Decimal] = fields.Monetary(_l("Delivered amount"), readonly=True,
                                                        default=Decimal("0"))
    amount_invoiced: Mapped[Decimal] = fields.Monetary(_l("Invoiced amount"), readonly=True,
                                                       default=Decimal("0"))
    amount_collected: Mapped[Decimal] = fields.Monetary(_l("Collected amount"), readonly=True,
                                                        default=Decimal("0"))
    amount_due: Mapped[Decimal] = fields.Monetary(
        _l("Amount due"), readonly=True, default=Decimal("0"),
        help=_l("Invoiced but not yet collected."))
    delivered_percent: Mapped[Decimal] = fields.Decimal(_l("Delivered %"), digits=(5, 2),
                                                        readonly=True, default=Decimal("0"))
    invoiced_percent: Mapped[Decimal] = fields.Decimal(_l("Invoiced %"), digits=(5, 2),
                                                       readonly=True, default=Decimal("0"))
    collected_percent: Mapped[Decimal] = fields.Decimal(_l("Collected %"), digits=(5, 2),
                                                        readonly=True, default=Decimal("0"))
    payment_due_date: Mapped[Optional[dt.date]] = fields.Date(
        _l("Payment due"), readonly=True, index=True,
        help=_l("Due date of the oldest invoice not yet collected."))
    delivery_notice_ids = fields.One2many("sale.delivery.notice", "order_id",
                                          _l("Delivery notices"))
    invoice_notice_ids = fields.One2many("sale.invoice.notice", "order_id",
                                         _l("Invoicing notices"))
    allocation_ids = fields.One2many("sale.collection.allocation", "order_id",
                                     _l("Collections"))

    # -- create / write / unlink ---------------------------------------------------------------

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        partner_cls = env.registry["res.partner"]
        for vals in vals_list:
            refuse_computed(cls, vals, COMPUTED)
            if not vals.get("name"):
                vals["name"] = next_number(env, "sale.order")
            partner = env.session.get(partner_cls, vals.get("partner_id"))
            if partner is not None:
                vals.setdefault("region", partner.city)
                if not vals.get("pricelist_id"):
                    vals["pricelist_id"] = partner.property_product_pricelist
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        vals = changed_values(self, vals)
        if not vals:
            return
        refuse_computed(type(self), vals, COMPUTED)
        frozen = [f for f in FROZEN_AFTER_DRAFT if f in vals and vals[f] != getattr(self, f)]
        if frozen and self.state != "draft":
            raise ValidationError(_("%(name)s is no longer a quotation: %(fields)s cannot change. "
                              "Cancel it and enter a new one.", name=self.display_name,
                              fields=", ".join(str(self.__fields__[f].label) for f in frozen)))
        if self.state in ("done", "cancel") and set(vals) - {"state", "cancel_reason"}:
            raise ValidationError(_("%(name)s is locked.", name=self.display_name))
        super().write(vals)

    def unlink(self) -> None:
        if self.state not in ("draft", "cancel"):
            raise UserError(_("Only quotations and cancelled orders can be deleted; cancel "
                              "%(name)s first.", name=self.display_name))
        notice = self.env.registry["sale.delivery.notice"]
        if self.env.session.scalar(select(notice.id).where(notice.order_id == self.id).limit(1)):
            raise UserError(_("%(name)s has delivery notices: it stays, cancelled, for the "
                              "record.", name=self.display_name))
        super().unlink()

    # -- actions -------------------------------------------------------------------------------

    @public
    def action_submit(self, comment: str | None = None) -> str:
        """The sales assistant sends the order for approval (提交审核)."""
        require_state(self, ("draft",), _("Submitting"))
        if not has_amount(self):
            raise UserError(_("Add at least one line with an amount to %(name)s before "
                              "submitting it.", name=self.display_name))
        return self.workflow_action("submit", comment=comment)

    action_submit.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    @public
    def action_cancel(self, reason: str = "") -> str:
        """Cancel the order with a reason (only before anything was delivered); without
        ``reason`` the order's cancellation reason field must be filled in."""
        if (reason or "").strip():
            self.cancel_reason = reason.strip()
        return self.workflow_action("cancel", comment=reason or self.cancel_reason)

    action_cancel.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    @public
    def action_create_delivery_notice(self) -> int:
        """A delivery notice (发货通知单) for everything not yet on a notice; quantities can be
        lowered before it is approved (partial delivery). Returns the notice id."""
        from .delivery import create_notice_from_order

        return create_notice_from_order(self.env, self)

    action_create_delivery_notice.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    @public
    def action_create_invoice_notice(self) -> int:
        """An invoicing notice (开票通知单) for the delivered quantities not yet invoiced.
        Returns the notice id."""
        from .invoicing import create_notice_from_order

        return create_notice_from_order(self.env, self)

    action_create_invoice_notice.__kangyi_check__ = "read"  # type: ignore[attr-defined]


ORDER_MODELS = [PartnerSales, SaleOrder]
