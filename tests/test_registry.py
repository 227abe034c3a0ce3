"""Model composition: fragments in dependency order, clashes named, registries side by side."""

import pytest

from core.addons import discover_addons
from core.errors import AddonError
from core.lifecycle import build_registry
from tests.conftest import FIXTURE_ADDONS


@pytest.fixture(scope="module")
def available():
    return discover_addons(FIXTURE_ADDONS)


def test_registries_with_different_addons_live_side_by_side(available):
    plain = build_registry(available, ["base", "kt_alpha"])
    extended = build_registry(available, ["base", "kt_alpha", "kt_beta"])
    assert "beta_note" not in plain["kt.thing"].__table__.c
    assert "beta_note" in extended["kt.thing"].__table__.c
    assert plain["kt.thing"] is not extended["kt.thing"]
    assert plain["kt.thing"]().describe() == "alpha"
    assert extended["kt.thing"]().describe() == "beta+alpha"
    assert extended["kt.thing"].__addons__ == ("kt_alpha", "kt_beta")


def test_fragments_follow_dependency_order_not_hook_order(available):
    registry = build_registry(available, ["kt_glue", "kt_beta", "kt_delta", "kt_alpha", "base"])
    assert registry["kt.thing"].__addons__ == ("kt_alpha", "kt_beta", "kt_glue")
    mro = [c.__name__ for c in registry["kt.thing"].__mro__[:4]]
    assert mro == ["KtThing", "ThingGlue", "ThingBeta", "Thing"]


def test_redefining_a_column_names_both_addons(available):
    message = "qty of kt.thing is defined by both kt_alpha and kt_clash"
    with pytest.raises(AddonError, match=message):
        build_registry(available, ["base", "kt_alpha", "kt_clash"])


def test_a_model_has_one_creator(available):
    with pytest.raises(AddonError, match="kt.thing is created by both kt_alpha and kt_dupe"):
        build_registry(available, ["base", "kt_alpha", "kt_dupe"])


def test_many2one_gets_a_record_relationship(available):
    registry = build_registry(available, ["base", "kt_alpha"])
    assert registry["kt.thing"].partner.property.mapper.class_ is registry["res.partner"]


def test_fields_of_a_mixin_are_each_models_own(available):
    registry = build_registry(available, ["base", "kt_mixin"])
    order, quote = registry["kt.mixin.order"], registry["kt.mixin.quote"]
    for cls in (order, quote):
        assert {"tax_rate", "partner_id", "total", "summary"} <= set(cls.__fields__)
        assert {"tax_rate", "partner_id", "total"} <= set(cls.__table__.c.keys())
        for name in ("tax_rate", "total", "partner_id"):
            info = cls.__fields__[name]
            assert (info.name, info.model, info.addon) == (name, cls._name, "kt_mixin")
            assert cls.__table__.c[name].info["field"] is info
        assert cls.partner.property.mapper.class_ is registry["res.partner"]
    assert "amount" in order.__table__.c and "net" not in order.__table__.c
    assert "net" in quote.__table__.c and "amount" not in quote.__table__.c
    assert "note" in order.__table__.c  # the extension inheriting the mixin again: no clash
    for name in ("tax_rate", "total", "summary"):
        assert order.__fields__[name] is not quote.__fields__[name]
    assert registry.compute_graph.node_of("kt.mixin.quote", "total").stored
    assert order.__fields__["total"].all_depends == ("amount", "tax_rate")
    assert quote.__fields__["total"].all_depends == ("net", "tax_rate")
    again = build_registry(available, ["base", "kt_mixin"])
    assert again["kt.mixin.order"].__fields__["total"] is not order.__fields__["total"]


def test_redefining_a_mixins_field_names_both_addons(available):
    with pytest.raises(AddonError, match="total of kt.mixin.quote is defined by both kt_mixin "
                                         "and kt_mixin_clash"):
        build_registry(available, ["base", "kt_mixin", "kt_mixin_clash"])


def test_models_sharing_a_mixin_compute_their_own_values_from_their_own_inputs(make_runtime):
    from decimal import Decimal

    runtime = make_runtime()
    runtime.manager.install(["kt_mixin"])
    with runtime.env() as env:
        orders, quotes = env["kt.mixin.order"], env["kt.mixin.quote"]
        order = orders.create({"name": "O1", "amount": "100", "tax_rate": "13"})
        quote = quotes.create({"net": "10", "tax_rate": "6", "valid_days": 30})
        assert orders.read([order], ["total", "summary"])[0] == {
            "id": order, "total": Decimal("113.00"), "summary": "kt.mixin.order: 113.00"}
        assert quotes.read([quote], ["total", "summary"])[0] == {
            "id": quote, "total": Decimal("10.60"), "summary": "10.60 for 30 days"}
        quotes.write([quote], {"net": "20"})
        assert quotes.read([quote], ["total"])[0]["total"] == Decimal("21.20")
        assert orders.read([order], ["total"])[0]["total"] == Decimal("113.00")
        assert orders.search([("total", ">", 100)]) == [order]
