"""The material issue (领料) operation type of each warehouse: from its stock to the production
location, validated by the 保管员. Warehouses created later (or in the same installation) get
theirs at creation."""

from addons.production.models.stock import issue_type_values


def load(loader):
    env = loader.env
    for warehouse in env["stock.warehouse"].search_read([("is_transit", "=", False)],
                                                        ["code", "lot_stock_id"]):
        if not env["stock.picking.type"].search_count([("warehouse_id", "=", warehouse["id"]),
                                                       ("sequence_code", "=", "MI")]):
            env["stock.picking.type"].create(issue_type_values(
                env, warehouse["id"], warehouse["lot_stock_id"][0]))
