"""The accounting addon's step of the generated data set: a year of posted vouchers.

Customer invoices with 13 % VAT, receipts written off against them (in full or in part), vendor
bills, payments of them, and expense vouchers paid from the bank, day by day over the year's
periods. Each is created through the model service and posted with the addon's own actions
(``action_post`` of ``account.move`` and ``account.payment``), so lines are derived, balanced,
numbered gap-free per journal and period, and written off as in the UI. Some invoices stay open,
so the receivables aging has every bucket.

The step writes vouchers until the data set holds ``size.journal_lines`` journal lines, counting
those other steps booked before it (the stock valuation vouchers of ``stock_account``), and at
least a fifth of that number of its own.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from core.demo_data import YEAR, DataStep, Generated, Size, company_ids, working_day
from core.env import Environment
from core.i18n import _

from .models.period import period_for

#: (kind, weight); receipts and payments need an open invoice or bill, else become expenses
KINDS = (("invoice", 34), ("receipt", 24), ("bill", 16), ("payment", 10), ("expense", 16))
SALES = ("销售商品", "技术服务", "备件销售", "设备销售")
PURCHASES = ("采购原材料", "采购配件", "采购包装物")
EXPENSES = (("6601", "差旅费"), ("6601", "广告费"), ("6602", "办公费"), ("6602", "房租"),
            ("6603", "银行手续费"))
BANK = "银行付款"
#: vouchers posted between two commits
PER_COMMIT = 100
CENT = Decimal("0.01")


def vouchers(env: Environment, spec: Size, rng: random.Random, out: Generated,
             commit: Callable[[], None]) -> list[int]:
    """Posted vouchers over the year (see the module docstring); returns their ids."""
    partners = company_ids(spec, out)
    if not partners or not spec.journal_lines:
        out.skipped.append(_("account.move: no partners to invoice"))
        return []
    lines = env["account.move.line"]
    before = lines.search_count([])
    target = max(spec.journal_lines - before, spec.journal_lines // 5)
    book = _Books(env, rng, partners)
    done = 0
    for month in range(1, 13):
        plan = []
        budget = target * month // 12 - done
        while budget > 1:
            kind = rng.choices([k for k, _w in KINDS], [w for _k, w in KINDS])[0]
            size = min(rng.randint(1, 3 if kind == "expense" else 2),
                       budget - (1 if kind == "expense" else 2))
            plan.append((kind, max(size, 1)))
            budget -= _lines(kind, plan[-1][1])
        days = sorted(working_day(rng, month) for _i in plan)
        for (kind, size), day in zip(plan, days, strict=True):
            done += book.post(kind, size, day)
            if len(book.ids) % PER_COMMIT == 0:
                commit()
    commit()
    out.counts["account.move.line"] = lines.search_count([]) - before
    out.counts["account.payment"] = book.payments
    return book.ids


def periods(env: Environment) -> None:
    """The generated year's fiscal year and monthly periods."""
    period_for(env, dt.date(YEAR, 1, 1))


def _lines(kind: str, size: int) -> int:
    """Journal lines of a document: invoices and bills add a tax and a receivable/payable line,
    expenses a bank line, receipts and payments have two."""
    return {"invoice": size + 2, "bill": size + 2, "expense": size + 1}.get(kind, 2)


