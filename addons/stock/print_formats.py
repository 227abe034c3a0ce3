"""Print format of stock: the transfer slip (调拨单)."""

from __future__ import annotations

from core.i18n import _l
from core.reports import Report, Table

REPORTS = [
    Report("stock.report_picking", "stock.report_picking", _l("Transfer slip"), "stock.picking",
           header=("origin", "partner_id", "picking_type_id", "location_id", "location_dest_id",
                   "scheduled_date", "date_done", "first_approval_uid", "second_approval_uid"),
           tables=(Table("move_ids", ("product_id", "product_uom_qty", "quantity",
                                      "product_uom"), sums=("product_uom_qty", "quantity")),),
           notes="note", signatures=(_l("Warehouse keeper"), _l("Inspector"),
                                     _l("Received by"))),
]
