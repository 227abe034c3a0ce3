"""The plugin manager of one registry: core hookspecs, addon hookspecs, addon implementations.

A hook that takes no argument and returns a list (``register_models``, ``register_menus``…)
may be answered with the list itself: ``register_menus = [MenuItem(…)]`` in ``hooks.py`` is
the same as a ``@hookimpl`` function returning it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from types import ModuleType

import pluggy

from . import hookspecs
from .addons import AddonInfo
from .errors import AddonError
from .i18n import _

__all__ = ["hookimpl", "build_plugin_manager", "addon_submodule"]

hookimpl = pluggy.HookimplMarker("kangyi")


def addon_submodule(info: AddonInfo, name: str) -> ModuleType | None:
    """Import ``<addon>.<name>`` when the addon has such a module, else None."""
    package = info.import_module()
    full = f"{info.module_name}.{name}"
    if importlib.util.find_spec(full) is None:
        return None
    try:
        module = importlib.import_module(full)
    except Exception as exc:
        raise AddonError(_("The addon %(name)s failed to import %(module)s: %(error)s",
                           name=info.name, module=name, error=exc)) from exc
    setattr(package, name, module)
    return module


def _answer_lists(pm: pluggy.PluginManager, module: ModuleType) -> None:
    """Turn the module's lists named after argument-less hooks into their implementations."""
    for name, value in list(vars(module).items()):
        caller = getattr(pm.hook, name, None) if name.startswith("register_") else None
        spec = getattr(caller, "spec", None)
        if isinstance(value, (list, tuple)) and spec is not None and not spec.argnames:
            setattr(module, name, hookimpl(_returning(list(value))))


def _returning(value: list[object]) -> Callable[[], list[object]]:
    def answer() -> list[object]:
        return list(value)

    return answer


def build_plugin_manager(addons: Sequence[AddonInfo]) -> pluggy.PluginManager:
    """A fresh plugin manager with the hooks of ``addons`` (in dependency order).

    An implementation of a hook nobody declared is an error naming the addon.
    """
    pm = pluggy.PluginManager("kangyi")
    pm.add_hookspecs(hookspecs)
    for info in addons:
        specs = addon_submodule(info, "hookspecs")
        if specs is not None:
            pm.add_hookspecs(specs)
    for info in addons:
        plugin = addon_submodule(info, "hooks") or info.import_module()
        _answer_lists(pm, plugin)
        try:
            pm.register(plugin, name=info.name)
        except pluggy.PluginValidationError as exc:
            raise AddonError(_("The addon %(name)s registers an invalid hook: %(error)s",
                               name=info.name, error=exc)) from exc
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        owner = pm.get_name(exc.plugin) if exc.plugin is not None else "?"
        raise AddonError(_("The addon %(name)s implements an unknown hook: %(error)s",
                           name=owner, error=exc)) from exc
    return pm
