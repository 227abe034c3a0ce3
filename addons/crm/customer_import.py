"""Importing customers (``res.partner`` with their CRM profile), warning about duplicates."""

from __future__ import annotations

from typing import Any

from core.i18n import _

from .importing import ImportResult, import_records
from .models.partner import find_duplicates

#: the columns of the template offered for download
TEMPLATE_COLUMNS = ["name", "is_company", "parent_id", "function", "phone", "mobile", "email",
                    "vat", "industry_id", "region", "province", "city", "profession",
                    "birth_date", "level_id", "source", "tag_ids", "user_id", "customer_status"]


def import_customers(env: Any, filename: str, data: bytes, dry_run: bool = True) -> ImportResult:
    """Import customers; rows that look like existing customers (or earlier rows) get a warning."""

    def check(vals: dict[str, Any], line: int) -> list[str]:
        found = find_duplicates(env, vals.get("name"), vals.get("phone") or vals.get("mobile"),
                                vals.get("vat"))
        return [_("Looks like %(name)s (%(reasons)s).", name=d["name"],
                  reasons=", ".join(d["reasons"])) for d in found]

    return import_records(env, "res.partner", filename, data, dry_run=dry_run, check_row=check)
