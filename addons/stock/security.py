"""Groups (posts), access rights and record rules of the stock addon."""

from __future__ import annotations

from core.i18n import _l
from core.security import FULL, Access, Group, Rule, grant

KEEPER, INSPECTOR, MANAGER = "stock.group_keeper", "stock.group_inspector", "stock.group_manager"

GROUPS = [
    Group(KEEPER, _l("Warehouse keeper (保管员)"), _l("Inventory"), implied=("base.group_user",),
          comment=_l("Creates transfers, reserves stock, gives the first approval (一审), "
                     "counts stock.")),
    Group(INSPECTOR, _l("Shipping inspector (发货检验员)"), _l("Inventory"),
          implied=("base.group_user",),
          comment=_l("Gives the second approval (二审) of shipments.")),
    Group(MANAGER, _l("Stock manager"), _l("Inventory"), implied=(KEEPER,),
          comment=_l("Configures warehouses, locations and reorder rules; approves counts.")),
]

READ_ALL = ["stock.warehouse", "stock.location", "stock.picking.type", "stock.picking",
            "stock.move", "stock.quant", "stock.warehouse.orderpoint", "stock.inventory",
            "stock.inventory.line"]
CONFIG = ["stock.warehouse", "stock.location", "stock.picking.type",
          "stock.warehouse.orderpoint"]


def access_rights() -> list[Access]:
    documents = ("stock.picking", "stock.move", "stock.inventory", "stock.inventory.line")
    return [*grant("stock", READ_ALL, "base.group_user"),
            *grant("stock", documents, KEEPER, **FULL),
            *grant("stock", ["stock.picking"], INSPECTOR, write=True),
            *grant("stock", CONFIG, MANAGER, **FULL)]


#: everyone who sees transfers (every internal user) sees the transfers, moves and counts of
#: warehouses open to everyone or listing them; stock managers see all
WAREHOUSE_DOMAIN = ("['|', ('warehouse_id', '=', False), '|', "
                    "('warehouse_id.user_ids', '=', False), "
                    "('warehouse_id.user_ids', 'in', [user.id])]")


def record_rules() -> list[Rule]:
    rules = []
    for model in ("stock.picking", "stock.move", "stock.inventory"):
        key = model.replace(".", "_")
        rules.append(Rule(f"stock.rule_{key}_warehouse", _l("Documents of my warehouses"),
                          model, WAREHOUSE_DOMAIN, groups=("base.group_user",)))
        rules.append(Rule(f"stock.rule_{key}_manager", _l("All warehouses' documents"), model,
                          "[(1, '=', 1)]", groups=(MANAGER,)))
    return rules
