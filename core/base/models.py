"""The core's own models: currencies, companies, partners, users, groups, access rights, rules."""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy.orm import Mapped

from core import fields, public
from core.i18n import _l

LANGUAGES = [("en", _l("English")), ("zh_CN", _l("Simplified Chinese"))]


class Currency:
    _name = "res.currency"
    _description = _l("Currency")
    _order = "name"

    name: Mapped[str] = fields.Char(_l("Currency"), size=3, required=True, unique=True)
    symbol: Mapped[str] = fields.Char(_l("Symbol"), size=8, required=True)
    decimal_places: Mapped[Optional[int]] = fields.Integer(_l("Decimal places"), default=2)
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


class Company:
    _name = "res.company"
    _description = _l("Company")
    _order = "name"

    name: Mapped[str] = fields.Char(_l("Company name"), required=True, translate=True)
    currency_id: Mapped[Optional[int]] = fields.Many2one("res.currency", _l("Currency"))
    parent_id: Mapped[Optional[int]] = fields.Many2one("res.company", _l("Parent company"))
    vat: Mapped[Optional[str]] = fields.Char(_l("Tax ID"), size=32)
    street: Mapped[Optional[str]] = fields.Char(_l("Street"))
    city: Mapped[Optional[str]] = fields.Char(_l("City"), size=128)
    zip: Mapped[Optional[str]] = fields.Char(_l("ZIP"), size=24)
    phone: Mapped[Optional[str]] = fields.Char(_l("Phone"), size=64)
    email: Mapped[Optional[str]] = fields.Char(_l("Email"))
    logo: Mapped[Optional[bytes]] = fields.Binary(_l("Logo"))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


class Partner:
    _name = "res.partner"
    _description = _l("Contact")
    _order = "name"

    name: Mapped[str] = fields.Char(_l("Name"), required=True, index=True)
    is_company: Mapped[bool] = fields.Boolean(_l("Is a company"))
    parent_id: Mapped[Optional[int]] = fields.Many2one("res.partner", _l("Related company"))
    child_ids = fields.One2many("res.partner", "parent_id", _l("Contacts"))
    ref: Mapped[Optional[str]] = fields.Char(_l("Reference"), size=64, index=True)
    email: Mapped[Optional[str]] = fields.Char(_l("Email"))
    phone: Mapped[Optional[str]] = fields.Char(_l("Phone"), size=64)
    mobile: Mapped[Optional[str]] = fields.Char(_l("Mobile"), size=64)
    street: Mapped[Optional[str]] = fields.Char(_l("Street"))
    city: Mapped[Optional[str]] = fields.Char(_l("City"), size=128)
    zip: Mapped[Optional[str]] = fields.Char(_l("ZIP"), size=24)
    vat: Mapped[Optional[str]] = fields.Char(_l("Tax ID"), size=32)
    comment: Mapped[Optional[str]] = fields.Text(_l("Notes"))
    company_id: Mapped[Optional[int]] = fields.Many2one("res.company", _l("Company"))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


class Groups:
    _name = "res.groups"
    _description = _l("Access group")
    _order = "category, name"

    name: Mapped[str] = fields.Char(_l("Name"), required=True, translate=True)
    category: Mapped[Optional[str]] = fields.Char(_l("Application"), size=128, translate=True)
    comment: Mapped[Optional[str]] = fields.Text(_l("Description"), translate=True)
    implied_ids = fields.Many2many("res.groups", _l("Inherits"), relation="res_groups_implied_rel",
                                   column1="gid", column2="hid")
    users = fields.Many2many("res.users", _l("Users"), relation="res_groups_users_rel",
                             column1="gid", column2="uid")


def user_company(env: Any) -> int | None:
    """The creating user's company, else the main company (the default of documents'
    ``company_id``)."""
    user = env.session.get(env.registry["res.users"], env.uid) if env.uid else None
    if user is not None and user.company_id:
        return user.company_id
    return env.ref_id("base.main_company", raise_if_not_found=False)


