"""The analyses data analysis ships for the areas of the other addons (sales, CRM, stock,
accounting, purchase, production, hr, projects): each module's items appear only when its
models are installed (``declare``), so
installing analytics alone, or with any of them, works."""

from __future__ import annotations

from . import accounting, crm, general, hr, production, projects, purchase, sales, stock

ITEMS = [*general.ITEMS, *sales.ITEMS, *crm.ITEMS, *stock.ITEMS, *accounting.ITEMS,
         *purchase.ITEMS, *production.ITEMS, *hr.ITEMS, *projects.ITEMS]
