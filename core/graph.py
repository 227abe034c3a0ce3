"""The addon dependency graph: ordering, closure, glue addons and dependents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .addons import AddonInfo
from .errors import AddonError
from .i18n import _

__all__ = ["topological_order", "install_closure", "auto_install_glue", "dependents"]


def _hard_depends(info: AddonInfo) -> tuple[str, ...]:
    return tuple(d for d in info.manifest.depends if d != info.name) or (
        () if info.name == "base" else ("base",)
    )


def load_depends(info: AddonInfo, present: Iterable[str]) -> tuple[str, ...]:
    """Dependencies that order loading: hard ones, plus optional ones that are ``present``."""
    present = set(present)
    optional = tuple(d for d in info.manifest.optional_depends if d in present)
    return _hard_depends(info) + optional


def topological_order(names: Iterable[str], available: Mapping[str, AddonInfo]) -> list[str]:
    """``names`` sorted so that every addon follows what it depends on.

    Ties are broken by name, so the order is stable. A cycle is an error naming its addons.
    """
    names = set(names)
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = visiting, 2 = done
    path: list[str] = []

    def visit(name: str) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = path[path.index(name):] + [name]
            raise AddonError(_("Dependency cycle between addons: %(cycle)s",
                               cycle=" → ".join(cycle)))
        state[name] = 1
        path.append(name)
        for dep in sorted(load_depends(available[name], names)):
            if dep in names:
                visit(dep)
        path.pop()
        state[name] = 2
        order.append(name)

    for name in sorted(names):
        visit(name)
    return order


def install_closure(requested: Iterable[str], available: Mapping[str, AddonInfo]) -> set[str]:
    """``requested`` plus everything they depend on, transitively.

    A dependency that is not available is an error naming the addon that needs it.
    """
    result: set[str] = set()
    stack = list(requested)
    while stack:
        name = stack.pop()
        if name in result:
            continue
        info = available.get(name)
        if info is None:
            raise AddonError(_("Unknown addon: %(name)s", name=name))
        if not info.manifest.installable:
            raise AddonError(_("The addon %(name)s is not installable.", name=name))
        for dep in _hard_depends(info):
            if dep not in available:
                raise AddonError(_("The addon %(name)s depends on %(dep)s, which is not available.",
                                   name=name, dep=dep))
            stack.append(dep)
        result.add(name)
    return result


def auto_install_glue(installed: set[str], available: Mapping[str, AddonInfo]) -> set[str]:
    """Glue addons (``auto_install``) whose dependencies are all in ``installed``, to a fixpoint."""
    result = set(installed)
    changed = True
    while changed:
        changed = False
        for name, info in sorted(available.items()):
            if name in result or not info.manifest.auto_install or not info.manifest.installable:
                continue
            if all(dep in result for dep in _hard_depends(info)):
                result.add(name)
                changed = True
    return result - set(installed)


def dependents(names: Iterable[str], installed: Iterable[str],
               available: Mapping[str, AddonInfo]) -> set[str]:
    """Installed addons that depend, directly or not, on any of ``names`` (not including them)."""
    targets = set(names)
    installed = set(installed)
    result: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name in installed - targets - result:
            deps = set(_hard_depends(available[name])) if name in available else set()
            if deps & (targets | result):
                result.add(name)
                changed = True
    return result
