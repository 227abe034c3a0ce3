"""An addon pip-installed while the server runs: two running apps (two workers) follow an install
and an uninstall made by the ``kangyi`` command, without a restart and without a single 500."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.web_helpers import client_for, csrf, make_user, rpc_login, xmlrpc

ROOT = Path(__file__).parents[1]
DIST = ROOT / "tests" / "fixtures" / "dist"


def pip_install(site: Path, name: str) -> None:
    """What ``pip install`` leaves in site-packages: the package and a dist-info with the entry
    point (the folder is already on ``sys.path``, as site-packages is)."""
    shutil.copytree(DIST / name, site / name)
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[kangyi.addons]\n{name} = {name}\n")


def pip_uninstall(site: Path, name: str) -> None:
    shutil.rmtree(site / name)
    shutil.rmtree(site / f"{name}-1.0.dist-info")


def kangyi(database_url: str, site: Path, *args: str) -> str:
    """The ``kangyi`` command in its own process, as an administrator would run it."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]),
           "KANGYI_ADDONS_PATH": ""}
    done = subprocess.run([sys.executable, "-c", "from core.cli import main; main()",
                           "--database", database_url, *args],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    folder = tmp_path / "site-packages"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    yield folder
    for module in [m for m in sys.modules if m == "kt_hot" or m.startswith("kt_hot.")]:
        del sys.modules[module]


def test_pip_install_then_cli_install_reaches_every_running_worker(make_app, database_url, site):
    workers = [make_app(), make_app()]
    make_user(workers[0], "kim", ["base.group_user"], lang="zh_CN")
    clients = [client_for(app, "admin", "admin1234") for app in workers]
    for client in clients:  # both workers are serving, with their registry built
        assert client.get("/").status_code == 200

    pip_install(site, "kt_hot")
    apps_page = clients[0].get("/web/apps").get_data(as_text=True)
    assert "kt_hot" in apps_page  # the running server lists the new package
    kangyi(database_url, site, "addons", "install", "kt_hot")
    with workers[0].extensions["kangyi"].env() as env:
        env["res.users"].write([env.ref_id("base.user_admin")],
                               {"groups_id": [(4, env.ref_id("kt_hot.group_kettle"))]})
        kettle = env["kt.kettle"].create({"name": "Copper", "litres": 2})
        kim = env["res.users"].search([("login", "=", "kim")])[0]
        env["res.users"].write([kim], {"groups_id": [(4, env.ref_id("kt_hot.group_kettle"))]})
    for app, client in zip(workers, clients, strict=True):
        for url in ("/", "/web/kt.kettle", f"/web/kt.kettle/{kettle}", "/web/kt.kettle/new",
                    "/api/v1/openapi.json"):
            assert client.get(url).status_code == 200, url
        assert "Copper" in client.get("/web/kt.kettle").get_data(as_text=True)
        rpc = app.test_client()
        database, uid = rpc_login(rpc, "admin", "admin1234")
        assert xmlrpc(rpc, "object", "execute_kw", database, uid, "admin1234", "kt.kettle",
                      "search_count", [[]]) == 1
    kim_page = client_for(workers[1], "kim").get("/web/kt.kettle").get_data(as_text=True)
    assert "水壶名称" in kim_page  # the package's own catalog is read too

    kangyi(database_url, site, "addons", "uninstall", "kt_hot")
    pip_uninstall(site, "kt_hot")
    for client in clients:
        assert client.get("/").status_code == 200
        assert client.get("/web/kt.kettle").status_code == 404
        assert client.get("/web/apps").status_code == 200


def test_apps_page_installs_a_package_pip_installed_after_start(make_app, site):
    workers = [make_app(), make_app()]
    clients = [client_for(app, "admin", "admin1234") for app in workers]
    assert clients[1].get("/").status_code == 200
    pip_install(site, "kt_hot")
    token = csrf(clients[0], "/web/apps/kt_hot/install")  # the dry-run plan, found on demand
    done = clients[0].post("/web/apps/kt_hot/install", data={"csrf_token": token})
    assert done.status_code == 302
    assert clients[1].get("/web/kt.kettle").status_code == 200  # the other worker follows
    token = csrf(clients[1], "/web/apps/kt_hot/uninstall")
    assert clients[1].post("/web/apps/kt_hot/uninstall",
                           data={"csrf_token": token}).status_code == 302
    assert clients[0].get("/web/kt.kettle").status_code == 404


def test_an_addon_installed_elsewhere_but_missing_here_is_named(make_app, database_url, site):
    worker = make_app()
    client = client_for(worker, "admin", "admin1234")
    pip_install(site, "kt_hot")
    kangyi(database_url, site, "addons", "install", "kt_hot")
    pip_uninstall(site, "kt_hot")  # this server never had the package
    page = client.get("/")
    assert page.status_code == 503
    assert "kt_hot" in page.get_data(as_text=True) and "KeyError" not in page.get_data(as_text=True)


def test_an_editable_install_is_found_through_its_new_pth_file(tmp_path, monkeypatch, site):
    from core import addons

    source = tmp_path / "checkout"  # ``pip install -e`` adds a .pth naming the checkout
    source.mkdir()
    pip_install(source, "kt_hot")
    monkeypatch.setattr(addons, "_site_dirs", lambda: [site])
    monkeypatch.setattr(sys, "path", list(sys.path))
    assert "kt_hot" not in addons.discover_addons([])
    (site / "__editable__.kt_hot-1.0.pth").write_text(f"{source}\n")
    addons.refresh_import_paths()
    assert addons.discover_addons([])["kt_hot"].path == source / "kt_hot"
