"""Keeping stored computed fields right, and computing the others on read.

**Marking.** Every change the ORM flushes is seen by session events, whichever code made it
(the model service, a record method, a workflow transition): a record created, deleted, or a
field that some stored computed field depends on (:class:`core.compute.ComputeGraph` triggers).
Each change marks the compute nodes to rerun with the ids it reached so far: a line's order is
read from the line itself (its old and new order when it moved), a path through a many2one or
many2many is followed later, in one query per step for all the marked ids. A record's deletion
follows its paths at once, before its row goes. Changes made with SQL statements are reported with
:meth:`core.service.ModelService.modified`.

**Recomputing.** :func:`recompute` runs the marked nodes in rounds: each round the nodes that
read from no other marked node, each once for all its records (one query loads the records, one
per relational step of its dependencies loads what they read, :func:`prefetched`; the compute
method runs per record), then one flush writes the changed values together and marks what they
affect for the next round; inside a service call, the values of a last round that can mark
nothing more wait for the call's closing flush or the first statement reading their tables
(:mod:`core.autoflush`). The model service recomputes at the end of each call and before each
read; the transaction does before it commits. So a statement count does
not grow with the number of records changed.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from .autoflush import SELECTIVE
from .fields import PREFETCH, FieldInfo
from .models import columns_loaded
from .values import to_column

if TYPE_CHECKING:
    from .compute import Node, Path, Trigger
    from .env import Environment
    from .registry import Registry

__all__ = ["watch", "recompute", "mark_modified", "compute_values", "prefetched",
           "mark_new_columns"]

#: ``session.info`` key: the marks not yet recomputed
KEY = "kangyi.recompute"
#: ``session.info`` key: ``(id(record), id(node))`` of new records' related fields set before
#: their INSERT (:func:`_relate_new`)
READY = "kangyi.related_ready"
#: ``session.info`` key: ``(trigger key, id)`` of changes whose related fields were set before
#: the flush (:func:`_relate_through_many2one`)
HANDLED = "kangyi.related_handled"


class _Marks:
    """Node and path (by :attr:`Trigger.key`) → ``(trigger, ids at the end of the path)``."""

    def __init__(self) -> None:
        self.pending: dict[Any, tuple[Trigger, set[int]]] = {}
        self.running = False

    def add(self, trigger: Trigger, ids: Iterable[int]) -> None:
        ids = {i for i in ids if i}
        if not ids:
            return
        entry = self.pending.get(trigger.key)
        if entry is None:
            self.pending[trigger.key] = (trigger, ids)
        else:
            entry[1].update(ids)


def _marks(session: Session) -> _Marks:
    marks = session.info.get(KEY)
    if marks is None:
        marks = session.info[KEY] = _Marks()
    return marks


def watch(session: Session) -> None:
    """Listen to ``session``'s flushes and commit (once per session)."""
    if not event.contains(session, "after_flush", _after_flush):
        event.listen(session, "before_flush", _before_flush)
        event.listen(session, "after_flush", _after_flush)
        event.listen(session, "before_commit", _before_commit)


def _registry(session: Session) -> Registry | None:
    env = session.info.get("env")
    return getattr(env, "registry", None)


# -- marking ---------------------------------------------------------------------------------


