"""E-mail and notifications (core/mail) against a real SMTP server the test starts (aiosmtpd):
mail sent by the job queue, notifications in-app and by e-mail as each user chooses, approval
e-mails, "Send by e-mail" with the PDF attached and logged on the timeline."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from core.errors import AccessError
from core.mail import notify, queue_mail
from tests.web_helpers import client_for, csrf, login, make_user


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m["To"]]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


def set_server(runtime, port):
    with runtime.env() as env:
        env["ir.mail_server"].create({"name": "Local", "smtp_host": "127.0.0.1",
                                      "smtp_port": port, "from_address": "erp@kangyi.test"})


def test_mail_is_sent_by_the_queue_to_a_real_smtp_server(make_runtime, smtp):
    runtime = make_runtime()
    set_server(runtime, smtp.port)
    with runtime.env() as env:
        mail_id = queue_mail(env, "buyer@example.com", "Hello", "Body text")
        assert env["mail.mail"].read([mail_id], ["state"])[0]["state"] == "outgoing"
    [message] = smtp.to("buyer@example.com")
    assert message["Subject"] == "Hello" and message["From"] == "erp@kangyi.test"
    assert "Body text" in message.get_content()
    with runtime.env() as env:
        assert env["mail.mail"].read([mail_id], ["state"])[0]["state"] == "sent"


def test_failed_delivery_is_recorded_and_retried(make_runtime):
    runtime = make_runtime()
    set_server(runtime, free_port())  # nobody listens there
    with runtime.env() as env:
        mail_id = queue_mail(env, "buyer@example.com", "Hello", "Body")
    with runtime.env() as env:
        mail = env["mail.mail"].read([mail_id], ["state", "failure_reason"])[0]
        assert mail["state"] == "exception" and mail["failure_reason"]
        job = env["queue.job"].search_read([], ["state", "error"])[0]
        assert job["state"] == "retrying" and "Connection refused" in job["error"]


@pytest.fixture
def certificate(tmp_path, monkeypatch):
    """A self-signed certificate of 127.0.0.1, trusted by this process (``SSL_CERT_FILE``, which
    ``ssl.create_default_context()`` reads); the server's TLS context with it."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@pytest.mark.parametrize("encryption", ["starttls", "ssl"])
def test_mail_goes_over_tls_with_the_servers_login(make_runtime, certificate, encryption):
    """STARTTLS (port 587's way) and implicit TLS (465's), the certificate checked, then the
    login of the outgoing server; a wrong password leaves the mail in exception."""
    inbox, logins = Inbox(), []

    def authenticate(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret", handled=False)

    # aiosmtpd offers AUTH after STARTTLS only unless told otherwise; on an implicit TLS
    # connection (ssl_context) every command is encrypted already. PLAIN only (else smtplib
    # tries LOGIN after a refused PLAIN: one attempt each)
    tls = ({"tls_context": certificate, "require_starttls": True} if encryption == "starttls"
           else {"ssl_context": certificate, "auth_require_tls": False})
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            authenticator=authenticate, auth_exclude_mechanism=["LOGIN"],
                            **tls)
    controller.start()
    try:
        runtime = make_runtime()
        with runtime.env() as env:
            server = env["ir.mail_server"].create({
                "name": "TLS", "smtp_host": "127.0.0.1", "smtp_port": controller.port,
                "smtp_encryption": encryption, "smtp_user": "erp", "smtp_pass": "s3cret",
                "from_address": "erp@kangyi.test"})
        with runtime.env() as env:
            sent = queue_mail(env, "buyer@example.com", "Over TLS", "Body")
        with runtime.env() as env:
            env["ir.mail_server"].write([server], {"smtp_pass": "wrong"})
        with runtime.env() as env:
            refused = queue_mail(env, "other@example.com", "Refused", "Body")
        with runtime.env() as env:
            states = {m["id"]: m["state"] for m in env["mail.mail"].search_read([], ["state"])}
    finally:
        controller.stop()
    assert [m["Subject"] for m in inbox.to("buyer@example.com")] == ["Over TLS"]
    assert logins == [(b"erp", b"s3cret"), (b"erp", b"wrong")] and not inbox.to("other@")
    assert (states[sent], states[refused]) == ("sent", "exception")


def test_notifications_in_app_and_by_email_as_each_user_chooses(make_app, smtp):
    app = make_app()
    runtime = app.extensions["kangyi"]
    set_server(runtime, smtp.port)
    with runtime.env() as env:
        zh = env["res.users"].create({"login": "zh", "name": "Zh", "lang": "zh_CN",
                                      "email": "zh@example.com", "password": "password123",
                                      "groups_id": [(6, 0, [env.ref_id("base.group_user")])]})
        quiet = env["res.users"].create({"login": "quiet", "name": "Quiet",
                                         "email": "quiet@example.com",
                                         "notification_type": "inbox",
                                         "groups_id": [(6, 0, [env.ref_id("base.group_user")])]})
    with app.app_context(), runtime.env() as env:
        notify(env, [zh, quiet], "reminder", {"subject": "合同 HT-1 将到期",
                                              "details": "2026-12-31"}, url="/web/crm.contract/1")
    [message] = smtp.messages
    assert message["To"] == "zh@example.com" and message["Subject"] == "提醒：合同 HT-1 将到期"
    with runtime.env() as env:
        assert env["mail.notification"].search_count([("user_id", "=", quiet)]) == 1
    client = client_for(app, "zh")
    home = client.get("/").get_data(as_text=True)
    assert 'data-notifications-count>1<' in home
    page = client.get("/web/notifications").get_data(as_text=True)
    assert "合同 HT-1 将到期" in page and "/web/crm.contract/1" in page
    token = csrf(client, "/web/notifications")
    client.post("/web/notifications", data={"csrf_token": token, "mark_read": "1",
                                            "notification_type": "inbox"})
    assert 'data-notifications-count>0<' in client.get("/").get_data(as_text=True)
    with runtime.env() as env:
        assert env["res.users"].read([zh], ["notification_type"])[0]["notification_type"] == \
            "inbox"
        # nobody reads another user's notifications
        with pytest.raises(AccessError):
            env(uid=zh)["mail.notification"].read(
                env["mail.notification"].search([("user_id", "=", quiet)]), ["title"])


