"""From records to a PDF: what a format prints of each record (read through the model service,
so access rights and record rules apply), laid out by ``reports/document.html``, made a PDF by
WeasyPrint (Pango lays out the Chinese text with the CJK fonts the set-up installs)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..errors import MissingError
from ..i18n import _
from .declare import Report, reports_of
from .words import rmb_upper

if TYPE_CHECKING:
    from ..env import Environment

__all__ = ["document_values", "render_html", "render_pdf", "company_values", "printing"]


def _formatter(info: Any) -> Any:
    from flask import has_request_context

    if has_request_context():
        from ..web.cells import formatter

        return formatter(info)

    def plain(value: Any) -> str:  # outside a request (a job): no locale at hand
        if value is None or value is False:
            return ""
        if isinstance(value, (list, tuple)) and len(value) == 2:
            return str(value[1])
        return str(value)

    return plain


def _cell(cls: Any, name: str, value: Any) -> str:
    return _formatter(cls.__fields__.get(name))(value)


def _label(cls: Any, name: str) -> str:
    info = cls.__fields__.get(name)
    return str(info.string) if info is not None and info.string else name


def _table(env: Environment, cls: Any, row: dict[str, Any], table: Any) -> dict[str, Any]:
    comodel = cls.__fields__[table.lines].comodel
    lines = env[comodel]
    ids = row[table.lines] or []
    if table.domain and ids:
        ids = lines.search([("id", "in", ids), *table.domain])
    rows = lines.read(ids, list(table.columns))
    line_cls = lines.cls
    sums = {c: sum((Decimal(str(r[c] or 0)) for r in rows), Decimal(0)) for c in table.sums}
    return {
        "title": str(table.title) if table.title else "",
        "columns": [_label(line_cls, c) for c in table.columns],
        "numeric": [line_cls.__fields__[c].type in ("decimal", "monetary", "integer")
                    for c in table.columns],
        "rows": [[_cell(line_cls, c, r[c]) for c in table.columns] for r in rows],
        "sums": [_cell(line_cls, c, sums[c]) if c in sums else "" for c in table.columns]
        if sums else [],
        "raw_sums": sums,
    }


def document_values(env: Environment, report: Report, record_id: int) -> dict[str, Any]:
    """What ``report`` prints of one record (read with ``env``'s rights)."""
    service = env[report.model]
    cls = service.cls
    names = [*report.header, *report.totals, *(t.lines for t in report.tables)]
    names += [n for n in (report.amount_words, report.notes) if n]
    row = service.read([record_id], list(dict.fromkeys(names)))
    if not row:
        raise MissingError(_("The record %(id)s of %(model)s does not exist.",
                             id=record_id, model=report.model))
    row = row[0]
    document = {
        "title": str(report.name),
        "number": service.display_names([record_id]).get(record_id, ""),
        "header": [(_label(cls, n), _cell(cls, n, row[n])) for n in report.header],
        "tables": [_table(env, cls, row, t) for t in report.tables],
        "totals": [(_label(cls, n), _cell(cls, n, row[n])) for n in report.totals],
        "words": rmb_upper(row[report.amount_words] or 0) if report.amount_words else "",
        "signatures": [(str(label), "") for label in report.signatures],
        "notes": row[report.notes] if report.notes else "",
        "row": row,
    }
    if report.values is not None:
        document = report.values(env, record_id, document)
    return document


def company_values(env: Environment) -> dict[str, Any]:
    """The header of every document: the acting user's company (name, logo, address)."""
    su = env.sudo()
    users = su.registry["res.users"]
    user = su.session.get(users, env.uid) if env.uid else None
    companies = su["res.company"]
    company_id = getattr(user, "company_id", None) or (companies.search([], limit=1) or [None])[0]
    if company_id is None:
        return {}
    company = su.session.get(su.registry["res.company"], company_id)
    logo = getattr(company, "logo", None)
    address = " ".join(filter(None, (getattr(company, f, None) for f in ("street", "city", "zip"))))
    return {"name": company.name, "address": address, "phone": getattr(company, "phone", None),
            "vat": company.vat,
            "logo": ("data:image/png;base64," + base64.b64encode(logo).decode()) if logo else None}


def render_html(env: Environment, report_name: str, ids: list[int]) -> str:
    """The HTML of ``ids`` printed with the format ``report_name`` (needs an app context)."""
    from flask import render_template

    report = reports_of(env.registry).get(report_name)
    if report is None:
        raise MissingError(_("There is no print format %(name)s.", name=report_name))
    documents = [document_values(env, report, rid) for rid in ids]
    return render_template("reports/document.html", documents=documents,
                           company=company_values(env), report=report)


def render_pdf(env: Environment, report_name: str, ids: list[int],
               lang: str | None = None) -> bytes:
    """The PDF of ``ids`` printed with ``report_name``, one document per page, in ``lang``
    (default: the request's language, or outside a request the context's ``lang``)."""
    from weasyprint import HTML

    with printing(env, lang):
        html = render_html(env, report_name, ids)
    return HTML(string=html).write_pdf()


@contextmanager
def printing(env: Environment, lang: str | None = None) -> Iterator[None]:
    """Where a document can be laid out: the request's app, or outside one (a job, a shell) an
    app of its own holding the layouts and the catalogs; in ``lang`` when it is given, else
    outside a request in the context's ``lang``."""
    from flask import has_app_context
    from flask_babel import force_locale

    if has_app_context():
        if lang is None:
            yield
        else:
            with force_locale(lang):
                yield
        return
    with _print_app(env).app_context(), force_locale(lang or env.context.get("lang") or "en"):
        yield


def _print_app(env: Environment) -> Any:
    """The web app jobs of ``env``'s database render with (its settings, instance folder and
    files), else for a bare runtime (a shell, a command, an installation) an app of this process
    holding the layouts and the catalogs of the addons the runtime sees (made once)."""
    from ..jobs.queue import _QUEUES, _RUNTIMES

    bind = env.session.get_bind()
    queue = _QUEUES.get(bind)  # type: ignore[arg-type]
    if queue is not None and queue.app is not None:
        return queue.app
    runtime = _RUNTIMES.get(bind)  # type: ignore[arg-type]
    key = tuple(sorted(runtime.available)) if runtime is not None else ()
    app = _PRINT_APPS.get(key)
    if app is None:
        app = _PRINT_APPS[key] = _make_print_app(runtime.available if runtime else None)
    return app


_PRINT_APPS: dict[tuple[str, ...], Any] = {}


def _make_print_app(available: Any) -> Any:
    from flask import Flask
    from flask_babel import Babel, get_locale

    from ..addons import discover_addons
    from ..config import instance_path
    from ..translations import translation_directories

    folder = instance_path()
    app = Flask(__name__, instance_path=str(folder))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories(
        folder, available if available is not None else discover_addons())
    Babel(app, locale_selector=lambda: None)
    app.jinja_env.globals["get_locale"] = get_locale
    return app
