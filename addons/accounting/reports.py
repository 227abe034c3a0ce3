"""Financial reports by SQL aggregation over posted journal items.

Every figure comes from ``env["account.move.line"].read_group`` (one ``GROUP BY`` per column
set, through the model service, so access rights and record rules apply) and carries the domain
of the journal items behind it: ``drill_url(domain)`` opens them in the generic list, which also
exports them. :func:`to_csv` exports a report itself.

Reports: trial balance (试算平衡表), general ledger (总账/明细账), account balances (科目余额表),
receivables aging (应收账龄), profit and loss (利润表), balance sheet (资产负债表).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from sqlalchemy import case, func, select

from core.export import to_csv as _table_csv
from core.gc_pause import pausing_gc
from core.i18n import _

from .models.chart import PL_TYPES, money

POSTED = ("parent_state", "=", "posted")
ZERO = Decimal(0)


def drill_url(domain: Sequence[Any]) -> str:
    """The generic list of the journal items matching ``domain``."""
    return "/web/account.move.line?domain=" + quote(json.dumps(
        [list(leaf) if isinstance(leaf, tuple) else leaf for leaf in domain], default=str))


def drill_urls_by_partner(domain: Sequence[Any]) -> Any:
    """``pid → drill_url([*domain, ("partner_id", "=", pid)])`` for the rows of a report, the
    shared part quoted once (quoting a domain per cell took half of the year's aging)."""
    head, sep = drill_url(domain)[:-3], ("%2C%20" if domain else "")  # "]" is "%5D"
    start = f"{head}{sep}{quote(json.dumps(['partner_id', '=', 0]))[:-4]}"  # "…%2C%20"
    return lambda pid: f"{start}{_quoted_id(pid)}%5D%5D"


def _quoted_id(value: Any) -> str:
    """``value`` as JSON, quoted for a URL: an id is its digits as they are."""
    if type(value) is int:
        return str(value)
    return quote(json.dumps(value))


def _iso(day: Any) -> str:
    return day.isoformat() if isinstance(day, dt.date) else str(day)


def _sums(env: Any, domain: list[Any], groupby: str | list[str],
          lazy: bool = True) -> list[dict[str, Any]]:
    return env["account.move.line"].read_group(domain, ["debit:sum", "credit:sum",
                                                        "balance:sum", "amount_residual:sum"],
                                               groupby, lazy=lazy)


def _accounts(env: Any, ids: set[int]) -> dict[int, dict[str, Any]]:
    rows = env["account.account"].read(
        sorted(ids), ["code", "name", "name_en", "account_type"]) if ids else []
    return {row["id"]: row for row in rows}


def _split(balance: Decimal) -> tuple[Decimal, Decimal]:
    return (balance, ZERO) if balance >= 0 else (ZERO, -balance)


def trial_balance(env: Any, date_from: Any, date_to: Any) -> dict[str, Any]:
    """Per account: opening balance, debits and credits of the period, closing balance; the
    totals' debit and credit are equal for a consistent ledger (``difference`` is zero)."""
    base = [POSTED]
    period = [*base, ("date", ">=", _iso(date_from)), ("date", "<=", _iso(date_to))]
    before = {g["account_id"][0]: money(g["balance"]) for g in _sums(
        env, [*base, ("date", "<", _iso(date_from))], "account_id") if g["account_id"]}
    during = {g["account_id"][0]: g for g in _sums(env, period, "account_id")
              if g["account_id"]}
    accounts = _accounts(env, set(before) | set(during))
    rows, totals = [], dict.fromkeys(("opening_debit", "opening_credit", "debit", "credit",
                                      "closing_debit", "closing_credit"), ZERO)
    for account_id in sorted(accounts, key=lambda a: accounts[a]["code"]):
        group = during.get(account_id, {})
        opening = before.get(account_id, ZERO)
        debit, credit = money(group.get("debit")), money(group.get("credit"))
        row = {"account_id": account_id, "code": accounts[account_id]["code"],
               "name": accounts[account_id]["name"],
               "name_en": accounts[account_id]["name_en"], "debit": debit, "credit": credit,
               "domain": [*period, ("account_id", "=", account_id)]}
        row["opening_debit"], row["opening_credit"] = _split(opening)
        row["closing_debit"], row["closing_credit"] = _split(opening + debit - credit)
        row["url"] = drill_url(row["domain"])
        for key in totals:
            totals[key] += row[key]
        rows.append(row)
    return {"rows": rows, "totals": totals,
            "difference": totals["closing_debit"] - totals["closing_credit"]}


def general_ledger(env: Any, account_id: int, date_from: Any, date_to: Any,
                   offset: int = 0, limit: int | None = 200) -> dict[str, Any]:
    """An account's items of the period with a running balance, after its opening balance."""
    start = [POSTED, ("account_id", "=", account_id)]
    opening_groups = _sums(env, [*start, ("date", "<", _iso(date_from))], "account_id")
    opening = money(opening_groups[0]["balance"]) if opening_groups else ZERO
    domain = [*start, ("date", ">=", _iso(date_from)), ("date", "<=", _iso(date_to))]
    lines = env["account.move.line"]
    if offset:
        earlier = lines.search(domain, limit=offset, order="date, id")
        if earlier:
            sums = lines.read_group([("id", "in", earlier)], ["balance:sum"], "account_id")
            opening += money(sums[0]["balance"]) if sums else ZERO
    items = lines.search_read(domain, ["date", "move_id", "partner_id", "name", "debit",
                                       "credit", "balance"], offset=offset, limit=limit,
                              order="date, id")
    running = opening
    for item in items:
        running += money(item["balance"])
        item["running_balance"] = running
    return {"opening": opening, "lines": items, "total": lines.search_count(domain),
            "domain": domain, "url": drill_url(domain)}


def account_balances(env: Any, date: Any, account_ids: Sequence[int] | None = None
                     ) -> list[dict[str, Any]]:
    """Balance per account and partner at ``date`` (科目余额表, with partner detail)."""
    domain: list[Any] = [POSTED, ("date", "<=", _iso(date))]
    if account_ids:
        domain.append(("account_id", "in", list(account_ids)))
    groups = _sums(env, domain, ["account_id", "partner_id"], lazy=False)
    accounts = _accounts(env, {g["account_id"][0] for g in groups if g["account_id"]})
    rows = []
    for group in groups:
        if not group["account_id"] or not money(group["balance"]):
            continue
        account = accounts[group["account_id"][0]]
        rows.append({"account_id": account["id"], "code": account["code"],
                     "name": account["name"],
                     "partner": group["partner_id"][1] if group["partner_id"] else "",
                     "balance": money(group["balance"]), "domain": group["__domain"],
                     "url": drill_url(group["__domain"])})
    rows.sort(key=lambda r: (r["code"], r["partner"]))
    return rows


AGING_BUCKETS = (("not_due", None, 0), ("1_30", 1, 30), ("31_60", 31, 60), ("61_90", 61, 90),
                 ("over_90", 91, None))


@pausing_gc
def receivables_aging(env: Any, as_of: Any) -> dict[str, Any]:
    """Open receivables per customer by days overdue at ``as_of``: what is open now, summed
    per customer and bucket by the database (:func:`_open_by_bucket`), plus what write-offs
    dated after ``as_of`` took from the items (they were still open then). The drill-down
    shows the items open now."""
    as_of = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    receivable = [POSTED, ("account_id.account_type", "=", "asset_receivable"),
                  ("date", "<=", as_of.isoformat())]
    base = [*receivable, ("reconciled", "=", False)]
    sums, names = _open_by_bucket(env, base, as_of)
    for partner, due, amount in _matched_after(env, receivable, as_of):
        if not due:
            continue  # no due date: in no bucket
        pid = partner[0] if partner else False
        names.setdefault(pid, partner[1] if partner else _("No partner"))
        buckets = sums.setdefault(pid, {})
        key = _bucket(as_of, dt.date.fromisoformat(str(due)[:10]))
        buckets[key] = buckets.get(key, ZERO) + Decimal(amount or 0)
    order = [key for key, _a, _b in AGING_BUCKETS]
    totals = dict.fromkeys(order, ZERO)
    domains = {key: [*base, *_bucket_domain(as_of, low, high)] for key, low, high in AGING_BUCKETS}
    cells = {key: (domain, drill_urls_by_partner(domain)) for key, domain in domains.items()}
    rows = []
    for pid, name in names.items():  # 10,000 customers over the year: kept lean
        amounts, buckets, total = sums[pid], {}, ZERO
        leaf = ("partner_id", "=", pid)
        for key in order:
            amount = amounts.get(key)
            if amount is None:
                continue
            amount = money(amount)
            domain, url = cells[key]
            buckets[key] = {"amount": amount, "domain": [*domain, leaf], "url": url(pid)}
            total += amount
            totals[key] += amount
        rows.append({"partner_id": pid, "partner": name, "total": total, "buckets": buckets})
    rows.sort(key=lambda r: r["partner"])
    return {"rows": rows, "totals": totals, "total": sum(totals.values(), ZERO),
            "buckets": order}


def _open_by_bucket(env: Any, domain: list[Any], as_of: dt.date
                    ) -> tuple[dict[Any, dict[str, Decimal]], dict[Any, str]]:
    """``{customer id: {bucket: open amount}}`` and ``{customer id: name}`` of the items of
    ``domain`` that have a due date: one ``GROUP BY`` customer × a ``CASE`` of the due date
    (five rows a customer at most, not one per due date), under the service's condition for
    ``domain`` (rights and record rules apply), each group's customer name read by its id."""
    lines = env["account.move.line"]
    check = env.access.field_check("read")
    for field in ("partner_id", "date_maturity", "amount_residual"):
        check(lines.cls, lines.fields[field])
    table = lines.cls.__table__
    due = table.c.date_maturity
    bucket = case(*((due >= as_of - dt.timedelta(days=high), key)  # the latest due date first
                    for key, _low, high in AGING_BUCKETS[:-1]), else_=AGING_BUCKETS[-1][0])
    groups = (select(table.c.partner_id.label("pid"), bucket.label("bucket"),
                     func.sum(table.c.amount_residual).label("amount"))
              .where(lines.where_clause(domain), due.is_not(None))
              .group_by(table.c.partner_id, bucket).subquery("groups"))
    partner = env.registry["res.partner"].__table__
    name = select(partner.c.name).where(partner.c.id == groups.c.pid).scalar_subquery()
    rows = env.session.execute(  # each group's name by its key (hashing every partner to
        select(groups.c.pid, groups.c.bucket, groups.c.amount, name)).all()  # join: slower)
    sums: dict[Any, dict[str, Decimal]] = {}
    names: dict[Any, str] = {}
    for pid, key, amount, name in rows:
        pid = pid or False
        buckets = sums.get(pid)
        if buckets is None:
            buckets = sums[pid] = {}
            names[pid] = (name if name is not None else env["res.partner"]._unnamed(pid)) \
                if pid else _("No partner")
        buckets[key] = amount or ZERO
    return sums, names


def _matched_after(env: Any, items: list[Any], as_of: dt.date) -> list[tuple[Any, Any, Any]]:
    """``(partner, due date, amount)`` that write-offs dated after ``as_of`` took from the
    ``items`` (a debit's match lowered what was due, a credit's raised it back)."""
    partials = env["account.partial.reconcile"]
    later = [("max_date", ">", as_of.isoformat())]
    if not partials.search_count(later):
        return []  # the usual case: aging as of today
    taken: dict[int, Decimal] = {}
    for side, sign in (("debit_move_id", 1), ("credit_move_id", -1)):
        for group in partials.read_group([*later, (side, "any", items)], ["amount:sum"],
                                         [side], lazy=False):
            line_id = group[side][0]
            taken[line_id] = taken.get(line_id, ZERO) + sign * Decimal(group["amount"] or 0)
    lines = env["account.move.line"].read(sorted(taken), ["partner_id", "date_maturity"])
    return [(line["partner_id"], line["date_maturity"], taken[line["id"]]) for line in lines]


def _bucket(as_of: dt.date, due: dt.date) -> str:
    """The aging bucket of an item due on ``due``."""
    late = (as_of - due).days
    for key, low, high in AGING_BUCKETS:
        if (low is None and late <= 0) or (low is not None and low <= late
                                           and (high is None or late <= high)):
            return key
    raise AssertionError(late)  # the buckets cover every day


def _bucket_domain(as_of: dt.date, low: int | None, high: int | None) -> list[Any]:
    """The due dates of a bucket, for drilling down."""
    if low is None:
        return [("date_maturity", ">=", as_of.isoformat())]
    domain = [("date_maturity", "<=", (as_of - dt.timedelta(days=low)).isoformat())]
    if high is not None:
        domain.append(("date_maturity", ">=", (as_of - dt.timedelta(days=high)).isoformat()))
    return domain


PL_SECTIONS = (("revenue", ("income",), -1), ("cost_of_revenue", ("expense_direct_cost",), 1),
               ("expenses", ("expense",), 1), ("other_income", ("income_other",), -1),
               ("other_expenses", ("expense_other",), 1))


def _by_account(env: Any, domain: list[Any]) -> tuple[list[dict[str, Any]], dict[int, Any]]:
    groups = [g for g in _sums(env, domain, "account_id") if g["account_id"]]
    return groups, _accounts(env, {g["account_id"][0] for g in groups})


def _section_rows(groups: list[dict[str, Any]], accounts: dict[int, Any], types: Sequence[str],
                  sign: int) -> tuple[list[dict[str, Any]], Decimal]:
    rows, total = [], ZERO
    for group in groups:
        account = accounts[group["account_id"][0]]
        if account["account_type"] not in types or not money(group["balance"]):
            continue
        amount = sign * money(group["balance"])
        rows.append({"account_id": account["id"], "code": account["code"],
                     "name": account["name"], "amount": amount, "domain": group["__domain"],
                     "url": drill_url(group["__domain"])})
        total += amount
    rows.sort(key=lambda r: r["code"])
    return rows, total


def profit_and_loss(env: Any, date_from: Any, date_to: Any) -> dict[str, Any]:
    """Revenue, cost of revenue, expenses, other income and expenses, and the net profit of a
    date range, without the month-end transfer entries."""
    domain = [POSTED, ("is_closing", "=", False), ("date", ">=", _iso(date_from)),
              ("date", "<=", _iso(date_to))]
    groups, accounts = _by_account(env, domain)
    sections = {}
    for key, types, sign in PL_SECTIONS:
        rows, total = _section_rows(groups, accounts, types, sign)
        sections[key] = {"rows": rows, "total": total}
    net = (sections["revenue"]["total"] - sections["cost_of_revenue"]["total"]
           - sections["expenses"]["total"] + sections["other_income"]["total"]
           - sections["other_expenses"]["total"])
    return {"sections": sections, "gross_profit": sections["revenue"]["total"]
            - sections["cost_of_revenue"]["total"], "net_profit": net}


BS_SECTIONS = (("assets", ("asset_cash", "asset_receivable", "asset_prepayment",
                           "asset_current", "asset_non_current", "asset_fixed", "cost"), 1),
               ("liabilities", ("liability_payable", "liability_current",
                                "liability_non_current"), -1),
               ("equity", ("equity", "equity_unaffected"), -1))


def balance_sheet(env: Any, date: Any) -> dict[str, Any]:
    """Assets, liabilities and equity at ``date``; profit and loss not yet transferred to 4103
    shows as current earnings, so assets = liabilities + equity."""
    groups, accounts = _by_account(env, [POSTED, ("date", "<=", _iso(date))])
    sections = {}
    for key, types, sign in BS_SECTIONS:
        rows, total = _section_rows(groups, accounts, types, sign)
        sections[key] = {"rows": rows, "total": total}
    unallocated = -sum((money(g["balance"]) for g in groups
                        if accounts[g["account_id"][0]]["account_type"] in PL_TYPES), ZERO)
    sections["equity"]["total"] += unallocated
    return {"sections": sections, "unallocated_earnings": unallocated,
            "difference": sections["assets"]["total"] - sections["liabilities"]["total"]
            - sections["equity"]["total"]}


def to_csv(header: Sequence[str], rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> bytes:
    """A report's rows as CSV (exact decimal text), for download."""
    return _table_csv(list(header), [[row.get(k, "") for k in keys] for row in rows])
