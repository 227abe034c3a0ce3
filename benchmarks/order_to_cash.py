"""Section 1: write throughput through the model service against a Core baseline.

A flow is a list of stages, each one user action on one business document (enter an order,
approve it, …), run for N documents as the benchmark user, one session and one commit per action
as in the web UI. A stage whose models are not installed is skipped and named in the notes, so the
order-to-cash flow goes exactly as far as the installed addons go. After each stage the same rows
are written again by the hand-written Core baseline (:mod:`benchmarks.replay`); the table shows
documents per second both ways and the ratio, which the issue wants ≤ 3.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from core.env import Environment
from core.runtime import Runtime
from core.testing import flushes as counting_flushes
from core.testing import statements as counting

from .bench_db import Bench
from .measure import Figure, Results
from .replay import Replay, Snapshot, business_tables

__all__ = ["Stage", "Flow", "FLOWS", "run_flows", "act", "statements_per_stage", "stock_up",
           "master_data", "counting", "counting_flushes"]

SECTION = "1 order-to-cash"
MAX_RATIO = 3.0
#: the issue's limits for one order of 3 lines through the service (issue 24)
MAX_STATEMENTS_PER_ORDER = 250
MAX_FLUSHES_PER_ORDER = 30


@dataclasses.dataclass
class Flow:
    """A named list of stages and the ids its documents got, stage after stage."""

    name: str
    unit: str
    stages: list[Stage]
    master: dict[str, list[int]] = dataclasses.field(default_factory=dict)
    docs: dict[str, list[Any]] = dataclasses.field(default_factory=dict)
    #: documents per run (stages after the first find theirs at ``docs[...][-size + i]``)
    size: int = 0
    #: lines per order
    lines: int = 3
    #: SQL statements per document of the last run: (service, baseline)
    statements: tuple[float, float] = (0.0, 0.0)
    #: ORM flushes per document of the last run (service)
    flushes: float = 0.0


@dataclasses.dataclass(frozen=True)
class Stage:
    """One user action on document ``i``: ``act(env, flow, i)``; needs ``requires`` models."""

    name: str
    requires: tuple[str, ...]
    act: Callable[[Environment, Flow, int], None]
    #: which benchmark user acts (0: sales assistant, 1: sales manager, 2: accounting,
    #: 3: warehouse keeper, 4: shipping inspector)
    actor: int = 0
    #: the stage runs only when none of these models is installed
    absent: tuple[str, ...] = ()


# -- the customer record flow: the core's own write path, measurable with no business addon ----

def _create_customer(env: Environment, flow: Flow, i: int) -> None:
    flow.docs.setdefault("partner", []).append(env["res.partner"].create({
        "name": f"Customer {len(flow.docs.get('partner', [])) + 1}", "is_company": True,
        "city": "杭州", "email": f"c{i}@example.cn", "phone": "0571-88886666"}))


def _update_customer(env: Environment, flow: Flow, i: int) -> None:
    env["res.partner"].write([flow.docs["partner"][-flow.size + i]],
                             {"phone": "0571-99997777", "street": "文三路 1 号"})


# -- order-to-cash: SA-003, as far as the installed addons go ---------------------------------

def _enter_order(env: Environment, flow: Flow, i: int) -> None:
    """The sales assistant enters the order from the signed contract (3 lines)."""
    customers, products = flow.master["customers"], flow.master["products"]
    lines = [(0, 0, {"product_id": products[(i * flow.lines + k) % len(products)],
                     "product_uom_qty": Decimal(k % 5 + 1), "price_unit": Decimal("99.50")})
             for k in range(flow.lines)]
    flow.docs.setdefault("order", []).append(env["sale.order"].create(
        {"partner_id": customers[i % len(customers)], "order_line": lines}))


def _doc(flow: Flow, kind: str, i: int) -> int:
    return flow.docs[kind][-flow.size + i]


def _submit_order(env: Environment, flow: Flow, i: int) -> None:
    env["sale.order"].call("action_submit", [_doc(flow, "order", i)])


def _approve_order(env: Environment, flow: Flow, i: int) -> None:
    """The sales manager approves (审核); a second user, self-approval is refused."""
    env["sale.order"].call("workflow_approve", [_doc(flow, "order", i)])


def _delivery_notice(env: Environment, flow: Flow, i: int) -> None:
    """The assistant makes the delivery notice (发货单) from the order and approves it; with
    stock installed, the approval creates the transfer to the customer's transit location."""
    notice = env["sale.order"].call("action_create_delivery_notice", [_doc(flow, "order", i)])
    env["sale.delivery.notice"].call("action_approve", [notice])
    flow.docs.setdefault("delivery", []).append(notice)
    if "stock.picking" in env:
        picking = env["stock.picking"].search([("delivery_notice_id", "=", notice)], limit=1)
        flow.docs.setdefault("picking", []).append(picking[0] if picking else None)


