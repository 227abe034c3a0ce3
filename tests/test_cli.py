"""The ``kangyi`` command, run in-process with click's runner against a real database."""

import pytest
from click.testing import CliRunner

from core.cli import main
from tests.conftest import FIXTURE_ADDONS


@pytest.fixture
def kangyi(database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("KANGYI_ADDONS_PATH", FIXTURE_ADDONS)
    monkeypatch.setenv("KANGYI_INSTANCE", str(tmp_path / "instance"))
    runner = CliRunner()

    def run(*args, database=database_url):
        return runner.invoke(main, ["--database", database, *args], catch_exceptions=False)

    run.database = database_url
    return run


def test_init_list_install_uninstall(kangyi):
    result = kangyi("init", "--admin-password", "s3cret-pass")
    assert result.exit_code == 0, result.output
    listing = kangyi("addons", "list").output.splitlines()
    assert any(line.split()[:2] == ["base", "installed"] for line in listing)
    assert any(line.split()[:2] == ["kt_beta", "uninstalled"] for line in listing)

    dry = kangyi("addons", "install", "kt_beta", "--dry-run")
    assert dry.exit_code == 0
    assert "install: kt_alpha, kt_beta" in dry.output and "dry run" in dry.output
    rows = [line.split() for line in kangyi("addons", "list").output.splitlines()]
    assert ["kt_alpha", "uninstalled"] in [row[:2] for row in rows]

    assert kangyi("addons", "install", "kt_beta", "--demo").exit_code == 0
    refused = kangyi("addons", "uninstall", "kt_alpha")
    assert refused.exit_code == 1 and "kt_beta depend on it" in refused.output
    assert "Traceback" not in refused.output

    plan = kangyi("addons", "uninstall", "kt_alpha", "--cascade", "--dry-run")
    assert "drop table kt_thing (4 rows)" in plan.output
    assert kangyi("addons", "uninstall", "kt_alpha", "--cascade").exit_code == 0
    upgrade = kangyi("addons", "upgrade", "base", "--dry-run")
    assert upgrade.exit_code == 0 and "upgrade: base" in upgrade.output


def test_user_create_with_groups(kangyi):
    kangyi("init")
    result = kangyi(
        "user", "create", "li", "--password", "li-password", "--group", "base.group_system"
    )
    assert result.exit_code == 0, result.output
    bad = kangyi("user", "create", "wang", "--password", "short")
    assert bad.exit_code == 1 and "at least 8" in bad.output
    dup = kangyi("user", "create", "li", "--password", "li-password")
    assert dup.exit_code == 1 and "Traceback" not in dup.output


def test_user_create_takes_the_language_and_the_default_company(kangyi):
    from core import db
    from core.runtime import Runtime

    kangyi("init")
    result = kangyi("user", "create", "fang", "--password", "fang-password", "--lang", "zh_CN",
                    "--group", "base.group_user")
    assert result.exit_code == 0, result.output
    runtime = Runtime(db.create_engine(kangyi.database), FIXTURE_ADDONS)
    try:
        with runtime.env() as env:
            user = env["res.users"].search_read([("login", "=", "fang")],
                                                ["lang", "company_id"])
            assert user[0]["lang"] == "zh_CN"
            assert user[0]["company_id"][0] == env.ref_id("base.main_company")
    finally:
        runtime.engine.dispose()


@pytest.mark.parametrize(
    "args, message",
    [
        (("addons", "install", "nope"), "Unknown addon: nope"),
        (("addons", "install", "kt_missing_dep"), "kt_nowhere"),
        (("addons", "install", "kt_cycle_a"), "cycle"),
        (("addons", "uninstall", "base"), "essential"),
    ],
)
def test_errors_are_one_clear_line(kangyi, args, message):
    kangyi("init")
    result = kangyi(*args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_uninitialised_and_unreachable_database(kangyi, tmp_path):
    result = kangyi("addons", "list", database=f"sqlite:///{tmp_path / 'empty.db'}")
    assert result.exit_code == 1 and "kangyi init" in result.output
    result = kangyi(
        "addons", "list", database="postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    )
    assert result.exit_code == 1 and "Cannot use the database" in result.output


def test_shell_binds_env(kangyi):
    kangyi("init")
    result = CliRunner().invoke(main, ["--database", kangyi.database, "shell"],
                                input="print('addons:', env.registry.order)\n")
    assert result.exit_code == 0, result.output
    assert "addons: ['base']" in result.output
