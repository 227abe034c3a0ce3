"""The CRM's own pages: the customer 360° view and the follow-up work lists.

Everything is read through ``g.env`` (the logged-in user's model service), so record rules decide
what each salesperson sees here exactly as in the generic views and the APIs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, g, render_template, request

from core.i18n import _
from core.pages import Page

from .models.partner import AGE_BANDS, age_band, find_duplicates

PAGE_SIZE = 80
_RELATED = 20  # rows per section of the 360° page

_FOLLOWUP_FIELDS = ["date", "partner_id", "contact_id", "method", "summary", "result",
                    "next_step", "next_date", "user_id", "state"]


#: what the page shows of the customer (not every field: each one2many is one more query)
_PROFILE = ("name", "is_company", "parent_id", "function", "phone", "mobile", "email", "vat",
            "industry_id", "region", "province", "city", "profession", "birth_date", "level_id",
            "source", "user_id", "customer_status")


def _infos(model: str) -> dict[str, Any]:
    return g.env[model].fields


def customer_view(partner_id: int) -> Any:
    """Profile, contacts, follow-ups, visits, opportunities, contracts, other addons' sections."""
    env = g.env
    partners = env["res.partner"]
    profile = partners.read([partner_id], [n for n in _PROFILE if n in partners.fields])[0]
    band = age_band(profile.get("birth_date"))
    sections: dict[str, tuple[str, list[str], list[dict[str, Any]]]] = {}

    def section(key: str, model: str, domain: list[Any], fields: list[str],
                context: dict[str, Any] | None = None) -> None:
        service = env.with_context(**(context or {}))[model]
        if not env.access.allowed(model, "read"):
            return
        rows = service.search_read(domain, fields, limit=_RELATED)
        sections[key] = (model, fields, rows)

    section("contacts", "res.partner", [("parent_id", "=", partner_id)],
            ["name", "function", "phone", "mobile", "email"])
    section("followups", "crm.followup", [("partner_id", "=", partner_id)],
            ["date", "method", "summary", "result", "next_date", "user_id", "state"])
    section("visits", "crm.visit", [("partner_id", "=", partner_id)],
            ["planned_date", "name", "state", "satisfaction", "complaint_state", "user_id"])
    section("opportunities", "crm.lead", [("partner_id", "=", partner_id)],
            ["name", "stage_id", "probability", "expected_revenue", "date_deadline", "active"],
            {"active_test": False})
    section("contracts", "crm.contract", [("partner_id", "=", partner_id)],
            ["name", "title", "date_signed", "amount_total", "amount_received", "amount_due",
             "state"])
    overdue = []
    if env.access.allowed("crm.contract.installment", "read"):
        overdue = env["crm.contract.installment"].search_read(
            [("partner_id", "=", partner_id), ("state", "!=", "paid"),
             ("date_due", "<", dt.date.today().isoformat())],
            ["contract_id", "date_due", "amount", "amount_received"], limit=_RELATED)
    extra = [s for result in env.registry.pm.hook.crm_partner_sections(
        env=env, partner_id=partner_id) if result for s in result]
    duplicates = find_duplicates(env, profile["name"], profile.get("phone") or
                                 profile.get("mobile"), profile.get("vat"), exclude_id=partner_id)
    titles = {"contacts": _("Contacts"), "followups": _("Follow-ups"),
              "visits": _("Return visits"), "opportunities": _("Opportunities"),
              "contracts": _("Contracts")}
    return render_template("crm/customer.html", profile=profile, infos=_infos("res.partner"),
                           band=dict((k, label) for k, label, _a, _b in AGE_BANDS).get(band),
                           sections=sections, titles=titles, overdue=overdue, extra=extra,
                           duplicates=duplicates, field_infos=_infos,
                           title=profile["name"])


def customers_view() -> Any:
    """Find a customer by name, phone or tax id and open their 360° page."""
    text = request.args.get("q", "").strip()
    domain: list[Any] = [("parent_id", "=", False)]
    if text:
        domain += ["|", "|", ("name", "ilike", text), ("phone", "ilike", text),
                   ("vat", "ilike", text)]
    fields = ["name", "phone", "industry_id", "region", "level_id", "user_id", "customer_status"]
    rows = g.env["res.partner"].search_read(domain, fields, limit=PAGE_SIZE)
    return render_template("crm/customers.html", rows=rows, fields=fields, q=text,
                           infos=_infos("res.partner"), title=_("Customer 360°"))


def followups_view(which: str) -> Any:
    """``mine``: my follow-ups (newest first); ``overdue``: next steps past their date."""
    env = g.env
    today = dt.date.today()
    if which == "mine":
        domain: list[Any] = [("user_id", "=", env.uid)]
        order, title = "date desc", _("My follow-ups")
    elif which == "overdue":
        domain = [("next_done", "=", False), ("next_date", "<", today.isoformat())]
        order, title = "next_date", _("Overdue follow-ups")
    else:
        abort(404)
    customer = request.args.get("customer", "")
    if customer.isdigit():
        domain.append(("partner_id", "=", int(customer)))
    page_text = request.args.get("page", "1")
    page = max(int(page_text), 1) if page_text.isdigit() else 1
    followups = env["crm.followup"]
    total = followups.search_count(domain)
    rows = followups.search_read(domain, _FOLLOWUP_FIELDS, offset=(page - 1) * PAGE_SIZE,
                                 limit=PAGE_SIZE, order=order)
    by_customer = followups.read_group(domain, ["partner_id"], ["partner_id"],
                                       orderby="__count desc", limit=10)
    return render_template("crm/followups.html", rows=rows, fields=_FOLLOWUP_FIELDS,
                           infos=_infos("crm.followup"), title=title, which=which,
                           total=total, page=page, pages=max((total - 1) // PAGE_SIZE + 1, 1),
                           by_customer=by_customer, today=today)


def pages() -> list[Page]:
    from .web_analysis import segmentation_view

    return [
        Page("crm.customers", "customers", customers_view),
        Page("crm.customer", "customers/<int:partner_id>", customer_view),
        Page("crm.followups", "followups/<which>", followups_view),
        Page("crm.segmentation", "segmentation", segmentation_view),
    ]
