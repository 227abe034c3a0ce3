"""The web UI in a real browser: partners end to end, errors, Chinese, restricted users, phones."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import log_in, open_page, shot


def app(page, name):
    """Click the application ``name`` in the top bar."""
    page.locator("nav.apps-nav").get_by_role("link", name=name, exact=True).click()


def new_order(page):
    """From anywhere: the Orders application, then its New button."""
    app(page, "Orders")
    page.locator("main").get_by_role("link", name="New", exact=True).click()
    expect(page.get_by_label("Reference")).to_be_visible()


def test_admin_manages_a_partner_end_to_end(page):
    log_in(page, "admin", "admin1234")
    shot(page, "home")
    page.get_by_role("navigation", name="Applications").get_by_role("link", name="Contacts").click()
    expect(page.get_by_role("heading", name="Contact")).to_be_visible()
    page.get_by_role("link", name="New", exact=True).click()
    page.get_by_label("Email").fill("sales@gamma.test")
    page.get_by_role("button", name="Save").click()
    # inline validation error, the user's input kept
    expect(page.locator("#name-error")).to_contain_text("This field is required")
    expect(page.get_by_label("Email")).to_have_value("sales@gamma.test")
    shot(page, "partner-error")
    page.get_by_label("Name").fill("Gamma Logistics")
    page.get_by_label("City").fill("Suzhou")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    page.get_by_label("City").fill("Wuxi")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("City")).to_have_value("Wuxi")
    shot(page, "partner-form")
    page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Contacts").click()
    page.get_by_label("Search", exact=True).fill("gamma")
    page.get_by_label("Search", exact=True).press("Enter")
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Wuxi")
    shot(page, "partner-search")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_label("Select Gamma Logistics").check()
    page.get_by_role("button", name="Delete selected").click()
    expect(page.get_by_role("status")).to_contain_text("1 records deleted.")
    expect(page.locator("table.list tbody")).to_contain_text("No records.")


def test_switch_to_chinese(page):
    log_in(page, "admin", "admin1234")
    app(page, "Contacts")
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="联系人")).to_be_visible()
    expect(page.get_by_role("link", name="新建", exact=True)).to_be_visible()
    expect(page.locator("table.list thead")).to_contain_text("名称")
    expect(page.locator("table.list thead")).to_contain_text("电子邮件")
    shot(page, "partners-zh")
    page.get_by_role("link", name="Acme Trading").click()
    expect(page.get_by_label("城市")).to_have_value("Hangzhou")
    shot(page, "partner-form-zh")
    app(page, "设置")
    page.locator("nav.sidemenu").get_by_role("link", name="用户", exact=True).click()
    expect(page).to_have_url(re.compile(r"/web/res\.users\b"))
    expect(page.locator(".sidemenu")).to_contain_text("用户与公司")
    shot(page, "users-zh")


def test_restricted_user_sees_no_settings_menu_nor_restricted_field(page, browser, live_server):
    log_in(page, "ann", "password123")
    apps = page.get_by_role("navigation", name="Applications")
    expect(apps).to_contain_text("Orders")
    expect(apps).not_to_contain_text("Settings")
    new_order(page)
    expect(page.locator(".sidemenu")).not_to_contain_text("Tags")
    expect(page.get_by_label("Reference")).to_be_visible()
    expect(page.locator("form.record")).not_to_contain_text("Margin")
    shot(page, "order-form-restricted")
    # no menu leads to the users; typed by hand, their address is refused
    expect(page.locator("header a[href*='res.users'], nav.sidemenu a[href*='res.users']")
           ).to_have_count(0)
    refused = page.request.get("/web/res.users/new")
    assert refused.status == 403
    assert "You are not allowed to create records" in refused.text()
    manager, other = open_page(browser, live_server, height=768)
    log_in(other, "max", "password123")
    new_order(other)
    expect(other.get_by_label("Margin")).to_be_visible()
    expect(other.locator(".sidemenu")).to_contain_text("Tags")
    manager.close()


def cell(page, column):
    """The input of ``column`` in the last order line."""
    return page.locator("tr.line").last.locator(
        f"td[data-col={column}] input:not([type=hidden])")


def test_order_form_widgets_search_as_you_type_and_live_subtotal(page):
    log_in(page, "ann", "password123")
    new_order(page)
    page.get_by_label("Reference").fill("SO-B1")
    page.get_by_label("Salesperson").fill("an")
    page.get_by_role("option", name="Ann").click()
    page.get_by_label("Customer").fill("acm")
    page.get_by_role("option", name="Acme Trading").click()
    page.get_by_role("button", name="Add a line").click()
    cell(page, "name").fill("Bolt")
    cell(page, "quantity").fill("3")
    cell(page, "price_unit").fill("2.5")
    page.get_by_role("button", name="Add a line").click()
    cell(page, "name").fill("Nut")
    cell(page, "quantity").fill("4")
    cell(page, "price_unit").fill("0.25")
    expect(page.locator("tr.line").first.locator(".subtotal")).to_have_text("7.50")
    expect(page.locator("fieldset.lines .total")).to_have_text("8.50")
    shot(page, "order-form-lines")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    expect(page.get_by_label("Customer")).to_have_value("Acme Trading")
    expect(page.locator("tr.line")).to_have_count(2)
    expect(page.locator("fieldset.lines .total")).to_have_text("8.50")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_label("Status")).to_have_value("sale")


def test_phone_width_layout(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server,
                                  locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto("/web/login")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.get_by_label("登录名").fill("admin")
    page.get_by_label("密码").fill("admin1234")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/")
    page.locator("nav.apps-nav").get_by_role("link", name=re.compile("^(Contacts|联系人)$")).click()
    expect(page.locator("table.list")).to_be_visible()
    for name in ("phone-partners", "phone-partner-form"):
        if name == "phone-partner-form":
            page.locator("main").get_by_role("link", name=re.compile("^(New|新建)$")).click()
            expect(page.locator("form.record")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{name} is {width}px wide on a 390px screen"
        shot(page, name)
    assert re.search("Kangyi|康怡", page.title())
    context.close()


def test_grouped_list_expands_a_group_in_place(page):
    log_in(page, "admin", "admin1234")
    app(page, "Contacts")
    page.get_by_label("Group by").select_option(label="City")
    page.locator("form.searchbar").get_by_role("button", name="Search").click()
    expand = page.locator("table.groups .group-expand").first
    expect(page.locator("table.groups tfoot")).to_contain_text("Total")
    expand.click()
    rows = page.locator("tr.group-rows table tbody tr")
    expect(rows.first).to_be_visible()
    expect(expand).to_have_attribute("aria-expanded", "true")
    shot(page, "grouped-list-expanded")
    expand.click()
    expect(page.locator("tr.group-rows")).to_be_hidden()


def test_list_grouped_on_two_levels_in_chinese(page):
    """Contacts by company/person, then by city, by clicks in Chinese: each level shows its
    count, the second loads under its group, the last one's rows under theirs, and folding
    the first level hides everything below it."""
    log_in(page, "admin", "admin1234")
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="中文").click()
    app(page, "联系人")
    search = page.locator("form.searchbar").get_by_role("button", name="搜索")
    page.get_by_label("分组", exact=True).select_option("is_company")
    search.click()  # each level chosen offers the next one
    page.get_by_label("再按").select_option("city")
    search.click()
    groups = page.locator("table.groups")
    expect(groups.locator("caption")).to_contain_text("›")
    expect(groups.locator("tfoot")).to_contain_text("合计")
    people = groups.locator("tbody > tr").first  # the people (no company): one group
    people.get_by_role("button", name="展开下级分组").click()
    cities = groups.locator("tr.level-1")
    expect(cities.filter(has_text="Hangzhou")).to_have_count(1)
    hangzhou = cities.filter(has_text="Hangzhou")
    expect(hangzhou.locator("td.num").first).to_have_text("1")
    hangzhou.get_by_role("button", name="展开明细").click()
    rows = groups.locator("tr.group-rows table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Acme Trading")
    shot(page, "list-two-levels-zh")
    people.get_by_role("button", name="展开下级分组").click()
    expect(cities.first).to_be_hidden()
    expect(groups.locator("tr.group-rows")).to_be_hidden()
    people.get_by_role("button", name="展开下级分组").click()
    expect(hangzhou).to_be_visible()
    expect(groups.locator("tr.group-rows")).to_be_hidden()  # folded again below
