"""Translation catalogs: extraction, merging, compilation, and the directories Flask-Babel reads.

Catalogs are kept as ``.po`` files in the repository: the core's in ``core/translations/`` and each
addon's in ``<addon>/translations/`` (``<locale>/LC_MESSAGES/messages.po``). Compiled ``.mo`` files
are never committed: :func:`translation_directories` compiles every catalog that is missing or
older than its ``.po`` into the instance folder when an app starts, so a fresh checkout and a
pip-installed package both work. English is the source language (msgids are English).

Command line (``bin/i18n``)::

    python -m core.translations update   # extract messages, merge them into every catalog
    python -m core.translations check    # list messages without a zh_CN translation, and
                                         # messages two catalogs translate differently
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import os
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

__all__ = ["CORE_DIR", "LOCALES", "extract", "catalog_path", "load_catalog", "untranslated",
           "update_catalog", "translation_directories", "catalog_sources", "clashes"]

CORE_DIR = Path(__file__).resolve().parent
ROOT = CORE_DIR.parent.parent
#: locales with a catalog; English is the source language and needs none
LOCALES = ("zh_CN",)
KEYWORDS = {"_": None, "_l": None, "N_": None, "gettext": None, "lazy_gettext": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2)}
METHOD_MAP = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
_SKIP = ("tests", ".venv", "translations", "instance", "__pycache__")


def extract(source: Path, skip: Iterable[Path] = ()) -> Catalog:
    """The messages of the ``.py`` files and templates under ``source`` (``skip`` excluded)."""
    skipped = [p.resolve() for p in skip]

    def keep(path: str) -> bool:
        resolved = Path(path).resolve()
        parts = set(resolved.relative_to(source.resolve()).parts) if resolved != source else set()
        return not parts & set(_SKIP) and not any(
            resolved == s or s in resolved.parents for s in skipped)

    catalog = Catalog(project="Kangyi", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            source, METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
            callback=None, strip_comment_tags=True, directory_filter=keep):
        if message:
            catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                        context=context)
    _data_messages(source, catalog, _translatable())
    _manifest_messages(source, catalog)
    return catalog


def _manifest_messages(source: Path, catalog: Catalog) -> None:
    """The name and summary of the addons' manifests under ``source`` (the apps page)."""
    from ..addons import read_manifest

    for path in sorted(source.rglob("__manifest__.py")):
        if set(path.relative_to(source).parts) & set(_SKIP):
            continue
        manifest = read_manifest(path.parent)
        for key in ("name", "summary"):
            if isinstance(manifest.get(key), str) and manifest[key]:
                catalog.add(manifest[key], None, [(str(path.relative_to(source)), 1)])


@functools.cache
def _translatable() -> dict[str, set[str]]:
    """The translatable fields of every addon found (once: extraction runs per catalog)."""
    from ..addons import discover_addons

    return translatable_fields(discover_addons())


def translatable_fields(addons: Mapping[str, Any]) -> dict[str, set[str]]:
    """``{model: {field, …}}``: the ``translate=True`` fields the ``addons`` declare."""
    from ..fields import declared_fields, field_info
    from ..plugins import build_plugin_manager
    from ..registry import call_per_addon

    found: dict[str, set[str]] = {}
    pm = build_plugin_manager(list(addons.values()))
    for _addon, fragments in call_per_addon(pm, "register_models", list(addons)):
        for fragment in fragments:
            model = fragment.__dict__.get("_inherit") or fragment.__dict__.get("_name")
            for name, (value, _owner) in declared_fields(fragment).items():
                info = field_info(value)
                if info is not None and info.translate and isinstance(model, str):
                    found.setdefault(model, set()).add(name)
    return found


def _data_messages(source: Path, catalog: Catalog, fields: Mapping[str, set[str]]) -> None:
    """Add the values of translatable columns of the ``<model>.csv`` data files under
    ``source`` (shipped data is stored in English and shown through the catalog)."""
    for path in sorted(source.rglob("*.csv")):
        relative = path.relative_to(source).parts
        columns = fields.get(path.stem)
        if not columns or set(relative) & set(_SKIP) or not {"data", "demo"} & set(relative):
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for lineno, row in enumerate(csv.DictReader(handle), start=2):
                for column in sorted(columns & set(row)):
                    if row[column]:
                        catalog.add(row[column], None, [(str(path.relative_to(source)), lineno)])


def catalog_path(translations: Path, locale: str) -> Path:
    return translations / locale / "LC_MESSAGES" / "messages.po"


