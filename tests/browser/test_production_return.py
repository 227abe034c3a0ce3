"""退料 by clicks, in Chinese (desktop 1366×768): the workshop manager of an order in progress
enters that only 4 of its 10 are made, saves, and returns the surplus components with the
退料 button, which opens the return transfer; the keeper finds it among the material issues
and validates it; the components are back in stock at the quantities the order no longer
needs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.addons.test_production import Factory, factory_setup, receive
from tests.browser.conftest import Post, record_name, serving

D = Decimal
DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture(name="started")
def started_fixture(make_app: Any) -> Iterator[tuple[str, Factory, int]]:
    """An order of 10 approved, its components issued and its production started."""
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["production"], demo=False)
    factory = factory_setup(runtime)
    with runtime.env() as env:
        receive(env, factory.ids["S"], 20, "8")
        receive(env, factory.ids["A"], 100, "5")
        env["res.users"].write([factory.users["workshop"], factory.users["keeper"]],
                               {"password": "password123", "lang": "zh_CN"})
    production = factory.approved(10)
    factory.issue(production)
    factory.call("workshop", "action_start", production)
    with serving(app) as base_url:
        yield base_url, factory, production


def test_the_workshop_returns_surplus_material_and_the_keeper_validates_it(browser, started):
    base_url, factory, production = started
    runtime = factory.runtime
    name = record_name(runtime, "mrp.production", [("id", "=", production)])

    with Post(browser, base_url, "workshop", DESKTOP) as post:
        post.menu("生产管理", "生产任务单")
        post.open(name)
        post.page.get_by_label("本次生产数量", exact=True).fill("4")
        post.page.get_by_role("button", name="保存").click()
        expect(post.page.get_by_role("status")).to_contain_text("已保存")
        post.button("退料")
        expect(post.page).to_have_url(re.compile(r"/web/stock\.picking/\d+"))
        expect(post.page.locator("main")).to_contain_text("外壳")
    back = record_name(runtime, "stock.picking", [("production_id", "=", production),
                                                  ("state", "=", "assigned")])

    with Post(browser, base_url, "keeper", DESKTOP) as post:
        post.menu("生产管理", "领料单")
        post.open(back)
        post.transition("validate")
        expect(post.page.locator("#state")).to_contain_text("已完成")

    # 6 S and 13.2 A (10 % scrap) the 4 made do not need are back in stock
    assert factory.on_hand("S") == D(16) and factory.on_hand("A") == D("91.2")
    with runtime.env() as env:
        issued = env["mrp.production"].browse_unchecked([production])[0].issued()
    assert issued == {factory.ids["S"]: [D(4), D(32)], factory.ids["A"]: [D("8.8"), D(44)]}
