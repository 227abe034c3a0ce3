"""Inside a service call the session flushes only for statements that need it, and the first
call of a transaction needs no SAVEPOINT; what each reads and undoes stays the same (issue 24)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.errors import ValidationError
from core.runtime import Runtime
from core.testing import flushes, statements


def test_a_query_flushes_only_when_it_reads_what_is_pending(runtime: Runtime) -> None:
    with runtime.env() as env:
        pid = env["res.partner"].create({"name": "Acme", "city": "上海"})
    with runtime.env() as env:
        partner_cls, user_cls = env.registry["res.partner"], env.registry["res.users"]
        with env["res.partner"]._savepoint():  # as inside any service call
            partner = env.session.get(partner_cls, pid)
            partner.city = "北京"
            with flushes() as seen:
                users = env.session.scalar(select(func.count()).select_from(user_cls))
            assert users and seen == []  # another table: nothing to write first
            with flushes() as seen:
                city = env.session.scalar(select(partner_cls.city).where(
                    partner_cls.id == pid))
            assert city == "北京" and len(seen) == 1  # its table: the change is written first
            partner.city = "杭州"
            with flushes() as seen, env.session.no_autoflush:
                city = env.session.scalar(select(partner_cls.city).where(
                    partner_cls.id == pid))
            assert city == "北京" and seen == []  # no_autoflush still means none
        assert env.session.autoflush is True  # given back after the call
    with runtime.env() as env:
        assert env["res.partner"].read([pid], ["city"])[0]["city"] == "杭州"


def test_the_first_call_needs_no_savepoint_and_a_failure_still_undoes_it(
        runtime: Runtime) -> None:
    with runtime.env() as env:
        partners = env["res.partner"]
        with statements(runtime.engine) as seen:
            first = partners.create({"name": "First"})
        assert not [s for s in seen if s.startswith("SAVEPOINT")], seen
        with statements(runtime.engine) as seen:
            partners.create({"name": "Second"})
        assert [s for s in seen if s.startswith("SAVEPOINT")], seen  # the transaction wrote
        with pytest.raises(ValidationError):
            partners.create({"name": "Orphan", "parent_id": 2**31 - 2})  # no such parent
        assert partners.search_count([("name", "in", ["First", "Second"])]) == 2
    with runtime.env() as env:
        partners = env["res.partner"]
        with pytest.raises(ValidationError):  # the first write of this transaction fails
            partners.create({"name": "Orphan", "parent_id": 2**31 - 2})
        third = partners.create({"name": "Third"})  # the session goes on
    with runtime.env() as env:
        names = {r["name"] for r in env["res.partner"].read([first, third], ["name"])}
        assert names == {"First", "Third"}
        assert env["res.partner"].search_count([("name", "=", "Orphan")]) == 0


def test_the_values_a_recompute_computes_last_go_with_the_calls_closing_flush(
        make_runtime) -> None:
    """A recompute's last round (values that mark nothing more) is not flushed on its own: the
    call's closing flush writes it with what else is pending (here the tracking line)."""
    from tests.test_compute import _lines

    runtime = make_runtime()
    runtime.manager.install(["kt_compute"])
    with runtime.env() as env:
        invoices = env["kt.invoice"]
        with flushes() as seen, statements(runtime.engine) as sql:
            first = invoices.create({"name": "A", "line_ids": _lines((2, 10, 10), (1, 5, 0))})
        assert len(seen) <= 5, sql  # 6 when the totals' UPDATE was flushed alone
        cls = env.registry["kt.invoice"]
        stored = env.session.execute(select(cls.amount_untaxed, cls.amount_total).where(
            cls.id == first)).one()  # written by the end of the call
        assert tuple(stored) == (Decimal("25.00"), Decimal("27.00"))


def test_rows_locked_are_read_again_unless_sqlite_holds_them_current(runtime: Runtime) -> None:
    """``lock_rows``: ``SELECT … FOR UPDATE`` re-reading the rows; none on SQLite for rows the
    service call already read (its transaction holds the database's write lock)."""
    from core.models import lock_rows

    with runtime.env() as env:
        pids = env["res.partner"].create([{"name": "A"}, {"name": "B"}])
    with runtime.env() as env:
        partners = env["res.partner"]
        sqlite = runtime.engine.dialect.name == "sqlite"
        with partners._savepoint():  # as inside any service call
            with statements(runtime.engine) as seen:
                rows = lock_rows(env.session, partners.cls, reversed(pids))
            assert [r.name for r in rows.values()] == ["A", "B"] and len(seen) == 1, seen
            with statements(runtime.engine) as seen:
                again = lock_rows(env.session, partners.cls, pids)
            assert again == rows and len(seen) == (0 if sqlite else 1), seen
            assert sqlite or "FOR UPDATE" in seen[0]


def test_a_row_an_earlier_call_of_the_transaction_read_is_current_on_sqlite(
        runtime: Runtime) -> None:
    """A record created (or read) by one call and locked by the next call of the same
    transaction (a notice created, then approved) is not read again on SQLite, whose writer
    holds the database's write lock; PostgreSQL locks and re-reads its row."""
    from core.models import lock_rows

    with runtime.env() as env:
        partners = env["res.partner"]
        pid = partners.create({"name": "Acme"})  # the first call of the transaction
        with partners._savepoint():  # the next one
            record = partners.browse_unchecked([pid])[0]
            with statements(runtime.engine) as seen:
                record.lock()
                lock_rows(env.session, partners.cls, [pid])
            reads = [s for s in seen if s.startswith("SELECT")]
            assert len(reads) == (0 if runtime.engine.dialect.name == "sqlite" else 2), seen
    with runtime.env() as env:  # another transaction reads it again
        partners = env["res.partner"]
        with partners._savepoint():
            with statements(runtime.engine) as seen:
                lock_rows(env.session, partners.cls, [pid])
            assert len([s for s in seen if s.startswith("SELECT")]) == 1, seen
