"""Groups (posts), access rights and record rules of the production addon.

The 保管员 is stock's keeper group (they validate the material issues); the 成本会计 is
accounting's cost group, granted by the ``production_account`` glue.
"""

from __future__ import annotations

from addons.stock.security import KEEPER, WAREHOUSE_DOMAIN
from addons.stock.security import MANAGER as STOCK_MANAGER
from core.i18n import _l
from core.security import FULL, Access, Group, Rule, grant

PLANNER = "production.group_planner"
WORKSHOP = "production.group_workshop"
QUALITY = "production.group_quality"
MANAGER = "production.group_manager"
USERS = (PLANNER, WORKSHOP, QUALITY)

GROUPS = [
    Group(PLANNER, _l("Production planner (生产计划员)"), _l("Manufacturing"),
          implied=("base.group_user",),
          comment=_l("Maintains bills of materials, enters manufacturing orders, runs the "
                     "material requirements planning and confirms its proposals.")),
    Group(WORKSHOP, _l("Workshop manager (车间主任)"), _l("Manufacturing"),
          implied=("base.group_user",),
          comment=_l("Approves manufacturing orders, starts them and records the quantities "
                     "produced and the hours worked.")),
    Group(QUALITY, _l("Quality inspector (质检员)"), _l("Manufacturing"),
          implied=("base.group_user",),
          comment=_l("Inspects the finished goods before they are received into stock.")),
    Group(MANAGER, _l("Production manager"), _l("Manufacturing"), implied=USERS,
          comment=_l("Configures work centres and sees every warehouse's orders.")),
]

MASTER = ("mrp.workcenter", "mrp.bom", "mrp.bom.line", "mrp.bom.byproduct",
          "mrp.routing.workcenter")
DOCUMENTS = ("mrp.production",)
PLANNING = ("mrp.run", "mrp.proposal")
ALL = (*MASTER, *DOCUMENTS, *PLANNING)


def access_rights() -> list[Access]:
    """Every post reads everything of production (the keeper too: the orders behind the
    material issues); each writes what its step changes. Stock work of the transitions runs in
    the engine's callbacks, so no post needs more stock rights than stock gives."""
    rights = [a for g in (WORKSHOP, QUALITY, KEEPER) for a in grant("production", ALL, g)]
    rights += grant("production", ALL, PLANNER, **FULL)
    rights += grant("production", DOCUMENTS, WORKSHOP, "workshop_write", write=True)
    rights += grant("production", DOCUMENTS, QUALITY, "quality_write", write=True)
    rights += grant("production", ("mrp.workcenter",), MANAGER, **FULL)
    return rights


def record_rules() -> list[Rule]:
    """Orders and planning runs follow stock's warehouse restriction; managers see all."""
    rules = []
    for model in ("mrp.production", "mrp.run"):
        key = model.replace(".", "_")
        rules.append(Rule(f"production.rule_{key}_warehouse", _l("Documents of my warehouses"),
                          model, WAREHOUSE_DOMAIN, groups=("base.group_user",)))
        rules.append(Rule(f"production.rule_{key}_manager", _l("All warehouses' documents"),
                          model, "[(1, '=', 1)]", groups=(MANAGER, STOCK_MANAGER)))
    return rules
