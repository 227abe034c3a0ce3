"""A form save PostgreSQL gives up because of another transaction (a deadlock) shows the form
again with the user's input and a translated "try again" (409), not the error page; nothing of
it is saved, and sending it again saves it."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event, text

from core.db import create_engine
from tests.test_web_lines import posted_form
from tests.web_helpers import client_for, make_user

TRY_AGAIN = "同一数据同时有另一项更改在保存；本次未保存任何内容，请重试。"


def _form(page: str, name: str) -> dict[str, str]:
    """The form as shown, with the order's and its line's names changed."""
    return {**posted_form(page), "name": name, "line_ids-0-name": f"{name} line"}


def _waiting_for_a_lock(watch, pid: int) -> bool:
    return bool(watch.scalar(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid "
                                  "AND wait_event_type = 'Lock'"), {"pid": pid}))


def _deadlock(engine, order: int, line: int) -> threading.Event:
    """Another transaction holds the order's line; when the save, holding the order, is about
    to update the line, it asks for the order and waits: the save's update closes the cycle,
    and PostgreSQL gives the save up (the other's deadlock check comes much later)."""
    holding, go = threading.Event(), threading.Event()
    pid: list[int] = []

    def other() -> None:
        with engine.connect() as conn:
            conn.execute(text("SET LOCAL deadlock_timeout = '30s'"))
            pid.append(conn.scalar(text("SELECT pg_backend_pid()")))
            conn.execute(text("UPDATE kt_order_line SET name = name WHERE id = :id"),
                         {"id": line})
            holding.set()
            go.wait(30)
            conn.execute(text("UPDATE kt_order SET name = name WHERE id = :id"), {"id": order})
            conn.commit()

    tester = threading.current_thread()  # the web request's, not the other's
    watch = create_engine(str(engine.url.render_as_string(hide_password=False)))

    def before_line_update(conn, _cursor, statement, *_args) -> None:
        if (threading.current_thread() is tester and not go.is_set()
                and statement.startswith("UPDATE kt_order_line")):
            go.set()
            with watch.connect() as seen:
                for _ in range(600):
                    if _waiting_for_a_lock(seen, pid[0]):
                        break
                    time.sleep(0.05)

    event.listen(engine, "before_cursor_execute", before_line_update)
    thread = threading.Thread(target=other)
    thread.start()
    assert holding.wait(30)
    return thread, lambda: (event.remove(engine, "before_cursor_execute", before_line_update),
                            watch.dispose())


def test_a_form_save_given_up_for_a_deadlock_asks_to_try_again(make_app):
    app = make_app()
    runtime = app.extensions["kangyi"]
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writing transaction at a time: no deadlock")
    runtime.manager.install(["kt_web"])
    zhu = make_user(app, "zhu", ["kt_web.group_user"], lang="zh_CN")
    with runtime.env() as env:  # the rule "Own orders": the user's own
        order = env["kt.order"].create({"name": "SO1", "user_id": zhu,
                                        "line_ids": [(0, 0, {"name": "Pump"})]})
        line = env["kt.order"].read([order], ["line_ids"])[0]["line_ids"][0]
    client = client_for(app, "zhu")
    page = client.get(f"/web/kt.order/{order}").get_data(as_text=True)
    other, done = _deadlock(runtime.engine, order, line)
    try:
        refused = client.post(f"/web/kt.order/{order}", data=_form(page, "SO1-A"))
    finally:
        other.join(60)
        done()
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409, html
    assert TRY_AGAIN in html and 'value="SO1-A"' in html  # the form, with the user's input
    with runtime.env() as env:
        assert env["kt.order"].read([order], ["name"])[0]["name"] == "SO1"
        assert env["kt.order.line"].read([line], ["name"])[0]["name"] == "Pump"
    again = client.post(f"/web/kt.order/{order}",
                        data=_form(page, "SO1-A"))
    assert again.status_code == 302, again.get_data(as_text=True)
    with runtime.env() as env:
        assert env["kt.order"].read([order], ["name"])[0]["name"] == "SO1-A"
        assert env["kt.order.line"].read([line], ["name"])[0]["name"] == "SO1-A line"
