"""The analyses data analysis ships for the areas of the other addons (sales, CRM, stock,
accounting): each module's items appear only when its models are installed (``declare``), so
installing analytics alone, or with any of them, works."""

from __future__ import annotations

from . import accounting, crm, general, sales, stock

ITEMS = [*general.ITEMS, *sales.ITEMS, *crm.ITEMS, *stock.ITEMS, *accounting.ITEMS]
