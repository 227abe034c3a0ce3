"""Material requirements planning on generated data, beside a plain-SQL baseline.

``python -m benchmarks.mrp [--quick] [--database URL]`` (or the ``mrp`` section of
``python -m benchmarks``): a factory of finished products with three-level bills of materials
(finished → assemblies → parts → bought materials, shared between bills), opening stock, reorder
rules, and thousands of open manufacturing orders (drafts, whose components planning explodes);
then an MRP run through the addon (``mrp.run.action_run``: hooks, the bill index, netting level
by level, proposals inserted) against a **baseline** that reads the same data with hand-written
SQL, nets it with plain dictionaries and inserts the same proposals with one ``executemany``.
Both must propose the same quantities (checked); the printed ratio is Kangyi's time ÷ the
baseline's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

SECTION = "6 manufacturing"
MAX_RATIO = 3.0
#: (finished, assemblies, parts, materials, open orders)
SIZES = {"quick": (20, 10, 10, 30, 200), "full": (200, 100, 100, 300, 3_000)}


def make_factory(env: Any, size: str | tuple[int, ...]) -> dict[str, int]:
    """The generated factory (products and bills through the service, open orders and their
    numbers by Core inserts); ``size`` names :data:`SIZES` or gives its five numbers; returns
    the counts."""
    finished, assemblies, parts, materials, orders = SIZES[size] if isinstance(
        size, str) else size
    products = env["product.product"]

    def batch(prefix: str, count: int, cost: str, **vals: Any) -> list[int]:
        return products.create([{"name": f"{prefix} {i}", "default_code": f"MRP-{prefix}-{i}",
                                 "type": "product", "standard_price": Decimal(cost), **vals}
                                for i in range(count)])

    mat = batch("M", materials, "3.5")
    part = batch("P", parts, "0", purchase_ok=False)
    asm = batch("A", assemblies, "0", purchase_ok=False)
    fin = batch("F", finished, "0", purchase_ok=False)

    def bom(product: int, lines: list[tuple[int, int]], delay: int) -> dict[str, Any]:
        return {"product_id": product, "produce_delay": delay, "bom_line_ids": [
            (0, 0, {"product_id": p, "product_qty": q, "scrap_rate": 2}) for p, q in lines]}

    boms = [bom(p, [(mat[(3 * i + k) % materials], k + 1) for k in range(3)], 1)
            for i, p in enumerate(part)]
    boms += [bom(a, [(part[(2 * i + k) % parts], 2) for k in range(2)]
                 + [(mat[(5 * i + k) % materials], 1) for k in range(2)], 2)
             for i, a in enumerate(asm)]
    boms += [bom(f, [(asm[(3 * i + k) % assemblies], 1) for k in range(3)]
                 + [(mat[(7 * i + k) % materials], 2) for k in range(2)], 3)
             for i, f in enumerate(fin)]
    env["mrp.bom"].create(boms)
    incoming = env["stock.picking.type"].search([("code", "=", "incoming")], limit=1)[0]
    receipt = env["stock.picking"].create({"picking_type_id": incoming, "move_ids": [
        (0, 0, {"product_id": m, "product_uom_qty": 50 + (i % 7) * 40,
                "price_unit": Decimal("3.5")}) for i, m in enumerate(mat)]})
    env["stock.picking"].call("button_validate", [receipt])
    warehouse = env["stock.warehouse"].search([("is_transit", "=", False)], limit=1)[0]
    env["stock.warehouse.orderpoint"].create([
        {"product_id": m, "warehouse_id": warehouse, "product_min_qty": 100,
         "product_max_qty": 400} for m in mat[::3]])
    bom_of = dict(env.session.execute(text("SELECT product_id, id FROM mrp_bom")).all())
    add_orders(env, fin, bom_of, orders)
    return {"products": len(mat) + len(part) + len(asm) + len(fin), "bills": len(boms),
            "open orders": orders}


def add_orders(env: Any, fin: list[int], bom_of: dict[int, int], orders: int) -> None:
    """``orders`` draft manufacturing orders of the finished products (Core inserts)."""
    mo = env.registry["mrp.production"]
    today, finished = dt.date.today(), len(fin)
    first = env.session.scalar(text("SELECT COUNT(*) FROM mrp_production")) or 0
    env.session.execute(insert(mo), [{
        "name": f"MRP-BENCH-{i:06d}", "product_id": fin[i % finished],
        "bom_id": bom_of[fin[i % finished]], "product_qty": Decimal(1 + i % 9),
        "qty_produced": Decimal(0), "state": "draft", "origin": f"BENCH-{i // 3}",
        "date_planned_start": today + dt.timedelta(days=i % 60), "create_uid": env.uid,
        "write_uid": env.uid} for i in range(first, first + orders)])
    env.session.flush()


def kangyi_run(runtime: Any) -> tuple[float, dict[int, Decimal]]:
    """One MRP run through the addon, committed; seconds and the quantity proposed per
    product."""
    with runtime.env() as env:
        run = env["mrp.run"].create({})
    start = time.perf_counter()
    with runtime.env() as env:
        env["mrp.run"].call("action_run", [run])
    seconds = time.perf_counter() - start
    with runtime.env() as env:
        return seconds, _proposed(env.session.connection(), run)


def _proposed(conn: Any, run: int) -> dict[int, Decimal]:
    return {p: Decimal(q) for p, q in conn.execute(text(
        "SELECT product_id, SUM(product_qty) FROM mrp_proposal WHERE run_id = :run "
        "GROUP BY product_id"), {"run": run})}


def baseline_run(engine: Any, table: Any, run: int) -> tuple[float, dict[int, Decimal]]:
    """The same planning with hand-written SQL and plain dictionaries, in one transaction;
    ``table`` is the proposals' Core table (its types bind the decimals)."""
    start = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM mrp_proposal WHERE state = 'draft'"))
        rows = _baseline_plan(conn)
        today = dt.date.today()
        if rows:
            conn.execute(insert(table), [
                {"run_id": run, "kind": k, "product_id": p, "product_qty": q, "level": lvl,
                 "date_start": s, "date_due": d, "late": s < today, "state": "draft"}
                for k, p, q, lvl, s, d in rows])
    seconds = time.perf_counter() - start
    with engine.connect() as conn:
        return seconds, _proposed(conn, run)


