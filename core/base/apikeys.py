"""API keys (``res.users.apikeys``): long random secrets that stand in for a password.

The key itself is shown once, when it is generated (:func:`core.api.apikeys.generate_key`); the
database keeps its first characters (``key_prefix``, to find it quickly and to let a user tell
keys apart) and a SHA-256 digest in ``key_hash``. ``key_hash`` is a plain column, not a field: no
door (UI, REST, RPC) can read, search or write it. Users see and revoke their own keys; admins see
everyone's. Nobody creates keys through the generic model service (no access right grants
``create``): the generator checks who asks and writes the digest itself.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core import fields
from core.i18n import _l
from core.security import Access, Rule

__all__ = ["ApiKey", "APIKEY_ACCESS", "APIKEY_RULES", "PREFIX_LENGTH"]

#: characters of the key kept in clear to look it up (out of 40)
PREFIX_LENGTH = 8


class ApiKey:
    _name = "res.users.apikeys"
    _description = _l("API key")
    _order = "id desc"

    name: Mapped[str] = fields.Char(_l("Description"), required=True)
    user_id: Mapped[int] = fields.Many2one("res.users", _l("User"), required=True,
                                           ondelete="CASCADE", readonly=True)
    key_prefix: Mapped[str] = fields.Char(_l("Key starts with"), size=PREFIX_LENGTH,
                                          required=True, index=True, readonly=True)
    key_hash: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)


APIKEY_ACCESS = [
    Access("base.access_res_users_apikeys_user", "res.users.apikeys", "base.group_user",
           read=True, unlink=True),
]

APIKEY_RULES = [
    Rule("base.rule_apikeys_own", _l("Own API keys"), "res.users.apikeys",
         "[('user_id', '=', user.id)]", groups=("base.group_user",)),
    Rule("base.rule_apikeys_admin", _l("All API keys"), "res.users.apikeys",
         "[(1, '=', 1)]", groups=("base.group_system",)),
]
