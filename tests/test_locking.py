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


def _form_version(client, oid):
    import re

    page = client.get(f"/web/kt.order/{oid}").get_data(as_text=True)
    return re.search(r'name="__last_update" value="([^"]+)"', page).group(1)


def test_form_save_over_a_newer_version_is_refused(make_app):
    """Two users (two browser sessions) open the same order; the second save conflicts."""
    from tests.web_helpers import client_for, csrf, make_user

    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["kt_approval"])
    for login in ("clerk", "clerk2"):
        make_user(app, login, ["kt_approval.group_clerk"])
    with runtime.env() as env:
        oid = env["kt.order"].create({"amount_total": 10, "note": "first", "name": "KT-1"})
    alice, bob = client_for(app, "clerk"), client_for(app, "clerk2")
    seen_by_alice, seen_by_bob = _form_version(alice, oid), _form_version(bob, oid)
    assert seen_by_alice == seen_by_bob

    def save(client, version, note, amount="10"):
        return client.post(f"/web/kt.order/{oid}", data={
            "csrf_token": csrf(client, f"/web/kt.order/{oid}"), "__last_update": version,
            "name": "KT-1", "amount_total": amount, "note": note, "reviewer_id": "",
            "reviewer_id_display": ""})

    time.sleep(0.01)
    assert save(alice, seen_by_alice, "Alice's note").status_code == 302
    response = save(bob, seen_by_bob, "Bob's note", amount="12")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Clerk changed this record" in html and "Note: first → Alice&#39;s note" in html
    assert "Saved meanwhile by someone else: Alice&#39;s note" in html  # beside the field
    assert 'value="Bob&#39;s note"' in html and 'value="12"' in html  # Bob's input is kept
    assert f'name="__last_update" value="{seen_by_bob}"' in html  # still the version he read
    with runtime.env() as env:
        row = env["kt.order"].read([oid], ["note", "amount_total"])[0]
    assert (row["note"], row["amount_total"]) == ("Alice's note", 10)
    # deleting from the stale page conflicts too: back to the form, nothing deleted
    response = bob.post(f"/web/kt.order/{oid}/delete", data={
        "csrf_token": csrf(bob, f"/web/kt.order/{oid}"), "__last_update": seen_by_bob})
    assert response.headers["Location"] == f"/web/kt.order/{oid}"
    assert "Clerk changed this record" in bob.get(f"/web/kt.order/{oid}").get_data(as_text=True)
    # saving again without reloading conflicts again; after a reload it goes through
    assert save(bob, seen_by_bob, "Bob's note").status_code == 409
    assert save(bob, _form_version(bob, oid), "Bob's note").status_code == 302
    with runtime.env() as env:
        assert env["kt.order"].read([oid], ["note"])[0]["note"] == "Bob's note"


def test_deleting_a_changed_record_conflicts_too(order):
    """Like Odoo, a delete carrying the version read (context form) is checked as well."""
    runtime, people, oid = order
    seen = _last_update(runtime, oid)
    time.sleep(0.01)
    with runtime.env() as env:
        env(uid=people.clerk, su=False)["kt.order"].write([oid], {"note": "changed"})
    context = {"__last_update": {f"kt.order,{oid}": seen.isoformat()}}
    with pytest.raises(ConcurrencyError), runtime.env() as env:
        env(uid=people.clerk2, su=False, context=context)["kt.order"].unlink([oid])
    with runtime.env() as env:
        assert env["kt.order"].search_count([("id", "=", oid)]) == 1
        fresh = {"__last_update": {f"kt.order,{oid}": _last_update(runtime, oid).isoformat()}}
        env(uid=people.clerk2, su=False, context=fresh)["kt.order"].unlink([oid])
        assert env["kt.order"].search_count([("id", "=", oid)]) == 0