class Users:
    _name = "res.users"
    _description = _l("User")
    _order = "login"

    login: Mapped[str] = fields.Char(_l("Login"), size=128, required=True, unique=True,
                                     code=True)
    name: Mapped[str] = fields.Char(_l("Name"), required=True, translate=True)
    password: Mapped[Optional[str]] = fields.Password(_l("Password"))
    email: Mapped[Optional[str]] = fields.Char(_l("Email"))
    lang: Mapped[Optional[str]] = fields.Selection(LANGUAGES, _l("Language"), default="en")
    company_id: Mapped[Optional[int]] = fields.Many2one("res.company", _l("Company"),
                                                        default=user_company)
    notification_type: Mapped[Optional[str]] = fields.Selection(
        [("email", _l("In the app and by e-mail")), ("inbox", _l("In the app only"))],
        _l("Notifications"), default="email")
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)
    groups_id = fields.Many2many("res.groups", _l("Groups"), relation="res_groups_users_rel",
                                 column1="uid", column2="gid")
    #: bumped to end every session of the user on every worker (the cookie carries the value
    #: it was signed with; the user loader compares them)
    session_generation: Mapped[int] = fields.Integer(
        _l("Session generation"), default=0, groups=("base.group_system",))

    def write(self, vals: dict[str, Any]) -> None:
        """A new password ends the user's sessions (others keep theirs only by logging in)."""
        if "password" in vals and "session_generation" not in vals:
            vals = {**vals, "session_generation": (self.session_generation or 0) + 1}
        super().write(vals)  # type: ignore[misc]

    @public
    def action_logout_everywhere(self) -> bool:
        """End every session of this user, on every worker and device."""
        self.session_generation = (self.session_generation or 0) + 1
        return True


class ModelAccess:
    _name = "ir.model.access"
    _description = _l("Access right")
    _order = "model, id"

    name: Mapped[str] = fields.Char(_l("Name"), required=True, code=True)
    model: Mapped[str] = fields.Char(_l("Model"), size=128, required=True, index=True, code=True)
    group_id: Mapped[Optional[int]] = fields.Many2one("res.groups", _l("Group"),
                                                      ondelete="CASCADE")
    perm_read: Mapped[bool] = fields.Boolean(_l("Read"))
    perm_write: Mapped[bool] = fields.Boolean(_l("Write"))
    perm_create: Mapped[bool] = fields.Boolean(_l("Create"))
    perm_unlink: Mapped[bool] = fields.Boolean(_l("Delete"))
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


class Rule:
    _name = "ir.rule"
    _description = _l("Record rule")
    _order = "model, name"

    name: Mapped[str] = fields.Char(_l("Name"), required=True, translate=True)
    model: Mapped[str] = fields.Char(_l("Model"), size=128, required=True, index=True, code=True)
    domain_force: Mapped[str] = fields.Text(_l("Domain"), required=True, code=True)
    groups = fields.Many2many("res.groups", _l("Groups"), relation="rule_group_rel",
                              column1="rule_group_id", column2="group_id")
    perm_read: Mapped[bool] = fields.Boolean(_l("Apply for read"), default=True)
    perm_write: Mapped[bool] = fields.Boolean(_l("Apply for write"), default=True)
    perm_create: Mapped[bool] = fields.Boolean(_l("Apply for create"), default=True)
    perm_unlink: Mapped[bool] = fields.Boolean(_l("Apply for delete"), default=True)
    active: Mapped[bool] = fields.Boolean(_l("Active"), default=True)


MODELS = [Currency, Company, Partner, Groups, Users, ModelAccess, Rule]

# workflow engine, sequences, chatter and attachments (issue 4), each in its own module
from .mail_models import MAIL_MODELS  # noqa: E402
from .sequence_models import SEQUENCE_MODELS  # noqa: E402
from .workflow_models import WORKFLOW_MODELS  # noqa: E402

MODELS += [*SEQUENCE_MODELS, *WORKFLOW_MODELS, *MAIL_MODELS]
