"""Invoicing notices (开票通知单), SA-003 step 4.

At settlement the sales assistant prepares a notice from the delivered quantities not yet on a
notice, reviews it (复核) and sends it to finance. With the accounting addon, its glue answers the
``invoicing_notice_sent`` hook with the customer invoice it made and marks the notice invoiced when
the invoice is posted; without it, the invoice number is recorded on the notice by hand.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from addons.product.taxed import TaxedDocument, TaxedLine
from core import constrains, fields, public
from core.errors import UserError, ValidationError
from core.i18n import _, _l
from core.references import display_name
from core.workflow import Transition, Workflow

from .common import (
    changed_values,
    check_notice_is_draft,
    check_notice_quantities,
    next_number,
    refuse_computed,
    remaining_on_notices,
    require_state,
    today,
)
from .order import ASSISTANT

NOTICE_STATES = [("draft", _l("Draft")), ("reviewed", _l("Reviewed")),
                 ("sent", _l("Sent to finance")), ("invoiced", _l("Invoiced")),
                 ("cancel", _l("Cancelled"))]
INVOICE_TYPES = [("special", _l("VAT special invoice (增值税专用发票)")),
                 ("normal", _l("VAT ordinary invoice (增值税普通发票)"))]



def _invoiced_by_hand(notice: Any) -> bool:
    """The invoice is recorded by hand only when accounting does not own it."""
    return not notice.invoice_ref or getattr(notice, "_by_accounting", False)


NOTICE_WORKFLOW = Workflow(transitions=(
    Transition("review", "draft", "reviewed", _l("Review (复核)"), groups=(ASSISTANT,)),
    Transition("send", "reviewed", "sent", _l("Send to finance"), groups=(ASSISTANT,)),
    Transition("invoice", "sent", "invoiced", _l("Record the invoice"), groups=(ASSISTANT,),
               condition=_invoiced_by_hand),
    Transition("cancel", ("draft", "reviewed", "sent"), "cancel", _l("Cancel"),
               groups=(ASSISTANT,)),
))
COMPUTED = ("date_due", "invoice_ref")
#: what may still be written once the notice left the draft state (the invoice finance issued)
INVOICE_FIELDS = ("invoice_number", "invoice_date")


class InvoiceNotice(TaxedDocument):
    _name = "sale.invoice.notice"
    #: the users owning a document, for the data scopes of posts (hr)
    _scope_fields = ("order_id.user_id", "user_id")
    _description = _l("Invoicing notice")
    _order = "id desc"
    _workflow = NOTICE_WORKFLOW
    _lines_field = "line_ids"

    name: Mapped[Optional[str]] = fields.Char(_l("Number"), size=64, index=True, readonly=True)
    order_id: Mapped[int] = fields.Many2one("sale.order", _l("Sales order"), required=True,
                                            ondelete="RESTRICT")
    partner_id: Mapped[Optional[int]] = fields.Many2one(
        "res.partner", _l("Customer"), related="order_id.partner_id", store=True)
    user_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Sales assistant"),
                                                     default=lambda env: env.uid)
    date: Mapped[Optional[dt.date]] = fields.Date(_l("Request date"),
                                                  default=lambda env: today())
    invoice_type: Mapped[str] = fields.Selection(INVOICE_TYPES, _l("Invoice type"),
                                                 default="special", required=True)
    partner_vat: Mapped[Optional[str]] = fields.Char(_l("Customer tax ID"), size=32)
    note: Mapped[Optional[str]] = fields.Text(_l("Notes"))
    state: Mapped[str] = fields.Selection(NOTICE_STATES, _l("Status"), default="draft",
                                          readonly=True, index=True)
    line_ids = fields.One2many("sale.invoice.notice.line", "notice_id", _l("Lines"))
    invoice_number: Mapped[Optional[str]] = fields.Char(
        _l("Invoice number"), size=64, index=True,
        help=_l("The number of the invoice finance issued (发票号码)."))
    invoice_date: Mapped[Optional[dt.date]] = fields.Date(_l("Invoice date"))
    date_due: Mapped[Optional[dt.date]] = fields.Date(_l("Payment due"), readonly=True,
                                                      index=True)
    invoice_ref: Mapped[Optional[str]] = fields.Reference(
        string=_l("Accounting invoice"), readonly=True,
        help=_l("The customer invoice made from this notice, when accounting is installed."))

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        order_cls, partner_cls = env.registry["sale.order"], env.registry["res.partner"]
        for vals in vals_list:
            refuse_computed(cls, vals, COMPUTED)
            order = env.session.get(order_cls, vals.get("order_id"))
            if order is not None:
                require_state(order, ("sale", "done"), _("Invoicing"))
                if not vals.get("partner_vat"):
                    vals["partner_vat"] = env.session.get(partner_cls, order.partner_id).vat
            vals["name"] = vals.get("name") or next_number(env, "sale.invoice.notice")
        return super().create(env, vals_list)

    def write(self, vals: dict[str, Any]) -> None:
        vals = changed_values(self, vals)
        if not vals:
            return
        refuse_computed(type(self), vals, COMPUTED)
        if self.invoice_ref and set(vals) & set(INVOICE_FIELDS) and not getattr(
                self, "_by_accounting", False):
            raise UserError(_("%(name)s is invoiced by %(ref)s in accounting: its number and "
                              "date come from there.", name=self.display_name,
                              ref=display_name(self.env, self.invoice_ref)))
        allowed = {"state", "note"} | (set(INVOICE_FIELDS) if self.state == "sent" else set())
        if set(vals) - allowed and self.state != "draft":
            raise ValidationError(_("%(name)s is no longer a draft and cannot change.",
                              name=self.display_name))
        if "order_id" in vals and vals["order_id"] != self.order_id:
            raise UserError(_("A notice cannot move to another order."))
        super().write(vals)

    def unlink(self) -> None:
        if self.state != "draft":
            raise UserError(_("Only draft notices can be deleted; cancel %(name)s instead.",
                              name=self.display_name))
        super().unlink()

    @public
    def action_invoice(self, invoice_number: str = "", invoice_date: Any = None) -> str:
        """Record the invoice finance issued (by hand, when accounting is not installed)."""
        if self.invoice_ref:
            raise UserError(_("%(name)s is invoiced by %(ref)s in accounting.",
                              name=self.display_name, ref=display_name(self.env, self.invoice_ref)))
        return self._mark_invoiced(invoice_number, invoice_date, None, acting=self.env)

    action_invoice.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    def _mark_invoiced(self, invoice_number: str, invoice_date: Any = None,
                       reference: str | None = None, acting: Any = None) -> str:
        """Store the invoice's number and date and move to ``invoiced``; the accounting glue
        calls this (in Python) when it posts the invoice."""
        from core.workflow_engine import take_transition

        require_state(self, ("sent",), _("Recording the invoice"))
        number = (invoice_number or "").strip() or self.invoice_number
        try:
            day = dt.date.fromisoformat(str(invoice_date)[:10]) if invoice_date else (
                self.invoice_date or today())
        except ValueError as exc:
            raise ValidationError(_("%(value)r is not a date.", value=invoice_date)) from exc
        self._by_accounting = acting is None  # the glue, not the by-hand action
        try:
            self.invoice_number, self.invoice_date = (number or "")[:64] or None, day
            if reference:
                self.invoice_ref = reference
            env = acting if acting is not None else self.env.sudo()
            return take_transition(env, self._name, self.id, "invoice")
        finally:
            self._by_accounting = False


class InvoiceNoticeLine(TaxedLine):
    _name = "sale.invoice.notice.line"
    _rules_from = "notice_id"
    _description = _l("Invoicing notice line")
    _order = "notice_id, id"
    _quantity_field = "quantity"

    notice_id: Mapped[int] = fields.Many2one("sale.invoice.notice", _l("Invoicing notice"),
                                             required=True, ondelete="CASCADE")
    order_line_id: Mapped[int] = fields.Many2one("sale.order.line", _l("Order line"),
                                                 required=True, ondelete="RESTRICT")
    product_id: Mapped[Optional[int]] = fields.Many2one("product.product", _l("Product"),
                                                        readonly=True)
    name: Mapped[Optional[str]] = fields.Text(_l("Description"), readonly=True)
    product_uom: Mapped[Optional[int]] = fields.Many2one("uom.uom", _l("Unit"), readonly=True)
    quantity: Mapped[Decimal] = fields.Decimal(_l("Quantity"), digits=(16, 3), required=True)
    price_unit: Mapped[Optional[Decimal]] = fields.Monetary(_l("Unit price"), digits=(16, 4),
                                                            readonly=True)
    discount: Mapped[Optional[Decimal]] = fields.Decimal(_l("Discount (%)"), digits=(5, 2),
                                                         readonly=True)
    vat_rate: Mapped[Optional[Decimal]] = fields.Decimal(_l("VAT rate (%)"), digits=(5, 2),
                                                         readonly=True)

    COPIED = ("product_id", "name", "product_uom", "price_unit", "discount", "vat_rate")

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        line_cls = env.registry["sale.order.line"]
        for vals in vals_list:
            refuse_computed(cls, vals, cls.COPIED)
            check_notice_is_draft(env, "sale.invoice.notice", vals.get("notice_id"))
            order_line = env.session.get(line_cls, vals.get("order_line_id"))
            if order_line is not None:
                vals.update({name: getattr(order_line, name) for name in cls.COPIED})
        records = super().create(env, vals_list)
        _after_change(env, records)
        return records

    def write(self, vals: dict[str, Any]) -> None:
        vals = changed_values(self, vals)
        if not vals:
            return
        refuse_computed(type(self), vals, self.COPIED + ("order_line_id", "notice_id"))
        check_notice_is_draft(self.env, "sale.invoice.notice", self.notice_id)
        super().write(vals)
        _after_change(self.env, [self])

    def unlink(self) -> None:
        check_notice_is_draft(self.env, "sale.invoice.notice", self.notice_id)
        from .progress import refresh_orders

        order_id = self.notice.order_id
        super().unlink()
        self.env.session.flush()
        refresh_orders(self.env, [order_id])

    @classmethod
    @constrains("quantity", "order_line_id", batch=True)
    def _check_quantity(cls, lines: list[Any]) -> None:
        """Positive, on the notice's order, and within what was delivered and not yet put on
        another invoicing notice."""
        check_notice_quantities(
            lines, "quantity", lambda ol: ol.qty_delivered,
            _("Quantities on an invoicing notice must be positive."),
            lambda **values: _("%(product)s: %(qty)s is more than the %(left)s delivered and "
                               "not yet invoiced.", **values))


def _after_change(env: Any, lines: list[Any]) -> None:
    """The orders' invoiced quantities follow their notices' lines."""
    env.session.flush()
    from .progress import refresh_orders

    notice_cls = env.registry["sale.invoice.notice"]
    notices = [env.session.get(notice_cls, notice_id)
               for notice_id in sorted({line.notice_id for line in lines})]
    refresh_orders(env, [notice.order_id for notice in notices])


def remaining_to_invoice_of(env: Any, order_lines: list[Any], exclude_line: int | None = None
                            ) -> dict[int, Decimal]:
    """Per order line id: the delivered quantity less what non-cancelled invoicing notices
    already carry, in one query."""
    return remaining_on_notices(env, "sale.invoice.notice.line", "quantity", order_lines,
                                lambda ol: ol.qty_delivered, exclude_line)


def create_notice_from_order(env: Any, order: Any) -> int:
    """A draft invoicing notice for every line's delivered quantity not yet on a notice."""
    require_state(order, ("sale", "done"), _("Invoicing"))
    order_lines = env.sudo()["sale.order.line"]
    found = order_lines.browse_unchecked(order_lines.search([("order_id", "=", order.id)]))
    left = remaining_to_invoice_of(env, found) if found else {}
    lines = [(0, 0, {"order_line_id": ol.id, "quantity": left[ol.id]})
             for ol in found if left[ol.id] > 0]
    if not lines:
        raise UserError(_("Nothing delivered on %(name)s is left to invoice.",
                          name=order.display_name))
    return env["sale.invoice.notice"].create({"order_id": order.id, "line_ids": lines})


INVOICING_MODELS = [InvoiceNotice, InvoiceNoticeLine]
