"""The model service on a real database: CRUD, conversion, validation, x2many, read_group."""

import datetime as dt
from decimal import Decimal

import pytest

from core.errors import AccessError, DomainError, MissingError, ValidationError


@pytest.fixture
def env(runtime):
    runtime.manager.install(["kt_alpha"])
    with runtime.env() as env:
        yield env


def test_create_read_write_unlink(env):
    partners = env["res.partner"]
    pid = partners.create({"name": "Acme", "email": "a@acme.cn", "is_company": True})
    assert partners.read([pid], ["name", "is_company"]) == [
        {"id": pid, "name": "Acme", "is_company": True}
    ]
    partners.write([pid], {"name": "Acme Ltd"})
    assert partners.read(pid, ["name"])[0]["name"] == "Acme Ltd"
    partners.unlink([pid])
    with pytest.raises(MissingError):
        partners.read([pid])


def test_create_many_returns_ids(env):
    ids = env["res.partner"].create([{"name": "A"}, {"name": "B"}])
    assert len(ids) == 2 and env["res.partner"].search_count([("id", "in", ids)]) == 2


def test_decimal_is_exact_and_rounded_half_up(env):
    tid = env["kt.thing"].create({"name": "t", "qty": 0.1})
    assert env["kt.thing"].read(tid, ["qty"])[0]["qty"] == Decimal("0.100")
    env["kt.thing"].write(tid, {"qty": "2.0005"})
    assert env["kt.thing"].read(tid, ["qty"])[0]["qty"] == Decimal("2.001")


def test_many2one_reads_as_id_and_name(env):
    pid = env["res.partner"].create({"name": "Acme"})
    tid = env["kt.thing"].create({"name": "t", "partner_id": pid})
    assert env["kt.thing"].read(tid, ["partner_id"])[0]["partner_id"] == (pid, "Acme")
    assert env["kt.thing"].browse(tid)[0].partner.name == "Acme"


def test_bad_values_are_clear_errors_and_save_nothing(env):
    with pytest.raises(ValidationError, match="Required fields are missing"):
        env["res.partner"].create({"email": "x@y"})
    with pytest.raises(ValidationError, match="not a valid value"):
        env["kt.thing"].create({"name": "t", "qty": "lots"})
    with pytest.raises(ValidationError, match="not an allowed value"):
        env["kt.thing"].create({"name": "t", "state": "nonsense"})
    with pytest.raises(ValidationError, match="Unknown field"):
        env["res.partner"].create({"name": "x", "nope": 1})
    with pytest.raises(ValidationError, match="set by the system"):
        env["res.partner"].create({"name": "x", "create_uid": 5})
    assert env["kt.thing"].search_count([]) == 1  # only the data file's record


def test_failed_batch_leaves_nothing(env):
    before = env["res.partner"].search_count([])
    with pytest.raises(ValidationError):
        env["res.partner"].create([{"name": "ok"}, {"email": "no name"}])
    assert env["res.partner"].search_count([]) == before


def test_one2many_and_many2many_commands(env):
    partners = env["res.partner"]
    company = partners.create(
        {
            "name": "Acme",
            "is_company": True,
            "child_ids": [(0, 0, {"name": "Li"}), (0, 0, {"name": "Wang"})],
        }
    )
    children = partners.read(company, ["child_ids"])[0]["child_ids"]
    assert sorted(r["name"] for r in partners.read(children, ["name"])) == ["Li", "Wang"]
    partners.write(company, {"child_ids": [(1, children[0], {"name": "Li Lei"}), (2, children[1])]})
    assert partners.read(company, ["child_ids"])[0]["child_ids"] == [children[0]]
    groups = env["res.groups"].search([("name", "in", ["Internal user", "Administrator"])])
    uid = env["res.users"].create({"login": "u1", "name": "U1", "groups_id": [(6, 0, groups)]})
    assert sorted(env["res.users"].read(uid, ["groups_id"])[0]["groups_id"]) == sorted(groups)
    env["res.users"].write(uid, {"groups_id": [(3, groups[0])]})
    assert env["res.users"].read(uid, ["groups_id"])[0]["groups_id"] == groups[1:]
    env["res.users"].write(uid, {"groups_id": [(5,)]})
    assert env["res.users"].read(uid, ["groups_id"])[0]["groups_id"] == []


