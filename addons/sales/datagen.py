"""The sales addon's step of the generated data set: draft orders over the year."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from core.demo_data import DataStep, Generated, Size, company_ids, create_all, working_day
from core.env import Environment
from core.i18n import _


def orders(env: Environment, spec: Size, rng: random.Random, out: Generated,
           commit: Callable[[], None]) -> list[int]:
    """Sales orders with their lines, to the generated companies, over the year."""
    customers = company_ids(spec, out)
    products = out.ids.get("product.product") or []
    if not products or not customers:
        out.skipped.append(_("sale.order: no products to sell"))
        return []

    def values() -> Iterator[dict[str, Any]]:
        for _i in range(spec.orders):
            lines = [(0, 0, {"product_id": rng.choice(products),
                             "product_uom_qty": Decimal(rng.randint(1, 50)),
                             "price_unit": Decimal(rng.randint(500, 500_000)) / 100})
                     for _j in range(spec.lines_per_order)]
            yield {"partner_id": rng.choice(customers), "date_order": working_day(rng),
                   "order_line": lines}

    return create_all(env, "sale.order", values(), commit)


DATA_STEPS = [DataStep("sale.order", orders, sequence=30, part="orders",
                       numbers=(("sale.order", "name"),))]
