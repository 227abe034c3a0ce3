"""Payment collection (回款), SA-003 step 7 on the sales side.

A collection records money received from a customer: method, date, amount, handler (经手人), bank
account, reference; it is allocated to the customer's approved orders (by hand, or oldest first
with ``action_auto_allocate``). Confirming it (``post``) updates the orders' collected amounts;
with the accounting addon, its glue answers ``collection_recorded`` with the receipt it made and
writes off (核销) the invoices.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped

from addons.product.amounts import money
from core import fields, public
from core.children import children
from core.errors import UserError, ValidationError
from core.i18n import _, _l
from core.workflow import Transition, Workflow

from .common import changed_values, next_number, refuse_computed, require_state, today
from .order import ASSISTANT, MANAGER

STATES = [("draft", _l("Draft")), ("posted", _l("Confirmed")), ("cancel", _l("Cancelled"))]
METHODS = [("bank", _l("Bank transfer (银行转账)")), ("cash", _l("Cash (现金)")),
           ("acceptance", _l("Bank acceptance bill (承兑汇票)")), ("cheque", _l("Cheque (支票)")),
           ("online", _l("Online payment (网上支付)")), ("other", _l("Other"))]

COLLECTION_WORKFLOW = Workflow(transitions=(
    Transition("post", "draft", "posted", _l("Confirm"), groups=(ASSISTANT,)),
    Transition("cancel", ("draft", "posted"), "cancel", _l("Cancel"), groups=(MANAGER,)),
))
COMPUTED = ("amount_allocated", "amount_unallocated", "receipt_ref")


class Collection:
    _name = "sale.collection"
    #: the users owning a document, for the data scopes of posts (hr)
    _scope_fields = ("handler_id", "create_uid")
    _description = _l("Payment collection")
    _order = "date desc, id desc"
    _workflow = COLLECTION_WORKFLOW

    name: Mapped[Optional[str]] = fields.Char(_l("Number"), size=64, index=True, readonly=True)
    partner_id: Mapped[int] = fields.Many2one("res.partner", _l("Customer"), required=True,
                                              ondelete="RESTRICT")
    date: Mapped[dt.date] = fields.Date(_l("Date received"), required=True, index=True,
                                        default=lambda env: today())
    amount: Mapped[Decimal] = fields.Monetary(_l("Amount"), required=True)
    payment_method: Mapped[str] = fields.Selection(METHODS, _l("Payment method"),
                                                   required=True, default="bank")
    handler_id: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Handled by"),
                                                        default=lambda env: env.uid)
    bank_account: Mapped[Optional[str]] = fields.Char(_l("Bank account"), size=64)
    reference: Mapped[Optional[str]] = fields.Char(_l("Reference"), size=128,
                                                   help=_l("Bank slip or transaction number."))
    note: Mapped[Optional[str]] = fields.Text(_l("Notes"))
    state: Mapped[str] = fields.Selection(STATES, _l("Status"), default="draft", index=True,
                                          readonly=True)
    allocation_ids = fields.One2many("sale.collection.allocation", "collection_id",
                                     _l("Allocations"))
    amount_allocated: Mapped[Decimal] = fields.Monetary(_l("Allocated"), readonly=True,
                                                        default=Decimal("0"))
    amount_unallocated: Mapped[Decimal] = fields.Monetary(_l("Not allocated"), readonly=True,
                                                          default=Decimal("0"))
    receipt_ref: Mapped[Optional[str]] = fields.Reference(string=_l("Accounting receipt"),
                                                          readonly=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            refuse_computed(cls, vals, COMPUTED)
            vals["name"] = vals.get("name") or next_number(env, "sale.collection")
        return super().create(env, vals_list)

    @classmethod
    def prepare_new(cls, env: Any, records: list[Any]) -> None:
        """New: nothing allocated yet (in the INSERT, not an UPDATE after it)."""
        super().prepare_new(env, records)
        for record in records:
            record.recompute_allocated(Decimal(0))

    def write(self, vals: dict[str, Any]) -> None:
        vals = changed_values(self, vals)
        if not vals:
            return
        refuse_computed(type(self), vals, COMPUTED)
        if set(vals) - {"state", "note"} and self.state != "draft":
            raise ValidationError(_("%(name)s is confirmed and cannot change.",
                              name=self.display_name))
        super().write(vals)
        if "amount" in vals:  # allocations change through their own model, which recomputes
            self.recompute_allocated()

    def unlink(self) -> None:
        if self.state != "draft":
            raise UserError(_("Only draft collections can be deleted; cancel %(name)s instead.",
                              name=self.display_name))
        super().unlink()

    def _allocations(self) -> list[Any]:
        """This collection's allocations (read once per transaction: ``core.children``)."""
        return children(self.env, "sale.collection.allocation", "collection_id", self.id)

    def _allocated(self, order_id: int | None = None) -> Decimal:
        """The sum of this collection's allocations (to ``order_id`` only, if given)."""
        return sum((Decimal(a.amount or 0) for a in self._allocations()
                    if order_id is None or a.order_id == order_id), Decimal(0))

    def recompute_allocated(self, total: Decimal | None = None) -> None:
        """Allocated and unallocated amounts (``total``: the allocated sum, when known)."""
        if total is None:
            total = self._allocated()
        self.amount_allocated = money(total)
        self.amount_unallocated = money(Decimal(self.amount or 0) - self.amount_allocated)

    def check_allocations(self) -> None:
        """Amount positive; allocations within the amount, on the customer's approved orders,
        and no more than what each order still has to collect."""
        if Decimal(self.amount or 0) <= 0:
            raise ValidationError(_("The amount of %(name)s must be positive.",
                                    name=self.display_name))
        self.recompute_allocated()
        if self.amount_unallocated < 0:
            raise ValidationError(_("%(name)s allocates %(allocated)s, more than its amount "
                                    "%(amount)s.", name=self.display_name,
                                    allocated=self.amount_allocated, amount=self.amount))
        order_cls = self.env.registry["sale.order"]
        for order_id in sorted({a.order_id for a in self._allocations()}):
            order = self.env.session.get(order_cls, order_id)
            if order.partner_id != self.partner_id:
                raise ValidationError(_("%(order)s belongs to another customer.",
                                        order=order.display_name))
            require_state(order, ("sale", "done"), _("Collecting"))
            open_amount = Decimal(order.amount_total) - collected_on(self.env, order.id,
                                                                     exclude=self.id)
            if self._allocated(order_id) > open_amount:
                raise ValidationError(_("%(order)s has only %(open)s left to collect.",
                                        order=order.display_name, open=money(open_amount)))

    @public
    def action_auto_allocate(self) -> Decimal:
        """Allocate what is not allocated to the customer's open orders, oldest due first.
        Returns the amount still unallocated."""
        require_state(self, ("draft",), _("Allocating"))
        self.recompute_allocated()
        left = self.amount_unallocated
        order_cls = self.env.registry["sale.order"]
        orders = self.env.session.scalars(select(order_cls).where(
            order_cls.partner_id == self.partner_id, order_cls.state.in_(("sale", "done")))
            .order_by(order_cls.payment_due_date.is_(None), order_cls.payment_due_date,
                      order_cls.date_order, order_cls.id))
        allocations = self.env["sale.collection.allocation"]
        for order in orders:
            if left <= 0:
                break
            pending = self._pending_on(order.id)
            open_amount = Decimal(order.amount_total) - collected_on(self.env, order.id) - pending
            share = min(left, open_amount)
            if share > 0:
                allocations.create({"collection_id": self.id, "order_id": order.id,
                                    "amount": share})
                left -= share  # each allocation made recomputed the collection's amounts
        return self.amount_unallocated

    action_auto_allocate.__kangyi_check__ = "write"  # type: ignore[attr-defined]

    def _add_recorded_allocation(self, order_id: int, amount: Decimal) -> None:
        """Allocate ``amount`` of this confirmed collection to ``order_id`` because accounting
        wrote the receipt off against that order's invoice (called by the accounting glue)."""
        require_state(self, ("posted",), _("Allocating"))
        self._recording = True
        try:
            self.env.sudo()["sale.collection.allocation"].create({
                "collection_id": self.id, "order_id": order_id, "amount": amount})
        finally:
            self._recording = False
        self.check_allocations()
        from .progress import refresh_orders

        refresh_orders(self.env, [order_id])

    def _pending_on(self, order_id: int) -> Decimal:
        return self._allocated(order_id)


