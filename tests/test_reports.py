"""PDF documents (core/reports): every shipped format prints a demo document whose text (read
back from the PDF with pypdf) holds its Chinese title and labels, the names and the amounts;
access rules apply to the PDF route as to every door."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from core.reports import rmb_upper
from core.testing import fresh_database_url
from tests.test_mail import set_server, smtp  # noqa: F401 (the SMTP server fixture)
from tests.web_helpers import client_for, csrf, login, make_user

#: format → (model, domain of a demo record, Chinese words its PDF must show)
FORMATS = {
    "sales.report_saleorder": ("sale.order", [("state", "=", "sale")],
                               ["销售订单", "客户", "数量", "单价", "大写"]),
    "sales.report_delivery_notice": ("sale.delivery.notice", [], ["发货通知单"]),
    "sales.report_invoice_notice": ("sale.invoice.notice", [], ["开票通知单", "大写"]),
    "accounting.report_invoice": ("account.move", [("move_type", "=", "out_invoice")],
                                  ["销售发票", "大写"]),
    "accounting.report_voucher": ("account.move", [("state", "=", "posted")],
                                  ["记账凭证", "摘要", "科目", "借方", "贷方", "合计", "大写",
                                   "制单", "审核", "记账"]),
    "accounting.report_receipt": ("account.payment", [("payment_type", "=", "inbound")],
                                  ["收款收据", "大写"]),
    "stock.report_picking": ("stock.picking", [], ["调拨单", "保管员", "检验员"]),
    "crm.report_contract": ("crm.contract", [], ["合同", "回款计划", "大写"]),
}


@pytest.fixture(scope="module")
def erp(tmp_path_factory):
    from core.app import create_app
    from core.users import ensure_admin

    folder = tmp_path_factory.mktemp("reports")
    app = create_app({"DATABASE_URL": fresh_database_url(folder), "SECRET_KEY": "test",
                      "INSTANCE_PATH": str(folder / "instance"), "TESTING": True})
    runtime = app.extensions["kangyi"]
    runtime.manager.init_database()
    with runtime.env() as env:
        ensure_admin(env, "admin1234", "zh_CN")
        env["res.company"].write([env.ref_id("base.main_company")], {
            "name": "康怡科技有限公司", "street": "科技路 8 号", "city": "杭州"})
    runtime.manager.install(["sales", "stock", "accounting", "crm"], demo=True)
    yield app
    runtime.engine.dispose()


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def compact(text: str) -> str:
    return "".join(text.split())


def test_amount_in_words():
    assert rmb_upper(Decimal("10203.40")) == "壹万零贰佰零叁元肆角整"
    assert rmb_upper(Decimal("1000000.07")) == "壹佰万元零柒分"
    assert rmb_upper(0) == "零元整"
    assert rmb_upper("-35.2") == "负叁拾伍元贰角整"


@pytest.mark.parametrize("report_name", sorted(FORMATS))
def test_each_format_prints_a_demo_document_in_chinese(erp, report_name):
    model, domain, words = FORMATS[report_name]
    runtime = erp.extensions["kangyi"]
    with runtime.env() as env:
        ids = env[model].search(domain, limit=1, order="id")
        assert ids, f"no demo {model} to print"
        record_id = ids[0]
        name = env[model].display_names([record_id])[record_id]
    admin = erp.test_client()
    login(admin, "admin", "admin1234")
    form = admin.get(f"/web/{model}/{record_id}").get_data(as_text=True)
    assert f"/report/pdf/{report_name}/{record_id}" in form  # the print button
    response = admin.get(f"/report/pdf/{report_name}/{record_id}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    text = compact(pdf_text(response.data))
    assert "康怡科技有限公司" in text and "科技路8号" in text  # the company header
    assert compact(name) in text
    for word in words:
        assert word in text, f"{word} missing from {report_name}: {text[:400]}"
    with runtime.env() as env:
        row = env[model].read([record_id], [f for f in ("amount_total", "amount")
                                            if f in env[model].fields_get()])[0]
    amount = row.get("amount_total", row.get("amount"))
    if amount:
        assert f"{amount:,.2f}" in text and rmb_upper(amount) in text


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_the_company_logo_is_in_the_header(erp, kind):
    """The logo uploaded on the company (a PNG or a JPEG) is drawn in each document's header."""
    from PIL import Image

    runtime = erp.extensions["kangyi"]
    image = io.BytesIO()
    Image.new("RGB", (120, 40), (200, 30, 30)).save(image, kind)
    company = None
    try:
        with runtime.env() as env:
            company = env.ref_id("base.main_company")
            env["res.company"].write([company], {"logo": image.getvalue()})
            order = env["sale.order"].search([], limit=1, order="id")[0]
        admin = erp.test_client()
        login(admin, "admin", "admin1234")
        response = admin.get(f"/report/pdf/sales.report_saleorder/{order}")
        assert response.status_code == 200
        [logo] = PdfReader(io.BytesIO(response.data)).pages[0].images
        assert logo.image.size == (120, 40)
    finally:
        if company:
            with runtime.env() as env:
                env["res.company"].write([company], {"logo": False})


