"""Timing, query counting and the results table.

Every figure is the median of several runs; a comparison puts Kangyi and its baseline in one
:class:`Figure`, measured side by side in the same run, with their ratio and the issue's target.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event, text

__all__ = ["median_seconds", "Figure", "Results", "QueryCounter", "machine_info"]


def median_seconds(func: Callable[[], Any], runs: int, setup: Callable[[], Any] | None = None,
                   warmup: int = 1) -> float:
    """The median wall time of ``func()`` over ``runs`` runs (after ``warmup`` unmeasured ones);
    ``setup()`` runs untimed before each call."""
    for _i in range(warmup):
        if setup is not None:
            setup()
        func()
    times = []
    for _i in range(max(runs, 1)):
        if setup is not None:
            setup()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@dataclasses.dataclass
class Figure:
    """One row of the table: a measure, Kangyi's value, the baseline's, and the target.

    ``lower_is_better`` says how to read ``value`` against ``limit`` when there is no baseline
    (e.g. a latency limit); with a baseline the ratio ``value / baseline`` is compared with
    ``max_ratio``.
    """

    section: str
    name: str
    value: float | None
    unit: str
    baseline: float | None = None
    max_ratio: float | None = None
    limit: float | None = None
    lower_is_better: bool = True
    note: str = ""
    ratio_of_rates: bool = False

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        if self.ratio_of_rates:  # throughput: how many times slower than the baseline
            return self.baseline / self.value if self.value else None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        """True/False against the target, None when the row has no target."""
        verdicts = []
        if self.max_ratio is not None and self.ratio is not None:
            verdicts.append(self.ratio <= self.max_ratio)
        if self.limit is not None and self.value is not None:
            verdicts.append(self.value <= self.limit if self.lower_is_better
                            else self.value >= self.limit)
        return all(verdicts) if verdicts else None

    def target_text(self) -> str:
        parts = []
        if self.max_ratio is not None:
            parts.append(f"ratio ≤ {self.max_ratio:g}")
        if self.limit is not None:
            parts.append(f"{'≤' if self.lower_is_better else '≥'} {_num(self.limit)} {self.unit}")
        return ", ".join(parts)


def _num(value: float | None) -> str:
    if value is None:
        return "–"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"


class Results:
    """The figures and notes of one benchmark run, printed as a table and written as Markdown."""

    COLUMNS = ("Section", "Measure", "Kangyi", "Baseline", "Ratio", "Target", "Met")

    def __init__(self) -> None:
        self.figures: list[Figure] = []
        self.notes: list[str] = []
        self.info: dict[str, str] = {}
        self.extra_tables: list[tuple[str, list[str], list[list[str]]]] = []

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure

    def note(self, text_: str) -> None:
        self.notes.append(text_)

    def table(self, title: str, header: list[str], rows: list[list[str]]) -> None:
        """An extra table (per-addon install times, load-test details…)."""
        self.extra_tables.append((title, header, rows))

    def rows(self) -> list[list[str]]:
        out = []
        for f in self.figures:
            met = {True: "yes", False: "NO", None: ""}[f.met]
            name = f"{f.name} ({f.note})" if f.note else f.name
            out.append([f.section, name, f"{_num(f.value)} {f.unit}",
                        f"{_num(f.baseline)} {f.unit}" if f.baseline is not None else "",
                        f"{f.ratio:.2f}" if f.ratio is not None else "", f.target_text(), met])
        return out

    def text(self) -> str:
        """A plain-text table for the terminal."""
        rows = [list(self.COLUMNS), *self.rows()]
        widths = [max(len(r[i]) for r in rows) for i in range(len(self.COLUMNS))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                 for r in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        for title, header, body in self.extra_tables:
            lines += ["", title, " | ".join(header), *(" | ".join(r) for r in body)]
        if self.notes:
            lines += ["", *[f"- {n}" for n in self.notes]]
        return "\n".join(lines)

    def markdown(self, preamble: str = "") -> str:
        """RESULTS.md: machine, date, database, the table, the extra tables and the notes."""
        out = ["# Benchmark results", "", preamble.strip(), ""] if preamble else [
            "# Benchmark results", ""]
        out += [f"- **{k}**: {v}" for k, v in self.info.items()]
        out += ["", _md_table(list(self.COLUMNS), self.rows())]
        for title, header, body in self.extra_tables:
            out += ["", f"### {title}", "", _md_table(header, body)]
        if self.notes:
            out += ["", "## Notes", "", *[f"- {n}" for n in self.notes]]
        return "\n".join(out).rstrip() + "\n"


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    def cells(row: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in row) + " |"

    return "\n".join([cells(header), "|" + "|".join("---" for _h in header) + "|",
                      *(cells(r) for r in rows)])


class QueryCounter:
    """Counts the SQL statements an engine executes while active (``with counter.counting():``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.count = 0
        self.statements: list[str] = []

    def _on_execute(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.count += 1
        self.statements.append(statement)

    @contextmanager
    def counting(self) -> Iterator[QueryCounter]:
        self.count = 0
        self.statements = []
        event.listen(self.engine, "before_cursor_execute", self._on_execute)
        try:
            yield self
        finally:
            event.remove(self.engine, "before_cursor_execute", self._on_execute)


def _memory() -> str:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            kb = int(meminfo.readline().split()[1])
        return f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        return "unknown"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def database_version(engine: Engine) -> str:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return "SQLite " + conn.scalar(text("select sqlite_version()"))
        return str(conn.scalar(text("select version()"))).split(" on ")[0]


def machine_info(engine: Engine) -> dict[str, str]:
    """What RESULTS.md records about where the figures come from."""
    import sqlite3

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip()
    return {
        "Date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "Machine": f"{os.cpu_count()} CPUs (nproc), {_memory()} RAM, {_cpu_model()}",
        "Load average (1/5/15 min) at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "Python": platform.python_version(),
        "Database": database_version(engine),
        "SQLite library": sqlite3.sqlite_version,
        "Commit": commit or "unknown",
    }