def test_domains(env):
    p = env["res.partner"]
    acme = p.create({"name": "ACME Trading", "city": "Shanghai", "is_company": True})
    p.create({"name": "Li Lei", "city": "Beijing", "parent_id": acme})
    p.create({"name": "50% off_shop", "city": None})
    names = lambda d: sorted(r["name"] for r in p.search_read(d, ["name"]))  # noqa: E731
    assert names([("name", "ilike", "acme")]) == ["ACME Trading"]
    assert names([("name", "like", "acme")]) == []
    assert names(["|", ("city", "=", "Beijing"), ("name", "ilike", "%")]) == [
        "50% off_shop",
        "Li Lei",
    ]  # % is literal in ilike
    assert names([("parent_id.name", "ilike", "acme")]) == ["Li Lei"]
    assert names([("parent_id", "=", "ACME Trading")]) == ["Li Lei"]
    assert names([("city", "=", False), ("name", "not ilike", "admin")]) == ["50% off_shop"]
    assert names(["!", ("city", "in", ["Beijing", "Shanghai"]), ("name", "!=", "System")]) == [
        "50% off_shop"
    ]
    assert names([("child_ids", "!=", False)]) == ["ACME Trading"]
    assert names([("child_ids.name", "=", "Li Lei")]) == ["ACME Trading"]
    assert names([("id", "child_of", acme)]) == ["ACME Trading", "Li Lei"]
    assert names([("parent_id", "child_of", acme)]) == ["Li Lei"]  # many2one: the co-model's tree
    assert p.search_count([("name", "=like", "ACME%")]) == 1


def test_domain_errors_never_reach_sql(env):
    with pytest.raises(DomainError, match="Unknown field"):
        env["res.partner"].search([("name; DROP TABLE res_partner", "=", 1)])
    with pytest.raises(DomainError, match="Unknown domain operator"):
        env["res.partner"].search([("name", "~", "x")])
    with pytest.raises(DomainError):
        env["res.partner"].search(["|", ("name", "=", "x")])
    with pytest.raises(AccessError, match="password"):
        env["res.users"].search([("password", "=", "x")])  # not even the superuser
    assert env["res.partner"].search([("name", "=", "x' OR '1'='1")]) == []


def test_archived_records_are_hidden_unless_asked(env):
    pid = env["res.partner"].create({"name": "Old", "active": False})
    assert pid not in env["res.partner"].search([])
    assert pid in env["res.partner"].search([("active", "=", False)])
    assert pid in env.with_context(active_test=False)["res.partner"].search([])


def test_order_offset_limit(env):
    for name in ("c", "a", "b"):
        env["res.partner"].create({"name": name, "ref": "o"})
    domain = [("ref", "=", "o")]
    assert [r["name"] for r in env["res.partner"].search_read(domain, ["name"])] == ["a", "b", "c"]
    assert [
        r["name"]
        for r in env["res.partner"].search_read(
            domain, ["name"], order="name desc", offset=1, limit=1
        )
    ] == ["b"]
    with pytest.raises(ValidationError):
        env["res.partner"].search(domain, order="name; DROP TABLE x")


def test_read_group_sums_in_sql(env):
    p1 = env["res.partner"].create({"name": "P1"})
    rows = ((1, p1, "2026-01-05"), (2, p1, "2026-02-01"), (4, None, "2026-02-03"))
    for qty, partner, day in rows:
        tid = env["kt.thing"].create({"name": "g", "qty": qty, "partner_id": partner})
        env.session.get(env.registry["kt.thing"], tid).create_date = dt.datetime.fromisoformat(day)
    env.session.flush()
    groups = env["kt.thing"].read_group([("name", "=", "g")], ["qty:sum"], ["partner_id"])
    by_partner = {
        g["partner_id"] and g["partner_id"][1]: (g["partner_id_count"], g["qty"]) for g in groups
    }
    assert by_partner == {"P1": (2, Decimal("3.000")), False: (1, Decimal("4.000"))}
    months = env["kt.thing"].read_group([("name", "=", "g")], ["qty"], ["create_date:month"])
    assert [(g["create_date:month"], g["qty"]) for g in months] == [
        ("2026-01", Decimal("1.000")),
        ("2026-02", Decimal("6.000")),
    ]
    drill = env["kt.thing"].search_count(months[1]["__domain"])
    assert drill == 2