def _ship(env: Environment, flow: Flow, i: int) -> None:
    """Shipped by hand (sales without stock)."""
    env["sale.delivery.notice"].call("action_ship", [_doc(flow, "delivery", i)])


def _first_approval(env: Environment, flow: Flow, i: int) -> None:
    """一审 by the warehouse keeper: the goods leave for the transit location."""
    env["stock.picking"].call("action_first_approval", [_doc(flow, "picking", i)])


def _second_approval(env: Environment, flow: Flow, i: int) -> None:
    """二审 by the shipping inspector, another person: the transfer is done."""
    env["stock.picking"].call("action_second_approval", [_doc(flow, "picking", i)])


def _invoice_notice(env: Environment, flow: Flow, i: int) -> None:
    """Invoicing notice (开票通知单): created, reviewed, sent to finance; without accounting
    the assistant records the invoice number, with it finance gets a draft invoice."""
    notice = env["sale.order"].call("action_create_invoice_notice", [_doc(flow, "order", i)])
    service = env["sale.invoice.notice"]
    service.call("action_review", [notice])
    service.call("action_send", [notice])
    if "account.move" not in env:
        service.call("action_invoice", [notice], invoice_number=f"FP{notice:08d}")
    flow.docs.setdefault("invoice_notice", []).append(notice)


def _post_invoice(env: Environment, flow: Flow, i: int) -> None:
    """The invoicing clerk posts the customer invoice (with stock: cost of the goods)."""
    notice = _doc(flow, "invoice_notice", i)
    moves = env["account.move"].search([("invoice_notice_id", "=", notice)], limit=1)
    env["account.move"].call("action_post", moves)


def _match_costs(env: Environment, flow: Flow, i: int) -> None:
    """The cost accountant matches (钩稽) the posted invoice with the shipment out of transit."""
    notice = _doc(flow, "invoice_notice", i)
    moves = env["account.move"].search([("invoice_notice_id", "=", notice)], limit=1)
    env["account.move"].call("action_match_shipments", moves)


def _collect(env: Environment, flow: Flow, i: int) -> None:
    """The receivables accountant records the payment and writes it off against the order
    (with accounting: a posted receipt reconciled with the invoice)."""
    order = env["sale.order"].read([_doc(flow, "order", i)], ["partner_id", "amount_total"])[0]
    collection = env["sale.collection"].create({"partner_id": order["partner_id"][0],
                                                "amount": order["amount_total"]})
    assert isinstance(collection, int)
    env["sale.collection"].call("action_auto_allocate", [collection])
    env["sale.collection"].call("action_post", [collection])


