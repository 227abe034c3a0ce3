"""The accounting addon: chart, vouchers, numbering, immutability, reversal, periods, invoices
with VAT, receipts and write-off, access by post."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import text
from test_account_helpers import (
    DAY,
    account,
    balance,
    invoice,
    make_user,
    partner,
    read,
    receipt,
    voucher,
)

from core.errors import AccessError, UserError, ValidationError
from core.testing import AddonTestCase


class TestAccountingStructure(AddonTestCase):
    addon = "accounting"


@pytest.fixture
def acc(make_runtime):
    runtime = make_runtime()
    runtime.manager.install(["accounting"])
    return runtime


def test_chart_of_accounts_is_loaded_and_editable(acc):
    with acc.env() as env:
        rows = env["account.account"].search_read([("code", "in", ["1122", "1406", "6401",
                                                                     "4103", "22210107"])],
                                                  ["code", "name", "name_en", "account_type"])
        by_code = {r["code"]: r for r in rows}
        assert by_code["1406"]["name"] == "发出商品"
        assert by_code["1406"]["name_en"].startswith("Goods shipped")
        assert by_code["1122"]["account_type"] == "asset_receivable"
        assert by_code["4103"]["account_type"] == "equity_unaffected"
        assert "销项税额" in by_code["22210107"]["name"]
        env["account.account"].write([by_code["6401"]["id"]], {"name": "主营业务成本（药品）"})
        assert env["account.account"].read([by_code["6401"]["id"]], ["complete_name"])[0][
            "complete_name"] == "6401 主营业务成本（药品）"
        with pytest.raises(ValidationError, match="digits"):
            env["account.account"].create({"code": "12A", "name": "x",
                                           "account_type": "asset_current"})
    # an upgrade keeps the admin's edit (noupdate data)
    acc.manager.upgrade(["accounting"])
    with acc.env() as env:
        assert env["account.account"].search_count([("name", "=", "主营业务成本（药品）")]) == 1


def test_vat_accounts_are_the_columns_of_one_vat_payable_account(acc):
    """应交税费—应交增值税 (222101) has its 专栏 as 8-digit sub-accounts: purchase taxes book
    进项税额 22210101, sales taxes 销项税额 22210107, and no other account carries either name."""
    with acc.env() as env:
        taxes = env["account.tax"].search_read([], ["type_tax_use", "account_id"])
        accounts = {a["id"]: a for a in env["account.account"].search_read(
            [("code", "=like", "2221%")], ["code", "name"])}
    used = {(t["type_tax_use"], accounts[t["account_id"][0]]["code"]) for t in taxes}
    assert used == {("purchase", "22210101"), ("sale", "22210107")}
    by_code = {a["code"]: a["name"] for a in accounts.values()}
    assert by_code["222101"] == "应交税费—应交增值税"
    assert by_code["22210101"] == "应交税费—应交增值税（进项税额）"
    assert by_code["22210107"] == "应交税费—应交增值税（销项税额）"
    assert [c for c, n in by_code.items() if n.endswith(("（进项税额）", "（销项税额）"))] \
        == ["22210101", "22210107"]
    assert all(c.startswith("222101") for c, n in by_code.items() if "应交增值税（" in n)


#: the VAT accounts of accounting 1.0: (external id, code, name) — 1.1 renumbers them
VAT_ACCOUNTS_1_0 = (
    ("account_222105", "222105", "222102"),  # 未交增值税, made from 1.1's 222102
    ("account_222101", "222101", "22210101"),  # 进项税额
    ("account_222102", "222102", "22210107"),  # 销项税额
    ("account_222103", "222103", "22210109"),  # 进项税额转出
    ("account_222104", "222104", "22210103"),  # 已交税金
)


def _as_accounting_1_0_left_it(acc) -> None:
    """Turn the freshly installed chart back into 1.0's: five VAT accounts numbered 2221xx,
    input VAT on 222101 and output VAT on 222102, and the addon's version 1.0."""
    with acc.env() as env:
        conn = env.session.connection()
        kept = [new for _old, _code, new in VAT_ACCOUNTS_1_0]
        for account_id, xmlid in conn.execute(text(
                "SELECT a.id, d.name FROM account_account a JOIN ir_model_data d "
                "ON d.res_id = a.id AND d.model = 'account.account' AND d.module = 'accounting' "
                "WHERE a.code LIKE '2221%' AND a.code <> '2221'")).all():
            if xmlid.removeprefix("account_") not in kept:  # accounts 1.0 did not have
                conn.execute(text("DELETE FROM ir_model_data WHERE module = 'accounting' "
                                  "AND name = :n"), {"n": xmlid})
                conn.execute(text("DELETE FROM account_account WHERE id = :id"),
                             {"id": account_id})
        for old, code, new in VAT_ACCOUNTS_1_0:
            conn.execute(text("UPDATE account_account SET code = :code WHERE code = :new"),
                         {"code": code, "new": new})
            conn.execute(text("UPDATE ir_model_data SET name = :old WHERE module = 'accounting' "
                              "AND name = :new"), {"old": old, "new": f"account_{new}"})
        conn.execute(text("UPDATE ir_module_module SET latest_version = '1.0' "
                          "WHERE name = 'accounting'"))


