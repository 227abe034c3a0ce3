"""Two apps on one database: an install through one is seen by the other, without restart."""

from sqlalchemy import event


def login(client, password="admin1234"):
    page = client.get("/web/login")
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    token = token.split('"')[0]
    return client.post("/web/login", data={"login": "admin", "password": password,
                                            "csrf_token": token})


def test_second_app_follows_install_and_uninstall(make_app):
    first, second = make_app(), make_app()
    runtime = second.extensions["kangyi"]
    client = second.test_client()
    assert login(client).status_code == 302
    assert client.get("/").status_code == 200
    assert "kt.thing" not in runtime.registry

    first.extensions["kangyi"].manager.install(["kt_alpha"])
    assert client.get("/").status_code == 200
    assert "kt.thing" in runtime.registry  # rebuilt by that request, no restart

    first.extensions["kangyi"].manager.uninstall(["kt_alpha"])
    assert client.get("/").status_code == 200
    assert "kt.thing" not in runtime.registry


def test_registry_check_is_one_cheap_query_per_request(make_app):
    app = make_app()
    client = app.test_client()
    login(client)
    client.get("/")  # warm: registry built
    statements = []
    engine = app.extensions["kangyi"].engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        client.get("/")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    signature_reads = [s for s in statements if "ir_registry" in s]
    assert len(signature_reads) == 1
    assert "ir_module_module" not in " ".join(statements)  # no rebuild when nothing changed


def test_login_requires_csrf_and_right_password(make_app):
    client = make_app().test_client()
    assert client.post("/web/login", data={"login": "admin", "password": "admin1234"}
                       ).status_code == 400
    assert login(client, password="wrong-pass").status_code == 401
    assert client.get("/").status_code == 302  # still anonymous
