"""Install, upgrade and uninstall at run time, on the real database."""

import shutil
import textwrap
from decimal import Decimal

import pytest
from sqlalchemy import inspect, select

from core import db
from core.errors import AddonError
from tests.conftest import FIXTURE_ADDONS


def columns(runtime, table):
    with runtime.engine.connect() as conn:
        return {c["name"] for c in inspect(conn).get_columns(table)}


def tables(runtime):
    with runtime.engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def states(runtime):
    return {name: s["state"] for name, s in runtime.manager.states().items()}


def test_init_installs_base_and_root(runtime):
    assert states(runtime) == {"base": "installed"}
    with runtime.env() as env:
        root = env.ref("base.user_root")
        assert root.id == 1 and root.active is False
        assert env.access.is_admin


def test_install_creates_tables_and_loads_data(runtime):
    plan = runtime.manager.install(["kt_alpha"])
    assert plan.addons == ["kt_alpha"]
    assert "kt_thing" in plan.tables_created
    assert states(runtime)["kt_alpha"] == "installed"
    with runtime.env() as env:
        thing = env.ref("kt_alpha.thing_one")
        assert thing.name == "First thing" and thing.qty == Decimal("1.500")
        assert env["kt.thing"].search_count([]) == 1  # no demo asked for
        assert env.ref("kt_alpha.group_thing").name == "Thing users"


def test_install_with_demo_loads_demo(runtime):
    runtime.manager.install(["kt_alpha"], demo=True)
    with runtime.env() as env:
        assert env["kt.thing"].search_count([]) == 4


def test_dry_run_changes_nothing(runtime):
    plan = runtime.manager.install(["kt_beta"], dry_run=True)
    assert plan.addons == ["kt_alpha", "kt_beta"]
    assert "kt_thing" in plan.tables_created
    assert plan.columns_added == [("res_partner", "beta_level")]  # kt_thing is new, whole
    assert "kt_thing" not in tables(runtime)
    assert states(runtime) == {"base": "installed"}


def test_fragment_adds_column_and_overrides_with_super(runtime):
    runtime.manager.install(["kt_alpha"])
    plan = runtime.manager.install(["kt_beta"])
    assert ("kt_thing", "beta_note") in plan.columns_added
    assert ("res_partner", "beta_level") in plan.columns_added
    assert {"beta_note"} <= columns(runtime, "kt_thing")
    with runtime.env() as env:
        new_id = env["kt.thing"].create({"name": "x"})
        thing = env["kt.thing"].browse(new_id)[0]
        assert thing.beta_note == "set by beta"  # create() override ran through super()
        assert thing.describe() == "beta+alpha"
        assert env["kt.thing"].call("action_double", [new_id]) == "beta+alpha"
        assert env.session.info["doubled"] == [new_id]  # beta implements alpha's own hookspec


def test_glue_addon_is_auto_installed(runtime):
    runtime.manager.install(["kt_alpha"])
    assert "kt_glue" not in states(runtime)
    plan = runtime.manager.install(["kt_delta"])
    assert plan.addons == ["kt_delta", "kt_glue"]
    assert "glued" in columns(runtime, "kt_thing")


def test_uninstall_refused_while_depended_on(runtime):
    runtime.manager.install(["kt_beta"])
    with pytest.raises(AddonError, match="kt_beta depend on it"):
        runtime.manager.uninstall(["kt_alpha"])
    assert states(runtime)["kt_alpha"] == "installed"


def test_uninstall_removes_columns_tables_and_owned_data(runtime):
    runtime.manager.install(["kt_beta"])
    with runtime.env() as env:
        env["res.partner"].create({"name": "Keeps", "beta_level": 3})
        env["kt.thing"].create({"name": "y"})
    dry = runtime.manager.uninstall(["kt_beta"], dry_run=True)
    assert ("kt_thing", "beta_note") in dry.columns_dropped
    assert "beta_note" in columns(runtime, "kt_thing")
    runtime.manager.uninstall(["kt_beta"])
    assert "beta_note" not in columns(runtime, "kt_thing")
    assert "beta_level" not in columns(runtime, "res_partner")
    assert states(runtime)["kt_beta"] == "uninstalled"
    with runtime.env() as env:
        assert env["res.partner"].search_count([("name", "=", "Keeps")]) == 1
        assert env["kt.thing"].search_count([]) == 2

    plan = runtime.manager.uninstall(["kt_alpha"])
    assert plan.rows_deleted["kt_thing"] == 2
    assert "kt_thing" not in tables(runtime)
    with runtime.env() as env:
        assert env.ref("kt_alpha.group_thing", raise_if_not_found=False) is None
        assert env["ir.model.access"].search_count([("model", "=", "kt.thing")]) == 0


def test_cascade_uninstall(runtime):
    runtime.manager.install(["kt_beta"])
    plan = runtime.manager.uninstall(["kt_alpha"], cascade=True)
    assert plan.addons == ["kt_beta", "kt_alpha"]
    assert states(runtime)["kt_beta"] == "uninstalled"