def _after_flush(session: Session, flush_context: Any) -> None:
    """New and changed records (still listed as such, with their attribute history)."""
    registry = _registry(session)
    if registry is None:
        return
    graph = registry.compute_graph
    if not graph.watched and not graph.stored:
        return
    marks = _marks(session)
    ready = session.info.pop(READY, set())
    for obj in session.new:
        model = getattr(obj, "_name", None)
        if model is None or obj not in session:
            continue
        for node in graph.stored.get(model, ()):
            if (id(obj), id(node)) not in ready:
                marks.add(_self_trigger(node), [obj.id])
        for field in graph.watched.get(model, ()):  # nothing points at a new record yet
            _mark_object(marks, [t for t in graph.triggers[(model, field)]
                                 if (not t.path and (id(obj), id(t.node)) not in ready)
                                 or (t.path and t.path[-1].type == "one2many")], obj, None,
                         new=True)
    handled = session.info.pop(HANDLED, set())
    for obj in session.dirty:
        model = getattr(obj, "_name", None)
        watched = graph.watched.get(model or "")
        if not watched:
            continue
        state = inspect(obj)
        columns = state.mapper.column_attrs
        for field in watched:
            if field not in columns:
                continue
            history = state.attrs[field].history
            if history.has_changes():
                _mark_object(marks, [t for t in graph.triggers[(model, field)]
                                     if (t.key, obj.id) not in handled], obj,
                             (field, history.deleted))


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    """New records get their stored related values now, in their INSERT, and so do the
    records copying a changed field through one many2one (a line's copy of its order's state),
    in the same flush; deleted records: what reaches them is found now, while their rows are
    there."""
    if session.new:
        _relate_new(session)
    if session.dirty:
        _relate_through_many2one(session)
    if session.new or session.dirty:
        _compute_local(session)
    if session.new:
        _null_unset_computed(session)
    if not session.deleted:
        return
    registry = _registry(session)
    if registry is None or not registry.compute_graph.watched:
        return
    graph = registry.compute_graph
    gone: dict[Any, tuple[Trigger, set[int]]] = {}
    for obj in session.deleted:
        model = getattr(obj, "_name", None)
        for field in graph.watched.get(model or "", ()):
            for trigger in graph.triggers[(model, field)]:
                # (the record itself is gone, and so are those reaching it through many2one
                # fields deleted with their target: the lines of a deleted order)
                if trigger.path and not all(step.type == "many2one" and step.ondelete == "CASCADE"
                                            for step in trigger.path):
                    gone.setdefault(trigger.key, (trigger, set()))[1].add(obj.id)
    marks = _marks(session)
    with session.no_autoflush:
        for trigger, ids in gone.values():
            marks.add(_self_trigger(trigger.node),
                      _resolve(session, registry, trigger.path, ids))


def _relate_new(session: Session) -> None:
    """Set the stored related fields of the new records whose path holds an id at each step
    (read from the session, else by primary key), so the INSERT writes them and no recompute
    follows; the others (a link still pending) are marked after the flush as usual."""
    registry = _registry(session)
    if registry is None:
        return
    stored = registry.compute_graph.stored
    ready: set[tuple[int, int]] = session.info.setdefault(READY, set())
    by_model: dict[str, list[Any]] = defaultdict(list)
    for obj in session.new:
        model = getattr(obj, "_name", "")
        if any(node.method is None for node in stored.get(model, ())):
            by_model[model].append(obj)
    with session.no_autoflush:
        for model, objs in by_model.items():
            for node in stored[model]:
                if node.method is None:
                    _load_path(session, registry, model, node, objs)
                    for obj in objs:
                        if node.relate(obj):
                            _normalize(obj, node.fields[0])
                            ready.add((id(obj), id(node)))


def _relate_through_many2one(session: Session) -> None:
    """For each changed field that stored related fields read, of the record itself (its
    many2one changed) or of records reaching it through many2one fields (a line's copy of its
    order's customer's country): find those records (one query per step) and set them, so
    their UPDATEs join this flush; the changes are then not marked again after it."""
    registry = _registry(session)
    if registry is None:
        return
    graph = registry.compute_graph
    found: dict[Any, tuple[Trigger, set[int]]] = {}
    for obj in session.dirty:
        model = getattr(obj, "_name", "")
        watched = graph.watched.get(model)
        if not watched or obj.id is None:
            continue
        state = inspect(obj)
        for field in watched.intersection(state.mapper.column_attrs.keys()):
            if not state.attrs[field].history.has_changes():
                continue
            for trigger in graph.triggers[(model, field)]:
                path = trigger.path
                if trigger.node.method is None and all(step.type == "many2one"
                                                       for step in path):
                    found.setdefault(trigger.key, (trigger, set()))[1].add(obj.id)
    if not found:
        return
    handled: set[tuple[Any, int]] = session.info.setdefault(HANDLED, set())
    resolved: dict[Any, set[int]] = {}
    with session.no_autoflush:
        for key, (trigger, ids) in found.items():
            if not trigger.path:  # a link of the record itself changed
                node = trigger.node
                records = _records(session, registry[node.model], ids)
                _load_path(session, registry, node.model, node, records)
                for record in records:
                    node.relate(record, complete=False)
                    _normalize(record, node.fields[0])
                handled.update((key, i) for i in ids)
                continue
            memo = (key[1], frozenset(ids))
            if memo not in resolved:
                resolved[memo] = _resolve(session, registry, trigger.path, ids)
            node = trigger.node
            records = _records(session, registry[node.model], resolved[memo])
            if len(trigger.path) > 1:  # the steps between them, in one query each
                _load_path(session, registry, node.model, node, records)
            for record in records:
                node.relate(record, complete=False)
                _normalize(record, node.fields[0])
            handled.update((key, i) for i in ids)


