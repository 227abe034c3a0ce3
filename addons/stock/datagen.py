"""The stock addon's step of the generated data set: a year of receipts and deliveries.

Receipts from the generated suppliers put goods on the shelves of the main warehouse (sub-locations
of its stock location) at about their cost; deliveries take goods that are on a shelf to the
generated customers. Each transfer is created through the model service and validated with
``button_validate`` (so quants, moving-average values and, with ``stock_account``, valuation
vouchers follow), back-dated to its day with the ``stock_done_date`` context. The generator keeps
its own count of what each shelf holds, so no delivery asks for more than is there.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from core.demo_data import YEAR, DataStep, Generated, Size, company_ids, working_day
from core.env import Environment
from core.i18n import _

SHELVES = ("A", "B", "C", "D")
#: transfers validated between two commits
PICKINGS_PER_COMMIT = 50


def stock_moves(env: Environment, spec: Size, rng: random.Random, out: Generated,
                commit: Callable[[], None]) -> list[int]:
    """``spec.stock_moves`` done moves in receipts and deliveries of 1–6 lines, month by month."""
    products = _products(env, out)
    partners = company_ids(spec, out)
    if not products or not partners or not spec.stock_moves:
        out.skipped.append(_("stock.move: no products or partners to move goods for"))
        return []
    suppliers = partners[-max(len(partners) // 5, 1):]
    warehouse = env.ref("stock.warehouse_main")
    shelves = shelves_of(env)
    types = {row["code"]: row["id"] for row in env["stock.picking.type"].search_read(
        [("warehouse_id", "=", warehouse.id), ("code", "in", ("incoming", "outgoing"))],
        ["code"], order="sequence desc, id desc")}  # the first of each kind wins
    on_hand: dict[tuple[int, int], Decimal] = {}
    move_ids: list[int] = []
    pickings = 0
    for month in range(1, 13):
        sizes = []
        budget = spec.stock_moves * month // 12 - len(move_ids)
        while budget > 0:
            sizes.append(min(rng.randint(1, 6), budget, len(products)))
            budget -= sizes[-1]
        for size, when in zip(sizes, _times(rng, month, len(sizes)), strict=True):
            here = _shelf_stock(rng, on_hand, size)
            if here and rng.random() < 0.55:
                vals = _delivery(rng, here, on_hand, partners, size, types["outgoing"])
            else:
                vals = _receipt(rng, products, shelves, on_hand, suppliers, size,
                                types["incoming"])
            move_ids += _validate(env, vals, when)
            pickings += 1
            if pickings % PICKINGS_PER_COMMIT == 0:
                commit()
    commit()
    out.counts["stock.picking"] = pickings
    return move_ids


def _products(env: Environment, out: Generated) -> dict[int, Decimal]:
    """The generated stockable products and their cost."""
    ids = out.ids.get("product.product") or []
    rows = env["product.product"].search_read([("id", "in", ids), ("type", "=", "product")],
                                              ["standard_price"], order="id")
    return {row["id"]: Decimal(row["standard_price"] or 1) for row in rows}


def shelves_of(env: Environment) -> list[int]:
    """Shelves under the main warehouse's stock location, found or created."""
    stock_id = env.ref("stock.warehouse_main").lot_stock_id
    locations = env["stock.location"]
    ids = []
    for code in SHELVES:
        name = f"货架 {code}"
        found = locations.search([("location_id", "=", stock_id), ("name", "=", name)], limit=1)
        ids.append(found[0] if found else locations.create(
            {"name": name, "location_id": stock_id, "usage": "internal"}))
    return ids


def _times(rng: random.Random, month: int, count: int) -> list[dt.datetime]:
    """``count`` transfer times of ``month`` (working days, office hours), in order."""
    return sorted(dt.datetime.combine(working_day(rng, month),
                                      dt.time(rng.randint(8, 17), rng.randrange(60)))
                  for _i in range(count))


def _shelf_stock(rng: random.Random, on_hand: dict[tuple[int, int], Decimal],
                 size: int) -> list[tuple[int, int]]:
    """The stocked ``(product, shelf)`` keys of a shelf holding at least ``size`` products
    (empty when none does)."""
    by_shelf: dict[int, list[tuple[int, int]]] = {}
    for key, qty in on_hand.items():
        if qty > 0:
            by_shelf.setdefault(key[1], []).append(key)
    fit = [keys for _shelf, keys in sorted(by_shelf.items()) if len(keys) >= size]
    return rng.choice(fit) if fit else []


def _receipt(rng: random.Random, products: dict[int, Decimal], shelves: list[int],
             on_hand: dict[tuple[int, int], Decimal], suppliers: list[int], size: int,
             type_id: int) -> dict[str, Any]:
    shelf = rng.choice(shelves)
    lines = []
    for product in rng.sample(sorted(products), size):
        qty = Decimal(rng.randint(10, 200))
        cost = (products[product] * Decimal(rng.randint(90, 110)) / 100).quantize(
            Decimal("0.0001"))
        lines.append((0, 0, {"product_id": product, "product_uom_qty": qty, "price_unit": cost}))
        on_hand[(product, shelf)] = on_hand.get((product, shelf), Decimal(0)) + qty
    return {"picking_type_id": type_id, "partner_id": rng.choice(suppliers),
            "location_dest_id": shelf, "origin": f"PO{YEAR}-{rng.randint(1, 99999):05d}",
            "move_ids": lines}


def _delivery(rng: random.Random, here: list[tuple[int, int]],
              on_hand: dict[tuple[int, int], Decimal], customers: list[int], size: int,
              type_id: int) -> dict[str, Any]:
    shelf = here[0][1]
    lines = []
    for key in rng.sample(here, size):
        qty = min(Decimal(rng.randint(1, 60)), on_hand[key])
        lines.append((0, 0, {"product_id": key[0], "product_uom_qty": qty}))
        on_hand[key] -= qty
    return {"picking_type_id": type_id, "partner_id": rng.choice(customers),
            "location_id": shelf, "origin": f"SO{YEAR}-{rng.randint(1, 99999):05d}",
            "move_ids": lines}


def _validate(env: Environment, vals: dict[str, Any], when: dt.datetime) -> list[int]:
    """Create the transfer on its day and validate it; returns its moves."""
    dated = env.with_context(stock_done_date=when, sequence_date=when.date())
    pickings = dated["stock.picking"]
    picking_id = pickings.create({**vals, "scheduled_date": when})
    pickings.call("button_validate", [picking_id])
    return env["stock.move"].search([("picking_id", "=", picking_id)], order="id")


DATA_STEPS = [DataStep("stock.move", stock_moves, sequence=50, part="stock_moves",
                       numbers=(("stock.picking", "name"),), prepare=shelves_of)]
