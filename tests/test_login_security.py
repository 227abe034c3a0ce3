"""One login throttle for every door, shared by every worker (issue 17, item 4), and sessions
that end on logout, on a new password and on an administrator's "log out everywhere" on every
worker (item 5). Two apps on one database stand for two gunicorn workers."""

from __future__ import annotations

import socket
import xmlrpc.client
from typing import Any

import pytest

from .api_live import DB_NAME
from .web_helpers import csrf, login, make_user

PASSWORD = "password123"


def form_login(client: Any, user: str, password: str) -> int:
    return client.post("/web/login", data={"login": user, "password": password,
                                           "csrf_token": csrf(client)}).status_code


def session_authenticate(client: Any, user: str, password: str) -> dict[str, Any]:
    return client.post("/web/session/authenticate", json={"jsonrpc": "2.0", "params": {
        "db": DB_NAME, "login": user, "password": password}}).get_json()


def rpc_authenticate(client: Any, user: str, password: str) -> Any:
    body = xmlrpc.client.dumps((DB_NAME, user, password, {}), "authenticate")
    reply = client.post("/xmlrpc/2/common", data=body, content_type="text/xml")
    try:
        return xmlrpc.client.loads(reply.data)[0][0]
    except xmlrpc.client.Fault as fault:
        return fault


def jsonrpc_authenticate(client: Any, user: str, password: str) -> dict[str, Any]:
    return client.post("/jsonrpc", json={"jsonrpc": "2.0", "method": "call", "params": {
        "service": "common", "method": "authenticate",
        "args": [DB_NAME, user, password, {}]}}).get_json()


@pytest.fixture
def workers(make_app: Any) -> tuple[Any, Any]:
    first = make_app(DATABASE_NAME=DB_NAME)
    make_user(first, "ann", ["base.group_user"], password=PASSWORD)
    return first, make_app(init=False, DATABASE_NAME=DB_NAME)


def test_every_login_door_shares_one_throttle_across_workers(workers):
    one, two = workers
    a, b = one.test_client(), two.test_client()
    assert form_login(a, "ann", "wrong-1") == 401
    assert "error" in session_authenticate(b, "ann", "wrong-2")
    assert rpc_authenticate(a, "ann", "wrong-3") is False
    assert jsonrpc_authenticate(b, "ann", "wrong-4")["result"] is False
    assert form_login(b, "ann", "wrong-5") == 401
    # five failures, on two workers and four doors: the right password is refused everywhere
    assert form_login(a, "ann", PASSWORD) == 429
    reply = session_authenticate(b, "ann", PASSWORD)
    assert "Too many failed attempts" in reply["error"]["data"]["message"], reply
    assert isinstance(rpc_authenticate(b, "ann", PASSWORD), xmlrpc.client.Fault)
    assert "error" in jsonrpc_authenticate(a, "ann", PASSWORD)
    # other logins are not affected
    make_user(one, "bob", ["base.group_user"], password=PASSWORD)
    assert form_login(a, "bob", PASSWORD) == 302


def test_session_authenticate_alone_is_throttled(workers):
    one, _two = workers
    client = one.test_client()
    for attempt in range(5):
        assert "error" in session_authenticate(client, "ann", f"guess-{attempt}")
    assert "error" in session_authenticate(client, "ann", PASSWORD)
    assert client.post("/web/dataset/call_kw", json={"params": {
        "model": "res.partner", "method": "search", "args": [[]], "kwargs": {}}}
    ).get_json().get("error")


