"""Addon manifests and discovery.

An addon is a Python package with a ``__manifest__.py`` holding one dict (Odoo's format). Addons are
found in three places, first match wins:

1. ``core.base``, the essential addon every database has;
2. the packages under the ``addons`` package (this repository's ``addons/`` folder) and under any
   extra folder given in the ``KANGYI_ADDONS_PATH`` setting;
3. the ``kangyi.addons`` entry-point group, so ``pip install kangyi-foo`` is enough.

A running server looks again (:func:`discover_addons` after :func:`refresh_import_paths`) when the
database names an addon it has not seen, so a package pip-installed after it started can be
installed without a restart.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import importlib.metadata
import importlib.util
import os
import shutil
import site
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from .errors import AddonError
from .i18n import _

__all__ = ["Manifest", "AddonInfo", "discover_addons", "refresh_import_paths", "ENTRY_POINT_GROUP",
           "ESSENTIAL_ADDONS"]

ENTRY_POINT_GROUP = "kangyi.addons"
#: addons that every database has and that cannot be uninstalled
ESSENTIAL_ADDONS = ("base",)

_KNOWN_KEYS = {
    "name", "version", "summary", "description", "author", "website", "category", "depends",
    "optional_depends", "auto_install", "application", "installable", "data", "demo", "license",
    "external_dependencies", "post_init_hook", "uninstall_hook", "sequence",
}


@dataclasses.dataclass(frozen=True)
class Manifest:
    """The parsed ``__manifest__.py`` of an addon."""

    name: str
    version: str = "1.0"
    summary: str = ""
    description: str = ""
    author: str = ""
    website: str = ""
    category: str = "Uncategorized"
    depends: tuple[str, ...] = ()
    optional_depends: tuple[str, ...] = ()
    auto_install: bool = False
    application: bool = False
    installable: bool = True
    data: tuple[Any, ...] = ()
    demo: tuple[Any, ...] = ()
    license: str = "LGPL-3"
    external_dependencies: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    post_init_hook: str | None = None
    uninstall_hook: str | None = None
    sequence: int = 100

    @classmethod
    def from_dict(cls, values: dict[str, Any], where: str) -> Manifest:
        unknown = set(values) - _KNOWN_KEYS
        if unknown:
            raise AddonError(_("Unknown manifest keys in %(where)s: %(keys)s",
                               where=where, keys=", ".join(sorted(unknown))))
        if "name" not in values:
            raise AddonError(_("The manifest %(where)s has no name.", where=where))
        values = dict(values)
        for key in ("depends", "optional_depends", "data", "demo"):
            values[key] = tuple(values.get(key, ()))
        ext = values.get("external_dependencies") or {}
        values["external_dependencies"] = {k: tuple(v) for k, v in ext.items()}
        return cls(**values)


@dataclasses.dataclass(frozen=True)
class AddonInfo:
    """A discovered addon: its technical name, manifest and where its package lives."""

    name: str
    manifest: Manifest
    module_name: str
    path: Path

    @property
    def version(self) -> str:
        return self.manifest.version

    def import_module(self) -> ModuleType:
        """Import the addon package; failures name the addon."""
        try:
            return importlib.import_module(self.module_name)
        except Exception as exc:  # an addon that fails to import stops the app, loudly
            raise AddonError(_("The addon %(name)s failed to import: %(error)s",
                               name=self.name, error=exc)) from exc

    def missing_external_dependencies(self) -> list[str]:
        """Python modules or binaries the manifest requires that are not available here."""
        ext = self.manifest.external_dependencies
        missing = [m for m in ext.get("python", ()) if importlib.util.find_spec(m) is None]
        missing += [b for b in ext.get("bin", ()) if shutil.which(b) is None]
        return missing


def read_manifest(package_dir: Path) -> dict[str, Any]:
    """Read a ``__manifest__.py`` as a literal dict, without importing the addon."""
    source = (package_dir / "__manifest__.py").read_text(encoding="utf-8")
    try:
        value = ast.literal_eval(source.strip())
    except (ValueError, SyntaxError) as exc:
        raise AddonError(_("The manifest of %(path)s is not a literal dict: %(error)s",
                           path=str(package_dir), error=exc)) from exc
    if not isinstance(value, dict):
        raise AddonError(_("The manifest of %(path)s is not a dict.", path=str(package_dir)))
    return value


def _addon_from_dir(name: str, package_dir: Path, module_name: str) -> AddonInfo:
    where = str(package_dir / "__manifest__.py")
    manifest = Manifest.from_dict(read_manifest(package_dir), where)
    return AddonInfo(name=name, manifest=manifest, module_name=module_name, path=package_dir)


def _scan_folder(folder: Path, package: str | None) -> dict[str, AddonInfo]:
    found: dict[str, AddonInfo] = {}
    if not folder.is_dir():
        return found
    for child in sorted(folder.iterdir()):
        if (child / "__manifest__.py").is_file() and (child / "__init__.py").is_file():
            module_name = f"{package}.{child.name}" if package else child.name
            found[child.name] = _addon_from_dir(child.name, child, module_name)
    return found


def _entry_point_addons() -> dict[str, AddonInfo]:
    found: dict[str, AddonInfo] = {}
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        spec = importlib.util.find_spec(ep.value)
        if spec is None or not spec.submodule_search_locations:
            raise AddonError(_("The entry point %(name)s names %(module)s, which is not a package.",
                               name=ep.name, module=ep.value))
        package_dir = Path(next(iter(spec.submodule_search_locations)))
        found.setdefault(ep.name, _addon_from_dir(ep.name, package_dir, ep.value))
    return found


def _site_dirs() -> list[Path]:
    dirs = [*site.getsitepackages(), site.getusersitepackages()]
    return [Path(d) for d in dict.fromkeys(dirs) if Path(d).is_dir()]


def _pth_files() -> set[Path]:
    return {pth for folder in _site_dirs() for pth in folder.glob("*.pth")}


#: ``.pth`` files the interpreter processed at start-up (or that were processed since)
_SEEN_PTH = _pth_files()


def refresh_import_paths() -> None:
    """Make packages installed since start-up importable and their entry points visible: forget
    the import system's directory caches and process ``.pth`` files that are new since then (an
    editable ``pip install -e`` adds one); those already processed are never run twice."""
    importlib.invalidate_caches()
    for pth in sorted(_pth_files() - _SEEN_PTH):
        _SEEN_PTH.add(pth)
        site.addpackage(str(pth.parent), pth.name, None)  # type: ignore[attr-defined]


def addons_paths(extra: str | list[str] | None = None) -> list[Path]:
    """Extra addon folders from the setting (``os.pathsep``-separated or a list)."""
    if extra is None:
        extra = os.environ.get("KANGYI_ADDONS_PATH", "")
    items = extra.split(os.pathsep) if isinstance(extra, str) else list(extra)
    return [Path(p).resolve() for p in items if p]


def discover_addons(extra_paths: str | list[str] | None = None) -> dict[str, AddonInfo]:
    """Every addon this installation can see, by technical name."""
    core_dir = Path(__file__).resolve().parent
    found: dict[str, AddonInfo] = {"base": _addon_from_dir("base", core_dir / "base", "core.base")}
    addons_pkg = importlib.util.find_spec("addons")
    if addons_pkg is not None and addons_pkg.submodule_search_locations:
        for location in addons_pkg.submodule_search_locations:
            for name, info in _scan_folder(Path(location), "addons").items():
                found.setdefault(name, info)
    for folder in addons_paths(extra_paths):
        if str(folder) not in sys.path:
            sys.path.append(str(folder))
        for name, info in _scan_folder(folder, None).items():
            found.setdefault(name, info)
    for name, info in _entry_point_addons().items():
        found.setdefault(name, info)
    return found
