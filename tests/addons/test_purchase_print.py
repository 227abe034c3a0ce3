"""purchase: the request for quotation and the purchase order print in Chinese for the supplier
(title by state, lines, amount in words) and the PDF follows the buyer's record rules; the buyer
sends it to the supplier by e-mail."""

from __future__ import annotations

from typing import Any

from core.reports import rmb_upper
from tests.addons.test_purchase import purchase_setup
from tests.test_mail import set_server, smtp  # noqa: F401 (the SMTP server fixture)
from tests.test_reports import compact, pdf_text
from tests.web_helpers import client_for, csrf, make_user

REPORT = "/report/pdf/purchase.report_purchaseorder"


def test_rfq_and_order_print_for_the_supplier(make_app: Any) -> None:
    app = make_app()
    app.extensions["kangyi"].manager.install(["purchase"])
    p2p = purchase_setup(app.extensions["kangyi"])
    make_user(app, "zhou", ["purchase.group_user"], lang="zh_CN")
    make_user(app, "wu", ["purchase.group_user"], lang="zh_CN")
    with app.extensions["kangyi"].env() as env:
        zhou = env["res.users"].search([("login", "=", "zhou")])[0]
    order = p2p.order([(p2p.bp, "10", "168.50")], uid=zhou)
    buyer = client_for(app, "zhou")
    form = buyer.get(f"/web/purchase.order/{order}").get_data(as_text=True)
    assert f"{REPORT}/{order}" in form and "send-by-email" in form  # print and send buttons
    text = compact(pdf_text(buyer.get(f"{REPORT}/{order}").data))
    assert "询价单" in text and "江苏鱼跃医疗" in text and "电子血压计" in text
    total = p2p.read("purchase.order", order, "amount_total")["amount_total"]
    assert f"{total:,.2f}" in text and rmb_upper(total) in text
    p2p.call(zhou, "purchase.order", "action_submit", order)
    p2p.call(p2p.manager, "purchase.order", "workflow_approve", order)
    assert "采购订单" in compact(pdf_text(buyer.get(f"{REPORT}/{order}").data))
    assert client_for(app, "wu").get(f"{REPORT}/{order}").status_code in (403, 404)


def test_buyer_sends_the_rfq_to_the_supplier_by_email(make_app: Any,
                                                      smtp: Any) -> None:  # noqa: F811
    """Send by e-mail from the order's form: the supplier gets the RFQ as a PDF in Chinese (the
    buyer's language), the order's timeline logs it; another buyer cannot send it."""
    app = make_app()
    runtime = app.extensions["kangyi"]
    runtime.manager.install(["purchase"])
    set_server(runtime, smtp.port)
    p2p = purchase_setup(runtime)
    make_user(app, "zhou", ["purchase.group_user"], lang="zh_CN")
    make_user(app, "wu", ["purchase.group_user"], lang="zh_CN")
    with runtime.env() as env:
        zhou = env["res.users"].search([("login", "=", "zhou")])[0]
        env["res.partner"].write([p2p.supplier], {"email": "sales@yuyue.example.com"})
    order = p2p.order([(p2p.bp, "10", "168.50")], uid=zhou)
    name = p2p.read("purchase.order", order, "name")["name"]
    action = f"/web/mail/send/purchase.report_purchaseorder/{order}"
    other = client_for(app, "wu")
    assert other.post(action, data={"csrf_token": csrf(other, "/web")}).status_code in (403,
                                                                                         404)
    assert smtp.to("sales@yuyue.example.com") == []
    buyer = client_for(app, "zhou")
    form = f"/web/purchase.order/{order}"
    assert action in buyer.get(form).get_data(as_text=True)
    assert buyer.post(action, data={"csrf_token": csrf(buyer, form)}).status_code == 302
    [message] = smtp.to("sales@yuyue.example.com")
    assert name in message["Subject"]
    [pdf] = list(message.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    text = compact(pdf_text(pdf.get_content()))
    assert "询价单" in text and name in text and "电子血压计" in text
    with runtime.env() as env:
        logged = env.sudo()["mail.message"].search_read(
            [("res_model", "=", "purchase.order"), ("res_id", "=", order)], ["body"])
    assert any("sales@yuyue.example.com" in m["body"] for m in logged)