def _compute_local(session: Session) -> None:
    """Compute the local stored fields (:attr:`core.compute.Node.local`: read from the record's
    own plain fields) of new records and of records one of those fields changed on, so their
    INSERT or UPDATE writes them and no recompute round follows."""
    registry = _registry(session)
    if registry is None:
        return
    graph = registry.compute_graph
    ready: set[tuple[int, int]] = session.info.setdefault(READY, set())
    handled: set[tuple[Any, int]] = session.info.setdefault(HANDLED, set())
    todo: dict[int, tuple[Node, list[Any]]] = {}
    for obj in session.new:
        for node in graph.stored.get(getattr(obj, "_name", ""), ()):
            if node.local:
                todo.setdefault(id(node), (node, []))[1].append(obj)
                ready.add((id(obj), id(node)))
    for obj in session.dirty:
        model = getattr(obj, "_name", "")
        watched = graph.watched.get(model)
        if not watched or obj.id is None:
            continue
        state = inspect(obj)
        for field in watched.intersection(state.committed_state):
            if not state.attrs[field].history.has_changes():
                continue
            for trigger in graph.triggers[(model, field)]:
                if trigger.node.local and (trigger.key, obj.id) not in handled:
                    todo.setdefault(id(trigger.node), (trigger.node, []))[1].append(obj)
                    handled.add((trigger.key, obj.id))
    if not todo:
        return
    env = session.info["env"]
    with session.no_autoflush:
        for node, objs in sorted(todo.values(), key=lambda item: item[0].rank):
            cenv = env.sudo() if node.sudo else env
            with _acting(cenv):
                for obj in objs:
                    node.compute(obj)
                    for info in node.fields:
                        _normalize(obj, info)


def _null_unset_computed(session: Session) -> None:
    """New records insert NULL in the nullable stored computed columns nothing set yet (the
    recompute after the flush sets them), so they are known to be empty: a value computed as
    empty then writes nothing, and reading them needs no SELECT."""
    registry = _registry(session)
    if registry is None:
        return
    stored = registry.compute_graph.stored
    for obj in session.new:
        nodes = stored.get(getattr(obj, "_name", ""))
        if not nodes:
            continue
        loaded = inspect(obj).dict
        columns = obj.__table__.c
        for node in nodes:
            for info in node.fields:
                if info.name not in loaded and columns[info.name].nullable:
                    setattr(obj, info.name, None)


def _load_path(session: Session, registry: Registry, model: str, node: Node,
               objs: list[Any]) -> None:
    """Load the records along ``node``'s related path from ``objs``, one query per step for
    those the session does not hold."""
    level = objs
    for name in (node.fields[0].related or "").split(".")[:-1]:
        comodel = registry[model].__fields__[name].comodel or ""
        level = _records(session, registry[comodel], {getattr(o, name) for o in level} - {None})
        model = comodel