def test_api_key_guesses_are_throttled(workers):
    from core.api.apikeys import generate_key

    one, two = workers
    with one.extensions["kangyi"].env() as env:
        uid = env["res.users"].search([("login", "=", "ann")])[0]
        key = generate_key(env, uid, "script")
    client = two.test_client()
    assert client.get("/api/v1/res.partner",
                      headers={"Authorization": f"Bearer {key}"}).status_code == 200
    # five wrong keys (a guess ending as the key itself would be the key: 1 run in 256 had it)
    for suffix in [s for s in (f"{n:02x}" for n in range(6)) if s != key[-2:]][:5]:
        guess = key[:-2] + suffix
        assert client.get("/api/v1/res.partner",
                          headers={"Authorization": f"Bearer {guess}"}).status_code == 401
    refused = one.test_client().get("/api/v1/res.partner",
                                    headers={"Authorization": f"Bearer {key}"})
    assert refused.status_code == 429


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=3).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
def test_throttle_in_redis_when_configured(make_app):
    import redis

    url = "redis://127.0.0.1:6379/13"
    redis.Redis.from_url(url).flushdb()
    one = make_app(DATABASE_NAME=DB_NAME, LOGIN_THROTTLE_STORAGE=url)
    make_user(one, "ann", ["base.group_user"], password=PASSWORD)
    two = make_app(init=False, DATABASE_NAME=DB_NAME, LOGIN_THROTTLE_STORAGE=url)
    for n in range(5):
        assert form_login(one.test_client(), "ann", f"wrong-{n}") == 401
    assert form_login(two.test_client(), "ann", PASSWORD) == 429
    assert redis.Redis.from_url(url).keys("*kangyi-login*")
    with one.extensions["kangyi"].env() as env:  # nothing counted in the database
        from core.throttle import attempts_table

        assert not env.session.execute(attempts_table.select()).all()
    redis.Redis.from_url(url).flushdb()


def _home(client: Any) -> int:
    return client.get("/").status_code


def _stolen_copy(app: Any, client: Any) -> Any:
    """A second client carrying the same session cookie (a copied cookie)."""
    thief = app.test_client()
    cookie = client.get_cookie("session")
    thief.set_cookie("session", cookie.value)
    return thief


def test_logout_ends_the_session_on_every_worker(workers):
    one, two = workers
    client = one.test_client()
    login(client, "ann", PASSWORD)
    thief = _stolen_copy(two, client)
    assert _home(client) == 200 and _home(thief) == 200
    assert client.post("/web/logout", data={"csrf_token": csrf(client, "/")}).status_code == 302
    assert _home(thief) == 302  # the copied cookie, on the other worker, is logged out too
    login(client, "ann", PASSWORD)  # a new login works
    assert _home(client) == 200


def test_password_change_ends_other_sessions_only(workers):
    one, two = workers
    desk, phone = one.test_client(), two.test_client()
    login(desk, "ann", PASSWORD)
    login(phone, "ann", PASSWORD)
    token = csrf(desk, "/web/preferences")
    changed = desk.post("/web/preferences", data={
        "pw-old_password": PASSWORD, "pw-new_password": "another-pass-1",
        "pw-confirm": "another-pass-1", "csrf_token": token})
    assert changed.status_code == 302, changed.get_data(as_text=True)
    assert _home(desk) == 200  # the session that changed it goes on
    assert _home(phone) == 302


def test_admin_logs_a_user_out_everywhere(workers):
    one, two = workers
    ann = two.test_client()
    login(ann, "ann", PASSWORD)
    session = session_authenticate(one.test_client(), "ann", PASSWORD)
    assert session["result"]["uid"]
    admin = one.test_client()
    login(admin, "admin", "admin1234")
    with one.extensions["kangyi"].env() as env:
        uid = env["res.users"].search([("login", "=", "ann")])[0]
    reply = admin.post("/web/dataset/call_kw", json={"params": {
        "model": "res.users", "method": "action_logout_everywhere", "args": [[uid]],
        "kwargs": {}}}).get_json()
    assert reply.get("result") is True, reply
    assert _home(ann) == 302
    assert _home(admin) == 200
    # a user may not log others out
    login(ann, "ann", PASSWORD)
    reply = ann.post("/web/dataset/call_kw", json={"params": {
        "model": "res.users", "method": "action_logout_everywhere",
        "args": [[env_admin_uid(one)]], "kwargs": {}}}).get_json()
    assert reply.get("error"), reply


def env_admin_uid(app: Any) -> int:
    with app.extensions["kangyi"].env() as env:
        return env.ref_id("base.user_admin")
