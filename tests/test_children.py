"""A parent's rows (``core.children``) are read once per transaction and stay right: rows
inserted join their parent's list, a row moved or deleted, an SQL statement on their table and
a savepoint rolled back make the next call read them again (issue 24)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from core.children import children
from core.testing import statements
from tests.test_compute import _lines


@pytest.fixture
def rt(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["kt_compute"])
    return runtime


def _ids(env, invoice: int) -> list[int]:
    return [line.id for line in children(env, "kt.invoice.line", "invoice_id", invoice)]


def _queried(rt, env, invoice: int) -> tuple[list[int], int]:
    with statements(rt.engine) as seen:
        ids = _ids(env, invoice)
    return ids, len([s for s in seen if s.startswith("SELECT")])


def test_a_parents_rows_are_read_once_and_follow_inserts_moves_and_deletes(rt) -> None:
    with rt.env() as env:
        invoices, lines = env["kt.invoice"], env["kt.invoice.line"]
        first = invoices.create({"name": "A", "line_ids": _lines((1, 1, 0), (2, 1, 0))})
        second = invoices.create({"name": "B"})
    with rt.env() as env:
        invoices, lines = env["kt.invoice"], env["kt.invoice.line"]
        a, b = lines.search([("invoice_id", "=", first)], order="id")
        assert _queried(rt, env, first) == ([a, b], 1)
        assert _queried(rt, env, first) == ([a, b], 0)  # read once
        assert _queried(rt, env, second) == ([], 1)
        c = lines.create({"invoice_id": first, "name": "c", "quantity": 1, "price_unit": 1})
        assert _queried(rt, env, first) == ([a, b, c], 0)  # joined its parent's list
        third = invoices.create({"name": "C"})
        assert _queried(rt, env, third) == ([], 0)  # a new parent has none
        lines.write(b, {"invoice_id": second})  # moved: read again
        assert _queried(rt, env, first) == ([a, c], 1)
        assert _queried(rt, env, second) == ([b], 1)
        lines.unlink(a)
        assert _queried(rt, env, first) == ([c], 1)
        line_cls = env.registry["kt.invoice.line"]
        env.session.execute(update(line_cls).where(line_cls.id == c).values(invoice_id=second))
        assert _queried(rt, env, first) == ([], 1)  # an SQL statement on the table
    with rt.env() as env:  # another transaction reads them again
        assert _queried(rt, env, second) == ([b, c], 1)


def test_a_savepoint_rolled_back_forgets_the_rows_read_in_it(rt) -> None:
    with rt.env() as env:
        first = env["kt.invoice"].create({"name": "A", "line_ids": _lines((1, 1, 0))})
    with rt.env() as env:
        (a,) = _ids(env, first)
        savepoint = env.session.begin_nested()
        env["kt.invoice.line"].create({"invoice_id": first, "name": "x", "quantity": 1,
                                       "price_unit": 1})
        assert len(_ids(env, first)) == 2
        savepoint.rollback()
        assert _queried(rt, env, first) == ([a], 1)
