"""Statement budget of one purchase order through procure-to-pay, the benchmark's own flow
(``benchmarks/procure_to_pay.py``): entry, submit, approval, receipt, inspection, vendor bill with
three-way matching and posting, payment with write-off.

The counts are exact (an SQL event hook), so a change that adds a query per line or re-reads
what it just wrote shows up here whatever the machine's load. Budgets are counts, never
timings; lower them when a fix lands, raise them only with a reason in the commit message.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from benchmarks.order_to_cash import counting_flushes, master_data, statements_per_stage
from benchmarks.procure_to_pay import PROCURE_TO_PAY
from core.runtime import Runtime

#: statements for one purchase order of 3 lines, every stage from entry to write-off (measured: 224
#: on SQLite, 228 on PostgreSQL in the seventh round of issue 24; 246 on SQLite, 248 on PostgreSQL
#: in the sixth: 241 and 243 before journal items' amounts became stored computed fields (61a26ef,
#: +6), see test_o2c_statements.py; 249 and 251 after the fifth round; 308 and 291 before it, 359
#: before the fourth round, with issue 17's lock-and-re-read in transitions and the many2one read
#: checks; 348 before that, 337 before the workflow changes of issues 15/16)
BUDGET_3_LINES = 231
#: ORM flushes for that order (measured: 57 on SQLite, 58 on PostgreSQL in the seventh round of
#: issue 24; 61 and 62 before, 65 before that)
FLUSHES_3_LINES = 60
#: what each further line may add over the whole flow (measured: 8.1 a line on both databases;
#: 16.1 on SQLite and 10.1 on PostgreSQL before SQLite inserted a flush's rows in one statement,
#: 17.1 before issue 24)
PER_LINE = 9


@pytest.fixture
def company(make_runtime) -> tuple[Runtime, list[int], dict[str, list[int]]]:
    runtime = make_runtime()
    runtime.manager.install(["purchase", "stock", "accounting"])
    with runtime.env() as env:
        groups = env["res.groups"].search([])
        uids = [env["res.users"].create({"login": f"post{i}", "name": f"Post {i}",
                                         "groups_id": [(6, 0, groups)]}) for i in range(5)]
        env["res.partner"].create({"name": "江苏鱼跃医疗设备股份有限公司", "is_company": True})
        for k in range(30):
            env["product.product"].create({"name": f"血压计 {k}", "type": "product",
                                           "list_price": Decimal("99.50"),
                                           "standard_price": Decimal("60")})
        master = master_data(env)
    return runtime, uids, master


def _one_order(company, lines: int) -> dict[str, int]:
    runtime, uids, master = company
    flow = dataclasses.replace(PROCURE_TO_PAY, master=master, docs={}, lines=lines)
    return statements_per_stage(runtime, flow, uids)


def test_one_purchase_stays_within_its_statement_budget(company) -> None:
    _one_order(company, 3)  # warm: first-of-the-year sequence rows, periods…
    flushes: list[None] = []
    with counting_flushes(flushes):
        three = _one_order(company, 3)
    assert len(three) == 7, three  # every stage ran, from order entry to write-off
    thirty = _one_order(company, 30)
    grown = {stage: thirty[stage] - three[stage] for stage in three}
    assert sum(three.values()) <= BUDGET_3_LINES, three
    assert 0 < len(flushes) <= FLUSHES_3_LINES
    assert sum(grown.values()) <= 27 * PER_LINE, grown
