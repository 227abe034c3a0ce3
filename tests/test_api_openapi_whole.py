"""Schemathesis over the whole OpenAPI document of a sales install (every model's routes), as a
salesperson and as an administrator: no request may end in a server error (issue 17).

Bounded to stay within a minute or two: one generated case per operation and phase, requests
spread over a few workers; every other check is left to the focused run of
``test_api_openapi_fuzz.py``."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from typing import Any

import pytest

from .api_live import DB_NAME
from .serving import serving


@pytest.fixture
def sales_server(make_app: Any) -> Any:
    app = make_app(DATABASE_NAME=DB_NAME)
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["sales"])
    from core.api.apikeys import generate_key

    with runtime.env() as env:
        seller = env["res.users"].create({
            "login": "seller", "name": "Seller", "password": "seller-pass-1",
            "groups_id": [(6, 0, [env.ref_id("sales.group_assistant")])]})
        keys = {"salesperson": generate_key(env, seller, "fuzz"),
                "admin": generate_key(env, env.ref_id("base.user_admin"), "fuzz")}
    with serving(app) as port:
        yield f"http://127.0.0.1:{port}", keys


@pytest.mark.parametrize("who", ["salesperson", "admin"])
def test_whole_api_has_no_server_errors(sales_server, who, tmp_path):
    url, keys = sales_server
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", f"{url}/api/v1/openapi.json",
         "--header", f"Authorization: Bearer {keys[who]}", "--checks", "not_a_server_error",
         "--phases", "examples,fuzzing", "--max-examples", "1", "--seed", "20261207",
         "--request-timeout", "20", "--no-color", "--generation-database", "none",
         "--workers", "2"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600)
    elapsed = time.monotonic() - started
    report = f"{who}: {elapsed:.0f} s\n{result.stdout[-8000:]}{result.stderr[-2000:]}"
    assert result.returncode == 0, report
    tested = re.search(r"Tested: (\d+)", result.stdout)
    assert tested and int(tested.group(1)) >= 100, report  # the whole document really ran
    print(who, f"{elapsed:.0f} s", *re.findall(r"^.*(?:Tested|Operations|Test cases|Failures).*$",
                                                result.stdout, re.M))