def _baseline_plan(conn: Any) -> list[tuple[Any, ...]]:
    today = dt.date.today()
    boms: dict[int, tuple[int, Decimal, int]] = {}
    for bom_id, product, qty, delay in conn.execute(text(
            "SELECT id, product_id, product_qty, produce_delay FROM mrp_bom WHERE active "
            "ORDER BY product_id, sequence, version DESC, id")):
        boms.setdefault(product, (bom_id, Decimal(qty), delay or 0))
    lines: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for bom_id, product, qty, scrap in conn.execute(text(
            "SELECT bom_id, product_id, product_qty, scrap_rate FROM mrp_bom_line "
            "ORDER BY bom_id, sequence, id")):
        lines[bom_id].append((product, Decimal(qty) * (1 + Decimal(scrap or 0) / 100)))
    need_q = Decimal("0.0001")

    def explode(product: int, qty: Decimal) -> list[tuple[int, Decimal]]:
        bom_id, batch, _delay = boms[product]
        return [(p, (q * qty / batch).quantize(need_q, rounding="ROUND_UP"))
                for p, q in lines[bom_id]]

    stocked = {p for (p,) in conn.execute(text(
        "SELECT id FROM product_product WHERE active AND type IN ('product', 'consu')"))}
    tables = set(conn.dialect.get_table_names(conn))
    supply: dict[int, Decimal] = defaultdict(Decimal)
    gross: dict[int, list[tuple[dt.date, Decimal]]] = defaultdict(list)
    for sql in (
            "SELECT product_id, SUM(quantity - reserved_quantity) FROM stock_quant "
            "WHERE usage = 'internal' GROUP BY product_id",
            "SELECT m.product_id, SUM(m.product_qty) FROM stock_move m "
            "JOIN stock_location s ON s.id = m.location_id "
            "JOIN stock_location d ON d.id = m.location_dest_id "
            "WHERE m.state NOT IN ('done', 'cancel') AND d.usage = 'internal' "
            "AND s.usage IN ('supplier', 'inventory', 'production') "
            "AND m.production_id IS NULL AND m.raw_material_production_id IS NULL "
            "GROUP BY m.product_id"):
        for p, q in conn.execute(text(sql)):
            supply[p] += Decimal(q or 0)
    if "purchase_request_line" in tables:
        for sql in ("SELECT product_id, SUM(product_qty - COALESCE(qty_ordered, 0)) FROM "
                    "purchase_request_line WHERE request_state IN ('draft', 'to_approve', "
                    "'approved') GROUP BY product_id",
                    "SELECT l.product_id, SUM(l.product_qty) FROM purchase_order_line l JOIN "
                    "purchase_order o ON o.id = l.order_id WHERE o.state IN ('draft', 'sent', "
                    "'to_approve') GROUP BY l.product_id"):
            for p, q in conn.execute(text(sql)):
                supply[p] += max(Decimal(q or 0), Decimal(0))
    if "sale_order_line" in tables:
        reserved = {(o, p): Decimal(q or 0) for o, p, q in conn.execute(text(
            "SELECT k.sale_id, m.product_id, SUM(m.reserved_qty) FROM stock_move m JOIN "
            "stock_picking k ON k.id = m.picking_id WHERE k.sale_id IS NOT NULL AND m.state "
            "NOT IN ('done', 'cancel') GROUP BY k.sale_id, m.product_id"))} if "sale_id" in {
            c["name"] for c in conn.dialect.get_columns(conn, "stock_picking")} else {}
        for p, o, due, ordered, q in conn.execute(text(
                "SELECT l.product_id, o.id, o.commitment_date, o.date_order, "
                "SUM(l.product_uom_qty - COALESCE(l.qty_delivered, 0)) FROM sale_order_line l "
                "JOIN sale_order o ON o.id = l.order_id WHERE o.state = 'sale' "
                "GROUP BY l.product_id, o.id, o.commitment_date, o.date_order")):
            left = Decimal(q or 0) - reserved.get((o, p), Decimal(0))
            if left > 0 and p in stocked:
                gross[p].append((_date(due) or _date(ordered), left))
    for p, q in conn.execute(text(
            "SELECT m.product_id, SUM(m.product_qty - COALESCE(m.reserved_qty, 0)) FROM "
            "stock_move m WHERE m.raw_material_production_id IS NOT NULL AND m.state NOT IN "
            "('done', 'cancel') AND m.picking_id IS NOT NULL GROUP BY m.product_id")):
        if Decimal(q or 0) > 0 and p in stocked:
            gross[p].append((today, Decimal(q)))
    for p, q, state, start in conn.execute(text(
            "SELECT product_id, product_qty - qty_produced, state, date_planned_start "
            "FROM mrp_production WHERE state NOT IN ('done', 'cancel')")):
        supply[p] += Decimal(q)
        if state in ("draft", "to_approve") and p in boms:
            for kid, amount in explode(p, Decimal(q)):
                gross[kid].append((_date(start) or today, amount))
    rules = {p: (Decimal(lo), Decimal(hi)) for p, lo, hi in conn.execute(text(
        "SELECT product_id, SUM(product_min_qty), SUM(product_max_qty) FROM "
        "stock_warehouse_orderpoint WHERE active GROUP BY product_id"))}
    children = {p: {kid for kid, _q in explode(p, boms[p][1])} for p in boms}
    level: dict[int, int] = defaultdict(int)
    changed = True
    while changed:  # longest path from the top: relax until stable (bills have no cycles)
        changed = False
        for parent, kids in children.items():
            for kid in kids:
                if level[kid] < level[parent] + 1:
                    level[kid], changed = level[parent] + 1, True
    todo = sorted((set(gross) | set(rules)) & stocked, key=lambda p: level[p])
    out, seen, queue = [], set(), list(todo)
    while queue:
        queue.sort(key=lambda p: level[p])
        p = queue.pop(0)
        if p in seen:
            continue
        seen.add(p)
        demands = sorted(gross.get(p, ()))
        projected = supply[p] - sum((q for _d, q in demands), Decimal(0))
        low, high = rules.get(p, (Decimal(0), Decimal(0)))
        if not (projected < low or projected < 0):
            continue
        need = (max(high, low) - projected if projected < low else -projected).quantize(
            need_q, rounding="ROUND_UP")
        left, due = supply[p], today
        for date, q in demands:
            left -= q
            if left < 0:
                due = date
                break
        if p in boms:
            start = due - dt.timedelta(days=boms[p][2])
            out.append(("manufacture", p, need, level[p], start, due))
            for kid, amount in explode(p, need):
                if kid in stocked:
                    gross[kid].append((start, amount))
                queue.append(kid)
        else:
            out.append(("purchase", p, need, level[p], due, due))
    return out


