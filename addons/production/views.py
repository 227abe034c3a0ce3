"""Menus and views of the production addon (generic web UI, see ``docs/ui.md``)."""

from __future__ import annotations

from core.i18n import _l
from core.menus import MenuItem
from core.views import Button, Field, Filter, FormView, ListView, Related, ViewExtension

from .security import KEEPER, MANAGER, PLANNER, QUALITY, WORKSHOP

ROOT = "production.menu_root"
POSTS = (PLANNER, WORKSHOP, QUALITY, KEEPER)


def menus() -> list[MenuItem]:
    return [
        MenuItem(ROOT, _l("Manufacturing"), sequence=45, groups=POSTS),
        MenuItem("production.menu_operations", _l("Operations"), ROOT, 10),
        MenuItem("production.menu_productions", _l("Manufacturing orders"),
                 "production.menu_operations", 10, model="mrp.production"),
        MenuItem("production.menu_issues", _l("Material issues"), "production.menu_operations",
                 20, url='/web/stock.picking?domain=[["production_id", "!=", false]]'),
        MenuItem("production.menu_planning", _l("Planning"), ROOT, 20, groups=(PLANNER,)),
        MenuItem("production.menu_runs", _l("Material requirements planning"),
                 "production.menu_planning", 10, model="mrp.run"),
        MenuItem("production.menu_proposals", _l("Proposals"), "production.menu_planning", 20,
                 model="mrp.proposal"),
        MenuItem("production.menu_reporting", _l("Reporting"), ROOT, 25,
                 groups=(PLANNER, WORKSHOP, MANAGER)),
        MenuItem("production.menu_costs", _l("Production cost report"),
                 "production.menu_reporting", 10, url="/web/page/production/costs"),
        MenuItem("production.menu_products", _l("Products"), ROOT, 30),
        MenuItem("production.menu_boms", _l("Bills of materials"), "production.menu_products",
                 10, model="mrp.bom"),
        MenuItem("production.menu_config", _l("Configuration"), ROOT, 90,
                 groups=(PLANNER, MANAGER)),
        MenuItem("production.menu_workcenters", _l("Work centres"), "production.menu_config",
                 10, model="mrp.workcenter"),
    ]


def views() -> list[object]:
    return [
        ListView("mrp.workcenter", ("name", "code", "default_capacity", "costs_hour",
                                    "costs_hour_overhead", "active"), search=("name", "code")),
        FormView("mrp.workcenter", ("name", "code", "default_capacity", "time_efficiency",
                                    "costs_hour", "costs_hour_overhead", "hours_per_day",
                                    "sequence", "active")),
        ListView("mrp.bom", ("code", "product_id", "product_qty", "type", "version",
                             "date_start", "active"),
                 search=("code", "product_id"), group_by=("type", "product_id")),
        FormView("mrp.bom", (
            "code", "product_id", "product_qty", "product_uom_id", "type", "version",
            "date_start", "produce_delay", "standard_cost",
            Field("bom_line_ids", columns=("product_id", "product_qty", "scrap_rate")),
            Field("byproduct_ids", columns=("product_id", "product_qty", "cost_share")),
            Field("operation_ids", columns=("name", "workcenter_id", "time_cycle_manual")),
            "sequence", "active")),
        ListView("mrp.production", ("name", "product_id", "product_qty", "qty_produced",
                                    "origin", "date_planned_start", "cost_total", "state"),
                 search=("name", "product_id", "origin"),
                 filters=(Filter("to_approve", _l("To approve"),
                                 (("state", "=", "to_approve"),)),
                          Filter("open", _l("Open"), (("state", "in", [
                              "confirmed", "progress", "to_inspect"]),)),
                          Filter("to_inspect", _l("To inspect"),
                                 (("state", "=", "to_inspect"),)),
                          Filter("done", _l("Done"), (("state", "=", "done"),))),
                 group_by=("state", "product_id", "warehouse_id")),
        FormView("mrp.production", (
            "name", "product_id", "product_qty", "product_uom_id", "bom_id", "origin",
            "user_id", "date_planned_start", "date_deadline", "picking_type_id",
            Field("state", readonly=True), "qty_producing", "duration", "duration_expected",
            "qty_scrap", "scrap_reason", "qty_produced",
            Field("picking_ids", readonly=True, columns=("name", "state", "date_done")),
            Field("move_raw_ids", readonly=True, columns=(
                "product_id", "product_uom_qty", "location_id", "location_dest_id", "value",
                "state")),
            Field("move_finished_ids", readonly=True, columns=(
                "product_id", "product_uom_qty", "price_unit", "value", "state")),
            "cost_material", "cost_labour", "cost_overhead", "cost_total", "cost_unit",
            "cost_standard", "cost_variance", "backorder_of_id", "date_finished",
            Field("note", widget="textarea")),
            buttons=(Button("action_return_material", _l("Return surplus material (退料)"),
                            (WORKSHOP,), states=("confirmed", "progress"),
                            opens="stock.picking"),),
            related=(Related("picking_ids"),)),
        ListView("mrp.run", ("name", "warehouse_id", "date", "demand_count", "proposal_count",
                             "duration", "state")),
        FormView("mrp.run", (
            "name", "warehouse_id", Field("state", readonly=True), "date", "demand_count",
            "proposal_count", "duration",
            Field("proposal_ids", readonly=True, columns=(
                "kind", "product_id", "product_qty", "date_start", "date_due", "origin",
                "state"))),
            buttons=(Button("action_run", _l("Run planning"), (PLANNER,), primary=True),
                     Button("action_confirm_proposals", _l("Confirm all proposals"),
                            (PLANNER,), states=("done",)))),
        ListView("mrp.proposal", ("kind", "product_id", "product_qty", "level", "date_start",
                                  "date_due", "late", "origin", "production_id", "state"),
                 search=("product_id", "origin"),
                 filters=(Filter("proposed", _l("Proposed"), (("state", "=", "draft"),)),
                          Filter("late", _l("Late"), (("late", "=", True),)),
                          Filter("manufacture", _l("Manufacture"),
                                 (("kind", "=", "manufacture"),)),
                          Filter("purchase", _l("Purchase"), (("kind", "=", "purchase"),))),
                 group_by=("kind", "state", "level", "run_id")),
        FormView("mrp.proposal", ("run_id", "kind", "product_id", "product_qty", "bom_id",
                                  "level", "date_start", "date_due", "late", "origin",
                                  Field("state", readonly=True), "production_id",
                                  "result_ref")),
        ViewExtension("stock.picking", "form", add=("production_id",), after="origin",
                      related=(Related("production_id"),)),
        ViewExtension("product.product", "form", add=("produce_to_order",)),
    ]