def _mark_object(marks: _Marks, triggers: list[Trigger], obj: Any,
                 change: tuple[str, Any] | None, new: bool = False) -> None:
    """Mark ``triggers`` for ``obj``; a path ending in a one2many is shortened by its first step
    back, read from ``obj`` (and from the old value when the link itself changed; a ``new``
    record's link not given is empty)."""
    for trigger in triggers:
        path = trigger.path
        if not path:
            marks.add(trigger, [obj.id])
            continue
        step = path[-1]
        loaded = inspect(obj).dict
        if step.type == "one2many" and new and step.inverse_name not in loaded:
            continue
        if step.type != "one2many" or step.inverse_name not in loaded:
            marks.add(trigger, [obj.id])
            continue
        parents = {loaded[step.inverse_name]}
        if change is not None and change[0] == step.inverse_name:
            parents.update(change[1] or ())
        marks.add(_trigger_for(trigger.node, path[:-1]), parents)  # type: ignore[arg-type]


def _self_trigger(node: Node) -> Trigger:
    return _trigger_for(node, ())


def _trigger_for(node: Node, path: Path) -> Trigger:
    from .compute import Trigger

    return Trigger(node, path)


def mark_modified(env: Environment, model: str, ids: Iterable[int],
                  fields: Iterable[str] | None = None) -> None:
    """Mark what depends on ``fields`` (all when None) of ``ids`` for recomputation: for changes
    the ORM does not see (many2many links, SQL ``UPDATE`` statements)."""
    graph = env.registry.compute_graph
    watched = graph.watched.get(model, set())
    names = watched if fields is None else watched.intersection(fields)
    marks = _marks(env.session)
    ids = list(ids)
    for name in names:
        for trigger in graph.triggers[(model, name)]:
            marks.add(trigger, ids)


def mark_new_columns(env: Environment, columns: Iterable[tuple[str, str]]) -> None:
    """Compute the stored computed fields just added as ``(table, column)`` for the rows the
    table already has (an addon extending a model that has records)."""
    graph = env.registry.compute_graph
    by_table = {cls.__tablename__: cls for cls in env.registry.models.values()}
    marks = _marks(env.session)
    for table, column in columns:
        cls = by_table.get(table)
        node = graph.node_of(cls._name, column) if cls is not None else None
        if node is not None and node.stored:
            marks.add(_self_trigger(node), env.session.scalars(select(cls.id)))


# -- resolving and recomputing ---------------------------------------------------------------


def _resolve(session: Session, registry: Registry, path: Path, ids: set[int]) -> set[int]:
    """The ids of the records of ``path[0].model`` reaching ``ids`` through ``path``: one query
    per step (none for a one2many step whose lines the session holds)."""
    for step in reversed(path):
        if not ids:
            break
        if step.type == "one2many":
            child = registry[step.comodel or ""]
            held = [session.identity_map.get(session.identity_key(child, i)) for i in ids]
            inverse = step.inverse_name or ""
            if all(r is not None and inverse in inspect(r).dict for r in held):
                ids = {getattr(r, inverse) for r in held} - {None}
                continue
            column = child.__table__.c[inverse]
            ids = set(session.scalars(select(column).where(child.__table__.c.id.in_(ids),
                                                           column.is_not(None))))
        elif step.type == "many2one":
            owner = registry[step.model].__table__
            ids = set(session.scalars(select(owner.c.id).where(owner.c[step.name].in_(ids))))
        else:
            rel = registry[step.model].metadata.tables[step.relation or ""]
            ids = set(session.scalars(select(rel.c[step.column1 or ""]).where(
                rel.c[step.column2 or ""].in_(ids))))
    return ids


def recompute(env: Environment) -> None:
    """Recompute every marked stored field now (nothing to do: no query)."""
    session = env.session
    marks = session.info.get(KEY)
    if marks is not None and marks.running:
        return
    if not ((marks is not None and marks.pending) or session.new or session.deleted
            or session.dirty):
        return
    marks = _marks(session)
    marks.running = True
    try:
        quiet = _nothing_to_mark(session, env.registry)
        while True:
            if not quiet:
                session.flush()
            if not marks.pending:
                return
            # the marked nodes reading from no other marked node run together, then one flush
            pending = {id(t.node): t.node for t, _ids in marks.pending.values()}
            ready = sorted((n for n in pending.values() if not n.upstream & pending.keys()),
                           key=lambda n: n.rank)
            resolved: dict[Any, set[int]] = {}  # nodes reached by the same path share a query
            with session.no_autoflush:
                for node in ready:
                    ids: set[int] = set()
                    for key in [k for k, (t, _i) in marks.pending.items() if t.node is node]:
                        trigger, reached = marks.pending.pop(key)
                        memo = (key[1], frozenset(reached))
                        if memo not in resolved:
                            resolved[memo] = _resolve(session, env.registry, trigger.path,
                                                      reached)
                        ids |= resolved[memo]
                    if ids:
                        _compute_stored(env, node, ids)
            # the values computed last wait for the next flush that needs them, when they can
            # mark nothing more (inside a service call, which flushes at its end)
            quiet = not marks.pending and _nothing_to_mark(session, env.registry)
            if quiet:
                return
    finally:
        marks.running = False


