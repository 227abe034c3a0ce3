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


def test_web_writes_are_stamped_with_the_logged_in_user(make_app):
    from tests.web_helpers import client_for, csrf

    app = make_app()
    client = client_for(app, "admin", "admin1234")
    token = csrf(client, "/web/res.partner/new")
    created = client.post("/web/res.partner/new", data={"csrf_token": token, "name": "Stamped"})
    record_id = int(created.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/web/res.partner/{record_id}", data={"csrf_token": token, "name": "Restamped"})
    with app.extensions["kangyi"].env() as env:
        admin = env.ref_id("base.user_admin")
        row = env["res.partner"].read([record_id], ["create_uid", "write_uid"], load=None)[0]
    assert (row["create_uid"], row["write_uid"]) == (admin, admin)