def test_upgrade_from_1_0_renumbers_the_vat_accounts_and_keeps_their_entries(acc):
    """A database of accounting 1.0 upgrades to the 专栏 numbering: each old VAT account keeps
    its id, taxes and posted lines under its new code, and no account is doubled."""
    with acc.env() as env:
        voucher(env, [("1002", 113, 0), ("22210107", 0, 13), ("6001", 0, 100)])
        output_vat = account(env, "22210107")
    _as_accounting_1_0_left_it(acc)
    acc.manager.upgrade(["accounting"])
    with acc.env() as env:
        assert account(env, "22210107") == output_vat
        assert balance(env, "22210107") == Decimal("-13")
        assert env.ref_id("accounting.account_22210107") == output_vat
    test_vat_accounts_are_the_columns_of_one_vat_payable_account(acc)

def test_posting_numbers_gap_free_per_journal_and_period(acc):
    with acc.env() as env:
        first = voucher(env, [("1002", 100, 0), ("4001", 0, 100)])
        draft = voucher(env, [("1002", 5, 0), ("4001", 0, 5)], post=False)
        second = voucher(env, [("1002", 200, 0), ("4001", 0, 200)])
        december = voucher(env, [("1002", 1, 0), ("4001", 0, 1)], day=dt.date(2026, 12, 1))
        bank = voucher(env, [("1002", 1, 0), ("4001", 0, 1)], journal="bank")
        names = {m["id"]: m["name"] for m in env["account.move"].search_read(
            [], ["name"])}
        assert names[first] == "GEN/2026/11/0001"
        assert names[second] == "GEN/2026/11/0002"
        assert names[draft] == "/"
        assert names[december] == "GEN/2026/12/0001"
        assert names[bank] == "BNK/2026/11/0001"
        env["account.move"].call("action_post", [draft])
        assert read(env, "account.move", draft, "name")["name"] == "GEN/2026/11/0003"
        # the fiscal year and its twelve periods were created on first use
        assert env["account.period"].search_count([("code", "like", "2026-")]) == 12


def test_unbalanced_or_malformed_vouchers_are_refused(acc):
    with acc.env() as env:
        move = voucher(env, [("1002", 100, 0), ("4001", 0, 90)], post=False)
        with pytest.raises(UserError, match="not balanced"):
            env["account.move"].call("action_post", [move])
        assert read(env, "account.move", move, "state")["state"] == "draft"
        empty = env["account.move"].create({"journal_id": env.ref_id(
            "accounting.journal_general"), "date": DAY})
        with pytest.raises(UserError, match="no lines"):
            env["account.move"].call("action_post", [empty])
        with pytest.raises(ValidationError, match="either a debit or a credit"):
            voucher(env, [("1002", 100, 100)], post=False)
        with pytest.raises(ValidationError, match="negative"):
            voucher(env, [("1002", -5, 0), ("4001", 0, -5)], post=False)
        with pytest.raises(ValidationError, match="set by posting"):
            env["account.move"].create({"journal_id": env.ref_id("accounting.journal_general"),
                                        "state": "posted"})


