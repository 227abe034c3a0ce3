"""Sales ↔ CRM: contract on orders, quotations from opportunities, contract receipts from
collections, the customer's orders on the CRM's 360° page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from core.i18n import _
from core.plugins import hookimpl
from core.security import Access
from core.views import ViewExtension

from .models import MODELS

ASSISTANT = "sales.group_assistant"


@hookimpl
def register_models() -> list[type]:
    return MODELS


@hookimpl
def register_access() -> list[Access]:
    return [Access(f"sale_crm.access_{model.replace('.', '_')}_assistant", model, ASSISTANT)
            for model in ("crm.contract", "crm.contract.line", "crm.contract.installment",
                          "crm.lead")]


@hookimpl
def register_views() -> list[Any]:
    return [
        ViewExtension("sale.order", "form", add=("contract_id", "opportunity_id"),
                      after="partner_id"),
        ViewExtension("sale.order", "list", add=("contract_id",), after="partner_id",
                      search=("contract_id",)),
    ]


@hookimpl
def crm_lead_quotation(env: Any, lead_id: int) -> int | None:
    """A quotation for the opportunity's customer, linked to the opportunity."""
    lead = env["crm.lead"].read([lead_id], ["partner_id", "user_id"])[0]
    vals = {"partner_id": lead["partner_id"][0], "opportunity_id": lead_id}
    if lead["user_id"]:
        vals["user_id"] = lead["user_id"][0]
    return env["sale.order"].create(vals)


@hookimpl
def crm_partner_sections(env: Any, partner_id: int) -> list[dict[str, Any]] | None:
    """The customer's latest orders with their progress, as the user may read them."""
    if not env.access.allowed("sale.order", "read"):
        return None
    orders = env["sale.order"]
    fields = ["name", "date_order", "amount_total", "delivered_percent", "invoiced_percent",
              "collected_percent", "amount_due", "state"]
    rows = orders.search_read([("partner_id", "=", partner_id)], fields, limit=20)
    labels = dict(orders.fields["state"].selection or ())
    due = sum((r["amount_due"] for r in rows), start=0)
    return [{
        "key": "orders", "title": _("Sales orders"),
        "columns": [str(orders.fields[f].label) for f in fields],
        "rows": [[r["name"], r["date_order"].isoformat(), f"{r['amount_total']:,.2f}",
                  f"{r['delivered_percent']}%", f"{r['invoiced_percent']}%",
                  f"{r['collected_percent']}%", f"{r['amount_due']:,.2f}",
                  str(labels.get(r["state"], r["state"]))] for r in rows],
        "link": "/web/sale.order", "total": f"{due:,.2f}" if rows else None}]


def _contract_receipts(env: Any, collection_id: int) -> None:
    """Each allocation to an order under a contract becomes a contract receipt (回款记录), which
    the CRM spreads over the contract's instalments by due date."""
    registry = env.registry
    alloc, order = registry["sale.collection.allocation"], registry["sale.order"]
    collection = env.session.get(registry["sale.collection"], collection_id)
    rows = env.session.execute(select(order.contract_id, alloc.amount).join(
        order, order.id == alloc.order_id).where(alloc.collection_id == collection_id,
                                                 order.contract_id.is_not(None)))
    method = collection.payment_method if collection.payment_method in (
        "bank", "cash", "cheque", "acceptance") else "other"
    for contract_id, amount in rows:
        env["crm.contract.payment"].create({
            "contract_id": contract_id, "amount": amount, "date": collection.date,
            "method": method, "handler_id": collection.handler_id,
            "account": collection.bank_account or False,
            "reference": collection.reference or collection.name, "origin": collection.name})


@hookimpl
def collection_recorded(env: Any, collection_id: int) -> None:
    _contract_receipts(env.sudo(), collection_id)


@hookimpl
def collection_cancelled(env: Any, collection_id: int) -> None:
    env = env.sudo()
    name = env["sale.collection"].read([collection_id], ["name"])[0]["name"]
    receipts = env["crm.contract.payment"].search([("origin", "=", name)])
    if receipts:
        env["crm.contract.payment"].unlink(receipts)


