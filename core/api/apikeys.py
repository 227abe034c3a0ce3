"""API keys and the credential checks of the APIs.

A key is 40 random hex digits (160 bits), shown once. The database keeps its first 8 digits, to
find it with an index, and its SHA-256 digest. A slow salted hash (scrypt) protects guessable
passwords; a key is not guessable, so a fast digest is as safe and costs microseconds per request,
where scrypt would cost ~75 ms on every REST or RPC call.

Odoo's clients send the password on every call, and Odoo accepts an API key in its place: so does
:func:`check_uid`. Password checks that succeeded are remembered per process for a few minutes,
keyed by a digest of (user, stored hash, password): changing or resetting the password changes the
stored hash and so invalidates the entry at once, and a deactivated user is refused before the cache
is consulted.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import select

from .. import throttle
from ..base.apikeys import PREFIX_LENGTH
from ..env import Environment
from ..errors import AccessError, MissingError
from ..i18n import _
from ..users import check_credentials

__all__ = ["generate_key", "key_owner", "authenticate", "check_uid", "uid_of_login",
           "list_keys", "KEY_MODEL"]

KEY_MODEL = "res.users.apikeys"
#: the throttle's login for API key guesses (per address)
_API_KEY = "\x1fapi key"
_KEY_LENGTH = 40
_CACHE_SIZE = 512
_CACHE_SECONDS = 600.0


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _looks_like_key(secret: str) -> bool:
    return len(secret) == _KEY_LENGTH and all(c in "0123456789abcdef" for c in secret)


def generate_key(env: Environment, user_id: int, name: str) -> str:
    """Create an API key for ``user_id`` and return it (the only time it is seen in clear).

    The acting user may create keys for themselves; an administrator for anyone.
    """
    if not env.su and env.uid != user_id and not env.access.is_admin:
        raise AccessError(_("You may only create API keys for yourself."))
    users = env.registry["res.users"]
    if env.session.scalar(select(users.id).where(users.id == user_id,
                                                 users.active.is_(True))) is None:
        raise MissingError(_("The user %(uid)s does not exist or is archived.", uid=user_id))
    key = secrets.token_hex(_KEY_LENGTH // 2)
    keys = env.sudo()[KEY_MODEL]
    key_id = keys.create({"name": name, "user_id": user_id, "key_prefix": key[:PREFIX_LENGTH]})
    assert isinstance(key_id, int)
    keys.browse_unchecked([key_id])[0].key_hash = _digest(key)
    env.session.flush()
    return key


def uid_of_login(env: Environment, login: str) -> int:
    """The id of the user ``login`` (archived or not)."""
    users = env.registry["res.users"]
    uid = env.session.scalar(select(users.id).where(users.login == login))
    if uid is None:
        raise MissingError(_("There is no user with the login %(login)s.", login=login))
    return int(uid)


def list_keys(env: Environment, login: str | None = None) -> list[dict[str, Any]]:
    """The keys ``env``'s user may see (of ``login`` only, if given), with their owner's login."""
    domain = [("user_id", "=", uid_of_login(env, login))] if login else []
    keys = env[KEY_MODEL].search_read(domain, ["name", "user_id", "key_prefix", "create_date"],
                                      order="id")
    users = env.registry["res.users"]
    ids = {row["user_id"][0] for row in keys}
    login_of = dict(env.session.execute(
        select(users.id, users.login).where(users.id.in_(ids))).all())
    return [{**row, "login": login_of.get(row["user_id"][0], "")} for row in keys]


def key_owner(env: Environment, key: str) -> int | None:
    """The id of the active user owning ``key``, else None."""
    if not isinstance(key, str) or not _looks_like_key(key):
        return None
    failures = throttle.guard(env, _API_KEY)
    cls = env.registry[KEY_MODEL]
    users = env.registry["res.users"]
    digest = _digest(key)
    rows = env.session.execute(
        select(cls.user_id, cls.key_hash).join(users, users.id == cls.user_id)
        .where(cls.key_prefix == key[:PREFIX_LENGTH], users.active.is_(True)))
    owner = next((int(user_id) for user_id, key_hash in rows
                  if key_hash and hmac.compare_digest(key_hash, digest)), None)
    throttle.record(env, _API_KEY, owner is not None, failures)
    return owner


def authenticate(env: Environment, login: str, secret: str) -> int | None:
    """The uid for ``login`` and a password or API key of that user, else None."""
    if not isinstance(login, str) or not isinstance(secret, str) or not login or not secret:
        return None
    if _looks_like_key(secret):
        owner = key_owner(env, secret)
        if owner is not None and _login_of(env, owner) == login:
            return owner
    return check_credentials(env, login, secret)


def check_uid(env: Environment, uid: object, secret: object) -> bool:
    """Is ``secret`` the password or an API key of the active user ``uid``? (every RPC call)"""
    if isinstance(uid, bool) or not isinstance(uid, int) or not isinstance(secret, str):
        return False
    if not secret:
        return False
    if _looks_like_key(secret) and key_owner(env, secret) == uid:
        return True
    users = env.registry["res.users"]
    row = env.session.execute(select(users.login, users.password).where(
        users.id == uid, users.active.is_(True))).first()
    if row is None or not row.password:
        return False
    cache = _cache()
    token = _digest(f"{uid}\x00{row.password}\x00{secret}")
    if cache is not None and cache.fresh(token):
        return True
    if check_credentials(env, row.login, secret) != uid:
        return False
    if cache is not None:
        cache.add(token)
    return True


def _login_of(env: Environment, uid: int) -> str | None:
    users = env.registry["res.users"]
    return env.session.scalar(select(users.login).where(users.id == uid))


class _VerifiedCache:
    """Digests of recently verified (user, stored hash, password) triples, bounded, expiring."""

    def __init__(self) -> None:
        self.entries: OrderedDict[str, float] = OrderedDict()
        self.lock = threading.Lock()

    def fresh(self, token: str) -> bool:
        added = self.entries.get(token)
        return added is not None and time.monotonic() - added < _CACHE_SECONDS

    def add(self, token: str) -> None:
        with self.lock:
            self.entries[token] = time.monotonic()
            self.entries.move_to_end(token)
            while len(self.entries) > _CACHE_SIZE:
                self.entries.popitem(last=False)


def _cache() -> _VerifiedCache | None:
    if not has_app_context():
        return None
    return current_app.extensions.setdefault("kangyi_api_credentials", _VerifiedCache())
