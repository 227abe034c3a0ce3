"""The supplier comparison matrix (比价表, /web/page/purchase/comparison/<id>): suppliers as
columns, products as rows with price, VAT, arrival and lead time, the lowest price and total
marked; the buyer chooses a supplier with a reason on the page (refused without one), the
chosen column is marked afterwards; another buyer gets 403, and the form links to the page."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from tests.addons.test_purchase import purchase_setup
from tests.web_helpers import client_for, csrf, make_user

PAGE = "/web/page/purchase/comparison"


def _sheet(p2p: Any) -> tuple[int, list[int]]:
    """An approved request for two products, a sheet asking three suppliers, their RFQs."""
    with p2p.env(p2p.requester) as env:
        request = env["purchase.request"].create({"department": "生产部", "line_ids": [
            (0, 0, {"product_id": p2p.bp, "product_qty": "10", "reason": "备货"}),
            (0, 0, {"product_id": p2p.mask, "product_qty": "200", "reason": "备货"})]})
    p2p.call(p2p.requester, "purchase.request", "action_submit", request)
    p2p.call(p2p.manager, "purchase.request", "workflow_approve", request)
    sheet = p2p.call(p2p.zhou, "purchase.request", "action_create_comparison", request)
    with p2p.env(p2p.zhou) as env:
        env["purchase.comparison"].write([sheet], {"supplier_ids": [
            (6, 0, [p2p.supplier, p2p.supplier2, p2p.supplier3])]})
    rfqs = p2p.call(p2p.zhou, "purchase.comparison", "action_send_rfqs", sheet)
    with p2p.env(p2p.zhou) as env:  # the quoted prices: 可孚 is cheapest on masks only
        lines = env["purchase.order.line"]
        for order, bp, mask in ((rfqs[0], "168.50", "14.20"), (rfqs[1], "171.00", "14.00"),
                                (rfqs[2], "175.00", "12.00")):
            for line in lines.search_read([("order_id", "=", order)], ["product_id"]):
                price = bp if line["product_id"][0] == p2p.bp else mask
                lines.write([line["id"]], {"price_unit": price})
    return sheet, rfqs


def _cells(html: str, row: str) -> list[str]:
    """The text of the cells of the matrix row headed ``row``."""
    body = re.split(rf'<th scope="row"[^>]*>{row}</th>', html, maxsplit=1)[1].split("</tr>")[0]
    return [re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)]


def test_matrix_page_and_choosing_the_winner_with_a_reason(make_app: Any) -> None:
    app = make_app()
    app.extensions["kangyi"].manager.install(["purchase"])
    make_user(app, "zhou", ["purchase.group_user"], lang="zh_CN")
    make_user(app, "wu", ["purchase.group_user"], lang="zh_CN")
    p2p = purchase_setup(app.extensions["kangyi"])
    with p2p.env() as env:
        p2p.users["zhou"] = env["res.users"].search([("login", "=", "zhou")])[0]
    sheet, rfqs = _sheet(p2p)
    buyer = client_for(app, "zhou")
    form = buyer.get(f"/web/purchase.comparison/{sheet}").get_data(as_text=True)
    assert f'href="{PAGE}/{sheet}">比价表</a>' in form
    html = buyer.get(f"{PAGE}/{sheet}").get_data(as_text=True)
    heads = re.findall(r'<th scope="col"[^>]*data-order="(\d+)"', html)
    # cheapest total first: 可孚 1,750 + 2,400 < 欧姆龙 1,710 + 2,800 < 鱼跃 1,685 + 2,840
    assert heads == [str(rfqs[2]), str(rfqs[1]), str(rfqs[0])]
    assert html.index("可孚医疗") < html.index("欧姆龙大连") < html.index("江苏鱼跃医疗")
    bp = _cells(html, r"\[BP100\] 电子血压计")
    assert bp[0].startswith("10")
    assert "175.00" in bp[1] and "最低单价" not in bp[1]
    assert "168.50" in bp[3] and "最低单价" in bp[3] and "10 天" in bp[3]  # lead time 10 days
    mask = _cells(html, "医用口罩")
    assert "12.00" in mask[1] and "最低单价" in mask[1]
    assert "最低总价" in html.split(f'data-order="{rfqs[2]}"', 1)[1].split("</th>", 1)[0]
    assert _cells(html, "不含税金额") == ["4,150.00", "4,510.00", "4,525.00"]
    # the choice needs a reason: refused with a message, nothing chosen
    token = csrf(buyer, f"{PAGE}/{sheet}")
    refused = buyer.post(f"{PAGE}/{sheet}", data={"csrf_token": token, "order_id": rfqs[0],
                                                  "reason": ""}, follow_redirects=True)
    assert refused.status_code == 200 and "原因" in refused.get_data(as_text=True)
    assert p2p.read("purchase.comparison", sheet, "state")["state"] == "quoting"
    # another buyer neither sees nor chooses on it
    other = client_for(app, "wu")
    assert other.get(f"{PAGE}/{sheet}").status_code in (403, 404)
    assert other.post(f"{PAGE}/{sheet}", data={"csrf_token": csrf(other, "/web"),
                                                "order_id": rfqs[2], "reason": "x"}
                      ).status_code in (403, 404)
    chosen = buyer.post(f"{PAGE}/{sheet}", data={"csrf_token": token, "order_id": rfqs[0],
                                                 "reason": "交期最短，质量稳定"},
                        follow_redirects=True).get_data(as_text=True)
    assert "已选定供应商：江苏鱼跃医疗" in chosen
    got = p2p.read("purchase.comparison", sheet, "state", "winner_id", "reason")
    assert (got["state"], got["winner_id"][0], got["reason"]) == ("done", rfqs[0],
                                                                  "交期最短，质量稳定")
    winner_head = chosen.split(f'data-order="{rfqs[0]}"', 1)[1].split("</th>", 1)[0]
    assert "中选" in winner_head and 'name="order_id"' not in chosen
    assert p2p.read("purchase.order", rfqs[2], "state")["state"] == "cancel"
    assert p2p.read("purchase.order", rfqs[0], "amount_untaxed")["amount_untaxed"] == \
        Decimal("4525.00")
