"""Computed and related fields: what each one depends on, worked out once per registry.

A field declared with ``compute="_compute_amounts"`` gets its value from that method of the model,
called on each record (``self``) and assigning the field; the method's :func:`core.depends`
(and the field's ``depends=``) name what it reads: fields of the record and dotted paths through
many2one, one2many and many2many fields. A field declared with ``related="order_id.partner_id"``
is computed the same way from the end of a many2one path. Fields that share a compute method
are computed together.

With ``store=True`` the value is a column: :mod:`core.recompute` recomputes it in the same
transaction whenever a dependency changes, in one batch per model method for all the records
concerned, so it can be searched, sorted and grouped by like any column. Without it, the value is
computed when it is read. Either way it is read-only: the model service refuses a value that
would change it.

This module builds the :class:`ComputeGraph` of a registry: the compute *nodes*, in an order where
a node comes after every node it reads from, and the *triggers*: for each (model, field), which
nodes to recompute and through which path back to their records. A dependency path that does
not exist, a compute method that is missing or a cycle is an :class:`~core.errors.AddonError`
when the registry is built, naming the field.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .errors import AddonError
from .i18n import _

if TYPE_CHECKING:
    from .fields import FieldInfo
    from .registry import Registry

__all__ = ["ComputeGraph", "Node", "Trigger", "Path", "build_graph"]

#: relational fields followed from a node's model, the last one ending at the changed model
Path = tuple["FieldInfo", ...]
_RELATIONAL = ("many2one", "one2many", "many2many")


@dataclasses.dataclass(eq=False)
class Node:
    """One compute method of a model (or one related field) and the fields it sets."""

    model: str
    method: str | None
    fields: list[FieldInfo]
    stored: bool
    sudo: bool
    #: full dependency paths, each ending with the field read
    paths: list[tuple[FieldInfo, ...]] = dataclasses.field(default_factory=list)
    #: position in the graph's order (a node after every node it reads from)
    rank: int = 0
    #: ``id()`` of every stored node it reads from, directly or not
    upstream: frozenset[int] = frozenset()
    #: a stored compute method reading only plain (not computed, not relational) fields of the
    #: record itself, without inverse nor tracking: computed before the flush that writes
    #: its record (:func:`core.recompute._compute_local`)
    local: bool = False

    @property
    def label(self) -> str:
        return ", ".join(f"{self.model}.{info.name}" for info in self.fields)

    def prefetch_paths(self) -> list[Path]:
        """The relational part of each dependency path (what to load in bulk before computing)."""
        result = []
        for path in self.paths:
            relational = tuple(path if path[-1].type in _RELATIONAL else path[:-1])
            cut = [i for i, step in enumerate(relational)
                   if step.computed and step.type in ("one2many", "many2many")]
            relational = relational[:cut[0]] if cut else relational  # computed when read
            if relational and relational not in result:
                result.append(relational)
        return result

    def compute(self, record: Any) -> None:
        """Set this node's fields on ``record``."""
        if self.method is not None:
            getattr(record, self.method)()
            return
        self.relate(record, complete=False)

    def relate(self, record: Any, complete: bool = True) -> bool:
        """Set this related node's field on ``record`` from the end of its path; with
        ``complete``, only if every step holds a record (else leave it and answer False)."""
        info = self.fields[0]
        value = record
        session = record.env.session
        *steps, last = (info.related or "").split(".")
        for name in steps:
            target = getattr(value, name)
            value = session.get(record.__models__[value.__fields__[name].comodel], target) \
                if target else None
            if value is None:
                if complete:
                    return False
                break
        setattr(record, info.name, getattr(value, last) if value is not None else None)
        return True


@dataclasses.dataclass(frozen=True)
class Trigger:
    """A change of some field recomputes ``node`` for the records reaching the changed ones
    through ``path`` (empty: the changed records themselves)."""

    node: Node
    path: Path

    @property
    def key(self) -> tuple[int, tuple[str, ...]]:
        """Hashable identity: the node and the path's field names."""
        return id(self.node), tuple(f"{f.model}.{f.name}" for f in self.path)


