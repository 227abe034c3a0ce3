"""A delivery done plans the CRM's "after delivery" return visits; the 360° page lists the
customer's deliveries.

A delivery is a done transfer taking goods out of the company's stock (an internal source) to
a customer or to the customer's transit location (发出商品, SA-003's shipment): the moment the
goods leave. Moving invoiced goods on from transit to the customer is bookkeeping, not a
second delivery, so it plans nothing.
"""

from __future__ import annotations

from typing import Any

from addons.crm.models.visit import plan_from_rules
from core.i18n import _
from core.plugins import hookimpl

#: where a delivery's goods go
DESTINATIONS = ("customer", "transit")


def customer_of(env: Any, partner_id: int) -> int:
    """The company of a contact person, else the partner itself (visits go to the customer)."""
    partner = env.session.get(env.registry["res.partner"], partner_id)
    return partner.parent_id or partner.id


def is_delivery(picking: Any) -> bool:
    """Did this done transfer take goods from the company's stock to a customer?"""
    return bool(picking.partner_id and picking.location_id and picking.location_dest_id
                and picking.location.usage == "internal"
                and picking.location_dest.usage in DESTINATIONS)


@hookimpl
def stock_picking_done(env: Any, picking: Any) -> None:
    if not is_delivery(picking):
        return
    plan_from_rules(env, "delivery", customer_of(env, picking.partner_id),
                    picking.date_done.date(), reference=picking.name or "")


@hookimpl
def crm_partner_sections(env: Any, partner_id: int) -> list[dict[str, Any]] | None:
    """The customer's deliveries (the user's stock access and warehouse rules apply)."""
    if not env.access.allowed("stock.picking", "read"):
        return None
    fields = ["name", "origin", "scheduled_date", "date_done", "location_dest_id", "state"]
    records = env["stock.picking"].search_read(
        [("partner_id", "child_of", partner_id), ("location_id.usage", "=", "internal"),
         ("location_dest_id.usage", "in", list(DESTINATIONS))], fields, limit=20)
    return [{"key": "deliveries", "title": _("Deliveries"), "model": "stock.picking",
             "fields": fields, "records": records, "link": None}]
