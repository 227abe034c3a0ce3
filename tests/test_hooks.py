"""Every core hook is documented under its exact signature and has a test of its own.

The ``test_hook_<name>`` tests below exercise each hook through a real registry.
"""

import re
from pathlib import Path

import pluggy
import pytest

from core import hookspecs
from core.plugins import hookimpl

DOCS = Path(__file__).resolve().parent.parent / "docs" / "hooks.md"


def core_hooks():
    pm = pluggy.PluginManager("kangyi")
    pm.add_hookspecs(hookspecs)
    return {
        name: getattr(pm.hook, name).spec.argnames
        for name in dir(pm.hook)
        if not name.startswith("_")
    }


@pytest.mark.parametrize("name", sorted(core_hooks()))
def test_hook_is_documented_with_its_signature(name):
    signature = f"{name}({', '.join(core_hooks()[name])})"
    headings = re.findall(r"^#+ `?([a-z_]+\([^)]*\))`?", DOCS.read_text(encoding="utf-8"), re.M)
    assert signature in headings, f"docs/hooks.md needs a heading {signature}"


def test_every_hook_has_a_test():
    tested = {path.read_text(encoding="utf-8") for path in Path(__file__).parent.rglob("test_*.py")}
    text = "\n".join(tested)
    missing = [name for name in core_hooks() if f"def test_hook_{name}(" not in text]
    assert not missing, f"hooks without a test_hook_<name>: {missing}"


def test_hook_register_models(runtime):
    runtime.manager.install(["kt_alpha"])
    with runtime.env() as env:
        assert env.registry.model_owner["kt.thing"] == "kt_alpha"
        assert "qty" in env["kt.thing"].fields_get()


def test_hook_register_groups(runtime):
    runtime.manager.install(["kt_alpha"])
    with runtime.env() as env:
        group = env.ref("kt_alpha.group_thing")
        assert env["res.groups"].read([group.id], ["implied_ids"])[0]["implied_ids"] == [
            env.ref_id("base.group_user")
        ]


def test_hook_register_access(runtime):
    runtime.manager.install(["kt_alpha"])
    with runtime.env() as env:
        rows = env["ir.model.access"].search_read(
            [("model", "=", "kt.thing")], ["group_id", "perm_unlink"]
        )
        assert [(r["group_id"][0], r["perm_unlink"]) for r in rows] == [
            (env.ref_id("kt_alpha.group_thing"), True)
        ]


def test_hook_register_rules(runtime):
    runtime.manager.install(["kt_alpha"])
    with runtime.env() as env:
        uid = env["res.users"].create(
            {"login": "u", "name": "U", "groups_id": [(6, 0, [env.ref_id("kt_alpha.group_thing")])]}
        )
        env["kt.thing"].create({"name": "secret"})
        rule = env["ir.rule"].search_read([("model", "=", "kt.thing")], ["name", "groups"])
        assert rule == [
            {
                "id": rule[0]["id"],
                "name": "Hide secrets",
                "groups": [env.ref_id("kt_alpha.group_thing")],
            }
        ]
        assert env(uid=uid)["kt.thing"].search_count([]) == 1
        assert env["kt.thing"].search_count([]) == 2


def _heard(runtime):
    with runtime.env() as env:
        return [r["name"] for r in env["res.partner"].search_read(
            [("ref", "=", "kt_delta")], ["name"], order="id")]


def test_hook_addon_installed(runtime):
    runtime.manager.install(["kt_delta"])
    runtime.manager.install(["kt_alpha"])  # brings the glue kt_glue too
    assert _heard(runtime) == ["heard installed kt_delta", "heard installed kt_alpha",
                               "heard installed kt_glue"]


def test_hook_addon_uninstalling(runtime):
    runtime.manager.install(["kt_delta", "kt_beta"])
    runtime.manager.uninstall(["kt_beta"])
    assert _heard(runtime)[-1] == "heard uninstalling kt_beta (1 things)"  # tables still there


class RecordSpy:
    """Implements the record hooks and remembers each call."""

    def __init__(self):
        self.calls = []

    @hookimpl
    def record_created(self, env, model, ids):
        self.calls.append(("created", model, ids))

    @hookimpl
    def record_written(self, env, model, record_id, old, new):
        self.calls.append(("written", model, record_id, old, new))

    @hookimpl
    def record_unlinking(self, env, model, ids):
        self.calls.append(("unlinking", model, ids, env[model].search_count([("id", "in", ids)])))


def _spy(env):
    spy = RecordSpy()
    env.registry.pm.register(spy, name="record_spy")
    return spy.calls


def test_hook_record_created(runtime):
    with runtime.env() as env:
        calls = _spy(env)
        pid = env["res.partner"].create({"name": "Acme"})
        assert calls == [("created", "res.partner", [pid])]


def test_hook_record_written(runtime):
    with runtime.env() as env:
        pid = env["res.partner"].create({"name": "Acme"})
        calls = _spy(env)
        env["res.partner"].write([pid], {"name": "Acme Ltd"})
        assert calls == [("written", "res.partner", pid, {"name": "Acme"}, {"name": "Acme Ltd"})]


def test_hook_record_unlinking(runtime):
    with runtime.env() as env:
        pid = env["res.partner"].create({"name": "Acme"})
        calls = _spy(env)
        env["res.partner"].unlink([pid])
        assert calls == [("unlinking", "res.partner", [pid], 1)]  # still readable then
        assert env["res.partner"].search_count([("id", "=", pid)]) == 0
