"""Section 5: how long the app takes to build, each addon to install, and a worker's memory.

The cold build runs in a fresh interpreter (imports included, from bytecode as an installed
package has it), as a gunicorn worker starts; the
warm build is ``create_app`` plus the registry of every installed addon in this process.
Database growth per 1,000 documents comes from section 1.
"""

from __future__ import annotations

import compileall
import json
import statistics
import subprocess
import sys
from pathlib import Path

from sqlalchemy.orm import Session

from .bench_db import Bench
from .measure import Figure, Results, median_seconds

__all__ = ["run_footprint"]

SECTION = "5 footprint"
ROOT = Path(__file__).resolve().parent.parent

_COLD = """
import time, json, sys
start = time.perf_counter()
from sqlalchemy.orm import Session
from core.app import create_app
app = create_app(json.loads(sys.argv[1]))
runtime = app.extensions["kangyi"]
with Session(runtime.engine) as session:
    runtime.registry_for(session)
print(time.perf_counter() - start)
"""


def _warm_build(bench: Bench) -> None:
    app = bench.app()
    runtime = app.extensions["kangyi"]
    with Session(runtime.engine) as session:
        runtime.registry_for(session)
    runtime.engine.dispose()


def _compile_bytecode() -> None:
    """Write the project's bytecode, as ``pip install`` does for an installed package: an
    editable checkout under ``PYTHONDONTWRITEBYTECODE`` would compile every module at each
    start (about 0.2 s of a fresh worker's build)."""
    for package in ("core", "addons"):
        compileall.compile_dir(ROOT / package, quiet=1)


def _cold_build(bench: Bench) -> float:
    out = subprocess.run([sys.executable, "-c", _COLD, json.dumps(bench.settings())],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def run_footprint(bench: Bench, results: Results, runs: int, requests: int, login: str,
                  password: str) -> None:
    warm = median_seconds(lambda: _warm_build(bench), runs)
    _compile_bytecode()
    cold = statistics.median(_cold_build(bench) for _i in range(max(runs - 1, 1)))
    addons = ", ".join(bench.installed)
    results.add(Figure(SECTION, f"build the app, fresh interpreter ({len(bench.installed)} "
                       "addons)", cold, "s", limit=1.0))
    results.add(Figure(SECTION, "build the app, warm (create_app + registry)", warm, "s",
                       limit=1.0))
    results.note(f"Installed addons: {addons}.")
    rows = [[name, f"{seconds * 1000:.0f} ms"] for name, seconds in bench.install_seconds.items()]
    rows += [[name, f"not installed: {why}"] for name, why in bench.failed.items()]
    results.table("Install time per addon (median of install/uninstall cycles)",
                  ["addon", "install time"], rows)
    for name, seconds in bench.install_seconds.items():
        results.add(Figure(SECTION, f"install {name}", seconds * 1000, "ms"))
    out = subprocess.run([sys.executable, "-m", "benchmarks.rss", json.dumps(bench.settings()),
                          login, password, str(requests)], capture_output=True, text=True,
                         check=False, cwd=ROOT)
    if out.returncode != 0:
        results.note(f"Footprint: the memory probe failed: {out.stderr.strip()[-300:]}")
        return
    *_rest, sizes, peak_line = out.stdout.strip().splitlines()
    early, end = (int(x) for x in sizes.split())
    results.add(Figure(SECTION, f"peak RSS of a worker after {requests:,} requests",
                       int(peak_line) / 1024 / 1024, "MiB", limit=150.0))
    results.add(Figure(SECTION, f"RSS growth from request {max(requests // 10, 1):,} to "
                       f"{requests:,}", (end - early) / 1024 / 1024, "MiB"))