def test_posted_entries_are_immutable_and_reversal_restores_balances(acc):
    with acc.env() as env:
        move = voucher(env, [("1002", "1234.56", 0), ("6001", 0, "1234.56")])
        line_id = env["account.move.line"].search([("move_id", "=", move)])[0]
        with pytest.raises(UserError, match="reverse it"):
            env["account.move"].write([move], {"ref": "changed"})
        with pytest.raises(UserError, match="reverse it"):
            env["account.move.line"].write([line_id], {"debit": 1})
        with pytest.raises(UserError, match="cannot be deleted"):
            env["account.move"].unlink([move])
        with pytest.raises(UserError, match="Lines cannot be added"):
            env["account.move.line"].create({"move_id": move, "account_id": account(env, "1001"),
                                             "debit": 1})
        with pytest.raises(UserError, match="Only a draft"):
            env["account.move"].call("action_cancel", [move])
        assert balance(env, "6001") == Decimal("-1234.56")
        reversal = env["account.move"].call("action_reverse", [move])
        assert balance(env, "6001") == Decimal("0.00")
        assert balance(env, "1002") == Decimal("0.00")
        rev = read(env, "account.move", reversal, "state", "reversed_entry_id", "name")
        assert rev["state"] == "posted" and rev["reversed_entry_id"][0] == move
        with pytest.raises(UserError, match="already reversed"):
            env["account.move"].call("action_reverse", [move])


def test_period_close_locks_posting_and_transfers_profit(acc):
    with acc.env() as env:
        chief = make_user(env, "chief", "accounting.group_chief")
        clerk = make_user(env, "clerk", "accounting.group_invoicing")
        voucher(env, [("1002", 1000, 0), ("6001", 0, 1000)])
        voucher(env, [("6602", 300, 0), ("1002", 0, 300)])
        draft = voucher(env, [("1002", 1, 0), ("6001", 0, 1)], post=False)
        period = env["account.period"].search([("code", "=", "2026-11")])[0]
    with acc.env(uid=clerk) as env, pytest.raises(AccessError):
        env["account.period"].call("action_close", [period])
    with acc.env(uid=chief) as env:
        with pytest.raises(UserError, match="draft entries"):
            env["account.period"].call("action_close", [period])
        env["account.move"].call("action_cancel", [draft])
        env["account.period"].call("action_close", [period])
        assert read(env, "account.period", period, "state")["state"] == "closed"
        # profit and loss moved to 4103 本年利润: revenue 1000 - expense 300 = 700 credit
        assert balance(env, "6001") == 0 and balance(env, "6602") == 0
        assert balance(env, "4103") == Decimal("-700.00")
        closing = env["account.move"].search_read([("is_closing", "=", True)], ["date"])
        assert closing[0]["date"] == dt.date(2026, 11, 30)
        late = voucher(env, [("1002", 5, 0), ("6001", 0, 5)], post=False)
        with pytest.raises(UserError, match="closed"):
            env["account.move"].call("action_post", [late])
        with pytest.raises(ValidationError, match="buttons"):
            env["account.period"].write([period], {"state": "open"})
        env["account.period"].call("action_reopen", [period])
        env["account.move"].call("action_post", [late])
        assert read(env, "account.move", late, "state")["state"] == "posted"


def test_month_end_reminders_name_the_periods_to_close(acc):
    from addons.accounting.jobs import month_end_reminders

    with acc.env() as env:
        chief = make_user(env, "chief", "accounting.group_chief")
        cost = make_user(env, "cost", "accounting.group_cost")
        env["res.users"].write([cost], {"lang": "zh_CN"})
        voucher(env, [("1002", 1, 0), ("6001", 0, 1)])  # posting opens the year's periods
        voucher(env, [("1002", 1, 0), ("6001", 0, 1)], post=False)  # a draft in 2026-11
        assert month_end_reminders(env, dt.date(2026, 11, 15)) == 1  # October's: still open
        assert month_end_reminders(env, dt.date(2026, 11, 29)) == 2  # and November's now
        notes = env["mail.notification"].search_read([("user_id", "=", chief)],
                                                     ["title", "body", "url"])
        november = env["account.period"].search([("code", "=", "2026-11")])[0]
        assert any(n["url"] == f"/web/account.period/{november}"
                   and "1 entries in it are still drafts" in n["body"] for n in notes)
        # without stock_account, nothing about shipments
        assert not any("shipments" in n["body"] for n in notes)
        # each recipient reads it in their language
        notes = env["mail.notification"].search_read([("user_id", "=", cost)],
                                                     ["title", "body", "url"])
        assert notes and all(n["title"].startswith("提醒：") for n in notes), notes
        assert any("该期间还有 1 张凭证未过账" in n["body"] for n in notes), notes
        periods = env.registry["account.period"].__table__  # closed ones are not named again
        env.session.execute(periods.update().values(state="closed"))
        assert month_end_reminders(env, dt.date(2026, 11, 29)) == 0


