"""Menus: contributed by addons through ``register_menus``, nested, ordered, filtered per user.

A top-level :class:`MenuItem` is an application (shown in the top bar); its descendants form the
side menu. An item opens a model's view (``model`` + ``view``) or a URL of the core (``url``).
Menus are composed once per registry; a duplicate id is a start-up error naming both addons. What
a user sees is filtered by their groups and by read access to the item's model; a folder whose
children are all hidden disappears too. Two addons may file the same page (the same target) in
one application for different groups: a user who may see both sees it once, where the menu's
order puts it first.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .errors import AddonError
from .i18n import _

if TYPE_CHECKING:
    from .env import Environment
    from .registry import Registry

__all__ = ["MenuItem", "MenuTree", "menus_of", "MENU_ARG"]

#: the query argument of menu links naming the item clicked
MENU_ARG = "menu"


def _model_of(path: str) -> str | None:
    """The model of a generic page's path (``/web/<model>/…``), if it names one."""
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "web" and "." in parts[2]:
        return parts[2]
    return None


@dataclasses.dataclass(frozen=True)
class MenuItem:
    """One menu entry.

    :param id: external id, ``addon.name``
    :param name: label (a lazy ``_l`` string)
    :param parent: id of the parent item; None for an application
    :param sequence: order among siblings (then by label)
    :param model: open this model's view …
    :param view: … of this kind (``list``, ``kanban``, ``calendar``)
    :param url: or open this path of the core (``/web/apps``)
    :param groups: shown only to members of one of these groups
    """

    id: str
    name: Any
    parent: str | None = None
    sequence: int = 10
    model: str | None = None
    view: str = "list"
    url: str | None = None
    groups: tuple[str, ...] = ()

    @property
    def target(self) -> str | None:
        """The path this item opens, if it opens anything."""
        if self.url:
            return self.url
        if self.model:
            suffix = "" if self.view == "list" else f"/{self.view}"
            return f"/web/{self.model}{suffix}"
        return None


class MenuTree:
    """The composed menus of one registry."""

    def __init__(self, registry: Registry) -> None:
        self.items: dict[str, MenuItem] = {}
        self.owner: dict[str, str] = {}
        for addon, items in registry.call("register_menus"):
            for item in items:
                if item.id in self.items:
                    raise AddonError(_("The menu %(menu)s is declared by both %(a)s and %(b)s.",
                                       menu=item.id, a=self.owner[item.id], b=addon))
                self.items[item.id] = item
                self.owner[item.id] = addon
        self.children: dict[str | None, list[MenuItem]] = {}
        for item in self.items.values():
            if item.parent is not None and item.parent not in self.items:
                raise AddonError(_("The menu %(menu)s of %(addon)s has an unknown parent "
                                   "%(parent)s.", menu=item.id, addon=self.owner[item.id],
                                   parent=item.parent))
            if item.model and item.model not in registry:
                raise AddonError(_("The menu %(menu)s of %(addon)s opens %(model)s, which no "
                                   "installed addon creates.", menu=item.id,
                                   addon=self.owner[item.id], model=item.model))
            self.children.setdefault(item.parent, []).append(item)
        for siblings in self.children.values():
            siblings.sort(key=lambda m: (m.sequence, str(m.id)))
        #: per (application, target): the items opening it, in menu order
        self.same_target: dict[tuple[str, str], list[MenuItem]] = {}
        for root in self.children.get(None, []):
            self._file_targets(root.id, root)

    def _file_targets(self, app: str, item: MenuItem) -> None:
        if item.target:
            self.same_target.setdefault((app, item.target), []).append(item)
        for child in self.children.get(item.id, []):
            self._file_targets(app, child)

    def for_user(self, env: Environment) -> UserMenus:
        return UserMenus(self, env)


