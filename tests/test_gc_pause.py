"""The cyclic garbage collector is paused while ``read_group`` builds its groups
(``core.gc_pause``): a report of many groups is not slowed by collections walking the heap."""

from __future__ import annotations

import gc
import threading

from core.gc_pause import gc_paused


def test_read_group_of_many_groups_runs_no_collection(runtime):
    runtime.manager.install(["kt_alpha"])
    with runtime.env() as env:
        env["kt.thing"].create([{"name": f"thing {i}", "qty": i} for i in range(3000)])
        env.session.flush()
        collections = []

        def seen(phase, info):
            if phase == "start":
                collections.append(info["generation"])

        gc.collect()
        gc.callbacks.append(seen)
        try:
            groups = env["kt.thing"].read_group([], ["qty:sum"], ["name"], lazy=False)
        finally:
            gc.callbacks.remove(seen)
    assert len(groups) > 3000
    # at most the one the collector runs when it resumes (the allocations of the pause count);
    # without the pause, a collection every 700 allocations: ~30 here
    assert len(collections) <= 1 and gc.isenabled()


def test_nested_and_concurrent_pauses_resume_the_collector_once_all_end():
    entered, leave = threading.Event(), threading.Event()

    def other_thread():
        with gc_paused():
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=other_thread)
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        thread.start()
        entered.wait(10)
    assert not gc.isenabled()  # the other thread's pause still runs
    leave.set()
    thread.join(10)
    assert gc.isenabled()
