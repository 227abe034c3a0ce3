"""The structural checks of AddonTestCase, run on a fixture addon, and shown to catch mistakes."""

import pytest

from core.testing import AddonTestCase
from tests.conftest import FIXTURE_ADDONS


class TestAlphaStructure(AddonTestCase):
    addon = "kt_alpha"
    addons_path = FIXTURE_ADDONS


class TestBetaLabels(AddonTestCase):
    """kt_beta labels its fields with plain strings: the translation check must say so."""

    addon = "kt_beta"
    addons_path = FIXTURE_ADDONS

    def test_labels_are_translatable(self, registry):
        with pytest.raises(AssertionError, match="label must be a lazy translatable string"):
            super().test_labels_are_translatable(registry)
