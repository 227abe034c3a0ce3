"""Hooks the CRM fires; addons that depend on crm (sale_crm, …) implement them."""

from __future__ import annotations

from typing import Any

from core.hookspecs import hookspec


@hookspec
def crm_lead_won(env: Any, lead_id: int) -> None:
    """An opportunity reached a won stage.

    :param env: the acting environment
    :param lead_id: id of the ``crm.lead``
    """


@hookspec(firstresult=True)
def crm_lead_quotation(env: Any, lead_id: int) -> int | None:
    """Make a quotation for an opportunity (which has a customer by now); return its id.

    firstresult: stops at the first non-None result. With no implementation (sales not
    installed) the CRM tells the user to install Sales.

    :param env: the acting environment
    :param lead_id: id of the ``crm.lead``
    """


@hookspec
def crm_partner_sections(env: Any, partner_id: int) -> list[dict[str, Any]] | None:
    """Extra sections of the customer 360° page (orders, deliveries, invoices, balance…).

    A section is either ``{"title": str, "columns": [label, …], "rows": [[cell, …], …],
    "link": url or None, "total": value or None}`` (cells shown as given), or
    ``{"title": str, "model": name, "fields": [name, …], "records": [dict, …], "link": …,
    "total": …}`` with ``records`` from ``search_read`` (shown like the CRM's own sections:
    formatted by field type, the first column opening the record). ``total_label`` names the
    total, ``key`` tags the section in the page. Read through ``env`` so the user's access
    rights and rules apply; return nothing for a section the user may not read.

    :param env: the acting user's environment
    :param partner_id: id of the customer (``res.partner``)
    :return: sections to show, or None
    """