def _nothing_to_mark(session: Session, registry: Registry) -> bool:
    """Inside a service call (selective autoflush, :mod:`core.autoflush`): can the pending
    changes mark nothing to recompute? Then they wait for the next flush that needs them."""
    if session.autoflush is not SELECTIVE or session.deleted:
        return False
    graph = registry.compute_graph
    for obj in session.new:
        model = getattr(obj, "_name", "")
        if graph.stored.get(model) or graph.watched.get(model):
            return False
    for obj in session.dirty:
        watched = graph.watched.get(getattr(obj, "_name", ""))
        if not watched:
            continue
        state = inspect(obj)
        changed = state.committed_state.keys()
        # a relation set on the object changes its column only at the flush: it may mark too
        relations = state.mapper.relationships
        if not watched.isdisjoint(changed) or any(key in relations for key in changed):
            return False
    return True


def _before_commit(session: Session) -> None:
    env = session.info.get("env")
    if env is not None and session.info.get(KEY) is not None:
        recompute(env)


def _compute_stored(env: Environment, node: Node, ids: set[int]) -> None:
    cenv = env.sudo() if node.sudo else env
    records = _records(env.session, env.registry[node.model], ids)
    tracked = [info.name for info in node.fields if info.tracking]
    before = {r.id: {name: getattr(r, name) for name in tracked} for r in records}
    with prefetched(cenv, records, node.prefetch_paths()), _acting(cenv):
        for record in records:
            node.compute(record)
            for info in node.fields:
                _normalize(record, info)
    if tracked:
        _track(env, node.model, records, before)


def _track(env: Environment, model: str, records: list[Any],
           before: dict[int, dict[str, Any]]) -> None:
    """Tracked computed fields leave a line in the record's history when they change (not when
    first computed)."""
    from .audit import track_written

    for record in records:
        old = {k: v for k, v in before[record.id].items() if v is not None}
        if old:
            track_written(env.sudo(), model, record.id, old,
                          {name: getattr(record, name) for name in old})


def _normalize(record: Any, info: FieldInfo) -> None:
    """The computed value as the column stores it (Decimal at the field's scale, an id…); the
    flush writes it only if it differs from the stored one."""
    value = getattr(record, info.name)
    if info.type == "many2one" and hasattr(value, "_name"):
        value = value.id
    value = bool(value) if info.type == "boolean" else to_column(info, value)
    setattr(record, info.name, value)


def compute_values(env: Environment, cls: type, records: list[Any],
                   infos: list[FieldInfo]) -> dict[int, dict[str, Any]]:
    """``{id: {field: value}}`` of fields computed on read, for ``records`` in one batch."""
    graph = env.registry.compute_graph
    nodes = {id(n): n for info in infos if (n := graph.node_of(info.model, info.name))}
    result: dict[int, dict[str, Any]] = {r.id: {} for r in records}
    for node in nodes.values():
        cenv = env.sudo() if node.sudo else env
        slots = [(info.name, f"_computed_{info.name}") for info in node.fields]
        with prefetched(cenv, records, node.prefetch_paths()), _acting(cenv):
            for record in records:
                for _name, slot in slots:
                    record.__dict__[slot] = None
                try:
                    node.compute(record)
                finally:
                    for name, slot in slots:
                        value = record.__dict__.pop(slot, None)
                        result[record.id][name] = _plain(value)
    return result


