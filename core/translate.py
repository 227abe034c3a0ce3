"""Values of ``translate=True`` fields, shown in the reader's language.

A translatable Char or Text field stores one value, its source in English; the addons' gettext
catalogs translate it (shipped data: the data file's English value is the msgid, marked for
extraction). The model service returns it translated for ``env.lang`` from every door — reads,
display names, name searches, exports — matches searches against the translation too, and
ignores a write of the unchanged translation (a form saved in Chinese keeps the English source).
A value without a catalog entry is shown as stored, in every language. A path (``A/B``) is
translated part by part, and a leading code (``1122 Receivables``) is kept as it is.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

__all__ = ["N_", "msgid", "catalog", "offline_catalog", "gettext_for", "translate", "sources",
           "translate_domain", "untranslate"]

_CODE = re.compile(r"^(\S*\d\S*\s+)(.+)$")
_LIKE = {"=", "ilike", "like", "=ilike", "=like"}
_NOT_LIKE = {"!=", "<>", "not ilike", "not like"}


def N_(message: str) -> str:
    """Mark a stored English value for extraction into the catalog; returns it unchanged."""
    return message


def msgid(text: Any) -> Any:
    """The English source of a lazy label (``_l``), to store it; other values as they are."""
    return text._args[0] if hasattr(text, "_args") else text


def catalog(lang: str | None) -> dict[str, str] | None:
    """``{source: translation}`` of the running app's catalogs for ``lang`` (None: English, an
    unknown language or no app)."""
    if not lang or lang.split("_")[0] == "en":
        return None
    from flask import current_app, has_app_context

    if not has_app_context():
        return None
    memo = current_app.extensions.setdefault("kangyi.value_catalogs", {})
    if lang not in memo:
        from flask_babel import force_locale, get_translations

        try:
            with force_locale(lang):
                messages = getattr(get_translations(), "_catalog", {})
        except (ValueError, LookupError):  # not a locale Babel knows
            messages = {}
        memo[lang] = {k: v for k, v in messages.items()
                      if isinstance(k, str) and k and isinstance(v, str) and v} or None
    return memo[lang]


@functools.cache
def offline_catalog(lang: str) -> dict[str, str] | None:
    """The catalog of ``lang`` read from the ``.po`` files of every addon found, for work done
    outside the web app (installs, jobs run by the CLI): the addons' first, the core's last."""
    if not lang or lang.split("_")[0] == "en":
        return None
    from .addons import discover_addons
    from .translations import catalog_path, catalog_sources, load_catalog

    sources = catalog_sources(discover_addons())
    messages: dict[str, str] = {}
    for _name, _source, translations in sources[1:] + sources[:1]:
        for message in load_catalog(catalog_path(translations, lang), lang):
            if isinstance(message.id, str) and message.id and message.string \
                    and not message.fuzzy:
                messages[message.id] = str(message.string)
    return messages or None


def gettext_for(lang: str | None, message: str, **values: Any) -> str:
    """``message`` in ``lang`` (a text written for a given user, e.g. a follow-up created by an
    install or a job): the app's catalogs, else those on disk."""
    from flask import has_app_context

    messages = (catalog(lang) if has_app_context() else offline_catalog(lang or "en")) or {}
    text = messages.get(message, message)
    return text % values if values else text


def translate(messages: dict[str, str] | None, value: Any) -> Any:
    """``value`` in the catalog's language (as stored when the catalog has no entry)."""
    if not messages or not isinstance(value, str) or not value:
        return value
    found = messages.get(value)
    if found is not None:
        return found
    if "/" in value:
        return "/".join(translate(messages, part) for part in value.split("/"))
    code = _CODE.match(value)
    if code and code.group(2) in messages:
        return code.group(1) + messages[code.group(2)]
    return value


def sources(messages: dict[str, str], operator: str, text: str) -> list[str]:
    """The catalog's sources whose translation matches ``text`` by ``operator`` (positive)."""
    if operator in ("=", "!=", "<>"):
        return [k for k, v in messages.items() if v == text]
    folded = text.casefold() if "ilike" in operator else text
    if operator.startswith("="):  # =like, =ilike: the SQL pattern as is
        pattern = re.compile("^" + re.escape(folded).replace("%", ".*").replace("_", ".")
                             + "$", re.S)
        return [k for k, v in messages.items()
                if pattern.match(v.casefold() if "ilike" in operator else v)]
    return [k for k, v in messages.items()
            if folded in (v.casefold() if "ilike" in operator else v)]


def translate_domain(fields: dict[str, Any], domain: Sequence[Any],
                     messages: dict[str, str] | None) -> list[Any]:
    """``domain`` whose text leaves on translatable fields also match the translations."""
    if not messages:
        return list(domain)
    result: list[Any] = []
    for leaf in domain:
        info = fields.get(leaf[0]) if isinstance(leaf, tuple) and isinstance(leaf[0], str) else None
        if info is None or not info.translate or not isinstance(leaf[2], str) or not leaf[2]:
            result.append(leaf)
            continue
        name, operator, text = leaf
        positive = operator if operator in _LIKE else {
            "!=": "=", "<>": "=", "not ilike": "ilike", "not like": "like"}.get(operator)
        found = sources(messages, positive, text) if positive else []
        if not found:
            result.append(leaf)
        elif operator in _NOT_LIKE:
            result.extend(["&", leaf, (name, "not in", found)])
        else:
            result.extend(["|", leaf, (name, "in", found)])
    return result


def untranslate(messages: dict[str, str] | None, stored: Any, value: Any) -> bool:
    """Whether ``value`` written over ``stored`` is only its translation (nothing changed)."""
    return bool(messages) and isinstance(stored, str) and stored != value and \
        translate(messages, stored) == value
