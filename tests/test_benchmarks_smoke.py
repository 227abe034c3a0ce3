"""The benchmarks cannot rot: the quick run works and writes its table; the data generator is
deterministic; the Core baseline writes the same rows as the service. No figure is asserted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from benchmarks.__main__ import main as bench_main
from benchmarks.measure import Figure, Results
from benchmarks.replay import Replay, Snapshot, business_tables
from benchmarks.resultsfile import write_results
from core import db
from core.cli import main as cli_main
from core.demo_data import MARKER_REF, generate
from core.runtime import Runtime

from .conftest import PG_URL


def test_quick_benchmark_runs_and_writes_its_table(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "RESULTS.md"
    args = ["--quick", "--skip", "scaleout", "--output", str(output),
            "--workdir", str(tmp_path / "work")]
    if PG_URL:
        args += ["--database", PG_URL]
    assert bench_main(args) == 0
    printed = capsys.readouterr().out
    assert "Section" in printed and "Ratio" in printed
    text = output.read_text(encoding="utf-8")
    assert "| Section | Measure | Kangyi | Baseline | Ratio | Target | Met |" in text
    for section in ("0 data", "1 order-to-cash", "2 pages", "3 reports", "5 footprint"):
        assert f"| {section} |" in text, section
    assert "**Machine**" in text and "**Database**" in text


def test_results_file_keeps_other_sections(tmp_path: Path) -> None:
    """A run replaces its own database's section and keeps the rest of RESULTS.md."""
    output = tmp_path / "RESULTS.md"
    for database, value in (("SQLite 3", 1.0), ("PostgreSQL 15", 2.0), ("SQLite 3", 3.0)):
        results = Results()
        results.info.update({"Database": database, "Run": "full"})
        results.add(Figure("1 s", "thing", value, "ms"))
        write_results(output, results)
        if value == 1.0:
            output.write_text(output.read_text(encoding="utf-8") + "\nkept by hand\n",
                              encoding="utf-8")
    text = output.read_text(encoding="utf-8")
    assert "kept by hand" in text and text.count("<!-- results:sqlite -->") == 1
    assert "| 1 s | thing | 3.00 ms |" in text and "| 1 s | thing | 2.00 ms |" in text
    assert "| 1 s | thing | 1.00 ms |" not in text


def _names(url: str) -> list[Any]:
    runtime = Runtime(db.create_engine(url))
    runtime.manager.init_database()
    with runtime.env() as env:
        generated = generate(env, "tiny", seed=7)
        partners = env["res.partner"].read(generated.ids["res.partner"][:50], ["name", "city"])
    runtime.engine.dispose()
    return [(p["name"], p["city"]) for p in partners]


def test_generator_is_deterministic(tmp_path: Path, database_url: str) -> None:
    first = _names(database_url)
    second = _names(f"sqlite:///{tmp_path / 'other.db'}")
    assert first == second and len(set(first)) > 10


def test_demo_command_loads_once(database_url: str) -> None:
    runner = CliRunner()
    assert runner.invoke(cli_main, ["--database", database_url, "init"]).exit_code == 0
    result = runner.invoke(cli_main, ["--database", database_url, "demo", "--size", "small"])
    assert result.exit_code == 0, result.output
    assert "res.partner: 1000 records" in result.output
    again = runner.invoke(cli_main, ["--database", database_url, "demo"])
    assert again.exit_code != 0 and "already loaded" in again.output
    assert "Traceback" not in again.output
    runtime = Runtime(db.create_engine(database_url))
    with runtime.env() as env:
        assert env["res.partner"].search_count([("ref", "=", MARKER_REF)]) == 1
    runtime.engine.dispose()


def test_replay_writes_the_rows_the_service_wrote(runtime: Runtime) -> None:
    with runtime.env() as env:
        tables = business_tables(env.registry)
        partner = env.registry["res.partner"].__table__
    snapshot = Snapshot(runtime.engine, tables)
    with runtime.env() as env:
        ids = env["res.partner"].create([{"name": f"P{i}", "city": "上海"} for i in range(4)])
    created = snapshot.diff()
    with runtime.env() as env:
        env["res.partner"].write(ids, {"city": "北京"})
    written = snapshot.diff()
    assert len(created.inserted["res_partner"]) == 4
    assert {c for _rid, delta in written.updated["res_partner"] for c in delta} >= {"city"}
    replay = Replay(runtime.engine, tables)
    replay.run(created, documents=2)
    replay.run(written, documents=2)
    with runtime.engine.connect() as conn:
        rows = conn.execute(select(partner.c.name, partner.c.city).where(
            partner.c.id.not_in(ids), partner.c.name.like("P%"))).all()
    assert sorted(rows) == [(f"P{i}", "北京") for i in range(4)]


def test_figures_compare_with_their_targets() -> None:
    slower = Figure("s", "page", 30.0, "ms", baseline=10.0, max_ratio=2)
    rate = Figure("s", "orders", 100.0, "orders/s", baseline=250.0, max_ratio=3,
                  ratio_of_rates=True, lower_is_better=False)
    assert slower.ratio == 3.0 and slower.met is False
    assert rate.ratio == 2.5 and rate.met is True
    results = Results()
    results.add(slower)
    results.note("a note")
    assert "| s | page |" in results.markdown() and "- a note" in results.text()