def test_read_group_groups_by_keys_then_joins_names(env, runtime):
    """Many2one groups are made on their ids and named afterwards (a GROUP BY on a joined
    name column cost seconds over a year of rows); figures, names, order and pages are those
    of the records themselves."""
    from core.testing import statements

    partners = env["res.partner"].create([{"name": "乙"}, {"name": "甲"}, {"name": "丙"}])
    rows = [(partners[i % 3] if i % 4 else None, "done" if i % 2 else "draft", 2 ** i)
            for i in range(1, 13)]
    env["kt.thing"].create([{"name": "rg", "partner_id": p, "state": s, "qty": q}
                            for p, s, q in rows])
    expected: dict[tuple, list] = {}
    for record in env["kt.thing"].search_read([("name", "=", "rg")],
                                              ["partner_id", "state", "qty"]):
        cell = expected.setdefault((record["partner_id"] or False, record["state"]),
                                  [0, Decimal(0)])
        cell[0] += 1
        cell[1] += record["qty"]
    ordered = sorted(expected.items(), key=lambda item: -item[1][1])
    with statements(runtime.engine) as seen:
        groups = env["kt.thing"].read_group([("name", "=", "rg")], ["qty:sum"],
                                            ["partner_id", "state"], offset=1, limit=3,
                                            orderby="qty desc", lazy=False)
    assert [((g["partner_id"], g["state"]), [g["__count"], g["qty"]]) for g in groups] == [
        (key, value) for key, value in ordered[1:4]]
    everything = env["kt.thing"].read_group([("name", "=", "rg")], ["qty:sum"],
                                            ["partner_id", "state"], lazy=False)
    assert {(g["partner_id"], g["state"]): [g["__count"], g["qty"]]
            for g in everything} == expected
    assert all(env["kt.thing"].search_count(g["__domain"]) == g["__count"] for g in everything)
    (query,) = [s for s in seen if "GROUP BY" in s]
    grouped_on = query.split("GROUP BY")[1].split(")")[0]
    assert "res_partner" not in grouped_on and "name" not in grouped_on


def test_call_refuses_private_and_unmarked_methods(env):
    tid = env["kt.thing"].create({"name": "t", "qty": 2})
    assert env["kt.thing"].call("action_double", [tid]) == "alpha"
    assert env["kt.thing"].read(tid, ["qty"])[0]["qty"] == Decimal("4.000")
    for method in ("describe", "_prepare", "unlink", "nope"):
        with pytest.raises(AccessError):
            env["kt.thing"].call(method, [tid])


def test_fields_get_describes_fields(env):
    desc = env["kt.thing"].fields_get(attributes=["type", "string", "selection", "relation"])
    assert desc["qty"] == {"type": "float", "string": "Quantity"}
    assert desc["partner_id"]["relation"] == "res.partner"
    assert desc["state"]["selection"] == [["draft", "Draft"], ["done", "Done"]]
    assert "password" not in env["res.users"].fields_get()


def test_name_search(env):
    env["res.partner"].create(
        [{"name": "Shanghai Acme"}, {"name": "Beijing Acme"}, {"name": "Other"}]
    )
    found = env["res.partner"].name_search("acme", limit=10)
    assert sorted(name for _id, name in found) == ["Beijing Acme", "Shanghai Acme"]


def test_password_is_hashed_and_never_read(env):
    uid = env["res.users"].create({"login": "li", "name": "Li", "password": "s3cret-pass"})
    stored = env.session.get(env.registry["res.users"], uid).password
    assert stored and "s3cret-pass" not in stored
    assert "password" not in env["res.users"].read(uid)[0]
    with pytest.raises(ValidationError, match="at least 8"):
        env["res.users"].write(uid, {"password": "short"})


