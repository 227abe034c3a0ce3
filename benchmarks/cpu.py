"""Who used the CPUs during a load test: gunicorn, the PostgreSQL backends of the benchmark's
database, the load tool, and everything else on the machine (other engineers' work).

Read from ``/proc`` (Linux): each process's user + system time, and the machine's busy time
from ``/proc/stat``, sampled before and after the measured run. The load tool's time is this
process's waited children's (``RUSAGE_CHILDREN``), so it must be the only child to finish
meanwhile.
"""

from __future__ import annotations

import dataclasses
import os
import resource
from pathlib import Path

from sqlalchemy import Engine, text

__all__ = ["CpuSample", "sample", "split"]

_TICK = os.sysconf("SC_CLK_TCK")


def _process_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def _children(pid: int) -> list[int]:
    try:
        text_ = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:
        return []
    return [int(p) for p in text_.split()]


def _machine_busy() -> float:
    """Seconds the machine's CPUs were busy since boot (all but idle and iowait)."""
    values = [int(v) for v in Path("/proc/stat").read_text(encoding="ascii")
              .splitlines()[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / _TICK


def _backends(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return [int(pid) for pid in conn.scalars(text(
            "select pid from pg_stat_activity where datname = current_database() "
            "and pid <> pg_backend_pid()"))]


@dataclasses.dataclass(frozen=True)
class CpuSample:
    gunicorn: dict[int, float]
    postgres: dict[int, float]
    load_tool: float
    machine: float


def sample(engine: Engine, gunicorn_pid: int) -> CpuSample:
    pids = [gunicorn_pid, *_children(gunicorn_pid)]
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return CpuSample({p: _process_seconds(p) for p in pids},
                     {p: _process_seconds(p) for p in _backends(engine)},
                     usage.ru_utime + usage.ru_stime, _machine_busy())


def split(before: CpuSample, after: CpuSample) -> dict[str, float]:
    """CPU seconds used between the samples by each party; a process seen only in ``after``
    counts from zero."""
    def spent(old: dict[int, float], new: dict[int, float]) -> float:
        return sum(seconds - old.get(pid, 0.0) for pid, seconds in new.items())

    parts = {"gunicorn": spent(before.gunicorn, after.gunicorn),
             "PostgreSQL": spent(before.postgres, after.postgres),
             "wrk": after.load_tool - before.load_tool}
    parts["rest of the machine"] = max(after.machine - before.machine - sum(parts.values()), 0.0)
    return parts
