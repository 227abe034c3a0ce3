"""The base addon's registrations: its models, groups and access rights."""

from __future__ import annotations

from core.i18n import _l
from core.jobs.models import JOB_MODELS
from core.jobs.registration import JOB_ACCESS, JOB_MENUS, JOB_RULES, JOB_VIEWS
from core.mail.models import MAIL_MODELS
from core.mail.registration import MAIL_ACCESS, MAIL_MENUS, MAIL_RULES, MAIL_VIEWS
from core.menus import MenuItem
from core.plugins import hookimpl
from core.reports.declare import ActionReport
from core.security import Access, Group
from core.views import Button, Field, Filter, FormView, ListView

from .apikeys import APIKEY_ACCESS, APIKEY_RULES, ApiKey
from .models import MODELS
from .record_hooks import (  # noqa: F401  (hook implementations of the base addon)
    CHATTER_ACCESS,
    CHATTER_MENUS,
    CHATTER_RULES,
    addon_installed,
    addon_uninstalling,
    record_created,
    record_unlinking,
    record_written,
)


@hookimpl
def register_models() -> list[type]:
    return [*MODELS, ApiKey, *JOB_MODELS, ActionReport, *MAIL_MODELS]


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
    return rights + APIKEY_ACCESS + CHATTER_ACCESS + JOB_ACCESS + [
        Access("base.access_ir_actions_report_user", "ir.actions.report", "base.group_user"),
        *MAIL_ACCESS]


@hookimpl
def register_data_generators() -> list:
    from .datagen import DATA_STEPS

    return DATA_STEPS


@hookimpl
def register_rules() -> list:
    return list(APIKEY_RULES) + CHATTER_RULES + JOB_RULES + MAIL_RULES


@hookimpl
def register_menus() -> list[MenuItem]:
    admin = ("base.group_system",)
    return [
        MenuItem("base.menu_contacts", _l("Contacts"), sequence=10),
        MenuItem("base.menu_partners", _l("Contacts"), "base.menu_contacts", model="res.partner"),
        MenuItem("base.menu_settings", _l("Settings"), sequence=900, groups=admin),
        MenuItem("base.menu_users_root", _l("Users & companies"), "base.menu_settings", 10),
        MenuItem("base.menu_users", _l("Users"), "base.menu_users_root", 10, model="res.users"),
        MenuItem("base.menu_groups", _l("Groups"), "base.menu_users_root", 20,
                 model="res.groups"),
        MenuItem("base.menu_companies", _l("Companies"), "base.menu_users_root", 30,
                 model="res.company"),
        MenuItem("base.menu_security", _l("Security"), "base.menu_settings", 20),
        MenuItem("base.menu_access", _l("Access rights"), "base.menu_security", 10,
                 model="ir.model.access"),
        MenuItem("base.menu_rules", _l("Record rules"), "base.menu_security", 20,
                 model="ir.rule"),
        MenuItem("base.menu_explain", _l("Explain access"), "base.menu_security", 30,
                 url="/web/admin/explain", groups=admin),
        MenuItem("base.menu_apps", _l("Apps"), "base.menu_settings", 30, url="/web/apps",
                 groups=admin),
        MenuItem("base.menu_currencies", _l("Currencies"), "base.menu_settings", 40,
                 model="res.currency"),
        *CHATTER_MENUS,
        *JOB_MENUS,
        *MAIL_MENUS,
    ]


@hookimpl
def register_views() -> list[object]:
    perms = ("perm_read", "perm_write", "perm_create", "perm_unlink")
    return [
        ListView("res.partner", ("name", "email", "phone", "city", "is_company", "company_id"),
                 search=("name", "email", "ref", "city", "phone"),
                 filters=(Filter("companies", _l("Companies"), (("is_company", "=", True),)),
                          Filter("people", _l("Individuals"), (("is_company", "=", False),))),
                 group_by=("is_company", "city", "company_id", "parent_id")),
        FormView("res.partner", ("name", "is_company", "parent_id", "ref", "email", "phone",
                                 "mobile", "street", "city", "zip", "vat", "company_id",
                                 Field("comment", widget="textarea"))),
        ListView("res.users", ("login", "name", "email", "lang", "company_id", "active"),
                 search=("login", "name", "email"), group_by=("lang", "company_id")),
        FormView("res.users", ("name", "login", "email", "password", "lang", "notification_type",
                               "company_id", "active", Field("groups_id", widget="tags")),
                 buttons=(Button("action_logout_everywhere", _l("Log out everywhere"),
                                 groups=("base.group_system",),
                                 confirm=_l("End every session of this user?")),)),
        ListView("res.groups", (Field("name", translate=True), Field("category", translate=True),
                                "comment"), search=("name", "category"), group_by=("category",)),
        FormView("res.groups", ("name", "category", Field("implied_ids", widget="tags"),
                                Field("users", widget="tags"), "comment")),
        ListView("ir.model.access", ("name", "model", "group_id", *perms, "active"),
                 search=("name", "model", "group_id"), group_by=("model", "group_id")),
        FormView("ir.model.access", ("name", "model", "group_id", *perms, "active")),
        ListView("ir.rule", ("name", "model", "domain_force", *perms, "active"),
                 search=("name", "model"), group_by=("model",)),
        FormView("ir.rule", ("name", "model", Field("domain_force", widget="textarea"),
                             Field("groups", widget="tags"), *perms, "active")),
        *JOB_VIEWS,
        *MAIL_VIEWS,
    ]