def test_external_ids_are_cached_until_ir_model_data_changes(runtime):
    from sqlalchemy import event, insert, update

    from core.db import model_data_table as imd

    with runtime.env() as env:
        first, second = env["res.partner"].create([{"name": "First"}, {"name": "Second"}])
        assert env.ref("kt.partner", raise_if_not_found=False) is None
        env.session.execute(insert(imd).values(module="kt", name="partner",
                                               model="res.partner", res_id=first))
        assert env.ref_id("kt.partner") == first  # this transaction's own write, read again
    seen: list[str] = []
    event.listen(runtime.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    for _ in range(2):
        with runtime.env() as env:
            assert env.ref_id("kt.partner") == first
    assert sum("ir_model_data" in s for s in seen) == 1  # the second transaction: cached
    with pytest.raises(RuntimeError), runtime.env() as env:
        env.session.execute(update(imd).where(imd.c.name == "partner").values(res_id=second))
        assert env.ref_id("kt.partner") == second
        raise RuntimeError("rolled back")
    with runtime.env() as env:
        assert env.ref_id("kt.partner") == first
        env.session.execute(update(imd).where(imd.c.name == "partner").values(res_id=second))
    with runtime.env() as env:  # another transaction changed the row: the cache is stale
        assert env.ref_id("kt.partner") == second


def test_ref_id_reads_no_row_and_a_deleted_record_s_external_ids_name_none(runtime):
    """``env.ref_id`` answers from the cached external ids; deleting a record through the
    service marks its external ids deleted (none names a deleted row, or a row reusing its id;
    the names stay), with no statement for a model none of whose records has one."""
    from sqlalchemy import insert, select

    from core.db import model_data_table as imd
    from core.testing import statements

    with runtime.env() as env:
        named, other = env["res.partner"].create([{"name": "Named"}, {"name": "Other"}])
        with statements(runtime.engine) as seen:
            env["res.partner"].unlink([other])  # no partner has an external id yet
        assert not [s for s in seen if "ir_model_data" in s and s.startswith("UPDATE")], seen
        env.session.execute(insert(imd).values(module="kt", name="named", model="res.partner",
                                               res_id=named))
    with runtime.env() as env:
        assert env.ref_id("kt.named") == named
    with runtime.env() as env, statements(runtime.engine) as seen:
        assert env.ref_id("kt.named") == named
        assert env.ref_id("kt.missing", raise_if_not_found=False) is None
    assert not [s for s in seen if "res_partner" in s], seen
    with runtime.env() as env:
        env["res.partner"].unlink([named])
    with runtime.env() as env:
        assert env.ref_id("kt.named", raise_if_not_found=False) is None
        assert env.ref("kt.named", raise_if_not_found=False) is None
        with pytest.raises(MissingError):
            env.ref_id("kt.named")
        assert env.session.scalar(select(imd.c.res_id).where(imd.c.name == "named")) == 0


def test_records_act_for_the_environment_that_creates_writes_or_deletes_them(env, monkeypatch):
    """Model code reads ``self.env``: during a create, write or unlink it is the environment
    doing it, not the first one opened on the session (in a web request, the anonymous one)."""
    seen: list[tuple[str, int | None]] = []
    cls = env.registry["res.partner"]
    monkeypatch.setattr(cls, "check_constraints",
                        lambda self, names=None: seen.append(("check", self.env.uid)))
    monkeypatch.setattr(cls, "unlink", lambda self: seen.append(("unlink", self.env.uid)))
    uid = env["res.users"].create({"login": "ann", "name": "Ann", "groups_id": [
        (6, 0, [env.ref_id("base.group_system")])]})
    as_ann = env(uid=uid, su=True)
    pid = as_ann["res.partner"].create({"name": "Acme"})
    as_ann["res.partner"].write([pid], {"name": "Acme Ltd"})
    as_ann["res.partner"].unlink([pid])
    assert seen == [("check", uid), ("check", uid), ("unlink", uid)], seen
