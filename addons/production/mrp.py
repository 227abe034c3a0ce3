"""Material requirements planning: demand → level-by-level netting → proposals.

1. **Demand**: the ``mrp_demand`` hook (approved sales orders, through ``sale_production``), the
   components of open manufacturing orders not yet reserved, and reorder rules (stock below its
   minimum is raised to the maximum).
2. **Supply**: stock on hand less what is reserved, receipts on their way (open stock moves into
   the company's stock from outside), open manufacturing orders and the ``mrp_incoming`` hook
   (approved purchase requests).
3. **Netting level by level**: each product is planned once, at its low-level code (its deepest
   place in any bill), after every product that uses it; a shortage of a product with a bill
   becomes a manufacturing proposal whose components become demand of the next level, dated its
   start (due date less the bill's lead time); a shortage of a bought product becomes a purchase
   proposal ordered the suppliers' lead time before it is due. A make-to-order product is
   planned per sales order, against the orders made for that sales order only: open ones, and
   finished ones too when the demand says how much was ordered (``ordered``): their goods wait
   in stock for its delivery, so what the sale still needs is at most what was ordered less
   what its orders made or are making.

Everything is read in a fixed number of grouped queries and the proposals are inserted in one
statement, whatever the number of products and orders (``benchmarks/mrp.py`` measures it).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import aliased

from core.errors import UserError
from core.i18n import _
from core.integrity import engine_env
from core.models import utcnow

from .explosion import BomIndex, qty4
from .units import in_own_unit, unit_aliases

ZERO = Decimal(0)
OPEN_ORDERS = ("draft", "to_approve", "confirmed", "progress", "to_inspect")
NOT_EXPLODED = ("draft", "to_approve")


class Plan:
    """What one run reads: stock, supply, demand, bills and reorder rules."""

    def __init__(self, env: Any, warehouse_id: int | None) -> None:
        self.env, self.today = env, dt.date.today()
        self.index = BomIndex(env)
        self.products: dict[int, Any] = {}
        self.available: dict[int, Decimal] = defaultdict(Decimal)
        self.incoming: dict[int, Decimal] = defaultdict(Decimal)
        self.mto_supply: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        self.mto_made: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        self.mto_ordered: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        self.gross: dict[int, list[tuple[dt.date, Decimal, str]]] = defaultdict(list)
        self.orderpoints: dict[int, tuple[Decimal, Decimal]] = {}
        self.demand_count = 0
        self._read(warehouse_id)

    def _read(self, warehouse_id: int | None) -> None:
        env, session, reg = self.env, self.env.session, self.env.registry
        product = reg["product.product"]
        self.products = {row.id: row for row in session.execute(select(
            product.id, product.name, product.purchase_ok, product.produce_to_order).where(
            product.active.is_(True), product.type.in_(("product", "consu"))))}
        quant = reg["stock.quant"]
        for pid, qty in session.execute(select(
                quant.product_id, func.sum(quant.quantity - quant.reserved_quantity)).where(
                quant.usage == "internal").group_by(quant.product_id)):
            self.available[pid] += Decimal(qty or 0)
        move, src, dst = reg["stock.move"], aliased(reg["stock.location"]), aliased(
            reg["stock.location"])
        for pid, qty in session.execute(select(move.product_id, func.sum(move.product_qty))
                                        .join(src, src.id == move.location_id)
                                        .join(dst, dst.id == move.location_dest_id).where(
                move.state.not_in(("done", "cancel")), dst.usage == "internal",
                src.usage.in_(("supplier", "inventory", "production")),
                move.production_id.is_(None), move.raw_material_production_id.is_(None))
                .group_by(move.product_id)):
            self.incoming[pid] += Decimal(qty or 0)
        for answer in env.registry.pm.hook.mrp_incoming(env=env):
            for pid, qty in (answer or {}).items():
                self.incoming[int(pid)] += Decimal(str(qty))
        bom = reg["mrp.bom"]
        self.index.load(session.scalars(select(bom.product_id).where(
            bom.active.is_(True)).distinct()))
        self.index.without_bill(self.products)
        self._read_orders()
        for row in env.registry.pm.hook.mrp_demand(env=env):
            for demand in row or ():
                pid, origin = int(demand["product_id"]), demand.get("origin") or ""
                self._add(pid, demand.get("date") or self.today, Decimal(str(demand["qty"])),
                          origin)
                product = self.products.get(pid)
                if demand.get("ordered") is not None and origin and product is not None \
                        and product.produce_to_order:
                    self.mto_ordered[(pid, origin)] += Decimal(str(demand["ordered"]))
        self._read_made_to_order()
        rule = reg["stock.warehouse.orderpoint"]
        query = select(rule.product_id, func.sum(rule.product_min_qty),
                       func.sum(rule.product_max_qty)).where(rule.active.is_(True))
        if warehouse_id:
            query = query.where(rule.warehouse_id == warehouse_id)
        for pid, low, high in session.execute(query.group_by(rule.product_id)):
            self.orderpoints[pid] = (Decimal(low or 0), Decimal(high or 0))

    def _read_orders(self) -> None:
        """Open manufacturing orders: their output is supply; their components not reserved
        yet (or not even exploded, for drafts) are demand."""
        session, reg = self.env.session, self.env.registry
        mo, move = reg["mrp.production"], reg["stock.move"]
        drafts = []
        product, unit, own = unit_aliases(self.env.registry)
        for row in session.execute(select(
                mo.product_id, mo.product_qty - mo.qty_produced, mo.origin, mo.state,
                mo.bom_id, mo.date_planned_start, unit.ratio, own.ratio).join(
                product, product.id == mo.product_id).join(
                own, own.id == product.uom_id).outerjoin(unit, unit.id == mo.product_uom_id)
                .where(mo.state.in_(OPEN_ORDERS))):
            qty = in_own_unit(row[1] or 0, row[6], row[7])  # in the product's unit
            product = self.products.get(row.product_id)
            if product is not None and product.produce_to_order and row.origin:
                self.mto_supply[(row.product_id, row.origin)] += qty
            else:
                self.incoming[row.product_id] += qty
            if row.state in NOT_EXPLODED and row.bom_id:
                drafts.append(row)
        for pid, qty in session.execute(select(
                move.product_id, func.sum(move.product_qty - func.coalesce(move.reserved_qty, 0)))
                .where(move.raw_material_production_id.is_not(None),
                       move.state.not_in(("done", "cancel")), move.picking_id.is_not(None))
                .group_by(move.product_id)):
            self._add(pid, self.today, Decimal(qty or 0), "")
        self.index.load_boms({row.bom_id for row in drafts})
        for row in drafts:
            bom = self.index.load_bom(row.bom_id)
            made = in_own_unit(row[1] or 0, row[6], row[7])
            for pid, qty in self.index.components(bom, made).items():
                self._add(pid, row.date_planned_start or self.today, qty, row.origin or "")

    def _read_made_to_order(self) -> None:
        """What finished orders made for the sales orders of make-to-order demand (one grouped
        query, in the products' units)."""
        if not self.mto_ordered:
            return
        mo = self.env.registry["mrp.production"]
        for pid, origin, qty in self.env.session.execute(select(
                mo.product_id, mo.origin, func.sum(mo.qty_produced_product_uom)).where(
                mo.state == "done", mo.origin.in_(sorted({o for _p, o in self.mto_ordered})),
                mo.product_id.in_(sorted({p for p, _o in self.mto_ordered})))
                .group_by(mo.product_id, mo.origin)):
            self.mto_made[(pid, origin)] += Decimal(qty or 0)

    def _add(self, product_id: int, date: dt.date, qty: Decimal, origin: str) -> None:
        if qty > 0 and product_id in self.products:
            self.gross[product_id].append((date, qty, origin))
            self.demand_count += 1

    def low_level_codes(self) -> dict[int, int]:
        """Each product's deepest level in the bills (0: never a component)."""
        children: dict[int, set[int]] = {}
        for pid, bom in list(self.index.by_product.items()):
            if bom is not None and bom.type == "normal":
                children[pid] = set(self.index.components(bom, bom.product_qty))
        code: dict[int, int] = defaultdict(int)
        indegree: dict[int, int] = defaultdict(int)
        for kids in children.values():
            for kid in kids:
                indegree[kid] += 1
        ready = [p for p in children if indegree[p] == 0]
        while ready:
            parent = ready.pop()
            for kid in children.get(parent, ()):
                code[kid] = max(code[kid], code[parent] + 1)
                indegree[kid] -= 1
                if indegree[kid] == 0:
                    ready.append(kid)
        return code


def plan(env: Any, warehouse_id: int | None = None) -> tuple[list[dict[str, Any]], int]:
    """The proposals for the current demand and supply (nothing written): rows of
    ``mrp.proposal`` values, and the number of demand lines read."""
    data = Plan(env, warehouse_id)
    codes = data.low_level_codes()
    lead = env.registry.pm.hook.mrp_purchase_lead_days(env=env, product_ids=[
        p for p in data.products if data.index.by_product.get(p) is None]) or {}
    levels: dict[int, set[int]] = defaultdict(set)
    for pid in (set(data.gross) | set(data.orderpoints)) & set(data.products):
        levels[codes.get(pid, 0)].add(pid)
    proposals: list[dict[str, Any]] = []
    done: set[int] = set()
    level = 0
    while level <= max(levels, default=0):
        for pid in sorted(levels.get(level, set()) - done):
            done.add(pid)
            for need, due, origin in _net(data, pid):
                proposal = _propose(data, pid, need, due, origin, level, lead)
                if proposal is None:
                    continue
                proposals.append(proposal)
                if proposal["kind"] == "manufacture":
                    bom = data.index.by_product[pid]
                    for kid, qty in data.index.components(bom, need).items():
                        if kid in data.products:
                            data.gross[kid].append((proposal["date_start"], qty, origin))
                            levels[max(codes.get(kid, level + 1), level + 1)].add(kid)
        level += 1
    return proposals, data.demand_count


def _net(data: Plan, pid: int) -> list[tuple[Decimal, dt.date, str]]:
    """``(quantity, due date, origin)`` still to supply for product ``pid``."""
    demands = sorted(data.gross.get(pid, ()), key=lambda d: (d[0], d[2]))
    product = data.products[pid]
    result = []
    pooled = []
    for date, qty, origin in demands:
        if product.produce_to_order and origin:
            key = (pid, origin)
            if key in data.mto_ordered:  # what its orders made or are making, all of it
                need = mto_need(qty, data.mto_ordered.pop(key),
                                data.mto_supply[key] + data.mto_made[key])
                data.mto_supply[key] = ZERO
            else:
                covered = min(qty, data.mto_supply[key])
                data.mto_supply[key] -= covered
                need = qty - covered
            if need > 0:
                result.append((qty4(need), date, origin))
        else:
            pooled.append((date, qty, origin))
    supply = data.available[pid] + data.incoming[pid]
    low, high = data.orderpoints.get(pid, (ZERO, ZERO))
    demand = sum((q for _d, q, _o in pooled), ZERO)
    projected = supply - demand
    if projected < low or projected < 0:
        need = max(high, low) - projected if projected < low else -projected
        short_from = _first_short(pooled, supply, data.today)
        origins = ", ".join(sorted({o for _d, _q, o in pooled if o}))[:255]
        result.append((qty4(need), short_from, origins or _("Reorder rule")))
    # what this run proposes counts as supply for the demand met later in the same run
    data.available[pid] = max(projected, ZERO) if not result else max(high, low, ZERO)
    return result


def mto_need(qty: Decimal, ordered: Decimal, covered: Decimal) -> Decimal:
    """What a make-to-order sale still to deliver (``qty``) needs made: at most what it
    ordered less what the orders made for it made or are making (``covered``)."""
    return min(Decimal(qty), Decimal(ordered) - Decimal(covered))


def _first_short(pooled: list[tuple[dt.date, Decimal, str]], supply: Decimal,
                 today: dt.date) -> dt.date:
    """The date the stock first runs short (today for a reorder rule alone)."""
    left = supply
    for date, qty, _origin in pooled:
        left -= qty
        if left < 0:
            return date
    return today


def _propose(data: Plan, pid: int, need: Decimal, due: dt.date, origin: str, level: int,
             lead: dict[int, int]) -> dict[str, Any] | None:
    bom = data.index.by_product.get(pid)
    if bom is not None and bom.type == "normal":
        kind, days = "manufacture", bom.produce_delay
    elif data.products[pid].purchase_ok:
        kind, days = "purchase", int(lead.get(pid, 0))
    else:
        return None
    start = due - dt.timedelta(days=days)
    return {"kind": kind, "product_id": pid, "product_qty": need,
            "bom_id": bom.id if kind == "manufacture" else None, "level": level,
            "date_due": due, "date_start": start, "late": start < data.today,
            "origin": origin[:255] if origin else None}


def run_planning(env: Any, run: Any) -> dict[str, int]:
    """Plan and store the proposals on ``run``; earlier proposals not confirmed are dropped."""
    started = time.perf_counter()
    session, reg = env.session, env.registry
    proposal = reg["mrp.proposal"]
    session.execute(delete(proposal).where(proposal.state == "draft"))
    rows, demand = plan(env, run.warehouse_id)
    stamp = {"run_id": run.id, "state": "draft", "warehouse_id": run.warehouse_id,
             "create_uid": env.uid, "write_uid": env.uid, "create_date": utcnow(),
             "write_date": utcnow()}
    if rows:
        session.execute(insert(proposal), [{**stamp, **row} for row in rows])
    run.state, run.date, run.demand_count, run.proposal_count = "done", utcnow(), demand, len(
        rows)
    run.duration = Decimal(str(round(time.perf_counter() - started, 3)))
    session.flush()
    return {"demand": demand, "proposals": len(rows)}


def make_documents(env: Any, proposals: list[Any]) -> None:
    """Manufacturing orders (submitted to the 车间主任) and purchases for ``proposals``."""
    buy = [p for p in proposals if p.kind == "purchase"]
    if buy:
        needs = [{"product_id": p.product_id, "product_qty": p.product_qty,
                  "date_required": p.date_due, "reason": p.origin or p.run.name} for p in buy]
        ref = env.registry.pm.hook.mrp_purchase_proposals(env=env, needs=needs)
        if ref is None:
            names = ", ".join(p.product.display_name for p in buy)
            raise UserError(_("No purchasing is installed to buy %(products)s: buy them by "
                              "hand and dismiss the proposals.", products=names))
        for p in buy:
            p.result_ref = ref
    for p in proposals:
        if p.kind != "manufacture":
            continue
        production_id = env["mrp.production"].create({
            "product_id": p.product_id, "product_qty": p.product_qty, "bom_id": p.bom_id,
            "origin": p.origin or p.run.name, "date_planned_start": p.date_start,
            "date_deadline": p.date_due})
        p.production_id = production_id
        env["mrp.production"].call("action_confirm", [production_id])
    env.session.flush()


def confirm_proposals(env: Any, ids: list[int]) -> int:
    """Confirm the proposals ``ids`` together (one purchase document for all purchases)."""
    proposal = env.registry["mrp.proposal"]
    records = list(env.session.scalars(select(proposal).where(
        proposal.id.in_(ids), proposal.state == "draft").order_by(proposal.id)))
    make_documents(env, records)
    engine_env(env)["mrp.proposal"].write([r.id for r in records], {"state": "confirmed"})
    return len(records)


def scheduled_run(env: Any) -> int:
    """The daily job: a run over every warehouse; returns the number of proposals."""
    run_id = env["mrp.run"].create({})
    run = env.session.get(env.registry["mrp.run"], run_id)
    return run_planning(env, run)["proposals"]
