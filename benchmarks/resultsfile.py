"""``benchmarks/RESULTS.md``: one section per database, each replaced by that database's last run.

The file keeps the last SQLite run and the last PostgreSQL run side by side; anything outside
the generated sections (the before/after record of fixes) is kept as written.
"""

from __future__ import annotations

import re
from pathlib import Path

from .measure import Results

__all__ = ["write_results"]

HEADER = """# Kangyi benchmark results

Produced by `python -m benchmarks` (SQLite) and `python -m benchmarks --database URL`
(PostgreSQL); see `docs/benchmarks.md` for what each figure measures. Each section below is
replaced by the last run on that database; ratios are Kangyi ÷ baseline measured side by side in
the same run (for throughput: baseline rate ÷ Kangyi rate), each figure the median of several runs.
"""


def _markers(key: str) -> tuple[str, str]:
    return f"<!-- results:{key} -->", f"<!-- /results:{key} -->"


def write_results(path: Path, results: Results) -> None:
    database = results.info.get("Database", "")
    key = "postgresql" if database.startswith("PostgreSQL") else "sqlite"
    if "quick" in results.info.get("Run", ""):
        key += "-quick"
    start, end = _markers(key)
    section = f"{start}\n## {key}\n\n{results.markdown().split(chr(10), 2)[2].strip()}\n{end}"
    existing = path.read_text(encoding="utf-8") if path.exists() else HEADER
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    if pattern.search(existing):
        updated = pattern.sub(lambda _m: section, existing)
    else:  # after the last results section (the text written by hand stays below them)
        ends = [m.end() for m in re.finditer(r"<!-- /results:[\w-]+ -->", existing)]
        cut = ends[-1] if ends else len(existing.rstrip())
        updated = (existing[:cut].rstrip() + "\n\n" + section + "\n\n"
                   + existing[cut:].lstrip()).rstrip() + "\n"
    path.write_text(updated, encoding="utf-8")
