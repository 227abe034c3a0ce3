"""Posting and reversing journal entries.

Posting an invoice first derives its generated lines from the product lines: one tax line per
tax, and the receivable (customer) or payable (vendor) line for the total. Then every move is
checked (lines, balance, an open period) and numbered ``JOURNAL/YYYY/MM/0001``: the number is the
journal's highest in the period plus one, taken while the period row is locked, so numbers are
gap-free (posted entries are never deleted) and unique under concurrent posting.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from core import UserError, ValidationError
from core.i18n import _
from core.models import lock_rows

from .chart import money
from .move_line import taxes_of
from .period import period_for


def _receivable_account(env: Any, move: Any) -> int:
    """The receivable (1122) or payable (2202) account of an invoice."""
    xmlid = "accounting.account_1122" if move.move_type.startswith("out") else \
        "accounting.account_2202"
    return env.ref_id(xmlid)


def _build_invoice_lines(move: Any) -> None:
    """Replace the generated lines of a draft invoice by fresh tax and receivable lines."""
    env = move.env
    if not move.partner_id:
        raise ValidationError(_("An invoice needs a customer or vendor."), field="partner_id")
    products = move.lines("product")
    if not products:
        raise UserError(_("The invoice %(ref)s has no lines.", ref=move.ref or move.id))
    for line in move.lines("tax") + move.lines("payment_term"):
        env.session.delete(line)
    env.session.flush()
    # a customer invoice credits revenue and tax: the sign of product lines is -direction
    sign = -move.direction
    journal = move.journal
    taxes: dict[int, list[Any]] = {}
    total = Decimal(0)
    taxes_by_line = taxes_of(env, [line.id for line in products])
    for line in products:
        if not line.account_id:
            if journal.default_account_id is None:
                raise ValidationError(_("The line %(line)s has no account and the journal "
                                        "%(journal)s no default account.",
                                        line=line.name or line.id, journal=journal.name))
            line.account_id = journal.default_account_id
        base, tax, parts = line.compute_taxes(taxes_by_line[line.id])
        line.debit, line.credit = (base, Decimal(0)) if sign > 0 else (Decimal(0), base)
        total += base + tax
        for tax_record, amount in parts:
            taxes.setdefault(tax_record.id, [tax_record, Decimal(0)])[1] += amount
    generated = [{"move_id": move.id, "name": tax_record.name,
                  "account_id": tax_record.account_id, "display_type": "tax",
                  "tax_line_id": tax_record.id,
                  "debit": amount if sign > 0 else 0, "credit": amount if sign < 0 else 0}
                 for tax_record, amount in taxes.values() if amount]
    generated.append({"move_id": move.id, "name": move.ref or move.origin or "",
                      "account_id": _receivable_account(env, move),
                      "display_type": "payment_term",
                      "date_maturity": move.invoice_date_due or move.date,
                      "debit": total if sign < 0 else 0, "credit": total if sign > 0 else 0})
    env.sudo()["account.move.line"].create(generated)  # one batch: amounts refreshed once


def check_balanced(move: Any, lines: list[Any] | None = None) -> None:
    """Refuse a move without lines, with a line without account, or whose sides differ
    (``lines``: the move's lines, when the caller has them)."""
    lines = move.lines() if lines is None else lines
    if not lines:
        raise UserError(_("The journal entry %(ref)s has no lines.", ref=move.ref or move.id))
    missing = [line.name or str(line.id) for line in lines if not line.account_id]
    if missing:
        raise ValidationError(_("Every line needs an account (missing on: %(lines)s).",
                                lines=", ".join(missing)))
    debit = sum((money(line.debit) for line in lines), Decimal(0))
    credit = sum((money(line.credit) for line in lines), Decimal(0))
    if debit != credit:
        raise UserError(_("The journal entry is not balanced: debits %(debit)s, credits "
                          "%(credit)s (difference %(diff)s).", debit=debit, credit=credit,
                          diff=debit - credit))
    if not debit:
        raise UserError(_("The journal entry has no amount."))


def _next_number(move: Any, period: Any) -> int:
    env = move.env
    lock_rows(env.session, env.registry["account.period"], [period.id])  # numbers in turn
    move_cls = type(move)
    highest = env.session.scalar(select(func.max(move_cls.sequence_number)).where(
        move_cls.journal_id == move.journal_id, move_cls.period_id == period.id,
        move_cls.state == "posted"))
    return int(highest or 0) + 1


def post_move(move: Any) -> None:
    """Post a draft move (see the module docstring)."""
    env = move.env
    move.lock()  # a parallel post of the same move waits here, then finds it posted
    if move.state != "draft":
        raise UserError(_("The journal entry %(name)s is not a draft.", name=move.name))
    if move.is_invoice:
        _build_invoice_lines(move)
        env.session.flush()
    lines = move.lines()
    check_balanced(move, lines)
    period = period_for(env, move.date)
    if period.state == "closed":
        raise UserError(_("The period %(period)s is closed: nothing can be posted into it.",
                          period=period.name))
    number = _next_number(move, period)
    move.period_id, move.sequence_number = period.id, number
    move.name = f"{move.journal.code}/{move.date:%Y/%m}/{number:04d}"
    move.state = "posted"
    accounts = env.sudo()["account.account"].browse_unchecked(  # in one query, kept meanwhile
        list({line.account_id for line in lines}))
    for line in lines:
        line.date_maturity = line.date_maturity or move.date
        reconcilable = bool(line.account.reconcile)
        line.amount_residual = money(line.debit) - money(line.credit) if reconcilable \
            else Decimal(0)
        line.reconciled = False
    del accounts
    env.flush_all()
    env.registry.pm.hook.account_move_posted(env=env, move=move)


def reverse_move(move: Any, date: Any = None) -> int:
    """Post the mirror image of ``move``; write the open items of both off against each other."""
    env = move.env
    move.lock()
    if move.state != "posted":
        raise UserError(_("Only a posted entry can be reversed."))
    if move.reversed_entry_id or env.session.scalar(select(type(move).id).where(
            type(move).reversed_entry_id == move.id, type(move).state == "posted")):
        raise UserError(_("The entry %(name)s is a reversal or already reversed.",
                          name=move.name))
    day = dt.date.fromisoformat(date) if isinstance(date, str) else (date or move.date)
    moves = env["account.move"]
    reversal_id = moves.create({
        "journal_id": move.journal_id, "date": day, "partner_id": move.partner_id,
        "ref": _("Reversal of %(name)s", name=move.name), "move_type": "entry",
        "origin": move.origin})
    lines = env["account.move.line"]
    for line in move.lines():
        lines.create({"move_id": reversal_id, "account_id": line.account_id,
                      "partner_id": line.partner_id, "name": line.name,
                      "debit": line.credit, "credit": line.debit})
    reversal = moves.browse_unchecked([reversal_id])[0]
    reversal.reversed_entry_id = move.id
    post_move(reversal)
    from .reconcile import reconcile_lines

    by_account: dict[tuple[int, Any], list[int]] = {}
    for line in move.lines() + reversal.lines():
        if line.account.reconcile and not line.reconciled:
            by_account.setdefault((line.account_id, line.partner_id), []).append(line.id)
    for ids in by_account.values():
        reconcile_lines(env, ids)
    return reversal_id
