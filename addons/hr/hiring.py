"""Hiring: the user of a new employee, created by HR (who may not manage users otherwise)."""

from __future__ import annotations

import secrets
from typing import Any

from core.errors import UserError
from core.i18n import _

#: characters of initial passwords (no 0/O, 1/l/I to misread)
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def create_user(env: Any, employee: Any) -> dict[str, str]:
    """Create and link the employee's user; ``{"message": …}`` names the login and password."""
    if employee.user_id:
        raise UserError(_("%(name)s already has a user.", name=employee.name))
    login = (employee.work_email or employee.registration_number or "").strip()
    if not login:
        raise UserError(_("Enter a work email or an employee number (工号) first: it is the "
                          "login."))
    su = env.sudo()
    if su.with_context(active_test=False)["res.users"].search_count([("login", "=", login)]):
        raise UserError(_("The login %(login)s is taken.", login=login))
    password = "".join(secrets.choice(_ALPHABET) for _i in range(10))
    company = su.ref_id("base.main_company")
    user_id = su["res.users"].create({
        "login": login, "name": employee.name, "password": password, "lang": "zh_CN",
        "company_id": company, "email": employee.work_email or False,
        "groups_id": [(6, 0, [su.ref_id("base.group_user")])]})
    env["hr.employee"].write([employee.id], {"user_id": user_id})
    return {"message": _("User %(login)s created; initial password: %(password)s (shown once: "
                         "give it to %(name)s).", login=login, password=password,
                         name=employee.name)}