def _table(runtime: Any) -> Any:
    with runtime.env() as env:
        return env.registry["mrp.proposal"].__table__


def _date(value: Any) -> dt.date | None:
    """A date from the driver (SQLite gives text)."""
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def run_mrp(bench: Any, results: Any, quick: bool, runs: int = 3) -> None:
    """The ``mrp`` section of ``python -m benchmarks``."""
    from .measure import Figure

    with bench.runtime.env() as env:
        if "mrp.run" not in env.registry:
            results.note("MRP: the production addon is not installed.")
            return
        counts = make_factory(env, "quick" if quick else "full")
    kangyi, baseline = [], []
    for _i in range(runs):
        seconds, ours = kangyi_run(bench.runtime)
        kangyi.append(seconds)
        with bench.runtime.env() as env:
            run = env["mrp.run"].create({})
        seconds, theirs = baseline_run(bench.engine, _table(bench.runtime), run)
        baseline.append(seconds)
        if ours != theirs:
            results.note(f"MRP: the baseline proposes other quantities ({len(theirs)} "
                         f"products against {len(ours)}).")
    label = ", ".join(f"{n:,} {k}" for k, n in counts.items())
    results.add(Figure(SECTION, f"MRP run ({label}; {len(ours):,} products proposed)",
                       statistics.median(kangyi), "s", statistics.median(baseline), MAX_RATIO,
                       note=f"median of {runs}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.mrp", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a small factory")
    parser.add_argument("--database", metavar="URL", help="PostgreSQL URL (emptied first)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    from core import db
    from core.runtime import Runtime
    from core.testing import reset_postgres

    with tempfile.TemporaryDirectory(prefix="kangyi-mrp-") as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'mrp.db'}"
        if args.database:
            reset_postgres(url)
        runtime = Runtime(db.create_engine(url))
        runtime.manager.init_database()
        runtime.manager.install(["production"], demo=False)
        with runtime.env() as env:
            started = time.perf_counter()
            counts = make_factory(env, "quick" if args.quick else "full")
        print(f"factory: {counts} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        kangyi, baseline, same = [], [], True
        for _i in range(args.runs):
            seconds, ours = kangyi_run(runtime)
            kangyi.append(seconds)
            with runtime.env() as env:
                run = env["mrp.run"].create({})
            seconds, theirs = baseline_run(runtime.engine, _table(runtime), run)
            baseline.append(seconds)
            same = same and ours == theirs
        ours_s, base_s = statistics.median(kangyi), statistics.median(baseline)
        print(f"MRP run: Kangyi {ours_s:.3f} s, plain-SQL baseline {base_s:.3f} s, "
              f"ratio {ours_s / base_s:.2f} ({len(ours)} products proposed, same quantities: "
              f"{'yes' if same else 'NO'})")
        runtime.engine.dispose()
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
