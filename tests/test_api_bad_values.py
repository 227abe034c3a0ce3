"""Out-of-range values found by fuzzing the APIs: each is a clean error on SQLite and PostgreSQL
alike (it used to reach the database and fail there: SQLite cannot bind integers beyond 64 bits,
PostgreSQL refuses values beyond an INTEGER or NUMERIC(p, s) column)."""

import pytest

from core.errors import DomainError, ValidationError

HUGE = 99999999999999999999


@pytest.mark.parametrize("domain", [
    [("id", "=", HUGE)], [("id", "in", [1, HUGE])], [("parent_id", "=", HUGE)],
    [("child_ids", "in", [HUGE])], [("id", "=", float("inf"))], [("name", "=", "a\x00")],
])
def test_domains_refuse_numbers_no_column_holds(runtime, domain):
    with runtime.env() as env, pytest.raises(DomainError):
        env["res.partner"].search(domain)


@pytest.mark.parametrize("vals", [
    {"name": "x", "parent_id": HUGE}, {"name": "x", "parent_id": 2**31},
    {"name": "x", "parent_id": float("inf")}, {"name": "nul\x00byte"},
    {"name": "x", "comment": "\x00"},
])
def test_integer_values_must_fit_their_column(runtime, vals):
    with runtime.env() as env, pytest.raises(ValidationError):
        env["res.partner"].create(vals)


def test_amounts_must_fit_their_precision(runtime):
    runtime.manager.install(["kt_order"])
    with runtime.env() as env:
        orders = env["kt.sale"]
        orders.create({"name": "max", "amount_total": "99999999999999.99"})  # 16 digits fit
        for value in ("100000000000000", 1e20, "Infinity"):
            with pytest.raises(ValidationError):
                orders.create({"name": "too big", "amount_total": value})
        assert orders.search_count([]) == 1


def test_rest_ids_beyond_32_bits_are_not_found(make_app):
    app = make_app()
    with app.extensions["kangyi"].env() as env:
        from core.api.apikeys import generate_key

        key = generate_key(env, env.ref_id("base.user_admin"), "t")
    response = app.test_client().get(f"/api/v1/res.partner/{HUGE}",
                                     headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == 404
