"""Users: the admin account, password checks."""

from __future__ import annotations

from sqlalchemy import select
from werkzeug.security import check_password_hash

from . import throttle
from .env import Environment
from .translate import N_

__all__ = ["ensure_admin", "check_credentials", "admin_joins"]

#: a hash to compare against when the login is unknown, so timing does not reveal logins
_DUMMY_HASH = "scrypt:32768:8:1$abcdefghijklmnop$" + "0" * 128


def ensure_admin(env: Environment, password: str, lang: str = "en") -> int:
    """Create (or reset the password of) ``base.user_admin``, an administrator."""
    users = env["res.users"].sudo()
    admin = env.ref("base.user_admin", raise_if_not_found=False)
    if admin is not None:
        users.write([admin.id], {"password": password, "lang": lang})
        return admin.id
    from .data import DataLoader

    loader = DataLoader(env, "base")
    return loader.record("base.user_admin", "res.users", {
        "login": "admin", "name": N_("Administrator"), "password": password, "lang": lang,
        "company_id": env.ref_id("base.main_company"),
        "groups_id": [(6, 0, [env.ref_id("base.group_system")])],
    }, noupdate=True)


def admin_joins(env: Environment, *groups: str) -> None:
    """Make the admin a member of ``groups`` (an addon's demo data: the demo's admin sees and
    may use every application)."""
    admin = env.ref("base.user_admin", raise_if_not_found=False)
    if admin is not None:
        env["res.users"].sudo().write([admin.id], {
            "groups_id": [(4, env.ref_id(group)) for group in groups]})


def check_credentials(env: Environment, login: str, password: str) -> int | None:
    """The id of the active user with this login and password, else None; refused with
    :class:`core.throttle.TooManyAttempts` after too many failures (every login door)."""
    failures = throttle.guard(env, login)
    users = env.registry["res.users"]
    row = env.session.execute(select(users.id, users.password).where(
        users.login == login, users.active.is_(True))).first()
    if row is None or not row.password:
        check_password_hash(_DUMMY_HASH, password)
        uid = None
    else:
        uid = row.id if check_password_hash(row.password, password) else None
    throttle.record(env, login, uid is not None, failures)
    return uid
