"""Structural security over every addon shipped in ``addons/`` installed together: line models
follow their document's record rules for every group, and no clause of a read (fields, domain,
order, group-by, aggregate) reaches a field the user may not read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import addons
from core.errors import AccessError, ValidationError
from core.runtime import Runtime

ADDONS_DIR = Path(addons.__file__).parent


@pytest.fixture(scope="module")
def everything(tmp_path_factory: Any) -> Any:
    """A database with every addon of ``addons/`` installed (no demo data)."""
    from core import db
    from core.testing import fresh_database_url

    runtime = Runtime(db.create_engine(fresh_database_url(tmp_path_factory.mktemp("all"))))
    shipped = sorted(name for name, info in runtime.available.items()
                     if info.path.parent == ADDONS_DIR)
    assert {"sales", "stock", "crm", "accounting"} <= set(shipped)
    runtime.manager.init_database()
    runtime.manager.install(shipped, demo=False)
    yield runtime
    runtime.engine.dispose()


def _documents(cls: Any) -> list[tuple[str, Any]]:
    """``(field, document class)`` for each many2one of ``cls`` that its target lists back
    through a one2many: the documents ``cls`` is a line of."""
    found = []
    for info in cls.__fields__.values():
        if info.type != "many2one" or not info.comodel:
            continue
        target = cls.__models__[info.comodel]
        if target is cls:
            continue
        if any(other.type == "one2many" and other.comodel == cls._name
               and other.inverse_name == info.name for other in target.__fields__.values()):
            found.append((info.name, target))
    return found


def test_lines_follow_their_documents_rules_for_every_group(everything: Runtime) -> None:
    """For each group but the administrators', a user with only that group: any line model the
    user may read whose document's rules restrict the user must restrict the user too."""
    missing = []
    with everything.env() as env:
        groups = env["res.groups"].search_read([], ["id"])
        admin = env.ref_id("base.group_system")
        for group in groups:
            if group["id"] == admin:
                continue
            uid = env["res.users"].create({"login": f"structure{group['id']}",
                                           "name": f"Structure {group['id']}",
                                           "groups_id": [(6, 0, [group["id"]])]})
            access = env(uid=uid, su=False).access
            for name, cls in sorted(env.registry.models.items()):
                if not access.allowed(name, "read"):
                    continue
                for field, document in _documents(cls):
                    if (access.rule_expression(document, "read") is not None
                            and access.rule_expression(cls, "read") is None):
                        missing.append(f"{name}.{field} → {document._name} "
                                       f"(group {group['id']})")
    assert not missing, "line models readable without their document's rules:\n" + "\n".join(
        missing)


def test_warehouse_rules_apply_to_everyone_who_sees_transfers(everything: Runtime) -> None:
    with everything.env() as env:
        uid = env["res.users"].create({"login": "plainuser", "name": "Plain",
                                       "groups_id": [(6, 0, [env.ref_id("base.group_user")])]})
        access = env(uid=uid, su=False).access
        for model in ("stock.picking", "stock.move", "stock.inventory", "stock.inventory.line"):
            assert access.allowed(model, "read")
            assert access.rule_expression(env.registry[model], "read") is not None, model


def test_no_clause_reads_a_password(everything: Runtime) -> None:
    """Every model's restricted fields (passwords, field groups) are refused in every clause."""
    with everything.env() as env:
        uid = env["res.users"].create({"login": "clauses", "name": "Clauses",
                                       "groups_id": [(6, 0, [env.ref_id("base.group_user")])]})
        user_env = env(uid=uid, su=False)
        checked = 0
        for name, cls in sorted(env.registry.models.items()):
            if not user_env.access.allowed(name, "read"):
                continue
            service = user_env[name]
            for info in cls.__fields__.values():
                if not info.stored or user_env.access.field_allowed(info):
                    continue
                checked += 1
                name_ = info.name
                for method, args, kwargs in (
                        ("search", [[(name_, "!=", False)]], {}),
                        ("search", [[]], {"order": name_}),
                        ("read_group", [[], ["id"], [name_]], {"lazy": False}),
                        ("read_group", [[], [f"x:max({name_})"], ["id"]], {}),
                        ("read_group", [[], ["id"], ["id"]], {"orderby": name_})):
                    with pytest.raises((AccessError, ValidationError)):
                        getattr(service, method)(*args, **kwargs)
        assert checked >= 1  # res.users.password at least