class _Books:
    """Posts the documents and remembers the open invoices and bills (id → amount due)."""

    def __init__(self, env: Environment, rng: random.Random, partners: list[int]) -> None:
        self.env, self.rng = env, rng
        self.customers = partners
        self.suppliers = partners[-max(len(partners) // 5, 1):]
        self.ref = env.ref_id
        self.open: dict[str, dict[int, tuple[int, Decimal]]] = {"invoice": {}, "bill": {}}
        self.ids: list[int] = []
        self.payments = 0
        self.number = 0

    def post(self, kind: str, size: int, day: dt.date) -> int:
        """Post one document of ``kind`` dated ``day``; returns its number of lines."""
        if kind in ("receipt", "payment"):
            side = "invoice" if kind == "receipt" else "bill"
            if self.open[side]:
                self._pay(side, day)
                return 2
            kind, size = "expense", 1
        if kind == "expense":
            self._expense(size, day)
            return size + 1
        self._invoice(kind, size, day)
        return size + 2

    def _invoice(self, kind: str, size: int, day: dt.date) -> None:
        rng, moves = self.rng, self.env["account.move"]
        self.number += 1
        sale = kind == "invoice"
        tax = self.ref("accounting.tax_sale_13" if sale else "accounting.tax_purchase_13")
        partner = rng.choice(self.customers if sale else self.suppliers)
        # bills debit 1402 在途物资, which the receipts of the goods clear (stock valuation)
        account = self.ref("accounting.account_6001" if sale else "accounting.account_1402")
        lines = [(0, 0, {"display_type": "product", "account_id": account,
                         "name": rng.choice(SALES if sale else PURCHASES),
                         "quantity": Decimal(rng.randint(1, 50)),
                         "price_unit": Decimal(rng.randint(1_000, 500_000)) / 100,
                         "tax_ids": [(6, 0, [tax])]}) for _i in range(size)]
        move_id = moves.create({
            "move_type": "out_invoice" if sale else "in_invoice", "partner_id": partner,
            "journal_id": self.ref("accounting.journal_sale" if sale else
                                   "accounting.journal_purchase"),
            "date": day, "invoice_date_due": day + dt.timedelta(days=rng.choice((30, 60, 90))),
            "ref": f"{'增值税专用发票' if sale else '进项发票'} {self.number:08d}",
            "line_ids": lines})
        moves.call("action_post", [move_id])
        total = moves.read([move_id], ["amount_total"])[0]["amount_total"]
        self.open[kind][move_id] = (partner, Decimal(total))
        self.ids.append(move_id)

    def _pay(self, side: str, day: dt.date) -> None:
        """A receipt (or payment) of one of the older open invoices (bills), in full or part."""
        rng, payments = self.rng, self.env["account.payment"]
        items = self.open[side]
        invoice = rng.choice(sorted(items)[: max(len(items) // 2, 1)])
        partner, due = items[invoice]
        amount = due if rng.random() < 0.7 else (due * Decimal(rng.randint(30, 90)) / 100
                                                 ).quantize(CENT)
        receipt = side == "invoice"
        payment_id = payments.create({
            "payment_type": "inbound" if receipt else "outbound",
            "partner_type": "customer" if receipt else "supplier", "partner_id": partner,
            "amount": amount, "date": day, "journal_id": self.ref("accounting.journal_bank"),
            "ref": "电汇 回款" if receipt else "电汇 付款",
            "invoice_ids": [(6, 0, [invoice])]})
        payments.call("action_post", [payment_id])
        if amount >= due:
            del items[invoice]
        else:
            items[invoice] = (partner, due - amount)
        self.payments += 1
        self.ids.append(payments.read([payment_id], ["move_id"])[0]["move_id"][0])

    def _expense(self, size: int, day: dt.date) -> None:
        rng, moves = self.rng, self.env["account.move"]
        debits: list[tuple[int, int, dict[str, Any]]] = []
        total = Decimal(0)
        for code, label in rng.sample(EXPENSES, size):
            amount = Decimal(rng.randint(5_000, 2_000_000)) / 100
            total += amount
            debits.append((0, 0, {"account_id": self.ref(f"accounting.account_{code}"),
                                  "name": label, "debit": amount}))
        move_id = moves.create({
            "journal_id": self.ref("accounting.journal_general"), "date": day,
            "ref": debits[0][2]["name"], "line_ids": [*debits, (0, 0, {
                "account_id": self.ref("accounting.account_1002"), "name": BANK,
                "credit": total})]})
        moves.call("action_post", [move_id])
        self.ids.append(move_id)


DATA_STEPS = [DataStep("account.move", vouchers, sequence=60, part="journal_lines",
                       numbers=(("account.move", "name"), ("account.payment", "name")),
                       prepare=periods)]
