"""hr's posts of the production and purchase areas: the demo's 生产计划员, 车间主任, 质检员, 保管员,
采购员, 采购主管 and 应付会计 grant their groups to the people holding them, and a post given to a
new employee grants its group (and taking it away takes the group back)."""

from __future__ import annotations

from typing import Any

import pytest

#: post (hr demo external id) → the group it grants, and a demo login holding it
POSTS = {
    "hr.job_planner": ("production.group_planner", "planner.chen"),
    "hr.job_workshop": ("production.group_workshop", "workshop.wu"),
    "hr.job_quality": ("production.group_quality", "quality.zheng"),
    "hr.job_keeper": ("stock.group_keeper", "keeper.liu"),
    "hr.job_buyer": ("purchase.group_user", "sunli"),
    "hr.job_purchase_manager": ("purchase.group_manager", "zhougang"),
    "hr.job_requester": ("purchase.group_requester", "chenjing"),
}


@pytest.fixture(name="org")
def org_fixture(make_runtime: Any) -> Any:
    runtime = make_runtime()
    runtime.manager.install(["hr", "stock", "accounting", "purchase", "production"], demo=True)
    return runtime


def _groups(env: Any, uid: int) -> set[int]:
    return set(env["res.users"].read([uid], ["groups_id"])[0]["groups_id"])


def test_demo_posts_grant_the_production_and_purchase_groups(org: Any) -> None:
    with org.env() as env:
        for post, (group, login) in POSTS.items():
            job = env["hr.job"].read([env.ref_id(post)], ["group_ids"])[0]
            assert env.ref_id(group) in job["group_ids"], post
            uid = env["res.users"].search([("login", "=", login)])[0]
            employee = env["hr.employee"].search_read([("user_id", "=", uid)], ["job_ids"])
            assert env.ref_id(post) in employee[0]["job_ids"], login
            assert env.ref_id(group) in _groups(env, uid), login
        payable = env["hr.job"].read([env.ref_id("hr.job_payable")], ["group_ids"])[0]
        assert env.ref_id("purchase_account.group_payable") in payable["group_ids"]
        gm = env["hr.job"].read([env.ref_id("hr.job_gm")], ["group_ids"])[0]
        assert env.ref_id("purchase.group_general_manager") in gm["group_ids"]


def test_a_production_post_grants_its_rights_and_takes_them_back(org: Any) -> None:
    with org.env() as env:
        uid = env["res.users"].create({"login": "new.qc", "name": "新质检员"})
        quality = env.ref_id("production.group_quality")
        assert quality not in _groups(env, uid)
        employee = env["hr.employee"].create({
            "name": "新质检员", "registration_number": "KY0699", "user_id": uid,
            "department_id": env.ref_id("hr.dep_production"),
            "job_id": env.ref_id("hr.job_quality")})
        assert quality in _groups(env, uid)
        env.session.commit()
    with org.env(uid=uid, su=False) as env:  # the post's group gives the quality inspector's reads
        assert env["mrp.production"].search_count([]) >= 1
    with org.env() as env:
        env["hr.employee"].write([employee], {"job_id": False, "job_ids": [(5, 0, 0)]})
        assert quality not in _groups(env, uid)


def _general_managers(env: Any) -> list[dict[str, Any]]:
    """The people (not the administrator) in purchase's general manager group."""
    group = env.ref_id("purchase.group_general_manager")
    return env["res.users"].search_read([("groups_id", "in", [group]), ("login", "!=", "admin")],
                                        ["login", "name"])


def test_one_person_is_the_general_manager_of_the_demo(org: Any) -> None:
    """hr's 总经理 post and purchase's general manager are one person, 刘建国 (purchase's demo
    had its own, 吴军, beside hr's)."""
    with org.env() as env:
        managers = _general_managers(env)
        assert [(m["login"], m["name"]) for m in managers] == [("gm.liu", "刘建国")]
        holders = env["hr.employee"].search_read([("job_ids", "in", [env.ref_id("hr.job_gm")])],
                                                 ["user_id"])
        assert [h["user_id"][0] for h in holders] == [managers[0]["id"]]
        assert env["res.users"].search_count([("name", "in", ["刘建国", "吴军"])]) == 1


def test_hr_demo_before_purchase_keeps_one_general_manager(make_runtime: Any) -> None:
    runtime = make_runtime()
    runtime.manager.install(["hr"], demo=True)
    runtime.manager.install(["purchase"], demo=True)
    with runtime.env() as env:
        managers = _general_managers(env)
        assert [(m["login"], m["name"]) for m in managers] == [("gm.liu", "刘建国")]
        big = env.ref_id("purchase.order_oxygen")  # approved by him in purchase's demo
        assert env["purchase.order"].read([big], ["state"])[0]["state"] == "purchase"


def test_demo_with_projects_gives_each_employee_a_number_of_their_own(make_runtime: Any) -> None:
    """hr's demo numbers the production and purchase people KY06xx–KY07xx, projects' demo its
    people KY08xx: the whole demo installs (the same 工号 twice stopped projects' demo)."""
    runtime = make_runtime()
    runtime.manager.install(["hr", "purchase", "production", "projects"], demo=True)
    with runtime.env() as env:
        numbers = [e["registration_number"] for e in env["hr.employee"].search_read(
            [], ["registration_number"])]
        qian = env["hr.employee"].read([env.ref_id("projects.employee_qian")],
                                       ["registration_number"])[0]
    assert len(numbers) == len(set(numbers)) and "KY0601" in numbers
    assert qian["registration_number"] == "KY0801"
