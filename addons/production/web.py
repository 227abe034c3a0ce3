"""The cost report (生产成本报表): actual cost of the finished orders — direct materials, direct
labour, manufacturing overhead — beside the bills' standard cost and the variance, per order
(paginated) or per product (one GROUP BY). Read through the model service: rights and record
rules apply."""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request

from core.i18n import _
from core.pages import Page

PAGE_SIZE = 80
COSTS = ("cost_material", "cost_labour", "cost_overhead", "cost_total", "cost_standard",
         "cost_variance")


def costs_view() -> Any:
    """``?by=order|product&page=``."""
    by = request.args.get("by", "order")
    by = by if by in ("order", "product") else "order"
    arg = request.args.get("page", "1")
    page = max(int(arg), 1) if arg.isdigit() else 1
    orders = g.env["mrp.production"]
    domain = [("state", "=", "done")]
    if by == "product":
        rows = orders.read_group(domain, ["qty_produced:sum(qty_produced_product_uom)",
                                          *(f"{c}:sum" for c in COSTS)],
                                 ["product_id"], orderby="product_id")  # in its own unit
        for row in rows:
            row["label"] = row["product_id"][1] if row["product_id"] else "—"
    else:
        rows = orders.search_read(domain, ["name", "product_id", "qty_produced", "cost_unit",
                                           *COSTS], offset=(page - 1) * PAGE_SIZE,
                                  limit=PAGE_SIZE, order="date_finished desc, id desc")
        for row in rows:
            row["label"] = f"{row['name']} · {row['product_id'][1]}"
    totals = {c: sum((r[c] or 0 for r in rows), 0) for c in COSTS}
    labels = {name: orders.fields[name].label for name in ("qty_produced", *COSTS)}
    return render_template("production/costs.html", title=_("Production cost report"),
                           rows=rows, by=by, totals=totals, labels=labels, page=page,
                           page_size=PAGE_SIZE, costs=COSTS)


PAGES = [Page("production.costs", "costs", costs_view)]
