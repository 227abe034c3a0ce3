"""Shared set-up of the workflow, audit and locking tests: ``kt_approval`` and its users."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from core.env import Environment


@dataclasses.dataclass
class People:
    """User ids by role."""

    clerk: int
    clerk2: int
    manager: int
    boss: int  # clerk and manager at once
    directors: list[int]
    outsider: int  # internal user without access to orders


def make_people(env: Environment) -> People:
    def user(login: str, *groups: str) -> int:
        uid = env["res.users"].create({
            "login": login, "name": login.title(), "company_id": env.ref_id("base.main_company"),
            "groups_id": [(6, 0, [env.ref_id(g) for g in groups or ("base.group_user",)])]})
        assert isinstance(uid, int)
        return uid

    return People(
        clerk=user("clerk", "kt_approval.group_clerk"),
        clerk2=user("clerk2", "kt_approval.group_clerk"),
        manager=user("manager", "kt_approval.group_manager"),
        boss=user("boss", "kt_approval.group_clerk", "kt_approval.group_manager"),
        directors=[user(f"director{i}", "kt_approval.group_director") for i in (1, 2, 3)],
        outsider=user("outsider"),
    )


def new_order(env: Environment, uid: int, amount: str = "1000", **vals: Any) -> int:
    oid = env(uid=uid, su=False)["kt.order"].create({"amount_total": Decimal(amount), **vals})
    assert isinstance(oid, int)
    return oid


def as_user(env: Environment, uid: int) -> Environment:
    return env(uid=uid, su=False)


def state_of(env: Environment, oid: int) -> str:
    return env.sudo()["kt.order"].read([oid], ["state"])[0]["state"]


def approval_setup(runtime: Any) -> Iterator[tuple[Environment, People]]:
    """Body of the ``approval_env`` fixtures: kt_approval installed, its people created."""
    runtime.manager.install(["kt_approval"])
    with runtime.env() as env:
        yield env, make_people(env)
