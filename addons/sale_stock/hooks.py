"""The glue's registrations and its answers to the sales and stock hooks."""

from __future__ import annotations

from typing import Any

from core.plugins import hookimpl
from core.security import Access, grant
from core.views import Related, ViewExtension

from . import flows
from .models import MODELS


@hookimpl
def register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def register_access() -> list[Access]:
    """Keepers and inspectors read the delivery notices and orders behind their transfers."""
    models = ("sale.delivery.notice", "sale.delivery.notice.line", "sale.order")
    return [right for group in ("stock.group_keeper", "stock.group_inspector")
            for right in grant("sale_stock", models, group)]


@hookimpl
def register_views() -> list[object]:
    return [
        ViewExtension("stock.picking", "form",
                      add=("sale_id", "delivery_notice_id", "invoice_notice_id"),
                      after="origin",
                      related=(Related("sale_id"), Related("delivery_notice_id"))),
        ViewExtension("sale.order", "form",
                      related=(Related("sale_id", model="stock.picking"),)),
        ViewExtension("sale.delivery.notice", "form",
                      related=(Related("delivery_notice_id", model="stock.picking"),)),
        ViewExtension("stock.picking", "list", search=("sale_id",)),
    ]


@hookimpl
def delivery_notice_approved(env: Any, notice_id: int) -> str | None:
    return flows.create_transfer(env, notice_id)


@hookimpl
def stock_picking_origin_approved(env: Any, picking: Any) -> bool | None:
    return flows.origin_approved(env, picking)


@hookimpl
def stock_picking_done(env: Any, picking: Any) -> None:
    if picking.delivery_notice_id:
        flows.ship_notice_when_complete(env.sudo(), picking.delivery_notice_id)


@hookimpl
def invoicing_notice_invoiced(env: Any, notice_id: int) -> None:
    flows.consume_invoiced(env, notice_id)
