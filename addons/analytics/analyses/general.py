"""The posts' dashboards (总经理, 销售总监, 仓库经理, 财务经理, 采购主管, 生产经理); the areas'
modules fill them."""

from __future__ import annotations

from core.i18n import _l

from ..declare import Dashboard
from ..security import GENERAL_MANAGER

SALES_DIRECTOR = "sales.group_director"
STOCK_MANAGER = "stock.group_manager"
FINANCE_MANAGER = "accounting.group_chief"
PURCHASE_MANAGER = "purchase.group_manager"
PRODUCTION_MANAGER = "production.group_manager"

ITEMS = [
    Dashboard("analytics.dashboard_general", _l("General manager"), (GENERAL_MANAGER,),
              sequence=1),
    Dashboard("analytics.dashboard_sales", _l("Sales director"),
              (SALES_DIRECTOR, GENERAL_MANAGER), sequence=2),
    Dashboard("analytics.dashboard_stock", _l("Warehouse manager"),
              (STOCK_MANAGER, GENERAL_MANAGER), sequence=3),
    Dashboard("analytics.dashboard_finance", _l("Finance manager"),
              (FINANCE_MANAGER, GENERAL_MANAGER), sequence=4),
    Dashboard("analytics.dashboard_purchase", _l("Purchasing manager"),
              (PURCHASE_MANAGER, GENERAL_MANAGER), sequence=5),
    Dashboard("analytics.dashboard_production", _l("Production manager"),
              (PRODUCTION_MANAGER, GENERAL_MANAGER), sequence=6),
]
