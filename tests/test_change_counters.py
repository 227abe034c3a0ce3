"""Change counters are bumped at commit, in the order of their rows: two transactions writing
the tables of two counters in opposite orders both commit (each bumping its first counter at
its first write, they deadlocked on PostgreSQL: the whole-API fuzz test's concurrent deletes of
a group and of a record with external ids)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from core.security import SECURITY_CHANGES
from core.workflow_engine import STEP_CHANGES


def _values(runtime):
    with runtime.engine.connect() as conn:
        return SECURITY_CHANGES.value(conn), STEP_CHANGES.value(conn)


def _touch(table: str) -> str:
    return f"UPDATE {table} SET id = id WHERE id = -1"  # the counter's write, no row locked


def test_two_transactions_writing_two_counters_tables_in_opposite_orders_both_commit(runtime):
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time (BEGIN IMMEDIATE)")
    before = _values(runtime)
    both_wrote_once = threading.Barrier(2, timeout=20)
    outcome: dict[str, object] = {}

    def work(name: str, tables: tuple[str, str]) -> None:
        try:
            with runtime.engine.connect() as conn:
                conn.execute(text("SET lock_timeout = '20s'"))  # a wait, never a hang
                conn.execute(text(_touch(tables[0])))
                both_wrote_once.wait()
                conn.execute(text(_touch(tables[1])))
                conn.commit()
            outcome[name] = "committed"
        except Exception as exc:  # noqa: BLE001  (the outcome is asserted below)
            both_wrote_once.abort()
            outcome[name] = exc

    threads = [threading.Thread(target=work, args=("groups first", ("res_groups",
                                                                    "workflow_step"))),
               threading.Thread(target=work, args=("steps first", ("workflow_step",
                                                                   "res_groups")))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcome == {"groups first": "committed", "steps first": "committed"}
    assert _values(runtime) == (before[0] + 2, before[1] + 2)


def test_a_transaction_bumps_each_counter_once_and_not_for_a_rolled_back_savepoint(runtime):
    before = _values(runtime)
    with runtime.engine.connect() as conn:
        conn.execute(text(_touch("res_groups")))
        savepoint = conn.begin_nested()
        conn.execute(text(_touch("workflow_step")))
        conn.execute(text(_touch("res_groups")))
        savepoint.rollback()  # its step write is undone: no bump owed for it
        inner = conn.begin_nested()
        conn.execute(text(_touch("ir_rule")))
        inner.commit()
        assert SECURITY_CHANGES.value(conn) is None  # its own writes: nothing shared
        conn.commit()
    assert _values(runtime) == (before[0] + 1, before[1])
    with runtime.engine.connect() as conn:
        conn.execute(text(_touch("workflow_step")))
        conn.rollback()
    assert _values(runtime) == (before[0] + 1, before[1])
