"""Groups, access rights and record rules of data analysis.

* ``analytics.group_general_manager`` (总经理): the general manager's dashboard.
* Saved views (``ir.filters``): every user reads their own, those shared with everyone and those
  shared with a group they belong to, and manages their own; only the general manager shares
  views with everyone or a group (administrators too, through Settings).
"""

from __future__ import annotations

from core.i18n import _l
from core.security import FULL, Access, Group, Rule

GENERAL_MANAGER = "analytics.group_general_manager"

GROUPS = [
    Group(GENERAL_MANAGER, _l("General manager (总经理)"), _l("Data analysis"),
          implied=("base.group_user",),
          comment=_l("Sees the general manager's dashboard and shares saved views.")),
]

ACCESS = [
    Access("analytics.access_ir_filters_user", "ir.filters", "base.group_user", **FULL),
]

_SEEN = ("['|', ('user_id', '=', user.id), '&', ('user_id', '=', False), "
         "'|', ('group_id', '=', False), ('group_id.users', 'in', [user.id])]")

RULES = [
    Rule("analytics.rule_filters_seen", _l("Saved views: own and shared"), "ir.filters",
         _SEEN, write=False, create=False, unlink=False),
    Rule("analytics.rule_filters_own", _l("Saved views: changes to own views"), "ir.filters",
         "[('user_id', '=', user.id)]", groups=("base.group_user",), read=False),
    Rule("analytics.rule_filters_shared", _l("Saved views: the general manager shares"),
         "ir.filters", "[(1, '=', 1)]", groups=(GENERAL_MANAGER, "base.group_system"),
         read=False),
]