def test_base_cannot_be_uninstalled(runtime):
    with pytest.raises(AddonError, match="essential"):
        runtime.manager.uninstall(["base"])


def test_failed_install_rolls_back_everything(runtime):
    with pytest.raises(AddonError, match="post-init failed on purpose"):
        runtime.manager.install(["kt_broken"])
    assert "kt_broken" not in tables(runtime)
    assert "kt_broken" not in states(runtime)


def test_misspelled_hook_fails_at_start(runtime):
    with pytest.raises(AddonError, match="kt_badhook implements an unknown hook"):
        runtime.manager.install(["kt_badhook"])


def test_missing_dependency_and_cycle_are_errors(runtime):
    with pytest.raises(AddonError, match="kt_nowhere"):
        runtime.manager.install(["kt_missing_dep"])
    with pytest.raises(AddonError, match="cycle"):
        runtime.manager.install(["kt_cycle_a"])


def test_upgrade_runs_each_step_once(make_runtime, tmp_path):
    folder = tmp_path / "addons"
    shutil.copytree(f"{FIXTURE_ADDONS}/kt_delta", folder / "kt_upg")
    manifest = folder / "kt_upg" / "__manifest__.py"
    manifest.write_text('{"name": "Upgradable", "version": "1.0", "depends": ["base"]}')
    rt = make_runtime([str(folder)])
    rt.manager.install(["kt_upg"])
    steps = folder / "kt_upg" / "migrations"
    for version in ("1.1", "1.2", "2.0"):
        (steps / version).mkdir(parents=True)
        (steps / version / "post_mark.py").write_text(
            textwrap.dedent(f"""
            from sqlalchemy import text
            def migrate(ctx):
                ctx.conn.execute(text("INSERT INTO res_partner (name, is_company, active) "
                                      "VALUES ('migrated {version} from ' || :v, false, true)"),
                                 {{"v": ctx.version}})
        """)
        )
    manifest.write_text('{"name": "Upgradable", "version": "1.2", "depends": ["base"]}')
    rt.rediscover()
    plan = rt.manager.upgrade(["kt_upg"])
    assert [m.split()[1] for m in plan.migrations] == ["1.1", "1.2"]
    rt.manager.upgrade(["kt_upg"])  # same version again: no step runs twice
    with rt.env() as env:
        names = [
            r["name"]
            for r in env["res.partner"].search_read([("name", "like", "migrated")], ["name"])
        ]
    assert sorted(names) == ["migrated 1.1 from 1.0", "migrated 1.2 from 1.0"]
    assert rt.manager.states()["kt_upg"]["latest_version"] == "1.2"


def test_upgrade_keeps_noupdate_edits_and_refreshes_data(runtime):
    runtime.manager.install(["kt_alpha"], demo=True)
    with runtime.env() as env:
        env["kt.thing"].write([env.ref_id("kt_alpha.thing_one")], {"name": "Edited"})
        env["kt.thing"].write([env.ref_id("kt_alpha.demo_thing_0")], {"name": "Edited demo"})
    runtime.manager.upgrade(["kt_alpha"])
    with runtime.env() as env:
        assert env.ref("kt_alpha.thing_one").name == "First thing"  # data file wins
        assert env.ref("kt_alpha.demo_thing_0").name == "Edited demo"  # noupdate kept
        assert env["kt.thing"].search_count([]) == 4


def test_entry_point_addon_is_discovered(make_runtime, tmp_path, monkeypatch):
    site = tmp_path / "site"
    package = site / "kangyi_ep_addon"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "__manifest__.py").write_text('{"name": "From pip", "depends": ["base"]}')
    dist = site / "kangyi_ep_addon-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: kangyi-ep-addon\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[kangyi.addons]\nep_addon = kangyi_ep_addon\n")
    monkeypatch.syspath_prepend(str(site))
    rt = make_runtime()
    assert rt.available["ep_addon"].module_name == "kangyi_ep_addon"
    rt.manager.install(["ep_addon"])
    assert rt.manager.states()["ep_addon"]["state"] == "installed"


def test_second_runtime_sees_install_without_restart(make_runtime):
    first, second = make_runtime(), make_runtime()
    with second.env() as env:
        assert "kt.thing" not in env
    first.manager.install(["kt_alpha"])
    with second.env() as env:
        assert "kt.thing" in env
        assert env["kt.thing"].search_count([]) == 1
    first.manager.uninstall(["kt_alpha"])
    with second.env() as env:
        assert "kt.thing" not in env
    assert second.rebuilds == 3


def test_signature_is_one_cheap_read(runtime):
    with runtime.engine.connect() as conn:
        before = db.read_signature(conn)
    runtime.manager.install(["kt_delta"])
    with runtime.engine.connect() as conn:
        assert db.read_signature(conn) == before + 1
        rows = select(db.registry_table).where(db.registry_table.c.id == 1)  # 2: security
        assert conn.execute(rows).all() == [(1, before + 1)]
