"""The tutorial's complete example (docs/addons.md §10) is a real addon: its files, taken from the
page, install as a pip package, its own test passes, its pages answer in zh_CN, and the page
states its true size."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.test_hot_install import ROOT, site  # noqa: F401  (the site-packages fixture)
from tests.web_helpers import client_for, make_user

DOC = ROOT / "docs" / "addons.md"
BLOCK = re.compile(r"^```(\w+) (\S+)\n(.*?)^```", re.M | re.S)


def example_files() -> dict[str, tuple[str, str]]:
    """``{path: (language, text)}`` of the blocks of §10 that name a file."""
    section = DOC.read_text(encoding="utf-8").split("## 10. The complete example", 1)[1]
    return {path: (lang, text) for lang, path, text in BLOCK.findall(section)}


def write_package(folder: Path) -> None:
    """The distribution as pip would install it: the package and its entry point."""
    for path, (_lang, text) in example_files().items():
        if path.startswith("kangyi_fleet/"):
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    (folder / "kangyi_fleet" / "__init__.py").write_text("")
    info = folder / "kangyi_fleet-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: kangyi-fleet\nVersion: 1.0\n")
    entry = re.search(r'\[project.entry-points."kangyi.addons"\]\n(\w+) = "(\w+)"',
                      example_files()["pyproject.toml"][1])
    assert entry is not None
    (info / "entry_points.txt").write_text(f"[kangyi.addons]\n{entry[1]} = {entry[2]}\n")


def test_the_page_states_its_true_size():
    python = [text for lang, text in example_files().values() if lang == "python"]
    stated = re.search(r"\*\*(\d+) lines of Python\*\*", DOC.read_text(encoding="utf-8"))
    assert stated and int(stated[1]) == sum(len(text.splitlines()) for text in python)
    assert int(stated[1]) <= 100


def test_the_example_installs_passes_its_own_test_and_speaks_chinese(make_app, site):  # noqa: F811
    write_package(site)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(ROOT)]),
           "KANGYI_TEST_DATABASE_URL": "", "KANGYI_ADDONS_PATH": ""}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--rootdir", str(site), str(site / "kangyi_fleet" / "tests")],
                          capture_output=True, text=True, env=env, cwd=site, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr

    app = make_app()
    app.extensions["kangyi"].manager.install(["fleet"])
    make_user(app, "wang", ["fleet.group_user"], lang="zh_CN")
    client = client_for(app, "wang")
    home = client.get("/").get_data(as_text=True)
    assert "车队" in home  # the menu, translated by the addon's own catalog
    form = client.get("/web/fleet.vehicle/new")
    assert form.status_code == 200 and "车牌" in form.get_data(as_text=True)
    assert 'name="service_ids-__index__-name"' in form.get_data(as_text=True)  # lines editable