@pytest.mark.parametrize("tax, untaxed, tax_amount, total", [
    ("tax_sale_13", "1000.00", "130.00", "1130.00"),
    ("tax_sale_9", "1000.00", "90.00", "1090.00"),
    ("tax_sale_6", "1000.00", "60.00", "1060.00"),
    ("tax_sale_0", "1000.00", "0.00", "1000.00"),
    ("tax_sale_13_incl", "884.96", "115.04", "1000.00"),
])
def test_customer_invoice_with_vat(acc, tax, untaxed, tax_amount, total):
    with acc.env() as env:
        customer = partner(env)
        move = invoice(env, customer, [(4, 250, tax)])
        data = read(env, "account.move", move, "amount_untaxed", "amount_tax", "amount_total",
                    "amount_residual", "payment_state", "name")
        assert (data["amount_untaxed"], data["amount_tax"], data["amount_total"]) == (
            Decimal(untaxed), Decimal(tax_amount), Decimal(total))
        assert data["payment_state"] == "not_paid" and data["name"].startswith("SAL/2026/11/")
        assert balance(env, "1122", customer) == Decimal(total)
        assert balance(env, "6001") == -Decimal(untaxed)
        assert balance(env, "22210107") == -Decimal(tax_amount)


def test_vendor_bill_and_credit_note(acc):
    with acc.env() as env:
        vendor = partner(env, "江苏恒瑞原料有限公司")
        invoice(env, vendor, [(10, 100, "tax_purchase_13")], move_type="in_invoice")
        assert balance(env, "2202", vendor) == Decimal("-1130.00")
        assert balance(env, "22210101") == Decimal("130.00")
        assert balance(env, "1405") == Decimal("1000.00")
        customer = partner(env)
        invoice(env, customer, [(1, 500, "tax_sale_13")])
        refund = invoice(env, customer, [(1, 100, "tax_sale_13")], move_type="out_refund")
        assert balance(env, "1122", customer) == Decimal("452.00")
        assert read(env, "account.move", refund, "amount_total")["amount_total"] == Decimal(
            "113.00")


def test_invoice_needs_a_partner_and_lines(acc):
    with acc.env() as env:
        move = env["account.move"].create({"move_type": "out_invoice", "journal_id":
                                           env.ref_id("accounting.journal_sale")})
        with pytest.raises(ValidationError, match="customer or vendor"):
            env["account.move"].call("action_post", [move])
        env["account.move"].write([move], {"partner_id": partner(env)})
        with pytest.raises(UserError, match="no lines"):
            env["account.move"].call("action_post", [move])


