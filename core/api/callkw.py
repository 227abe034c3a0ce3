"""``call_kw``: one model method call from the outside, mapped the way Odoo maps it.

``args``/``kwargs`` arrive from XML-RPC, JSON-RPC or the web client. ``context`` is popped from
``kwargs`` and becomes the environment's context. Model-level methods (``search``, ``create``,
``fields_get``…) get the arguments unchanged; record methods (``read``, ``write``, ``unlink``,
public actions such as ``action_confirm``) take the ids first (a list, or one int). Arguments are
bound against the method's signature and their types checked before anything runs, so a wrong
call is a clean error, never a crash. Everything then goes through the model service.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import inspect
from collections.abc import Callable
from typing import Any

from flask_babel import force_locale

from ..env import Environment
from ..errors import AccessError
from ..i18n import _
from ..models import BaseModel
from ..service import ModelService
from .errors import BadRequest, MethodNotFound, UnknownModel
from .irmodel import VIRTUAL_MODELS, VirtualModel
from .openapi import hint_schema, type_hints
from .schema_check import first_problem

__all__ = ["call_kw", "call_public", "model_service", "check_method_name", "odoo_value",
           "with_context"]

#: methods taking the arguments as they come
MODEL_METHODS = frozenset({"search", "search_count", "search_read", "fields_get", "name_search",
                           "read_group", "default_get", "create", "name_create",
                           "check_access_rights", "context_get"})
#: methods whose first argument is the ids
RECORD_METHODS = frozenset({"read", "write", "unlink", "name_get", "exists"})


def check_method_name(method: object) -> str:
    """Refuse names that are not plain public method names (``_private``, dunders, ``init``)."""
    if not isinstance(method, str) or not method:
        raise BadRequest(_("The method name must be a non-empty string."))
    if method.startswith("_") or method == "init":
        raise AccessError(_("Private methods (such as %(method)s) cannot be called remotely.",
                            method=method))
    return method


def model_service(env: Environment, model: object) -> ModelService | VirtualModel:
    """``env[model]``, or the registry-backed ``ir.model``/``ir.model.fields``."""
    if not isinstance(model, str) or not model:
        raise BadRequest(_("The model name must be a non-empty string."))
    if model in VIRTUAL_MODELS:
        return VirtualModel(env, model)
    if model not in env.registry:
        raise UnknownModel(_("Object %(model)s doesn't exist", model=model))
    return env[model]


def with_context(env: Environment, kwargs: dict[str, Any]) -> Environment:
    """Pop ``context`` from ``kwargs`` and return ``env`` with it applied."""
    context = kwargs.pop("context", None)
    if context in (None, False):
        return env
    if not isinstance(context, dict) or not all(isinstance(k, str) for k in context):
        raise BadRequest(_("The context must be a mapping of names to values."))
    return env(context={**env.context, **context})


def call_kw(env: Environment, model: object, method: object, args: Any,
            kwargs: Any = None) -> Any:
    """Run ``model.method(*args, **kwargs)`` for ``env``'s user; the raw (unconverted) result."""
    method = check_method_name(method)
    if not isinstance(args, (list, tuple)):
        raise BadRequest(_("The arguments must be a list."))
    if kwargs in (None, False):
        kwargs = {}
    if not isinstance(kwargs, dict) or not all(isinstance(k, str) for k in kwargs):
        raise BadRequest(_("The keyword arguments must be a mapping."))
    kwargs = dict(kwargs)
    env = with_context(env, kwargs)
    service = model_service(env, model)
    args = list(args)
    with force_locale(_language(env)):
        if method in MODEL_METHODS or method in RECORD_METHODS:
            func = _builtin(env, service, method)
            _bind(func, args, kwargs, f"{model}.{method}")
            return func(*args, **kwargs)
        return call_public(service, method, args, kwargs)


def _language(env: Environment) -> str:
    """The UI language for messages: the context's ``lang`` (Odoo's ``en_US`` means ``en``)."""
    return _LANGUAGES.get(str(env.context.get("lang") or "en"), "en")


_LANGUAGES = {"en": "en", "en_US": "en", "en_GB": "en", "zh_CN": "zh_CN", "zh": "zh_CN"}


def _builtin(env: Environment, service: ModelService | VirtualModel,
             method: str) -> Callable[..., Any]:
    special = {
        "check_access_rights": lambda operation, raise_exception=True: _check_access_rights(
            env, service._name, operation, raise_exception),
        "context_get": lambda: {"lang": env.user.lang or "en", "tz": False, "uid": env.uid},
        "name_get": lambda ids: _name_get(service, ids),
        "name_create": lambda name: _name_create(service, name),
        "search_read": lambda domain=None, fields=None, offset=0, limit=None, order=None,
        load="_classic_read": _search_read(service, domain, fields, offset, limit, order, load),
    }
    if method == "context_get" and service._name != "res.users":
        raise MethodNotFound(_("%(model)s has no method %(method)s.", model=service._name,
                               method=method))
    func = special.get(method) or getattr(service, method, None)
    if func is None:
        raise MethodNotFound(_("%(model)s has no method %(method)s.", model=service._name,
                               method=method))
    return func


