"""The glue's registrations and its answers to the purchase hooks."""

from __future__ import annotations

from typing import Any

from core.i18n import _l
from core.menus import MenuItem
from core.plugins import hookimpl
from core.security import FULL, Access, Rule, grant
from core.views import Button, Field, FormView, ListView, Related, ViewExtension

from . import flows
from .models import MODELS

KEEPER, INSPECTOR = "stock.group_keeper", "stock.group_inspector"
INSPECTIONS = ("purchase.inspection", "purchase.inspection.line")


@hookimpl
def register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def register_access() -> list[Access]:
    """Keepers and inspectors read the orders behind receipts; inspectors inspect; buyers read
    receipts and inspections."""
    orders = ("purchase.order", "purchase.order.line")
    return [*grant("purchase_stock", orders, KEEPER), *grant("purchase_stock", orders, INSPECTOR),
            *grant("purchase_stock", INSPECTIONS, INSPECTOR, **FULL),
            *grant("purchase_stock", INSPECTIONS, KEEPER),
            *grant("purchase_stock", INSPECTIONS, "purchase.group_user"),
            *grant("purchase_stock", ("stock.picking", "stock.move"), "purchase.group_user")]


@hookimpl
def register_rules() -> list[Rule]:
    """A buyer sees the inspections of the orders they handle (as the orders themselves);
    purchase managers all of them. Keepers and inspectors are not restricted here."""
    own = "['|', ('purchase_id.user_id', '=', user.id), ('purchase_id.create_uid', '=', user.id)]"
    return [Rule("purchase_stock.rule_inspection_own", _l("Buyers: inspections of own orders"),
                 "purchase.inspection", own, groups=("purchase.group_user",)),
            Rule("purchase_stock.rule_inspection_all", _l("Purchase managers: all inspections"),
                 "purchase.inspection", "[(1, '=', 1)]", groups=("purchase.group_manager",))]


@hookimpl
def register_menus() -> list[MenuItem]:
    return [MenuItem("purchase_stock.menu_inspections", _l("Incoming inspections"),
                     parent="stock.menu_root", sequence=25, model="purchase.inspection",
                     groups=(INSPECTOR, KEEPER))]


@hookimpl
def register_views() -> list[object]:
    return [
        ViewExtension("stock.picking", "form", add=("purchase_id", "is_purchase_return"),
                      after="origin", related=(Related("purchase_id"),)),
        ViewExtension("stock.picking", "list", search=("purchase_id",)),
        ViewExtension("purchase.order", "form", add=(Field(
            "picking_ids", readonly=True, columns=("name", "scheduled_date", "date_done",
                                                   "is_purchase_return", "state")),),
                      after="amount_total",
                      buttons=(Button("action_create_receipt", _l("Receive the rest"),
                                      groups=("purchase.group_user",)),),
                      related=(Related("picking_ids"),)),
        ViewExtension("stock.warehouse.orderpoint", "form", buttons=(
            Button("action_request_purchase", _l("Request purchases below minimum"),
                   groups=("stock.group_manager",)),)),
        ListView("purchase.inspection", ("name", "picking_id", "purchase_id", "partner_id",
                                         "inspector_id", "state"),
                 search=("name", "purchase_id", "partner_id"), group_by=("state",)),
        FormView("purchase.inspection", (
            "name", "picking_id", "purchase_id", "partner_id",
            Field("line_ids", columns=("product_id", "qty_received", "qty_accepted",
                                       "qty_rejected", "reject_reason")),
            "return_picking_id", "inspector_id", "state")),
    ]


def replenish(env: Any) -> None:
    """The scheduled replenishment: purchase requests for the reorder rules below minimum."""
    env["stock.warehouse.orderpoint"].create_purchase_requests()


@hookimpl
def stock_replenish(env: Any, orderpoint: dict[str, Any]) -> bool:
    """Stock's replenishment job asks for a rule below its minimum: a purchase request for the
    rules of its warehouse (the first rule of a warehouse makes it; products already on an open
    request are left out), instead of stock's to-do for its managers."""
    env["stock.warehouse.orderpoint"].create_purchase_requests(orderpoint["warehouse_id"][0])
    return True


@hookimpl
def register_jobs() -> list:
    from core.jobs import CronJob

    # 06:00 China time, before the buyers start (the scheduler's expressions are in UTC)
    return [CronJob("purchase_stock.job_replenish",
                    _l("Purchase: request purchases for reorder rules below minimum"),
                    replenish, cron="0 22 * * *")]


@hookimpl
def purchase_order_approved(env: Any, order: Any) -> None:
    flows.sync_receipt(env, order)


@hookimpl
def purchase_order_amended(env: Any, order: Any) -> None:
    flows.cancel_open_receipts(env, order)


@hookimpl
def purchase_order_cancelled(env: Any, order: Any) -> None:
    flows.cancel_open_receipts(env, order)
