"""The accounting posts (岗位) and what each may do."""

from __future__ import annotations

from core.i18n import _l
from core.security import FULL, Access, Group, grant

INVOICING = "accounting.group_invoicing"
COST = "accounting.group_cost"
RECEIVABLE = "accounting.group_receivable"
CHIEF = "accounting.group_chief"
POSTS = (INVOICING, COST, RECEIVABLE, CHIEF)

#: models every accounting post reads and only the chief accountant maintains
SETUP_MODELS = ("account.account", "account.journal", "account.tax", "account.fiscal.year",
                "account.period")
#: (model, groups that create and change it)
DOCUMENT_MODELS = (
    ("account.move", (INVOICING, COST, RECEIVABLE)),
    ("account.move.line", (INVOICING, COST, RECEIVABLE)),
    ("account.payment", (RECEIVABLE,)),
    ("account.partial.reconcile", ()),
)


def groups() -> list[Group]:
    category = _l("Accounting")
    return [
        Group(INVOICING, _l("Invoicing clerk"), category, implied=("base.group_user",),
              comment=_l("Issues customer invoices from invoicing notices (开票员).")),
        Group(COST, _l("Cost accountant"), category, implied=("base.group_user",),
              comment=_l("Books stock valuation, matches shipments to invoices (钩稽) and the "
                         "month-end cost of sales (材料成本会计).")),
        Group(RECEIVABLE, _l("Receivables accountant"), category, implied=("base.group_user",),
              comment=_l("Records receipts and payments and writes them off against invoices "
                         "(往来会计).")),
        Group(CHIEF, _l("Chief accountant"), category, implied=(INVOICING, COST, RECEIVABLE),
              comment=_l("Maintains the chart of accounts, journals, taxes and periods; closes "
                         "the month (会计主管).")),
    ]


def access() -> list[Access]:
    rights = [right for group in POSTS for right in grant("accounting", SETUP_MODELS, group)]
    rights += grant("accounting", SETUP_MODELS, CHIEF, "manage", **FULL)
    for model, writers in DOCUMENT_MODELS:
        for group in POSTS:
            editing = group in writers
            rights += grant("accounting", [model], group, write=editing, create=editing,
                            unlink=editing)
    rights.append(Access("accounting.access_account_partial_reconcile_undo",
                         "account.partial.reconcile", RECEIVABLE, read=True, unlink=True))
    return rights
