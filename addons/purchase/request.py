"""Purchase requests (请购单, OCA's ``purchase.request``): what a department needs, approved by
its manager, then bought by a buyer through a comparison sheet or a purchase order.

Any employee with the requester post enters a request; submitting it asks the department
manager (the ``department_manager`` resolver, answered by hr when installed) or a purchase
manager to approve. Reorder rules and material planning create requests through
:meth:`PurchaseRequest.create_from_needs` (see ``docs/addons/purchase.md``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped

from core import fields, public
from core.errors import UserError, ValidationError
from core.i18n import _, _l
from core.models import model_method
from core.workflow import Step, Transition, Workflow

from .common import changed_values, next_number, refuse_computed, require_reason, today

REQUESTER = "purchase.group_requester"
BUYER = "purchase.group_user"
MANAGER = "purchase.group_manager"
GENERAL_MANAGER = "purchase.group_general_manager"

REQUEST_STATES = [
    ("draft", _l("Draft")),
    ("to_approve", _l("Waiting for approval")),
    ("approved", _l("Approved")),
    ("done", _l("Done")),
    ("rejected", _l("Rejected")),
]
ORIGINS = [("manual", _l("Entered by hand")), ("reorder", _l("Reorder rule")),
           ("planning", _l("Material planning"))]


def _has_lines(request: Any) -> bool:
    line = request.env.registry["purchase.request.line"]
    return bool(request.env.session.scalar(select(line.id).where(
        line.request_id == request.id).limit(1)))


REQUEST_WORKFLOW = Workflow(transitions=(
    Transition("submit", "draft", "approved", _l("Submit for approval"),
               condition=_has_lines, pending_state="to_approve", reject_to="draft",
               approvals=(Step("department", _l("Department manager approval (部门经理审批)"),
                               group=MANAGER, resolver="department_manager"),)),
    Transition("reject", ("draft", "approved"), "rejected", _l("Reject"), groups=(MANAGER,)),
    Transition("done", "approved", "done", _l("Mark as done"), groups=(BUYER,)),
    Transition("reset", "rejected", "draft", _l("Back to draft")),
))


class PurchaseRequest:
    _name = "purchase.request"
    _description = _l("Purchase request")
    _order = "date_start desc, id desc"
    _workflow = REQUEST_WORKFLOW
    _track = True

    name: Mapped[Optional[str]] = fields.Char(_l("Request number"), size=64, index=True,
                                              readonly=True)
    requested_by: Mapped[Optional[int]] = fields.Many2one(
        "res.users", _l("Requested by"), default=lambda env: env.uid, index=True)
    assigned_to: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Buyer"), index=True)
    department: Mapped[Optional[str]] = fields.Char(_l("Department"), size=128)
    date_start: Mapped[dt.date] = fields.Date(_l("Request date"), required=True,
                                              default=lambda env: today())
    description: Mapped[Optional[str]] = fields.Text(_l("Purpose"))
    origin: Mapped[Optional[str]] = fields.Selection(ORIGINS, _l("Origin"), default="manual",
                                                     readonly=True)
    line_ids = fields.One2many("purchase.request.line", "request_id", _l("Products"))
    state: Mapped[str] = fields.Selection(REQUEST_STATES, _l("Status"), default="draft",
                                          readonly=True, index=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            refuse_computed(cls, vals, ("origin",))
            if not vals.get("name"):
                vals["name"] = next_number(env, "purchase.request")
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        vals = changed_values(self, vals)
        if vals and self.state not in ("draft",) and set(vals) - {"assigned_to", "state"}:
            raise ValidationError(_("%(name)s is no longer a draft and cannot change.",
                                    name=self.display_name))
        super().write(vals)
        if {"state", "requested_by"} & set(vals):
            sync_request_lines(self.env, [self.id])

    def unlink(self) -> None:
        if self.state not in ("draft", "rejected"):
            raise UserError(_("Only draft or rejected requests can be deleted."))
        super().unlink()

    def _before_reject(self, ctx: Any) -> None:
        require_reason(ctx.comment, _("Rejecting a request"))
        line = self.env.registry["purchase.request.line"]
        if self.env.session.scalar(select(func.sum(line.qty_ordered)).where(
                line.request_id == self.id)):
            raise UserError(_("%(name)s is already being bought and cannot be rejected.",
                              name=self.display_name))

    @public
    def action_reject(self, reason: str = "") -> str:
        """A purchase manager rejects the request with a reason."""
        return self.workflow_action("reject", comment=reason)

    action_reject.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    @public
    def action_create_order(self, partner_id: int) -> int:
        """A purchase order (RFQ) to ``partner_id`` for what is left to order; returns its id."""
        from .sourcing import order_from_requests

        return order_from_requests(self.env, [self], int(partner_id))

    action_create_order.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    @public
    def action_create_comparison(self) -> int:
        """A comparison sheet (比价单) for what is left to order; returns its id."""
        from .sourcing import comparison_from_request

        return comparison_from_request(self.env, self)

    action_create_comparison.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    @model_method
    @classmethod
    def create_from_needs(cls, env: Any, needs: list[dict[str, Any]], origin: str = "reorder",
                          description: str | None = None) -> int | None:
        """The function reorder rules and material planning call: one request (submitted for
        approval) with a line per need ``{"product_id", "product_qty", "date_required"?,
        "reason"?}``, leaving out products already on an open request; returns its id or None.
        """
        line_cls = env.registry["purchase.request.line"]
        open_products = set(env.session.scalars(select(line_cls.product_id).where(
            line_cls.request_state.in_(("draft", "to_approve", "approved")),
            line_cls.qty_ordered < line_cls.product_qty)))
        lines = [(0, 0, {"product_id": need["product_id"],
                         "product_qty": need["product_qty"],
                         "date_required": need.get("date_required"),
                         "reason": need.get("reason")})
                 for need in needs if need["product_id"] not in open_products
                 and Decimal(str(need["product_qty"])) > 0]
        if not lines:
            return None
        sudo = env.sudo()
        request_id = sudo["purchase.request"].create({"description": description,
                                                      "line_ids": lines})
        request = sudo["purchase.request"].browse_unchecked([request_id])[0]
        request.origin = origin if origin in dict(ORIGINS) else "manual"
        sudo["purchase.request"].call("action_submit", [request_id])
        return request_id


class PurchaseRequestLine:
    _name = "purchase.request.line"
    _description = _l("Purchase request line")
    _order = "request_id, id"

    request_id: Mapped[int] = fields.Many2one("purchase.request", _l("Purchase request"),
                                              required=True, ondelete="CASCADE")
    product_id: Mapped[int] = fields.Many2one("product.product", _l("Product"), required=True,
                                              ondelete="RESTRICT")
    name: Mapped[Optional[str]] = fields.Char(_l("Description"))
    product_qty: Mapped[Decimal] = fields.Decimal(_l("Quantity"), digits=(16, 3),
                                                  default=Decimal(1))
    product_uom_id: Mapped[Optional[int]] = fields.Many2one("uom.uom", _l("Unit"),
                                                            ondelete="RESTRICT")
    date_required: Mapped[Optional[dt.date]] = fields.Date(_l("Needed by"))
    reason: Mapped[Optional[str]] = fields.Char(_l("Reason"))
    estimated_cost: Mapped[Optional[Decimal]] = fields.Monetary(_l("Estimated cost"))
    qty_ordered: Mapped[Decimal] = fields.Decimal(_l("Ordered"), digits=(16, 3),
                                                  readonly=True, default=Decimal(0))
    request_state: Mapped[Optional[str]] = fields.Selection(
        REQUEST_STATES, _l("Request status"), readonly=True, index=True)
    requested_by: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Requested by"),
                                                          readonly=True)

    @property
    def display_name(self) -> str:
        return f"{self.request.name} / {self.product.name}" if self.request_id else \
            super().display_name

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            refuse_computed(cls, vals, ("qty_ordered", "request_state", "requested_by"))
        records = super().create(env, vals_list)
        for record in records:
            record._check_editable()
            record._fill()
        return records

    def write(self, vals: dict[str, Any]) -> None:
        vals = changed_values(self, vals)
        if not vals:
            return
        refuse_computed(type(self), vals, ("qty_ordered", "request_state", "requested_by"))
        self._check_editable()
        super().write(vals)
        self._fill()

    def unlink(self) -> None:
        self._check_editable()
        super().unlink()

    def _check_editable(self) -> None:
        self.env.session.flush()
        self.env.session.expire(self, ["request"])
        if self.request.state != "draft":
            raise ValidationError(_("The lines of %(name)s cannot change: it is no longer a "
                                    "draft.", name=self.request.display_name))

    def _fill(self) -> None:
        product = self.product
        if Decimal(self.product_qty or 0) <= 0:
            raise ValidationError(_("The quantity of %(line)s must be positive.",
                                    line=product.display_name), field="product_qty")
        if not product.purchase_ok:
            raise ValidationError(_("The product %(product)s cannot be purchased.",
                                    product=product.display_name), field="product_id")
        self.product_uom_id = self.product_uom_id or product.uom_id
        self.name = self.name or product.display_name
        self.request_state = self.request.state
        self.requested_by = self.request.requested_by


def sync_request_lines(env: Any, request_ids: list[int]) -> None:
    """Copy the requests' state and requester to their lines (rules and lists filter on them)."""
    req, line = env.registry["purchase.request"], env.registry["purchase.request.line"]
    for request in env.session.scalars(select(req).where(req.id.in_(request_ids))):
        for record in env.session.scalars(select(line).where(line.request_id == request.id)):
            record.request_state, record.requested_by = request.state, request.requested_by


REQUEST_MODELS = [PurchaseRequest, PurchaseRequestLine]
