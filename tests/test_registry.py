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