def test_full_and_partial_write_off_many_to_many(acc):
    with acc.env() as env:
        customer = partner(env)
        inv1 = invoice(env, customer, [(1, 1000, "tax_sale_13")])  # 1130
        inv2 = invoice(env, customer, [(1, 2000, "tax_sale_13")])  # 2260
        # one receipt against two invoices: pays inv1 fully and inv2 partly
        pay = receipt(env, customer, "2000.00", [inv1, inv2])
        one, two = (read(env, "account.move", i, "payment_state", "amount_residual")
                    for i in (inv1, inv2))
        assert one == {"id": inv1, "payment_state": "paid", "amount_residual": Decimal("0.00")}
        assert two["payment_state"] == "partial" and two["amount_residual"] == Decimal("1390.00")
        assert read(env, "account.payment", pay, "amount_unapplied")["amount_unapplied"] == 0
        # two more receipts against one invoice; the second overpays and keeps the rest open
        receipt(env, customer, "390.00", [inv2])
        last = receipt(env, customer, "1500.00", [inv2])
        assert read(env, "account.move", inv2, "payment_state")["payment_state"] == "paid"
        assert read(env, "account.payment", last, "amount_unapplied")[
            "amount_unapplied"] == Decimal("500.00")
        assert balance(env, "1122", customer) == Decimal("-500.00")
        # the open 500 is written off later against a new invoice (往来核销)
        inv3 = invoice(env, customer, [(1, 500, None)])
        env["account.payment"].call("action_reconcile", [last], [inv3])
        assert read(env, "account.move", inv3, "payment_state")["payment_state"] == "paid"
        # undoing a match reopens both sides
        match = env["account.partial.reconcile"].search([], limit=1)[0]
        env["account.partial.reconcile"].unlink([match])
        assert read(env, "account.move", inv3, "payment_state")["payment_state"] == "not_paid"
        with pytest.raises(UserError, match="not created by hand"):
            env["account.partial.reconcile"].create({"debit_move_id": 1, "credit_move_id": 2,
                                                     "amount": 1})


def test_reconcile_items_directly_and_invoice_payment_action(acc):
    with acc.env() as env:
        customer = partner(env)
        inv = invoice(env, customer, [(2, 50, None)])
        pay = receipt(env, customer, "40.00")
        lines = env["account.move.line"].search([("partner_id", "=", customer),
                                                 ("account_id", "=", account(env, "1122"))])
        env["account.move.line"].reconcile(lines)
        assert read(env, "account.move", inv, "amount_residual")["amount_residual"] == Decimal(
            "60.00")
        assert pay
        env["account.move"].call("action_register_payment", [inv],
                                 env.ref_id("accounting.journal_cash"))
        assert read(env, "account.move", inv, "payment_state")["payment_state"] == "paid"
        with pytest.raises(UserError, match="same account"):
            env["account.move.line"].reconcile(env["account.move.line"].search(
                [("account_id", "in", [account(env, "1122"), account(env, "1001")])]))


def test_reversing_an_invoice_marks_it_reversed(acc):
    with acc.env() as env:
        inv = invoice(env, partner(env), [(1, 100, "tax_sale_13")])
        env["account.move"].call("action_reverse", [inv])
        assert read(env, "account.move", inv, "payment_state")["payment_state"] == "reversed"
        assert balance(env, "1122") == 0 and balance(env, "22210107") == 0


def test_payment_rules(acc):
    with acc.env() as env:
        customer = partner(env)
        with pytest.raises(ValidationError, match="positive"):
            receipt(env, customer, "0", post=False)
        with pytest.raises(ValidationError, match="bank or cash"):
            env["account.payment"].create({"partner_id": customer, "amount": 5, "journal_id":
                                           env.ref_id("accounting.journal_sale")})
        pay = receipt(env, customer, "10")
        with pytest.raises(UserError, match="cannot be changed"):
            env["account.payment"].write([pay], {"amount": 20})
        with pytest.raises(UserError, match="cannot be deleted"):
            env["account.payment"].unlink([pay])


def test_posts_and_their_rights(acc):
    with acc.env() as env:
        clerk = make_user(env, "clerk", "accounting.group_invoicing")
        receivable = make_user(env, "ar", "accounting.group_receivable")
        plain = make_user(env, "plain", "base.group_user")
        customer = partner(env)
    with acc.env(uid=clerk) as env:
        inv = invoice(env, customer, [(1, 100, "tax_sale_13")])
        with pytest.raises(AccessError):
            receipt(env, customer, "113.00", [inv])
        with pytest.raises(AccessError):
            env["account.account"].create({"code": "9999", "name": "x",
                                           "account_type": "income"})
    with acc.env(uid=receivable) as env:
        receipt(env, customer, "113.00", [inv])
        assert read(env, "account.move", inv, "payment_state")["payment_state"] == "paid"
        with pytest.raises(AccessError):
            env["account.partial.reconcile"].create({"debit_move_id": 1, "credit_move_id": 2,
                                                     "amount": 1})
    with acc.env(uid=plain) as env, pytest.raises(AccessError):
        env["account.move"].search([])


