"""A generated year of business data: seeded, deterministic, as large as asked.

``generate(env, "small" | "medium" | "large")`` writes through the model service (``env[...]``),
so every record passes the same validation, defaults and hooks as one entered in the UI. Each
part of the data set runs only when its models are installed (products need ``product``, orders
need ``sales``…); the rest is skipped and reported. The same seed gives the same records in the
same order on every machine, so benchmark runs and bug reports compare like with like.

Sizes follow the benchmark issue: ``large`` is a real year of a mid-size company (100,000
partners, 50,000 orders, 200,000 order lines), ``medium`` a tenth of it (what SQLite runs in the
benchmarks), ``small`` a demo that loads in seconds. ``kangyi demo --size`` runs it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from .env import Environment
from .errors import ValidationError
from .i18n import _

__all__ = ["Size", "SIZES", "Generated", "generate", "DEFAULT_SEED", "MARKER_REF"]

DEFAULT_SEED = 2026
#: the ``ref`` of the first generated partner: its presence means the data set is loaded
MARKER_REF = "KD0000001"
#: the generated year
YEAR = 2026
BATCH = 1_000


@dataclasses.dataclass(frozen=True)
class Size:
    """How many records of each kind a data set holds."""

    partners: int
    products: int
    categories: int
    orders: int
    lines_per_order: int

    @property
    def order_lines(self) -> int:
        return self.orders * self.lines_per_order


SIZES: dict[str, Size] = {
    "tiny": Size(partners=300, products=40, categories=6, orders=60, lines_per_order=4),
    "small": Size(partners=1_000, products=100, categories=10, orders=500, lines_per_order=4),
    "medium": Size(partners=10_000, products=1_000, categories=20, orders=5_000,
                   lines_per_order=4),
    "large": Size(partners=100_000, products=5_000, categories=40, orders=50_000,
                  lines_per_order=4),
}

_CITIES = ("上海", "北京", "广州", "深圳", "杭州", "南京", "苏州", "成都", "武汉", "西安",
           "天津", "重庆", "青岛", "厦门", "宁波", "长沙", "郑州", "沈阳", "大连", "合肥")
_NAME_HEADS = ("华东", "华南", "中原", "北方", "东方", "长江", "金桥", "恒信", "康达", "永安",
               "新世纪", "宏图", "德润", "博远", "瑞丰", "嘉禾", "远航", "天成", "安泰", "鼎盛")
_NAME_TRADES = ("机械", "电子", "化工", "医药", "食品", "纺织", "建材", "物流", "贸易", "科技",
                "仪器", "五金", "塑胶", "包装", "能源")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明")
_PRODUCT_WORDS = ("轴承", "齿轮", "电机", "阀门", "传感器", "控制器", "泵", "滤芯", "密封圈",
                  "导轨", "变频器", "接触器", "继电器", "电缆", "开关")


@dataclasses.dataclass
class Generated:
    """What a run wrote (``counts`` by model) and what it skipped, with the reason."""

    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    skipped: list[str] = dataclasses.field(default_factory=list)
    ids: dict[str, list[int]] = dataclasses.field(default_factory=dict)


def generate(env: Environment, size: str | Size = "small", seed: int = DEFAULT_SEED,
             commit: Callable[[], None] | None = None,
             progress: Callable[[str, int], None] | None = None) -> Generated:
    """Write the data set ``size`` through ``env`` (a superuser environment).

    :param commit: called after each batch (e.g. ``session.commit``), so large sets do not
        hold one huge transaction; None leaves committing to the caller
    :param progress: called with ``(model, count)`` after each model
    :raises ValidationError: when the data set is already loaded in this database
    """
    spec = SIZES[size] if isinstance(size, str) else size
    if env["res.partner"].search([("ref", "=", MARKER_REF)], limit=1):
        raise ValidationError(_("The generated data set is already loaded in this database."))
    rng = random.Random(seed)
    out = Generated()
    steps: list[tuple[str, Callable[..., list[int]]]] = [
        ("res.partner", _partners),
        ("product.category", _categories),
        ("product.product", _products),
        ("sale.order", _orders),
    ]
    for model, step in steps:
        if model not in env:
            out.skipped.append(_("%(model)s: its addon is not installed", model=model))
            continue
        ids = step(env, spec, rng, out, commit or (lambda: None))
        out.ids[model] = ids
        out.counts[model] = len(ids)
        if progress is not None:
            progress(model, len(ids))
    return out


def _batches(values: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict]]:
    batch: list[dict[str, Any]] = []
    for vals in values:
        batch.append(vals)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _create_all(env: Environment, model: str, values: Iterator[dict[str, Any]],
                commit: Callable[[], None]) -> list[int]:
    """Create the records in batches through the service; commit after each batch."""
    ids: list[int] = []
    service = env[model]
    for batch in _batches(values):
        created = service.create(batch)
        assert isinstance(created, list)
        ids += created
        commit()
    return ids


def company_name(rng: random.Random) -> str:
    return f"{rng.choice(_CITIES)}{rng.choice(_NAME_HEADS)}{rng.choice(_NAME_TRADES)}有限公司"


def person_name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _i in range(rng.randint(1, 2)))


def _partners(env: Environment, spec: Size, rng: random.Random, out: Generated,
              commit: Callable[[], None]) -> list[int]:
    """Companies (one in five) first, then people, most of them contacts of a company."""
    companies = max(spec.partners // 5, 1)

    def company_values() -> Iterator[dict[str, Any]]:
        for i in range(companies):
            city = rng.choice(_CITIES)
            phone = f"0{rng.randint(10, 999)}-{rng.randint(10**7, 10**8 - 1)}"
            yield {"name": company_name(rng), "is_company": True, "ref": f"KD{i + 1:07d}",
                   "city": city, "phone": phone,
                   "email": f"info{i + 1}@example.cn", "street": f"{city}路{rng.randint(1, 999)}号"}

    company_ids = _create_all(env, "res.partner", company_values(), commit)

    def person_values() -> Iterator[dict[str, Any]]:
        for i in range(companies, spec.partners):
            parent = rng.choice(company_ids) if rng.random() < 0.8 else None
            yield {"name": person_name(rng), "is_company": False, "ref": f"KD{i + 1:07d}",
                   "parent_id": parent, "city": rng.choice(_CITIES),
                   "mobile": f"1{rng.randint(3, 9)}{rng.randint(10**8, 10**9 - 1)}",
                   "email": f"user{i + 1}@example.cn"}

    return company_ids + _create_all(env, "res.partner", person_values(), commit)


def _categories(env: Environment, spec: Size, rng: random.Random, out: Generated,
                commit: Callable[[], None]) -> list[int]:
    """Product lines: a few top categories, each with sub-categories."""
    service = env["product.category"]
    tops = max(spec.categories // 5, 1)
    top_ids = [service.create({"name": f"产品线 {i + 1}"}) for i in range(tops)]
    ids = list(top_ids)
    for i in range(spec.categories - tops):
        ids.append(service.create({"name": f"{rng.choice(_PRODUCT_WORDS)}类 {i + 1}",
                                   "parent_id": top_ids[i % tops]}))
    commit()
    return ids


def _products(env: Environment, spec: Size, rng: random.Random, out: Generated,
              commit: Callable[[], None]) -> list[int]:
    categories = out.ids.get("product.category") or []

    def values() -> Iterator[dict[str, Any]]:
        for i in range(spec.products):
            price = Decimal(rng.randint(500, 500_000)) / 100
            vals = {"name": f"{rng.choice(_PRODUCT_WORDS)} {rng.choice('ABCDEFGHJK')}-{i + 1}",
                    "default_code": f"KP{i + 1:06d}", "list_price": price,
                    "standard_price": (price * Decimal("0.62")).quantize(Decimal("0.0001"))}
            if categories:
                vals["categ_id"] = rng.choice(categories)
            yield vals

    return _create_all(env, "product.product", values(), commit)


def order_date(rng: random.Random) -> dt.date:
    """A working day of the generated year."""
    day = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))
    return day if day.weekday() < 5 else day - dt.timedelta(days=day.weekday() - 4)


def _orders(env: Environment, spec: Size, rng: random.Random, out: Generated,
            commit: Callable[[], None]) -> list[int]:
    """Sales orders with their lines, to the generated companies, over the year."""
    customers = out.ids.get("res.partner", [])[: max(spec.partners // 5, 1)]
    products = out.ids.get("product.product") or []
    if not products:
        out.skipped.append(_("sale.order: no products to sell"))
        return []
    fields = env["sale.order"].fields
    line_fields = env["sale.order.line"].fields

    def values() -> Iterator[dict[str, Any]]:
        for _i in range(spec.orders):
            vals: dict[str, Any] = {"partner_id": rng.choice(customers)}
            if "date_order" in fields:
                vals["date_order"] = order_date(rng)
            lines = []
            for _j in range(spec.lines_per_order):
                line = {"product_id": rng.choice(products),
                        "product_uom_qty": Decimal(rng.randint(1, 50))}
                if "price_unit" in line_fields:
                    line["price_unit"] = Decimal(rng.randint(500, 500_000)) / 100
                lines.append((0, 0, line))
            vals["order_line"] = lines
            yield vals

    return _create_all(env, "sale.order", values(), commit)
