"""The glue's registrations and its answers to the accounting hooks."""

from __future__ import annotations

from typing import Any

from core.i18n import _l
from core.menus import MenuItem
from core.plugins import hookimpl
from core.security import FULL, Access, Group, Rule, grant
from core.views import Button, Field, FormView, ListView, Related, ViewExtension

from .models import MODELS

PAYABLE = "purchase_account.group_payable"
MANAGER = "purchase.group_manager"
ACCOUNTANTS = (PAYABLE, "accounting.group_invoicing", "accounting.group_cost",
               "accounting.group_receivable", "accounting.group_chief")
SETUP = ("account.account", "account.journal", "account.tax", "account.fiscal.year",
         "account.period")


@hookimpl
def register_models() -> list[type]:
    return list(MODELS)


@hookimpl
def register_groups() -> list[Group]:
    # a 往来会计 (receivables accountant) in accounting's posts: posts entries, pays, writes off
    return [Group(PAYABLE, _l("Payables accountant (应付会计)"), _l("Accounting"),
                  implied=("accounting.group_receivable",),
                  comment=_l("Enters and posts vendor bills from purchase orders and receipts, "
                             "pays suppliers and writes payments off against bills, books "
                             "the month-end 暂估入库, reads payables aging and statements."))]


@hookimpl
def register_access() -> list[Access]:
    documents = ("account.move", "account.move.line", "account.payment")
    purchase = ("purchase.order", "purchase.order.line", "purchase.order.revision",
                "purchase.comparison", "res.partner")
    return [*grant("purchase_account", documents, PAYABLE, **FULL),
            *grant("purchase_account", SETUP, PAYABLE),
            *grant("purchase_account", ["account.partial.reconcile"], PAYABLE),
            *grant("purchase_account", purchase, PAYABLE),
            *grant("purchase_account", ["purchase.accrual"], PAYABLE),
            *grant("purchase_account", ["purchase.accrual"], "accounting.group_chief"),
            # buyers and purchase managers read the bills of their orders and accept differences
            *grant("purchase_account", ("account.move", "account.move.line"),
                   "purchase.group_user"),
            *grant("purchase_account", ["account.move"], "purchase.group_manager", "accept",
                   read=True, write=True)]


@hookimpl
def register_rules() -> list[Rule]:
    """Buyers see the bills of their orders, purchase managers those of every order."""
    rules = []
    for model, path in (("account.move", "purchase_id"),
                        ("account.move.line", "move_id.purchase_id")):
        key = model.replace(".", "_")
        rules.append(Rule(f"purchase_account.rule_{key}_buyer", _l("Buyers: bills of own orders"),
                          model, f"[('{path}.user_id', '=', user.id)]",
                          groups=("purchase.group_user",)))
        rules.append(Rule(f"purchase_account.rule_{key}_manager",
                          _l("Purchase managers: bills of purchase orders"), model,
                          f"[('{path}', '!=', False)]", groups=("purchase.group_manager",)))
        # group rules OR together: without this one a buyer who is also an accountant would
        # be limited to the bills of their orders
        rules.append(Rule(f"purchase_account.rule_{key}_accounting",
                          _l("Accountants: all journal entries"), model, "[(1, '=', 1)]",
                          groups=ACCOUNTANTS))
    return rules


@hookimpl
def register_menus() -> list[MenuItem]:
    root = "purchase_account.menu_payables"
    bills = "/web/account.move?filter=in_invoice"  # accounting's: one item for both posts
    return [
        MenuItem(root, _l("Payables (应付)"), parent="accounting.menu_root", sequence=25,
                 groups=(PAYABLE, "accounting.group_chief")),
        MenuItem("purchase_account.menu_bills", _l("Vendor bills"), parent=root, sequence=10,
                 url=bills),
        MenuItem("purchase_account.menu_orders_to_bill", _l("Purchase orders to bill"),
                 parent=root, sequence=15, url='/web/purchase.order?domain=[["invoice_status",'
                                                '"=","to invoice"]]'),
        MenuItem("purchase_account.menu_payments", _l("Supplier payments"), parent=root,
                 sequence=20, url='/web/account.payment?domain=[["partner_type","=",'
                                  '"supplier"]]'),
        MenuItem("purchase_account.menu_aging", _l("Payables aging"), parent=root, sequence=30,
                 url="/web/page/purchase_account/payables-aging"),
        MenuItem("purchase_account.menu_statement", _l("Supplier statement"), parent=root,
                 sequence=40, url="/web/page/purchase_account/statement"),
        # the purchase manager's: bills the three-way match holds until they accept them
        MenuItem("purchase_account.menu_bills_held", _l("Bills with differences"),
                 parent="purchase.menu_root", sequence=45, groups=(MANAGER,),
                 url='/web/account.move?domain=[["match_state","=","mismatch"]]'),
        MenuItem("purchase_account.menu_accruals", _l("Goods received not billed (暂估入库)"),
                 parent=root, sequence=50, model="purchase.accrual"),
    ]


@hookimpl
def register_views() -> list:
    return [
        ViewExtension("account.move", "form",
                      add=("purchase_id", "match_state", "match_note", "match_accept_reason",
                           "match_accepted_by"), after="partner_id",
                      buttons=(Button("action_check_match", _l("Check three-way match")),
                               Button("action_accept_mismatch", _l("Accept the differences"),
                                      groups=("purchase.group_manager",))),
                      related=(Related("purchase_id"),)),
        ViewExtension("account.move", "list", search=("purchase_id",)),
        ViewExtension("purchase.order", "form", add=(Field(
            "invoice_ids", readonly=True, columns=("name", "date", "amount_total",
                                                   "amount_residual", "match_state",
                                                   "state")),), after="amount_total",
                      buttons=(Button("action_create_bill", _l("Create vendor bill"),
                                      groups=(PAYABLE,), opens="account.move"),
                               Button("action_create_advance_bill",
                                      _l("Bill before arrival"), groups=(PAYABLE,),
                                      opens="account.move")),
                      related=(Related("invoice_ids"),)),
        ViewExtension("account.period", "form", buttons=(
            Button("action_book_purchase_accruals", _l("Book 暂估入库"),
                   groups=(PAYABLE, "accounting.group_chief")),)),
        ListView("purchase.accrual", ("date", "amount", "move_id", "reversal_id", "booked_at")),
        FormView("purchase.accrual", ("date", "amount", "move_id", "reversal_id", "booked_at")),
    ]


@hookimpl
def register_pages() -> list:
    from .web import PAGES

    return PAGES


@hookimpl
def account_move_posted(env: Any, move: Any) -> None:
    if move.move_type in ("in_invoice", "in_refund") and move.purchase_id:
        from .bills import refresh_orders

        refresh_orders(env.sudo(), {move.purchase_id})


@hookimpl
def register_jobs() -> list:
    from .accruals import JOBS

    return JOBS


@hookimpl
def account_period_closing(env: Any, period: Any) -> None:
    from .accruals import book_accruals

    book_accruals(env, period.date_to)