class ComputeGraph:
    """The compute nodes and triggers of one registry."""

    def __init__(self) -> None:
        #: ``(model, field)`` → the node computing that field
        self.nodes: dict[tuple[str, str], Node] = {}
        #: ``(model, field)`` → what a change of that field recomputes
        self.triggers: dict[tuple[str, str], list[Trigger]] = defaultdict(list)
        #: model → its stored nodes (computed for every new record)
        self.stored: dict[str, list[Node]] = defaultdict(list)
        #: model → names of its fields that trigger something
        self.watched: dict[str, set[str]] = defaultdict(set)
        self.order: list[Node] = []

    def node_of(self, model: str, field: str) -> Node | None:
        return self.nodes.get((model, field))

    def unique_nodes(self) -> Iterator[Node]:
        seen: set[int] = set()
        for node in self.nodes.values():
            if id(node) not in seen:
                seen.add(id(node))
                yield node


def build_graph(registry: Registry) -> ComputeGraph:
    """The :class:`ComputeGraph` of ``registry`` (checked: see the module docstring)."""
    graph = ComputeGraph()
    declared: dict[int, tuple[str, ...]] = {}
    for model, cls in registry.models.items():
        by_method: dict[str, Node] = {}
        for info in cls.__fields__.values():
            if not info.computed:
                continue
            sudo = info.stored if info.compute_sudo is None else info.compute_sudo
            if info.related:
                node = Node(model, None, [info], info.stored, sudo)
                deps: tuple[str, ...] = (info.related, *info.depends)
            else:
                for name in (info.compute, info.inverse):
                    if name is not None and not callable(getattr(cls, name, None)):
                        raise AddonError(_("The field %(field)s of %(model)s (%(addon)s) is "
                                           "computed by %(method)s, which the model does not "
                                           "have.", field=info.name, model=model,
                                           addon=info.addon, method=name))
                node = by_method.get(info.compute or "")
                if node is None:
                    node = by_method[info.compute or ""] = Node(model, info.compute, [],
                                                                 info.stored, sudo)
                elif node.stored != info.stored:
                    raise AddonError(_("The fields %(fields)s of %(model)s share the compute "
                                       "method %(method)s: all of them or none must be stored.",
                                       fields=", ".join((node.fields[0].name, info.name)),
                                       model=model, method=info.compute))
                node.fields.append(info)
                deps = (*info.depends, *_method_depends(cls, info.compute or ""))
            graph.nodes[(model, info.name)] = node
            declared[id(node)] = tuple(dict.fromkeys((*declared.get(id(node), ()), *deps)))
    for node in graph.unique_nodes():
        for info in node.fields:
            info.all_depends = declared[id(node)]
        node.paths = [path for dep in declared[id(node)]
                      for path in _expand(registry, graph, declared, node, dep, 0)]
        if node.method is None:
            _check_related(registry, node)
        if node.stored:
            _check_stored_paths(node)
            node.local = node.method is not None and bool(node.paths) and all(
                len(path) == 1 and path[0].type not in _RELATIONAL and not path[0].computed
                for path in node.paths) and not any(
                info.inverse or info.tracking for info in node.fields)
            graph.stored[node.model].append(node)
            for path in node.paths:
                _add_triggers(graph, node, path)
    graph.order = _ordered(graph)
    for rank, node in enumerate(graph.order):
        node.rank = rank
    return graph


def _method_depends(cls: type, method: str) -> tuple[str, ...]:
    """The ``@depends`` of ``method`` in every fragment that defines it (an override adds to
    what it overrides); a function among them gives the paths for the model ``cls``."""
    found: list[str] = []
    for klass in reversed(cls.__mro__):
        func = klass.__dict__.get(method)
        func = getattr(func, "__func__", func)
        for dep in getattr(func, "__kangyi_depends__", ()):
            found += dep(cls) if callable(dep) else (dep,)
    return tuple(found)


def _resolve(registry: Registry, node: Node, dep: str) -> tuple[FieldInfo, ...]:
    """The fields along the dotted ``dep`` from ``node``'s model."""
    model = node.model
    path: list[FieldInfo] = []
    names = dep.split(".")
    for index, name in enumerate(names):
        info = registry[model].__fields__.get(name) if model in registry else None
        if info is None or (index < len(names) - 1 and info.type not in _RELATIONAL):
            raise AddonError(_("The field %(field)s of %(model)s (%(addon)s) depends on "
                               "%(path)s, which %(target)s does not have.",
                               field=node.fields[0].name, model=node.model,
                               addon=node.fields[0].addon, path=dep,
                               target=".".join((model, name))))
        path.append(info)
        model = info.comodel or ""
    return tuple(path)


