"""Helpers shared by the generic web views: model services, views, URLs, access probes."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from flask import abort, g, request
from werkzeug.datastructures import MultiDict

from ..domain import normalize
from ..errors import AccessError, DomainError, KangyiError
from ..i18n import _
from ..service import ModelService
from ..views import views_of


def service(model: str) -> ModelService:
    """``g.env[model]``: the model service of the acting user (404 for unknown models)."""
    if model not in g.env.registry:
        abort(404, _("The model %(model)s does not exist (is its addon installed?).",
                     model=model))
    return g.env[model]


def view(model: str, kind: str) -> Any:
    spec = views_of(g.env.registry).get(model, kind)
    if spec is None:
        abort(404, _("%(model)s has no %(kind)s view.", model=model, kind=kind))
    return spec


def readable(svc: ModelService) -> dict[str, Any]:
    """The fields the user may read, by name (the names of ``fields_get()``, without building
    each field's translated description: a page needs only the names)."""
    access = svc.env.access
    access.check(svc._name, "read")
    return {name: info for name, info in svc.fields.items()
            if info.type != "binary" and access.field_allowed(info)}


def model_label(svc: ModelService) -> str:
    return str(svc.cls._description or svc._name)


def _record_checks() -> dict[tuple[Any, ...], KangyiError | None]:
    """This request's record checks by model, operation, record and user; a page that only
    reads (GET) checks each once (the form, its edit mode and its panels ask the same), a POST
    afresh each time."""
    return g.setdefault("kangyi_record_checks", {}) if request.method == "GET" else {}


def _key(svc: ModelService, operation: str, record_id: int) -> tuple[Any, ...]:
    return svc._name, operation, int(record_id), svc.env.uid, svc.env.su


def record_check(svc: ModelService, operation: str, record_id: int) -> KangyiError | None:
    """Why the user may not perform ``operation`` on the record (rules included), or None."""
    memo = _record_checks()
    key = _key(svc, operation, record_id)
    if key not in memo:
        try:
            if _exists(memo, svc, record_id):  # proven by another check of this request
                svc.env.access.check(svc._name, operation)
                svc._check_rules([int(record_id)], operation)  # no query without a rule
            else:
                svc._check_ids([int(record_id)], operation)
            memo[key] = None
        except KangyiError as exc:
            memo[key] = exc
    return memo[key]


def _exists(memo: dict[tuple[Any, ...], KangyiError | None], svc: ModelService,
            record_id: int) -> bool:
    """Whether a check of this request found the record (it passed another operation's)."""
    return any(memo.get(_key(svc, operation, record_id), False) is None
               for operation in ("read", "write", "unlink", "create"))


def mark_allowed(svc: ModelService, operation: str, record_id: int) -> None:
    """The page has just performed ``operation`` on the record as the user (e.g. read it)."""
    _record_checks()[_key(svc, operation, record_id)] = None


def can(svc: ModelService, operation: str, record_id: int | None = None) -> bool:
    """May the user perform ``operation`` on the model (and on ``record_id``, rules included)?"""
    if not svc.env.access.allowed(svc._name, operation):
        return False
    return record_id is None or record_check(svc, operation, record_id) is None


def request_domain(args: MultiDict[str, str]) -> list[Any]:
    """The drill-down domain passed in the URL (``domain=`` JSON), validated for shape."""
    text = args.get("domain", "")
    if not text:
        return []
    try:
        value = json.loads(text)
        return normalize([tuple(v) if isinstance(v, list) else v for v in value])
    except (ValueError, TypeError, DomainError) as exc:
        raise DomainError(_("The search in the address is not valid.")) from exc


def resolve_names(comodel: str, ids: list[int]) -> dict[int, str]:
    """Display names for many2many tags; ids the user may not read show as numbers."""
    try:
        return g.env[comodel].display_names(ids)
    except AccessError:
        return {}


def query_args(**changes: Any) -> dict[str, Any]:
    """The current query string with ``changes`` applied (None removes a key)."""
    args: dict[str, Any] = {k: request.args.getlist(k) for k in request.args}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return args


def local_url(target: str | None, default: str) -> str:
    """``target`` when it is a path on this site, else ``default``: no open redirect through
    ``//host``, ``/\\host``, a scheme, or control characters and spaces that browsers drop
    (``/%09/evil.example`` is ``//evil.example`` to them)."""
    if not target or not target.startswith("/") or target[1:2] in ("/", "\\"):
        return default
    if any(ch.isspace() or ord(ch) < 32 or ch == "\\" or ord(ch) == 127 for ch in target):
        return default
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else default
