"""The generated year of data (core/demo_data.py and the addons' data steps): contributed by
the installed addons, deterministic, consistent (done moves equal the quants, every voucher
balances and is numbered gap-free), and still consistent after the benchmarks' Core copies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from benchmarks.__main__ import copy_data, number_columns
from benchmarks.replay import Snapshot, business_tables
from core import db
from core.demo_data import DataStep, Size, data_steps, generate, prepare
from core.runtime import Runtime
from tests.addons.test_stock_invariant import _check_invariant

#: a year in small: seconds through the service
SIZE = Size(partners=40, products=10, categories=3, orders=4, lines_per_order=2,
            stock_moves=48, journal_lines=160)
ADDONS = ["sales", "stock", "accounting"]  # sale_stock, sale_account, stock_account follow


def _runtime(url: str, addons: list[str]) -> Runtime:
    runtime = Runtime(db.create_engine(url))
    runtime.manager.init_database()
    if addons:
        runtime.manager.install(addons)
    return runtime


@pytest.fixture
def year(make_runtime: Any) -> Runtime:
    """Every business addon installed and the data set generated (seed 7)."""
    runtime = make_runtime()
    runtime.manager.install(ADDONS)
    with runtime.env() as env:
        runtime.generated = generate(env, SIZE, seed=7, commit=env.session.commit)
    return runtime


def test_hook_register_data_generators(make_runtime: Any) -> None:
    runtime = make_runtime()
    with runtime.env() as env:
        assert [s.model for s in data_steps(env)] == ["res.partner"]
    runtime.manager.install(["product"])
    with runtime.env() as env:
        steps = data_steps(env)
        assert [s.model for s in steps] == ["res.partner", "product.category", "product.product"]
        assert all(isinstance(s, DataStep) for s in steps)
        assert [s.part for s in steps] == ["partners", None, "products"]


def test_generator_skips_parts_whose_addon_is_not_installed(make_runtime: Any) -> None:
    runtime = make_runtime()
    runtime.manager.install(["product"])
    with runtime.env() as env:
        generated = generate(env, SIZE, seed=7)
        assert generated.counts == {"res.partner": 40, "product.category": 3,
                                    "product.product": 10}
        assert env["product.product"].search_count([("id", "in", generated.ids[
            "product.product"])]) == 10
    assert len(generated.skipped) == 3
    for part in ("sales orders", "stock moves", "journal lines"):
        assert any(part in reason for reason in generated.skipped), part


def _fingerprint(env: Any, generated: Any) -> dict[str, list[Any]]:
    """What was generated, by value (names, quantities, amounts, dates), not by id."""
    def rows(model: str, fields: list[str]) -> list[Any]:
        found = env[model].search_read([("id", "in", generated.ids[model])], fields, order="id")
        return [tuple(str(r[f][1]) if isinstance(r[f], (list, tuple)) else str(r[f])
                      for f in fields) for r in found]

    return {"partners": rows("res.partner", ["name", "city", "parent_id"]),
            "orders": rows("sale.order", ["name", "partner_id", "date_order", "amount_total"]),
            "moves": rows("stock.move", ["reference", "product_id", "product_uom_qty",
                                         "location_id", "location_dest_id", "date", "value"]),
            "vouchers": rows("account.move", ["name", "date", "partner_id", "amount_total"])}


def test_the_year_is_contributed_by_the_addons_and_deterministic(year: Runtime,
                                                                 tmp_path: Path) -> None:
    generated = year.generated
    assert generated.skipped == []
    assert generated.counts["res.partner"] == 40 and generated.counts["sale.order"] == 4
    assert generated.counts["stock.move"] == SIZE.stock_moves
    with year.env() as env:
        assert env["sale.order.line"].search_count([]) == SIZE.order_lines
        moves = env["stock.move"].search_read([], ["state", "date", "picking_type_id"])
        assert len(moves) == SIZE.stock_moves and {m["state"] for m in moves} == {"done"}
        assert {m["date"].month for m in moves} == set(range(1, 13))
        assert {m["date"].year for m in moves} == {2026}
        kinds = {m["picking_type_id"][1] for m in moves}
        assert len(kinds) == 2  # receipts and deliveries
        assert env["account.move.line"].search_count([]) >= SIZE.journal_lines
        assert generated.counts["account.move.line"] >= SIZE.journal_lines // 5
        first = _fingerprint(env, generated)
    other = _runtime(f"sqlite:///{tmp_path / 'other.db'}", ADDONS)
    with other.env() as env:
        again = generate(env, SIZE, seed=7)
        assert _fingerprint(env, again) == first
    other.engine.dispose()


def _check_books(env: Any, copies: int = 1) -> None:
    """Every voucher posted and balanced, numbered 1..n per journal and period (each number
    once per copy of the data set); the trial balance has no difference; stock account 1405
    equals the value of the stock on hand."""
    from addons.accounting.reports import trial_balance

    move, line = env.registry["account.move"], env.registry["account.move.line"]
    session = env.session
    assert set(session.scalars(select(move.state).distinct())) == {"posted"}
    sums = session.execute(select(line.move_id, func.sum(line.debit), func.sum(line.credit))
                           .group_by(line.move_id)).all()
    assert sums and all(Decimal(d) == Decimal(c) for _m, d, c in sums)
    numbers: dict[tuple[int, int], list[int]] = {}
    for journal, period, number in session.execute(
            select(move.journal_id, move.period_id, move.sequence_number)):
        numbers.setdefault((journal, period), []).append(number)
    for found in numbers.values():
        assert sorted(found) == sorted(list(range(1, len(found) // copies + 1)) * copies)
    report = trial_balance(env, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert report["difference"] == 0 and report["totals"]["debit"] > 0
    stock_account = next(r for r in report["rows"] if r["code"] == "1405")
    quant = env.registry["stock.quant"]
    on_hand = session.scalar(select(func.sum(quant.value)).where(quant.usage == "internal"))
    assert stock_account["closing_debit"] - stock_account["closing_credit"] == Decimal(on_hand)


def test_the_year_is_consistent(year: Runtime) -> None:
    from addons.accounting.reports import receivables_aging

    with year.env() as env:
        _check_invariant(env)
        _check_books(env)
        aging = receivables_aging(env, dt.date(2026, 12, 31))
        assert aging["total"] > 0  # some invoices stay open
        payments = env["account.payment"].search_read([], ["state"])
        assert payments and {p["state"] for p in payments} == {"posted"}


def test_copies_of_the_year_stay_consistent(make_runtime: Any) -> None:
    """The benchmarks' Core copies: quants still equal the moves, vouchers balance and keep
    unique numbers, the reference data (periods, shelves) is shared, not copied."""
    runtime = make_runtime()
    runtime.manager.install(ADDONS)
    with runtime.env() as env:
        tables = business_tables(env.registry)
        prepare(env)
    snapshot = Snapshot(runtime.engine, tables)
    with runtime.env() as env:
        generated = generate(env, SIZE, seed=3, commit=env.session.commit)
        numbers = number_columns(env.registry, generated.numbers)
        lines = env["account.move.line"].search_count([])
        periods = env["account.period"].search_count([])
        locations = env["stock.location"].search_count([])
    assert numbers["account_move"] == ["name"] and numbers["stock_picking"] == ["name"]
    assert copy_data(runtime.engine, snapshot, tables, numbers, 3) > 0
    with runtime.env() as env:
        assert env["stock.move"].search_count([]) == 3 * SIZE.stock_moves
        assert env["account.move.line"].search_count([]) == 3 * lines
        assert env["res.partner"].search_count([("is_company", "=", False),
                                                ("parent_id", "!=", False)]) > 0
        assert env["account.period"].search_count([]) == periods
        assert env["stock.location"].search_count([]) == locations
        _check_invariant(env)
        _check_books(env, copies=3)
        for model in ("account.move", "stock.picking", "sale.order"):
            names = [r["name"] for r in env[model].search_read([], ["name"])]
            assert len(names) == len(set(names)), model
        partner = env.registry["res.partner"]
        copied = env.session.execute(select(partner.id, partner.parent_id).where(
            partner.id > max(generated.ids["res.partner"]), partner.parent_id.is_not(None))).all()
        assert copied and all(parent > max(generated.ids["res.partner"])
                              for _id, parent in copied)  # contacts of the copied companies
