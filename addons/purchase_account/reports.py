"""Payables: aging by supplier and supplier statements (对账单), aggregated in SQL through the
model service (record rules and access rights apply)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

ZERO = Decimal(0)
PAYABLE = [("parent_state", "=", "posted"),
           ("account_id.account_type", "=", "liability_payable")]
BUCKETS = (("not_due", None, 0), ("1_30", 1, 30), ("31_60", 31, 60), ("61_90", 61, 90),
           ("over_90", 91, None))


def _bucket(as_of: dt.date, due: dt.date) -> str:
    late = (as_of - due).days
    for key, low, high in BUCKETS:
        if (low is None and late <= 0) or (low is not None and low <= late
                                           and (high is None or late <= high)):
            return key
    raise AssertionError(late)


def payables_aging(env: Any, as_of: dt.date) -> dict[str, Any]:
    """What we owe each supplier now, by days past due at ``as_of`` (one GROUP BY supplier ×
    due date over the open payable items)."""
    groups = env["account.move.line"].read_group(
        [*PAYABLE, ("reconciled", "=", False)], ["amount_residual:sum"],
        ["partner_id", "date_maturity:day"], lazy=False)
    rows: dict[Any, dict[str, Any]] = {}
    totals = {key: ZERO for key, _a, _b in BUCKETS}
    for group in groups:
        owed = -Decimal(str(group["amount_residual"] or 0))  # payables are credits
        if not owed:
            continue
        partner = group["partner_id"]
        pid = partner[0] if partner else False
        row = rows.setdefault(pid, {"partner_id": pid, "partner": partner[1] if partner else "",
                                    "buckets": {k: ZERO for k, _a, _b in BUCKETS},
                                    "total": ZERO})
        due = group["date_maturity:day"]
        key = _bucket(as_of, dt.date.fromisoformat(str(due)[:10])) if due else "not_due"
        row["buckets"][key] += owed
        row["total"] += owed
        totals[key] += owed
    ordered = sorted(rows.values(), key=lambda r: r["partner"])
    return {"rows": ordered, "totals": totals, "total": sum(totals.values(), ZERO),
            "buckets": [key for key, _a, _b in BUCKETS]}


def supplier_statement(env: Any, partner_id: int, date_from: dt.date, date_to: dt.date,
                       limit: int = 500) -> dict[str, Any]:
    """Opening balance owed to the supplier, the bills, payments and write-offs of the period
    with the running balance, and the closing balance."""
    lines = env["account.move.line"]
    domain = [*PAYABLE, ("partner_id", "=", int(partner_id))]
    opening_group = lines.read_group([*domain, ("date", "<", date_from.isoformat())],
                                     ["balance:sum"], ["partner_id"], lazy=False)
    opening = -Decimal(str(opening_group[0]["balance"] or 0)) if opening_group else ZERO
    items = lines.search_read(
        [*domain, ("date", ">=", date_from.isoformat()), ("date", "<=", date_to.isoformat())],
        ["date", "move_id", "name", "debit", "credit", "date_maturity", "reconciled"],
        order="date asc, id asc", limit=limit)
    balance = opening
    for item in items:
        balance += Decimal(item["credit"] or 0) - Decimal(item["debit"] or 0)
        item["balance"] = balance
    return {"opening": opening, "items": items, "closing": balance,
            "billed": sum((Decimal(i["credit"] or 0) for i in items), ZERO),
            "paid": sum((Decimal(i["debit"] or 0) for i in items), ZERO)}
