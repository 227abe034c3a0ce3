"""Section 4: gunicorn with 1, 2 and 4 workers on PostgreSQL under a load of logged-in users.

Each of the simulated users logs in once over HTTP (CSRF token from the login form, then the
signed session cookie, reused for every request) and opens their own contact's form once to get
the form's fields and CSRF token for saves. ``wrk`` then drives the server on 127.0.0.1 only, for
a bounded time, with a mix of list pages, forms, searches and saves (a Lua script written here).
Every gunicorn started here is stopped here, by its process id.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

from . import cpu
from .bench_db import USER_PASSWORD, Bench, HttpUser, form_fields, wait_for_port
from .measure import Figure, Results

__all__ = ["run_scaleout"]

SECTION = "4 scale-out"
AGENT = "kangyi-benchmarks"
ROOT = Path(__file__).resolve().parent.parent
#: share of each kind of request in the mix, out of 20
MIX = {"list": 8, "form": 5, "search": 4, "save": 3}

_LUA = """
local users = {USERS}
local lists = {LISTS}
local searches = {SEARCHES}
local n = 0
function init(args)
  n = tonumber(args[1] or "0")
end
function request()
  n = n + 1
  local u = users[(n % #users) + 1]
  local r = n % 20
  local headers = {{["Cookie"] = u.c, ["User-Agent"] = "{AGENT}"}}
  if r < {LIST_END} then
    return wrk.format("GET", lists[(n % #lists) + 1], headers)
  elseif r < {FORM_END} then
    return wrk.format("GET", u.f, headers)
  elseif r < {SEARCH_END} then
    return wrk.format("GET", searches[(n % #searches) + 1], headers)
  end
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", u.f, headers, u.b)
end
function done(summary, latency, requests)
  io.write(string.format('{{"requests":%d,"duration_us":%d,"p50":%d,"p95":%d,"p99":%d,' ..
    '"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"""


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(bench: Bench, workers: int, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "KANGYI_DATABASE_URL": bench.url,
           "KANGYI_SECRET_KEY": bench.settings()["SECRET_KEY"],
           "KANGYI_INSTANCE": bench.settings()["INSTANCE_PATH"]}
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "core.app:create_app()"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _peak_rss(pid: int) -> int:
    """VmHWM of a process, in bytes (0 when unreadable)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _script(base: str, users: list[tuple[str, int]], folder: Path) -> Path:
    """Log every user in, read their form, and write the wrk script."""
    entries = []
    for login, partner_id in users:
        user = HttpUser(base, login, USER_PASSWORD)
        user.http.headers["User-Agent"] = AGENT
        path = f"/web/res.partner/{partner_id}"
        # without the version stamp: wrk repeats one body, which would be stale after a save
        fields = [(k, v) for k, v in form_fields(user.get(path).text)
                  if k not in ("phone", "__last_update")]
        body = urlencode([*fields, ("phone", f"021-{partner_id:08d}")])
        saved = user.http.post(base + path, data=body, allow_redirects=False,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
        if saved.status_code != 302 or "/web/login" in saved.headers.get("Location", ""):
            raise RuntimeError(f"a save of {path} as {login} failed: {saved.status_code}")
        entries.append(f"{{c={_lua_string(user.cookie_header())}, f={_lua_string(path)}, "
                       f"b={_lua_string(body)}}}")
        user.close()
    lists = ["/web/res.partner", "/web/res.partner?filter=companies&order=name",
             "/web/res.partner?page=5", "/web/res.partner?groupby=city"]
    searches = ["/web/res.partner?q=%E6%9D%AD%E5%B7%9E", "/web/res.partner/name_search?q=%E5%8D%8E",
                "/web/res.partner?q=Bench"]
    ends, total = {}, 0
    for kind, share in MIX.items():
        total += share
        ends[kind] = total
    script = _LUA.format(USERS="{" + ",\n".join(entries) + "}",
                         LISTS="{" + ", ".join(_lua_string(p) for p in lists) + "}",
                         SEARCHES="{" + ", ".join(_lua_string(p) for p in searches) + "}",
                         AGENT=AGENT, LIST_END=ends["list"], FORM_END=ends["form"],
                         SEARCH_END=ends["search"])
    path = folder / "mix.lua"
    path.write_text(script, encoding="utf-8")
    return path


def _wrk(base: str, script: Path, connections: int, seconds: int) -> dict[str, int]:
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s",
                          "--timeout", "10s", "-s", str(script), base + "/"],
                         capture_output=True, text=True, check=True, timeout=seconds + 60)
    line = [x for x in out.stdout.splitlines() if x.startswith("{")][-1]
    return json.loads(line)


def run_scaleout(bench: Bench, results: Results, users: list[tuple[str, int]],
                 worker_counts: list[int], seconds: int) -> None:
    """Load-test gunicorn at each worker count; PostgreSQL and wrk only."""
    if bench.dialect != "postgresql":
        results.note("Scale-out: skipped on SQLite (the issue measures it on PostgreSQL; "
                     "run with --database postgresql+psycopg://…).")
        return
    if shutil.which("wrk") is None:
        results.note("Scale-out: skipped, wrk is not installed (apt-get install -y wrk).")
        return
    rows, first_rate = [], None
    for workers in worker_counts:
        port = _free_port()
        process = _start(bench, workers, port)
        try:
            wait_for_port(port)
            base = f"http://127.0.0.1:{port}"
            script = _script(base, users, bench.workdir)
            _wrk(base, script, len(users), 2)  # warm every worker up
            before = cpu.sample(bench.engine, process.pid)
            stats = _wrk(base, script, len(users), seconds)
            used = cpu.split(before, cpu.sample(bench.engine, process.pid))
            peaks = [_peak_rss(pid) for pid in _children(process.pid)]
        finally:
            _stop(process)
        rate = stats["requests"] / (stats["duration_us"] / 1e6)
        errors = sum(stats[k] for k in ("status", "connect", "read", "write", "timeout"))
        first_rate = first_rate or rate
        rows.append([str(workers), f"{rate:.0f}", f"{stats['p50'] / 1000:.1f}",
                     f"{stats['p95'] / 1000:.1f}", f"{stats['p99'] / 1000:.1f}", str(errors),
                     f"{rate / first_rate:.2f}×",
                     f"{max(peaks, default=0) / 1024 / 1024:.0f} MiB",
                     " / ".join(f"{part} {spent / seconds * 100:.0f} %"
                                for part, spent in used.items()),
                     f"{used['gunicorn'] / max(stats['requests'], 1) * 1000:.1f} ms"])
        results.add(Figure(SECTION, f"{workers} worker(s), {len(users)} users, requests/s",
                           rate, "req/s", limit=100.0, lower_is_better=False))
        results.add(Figure(SECTION, f"{workers} worker(s): p95 latency", stats["p95"] / 1000,
                           "ms"))
        results.add(Figure(SECTION, f"{workers} worker(s): errors", errors, "errors",
                           limit=0))
    results.table(f"Scale-out: gunicorn (sync workers) on PostgreSQL, wrk -c {len(users)} for "
                  f"{seconds} s, mix {MIX} (of 20)",
                  ["workers", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "vs 1 worker",
                   "worker peak RSS", "CPU (% of one CPU)", "gunicorn CPU per request"], rows)
    results.note(f"Scale-out: this machine has {os.cpu_count()} CPUs shared by the load tool, "
                 "gunicorn and PostgreSQL, so throughput cannot grow past 2 workers here; the "
                 "CPU column splits the busy time of the measured run between gunicorn (master "
                 "and workers), the PostgreSQL backends of the benchmark's database, wrk and the "
                 "rest of the machine (other work), in % of one CPU (200 % = both busy).")