FLOWS: list[Flow] = [
    Flow("customer records (create + update)", "records", [
        Stage("create", ("res.partner",), _create_customer),
        Stage("update", ("res.partner",), _update_customer),
    ]),
    Flow("order-to-cash", "orders", [
        Stage("order entry (3 lines)", ("sale.order", "product.product"), _enter_order),
        Stage("submit", ("sale.order",), _submit_order),
        Stage("approval", ("sale.order",), _approve_order, actor=1),
        Stage("delivery notice + approval", ("sale.delivery.notice",), _delivery_notice),
        Stage("shipping by hand", ("sale.delivery.notice",), _ship, absent=("stock.picking",)),
        Stage("transit transfer 一审", ("stock.picking",), _first_approval, actor=3),
        Stage("transit transfer 二审", ("stock.picking",), _second_approval, actor=4),
        Stage("invoicing notice", ("sale.invoice.notice",), _invoice_notice),
        Stage("invoice posting", ("account.move",), _post_invoice, actor=2),
        Stage("cost matching (钩稽)", ("account.cost.match",), _match_costs, actor=1),
        Stage("collection + write-off", ("sale.collection",), _collect, actor=2),
    ]),
]

from .procure_to_pay import PROCURE_TO_PAY  # noqa: E402  (it builds on Flow and Stage above)

FLOWS.append(PROCURE_TO_PAY)
from .project_costs import PROJECT_COSTS  # noqa: E402  (the same)

FLOWS.append(PROJECT_COSTS)


def stock_up(env: Environment, products: list[int]) -> str | None:
    """Put plenty of every flow product in the sales warehouse (a validated receipt), so the
    transit transfers can reserve; returns why it could not, or None."""
    if "stock.picking" not in env:
        return None
    types = env["stock.picking.type"].search([("code", "=", "incoming")], limit=1)
    if not types:
        return "no receipt operation type"
    moves = [(0, 0, {"product_id": p, "product_uom_qty": Decimal(1_000_000)}) for p in products]
    picking = env["stock.picking"].create({"picking_type_id": types[0], "move_ids": moves})
    env["stock.picking"].call("button_validate", [picking])
    return None


def master_data(env: Environment) -> dict[str, list[int]]:
    master = {"customers": env["res.partner"].search([("is_company", "=", True)], limit=200)}
    if "product.product" in env:
        master["products"] = env["product.product"].search([], limit=200)
    return master


def run_flows(bench: Bench, results: Results, sizes: list[int], runs: int,
              logins: list[str], only: list[str] | None = None) -> None:
    """Every flow (or those named in ``only``) at every size in ``sizes``: service vs
    baseline, documents per second."""
    with bench.runtime.env() as env:
        uids = [env["res.users"].search([("login", "=", login)])[0] for login in logins]
        master = {**master_data(env), "uids": uids}  # the project flow sets up its actors
        registry = env.registry
        problem = stock_up(env, master.get("products", []))
    if problem:
        results.note(f"Order-to-cash: could not put stock on hand: {problem}.")
    tables = business_tables(registry)
    for flow in FLOWS:
        if only and flow.name not in only:
            continue
        stages = [s for s in flow.stages if all(m in registry for m in s.requires)
                  and not any(m in registry for m in s.absent)]
        skipped = [s.name for s in flow.stages if s not in stages and not s.absent]
        if skipped:
            results.note(f"{flow.name}: stages skipped (addons not installed): "
                         f"{', '.join(skipped)}.")
        if flow.unit == "orders" and not (master.get("customers") and master.get("products")):
            continue
        flow.master = master
        stages = _working(bench, flow, stages, uids, results)
        if not stages:
            continue
        results.note(f"{flow.name}: stages measured: {' → '.join(s.name for s in stages)}.")
        for size in sizes:
            service_times, baseline_times, grown = [], [], []
            for _run in range(runs if size == sizes[0] else 1):
                service, baseline, size_bytes = _one_run(bench, flow, stages, tables, size, uids)
                service_times.append(service)
                baseline_times.append(baseline)
                grown.append(size_bytes)
            service, baseline = statistics.median(service_times), statistics.median(
                baseline_times)
            results.add(Figure(SECTION, f"{flow.name}, N={size:,}", size / service,
                               f"{flow.unit}/s", size / baseline, MAX_RATIO,
                               lower_is_better=False, ratio_of_rates=True,
                               note=f"median of {len(service_times)}"))
            if size == sizes[0]:
                per_order = flow.name == "order-to-cash" and flow.lines == 3
                results.add(Figure(SECTION, f"{flow.name}: SQL statements per "
                                   f"{flow.unit[:-1]}", flow.statements[0], "statements",
                                   flow.statements[1], MAX_RATIO,
                                   MAX_STATEMENTS_PER_ORDER if per_order else None))
                results.add(Figure(SECTION, f"{flow.name}: ORM flushes per {flow.unit[:-1]}",
                                   flow.flushes, "flushes", None, None,
                                   MAX_FLUSHES_PER_ORDER if per_order else None))
                per_thousand = statistics.median(grown) / size * 1000
                results.add(Figure("5 footprint", f"database growth per 1,000 {flow.unit} "
                                   f"({flow.name})", per_thousand / 1024 / 1024, "MiB"))


