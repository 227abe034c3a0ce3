"""Bill-of-materials explosion: which bill applies, what a quantity of a product takes, what it
yields besides, how long its operations last, and its standard cost.

:class:`BomIndex` reads the applicable bills of many products at once (three queries per batch
of products, never one per product), so material planning explodes thousands of products level
by level without N+1 queries. Quantities are ``Decimal`` in the products' own units: a bill's
batch, its components and by-products entered in another unit of the same kind are converted
when they are read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Iterable
from decimal import ROUND_UP, Decimal
from typing import Any

from sqlalchemy import or_, select

from core.money import money

from .units import in_own_unit, unit_aliases

QTY = Decimal("0.0001")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


def qty4(value: Any) -> Decimal:
    """A quantity rounded up to 4 decimals (never issue less than needed)."""
    return Decimal(value).quantize(QTY, rounding=ROUND_UP)


@dataclasses.dataclass
class Operation:
    workcenter_id: int
    name: str
    minutes: Decimal
    capacity: Decimal
    efficiency: Decimal
    costs_hour: Decimal
    overhead_hour: Decimal

    def hours(self, qty: Decimal) -> Decimal:
        """Hours to make ``qty``: whole cycles of the work centre's capacity, at its
        efficiency."""
        cycles = math.ceil(Decimal(qty) / self.capacity) if qty > 0 else 0
        return (Decimal(cycles) * self.minutes / 60 * HUNDRED / self.efficiency).quantize(QTY)


@dataclasses.dataclass
class BomData:
    """One bill, read once: ``lines`` are ``(product_id, qty, scrap_rate)``, ``byproducts``
    ``(product_id, qty, cost_share)``."""

    id: int
    product_id: int
    product_qty: Decimal
    type: str
    produce_delay: int
    lines: list[tuple[int, Decimal, Decimal]] = dataclasses.field(default_factory=list)
    byproducts: list[tuple[int, Decimal, Decimal]] = dataclasses.field(default_factory=list)
    operations: list[Operation] = dataclasses.field(default_factory=list)

    def factor(self, qty: Any) -> Decimal:
        return Decimal(qty) / self.product_qty

    def byproduct_qtys(self, qty: Any) -> list[tuple[int, Decimal, Decimal]]:
        factor = self.factor(qty)
        return [(p, qty4(q * factor), share) for p, q, share in self.byproducts]

    def byproduct_share(self) -> Decimal:
        return sum((share for _p, _q, share in self.byproducts), ZERO)

    def operation_hours(self, qty: Any) -> list[tuple[Operation, Decimal]]:
        return [(op, op.hours(Decimal(qty))) for op in self.operations]


def required(line_qty: Decimal, scrap_rate: Decimal, factor: Decimal) -> Decimal:
    """What ``factor`` batches take of a component: quantity × factor × (1 + scrap / 100)."""
    return qty4(line_qty * factor * (1 + Decimal(scrap_rate or 0) / HUNDRED))


class BomIndex:
    """The bills applicable on ``date`` (the newest valid version, then the lowest sequence),
    loaded by batches of products and kept."""

    def __init__(self, env: Any, date: dt.date | None = None) -> None:
        self.env = env
        self.date = date or dt.date.today()
        self.by_product: dict[int, BomData | None] = {}
        self.by_id: dict[int, BomData] = {}

    def load(self, product_ids: Iterable[int]) -> None:
        wanted = {p for p in product_ids if p not in self.by_product}
        if not wanted:
            return
        bom = self.env.registry["mrp.bom"]
        found = []
        for data in self._read_boms(
                bom.product_id.in_(wanted), bom.active.is_(True),
                or_(bom.date_start.is_(None), bom.date_start <= self.date),
                order=(bom.product_id, bom.sequence, bom.version.desc(), bom.id)):
            if self.by_product.get(data.product_id) is None and data.product_id in wanted:
                self.by_product[data.product_id] = data
                found.append(data)
        for product_id in wanted:
            self.by_product.setdefault(product_id, None)
        self._fill(found)

    def without_bill(self, product_ids: Iterable[int]) -> None:
        """Products known to have no bill (after loading every product that has one)."""
        for product_id in product_ids:
            self.by_product.setdefault(product_id, None)

    def load_bom(self, bom_id: int) -> BomData:
        """A given bill (e.g. the one an order names), whatever its dates."""
        self.load_boms([bom_id])
        return self.by_id[bom_id]

    def load_boms(self, bom_ids: Iterable[int]) -> None:
        """Given bills, in one batch."""
        wanted = {b for b in bom_ids if b not in self.by_id}
        if not wanted:
            return
        bom = self.env.registry["mrp.bom"]
        self._fill(self._read_boms(bom.id.in_(wanted)))

    def _read_boms(self, *where: Any, order: tuple[Any, ...] = ()) -> list[BomData]:
        """The bills matching ``where``, their batch in the product's own unit."""
        bom = self.env.registry["mrp.bom"]
        product, unit, own = unit_aliases(self.env.registry)
        rows = self.env.session.execute(select(
            bom.id, bom.product_id, bom.product_qty, bom.type, bom.produce_delay, unit.ratio,
            own.ratio).join(product, product.id == bom.product_id).join(
            own, own.id == product.uom_id).outerjoin(unit, unit.id == bom.product_uom_id)
            .where(*where).order_by(*order))
        return [BomData(row.id, row.product_id, in_own_unit(row.product_qty, row[5], row[6]),
                        row.type, row.produce_delay or 0) for row in rows]

    def _fill(self, boms: list[BomData]) -> None:
        if not boms:
            return
        registry, session = self.env.registry, self.env.session
        index = {b.id: b for b in boms}
        self.by_id.update(index)
        line, extra = registry["mrp.bom.line"], registry["mrp.bom.byproduct"]
        for model, target, other, order in (
                (line, "lines", line.scrap_rate, (line.bom_id, line.sequence, line.id)),
                (extra, "byproducts", extra.cost_share, (extra.bom_id, extra.id))):
            product, unit, own = unit_aliases(self.env.registry)
            for row in session.execute(select(
                    model.bom_id, model.product_id, model.product_qty, other, unit.ratio,
                    own.ratio).join(product, product.id == model.product_id).join(
                    own, own.id == product.uom_id).outerjoin(
                    unit, unit.id == model.product_uom_id).where(
                    model.bom_id.in_(index)).order_by(*order)):
                getattr(index[row.bom_id], target).append((
                    row.product_id, in_own_unit(row.product_qty, row[4], row[5]),
                    Decimal(row[3] or 0)))
        op, wc = registry["mrp.routing.workcenter"], registry["mrp.workcenter"]
        for row in session.execute(select(
                op.bom_id, op.name, op.time_cycle_manual, wc.id, wc.default_capacity,
                wc.time_efficiency, wc.costs_hour, wc.costs_hour_overhead).join(
                wc, wc.id == op.workcenter_id).where(op.bom_id.in_(index)).order_by(
                op.bom_id, op.sequence, op.id)):
            index[row.bom_id].operations.append(Operation(
                row.id, row.name, Decimal(row.time_cycle_manual or 0),
                Decimal(row.default_capacity or 1), Decimal(row.time_efficiency or 100),
                Decimal(row.costs_hour or 0), Decimal(row.costs_hour_overhead or 0)))

    def get(self, product_id: int) -> BomData | None:
        self.load([product_id])
        return self.by_product[product_id]

    def components(self, bom: BomData, qty: Any) -> dict[int, Decimal]:
        """``{component: quantity}`` that ``qty`` of ``bom``'s product takes, scrap included;
        components made by a kit (phantom) bill are replaced by the kit's components."""
        result: dict[int, Decimal] = {}
        self._add_components(bom, bom.factor(qty), result, depth=0)
        return result

    def _add_components(self, bom: BomData, factor: Decimal, result: dict[int, Decimal],
                        depth: int) -> None:
        self.load(p for p, _q, _s in bom.lines)
        for product_id, line_qty, scrap in bom.lines:
            qty = required(line_qty, scrap, factor)
            kit = self.by_product.get(product_id)
            if kit is not None and kit.type == "phantom" and depth < 20:
                self._add_components(kit, kit.factor(qty), result, depth + 1)
            else:
                result[product_id] = result.get(product_id, ZERO) + qty

    def explode_levels(self, product_id: int, qty: Any) -> list[dict[int, Decimal]]:
        """The gross needs of ``qty`` of ``product_id`` level by level: ``[{product: qty}]``,
        level 0 being the product itself; products without a bill end their branch."""
        levels = [{product_id: Decimal(qty)}]
        while True:
            below: dict[int, Decimal] = {}
            self.load(levels[-1])
            for product, need in levels[-1].items():
                bom = self.by_product.get(product)
                if bom is None or len(levels) > 50:
                    continue
                for component, amount in self.components(bom, need).items():
                    below[component] = below.get(component, ZERO) + amount
            if not below:
                return levels
            levels.append(below)