def load_catalog(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=locale, project="Kangyi", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def catalog_sources(addons: Mapping[str, Any] | None = None) -> list[tuple[str, Path, Path]]:
    """``(name, source folder, translations folder)``: the core, then each addon with sources.

    The core's catalog covers ``core/`` (its essential addons included); an addon found in the
    project's ``addons/`` folder or elsewhere has its own catalog beside its code.
    """
    sources = [("core", CORE_DIR.parent, CORE_DIR)]
    for name, info in sorted((addons or {}).items()):
        path = Path(info.path).resolve()
        if CORE_DIR.parent in path.parents:
            continue
        sources.append((name, path, path / "translations"))
    return sources


def untranslated(source: Path, translations: Path, locale: str,
                 skip: Iterable[Path] = ()) -> list[str]:
    """Messages extracted from ``source`` that the ``locale`` catalog does not translate."""
    catalog = load_catalog(catalog_path(translations, locale), locale)
    missing = []
    for message in extract(source, skip):
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        text = entry.string if entry is not None else ""
        if not text or (isinstance(text, tuple) and not all(text)) or (
                entry is not None and entry.fuzzy):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def clashes(sources: Iterable[tuple[str, Path, Path]], locale: str) -> dict[str, dict[str, str]]:
    """Messages that two catalogs translate differently: ``{msgid: {catalog name: translation}}``.

    All catalogs are merged into one gettext domain at run time, so only one of two translations
    of the same message can win; an addon that means something else uses another message.
    """
    seen: dict[tuple[str, str | None], dict[str, str]] = {}
    for name, _source, translations in sources:
        for message in load_catalog(catalog_path(translations, locale), locale):
            if message.id and message.string and not message.fuzzy:
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                seen.setdefault((msgid, message.context), {})[name] = str(message.string)
    return {msgid: by_catalog for (msgid, _ctx), by_catalog in seen.items()
            if len(set(by_catalog.values())) > 1}


def update_catalog(source: Path, translations: Path, locale: str,
                   skip: Iterable[Path] = ()) -> Catalog:
    """Merge newly extracted messages into the ``locale`` catalog, keeping translations."""
    path = catalog_path(translations, locale)
    catalog = load_catalog(path, locale)
    template = extract(source, skip)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=True)
    path.write_bytes(buffer.getvalue())
    return catalog


def _compile(po: Path, mo: Path, locale: str) -> None:
    catalog = load_catalog(po, locale)
    mo.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    # a temporary file of this process's own in the same folder, then an atomic rename: workers
    # booting at once each compile, and none reads or replaces a half-written file
    handle, name = tempfile.mkstemp(dir=mo.parent, prefix=mo.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(buffer.getvalue())
        os.replace(name, mo)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise


def translation_directories(instance_path: str | Path,
                            addons: Mapping[str, Any] | None = None) -> str:
    """Compile stale catalogs into ``<instance>/translations/<name>`` and list those folders.

    :return: the ``;``-separated value for ``BABEL_TRANSLATION_DIRECTORIES``: addons first, the
        core last, so that the core's translation of a common word (Reference, Status…) wins
        over any addon's; an addon wanting another wording uses another message
    """
    folders = []
    sources = catalog_sources(addons)
    for name, _source, translations in sources[1:] + sources[:1]:
        target = Path(instance_path) / "translations" / name
        for locale in LOCALES:
            po = catalog_path(translations, locale)
            if not po.exists():
                continue
            # Babel may name the locale zh_Hans_CN: compile under both spellings
            for folder in dict.fromkeys([locale, str(Locale.parse(locale))]):
                mo = target / folder / "LC_MESSAGES" / "messages.mo"
                if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                    _compile(po, mo, locale)
            if str(target) not in folders:
                folders.append(str(target))
    return ";".join(folders)


def main(argv: list[str]) -> int:
    """``update|check [NAME…]``: the catalogs of the core and of the project's addons.

    Without names, every catalog; ``core`` names the core's.
    """
    from ..addons import discover_addons

    command = argv[0] if argv else "check"
    names = set(argv[1:])
    status = 0
    sources = catalog_sources(discover_addons())
    for name, source, translations in sources:
        if names and name not in names:
            continue
        for locale in LOCALES:
            if command == "update":
                update_catalog(source, translations, locale)
            missing = untranslated(source, translations, locale)
            for message in missing:
                print(f"{name} {locale}: untranslated: {message!r}")
            status = status or bool(missing)
    for locale in LOCALES:
        for msgid, by_catalog in sorted(clashes(sources, locale).items()):
            print(f"{locale}: {msgid!r} translated differently: {by_catalog}")
            status = 1
    return int(status)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
