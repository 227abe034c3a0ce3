"""Parallel writes (issue 17, items 6 and 7): a served app answers every one of many parallel
creates (SQLite queues its writers at ``BEGIN IMMEDIATE`` instead of failing them with "database
is locked"), and the same voucher posted by eight requests at once is posted once, numbered once,
with no gap left in the journal's numbers."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from core.errors import UserError

from .api_live import live  # noqa: F401

THREADS, PER_THREAD = 8, 100


def test_parallel_creates_against_a_served_app_all_succeed(live):  # noqa: F811
    key = live.key(live.demo_uid)
    errors: list[str] = []

    def create(n: int) -> int:
        body = json.dumps({"name": f"PAR-{n}", "line_ids": [
            [0, 0, {"name": "item", "qty": "2", "price_unit": "3.50"}]]}).encode()
        request = urllib.request.Request(
            live.url + "/api/v1/kt.sale", data=body, method="POST", headers={
                "Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            errors.append(f"{error.code}: {error.read()[:200]!r}")
            return error.code

    def worker(first: int) -> list[int]:
        return [create(first + i) for i in range(PER_THREAD)]

    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        statuses = [s for batch in pool.map(worker, range(0, THREADS * PER_THREAD, PER_THREAD))
                    for s in batch]
    elapsed = time.monotonic() - started
    assert not errors, f"{len(errors)} errors in {elapsed:.1f} s, first: {errors[:3]}"
    assert statuses.count(201) == THREADS * PER_THREAD, set(statuses)
    with live.runtime.env() as env:
        assert env["kt.sale"].search_count([("name", "=like", "PAR-%")]) == THREADS * PER_THREAD
        assert env["kt.sale.line"].search_count([]) == THREADS * PER_THREAD


def test_one_voucher_posted_in_parallel_is_posted_once_without_gaps(make_runtime):
    from tests.addons.test_account_helpers import voucher

    runtime = make_runtime()
    runtime.manager.install(["accounting"])
    with runtime.env() as env:
        first = voucher(env, [("1002", 100, 0), ("4001", 0, 100)])
        contested = voucher(env, [("1002", 5, 0), ("4001", 0, 5)], post=False)
        later = voucher(env, [("1002", 7, 0), ("4001", 0, 7)], post=False)
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = []

    def post() -> None:
        barrier.wait(10)
        try:
            with runtime.env() as env:
                env["account.move"].call("action_post", [contested])
            outcomes.append("posted")
        except Exception as exc:  # noqa: BLE001 - counted below
            outcomes.append(exc)

    threads = [threading.Thread(target=post) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert outcomes.count("posted") == 1, outcomes
    refused = [o for o in outcomes if o != "posted"]
    assert len(refused) == THREADS - 1
    assert all(isinstance(o, UserError) and "not a draft" in str(o) for o in refused), refused
    with runtime.env() as env:
        env["account.move"].call("action_post", [later])
        names = {r["id"]: r["name"] for r in env["account.move"].search_read([], ["name"])}
    numbers = sorted(int(names[m].rsplit("/", 1)[1]) for m in (first, contested, later))
    assert numbers == [1, 2, 3], names
