"""Web hardening (issue 17): exports cannot carry live formulas (item 8), redirects stay on the
site (item 9), HTML pages carry security headers and the session cookie can be Secure (12)."""

from __future__ import annotations

import io

import pytest

from .web_helpers import client_for, csrf, login, web_app  # noqa: F401

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(1)",
            "\tTAB", "plain"]


def test_exports_neutralise_formulas(web_app):  # noqa: F811
    with web_app.extensions["kangyi"].env() as env:
        for name in FORMULAS:
            env["res.partner"].create({"name": name, "city": "=cmd|' /C calc'!A0"})
    client = client_for(web_app, "max")
    token = csrf(client, "/web/res.partner")
    csv_body = client.post("/web/res.partner/bulk", data={
        "action": "csv", "csrf_token": token}).get_data().decode("utf-8-sig")
    lines = csv_body.splitlines()
    for name in FORMULAS[:-1]:
        cell = name.replace('"', '""')
        assert any(line.startswith((f"'{cell}", f"\"'{cell}")) for line in lines), (name, lines)
    assert any(line.startswith("plain,") for line in lines)
    assert "'=cmd" in csv_body and ",=cmd" not in csv_body

    from openpyxl import load_workbook

    book = client.post("/web/res.partner/bulk", data={"action": "xlsx", "csrf_token": token})
    sheet = load_workbook(io.BytesIO(book.get_data())).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value]
    assert cells and all(cell.data_type in ("s", "n", "d", "b") for cell in cells), [
        (c.value, c.data_type) for c in cells if c.data_type == "f"]
    values = {cell.value for cell in cells}
    assert set(FORMULAS) - {"\tTAB"} <= values  # the text itself is kept, as text


@pytest.mark.parametrize("target", [
    "/%09/evil.example/", "/\t/evil.example/", "//evil.example/", "/\\evil.example/",
    "https://evil.example/", "/%0d%0a/evil.example", " /evil", "javascript:alert(1)"])
def test_redirects_stay_on_the_site(web_app, target):  # noqa: F811
    from urllib.parse import quote, unquote

    client = web_app.test_client()
    response = client.post(f"/web/login?next={quote(unquote(target), safe='/%')}", data={
        "login": "ann", "password": "password123", "csrf_token": csrf(client)})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location in ("/", "http://localhost/"), location
    token = csrf(client, "/web/res.partner")
    lang = client.post("/web/lang", data={"lang": "en", "next": unquote(target),
                                          "csrf_token": token})
    assert lang.status_code == 302 and "evil" not in lang.headers["Location"]
    bulk = client.post("/web/res.partner/bulk", data={
        "action": "delete", "back": unquote(target), "csrf_token": token})
    assert bulk.status_code == 302 and "evil" not in bulk.headers["Location"]


def test_local_next_is_kept(web_app):  # noqa: F811
    client = web_app.test_client()
    response = client.post("/web/login?next=/web/res.partner%3Fpage%3D2", data={
        "login": "ann", "password": "password123", "csrf_token": csrf(client)})
    assert response.headers["Location"].endswith("/web/res.partner?page=2")


def test_pages_carry_security_headers(web_app):  # noqa: F811
    client = web_app.test_client()
    for page in (client.get("/web/login"), client_for(web_app, "ann").get("/")):
        headers = page.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert csp.split("script-src")[1].split(";")[0].strip() == "'self'"  # no inline code
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
    cookie = client.post("/web/login", data={"login": "ann", "password": "password123",
                                             "csrf_token": csrf(client)}).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Secure" not in cookie  # plain HTTP by default


def test_secure_session_cookie_setting(make_app, monkeypatch):
    monkeypatch.setenv("KANGYI_SECURE_COOKIES", "1")
    app = make_app()
    client = app.test_client()
    form = client.get("/web/login", base_url="https://localhost").get_data(as_text=True)
    token = form.split('name="csrf_token"')[1].split('value="')[1].split('"')[0]
    response = client.post("/web/login", data={"login": "admin", "password": "admin1234",
                                               "csrf_token": token},
                           base_url="https://localhost",
                           headers={"Referer": "https://localhost/web/login"})
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in response.headers