@pytest.fixture
def sales_app(make_app, smtp):
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["sales"], demo=True)
    set_server(runtime, smtp.port)
    return app


def test_sales_manager_gets_an_email_when_an_order_waits_for_approval(sales_app, smtp):
    app, runtime = sales_app, sales_app.extensions["kangyi"]
    manager = make_user(app, "boss", ["sales.group_manager"], lang="zh_CN")
    assistant = make_user(app, "clerk", ["sales.group_assistant"])
    with runtime.env() as env:
        env["res.users"].write([manager], {"email": "boss@example.com"})
        partner = env["res.partner"].search([("is_company", "=", True)], limit=1)[0]
        product = env["product.product"].search([], limit=1)[0]
    with app.app_context(), runtime.env(uid=assistant) as env:
        order = env["sale.order"].create({"partner_id": partner, "order_line": [
            (0, 0, {"product_id": product, "product_uom_qty": 2})]})
        name = env["sale.order"].display_names([order])[order]
        assert env["sale.order"].call("action_submit", [order]) == "to_approve"
    [message] = smtp.to("boss@example.com")
    assert message["Subject"] == f"{name} 等待您审批"
    assert f"/web/sale.order/{order}" in message.get_content()
    with app.app_context(), runtime.env(uid=manager) as env:
        env["sale.order"].call("workflow_reject", [order], "价格太低")
    with runtime.env() as env:
        note = env["mail.notification"].search_read([("user_id", "=", assistant)],
                                                    ["title", "body"])[0]
        assert note["title"] == f"{name} was rejected" and "价格太低" in note["body"]
        env["res.users"].write([assistant], {"email": "clerk@example.com"})
    with app.app_context(), runtime.env(uid=assistant) as env:  # approved: told by e-mail too
        second = env["sale.order"].create({"partner_id": partner, "order_line": [
            (0, 0, {"product_id": product, "product_uom_qty": 1})]})
        second_name = env["sale.order"].display_names([second])[second]
        env["sale.order"].call("action_submit", [second])
    with app.app_context(), runtime.env(uid=manager) as env:
        env["sale.order"].call("workflow_approve", [second])
    [approved] = smtp.to("clerk@example.com")
    assert approved["Subject"] == f"{second_name} was approved"
    assert f"/web/sale.order/{second}" in approved.get_content()


def test_send_by_email_attaches_the_pdf_and_logs_it(sales_app, smtp):
    app, runtime = sales_app, sales_app.extensions["kangyi"]
    with runtime.env() as env:
        order = env["sale.order"].search([], limit=1)[0]
        partner = env["sale.order"].read([order], ["partner_id"])[0]["partner_id"][0]
        env["res.partner"].write([partner], {"email": "customer@example.com"})
        name = env["sale.order"].display_names([order])[order]
    admin = app.test_client()
    login(admin, "admin", "admin1234")
    form = admin.get(f"/web/sale.order/{order}").get_data(as_text=True)
    action = f"/web/mail/send/sales.report_saleorder/{order}"
    assert action in form
    response = admin.post(action, data={"csrf_token": csrf(admin, f"/web/sale.order/{order}")})
    assert response.status_code == 302
    [message] = smtp.to("customer@example.com")
    assert name in message["Subject"]
    [pdf] = [part for part in message.iter_attachments()]
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content().startswith(b"%PDF-")
    with runtime.env() as env:
        logged = env.sudo()["mail.message"].search_read(
            [("res_model", "=", "sale.order"), ("res_id", "=", order)], ["body"])
        assert any("customer@example.com" in m["body"] for m in logged)
    assert admin.post(action).status_code == 400  # no CSRF token


def test_a_notification_reads_its_recipients_and_the_users_it_names_in_one_query(
        runtime) -> None:
    """The requester or approver named in an approval notification comes with the recipients'
    query (issue 24): one read of the users, however many are named."""
    from core.testing import statements

    with runtime.env() as env:
        users = env["res.users"]
        ann = users.create({"login": "ann", "name": "Ann", "notification_type": "inbox"})
        bob = users.create({"login": "bob", "name": "Bob", "notification_type": "inbox",
                            "active": False})  # named though archived, as display_names does
    with runtime.env() as env, statements(runtime.engine) as seen:
        notify(env, [ann, bob], "approval_waiting", {"document": "SO001", "action": "Submit"},
               url="/web/sale.order/1", names={"requester": bob})
    assert len([s for s in seen if "FROM res_users" in s]) == 1, seen
    with runtime.env() as env:
        notes = env["mail.notification"].search_read([], ["user_id", "body"])
    assert [n["user_id"][0] for n in notes] == [ann]  # only the active recipient
    assert notes[0]["body"].startswith("Bob asks you to approve SO001 (Submit).")
