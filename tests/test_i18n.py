"""Translations: every message has a zh_CN translation; labels, menus, values render by locale."""

from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from core.addons import discover_addons
from core.translations import (
    CORE_DIR,
    catalog_path,
    catalog_sources,
    clashes,
    load_catalog,
    translation_directories,
    untranslated,
)
from tests import web_helpers

SOURCES = catalog_sources(discover_addons())
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]")

web_app = web_helpers.web_app  # the shared fixture


@pytest.mark.parametrize("name,source,translations", SOURCES, ids=[s[0] for s in SOURCES])
def test_every_message_has_a_zh_CN_translation(name, source, translations):
    missing = untranslated(source, translations, "zh_CN")
    assert not missing, (
        f"{len(missing)} messages of {name} have no zh_CN translation in "
        f"{catalog_path(translations, 'zh_CN')}; run `bin/i18n update {name}` and translate "
        f"them: {missing[:20]}")


@pytest.mark.parametrize("name,source,translations", SOURCES, ids=[s[0] for s in SOURCES])
def test_translations_keep_the_placeholders(name, source, translations):
    catalog = load_catalog(catalog_path(translations, "zh_CN"), "zh_CN")
    wrong = [m.id for m in catalog if m.id and m.string
             and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))]
    assert not wrong, f"translations that lose or invent placeholders: {wrong}"


def test_no_two_catalogs_translate_a_message_differently():
    differing = clashes(SOURCES, "zh_CN")
    assert not differing, (
        "catalogs are merged into one domain, so only one translation can win; give the same "
        f"translation or use another message: {differing}")


def test_a_clash_between_two_catalogs_is_found(tmp_path):
    for name, text in (("one", "合计"), ("two", "价税合计")):
        po = catalog_path(tmp_path / name, "zh_CN")
        po.parent.mkdir(parents=True)
        po.write_text(f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                      f'msgid "Total"\nmsgstr "{text}"\n\nmsgid "Name"\nmsgstr "名称"\n',
                      encoding="utf-8")
    found = clashes([(n, tmp_path, tmp_path / n) for n in ("one", "two")], "zh_CN")
    assert found == {"Total": {"one": "合计", "two": "价税合计"}}


def test_extraction_finds_python_lazy_and_template_messages():
    missing_probe = untranslated(CORE_DIR.parent, CORE_DIR / "no-such-folder", "zh_CN")
    assert "Access denied" in missing_probe  # from a template
    assert "Users & companies" in missing_probe  # an _l menu name in core/base/hooks.py
    assert "Wrong login or password." in missing_probe  # _() in Python


def test_catalogs_are_compiled_into_the_instance_and_refreshed(tmp_path):
    addons = {"kt_web": discover_addons(
        str(Path(__file__).parent / "fixtures" / "addons"))["kt_web"]}
    folders = translation_directories(tmp_path, addons).split(";")
    assert folders == [str(tmp_path / "translations" / "kt_web"),
                       str(tmp_path / "translations" / "core")]
    mo = tmp_path / "translations" / "core" / "zh_CN" / "LC_MESSAGES" / "messages.mo"
    assert mo.exists()
    old = (CORE_DIR / "zh_CN" / "LC_MESSAGES" / "messages.po").stat().st_mtime - 60
    os.utime(mo, (old, old))  # older than the .po, however old the checkout is
    translation_directories(tmp_path, addons)
    assert mo.stat().st_mtime > old  # the .po is newer: compiled again


def test_labels_menus_groups_and_selections_render_translated(web_app):
    from flask_babel import force_locale

    from core.menus import menus_of
    from core.web.shell import format_value, translated

    with web_app.test_request_context(), force_locale("zh_CN"):
        runtime = web_app.extensions["kangyi"]
        with runtime.env() as env:
            partner = env.registry["res.partner"].__fields__
            order = env.registry["kt.order"].__fields__
            assert partner["name"].label == "名称" and partner["is_company"].label == "是公司"
            assert re.fullmatch("[\u4e00-\u9fff]+", format_value("sale", order["state"]))
            items = menus_of(env.registry).items
            assert str(items["base.menu_settings"].name) == "设置"
            assert str(items["kt_web.menu_board"].name) == "订单看板"  # the addon's catalog
            group = env["res.groups"].read([env.ref_id("base.group_system")], ["name"])[0]
            assert group["name"] == "Administrator" and translated(group["name"]) == "管理员"
            assert str(format_value(Decimal("1234.5"), order["amount"])) == "1,234.50"
            assert format_value(dt.date(2026, 11, 5), order["date_order"]) == "2026年11月5日"
    with web_app.test_request_context(), force_locale("en"):
        assert format_value(dt.date(2026, 11, 5), order["date_order"]) == "Nov 5, 2026"
        assert str(format_value(Decimal("0.1"), order["amount"])) == "0.10"
