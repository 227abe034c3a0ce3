"""Operation types: what kind of transfer a picking is, its default locations, its numbering and
whether it needs the two approvals (一审/二审) and an approved order behind it."""

from __future__ import annotations

from typing import Optional

from sqlalchemy.orm import Mapped

from core import fields
from core.i18n import _l

TYPE_CODES = [
    ("incoming", _l("Receipt")),
    ("outgoing", _l("Delivery")),
    ("internal", _l("Internal transfer")),
]


class PickingType:
    _name = "stock.picking.type"
    _description = _l("Operation type")
    _order = "warehouse_id, sequence, id"

    name: Mapped[str] = fields.Char(_l("Operation type"), required=True, translate=True)
    code: Mapped[str] = fields.Selection(TYPE_CODES, _l("Type of operation"), required=True,
                                         default="internal")
    sequence_code: Mapped[str] = fields.Char(
        _l("Sequence prefix"), size=16, required=True,
        help=_l("Transfers of this type are numbered by the sequence stock.picking.<prefix>."))
    sequence: Mapped[Optional[int]] = fields.Integer(_l("Sequence"), default=10)
    warehouse_id: Mapped[Optional[int]] = fields.Many2one("stock.warehouse", _l("Warehouse"),
                                                          ondelete="CASCADE")
    default_location_src_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.location", _l("Default source location"))
    default_location_dest_id: Mapped[Optional[int]] = fields.Many2one(
        "stock.location", _l("Default destination location"))
    to_customer_transit: Mapped[bool] = fields.Boolean(
        _l("To the customer's transit location"),
        help=_l("The destination is the transit location standing for the transfer's customer "
                "(发出商品), created on demand."))
    two_step_approval: Mapped[bool] = fields.Boolean(
        _l("Two approvals (一审/二审)"),
        help=_l("The warehouse keeper gives the first approval, which reserves the goods and "
                "lets them leave; the shipping inspector gives the second, which completes "
                "the transfer."))
    require_origin: Mapped[bool] = fields.Boolean(
        _l("Needs an approved order"),
        help=_l("Refuse the transfer unless an approved sales order or contract stands "
                "behind it."))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


PICKING_TYPE_MODELS = [PickingType]
