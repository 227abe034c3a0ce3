"""Groups, access rights and record rules of the CRM.

* ``crm.group_user`` (salesperson): own customers (and customers nobody owns yet) and their
  follow-ups, visits, opportunities and contracts, by record rule.
* ``crm.group_service`` (customer service, 客服): all customers (read), all return visits.
* ``crm.group_manager``: everything, and the configuration lists; approves contracts.
"""

from __future__ import annotations

from core.i18n import _l
from core.security import FULL, Access, Group, Rule, grant

USER, SERVICE, MANAGER = "crm.group_user", "crm.group_service", "crm.group_manager"
CATEGORY = _l("CRM")

GROUPS = [
    Group(USER, _l("Salesperson"), CATEGORY, implied=("base.group_user",),
          comment=_l("Sees own customers and their follow-ups, visits, opportunities and "
                     "contracts.")),
    Group(SERVICE, _l("Customer service"), CATEGORY, implied=("base.group_user",),
          comment=_l("Plans and records return visits of all customers.")),
    Group(MANAGER, _l("CRM manager"), CATEGORY, implied=(USER, SERVICE),
          comment=_l("Sees all customers, approves contracts, configures the CRM.")),
]

_CONFIG = ["crm.industry", "crm.customer.level", "crm.tag", "crm.stage", "crm.lost.reason",
           "crm.visit.rule"]
_WORK = dict(read=True, write=True, create=True)


def _access() -> list[Access]:
    return [
        *grant("crm", _CONFIG, "base.group_user", "everyone"),
        *grant("crm", _CONFIG, MANAGER, **FULL),
        *grant("crm", ["crm.tag", "crm.contract.payment", "crm.visit"], USER, **_WORK),
        *grant("crm", ["crm.followup", "crm.lead", "crm.contract", "crm.contract.line",
                       "crm.contract.installment"], USER, **FULL),
        *grant("crm", ["crm.contract.payment"], MANAGER, **FULL),
        *grant("crm", ["crm.visit"], SERVICE, **FULL),
        *grant("crm", ["crm.followup"], SERVICE, **_WORK),
        *grant("crm", ["crm.contract", "crm.lead"], SERVICE),
    ]


ACCESS = _access()

_OWN_OR_FREE = "['|', ('user_id', '=', user.id), ('user_id', '=', False)]"
_OF_OWN_CUSTOMER = "['|', ('user_id', '=', user.id), ('partner_id.user_id', '=', user.id)]"
_EVERYTHING = "[(1, '=', 1)]"


def _rules() -> list[Rule]:
    own = [
        ("res.partner", _OWN_OR_FREE, _l("CRM: own and unassigned customers")),
        ("crm.followup", _OF_OWN_CUSTOMER, _l("CRM: follow-ups of own customers")),
        ("crm.visit", _OF_OWN_CUSTOMER, _l("CRM: return visits of own customers")),
        ("crm.lead", _OWN_OR_FREE, _l("CRM: own opportunities")),
        ("crm.contract", _OF_OWN_CUSTOMER, _l("CRM: contracts of own customers")),
    ]
    rules = []
    for model, domain, name in own:
        slug = model.replace(".", "_")
        rules.append(Rule(f"crm.rule_{slug}_own", name, model, domain, groups=(USER,)))
        rules.append(Rule(f"crm.rule_{slug}_all", _l("CRM: all records (manager)"), model,
                          _EVERYTHING, groups=(MANAGER,)))
    for model in ("res.partner", "crm.visit", "crm.followup", "crm.contract", "crm.lead"):
        slug = model.replace(".", "_")
        rules.append(Rule(f"crm.rule_{slug}_service", _l("CRM: customer service sees all"),
                          model, _EVERYTHING, groups=(SERVICE,)))
    return rules


RULES = _rules()
