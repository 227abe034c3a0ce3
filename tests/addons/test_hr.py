"""The hr addon: structure, posts that grant groups, data scopes through every door, personal
data, leave counting and approval routing, attendance summary."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from addons.hr.attendance import import_clock_csv, monthly_summary
from addons.hr.contracts import remind_expiring_contracts
from addons.hr.departure import deactivate_departed
from core import workflow_engine as engine
from core.api.apikeys import generate_key
from core.errors import AccessError, UserError
from core.export import export_table
from core.testing import AddonTestCase, due_now
from tests.web_helpers import client_for, csrf

PASSWORD = "password123"
DB_NAME = "kangyi_hr_test"


class TestHrStructure(AddonTestCase):
    addon = "hr"


@dataclasses.dataclass
class Org:
    """hr and sales installed: 总经办 › 市场部 › 华东组, and 商务拓展部; posts and people."""

    app: Any
    runtime: Any
    departments: dict[str, int]
    jobs: dict[str, int]
    users: dict[str, int]
    employees: dict[str, int]

    def env(self, login: str | None = None) -> Any:
        if login is None:
            return self.runtime.env()
        return self.runtime.env(uid=self.users[login], su=False)

    def groups(self, login: str) -> set[str]:
        with self.env() as env:
            ids = env["res.users"].read([self.users[login]], ["groups_id"])[0]["groups_id"]
            return _xmlids(env, ids)


def _xmlids(env: Any, ids: list[int]) -> set[str]:
    from sqlalchemy import select

    from core.db import model_data_table as imd

    rows = env.session.execute(select(imd.c.module, imd.c.name).where(
        imd.c.model == "res.groups", imd.c.res_id.in_(ids)))
    return {f"{m}.{n}" for m, n in rows}


@pytest.fixture(name="org")
def org_fixture(make_app: Any) -> Org:
    app = make_app(DATABASE_NAME=DB_NAME)
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["hr", "sales"])
    with runtime.env() as env:
        user = env.ref_id("base.group_user")
        users = {login: env["res.users"].create({
            "login": login, "name": login.title(), "password": PASSWORD, "lang": "en",
            "groups_id": [(6, 0, [user])]})
            for login in ("gm", "hrofficer", "manager", "east", "west", "bd", "plain")}
        deps = env["hr.department"]
        top = deps.create({"name": "总经办"})
        marketing = deps.create({"name": "市场部", "parent_id": top})
        east = deps.create({"name": "华东组", "parent_id": marketing})
        bd = deps.create({"name": "商务拓展部", "parent_id": top})
        departments = {"top": top, "marketing": marketing, "east": east, "bd": bd}
        jobs = env["hr.job"]
        ref = env.ref_id
        posts = {
            "assistant": jobs.create({"name": "销售助理", "group_ids": [
                (6, 0, [ref("sales.group_assistant")])], "scope_ids": [
                (0, 0, {"model": "sale.order", "scope": "own"})]}),
            "manager": jobs.create({"name": "销售主管", "group_ids": [
                (6, 0, [ref("sales.group_manager")])], "scope_ids": [
                (0, 0, {"model": "sale.order", "scope": "department_tree"}),
                (0, 0, {"model": "sale.order.line", "scope": "department_tree"})]}),
            "director": jobs.create({"name": "销售总监", "group_ids": [
                (6, 0, [ref("sales.group_director")])]}),
            "hr": jobs.create({"name": "人事专员", "group_ids": [
                (6, 0, [ref("hr.group_officer")])]}),
            "gm": jobs.create({"name": "总经理"}),
        }
        employees = {}
        for login, name, department, posts_of in (
                ("gm", "刘总", "top", ("gm",)), ("hrofficer", "周婷", "top", ("hr",)),
                ("manager", "李强", "marketing", ("manager",)),
                ("east", "王芳", "east", ("assistant",)),
                ("west", "赵敏", "marketing", ("assistant",)),
                ("bd", "钱多", "bd", ("assistant",))):
            employees[login] = env["hr.employee"].create({
                "name": name, "user_id": users[login], "department_id": departments[department],
                "job_ids": [(6, 0, [posts[p] for p in posts_of])], "job_id": posts[posts_of[0]],
                "identification_id": f"3301061990010{len(employees)}1234"})
        deps.write([top], {"manager_id": employees["gm"]})
        deps.write([marketing], {"manager_id": employees["manager"]})
        env.session.commit()
    return Org(app, runtime, departments, posts, users, employees)


# -- posts grant groups --------------------------------------------------------------------------


def test_post_grants_and_revokes_groups_with_overlaps(org):
    assert "sales.group_manager" in org.groups("manager")
    assert "hr.group_officer" in org.groups("hrofficer")
    with org.env() as env:
        env["res.users"].write([org.users["plain"]], {"groups_id": [
            (4, env.ref_id("sales.group_director"))]})  # given by hand: stays
        plain = env["hr.employee"].create({"name": "路人", "user_id": org.users["plain"],
                                           "job_ids": [(6, 0, [org.jobs["assistant"],
                                                               org.jobs["director"]])]})
        env.session.commit()
    assert {"sales.group_assistant", "sales.group_director"} <= org.groups("plain")
    with org.env() as env:  # a second post grants the same group as the first
        env["hr.job"].write([org.jobs["gm"]], {"group_ids": [
            (6, 0, [env.ref_id("sales.group_assistant")])]})
        env["hr.employee"].write([plain], {"job_ids": [(4, org.jobs["gm"])]})
        env["hr.employee"].write([plain], {"job_ids": [(3, org.jobs["assistant"])]})
        env.session.commit()
    assert "sales.group_assistant" in org.groups("plain")  # still granted by 总经理
    with org.env() as env:
        env["hr.employee"].write([plain], {"job_ids": [(5, 0, 0)]})
        env.session.commit()
        notes = env["mail.message"].search_read(
            [("res_model", "=", "hr.employee"), ("res_id", "=", plain)], ["body"])
    groups = org.groups("plain")
    assert "sales.group_assistant" not in groups
    assert "sales.group_director" in groups  # the admin's grant is not the post's to take
    assert any("taken back" in n["body"] for n in notes)
    assert any("granted by posts" in n["body"] for n in notes)
    with org.env() as env:  # the employee's user replaced: the old user loses the post's groups
        org.users["newbie"] = env["res.users"].create({"login": "newbie", "name": "Newbie"})
        env["hr.employee"].write([org.employees["east"]], {"user_id": org.users["newbie"]})
        env.session.commit()
    assert "sales.group_assistant" not in org.groups("east")
    assert "sales.group_assistant" in org.groups("newbie")
    with org.env() as env:  # a post losing a group takes it from its holders
        env["hr.job"].write([org.jobs["manager"]], {"group_ids": [(5, 0, 0)]})
        env.session.commit()
    assert "sales.group_manager" not in org.groups("manager")


# -- data scopes through every door ----------------------------------------------------------


def _orders(org: Org) -> dict[str, int]:
    with org.env() as env:
        partner = env["res.partner"].create({"name": "客户", "is_company": True})
        product = env["product.product"].create({"name": "血压计", "list_price": "299"})
        env.session.commit()
    orders = {}
    for login in ("manager", "east", "west", "bd"):
        with org.env(login) as env:
            orders[login] = env["sale.order"].create({
                "partner_id": partner, "user_id": org.users[login], "order_line": [
                    (0, 0, {"product_id": product, "product_uom_qty": "1"})]})
            env.session.commit()
    return orders


def test_sales_manager_sees_department_and_sub_departments_through_every_door(org):
    orders = _orders(org)
    mine = sorted(orders[k] for k in ("manager", "east", "west"))
    with org.env("manager") as env:
        assert sorted(env["sale.order"].search([])) == mine
        assert env["sale.order"].search_count([]) == 3
        groups = env["sale.order"].read_group([], ["amount_total:sum"], ["user_id"])
        assert sum(g["user_id_count"] for g in groups) == 3
        assert len(export_table(env["sale.order"], ["name"])[1]) == 3
        assert len(env["sale.order.line"].search([])) == 3
        with pytest.raises(AccessError):
            env["sale.order"].read([orders["bd"]], ["name"])
        key = generate_key(env.sudo(), org.users["manager"], "tests")
        env.session.commit()
    with org.env("east") as env:  # the assistant's post says own
        assert env["sale.order"].search([]) == [orders["east"]]
    client = org.app.test_client()
    rest = client.get("/api/v1/sale.order?fields=name", headers={"X-API-Key": key})
    assert sorted(r["id"] for r in rest.get_json()["data"]) == mine
    assert client.get(f"/api/v1/sale.order/{orders['bd']}",
                      headers={"X-API-Key": key}).status_code in (403, 404)
    reply = client.post("/jsonrpc", json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
        "service": "object", "method": "execute_kw", "args": [
            DB_NAME, org.users["manager"], key, "sale.order", "search_read", [[]],
            {"fields": ["name"]}]}}).get_json()
    assert sorted(r["id"] for r in reply["result"]) == mine, reply
    pdf = client.get(f"/report/pdf/sales.report_saleorder/{orders['west']}",
                     headers={"X-API-Key": key})
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get(f"/report/pdf/sales.report_saleorder/{orders['bd']}",
                      headers={"X-API-Key": key}).status_code == 403
    web = client_for(org.app, "manager", PASSWORD)
    page = web.get("/web/sale.order").get_data(as_text=True)
    with org.env() as env:
        names = {k: env["sale.order"].read([v], ["name"])[0]["name"] for k, v in orders.items()}
    assert names["east"] in page and names["bd"] not in page
    # moving the assistant out of the tree takes their orders out of the manager's scope
    with org.env() as env:
        env["hr.employee"].write([org.employees["east"]], {"department_id": org.departments["bd"]})
        env.session.commit()
    with org.env("manager") as env:
        assert orders["east"] not in env["sale.order"].search([])


def test_without_a_post_scope_the_group_rules_apply(org):
    orders = _orders(org)
    with org.env() as env:
        env["hr.job.scope"].unlink(env["hr.job.scope"].search([]))
        env.session.commit()
    with org.env("manager") as env:  # sales managers' group rule: all orders
        assert len(env["sale.order"].search([])) == 4
    with org.env("east") as env:  # assistants' group rule: their own
        assert env["sale.order"].search([]) == [orders["east"]]


# -- personal data ---------------------------------------------------------------------------


def test_personal_data_is_hr_only_through_every_door(org):
    target = org.employees["east"]
    with org.env("manager") as env:
        row = env["hr.employee"].read([target], ["name", "identification_id", "birthday"])[0]
        assert "identification_id" not in row and "birthday" not in row
        assert "identification_id" not in env["hr.employee"].fields_get()
        with pytest.raises(AccessError):
            env["hr.employee"].search([("identification_id", "like", "3301")])
        with pytest.raises(AccessError):
            env["hr.employee"].write([org.employees["manager"]], {"identification_id": "x"})
        key = generate_key(env.sudo(), org.users["manager"], "tests")
        env.session.commit()
    with org.env("hrofficer") as env:
        assert env["hr.employee"].read([target], ["identification_id"])[0][
            "identification_id"].startswith("3301")
    client = org.app.test_client()
    body = client.get(f"/api/v1/hr.employee/{target}", headers={"X-API-Key": key}).get_json()
    assert body["data"]["name"] == "王芳" and "identification_id" not in body["data"]
    web = client_for(org.app, "manager", PASSWORD)
    form = web.get(f"/web/hr.employee/{target}").get_data(as_text=True)
    assert "王芳" in form and "33010619900" not in form


# -- leave ---------------------------------------------------------------------------------------


def _leave(org: Org, login: str, start: dt.date, end: dt.date, kind: str = "hr.leave_sick"
           ) -> int:
    with org.env(login) as env:
        leave = env["hr.leave"].create({"holiday_status_id": env.sudo().ref_id(kind),
                                        "request_date_from": start, "request_date_to": end})
        env.session.commit()
    return leave


def _days(org: Org, leave: int) -> Decimal:
    with org.env() as env:
        return env["hr.leave"].read([leave], ["number_of_days"])[0]["number_of_days"]


def test_leave_days_follow_holidays_and_adjusted_working_days(org):
    # 2026-02-12 Thu … 2026-02-16 Mon: Sat 14th is a 调休 working day, 15th-23rd 春节
    assert _days(org, _leave(org, "east", dt.date(2026, 2, 12), dt.date(2026, 2, 16))) == 3
    # an ordinary week-end is not counted: Fri 2026-03-06 to Mon 2026-03-09
    assert _days(org, _leave(org, "west", dt.date(2026, 3, 6), dt.date(2026, 3, 9))) == 2
    # the HR officer adds a 调休 Sunday: it counts
    with org.env("hrofficer") as env:
        env["resource.calendar.leaves"].create({
            "name": "调休", "calendar_id": env.sudo().ref_id("hr.calendar_company"),
            "kind": "workday", "date_from": dt.date(2026, 3, 8), "date_to": dt.date(2026, 3, 8)})
        env.session.commit()
    assert _days(org, _leave(org, "bd", dt.date(2026, 3, 6), dt.date(2026, 3, 9))) == 3
    with pytest.raises(Exception, match="no working day"):
        _leave(org, "east", dt.date(2026, 10, 1), dt.date(2026, 10, 7))


def _submit(org: Org, login: str, leave: int) -> None:
    with org.env(login) as env:
        env["hr.leave"].call("action_confirm", [leave])
        env.session.commit()


def _inbox(org: Org, login: str) -> int:
    with org.env(login) as env:
        return engine.inbox_count(env)


def _approve(org: Org, login: str, leave: int) -> str:
    with org.env(login) as env:
        state = env["hr.leave"].call("workflow_approve", [leave])
        env.session.commit()
    return state


def test_leave_approval_is_routed_by_days(org):
    short = _leave(org, "east", dt.date(2026, 3, 2), dt.date(2026, 3, 3))  # 2 days
    _submit(org, "east", short)
    assert _inbox(org, "manager") == 1 and _inbox(org, "hrofficer") == 0
    _approve(org, "manager", short)
    assert org.runtime and _state(org, short) == "validate"

    middle = _leave(org, "east", dt.date(2026, 3, 9), dt.date(2026, 3, 13))  # 5 days: + HR
    _submit(org, "east", middle)
    _approve(org, "manager", middle)
    assert _state(org, middle) == "confirm" and _inbox(org, "hrofficer") == 1
    assert _inbox(org, "gm") == 0
    _approve(org, "hrofficer", middle)
    assert _state(org, middle) == "validate"

    long = _leave(org, "west", dt.date(2026, 4, 7), dt.date(2026, 4, 24))  # 14 days: + GM
    _submit(org, "west", long)
    _approve(org, "manager", long)
    _approve(org, "hrofficer", long)
    assert _state(org, long) == "confirm" and _inbox(org, "gm") == 1
    _approve(org, "gm", long)
    assert _state(org, long) == "validate"

    # the department manager's own leave goes to the manager above (the general manager)
    own = _leave(org, "manager", dt.date(2026, 3, 2), dt.date(2026, 3, 2))
    _submit(org, "manager", own)
    assert _inbox(org, "gm") == 1


def _state(org: Org, leave: int) -> str:
    with org.env() as env:
        return env["hr.leave"].read([leave], ["state"])[0]["state"]


def test_allocation_limits_annual_leave(org):
    with org.env("hrofficer") as env:
        env["hr.leave.allocation"].create({
            "employee_id": org.employees["east"], "year": 2026, "number_of_days": "3",
            "holiday_status_id": env.sudo().ref_id("hr.leave_annual")})
        env.session.commit()
    ok = _leave(org, "east", dt.date(2026, 3, 2), dt.date(2026, 3, 3), "hr.leave_annual")
    _submit(org, "east", ok)
    too_many = _leave(org, "east", dt.date(2026, 3, 9), dt.date(2026, 3, 10), "hr.leave_annual")
    with pytest.raises(UserError, match="Only 1"):
        _submit(org, "east", too_many)


# -- attendance --------------------------------------------------------------------------------


def test_monthly_attendance_summary_on_known_data(org):
    csv_text = "\n".join([
        "工号,上班,下班",
        "E1,2026-03-02 08:55,2026-03-02 18:05",   # on time
        "E1,2026-03-03 09:20,2026-03-03 18:00",   # late
        "E1,2026-03-04 08:50,2026-03-04 17:30",   # early leave
        "E1,2026-03-05 09:30,2026-03-05 12:00",   # late and early, two punches that day:
        "E1,2026-03-05 13:00,2026-03-05 18:30",   # the day's last check out counts
        "E2,2026-03-02 09:00,2026-03-02 18:00",
    ]).encode()
    with org.env() as env:
        env["hr.employee"].write([org.employees["east"]], {"registration_number": "E1"})
        env["hr.employee"].write([org.employees["west"]], {"registration_number": "E2"})
        env.session.commit()
    with org.env("hrofficer") as env:
        assert import_clock_csv(env, csv_text) == 6
        env.session.commit()
    _approve_leave_on(org, "west", dt.date(2026, 3, 3))
    with org.env("hrofficer") as env:
        rows = {r["id"]: r for r in monthly_summary(env, 2026, 3, today=dt.date(2026, 3, 6))}
    east, west = rows[org.employees["east"]], rows[org.employees["west"]]
    assert (east["present"], east["late"], east["early"], east["absent"]) == (4, 2, 1, 1)
    assert (west["present"], west["late"], west["early"], west["leave"], west["absent"]) == (
        1, 0, 0, 1, 3)
    with org.env("hrofficer") as env, pytest.raises(Exception, match="unknown employee"):
        import_clock_csv(env, b"NOPE,2026-03-02 09:00,2026-03-02 18:00\n")


def _approve_leave_on(org: Org, login: str, day: dt.date) -> None:
    leave = _leave(org, login, day, day)
    _submit(org, login, leave)
    _approve(org, "manager", leave)


def test_web_check_in_and_out(org):
    web = client_for(org.app, "east", PASSWORD)
    page = web.get("/web/page/hr/attendance")
    assert page.status_code == 200
    token = csrf(web, "/web/page/hr/attendance")
    web.post("/web/page/hr/attendance", data={"csrf_token": token})
    with org.env("east") as env:
        [row] = env["hr.attendance"].search_read([], ["check_out", "employee_id"])
        assert row["employee_id"][0] == org.employees["east"] and row["check_out"] is None
    web.post("/web/page/hr/attendance", data={"csrf_token": token})
    with org.env("east") as env:
        assert env["hr.attendance"].search_read([], ["check_out"])[0]["check_out"] is not None
    assert web.post("/web/page/hr/attendance", data={}).status_code == 400  # no CSRF token


# -- contracts, departures ---------------------------------------------------------------------


def test_contract_reminder_and_departure(org):
    with org.env("hrofficer") as env:
        contract = env["hr.contract"].create({
            "name": "HT-001", "employee_id": org.employees["west"], "contract_type": "fixed",
            "date_start": dt.date(2024, 3, 1), "date_end": dt.date(2026, 3, 31)})
        env.session.commit()
    with org.env() as env:
        env["res.users"].write([org.users["hrofficer"]], {"lang": "zh_CN"})
        assert remind_expiring_contracts(env, dt.date(2026, 3, 10)) == 1
        assert remind_expiring_contracts(env, dt.date(2026, 3, 11)) == 0  # once
        todo = env["mail.activity"].search_read([("res_model", "=", "hr.contract"),
                                                 ("res_id", "=", contract)],
                                                ["user_id", "summary"])
        assert todo[0]["user_id"][0] == org.users["hrofficer"]
        assert "的合同 HT-001 将于 2026-03-31 到期：请续签或终止。" in todo[0]["summary"]  # hers
        env["res.users"].write([org.users["hrofficer"]], {"lang": "en"})
        env.session.commit()
    with org.env("hrofficer") as env:
        env["hr.employee"].call("action_resign", [org.employees["bd"]],
                                (dt.date.today() + dt.timedelta(days=3)).isoformat(), "回老家")
        env.session.commit()
        assert env["hr.departure.item"].search_count(
            [("employee_id", "=", org.employees["bd"])]) == 4
    with org.env() as env:
        assert deactivate_departed(env) == []
        assert deactivate_departed(env, dt.date.today() + dt.timedelta(days=3)) == [
            org.employees["bd"]]
        env.session.commit()
        assert not env.with_context(active_test=False)["res.users"].read(
            [org.users["bd"]], ["active"])[0]["active"]
    assert "sales.group_assistant" not in org.groups("bd")


def test_transfer_with_approval_moves_the_employee_and_its_groups(org):
    with org.env("hrofficer") as env:
        transfer = env["hr.employee.transfer"].create({
            "employee_id": org.employees["west"], "kind": "promotion",
            "date": dt.date(2026, 3, 1), "department_id": org.departments["marketing"],
            "job_id": org.jobs["director"]})
        env["hr.employee.transfer"].call("action_submit", [transfer])
        env.session.commit()
    _approve_model(org, "manager", "hr.employee.transfer", transfer)
    _approve_model(org, "gm", "hr.employee.transfer", transfer)
    with org.env() as env:
        row = env["hr.employee.transfer"].read([transfer], ["state", "old_job_id"])[0]
        assert row["state"] == "done" and row["old_job_id"][0] == org.jobs["assistant"]
    groups = org.groups("west")
    assert "sales.group_director" in groups and "sales.group_assistant" not in groups


def _approve_model(org: Org, login: str, model: str, record: int) -> None:
    with org.env(login) as env:
        env[model].call("workflow_approve", [record])
        env.session.commit()


def test_scopes_are_computed_once_and_follow_changes_in_other_transactions(org):
    """The second search of a scoped user reads no hr table (the scopes are shared under the
    org chart counter); a change committed elsewhere is seen by the next transaction."""
    from tests.web_helpers import count_queries

    orders = _orders(org)
    with org.env("manager") as env:
        assert len(env["sale.order"].search([])) == 3
    with count_queries(org.runtime.engine) as statements, org.env("manager") as env:
        assert len(env["sale.order"].search([])) == 3
    hr_reads = [s for s in statements if "hr_" in s]
    assert not hr_reads, hr_reads
    assert len(statements) <= 4, statements  # counters, groups memo, the search
    with org.env() as env:  # another transaction: the assistant moves away
        env["hr.employee"].write([org.employees["west"]], {"department_id": org.departments["bd"]})
        env.session.commit()
    with org.env("manager") as env:
        assert orders["west"] not in env["sale.order"].search([])


def test_periodic_jobs_run_from_the_scheduler(org):
    from core.jobs import jobs_of, queue_of
    from core.jobs.runner import tick

    with org.env("hrofficer") as env:
        env["hr.contract"].create({
            "name": "HT-002", "employee_id": org.employees["west"], "contract_type": "fixed",
            "date_start": dt.date(2024, 3, 1),
            "date_end": dt.date.today() + dt.timedelta(days=10)})
        env["hr.employee"].write([org.employees["bd"]], {
            "departure_date": dt.date.today() - dt.timedelta(days=1)})
        env.session.commit()
    with org.env() as env:
        assert {"hr.job_contract_reminders", "hr.job_deactivate_departed"} <= set(
            jobs_of(env.registry))
        crons = due_now(env, ["hr.job_contract_reminders", "hr.job_deactivate_departed"])
        assert len(crons) == 2
        env.session.commit()
        queue = queue_of(env)
    assert len(tick(queue)) == 2
    with org.env() as env:
        assert env["mail.activity"].search_count([("res_model", "=", "hr.contract")]) == 1
        assert env.sudo()["hr.employee"].read([org.employees["bd"]], ["state"])[0][
            "state"] == "resigned"
