"""Sequences: patterns, padding, yearly reset, companies, rollback, concurrency (PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from core.errors import UserError, ValidationError
from core.sequence import format_number
from core.testing import statements
from tests.conftest import PG_URL
from tests.workflow_fixtures import make_people


@pytest.fixture
def seq_runtime(runtime):
    runtime.manager.install(["kt_approval"])
    return runtime


def test_format_number_fills_date_parts_and_padding():
    day = dt.date(2026, 3, 7)
    assert format_number("SO%(year)s-", None, 5, 42, day) == "SO2026-00042"
    assert format_number("%(y)s%(month)s%(day)s/", "-X", 3, 7, day) == "260307/007-X"
    with pytest.raises(ValidationError, match="unknown placeholder"):
        format_number("%(week)s", None, 3, 1, day)


def test_next_by_code_counts_and_resets_every_year(seq_runtime):
    with seq_runtime.env() as env:
        seqs = env["ir.sequence"]
        assert seqs.next_by_code("kt.order", dt.date(2026, 1, 5)) == "KT2026-00001"
        assert seqs.next_by_code("kt.order", dt.date(2026, 6, 1)) == "KT2026-00002"
        assert seqs.next_by_code("kt.order", dt.date(2027, 1, 1)) == "KT2027-00001"
        assert seqs.next_by_code("kt.order", dt.date(2026, 12, 31)) == "KT2026-00003"
        with pytest.raises(UserError, match="No sequence with the code"):
            seqs.next_by_code("nothing.here")


def test_a_yearly_number_takes_one_statement_once_the_code_is_known(seq_runtime):
    with seq_runtime.env() as env:
        seqs = env["ir.sequence"]
        seq_id = seqs.create({"name": "Yearly", "code": "kt.yearly", "prefix": "Y%(y)s/",
                              "padding": 3, "number_increment": 2, "reset": "yearly"})
        day = dt.date(2026, 5, 1)
        assert seqs.next_by_code("kt.yearly", day) == "Y26/001"
        with statements(seq_runtime.engine) as seen:
            assert seqs.next_by_code("kt.yearly", day) == "Y26/003"
        assert len(seen) == 1, seen
        seqs.write([seq_id], {"prefix": "N%(year)s-", "padding": 2})  # read in that statement
        assert seqs.next_by_code("kt.yearly", day) == "N2026-05"
        assert seqs.next_by_code("kt.yearly", dt.date(2027, 1, 2)) == "N2027-01"  # a new year
        seqs.write([seq_id], {"reset": "none", "number_next": 40})  # no longer yearly
        assert seqs.next_by_code("kt.yearly", day) == "N2026-40"
        assert seqs.next_by_code("kt.yearly", day) == "N2026-42"


def test_documents_get_numbers_and_admins_edit_the_pattern(seq_runtime):
    with seq_runtime.env() as env:
        year = dt.date.today().year
        first = env["kt.order"].create({"amount_total": 1})
        assert env["kt.order"].read([first], ["name"])[0]["name"] == f"KT{year}-00001"
        seq_id = env.ref_id("kt_approval.seq_kt_order")
        env["ir.sequence"].write([seq_id], {"prefix": "OR/%(y)s/", "padding": 3,
                                            "reset": "none", "number_next": 100})
        second = env["kt.order"].create({"amount_total": 1})
        assert env["kt.order"].read([second], ["name"])[0]["name"] == f"OR/{year % 100:02d}/100"


def test_company_sequence_wins_over_shared_one(seq_runtime):
    with seq_runtime.env() as env:
        other = env["res.company"].create({"name": "Branch"})
        env["ir.sequence"].create({"name": "Branch orders", "code": "kt.order",
                                   "prefix": "BR-", "padding": 2, "company_id": other})
        people = make_people(env)
        env["res.users"].write([people.clerk], {"company_id": other})
        clerk = env(uid=people.clerk, su=False)
        assert clerk["ir.sequence"].next_by_code("kt.order") == "BR-01"
        manager = env(uid=people.manager, su=False)
        assert manager["ir.sequence"].next_by_code("kt.order").startswith("KT")


def test_rolled_back_transaction_gives_its_number_back(seq_runtime):
    with seq_runtime.env() as env:
        assert env["ir.sequence"].next_by_code("kt.order", dt.date(2026, 1, 1)) == "KT2026-00001"
    with pytest.raises(RuntimeError), seq_runtime.env() as env:
        assert env["ir.sequence"].next_by_code("kt.order", dt.date(2026, 1, 1)) == (
            "KT2026-00002")
        raise RuntimeError("the document failed to save")
    with seq_runtime.env() as env:
        assert env["ir.sequence"].next_by_code("kt.order", dt.date(2026, 1, 1)) == (
            "KT2026-00002")


@pytest.mark.skipif(not PG_URL, reason="SQLite admits one writer at a time and fails a "
                    "transaction that read before another one committed (SQLITE_BUSY); "
                    "concurrent numbering is a PostgreSQL property, tested there")
def test_concurrent_creation_gets_distinct_consecutive_numbers(seq_runtime):
    threads, per_thread = 8, 50
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def work() -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                with seq_runtime.env() as env:
                    env["kt.order"].create({"amount_total": 1})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    with seq_runtime.env() as env:
        names = [r["name"] for r in env["kt.order"].search_read([], ["name"])]
    year = dt.date.today().year
    assert len(names) == len(set(names)) == threads * per_thread
    assert sorted(names) == [f"KT{year}-{n:05d}" for n in range(1, threads * per_thread + 1)]


def test_a_batch_failing_part_way_keeps_nothing_and_no_number(seq_runtime):
    with seq_runtime.env() as env:
        # numbers are taken, rows inserted, then a check after the insert refuses the batch
        with pytest.raises(ValidationError, match="start in the state"):
            env.with_context(default_state="done")["kt.order"].create(
                [{"amount_total": 1}, {"amount_total": 2}])
        assert env["kt.order"].search_count([]) == 0
        year = dt.date.today().year
        first = env["kt.order"].create({"amount_total": 1})
        assert env["kt.order"].read([first], ["name"])[0]["name"] == f"KT{year}-00001"