def collected_on(env: Any, order_id: int, exclude: int | None = None) -> Decimal:
    """What posted collections (but ``exclude``) allocated to the order."""
    alloc, coll = env.registry["sale.collection.allocation"], env.registry["sale.collection"]
    total = env.session.scalar(select(func.sum(alloc.amount)).join(
        coll, coll.id == alloc.collection_id).where(alloc.order_id == order_id,
                                                    coll.state == "posted",
                                                    coll.id != (exclude or 0)))
    return Decimal(str(total or 0))


class CollectionAllocation:
    _name = "sale.collection.allocation"
    _rules_from = "collection_id"
    _description = _l("Collection allocation")
    _order = "collection_id, id"
    _rec_name = "order_id"

    collection_id: Mapped[int] = fields.Many2one("sale.collection", _l("Collection"),
                                                 required=True, ondelete="CASCADE")
    order_id: Mapped[int] = fields.Many2one("sale.order", _l("Sales order"), required=True,
                                            ondelete="RESTRICT")
    amount: Mapped[Decimal] = fields.Monetary(_l("Amount"), required=True)

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        for vals in vals_list:
            _check_draft(env, vals.get("collection_id"))
        records = super().create(env, vals_list)
        _after_change(env, records)
        return records

    def write(self, vals: dict[str, Any]) -> None:
        vals = changed_values(self, vals)
        if not vals:
            return
        _check_draft(self.env, self.collection_id)
        if "collection_id" in vals and vals["collection_id"] != self.collection_id:
            raise UserError(_("An allocation cannot move to another collection."))
        super().write(vals)
        _after_change(self.env, [self])

    def unlink(self) -> None:
        _check_draft(self.env, self.collection_id)
        collection = self.collection
        super().unlink()
        collection.recompute_allocated()

    def check_constraints(self, field_names: set[str] | None = None) -> None:
        super().check_constraints(field_names)
        if Decimal(self.amount or 0) <= 0:
            raise ValidationError(_("Allocated amounts must be positive."))


def _check_draft(env: Any, collection_id: int | None) -> None:
    record = env.session.get(env.registry["sale.collection"], collection_id) if (
        collection_id) else None
    if record is not None and record.state != "draft" and not getattr(record, "_recording",
                                                                       False):
        raise ValidationError(_("The allocations of %(name)s cannot change: it is confirmed.",
                          name=record.display_name))


def _after_change(env: Any, allocations: list[Any]) -> None:
    env.session.flush()
    coll = env.registry["sale.collection"]
    for collection_id in sorted({a.collection_id for a in allocations}):
        env.session.get(coll, collection_id).recompute_allocated()


COLLECTION_MODELS = [Collection, CollectionAllocation]