def call_public(service: ModelService | VirtualModel, method: str, args: list[Any],
                 kwargs: dict[str, Any]) -> Any:
    """Run the ``@public`` record method ``method`` with ``args = [ids, *rest]``."""
    check_method_name(method)
    if not isinstance(service, ModelService):
        raise MethodNotFound(_("%(model)s has no method %(method)s.", model=service._name,
                               method=method))
    func = getattr(service.cls, method, None)
    if func is None:
        raise MethodNotFound(_("%(model)s has no method %(method)s.", model=service._name,
                               method=method))
    if not getattr(func, "__kangyi_public__", False):
        raise AccessError(_("The method %(method)s of %(model)s is private or does not exist.",
                            method=method, model=service._name))
    if not args:
        raise BadRequest(_("%(model)s.%(method)s needs the record ids as first argument.",
                           model=service._name, method=method))
    ids = _ids(args[0])
    label = f"{service._name}.{method}"
    bound = _bind(func, [None, *args[1:]], kwargs, label)
    hints = type_hints(func)
    for name, value in list(bound.arguments.items()):
        schema = hint_schema(hints.get(name))
        if value is False and schema.get("nullable") and schema.get("type") != "boolean":
            bound.arguments[name] = value = None  # Odoo's "no value"
        problem = first_problem(schema, value, name) if schema else None
        if problem:
            raise BadRequest(_("Invalid value for the argument %(arg)s of %(method)s: "
                               "%(problem)s.", arg=name, method=label, problem=problem[1]))
    return service.call(method, ids, *bound.args[1:], **bound.kwargs)


def _ids(value: Any) -> list[int]:
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, (list, tuple)) and all(
            isinstance(i, int) and not isinstance(i, bool) for i in value):
        return list(value)
    raise BadRequest(_("Record ids must be an integer or a list of integers, not %(value)r.",
                       value=value))


def _check_access_rights(env: Environment, model: str, operation: Any,
                         raise_exception: Any) -> bool:
    if operation not in ("read", "write", "create", "unlink"):
        raise BadRequest(_("Unknown operation %(operation)r.", operation=operation))
    if raise_exception:
        env.access.check(model, operation)
    return env.access.allowed(model, operation)


def _name_get(service: ModelService | VirtualModel, ids: Any) -> list[list[Any]]:
    if isinstance(service, VirtualModel):
        return [[i, n] for i, n in service.name_search(args=[("id", "in", _ids(ids))])]
    return [[record.id, record.display_name] for record in service.browse(_ids(ids))]


def _name_create(service: ModelService | VirtualModel, name: Any) -> list[Any]:
    if not isinstance(service, ModelService) or not isinstance(name, str):
        raise BadRequest(_("name_create needs a name."))
    new_id = service.create({service.cls._rec_name: name})
    assert isinstance(new_id, int)
    return [new_id, service.display_names([new_id])[new_id]]


def _search_read(service: ModelService | VirtualModel, domain: Any, fields: Any, offset: Any,
                 limit: Any, order: Any, load: Any) -> list[dict[str, Any]]:
    if load == "_classic_read" or isinstance(service, VirtualModel):
        return service.search_read(domain, fields, offset, limit, order)
    ids = service.search(domain, offset, limit, order)
    return service.read(ids, fields, load)


# -- checking arguments ------------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _optional(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: value in (None, False) or check(value)


def _str_list(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


_CHECKS: dict[str, Callable[[Any], bool]] = {
    "offset": _optional(lambda v: _is_int(v) and v >= 0),
    "limit": _optional(lambda v: _is_int(v) and v >= 0),
    "order": _optional(lambda v: isinstance(v, str)),
    "orderby": _optional(lambda v: isinstance(v, str)),
    "fields": _optional(_str_list),
    "allfields": _optional(_str_list),
    "attributes": _optional(_str_list),
    "fields_list": _optional(_str_list),
    "domain": _optional(lambda v: isinstance(v, (list, tuple))),
    "args": _optional(lambda v: isinstance(v, (list, tuple))),
    "ids": lambda v: _is_int(v) or (isinstance(v, (list, tuple)) and all(map(_is_int, v))),
    "vals": lambda v: isinstance(v, dict),
    "vals_list": lambda v: isinstance(v, dict) or (
        isinstance(v, (list, tuple)) and all(isinstance(x, dict) for x in v)),
    "groupby": lambda v: isinstance(v, str) or _str_list(v),
    "name": lambda v: isinstance(v, str),
    "operator": lambda v: isinstance(v, str),
    "load": _optional(lambda v: isinstance(v, str)),
    "lazy": lambda v: isinstance(v, bool),
    "count": lambda v: isinstance(v, bool),
}


def _bind(func: Callable[..., Any], args: list[Any], kwargs: dict[str, Any],
          label: str) -> inspect.BoundArguments:
    """Check that ``args``/``kwargs`` fit ``func`` and that well-known parameters are well typed."""
    try:
        bound = inspect.signature(func).bind(*args, **kwargs)
    except TypeError as exc:
        raise BadRequest(_("Wrong arguments for %(method)s: %(error)s", method=label,
                           error=str(exc))) from None
    for name, value in bound.arguments.items():
        check = _CHECKS.get(name)
        if check is not None and not check(value):
            raise BadRequest(_("Invalid value for the argument %(arg)s of %(method)s: "
                               "%(value)r.", arg=name, method=label, value=value))
    return bound


# -- values on the wire ------------------------------------------------------------------------


def odoo_value(value: Any, empty: Any = False) -> Any:
    """``value`` as Odoo sends it: no None (``empty``, False by default), numbers, strings, lists
    and string-keyed dicts; records become their id, bytes base64 text, dates ``YYYY-MM-DD``."""
    if value is None:
        return empty
    if isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, BaseModel):
        return value.id
    if isinstance(value, dict):
        return {str(k): odoo_value(v, empty) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [odoo_value(v, empty) for v in value]
    return str(value)
