"""The base addon's registrations: its models, groups and access rights."""

from __future__ import annotations

from core.i18n import _l
from core.plugins import hookimpl
from core.security import Access, Group

from .models import MODELS


@hookimpl
def register_models() -> list[type]:
    return MODELS


@hookimpl
def register_groups() -> list[Group]:
    return [
        Group("base.group_user", _l("Internal user"), _l("Administration")),
        Group("base.group_system", _l("Administrator"), _l("Administration"),
              implied=("base.group_user",)),
    ]


@hookimpl
def register_access() -> list[Access]:
    everyone_reads = ["res.currency", "res.company", "res.groups"]
    rights = [Access(f"base.access_{m.replace('.', '_')}_user", m, "base.group_user")
              for m in everyone_reads]
    rights += [
        Access("base.access_res_partner_user", "res.partner", "base.group_user",
               read=True, write=True, create=True, unlink=True),
        Access("base.access_res_users_user", "res.users", "base.group_user"),
    ]
    return rights
