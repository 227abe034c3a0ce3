"""What the glue adds: tolerances on the company, the order line behind bill lines, the order
behind bills, the matching state of a bill, and the order-side actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import fields, public
from core.errors import AccessError, UserError
from core.i18n import _, _l
from core.models import utcnow

MATCH_STATES = [("none", _l("Not from a purchase")), ("matched", _l("Matched")),
                ("mismatch", _l("Mismatch")), ("accepted", _l("Mismatch accepted"))]
MANAGER = "purchase.group_manager"


class CompanyTolerance:
    _inherit = "res.company"

    purchase_qty_tolerance: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Billed quantity tolerance (%)"), digits=(5, 2), default=Decimal(0),
        help=_l("How far a vendor bill may exceed the received quantity before it is held."))
    purchase_price_tolerance: Mapped[Optional[Decimal]] = fields.Decimal(
        _l("Billed price tolerance (%)"), digits=(5, 2), default=Decimal(2),
        help=_l("How far a billed unit price may differ from the order's before the bill is "
                "held."))


class BillLinePurchase:
    _inherit = "account.move.line"

    purchase_line_id: Mapped[Optional[int]] = fields.Many2one(
        "purchase.order.line", _l("Purchase order line"), ondelete="SET NULL", index=True)


class BillPurchase:
    _inherit = "account.move"

    purchase_id: Mapped[Optional[int]] = fields.Many2one("purchase.order", _l("Purchase order"),
                                                         readonly=True, index=True)
    match_state: Mapped[Optional[str]] = fields.Selection(
        MATCH_STATES, _l("Three-way match"), readonly=True, default="none", index=True)
    match_note: Mapped[Optional[str]] = fields.Text(_l("Matching differences"), readonly=True)
    match_accept_reason: Mapped[Optional[str]] = fields.Text(
        _l("Why the differences are accepted"),
        help=_l("A purchase manager fills it in and accepts the differences."))
    match_accepted_total: Mapped[Optional[Decimal]] = fields.Monetary(
        _l("Accepted total"), readonly=True)
    match_accepted_by: Mapped[Optional[int]] = fields.Many2one("res.users", _l("Accepted by"),
                                                               readonly=True)

    def _check_purchase_match(self) -> list[str]:
        from .matching import mismatches

        problems = mismatches(self.env, self)
        self.match_note = "\n".join(problems) or None
        if not problems:
            self.match_state = "matched" if self.purchase_id else "none"
        elif self.match_state == "accepted" and self.match_accepted_total == self.amount_total:
            return []
        else:
            self.match_state = "mismatch"
        return problems

    @public
    def action_check_match(self) -> str:
        """Compare the bill with its order and receipts and keep the result on the bill."""
        if self.state == "draft":
            self._check_purchase_match()
        return self.match_state

    action_check_match.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    @public
    def action_accept_mismatch(self) -> str:
        """A purchase manager accepts the differences of this draft bill (reason required)."""
        if not self.env.su and not self.env.access.has_group(MANAGER):
            raise AccessError(_("Only a purchase manager accepts matching differences."))
        if self.state != "draft":
            raise UserError(_("Only a draft bill's differences can be accepted."))
        if not (self.match_accept_reason or "").strip():
            raise UserError(_("Give the reason for accepting the differences first."))
        if not self._check_purchase_match():
            return self.match_state
        self.match_state, self.match_accepted_total = "accepted", self.amount_total
        self.match_accepted_by = self.env.uid
        return self.match_state

    action_accept_mismatch.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    @public
    def action_post(self) -> None:
        """Three-way matching first: a mismatch not accepted by a manager blocks posting."""
        if self.move_type in ("in_invoice", "in_refund") and self.state == "draft":
            problems = self._check_purchase_match()
            if problems:
                raise UserError(_("%(bill)s does not match its purchase order: %(problems)s "
                                  "A purchase manager must accept the differences before it "
                                  "is posted.", bill=self.ref or self.name or self.id,
                                  problems=" ".join(problems)))
        super().action_post()


class PaymentPurchase:
    _inherit = "account.payment"

    def apply_to(self, invoice_ids: list[int]) -> list[int]:
        """Write-offs change what the orders of the bills have paid."""
        made = super().apply_to(invoice_ids)
        from .bills import refresh_orders_of_moves

        refresh_orders_of_moves(self.env.sudo(), set(invoice_ids))
        return made


class OrderBills:
    _inherit = "purchase.order"

    invoice_ids = fields.One2many("account.move", "purchase_id", _l("Vendor bills"))

    @public
    def action_create_bill(self) -> int:
        """A draft vendor bill for what was received and not billed (ordered and not billed
        when receipts are not tracked); returns its id."""
        from .bills import create_bill

        return create_bill(self.env, self, received=True)

    action_create_bill.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    @public
    def action_create_advance_bill(self) -> int:
        """A draft vendor bill for everything ordered and not billed, goods not yet arrived
        included (booked to 1402 在途物资); returns its id."""
        from .bills import create_bill

        return create_bill(self.env, self, received=False)

    action_create_advance_bill.__kangyi_check__ = "read"  # type: ignore[attr-defined]

    @public
    def action_bill_receipt(self, picking_id: int) -> int:
        """A draft vendor bill for the quantities of one done receipt not billed yet."""
        from .bills import create_bill

        return create_bill(self.env, self, received=True, picking_id=int(picking_id))

    action_bill_receipt.__kangyi_check__ = "read"  # type: ignore[attr-defined]


class Accrual:
    """A month-end 暂估入库 voucher and its reversal on the first day of the next month."""

    _name = "purchase.accrual"
    _description = _l("Goods received not billed (暂估入库)")
    _order = "date desc, id desc"

    date: Mapped[Any] = fields.Date(_l("Month end"), required=True, readonly=True, index=True)
    amount: Mapped[Optional[Decimal]] = fields.Monetary(_l("Amount"), readonly=True)
    move_id: Mapped[Optional[int]] = fields.Many2one("account.move", _l("Accrual voucher"),
                                                     readonly=True)
    reversal_id: Mapped[Optional[int]] = fields.Many2one("account.move", _l("Reversal voucher"),
                                                         readonly=True)
    booked_at: Mapped[Optional[Any]] = fields.Datetime(_l("Booked on"), readonly=True,
                                                       default=lambda env: utcnow())

    @classmethod
    def create(cls, env: Any, vals_list: list[dict[str, Any]]) -> list[Any]:
        if not env.su:
            raise UserError(_("暂估 vouchers are booked by the month-end action."))
        return super().create(env, vals_list)


class PeriodAccrual:
    _inherit = "account.period"

    @public
    def action_book_purchase_accruals(self) -> int | None:
        """Book 暂估入库 of goods received and not billed at the end of this period, reversed
        on the first day of the next one; returns the accrual id (None: nothing to book)."""
        from .accruals import book_accruals

        self.env["account.move"]._check_ids([], "create")
        return book_accruals(self.env, self.date_to)

    action_book_purchase_accruals.__kangyi_check__ = "read"  # type: ignore[attr-defined]


MODELS = [CompanyTolerance, BillLinePurchase, BillPurchase, PaymentPurchase, OrderBills, Accrual,
          PeriodAccrual]
