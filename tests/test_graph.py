"""Dependency resolution: order, missing dependencies, cycles, glue addons, dependents."""

import pytest

from core.addons import discover_addons
from core.errors import AddonError
from core.graph import auto_install_glue, dependents, install_closure, topological_order
from tests.conftest import FIXTURE_ADDONS


@pytest.fixture(scope="module")
def available():
    return discover_addons(FIXTURE_ADDONS)


def test_dependencies_come_first(available):
    order = topological_order({"kt_beta", "kt_alpha", "base", "kt_delta"}, available)
    assert order.index("base") < order.index("kt_alpha") < order.index("kt_beta")
    assert order[0] == "base"


def test_closure_adds_dependencies(available):
    assert install_closure(["kt_beta"], available) == {"kt_beta", "kt_alpha", "base"}


def test_missing_dependency_names_both_addons(available):
    with pytest.raises(AddonError, match="kt_missing_dep depends on kt_nowhere"):
        install_closure(["kt_missing_dep"], available)


def test_unknown_addon(available):
    with pytest.raises(AddonError, match="Unknown addon: nope"):
        install_closure(["nope"], available)


def test_cycle_names_its_addons(available):
    names = install_closure(["kt_cycle_a"], available)
    with pytest.raises(AddonError, match="kt_cycle_a → kt_cycle_b → kt_cycle_a"):
        topological_order(names, available)


def test_glue_installs_only_when_all_dependencies_are_there(available):
    assert auto_install_glue({"base", "kt_alpha"}, available) == set()
    assert auto_install_glue({"base", "kt_alpha", "kt_delta"}, available) == {"kt_glue"}


def test_dependents_are_transitive(available):
    installed = {"base", "kt_alpha", "kt_beta", "kt_delta", "kt_glue"}
    assert dependents(["kt_alpha"], installed, available) == {"kt_beta", "kt_glue"}
    assert dependents(["kt_beta"], installed, available) == set()