def _expand(registry: Registry, graph: ComputeGraph, declared: dict[int, tuple[str, ...]],
            node: Node, dep: str, depth: int) -> list[tuple[FieldInfo, ...]]:
    """``dep`` as paths of fields; a field computed on read is replaced by what it reads."""
    path = _resolve(registry, node, dep)
    last = path[-1]
    inner = graph.node_of(last.model, last.name)
    if inner is None or inner.stored:
        return [path]
    if depth > 8:
        raise AddonError(_("The computed fields %(fields)s depend on each other in a cycle.",
                           fields=node.label))
    prefix = ".".join(f.name for f in path[:-1])
    result = [path]
    for inner_dep in declared[id(inner)]:
        full = f"{prefix}.{inner_dep}" if prefix else inner_dep
        result += _expand(registry, graph, declared, node, full, depth + 1)
    return result


def _check_related(registry: Registry, node: Node) -> None:
    info = node.fields[0]
    path = node.paths[0]
    target = path[-1]
    if any(step.type != "many2one" for step in path[:-1]) or target.type != info.type or (
            info.comodel != target.comodel):
        raise AddonError(_("The related field %(field)s of %(model)s (%(addon)s) must follow "
                           "many2one fields to a field of its own type (%(path)s is a %(type)s).",
                           field=info.name, model=node.model, addon=info.addon,
                           path=info.related, type=target.type))


def _check_stored_paths(node: Node) -> None:
    """A stored field cannot depend through a computed x2many: nothing finds the records to
    recompute from a change at its far end (depend on what the x2many is computed from)."""
    for path in node.paths:
        if any(step.computed and step.type in ("one2many", "many2many") for step in path[:-1]):
            raise AddonError(_("The stored field %(field)s of %(model)s (%(addon)s) depends "
                               "through the computed field %(path)s: depend on what that field "
                               "is computed from.", field=node.fields[0].name, model=node.model,
                               addon=node.fields[0].addon,
                               path=".".join(step.name for step in path)))


def _add_triggers(graph: ComputeGraph, node: Node, path: tuple[FieldInfo, ...]) -> None:
    for index, info in enumerate(path):
        _trigger(graph, info.model, info.name, Trigger(node, path[:index]))
        if info.type == "one2many":  # a line moving to another document changes both
            _trigger(graph, info.comodel or "", info.inverse_name or "",
                     Trigger(node, path[:index + 1]))


def _trigger(graph: ComputeGraph, model: str, field: str, trigger: Trigger) -> None:
    triggers = graph.triggers[(model, field)]
    if all(t.key != trigger.key for t in triggers):
        triggers.append(trigger)
        graph.watched[model].add(field)


def _ordered(graph: ComputeGraph) -> list[Node]:
    """Stored nodes, each after the stored nodes it reads from (Kahn's algorithm)."""
    nodes = [n for n in graph.unique_nodes() if n.stored]
    after: dict[int, set[int]] = {id(n): set() for n in nodes}
    for node in nodes:
        for path in node.paths:
            for info in path:
                source = graph.node_of(info.model, info.name)
                if source is not None and source.stored and source is not node:
                    after[id(node)].add(id(source))
                elif source is node:
                    raise AddonError(_("The computed fields %(fields)s depend on each other in a "
                                       "cycle.", fields=node.label))
    by_id = {id(n): n for n in nodes}
    for node in nodes:
        seen, stack = set(), list(after[id(node)])
        while stack:
            source = stack.pop()
            if source not in seen:
                seen.add(source)
                stack.extend(after[source])
        node.upstream = frozenset(seen)
    ordered: list[Node] = []
    done: set[int] = set()
    while len(ordered) < len(nodes):
        ready = [n for n in nodes if id(n) not in done and after[id(n)] <= done]
        if not ready:
            stuck = [by_id[i].label for i in after if i not in done]
            raise AddonError(_("The computed fields %(fields)s depend on each other in a cycle.",
                               fields="; ".join(stuck)))
        for n in ready:
            done.add(id(n))
            ordered.append(n)
    return ordered
