"""Purchase orders (``purchase.order``): requests for quotation (询价单) until submitted, then
approved orders.

The buyer (采购员) submits; the purchase manager (采购主管) approves; above an amount the general
manager (总经理) approves too. Both steps are ``workflow.step`` records, so the amount is data an
administrator edits. An approved order changes only through an amendment (变更): it goes back to
draft under the same number with its revision counter raised and the approved version kept in
``purchase.order.revision``, and is approved again. Received, billed and paid figures are kept by
the glue addons through :meth:`PurchaseOrder.refresh_progress`.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped

from addons.product.amounts import line_amounts, money, percent
from addons.product.taxed import TaxedDocument, has_amount
from core import fields, public
from core.base.models import user_company
from core.errors import UserError, ValidationError
from core.i18n import _, _l
from core.models import utcnow
from core.workflow import Step, Transition, Workflow

from .common import (
    ZERO,
    changed_values,
    next_number,
    refuse_computed,
    require_reason,
    today,
)
from .request import BUYER, GENERAL_MANAGER, MANAGER

#: default amount (CNY, VAT included) above which the general manager approves too; the
#: ``workflow.step`` record seeded from it is what an administrator edits
GENERAL_MANAGER_THRESHOLD = Decimal("50000")

ORDER_STATES = [
    ("draft", _l("RFQ")),
    ("sent", _l("RFQ sent")),
    ("to_approve", _l("Waiting for approval")),
    ("purchase", _l("Purchase order")),
    ("done", _l("Locked")),
    ("cancel", _l("Cancelled")),
]
RECEIPT_STATUS = [("no", _l("Nothing received")), ("partial", _l("Partially received")),
                  ("full", _l("Fully received"))]
INVOICE_STATUS = [("no", _l("Nothing to bill")), ("to invoice", _l("Waiting bills")),
                  ("invoiced", _l("Fully billed"))]
#: fields that change only while the order is a draft
FROZEN_AFTER_DRAFT = ("partner_id", "date_order", "payment_term_days", "user_id", "company_id")
COMPUTED = ("amount_received", "amount_billed",
            "amount_paid", "received_percent", "billed_percent", "paid_percent",
            "receipt_status", "invoice_status", "date_approve", "revision", "comparison_id",
            "winner_reason")


ORDER_WORKFLOW = Workflow(transitions=(
    Transition("send", "draft", "sent", _l("Mark RFQ as sent"), groups=(BUYER,)),
    Transition("submit", ("draft", "sent"), "purchase", _l("Submit for approval"),
               groups=(BUYER,), condition=has_amount, pending_state="to_approve",
               reject_to="draft", approvals=(
                   Step("manager", _l("Purchase manager approval (采购主管审批)"), group=MANAGER),
                   Step("general_manager", _l("General manager approval (总经理审批)"),
                        group=GENERAL_MANAGER, threshold_field="amount_total",
                        threshold=GENERAL_MANAGER_THRESHOLD))),
    Transition("amend", "purchase", "draft", _l("Amend"), groups=(BUYER,)),
    Transition("cancel", ("draft", "sent", "purchase"), "cancel", _l("Cancel"), groups=(BUYER,)),
    Transition("lock", "purchase", "done", _l("Lock"), groups=(MANAGER,)),
    Transition("unlock", "done", "purchase", _l("Unlock"), groups=(MANAGER,)),
    Transition("reset", "cancel", "draft", _l("Back to RFQ"), groups=(BUYER,)),
))


class PurchaseOrder(TaxedDocument):
    _name = "purchase.order"
    _description = _l("Purchase order")
    _order = "date_order desc, id desc"
    _workflow = ORDER_WORKFLOW

    name: Mapped[Optional[str]] = fields.Char(_l("Order number"), size=64, index=True,
                                              readonly=True)
    partner_id: Mapped[int] = fields.Many2one("res.partner", _l("Supplier"), required=True,
                                              ondelete="RESTRICT", index=True)
    partner_ref: Mapped[Optional[str]] = fields.Char(_l("Supplier reference"), size=128)
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Buyer"), index=True,
                                                     default=lambda env: env.uid)
    company_id: Mapped[Optional[int]] = fields.Many2one("res.company", _l("Company"),
                                                        default=user_company)
    date_order: Mapped[dt.date] = fields.Date(_l("Order date"), required=True, index=True,
                                              default=lambda env: today())
    date_planned: Mapped[Optional[dt.date]] = fields.Date(_l("Expected arrival"))
    payment_term_days: Mapped[Optional[int]] = fields.Integer(_l("Payment term (days)"))
    origin: Mapped[Optional[str]] = fields.Char(_l("Source document"), size=256)
    notes: Mapped[Optional[str]] = fields.Text(_l("Terms and conditions"))
    order_line = fields.One2many("purchase.order.line", "order_id", _l("Order lines"))
    state: Mapped[str] = fields.Selection(ORDER_STATES, _l("Status"), default="draft",
                                          readonly=True, index=True, tracking=True)
    # TaxedDocument's amounts, but VAT named as input tax and the total tracked
    amount_tax: Mapped[Decimal] = fields.Monetary(_l("Input VAT"), compute="_compute_amounts",
                                                  store=True)
    amount_total: Mapped[Decimal] = fields.Monetary(_l("Total incl. tax"), tracking=True,
                                                    compute="_compute_amounts", store=True)
    date_approve: Mapped[Optional[dt.datetime]] = fields.Datetime(_l("Approved on"),
                                                                   readonly=True)
    revision: Mapped[int] = fields.Integer(_l("Revision"), readonly=True, default=0)
    revision_ids = fields.One2many("purchase.order.revision", "order_id", _l("Amendments"))
    comparison_id: Mapped[Optional[int]] = fields.Many2one(
        "purchase.comparison", _l("Comparison sheet"), readonly=True, ondelete="SET NULL")
    winner_reason: Mapped[Optional[str]] = fields.Text(_l("Why this supplier"), readonly=True)
    cancel_reason: Mapped[Optional[str]] = fields.Text(_l("Cancellation reason"))
    amend_reason: Mapped[Optional[str]] = fields.Text(
        _l("Reason for the amendment"), help=_l("Needed to amend an approved order."))
    receipt_status: Mapped[str] = fields.Selection(RECEIPT_STATUS, _l("Receipt status"),
                                                   default="no", readonly=True, index=True)
    invoice_status: Mapped[str] = fields.Selection(INVOICE_STATUS, _l("Billing status"),
                                                   default="no", readonly=True, index=True)
    amount_received: Mapped[Decimal] = fields.Monetary(_l("Received amount"), readonly=True,
                                                       default=ZERO)
    amount_billed: Mapped[Decimal] = fields.Monetary(_l("Billed amount"), readonly=True,
                                                     default=ZERO)
    amount_paid: Mapped[Decimal] = fields.Monetary(_l("Paid amount"), readonly=True,
                                                   default=ZERO)
    received_percent: Mapped[Decimal] = fields.Decimal(_l("Received %"), digits=(5, 2),
                                                       readonly=True, default=ZERO)
    billed_percent: Mapped[Decimal] = fields.Decimal(_l("Billed %"), digits=(5, 2),
                                                     readonly=True, default=ZERO)
    paid_percent: Mapped[Decimal] = fields.Decimal(_l("Paid %"), digits=(5, 2), readonly=True,
                                                   default=ZERO)

    # -- create / write / unlink ---------------------------------------------------------------

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        partner_cls = env.registry["res.partner"]
        for vals in vals_list:
            refuse_computed(cls, vals, COMPUTED)
            if not vals.get("name"):
                vals["name"] = next_number(env, "purchase.order")
            partner = env.session.get(partner_cls, vals.get("partner_id"))
            if partner is not None:
                if partner.supplier_rating == "d":
                    raise ValidationError(_("%(partner)s is a blocked supplier (rating D).",
                                            partner=partner.name), field="partner_id")
                if vals.get("payment_term_days") is None:
                    vals["payment_term_days"] = partner.supplier_payment_term_days
        records = super().create(env, vals_list)
        for record in records:
            record.partner.supplier_rank = (record.partner.supplier_rank or 0) + 1
        return records

    def write(self, vals: dict[str, Any]) -> None:
        vals = changed_values(self, vals)
        if not vals:
            return
        refuse_computed(type(self), vals, COMPUTED)
        frozen = [f for f in FROZEN_AFTER_DRAFT if f in vals]
        if frozen and self.state not in ("draft", "sent"):
            raise ValidationError(_("%(name)s is approved: %(fields)s change only through an "
                                    "amendment.", name=self.display_name,
                                    fields=", ".join(str(self.__fields__[f].label)
                                                     for f in frozen)))
        if self.state in ("purchase", "to_approve") and set(vals) - {
                "state", "cancel_reason", "amend_reason", "notes", "partner_ref"}:
            raise ValidationError(_("%(name)s is approved: it changes only through an "
                                    "amendment.", name=self.display_name))
        if self.state in ("done", "cancel") and set(vals) - {"state", "cancel_reason"}:
            raise ValidationError(_("%(name)s is locked.", name=self.display_name))
        super().write(vals)

    def unlink(self) -> None:
        if self.state not in ("draft", "sent", "cancel") or self.revision or self.date_approve:
            raise UserError(_("Only RFQs never approved can be deleted; cancel %(name)s "
                              "instead.", name=self.display_name))
        super().unlink()

    # -- amounts and progress ------------------------------------------------------------------

    def refresh_progress(self, paid: Any = None) -> None:
        """Received and billed amounts and percentages from the lines' ``qty_received`` and
        ``qty_invoiced`` (kept by the glue addons); ``paid``: the amount paid of the order's
        bills, when the accounting glue knows it."""
        line = self.env.registry["purchase.order.line"]
        self.env.session.flush()
        received = billed = ordered = ZERO
        for qty, got, bill, price, vat in self.env.session.execute(select(
                line.product_qty, line.qty_received, line.qty_invoiced, line.price_unit,
                line.vat_rate).where(line.order_id == self.id)):
            ordered += Decimal(qty or 0)
            received += line_amounts(got, price, vat_rate=vat).total
            billed += line_amounts(bill, price, vat_rate=vat).total
        self.amount_received, self.amount_billed = money(received), money(billed)
        if paid is not None:
            self.amount_paid = money(paid)
        total = self.amount_total
        self.received_percent = percent(self.amount_received, total)
        self.billed_percent = percent(self.amount_billed, total)
        self.paid_percent = percent(self.amount_paid, total)
        rows = list(self.env.session.execute(select(line.product_qty, line.qty_received,
                                                    line.qty_invoiced).where(
            line.order_id == self.id)))
        got = [Decimal(r[1] or 0) for r in rows]
        self.receipt_status = ("no" if not any(got) else "full" if all(
            Decimal(r[1] or 0) >= Decimal(r[0] or 0) for r in rows) else "partial")
        self.invoice_status = ("no" if self.state not in ("purchase", "done") else "invoiced"
                               if rows and all(Decimal(r[2] or 0) >= Decimal(r[1] or 0)
                                               and Decimal(r[2] or 0) > 0 for r in rows)
                               else "to invoice")

    def refresh_requests(self) -> None:
        """The ordered quantities of the request lines this order buys."""
        from .sourcing import refresh_ordered

        line = self.env.registry["purchase.order.line"]
        refresh_ordered(self.env, set(self.env.session.scalars(select(
            line.request_line_id).where(line.order_id == self.id,
                                        line.request_line_id.is_not(None)))))

    # -- workflow callbacks --------------------------------------------------------------------

    def _before_submit(self, ctx: Any) -> None:
        if not has_amount(self):
            raise UserError(_("Add at least one line with an amount to %(name)s before "
                              "submitting it.", name=self.display_name))

    def _after_submit(self, ctx: Any) -> None:
        self.date_approve = utcnow()
        self.env.session.flush()
        self.env.registry.pm.hook.purchase_order_approved(env=self.env.sudo(), order=self)
        self.refresh_progress()

    def _before_amend(self, ctx: Any) -> None:
        self.amend_reason = require_reason(ctx.comment or self.amend_reason, _("An amendment"))

    def _after_amend(self, ctx: Any) -> None:
        """Keep the approved version, raise the revision; the order is a draft again."""
        from .order_line import order_lines

        lines = [{"product": line.product.display_name, "qty": str(line.product_qty),
                  "price_unit": str(line.price_unit), "vat_rate": str(line.vat_rate),
                  "date_planned": line.date_planned.isoformat() if line.date_planned else None}
                 for line in order_lines(self.env, self.id)]
        self.env.sudo()["purchase.order.revision"].create({
            "order_id": self.id, "revision": self.revision, "reason": self.amend_reason,
            "amount_total": self.amount_total, "lines_snapshot": json.dumps(
                lines, ensure_ascii=False)})
        self.revision = (self.revision or 0) + 1
        self.amend_reason = None
        self.env.registry.pm.hook.purchase_order_amended(env=self.env.sudo(), order=self)

    def _before_cancel(self, ctx: Any) -> None:
        if (ctx.comment or "").strip():
            self.cancel_reason = ctx.comment.strip()
        if not (self.cancel_reason or "").strip():
            raise ValidationError(_("Cancelling %(name)s needs a reason.",
                                    name=self.display_name), field="cancel_reason")
        line = self.env.registry["purchase.order.line"]
        done = self.env.session.execute(select(func.sum(line.qty_received),
                                               func.sum(line.qty_invoiced)).where(
            line.order_id == self.id)).one()
        if any(done):
            raise UserError(_("%(name)s cannot be cancelled: goods were received or billed. "
                              "Lock it instead.", name=self.display_name))

    def _after_cancel(self, ctx: Any) -> None:
        self.refresh_requests()
        self.env.registry.pm.hook.purchase_order_cancelled(env=self.env.sudo(), order=self)

    def _after_reset(self, ctx: Any) -> None:
        self.cancel_reason = None

    # -- actions -------------------------------------------------------------------------------

    @public
    def action_amend(self, reason: str = "") -> str:
        """Reopen the approved order for changes (变更) with a reason; it keeps its number."""
        return self.workflow_action("amend", comment=reason or self.amend_reason)

    action_amend.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    @public
    def action_cancel(self, reason: str = "") -> str:
        """Cancel with a reason (nothing received or billed yet)."""
        return self.workflow_action("cancel", comment=reason or self.cancel_reason)

    action_cancel.__kangyi_check__ = "read"  # type: ignore[attr-defined]


class PurchaseOrderRevision:
    """An approved version of an order, kept when it is amended (变更记录)."""

    _name = "purchase.order.revision"
    _description = _l("Purchase order amendment")
    _order = "order_id, revision desc"

    order_id: Mapped[int] = fields.Many2one("purchase.order", _l("Purchase order"),
                                            required=True, ondelete="CASCADE", index=True)
    revision: Mapped[int] = fields.Integer(_l("Revision"), readonly=True)
    reason: Mapped[Optional[str]] = fields.Text(_l("Reason"), readonly=True)
    amount_total: Mapped[Optional[Decimal]] = fields.Monetary(_l("Total incl. tax"),
                                                              readonly=True)
    lines_snapshot: Mapped[Optional[str]] = fields.Text(_l("Lines as approved"), readonly=True)
    order_user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Buyer"),
                                                           readonly=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        if not env.su:
            raise UserError(_("Amendments are recorded by the order, not by hand."))
        records = super().create(env, vals_list)
        for record in records:
            record.order_user_id = record.order.user_id
        return records

    def write(self, vals: dict[str, Any]) -> None:
        raise UserError(_("An amendment record cannot change."))


ORDER_MODELS = [PurchaseOrder, PurchaseOrderRevision]
