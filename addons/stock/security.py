"""Groups (posts), access rights and record rules of the stock addon."""

from __future__ import annotations

from core.i18n import _l
from core.security import Access, Group, Rule

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


def _key(model: str) -> str:
    return model.replace(".", "_")


def access_rights() -> list[Access]:
    rights = [Access(f"stock.access_{_key(m)}_user", m, "base.group_user") for m in READ_ALL]
    full = dict(read=True, write=True, create=True, unlink=True)
    for model in ("stock.picking", "stock.move", "stock.inventory", "stock.inventory.line"):
        rights.append(Access(f"stock.access_{_key(model)}_keeper", model, KEEPER, **full))
    rights.append(Access("stock.access_stock_picking_inspector", "stock.picking", INSPECTOR,
                         read=True, write=True))
    for model in CONFIG:
        rights.append(Access(f"stock.access_{_key(model)}_manager", model, MANAGER, **full))
    return rights


#: keepers and inspectors see the transfers, moves and counts of warehouses open to everyone
#: or listing them
WAREHOUSE_DOMAIN = ("['|', ('warehouse_id', '=', False), '|', "
                    "('warehouse_id.user_ids', '=', False), "
                    "('warehouse_id.user_ids', 'in', [user.id])]")


def record_rules() -> list[Rule]:
    rules = []
    for model in ("stock.picking", "stock.move", "stock.inventory"):
        key = _key(model)
        rules.append(Rule(f"stock.rule_{key}_warehouse", _l("Documents of my warehouses"),
                          model, WAREHOUSE_DOMAIN, groups=(KEEPER, INSPECTOR)))
        rules.append(Rule(f"stock.rule_{key}_manager", _l("All warehouses' documents"), model,
                          "[(1, '=', 1)]", groups=(MANAGER,)))
    return rules
