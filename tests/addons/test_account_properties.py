"""Property tests (hypothesis): whatever documents are posted, every voucher balances, the trial
balance has no difference and receivables equal open invoices less unapplied receipts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from test_account_helpers import DAY, balance, invoice, partner, receipt, voucher

from addons.accounting import reports


class _Rollback(Exception):
    """Raised at the end of an example to roll its transaction back."""


@pytest.fixture(scope="module")
def acc_module(tmp_path_factory):
    import os

    from core import db
    from core.runtime import Runtime
    from core.testing import reset_postgres

    url = os.environ.get("KANGYI_TEST_DATABASE_URL", "")
    if url:
        reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('acc') / 'kangyi.db'}"
    runtime = Runtime(db.create_engine(url))
    runtime.manager.init_database()
    runtime.manager.install(["accounting"])
    with runtime.env() as env:
        runtime.customers = [partner(env, "上海华联医药贸易有限公司"),
                             partner(env, "北京康泰医疗器械有限公司")]
    yield runtime
    runtime.engine.dispose()


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)
quantities = st.integers(min_value=1, max_value=50)
taxes = st.sampled_from(["tax_sale_13", "tax_sale_13_incl", "tax_sale_9", "tax_sale_6",
                         "tax_sale_0", None])
VOUCHER_PAIRS = [("1002", "6001"), ("6602", "1002"), ("1405", "1002"), ("1001", "1002"),
                 ("1002", "4001")]
operations = st.lists(st.one_of(
    st.tuples(st.just("voucher"), st.integers(0, len(VOUCHER_PAIRS) - 1), amounts),
    st.tuples(st.just("invoice"), st.integers(0, 1), quantities, amounts, taxes),
    st.tuples(st.just("refund"), st.integers(0, 1), quantities, amounts, taxes),
    st.tuples(st.just("receipt"), st.integers(0, 1), amounts, st.booleans()),
    st.tuples(st.just("reverse"), st.integers(0, 30)),
), min_size=1, max_size=12)


def _apply(env, customers, op) -> None:
    kind = op[0]
    if kind == "voucher":
        debit, credit = VOUCHER_PAIRS[op[1]]
        voucher(env, [(debit, op[2], 0), (credit, 0, op[2])])
    elif kind in ("invoice", "refund"):
        move_type = "out_invoice" if kind == "invoice" else "out_refund"
        invoice(env, customers[op[1]], [(op[2], op[3], op[4])], move_type=move_type)
    elif kind == "receipt":
        open_invoices = env["account.move"].search([
            ("partner_id", "=", customers[op[1]]), ("move_type", "=", "out_invoice"),
            ("payment_state", "in", ["not_paid", "partial"])]) if op[3] else []
        receipt(env, customers[op[1]], op[2], open_invoices)
    else:
        # reverse a voucher or an unpaid invoice (a paid one is refunded, not reversed)
        candidates = env["account.move"].search([
            ("state", "=", "posted"), ("reversed_entry_id", "=", False),
            "|", ("move_type", "=", "entry"), ("payment_state", "=", "not_paid")], order="id")
        reversed_ids = {r["reversed_entry_id"][0] for r in env["account.move"].search_read(
            [("reversed_entry_id", "!=", False)], ["reversed_entry_id"])}
        candidates = [c for c in candidates if c not in reversed_ids
                      and not _is_payment(env, c)]
        if candidates:
            env["account.move"].call("action_reverse", [candidates[op[1] % len(candidates)]])


def _is_payment(env, move_id) -> bool:
    return bool(env["account.payment"].search_count([("move_id", "=", move_id)]))


def _check_invariants(env) -> None:
    line = env.registry["account.move.line"]
    unbalanced = env.session.execute(
        select(line.move_id).where(line.parent_state == "posted").group_by(line.move_id)
        .having(func.round(func.sum(line.debit) - func.sum(line.credit), 2) != 0)).all()
    assert unbalanced == []
    tb = reports.trial_balance(env, DAY.replace(day=1), DAY)
    assert tb["difference"] == 0
    assert tb["totals"]["debit"] == tb["totals"]["credit"]
    bs = reports.balance_sheet(env, DAY)
    assert bs["difference"] == 0
    moves = env["account.move"]
    open_invoices = sum((r["amount_residual"] for r in moves.search_read(
        [("move_type", "=", "out_invoice"), ("state", "=", "posted")], ["amount_residual"])),
        Decimal(0))
    open_refunds = sum((r["amount_residual"] for r in moves.search_read(
        [("move_type", "=", "out_refund"), ("state", "=", "posted")], ["amount_residual"])),
        Decimal(0))
    unapplied = sum((r["amount_unapplied"] for r in env["account.payment"].search_read(
        [("state", "=", "posted")], ["amount_unapplied"])), Decimal(0))
    assert balance(env, "1122") == open_invoices - open_refunds - unapplied
    aging = reports.receivables_aging(env, DAY)
    assert aging["total"] == balance(env, "1122")


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=operations)
def test_any_sequence_of_documents_keeps_the_books_consistent(acc_module, ops):
    try:
        with acc_module.env() as env:
            for op in ops:
                _apply(env, acc_module.customers, op)
            _check_invariants(env)
            raise _Rollback
    except _Rollback:
        pass