def test_pdf_needs_read_access_and_takes_an_api_key(erp):
    runtime = erp.extensions["kangyi"]
    with runtime.env() as env:
        order_id = env["sale.order"].search([], limit=1)[0]
    url = f"/report/pdf/sales.report_saleorder/{order_id}"
    assert erp.test_client().get(url).status_code == 401  # nobody logged in, no key
    make_user(erp, "outsider", ["base.group_user"])
    outsider = client_for(erp, "outsider")
    assert outsider.get(url).status_code == 403
    assert "print-button" not in outsider.get("/").get_data(as_text=True)
    with runtime.env() as env:
        from core.api.apikeys import generate_key

        key = generate_key(env, env.ref_id("base.user_admin"), "printing")
    response = erp.test_client().get(url, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    bad = erp.test_client().get(url, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401
    admin = erp.test_client()
    login(admin, "admin", "admin1234")
    assert admin.get("/report/pdf/sales.report_saleorder/1,x").status_code == 400
    assert admin.get("/report/pdf/no.such_format/1").status_code == 404
    assert admin.get(f"/report/pdf/sales.report_saleorder/{order_id + 100000}").status_code \
        in (403, 404)


def test_invoices_and_contracts_go_by_email_with_their_pdf(erp, smtp):  # noqa: F811
    """"Send by e-mail" on a customer invoice and on a contract, as on orders (tests/test_mail.py):
    to the partner's address, in the sender's language, the PDF attached, logged on the
    document's timeline; a partner without an address: a translated error, nothing sent."""
    runtime = erp.extensions["kangyi"]
    set_server(runtime, smtp.port)
    admin = erp.test_client()
    login(admin, "admin", "admin1234")
    for report_name in ("accounting.report_invoice", "crm.report_contract"):
        model, domain, _words = FORMATS[report_name]
        address = f"{model.replace('.', '-')}@example.com"
        with runtime.env() as env:
            record_id = env[model].search(domain, limit=1, order="id")[0]
            name = env[model].display_names([record_id])[record_id]
            partner = env[model].read([record_id], ["partner_id"])[0]["partner_id"][0]
            env["res.partner"].write([partner], {"email": address})
        form, action = f"/web/{model}/{record_id}", f"/web/mail/send/{report_name}/{record_id}"
        assert action in admin.get(form).get_data(as_text=True)  # the button
        response = admin.post(action, data={"csrf_token": csrf(admin, form)})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        [message] = smtp.to(address)
        assert message["Subject"].startswith("康怡科技有限公司") and name in message["Subject"]
        [pdf] = list(message.iter_attachments())
        assert compact(name) in compact(pdf_text(pdf.get_content()))
        with runtime.env() as env:
            logged = env.sudo()["mail.message"].search_read(
                [("res_model", "=", model), ("res_id", "=", record_id)], ["body"])
            assert any(address in m["body"] for m in logged)
            env["res.partner"].write([partner], {"email": False})
            sent = env["mail.mail"].search_count([])
        page = admin.post(action, data={"csrf_token": csrf(admin, form)}, follow_redirects=True)
        assert "该单据的业务伙伴没有电子邮件地址。" in page.get_data(as_text=True)
        with runtime.env() as env:
            assert env["mail.mail"].search_count([]) == sent


def test_hook_register_reports(erp):
    with erp.extensions["kangyi"].env() as env:
        rows = env["ir.actions.report"].search_read([], ["report_name", "model"])
        assert {r["report_name"]: r["model"] for r in rows} == {
            name: model for name, (model, _domain, _words) in FORMATS.items()}


def print_voucher(env, move_id: int, path: str) -> None:
    """A job: print a voucher (in the worker's code, outside any request) into ``path``."""
    from pathlib import Path

    from core.reports import render_pdf

    Path(path).write_bytes(render_pdf(env, "accounting.report_voucher", [move_id]))


def test_a_job_prints_outside_a_request_in_its_users_language(erp, tmp_path):
    """Outside a request (a job, a shell) a document is laid out all the same, in the job's
    user's language, or in the one asked for; without any web app (a shell) too."""
    from flask import has_app_context

    from core.jobs import enqueue
    from core.reports import render_pdf

    runtime = erp.extensions["kangyi"]
    assert not has_app_context()
    target = tmp_path / "voucher.pdf"
    with runtime.env() as env:
        move_id = env["account.move"].search([("state", "=", "posted")], limit=1)[0]
        enqueue(env, print_voucher, move_id, str(target),
                user_id=env.ref_id("base.user_admin"))  # admin reads Chinese
    chinese = compact(pdf_text(target.read_bytes()))
    assert "记账凭证" in chinese and "摘要" in chinese and "大写" in chinese
    from core.jobs import queue_of

    with runtime.env() as env:
        queue = queue_of(env)
    web_app, queue.app = queue.app, None  # a bare runtime (a shell): no web app at all
    try:
        with runtime.env() as env:
            english = compact(pdf_text(render_pdf(env, "accounting.report_voucher", [move_id],
                                                  lang="en")))
            again = compact(pdf_text(render_pdf(env, "accounting.report_voucher", [move_id],
                                                lang="zh_CN")))
    finally:
        queue.app = web_app
    assert "记账凭证" not in english and "康怡科技有限公司" in english
    assert "记账凭证" in again and "摘要" in again