class UserMenus:
    """The menus one user may see (computed lazily, cached for the request)."""

    def __init__(self, tree: MenuTree, env: Environment) -> None:
        self.tree = tree
        self.env = env
        self._visible: dict[str, bool] = {}

    def _allowed(self, item: MenuItem) -> bool:
        access = self.env.access
        if item.groups and not any(access.has_group(g) for g in item.groups):
            return False
        return not item.model or access.allowed(item.model, "read")

    def visible(self, item: MenuItem) -> bool:
        if item.id not in self._visible:
            shown = self._allowed(item)
            if shown and item.target is None:
                shown = any(self.visible(c) for c in self.tree.children.get(item.id, []))
            elif shown:
                shown = not self._shown_before(item)
            self._visible[item.id] = shown
        return self._visible[item.id]

    def _shown_before(self, item: MenuItem) -> bool:
        """Whether an item before ``item`` in its application opens the same target and is
        shown (itself and its folders visible)."""
        same = self.tree.same_target.get((self.root_of(item).id, item.target or ""), [item])
        return any(self._reachable(other) for other in same[:same.index(item)])

    def _reachable(self, item: MenuItem) -> bool:
        if not self.visible(item):
            return False
        parent = item.parent
        while parent is not None:
            folder = self.tree.items[parent]
            if not self._allowed(folder):
                return False
            parent = folder.parent
        return True

    def children(self, parent: str | None) -> list[MenuItem]:
        return [m for m in self.tree.children.get(parent, []) if self.visible(m)]

    def apps(self) -> list[MenuItem]:
        """Top-level items the user may open."""
        return self.children(None)

    def first_leaf(self, item: MenuItem) -> MenuItem | None:
        """What clicking ``item`` opens: itself if it opens something, else its first visible
        leaf that does."""
        if item.target:
            return item
        for child in self.children(item.id):
            leaf = self.first_leaf(child)
            if leaf is not None:
                return leaf
        return None

    def first_target(self, item: MenuItem) -> str | None:
        """Where clicking ``item`` leads: its own target or its first visible leaf's."""
        leaf = self.first_leaf(item)
        return leaf.target if leaf is not None else None

    def href(self, item: MenuItem) -> str | None:
        """The link of ``item`` (or of its first leaf) carrying the menu id, so the page opened
        shows the side menu of the application clicked, whichever else files the same model."""
        leaf = self.first_leaf(item)
        if leaf is None or leaf.target is None:
            return None
        glue = "&" if "?" in leaf.target else "?"
        return f"{leaf.target}{glue}{MENU_ARG}={quote(leaf.id)}"

    def root_of(self, item: MenuItem) -> MenuItem:
        while item.parent is not None:
            item = self.tree.items[item.parent]
        return item

    def get(self, menu_id: str | None) -> MenuItem | None:
        """The visible item ``menu_id``, if any."""
        item = self.tree.items.get(menu_id or "")
        return item if item is not None and self.visible(item) else None

    def find(self, path: str, app: str | None = None) -> MenuItem | None:
        """The visible item a page at ``path`` belongs to: the longest target that is a prefix
        of ``path``, else an item opening the path's model (a record page of a model its menus
        open as a board); items of the application ``app`` (the one last clicked) first."""
        model = _model_of(path)
        best: MenuItem | None = None
        best_key: tuple[Any, ...] = ()
        for item in self.tree.items.values():
            target = item.target
            if not target:
                continue
            base = target.split("?", 1)[0]
            if path == base or path.startswith(base.rstrip("/") + "/"):
                key: tuple[Any, ...] = (2, len(base))
            elif model is not None and item.model == model:
                key = (1, 0)
            else:
                continue
            if not self.visible(item):
                continue
            key = (app is not None and self.root_of(item).id == app, *key)
            if best is None or key > best_key:
                best, best_key = item, key
        return best

    def trail(self, item: MenuItem | None) -> list[MenuItem]:
        """``item`` and its ancestors, root first (for breadcrumbs)."""
        trail = []
        while item is not None:
            trail.append(item)
            item = self.tree.items.get(item.parent) if item.parent else None
        return list(reversed(trail))


def menus_of(registry: Registry) -> MenuTree:
    """The composed menus of ``registry``, built once per registry object."""
    return registry.derived(MenuTree, lambda: MenuTree(registry))