def standard_unit_cost(env: Any, bom_id: int) -> Decimal:
    """Standard cost of one unit of the bill's product, rolled up: its components at their own
    bills' standard cost (bought ones at their current cost), scrap included, plus the
    operations' labour and overhead for one batch, less the by-products' share, divided by the
    batch."""
    index = BomIndex(env)
    return money(_rolled_cost(env, index, index.load_bom(bom_id), {}, 0))


def _rolled_cost(env: Any, index: BomIndex, bom: BomData, memo: dict[int, Decimal],
                 depth: int) -> Decimal:
    needs = index.components(bom, bom.product_qty)
    index.load(needs)
    product = env.registry["product.product"]
    prices = dict(env.session.execute(select(product.id, product.standard_price).where(
        product.id.in_(needs))).all()) if needs else {}
    total = ZERO
    for pid, qty in needs.items():
        sub = index.by_product.get(pid)
        if sub is not None and sub.type == "normal" and depth < 20:
            if pid not in memo:
                memo[pid] = _rolled_cost(env, index, sub, memo, depth + 1)
            unit = memo[pid]
        else:
            unit = Decimal(prices.get(pid) or 0)
        total += qty * unit
    for op, hours in bom.operation_hours(bom.product_qty):
        total += hours * (op.costs_hour + op.overhead_hour)
    return total * (HUNDRED - bom.byproduct_share()) / HUNDRED / bom.product_qty