def test_invoice_picker_finds_by_customer_and_source_document(acc):
    """A receipt's invoice picker (name_search) matches the number, the customer's name, the
    reference and the source document (the invoicing notice's number)."""
    with acc.env() as env:
        hualian = invoice(env, partner(env), [(1, 100, None)])
        other = invoice(env, partner(env, "北京同仁堂"), [(1, 50, None)])
        moves = env["account.move"]
        assert [i for i, _n in moves.name_search("华联")] == [hualian]
        number = read(env, "account.move", other, "name")["name"]
        assert [i for i, _n in moves.name_search(number)] == [other]
        draft = invoice(env, partner(env, "杭州胡庆余堂"), [(1, 10, None)], post=False)
        moves.write([draft], {"origin": "IN/2026/0042"})
        assert [i for i, _n in moves.name_search("0042")] == [draft]


def test_entry_figures_follow_their_sources_without_addon_code(acc):
    """A line's balance and amounts, its copies of the entry's date, journal and status, and
    the entry's totals are stored computed and related fields: changed on the ORM records (no
    ``write``, no accounting code), they are right at the next read of the transaction."""
    with acc.env() as env:
        move_id = invoice(env, partner(env), [(2, 100, "tax_sale_13"), (1, 50, None)],
                          post=False)
        move = env["account.move"].browse_unchecked([move_id])[0]
        lines = env["account.move.line"]
        first, second = lines.browse_unchecked(lines.search([("move_id", "=", move_id)],
                                                            order="id"))
        first.quantity = Decimal(3)
        assert lines.read([first.id], ["price_subtotal", "price_total"])[0] == {
            "id": first.id, "price_subtotal": Decimal("300.00"),
            "price_total": Decimal("339.00")}
        assert read(env, "account.move", move_id, "amount_untaxed", "amount_tax",
                    "amount_total") == {"id": move_id, "amount_untaxed": Decimal("350.00"),
                                        "amount_tax": Decimal("39.00"),
                                        "amount_total": Decimal("389.00")}
        move.date = DAY - dt.timedelta(days=1)
        move.journal_id = env.ref_id("accounting.journal_general")
        move.state = "cancel"
        rows = lines.search_read([("move_id", "=", move_id)],
                                 ["date", "journal_id", "parent_state"])
        assert {(r["date"], r["journal_id"][0], r["parent_state"]) for r in rows} == {
            (DAY - dt.timedelta(days=1), env.ref_id("accounting.journal_general"), "cancel")}
        first.debit, first.credit = Decimal("12.50"), Decimal(0)
        assert lines.read([first.id], ["balance"])[0]["balance"] == Decimal("12.50")


def test_amount_due_and_payment_status_follow_the_open_items(acc):
    """An invoice's amount due and payment status are computed from its receivable item's
    residual and its reversals: no accounting code sets them."""
    with acc.env() as env:
        move_id = invoice(env, partner(env), [(1, 100, "tax_sale_13")])
        assert read(env, "account.move", move_id, "amount_residual", "payment_state") == {
            "id": move_id, "amount_residual": Decimal("113.00"), "payment_state": "not_paid"}
        lines = env["account.move.line"]
        receivable = lines.browse_unchecked(lines.search([("move_id", "=", move_id),
                                                          ("display_type", "=",
                                                           "payment_term")]))[0]
        receivable.amount_residual = Decimal("13.00")
        assert read(env, "account.move", move_id, "amount_residual", "payment_state") == {
            "id": move_id, "amount_residual": Decimal("13.00"), "payment_state": "partial"}
        receivable.amount_residual = Decimal(0)
        assert read(env, "account.move", move_id, "payment_state")["payment_state"] == "paid"
        receivable.amount_residual = Decimal("113.00")
        env["account.move"].call("action_reverse", [move_id])
        assert read(env, "account.move", move_id, "amount_residual", "payment_state") == {
            "id": move_id, "amount_residual": Decimal("0.00"), "payment_state": "reversed"}
