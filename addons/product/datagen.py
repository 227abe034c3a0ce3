"""The product addon's steps of the generated data set: product lines and products."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from core.demo_data import DataStep, Generated, Size, create_all
from core.env import Environment

WORDS = ("轴承", "齿轮", "电机", "阀门", "传感器", "控制器", "泵", "滤芯", "密封圈", "导轨",
         "变频器", "接触器", "继电器", "电缆", "开关")


def categories(env: Environment, spec: Size, rng: random.Random, out: Generated,
               commit: Callable[[], None]) -> list[int]:
    """Product lines: a few top categories, each with sub-categories."""
    service = env["product.category"]
    tops = max(spec.categories // 5, 1)
    top_ids = [service.create({"name": f"产品线 {i + 1}"}) for i in range(tops)]
    ids = list(top_ids)
    for i in range(spec.categories - tops):
        ids.append(service.create({"name": f"{rng.choice(WORDS)}类 {i + 1}",
                                   "parent_id": top_ids[i % tops]}))
    commit()
    return ids


def products(env: Environment, spec: Size, rng: random.Random, out: Generated,
             commit: Callable[[], None]) -> list[int]:
    """Stockable products with a sales price and a cost (62 % of it), in the product lines."""
    category_ids = out.ids.get("product.category") or []

    def values() -> Iterator[dict[str, Any]]:
        for i in range(spec.products):
            price = Decimal(rng.randint(500, 500_000)) / 100
            vals = {"name": f"{rng.choice(WORDS)} {rng.choice('ABCDEFGHJK')}-{i + 1}",
                    "default_code": f"KP{i + 1:06d}", "list_price": price,
                    "standard_price": (price * Decimal("0.62")).quantize(Decimal("0.0001"))}
            if category_ids:
                vals["categ_id"] = rng.choice(category_ids)
            yield vals

    return create_all(env, "product.product", values(), commit)


DATA_STEPS = [DataStep("product.category", categories, sequence=20),
              DataStep("product.product", products, sequence=21, part="products")]
