"""purchase: the request for quotation and the purchase order print in Chinese for the supplier
(title by state, lines, amount in words) and the PDF follows the buyer's record rules."""

from __future__ import annotations

from typing import Any

from core.reports import rmb_upper
from tests.addons.test_purchase import purchase_setup
from tests.test_reports import compact, pdf_text
from tests.web_helpers import client_for, make_user

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
