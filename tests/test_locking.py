"""Optimistic locking: the second of two concurrent saves gets a conflict, nothing is lost."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from core.errors import ConcurrencyError, ValidationError
from tests.conftest import PG_URL
from tests.workflow_fixtures import make_people


@pytest.fixture
def order(runtime):
    runtime.manager.install(["kt_approval"])
    with runtime.env() as env:
        people = make_people(env)
        oid = env["kt.order"].create({"amount_total": 10, "note": "first"})
    return runtime, people, oid


def _last_update(runtime, oid):
    with runtime.env() as env:
        return env["kt.order"].read([oid], ["write_date"])[0]["write_date"]


def test_stale_save_is_refused_with_what_changed(order):
    runtime, people, oid = order
    seen = _last_update(runtime, oid)
    time.sleep(0.01)
    with runtime.env() as env:  # the first user saves what they read
        env(uid=people.clerk, su=False)["kt.order"].write(
            [oid], {"note": "Alice's note", "__last_update": seen})
    with pytest.raises(ConcurrencyError) as info, runtime.env() as env:
        env(uid=people.clerk2, su=False)["kt.order"].write(
            [oid], {"note": "Bob's note", "__last_update": seen.isoformat()})
    error = info.value
    assert error.http_status == 409
    assert "Clerk changed this record" in error.message
    assert "Note: first → Alice's note" in error.message
    assert error.details["current"]["note"] == "Alice's note"
    assert error.details["changes"][0]["new_value"] == "Alice's note"
    with runtime.env() as env:
        assert env["kt.order"].read([oid], ["note"])[0]["note"] == "Alice's note"


def test_fresh_value_and_odoo_context_form_pass(order):
    runtime, people, oid = order
    seen = _last_update(runtime, oid)
    with runtime.env() as env:
        ctx = {"__last_update": {f"kt.order,{oid}": seen.strftime("%Y-%m-%d %H:%M:%S")}}
        env(uid=people.clerk, su=False, context=ctx)["kt.order"].write([oid], {"note": "ok"})
    # Odoo's wire format has whole seconds: a value from an earlier second is stale
    stale = (seen - dt.timedelta(seconds=2)).strftime("%Y-%m-%d %H:%M:%S")
    with pytest.raises(ConcurrencyError), runtime.env() as env:
        env(uid=people.clerk, su=False, context={"__last_update": {f"kt.order,{oid}": stale}})[
            "kt.order"].write([oid], {"note": "again"})
    with pytest.raises(ValidationError, match="not a valid last-update"), runtime.env() as env:
        env["kt.order"].write([oid], {"note": "x", "__last_update": "yesterday"})
    with runtime.env() as env:  # callers that send nothing are not checked
        env["kt.order"].write([oid], {"note": "blind"})


@pytest.mark.skipif(not PG_URL, reason="two overlapping write transactions need PostgreSQL; "
                    "SQLite runs one writer at a time")
def test_two_sessions_on_postgresql(order):
    runtime, people, oid = order
    seen = _last_update(runtime, oid)
    first_wrote, second_done = threading.Event(), threading.Event()
    outcome: list[BaseException | None] = []

    def second_user() -> None:
        first_wrote.wait()
        try:
            with runtime.env(uid=people.clerk2, su=False) as env:
                env["kt.order"].write([oid], {"note": "Bob", "__last_update": seen})
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - asserted below
            outcome.append(exc)
        second_done.set()

    thread = threading.Thread(target=second_user)
    thread.start()
    with runtime.env(uid=people.clerk, su=False) as env:
        env["kt.order"].write([oid], {"note": "Alice", "__last_update": seen})
        first_wrote.set()
        # the second save waits on the row lock while the first transaction is open
        assert not second_done.wait(0.5)
    thread.join(10)
    assert len(outcome) == 1 and isinstance(outcome[0], ConcurrencyError)
    with runtime.env() as env:
        assert env["kt.order"].read([oid], ["note"])[0]["note"] == "Alice"
