"""``ir.model`` and ``ir.model.fields``, served from the registry for the APIs.

Scripts written for Odoo discover models and fields by reading these two models. Kangyi's
registry already knows both, exactly and in step with the installed addons, so they are answered
from it instead of from tables that would have to be kept in sync: read-only, with the usual
``search``/``search_count``/``read``/``search_read``/``fields_get``/``name_search`` methods.

Access: the acting user sees the models they may read (model access rights) and, of those, the
fields their groups may see. Ids are derived from the names (CRC-32), so they stay the same across
workers and when other addons are installed.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from functools import cached_property
from typing import Any

from ..domain import normalize
from ..env import Environment
from ..errors import AccessError, DomainError, MissingError, ValidationError
from ..i18n import _
from ..values import describe

__all__ = ["VIRTUAL_MODELS", "VirtualModel"]

_MODEL_FIELDS: dict[str, tuple[str, str]] = {
    "id": ("integer", "ID"), "model": ("char", "Model"), "name": ("char", "Model description"),
    "info": ("text", "Information"), "modules": ("char", "In apps"),
    "transient": ("boolean", "Transient model"), "state": ("char", "Type"),
}
_FIELD_FIELDS: dict[str, tuple[str, str]] = {
    "id": ("integer", "ID"), "name": ("char", "Field name"), "model": ("char", "Model name"),
    "model_id": ("many2one", "Model"), "field_description": ("char", "Field label"),
    "ttype": ("char", "Field type"), "relation": ("char", "Related model"),
    "relation_field": ("char", "Relation field"), "required": ("boolean", "Required"),
    "readonly": ("boolean", "Readonly"), "store": ("boolean", "Stored"),
    "help": ("text", "Field help"), "size": ("integer", "Size"), "modules": ("char", "In apps"),
    "state": ("char", "Type"),
}


def _stable_ids(keys: Sequence[str]) -> dict[str, int]:
    """A positive 31-bit id per key from its CRC-32, probing upwards on a collision."""
    taken: set[int] = set()
    result = {}
    for key in sorted(keys):
        number = zlib.crc32(key.encode("utf-8")) & 0x7FFFFFFF or 1
        while number in taken:
            number = number % 0x7FFFFFFF + 1
        taken.add(number)
        result[key] = number
    return result


class VirtualModel:
    """The model-service surface of ``ir.model`` or ``ir.model.fields`` for one environment."""

    def __init__(self, env: Environment, name: str) -> None:
        self.env = env
        self._name = name
        self.columns = _MODEL_FIELDS if name == "ir.model" else _FIELD_FIELDS

    @cached_property
    def _readable_models(self) -> list[str]:
        access = self.env.access
        return sorted(m for m in self.env.registry if access.allowed(m, "read"))

    @cached_property
    def _model_ids(self) -> dict[str, int]:
        return _stable_ids(list(self.env.registry))

    @cached_property
    def rows(self) -> dict[int, dict[str, Any]]:
        """Every row the user may see, by id."""
        if self.env.uid is None:
            raise AccessError(_("Log in to read %(model)s.", model=self._name))
        registry = self.env.registry
        if self._name == "ir.model":
            rows = [{"id": self._model_ids[m], "model": m,
                     "name": str(registry[m]._description or m), "info": "",
                     "modules": ", ".join(registry[m].__addons__), "transient": False,
                     "state": "base"} for m in self._readable_models]
            return {row["id"]: row for row in rows}
        allowed = self.env.access.field_allowed
        infos = [(m, info) for m in self._readable_models
                 for info in registry[m].__fields__.values() if allowed(info)]
        ids = _stable_ids([f"{m},{info.name}" for m, info in infos])
        rows = []
        for model, info in infos:
            desc = describe(info)
            rows.append({
                "id": ids[f"{model},{info.name}"], "name": info.name, "model": model,
                "model_id": self._model_ids[model], "field_description": desc["string"],
                "ttype": desc["type"], "relation": info.comodel or "",
                "relation_field": info.inverse_name or "", "required": info.required,
                "readonly": info.readonly, "store": info.stored, "help": desc["help"],
                "size": info.size or 0, "modules": info.addon or "base", "state": "base"})
        return {row["id"]: row for row in rows}

    # -- the model-service surface -------------------------------------------------------------

    def fields_get(self, allfields: Sequence[str] | None = None,
                   attributes: Sequence[str] | None = None) -> dict[str, dict[str, Any]]:
        result = {}
        for name, (ftype, label) in self.columns.items():
            if allfields and name not in allfields:
                continue
            desc: dict[str, Any] = {"type": ftype, "string": label, "required": False,
                                    "readonly": True, "store": True, "sortable": True,
                                    "searchable": True, "help": "", "name": name}
            if ftype == "many2one":
                desc["relation"] = "ir.model"
            if attributes:
                desc = {k: v for k, v in desc.items() if k in attributes}
            result[name] = desc
        return result

    def search(self, domain: Sequence[Any] | None = None, offset: int = 0,
               limit: int | None = None, order: str | None = None,
               count: bool = False) -> list[int] | int:
        tree = _parse_domain(normalize(domain or []))
        found = [row for row in self.rows.values() if _matches(row, tree, self.columns)]
        if count:
            return len(found)
        for name, descending in reversed(self._order(order)):
            found.sort(key=lambda row, n=name: (row[n] is None, row[n]), reverse=descending)
        ids = [row["id"] for row in found]
        start = int(offset or 0)
        return ids[start:start + int(limit)] if limit else ids[start:]

    def search_count(self, domain: Sequence[Any] | None = None, limit: int | None = None) -> int:
        count = self.search(domain, count=True)
        assert isinstance(count, int)
        return min(count, int(limit)) if limit else count

    def read(self, ids: int | Sequence[int], fields: Sequence[str] | None = None,
             load: str = "_classic_read") -> list[dict[str, Any]]:
        ids = [ids] if isinstance(ids, int) else [int(i) for i in ids]
        missing = [i for i in ids if i not in self.rows]
        if missing:
            raise MissingError(_("Record does not exist or has been deleted: %(model)s %(ids)s",
                                 model=self._name, ids=missing))
        names = list(fields or self.columns)
        unknown = [n for n in names if n not in self.columns]
        if unknown:
            raise ValidationError(_("Unknown field %(field)s on %(model)s.",
                                    field=unknown[0], model=self._name))
        model_names = {v: k for k, v in self._model_ids.items()}
        result = []
        for i in ids:
            row = {"id": i, **{n: self.rows[i][n] for n in names if n != "id"}}
            if "model_id" in row and load == "_classic_read":
                row["model_id"] = [row["model_id"], model_names[row["model_id"]]]
            result.append(row)
        return result

    def search_read(self, domain: Sequence[Any] | None = None,
                    fields: Sequence[str] | None = None, offset: int = 0,
                    limit: int | None = None, order: str | None = None) -> list[dict[str, Any]]:
        ids = self.search(domain, offset, limit, order)
        assert isinstance(ids, list)
        return self.read(ids, fields)

    def name_search(self, name: str = "", args: Sequence[Any] | None = None,
                    operator: str = "ilike", limit: int = 100) -> list[tuple[int, str]]:
        key = "model" if self._name == "ir.model" else "name"
        domain = [(key, operator, name), *(args or [])] if name else list(args or [])
        ids = self.search(domain, limit=limit)
        assert isinstance(ids, list)
        return [(i, self.rows[i][key]) for i in ids]

    def read_only(self, *args: Any, **kwargs: Any) -> Any:
        raise AccessError(_("%(model)s is read-only: it describes the installed models.",
                            model=self._name))

    create = write = unlink = read_only

    def _order(self, order: str | None) -> list[tuple[str, bool]]:
        result = []
        for part in (order or "id").split(","):
            tokens = part.split()
            if not tokens:
                continue
            direction = tokens[1].lower() if len(tokens) > 1 else "asc"
            if tokens[0] not in self.columns or direction not in ("asc", "desc") or len(
                    tokens) > 2:
                raise ValidationError(_("Cannot order %(model)s by %(order)r.",
                                        model=self._name, order=part.strip()))
            result.append((tokens[0], direction == "desc"))
        return result


VIRTUAL_MODELS = ("ir.model", "ir.model.fields")


def _parse_domain(domain: list[Any]) -> Any:
    """Prefix notation → nested tuples, leaves side by side joined with AND."""
    items = iter(domain)

    def node(item: Any) -> Any:
        if isinstance(item, str):
            operands = []
            for _i in range(1 if item == "!" else 2):
                nxt = next(items, None)
                if nxt is None:
                    raise DomainError(_("A domain operator is missing an operand."))
                operands.append(node(nxt))
            return (item, *operands)
        return ("leaf", item)

    return ("&", *[node(item) for item in items]) if domain else ("&",)


def _matches(row: dict[str, Any], tree: Any, columns: dict[str, tuple[str, str]]) -> bool:
    kind = tree[0]
    if kind == "&":
        return all(_matches(row, sub, columns) for sub in tree[1:])
    if kind == "|":
        return any(_matches(row, sub, columns) for sub in tree[1:])
    if kind == "!":
        return not _matches(row, tree[1], columns)
    field, op, value = tree[1]
    if (field, op, value) in ((1, "=", 1), (0, "=", 1)):
        return field == 1
    if field not in columns or not isinstance(op, str) or op.lower() not in _TESTS:
        raise DomainError(_("Cannot search %(field)s with %(op)r here.", field=field, op=op))
    actual = row[field]
    if value is False and columns[field][0] != "boolean":
        value = None if op in ("=", "!=", "<>") else value
    try:
        return _TESTS[op.lower()](actual if actual != "" else None, value)
    except TypeError as exc:
        raise DomainError(_("Cannot compare %(field)s with %(value)r.",
                            field=field, value=value)) from exc


def _like(pattern: Any, ignore_case: bool, wrap: bool) -> re.Pattern[str]:
    text = re.escape(str(pattern)).replace("%", ".*").replace("_", ".")
    return re.compile(f".*{text}.*" if wrap else text, re.I if ignore_case else 0)


def _match_like(actual: Any, value: Any, ignore_case: bool, wrap: bool) -> bool:
    return actual is not None and bool(
        _like(value, ignore_case, wrap).fullmatch(str(actual)))


_TESTS: dict[str, Any] = {
    "=": lambda a, v: a == v, "!=": lambda a, v: a != v, "<>": lambda a, v: a != v,
    "=?": lambda a, v: v in (None, False) or a == v,
    ">": lambda a, v: a is not None and a > v, ">=": lambda a, v: a is not None and a >= v,
    "<": lambda a, v: a is not None and a < v, "<=": lambda a, v: a is not None and a <= v,
    "in": lambda a, v: a in (v if isinstance(v, (list, tuple)) else [v]),
    "not in": lambda a, v: a not in (v if isinstance(v, (list, tuple)) else [v]),
    "like": lambda a, v: _match_like(a, v, False, True),
    "ilike": lambda a, v: _match_like(a, v, True, True),
    "not like": lambda a, v: not _match_like(a, v, False, True),
    "not ilike": lambda a, v: not _match_like(a, v, True, True),
    "=like": lambda a, v: _match_like(a, v, False, False),
    "=ilike": lambda a, v: _match_like(a, v, True, False),
}
