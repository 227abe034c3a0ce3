"""Groups (posts), access rights and record rules of the purchase addon."""

from __future__ import annotations

from core.i18n import _l
from core.security import FULL, Access, Group, Rule, grant

from .request import BUYER, GENERAL_MANAGER, MANAGER, REQUESTER

DOCUMENTS = ("purchase.order", "purchase.order.line", "purchase.comparison",
             "purchase.request", "purchase.request.line")
SUPPLIERS = ("product.supplierinfo",)


def groups() -> list[Group]:
    category = _l("Purchase")
    return [
        Group(REQUESTER, _l("Purchase requester (请购人)"), category,
              implied=("base.group_user",),
              comment=_l("Enters purchase requests for a department; sees their own.")),
        Group(BUYER, _l("Buyer (采购员)"), category, implied=(REQUESTER,),
              comment=_l("Asks suppliers for quotations, compares them and enters purchase "
                         "orders; sees the requests and orders they handle.")),
        Group(MANAGER, _l("Purchase manager (采购主管)"), category, implied=(BUYER,),
              comment=_l("Sees all purchase documents, approves requests and orders, "
                         "maintains supplier prices.")),
        Group(GENERAL_MANAGER, _l("General manager (总经理)"), category, implied=(MANAGER,),
              comment=_l("Approves purchase orders above the general manager's amount.")),
    ]


def access() -> list[Access]:
    requests = ("purchase.request", "purchase.request.line")
    return [*grant("purchase", requests, REQUESTER, **FULL),
            *grant("purchase", DOCUMENTS, BUYER, **FULL),
            *grant("purchase", ["purchase.order.revision"], BUYER),
            *grant("purchase", SUPPLIERS, BUYER),
            *grant("purchase", SUPPLIERS, MANAGER, "manage", **FULL)]


#: (model, domain of the documents a buyer or requester handles)
OWN = (
    ("purchase.request", "['|', ('requested_by', '=', user.id), '|', "
                         "('assigned_to', '=', user.id), ('create_uid', '=', user.id)]"),
    ("purchase.request.line", "['|', ('request_id.requested_by', '=', user.id), '|', "
                              "('request_id.assigned_to', '=', user.id), "
                              "('request_id.create_uid', '=', user.id)]"),
    ("purchase.order", "['|', ('user_id', '=', user.id), ('create_uid', '=', user.id)]"),
    ("purchase.order.line", "['|', ('order_id.user_id', '=', user.id), "
                            "('order_id.create_uid', '=', user.id)]"),
    ("purchase.order.revision", "['|', ('order_id.user_id', '=', user.id), "
                                "('order_id.create_uid', '=', user.id)]"),
    ("purchase.comparison", "['|', ('user_id', '=', user.id), ('create_uid', '=', user.id)]"),
)

#: a buyer also sees the approved requests assigned to nobody yet (to pick them up)
SOURCING = {
    "purchase.request": "['&', ('assigned_to', '=', False), ('state', '=', 'approved')]",
    "purchase.request.line": "['&', ('request_id.assigned_to', '=', False), "
                             "('request_state', '=', 'approved')]",
}


def rules() -> list[Rule]:
    result = []
    for model, domain in OWN:
        key = model.replace(".", "_")
        result.append(Rule(f"purchase.rule_{key}_own", _l("Buyers: own documents"), model,
                           domain, groups=(REQUESTER,)))
        if model in SOURCING:
            result.append(Rule(f"purchase.rule_{key}_to_source",
                               _l("Buyers: approved requests to buy"), model, SOURCING[model],
                               groups=(BUYER,)))
        result.append(Rule(f"purchase.rule_{key}_all", _l("Purchase managers: all documents"),
                           model, "[(1, '=', 1)]", groups=(MANAGER,)))
    return result
