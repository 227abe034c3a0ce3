"""A worker's peak memory after N requests (run as a subprocess by the footprint section).

``python -m benchmarks.rss SETTINGS_JSON LOGIN PASSWORD N`` builds the app with every installed
addon, logs in, serves ``N`` requests of the benchmark mix (lists, forms, searches) through the
WSGI stack in this process, and prints the resident set size after a tenth of the requests and at
the end (one line, bytes), then the peak (last line, bytes).

The peak is the process's own high-water mark (``VmHWM``). ``getrusage``'s ``ru_maxrss`` is not:
on Linux it survives ``exec``, so a probe started from a big parent (the benchmark process,
holding its data set) reported the parent's size at the fork, e.g. 433 MiB for a worker whose
own peak was 125 MiB.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from .bench_db import login_client

PATHS = ("/web/res.partner", "/web/res.partner?filter=companies&order=name",
         "/web/res.partner/name_search?q=%E4%B8%8A", "/web/res.partner?groupby=city",
         "/web/product.product", "/web/sale.order", "/")


def main(argv: list[str]) -> int:
    settings, login, password, count = json.loads(argv[0]), argv[1], argv[2], int(argv[3])
    from core.app import create_app

    app = create_app(settings)
    client = login_client(app, login, password)
    paths = [p for p in PATHS if client.get(p).status_code == 200]
    first = client.get("/web/res.partner?filter=companies").get_data(as_text=True)
    marker = 'href="/web/res.partner/'
    start = first.find(marker)
    if start >= 0:
        paths.append(first[start + 6:first.find('"', start + 6)])
    early = 0
    for i in range(count):
        response = client.get(paths[i % len(paths)])
        if response.status_code != 200:
            raise SystemExit(f"{paths[i % len(paths)]}: {response.status_code}")
        if i + 1 == max(count // 10, 1):
            early = memory("VmRSS")
    print(early, memory("VmRSS"))
    print(memory("VmHWM"))
    return 0


def memory(key: str) -> int:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process in bytes (``ru_maxrss`` where
    ``/proc`` is missing)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
