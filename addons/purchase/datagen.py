"""The purchase addon's step of the generated data set: supplier prices and purchase orders
(RFQs) over the year, half as many as sales orders."""

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
    """Purchase orders from a tenth of the generated companies acting as suppliers."""
    companies = company_ids(spec, out)
    products = out.ids.get("product.product") or []
    if not products or not companies:
        out.skipped.append(_("purchase.order: no products to buy"))
        return []
    suppliers = companies[: max(len(companies) // 10, 2)]
    prices = [{"partner_id": rng.choice(suppliers), "product_id": product,
               "price": Decimal(rng.randint(500, 200_000)) / 100, "delay": rng.randint(3, 30)}
              for product in products]
    out.counts["product.supplierinfo"] = len(create_all(
        env, "product.supplierinfo", iter(prices), commit))

    def values() -> Iterator[dict[str, Any]]:
        for _i in range(max(spec.orders // 2, 1)):
            lines = [(0, 0, {"product_id": rng.choice(products),
                             "product_qty": Decimal(rng.randint(1, 100))})
                     for _j in range(spec.lines_per_order)]
            yield {"partner_id": rng.choice(suppliers), "date_order": working_day(rng),
                   "order_line": lines}

    return create_all(env, "purchase.order", values(), commit)


DATA_STEPS = [DataStep("purchase.order", orders, sequence=35,
                       numbers=(("purchase.order", "name"),))]
