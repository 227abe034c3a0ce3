"""``python -m benchmarks [--quick] [--database URL]``: run the benchmarks, print the table, write
``benchmarks/RESULTS.md``.

SQLite by default (a file in the work folder); ``--database postgresql+psycopg://…`` runs on
PostgreSQL and **empties that database first** (it drops and recreates its ``public`` schema).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, Table

from core.demo_data import SIZES, generate
from core.demo_data import prepare as prepare_data
from core.registry import Registry

from .bench_db import USER_PASSWORD, Bench, create_users, prepare
from .copies import copy_rows
from .footprint import run_footprint
from .measure import Figure, Results, machine_info
from .mrp import run_mrp
from .order_to_cash import run_flows
from .pages import run_pages
from .replay import Snapshot, business_tables
from .reports import run_reports
from .resultsfile import write_results
from .scaleout import run_scaleout

SECTIONS = ("footprint", "o2c", "pages", "reports", "scaleout", "mrp")
HERE = Path(__file__).resolve().parent


@dataclasses.dataclass(frozen=True)
class Plan:
    """How big and how long: the data set, the flow sizes, runs per figure, load-test time."""

    data: str
    flow_sizes: list[int]
    runs: int
    requests: int
    workers: list[int]
    load_seconds: int
    users: int = 50
    flow_runs: int = 3
    #: the service-made data set is copied until there are this many of each record
    copies: int = 1


def plan_for(quick: bool, dialect: str) -> Plan:
    if quick:
        return Plan("tiny", [10], 2, 100, [1, 2], 3, users=5, flow_runs=1)
    if dialect == "postgresql":  # 100,000 partners, 50,000 orders, 200,000 order lines
        return Plan("small", [100, 1_000], 5, 1_000, [1, 2, 4], 15, copies=100)
    return Plan("small", [100, 1_000], 5, 1_000, [1, 2, 4], 15, copies=10)  # a tenth


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="a small run (tiny data set, few runs), about a minute")
    parser.add_argument("--database", metavar="URL",
                        help="PostgreSQL URL (its public schema is dropped and recreated); "
                             "default: an SQLite file in the work folder")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md",
                        help="where to write the results (default: benchmarks/RESULTS.md)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="folder for the SQLite file and scripts (default: a temporary one)")
    parser.add_argument("--skip", action="append", default=[], choices=SECTIONS,
                        help="leave a section out (repeatable)")
    parser.add_argument("--size", choices=sorted(SIZES), default=None,
                        help="override the data set made through the service")
    parser.add_argument("--copies", type=int, default=None,
                        help="multiply the data set by Core copies of its rows")
    parser.add_argument("--orders", default=None, metavar="N,N",
                        help="order-to-cash sizes (default 100,1000; the issue: 1000,10000)")
    parser.add_argument("--flow", action="append", default=[], metavar="NAME",
                        help="time only this flow of the o2c section (repeatable), by its "
                             "name: order-to-cash, procure-to-pay, …")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="kangyi-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        results = run(args, workdir)
    print(results.text())
    write_results(args.output, results)
    print(f"\nWritten to {args.output}")
    return 0


def run(args: argparse.Namespace, workdir: Path) -> Results:
    started = time.perf_counter()
    dialect = "postgresql" if args.database else "sqlite"
    plan = plan_for(args.quick, dialect)
    if args.size:
        plan = dataclasses.replace(plan, data=args.size)
    if args.copies:
        plan = dataclasses.replace(plan, copies=args.copies)
    if args.orders:
        plan = dataclasses.replace(plan, flow_sizes=[int(n) for n in args.orders.split(",")])
    bench = prepare(args.database, workdir, runs=1 if args.quick else 3)
    results = Results()
    results.info.update(machine_info(bench.engine))
    results.info["Run"] = ("quick" if args.quick else "full") + f" (data set: {plan.data})"
    _progress(f"database ready ({', '.join(bench.installed)})", started)
    users = create_users(bench, plan.users)
    login = users[0][0]
    _generate(bench, results, plan)
    sections = {  # order-to-cash first: its documents feed the pages and reports
        "footprint": lambda: run_footprint(bench, results, plan.runs, plan.requests, login,
                                           USER_PASSWORD),
        "o2c": lambda: run_flows(bench, results, plan.flow_sizes, plan.flow_runs,
                                 [name for name, _partner in users[:5]], args.flow),
        "pages": lambda: run_pages(bench, results, plan.runs * 2, login, USER_PASSWORD),
        "reports": lambda: run_reports(bench, results, plan.runs, login),
        "scaleout": lambda: run_scaleout(bench, results, users, plan.workers,
                                         plan.load_seconds),
        "mrp": lambda: run_mrp(bench, results, args.quick, plan.runs),
    }
    try:
        for name, section in sections.items():
            if name not in args.skip:
                _progress(f"{name}…", started)
                section()
    finally:
        bench.engine.dispose()
    results.info["Duration"] = f"{time.perf_counter() - started:.0f} s"
    results.info["Load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return results


def _progress(message: str, started: float) -> None:
    print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)


def _generate(bench: Bench, results: Results, plan: Plan) -> None:
    """The data set through the service, then ``plan.copies - 1`` Core copies of its rows.

    The reference data the steps need (shelves, accounting periods) is made before the
    snapshot, so the copies share it instead of duplicating it.
    """
    with bench.runtime.env() as env:
        tables = business_tables(env.registry)
        prepare_data(env)
    snapshot = Snapshot(bench.engine, tables)
    start = time.perf_counter()
    with bench.runtime.env() as env:
        generated = generate(env, plan.data, commit=env.session.commit)
        numbers = number_columns(env.registry, generated.numbers)
    seconds = time.perf_counter() - start
    total = sum(generated.counts.values())
    results.add(Figure("0 data", f"generate the data set through the service ({total:,} "
                       "records)", total / seconds, "records/s"))
    if plan.copies > 1:
        copy_data(bench.engine, snapshot, tables, numbers, plan.copies, results)
    with bench.runtime.env() as env:
        results.info["Data set"] = ", ".join(
            f"{env[m].sudo().search_count([]):,} {m}" for m in generated.counts)
    for reason in generated.skipped:
        results.note(f"Data set: {reason}.")


def number_columns(registry: Registry, numbers: set[tuple[str, str]]) -> dict[str, list[str]]:
    """The data steps' ``(model, field)`` document numbers as ``{table: [column]}``."""
    out: dict[str, list[str]] = {}
    for model, field in sorted(numbers):
        if model in registry:
            out.setdefault(registry[model].__table__.name, []).append(field)
    return out


def copy_data(engine: Engine, snapshot: Snapshot, tables: list[Table],
              numbers: dict[str, list[str]], copies: int, results: Results | None = None) -> int:
    """Multiply what was written since ``snapshot`` to ``copies`` times with set-based Core
    copies (``benchmarks/copies.py``); returns the rows written."""
    start = time.perf_counter()
    rows = copy_rows(engine, snapshot.start, tables, numbers, copies)
    if results is not None:
        results.add(Figure("0 data", f"multiply it ×{copies} by Core copies of its rows "
                           f"({rows:,} rows)", rows / (time.perf_counter() - start), "rows/s"))
        results.note(f"Data set: made through the model service, then copied {copies - 1} "
                     "times with set-based Core inserts of the same rows (foreign keys follow "
                     "the copies, unique codes and document numbers get a suffix) to reach the "
                     "issue's volume within the run's time.")
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
