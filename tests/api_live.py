"""A live Kangyi server for the API tests: werkzeug on 127.0.0.1, port 0, in a thread.

Test modules import the ``live`` fixture from here. The server runs the fixture addons with
``kt_order`` (orders with lines and tags) installed, an admin (``admin``/``admin1234``) and an
internal user ``demo``/``demo1234``; ``live.key(uid)`` makes an API key.
"""

from __future__ import annotations

import dataclasses
import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from .serving import serving

DB_NAME = "kangyi_test"
ADMIN_PASSWORD = "admin1234"
DEMO_PASSWORD = "demo1234"


@dataclasses.dataclass
class LiveServer:
    app: Any
    url: str
    port: int
    db: str
    admin_uid: int
    demo_uid: int

    @property
    def runtime(self) -> Any:
        return self.app.extensions["kangyi"]

    def key(self, uid: int, name: str = "tests") -> str:
        from core.api.apikeys import generate_key

        with self.runtime.env() as env:
            return generate_key(env, uid, name)

    def jsonrpc(self, path: str, params: dict[str, Any],
                headers: dict[str, str] | None = None) -> dict[str, Any]:
        """POST a JSON-RPC call; the decoded reply (HTTP status must be 200)."""
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params, "id": 7})
        request = urllib.request.Request(self.url + path, data=body.encode(), headers={
            "Content-Type": "application/json", **(headers or {})})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200
            return json.load(response)


@pytest.fixture
def live(make_app: Any) -> Iterator[LiveServer]:
    app = make_app(DATABASE_NAME=DB_NAME)
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["kt_order"])
    with runtime.env() as env:
        admin_uid = env.ref_id("base.user_admin")
        demo_uid = env["res.users"].create({
            "login": "demo", "name": "Demo", "password": DEMO_PASSWORD,
            "groups_id": [(6, 0, [env.ref_id("base.group_user")])]})
    with serving(app) as port:
        yield LiveServer(app, f"http://127.0.0.1:{port}", port, DB_NAME, admin_uid, demo_uid)