def act(runtime: Runtime, stage: Stage, flow: Flow, i: int, uids: list[int]) -> None:
    """One user action in its own session and transaction, as one web request."""
    session = Session(runtime.engine, expire_on_commit=False)
    try:
        env = Environment(runtime.registry_for(session), session,
                          uid=uids[stage.actor % len(uids)], su=False)
        stage.act(env, flow, i)
        session.commit()
    finally:
        session.close()


def _working(bench: Bench, flow: Flow, stages: list[Stage], uids: list[int],
             results: Results) -> list[Stage]:
    """The stages one trial document gets through; the first failure ends the flow there and
    is reported (an addon still being written, or a flow this benchmark does not know)."""
    flow.size = 1
    for index, stage in enumerate(stages):
        try:
            act(bench.runtime, stage, flow, 0, uids)
        except Exception as exc:  # noqa: BLE001  (reported, and the flow stops here)
            message = getattr(exc, "message", None) or str(exc).splitlines()[0]
            results.note(f"{flow.name}: stopped before “{stage.name}”, which failed on a trial "
                         f"document: {message}")
            return stages[:index]
    return stages


def _one_run(bench: Bench, flow: Flow, stages: list[Stage], tables: list[Any], size: int,
             uids: list[int]) -> tuple[float, float, int]:
    """Run the stages for ``size`` documents; returns service seconds, baseline seconds and how
    many bytes the service's documents added to the database."""
    flow.size = size
    snapshot = Snapshot(bench.engine, tables)
    replay = Replay(bench.engine, tables)
    service_total = baseline_total = 0.0
    before = bench.database_bytes()
    diffs = []
    service_sql, baseline_sql, flushes = [], [], []
    for stage in stages:
        start = time.perf_counter()
        with counting(bench.engine, service_sql), counting_flushes(flushes):
            for i in range(size):
                act(bench.runtime, stage, flow, i, uids)
        service_total += time.perf_counter() - start
        diffs.append(snapshot.diff())
    grown = bench.database_bytes() - before
    for diff in diffs:
        start = time.perf_counter()
        with counting(bench.engine, baseline_sql):
            replay.run(diff, size)
        baseline_total += time.perf_counter() - start
    flow.statements = (len(service_sql) / size, len(baseline_sql) / size)
    flow.flushes = len(flushes) / size
    return service_total, baseline_total, grown


def statements_per_stage(runtime: Runtime, flow: Flow, uids: list[int]) -> dict[str, int]:
    """SQL statements of each stage of ``flow`` for one new document (no skipped stage)."""
    flow.size = 1
    counts = {}
    for stage in flow.stages:
        if any(m not in runtime.registry for m in stage.requires) or any(
                m in runtime.registry for m in stage.absent):
            continue
        seen: list[str] = []
        with counting(runtime.engine, seen):
            act(runtime, stage, flow, 0, uids)
        counts[stage.name] = len(seen)
    return counts