def _plain(value: Any) -> Any:
    """A computed value as ``read`` gives it: a record as its id, records as a list of ids."""
    if hasattr(value, "_name"):
        return value.id
    if isinstance(value, (list, tuple)):
        return [v.id if hasattr(v, "_name") else int(v) for v in value]
    return value


@contextlib.contextmanager
def _acting(env: Environment) -> Iterator[None]:
    info = env.session.info
    previous = info.get("env")
    info["env"] = env
    try:
        yield
    finally:
        info["env"] = previous


@contextlib.contextmanager
def prefetched(env: Environment, records: list[Any], paths: list[Path]) -> Iterator[None]:
    """Load what ``paths`` reach from ``records`` in one query per step, and make the one2many
    and many2many values of the loaded records answer from it, until the block ends. A path
    starting with a one2many or many2many is loaded when the method first reads that field
    (for all the records): a method returning early for some records costs nothing more."""
    session = env.session
    previous = session.info.get(PREFETCH)
    cache: dict[tuple[str, str], Any] = dict(previous or {})
    levels: dict[tuple[str, ...], list[Any]] = {(): records}

    def load(group: list[Path]) -> None:
        for path in group:
            for index, step in enumerate(path):
                key = tuple(f.name for f in path[:index + 1])
                if key not in levels:
                    levels[key] = _follow(env, step, levels[key[:-1]], cache)

    lazy: dict[tuple[str, str], list[Path]] = defaultdict(list)
    for path in paths:  # a path starting with an x2many waits until the method reads it
        if path[0].type in ("one2many", "many2many"):
            lazy[(path[0].model, path[0].name)].append(path)
        else:
            load([path])
    for key, group in lazy.items():

        def loader(group: list[Path] = group, key: tuple[str, str] = key) -> Any:
            load(group)
            return cache[key]

        cache[key] = loader
    session.info[PREFETCH] = cache
    try:
        yield
    finally:
        if previous is None:
            session.info.pop(PREFETCH, None)
        else:
            session.info[PREFETCH] = previous
        levels.clear()


def _follow(env: Environment, step: FieldInfo, parents: list[Any],
            cache: dict[tuple[str, str], dict[int, list[int]]]) -> list[Any]:
    """The records ``step`` leads to from ``parents``, loaded in one query."""
    session = env.session
    registry = env.registry
    comodel = registry[step.comodel or ""]
    parent_ids = [p.id for p in parents]
    if step.type == "many2one":
        return _records(session, comodel, {getattr(p, step.name) for p in parents} - {None})
    links: dict[int, list[int]] = {pid: [] for pid in parent_ids}
    cache[(step.model, step.name)] = links
    if not parent_ids:
        return []
    if step.type == "one2many":
        inverse = comodel.__table__.c[step.inverse_name or ""]
        rows = list(session.scalars(select(comodel).where(inverse.in_(parent_ids)).order_by(
            *env[comodel._name]._order_by(None))))
        for row in rows:
            links[getattr(row, step.inverse_name or "")].append(row.id)
        return rows
    rel = registry[step.model].metadata.tables[step.relation or ""]
    own, other = rel.c[step.column1 or ""], rel.c[step.column2 or ""]
    targets: dict[int, None] = {}
    grouped: dict[int, list[int]] = defaultdict(list)
    for owner, target in session.execute(select(own, other).where(own.in_(parent_ids))
                                         .order_by(other)):
        grouped[owner].append(target)
        targets[target] = None
    links.update(grouped)
    return _records(session, comodel, targets)


def _records(session: Session, cls: Any, ids: Iterable[int]) -> list[Any]:
    """The existing records ``ids``: those the session holds with their columns loaded as they
    are, the others in one query."""
    found, wanted = [], []
    for rid in sorted(set(ids)):
        record = session.identity_map.get(session.identity_key(cls, rid))
        if record is None or record in session.deleted or not columns_loaded(record):
            wanted.append(rid)
        else:
            found.append(record)
    if wanted:
        found += session.scalars(select(cls).where(cls.id.in_(wanted))).all()
    return found
